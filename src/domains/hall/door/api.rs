//! The door API (admissions and walk-ins) and the figures.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::service::{self, Admission, AdmitInput, Figures};
use crate::auth::{CurrentUser, Perm};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::hall::reservation::service::Record;
use crate::error::{AppError, AppResult, at_most};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Query};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AdmissionBody {
    /// The ticket code as scanned or typed. Empty: a walk-in party.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub code: String,
    /// Heads that came (default: all booked). Required for a walk-in.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10000)]
    pub heads: Option<i64>,
    /// Staff confirm what needs a second look: more than booked, outside
    /// the arrival window.
    #[serde(default)]
    pub confirm: bool,
    /// A name for the device.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub device: String,
    /// When it happened on the device (RFC 3339), for admissions made offline.
    #[serde(default)]
    pub at: Option<String>,
    /// A walk-in's origin (local, other_province, hk_macao_taiwan, foreign).
    #[serde(default)]
    #[schema(max_length = 20)]
    pub origin: String,
    /// A walk-in's slot key (default: the slot running now).
    #[serde(default)]
    #[schema(max_length = 16)]
    pub slot: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AdmissionJson {
    /// ok, already, invalid, confirm (with `check`), or walk_in.
    pub result: String,
    /// For `confirm`: more_than_booked, early or late.
    pub check: String,
    pub reservation_id: String,
    pub reference: String,
    /// The holder or the group (organisation · leader).
    pub name: String,
    pub people: i64,
    pub admitted: i64,
    pub at: Option<String>,
    pub device: String,
    /// What the door shows under the name, in both languages.
    pub category_zh: String,
    pub category_en: String,
    /// For a walk-in: the slot and its places left.
    pub slot: String,
    pub free: i64,
}

pub fn holder_name(r: &Record) -> String {
    match (r.organisation.is_empty(), r.contact_name.is_empty()) {
        (false, false) => format!("{} · {}", r.organisation, r.contact_name),
        (false, true) => r.organisation.clone(),
        _ => r.contact_name.clone(),
    }
}

fn admission_json(result: &str, r: &Record, tz: &jiff::tz::TimeZone) -> AdmissionJson {
    let (zh, en) = match result {
        "ok" => (
            format!("入场 {} / 预约 {} 人", r.admitted, r.people),
            format!("{} of {} admitted", r.admitted, r.people),
        ),
        _ => (format!("预约 {} 人", r.people), format!("{} booked", r.people)),
    };
    AdmissionJson {
        result: result.into(),
        check: String::new(),
        reservation_id: r.id.clone(),
        reference: r.reference.clone(),
        name: holder_name(r),
        people: r.people,
        admitted: r.admitted,
        at: r.admitted_at.map(|a| Instant(a).rfc3339_in(tz)),
        device: r.admitted_device.clone(),
        category_zh: zh,
        category_en: en,
        slot: String::new(),
        free: 0,
    }
}

/// Admits a reservation at the door, or records a walk-in party (no
/// `code`). 200 `ok`; 409 `already` (with when and where), `invalid`
/// (cancelled), `confirm` (more than booked or outside the arrival window:
/// send again with `confirm`); 201 `walk_in`; 404 for an unknown code; 409
/// `hall-slot-full` when no places are left for the extra heads.
#[utoipa::path(post, path = "/api/v1/hall/admissions", tag = "hall", request_body = AdmissionBody,
    responses((status = 200, body = AdmissionJson), (status = 201, body = AdmissionJson), (status = 409, body = AdmissionJson),
        (status = 404), (status = 422)), security(("bearer" = [])))]
pub async fn admit(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(b): Json<AdmissionBody>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.require_center(Perm::ManageHall)?;
    at_most("code", &b.code, 64)?;
    at_most("device", &b.device, 64)?;
    at_most("origin", &b.origin, 20)?;
    at_most("slot", &b.slot, 16)?;
    let at = crate::validate::optional_instant("at", b.at.as_deref())?;
    let tz = centers::tz(&state, &center_id).await?;
    if b.code.trim().is_empty() {
        let heads = b.heads.ok_or_else(|| AppError::invalid("heads", "field-required"))?;
        let slot =
            match service::walk_in(&state, &ctx.who(), &user, heads, &b.origin, &b.slot).await {
                Ok(s) => s,
                Err(e) => return refused(e),
            };
        let body = AdmissionJson {
            result: "walk_in".into(),
            check: String::new(),
            reservation_id: String::new(),
            reference: String::new(),
            name: String::new(),
            people: heads,
            admitted: heads,
            at: Some(state.clock.now().rfc3339_in(&tz)),
            device: b.device.trim().into(),
            category_zh: format!("散客 {heads} 人"),
            category_en: format!("{heads} walk-in"),
            slot: slot.key,
            free: slot.free,
        };
        return Ok((StatusCode::CREATED, Json(body)).into_response());
    }
    let input =
        AdmitInput { code: &b.code, heads: b.heads, confirm: b.confirm, device: &b.device, at };
    let result = match service::admit(&state, &ctx.who(), &user, input).await {
        Ok(r) => r,
        Err(e) => return refused(e),
    };
    Ok(match result {
        Admission::Ok { reservation, .. } => {
            (StatusCode::OK, Json(admission_json("ok", &reservation, &tz))).into_response()
        }
        Admission::Already { reservation } => {
            crate::web::conflict(admission_json("already", &reservation, &tz))
        }
        Admission::NotValid { reservation } => {
            crate::web::conflict(admission_json("invalid", &reservation, &tz))
        }
        Admission::Confirm { reservation, check } => {
            let mut body = admission_json("confirm", &reservation, &tz);
            body.check = check.code().into();
            let (zh, en) = (
                Lang::Zh.t(&format!("hall-check-{}", check.code().replace('_', "-"))),
                Lang::En.t(&format!("hall-check-{}", check.code().replace('_', "-"))),
            );
            body.category_zh = format!("{} · {}", body.category_zh, zh);
            body.category_en = format!("{} · {}", body.category_en, en);
            crate::web::conflict(body)
        }
    })
}

