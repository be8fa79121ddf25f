//! The reservations API: book without an account, read or change by the
//! holder's secret or by staff, cancel.

use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::service::{self, Record};
use crate::auth::{Perm, allows};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::hall::calendar::service as calendar;
use crate::domains::hall::model::{IdType, Kind, Origin, Request, Status};
use crate::error::{AppError, AppResult, at_most};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{ReqCtx, created};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReservationBody {
    /// The slot's key from `/api/v1/hall/slots` (`YYYY-MM-DDTHH:MM`, local).
    #[schema(max_length = 16)]
    pub slot: String,
    #[schema(schema_with = Kind::openapi)]
    pub kind: String,
    /// Heads, 1 up to the rules' largest party (individual) or group.
    #[schema(minimum = 1, maximum = 1000)]
    pub people: i64,
    /// A group's organisation (required for groups).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub organisation: String,
    /// The holder, or a group's leader.
    #[schema(max_length = 200)]
    pub contact_name: String,
    /// A phone number or an e-mail address (at least one).
    #[serde(default)]
    #[schema(max_length = 40)]
    pub phone: String,
    #[serde(default)]
    #[schema(max_length = 254)]
    pub email: String,
    /// A group's member names (optional).
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub members: Vec<String>,
    /// Would like a guided tour.
    #[serde(default)]
    pub tour: bool,
    /// The tour's language (BCP 47), if one is wished.
    #[serde(default)]
    #[schema(max_length = 35)]
    pub tour_lang: String,
    #[serde(default)]
    #[schema(schema_with = Origin::openapi_or_empty)]
    pub origin: String,
    /// Required when the center books by real name.
    #[serde(default)]
    #[schema(schema_with = IdType::openapi_or_empty)]
    pub id_type: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub id_number: String,
    /// Agreement to the privacy notice (required).
    pub consent: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReservationJson {
    pub id: String,
    pub reference: String,
    /// The slot's key (`YYYY-MM-DDTHH:MM`, local).
    pub slot: String,
    pub starts_at: String,
    pub kind: String,
    /// confirmed, admitted, no_show or cancelled.
    pub status: String,
    pub status_reason: String,
    pub people: i64,
    /// Heads admitted at the door.
    pub admitted: i64,
    pub organisation: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub members: Vec<String>,
    pub tour: bool,
    pub tour_lang: String,
    pub origin: String,
    pub id_type: String,
    /// The document number, masked.
    pub id_masked: String,
    /// The ticket code (XXXX-XXXX-XXXX) shown at the door.
    pub ticket_code: String,
    /// Changes and cancellation by the holder until then.
    pub change_until: String,
    pub admitted_at: Option<String>,
    pub retention_until: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MadeJson {
    pub reservation: ReservationJson,
    /// The holder's secret: pass as `secret` to read, change or cancel.
    pub secret: String,
    /// The holder's page with the ticket.
    pub page: String,
}

pub fn reservation_json(r: &Record, cancel_hours: i64, tz: &TimeZone) -> ReservationJson {
    let (d, t) = Instant(r.starts_at).local_parts(tz);
    ReservationJson {
        id: r.id.clone(),
        reference: r.reference.clone(),
        slot: format!("{d}T{t}"),
        starts_at: Instant(r.starts_at).rfc3339_in(tz),
        kind: r.kind.code().into(),
        status: r.status.code().into(),
        status_reason: r.status_reason.clone(),
        people: r.people,
        admitted: r.admitted,
        organisation: r.organisation.clone(),
        contact_name: r.contact_name.clone(),
        phone: r.phone.clone(),
        email: r.email.clone(),
        members: r.members.lines().map(str::to_string).collect(),
        tour: r.tour,
        tour_lang: r.tour_lang.clone(),
        origin: r.origin.clone(),
        id_type: r.id_type.clone(),
        id_masked: r.id_masked.clone(),
        ticket_code: crate::tickets::display(&r.ticket_code),
        change_until: Instant(r.starts_at - cancel_hours * crate::time::HOUR_MS).rfc3339_in(tz),
        admitted_at: r.admitted_at.map(|a| Instant(a).rfc3339_in(tz)),
        retention_until: r.retention_until.clone(),
    }
}

async fn json_of(state: &AppState, r: &Record) -> AppResult<ReservationJson> {
    let hall = calendar::require(state, &r.center_id).await?;
    let tz = centers::tz(state, &r.center_id).await?;
    Ok(reservation_json(r, hall.rules.cancel_hours, &tz))
}

/// Reserves places in a slot, without an account. 201 with the holder's
/// secret; 422 naming each field wrong (a party above the rules' cap, an ID
/// number whose check digit fails); 409 when the slot or the day's group
/// places are full, the holder is cooling off after no-shows (with the day
/// they may book again), or has reached the day's allowance.
#[utoipa::path(post, path = "/api/v1/hall/reservations", tag = "hall", request_body = ReservationBody,
    responses((status = 201, body = MadeJson), (status = 409), (status = 422), (status = 429)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<ReservationBody>,
) -> AppResult<Response> {
    let user = ctx.actor.user().cloned();
    let center_id = calendar::center_for(&state, user.as_ref()).await?;
    if b.members.len() > crate::domains::hall::model::MAX_MEMBERS {
        return Err(AppError::invalid("members", "field-too-long"));
    }
    let req = Request {
        slot: b.slot,
        kind: b.kind,
        people: b.people,
        organisation: b.organisation,
        contact_name: b.contact_name,
        phone: b.phone,
        email: b.email,
        members: b.members,
        tour: b.tour,
        tour_lang: b.tour_lang,
        origin: b.origin,
        id_type: b.id_type,
        id_number: b.id_number,
        consent: b.consent,
    };
    let made =
        service::reserve(&state, &ctx.who(), user.as_ref(), &center_id, req, ctx.lang).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let body = MadeJson {
        reservation: reservation_json(&made.reservation, made.cancel_hours, &tz),
        page: format!("/hall/r/{}", made.secret),
        secret: made.secret,
    };
    Ok(created(format!("/api/v1/hall/reservations/{}", made.reservation.id), body))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// One day (`YYYY-MM-DD`; default today).
    #[serde(default)]
    pub day: String,
}

/// A day's reservations (staff), a page at a time: what a door device
/// takes offline.
#[utoipa::path(get, path = "/api/v1/hall/reservations", tag = "hall", params(ListQuery, PageQuery),
    responses((status = 200, body = List<ReservationJson>), (status = 422)), security(("bearer" = [])))]
