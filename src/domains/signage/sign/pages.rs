//! The sign registry's pages: the list (filter, register), a sign (edit,
//! steps), the audit walk on a phone, and print-ready sign sheets.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::api::{SignQuery, filter};
use super::service::{self, Sign};
use crate::auth::Perm;
use crate::domains::centers::service as centers;
use crate::domains::glossary::finding::service::{self as glossary, Stored as FindingRow};
use crate::domains::signage::model::{SignClass, SignInput, SignSize, SignStatus, SignStep};
use crate::domains::venues::room::service as rooms;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{Choice, FormErrors, Pairs, again, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::{PageCtx, render};

const PER_PAGE: i64 = 50;
/// Signs on one print run.
const SHEET_MAX: i64 = 200;

async fn places(
    state: &AppState,
    ctx: &PageCtx,
    center_id: &str,
) -> AppResult<(Vec<Choice>, Vec<Choice>)> {
    let lang = ctx.lang();
    let zones = centers::zones(state, center_id)
        .await?
        .into_iter()
        .map(|z| Choice::pick(z.id, &z.name.zh, &z.name.en, lang))
        .collect();
    let rooms = rooms::rooms(state, center_id)
        .await?
        .into_iter()
        .map(|r| Choice::pick(r.id, &r.name.zh, &r.name.en, lang))
        .collect();
    Ok((zones, rooms))
}

fn query_of(p: &Pairs) -> SignQuery {
    SignQuery {
        zone_id: p.get("zone_id"),
        class: p.get("class"),
        status: p.get("status"),
        size: p.get("size"),
    }
}

#[derive(Template)]
#[template(path = "signage/signs.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub signs: Vec<Sign>,
    pub next: Option<String>,
    pub zones: Vec<Choice>,
    pub rooms: Vec<Choice>,
    pub q: Pairs,
    pub form: Pairs,
    pub errors: FormErrors,
}

impl ListPage {
    pub fn classes(&self) -> &'static [SignClass] {
        SignClass::ALL
    }
    pub fn sizes(&self) -> &'static [SignSize] {
        SignSize::ALL
    }
    pub fn statuses(&self) -> &'static [SignStatus] {
        SignStatus::ALL
    }
    pub fn zone_name(&self, id: &Option<String>) -> String {
        id.as_ref()
            .and_then(|id| self.zones.iter().find(|z| &z.id == id))
            .map(|z| z.label.clone())
            .unwrap_or_default()
    }
    pub fn query(&self) -> String {
        serde_urlencoded::to_string([
            ("zone_id", self.q.get("zone_id")),
            ("class", self.q.get("class")),
            ("status", self.q.get("status")),
            ("size", self.q.get("size")),
        ])
        .unwrap_or_default()
    }
}

async fn list_page(state: &AppState, ctx: PageCtx, q: Pairs) -> AppResult<ListPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let f = filter(&query_of(&q)).unwrap_or_default();
    let after =
        PageQuery { cursor: q.get("cursor"), limit: None }.after().map(|a| a.1).unwrap_or_default();
    let rows = service::page(state, &center_id, &f, &after, PER_PAGE + 1).await?;
    let (signs, next) = split_page(rows, PER_PAGE as usize, |s| key_cursor(0, &s.id));
    let (zones, rooms) = places(state, &ctx, &center_id).await?;
    Ok(ListPage {
        signs,
        next,
        zones,
        rooms,
        q,
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        ctx,
    })
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    Ok(render(&list_page(&state, ctx, Pairs(q)).await?)?.into_response())
}

