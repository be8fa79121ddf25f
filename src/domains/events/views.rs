//! Pages of the events slice: the public list and event page with its
//! registration form, the holder's ticket page, the staff's event page and
//! new-event form, and the check-in page built for phones.

use askama::Template;

use super::checkin::service::Attendance;
use super::event::store::Category;
use super::event::store::Event;
use super::event::store::Session;
use super::model::{EventKind, EventStatus, Question, QuestionKind, RegStatus};
use super::registration::service::Registered;
use super::registration::store::Participant;
use crate::domains::venues::model::Room;
use crate::reference::countries::Country;
use crate::web::PageCtx;
use crate::web::form::FormErrors;

/// What lists and pages show of an event's time.
pub struct When {
    pub date: String,
    pub time: String,
}

pub struct Listed {
    pub event: Event,
    pub when: When,
}

/// The live counts on the staff's event page: totals, then per category
/// (in the event's order) and per country (most registered first), each as
/// (name, registered, checked in). Fetched again every few seconds.
#[derive(Template)]
#[template(path = "events/attendance.html")]
pub struct AttendancePanel {
    pub ctx: PageCtx,
    pub event_id: String,
    pub a: Attendance,
    pub by_category: Vec<(String, i64, i64)>,
    pub by_country: Vec<(String, i64, i64)>,
}

impl AttendancePanel {
    pub fn new(ctx: PageCtx, event_id: &str, a: Attendance, categories: &[Category]) -> Self {
        let lang = ctx.lang();
        let by_category = categories
            .iter()
            .map(|c| {
                let [n, i] = a.by_category.get(&c.code).copied().unwrap_or_default();
                (lang.pick(&c.name.zh, &c.name.en).to_string(), n, i)
            })
            .collect();
        let mut by_country: Vec<(String, i64, i64)> = a
            .by_country
            .iter()
            .map(|(code, [n, i])| {
                let name = if code.is_empty() {
                    lang.t("attendance-country-unknown")
                } else {
                    crate::reference::countries::label(lang, code)
                };
                (name, *n, *i)
            })
            .collect();
        by_country.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        AttendancePanel { ctx, event_id: event_id.to_string(), a, by_category, by_country }
    }
}

#[derive(Template)]
#[template(path = "events/index.html")]
pub struct EventsPage {
    pub ctx: PageCtx,
    pub events: Vec<Listed>,
    pub kind: String,
    pub staff: bool,
}

impl EventsPage {
    pub fn kinds(&self) -> &'static [EventKind] {
        EventKind::ALL
    }
}

/// The registration form as typed (shown again with errors).
#[derive(Default, Clone)]
pub struct RegFields {
    pub names: Vec<String>,
    pub emails: Vec<String>,
    pub categories: Vec<String>,
    pub countries: Vec<String>,
    pub answers: Vec<(String, Vec<String>)>,
    pub consent: bool,
}

impl RegFields {
    pub fn value(&self, list: &[String], i: &usize) -> String {
        list.get(*i).cloned().unwrap_or_default()
    }

    pub fn answer(&self, id: &str) -> String {
        self.answers
            .iter()
            .find(|(k, _)| k == id)
            .and_then(|(_, v)| v.first().cloned())
            .unwrap_or_default()
    }

    pub fn chose(&self, id: &str, code: &str) -> bool {
        self.answers.iter().any(|(k, v)| k == id && v.iter().any(|x| x == code))
    }
}

#[derive(Template)]
#[template(path = "events/show.html")]
pub struct EventPage {
    pub ctx: PageCtx,
    pub event: Event,
    pub when: When,
    pub sessions: Vec<(Session, String, String)>,
    pub categories: Vec<Category>,
    pub invitation: String,
    pub f: RegFields,
    pub errors: FormErrors,
    pub alert: String,
    pub countries: Vec<Country>,
    pub rows: usize,
    pub staff: bool,
}

impl EventPage {
    /// The event's languages by name in the reader's language (德语 / German).
    pub fn language_names(&self) -> String {
        let lang = self.ctx.lang();
        let names: Vec<String> = self
            .event
            .languages
            .iter()
            .map(|t| crate::reference::languages::label(lang, t))
            .collect();
        names.join(lang.pick("、", ", "))
    }

    pub fn open(&self) -> bool {
        self.event.status == EventStatus::RegistrationOpen
    }

    pub fn seats_left(&self) -> i64 {
        self.event.capacity - self.event.taken
    }

    pub fn row_indexes(&self) -> Vec<usize> {
        (0..self.rows).collect()
    }

    pub fn is_kind(&self, q: &Question, kind: &str) -> bool {
        QuestionKind::parse(&q.kind).map(|k| k.code()) == Some(kind)
    }

    pub fn field_of(&self, q: &Question) -> String {
        format!("answers.{}", q.id)
    }

    pub fn row_field(&self, i: &usize, f: &str) -> String {
        format!("participants[{i}].{f}")
    }
}

/// A ticket as its holder sees it.
pub struct TicketView {
    pub participant: Participant,
    pub category: String,
    pub code_display: String,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "events/ticket.html")]
