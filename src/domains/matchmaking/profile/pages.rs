//! The participant's profile pages, reached from their ticket page (the
//! ticket link's secret; no account): their profile form, the catalogue
//! with suggestions, another participant's profile with "ask for a meeting".

use std::collections::BTreeSet;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::service::{self, Entry, EntryEdit, Filter, Holder, Profile, ProfileEdit};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::matchmaking::meeting::service as meetings;
use crate::domains::matchmaking::model::{MAX_ENTRIES, shared_language};
use crate::domains::matchmaking::views::{
    CardView, EntryView, FilterFields, PeoplePage, PersonPage, ProfileFields, ProfilePage,
    WindowChoice, shown,
};
use crate::error::{AppError, AppResult};
use crate::i18n::{Bilingual, Lang};
use crate::reference::{countries, languages};
use crate::state::AppState;
use crate::time::time_range;
use crate::web::PageCtx;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::page::render;

/// The root of a participant's matchmaking pages.
pub fn base(token: &str, participant_id: &str) -> String {
    format!("/tickets/{}/meet/{participant_id}", token.trim())
}

/// A participant as others see them.
pub fn card_view(
    lang: Lang,
    p: &Profile,
    entries: &[Entry],
    score: i64,
    mine: Option<&Profile>,
) -> CardView {
    let langs = |p: &Profile| -> BTreeSet<String> {
        p.languages.iter().map(|l| languages::primary_language(l).to_string()).collect()
    };
    CardView {
        id: p.id.clone(),
        name: p.name.clone(),
        organisation: shown(lang, &p.organisation),
        role: shown(lang, &p.role),
        about: shown(lang, &p.about),
        country: if p.country.is_empty() {
            String::new()
        } else {
            countries::label(lang, &p.country)
        },
        sector: p.sector.map(|s| lang.t(&s.label_key())).unwrap_or_default(),
        languages: p
            .languages
            .iter()
            .map(|l| languages::label(lang, l))
            .collect::<Vec<_>>()
            .join(", "),
        entries: entries
            .iter()
            .map(|e| EntryView { side: e.side, topic: e.topic, text: shown(lang, &e.text) })
            .collect(),
        score,
        no_common_language: mine.is_some_and(|m| !shared_language(&langs(m), &langs(p))),
    }
}

fn fields_of(p: &Profile, entries: &[Entry]) -> ProfileFields {
    ProfileFields {
        name: p.name.clone(),
        organisation_zh: p.organisation.zh.clone(),
        organisation_en: p.organisation.en.clone(),
        role_zh: p.role.zh.clone(),
        role_en: p.role.en.clone(),
        about_zh: p.about.zh.clone(),
        about_en: p.about.en.clone(),
        country: p.country.clone(),
        sector: p.sector.map(|s| s.code().to_string()).unwrap_or_default(),
        languages: p.languages.join(","),
        away: p.away.clone(),
        listed: p.listed,
        entries: entries
            .iter()
            .map(|e| {
                (e.side.code().into(), e.topic.code().into(), e.text.zh.clone(), e.text.en.clone())
            })
            .collect(),
    }
}

async fn profile_page(
    state: &AppState,
    ctx: PageCtx,
    token: &str,
    h: &Holder,
    mut f: ProfileFields,
    errors: FormErrors,
    alert: String,
) -> AppResult<ProfilePage> {
    let tz = centers::tz(state, &h.event.center_id).await?;
    // Two blank rows to add offers and needs, within the limit.
    while f.entries.len() < MAX_ENTRIES
        && f.entries.iter().filter(|e| e.2.is_empty() && e.3.is_empty()).count() < 2
    {
        f.entries.push(Default::default());
    }
    let windows = h
        .setup
        .windows
        .iter()
        .map(|w| {
            let day = Instant(w.start).local_parts(&tz).0;
            WindowChoice { start: w.start, label: format!("{day} {}", time_range(*w, &tz)) }
        })
        .collect();
    Ok(ProfilePage {
        base: base(token, &h.participant.id),
        event_title: ctx.pick(&h.event.title.zh, &h.event.title.en).to_string(),
        creating: h.profile.is_none(),
        f,
        windows,
        errors,
        alert,
        ctx,
    })
}

