//! What every HTML page gets: [`PageCtx`] (language, caller, CSRF token,
//! navigation by role) and [`render`]. Templates call `ctx.t("key")` for text.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Html;

use super::ReqCtx;
use crate::auth::{Perm, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;

/// The context a page template reads.
#[derive(Debug, Clone)]
pub struct PageCtx(pub ReqCtx);

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(PageCtx(ReqCtx::from_request_parts(parts, state).await?))
    }
}

/// One entry of the navigation bar.
pub struct NavItem {
    pub id: &'static str,
    pub href: &'static str,
    pub label: String,
    pub active: bool,
    /// A count shown beside the label (pending approvals), or 0.
    pub count: i64,
}

/// See [`PageCtx::language_picker`].
pub struct LanguagePicker {
    pub choices: Vec<crate::reference::languages::Choice>,
    pub other: String,
}

impl PageCtx {
    pub fn lang(&self) -> Lang {
        self.0.lang
    }

    /// Translated text for a key.
    pub fn t(&self, key: impl AsRef<str>) -> String {
        self.0.lang.t(key.as_ref())
    }

    /// Translated text with one named argument.
    pub fn t1(&self, key: impl AsRef<str>, name: &str, value: impl AsRef<str>) -> String {
        self.0.lang.t_args(key.as_ref(), &[(name, value.as_ref().to_string())])
    }

    /// The side of a bilingual pair for this page's language.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.0.lang.pick(zh, en)
    }

    /// The side for this page's language, or the other when it is empty.
    pub fn pick_either<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.0.lang.pick_either(zh, en)
    }

    /// The other side of the pair (shown smaller, as on bilingual signs).
    pub fn pick_other<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.0.lang.other().pick(zh, en)
    }

    pub fn lang_tag(&self) -> &'static str {
        self.0.lang.tag()
    }

    pub fn other_lang_tag(&self) -> &'static str {
        self.0.lang.other().tag()
    }

    /// The other language's name, in that language ("English" / "中文").
    pub fn other_lang_name(&self) -> String {
        self.0.lang.other().t("lang-name")
    }

    /// This page in the other language. A page answering a POST (a refused
    /// form) has no address of its own: the switch leads to the page the
    /// form was on, and `app.js` sends the form again in the other language
    /// so what was typed stays ([`PageCtx::answers_post`]).
    pub fn switch_href(&self) -> String {
        let (path, query) = match &self.0.back {
            Some(back) => back.split_once('?').unwrap_or((back.as_str(), "")),
            None => (self.0.path.as_str(), self.0.query.as_str()),
        };
        let mut pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).unwrap_or_default();
        pairs.retain(|(k, _)| k != "lang");
        pairs.push(("lang".into(), self.0.lang.other().tag().into()));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{path}?{query}")
    }

    /// This page answers a submitted form.
    pub fn answers_post(&self) -> bool {
        self.0.back.is_some()
    }

    pub fn csrf(&self) -> &str {
        &self.0.csrf_token
    }

    pub fn signed_in(&self) -> bool {
        self.0.actor.user().is_some()
    }

    pub fn user_name(&self) -> String {
        self.0.actor.user().map(|u| u.display_name.clone()).unwrap_or_default()
    }

    pub fn role_label(&self) -> String {
        self.0.actor.role().map(|r| self.t(r.label_key())).unwrap_or_default()
    }

    pub fn role(&self) -> Option<Role> {
        self.0.actor.role()
    }

    pub fn can(&self, perm: Perm) -> bool {
        self.0.actor.can(perm)
    }

    /// The navigation for this caller's role.
    pub fn nav(&self) -> Vec<NavItem> {
        // Signed-in users reach the home page by the brand; the menu starts
        // at their work.
        let mut items: Vec<(&'static str, &'static str, &'static str)> = vec![];
        if self.can(Perm::SignedIn) {
            items.push(("dashboard", "/dashboard", "nav-dashboard"));
        } else {
            items.push(("home", "/", "nav-home"));
        }
        items.push(("events", "/events", "nav-events"));
        if self.can(Perm::ManageHall) {
            items.push(("hall", "/hall/day", "nav-hall"));
        } else if self.can(Perm::ViewFigures) {
            items.push(("hall", "/hall/figures", "nav-hall"));
        } else {
            items.push(("hall", "/hall", "nav-hall"));
        }
        if !self.signed_in() {
            items.push(("news", "/news", "nav-news"));
            items.push(("ask-visit", "/visit-request", "nav-visit-request"));
        }
        if self.can(Perm::ViewVenues) {
            items.push(("venues", "/venues", "nav-venues"));
        }
        if self.can(Perm::ManageVisits) {
            items.push(("visits", "/visits", "nav-visits"));
        }
        if self.0.actor.role() == Some(Role::Interpreter) {
            items.push(("interpreting", "/interpreting/mine", "nav-interpreting"));
        } else if self.can(Perm::ManageVisits) {
            items.push(("interpreting", "/interpreting", "nav-interpreting"));
        }
        // The admin's row is full at 1280 px: they reach the glossary from
        // the settings page.
        if self.can(Perm::ViewGlossary) && !self.can(Perm::ManageUsers) {
            items.push(("glossary", "/glossary", "nav-glossary"));
        }
        // The newsroom; admins (the senior editors) reach it from the
        // settings page and from the notice of each article submitted.
        if self.can(Perm::WriteNews) && !self.can(Perm::ManageUsers) {
            items.push(("newsroom", "/news/articles", "nav-newsroom"));
        }
        // Enterprise services: the officers' queue, an enterprise's own
        // page; admins reach it from the settings page.
        if (self.can(Perm::HandleRequests) || self.can(Perm::FileRequests))
            && !self.can(Perm::ManageUsers)
        {
            items.push(("services", "/services", "nav-services"));
        }
        if self.can(Perm::SeeApprovals) {
            items.push(("inbox", "/inbox", "nav-inbox"));
        }
        if self.can(Perm::ManageUsers) {
            items.push(("users", "/admin/users", "nav-users"));
        }
        if self.can(Perm::ManageCenter) {
            items.push(("settings", "/admin/settings", "nav-settings"));
        }
        if self.can(Perm::ViewAudit) {
            items.push(("audit", "/admin/audit", "nav-audit"));
        }
        let path = self.0.path.as_str();
        items
            .into_iter()
            .map(|(id, href, key)| NavItem {
                id,
                href,
                label: self.t(key),
                active: match id {
                    "hall" => path.starts_with("/hall"),
                    _ if href == "/" => path == "/",
                    _ => path.starts_with(href),
                },
                count: if id == "inbox" { self.0.pending_approvals } else { 0 },
            })
            .collect()
    }

    /// The named languages as boxes for a comma-separated value, and what
    /// of it has no box (`layout/macros.html`, `languages`).
    pub fn language_picker(&self, value: &str) -> LanguagePicker {
        let (choices, other) = crate::reference::languages::picker(self.0.lang, value);
        LanguagePicker { choices, other }
    }

    /// The current path, for a `next` parameter.
    pub fn path(&self) -> &str {
        &self.0.path
    }
}

