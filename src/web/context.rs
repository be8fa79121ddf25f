//! The per-request context: built once by [`middleware`] before any handler
//! runs (language, caller, CSRF token, client address), stored in the
//! request's extensions, and finished on the way out (cookies to set, errors
//! to render).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{cookies, csrf, errors};
use crate::audit::Who;
use crate::state::AppState;
use std::sync::Arc;

use crate::auth::{Actor, CurrentUser, Perm, secret, store};
use crate::error::AppError;
use crate::i18n::Lang;

#[derive(Debug, Clone)]
pub struct ReqCtx {
    pub lang: Lang,
    pub actor: Actor,
    /// The token forms must send back: the session's, or the anonymous cookie's.
    pub csrf_token: String,
    pub client_ip: String,
    /// Path and query as requested, for the language switch.
    pub path: String,
    pub query: String,
    /// Under `/api/`: errors are problem+json.
    pub is_api: bool,
    /// Cookies must be `Secure`.
    pub secure: bool,
    /// Credentials were presented but are not valid.
    pub bad_credentials: bool,
    /// Items waiting in the approval inbox, for those who see it (pages only).
    pub pending_approvals: i64,
    /// For a page answering a POST: the page the form was on (path and
    /// query from a same-site `Referer`, else `/`), where the language
    /// switch leads — the POST address itself has no page to show.
    pub back: Option<String>,
}

impl ReqCtx {
    /// Who is acting, for the audit log.
    pub fn who(&self) -> Who {
        Who {
            user_id: self.actor.user().map(|u| u.id.clone()),
            label: self.actor.label(),
            client_ip: self.client_ip.clone(),
        }
    }
}

impl ReqCtx {
    /// The signed-in user if they hold `perm`: 401 for the public (a login
    /// redirect on pages), 403 for a user without it.
    pub fn require(&self, perm: Perm) -> Result<Arc<CurrentUser>, AppError> {
        match &self.actor {
            Actor::Anonymous => Err(AppError::Unauthorized),
            Actor::User(u) if self.actor.can(perm) => Ok(u.clone()),
            Actor::User(_) => Err(AppError::Forbidden),
        }
    }

    /// The caller's own center, for actions that change it.
    pub fn require_center(&self, perm: Perm) -> Result<(Arc<CurrentUser>, String), AppError> {
        let user = self.require(perm)?;
        let center = user.center_id.clone().ok_or(AppError::Forbidden)?;
        Ok((user, center))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ReqCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ReqCtx>()
            .cloned()
            .ok_or_else(|| AppError::internal("request context missing"))
    }
}

/// Language: `?lang=`, then the cookie, then `Accept-Language`, then Chinese.
pub fn negotiate_lang(query: &str, headers: &HeaderMap) -> (Lang, bool) {
    let from_query = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "lang"))
        .and_then(|(_, v)| Lang::parse(&v));
    if let Some(l) = from_query {
        return (l, true);
    }
    let from_cookie = cookies::get(headers, cookies::LANG).and_then(|v| Lang::parse(&v));
    let from_header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    (from_cookie.or(from_header).unwrap_or_default(), false)
}

