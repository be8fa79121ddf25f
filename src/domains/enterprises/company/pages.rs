//! Enterprise pages (staff): the list with search and registration, and an
//! enterprise's page (details, contacts, the accounts acting for it).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, Enterprise, Member};
use crate::auth::Perm;
use crate::domains::enterprises::model::EnterpriseDraft;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::list::{PageQuery, key_cursor, split_page};
use crate::web::{PageCtx, render};

const PER_PAGE: i64 = 50;
/// Contact rows a form offers.
const CONTACT_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "enterprises/enterprises.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<Enterprise>,
    pub next: Option<String>,
    pub q: String,
    pub form: Pairs,
    pub errors: FormErrors,
}

impl ListPage {
    pub fn next_query(&self, cursor: &str) -> String {
        serde_urlencoded::to_string([("q", self.q.as_str()), ("cursor", cursor)])
            .unwrap_or_default()
    }
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
    pub fn contact_rows(&self) -> Vec<usize> {
        (0..CONTACT_ROWS).collect()
    }
    pub fn v(&self, k: impl AsRef<str>) -> String {
        self.form.raw_one(k.as_ref())
    }
    pub fn contact(&self, i: &usize, f: &str) -> String {
        self.form.raw_one(&format!("contacts.{i}.{f}"))
    }
    pub fn error(&self, k: impl AsRef<str>) -> String {
        self.errors.get(&self.ctx, k.as_ref())
    }
    pub fn contact_error(&self, i: &usize, f: &str) -> String {
        self.errors.get(&self.ctx, &format!("contacts.{i}.{f}"))
    }
}

async fn list_page(state: &AppState, ctx: PageCtx, q: Pairs) -> AppResult<ListPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageEnterprises)?;
    let words = q.get("q");
    let after =
        PageQuery { cursor: q.get("cursor"), limit: None }.after().map(|a| a.1).unwrap_or_default();
    let rows =
        service::page(state, &center_id, &words, &after, PER_PAGE + 1).await.unwrap_or_default();
    let (rows, next) = split_page(rows, PER_PAGE as usize, |e| key_cursor(0, &e.id));
    Ok(ListPage { ctx, rows, next, q: words, form: Pairs(vec![]), errors: FormErrors::default() })
}

pub async fn index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    Ok(render(&list_page(&state, ctx, Pairs(q)).await?)?.into_response())
}

fn draft_of(f: &Pairs) -> (Vec<[String; 4]>, [String; 7]) {
    let contacts = (0..crate::domains::enterprises::model::MAX_CONTACTS)
        .filter(|i| f.0.iter().any(|(k, _)| k.starts_with(&format!("contacts.{i}."))))
        .map(|i| {
            ["name", "title", "phone", "email"].map(|k| f.raw_one(&format!("contacts.{i}.{k}")))
        })
        .collect();
    let fields =
        ["uscc", "name_zh", "name_en", "address_zh", "address_en", "settled", "settled_on"]
            .map(|k| f.raw_one(k));
    (contacts, fields)
}

fn parse(f: &Pairs) -> Result<crate::domains::enterprises::model::EnterpriseInput, AppError> {
    let (contacts, v) = draft_of(f);
    EnterpriseDraft {
        uscc: &v[0],
        name_zh: &v[1],
        name_en: &v[2],
        address_zh: &v[3],
        address_en: &v[4],
        settled: v[5] == "1",
        settled_on: &v[6],
        contacts: contacts
            .iter()
            .map(|c| (c[0].as_str(), c[1].as_str(), c[2].as_str(), c[3].as_str()))
            .collect(),
    }
    .check()
    .map_err(AppError::Invalid)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageEnterprises)?;
    let f = Pairs(pairs);
    let result = match parse(&f) {
        Ok(input) => service::create(&state, &ctx.0.who(), &user, &center_id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(e) => Ok(Redirect::to(&format!("/services/enterprises/{}", e.id)).into_response()),
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
#[template(path = "enterprises/enterprise.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub e: Enterprise,
    pub members: Vec<Member>,
    pub form: Pairs,
    pub errors: FormErrors,
    pub alert: String,
}

impl ShowPage {
    pub fn contact_rows(&self) -> Vec<usize> {
        (0..(self.e.contacts.len() + 1).min(crate::domains::enterprises::model::MAX_CONTACTS))
            .collect()
    }
    pub fn v(&self, k: impl AsRef<str>) -> String {
        let k = k.as_ref();
        if !self.form.0.is_empty() {
            return self.form.raw_one(k);
        }
        let e = &self.e;
        match k {
            "uscc" => e.uscc.clone(),
            "name_zh" => e.name_zh.clone(),
            "name_en" => e.name_en.clone(),
            "address_zh" => e.address_zh.clone(),
            "address_en" => e.address_en.clone(),
            "settled" => {
                if e.settled {
                    "1".into()
                } else {
                    String::new()
                }
            }
            "settled_on" => e.settled_on.clone().unwrap_or_default(),
            "version" => e.version.to_string(),
            _ => String::new(),
        }
    }
    pub fn contact(&self, i: &usize, f: &str) -> String {
        if !self.form.0.is_empty() {
            return self.form.raw_one(&format!("contacts.{i}.{f}"));
        }
        self.e
            .contacts
            .get(*i)
            .map(|c| match f {
                "name" => c.name.clone(),
                "title" => c.title.clone(),
                "phone" => c.phone.clone(),
                _ => c.email.clone(),
            })
            .unwrap_or_default()
    }
    pub fn error(&self, k: impl AsRef<str>) -> String {
        self.errors.get(&self.ctx, k.as_ref())
    }
    pub fn contact_error(&self, i: &usize, f: &str) -> String {
        self.errors.get(&self.ctx, &format!("contacts.{i}.{f}"))
    }
}

async fn show_page(state: &AppState, ctx: PageCtx, id: &str) -> AppResult<ShowPage> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageEnterprises)?;
    let e = service::get(state, &user, &center_id, id).await?;
    let members = service::members(state, &e.id).await?;
    Ok(ShowPage {
        ctx,
        e,
        members,
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        alert: String::new(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    Ok(render(&show_page(&state, ctx, &id).await?)?.into_response())
}

async fn refused(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    f: Pairs,
    e: AppError,
) -> AppResult<Response> {
    let (status, errors, alert) = refusal(e, ctx.lang())?;
    let mut page = show_page(state, ctx, id).await?;
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
    let (user, center_id) = ctx.0.require_center(Perm::ManageEnterprises)?;
    let f = Pairs(pairs);
    let version = f.get("version").parse::<i64>().unwrap_or(-1);
    let result = match parse(&f) {
        Ok(input) => {
            service::update(&state, &ctx.0.who(), &user, &center_id, &id, version, input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/services/enterprises/{id}")).into_response()),
        Err(e) => refused(&state, ctx, &id, f, e).await,
    }
}

pub async fn add_member(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageEnterprises)?;
    let f = Pairs(pairs);
    let email = f.get("email");
    let result = match crate::error::at_most("email", &email, 254) {
        Ok(()) => service::add_member(&state, &ctx.0.who(), &user, &center_id, &id, &email).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/services/enterprises/{id}")).into_response()),
        Err(e) => refused(&state, ctx, &id, Pairs(vec![]), e).await,
    }
}

pub async fn remove_member(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, user_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageEnterprises)?;
    service::remove_member(&state, &ctx.0.who(), &user, &center_id, &id, &user_id).await?;
    Ok(Redirect::to(&format!("/services/enterprises/{id}")).into_response())
}
