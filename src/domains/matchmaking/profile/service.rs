//! Profiles: who a participant is and what they offer and need, kept by
//! the participant through their ticket link (no account) or by staff; the
//! catalogue with its filters; suggestions ranked by `model::affinity`.

use std::collections::{BTreeSet, HashMap};

use serde_json::json;

use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::events::event::service::{self as events, Event};
use crate::domains::events::model::RegStatus;
use crate::domains::events::registration::service::{self as registrations, Participant};
use crate::domains::matchmaking::model::{
    self, Card, ENTRY_CHARS, MAX_ENTRIES, Sector, Side, Topic,
};
use crate::domains::matchmaking::setup::service::{self as setup, Setup};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::links::{self, Purpose};
use crate::reference::countries;
use crate::reference::languages::{language_tags, primary_language};
use crate::state::AppState;
use crate::write::Write;

pub use store::{Entry, Filter, Profile};

/// A participant of a matchmaking event as their ticket link (or staff)
/// opens them.
#[derive(Debug, Clone)]
pub struct Holder {
    pub event: Event,
    pub setup: Setup,
    pub participant: Participant,
    /// The registration's e-mail and language, for a participant without
    /// their own e-mail.
    pub contact_email: String,
    pub lang: String,
    pub profile: Option<Profile>,
}

impl Holder {
    /// The profile: "not found" until the participant has made one.
    pub fn profile(&self) -> AppResult<&Profile> {
        self.profile.as_ref().ok_or(AppError::NotFound)
    }
}

async fn holder_of(
    state: &AppState,
    reg: registrations::Registered,
    participant_id: &str,
) -> AppResult<Holder> {
    if reg.registration.status != RegStatus::Confirmed {
        return Err(AppError::NotFound);
    }
    let participant = reg
        .participants
        .into_iter()
        .find(|p| p.id == participant_id && p.ticket_code.is_some())
        .ok_or(AppError::NotFound)?;
    let event = events::get(state, &reg.registration.event_id).await?;
    let setup = setup::require(state, &event.id).await?;
    let profile = store::by_participant(&state.db, &participant.id).await?;
    Ok(Holder {
        event,
        setup,
        participant,
        contact_email: reg.registration.contact_email,
        lang: reg.registration.lang,
        profile,
    })
}

/// The participant a ticket link opens (a confirmed registration's, with
/// a ticket, at an event with matchmaking on).
/// A participant's own matchmaking link (`links::Purpose::Meet`, the one
/// their e-mails carry) opens their pages only; the registration's ticket
/// link opens those of each of its participants.
pub async fn holder(state: &AppState, token: &str, participant_id: &str) -> AppResult<Holder> {
    if let Some(subject) = links::resolve(&state.db, Purpose::Meet, token).await? {
        if subject != participant_id {
            return Err(AppError::NotFound);
        }
        let p =
            registrations::participant(state, participant_id).await?.ok_or(AppError::NotFound)?;
        let reg = registrations::registration(state, &p.registration_id).await?;
        return holder_of(state, reg, participant_id).await;
    }
    let reg = registrations::registration_by_token(state, token).await?;
    holder_of(state, reg, participant_id).await
}

/// A participant, for the staff who run their event.
pub async fn for_staff(
    state: &AppState,
    user: &CurrentUser,
    participant_id: &str,
) -> AppResult<Holder> {
    let p = registrations::participant(state, participant_id).await?.ok_or(AppError::NotFound)?;
    setup::staff_event(state, user, &p.event_id).await?;
    let reg = registrations::registration(state, &p.registration_id).await?;
    holder_of(state, reg, participant_id).await
}

/// The participant a caller may act as: the holder of the ticket link
/// `secret`, or staff of the participant's event (no secret needed).
pub async fn acting_as(
    state: &AppState,
    user: Option<&CurrentUser>,
    participant_id: &str,
    secret: &str,
) -> AppResult<Holder> {
    match (secret.trim().is_empty(), user) {
        (false, _) => holder(state, secret, participant_id).await,
        (true, Some(u)) => for_staff(state, u, participant_id).await,
        (true, None) => Err(AppError::Unauthorized),
    }
}

