//! An event's matchmaking setup: switching it on, the meeting length and
//! breaks, the meeting windows inside the event's sessions, the tables in
//! the event's rooms. Slots cannot change while meetings are placed (the
//! one-meeting-per-slot invariant rests on slots never overlapping), and a
//! table that holds meetings to come cannot be removed or shrunk.

use std::collections::BTreeSet;

use serde_json::json;

use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::events::event::service as events;
use crate::domains::matchmaking::model::{self, MAX_TABLES, TABLE_SEATS};
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::time::Span;
use crate::write::Write;

pub use store::{Setup, TableRow as Table};

/// Takes the event's placement turn inside a write (see `store::lock`) and
/// reads the setup under it: placements use this one, never a setup read
/// before the turn (a change in between would shift the slots).
pub(in crate::domains::matchmaking) async fn locked(
    tx: &mut Write,
    event_id: &str,
) -> AppResult<Setup> {
    let tx: &mut crate::db::Tx = tx;
    if !store::lock(tx, event_id).await? {
        return Err(AppError::NotFound);
    }
    store::setup(&mut **tx, event_id).await?.ok_or(AppError::NotFound)
}

/// The event's setup, if matchmaking is on.
pub async fn setup(state: &AppState, event_id: &str) -> AppResult<Option<Setup>> {
    Ok(store::setup(&state.db.pool, event_id).await?)
}

/// The event's setup: "not found" when matchmaking is off.
pub async fn require(state: &AppState, event_id: &str) -> AppResult<Setup> {
    setup(state, event_id).await?.ok_or(AppError::NotFound)
}

/// The meeting slots the setup makes, in time order.
pub fn slots(s: &Setup) -> Vec<Span> {
    model::slots(&s.windows, s.meeting_minutes, s.break_minutes)
}

/// The event's tables in use, by number.
pub async fn tables(state: &AppState, event_id: &str) -> AppResult<Vec<Table>> {
    Ok(store::tables(&state.db.pool, event_id).await?.into_iter().filter(|t| t.active).collect())
}

/// The event's tables in use, read inside a write.
pub(in crate::domains::matchmaking) async fn tables_tx(
    tx: &mut Write,
    event_id: &str,
) -> AppResult<Vec<Table>> {
    let tx: &mut crate::db::Tx = tx;
    Ok(store::tables(&mut **tx, event_id).await?.into_iter().filter(|t| t.active).collect())
}

/// Meetings to come per table id (a table holding some cannot be removed).
pub async fn placed_per_table(state: &AppState, event_id: &str) -> AppResult<Vec<(String, i64)>> {
    Ok(store::placed_per_table(&state.db.pool, event_id, state.clock.now().millis()).await?)
}

/// Every table the event ever had (meetings keep a removed table).
pub async fn all_tables(state: &AppState, event_id: &str) -> AppResult<Vec<Table>> {
    Ok(store::tables(&state.db.pool, event_id).await?)
}

/// The event, for the staff who run its center's events ("not found"
/// for anyone else).
pub async fn staff_event(
    state: &AppState,
    user: &CurrentUser,
    event_id: &str,
) -> AppResult<events::Event> {
    let event = events::get(state, event_id).await?;
    if events::runs_events_of(Some(user), &event.center_id) {
        Ok(event)
    } else {
        Err(AppError::NotFound)
    }
}

/// A table as staff set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableEdit {
    pub number: i64,
    pub room_id: Option<String>,
    pub seats: i64,
}

/// A whole setup as staff save it; `tables` is every table in use.
#[derive(Debug, Clone)]
pub struct SetupEdit {
    pub meeting_minutes: i64,
    pub break_minutes: i64,
    pub needs_acceptance: bool,
    pub request_limit: i64,
    pub windows: Vec<Span>,
    pub tables: Vec<TableEdit>,
}

