//! A user's feed of their own bookings (its secret link, renewable by its
//! owner) and the bookings a feed lists. Links are kept hashed
//! (`crate::links`): a new one is shown once, in the answer that makes it.
//! A room's links (door display, room feed) belong to the room.

use serde_json::json;

use super::store;
use crate::audit::Who;
use crate::clock::Instant;
use crate::domains::venues::booking::store::BookingRow;
use crate::error::AppResult;
use crate::links::{self, Purpose};
use crate::state::AppState;
use crate::write::Write;

/// A new address for the user's own calendar feed (the earlier one stops
/// working). Returns its path.
pub async fn renew_feed(state: &AppState, who: &Who, user_id: &str) -> AppResult<String> {
    let mut tx = Write::begin(state, who).await?;
    let now = tx.now();
    let secret = links::renew(&mut tx, Purpose::UserFeed, user_id, now).await?;
    tx.audit(None, "calendar_feed", user_id, "renew", json!({})).await?;
    tx.commit().await?;
    Ok(format!("/calendar/me/{secret}.ics"))
}

/// When the user's feed address was made, if it was.
pub async fn feed_made(state: &AppState, user_id: &str) -> AppResult<Option<Instant>> {
    Ok(links::made_at(&state.db, Purpose::UserFeed, user_id).await?)
}

/// Whose feed a secret opens: (user id, center id) of an active user.
pub async fn feed_owner(state: &AppState, secret: &str) -> AppResult<Option<(String, String)>> {
    let Some(user) = links::resolve(&state.db, Purpose::UserFeed, secret).await? else {
        return Ok(None);
    };
    Ok(store::active_user(&state.db, &user).await?)
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