pub async fn index(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<ListQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<ReservationJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageHall)?;
    let (limit, (k, after)) = (page.size()?, page.after()?);
    let hall = calendar::require(&state, &center_id).await?;
    let tz = centers::tz(&state, &center_id).await?;
    let today: jiff::civil::Date = crate::domains::hall::calendar::service::today(&state, &tz)?;
    let day = crate::time::parse_day("day", &q.day, false)?.unwrap_or(today);
    let (from, to) = calendar::day_bounds(day, &tz)
        .ok_or_else(|| AppError::invalid("day", "field-invalid-date"))?;
    let rows = service::page(&state, &center_id, from, to, (k, &after), limit + 1).await?;
    let limit = usize::try_from(limit).unwrap_or(0);
    Ok(Json(List::page(
        rows,
        limit,
        |r| key_cursor(r.starts_at, &r.id),
        |r| reservation_json(&r, hall.rules.cancel_hours, &tz),
    )))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SecretQuery {
    /// The holder's secret (not needed by staff).
    #[serde(default)]
    pub secret: String,
}

/// The reservation its holder (by secret) or staff of its center may see.
async fn visible(
    state: &AppState,
    ctx: &ReqCtx,
    id: &str,
    secret: &str,
) -> AppResult<(Record, bool)> {
    if let Some(u) = ctx.actor.user().filter(|u| allows(Some(u.role), Perm::ManageHall))
        && let Ok(r) = service::for_staff(state, u, id).await
    {
        return Ok((r, true));
    }
    if secret.trim().is_empty() {
        return Err(if ctx.actor.user().is_some() {
            AppError::NotFound
        } else {
            AppError::Unauthorized
        });
    }
    let r = service::by_secret(state, secret).await?;
    if r.id != id {
        return Err(AppError::NotFound);
    }
    Ok((r, false))
}