fn check_tables(tables: &[TableEdit], rooms: &BTreeSet<String>) -> Vec<FieldError> {
    let mut errors = vec![];
    if tables.len() > MAX_TABLES {
        errors.push(FieldError::new("tables", "mm-too-many").with("max", MAX_TABLES as i64));
        return errors;
    }
    let mut seen = BTreeSet::new();
    for (i, t) in tables.iter().enumerate() {
        let field = format!("tables[{i}]");
        if !(1..=999).contains(&t.number) || !seen.insert(t.number) {
            errors.push(FieldError::new(format!("{field}.number"), "mm-table-number"));
        }
        if t.seats < TABLE_SEATS.0 || t.seats > TABLE_SEATS.1 {
            errors.push(
                FieldError::new(format!("{field}.seats"), "field-out-of-range")
                    .with("min", TABLE_SEATS.0)
                    .with("max", TABLE_SEATS.1),
            );
        }
        if t.room_id.as_ref().is_some_and(|r| !rooms.contains(r)) {
            errors.push(FieldError::new(format!("{field}.room_id"), "mm-table-room"));
        }
    }
    errors
}

/// Switches matchmaking on for an event, or changes its setup.
pub async fn save(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    event_id: &str,
    edit: SetupEdit,
) -> AppResult<Setup> {
    let event = staff_event(state, user, event_id).await?;
    let sessions = events::sessions(state, event_id).await?;
    // Windows lie within the sessions (or the event, when it has none).
    let spans: Vec<Span> = if sessions.is_empty() {
        vec![event.span]
    } else {
        sessions.iter().map(|s| s.span).collect()
    };
    let rooms: BTreeSet<String> = sessions.iter().filter_map(|s| s.room_id.clone()).collect();
    let mut windows = edit.windows.clone();
    windows.sort_by_key(|w| (w.start, w.end));
    windows.dedup();
    let mut errors = model::check_setup(
        edit.meeting_minutes,
        edit.break_minutes,
        edit.request_limit,
        &windows,
        &spans,
    );
    errors.extend(check_tables(&edit.tables, &rooms));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let new = Setup {
        event_id: event.id.clone(),
        center_id: event.center_id.clone(),
        meeting_minutes: edit.meeting_minutes,
        break_minutes: edit.break_minutes,
        needs_acceptance: edit.needs_acceptance,
        request_limit: edit.request_limit,
        windows,
    };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let old = if store::lock(&mut tx, event_id).await? {
        store::setup(&mut **tx, event_id).await?
    } else {
        None
    };
    let placed = store::placed_count(&mut tx, event_id).await?;
    if let Some(old) = &old
        && placed > 0
        && slots(old) != slots(&new)
    {
        tx.rollback().await?;
        return Err(AppError::Conflict {
            key: "mm-setup-locked",
            conflicts: json!({"placed": placed}),
        });
    }
    let held = store::placed_per_table(&mut **tx, event_id, now.millis()).await?;
    let existing = store::tables(&mut **tx, event_id).await?;
    for t in &existing {
        let kept = edit.tables.iter().find(|e| e.number == t.number);
        let busy = held.iter().any(|(id, n)| id == &t.id && *n > 0);
        if busy && kept.is_none_or(|k| k.seats < t.seats) {
            tx.rollback().await?;
            return Err(AppError::Conflict {
                key: "mm-table-in-use",
                conflicts: json!({"number": t.number}),
            });
        }
    }
    store::save(&mut tx, &new, now.millis()).await?;
    for t in &existing {
        let row = match edit.tables.iter().find(|e| e.number == t.number) {
            Some(e) => store::TableRow {
                room_id: e.room_id.clone(),
                seats: e.seats,
                active: true,
                ..t.clone()
            },
            None => store::TableRow { active: false, ..t.clone() },
        };
        if &row != t {
            store::update_table(&mut tx, &row).await?;
        }
    }
    for e in edit.tables.iter().filter(|e| !existing.iter().any(|t| t.number == e.number)) {
        let row = store::TableRow {
            id: new_id(),
            number: e.number,
            room_id: e.room_id.clone(),
            seats: e.seats,
            active: true,
        };
        store::insert_table(&mut tx, &row.id.clone(), event_id, &row).await?;
    }
    tx.audit(
        Some(&event.center_id),
        "matchmaking",
        event_id,
        if old.is_some() { "update" } else { "enable" },
        json!({"meeting_minutes": new.meeting_minutes, "break_minutes": new.break_minutes,
               "windows": new.windows.len(), "tables": edit.tables.len(),
               "needs_acceptance": new.needs_acceptance, "request_limit": new.request_limit}),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}