fn parse(f: &Pairs) -> Result<SignInput, Vec<crate::error::FieldError>> {
    SignInput::parse(
        &f.get("zone_id"),
        &f.get("room_id"),
        &f.raw_one("floor"),
        &f.get("class"),
        &f.get("size"),
        &f.raw_one("text_zh"),
        &f.raw_one("text_en"),
        &f.raw_one("standard_ref"),
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let f = Pairs(pairs);
    let result = match parse(&f) {
        Ok(input) => service::create(&state, &ctx.0.who(), &user, &center_id, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(s) => Ok(Redirect::to(&format!("/signs/{}", s.id)).into_response()),
        Err(e) => {
            let (status, errors, _) = refusal(e, ctx.lang())?;
            let mut page = list_page(&state, ctx, Pairs(vec![])).await?;
            page.form = f;
            page.errors = errors;
            again(status, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "signage/sign.html")]
pub struct SignPage {
    pub ctx: PageCtx,
    pub s: Sign,
    pub zones: Vec<Choice>,
    pub rooms: Vec<Choice>,
    pub steps: Vec<SignStep>,
    pub findings: Vec<FindingRow>,
    pub may_fix: bool,
    pub form: Pairs,
    pub errors: FormErrors,
    pub alert: String,
}

impl SignPage {
    pub fn classes(&self) -> &'static [SignClass] {
        SignClass::ALL
    }
    pub fn sizes(&self) -> &'static [SignSize] {
        SignSize::ALL
    }
    pub fn value(&self, field: &str) -> String {
        if let Some((_, v)) = self.form.0.iter().find(|(k, _)| k == field) {
            return v.clone();
        }
        let s = &self.s;
        match field {
            "zone_id" => s.zone_id.clone().unwrap_or_default(),
            "room_id" => s.room_id.clone().unwrap_or_default(),
            "floor" => s.floor.clone(),
            "class" => s.class.code().into(),
            "size" => s.size.code().into(),
            "text_zh" => s.text_zh.clone(),
            "text_en" => s.text_en.clone(),
            "standard_ref" => s.standard_ref.clone(),
            "version" => s.version.to_string(),
            _ => String::new(),
        }
    }
}

async fn sign_page(state: &AppState, ctx: PageCtx, s: Sign) -> AppResult<SignPage> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let (zones, rooms) = places(state, &ctx, &center_id).await?;
    let findings =
        glossary::open_of(state, &center_id, crate::bilingual::Place::Sign, &s.id, 20).await?;
    Ok(SignPage {
        steps: s.status.steps().into_iter().filter(|x| service::may_step(&user, *x)).collect(),
        may_fix: s.status.editable(),
        s,
        zones,
        rooms,
        findings,
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        alert: String::new(),
        ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let s = service::get(&state, &center_id, &id).await?;
    Ok(render(&sign_page(&state, ctx, s).await?)?.into_response())
}

async fn refused(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    f: Pairs,
    e: AppError,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let (status, errors, alert) = refusal(e, ctx.lang())?;
    let s = service::get(state, &center_id, id).await?;
    let mut page = sign_page(state, ctx, s).await?;
    page.form = f;
    page.errors = errors;
    page.alert = alert;
    again(status, &page)
}

pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let f = Pairs(pairs);
    let version = f.get("version").parse::<i64>().unwrap_or(-1);
    let result = match parse(&f) {
        Ok(input) => {
            service::update(&state, &ctx.0.who(), &user, &center_id, &id, version, input).await
        }
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(s) => Ok(Redirect::to(&format!("/signs/{}", s.id)).into_response()),
        Err(e) => refused(&state, ctx, &id, f, e).await,
    }
}

pub async fn step(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let f = Pairs(pairs);
    let result = match SignStep::exact(&f.get("step")) {
        Some(step) => {
            service::take_step(
                &state,
                &ctx.0.who(),
                &user,
                &center_id,
                &id,
                step,
                &f.raw_one("finding"),
            )
            .await
        }
        None => Err(AppError::invalid("step", "field-invalid-choice")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/signs/{id}")).into_response()),
        Err(e) => refused(&state, ctx, &id, Pairs(vec![]), e).await,
    }
}

#[derive(Template)]
#[template(path = "signage/walk.html")]
pub struct WalkPage {
    pub ctx: PageCtx,
    pub zones: Vec<Choice>,
    pub zone_id: String,
    pub signs: Vec<Sign>,
    pub next: Option<String>,
}

/// The audit walk: a zone's signs on the wall, each to tick or flag.
pub async fn walk(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let q = Pairs(q);
    let (zones, _) = places(&state, &ctx, &center_id).await?;
    let zone_id =
        zones.iter().find(|z| z.id == q.get("zone_id")).map(|z| z.id.clone()).unwrap_or_default();
    let after =
        PageQuery { cursor: q.get("cursor"), limit: None }.after().map(|a| a.1).unwrap_or_default();
    let f = service::Filter { zone_id: zone_id.clone(), ..Default::default() };
    let rows = service::page(&state, &center_id, &f, &after, PER_PAGE + 1).await?;
    let rows: Vec<Sign> = rows
        .into_iter()
        .filter(|s| {
            matches!(s.status, SignStatus::Installed | SignStatus::Audited | SignStatus::NeedsFix)
        })
        .collect();
    let (signs, next) = split_page(rows, PER_PAGE as usize, |s| key_cursor(0, &s.id));
    Ok(render(&WalkPage { ctx, zones, zone_id, signs, next })?.into_response())
}

#[derive(Template)]
#[template(path = "signage/sheet.html")]
pub struct SheetPage {
    pub ctx: PageCtx,
    pub signs: Vec<Sign>,
    pub size: SignSize,
    /// For the PDF: the styles inline (the printer fetches nothing).
    pub inline_css: Option<&'static str>,
}

impl SheetPage {
    pub fn class_word_zh(&self, c: &SignClass) -> String {
        crate::i18n::Lang::Zh.t(&c.label_key())
    }
    pub fn class_word_en(&self, c: &SignClass) -> String {
        crate::i18n::Lang::En.t(&c.label_key())
    }
}

/// Print-ready sheets: one sign per page at its size (A4, A3, door plate),
/// Chinese above English, by class and zone.
pub async fn sheet(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    Ok(render(&sheet_page(&state, ctx, Pairs(q)).await?)?.into_response())
}

async fn sheet_page(state: &AppState, ctx: PageCtx, q: Pairs) -> AppResult<SheetPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    let mut f = filter(&query_of(&q))?;
    let size = f.size.unwrap_or(SignSize::A4);
    f.size = Some(size);
    let signs = service::page(state, &center_id, &f, "", SHEET_MAX).await?;
    Ok(SheetPage { ctx, signs, size, inline_css: None })
}

/// The same sheets as a PDF, printed by headless Chromium, to download.
pub async fn sheet_pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut page = sheet_page(&state, ctx, Pairs(q)).await?;
    page.inline_css = Some(include_str!("../../../../static/signs.css"));
    let html = render(&page)?.0;
    let pdf = crate::print::pdf(&state.config.chromium, &html).await?;
    let name = format!("attachment; filename=\"signs-{}.pdf\"", page.size.code());
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        pdf,
    )
        .into_response())
}

