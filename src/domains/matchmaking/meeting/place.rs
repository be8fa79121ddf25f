//! Placing meetings: the board of one event (its slots, its tables, who is
//! free when) built from the holds inside a write that holds the event's
//! placement turn, then `model::place_one` or `model::schedule`, then the
//! holds written. The holds' primary key (owner, start) is the last word:
//! a hold that cannot be written is a conflict, never a double booking.

use std::collections::{BTreeSet, HashMap};

use super::store::{self, Meeting};
use crate::domains::matchmaking::model::{self, Board, Want};
use crate::domains::matchmaking::profile::service::Profile;
use crate::domains::matchmaking::setup::service::{self as setup, Setup, Table};
use crate::error::{AppError, AppResult};
use crate::time::Span;
use crate::write::Write;

pub const PERSON: &str = "person";
pub const TABLE: &str = "table";

/// Seats a meeting needs at its table: its two people.
pub const SEATS: i64 = 2;

/// An event's board for some people.
pub struct Plan {
    pub slots: Vec<Span>,
    pub tables: Vec<Table>,
    /// Profile ids, in board order.
    pub people: Vec<String>,
    pub board: Board,
}

impl Plan {
    pub fn person(&self, id: &str) -> Option<usize> {
        self.people.iter().position(|p| p == id)
    }

    pub fn slot_at(&self, start: i64) -> Option<usize> {
        self.slots.iter().position(|s| s.start == start)
    }
}

/// The slots a person may meet in: those still to come, inside a window
/// they have not said they are away from.
fn open_slots(slots: &[Span], setup: &Setup, away: &[i64], now: i64) -> BTreeSet<usize> {
    slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.start >= now)
        .filter(|(_, s)| {
            setup
                .windows
                .iter()
                .any(|w| w.start <= s.start && s.end <= w.end && !away.contains(&w.start))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The board for `people`, read inside the write (which holds the event's
/// turn, so it stays true until the commit). `all_holds` reads every
/// person's holds of the event at once (the batch) instead of one by one.
pub async fn plan(
    tx: &mut Write,
    setup: &Setup,
    tables: Vec<Table>,
    people: &[&Profile],
    all_holds: bool,
) -> AppResult<Plan> {
    let slots = setup::slots(setup);
    let now = tx.now().millis();
    let ids: Vec<String> = people.iter().map(|p| p.id.clone()).collect();
    let index: HashMap<&str, usize> =
        ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let slot_index: HashMap<i64, usize> =
        slots.iter().enumerate().map(|(i, s)| (s.start, i)).collect();
    let mut board = Board {
        open: people.iter().map(|p| open_slots(&slots, setup, &p.away, now)).collect(),
        ..Board::default()
    };
    let person_holds = if all_holds {
        store::holds(tx, &setup.event_id, PERSON).await?
    } else {
        let owners: Vec<&str> = ids.iter().map(String::as_str).collect();
        store::holds_of(tx, &owners).await?
    };
    for (owner, start) in person_holds {
        if let (Some(p), Some(s)) = (index.get(owner.as_str()), slot_index.get(&start)) {
            board.person_busy.insert((*p, *s));
        }
    }
    let table_index: HashMap<&str, usize> =
        tables.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    for (owner, start) in store::holds(tx, &setup.event_id, TABLE).await? {
        if let (Some(t), Some(s)) = (table_index.get(owner.as_str()), slot_index.get(&start)) {
            board.table_busy.insert((*t, *s));
        }
    }
    Ok(Plan { slots, tables, people: ids, board })
}

/// The model's tables of a plan.
pub fn model_tables(plan: &Plan) -> Vec<model::Table> {
    plan.tables.iter().map(|t| model::Table { seats: t.seats }).collect()
}

/// Writes a placement: the three holds, then the meeting's slot and table.
pub async fn write(tx: &mut Write, meeting: &Meeting, span: Span, table: &Table) -> AppResult<()> {
    let now = tx.now().millis();
    for (owner, kind) in [
        (meeting.requester_id.as_str(), PERSON),
        (meeting.invitee_id.as_str(), PERSON),
        (table.id.as_str(), TABLE),
    ] {
        if !store::hold(tx, owner, span.start, &meeting.event_id, &meeting.id, kind).await? {
            return Err(AppError::Conflict {
                key: "mm-slot-taken",
                conflicts: serde_json::json!({}),
            });
        }
    }
    if !store::place(tx, &meeting.id, span, &table.id, now).await? {
        return Err(AppError::Conflict { key: "mm-slot-taken", conflicts: serde_json::json!({}) });
    }
    Ok(())
}

/// Places one accepted meeting at the earliest slot where both people and
/// a table are free (`only`: at that slot or not at all). None: no such
/// slot; the meeting waits.
pub async fn place_one(
    tx: &mut Write,
    setup: &Setup,
    meeting: &Meeting,
    a: &Profile,
    b: &Profile,
    only: Option<i64>,
) -> AppResult<Option<(Span, Table)>> {
    let tables: Vec<Table> = setup::tables_tx(tx, &setup.event_id).await?;
    let mut plan = plan(tx, setup, tables, &[a, b], false).await?;
    let only = match only {
        Some(start) => match plan.slot_at(start) {
            Some(i) => Some(i),
            None => return Ok(None),
        },
        None => None,
    };
    let want = Want { a: 0, b: 1, seats: SEATS };
    let tables = model_tables(&plan);
    let Some((slot, table)) =
        model::place_one(&mut plan.board, &tables, plan.slots.len(), &want, only)
    else {
        return Ok(None);
    };
    let span = plan.slots[slot];
    let table = plan.tables[table].clone();
    write(tx, meeting, span, &table).await?;
    Ok(Some((span, table)))
}