/// A door's refusal (no slot running, no room for the heads) answered in
/// the door's own shape: `result` "refused", `check` the reason's code, the
/// message in both languages. Other errors stay problems.
fn refused(e: AppError) -> AppResult<Response> {
    let AppError::Conflict { key, conflicts } = e else { return Err(e) };
    let body = AdmissionJson {
        result: "refused".into(),
        check: key.into(),
        reservation_id: String::new(),
        reference: String::new(),
        name: String::new(),
        people: 0,
        admitted: 0,
        at: None,
        device: String::new(),
        category_zh: Lang::Zh.conflict(key, &conflicts),
        category_en: Lang::En.conflict(key, &conflicts),
        slot: String::new(),
        free: conflicts.get("free").and_then(serde_json::Value::as_i64).unwrap_or(0),
    };
    Ok(crate::web::conflict(body))
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// First day counted (`YYYY-MM-DD`; default: the first of all).
    #[serde(default)]
    pub from: String,
    /// Last day counted (default today).
    #[serde(default)]
    pub to: String,
    /// Figures "as of" this day: the last day counted (wins over `to` when earlier).
    #[serde(default)]
    pub as_of: String,
    /// Periods: day, month (default) or year.
    #[serde(default)]
    #[param(pattern = "^(|day|month|year)$")]
    pub by: String,
    /// For the accrediting office: which center (default: the first overseen).
    #[serde(default)]
    #[param(max_length = 64)]
    pub center: String,
}

/// The center whose figures a caller may read.
pub fn figures_center(user: &CurrentUser, asked: &str) -> AppResult<String> {
    match &user.center_id {
        Some(c) => Ok(c.clone()),
        None if asked.trim().is_empty() => user.scope.first().cloned().ok_or(AppError::NotFound),
        None => user.scope.iter().find(|c| *c == asked.trim()).cloned().ok_or(AppError::NotFound),
    }
}

/// Reads the figures' days: `[from, min(to, as_of)]`.
pub fn figure_days(
    q: &FiguresQuery,
    today: jiff::civil::Date,
) -> AppResult<(jiff::civil::Date, jiff::civil::Date, String)> {
    let from = crate::time::parse_day("from", &q.from, false)?
        .unwrap_or(jiff::civil::Date::new(1900, 1, 1).map_err(AppError::internal)?);
    let mut to = crate::time::parse_day("to", &q.to, false)?.unwrap_or(today);
    if let Some(a) = crate::time::parse_day("as_of", &q.as_of, false)? {
        to = to.min(a);
    }
    if to < from {
        return Err(AppError::invalid("to", "hall-range-backwards"));
    }
    let by = match q.by.trim() {
        "" | "month" => "month",
        "day" => "day",
        "year" => "year",
        _ => return Err(AppError::invalid("by", "field-invalid")),
    };
    Ok((from, to, by.to_string()))
}

/// 批 (groups: checked-in reservations) and 人次 (person-visits: admitted
/// heads), walk-ins beside them, by period and by visitor origin.
#[utoipa::path(get, path = "/api/v1/hall/figures", tag = "hall", params(FiguresQuery),
    responses((status = 200, body = Figures), (status = 422)), security(("bearer" = [])))]
pub async fn figures(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<FiguresQuery>,
) -> AppResult<Json<Figures>> {
    let user = ctx.require(Perm::ViewFigures)?;
    at_most("center", &q.center, 64)?;
    let center_id = figures_center(&user, &q.center)?;
    let tz = centers::tz(&state, &center_id).await?;
    let today: jiff::civil::Date = crate::domains::hall::calendar::service::today(&state, &tz)?;
    let (from, to, by) = figure_days(&q, today)?;
    Ok(Json(service::figures(&state, &center_id, from, to, &by).await?))
}
