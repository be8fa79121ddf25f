//! Request pages: the enterprise's own page (`/services`), filing and
//! editing a request against its form, the request page (what is missing,
//! what happens next, documents, moves, messages, history) and the
//! officers' queue.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::api::{RequestQuery, after as cursor_after, filter};
use super::service::{self, Message, Request, RequestInput, Step};
use crate::auth::Perm;
use crate::domains::enterprises::catalogue::service::{self as catalogue, Category, ServiceType};
use crate::domains::enterprises::company::service as companies;
use crate::domains::enterprises::document::service::{self as documents, Document};
use crate::domains::enterprises::model::flow::{Move, Side, Standing, Status};
use crate::domains::enterprises::model::form::{DocSpec, FieldSpec, FormSpec};
use crate::domains::enterprises::model::item::{
    ItemDraft, ItemInput, Regime, check_items, show_hs, show_quantity,
};
use crate::domains::enterprises::whitelist::service::{self as whitelist, Entry};
use crate::error::{AppError, AppResult};
use crate::reference::workdays::Calendar;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query, StreamedUpload};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::list::PageQuery;
use crate::web::{PageCtx, render};

const PER_PAGE: i64 = 50;
/// Requests on an enterprise's own page (the rest: the full list).
const HOME_LIST: i64 = 30;
/// Item rows a form offers beyond those filled.
const BLANK_ROWS: usize = 3;

/// How a request's clock stands, for a badge: (css modifier, text).
pub fn clock_badge(
    ctx: &PageCtx,
    r: &Request,
    cal: &Calendar,
    today: jiff::civil::Date,
) -> (String, String) {
    match r.clock.standing(cal, today) {
        Standing::NoSla => (String::new(), String::new()),
        Standing::Paused { used, sla } => (
            "paused".into(),
            ctx.lang().t_args(
                "svc-clock-paused",
                &[("used", used.to_string()), ("sla", sla.to_string())],
            ),
        ),
        Standing::OnTime { due, .. } => {
            ("on-time".into(), ctx.t1("svc-clock-due", "day", due.to_string()))
        }
        Standing::DueSoon { due, .. } => {
            ("due-soon".into(), ctx.t1("svc-clock-due-soon", "day", due.to_string()))
        }
        Standing::Overdue { due, .. } => {
            ("overdue".into(), ctx.t1("svc-clock-overdue", "day", due.to_string()))
        }
    }
}

#[derive(Template)]
#[template(path = "enterprises/home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub linked: bool,
    pub enterprise_name: String,
    pub rows: Vec<(Request, Vec<DocSpec>, (String, String))>,
    pub services: Vec<ServiceType>,
    pub entries: Vec<Entry>,
}

impl HomePage {
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
    pub fn next_words(&self, r: &Request) -> String {
        match r.status.waits_on() {
            Some(Side::Enterprise) => {
                self.ctx.t(format!("svc-next-you-{}", r.status.code().replace('_', "-")))
            }
            Some(Side::Center) => self.ctx.t("svc-next-center"),
            None => self.ctx.t("svc-next-none"),
        }
    }
    pub fn qty(&self, q: impl std::borrow::Borrow<i64>) -> String {
        show_quantity(*q.borrow())
    }
}

/// `/services`: an enterprise's own page; officers go to their queue.
pub async fn home(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    ctx.0.require(Perm::SignedIn)?;
    if ctx.can(Perm::HandleRequests) {
        return Ok(Redirect::to("/services/queue").into_response());
    }
    let (user, center_id) = ctx.0.require_center(Perm::FileRequests)?;
    let enterprise = companies::of_user(&state, &user).await?;
    let Some(eid) = enterprise else {
        let page = HomePage {
            ctx,
            linked: false,
            enterprise_name: String::new(),
            rows: vec![],
            services: vec![],
            entries: vec![],
        };
        return Ok(render(&page)?.into_response());
    };
    let e = companies::get(&state, &user, &center_id, &eid).await?;
    let list = service::page(
        &state,
        &user,
        &center_id,
        super::store::Filter::default(),
        ("", ""),
        HOME_LIST,
    )
    .await?;
    let (cal, today) = service::clock_view(&state, &center_id).await?;
    let mut rows = vec![];
    for r in list {
        let missing = if r.status.editable() {
            let spec = service::form_of(&state, &r).await?;
            service::missing_documents(&state, &r, &spec).await?
        } else {
            vec![]
        };
        let badge = clock_badge(&ctx, &r, &cal, today);
        rows.push((r, missing, badge));
    }
    rows.sort_by_key(|(r, ..)| std::cmp::Reverse(r.updated_at));
    let services = catalogue::types(&state, &center_id, true).await?;
    let entries = whitelist::page(&state, &user, &center_id, "", "", 100).await?;
    let name = ctx.lang().pick_either(&e.name_zh, &e.name_en).to_string();
    Ok(render(&HomePage { ctx, linked: true, enterprise_name: name, rows, services, entries })?
        .into_response())
}

