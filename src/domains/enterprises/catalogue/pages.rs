//! Catalogue pages: the services (everyone who files or handles requests
//! reads them; admins edit), a service's form editor (field rows, the
//! document checklist, an SLA per step) and the center's own working days.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, CenterDay, ServiceType};
use crate::auth::Perm;
use crate::domains::enterprises::model::flow::Status;
use crate::domains::enterprises::model::form::{
    ChoiceSpec, DocSpec, DocType, FieldKind, FieldSpec, FormSpec, StepSla,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::{PageCtx, render};

#[derive(Template)]
#[template(path = "enterprises/catalogue.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub types: Vec<ServiceType>,
    pub may_edit: bool,
}

impl ListPage {
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
}

pub async fn index(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::HandleRequests)?;
    let types = service::types(&state, &center_id, false).await?;
    let may_edit = ctx.can(Perm::ManageCatalogue);
    Ok(render(&ListPage { ctx, types, may_edit })?.into_response())
}

#[derive(Template)]
#[template(path = "enterprises/service_type.html")]
pub struct EditPage {
    pub ctx: PageCtx,
    pub t: ServiceType,
    pub spec: FormSpec,
    /// Field rows shown (the spec's, and blank ones to add).
    pub field_rows: usize,
    pub doc_rows: usize,
    pub errors: FormErrors,
    pub alert: String,
}

impl EditPage {
    pub fn kinds(&self) -> &'static [FieldKind] {
        FieldKind::ALL
    }
    pub fn doc_types(&self) -> &'static [DocType] {
        DocType::ALL
    }
    pub fn fields(&self) -> Vec<(usize, FieldSpec)> {
        (0..self.field_rows)
            .map(|i| (i, self.spec.fields.get(i).cloned().unwrap_or_else(blank_field)))
            .collect()
    }
    pub fn docs(&self) -> Vec<(usize, DocSpec)> {
        (0..self.doc_rows)
            .map(|i| (i, self.spec.documents.get(i).cloned().unwrap_or_else(blank_doc)))
            .collect()
    }
    pub fn choices(&self, f: &FieldSpec) -> String {
        f.choices
            .iter()
            .map(|c| format!("{}|{}|{}", c.value, c.zh, c.en))
            .collect::<Vec<_>>()
            .join("\n")
    }
    /// The statuses of this service's flow that may carry an SLA, with theirs.
    pub fn steps(&self) -> Vec<(Status, String)> {
        Status::ALL
            .iter()
            .copied()
            .filter(|s| {
                !matches!(
                    s,
                    Status::Draft
                        | Status::Supplement
                        | Status::Closed
                        | Status::Withdrawn
                        | Status::Rejected
                )
            })
            .filter(|s| {
                Status::ALL.iter().any(|from| {
                    from.moves(self.t.flow).iter().any(|m| m.to(self.t.flow, *from) == Some(*s))
                })
            })
            .map(|s| (s, self.spec.sla(s).map(|d| d.to_string()).unwrap_or_default()))
            .collect()
    }
    pub fn error(&self, k: impl AsRef<str>) -> String {
        self.errors.get(&self.ctx, k.as_ref())
    }
    pub fn has_type(&self, d: &DocSpec, t: &DocType) -> bool {
        d.types.iter().any(|x| x == t.code())
    }
    pub fn row_error(&self, list: &str, i: &usize, f: &str) -> String {
        self.errors.get(&self.ctx, &format!("{list}.{i}.{f}"))
    }
}

fn blank_field() -> FieldSpec {
    FieldSpec {
        key: String::new(),
        kind: "text".into(),
        required: false,
        label_zh: String::new(),
        label_en: String::new(),
        help_zh: String::new(),
        help_en: String::new(),
        choices: vec![],
    }
}

fn blank_doc() -> DocSpec {
    DocSpec {
        key: String::new(),
        label_zh: String::new(),
        label_en: String::new(),
        mandatory: false,
        types: vec!["pdf".into()],
    }
}

async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    spec: Option<FormSpec>,
) -> AppResult<EditPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageCatalogue)?;
    let t = service::get(state, &center_id, id).await?;
    let spec = match spec {
        Some(s) => s,
        None => service::form(state, &t.id, t.form_version).await?,
    };
    let field_rows =
        (spec.fields.len() + 2).min(crate::domains::enterprises::model::form::MAX_FIELDS);
    let doc_rows =
        (spec.documents.len() + 1).min(crate::domains::enterprises::model::form::MAX_DOCUMENTS);
    Ok(EditPage {
        ctx,
        t,
        spec,
        field_rows,
        doc_rows,
        errors: FormErrors::default(),
        alert: String::new(),
    })
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    Ok(render(&edit_page(&state, ctx, &id, None).await?)?.into_response())
}