/// A profile of an event ("not found" for another event's).
pub async fn in_event(state: &AppState, event_id: &str, id: &str) -> AppResult<Profile> {
    store::by_id(&state.db.pool, id)
        .await?
        .filter(|p| p.event_id == event_id)
        .ok_or(AppError::NotFound)
}

/// Whether the person's registration still stands (confirmed): one who
/// cancelled is no longer in the catalogue and cannot be asked or booked.
pub async fn stands(state: &AppState, p: &Profile) -> AppResult<bool> {
    let reg = registrations::registration(state, &p.registration_id).await?;
    Ok(reg.registration.status == RegStatus::Confirmed)
}

/// How many profiles an event has.
pub async fn count(state: &AppState, event_id: &str) -> AppResult<i64> {
    Ok(store::count(&state.db, event_id).await?)
}

/// Every profile of an event, by name (staff pick the people of a booking;
/// an event holds at most its capacity of participants).
pub async fn all_of(state: &AppState, event_id: &str) -> AppResult<Vec<Profile>> {
    Ok(store::all_of(&state.db, event_id).await?)
}

/// Profiles by id.
pub async fn by_ids(state: &AppState, ids: &[String]) -> AppResult<Vec<Profile>> {
    Ok(store::by_ids(&state.db.pool, ids).await?)
}

/// Profiles by id, read inside a write (which must not wait for a second
/// connection while it holds one).
pub(in crate::domains::matchmaking) async fn by_ids_tx(
    tx: &mut Write,
    ids: &[String],
) -> AppResult<Vec<Profile>> {
    let tx: &mut crate::db::Tx = tx;
    Ok(store::by_ids(&mut **tx, ids).await?)
}

/// An offer or a need as given.
#[derive(Debug, Clone)]
pub struct EntryEdit {
    pub side: String,
    pub topic: String,
    pub text: Bilingual,
}

/// A profile as its owner saves it.
#[derive(Debug, Clone, Default)]
pub struct ProfileEdit {
    pub name: String,
    pub organisation: Bilingual,
    pub role: Bilingual,
    pub about: Bilingual,
    pub country: String,
    pub sector: String,
    /// BCP 47 tags, comma-separated.
    pub languages: String,
    /// Starts of the windows the person cannot meet in.
    pub away: Vec<i64>,
    pub listed: bool,
    pub entries: Vec<EntryEdit>,
}

/// A profile's checked parts: sector, language tags, offers and needs.
type Checked = (Option<Sector>, Vec<String>, Vec<Entry>);