#[derive(Template)]
#[template(path = "enterprises/queue.html")]
pub struct QueuePage {
    pub ctx: PageCtx,
    pub rows: Vec<(Request, (String, String))>,
    pub next: Option<String>,
    pub q: Pairs,
    pub services: Vec<ServiceType>,
    pub officers: Vec<(String, String)>,
    /// (officer name, open, overdue).
    pub load: Vec<(String, i64, i64)>,
}

impl QueuePage {
    pub fn officer(&self) -> bool {
        self.ctx.can(Perm::HandleRequests)
    }
    pub fn may_hooks(&self) -> bool {
        self.ctx.can(Perm::ManageWebhooks)
    }
    pub fn statuses(&self) -> &'static [Status] {
        Status::ALL
    }
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
    pub fn query(&self) -> String {
        serde_urlencoded::to_string(
            ["status", "officer", "service_type_id", "due", "open"].map(|k| (k, self.q.get(k))),
        )
        .unwrap_or_default()
    }
}

/// The queue: officers see the center's requests by due day; an
/// enterprise's members see all of their own the same way.
pub async fn queue(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let officer = ctx.can(Perm::HandleRequests);
    if !officer && !ctx.can(Perm::FileRequests) {
        return Err(AppError::Forbidden);
    }
    let q = Pairs(q);
    let rq = RequestQuery {
        status: q.get("status"),
        officer: q.get("officer"),
        enterprise_id: q.get("enterprise_id"),
        service_type_id: q.get("service_type_id"),
        open: q.get("open") == "1",
        due: q.get("due"),
    };
    let (cal, today) = service::clock_view(&state, &center_id).await?;
    let f = filter(&rq, &cal, today).unwrap_or_default();
    let (ad, ai) =
        cursor_after(&PageQuery { cursor: q.get("cursor"), limit: None }).unwrap_or_default();
    let rows = service::page(&state, &user, &center_id, f, (&ad, &ai), PER_PAGE + 1).await?;
    let (rows, next) = crate::web::list::split_page(rows, PER_PAGE as usize, |r| {
        format!("{}~{}", super::store::sort_key(r), r.id)
    });
    let rows = rows
        .into_iter()
        .map(|r| {
            let b = clock_badge(&ctx, &r, &cal, today);
            (r, b)
        })
        .collect();
    let officers = if officer { service::officers(&state, &center_id).await? } else { vec![] };
    let load = if !officer { vec![] } else { service::load(&state, &center_id).await? };
    let load = load
        .into_iter()
        .map(|(o, n, late)| {
            let name = o
                .and_then(|id| officers.iter().find(|(i, _)| *i == id).map(|x| x.1.clone()))
                .unwrap_or_else(|| ctx.t("svc-unassigned"));
            (name, n, late)
        })
        .collect();
    let services = catalogue::types(&state, &center_id, !officer).await?;
    Ok(render(&QueuePage { ctx, rows, next, q, services, officers, load })?.into_response())
}

#[derive(Template)]
#[template(path = "enterprises/request_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub t: ServiceType,
    pub spec: FormSpec,
    pub categories: Vec<Category>,
    /// The request edited (none: a new one).
    pub editing: Option<Request>,
    pub enterprises: Vec<(String, String, String)>,
    pub form: Pairs,
    pub rows: usize,
    pub errors: FormErrors,
    pub alert: String,
}

impl FormPage {
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
    pub fn regimes(&self) -> &'static [Regime] {
        Regime::ALL
    }
    pub fn value(&self, key: impl AsRef<str>) -> String {
        self.form.raw_one(key.as_ref())
    }
    pub fn item(&self, i: &usize, field: &str) -> String {
        self.form.raw_one(&format!("items.{i}.{field}"))
    }
    pub fn item_error(&self, i: &usize, field: &str) -> String {
        self.errors.get(&self.ctx, &format!("items.{i}.{field}"))
    }
    pub fn error(&self, field: impl AsRef<str>) -> String {
        self.errors.get(&self.ctx, field.as_ref())
    }
    pub fn row_indexes(&self) -> Vec<usize> {
        (0..self.rows).collect()
    }
    pub fn field_name(&self, f: &FieldSpec) -> String {
        format!("values.{}", f.key)
    }
    pub fn action(&self) -> String {
        match &self.editing {
            Some(r) => format!("/services/requests/{}/edit", r.id),
            None => format!("/services/new/{}", self.t.id),
        }
    }
}

