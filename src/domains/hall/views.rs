//! Pages of the hall: the public calendar, the booking form and the
//! holder's page; the staff's settings, day sheet, door and figures.

use askama::Template;

use super::calendar::service::SlotView;
use super::door::service::{Figures, SheetSlot};
use super::model::{IdType, Kind, Origin, Rules, Status};
use super::reservation::service::Record;
use crate::web::PageCtx;
use crate::web::form::FormErrors;

/// A day of the month grid.
pub struct DayCell {
    pub date: String,
    pub number: i8,
    pub open: bool,
    /// Places free in slots still bookable.
    pub free: i64,
    pub bookable: bool,
    pub selected: bool,
    pub today: bool,
}

#[derive(Template)]
#[template(path = "hall/index.html")]
pub struct HallPage {
    pub ctx: PageCtx,
    pub name: String,
    /// (weekday name, hours or "closed").
    pub week: Vec<(String, String)>,
    pub month_label: String,
    /// Empty cells before the first day (Monday first).
    pub lead: usize,
    pub days: Vec<DayCell>,
    pub prev: String,
    pub next: String,
    pub day: String,
    pub day_label: String,
    pub day_note: String,
    pub slots: Vec<SlotView>,
    pub open: bool,
    pub staff: bool,
    pub rules: Rules,
}

/// The booking form's values as typed.
#[derive(Default, Clone)]
pub struct BookFields {
    pub kind: String,
    pub people: String,
    pub organisation: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub members: String,
    pub tour: bool,
    pub tour_lang: String,
    pub origin: String,
    pub id_type: String,
    pub id_number: String,
    pub consent: bool,
}

#[derive(Template)]
#[template(path = "hall/book.html")]
pub struct BookPage {
    pub ctx: PageCtx,
    pub name: String,
    pub slot: SlotView,
    pub day_label: String,
    pub rules: Rules,
    pub f: BookFields,
    pub errors: FormErrors,
    pub alert: String,
    pub retention_until: String,
}

impl BookPage {
    pub fn kinds(&self) -> &'static [Kind] {
        Kind::ALL
    }
    pub fn id_types(&self) -> &'static [IdType] {
        IdType::ALL
    }
    pub fn origins(&self) -> &'static [Origin] {
        Origin::ALL
    }
    pub fn tour_languages(&self) -> Vec<(&'static str, String)> {
        ["zh-Hans", "en", "fr", "de", "ja", "ko", "ru", "es"]
            .iter()
            .map(|t| (*t, crate::reference::languages::label(self.ctx.lang(), t)))
            .collect()
    }
}

#[derive(Template)]
#[template(path = "hall/reservation.html")]
pub struct HolderPage {
    pub ctx: PageCtx,
    pub r: Record,
    pub secret: String,
    pub name: String,
    pub when: String,
    pub svg: String,
    pub code: String,
    pub may_change: bool,
    pub change_until: String,
    pub notice: String,
    pub center_name: String,
    pub address: String,
    pub errors: FormErrors,
    pub alert: String,
}

impl HolderPage {
    pub fn status_key(&self) -> String {
        self.r.status.label_key()
    }
    pub fn kind_key(&self) -> String {
        self.r.kind.label_key()
    }
    pub fn live(&self) -> bool {
        self.r.status == Status::Confirmed
    }
    pub fn fewer(&self) -> Vec<i64> {
        (1..self.r.people).rev().collect()
    }
}

#[derive(Template)]
#[template(path = "hall/manage.html")]
pub struct ManagePage {
    pub ctx: PageCtx,
    pub name_zh: String,
    pub name_en: String,
    pub rules: Rules,
    /// (weekday number 1–7, name, opens, closes).
    pub week: Vec<(usize, String, String, String)>,
    /// (day, hours or "closed", note).
    pub exceptions: Vec<(String, String, String)>,
    /// (reservation, when).
    pub displaced: Vec<(Record, String)>,
    pub errors: FormErrors,
    pub alert: String,
    pub notice: String,
    pub exists: bool,
}

