//! The figures page: the same numbers as `/api/v1/service-figures`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::service::{self, Figures};
use crate::auth::Perm;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::form::{FormErrors, Pairs};
use crate::web::{PageCtx, render};

#[derive(Template)]
#[template(path = "enterprises/figures.html")]
pub struct FiguresPage {
    pub ctx: PageCtx,
    pub f: Figures,
    pub errors: FormErrors,
}

impl FiguresPage {
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.ctx.lang().pick_either(zh, en)
    }
}

pub async fn figures(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ViewFigures)?;
    let q = Pairs(q);
    let (as_of, errors) = match crate::time::parse_day("as_of", &q.get("as_of"), false) {
        Ok(d) => (d, FormErrors::default()),
        Err(e) => (None, FormErrors(vec![e])),
    };
    let f = service::figures(&state, &center_id, as_of).await?;
    Ok(render(&FiguresPage { ctx, f, errors })?.into_response())
}