/// The form's pairs of a kept request (to edit it).
fn pairs_of(r: &Request, items: &[ItemInput]) -> Pairs {
    let mut p = vec![
        ("title".to_string(), r.title.clone()),
        ("version".to_string(), r.version.to_string()),
    ];
    for (k, v) in &r.answers {
        p.push((format!("values.{k}"), v.clone()));
    }
    for (i, it) in items.iter().enumerate() {
        for (f, v) in [
            ("name_zh", it.name_zh.clone()),
            ("name_en", it.name_en.clone()),
            ("category", it.category.clone()),
            ("hs_code", show_hs(&it.hs_code)),
            ("spec", it.spec.clone()),
            ("quantity", show_quantity(it.quantity)),
            ("unit", it.unit.clone()),
            ("regime", it.regime.code().into()),
        ] {
            p.push((format!("items.{i}.{f}"), v));
        }
    }
    Pairs(p)
}

fn filled_rows(p: &Pairs) -> usize {
    (0..crate::domains::enterprises::model::item::MAX_ITEMS)
        .take_while(|i| p.0.iter().any(|(k, _)| k.starts_with(&format!("items.{i}."))))
        .count()
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    t: ServiceType,
    version: i64,
    editing: Option<Request>,
    form: Pairs,
) -> AppResult<FormPage> {
    let (_, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let spec = catalogue::form(state, &t.id, version).await?;
    let categories = catalogue::categories(state, &center_id).await?;
    let enterprises = if ctx.can(Perm::HandleRequests) && editing.is_none() {
        companies::names(state, &center_id).await?
    } else {
        vec![]
    };
    let rows = if spec.items {
        (filled_rows(&form) + BLANK_ROWS).min(crate::domains::enterprises::model::item::MAX_ITEMS)
    } else {
        0
    };
    Ok(FormPage {
        ctx,
        t,
        spec,
        categories,
        editing,
        enterprises,
        form,
        rows,
        errors: FormErrors::default(),
        alert: String::new(),
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(type_id): Path<String>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    if !ctx.can(Perm::FileRequests) && !ctx.can(Perm::HandleRequests) {
        return Err(AppError::Forbidden);
    }
    let t = catalogue::get(&state, &center_id, &type_id).await?;
    if !t.active {
        return Err(AppError::NotFound);
    }
    let v = t.form_version;
    Ok(render(&form_page(&state, ctx, t, v, None, Pairs(vec![])).await?)?.into_response())
}

fn input_of(f: &Pairs, ctx: &PageCtx, type_id: &str) -> Result<RequestInput, AppError> {
    let mut e = vec![];
    let title =
        service::check_title(&f.raw_one("title")).map_err(|x| e.push(x)).unwrap_or_default();
    let answers: BTreeMap<String, String> =
        f.0.iter()
            .filter_map(|(k, v)| k.strip_prefix("values.").map(|k| (k.to_string(), v.clone())))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
    let rows = filled_rows(f);
    let raw: Vec<[String; 8]> = (0..rows)
        .map(|i| {
            ["name_zh", "name_en", "category", "hs_code", "spec", "quantity", "unit", "regime"]
                .map(|k| f.raw_one(&format!("items.{i}.{k}")))
        })
        .collect();
    let drafts: Vec<ItemDraft> = raw
        .iter()
        .map(|r| ItemDraft {
            name_zh: &r[0],
            name_en: &r[1],
            category: &r[2],
            hs_code: &r[3],
            spec: &r[4],
            quantity: &r[5],
            unit: &r[6],
            regime: &r[7],
        })
        .collect();
    let items = check_items(&drafts).map_err(|mut x| e.append(&mut x)).unwrap_or_default();
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    Ok(RequestInput {
        service_type_id: type_id.into(),
        enterprise_id: f.get("enterprise_id"),
        title,
        answers,
        items,
        lang: ctx.lang(),
    })
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(type_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let f = Pairs(pairs);
    let result = match input_of(&f, &ctx, &type_id) {
        Ok(input) => service::create(&state, &ctx.0.who(), &user, &center_id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(Redirect::to(&format!("/services/requests/{}", r.id)).into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let t = catalogue::get(&state, &center_id, &type_id).await?;
            let v = t.form_version;
            let mut page = form_page(&state, ctx, t, v, None, f).await?;
            page.errors = errors;
            page.alert = alert;
            again(status, &page)
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let (r, _) = service::readable(&state, &user, &center_id, &id).await?;
    if !r.status.editable() {
        return Ok(Redirect::to(&format!("/services/requests/{id}")).into_response());
    }
    let items = service::items(&state, &id).await?;
    let t = catalogue::get(&state, &center_id, &r.service_type_id).await?;
    let form = pairs_of(&r, &items);
    let v = r.form_version;
    Ok(render(&form_page(&state, ctx, t, v, Some(r), form).await?)?.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let (r, _) = service::readable(&state, &user, &center_id, &id).await?;
    let f = Pairs(pairs);
    let version = f.get("version").parse::<i64>().unwrap_or(-1);
    let result = match input_of(&f, &ctx, &r.service_type_id) {
        Ok(input) => {
            service::update(&state, &ctx.0.who(), &user, &center_id, &id, version, input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/services/requests/{id}")).into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let t = catalogue::get(&state, &center_id, &r.service_type_id).await?;
            let v = r.form_version;
            let mut page = form_page(&state, ctx, t, v, Some(r), f).await?;
            page.errors = errors;
            page.alert = alert;
            again(status, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "enterprises/request.html")]
pub struct RequestPage {
    pub ctx: PageCtx,
    pub r: Request,
    pub side: Side,
    pub spec: FormSpec,
    pub items: Vec<ItemInput>,
    pub categories: Vec<Category>,
    pub docs: Vec<Document>,
    pub missing: Vec<DocSpec>,
    pub moves: Vec<Move>,
    pub steps: Vec<Step>,
    pub messages: Vec<Message>,
    pub officers: Vec<(String, String)>,
    pub badge: (String, String),
    pub tz: jiff::tz::TimeZone,
    pub errors: FormErrors,
    pub alert: String,
    pub form: Pairs,
}

impl RequestPage {
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
    pub fn is_center(&self) -> bool {
        self.side == Side::Center
    }
    pub fn when(&self, ms: &i64) -> String {
        crate::clock::Instant(*ms).display_in(&self.tz)
    }
    pub fn answer(&self, f: &FieldSpec) -> String {
        let v = self.r.answers.get(&f.key).cloned().unwrap_or_default();
        match f.choices.iter().find(|c| c.value == v) {
            Some(c) => self.pick(&c.zh, &c.en).to_string(),
            None if v == "yes" || v == "no" => self.ctx.t(format!("svc-{v}")),
            None => v,
        }
    }
    pub fn category(&self, code: &str) -> String {
        self.categories
            .iter()
            .find(|c| c.code == code)
            .map(|c| self.pick(&c.name_zh, &c.name_en).to_string())
            .unwrap_or_else(|| code.to_string())
    }
    pub fn qty(&self, q: impl std::borrow::Borrow<i64>) -> String {
        show_quantity(*q.borrow())
    }
    pub fn hs(&self, c: &str) -> String {
        show_hs(c)
    }
    pub fn doc_label(&self, key: &str) -> String {
        match self.spec.documents.iter().find(|d| d.key == key) {
            Some(d) => self.pick(&d.label_zh, &d.label_en).to_string(),
            None => self.ctx.t("svc-doc-other"),
        }
    }
    pub fn has_doc(&self, key: &str) -> bool {
        self.docs.iter().any(|d| d.doc_key == key)
    }
    pub fn accept(&self, d: &DocSpec) -> String {
        d.types.iter().map(|t| format!(".{t}")).collect::<Vec<_>>().join(",")
    }
    pub fn may_upload(&self) -> bool {
        match self.side {
            Side::Enterprise => self.r.status.editable(),
            Side::Center => !matches!(self.r.status, Status::Closed | Status::Withdrawn),
        }
    }
    pub fn size(&self, n: &i64) -> String {
        if *n >= 1024 * 1024 {
            format!("{:.1} MB", *n as f64 / 1048576.0)
        } else {
            format!("{} KB", (*n + 1023) / 1024)
        }
    }
    pub fn next_words(&self) -> String {
        match self.r.status.waits_on() {
            Some(Side::Enterprise) if self.side == Side::Enterprise => {
                self.ctx.t(format!("svc-next-you-{}", self.r.status.code().replace('_', "-")))
            }
            Some(Side::Enterprise) => self.ctx.t("svc-next-enterprise"),
            Some(Side::Center) if self.side == Side::Center => self.ctx.t("svc-next-you-center"),
            Some(Side::Center) => self.ctx.t("svc-next-center"),
            None => self.ctx.t("svc-next-none"),
        }
    }
    pub fn is_officer(&self, id: &str) -> bool {
        self.r.officer_id.as_deref() == Some(id)
    }
    pub fn step_days(&self, days: &i64, sla: &i64) -> String {
        self.ctx
            .lang()
            .t_args("svc-step-days", &[("days", days.to_string()), ("sla", sla.to_string())])
    }
    pub fn asked_labels(&self, s: &Step) -> String {
        s.asked.iter().map(|k| self.doc_label(k)).collect::<Vec<_>>().join("、")
    }
}

async fn request_page(state: &AppState, ctx: PageCtx, id: &str) -> AppResult<RequestPage> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let (r, side) = service::readable(state, &user, &center_id, id).await?;
    let spec = service::form_of(state, &r).await?;
    let missing = service::missing_documents(state, &r, &spec).await?;
    let (cal, today) = service::clock_view(state, &center_id).await?;
    let badge = clock_badge(&ctx, &r, &cal, today);
    let officers =
        if side == Side::Center { service::officers(state, &center_id).await? } else { vec![] };
    Ok(RequestPage {
        items: service::items(state, id).await?,
        categories: catalogue::categories(state, &center_id).await?,
        docs: documents::list(state, &user, &center_id, id).await?,
        moves: r.status.moves(r.flow).into_iter().filter(|m| m.side() == side).collect(),
        steps: service::steps(state, id).await?,
        messages: service::messages(state, id, 200).await?,
        tz: crate::domains::centers::service::tz(state, &center_id).await?,
        officers,
        badge,
        spec,
        missing,
        side,
        r,
        errors: FormErrors::default(),
        alert: String::new(),
        form: Pairs(vec![]),
        ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    Ok(render(&request_page(&state, ctx, &id).await?)?.into_response())
}

async fn refused(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    f: Pairs,
    e: AppError,
) -> AppResult<Response> {
    let (status, errors, alert) = refusal(e, ctx.lang())?;
    let mut page = request_page(state, ctx, id).await?;
    page.errors = errors;
    page.alert = alert;
    page.form = f;
    again(status, &page)
}

pub async fn take_move(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let f = Pairs(pairs);
    let body = super::api::RequestMoveInputJson {
        mv: f.get("move"),
        version: f.get("version").parse().unwrap_or(-1),
        note: f.raw_one("note"),
        authority_ref: f.get("authority_ref"),
        valid_from: f.get("valid_from"),
        valid_until: f.get("valid_until"),
        asked: f.all("asked"),
    };
    let result = match super::api::move_of(&body) {
        Ok(m) => service::take_move(&state, &ctx.0.who(), &user, &center_id, &id, m).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/services/requests/{id}")).into_response()),
        Err(e) => refused(&state, ctx, &id, f, e).await,
    }
}

pub async fn post_message(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let f = Pairs(pairs);
    match service::post_message(&state, &ctx.0.who(), &user, &center_id, &id, &f.raw_one("body"))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/services/requests/{id}#messages")).into_response()),
        Err(e) => refused(&state, ctx, &id, f, e).await,
    }
}

pub async fn assign(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::HandleRequests)?;
    let f = Pairs(pairs);
    let officer = f.get("officer_id");
    let officer = (!officer.is_empty()).then_some(officer);
    match service::assign(&state, &ctx.0.who(), &user, &center_id, &id, officer.as_deref()).await {
        Ok(_) => Ok(Redirect::to(&format!("/services/requests/{id}")).into_response()),
        Err(e) => refused(&state, ctx, &id, f, e).await,
    }
}

/// A document handed in from the request page (streamed; the form sends
/// `csrf_token`, `doc_key`, then the file).
pub async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    upload: StreamedUpload,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let result = match upload.fields_then_file().await {
        Ok((fields, file)) => {
            let key = fields
                .iter()
                .find(|(k, _)| k == "doc_key")
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default();
            documents::upload(&state, &ctx.0.who(), &user, &center_id, &id, &key, file).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/services/requests/{id}#documents")).into_response()),
        Err(e) => refused(&state, ctx, &id, Pairs(vec![]), e).await,
    }
}

/// A document, downloaded.
pub async fn download(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::SignedIn)?;
    let (d, size, stream) = documents::open(&state, &user, &center_id, &id).await?;
    Ok(documents::download(&d, size, stream))
}