/// The client's address. Behind `hops` proxies of our own, it is the
/// `X-Forwarded-For` entry the outermost of them added — the `hops`-th from
/// the right; entries further left are whatever the client sent, and are
/// never believed. An entry that is not an IP address, or a header with
/// fewer entries than hops, falls back to the peer address.
fn client_ip(req: &Request, trust_forwarded: bool, hops: usize) -> String {
    if trust_forwarded {
        let values: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if let Some(ip) = forwarded_client(&values, hops) {
            return ip.to_string();
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The address our outermost proxy saw, from every `X-Forwarded-For` value
/// in order (see [`client_ip`]).
fn forwarded_client(values: &[&str], hops: usize) -> Option<std::net::IpAddr> {
    let entries: Vec<&str> = values.iter().flat_map(|v| v.split(',')).map(str::trim).collect();
    let at = entries.len().checked_sub(hops.max(1))?;
    entries.get(at)?.parse().ok()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

async fn resolve_actor(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Actor, bool, bool), AppError> {
    if let Some(token) = bearer(headers) {
        let digest = secret::digest(token);
        let user = state
            .actors
            .get_or_read(&format!("token {digest}"), || {
                store::user_by_api_token(&state.db, &digest)
            })
            .await?;
        return Ok(match user {
            Some(u) => (Actor::User(u), false, true),
            None => (Actor::Anonymous, true, true),
        });
    }
    if let Some(token) = cookies::get(headers, cookies::SESSION) {
        let digest = secret::digest(&token);
        let user = state
            .actors
            .get_or_read(&format!("session {digest}"), || {
                store::user_by_session(&state.db, &digest, state.clock.now())
            })
            .await?;
        if let Some(u) = user {
            return Ok((Actor::User(u), false, false));
        }
    }
    Ok((Actor::Anonymous, false, false))
}

/// The path and query of the `Referer` when it is a page of this site.
fn same_site_referer(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let rest = referer.strip_prefix("https://").or_else(|| referer.strip_prefix("http://"))?;
    let path = rest.strip_prefix(host)?;
    let path = path.split('#').next().unwrap_or("");
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

/// Builds the [`ReqCtx`], checks CSRF on state-changing requests, runs the
/// handler, then sets the cookies the context asked for and renders errors.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let is_api = path.starts_with("/api/");
    let (lang, lang_from_query) = negotiate_lang(&query, req.headers());
    let secure = state.config.secure_cookies
        || (state.config.trust_forwarded_for
            && req.headers().get("x-forwarded-proto").is_some_and(|v| v == "https"));
    let client_ip = client_ip(&req, state.config.trust_forwarded_for, state.config.trusted_proxies);
    let anon_csrf = cookies::get(req.headers(), cookies::CSRF);
    let mut ctx = ReqCtx {
        lang,
        actor: Actor::Anonymous,
        csrf_token: String::new(),
        client_ip,
        path,
        query,
        is_api,
        secure,
        bad_credentials: false,
        pending_approvals: 0,
        back: (!matches!(*req.method(), Method::GET | Method::HEAD))
            .then(|| same_site_referer(req.headers()).unwrap_or_else(|| "/".into())),
    };

    let resolved = resolve_actor(&state, req.headers()).await;
    let (actor, bad_credentials, by_bearer) = match resolved {
        Ok(r) => r,
        Err(e) => return errors::render(&ctx, e),
    };
    ctx.actor = actor;
    ctx.bad_credentials = bad_credentials;
    if !is_api
        && ctx.actor.can(Perm::SeeApprovals)
        && let Some(center) = ctx.actor.user().and_then(|u| u.center_id.clone())
    {
        ctx.pending_approvals =
            crate::approvals::count_pending(&state.db, &center).await.unwrap_or(0);
    }
    let new_anon_csrf = match (ctx.actor.user().and_then(|u| u.csrf_token.clone()), &anon_csrf) {
        (Some(session_token), _) => {
            ctx.csrf_token = session_token;
            None
        }
        (None, Some(cookie)) if cookie.len() == 64 => {
            ctx.csrf_token = cookie.clone();
            None
        }
        (None, _) => {
            let fresh = secret::random_token();
            ctx.csrf_token = fresh.clone();
            Some(fresh)
        }
    };

    let mut req = req;
    if csrf::needs_check(req.method(), &ctx, by_bearer, req.headers()) {
        match csrf::verify(req, &ctx).await {
            Ok(r) => req = r,
            Err(e) => return errors::render(&ctx, e),
        }
    }
    req.extensions_mut().insert(ctx.clone());

    let writes = !req.method().is_safe();
    let reads_page = matches!(*req.method(), Method::GET | Method::HEAD) && !is_api;
    let mut response = next.run(req).await;
    // An address that only takes a form (a refused form's address reloaded,
    // or reached by the language switch) leads to the page it belongs to.
    if reads_page && response.status() == axum::http::StatusCode::METHOD_NOT_ALLOWED {
        let to = parent_path(&ctx.path);
        let to = if lang_from_query { format!("{to}?lang={}", lang.tag()) } else { to };
        response = axum::response::Redirect::to(&to).into_response();
    }
    if writes {
        state.pages.clear();
    }
    if let Some(marker) = response.extensions().get::<crate::error::ErrorMarker>().cloned() {
        let mut rendered = errors::render(&ctx, (*marker.0).clone());
        for (name, value) in response.headers() {
            if name == header::SET_COOKIE {
                rendered.headers_mut().append(name.clone(), value.clone());
            }
        }
        response = rendered;
    }
    let headers = response.headers_mut();
    if lang_from_query {
        push_cookie(headers, &cookies::set(cookies::LANG, lang.tag(), 365 * 86400, false, secure));
    }
    // Only pages carry forms; assets and the API need no anonymous token.
    let is_page = !is_api
        && !ctx.path.starts_with("/static/")
        && !ctx.path.starts_with("/media/")
        && ctx.path != "/healthz";
    if let (Some(token), true) = (new_anon_csrf, is_page) {
        push_cookie(headers, &cookies::set(cookies::CSRF, &token, 86400, true, secure));
    }
    headers.insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    response
}

/// `/visits/v1/transition` → `/visits/v1`; `/bookings` → `/`.
fn parent_path(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => trimmed[..i].into(),
    }
}

fn push_cookie(headers: &mut HeaderMap, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.append(header::SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_form_address_leads_to_its_page() {
        assert_eq!(parent_path("/visits/v1/transition"), "/visits/v1");
        assert_eq!(parent_path("/visits/v1/members/m1/"), "/visits/v1/members");
        assert_eq!(parent_path("/bookings"), "/");
        assert_eq!(parent_path("/"), "/");
    }

    #[test]
    fn query_beats_cookie_beats_header() {
        let h = headers(&[("cookie", "liaison_lang=en"), ("accept-language", "zh-CN")]);
        assert_eq!(negotiate_lang("lang=zh-CN", &h), (Lang::Zh, true));
        assert_eq!(negotiate_lang("", &h), (Lang::En, false));
        let h = headers(&[("accept-language", "en-GB,en;q=0.8")]);
        assert_eq!(negotiate_lang("x=1", &h), (Lang::En, false));
        assert_eq!(negotiate_lang("lang=fr", &HeaderMap::new()), (Lang::Zh, false));
        assert_eq!(negotiate_lang("%%%", &HeaderMap::new()), (Lang::Zh, false));
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        let h = headers(&[("authorization", "bearer lsn_abc")]);
        assert_eq!(bearer(&h), Some("lsn_abc"));
        let h = headers(&[("authorization", "Basic abc")]);
        assert_eq!(bearer(&h), None);
    }
}
