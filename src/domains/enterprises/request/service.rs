//! Requests: who may read and change them, the moves of their flow with the
//! SLA clock, messages and the officer's queue. Enterprises
//! (`Perm::FileRequests`) file and follow their own; officers
//! (`Perm::HandleRequests`) see all of the center's. Every move is one
//! guarded UPDATE (status and version as read), audited, told to the other
//! side in their language and sent to webhooks in the same transaction.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde_json::json;

use super::store::{self, Moved, NewRequest, NewStep};
pub use super::store::{Filter, Message, Request, Step};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::db::{new_id, next_reference};
use crate::domains::centers::service as centers;
use crate::domains::enterprises::catalogue::service as catalogue;
use crate::domains::enterprises::company::service as companies;
use crate::domains::enterprises::model::flow::{Move, Side, Status};
use crate::domains::enterprises::model::form::{DocSpec, FormSpec};
use crate::domains::enterprises::model::item::ItemInput;
use crate::domains::enterprises::model::{MAX_NAME, MAX_TEXT};
use crate::domains::enterprises::whitelist::service as whitelist;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::{Bilingual, Lang};
use crate::notify::Message as Notice;
use crate::state::AppState;
use crate::webhooks::EventType;
use crate::write::Write;

/// A request as filed or edited.
#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    pub service_type_id: String,
    /// Staff filing for an enterprise name it; an enterprise user files for their own.
    pub enterprise_id: String,
    pub title: String,
    pub answers: BTreeMap<String, String>,
    pub items: Vec<ItemInput>,
    pub lang: Lang,
}

/// A move with what it records.
#[derive(Debug, Clone)]
pub struct MoveInput {
    pub mv: Move,
    /// The version the move was decided on.
    pub version: i64,
    pub note: String,
    pub authority_ref: String,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    /// Checklist keys asked for (a supplement).
    pub asked: Vec<String>,
}

/// Which side `user` is on for a request of `enterprise_id` (none: may not see it).
pub async fn side_of(
    state: &AppState,
    user: &CurrentUser,
    enterprise_id: &str,
) -> AppResult<Option<Side>> {
    if allows(Some(user.role), Perm::HandleRequests) {
        return Ok(Some(Side::Center));
    }
    if allows(Some(user.role), Perm::FileRequests)
        && companies::of_user(state, user).await?.as_deref() == Some(enterprise_id)
    {
        return Ok(Some(Side::Enterprise));
    }
    Ok(None)
}

/// A request `user` may see, and their side (another's is "not found").
pub async fn readable(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<(Request, Side)> {
    let r = store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)?;
    let side = side_of(state, user, &r.enterprise_id).await?.ok_or(AppError::NotFound)?;
    Ok((r, side))
}

pub async fn items(state: &AppState, id: &str) -> AppResult<Vec<ItemInput>> {
    Ok(store::items(&state.db, id).await?)
}

pub async fn steps(state: &AppState, id: &str) -> AppResult<Vec<Step>> {
    Ok(store::steps(&state.db, id).await?)
}

pub async fn messages(state: &AppState, id: &str, limit: i64) -> AppResult<Vec<Message>> {
    Ok(store::messages(&state.db, id, limit).await?)
}

pub async fn officers(state: &AppState, center_id: &str) -> AppResult<Vec<(String, String)>> {
    Ok(store::officers(&state.db, center_id).await?)
}

/// The form a request was filed under.
pub async fn form_of(state: &AppState, r: &Request) -> AppResult<FormSpec> {
    catalogue::form(state, &r.service_type_id, r.form_version).await
}

/// A page of the queue. Enterprise users only ever see their own.
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    mut f: Filter,
    after: (&str, &str),
    limit: i64,
) -> AppResult<Vec<Request>> {
    if !allows(Some(user.role), Perm::HandleRequests) {
        if !allows(Some(user.role), Perm::FileRequests) {
            return Err(AppError::Forbidden);
        }
        match companies::of_user(state, user).await? {
            Some(e) => f.enterprise_id = e,
            None => return Ok(vec![]),
        }
    }
    if f.officer_id == "me" {
        f.officer_id = user.id.clone();
    }
    Ok(store::page(&state.db, center_id, &f, after, limit).await?)
}

