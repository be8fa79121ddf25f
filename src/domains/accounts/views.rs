//! Pages and JSON shapes for accounts.

use askama::Template;
use serde::Serialize;

use super::model::User;
use crate::auth::{CurrentUser, Role};
use crate::web::PageCtx;
use crate::web::form::FormErrors;

#[derive(Template)]
#[template(path = "accounts/login_page.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub email: String,
    pub next: String,
    /// Fluent key of the message to show, or empty.
    pub error_key: String,
    pub retry_after: String,
    pub notice_key: String,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    pub ctx: PageCtx,
    pub email: String,
    /// (id, name, created, revoked)
    pub tokens: Vec<(String, String, String, bool)>,
    pub notice_key: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "accounts/users_index.html")]
pub struct UsersPage {
    pub ctx: PageCtx,
    pub users: Vec<User>,
    pub roles: Vec<Role>,
    pub notice_key: String,
    /// The new-user form as sent, when it failed.
    pub form_email: String,
    pub form_name: String,
    pub form_role: String,
    pub errors: FormErrors,
    /// The user whose edit failed.
    pub failed: String,
}

impl UsersPage {
    pub fn created_label(&self, u: &User) -> String {
        u.created_at.display_in(&crate::clock::time_zone("Asia/Shanghai"))
    }
}

#[derive(Template)]
#[template(path = "accounts/token_created.html")]
pub struct TokenCreatedPage {
    pub ctx: PageCtx,
    pub token: String,
}

/// The caller.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MeJson {
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// admin, staff, interpreter, enterprise or oversight.
    pub role: String,
    /// The user's own center; null for oversight.
    pub center_id: Option<String>,
    /// Centers whose records the caller may read.
    pub centers: Vec<String>,
}

impl From<&CurrentUser> for MeJson {
    fn from(u: &CurrentUser) -> MeJson {
        MeJson {
            id: u.id.clone(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role.code().into(),
            center_id: u.center_id.clone(),
            centers: u.scope.clone(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserJson {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub active: bool,
    pub center_id: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

impl UserJson {
    pub fn from_user(u: User, tz: &jiff::tz::TimeZone) -> UserJson {
        UserJson {
            created_at: u.created_at.rfc3339_in(tz),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role.code().into(),
            active: u.active,
            center_id: u.center_id,
        }
    }
}
