use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::interpreting::service::{self as interpreting, ItemRef};
use crate::domains::interpreting::service::{Assignment, MAX_ITEM_MS};
use crate::domains::venues;
use crate::domains::venues::booking::service::BookingRequest;
use crate::domains::venues::booking::service::Scope;
use crate::domains::venues::model::{BookingStatus, Span};
use crate::domains::visits::model::{ItemKind, ItemStatus, SeatRole, Side, VisitStatus};
use crate::domains::visits::records::{Item, Seat, Visit};
use crate::domains::visits::visit;
use crate::domains::visits::{member::service::*, visit::service::*};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::write::Write;
use serde_json::json;

#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub kind: String,
    pub title: Bilingual,
    pub span: Option<Span>,
    pub room_id: String,
    pub place: Bilingual,
    pub participants: String,
    pub notes: String,
    pub status: String,
    pub attendees: i64,
}

pub async fn item_in(state: &AppState, center_id: &str, id: &str) -> AppResult<Item> {
    store::item(&state.db, id).await?.filter(|i| i.center_id == center_id).ok_or(AppError::NotFound)
}

pub async fn items(state: &AppState, visit_id: &str) -> AppResult<Vec<Item>> {
    Ok(store::items(&state.db, visit_id).await?)
}

/// Adds an itinerary item. Its room is booked through the venues service in
/// the item's own unit of write (both or neither); a room conflict is the
/// venues 409 with alternatives. A room that needs approval leaves the item
/// tentative.
pub async fn add_item(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    input: ItemInput,
) -> AppResult<Item> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    if !visit.status.is_open() {
        return Err(AppError::Conflict {
            key: "visit-not-open",
            conflicts: json!({"current_status": visit.status.code()}),
        });
    }
    let mut errors = vec![];
    let kind = ItemKind::parse(&input.kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "item-kind-invalid"));
    }
    if input.title.zh.is_empty() && input.title.en.is_empty() {
        errors.push(FieldError::new("title_zh", "field-required"));
    }
    errors.extend(input.title.limit("title", 200));
    errors.extend(input.place.limit("place", 200));
    let mut status = match input.status.trim() {
        "" => ItemStatus::Tentative,
        s => ItemStatus::parse(s).unwrap_or_else(|| {
            errors.push(FieldError::new("status", "field-invalid-choice"));
            ItemStatus::Tentative
        }),
    };
    if status == ItemStatus::Cancelled {
        errors.push(FieldError::new("status", "field-invalid-choice"));
    }
    let span = match input.span {
        Some(s) if s.end <= s.start => {
            errors.push(FieldError::new("ends_at", "field-end-before-start"));
            s
        }
        Some(s) if s.end - s.start > MAX_ITEM_MS => {
            errors.push(FieldError::new("ends_at", "item-too-long"));
            s
        }
        Some(s) => s,
        None => {
            errors.push(FieldError::new("starts_at", "field-invalid-instant"));
            Span::new(0, 1)
        }
    };
    if input.participants.chars().count() > 2000 || input.notes.chars().count() > 2000 {
        errors.push(FieldError::new("notes", "field-too-long"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let kind = kind.unwrap_or(ItemKind::Meeting);
    let item_id = new_id();
    let mut booking_id = None;
    let room_id = input.room_id.trim().to_string();
    let now = state.clock.now();
    // The room is booked in the item's own unit of write: both or neither.
    let mut tx = Write::begin(state, who).await?;
    if !room_id.is_empty() {
        let room = venues::room::service::room_in(state, &center_id, &room_id)
            .await
            .map_err(|_| AppError::invalid("room_id", "room-unknown"))?;
        // The delegation and two hosts, unless told otherwise; a room too small
        // for them is refused by the venues rules (422 on `attendees`).
        let attendees = if input.attendees > 0 { input.attendees } else { visit.party_size + 2 };
        let request = BookingRequest {
            room_id: room.id.clone(),
            span,
            title: Bilingual::new(
                format!("{} · {}", visit.reference, input.title.zh),
                format!("{} · {}", visit.reference, input.title.en),
            ),
            attendees,
            recurrence: None,
            skip_conflicts: false,
            needs: vec![],
            purpose: "visit".into(),
            purpose_id: item_id.clone(),
        };
        let booked = venues::booking::service::book_in(state, &mut tx, user, request).await?;
        let created = match booked {
            Ok(created) => created,
            Err(refused) => {
                tx.rollback().await?;
                return Err(refused.answer(state).await);
            }
        };
        if created.status == BookingStatus::Requested {
            status = ItemStatus::Tentative;
        }
        booking_id = created.bookings.first().map(|b| b.id.clone());
    }
    let item = Item {
        id: item_id,
        center_id: center_id.clone(),
        visit_id: visit.id.clone(),
        kind,
        title: input.title,
        span,
        room_id: (!room_id.is_empty()).then_some(room_id),
        booking_id,
        place: input.place,
        participants: input.participants.trim().into(),
        notes: input.notes.trim().into(),
        status,
    };
    store::insert_item(&mut tx, &item, now).await?;
    tx.audit(Some(&center_id), "itinerary_item", &item.id, "create", json!({"visit": visit.reference, "kind": kind.code(), "title": item.title,
                            "room": item.room_id, "booking": item.booking_id, "status": status.code()}))
            .await?;
    tx.commit().await?;
    Ok(item)
}

/// Confirms or cancels an item. Cancelling frees its room and interpreters.
pub async fn set_item_status(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    item_id: &str,
    to: &str,
) -> AppResult<Item> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let item = item_in(state, &center_id, item_id).await?;
    let to =
        ItemStatus::parse(to).ok_or_else(|| AppError::invalid("status", "field-invalid-choice"))?;
    if item.status == ItemStatus::Cancelled {
        return Err(AppError::Conflict {
            key: "item-cancelled",
            conflicts: json!({"from": item.status.code(), "to": to.code()}),
        });
    }
    if to == ItemStatus::Cancelled
        && let Some(booking) = &item.booking_id
    {
        let b = venues::booking::service::booking_in(state, &center_id, booking).await?;
        if b.status.is_live() {
            venues::booking::service::transition(
                state,
                user,
                who,
                booking,
                BookingStatus::Cancelled,
                Scope::Occurrence,
                "",
            )
            .await?;
        }
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::set_item_status(&mut tx, &item.id, to, now).await?;
    if to == ItemStatus::Cancelled {
        interpreting::release_item(&mut tx, &item.id, now).await?;
    }
    tx.audit(
        Some(&center_id),
        "itinerary_item",
        &item.id,
        "status",
        json!({"from": item.status.code(), "to": to.code()}),
    )
    .await?;
    tx.commit().await?;
    item_in(state, &center_id, item_id).await
}

/// Moves a visit (see `visit::service::transition`). Cancelling or
/// declining it first cancels its items still to come, freeing their rooms
/// and interpreters: each item is released on its own, so a failure half
/// way leaves the visit as it was and a second try finishes the release.
pub async fn move_visit(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    to: &str,
    reason: &str,
) -> AppResult<Visit> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let target = visit::service::check_move(to, reason)?;
    let v = visit_in(state, &center_id, visit_id).await?;
    if matches!(target, VisitStatus::Cancelled | VisitStatus::Declined)
        && v.status.can_become(target)
    {
        release_future(state, who, user, visit_id).await?;
    }
    visit::service::transition(state, who, user, visit_id, to, reason).await
}

/// Cancels the items of a visit still to come (freeing their rooms and
/// interpreters). Returns how many were cancelled.
pub async fn release_future(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
) -> AppResult<usize> {
    let now = state.clock.now().millis();
    let mut n = 0;
    for item in items(state, visit_id).await? {
        if item.status != ItemStatus::Cancelled && item.span.end > now {
            set_item_status(state, who, user, &item.id, ItemStatus::Cancelled.code()).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Offers an item to an interpreter (see `interpreting::service::assign`).
pub async fn assign_interpreter(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    item_id: &str,
    interpreter_id: &str,
    language: &str,
) -> AppResult<Assignment> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let item = item_in(state, &center_id, item_id).await?;
    if item.status == ItemStatus::Cancelled {
        return Err(AppError::Conflict { key: "item-cancelled", conflicts: json!({}) });
    }
    let item_ref = ItemRef {
        id: &item.id,
        kind: "itinerary",
        center_id: &center_id,
        span: item.span,
        title: &item.title,
        link: format!("/visits/{}", item.visit_id),
    };
    interpreting::assign(state, who, user, &item_ref, interpreter_id, language).await
}

/// Assignments of the items of a visit.
pub async fn assignments(state: &AppState, items: &[Item]) -> AppResult<Vec<Assignment>> {
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    interpreting::for_items(state, &ids).await
}

/// (item id, visit id, visit reference, title) for a list of items.
pub async fn item_labels(
    state: &AppState,
    ids: &[String],
) -> AppResult<Vec<(String, String, String, Bilingual)>> {
    let mut out = vec![];
    for id in ids {
        if let Some(item) = store::item(&state.db, id).await?
            && let Some(visit) = visit::store::visit(&state.db, &item.visit_id).await?
        {
            out.push((item.id, visit.id, visit.reference, item.title));
        }
    }
    Ok(out)
}

pub async fn seats(state: &AppState, item_id: &str) -> AppResult<Vec<Seat>> {
    Ok(store::seats(&state.db, item_id).await?)
}

/// Replaces the seating plan of a meeting, talks, signing or banquet.
pub async fn save_seats(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    item_id: &str,
    seats: Vec<Seat>,
) -> AppResult<Vec<Seat>> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let item = item_in(state, &center_id, item_id).await?;
    if !item.kind.has_seating() {
        return Err(AppError::invalid("kind", "seating-not-for-kind"));
    }
    if seats.len() > 60 {
        return Err(AppError::invalid("seats", "seating-too-many"));
    }
    for s in &seats {
        if s.name_zh.is_empty() && s.name_other.is_empty() {
            return Err(AppError::invalid("seats", "field-required"));
        }
    }
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::replace_seats(&mut tx, &item.id, &seats, now).await?;
    tx.audit(
        Some(&center_id),
        "itinerary_item",
        &item.id,
        "seating",
        json!({"seats": seats.len()}),
    )
    .await?;
    tx.commit().await?;
    seats_of(state, &item.id).await
}

pub(in crate::domains::visits) async fn seats_of(
    state: &AppState,
    item_id: &str,
) -> AppResult<Vec<Seat>> {
    Ok(store::seats(&state.db, item_id).await?)
}

/// The seating plan a meeting starts from: the delegation (head first) on
/// the guest side, then the hosts named on the visit and the item's live
/// interpreters on the host side.
pub async fn default_seating(
    state: &AppState,
    center_id: &str,
    item_id: &str,
) -> AppResult<Vec<Seat>> {
    let item = item_in(state, center_id, item_id).await?;
    let visit = visit_in(state, center_id, &item.visit_id).await?;
    let mut members = members(state, &visit.id).await?;
    members.sort_by_key(|m| (!m.member.is_head, m.member.position));
    let seat = |side,
                position,
                role,
                name_zh: &str,
                name_other: &str,
                title_zh: &str,
                title_other: &str| Seat {
        side,
        position,
        role,
        name_zh: name_zh.to_string(),
        name_other: name_other.to_string(),
        title_zh: title_zh.to_string(),
        title_other: title_other.to_string(),
    };
    let mut seats: Vec<Seat> = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let title = &m.member.title;
            let other = m.member.passport_name();
            seat(
                Side::Guest,
                i as i64 + 1,
                SeatRole::Principal,
                &m.member.name_zh,
                &other,
                &title.zh,
                &title.en,
            )
        })
        .collect();
    let hosts = visit.hosts.split([',', '，', '、', ';']).map(str::trim).filter(|h| !h.is_empty());
    // "王立 Wang Li": the Chinese name, then the name in Latin letters.
    for (i, host) in hosts.enumerate() {
        let (zh, other) = host.split_once(' ').unwrap_or((host, ""));
        seats.push(seat(Side::Host, i as i64 + 1, SeatRole::Principal, zh, other.trim(), "", ""));
    }
    let live: Vec<_> = assignments(state, std::slice::from_ref(&item))
        .await?
        .into_iter()
        .filter(|a| a.status.is_live())
        .collect();
    let next = seats.iter().filter(|s| s.side == Side::Host).count() as i64;
    for (i, a) in live.iter().enumerate() {
        let (zh, other) = a.interpreter_name.split_once(' ').unwrap_or((&a.interpreter_name, ""));
        seats.push(seat(Side::Host, next + i as i64 + 1, SeatRole::Interpreter, zh, other, "", ""));
    }
    Ok(seats)
}