/// Open requests per officer: (officer id, open, overdue).
pub async fn load(state: &AppState, center_id: &str) -> AppResult<Vec<(Option<String>, i64, i64)>> {
    let today = today(state, center_id).await?;
    Ok(store::load(&state.db, center_id, &today.to_string()).await?)
}

pub async fn today(state: &AppState, center_id: &str) -> AppResult<Date> {
    let tz = centers::tz(state, center_id).await?;
    day_of(state.clock.now().millis(), &tz)
}

fn day_of(ms: i64, tz: &jiff::tz::TimeZone) -> AppResult<Date> {
    crate::time::zoned(ms, tz)
        .map(|z| z.date())
        .ok_or_else(|| AppError::internal("time out of range"))
}

/// Checks answers and items against the form. A draft may leave required
/// answers and items for later; a submission may not.
fn check_against(
    spec: &FormSpec,
    cats: &[catalogue::Category],
    input: &RequestInput,
    complete: bool,
) -> Result<BTreeMap<String, String>, Vec<FieldError>> {
    let mut e = vec![];
    if input.title.trim().is_empty() {
        e.push(FieldError::new("title", "field-required"));
    }
    let answers = match spec.answers(&input.answers) {
        Ok(a) => a,
        Err(errs) => {
            let kept: Vec<FieldError> =
                errs.into_iter().filter(|x| complete || x.key != "field-required").collect();
            if kept.is_empty() {
                input
                    .answers
                    .iter()
                    .filter(|(_, v)| !v.trim().is_empty())
                    .map(|(k, v)| (k.clone(), v.trim().to_string()))
                    .collect()
            } else {
                e.extend(kept);
                BTreeMap::new()
            }
        }
    };
    for (i, it) in input.items.iter().enumerate() {
        if let Some(err) = catalogue::category_error(cats, &it.category, i) {
            e.push(err);
        }
    }
    if !spec.items && !input.items.is_empty() {
        e.push(FieldError::new("items", "request-items-not-used"));
    }
    if complete && spec.items && input.items.is_empty() {
        e.push(FieldError::new("items", "request-items-needed"));
    }
    if e.is_empty() { Ok(answers) } else { Err(e) }
}

