//! What stands in a booking's way, as the caller may see it: the conflicts
//! (another booking, a closure) and the occurrences of a series left out,
//! with other organizers' bookings shown as busy to callers who see them so;
//! and the error a refused booking becomes.

use serde_json::json;

use crate::auth::{CurrentUser, Perm, allows};
use crate::clock::Instant;
use crate::domains::venues::booking::store::BookingRow;
use crate::domains::venues::model::Span;
use crate::domains::venues::room::service::Alternative;
use crate::error::AppError;
use crate::i18n::{Bilingual, Lang};
use jiff::tz::TimeZone;

/// An existing booking (or blackout) in the way. A booking the caller may
/// not see in full (another organizer's, for callers who see others'
/// bookings as busy) has no id and the title "Busy".
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Conflict {
    /// Empty for a blackout and for another organizer's booking.
    pub booking_id: String,
    pub starts_at: String,
    pub ends_at: String,
    /// `booking` or `blackout`.
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
}

/// An occurrence left out of a series created with `skip_conflicts`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Skipped {
    pub starts_at: String,
    pub ends_at: String,
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug)]
pub enum BookingError {
    App(AppError),
    /// The request (or some occurrences) meet existing bookings.
    Conflicts {
        conflicts: Vec<Conflict>,
        alternatives: Vec<Alternative>,
    },
}

impl From<AppError> for BookingError {
    fn from(e: AppError) -> Self {
        BookingError::App(e)
    }
}

impl From<sqlx::Error> for BookingError {
    fn from(e: sqlx::Error) -> Self {
        BookingError::App(e.into())
    }
}

impl From<BookingError> for AppError {
    fn from(e: BookingError) -> AppError {
        match e {
            BookingError::App(e) => e,
            BookingError::Conflicts { conflicts, alternatives } => AppError::Conflict {
                key: "booking-conflict",
                conflicts: json!({"conflicts": conflicts, "alternatives": alternatives}),
            },
        }
    }
}

/// Who reads a conflict: `None` sees every booking in full; `Some(user)`
/// sees only that user's own bookings in full, others' as busy.
pub(in crate::domains::venues) type Viewer<'a> = Option<&'a str>;

/// The viewer a user is: in full with `SeeAllBookings`, else their own only.
pub(in crate::domains::venues) fn viewer(user: &CurrentUser) -> Viewer<'_> {
    if allows(Some(user.role), Perm::SeeAllBookings) { None } else { Some(&user.id) }
}

pub(in crate::domains::venues) fn conflict_of_booking(
    b: &BookingRow,
    tz: &TimeZone,
    viewer: Viewer,
) -> Conflict {
    let shown = viewer.is_none_or(|me| me == b.organizer_id);
    let busy = |lang: Lang| lang.t("calendar-busy");
    Conflict {
        booking_id: if shown { b.id.clone() } else { String::new() },
        starts_at: Instant(b.span.start).rfc3339_in(tz),
        ends_at: Instant(b.span.end).rfc3339_in(tz),
        kind: "booking".into(),
        title_zh: if shown { b.title.zh.clone() } else { busy(Lang::Zh) },
        title_en: if shown { b.title.en.clone() } else { busy(Lang::En) },
    }
}

pub(in crate::domains::venues) fn conflict_of_blackout(
    span: Span,
    reason: &Bilingual,
    tz: &TimeZone,
) -> Conflict {
    Conflict {
        booking_id: String::new(),
        starts_at: Instant(span.start).rfc3339_in(tz),
        ends_at: Instant(span.end).rfc3339_in(tz),
        kind: "blackout".into(),
        title_zh: reason.zh.clone(),
        title_en: reason.en.clone(),
    }
}

/// What keeps a room from holding `block`: live bookings other than
/// `except`, and closures.
pub(in crate::domains::venues) fn conflicts_in(
    live: &[BookingRow],
    closed: &[(Span, Bilingual)],
    block: &Span,
    except: &str,
    tz: &TimeZone,
    viewer: Viewer,
) -> Vec<Conflict> {
    let mut conflicts: Vec<Conflict> = live
        .iter()
        .filter(|b| b.id != except && b.block.overlaps(block))
        .map(|b| conflict_of_booking(b, tz, viewer))
        .collect();
    conflicts.extend(
        closed
            .iter()
            .filter(|(s, _)| s.overlaps(block))
            .map(|(s, r)| conflict_of_blackout(*s, r, tz)),
    );
    conflicts
}
