//! HTTP for signing in and out, user administration, tokens, and `/api/v1/me`.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{NewUser, UserEdit};
use super::service::{self, LoginError};
use super::views::{AccountPage, LoginPage, MeJson, TokenCreatedPage, UserJson, UsersPage};
use crate::auth::{Perm, Role};
use crate::clock::time_zone;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{Form, Json, Path, Query};
use crate::web::form::FormErrors;
use crate::web::list::{List, PageQuery, key_cursor};
use crate::web::{PageCtx, ReqCtx, cookies, render};

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    notice: String,
}

/// Only local paths are followed after login (no open redirect).
fn safe_next(next: &str) -> &str {
    crate::web::redirect::local_path(next).unwrap_or("/dashboard")
}

pub async fn login_page(ctx: PageCtx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    if ctx.signed_in() {
        return Ok(Redirect::to(safe_next(&q.next)).into_response());
    }
    let page = LoginPage {
        ctx,
        email: String::new(),
        next: q.next,
        error_key: String::new(),
        retry_after: String::new(),
        notice_key: if q.notice == "password-changed" {
            "login-password-changed".into()
        } else {
            String::new()
        },
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    match service::login(&state, &form.email, &form.password, &ctx.0.client_ip).await {
        Ok(session) => {
            let mut r = Redirect::to(safe_next(&form.next)).into_response();
            let cookie = cookies::set(
                cookies::SESSION,
                &session.token,
                session.max_age_secs,
                true,
                ctx.0.secure,
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(LoginError::Internal(e)) => Err(e),
        Err(err) => {
            let (status, key, wait) = match err {
                LoginError::Throttled(secs) => {
                    (StatusCode::TOO_MANY_REQUESTS, "login-throttled", secs)
                }
                _ => (StatusCode::UNAUTHORIZED, "login-failed", 0),
            };
            let page = LoginPage {
                ctx,
                email: form.email,
                next: form.next,
                error_key: key.into(),
                retry_after: ((wait + 59) / 60).to_string(),
                notice_key: String::new(),
            };
            let mut r = (status, render(&page)?).into_response();
            if wait > 0
                && let Ok(v) = HeaderValue::from_str(&wait.to_string())
            {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(r)
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        let center = ctx.0.actor.user().and_then(|u| u.center_id.clone());
        service::logout(&state, &ctx.0.who(), center.as_deref(), &token).await?;
    }
    let mut r = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookies::set(cookies::SESSION, "", 0, true, ctx.0.secure))
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

fn users_page(ctx: PageCtx, users: Vec<super::model::User>) -> UsersPage {
    UsersPage {
        ctx,
        users,
        roles: vec![Role::Admin, Role::Staff, Role::Interpreter, Role::Enterprise],
        notice_key: String::new(),
        form_email: String::new(),
        form_name: String::new(),
        form_role: "staff".into(),
        errors: FormErrors::default(),
        failed: String::new(),
    }
}

pub async fn users_index(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageUsers)?;
    let users = service::users_in(&state, &center_id).await?;
    let mut page = users_page(ctx, users);
    if matches!(q.notice.as_str(), "created" | "updated") {
        page.notice_key = format!("users-notice-{}", q.notice);
    }
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn users_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(f): Form<NewUserForm>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.0.require_center(Perm::ManageUsers)?;
    let parsed = NewUser::parse_in_center(
        &f.email,
        &f.display_name,
        &f.role,
        &f.password,
        center_id.clone(),
    );
    let result = match parsed {
        Ok(new) => service::create_user(&state, &ctx.0.who(), new).await.map(|_| ()),
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin/users?notice=created").into_response()),
        Err(AppError::Invalid(errors)) => {
            let users = service::users_in(&state, &center_id).await?;
            let mut page = users_page(ctx, users);
            page.form_email = f.email;
            page.form_name = f.display_name;
            page.form_role = f.role;
            page.errors = FormErrors(errors);
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct EditUserForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    active: Option<String>,
}

pub async fn users_update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<EditUserForm>,
) -> AppResult<Response> {
    let (me, center_id) = ctx.0.require_center(Perm::ManageUsers)?;
    let edit = UserEdit::parse(&f.display_name, &f.role, f.active.is_some(), me.id == id);
    let result = match edit {
        Ok(edit) => {
            service::update_user(&state, &ctx.0.who(), &center_id, &id, edit).await.map(|_| ())
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin/users?notice=updated").into_response()),
        Err(AppError::Invalid(errors)) => {
            let users = service::users_in(&state, &center_id).await?;
            if !users.iter().any(|u| u.id == id) {
                return Err(AppError::NotFound);
            }
            let mut page = users_page(ctx, users);
            page.errors = FormErrors(errors);
            page.failed = id;
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

/// Creates an API token for the signed-in user and shows it once.
pub async fn create_token(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(f): Form<TokenForm>,
) -> AppResult<Response> {
    let me = ctx.0.require(Perm::SignedIn)?;
    let token = service::create_token(&state, &ctx.0.who(), &me.email, &f.name).await?;
    Ok(render(&TokenCreatedPage { ctx, token })?.into_response())
}

/// The user's API tokens as the account page lists them.
async fn token_rows(
    state: &AppState,
    user_id: &str,
) -> AppResult<Vec<(String, String, String, bool)>> {
    let tz = time_zone("Asia/Shanghai");
    Ok(service::tokens(state, user_id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name, t.created_at.display_in(&tz), t.revoked))
        .collect())
}

/// The caller's own account: password and API tokens.
pub async fn account(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let me = ctx.0.require(Perm::SignedIn)?;
    let tokens = token_rows(&state, &me.id).await?;
    let notice_key = match q.notice.as_str() {
        "revoked" => "account-notice-revoked".to_string(),
        _ => String::new(),
    };
    let page = AccountPage {
        ctx,
        email: me.email.clone(),
        tokens,
        notice_key,
        errors: FormErrors::default(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    repeat_password: String,
}

/// Changes the caller's password; every session ends, so they sign in again.
pub async fn account_password(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let me = ctx.0.require(Perm::SignedIn)?;
    match service::change_own_password(
        &state,
        &ctx.0.who(),
        &me,
        &f.current_password,
        &f.new_password,
        &f.repeat_password,
    )
    .await
    {
        Ok(()) => {
            let mut r = Redirect::to("/login?notice=password-changed").into_response();
            if let Ok(v) =
                HeaderValue::from_str(&cookies::set(cookies::SESSION, "", 0, true, ctx.0.secure))
            {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(AppError::Invalid(errors)) => {
            let tokens = token_rows(&state, &me.id).await?;
            let page = AccountPage {
                ctx,
                email: me.email.clone(),
                tokens,
                notice_key: String::new(),
                errors: FormErrors(errors),
            };
            crate::web::form::again(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

/// Revokes one of the caller's API tokens.
pub async fn token_revoke(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let me = ctx.0.require(Perm::SignedIn)?;
    service::revoke_token(&state, &ctx.0.who(), &me, &id).await?;
    Ok(Redirect::to("/account?notice=revoked").into_response())
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeJson), (status = 401, description = "not signed in")),
    security(("bearer" = [])))]
pub async fn api_me(ctx: ReqCtx) -> AppResult<Json<MeJson>> {
    let me = ctx.require(Perm::SignedIn)?;
    Ok(Json(MeJson::from(me.as_ref())))
}

/// Users of the caller's center (admin), in the order they were added, a
/// page at a time.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(PageQuery),
    responses((status = 200, body = List<UserJson>), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn api_users(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<UserJson>>> {
    let (_, center_id) = ctx.require_center(Perm::ManageUsers)?;
    let (limit, (_, after)) = (page.size()?, page.after()?);
    let tz = crate::domains::centers::service::tz(&state, &center_id).await?;
    let rows = service::users_page(&state, &center_id, &after, limit + 1).await?;
    Ok(Json(List::page(
        rows,
        limit as usize,
        |u| key_cursor(0, &u.id),
        |u| UserJson::from_user(u, &tz),
    )))
}

/// A new account in the caller's center.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewUserJson {
    pub email: String,
    pub display_name: String,
    /// admin, staff, interpreter or enterprise.
    pub role: String,
    /// At least 10 characters.
    pub password: String,
}

/// Creates a user in the caller's center (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUserJson,
    responses((status = 201, body = UserJson), (status = 422, description = "invalid field")),
    security(("bearer" = [])))]
pub async fn api_users_create(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Json(body): Json<NewUserJson>,
) -> AppResult<Response> {
    let (_, center_id) = ctx.require_center(Perm::ManageUsers)?;
    let new = NewUser::parse_in_center(
        &body.email,
        &body.display_name,
        &body.role,
        &body.password,
        center_id,
    )
    .map_err(AppError::Invalid)?;
    let user = service::create_user(&state, &ctx.who(), new).await?;
    let location = format!("/api/v1/users/{}", user.id);
    let mut r = (StatusCode::CREATED, Json(UserJson::from_user(user, &time_zone("Asia/Shanghai"))))
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// One user of the caller's center (admin).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "accounts",
    params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = UserJson), (status = 404)),
    security(("bearer" = [])))]
pub async fn api_user_show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(id): Path<String>,
) -> AppResult<Json<UserJson>> {
    let (_, center_id) = ctx.require_center(Perm::ManageUsers)?;
    let user = service::users_in(&state, &center_id)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(Json(UserJson::from_user(user, &time_zone("Asia/Shanghai"))))
}