/// Reads the editor's rows back into a spec (blank rows dropped).
fn spec_of(f: &Pairs) -> FormSpec {
    let mut fields = vec![];
    for i in 0..crate::domains::enterprises::model::form::MAX_FIELDS + 5 {
        let g = |k: &str| f.raw_one(&format!("fields.{i}.{k}"));
        if g("key").trim().is_empty()
            && g("label_zh").trim().is_empty()
            && g("label_en").trim().is_empty()
        {
            continue;
        }
        let choices = g("choices")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut p = l.splitn(3, '|').map(|x| x.trim().to_string());
                ChoiceSpec {
                    value: p.next().unwrap_or_default(),
                    zh: p.next().unwrap_or_default(),
                    en: p.next().unwrap_or_default(),
                }
            })
            .collect();
        fields.push(FieldSpec {
            key: g("key").trim().to_string(),
            kind: g("kind"),
            required: g("required") == "1",
            label_zh: g("label_zh"),
            label_en: g("label_en"),
            help_zh: g("help_zh"),
            help_en: g("help_en"),
            choices,
        });
    }
    let mut documents = vec![];
    for i in 0..crate::domains::enterprises::model::form::MAX_DOCUMENTS + 5 {
        let g = |k: &str| f.raw_one(&format!("documents.{i}.{k}"));
        if g("key").trim().is_empty()
            && g("label_zh").trim().is_empty()
            && g("label_en").trim().is_empty()
        {
            continue;
        }
        documents.push(DocSpec {
            key: g("key").trim().to_string(),
            label_zh: g("label_zh"),
            label_en: g("label_en"),
            mandatory: g("mandatory") == "1",
            types: f.all(&format!("documents.{i}.types")),
        });
    }
    let steps = f
        .0
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("sla.").map(|s| (s.to_string(), v.trim().to_string())))
        .filter(|(_, v)| !v.is_empty())
        .map(|(status, v)| StepSla { status, sla_days: v.parse().unwrap_or(0) })
        .collect();
    FormSpec { fields, documents, steps, items: f.get("items") == "1" }
}

pub async fn save_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageCatalogue)?;
    let f = Pairs(pairs);
    let from = f.get("from_version").parse::<i64>().unwrap_or(-1);
    let spec = spec_of(&f);
    match service::save_form(&state, &ctx.0.who(), &user, &center_id, &id, from, spec.clone()).await
    {
        Ok(_) => Ok(Redirect::to(&format!("/services/catalogue/{id}")).into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let mut page = edit_page(&state, ctx, &id, Some(spec)).await?;
            page.errors = errors;
            page.alert = alert;
            again(status, &page)
        }
    }
}

pub async fn save_type(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageCatalogue)?;
    let f = Pairs(pairs);
    let names = (
        f.raw_one("name_zh"),
        f.raw_one("name_en"),
        f.raw_one("summary_zh"),
        f.raw_one("summary_en"),
    );
    let names = (names.0.as_str(), names.1.as_str(), names.2.as_str(), names.3.as_str());
    match service::update_type(
        &state,
        &ctx.0.who(),
        &user,
        &center_id,
        &id,
        names,
        f.get("active") == "1",
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/services/catalogue/{id}")).into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let mut page = edit_page(&state, ctx, &id, None).await?;
            page.errors = errors;
            page.alert = alert;
            again(status, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "enterprises/calendar.html")]
pub struct CalendarPage {
    pub ctx: PageCtx,
    pub days: Vec<CenterDay>,
    pub national: Vec<&'static crate::reference::workdays::Holiday>,
    pub may_edit: bool,
    pub errors: FormErrors,
}

async fn calendar_page(state: &AppState, ctx: PageCtx) -> AppResult<CalendarPage> {
    let (_, center_id) = ctx.0.require_center(Perm::HandleRequests)?;
    let days = service::days(state, &center_id).await?;
    let national = crate::reference::workdays::national().iter().collect();
    let may_edit = ctx.can(Perm::ManageCatalogue);
    Ok(CalendarPage { ctx, days, national, may_edit, errors: FormErrors::default() })
}

pub async fn calendar(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    Ok(render(&calendar_page(&state, ctx).await?)?.into_response())
}

pub async fn set_day(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageCatalogue)?;
    let f = Pairs(pairs);
    let result = service::set_day(
        &state,
        &ctx.0.who(),
        &user,
        &center_id,
        &f.get("day"),
        f.get("closed") == "1",
        &f.raw_one("note_zh"),
        &f.raw_one("note_en"),
    )
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/services/calendar").into_response()),
        Err(e) => {
            let (status, errors, _) = refusal(e, ctx.lang())?;
            let mut page = calendar_page(&state, ctx).await?;
            page.errors = errors;
            again(status, &page)
        }
    }
}

pub async fn remove_day(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(day): Path<String>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageCatalogue)?;
    match service::remove_day(&state, &ctx.0.who(), &user, &center_id, &day).await {
        Ok(()) | Err(AppError::NotFound) => Ok(Redirect::to("/services/calendar").into_response()),
        Err(e) => Err(e),
    }
}
