//! The application: shared state and the route table. Read the routes here to
//! see everything the server answers; each handler lives in its domain slice.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;
use crate::domains::{
    accounts, audit_log, centers, dashboard, events, interpreting, venues, visits,
};
use crate::error::AppError;
use crate::web::extract::Json;
use crate::web::{assets, context, security};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: SharedClock,
    pub config: Arc<Config>,
    pub mailer: crate::notify::Mailer,
    /// Public pages kept for a moment (see [`crate::web::cache`]).
    pub pages: Arc<crate::web::cache::PageCache>,
    /// Who is behind a session or API token, for a moment; the account
    /// changes that matter clear it.
    pub actors: Arc<crate::web::cache::Recent<Arc<crate::auth::CurrentUser>>>,
    /// Centers by id, for a moment; the centers service clears it.
    pub centers: Arc<crate::web::cache::Recent<crate::domains::centers::model::Center>>,
}

pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        // Public site
        .route("/", get(centers::handlers::home))
        .route("/login", get(accounts::handlers::login_page).post(accounts::handlers::login))
        .route("/logout", post(accounts::handlers::logout))
        // Signed-in pages
        .route("/dashboard", get(dashboard::handlers::index))
        .route("/account", get(accounts::handlers::account))
        .route("/account/password", post(accounts::handlers::account_password))
        .route("/account/tokens", post(accounts::handlers::create_token))
        .route("/account/tokens/{id}/revoke", post(accounts::handlers::token_revoke))
        .route(
            "/admin/users",
            get(accounts::handlers::users_index).post(accounts::handlers::users_create),
        )
        .route("/admin/users/{id}", post(accounts::handlers::users_update))
        .route("/admin/zones", get(centers::handlers::zones_index))
        .route("/admin/zones/{id}", post(centers::handlers::zones_update))
        .route(
            "/admin/settings",
            get(centers::handlers::settings_page).post(centers::handlers::settings_update),
        )
        .route("/admin/audit", get(audit_log::handlers::index))
        .route("/venues", get(venues::pages::index))
        .route("/venues/rooms/new", get(venues::pages::room_new))
        .route("/venues/rooms", post(venues::pages::room_create))
        .route("/venues/rooms/{id}", get(venues::pages::room_calendar))
        .route("/venues/rooms/{id}/blackouts", post(venues::pages::blackout_create))
        .route(
            "/venues/rooms/{id}/blackouts/{blackout}/delete",
            post(venues::pages::blackout_delete),
        )
        .route(
            "/venues/rooms/{id}/edit",
            get(venues::pages::room_edit).post(venues::pages::room_update),
        )
        .route("/venues/zones/{code}", get(venues::pages::zone_calendar))
        .route("/bookings/new", get(venues::booking_pages::new))
        .route("/bookings", post(venues::booking_pages::create))
        .route("/bookings/mine", get(venues::booking_pages::mine))
        .route("/bookings/mine/feed", post(venues::booking_pages::mine_feed))
        .route("/bookings/{id}", get(venues::booking_pages::show))
        .route("/bookings/{id}/edit", post(venues::booking_pages::edit))
        .route("/bookings/{id}/cancel", post(venues::booking_pages::cancel))
        .route("/bookings/{id}/approve", post(venues::booking_pages::approve))
        .route("/bookings/{id}/reject", post(venues::booking_pages::reject))
        .route("/inbox", get(venues::booking_pages::inbox))
        .route("/notifications", get(venues::booking_pages::notifications))
        .route("/notifications/read", post(venues::booking_pages::notifications_read))
        .route(
            "/visit-request",
            get(visits::pages::request_form).post(visits::pages::request_submit),
        )
        .route("/visit-request/done", get(visits::pages::request_done))
        .route("/visits", get(visits::pages::index).post(visits::pages::create))
        .route("/visits/new", get(visits::pages::new))
        .route("/visits/figures", get(visits::pages::figures))
        .route("/visits/{id}", get(visits::pages::show))
        .route("/visits/{id}/transition", post(visits::pages::transition))
        .route("/visits/{id}/edit", post(visits::pages::edit))
        .route("/visits/{id}/members", post(visits::pages::member_add))
        .route("/visits/{id}/members/{member}/delete", post(visits::pages::member_delete))
        .route("/visits/{id}/items", post(visits::pages::item_add))
        .route("/visits/{id}/tasks", post(visits::pages::task_add))
        .route("/visits/{id}/outcomes", post(visits::pages::outcome_add))
        .route("/visits/{id}/gifts", post(visits::pages::give_gift))
        .route("/visits/{id}/itinerary", get(visits::pages::itinerary_print))
        .route("/visits/{id}/itinerary.ics", get(visits::pages::itinerary_ics))
        .route("/visits/tasks/{id}/status", post(visits::pages::task_status))
        .route("/visits/outcomes/{id}", post(visits::pages::outcome_update))
        .route("/visits/items/{id}", get(visits::pages::item_show))
        .route("/visits/items/{id}/status", post(visits::pages::item_status))
        .route("/visits/items/{id}/interpreters", post(visits::pages::item_assign))
        .route("/visits/items/{id}/seating", post(visits::pages::item_seating))
        .route("/visits/items/{id}/cards", get(visits::pages::name_cards))
        .route("/visits/assignments/{id}/cancel", post(visits::pages::assignment_cancel))
        .route(
            "/organisations/{id}",
            get(visits::pages::organisation).post(visits::pages::organisation_update),
        )
        .route("/gifts", get(visits::pages::gifts).post(visits::pages::gift_create))
        .route("/gifts/{id}/stock", post(visits::pages::gift_stock))
        .route(
            "/interpreting",
            get(interpreting::pages::roster).post(interpreting::pages::roster_save),
        )
        .route("/interpreting/mine", get(interpreting::pages::mine))
        .route("/interpreting/assignments/{id}/accept", post(interpreting::pages::accept))
        .route("/interpreting/assignments/{id}/decline", post(interpreting::pages::decline))
        .route("/interpreting/away", post(interpreting::pages::away_add))
        .route("/interpreting/away/{id}/delete", post(interpreting::pages::away_delete))
        .route("/events", get(events::pages::index).post(events::pages::create))
        .route("/events/new", get(events::pages::new))
        .route("/events/feed.ics", get(events::pages::feed))
        .route("/events/{id}", get(events::pages::show))
        .route("/events/{id}/calendar.ics", get(events::pages::event_ics))
        .route("/events/{id}/register", post(events::pages::register))
        .route("/events/{id}/manage", get(events::pages::manage))
        .route("/events/{id}/attendance", get(events::pages::attendance))
        .route("/events/{id}/edit", get(events::pages::edit).post(events::pages::edit_submit))
        .route("/events/{id}/transition", post(events::pages::transition))
        .route("/events/{id}/capacity", post(events::pages::capacity))
        .route("/events/{id}/export/{file}", get(events::pages::export))
        .route("/events/{id}/badges", get(events::pages::badges))
        .route(
            "/events/{id}/checkin",
            get(events::pages::checkin).post(events::pages::checkin_submit),
        )
        .route("/events/registrations/{id}/{action}", post(events::pages::registration_action))
        .route("/tickets/{token}", get(events::pages::ticket))
        .route("/tickets/{token}/cancel", post(events::pages::ticket_cancel))
        .route("/tickets/{token}/names", post(events::pages::ticket_names))
        .route("/tickets/{token}/qr/{file}", get(events::pages::ticket_qr))
        // Secret-URL views, no login
        .route("/display/{token}", get(venues::feeds::display))
        .route("/calendar/rooms/{token}", get(venues::feeds::room_feed))
        .route("/calendar/me/{token}", get(venues::feeds::user_feed))
        // JSON API
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(crate::api::openapi_json))
        .route("/api/v1/me", get(accounts::handlers::api_me))
        .route(
            "/api/v1/users",
            get(accounts::handlers::api_users).post(accounts::handlers::api_users_create),
        )
        .route("/api/v1/users/{id}", get(accounts::handlers::api_user_show))
        .route("/api/v1/zones", get(centers::handlers::api_zones))
        .route("/api/v1/zones/{id}", axum::routing::patch(centers::handlers::api_zone_update))
        .route("/api/v1/audit", get(audit_log::handlers::api_index))
        .route("/api/v1/rooms", get(venues::api::rooms_index).post(venues::api::rooms_create))
        .route("/api/v1/rooms/{id}", get(venues::api::rooms_show).put(venues::api::rooms_update))
        .route("/api/v1/rooms/{id}/availability", get(venues::api::availability))
        .route(
            "/api/v1/bookings",
            get(venues::api::bookings_index).post(venues::api::bookings_create),
        )
        .route(
            "/api/v1/bookings/{id}",
            get(venues::api::bookings_show).patch(venues::api::bookings_update),
        )
        .route("/api/v1/bookings/{id}/cancel", post(venues::api::bookings_cancel))
        .route("/api/v1/bookings/{id}/approve", post(venues::api::bookings_approve))
        .route("/api/v1/bookings/{id}/reject", post(venues::api::bookings_reject))
        .route("/api/v1/visit-requests", post(visits::api::requests_create))
        .route("/api/v1/visits", get(visits::api::visits_index).post(visits::api::visits_create))
        .route("/api/v1/visits/{id}", get(visits::api::visits_show).put(visits::api::visits_update))
        .route("/api/v1/visits/{id}/transition", post(visits::api::visits_transition))
        .route(
            "/api/v1/visits/{id}/members",
            get(visits::api::members_index).post(visits::api::members_create),
        )
        .route(
            "/api/v1/visits/{id}/members/{member_id}",
            axum::routing::delete(visits::api::members_delete),
        )
        .route(
            "/api/v1/visits/{id}/itinerary-items",
            get(visits::api::items_index).post(visits::api::items_create),
        )
        .route("/api/v1/visits/{id}/tasks", post(visits::api::tasks_create))
        .route("/api/v1/visits/{id}/outcomes", post(visits::api::outcomes_create))
        .route("/api/v1/itinerary-items/{id}/transition", post(visits::api::items_transition))
        .route("/api/v1/itinerary-items/{id}/interpreters", post(visits::api::items_assign))
        .route(
            "/api/v1/itinerary-items/{id}/interpreter-suggestions",
            get(visits::api::items_suggestions),
        )
        .route(
            "/api/v1/itinerary-items/{id}/seating",
            axum::routing::put(visits::api::items_seating),
        )
        .route("/api/v1/visit-tasks/{id}/transition", post(visits::api::tasks_transition))
        .route("/api/v1/outcomes", get(visits::api::outcomes_index))
        .route("/api/v1/outcomes/{id}", axum::routing::patch(visits::api::outcomes_update))
        .route("/api/v1/gifts", get(visits::api::gifts_index).post(visits::api::gifts_create))
        .route("/api/v1/gifts/{id}/movements", post(visits::api::gifts_move))
        .route("/api/v1/organisations", get(visits::api::organisations_index))
        .route(
            "/api/v1/organisations/{id}",
            get(visits::api::organisations_show).put(visits::api::organisations_update),
        )
        .route("/api/v1/visit-figures", get(visits::api::figures_show))
        .route("/api/v1/countries", get(visits::api::countries_index))
        .route("/api/v1/interpreters", get(interpreting::api::index).post(interpreting::api::save))
        .route(
            "/api/v1/interpreters/{id}/unavailability",
            post(interpreting::api::unavailability_create),
        )
        .route("/api/v1/assignments/mine", get(interpreting::api::mine))
        .route("/api/v1/assignments/{id}/accept", post(interpreting::api::accept))
        .route("/api/v1/assignments/{id}/decline", post(interpreting::api::decline))
        .route("/api/v1/assignments/{id}/cancel", post(interpreting::api::cancel))
        .route("/api/v1/events", get(events::api::index).post(events::api::create))
        .route("/api/v1/events/{id}", get(events::api::show).put(events::api::update))
        .route("/api/v1/events/{id}/transition", post(events::api::transition))
        .route("/api/v1/events/{id}/capacity", post(events::api::capacity))
        .route(
            "/api/v1/events/{id}/registrations",
            get(events::api::registrations).post(events::api::register),
        )
        .route("/api/v1/events/{id}/attendance", get(events::api::attendance))
        .route("/api/v1/events/{id}/tickets", get(events::api::tickets))
        .route("/api/v1/registrations/{id}", get(events::api::registration_show))
        .route("/api/v1/registrations/{id}/cancel", post(events::api::registration_cancel))
        .route("/api/v1/registrations/{id}/approve", post(events::api::registration_approve))
        .route("/api/v1/registrations/{id}/reject", post(events::api::registration_reject))
        .route("/api/v1/checkins", post(events::api::checkin))
        .route("/api/v1/checkins/undo", post(events::api::checkin_undo))
        .route("/static/{name}", get(assets::serve))
        .fallback(not_found)
        // Inner first: a panic becomes an AppError that the context renders.
        .layer(CatchPanicLayer::custom(panicked))
        .layer(middleware::from_fn_with_state(state.clone(), context::middleware))
        .layer(middleware::from_fn(security::headers))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// A panic in a handler becomes a plain 500: it is logged, never shown.
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    AppError::Internal("panic".into()).into_response()
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers and the database is reachable.
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
}

/// Liveness, and which database backend is in use.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, body = Health), (status = 503, description = "database unreachable")))]
pub async fn healthz(State(state): State<AppState>) -> Response {
    let reachable = sqlx::query("SELECT 1").execute(&state.db.pool).await.is_ok();
    let health = Health {
        status: if reachable { "ok" } else { "unavailable" },
        database: state.db.backend.name(),
    };
    let status = if reachable { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(health)).into_response()
}