impl ManagePage {
    /// The rules' number fields: (name, value, min, max).
    pub fn numbers(&self) -> Vec<(&'static str, i64, i64, i64)> {
        let r = &self.rules;
        vec![
            ("slot_minutes", r.slot_minutes, 15, 480),
            ("slot_capacity", r.slot_capacity, 1, 10_000),
            ("group_day_cap", r.group_day_cap, 0, 100_000),
            ("horizon_days", r.horizon_days, 1, 366),
            ("cancel_hours", r.cancel_hours, 0, 720),
            ("arrive_before_min", r.arrive_before_min, 0, 240),
            ("arrive_after_min", r.arrive_after_min, 0, 240),
            ("max_party", r.max_party, 1, 100),
            ("max_group", r.max_group, 1, 1000),
            ("max_day_people", r.max_day_people, 1, 1000),
            ("max_day_bookings", r.max_day_bookings, 1, 100),
            ("strike_limit", r.strike_limit, 1, 100),
            ("strike_window_days", r.strike_window_days, 1, 3650),
            ("cooloff_days", r.cooloff_days, 1, 3650),
            ("retention_days", r.retention_days, 1, 3650),
        ]
    }
    pub fn rule_key(&self, name: &str) -> String {
        format!("hall-rule-{}", name.replace('_', "-"))
    }
}

#[derive(Template)]
#[template(path = "hall/staff_reservation.html")]
pub struct StaffReservationPage {
    pub ctx: PageCtx,
    pub r: Record,
    pub when: String,
    pub slots: Vec<SlotView>,
    pub errors: FormErrors,
    pub alert: String,
    pub notice: String,
    pub id_plain: String,
}

impl StaffReservationPage {
    pub fn live(&self) -> bool {
        self.r.status == Status::Confirmed
    }
}

#[derive(Template)]
#[template(path = "hall/day.html")]
pub struct DayPage {
    pub ctx: PageCtx,
    pub day: String,
    pub day_label: String,
    pub prev: String,
    pub next: String,
    pub sheet: Vec<SheetSlot>,
    pub tz: jiff::tz::TimeZone,
}

impl DayPage {
    pub fn expected(&self) -> i64 {
        self.sheet.iter().map(SheetSlot::expected).sum()
    }
    pub fn admitted(&self) -> i64 {
        self.sheet.iter().map(SheetSlot::admitted).sum()
    }
    pub fn name_of(&self, r: &Record) -> String {
        super::door::api::holder_name(r)
    }
    pub fn at(&self, ms: &Option<i64>) -> String {
        ms.map(|m| crate::clock::Instant(m).local_parts(&self.tz).1).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "hall/door.html")]
pub struct DoorPage {
    pub ctx: PageCtx,
    /// The center whose door this is (its offline list is kept apart).
    pub center: String,
    /// ok, already, invalid, unknown, confirm, walk_in or empty.
    pub result: String,
    pub check: String,
    pub name: String,
    pub detail: String,
    pub code: String,
    pub heads: String,
    pub current: Option<SlotView>,
    pub expected: i64,
    pub admitted: i64,
    pub errors: FormErrors,
}

impl DoorPage {
    pub fn verdict_key(&self) -> String {
        match self.result.as_str() {
            "confirm" => "hall-door-check".into(),
            r => format!("hall-door-{}", r.replace('_', "-")),
        }
    }
    pub fn origins(&self) -> &'static [Origin] {
        Origin::ALL
    }

    /// The door's verdicts in both languages, for `checkin.js`.
    pub fn verdicts(&self) -> String {
        use crate::i18n::Lang;
        let pairs: serde_json::Map<String, serde_json::Value> =
            ["ok", "already", "invalid", "unknown", "confirm", "refused"]
                .iter()
                .map(|k| {
                    let key = if *k == "confirm" {
                        "hall-door-check".to_string()
                    } else {
                        format!("hall-door-{k}")
                    };
                    (k.to_string(), serde_json::json!([Lang::Zh.t(&key), Lang::En.t(&key)]))
                })
                .collect();
        serde_json::Value::Object(pairs).to_string()
    }
}

#[derive(Template)]
#[template(path = "hall/figures.html")]
pub struct FiguresPage {
    pub ctx: PageCtx,
    pub from: String,
    pub to: String,
    pub as_of: String,
    pub by: String,
    pub figures: Figures,
    pub errors: FormErrors,
}

impl FiguresPage {
    pub fn origin_label(&self, code: &str) -> String {
        match Origin::parse(code) {
            Some(o) => self.ctx.t(o.label_key()),
            None => self.ctx.t("hall-origin-unknown"),
        }
    }
}

#[derive(Default, Clone)]
pub struct WatchFields {
    pub email: String,
    pub people: String,
    pub consent: bool,
}

#[derive(Template)]
#[template(path = "hall/watch.html")]
pub struct WatchPage {
    pub ctx: PageCtx,
    pub name: String,
    pub slot: SlotView,
    pub day_label: String,
    pub f: WatchFields,
    pub errors: FormErrors,
    pub alert: String,
    /// Asked: the page says so.
    pub done: bool,
}
