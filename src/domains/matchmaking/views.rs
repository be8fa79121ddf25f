//! Pages of matchmaking: the participant's own page (agenda, requests),
//! profile form, catalogue and another's profile; the staff's setup,
//! meetings, table cards and the day's check-in. Texts a participant wrote
//! show in the reader's language first, and say plainly when only the
//! other language was given (no machine translation).

use askama::Template;

use super::model::{Attendance, Counts, Outcome, Sector, Side, Topic};
use crate::i18n::{Bilingual, Lang};
use crate::reference::countries::Country;
use crate::web::PageCtx;
use crate::web::form::FormErrors;

/// A text as shown: the reader's side if given, else the other side with a
/// note saying so.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub text: String,
    /// The text's language (`lang` attribute).
    pub lang: &'static str,
    /// Fluent key of "only in Chinese / English", or empty.
    pub note: &'static str,
}

pub fn shown(reader: Lang, b: &Bilingual) -> Shown {
    let (mine, other) = match reader {
        Lang::Zh => (&b.zh, &b.en),
        Lang::En => (&b.en, &b.zh),
    };
    if !mine.is_empty() {
        Shown { text: mine.clone(), lang: reader.tag(), note: "" }
    } else if !other.is_empty() {
        let note = if reader == Lang::Zh { "mm-only-en" } else { "mm-only-zh" };
        Shown { text: other.clone(), lang: reader.other().tag(), note }
    } else {
        Shown::default()
    }
}

/// An offer or a need as shown.
pub struct EntryView {
    pub side: Side,
    pub topic: Topic,
    pub text: Shown,
}

/// A participant as others see them.
pub struct CardView {
    pub id: String,
    pub name: String,
    pub organisation: Shown,
    pub role: Shown,
    pub about: Shown,
    pub country: String,
    pub sector: String,
    pub languages: String,
    pub entries: Vec<EntryView>,
    pub score: i64,
    /// They share no language with the reader's profile.
    pub no_common_language: bool,
}

/// A meeting as one of its people sees it.
pub struct MeetingView {
    pub id: String,
    pub status: String,
    pub status_label: String,
    /// The reader asked for it.
    pub asked: bool,
    pub other: String,
    pub other_org: Shown,
    pub other_country: String,
    pub other_languages: String,
    pub when: String,
    pub table: String,
    pub room: String,
    pub message: String,
    pub reason: String,
    pub by_staff: bool,
    pub can_answer: bool,
    pub can_cancel: bool,
    pub can_outcome: bool,
    pub outcomes: Vec<Outcome>,
    pub outcome_note: String,
    pub attendance: Option<Attendance>,
    pub late: bool,
    pub interpreter_hint: bool,
}

#[derive(Template)]
#[template(path = "matchmaking/me.html")]
pub struct MyPage {
    pub ctx: PageCtx,
    pub base: String,
    pub event_title: String,
    pub event_id: String,
    pub name: String,
    pub has_profile: bool,
    pub notice: String,
    pub alert: String,
    pub agenda: Vec<MeetingView>,
    pub received: Vec<MeetingView>,
    pub sent: Vec<MeetingView>,
    pub waiting: Vec<MeetingView>,
    pub past: Vec<MeetingView>,
    pub more: Option<String>,
    /// "N of M requests sent".
    pub sent_label: String,
    pub needs_acceptance: bool,
}

impl MyPage {
    pub fn outcomes(&self) -> &'static [Outcome] {
        Outcome::ALL
    }
}

/// The profile form's values as typed.
#[derive(Default, Clone)]
pub struct ProfileFields {
    pub name: String,
    pub organisation_zh: String,
    pub organisation_en: String,
    pub role_zh: String,
    pub role_en: String,
    pub about_zh: String,
    pub about_en: String,
    pub country: String,
    pub sector: String,
    pub languages: String,
    pub away: Vec<i64>,
    pub listed: bool,
    /// (side, topic, zh, en), with blank rows to fill.
    pub entries: Vec<(String, String, String, String)>,
}

/// A meeting window a person may say they are away from.
pub struct WindowChoice {
    pub start: i64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "matchmaking/profile.html")]
pub struct ProfilePage {
    pub ctx: PageCtx,
    pub base: String,
    pub event_title: String,
    pub creating: bool,
    pub f: ProfileFields,
    pub windows: Vec<WindowChoice>,
    pub errors: FormErrors,
    pub alert: String,
}

impl ProfilePage {
    pub fn sectors(&self) -> &'static [Sector] {
        Sector::ALL
    }
    pub fn topics(&self) -> &'static [Topic] {
        Topic::ALL
    }
    pub fn sides(&self) -> &'static [Side] {
        Side::ALL
    }
    pub fn countries(&self) -> Vec<Country> {
        crate::reference::countries::options(self.ctx.lang())
    }
}

/// The catalogue's filters as given.
#[derive(Default, Clone)]
pub struct FilterFields {
    pub sector: String,
    pub country: String,
    pub topic: String,
    pub side: String,
    pub language: String,
    pub q: String,
}

#[derive(Template)]
#[template(path = "matchmaking/people.html")]
pub struct PeoplePage {
    pub ctx: PageCtx,
    pub base: String,
    pub event_title: String,
    pub f: FilterFields,
    pub filtered: bool,
    pub suggestions: Vec<CardView>,
    pub people: Vec<CardView>,
    pub next: Option<String>,
    pub alert: String,
    /// (tag, name) of the languages the catalogue's people speak.
    pub languages: Vec<(String, String)>,
}