/// The profile form (filled from the ticket's name the first time).
pub async fn profile_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, pid)): Path<(String, String)>,
) -> AppResult<Response> {
    let h = service::holder(&state, &token, &pid).await?;
    let f = match &h.profile {
        Some(p) => {
            let e = service::with_entries(&state, vec![p.clone()]).await?;
            fields_of(p, &e[0].1)
        }
        None => ProfileFields {
            name: h.participant.name.clone(),
            country: h.participant.country.clone(),
            listed: true,
            languages: ctx.lang_tag().split('-').next().unwrap_or("zh").to_string(),
            ..Default::default()
        },
    };
    let page =
        profile_page(&state, ctx, &token, &h, f, FormErrors::default(), String::new()).await?;
    Ok(render(&page)?.into_response())
}

fn read_fields(f: &Pairs) -> ProfileFields {
    let sides = f.raw("entry_side");
    let topics = f.raw("entry_topic");
    let zh = f.raw("entry_zh");
    let en = f.raw("entry_en");
    let entries = (0..sides.len().min(MAX_ENTRIES + 2))
        .map(|i| {
            let g = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
            (g(&sides), g(&topics), g(&zh), g(&en))
        })
        .filter(|e| !e.2.is_empty() || !e.3.is_empty())
        .collect();
    ProfileFields {
        name: f.get("name"),
        organisation_zh: f.get("organisation_zh"),
        organisation_en: f.get("organisation_en"),
        role_zh: f.get("role_zh"),
        role_en: f.get("role_en"),
        about_zh: f.get("about_zh"),
        about_en: f.get("about_en"),
        country: f.get("country"),
        sector: f.get("sector"),
        languages: f.joined("languages"),
        away: f.all("away").iter().filter_map(|a| a.parse().ok()).take(50).collect(),
        listed: f.get("listed") == "1",
        entries,
    }
}

/// Saves the profile; then the participant's matchmaking page.
pub async fn profile_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, pid)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let h = service::holder(&state, &token, &pid).await?;
    let f = read_fields(&Pairs(pairs));
    let edit = ProfileEdit {
        name: f.name.clone(),
        organisation: Bilingual::new(f.organisation_zh.clone(), f.organisation_en.clone()),
        role: Bilingual::new(f.role_zh.clone(), f.role_en.clone()),
        about: Bilingual::new(f.about_zh.clone(), f.about_en.clone()),
        country: f.country.clone(),
        sector: f.sector.clone(),
        languages: f.languages.clone(),
        away: f.away.clone(),
        listed: f.listed,
        entries: f
            .entries
            .iter()
            .map(|(side, topic, zh, en)| EntryEdit {
                side: side.clone(),
                topic: topic.clone(),
                text: Bilingual::new(zh.clone(), en.clone()),
            })
            .collect(),
    };
    match service::save(&state, &ctx.0.who(), &h, edit).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("{}?notice=profile", base(&token, &pid))).into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = profile_page(&state, ctx, &token, &h, f, errors, alert).await?;
            again(status, &page)
        }
    }
}

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub side: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub cursor: String,
}