/// Files a draft.
pub async fn create(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    input: RequestInput,
) -> AppResult<Request> {
    let enterprise_id = if allows(Some(user.role), Perm::HandleRequests) {
        companies::find(state, center_id, &input.enterprise_id)
            .await?
            .ok_or_else(|| AppError::invalid("enterprise_id", "field-invalid-choice"))?
            .id
    } else if allows(Some(user.role), Perm::FileRequests) {
        companies::of_user(state, user)
            .await?
            .ok_or(AppError::Conflict { key: "enterprise-not-linked", conflicts: json!({}) })?
    } else {
        return Err(AppError::Forbidden);
    };
    let t = catalogue::get(state, center_id, &input.service_type_id)
        .await
        .map_err(|_| AppError::invalid("service_type_id", "field-invalid-choice"))?;
    if !t.active {
        return Err(AppError::invalid("service_type_id", "field-invalid-choice"));
    }
    let spec = catalogue::form(state, &t.id, t.form_version).await?;
    let cats = catalogue::categories(state, center_id).await?;
    let answers = check_against(&spec, &cats, &input, false).map_err(AppError::Invalid)?;
    let tz = centers::tz(state, center_id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let year = crate::time::year_of(now, &tz).unwrap_or(2026);
    let reference = next_reference(&mut w, center_id, "ES", year).await?;
    let id = new_id();
    let new = NewRequest {
        id: &id,
        center_id,
        reference: &reference,
        enterprise_id: &enterprise_id,
        service_type_id: &t.id,
        form_version: t.form_version,
        flow: t.flow,
        title: input.title.trim(),
        answers: &answers,
        lang: input.lang.tag(),
        created_by: &user.id,
    };
    store::insert(&mut w, &new, now).await?;
    store::set_items(&mut w, &id, &input.items).await?;
    w.audit(
        Some(center_id),
        "service_request",
        &id,
        "create",
        json!({"reference": reference, "service": t.code}),
    )
    .await?;
    w.commit().await?;
    store::get(&state.db, center_id, &id).await?.ok_or(AppError::NotFound)
}

/// Saves answers and items of a draft, or of a request owing a supplement,
/// edited on `version`.
pub async fn update(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    version: i64,
    input: RequestInput,
) -> AppResult<Request> {
    let (r, _) = readable(state, user, center_id, id).await?;
    if !r.status.editable() {
        return Err(AppError::Conflict {
            key: "request-not-editable",
            conflicts: json!({"current_status": r.status.code()}),
        });
    }
    let spec = form_of(state, &r).await?;
    let cats = catalogue::categories(state, center_id).await?;
    let answers = check_against(&spec, &cats, &input, false).map_err(AppError::Invalid)?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    if !store::update(&mut w, id, version, r.status, input.title.trim(), &answers, now).await? {
        return Err(AppError::Conflict {
            key: "request-saved-meanwhile",
            conflicts: json!({"version": r.version}),
        });
    }
    store::set_items(&mut w, id, &input.items).await?;
    w.audit(Some(center_id), "service_request", id, "update", json!({"items": input.items.len()}))
        .await?;
    w.commit().await?;
    store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

/// The mandatory documents of the checklist not yet handed in.
pub async fn missing_documents(
    state: &AppState,
    r: &Request,
    spec: &FormSpec,
) -> AppResult<Vec<DocSpec>> {
    let have = store::doc_keys(&state.db, &r.id).await?;
    Ok(spec.missing(&have).into_iter().cloned().collect())
}

fn status_words(s: Status) -> Bilingual {
    Bilingual::new(Lang::Zh.t(&s.label_key()), Lang::En.t(&s.label_key()))
}

fn check_move_input(m: &MoveInput, spec: &FormSpec) -> Result<(), AppError> {
    let mut e = vec![];
    crate::validate::text(&mut e, "note", &m.note, MAX_TEXT);
    crate::validate::text(&mut e, "authority_ref", &m.authority_ref, 100);
    if m.mv.needs_reason() && m.note.trim().is_empty() {
        e.push(FieldError::new("note", "request-reason-needed"));
    }
    if let (Some(a), Some(b)) = (m.valid_from, m.valid_until)
        && b < a
    {
        e.push(FieldError::new("valid_until", "request-validity-order"));
    }
    if m.asked.len() > 20 {
        e.push(FieldError::new("asked", "field-too-many").with("max", 20));
    }
    for k in &m.asked {
        if !spec.documents.iter().any(|d| &d.key == k) {
            e.push(FieldError::new("asked", "field-invalid-choice"));
            break;
        }
    }
    if e.is_empty() { Ok(()) } else { Err(AppError::Invalid(e)) }
}

/// Takes a move: 409 with the moves this user may take when it cannot be
/// taken from the request's status; a submission needs every required
/// answer, the items and the mandatory documents (422 listing what is missing).
pub async fn take_move(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    m: MoveInput,
) -> AppResult<Request> {
    let (r, side) = readable(state, user, center_id, id).await?;
    if m.mv.side() != side {
        return Err(AppError::Forbidden);
    }
    // An authority's reference and validity are the officer's to record.
    let m = if side == Side::Enterprise {
        MoveInput {
            authority_ref: String::new(),
            valid_from: None,
            valid_until: None,
            asked: vec![],
            ..m
        }
    } else {
        m
    };
    if m.version != r.version {
        return Err(AppError::Conflict {
            key: "request-saved-meanwhile",
            conflicts: json!({"version": r.version}),
        });
    }
    let spec = form_of(state, &r).await?;
    check_move_input(&m, &spec)?;
    let Some(to) = m.mv.to(r.flow, r.status) else {
        let allowed: Vec<&str> = r
            .status
            .moves(r.flow)
            .into_iter()
            .filter(|x| x.side() == side)
            .map(|x| x.code())
            .collect();
        return Err(AppError::Conflict {
            key: "request-move-not-allowed",
            conflicts: json!({"current_status": r.status.code(), "allowed_moves": allowed}),
        });
    };
    if matches!(m.mv, Move::Submit | Move::Resupply) {
        let input = RequestInput {
            title: r.title.clone(),
            answers: r.answers.clone(),
            items: store::items(&state.db, id).await?,
            ..Default::default()
        };
        let cats = catalogue::categories(state, center_id).await?;
        let mut errors = check_against(&spec, &cats, &input, true).err().unwrap_or_default();
        for d in missing_documents(state, &r, &spec).await? {
            errors.push(
                FieldError::new(format!("documents.{}", d.key), "request-document-missing")
                    .with_words("document", d.label_zh.clone(), d.label_en.clone()),
            );
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
    }
    let cal = catalogue::calendar(state, center_id).await?;
    let tz = centers::tz(state, center_id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let today = day_of(now, &tz)?;
    let entered = store::entered_at(&mut w, id).await?.unwrap_or(r.created_at);
    let days = cal.elapsed(day_of(entered, &tz)?, today);
    let clock = r.clock.after(&cal, today, r.status, to, |s| spec.sla(s));
    let officer = match (&r.officer_id, m.mv) {
        (None, Move::StartReview | Move::Answer | Move::AskSupplement) => Some(user.id.as_str()),
        (o, _) => o.as_deref(),
    };
    let moved = Moved {
        from: r.status,
        to,
        version: m.version,
        clock,
        due_day: clock.due(&cal).map(|d| d.to_string()),
        submitted_at: if m.mv == Move::Submit { Some(now) } else { r.submitted_at },
        closed_at: if matches!(to, Status::Closed | Status::Withdrawn) {
            Some(now)
        } else {
            r.closed_at
        },
        officer_id: officer,
    };
    if !store::apply_move(&mut w, id, &moved, now).await? {
        return Err(AppError::Conflict {
            key: "request-saved-meanwhile",
            conflicts: json!({"version": r.version}),
        });
    }
    let step = Step {
        seq: 0,
        mv: m.mv,
        from: r.status,
        to,
        at: now,
        by_user: Some(user.id.clone()),
        by_name: None,
        note: m.note.trim().to_string(),
        authority_ref: m.authority_ref.trim().to_string(),
        valid_from: m.valid_from.map(|d| d.to_string()),
        valid_until: m.valid_until.map(|d| d.to_string()),
        days,
        sla_days: r.clock.sla_days,
        asked: m.asked.clone(),
    };
    let new_step =
        NewStep { request_id: id, center_id, service_type_id: &r.service_type_id, step: &step };
    store::add_step(&mut w, &new_step).await?;
    w.audit(
        Some(center_id),
        "service_request",
        id,
        m.mv.code(),
        json!({"from": r.status.code(), "to": to.code(), "authority_ref": step.authority_ref, "note": step.note}),
    )
    .await?;
    if m.mv == Move::Approve
        && catalogue::get(state, center_id, &r.service_type_id).await?.whitelist
    {
        let items = store::items_in(&mut w, id).await?;
        let from = m.valid_from.unwrap_or(today);
        let until = m.valid_until.unwrap_or_else(|| whitelist::default_until(from));
        whitelist::grant_in(&mut w, center_id, &r.enterprise_id, id, &items, from, until).await?;
    }
    tell_other_side(
        &mut w,
        &r,
        side,
        "notify-request-moved",
        vec![("status".into(), status_words(to))],
        &step.note,
    )
    .await?;
    let data = json!({
        "request_id": id, "reference": r.reference, "move": m.mv.code(), "from": r.status.code(), "to": to.code(),
        "authority_ref": step.authority_ref, "valid_until": step.valid_until,
    });
    w.hook(center_id, Some(&r.enterprise_id), EventType::RequestStatusChanged, data).await?;
    if m.mv == Move::AskSupplement {
        let asked: Vec<_> = spec
            .documents
            .iter()
            .filter(|d| m.asked.contains(&d.key))
            .map(|d| json!({"key": d.key, "label_zh": d.label_zh, "label_en": d.label_en}))
            .collect();
        let data = json!({"request_id": id, "reference": r.reference, "documents": asked, "note": step.note});
        w.hook(center_id, Some(&r.enterprise_id), EventType::DocumentRequested, data).await?;
    }
    w.commit().await?;
    store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

/// Tells the side that did not act: the enterprise's members, or the
/// officer (each in their own language, in the app and by e-mail).
async fn tell_other_side(
    w: &mut Write,
    r: &Request,
    acted: Side,
    key: &str,
    mut args: Vec<(String, Bilingual)>,
    reason: &str,
) -> AppResult<()> {
    let to: Vec<String> = match acted {
        Side::Center => companies::member_ids_in(w, &r.enterprise_id).await?,
        Side::Enterprise => r.officer_id.iter().cloned().collect(),
    };
    args.push(("reference".into(), Bilingual::new(r.reference.clone(), r.reference.clone())));
    args.push(("title".into(), Bilingual::new(r.title.clone(), r.title.clone())));
    let notice = Notice {
        kind: "service_request".into(),
        subject_id: r.id.clone(),
        key: key.into(),
        args,
        reason: reason.chars().take(1000).collect(),
        link: format!("/services/requests/{}", r.id),
    };
    for user_id in to {
        w.notify(&user_id, &notice).await?;
    }
    Ok(())
}

/// Posts a message to the other side.
pub async fn post_message(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    body: &str,
) -> AppResult<Message> {
    let (r, side) = readable(state, user, center_id, id).await?;
    let mut e = vec![];
    let body = crate::validate::required_text(&mut e, "body", body, MAX_TEXT);
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let side_code = if side == Side::Center { "center" } else { "enterprise" };
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let mid = new_id();
    store::add_message(&mut w, &mid, id, &user.id, side_code, &body, now).await?;
    w.audit(Some(center_id), "service_request", id, "message", json!({"side": side_code})).await?;
    let who_words = Bilingual::new(user.display_name.clone(), user.display_name.clone());
    tell_other_side(
        &mut w,
        &r,
        side,
        "notify-request-message",
        vec![("by".into(), who_words)],
        &body,
    )
    .await?;
    let data = json!({"request_id": id, "reference": r.reference, "message_id": mid, "side": side_code, "body": body});
    w.hook(center_id, Some(&r.enterprise_id), EventType::RequestMessage, data).await?;
    w.commit().await?;
    Ok(Message {
        id: mid,
        author_name: Some(user.display_name.clone()),
        side: side_code.into(),
        body,
        created_at: now,
    })
}

/// Gives a request to an officer of the center (none: back to the pool).
pub async fn assign(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    officer_id: Option<&str>,
) -> AppResult<Request> {
    if !allows(Some(user.role), Perm::HandleRequests) {
        return Err(AppError::Forbidden);
    }
    let r = store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)?;
    if let Some(o) = officer_id
        && !store::officers(&state.db, center_id).await?.iter().any(|(id, _)| id == o)
    {
        return Err(AppError::invalid("officer_id", "field-invalid-choice"));
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    store::set_officer(&mut w, id, officer_id, now).await?;
    w.audit(
        Some(center_id),
        "service_request",
        id,
        "assign",
        json!({"from": r.officer_id, "to": officer_id}),
    )
    .await?;
    if let Some(o) = officer_id
        && o != user.id
    {
        let notice = Notice {
            kind: "service_request".into(),
            subject_id: r.id.clone(),
            key: "notify-request-assigned".into(),
            args: vec![
                ("reference".into(), Bilingual::new(r.reference.clone(), r.reference.clone())),
                ("title".into(), Bilingual::new(r.title.clone(), r.title.clone())),
            ],
            reason: String::new(),
            link: format!("/services/requests/{}", r.id),
        };
        w.notify(o, &notice).await?;
    }
    w.commit().await?;
    store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

/// E-mails each officer the list of their overdue requests (unassigned ones
/// go to the center's admins). Returns how many officers were told.
pub async fn overdue_digest(state: &AppState, center_id: &str) -> AppResult<usize> {
    let today = today(state, center_id).await?;
    let late = store::overdue(&state.db, center_id, &today.to_string(), 500).await?;
    if late.is_empty() {
        return Ok(0);
    }
    let mut by_officer: BTreeMap<String, Vec<&Request>> = BTreeMap::new();
    let admins: Vec<String> = store::admins(&state.db, center_id).await?;
    for r in &late {
        match &r.officer_id {
            Some(o) => by_officer.entry(o.clone()).or_default().push(r),
            None => {
                for a in &admins {
                    by_officer.entry(a.clone()).or_default().push(r);
                }
            }
        }
    }
    let mut w = Write::begin(state, &Who::system()).await?;
    for (officer, list) in &by_officer {
        let lines: Vec<String> = list
            .iter()
            .map(|r| {
                format!("{} · {} · {}", r.reference, r.title, r.due_day.clone().unwrap_or_default())
            })
            .collect();
        let notice = Notice {
            kind: "service_digest".into(),
            subject_id: center_id.into(),
            key: "notify-request-overdue".into(),
            args: vec![(
                "count".into(),
                Bilingual::new(list.len().to_string(), list.len().to_string()),
            )],
            reason: lines.join("\n"),
            link: "/services/queue?due=overdue".into(),
        };
        w.notify(officer, &notice).await?;
    }
    w.commit().await?;
    Ok(by_officer.len())
}

/// The daily digest for every center with requests on a clock; how many
/// officers were told.
pub async fn overdue_digests(state: &AppState) -> AppResult<usize> {
    let mut n = 0;
    for center_id in store::centers_with_clocks(&state.db).await? {
        n += overdue_digest(state, &center_id).await?;
    }
    Ok(n)
}

/// The title a request is shown by in `lang` (the service's name and the reference).
pub fn service_name(r: &Request, lang: Lang) -> &str {
    lang.pick(&r.service_zh, &r.service_en)
}

/// The enterprise's name in `lang`.
pub fn enterprise_name(r: &Request, lang: Lang) -> &str {
    lang.pick(&r.enterprise_zh, &r.enterprise_en)
}

/// Checks a title as typed.
pub fn check_title(title: &str) -> Result<String, FieldError> {
    let mut e = vec![];
    let t = crate::validate::required_text(&mut e, "title", title, MAX_NAME);
    e.pop().map_or(Ok(t), Err)
}

/// Inside another write: holds the request's row if it is still in
/// `status` (false: it moved on meanwhile).
pub async fn hold_status_in(w: &mut Write, id: &str, status: Status) -> AppResult<bool> {
    Ok(store::hold_status(w, id, status).await?)
}

/// The calendar and today's date of a center, to say how clocks stand.
pub async fn clock_view(
    state: &AppState,
    center_id: &str,
) -> AppResult<(crate::reference::workdays::Calendar, Date)> {
    Ok((catalogue::calendar(state, center_id).await?, today(state, center_id).await?))
}

/// Figures: requests created before `until` by (service type, status).
pub async fn counts(
    state: &AppState,
    center_id: &str,
    until: i64,
) -> AppResult<Vec<(String, String, i64)>> {
    Ok(store::counts(&state.db, center_id, until).await?)
}

/// Figures: the recorded steps before `until`.
pub async fn steps_until(
    state: &AppState,
    center_id: &str,
    until: i64,
) -> AppResult<Vec<(String, String, String, i64, Option<i64>)>> {
    Ok(store::steps_until(&state.db, center_id, until).await?)
}
