//! Calendar feeds behind secret URLs: the user's own feed token (made on
//! first use, renewable), whose feed a token opens, and the bookings a feed
//! lists.

use serde_json::json;

use super::store;
use crate::audit::Who;
use crate::domains::venues::booking::store::BookingRow;
use crate::error::AppResult;
use crate::state::AppState;
use crate::write::Write;

/// The user's calendar-feed token, made on first use.
pub async fn feed_token(
    state: &AppState,
    who: &Who,
    user_id: &str,
    renew: bool,
) -> AppResult<String> {
    if !renew && let Some(t) = store::feed_token(&state.db, user_id).await? {
        return Ok(t);
    }
    let token = crate::auth::secret::random_token();
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::set_feed_token(&mut tx, user_id, &token, now).await?;
    tx.audit(None, "calendar_feed", user_id, if renew { "renew" } else { "create" }, json!({}))
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// The user's calendar-feed token, if one was made.
pub async fn existing_feed_token(state: &AppState, user_id: &str) -> AppResult<Option<String>> {
    Ok(store::feed_token(&state.db, user_id).await?)
}

/// Whose feed a secret token opens: (user id, center id).
pub async fn feed_owner(state: &AppState, token: &str) -> AppResult<Option<(String, String)>> {
    Ok(store::user_by_feed_token(&state.db, token).await?)
}

/// Bookings for an iCalendar feed (of a room, or of an organizer), from
/// `since` on, each with its series' repeat rule.
pub async fn for_feed(
    state: &AppState,
    room_id: &str,
    organizer_id: &str,
    since: i64,
) -> AppResult<Vec<(BookingRow, Option<String>)>> {
    Ok(store::for_feed(&state.db, room_id, organizer_id, since).await?)
}
