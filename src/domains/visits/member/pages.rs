use super::service;
use crate::auth::Perm;
use crate::domains::visits::member::service::MemberInput;
use crate::domains::visits::visit::pages::*;
use crate::error::AppResult;
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::extract::{Form, Path};
use crate::web::form::Pairs;
use axum::extract::State;
use axum::response::Response;

fn input_of(f: &Pairs) -> MemberInput {
    MemberInput {
        surname: f.get("surname"),
        given_name: f.get("given_name"),
        name_zh: f.get("name_zh"),
        gender: f.get("gender"),
        title: Bilingual::new(f.get("title_zh"), f.get("title_en")),
        organisation: f.get("organisation"),
        languages: f.joined("languages"),
        dietary: f.get("dietary"),
        email: f.get("email"),
        phone: f.get("phone"),
        is_head: !f.get("is_head").is_empty(),
        passport: f.get("passport"),
    }
}

/// Adds a member; the page comes back at the delegation list.
pub async fn member_add(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let input = input_of(&Pairs(pairs));
    let r = service::add_member(&state, &ctx.0.who(), &user, &id, input).await.map(|_| ());
    after_at(&state, ctx, &id, r, "visit-notice-saved", "members").await
}

pub async fn member_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, member)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let input = input_of(&Pairs(pairs));
    let r =
        service::update_member(&state, &ctx.0.who(), &user, &id, &member, input).await.map(|_| ());
    after_at(&state, ctx, &id, r, "visit-notice-saved", "members").await
}

pub async fn member_delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, member)): Path<(String, String)>,
) -> AppResult<Response> {
    let (user, _) = ctx.0.require_center(Perm::ManageVisits)?;
    let r = service::remove_member(&state, &ctx.0.who(), &user, &id, &member).await;
    after_at(&state, ctx, &id, r, "visit-notice-saved", "members").await
}