impl PeoplePage {
    pub fn sectors(&self) -> &'static [Sector] {
        Sector::ALL
    }
    pub fn topics(&self) -> &'static [Topic] {
        Topic::ALL
    }
    pub fn sides(&self) -> &'static [Side] {
        Side::ALL
    }
    pub fn countries(&self) -> Vec<Country> {
        crate::reference::countries::options(self.ctx.lang())
    }
    /// The link to the next page with the same filters.
    pub fn next_href(&self, cursor: &str) -> String {
        let f = &self.f;
        let q: Vec<(&str, &str)> = vec![
            ("sector", &f.sector),
            ("country", &f.country),
            ("topic", &f.topic),
            ("side", &f.side),
            ("language", &f.language),
            ("q", &f.q),
            ("cursor", cursor),
        ];
        let qs = q
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        format!("{}/people?{qs}", self.base)
    }
}

#[derive(Template)]
#[template(path = "matchmaking/person.html")]
pub struct PersonPage {
    pub ctx: PageCtx,
    pub base: String,
    pub event_title: String,
    pub card: CardView,
    /// A live meeting between the two already (its state's label).
    pub existing: String,
    pub message: String,
    pub errors: FormErrors,
    pub alert: String,
    pub can_ask: bool,
}

/// A table row of the staff's setup form.
#[derive(Clone)]
pub struct TableRowView {
    pub number: i64,
    pub room_id: String,
    pub seats: i64,
    pub busy: bool,
}

#[derive(Template)]
#[template(path = "matchmaking/setup.html")]
pub struct SetupPage {
    pub ctx: PageCtx,
    pub event_id: String,
    pub event_title: String,
    pub enabled: bool,
    pub meeting_minutes: String,
    pub break_minutes: String,
    pub needs_acceptance: bool,
    pub request_limit: String,
    /// (date, start, end) rows, with blank ones to fill.
    pub windows: Vec<(String, String, String)>,
    pub tables: Vec<TableRowView>,
    /// (room id, name) of the event's session rooms.
    pub rooms: Vec<(String, String)>,
    pub slots: Vec<String>,
    pub counts: Counts,
    pub notice: String,
    pub errors: FormErrors,
    pub alert: String,
}

/// A meeting as staff see it.
pub struct StaffMeetingView {
    pub id: String,
    pub status: String,
    pub status_label: String,
    pub requester: String,
    pub invitee: String,
    pub when: String,
    pub table: String,
    pub by_staff: bool,
    pub attendance: Option<Attendance>,
    pub late: bool,
    pub can_cancel: bool,
    pub placed: bool,
    /// The two share no language.
    pub needs_interpreter: bool,
    /// The interpreter offered or accepted, with the assignment's state.
    pub interpreter: String,
    /// The foreign side's first language (the form's default).
    pub foreign_language: String,
}

#[derive(Template)]
#[template(path = "matchmaking/meetings.html")]
pub struct MeetingsPage {
    pub ctx: PageCtx,
    pub event_id: String,
    pub event_title: String,
    pub status: String,
    pub meetings: Vec<StaffMeetingView>,
    pub next: Option<String>,
    /// (profile id, "name · organisation") of every profile, by name.
    pub people: Vec<(String, String)>,
    pub notice: String,
    pub alert: String,
    pub errors: FormErrors,
    pub statuses: Vec<(String, String)>,
    /// (id, name) of the active interpreters.
    pub interpreters: Vec<(String, String)>,
    /// (start in ms, label) of the slots still to come: where a meeting may move.
    pub slots: Vec<(i64, String)>,
}

/// One table's card: its meetings in time order.
pub struct TableCard {
    pub number: i64,
    pub room: String,
    /// (time, "A · org ⇄ B · org" in Chinese, in English).
    pub rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "matchmaking/tables.html")]
pub struct TablesPage {
    pub ctx: PageCtx,
    pub event_id: String,
    pub title_zh: String,
    pub title_en: String,
    pub cards: Vec<TableCard>,
}

/// One slot of the day sheet.
pub struct DaySlot {
    pub time: String,
    pub now: bool,
    pub meetings: Vec<StaffMeetingView>,
}

#[derive(Template)]
#[template(path = "matchmaking/day.html")]
pub struct DayPage {
    pub ctx: PageCtx,
    pub event_id: String,
    pub event_title: String,
    pub slots: Vec<DaySlot>,
    pub notice: String,
    pub alert: String,
}

impl DayPage {
    pub fn attendances(&self) -> &'static [Attendance] {
        Attendance::ALL
    }
}

#[derive(Template)]
#[template(path = "matchmaking/figures.html")]
pub struct FiguresPage {
    pub ctx: PageCtx,
    pub event_id: String,
    pub event_title: String,
    pub as_of: String,
    pub f: super::model::MatchmakingFigures,
    /// (label, count).
    pub outcomes: Vec<(String, i64)>,
    /// (name, requests, held).
    pub by_country: Vec<(String, i64, i64)>,
    pub by_sector: Vec<(String, i64, i64)>,
    pub alert: String,
}
