//! The two kinds of route a domain serves, kept apart by type so the OpenAPI
//! document cannot drift from the router:
//! - [`Api`]: JSON operations. The only way in is [`Api::routes`] with
//!   `utoipa_axum::routes!`, which takes method and path from the handler's
//!   `#[utoipa::path]`; so every API route served is documented, with the
//!   same method and path, and every documented one is served.
//! - [`Pages`]: HTML, files, feeds — never under `/api/`, which belongs to
//!   [`Api`] alone (checked when the router is built).

use axum::Router;
use axum::routing::MethodRouter;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

/// Documented JSON routes of one domain (or of all, once merged).
pub struct Api<S: Clone + Send + Sync + 'static>(OpenApiRouter<S>);

impl<S: Clone + Send + Sync + 'static> Default for Api<S> {
    fn default() -> Self {
        Api(OpenApiRouter::new())
    }
}

impl<S: Clone + Send + Sync + 'static> Api<S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Handlers sharing one path, from `utoipa_axum::routes!(a, b)`.
    pub fn routes(self, routes: UtoipaMethodRouter<S>) -> Self {
        Api(self.0.routes(routes))
    }

    pub fn merge(self, other: Api<S>) -> Self {
        Api(self.0.merge(other.0))
    }

    /// The router and the document describing exactly its routes.
    pub fn split(self, base: OpenApi) -> (Router<S>, OpenApi) {
        let (router, doc) = self.0.split_for_parts();
        (router, crate::openapi::complete(base.merge_from(doc)))
    }
}

/// Page routes of one domain (or of all, once merged).
pub struct Pages<S: Clone + Send + Sync + 'static>(Router<S>);

impl<S: Clone + Send + Sync + 'static> Default for Pages<S> {
    fn default() -> Self {
        Pages(Router::new())
    }
}

impl<S: Clone + Send + Sync + 'static> Pages<S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// A page route.
    ///
    /// # Panics
    /// When `path` is under `/api/`: JSON routes are documented ones, added
    /// through [`Api`]. The router is built at start-up and in every test,
    /// so such a route can never be served.
    pub fn route(self, path: &str, method_router: MethodRouter<S>) -> Self {
        assert!(!path.starts_with("/api/"), "{path}: API routes go through web::routes::Api");
        Pages(self.0.route(path, method_router))
    }

    pub fn merge(self, other: Pages<S>) -> Self {
        Pages(self.0.merge(other.0))
    }

    pub fn into_router(self) -> Router<S> {
        self.0
    }
}
