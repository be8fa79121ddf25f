use super::service;
use crate::auth::Perm;
use crate::domains::visits::gift::service::GiftMove;
use crate::domains::visits::views::GiftsPage;
use crate::domains::visits::visit::pages::*;
use crate::error::{AppError, AppResult};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::form::FormErrors;
use crate::web::form::Pairs;
use crate::web::{PageCtx, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn give_gift(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    // The form gives; a positive number typed in still means pieces given.
    let quantity = -f.get("quantity").parse::<i64>().unwrap_or(0).abs();
    let m = GiftMove {
        gift_id: f.get("gift_id"),
        quantity,
        visit_id: id.clone(),
        recipient: f.get("recipient"),
        note: String::new(),
        confirm_repeat: !f.get("confirm_repeat").is_empty(),
    };
    let repeat = Some((m.gift_id.clone(), quantity.to_string(), m.recipient.clone()));
    let r = service::move_gift(&state, &ctx.0.who(), &user, m).await.map(|_| ());
    after(&state, ctx, &id, r, "visit-notice-saved", repeat).await
}

pub(in crate::domains::visits) async fn gifts_page(
    state: &AppState,
    ctx: PageCtx,
    errors: FormErrors,
    notice: String,
) -> AppResult<GiftsPage> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    Ok(GiftsPage {
        gifts: service::gifts(state, &center_id).await?,
        movements: service::movements(state, &center_id, "", "").await?,
        ctx,
        errors,
        notice,
    })
}

pub async fn gifts(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let page = gifts_page(&state, ctx, FormErrors::default(), notice_of(&q)).await?;
    Ok(render(&page)?.into_response())
}

pub(in crate::domains::visits) fn fen(yuan: &str) -> i64 {
    yuan.trim().parse::<f64>().map(|y| (y * 100.0).round() as i64).unwrap_or(-1)
}

pub async fn gift_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageVisits)?;
    let f = Pairs(pairs);
    let value = if f.get("value").is_empty() { 0 } else { fen(&f.get("value")) };
    match service::create_gift(
        &state,
        &ctx.0.who(),
        &center_id,
        Bilingual::new(f.get("name_zh"), f.get("name_en")),
        value,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/gifts?notice=visit-notice-saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = gifts_page(&state, ctx, FormErrors(errors), String::new()).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

pub async fn gift_stock(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let quantity = Pairs(pairs).get("quantity").parse::<i64>().unwrap_or(0).abs();
    let m = GiftMove { gift_id: id, quantity, ..GiftMove::default() };
    match service::move_gift(&state, &ctx.0.who(), &user, m).await {
        Ok(_) => Ok(Redirect::to("/gifts?notice=visit-notice-saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = gifts_page(&state, ctx, FormErrors(errors), String::new()).await?;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}
