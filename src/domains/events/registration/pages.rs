use super::service;
use crate::auth::Perm;
use crate::domains::events::event;
use crate::domains::events::event::pages::*;
use crate::domains::events::model::{Question, RegStatus};
use crate::domains::events::registration::service::ParticipantInput;
use crate::domains::events::registration::service::RegistrationInput;
use crate::domains::events::views::{RegFields, TicketPage, TicketView};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// What was given for a question: the boxes ticked, or the choice made; a
/// language is picked by name, or typed as a code when it has none.
fn answer_values(f: &Pairs, q: &Question) -> Vec<String> {
    let name = format!("answer_{}", q.id);
    let mut values = f.all(&name);
    if q.kind == "language" && values.is_empty() {
        values = f.all(&format!("{name}_other"));
    }
    values
}

pub(in crate::domains::events) fn reg_fields(f: &Pairs, form: &[Question]) -> RegFields {
    RegFields {
        names: f.raw("name"),
        emails: f.raw("email"),
        categories: f.raw("category"),
        countries: f.raw("country"),
        answers: form.iter().map(|q| (q.id.clone(), answer_values(f, q))).collect(),
        consent: !f.get("consent").is_empty(),
    }
}

/// Registers from the event page; then the holder's page with the tickets.
pub async fn register(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = Pairs(pairs);
    let invitation = f.get("invitation");
    let user = ctx.0.actor.user().cloned();
    let event = event::service::visible(&state, user.as_ref(), &id, &invitation).await?;
    let fields = reg_fields(&f, &event.form);
    let participants: Vec<ParticipantInput> = (0..fields.names.len())
        .map(|i| ParticipantInput {
            name: fields.value(&fields.names, &i),
            email: fields.value(&fields.emails, &i),
            category: fields.value(&fields.categories, &i),
            country: fields.value(&fields.countries, &i),
        })
        .enumerate()
        .filter(|(i, p)| {
            *i == 0 || !p.name.is_empty() || !p.email.is_empty() || f.get("keep_unnamed") == "1"
        })
        .map(|(_, p)| p)
        .collect();
    let mut answers = serde_json::Map::new();
    for q in &event.form {
        let values = answer_values(&f, q);
        let v = if q.kind == "multiple" {
            serde_json::Value::Array(values.into_iter().map(serde_json::Value::String).collect())
        } else {
            values
                .into_iter()
                .next()
                .map(serde_json::Value::String)
                .unwrap_or(serde_json::Value::Null)
        };
        answers.insert(q.id.clone(), v);
    }
    let input = RegistrationInput {
        participants,
        answers,
        consent: fields.consent,
        invitation: invitation.clone(),
        lang: ctx.lang(),
    };
    let rows = fields.names.len().max(1);
    match service::register(&state, &ctx.0.who(), user.as_ref(), &id, input).await {
        Ok(r) => Ok(Redirect::to(&format!("/tickets/{}?notice=registered", r.registration.link))
            .into_response()),
        Err(e) => {
            let (status, errors, alert) = crate::web::form::refusal(e, ctx.lang())?;
            let shown = Shown { f: fields, errors, alert, rows };
            let page = event_page(&state, ctx, &id, &invitation, shown).await?;
            crate::web::form::again(status, &page)
        }
    }
}

