//! The demo hall: the exhibition hall of the Tri-medical Innovation Center,
//! open Tuesday to Sunday, with 2022's register (125 groups, 319
//! person-visits — the release's figures) and a few visits booked for the
//! coming days. Loading again changes nothing.

use crate::audit::Who;
use crate::clock::Instant;
use crate::domains::hall::calendar::service::{self as calendar, HallEdit};
use crate::domains::hall::model::{Hours, Kind, Request, Rules};
use crate::domains::hall::reservation::service::{self as reservations, PastVisit};
use crate::error::AppResult;
use crate::i18n::{Bilingual, Lang};
use crate::state::AppState;

/// 2022's register: (party size, how many such parties): 125 parties, 319 people.
const SIZES: [(i64, usize); 5] = [(1, 12), (2, 58), (3, 35), (4, 14), (5, 6)];

/// Origins in turn (most visitors are local).
const ORIGINS: [&str; 10] = [
    "local",
    "local",
    "other_province",
    "local",
    "local",
    "foreign",
    "local",
    "other_province",
    "local",
    "hk_macao_taiwan",
];

/// Returns how many past visits were entered (0 when the hall existed).
pub async fn load(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    if calendar::hall(state, center_id).await?.is_some() {
        return Ok(0);
    }
    let Some(user) = super::admin_user(state, center_id).await? else {
        return Ok(0);
    };
    let open = Hours::parse("09:00", "17:00");
    let week = [None, open, open, open, open, open, open];
    let rules = Rules { slot_capacity: 30, ..Rules::default() };
    let name =
        Bilingual::new("三医科技展馆", "Exhibition hall of the Tri-medical Innovation Center");
    calendar::save(state, who, &user, HallEdit { name, rules, week }).await?;
    for (day, zh, en) in [
        ("2027-01-01", "元旦闭馆", "Closed for New Year's Day"),
        ("2027-02-06", "春节闭馆", "Closed for the Spring Festival"),
        ("2027-02-07", "春节闭馆", "Closed for the Spring Festival"),
    ] {
        calendar::set_exception(state, who, &user, day, None, Bilingual::new(zh, en)).await?;
    }
    // 2022's register, from the paper book: parties spread over the open
    // days of the year, one slot each.
    let tz = crate::domains::centers::service::tz(state, center_id).await?;
    let mut sizes = vec![];
    for (size, n) in SIZES {
        sizes.extend(std::iter::repeat_n(size, n));
    }
    // Interleave so months get a mix of families and groups (47 is prime
    // to 125: every party is taken once).
    let n = sizes.len();
    let sizes: Vec<i64> = (0..n).map(|i| sizes[(i * 47) % n]).collect();
    let start = jiff::civil::date(2022, 1, 4);
    let mut register = vec![];
    for (i, size) in sizes.iter().enumerate() {
        let mut day =
            start.checked_add(jiff::Span::new().days((i as i64 * 361) / 125)).unwrap_or(start);
        if day.weekday() == jiff::civil::Weekday::Monday {
            day = day.checked_add(jiff::Span::new().days(1)).unwrap_or(day);
        }
        let hour = 9 + (i % 8);
        let Some(at) = Instant::parse_local(&day.to_string(), &format!("{hour:02}:00"), &tz) else {
            continue;
        };
        let kind = if *size >= 5 { Kind::Group } else { Kind::Individual };
        let org = if kind == Kind::Group { "温江区实验小学" } else { "" };
        register.push(PastVisit {
            at,
            kind,
            heads: *size,
            origin: ORIGINS[i % ORIGINS.len()].into(),
            organisation: org.into(),
        });
    }
    let entered = reservations::record_past(state, who, center_id, &register).await?;
    // A few visits booked for the next open days.
    let hall = calendar::require(state, center_id).await?;
    let today: jiff::civil::Date =
        state.clock.now().local_parts(&tz).0.parse().map_err(crate::error::AppError::internal)?;
    let last = today.checked_add(jiff::Span::new().days(7)).unwrap_or(today);
    let slots: Vec<_> = calendar::slots(state, &hall, today, last)
        .await?
        .into_iter()
        .filter(|s| s.bookable)
        .collect();
    let people = [
        ("individual", 3, "王芳", "+86 138 0000 1234", "", ""),
        ("individual", 2, "Anna Schmidt", "", "anna.schmidt@example.org", ""),
        ("group", 24, "李老师", "+86 139 0000 5678", "", "温江区实验小学"),
    ];
    for (i, (kind, n, name, phone, email, org)) in people.into_iter().enumerate() {
        let Some(slot) = slots.get(i * 3) else { break };
        let req = Request {
            slot: slot.key.clone(),
            kind: kind.into(),
            people: n,
            organisation: org.into(),
            contact_name: name.into(),
            phone: phone.into(),
            email: email.into(),
            tour: kind == "group",
            tour_lang: if kind == "group" { "zh-Hans".into() } else { String::new() },
            consent: true,
            ..Request::default()
        };
        let lang = if email.is_empty() { Lang::Zh } else { Lang::En };
        reservations::reserve(state, who, Some(&user), center_id, req, lang).await?;
    }
    Ok(entered)
}