/// Renders a template into an HTML response.
pub fn render<T: Template>(template: &T) -> AppResult<Html<String>> {
    template.render().map(Html).map_err(|e| AppError::internal(format!("template: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Actor;

    fn ctx(path: &str, query: &str, lang: Lang) -> PageCtx {
        PageCtx(ReqCtx {
            lang,
            actor: Actor::Anonymous,
            csrf_token: String::new(),
            client_ip: String::new(),
            path: path.into(),
            query: query.into(),
            is_api: false,
            secure: false,
            bad_credentials: false,
            pending_approvals: 0,
            back: None,
        })
    }

    #[test]
    fn the_switch_keeps_the_query_and_flips_the_language() {
        assert_eq!(ctx("/", "", Lang::Zh).switch_href(), "/?lang=en");
        assert_eq!(
            ctx("/admin/audit", "entity=user&lang=en", Lang::En).switch_href(),
            "/admin/audit?entity=user&lang=zh-CN"
        );
        let mut refused = ctx("/bookings", "", Lang::En);
        refused.0.back = Some("/venues/rooms/r1/book?start=2026-12-01".into());
        assert_eq!(refused.switch_href(), "/venues/rooms/r1/book?start=2026-12-01&lang=zh-CN");
        assert!(refused.answers_post());
    }

    #[test]
    fn the_public_sees_home_the_hall_the_news_and_the_visit_request() {
        let nav = ctx("/", "", Lang::En).nav();
        assert_eq!(
            nav.iter().map(|n| n.id).collect::<Vec<_>>(),
            vec!["home", "events", "hall", "news", "ask-visit"]
        );
        assert!(nav[0].active);
        let hall = ctx("/hall/book", "", Lang::En).nav();
        assert!(hall.iter().any(|n| n.id == "hall" && n.active && n.href == "/hall"));
    }
}
