//! Pages of the venues slice: rooms and the free-room finder, room and zone
//! calendars, the booking form (with conflicts and alternatives), a booking,
//! my bookings, the approval inbox, notifications, the door display.

use askama::Template;

use super::booking::service::Conflict;
use super::booking::store::BookingRow;
use super::model::{Room, Span};
use super::room::service::Alternative;
use crate::web::PageCtx;
use crate::web::form::FormErrors;

/// One item on a calendar grid.
pub struct CalItem {
    pub href: String,
    pub title: String,
    pub time: String,
    pub status: &'static str,
    pub gs: i64,
    pub ge: i64,
    pub blackout: bool,
}

/// A day column (room view) or a room column (zone day view).
pub struct Column {
    pub label: String,
    pub sublabel: String,
    pub href: String,
    pub today: bool,
    pub items: Vec<CalItem>,
    /// Where a click on an empty slot books (empty when not bookable here).
    pub book_href: String,
}

pub struct ZoneRooms {
    pub code: String,
    pub name: String,
    pub rooms: Vec<Room>,
}

pub struct FinderResult {
    pub room: Room,
    pub book_href: String,
    /// Free times of that day, when the asked time is taken.
    pub free_times: Vec<String>,
    pub free_now: bool,
}

#[derive(Template)]
#[template(path = "venues/index.html")]
pub struct IndexPage {
    pub ctx: PageCtx,
    pub zones: Vec<ZoneRooms>,
    pub date: String,
    pub from: String,
    pub to: String,
    pub attendees: String,
    pub needs: Vec<String>,
    pub equipment: Vec<&'static str>,
    pub results: Option<Vec<FinderResult>>,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "venues/room_calendar.html")]
pub struct RoomCalendarPage {
    pub ctx: PageCtx,
    pub room: Room,
    pub zone_name: String,
    pub week: bool,
    pub title: String,
    pub prev: String,
    pub next: String,
    pub today: String,
    pub date: String,
    pub columns: Vec<Column>,
    pub hours: Vec<(i64, String)>,
    /// For room managers: when the door display's and the room feed's
    /// links were made (empty: none yet). `None` for everyone else.
    /// (which, its name's key, when made) per link.
    pub links: Option<[(&'static str, &'static str, String); 2]>,
    pub hours_text: Vec<(String, String)>,
    pub errors: FormErrors,
    /// Coming closures (admins only): (id, period, reason, whole zone).
    pub closures: Vec<(String, String, String, bool)>,
}

#[derive(Template)]
#[template(path = "venues/zone_calendar.html")]
pub struct ZoneCalendarPage {
    pub ctx: PageCtx,
    pub zone_code: String,
    pub zone_name: String,
    pub week: bool,
    pub title: String,
    pub prev: String,
    pub next: String,
    pub date: String,
    /// Day view: one column per room.
    pub columns: Vec<Column>,
    pub hours: Vec<(i64, String)>,
    /// Week view: a row per room, a cell per day.
    pub week_days: Vec<String>,
    pub week_rows: Vec<(String, String, Vec<Vec<CalItem>>)>,
}

#[derive(Template)]
#[template(path = "venues/booking_form.html")]
pub struct BookingFormPage {
    pub ctx: PageCtx,
    pub rooms: Vec<Room>,
    pub room_id: String,
    pub title_zh: String,
    pub title_en: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub attendees: String,
    pub repeat: String,
    pub interval: String,
    pub weekdays: Vec<String>,
    pub until: String,
    pub count: String,
    pub skip_conflicts: bool,
    pub errors: FormErrors,
    pub conflicts: Vec<Conflict>,
    pub alternatives: Vec<(Alternative, String)>,
    /// "Preview dates": the series in words and each date it would book.
    pub preview_words: String,
    pub preview: Vec<String>,
}

impl BookingFormPage {
    /// The chosen room's limits, said where they bite: "Bookable Mon–Fri
    /// 08:30–18:00 · 40 seats · up to 365 days ahead".
    pub fn room_limits(&self) -> String {
        let Some(room) = self.rooms.iter().find(|r| r.id == self.room_id) else {
            return String::new();
        };
        let lang = self.ctx.lang();
        lang.t_args(
            "booking-room-limits",
            &[
                ("hours", room.rules.hours.summary(lang)),
                ("seats", room.rules.capacity.to_string()),
                ("days", room.rules.max_advance_days.to_string()),
            ],
        )
    }

    pub fn weekday_codes(&self) -> [&'static str; 7] {
        super::model::WEEKDAYS
    }

    pub fn has_weekday(&self, code: &str) -> bool {
        self.weekdays.iter().any(|w| w == code)
    }
}

#[derive(Template)]
#[template(path = "venues/booking_show.html")]
pub struct BookingPage {
    pub ctx: PageCtx,
    pub booking: BookingRow,
    pub room: Room,
    pub when: String,
    /// The series in words, or empty for a single booking.
    pub repeats: String,
    pub can_cancel: bool,
    pub can_decide: bool,
    pub notice: String,
    /// The edit form's current values.
    pub date: String,
    pub start: String,
    pub end: String,
}

pub struct ListedBooking {
    pub booking: BookingRow,
    pub room_name: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "venues/mine.html")]
pub struct MinePage {
    pub ctx: PageCtx,
    pub upcoming: Vec<ListedBooking>,
    /// When the caller's feed address was made (empty: none yet).
    pub feed_made: String,
}

pub struct InboxItem {
    pub title: String,
    pub requested_by: String,
    pub requested_at: String,
    pub booking_href: String,
    pub booking_id: String,
    pub when: String,
    pub occurrences: usize,
}

#[derive(Template)]
#[template(path = "venues/inbox.html")]
pub struct InboxPage {
    pub ctx: PageCtx,
    pub items: Vec<InboxItem>,
    pub notice: String,
}

pub struct NoteView {
    pub title: String,
    pub body: String,
    pub link: String,
    pub at: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "venues/notifications.html")]
pub struct NotificationsPage {
    pub ctx: PageCtx,
    pub notes: Vec<NoteView>,
}

#[derive(Template)]
#[template(path = "venues/room_form.html")]
pub struct RoomFormPage {
    pub ctx: PageCtx,
    pub zones: Vec<(String, String)>,
    /// Where the form posts: a new room, or this room's edit.
    pub action: String,
    pub equipment: Vec<&'static str>,
    pub values: std::collections::HashMap<String, String>,
    pub chosen: Vec<String>,
    pub errors: FormErrors,
}

impl RoomFormPage {
    pub fn v(&self, k: &str) -> String {
        self.values.get(k).cloned().unwrap_or_default()
    }

    pub fn weekday_codes(&self) -> [&'static str; 7] {
        super::model::WEEKDAYS
    }
}

/// The door display: now, next, free until — both languages at once.
#[derive(Template)]
#[template(path = "venues/display.html")]
pub struct DisplayPage {
    pub room: Room,
    pub clock: String,
    pub date_zh: String,
    pub date_en: String,
    pub now: Option<(BookingRow, String)>,
    pub next: Vec<(BookingRow, String)>,
    /// "Free until HH:MM" or free for the rest of the day.
    pub free_until: Option<String>,
    pub busy: bool,
}

impl DisplayPage {
    pub fn zh(&self, key: &str) -> String {
        crate::i18n::Lang::Zh.t(key)
    }

    pub fn en(&self, key: &str) -> String {
        crate::i18n::Lang::En.t(key)
    }
}

/// Window of one local day in ms; used by handlers.
pub fn same_day(a: Span, day: Span) -> bool {
    a.overlaps(&day)
}