/// A photo from the sign's page.
pub async fn photo(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    upload: crate::web::extract::Upload,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    service::get(&state, &center_id, &id).await?;
    let result = match upload.file {
        Some(bytes) => match crate::images::keep(&state.config.files_dir, "file", bytes).await {
            Ok(p) => service::set_photo(&state, &ctx.0.who(), &user, &center_id, &id, p).await,
            Err(e) => Err(e),
        },
        None => Err(AppError::invalid("file", "image-required")),
    };
    match result {
        Ok(s) => Ok(Redirect::to(&format!("/signs/{}", s.id)).into_response()),
        Err(e) => refused(&state, ctx, &id, Pairs(vec![]), e).await,
    }
}

/// The audit walk's tick or flag, with a photo if one was taken (the photo
/// is checked first: one that is not a picture refuses the step too).
pub async fn walk_step(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    upload: crate::web::extract::Upload,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageSigns)?;
    service::get(&state, &center_id, &id).await?;
    let step = SignStep::exact(upload.field("step").trim())
        .filter(|s| matches!(s, SignStep::Pass | SignStep::Flag));
    let zone = upload.field("zone_id");
    let zone = if zone.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        zone
    } else {
        String::new()
    };
    let who = ctx.0.who();
    let finding = upload.field("finding");
    let picture = match upload.file {
        Some(bytes) => match crate::images::keep(&state.config.files_dir, "file", bytes).await {
            Ok(p) => Some(p),
            Err(e) => return refused(&state, ctx, &id, Pairs(vec![]), e).await,
        },
        None => None,
    };
    let result = match step {
        None => Err(AppError::invalid("step", "field-invalid-choice")),
        Some(step) => {
            match service::take_step(&state, &who, &user, &center_id, &id, step, &finding).await {
                Ok(s) => match picture {
                    Some(p) => service::set_photo(&state, &who, &user, &center_id, &id, p).await,
                    None => Ok(s),
                },
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/signs/walk?zone_id={zone}#sign-{id}")).into_response()),
        Err(e) => refused(&state, ctx, &id, Pairs(vec![]), e).await,
    }
}