fn check(edit: &ProfileEdit, setup: &Setup) -> Result<Checked, Vec<FieldError>> {
    let mut errors = vec![];
    if edit.name.trim().is_empty() {
        errors.push(FieldError::new("name", "field-required"));
    } else if edit.name.chars().count() > 200 {
        errors.push(FieldError::new("name", "field-too-long"));
    }
    if edit.organisation.zh.is_empty() && edit.organisation.en.is_empty() {
        errors.push(FieldError::new("organisation_zh", "mm-one-language"));
    }
    errors.extend(edit.organisation.limit("organisation", 200));
    errors.extend(edit.role.limit("role", 200));
    errors.extend(edit.about.limit("about", 2000));
    if !edit.country.is_empty() && countries::country(&edit.country).is_none() {
        errors.push(FieldError::new("country", "field-invalid-choice"));
    }
    let sector = match edit.sector.trim() {
        "" => None,
        s => {
            let parsed = Sector::parse(s);
            if parsed.is_none() {
                errors.push(FieldError::new("sector", "field-invalid-choice"));
            }
            parsed
        }
    };
    let languages = match language_tags(&edit.languages) {
        Ok(l) if l.is_empty() => {
            errors.push(FieldError::new("languages", "field-required"));
            vec![]
        }
        Ok(l) if l.len() > 10 => {
            errors.push(FieldError::new("languages", "mm-too-many").with("max", 10));
            vec![]
        }
        Ok(l) => l,
        Err(_) => {
            errors.push(FieldError::new("languages", "field-invalid-language"));
            vec![]
        }
    };
    if edit.away.iter().any(|a| !setup.windows.iter().any(|w| w.start == *a)) {
        errors.push(FieldError::new("away", "field-invalid-choice"));
    }
    if edit.entries.len() > MAX_ENTRIES {
        errors.push(FieldError::new("entries", "mm-too-many").with("max", MAX_ENTRIES as i64));
    }
    let mut entries = vec![];
    for (i, e) in edit.entries.iter().enumerate().take(MAX_ENTRIES) {
        let field = format!("entries[{i}]");
        let side = Side::parse(&e.side);
        let topic = Topic::parse(&e.topic);
        if side.is_none() {
            errors.push(FieldError::new(format!("{field}.side"), "field-invalid-choice"));
        }
        if topic.is_none() {
            errors.push(FieldError::new(format!("{field}.topic"), "field-invalid-choice"));
        }
        if e.text.zh.is_empty() && e.text.en.is_empty() {
            errors.push(FieldError::new(format!("{field}.text_zh"), "mm-one-language"));
        }
        errors.extend(e.text.limit(&format!("{field}.text"), ENTRY_CHARS));
        if let (Some(side), Some(topic)) = (side, topic) {
            entries.push(Entry { side, topic, text: e.text.clone() });
        }
    }
    if errors.is_empty() { Ok((sector, languages, entries)) } else { Err(errors) }
}

/// Makes or changes the holder's profile (and its offers and needs).
pub async fn save(
    state: &AppState,
    who: &Who,
    holder: &Holder,
    edit: ProfileEdit,
) -> AppResult<Profile> {
    let (sector, languages, entries) = check(&edit, &holder.setup).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let email = if holder.participant.email.is_empty() {
        holder.contact_email.clone()
    } else {
        holder.participant.email.clone()
    };
    let profile = Profile {
        id: holder.profile.as_ref().map(|p| p.id.clone()).unwrap_or_else(new_id),
        event_id: holder.event.id.clone(),
        center_id: holder.event.center_id.clone(),
        participant_id: holder.participant.id.clone(),
        registration_id: holder.participant.registration_id.clone(),
        name: edit.name.trim().to_string(),
        organisation: edit.organisation,
        role: edit.role,
        about: edit.about,
        country: edit.country,
        sector,
        languages,
        away: edit.away,
        listed: edit.listed,
        sent: holder.profile.as_ref().map(|p| p.sent).unwrap_or(0),
        email,
        lang: holder.lang.clone(),
        created_at: holder.profile.as_ref().map(|p| p.created_at).unwrap_or(now.millis()),
    };
    let mut tx = Write::begin(state, who).await?;
    // Two first saves of one participant at once: the second is told, not a 500.
    if let Err(e) = store::upsert(&mut tx, &profile, now.millis()).await {
        return Err(match crate::db::unique_violation(&e, store::UNIQUE) {
            Some(_) => AppError::Conflict { key: "mm-profile-twice", conflicts: json!({}) },
            None => e.into(),
        });
    }
    store::set_entries(&mut tx, &profile.id, &profile.event_id, &entries).await?;
    tx.audit(
        Some(&profile.center_id),
        "mm_profile",
        &profile.id,
        if holder.profile.is_some() { "update" } else { "create" },
        json!({"event": profile.event_id, "entries": entries.len(), "listed": profile.listed}),
    )
    .await?;
    tx.commit().await?;
    Ok(profile)
}