/// The holder's page: status, tickets with QR codes, cancel.
pub async fn ticket(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let registration = service::registration_by_token(&state, &token).await?;
    let event = event::service::get(&state, &registration.registration.event_id).await?;
    let cats = event::service::categories(&state, &event.id).await?;
    let confirmed = registration.registration.status == RegStatus::Confirmed;
    let tickets = registration
        .participants
        .iter()
        .filter(|_| confirmed)
        .filter_map(|p| {
            p.ticket_code.as_ref().map(|code| TicketView {
                category: cats
                    .iter()
                    .find(|c| c.id == p.category_id)
                    .map(|c| ctx.pick(&c.name.zh, &c.name.en).to_string())
                    .unwrap_or_default(),
                code_display: crate::tickets::display(code),
                svg: crate::qr::svg(code, 220),
                participant: p.clone(),
            })
        })
        .collect();
    let notice = match q.notice.as_str() {
        "registered" => "ticket-notice-registered",
        "cancelled" => "ticket-notice-cancelled",
        "named" => "ticket-notice-named",
        _ => "",
    }
    .to_string();
    // Where to go: the rooms of the event's sessions, and the center's address.
    let rooms = crate::domains::venues::room::service::rooms(&state, &event.center_id).await?;
    let mut venue: Vec<String> = vec![];
    for s in event::service::sessions(&state, &event.id).await? {
        if let Some(r) = s.room_id.as_ref().and_then(|id| rooms.iter().find(|r| &r.id == id)) {
            let name = ctx.pick(&r.name.zh, &r.name.en);
            let location = ctx.pick(&r.location.zh, &r.location.en);
            let line = if location.is_empty() {
                name.to_string()
            } else {
                format!("{name} · {location}")
            };
            if !venue.contains(&line) {
                venue.push(line);
            }
        }
    }
    let center = crate::domains::centers::service::get(&state, &event.center_id).await?;
    let matchmaking =
        crate::domains::matchmaking::setup::service::setup(&state, &event.id).await?.is_some();
    let page = TicketPage {
        matchmaking,
        venue,
        center_name: ctx.pick(&center.name.zh, &center.name.en).to_string(),
        address: ctx.pick(&center.address.zh, &center.address.en).to_string(),
        when: when(&state, &event).await?,
        event,
        registration,
        tickets,
        token,
        notice,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

/// A ticket's QR code as SVG or PNG (`{code}.svg`, `{code}.png`), for its holder.
pub async fn ticket_qr(
    State(state): State<AppState>,
    Path((token, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let registration = service::registration_by_token(&state, &token).await?;
    let (code, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let code = crate::tickets::normalize(code);
    let held = registration.registration.status == RegStatus::Confirmed
        && registration
            .participants
            .iter()
            .any(|p| p.ticket_code.as_deref() == Some(code.as_str()));
    if !held {
        return Err(AppError::NotFound);
    }
    let (body, content_type) = match ext {
        "svg" => (crate::qr::svg(&code, 600).into_bytes(), "image/svg+xml"),
        "png" => (crate::qr::png(&code, 12).ok_or(AppError::NotFound)?, "image/png"),
        _ => return Err(AppError::NotFound),
    };
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"ticket-{code}.{ext}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}

pub async fn ticket_cancel(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let r = service::registration_by_token(&state, &token).await?;
    service::decide(&state, &ctx.0.who(), &r.registration.id, RegStatus::Cancelled, "").await?;
    Ok(Redirect::to(&format!("/tickets/{token}?notice=cancelled")).into_response())
}

pub async fn registration_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, action)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let r = service::registration_for(&state, Some(&user), &id, "").await?;
    let to = match action.as_str() {
        "approve" => RegStatus::Confirmed,
        "reject" => RegStatus::Rejected,
        "cancel" => RegStatus::Cancelled,
        _ => return Err(AppError::NotFound),
    };
    let event_id = r.registration.event_id.clone();
    let result = service::decide(&state, &ctx.0.who(), &id, to, &Pairs(pairs).get("reason"))
        .await
        .map(|_| ());
    after_manage(&state, ctx, &event_id, result).await
}

/// `participants.csv` or `participants.xlsx` (staff; each export audited).
pub async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let format = match file.as_str() {
        "participants.csv" => "csv",
        "participants.xlsx" => "xlsx",
        _ => return Err(AppError::NotFound),
    };
    let (event, table) =
        service::export(&state, &ctx.0.who(), &user, &id, format, ctx.lang()).await?;
    let (body, content_type) = match format {
        "csv" => {
            (crate::domains::events::export::csv(&table).into_bytes(), "text/csv; charset=utf-8")
        }
        _ => (
            crate::domains::events::export::xlsx(&table, "Participants")
                .map_err(AppError::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-participants.{format}\"",
        event.reference
    )) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}

#[derive(Deserialize, Default)]
pub struct BadgeQuery {
    #[serde(default)]
    pub size: String,
}

/// Printable bilingual name badges with the QR code, on common sizes.
pub async fn badges(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<BadgeQuery>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageEvents)?;
    let event = event::service::get(&state, &id).await?;
    let cats = event::service::categories(&state, &event.id).await?;
    let size = match q.size.as_str() {
        "a6" | "a7" | "cr80" => q.size.clone(),
        _ => "badge".to_string(),
    };
    let mut list = vec![];
    for r in service::registrations(&state, &user, &event.id).await? {
        if r.registration.status != RegStatus::Confirmed {
            continue;
        }
        for p in r.participants {
            let Some(code) = &p.ticket_code else { continue };
            let cat = cats
                .iter()
                .find(|c| c.id == p.category_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            list.push(crate::domains::events::views::Badge {
                svg: crate::qr::svg(code, 160),
                category: cat,
                participant: p.clone(),
            });
        }
    }
    Ok(render(&crate::domains::events::views::BadgesPage { ctx, event, badges: list, size })?
        .into_response())
}

/// The holder names the others of the group (or corrects names).
pub async fn ticket_names(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = Pairs(pairs);
    let (ids, names, emails) = (f.raw("participant"), f.raw("name"), f.raw("email"));
    let list = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                id.clone(),
                names.get(i).cloned().unwrap_or_default(),
                emails.get(i).cloned().unwrap_or_default(),
            )
        })
        .collect();
    service::name_participants(&state, &ctx.0.who(), &token, list).await?;
    Ok(Redirect::to(&format!("/tickets/{token}?notice=named")).into_response())
}
