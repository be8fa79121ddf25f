//! The site's pages as the public reads them (from the page cache), and
//! the senior editor's list and editor.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::service;
use crate::auth::Perm;
use crate::center::Center;
use crate::domains::centers::model::Zone;
use crate::domains::centers::service as centers;
use crate::domains::news::model::{PageInput, PageKey, SitePage, render_markdown};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::{PageCtx, render};

#[derive(Template)]
#[template(path = "news/site_page.html")]
pub struct PublicPage {
    pub ctx: PageCtx,
    pub center: Center,
    pub key: PageKey,
    pub title: String,
    pub body_html: String,
    /// The zones page lists them; others none.
    pub zones: Vec<Zone>,
}

/// `/about`, `/zones`, `/contact`, `/privacy`, `/accessibility`.
pub async fn show(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let key = PageKey::exact(ctx.0.path.trim_start_matches('/')).ok_or(AppError::NotFound)?;
    let pages = state.pages.clone();
    pages
        .public(ctx, &format!("page|{}", key.code()), |ctx| async move {
            let center = centers::public_center(&state).await?.ok_or(AppError::NotFound)?;
            let p = service::get(&state, &center.id, key).await?;
            let zones = if key == PageKey::Zones {
                centers::zones(&state, &center.id).await?
            } else {
                vec![]
            };
            let page = PublicPage {
                title: ctx.pick_either(&p.title_zh, &p.title_en).to_string(),
                body_html: render_markdown(ctx.pick_either(&p.body_zh, &p.body_en)),
                key,
                zones,
                center,
                ctx,
            };
            Ok(render(&page)?.0)
        })
        .await
}

#[derive(Template)]
#[template(path = "news/site_pages.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub pages: Vec<SitePage>,
}

pub async fn index(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::PublishNews)?;
    let mut pages = vec![];
    for k in PageKey::ALL {
        pages.push(service::get(&state, &center_id, *k).await?);
    }
    Ok(render(&ListPage { ctx, pages })?.into_response())
}

#[derive(Template)]
#[template(path = "news/site_page_edit.html")]
pub struct EditPage {
    pub ctx: PageCtx,
    pub p: SitePage,
    pub form: Pairs,
    pub errors: FormErrors,
    pub alert: String,
}

impl EditPage {
    pub fn value(&self, field: &str) -> String {
        if let Some((_, v)) = self.form.0.iter().find(|(k, _)| k == field) {
            return v.clone();
        }
        match field {
            "title_zh" => self.p.title_zh.clone(),
            "title_en" => self.p.title_en.clone(),
            "body_zh" => self.p.body_zh.clone(),
            "body_en" => self.p.body_en.clone(),
            "version" => self.p.version.to_string(),
            _ => String::new(),
        }
    }
}

/// The page's key from the address: a key, or a written page's id (the
/// glossary's findings link by id).
async fn key_of(state: &AppState, center_id: &str, k: &str) -> AppResult<(PageKey, bool)> {
    match PageKey::exact(k) {
        Some(key) => Ok((key, false)),
        None => Ok((service::key_of(state, center_id, k).await?, true)),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(k): Path<String>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::PublishNews)?;
    let (key, by_id) = key_of(&state, &center_id, &k).await?;
    if by_id {
        return Ok(Redirect::to(&format!("/news/pages/{}", key.code())).into_response());
    }
    let p = service::get(&state, &center_id, key).await?;
    let page = EditPage {
        ctx,
        p,
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        alert: String::new(),
    };
    Ok(render(&page)?.into_response())
}

pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(k): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::PublishNews)?;
    let key = PageKey::exact(&k).ok_or(AppError::NotFound)?;
    let f = Pairs(pairs);
    let version = f.get("version").parse::<i64>().unwrap_or(-1);
    let result = match PageInput::parse(
        &f.raw_one("title_zh"),
        &f.raw_one("title_en"),
        &f.raw_one("body_zh"),
        &f.raw_one("body_en"),
    ) {
        Ok(input) => {
            service::save(&state, &ctx.0.who(), &user, &center_id, key, version, input).await
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/news/pages?saved=1").into_response()),
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let p = service::get(&state, &center_id, key).await?;
            again(status, &EditPage { ctx, p, form: f, errors, alert })
        }
    }
}
