use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::domains::events::checkin::store::CheckinLog;
use crate::domains::events::event;
use crate::domains::events::event::service::*;
use crate::domains::events::event::store::Event;
use crate::domains::events::model::RegStatus;
use crate::domains::events::registration::store::Participant;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::write::Write;
use serde_json::json;
use std::collections::BTreeMap;

/// How long a check-in may be taken back.
pub const UNDO_SECS: i64 = 60;

/// What a check-in attempt found.
#[derive(Debug, Clone)]
pub enum CheckinResult {
    Ok {
        participant: Participant,
        category: Bilingual,
        at: i64,
    },
    Already {
        participant: Participant,
        category: Bilingual,
        at: i64,
        device: String,
    },
    /// The ticket's registration is no longer confirmed.
    NotValid {
        participant: Participant,
        status: RegStatus,
    },
    /// A ticket of another event of the center; it is not used up.
    OtherEvent {
        participant: Participant,
        event: Box<Event>,
    },
}

/// Checks a ticket in, once. `at` is when it happened on the device (an
/// offline check-in syncing later); the server decides who was first.
pub async fn check_in(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
    code: &str,
    device: &str,
    at: Option<i64>,
) -> AppResult<CheckinResult> {
    let code = crate::tickets::normalize(code);
    let door = store::at_door(&state.db, &code).await?.ok_or(AppError::NotFound)?;
    // Another center's ticket is as unknown as a made-up one.
    if !runs_events_of(Some(user), &door.center_id) {
        return Err(AppError::NotFound);
    }
    let store::AtDoor { participant: p, status, category, .. } = door;
    // A ticket is good at its own event's door only, and is not used up at
    // another's.
    if p.event_id != event_id {
        let event = event::service::get(state, &p.event_id).await?;
        return Ok(CheckinResult::OtherEvent { participant: p, event: Box::new(event) });
    }
    if status != RegStatus::Confirmed {
        return Ok(CheckinResult::NotValid { participant: p, status });
    }
    let now = state.clock.now();
    let at = at
        .filter(|a| *a <= now.millis() && *a > now.millis() - 7 * 86_400_000)
        .unwrap_or(now.millis());
    let device: String = device.trim().chars().take(60).collect();
    // One guarded statement, whole by itself: the participant row is the
    // record of the check-in (when, by whom, on which device).
    let first = if p.checked_in_at.is_none() {
        let mut one = state.db.write_single().await?;
        store::check_in(&mut one, &p.id, at, &user.id, &device).await?
    } else {
        false
    };
    if first {
        return Ok(CheckinResult::Ok {
            participant: Participant { checked_in_at: Some(at), checked_in_device: device, ..p },
            category,
            at,
        });
    }
    // Checked in before the read, or by another device since: the first stands.
    let first_in = match p.checked_in_at {
        Some(_) => p,
        None => store::by_code(&state.db, &code).await?.unwrap_or(p),
    };
    let log = CheckinLog {
        event_id: &first_in.event_id,
        participant_id: &first_in.id,
        action: "duplicate",
        device: &device,
        by: &user.id,
        at,
    };
    store::log_checkin(&mut *state.db.write_single().await?, &log, now).await?;
    let at = first_in.checked_in_at.unwrap_or(at);
    let device = first_in.checked_in_device.clone();
    Ok(CheckinResult::Already { participant: first_in, category, at, device })
}

/// Takes a check-in back within a minute of it.
pub async fn undo_check_in(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    event_id: &str,
    code: &str,
    device: &str,
) -> AppResult<Participant> {
    let code = crate::tickets::normalize(code);
    let p = store::by_code(&state.db, &code).await?.ok_or(AppError::NotFound)?;
    let e = get(state, &p.event_id).await?;
    staff_event(user, &e).map_err(|_| AppError::NotFound)?;
    if e.id != event_id {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let record = store::check_in_record(&mut tx, &p.id).await?;
    if !store::undo_check_in(&mut tx, &p.id, now.millis() - UNDO_SECS * 1000, now).await? {
        return Err(AppError::Conflict {
            key: "checkin-undo-too-late",
            conflicts: json!({"checked_in_at": p.checked_in_at}),
        });
    }
    // The row forgets the check-in; the log keeps it, and who took it back.
    if let Some((at, by, device)) = &record {
        let taken_back = CheckinLog {
            event_id: &e.id,
            participant_id: &p.id,
            action: "checkin",
            device,
            by,
            at: *at,
        };
        store::log_checkin(&mut tx, &taken_back, now).await?;
    }
    let log = CheckinLog {
        event_id: &e.id,
        participant_id: &p.id,
        action: "undo",
        device: device.trim(),
        by: &user.id,
        at: now.millis(),
    };
    store::log_checkin(&mut tx, &log, now).await?;
    tx.commit().await?;
    store::by_code(&state.db, &code).await?.ok_or(AppError::NotFound)
}

/// Counts for the attendance board.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Attendance {
    /// Confirmed participants.
    pub registered: i64,
    pub pending: i64,
    pub waiting: i64,
    pub checked_in: i64,
    /// Confirmed, not checked in, and the event is over.
    pub no_show: i64,
    pub capacity: i64,
    /// Per category code and per country (ISO code, `""` unknown): [registered, checked in].
    pub by_category: BTreeMap<String, [i64; 2]>,
    pub by_country: BTreeMap<String, [i64; 2]>,
}

pub async fn attendance(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
) -> AppResult<Attendance> {
    let e = get(state, event_id).await?;
    staff_event(user, &e)?;
    let cats = event::store::categories(&state.db.pool, &e.id).await?;
    let code_of: std::collections::HashMap<&str, &str> =
        cats.iter().map(|c| (c.id.as_str(), c.code.as_str())).collect();
    let over = state.clock.now().millis() > e.span.end;
    let mut a = Attendance { capacity: e.capacity, ..Attendance::default() };
    for (status, category, country, checked, n) in
        store::attendance_counts(&state.db, &e.id).await?
    {
        match RegStatus::parse(&status) {
            Some(RegStatus::Pending) => a.pending += n,
            Some(RegStatus::Waitlisted) => a.waiting += n,
            Some(RegStatus::Confirmed) => {
                a.registered += n;
                a.checked_in += if checked { n } else { 0 };
                a.no_show += if over && !checked { n } else { 0 };
                let code = code_of.get(category.as_str()).copied().unwrap_or_default();
                for (map, key) in
                    [(&mut a.by_category, code.to_string()), (&mut a.by_country, country)]
                {
                    let e = map.entry(key).or_insert([0, 0]);
                    e[0] += n;
                    e[1] += if checked { n } else { 0 };
                }
            }
            _ => {}
        }
    }
    Ok(a)
}

/// For pages: a ticket code as printed.
pub fn printed(code: &str) -> String {
    crate::tickets::display(code)
}