/// Profiles with their offers and needs.
pub async fn with_entries(
    state: &AppState,
    profiles: Vec<Profile>,
) -> AppResult<Vec<(Profile, Vec<Entry>)>> {
    let ids: Vec<String> = profiles.iter().map(|p| p.id.clone()).collect();
    let mut by: HashMap<String, Vec<Entry>> = HashMap::new();
    for (id, e) in store::entries(&state.db, &ids).await? {
        by.entry(id).or_default().push(e);
    }
    Ok(profiles
        .into_iter()
        .map(|p| {
            let e = by.remove(&p.id).unwrap_or_default();
            (p, e)
        })
        .collect())
}

/// A profile as the suggestion rule sees it.
pub fn card(p: &Profile, entries: &[Entry]) -> Card {
    let topics = |side: Side| -> BTreeSet<Topic> {
        entries.iter().filter(|e| e.side == side).map(|e| e.topic).collect()
    };
    Card {
        sector: p.sector,
        languages: p.languages.iter().map(|l| primary_language(l).to_string()).collect(),
        offers: topics(Side::Offer),
        needs: topics(Side::Need),
    }
}

/// Checks the catalogue's filters (codes it knows, a language tag).
pub fn check_filter(f: &mut Filter) -> AppResult<()> {
    let bad = |field: &str| Err(AppError::invalid(field, "field-invalid-choice"));
    if !f.sector.is_empty() && Sector::parse(&f.sector).is_none() {
        return bad("sector");
    }
    if !f.topic.is_empty() && Topic::parse(&f.topic).is_none() {
        return bad("topic");
    }
    if !f.side.is_empty() && Side::parse(&f.side).is_none() {
        return bad("side");
    }
    if !f.country.is_empty() && countries::country(&f.country).is_none() {
        return bad("country");
    }
    if !f.language.is_empty() {
        match language_tags(&f.language) {
            Ok(t) if t.len() == 1 => f.language = primary_language(&t[0]).to_string(),
            _ => return bad("language"),
        }
    }
    if f.text.chars().count() > 100 {
        return Err(AppError::invalid("q", "field-too-long"));
    }
    Ok(())
}

/// A page of an event's catalogue.
pub async fn catalogue(
    state: &AppState,
    event_id: &str,
    filter: &Filter,
    after: &(i64, String),
    limit: i64,
) -> AppResult<Vec<(Profile, Vec<Entry>)>> {
    let rows = store::catalogue(&state.db, event_id, filter, after, limit).await?;
    with_entries(state, rows).await
}

/// The listed participants who best answer `me`, best first (at most
/// `limit`), with their score.
pub async fn suggestions(
    state: &AppState,
    me: &Profile,
    limit: usize,
) -> AppResult<Vec<(Profile, Vec<Entry>, i64)>> {
    let all = with_entries(state, store::listed(&state.db, &me.event_id).await?).await?;
    let mine = with_entries(state, vec![me.clone()]).await?;
    let my_card = card(me, &mine[0].1);
    let mut scored: Vec<(Profile, Vec<Entry>, i64)> = all
        .into_iter()
        .filter(|(p, _)| p.id != me.id)
        .map(|(p, e)| {
            let s = model::affinity(&my_card, &card(&p, &e));
            (p, e, s)
        })
        .filter(|(_, _, s)| *s > 0)
        .collect();
    scored.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.created_at.cmp(&b.0.created_at)));
    scored.truncate(limit);
    Ok(scored)
}

/// Clears matchmaking's personal data at events whose registrants' data
/// was purged (run right after `events::registration::service::purge_expired`,
/// by `liaison purge` and daily by `serve`). Returns how many profiles.
pub async fn purge_expired(state: &AppState, who: &Who) -> AppResult<u64> {
    let mut tx = Write::begin(state, who).await?;
    let n = store::purge_purged_events(&mut tx).await?;
    if n > 0 {
        tx.audit(None, "mm_profile", "", "purge", json!({"profiles": n})).await?;
    }
    tx.commit().await?;
    Ok(n)
}
