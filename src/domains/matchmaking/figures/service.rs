//! The figures of an event's matchmaking, for its staff and for those who
//! read the center's figures (`Perm::ViewFigures`), as of a date.

use jiff::civil::Date;

use super::store;
use crate::auth::{CurrentUser, Perm, allows};
use crate::domains::events::event::service::{self as events, Event};
use crate::domains::matchmaking::model::{self, MatchmakingFigures};
use crate::domains::matchmaking::setup::service as setup;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The event, if the caller may read its figures: staff of its center, or
/// anyone who reads the figures of the centers in their scope.
pub async fn readable(state: &AppState, user: &CurrentUser, event_id: &str) -> AppResult<Event> {
    let event = events::get(state, event_id).await?;
    let staff = events::runs_events_of(Some(user), &event.center_id);
    let oversight =
        allows(Some(user.role), Perm::ViewFigures) && user.scope.contains(&event.center_id);
    if !(staff || oversight) {
        return Err(AppError::NotFound);
    }
    setup::require(state, event_id).await?;
    Ok(event)
}

/// The figures as of the end of `as_of` (the center's day; none: now).
pub async fn figures(
    state: &AppState,
    event: &Event,
    as_of: Option<Date>,
) -> AppResult<MatchmakingFigures> {
    let tz = crate::domains::centers::service::tz(state, &event.center_id).await?;
    let until = match as_of {
        Some(d) => {
            let next = d.tomorrow().map_err(AppError::internal)?;
            crate::clock::Instant::parse_local_date(&next.to_string(), &tz)
                .ok_or_else(|| AppError::invalid("as_of", "field-date-out-of-range"))?
                .millis()
                - 1
        }
        None => state.clock.now().millis(),
    };
    let facts = store::facts(&state.db, &event.id, until).await?;
    let outcomes = store::outcomes(&state.db, &event.id, until).await?;
    Ok(model::figures(&facts, &outcomes))
}
