//! "Tell me if places free up": asks to be e-mailed about a full slot, and
//! the e-mail once a change of places leaves room for the party asked for.

use super::store;
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::domains::hall::calendar::service::{self as calendar, HallRecord};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::{Bilingual, Lang};
use crate::notify::Outgoing;
use crate::state::AppState;
use crate::throttle;
use crate::write::Write;

/// Reservations and asks without an account, per client address per hour
/// (one limit for both: `service::reserve` counts against it too).
pub const RESERVATION_LIMIT: throttle::Limit =
    throttle::Limit { kind: "hall_reservation", max: 20, window_secs: 3600 };

/// After places were given back in a slot: an e-mail (once, in their
/// language) to each who asked to hear of it and whose party now fits.
/// The places are not held for them: the first to book has them.
pub(super) async fn tell_watchers(
    write: &mut Write,
    hall: &HallRecord,
    slot_id: &str,
) -> AppResult<()> {
    let Some(slot) = calendar::slot_by_id(write, slot_id).await? else { return Ok(()) };
    let now = write.now().millis();
    if slot.starts_at <= now {
        return Ok(());
    }
    let free = slot.capacity - slot.taken;
    for (id, email, people, lang, key) in
        store::watchers(write, &hall.center_id, slot.starts_at).await?
    {
        if people > free {
            continue;
        }
        store::watched(write, &id, now).await?;
        let lang = Lang::parse(&lang).unwrap_or_default();
        let when = key.replacen('T', " ", 1);
        let args = vec![
            ("hall".to_string(), calendar::display_name(hall)),
            ("when".to_string(), Bilingual::new(when.clone(), when)),
            ("people".to_string(), Bilingual::new(people.to_string(), people.to_string())),
        ];
        write.mail([Outgoing::to_person(
            &email,
            lang,
            "mail-hall-places",
            &args,
            &format!("/hall/book?slot={key}"),
        )]);
    }
    Ok(())
}

/// An ask to be told of a slot: its key, the address, the party, the language.
pub struct Ask<'a> {
    pub slot: &'a str,
    pub email: &'a str,
    pub people: i64,
    pub lang: Lang,
}

/// Asks to be told by e-mail when `people` places free up in a slot (a
/// full one, typically). Counted by the booking limit like a booking.
pub async fn watch(
    state: &AppState,
    who: &Who,
    user: Option<&CurrentUser>,
    center_id: &str,
    ask: Ask<'_>,
) -> AppResult<()> {
    let Ask { slot: slot_key, email, people, lang } = ask;
    let hall = calendar::require(state, center_id).await?;
    let mut errors = vec![];
    let email = crate::validate::normalize_email(email);
    if email.len() > 254 || !crate::validate::looks_like_email(&email) {
        errors.push(FieldError::new("email", "field-invalid-email"));
    }
    let max = hall.rules.max_party.max(hall.rules.max_group);
    if !(1..=max).contains(&people) {
        errors
            .push(FieldError::new("people", "field-out-of-range").with("min", 1).with("max", max));
    }
    let slot = match calendar::slot(state, &hall, slot_key).await {
        Ok(s) if s.start > state.clock.now().millis() => Some(s),
        Ok(_) => {
            errors.push(FieldError::new("slot", "hall-slot-not-bookable"));
            None
        }
        Err(AppError::Invalid(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    let Some(slot) = slot.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let now = state.clock.now();
    let staff = user.is_some_and(|u| allows(Some(u.role), Perm::ManageHall));
    let mut tx = Write::begin(state, who).await?;
    if !staff {
        throttle::hit(&mut tx, RESERVATION_LIMIT, &who.client_ip, now).await?;
    }
    let row = store::Watch {
        center_id,
        starts_at: slot.start,
        slot_key: &slot.key,
        email: &email,
        people,
        lang: lang.tag(),
    };
    store::watch(&mut tx, &row, now.millis()).await?;
    tx.commit().await?;
    Ok(())
}