/// One reservation, for its holder (`secret`) or staff.
#[utoipa::path(get, path = "/api/v1/hall/reservations/{id}", tag = "hall",
    params(("id" = String, Path), SecretQuery),
    responses((status = 200, body = ReservationJson), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Query(q): Query<SecretQuery>,
) -> AppResult<Json<ReservationJson>> {
    let (r, _) = visible(&state, &ctx, &id, &q.secret).await?;
    Ok(Json(json_of(&state, &r).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ChangeBody {
    /// The holder's secret (not needed by staff).
    #[serde(default)]
    #[schema(max_length = 128)]
    pub secret: String,
    /// A lower head count (the holder, before the cut-off).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 1000)]
    pub people: Option<i64>,
    /// Another slot (staff only): the holder is told in their language.
    #[serde(default)]
    #[schema(max_length = 16)]
    pub slot: String,
    /// Why (told to the holder with a move).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: String,
}

/// Changes a reservation: the holder lowers the head count before the
/// cut-off; staff may also move it to another slot.
#[utoipa::path(patch, path = "/api/v1/hall/reservations/{id}", tag = "hall",
    params(("id" = String, Path)), request_body = ChangeBody,
    responses((status = 200, body = ReservationJson), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn change(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<ChangeBody>,
) -> AppResult<Json<ReservationJson>> {
    at_most("secret", &b.secret, 128)?;
    at_most("slot", &b.slot, 16)?;
    at_most("reason", &b.reason, 500)?;
    let (mut r, staff) = visible(&state, &ctx, &id, &b.secret).await?;
    if !b.slot.trim().is_empty() {
        let user = ctx.actor.user().filter(|_| staff).ok_or(AppError::Forbidden)?;
        r = service::move_to(&state, &ctx.who(), user, &r.id, &b.slot, &b.reason).await?;
    }
    if let Some(people) = b.people {
        r = service::change_people(&state, &ctx.who(), &r, people, staff).await?;
    }
    Ok(Json(json_of(&state, &r).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CancelBody {
    #[serde(default)]
    #[schema(max_length = 128)]
    pub secret: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: String,
}

/// Cancels a reservation: its holder before the cut-off, staff any time
/// before it is used (the holder is told, with the reason).
#[utoipa::path(post, path = "/api/v1/hall/reservations/{id}/cancel", tag = "hall",
    params(("id" = String, Path)), request_body = CancelBody,
    responses((status = 200, body = ReservationJson), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub async fn cancel(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
    Json(b): Json<CancelBody>,
) -> AppResult<Json<ReservationJson>> {
    at_most("secret", &b.secret, 128)?;
    at_most("reason", &b.reason, 500)?;
    let (r, staff) = visible(&state, &ctx, &id, &b.secret).await?;
    if r.status != Status::Confirmed {
        return Err(AppError::Conflict {
            key: "hall-not-live",
            conflicts: serde_json::json!({"status": r.status.code()}),
        });
    }
    let r = service::cancel(&state, &ctx.who(), &r, staff, &b.reason).await?;
    Ok(Json(json_of(&state, &r).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WatchBody {
    /// The slot's key (`YYYY-MM-DDTHH:MM`, local).
    #[schema(max_length = 16)]
    pub slot: String,
    #[schema(max_length = 254)]
    pub email: String,
    /// The party that would come.
    #[schema(minimum = 1, maximum = 1000)]
    pub people: i64,
    /// Agreement to be e-mailed about this slot (required).
    pub consent: bool,
}

/// Asks to be e-mailed (once, in the request's language) when places free
/// up in a slot for the party given. Places are not held: a waiting line
/// that held them would need each family to confirm within minutes for an
/// hour's visit; the first to book the freed places has them.
#[utoipa::path(post, path = "/api/v1/hall/watches", tag = "hall", request_body = WatchBody,
    responses((status = 204), (status = 422), (status = 429)))]
pub async fn watch(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<WatchBody>,
) -> AppResult<axum::http::StatusCode> {
    if !b.consent {
        return Err(AppError::invalid("consent", "hall-consent-required"));
    }
    let user = ctx.actor.user().cloned();
    let center_id = calendar::center_for(&state, user.as_ref()).await?;
    super::watch::watch(
        &state,
        &ctx.who(),
        user.as_ref(),
        &center_id,
        super::watch::Ask { slot: &b.slot, email: &b.email, people: b.people, lang: ctx.lang },
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