pub struct TicketPage {
    pub ctx: PageCtx,
    pub event: Event,
    pub when: When,
    /// The rooms of its sessions, and where the center is.
    pub venue: Vec<String>,
    pub center_name: String,
    pub address: String,
    pub registration: Registered,
    pub tickets: Vec<TicketView>,
    pub token: String,
    pub notice: String,
    /// The event has matchmaking: each ticket links to its holder's page.
    pub matchmaking: bool,
}

impl TicketPage {
    pub fn can_cancel(&self) -> bool {
        self.registration.registration.status.is_live()
            && matches!(self.event.status, EventStatus::Planned | EventStatus::RegistrationOpen)
    }

    /// Someone in the group has no name yet.
    pub fn unnamed(&self) -> bool {
        self.registration.participants.iter().any(|p| p.name.is_empty())
    }

    pub fn status_key(&self) -> String {
        self.registration.registration.status.label_key()
    }
}

#[derive(Template)]
#[template(path = "events/manage.html")]
pub struct ManagePage {
    pub ctx: PageCtx,
    pub event: Event,
    pub when: When,
    pub categories: Vec<Category>,
    pub registrations: Vec<Registered>,
    /// The next page of registrations (empty: this is the last).
    pub next_page: String,
    /// Whether this page is not the first.
    pub paged: bool,
    /// The rendered [`AttendancePanel`].
    pub panel: String,
    pub notice: String,
    pub alert: String,
    /// When the invitation link was made (empty: not yet).
    pub invitation_made: String,
}

impl ManagePage {
    pub fn category_name(&self, id: &str) -> String {
        self.categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| self.ctx.pick(&c.name.zh, &c.name.en).to_string())
            .unwrap_or_default()
    }

    pub fn pending(&self, r: &Registered) -> bool {
        r.registration.status == RegStatus::Pending
    }

    pub fn live(&self, r: &Registered) -> bool {
        r.registration.status.is_live()
    }
}

/// The new-event form as typed.
#[derive(Default, Clone)]
pub struct EventFields {
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub organizers: String,
    pub visibility: String,
    pub languages: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub capacity: String,
    pub room_id: String,
    pub waitlist: bool,
    pub policy: String,
    pub requires_approval: bool,
    pub max_group: String,
    pub categories: String,
    pub questions: String,
}

/// The form for an event's details once it exists (see `service::EventEdit`).
#[derive(Template)]
#[template(path = "events/edit.html")]
pub struct EditEventPage {
    pub ctx: PageCtx,
    pub event: Event,
    pub f: EventFields,
    pub errors: FormErrors,
    pub alert: String,
}

impl EventFields {
    /// The form filled from an event as it is.
    pub fn of(e: &Event) -> Self {
        EventFields {
            kind: e.kind.code().into(),
            title_zh: e.title.zh.clone(),
            title_en: e.title.en.clone(),
            summary_zh: e.summary.zh.clone(),
            summary_en: e.summary.en.clone(),
            description_zh: e.description.zh.clone(),
            description_en: e.description.en.clone(),
            organizers: e.organizers.clone(),
            visibility: e.visibility.code().into(),
            languages: e.languages.join(", "),
            capacity: e.capacity.to_string(),
            waitlist: e.waitlist,
            policy: e.policy.code().into(),
            requires_approval: e.requires_approval,
            max_group: e.max_group.to_string(),
            ..EventFields::default()
        }
    }
}

#[derive(Template)]
#[template(path = "events/new.html")]
pub struct NewEventPage {
    pub ctx: PageCtx,
    pub f: EventFields,
    pub rooms: Vec<Room>,
    pub errors: FormErrors,
    pub alert: String,
}

impl NewEventPage {
    pub fn kinds(&self) -> &'static [EventKind] {
        EventKind::ALL
    }
}

#[derive(Template)]
#[template(path = "events/checkin.html")]
pub struct CheckinPage {
    pub ctx: PageCtx,
    pub event: Event,
    /// ok, already, invalid, unknown, undone or empty.
    pub result: String,
    pub name: String,
    pub category: String,
    pub detail: String,
    pub code: String,
    pub query: String,
    pub found: Vec<(Participant, String)>,
    pub attendance: Attendance,
    /// The event's first day when it is not today, else empty.
    pub not_today: String,
    pub tz: jiff::tz::TimeZone,
}

impl CheckinPage {
    /// When someone was checked in, as the door reads it ("09:12").
    pub fn checked_at(&self, at: i64) -> String {
        crate::clock::Instant(at).local_parts(&self.tz).1
    }

    pub fn verdict_key(&self) -> String {
        format!("checkin-result-{}", self.result)
    }
}

pub struct Badge {
    pub participant: Participant,
    pub category: crate::i18n::Bilingual,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "events/badges.html")]
pub struct BadgesPage {
    pub ctx: PageCtx,
    pub event: Event,
    pub badges: Vec<Badge>,
    /// badge (90 × 54 mm, lanyard), cr80 (card), a6, a7.
    pub size: String,
}