/// The catalogue: suggestions first, then everyone listed, filtered.
pub async fn people(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, pid)): Path<(String, String)>,
    Query(q): Query<PeopleQuery>,
) -> AppResult<Response> {
    let h = service::holder(&state, &token, &pid).await?;
    let me = h.profile.clone();
    let lang = ctx.lang();
    let f = FilterFields {
        sector: q.sector.trim().into(),
        country: q.country.trim().into(),
        topic: q.topic.trim().into(),
        side: q.side.trim().into(),
        language: q.language.trim().into(),
        q: q.q.trim().into(),
    };
    let mut filter = Filter {
        sector: f.sector.clone(),
        country: f.country.clone(),
        topic: f.topic.clone(),
        side: f.side.clone(),
        language: f.language.clone(),
        text: f.q.clone(),
    };
    let filtered =
        [&f.sector, &f.country, &f.topic, &f.side, &f.language, &f.q].iter().any(|v| !v.is_empty());
    let mut alert = String::new();
    let page_query = crate::web::list::PageQuery { cursor: q.cursor.clone(), limit: Some(30) };
    let after = page_query.after().unwrap_or((i64::MIN, String::new()));
    let (rows, next) = match service::check_filter(&mut filter) {
        Ok(()) => {
            let rows = service::catalogue(&state, &h.event.id, &filter, &after, 30).await?;
            crate::web::list::split_page(rows, 30, |(p, _)| {
                crate::web::list::key_cursor(p.created_at, &p.id)
            })
        }
        Err(AppError::Invalid(e)) => {
            alert = e.iter().map(|e| lang.message(e)).collect::<Vec<_>>().join(" ");
            (vec![], None)
        }
        Err(e) => return Err(e),
    };
    let suggestions = match (&me, filtered || !q.cursor.is_empty()) {
        (Some(me), false) => service::suggestions(&state, me, 6)
            .await?
            .iter()
            .map(|(p, e, s)| card_view(lang, p, e, *s, Some(me)))
            .collect(),
        _ => vec![],
    };
    let people = rows
        .iter()
        .filter(|(p, _)| me.as_ref().is_none_or(|m| m.id != p.id))
        .map(|(p, e)| card_view(lang, p, e, 0, me.as_ref()))
        .collect();
    let mut langs: Vec<(String, String)> = crate::reference::languages::NAMED
        .iter()
        .map(|t| (t.to_string(), languages::label(lang, t)))
        .collect();
    langs.sort_by(|a, b| a.1.cmp(&b.1));
    let page = PeoplePage {
        base: base(&token, &pid),
        event_title: ctx.pick(&h.event.title.zh, &h.event.title.en).to_string(),
        f,
        filtered,
        suggestions,
        people,
        next,
        alert,
        languages: langs,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

#[allow(clippy::too_many_arguments)]
async fn person_page(
    state: &AppState,
    ctx: PageCtx,
    token: &str,
    h: &Holder,
    other_id: &str,
    message: String,
    errors: FormErrors,
    alert: String,
) -> AppResult<PersonPage> {
    let other = service::in_event(state, &h.event.id, other_id).await?;
    if !other.listed {
        return Err(AppError::NotFound);
    }
    let e = service::with_entries(state, vec![other.clone()]).await?;
    let me = h.profile.as_ref();
    let existing = match me {
        Some(me) => meetings::live_between(state, &me.id, &other.id)
            .await?
            .map(|m| ctx.t(m.status.label_key()))
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(PersonPage {
        base: base(token, &h.participant.id),
        event_title: ctx.pick(&h.event.title.zh, &h.event.title.en).to_string(),
        card: card_view(ctx.lang(), &other, &e[0].1, 0, me),
        can_ask: me.is_some_and(|m| m.id != other.id) && existing.is_empty(),
        existing,
        message,
        errors,
        alert,
        ctx,
    })
}

/// Another participant's profile, with "ask for a meeting".
pub async fn person(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, pid, other)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let h = service::holder(&state, &token, &pid).await?;
    let page = person_page(
        &state,
        ctx,
        &token,
        &h,
        &other,
        String::new(),
        FormErrors::default(),
        String::new(),
    )
    .await?;
    Ok(render(&page)?.into_response())
}

/// Sends a meeting request; then the participant's own page.
pub async fn ask(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, pid, other)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let h = service::holder(&state, &token, &pid).await?;
    let message = Pairs(pairs).get("message");
    match meetings::request(&state, &ctx.0.who(), &h, &other, &message).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?notice=asked", base(&token, &pid))).into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let page = person_page(&state, ctx, &token, &h, &other, message, errors, alert).await?;
            again(status, &page)
        }
    }
}
