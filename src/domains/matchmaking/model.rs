//! Matchmaking's types and pure rules: the vocabularies (sectors, kinds of
//! offer and need, meeting states, attendance, outcomes), the slots a
//! setup makes of its meeting windows, how two profiles complement each
//! other (the suggestion rule), and the scheduler that puts meetings at a
//! slot and a table without ever giving one person or one table two
//! meetings at once. Nothing here reads or writes.

use std::collections::{BTreeSet, HashSet};

use crate::codes;
use crate::error::FieldError;
use crate::time::{MINUTE_MS, Span};

codes!(
    /// The small sector taxonomy of the park's matchmaking days.
    pub enum Sector, "mm-sector" {
        Biomedicine = "biomedicine",
        MedicalDevices = "medical_devices",
        HealthServices = "health_services",
        TradeLogistics = "trade_logistics",
        Investment = "investment",
    }
);

codes!(
    /// What an offer or a need is about.
    pub enum Topic, "mm-topic" {
        Product = "product",
        Service = "service",
        Partnership = "partnership",
        Investment = "investment",
        Research = "research",
    }
);

codes!(
    /// An entry of a profile's marketplace.
    pub enum Side, "mm-side" {
        Offer = "offer",
        Need = "need",
    }
);

codes!(
    /// Where a meeting stands. An accepted meeting without a slot waits to
    /// be placed (by the batch scheduler or when time frees up).
    pub enum MeetingStatus, "mm-status" {
        Requested = "requested",
        Accepted = "accepted",
        Declined = "declined",
        Cancelled = "cancelled",
    }
);

impl MeetingStatus {
    pub fn next(self) -> &'static [MeetingStatus] {
        use MeetingStatus::*;
        match self {
            Requested => &[Accepted, Declined, Cancelled],
            Accepted => &[Cancelled],
            Declined | Cancelled => &[],
        }
    }

    pub fn can_become(self, to: MeetingStatus) -> bool {
        self.next().contains(&to)
    }

    /// Requested and accepted meetings count against the request limit and
    /// may hold time.
    pub fn is_live(self) -> bool {
        matches!(self, MeetingStatus::Requested | MeetingStatus::Accepted)
    }
}

codes!(
    /// Who was at the table, recorded on the day.
    pub enum Attendance, "mm-attendance" {
        BothPresent = "both_present",
        RequesterAbsent = "requester_absent",
        InviteeAbsent = "invitee_absent",
        NoShow = "no_show",
    }
);

impl Attendance {
    /// The meeting took place.
    pub fn held(self) -> bool {
        self == Attendance::BothPresent
    }
}

codes!(
    /// What a meeting led to, as each side records it.
    pub enum Outcome, "mm-outcome" {
        FollowUp = "follow_up",
        Nda = "nda",
        Samples = "samples",
        Quotation = "quotation",
        InvestmentIntent = "investment_intent",
        NoInterest = "no_interest",
    }
);

/// An event's meetings by state.
#[derive(Default, Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub profiles: i64,
    pub requested: i64,
    pub accepted: i64,
    pub placed: i64,
    pub waiting: i64,
    pub declined: i64,
    pub cancelled: i64,
}

/// Bounds of a setup.
pub const MEETING_MINUTES: (i64, i64) = (5, 120);
pub const BREAK_MINUTES: (i64, i64) = (0, 60);
pub const TABLE_SEATS: (i64, i64) = (2, 6);
pub const MAX_TABLES: usize = 200;
pub const MAX_WINDOWS: usize = 20;
/// Longest meeting window (a day's meetings; 20 of them bound the slots).
pub const MAX_WINDOW_HOURS: i64 = 12;
pub const REQUEST_LIMIT: (i64, i64) = (1, 200);
/// Longest text of an offer or a need, per language.
pub const ENTRY_CHARS: usize = 500;
/// Most offers and needs on one profile.
pub const MAX_ENTRIES: usize = 20;

/// The meeting slots of a setup: each window cut into meetings of
/// `meeting` minutes with `pause` minutes between them, in time order.
/// Overlapping windows give each slot once.
pub fn slots(windows: &[Span], meeting: i64, pause: i64) -> Vec<Span> {
    let len = meeting * MINUTE_MS;
    let step = (meeting + pause) * MINUTE_MS;
    if len <= 0 || step <= 0 {
        return vec![];
    }
    let mut out = BTreeSet::new();
    for w in windows {
        let mut start = w.start;
        while start + len <= w.end {
            out.insert((start, start + len));
            start += step;
        }
    }
    let all: Vec<Span> = out.into_iter().map(|(s, e)| Span::new(s, e)).collect();
    // Keep only slots that do not overlap an earlier kept one (windows that
    // overlap with different phases would otherwise make clashing slots).
    let mut kept: Vec<Span> = Vec::with_capacity(all.len());
    for s in all {
        if kept.last().is_none_or(|k| k.end <= s.start) {
            kept.push(s);
        }
    }
    kept
}

/// Checks a setup's numbers and windows; `sessions` are the event's
/// sessions (a window must lie within one of them).
pub fn check_setup(
    meeting: i64,
    pause: i64,
    request_limit: i64,
    windows: &[Span],
    sessions: &[Span],
) -> Vec<FieldError> {
    let mut errors = vec![];
    let within = |v: i64, (lo, hi): (i64, i64), field: &str, errors: &mut Vec<FieldError>| {
        if v < lo || v > hi {
            errors
                .push(FieldError::new(field, "field-out-of-range").with("min", lo).with("max", hi));
        }
    };
    // Slots are cut only from numbers in range (no overflow, no millions).
    let meeting_ok = (MEETING_MINUTES.0..=MEETING_MINUTES.1).contains(&meeting)
        && (BREAK_MINUTES.0..=BREAK_MINUTES.1).contains(&pause);
    within(meeting, MEETING_MINUTES, "meeting_minutes", &mut errors);
    within(pause, BREAK_MINUTES, "break_minutes", &mut errors);
    within(request_limit, REQUEST_LIMIT, "request_limit", &mut errors);
    if windows.len() > MAX_WINDOWS {
        errors.push(FieldError::new("windows", "mm-too-many").with("max", MAX_WINDOWS as i64));
    }
    for (i, w) in windows.iter().enumerate() {
        let field = format!("windows[{i}]");
        if w.end <= w.start {
            errors.push(FieldError::new(field, "field-end-before-start"));
        } else if w.end - w.start > MAX_WINDOW_HOURS * 60 * MINUTE_MS {
            errors.push(FieldError::new(field, "mm-window-long").with("hours", MAX_WINDOW_HOURS));
        } else if !sessions.iter().any(|s| s.start <= w.start && w.end <= s.end) {
            errors.push(FieldError::new(field, "mm-window-outside"));
        } else if meeting_ok && slots(&[*w], meeting, pause.max(0)).is_empty() {
            errors.push(FieldError::new(field, "mm-window-short").with("minutes", meeting));
        }
    }
    errors
}

/// A table as the scheduler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub seats: i64,
}

/// A meeting to place: its two people (indexes into the people), how many
/// seats it needs, and the slots both may meet in (indexes into the slots).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Want {
    pub a: usize,
    pub b: usize,
    pub seats: i64,
}

/// What is already taken, and who may meet when.
#[derive(Debug, Clone, Default)]
pub struct Board {
    /// Per person, the slots they may meet in (their stated availability).
    pub open: Vec<BTreeSet<usize>>,
    /// (person, slot) pairs already holding a meeting.
    pub person_busy: HashSet<(usize, usize)>,
    /// (table, slot) pairs already holding a meeting.
    pub table_busy: HashSet<(usize, usize)>,
}

impl Board {
    fn person_free(&self, p: usize, slot: usize) -> bool {
        self.open.get(p).is_some_and(|o| o.contains(&slot))
            && !self.person_busy.contains(&(p, slot))
    }

    /// The smallest free table with enough seats at `slot`.
    fn table_at(&self, tables: &[Table], slot: usize, seats: i64) -> Option<usize> {
        tables
            .iter()
            .enumerate()
            .filter(|(t, table)| table.seats >= seats && !self.table_busy.contains(&(*t, slot)))
            .min_by_key(|(t, table)| (table.seats, *t))
            .map(|(t, _)| t)
    }

    /// The slots where both people of `want` are free and a table fits.
    fn feasible(&self, tables: &[Table], slots: usize, want: &Want) -> Vec<usize> {
        (0..slots)
            .filter(|&s| {
                want.a != want.b
                    && self.person_free(want.a, s)
                    && self.person_free(want.b, s)
                    && self.table_at(tables, s, want.seats).is_some()
            })
            .collect()
    }

    fn take(&mut self, want: &Want, slot: usize, table: usize) {
        self.person_busy.insert((want.a, slot));
        self.person_busy.insert((want.b, slot));
        self.table_busy.insert((table, slot));
    }
}

/// A placement: the meeting's index in the wants, its slot and its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub want: usize,
    pub slot: usize,
    pub table: usize,
}

/// Places one meeting at the earliest slot where both people and a table
/// are free (and marks the board), or says there is none.
pub fn place_one(
    board: &mut Board,
    tables: &[Table],
    slots: usize,
    want: &Want,
    only: Option<usize>,
) -> Option<(usize, usize)> {
    let slot = match only {
        Some(s) => (s < slots
            && want.a != want.b
            && board.person_free(want.a, s)
            && board.person_free(want.b, s))
        .then_some(s)?,
        None => *board.feasible(tables, slots, want).first()?,
    };
    let table = board.table_at(tables, slot, want.seats)?;
    board.take(want, slot, table);
    Some((slot, table))
}

/// The batch scheduler: places as many `wants` as it can, never giving a
/// person or a table two meetings in one slot, never outside a person's
/// availability, never at a table with too few seats.
///
/// Greedy, most constrained first: repeatedly take the unplaced meeting
/// with the fewest feasible slots left (ties: fewest for its busier person,
/// then the order given — first accepted first) and put it in its earliest
/// feasible slot, at the smallest table that seats it. Maximum-cardinality scheduling of meetings
/// into slots is an edge-colouring problem (NP-hard in general); on
/// matchmaking days the binding limit is tables × slots, which this greedy
/// reaches (see the benchmark in the closing note and `upper_bound`).
pub fn schedule(board: &mut Board, tables: &[Table], slots: usize, wants: &[Want]) -> Vec<Placed> {
    let mut feasible: Vec<Option<Vec<usize>>> =
        wants.iter().map(|w| Some(board.feasible(tables, slots, w))).collect();
    let people = board.open.len();
    // Unplaced meetings per person, to keep busy people's options open.
    let mut load = vec![0usize; people];
    for w in wants {
        if let Some(l) = load.get_mut(w.a) {
            *l += 1;
        }
        if let Some(l) = load.get_mut(w.b) {
            *l += 1;
        }
    }
    let mut out = vec![];
    loop {
        let pick = feasible
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.as_ref().map(|f| (i, f)))
            .filter(|(_, f)| !f.is_empty())
            .min_by_key(|(i, f)| {
                let w = &wants[*i];
                let busier =
                    load.get(w.a).copied().unwrap_or(0).max(load.get(w.b).copied().unwrap_or(0));
                (f.len(), std::cmp::Reverse(busier), *i)
            })
            .map(|(i, _)| i);
        let Some(i) = pick else { break };
        let w = &wants[i];
        let slot = feasible[i]
            .as_ref()
            .and_then(|f| f.first().copied())
            .expect("picked meetings have a feasible slot");
        let table = board.table_at(tables, slot, w.seats).expect("feasible slots have a table");
        board.take(w, slot, table);
        out.push(Placed { want: i, slot, table });
        feasible[i] = None;
        for p in [w.a, w.b] {
            if let Some(l) = load.get_mut(p) {
                *l = l.saturating_sub(1);
            }
        }
        // Only meetings sharing a person, or needing a table at that slot,
        // can have lost that slot.
        let table_full = board.table_at(tables, slot, 2).is_none();
        for (j, f) in feasible.iter_mut().enumerate() {
            let Some(f) = f else { continue };
            let other = &wants[j];
            let touched = other.a == w.a || other.a == w.b || other.b == w.a || other.b == w.b;
            let may_have_lost = touched || table_full || other.seats > 2;
            if may_have_lost
                && let Ok(at) = f.binary_search(&slot)
                && (touched || board.table_at(tables, slot, other.seats).is_none())
            {
                f.remove(at);
            }
        }
    }
    out
}

/// A simple upper bound on how many of `wants` any schedule could place:
/// no more than the meetings, than the free table-slots, nor than half the
/// sum over people of min(their meetings, their free slots).
pub fn upper_bound(board: &Board, tables: &[Table], slots: usize, wants: &[Want]) -> usize {
    let free_tables = (0..slots)
        .map(|s| (0..tables.len()).filter(|t| !board.table_busy.contains(&(*t, s))).count())
        .sum::<usize>();
    let mut degree = vec![0usize; board.open.len()];
    for w in wants {
        if w.a != w.b {
            degree[w.a] += 1;
            degree[w.b] += 1;
        }
    }
    let people: usize = degree
        .iter()
        .enumerate()
        .map(|(p, d)| {
            let free = (0..slots).filter(|s| board.person_free(p, *s)).count();
            (*d).min(free)
        })
        .sum();
    wants.len().min(free_tables).min(people / 2)
}

/// A profile as the suggestion rule sees it.
#[derive(Debug, Clone, Default)]
pub struct Card {
    pub sector: Option<Sector>,
    /// Primary language subtags (`en`, `zh`…).
    pub languages: BTreeSet<String>,
    pub offers: BTreeSet<Topic>,
    pub needs: BTreeSet<Topic>,
}

/// How well `other` answers `me`: 3 for each of my needs they offer, 2 for
/// each of my offers they need, 1 for the same sector when that already
/// complements, and 2 when we share a language (so we can talk without an
/// interpreter). Zero when nothing complements: not a suggestion.
pub fn affinity(me: &Card, other: &Card) -> i64 {
    let theirs = me.needs.intersection(&other.offers).count() as i64;
    let mine = me.offers.intersection(&other.needs).count() as i64;
    if theirs + mine == 0 {
        return 0;
    }
    let sector = (me.sector.is_some() && me.sector == other.sector) as i64;
    let talk = if shared_language(&me.languages, &other.languages) { 2 } else { 0 };
    3 * theirs + 2 * mine + sector + talk
}

/// Whether two people share a language (by primary subtag).
pub fn shared_language(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    a.iter().any(|l| b.contains(l))
}

/// One meeting as the figures count it.
#[derive(Debug, Clone)]
pub struct Fact {
    pub status: MeetingStatus,
    pub by_staff: bool,
    /// It was accepted at some point (a cancelled meeting may have been).
    pub accepted: bool,
    pub placed: bool,
    pub attendance: Option<Attendance>,
    /// Each side's country code and sector.
    pub sides: [(String, Option<Sector>); 2],
}

/// A row of a breakdown: its key (a country code or a sector code), the
/// people it counts in requests and in meetings held.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Breakdown {
    pub key: String,
    pub requests: i64,
    pub held: i64,
}

/// An event's matchmaking figures.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct MatchmakingFigures {
    /// Asked by participants (staff bookings apart).
    pub requests: i64,
    pub accepted: i64,
    pub declined: i64,
    /// Still waiting for an answer.
    pub open: i64,
    /// accepted / answered requests, in percent (none answered: 0).
    pub acceptance_rate: f64,
    /// Booked by staff directly.
    pub staff_booked: i64,
    /// Meetings with a time and a table (not cancelled).
    pub placed: i64,
    /// Both sides came.
    pub held: i64,
    /// Neither came.
    pub no_shows: i64,
    /// One side came.
    pub one_absent: i64,
    /// Outcome code → how many sides recorded it.
    pub outcomes: Vec<(String, i64)>,
    /// Per country of the people (a meeting counts for both sides).
    pub by_country: Vec<Breakdown>,
    /// Per sector of the people.
    pub by_sector: Vec<Breakdown>,
}

/// The figures of an event from its meetings and the outcomes recorded.
pub fn figures(facts: &[Fact], outcomes: &[Outcome]) -> MatchmakingFigures {
    let mut f = MatchmakingFigures::default();
    let mut country: std::collections::BTreeMap<String, Breakdown> = Default::default();
    let mut sector: std::collections::BTreeMap<String, Breakdown> = Default::default();
    for m in facts {
        if m.by_staff {
            f.staff_booked += 1;
        } else {
            f.requests += 1;
            match m.status {
                MeetingStatus::Declined => f.declined += 1,
                MeetingStatus::Requested => f.open += 1,
                _ if m.accepted => f.accepted += 1,
                _ => {}
            }
        }
        let live_placed = m.placed && m.status == MeetingStatus::Accepted;
        if live_placed {
            f.placed += 1;
        }
        let held = live_placed && m.attendance.is_some_and(Attendance::held);
        match m.attendance.filter(|_| live_placed) {
            Some(Attendance::BothPresent) => f.held += 1,
            Some(Attendance::NoShow) => f.no_shows += 1,
            Some(_) => f.one_absent += 1,
            None => {}
        }
        for (c, s) in &m.sides {
            let count = |map: &mut std::collections::BTreeMap<String, Breakdown>, key: &str| {
                let row = map
                    .entry(key.to_string())
                    .or_insert_with(|| Breakdown { key: key.to_string(), ..Default::default() });
                if !m.by_staff {
                    row.requests += 1;
                }
                if held {
                    row.held += 1;
                }
            };
            count(&mut country, if c.is_empty() { "" } else { c });
            count(&mut sector, s.map(|s| s.code()).unwrap_or(""));
        }
    }
    let answered = f.accepted + f.declined;
    f.acceptance_rate =
        if answered == 0 { 0.0 } else { (1000 * f.accepted / answered) as f64 / 10.0 };
    f.outcomes = Outcome::ALL
        .iter()
        .map(|o| (o.code().to_string(), outcomes.iter().filter(|x| *x == o).count() as i64))
        .collect();
    let sorted = |map: std::collections::BTreeMap<String, Breakdown>| {
        let mut v: Vec<Breakdown> = map.into_values().collect();
        v.sort_by(|a, b| {
            b.held.cmp(&a.held).then(b.requests.cmp(&a.requests)).then(a.key.cmp(&b.key))
        });
        v
    };
    f.by_country = sorted(country);
    f.by_sector = sorted(sector);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const H: i64 = 60 * MINUTE_MS;

    #[test]
    fn windows_are_cut_into_meetings_with_breaks() {
        let s = slots(&[Span::new(9 * H, 10 * H)], 20, 5);
        let starts: Vec<i64> = s.iter().map(|s| (s.start - 9 * H) / MINUTE_MS).collect();
        assert_eq!(starts, [0, 25]);
        assert!(s.iter().all(|s| s.end - s.start == 20 * MINUTE_MS));
        // A third meeting would end at 10:10, past the window.
        assert_eq!(slots(&[Span::new(9 * H, 10 * H)], 20, 0).len(), 3);
        assert!(slots(&[Span::new(9 * H, 9 * H + 10 * MINUTE_MS)], 20, 0).is_empty());
        // Overlapping windows never make clashing slots.
        let s =
            slots(&[Span::new(9 * H, 10 * H), Span::new(9 * H + 10 * MINUTE_MS, 11 * H)], 20, 0);
        assert!(s.windows(2).all(|p| p[0].end <= p[1].start));
    }

    #[test]
    fn a_window_must_lie_in_a_session_and_hold_a_meeting() {
        let session = [Span::new(9 * H, 12 * H)];
        assert!(check_setup(20, 5, 10, &[Span::new(9 * H, 11 * H)], &session).is_empty());
        let e = check_setup(20, 5, 10, &[Span::new(8 * H, 11 * H)], &session);
        assert_eq!(e[0].key, "mm-window-outside");
        let e = check_setup(20, 5, 10, &[Span::new(9 * H, 9 * H + 15 * MINUTE_MS)], &session);
        assert_eq!(e[0].key, "mm-window-short");
        let e = check_setup(200, 5, 0, &[], &session);
        assert_eq!(e.len(), 2);
        // Numbers out of range cut no slots (no overflow, no millions).
        let long = [Span::new(0, 400 * 24 * H)];
        let e = check_setup(5, i64::MAX, 10, &long, &long);
        assert!(e.iter().any(|e| e.key == "mm-window-long"));
        assert!(e.iter().any(|e| e.field == "break_minutes"));
    }

    fn card(sector: Sector, langs: &[&str], offers: &[Topic], needs: &[Topic]) -> Card {
        Card {
            sector: Some(sector),
            languages: langs.iter().map(|l| l.to_string()).collect(),
            offers: offers.iter().copied().collect(),
            needs: needs.iter().copied().collect(),
        }
    }

    #[test]
    fn complementary_profiles_with_a_shared_language_rank_first() {
        use Topic::*;
        // A Swiss medtech buyer needs products and offers distribution.
        let buyer = card(Sector::MedicalDevices, &["en", "de"], &[Service], &[Product]);
        let maker = card(Sector::MedicalDevices, &["zh", "en"], &[Product], &[Service]);
        let maker_zh = card(Sector::MedicalDevices, &["zh"], &[Product], &[]);
        let investor = card(Sector::Investment, &["en"], &[Investment], &[Research]);
        assert_eq!(affinity(&buyer, &maker), 3 + 2 + 1 + 2);
        assert_eq!(affinity(&buyer, &maker_zh), 3 + 1);
        assert_eq!(affinity(&buyer, &investor), 0);
        assert!(affinity(&buyer, &maker) > affinity(&buyer, &maker_zh));
    }

    fn board(people: usize, slots: usize) -> Board {
        Board { open: vec![(0..slots).collect(); people], ..Board::default() }
    }

    fn want(a: usize, b: usize) -> Want {
        Want { a, b, seats: 2 }
    }

    #[test]
    fn one_meeting_goes_to_the_earliest_slot_both_are_free() {
        let mut b = board(3, 3);
        b.person_busy.insert((0, 0));
        let tables = [Table { seats: 2 }];
        assert_eq!(place_one(&mut b, &tables, 3, &want(0, 1), None), Some((1, 0)));
        // Person 1 is now busy at slot 1, and the only table too.
        assert_eq!(place_one(&mut b, &tables, 3, &want(1, 2), None), Some((0, 0)));
        assert_eq!(place_one(&mut b, &tables, 3, &want(2, 0), Some(1)), None);
        b.open[2].remove(&2);
        assert_eq!(place_one(&mut b, &tables, 3, &want(2, 0), None), None);
    }

    #[test]
    fn the_scheduler_keeps_the_constrained_meeting_for_its_only_slot() {
        // Person 2 can meet only in slot 0; a first-come greedy would give
        // slot 0 to 0–1 and leave 0–2 out.
        let mut b = board(3, 2);
        b.open[2] = [0].into();
        let tables = [Table { seats: 2 }];
        let placed = schedule(&mut b, &tables, 2, &[want(0, 1), want(0, 2)]);
        assert_eq!(placed.len(), 2);
    }

    fn valid(
        b0: &Board,
        tables: &[Table],
        wants: &[Want],
        placed: &[Placed],
    ) -> Result<(), String> {
        let mut people = b0.person_busy.clone();
        let mut tabs = b0.table_busy.clone();
        let mut seen = HashSet::new();
        for p in placed {
            let w = &wants[p.want];
            if !seen.insert(p.want) {
                return Err(format!("meeting {} placed twice", p.want));
            }
            for who in [w.a, w.b] {
                if !b0.open[who].contains(&p.slot) {
                    return Err(format!("person {who} not available at {}", p.slot));
                }
                if !people.insert((who, p.slot)) {
                    return Err(format!("person {who} twice at {}", p.slot));
                }
            }
            if !tabs.insert((p.table, p.slot)) {
                return Err(format!("table {} twice at {}", p.table, p.slot));
            }
            if tables[p.table].seats < w.seats {
                return Err("table too small".into());
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn the_scheduler_never_double_books_and_stays_under_the_bound(
            people in 2usize..14,
            slots in 1usize..7,
            seats in proptest::collection::vec(2i64..5, 1..5),
            pairs in proptest::collection::vec((0usize..14, 0usize..14, 2i64..4), 0..40),
            away in proptest::collection::vec((0usize..14, 0usize..7), 0..12),
            busy in proptest::collection::vec((0usize..14, 0usize..7), 0..6),
        ) {
            let tables: Vec<Table> = seats.into_iter().map(|seats| Table { seats }).collect();
            let mut b = board(people, slots);
            for (p, s) in away { if p < people { b.open[p].remove(&s); } }
            for (p, s) in busy { if p < people && s < slots { b.person_busy.insert((p, s)); } }
            let wants: Vec<Want> = pairs
                .into_iter()
                .filter(|(a, c, _)| *a < people && *c < people)
                .map(|(a, c, seats)| Want { a, b: c, seats })
                .collect();
            let start = b.clone();
            let bound = upper_bound(&b, &tables, slots, &wants);
            let placed = schedule(&mut b, &tables, slots, &wants);
            prop_assert!(valid(&start, &tables, &wants, &placed).is_ok(), "{:?}", valid(&start, &tables, &wants, &placed));
            prop_assert!(placed.len() <= bound);
            // Greedy is maximal: nothing left out could still be placed.
            let mut after = b.clone();
            for (i, w) in wants.iter().enumerate() {
                if !placed.iter().any(|p| p.want == i) {
                    prop_assert!(place_one(&mut after, &tables, slots, w, None).is_none());
                }
            }
        }
    }

    #[test]
    fn meeting_states() {
        use MeetingStatus::*;
        assert!(Requested.can_become(Accepted));
        assert!(Accepted.can_become(Cancelled));
        assert!(!Declined.can_become(Accepted));
        assert!(!Accepted.can_become(Declined));
    }

    #[test]
    fn figures_count_requests_answers_attendance_and_outcomes() {
        let fact = |status, by_staff, accepted, placed, attendance| Fact {
            status,
            by_staff,
            accepted,
            placed,
            attendance,
            sides: [
                ("CH".into(), Some(Sector::MedicalDevices)),
                ("CN".into(), Some(Sector::MedicalDevices)),
            ],
        };
        use MeetingStatus::*;
        let facts = [
            fact(Accepted, false, true, true, Some(Attendance::BothPresent)),
            fact(Accepted, false, true, true, Some(Attendance::NoShow)),
            fact(Accepted, false, true, false, None),
            fact(Cancelled, false, true, true, None),
            fact(Declined, false, false, false, None),
            fact(Requested, false, false, false, None),
            fact(Accepted, true, true, true, Some(Attendance::InviteeAbsent)),
        ];
        let f = figures(&facts, &[Outcome::FollowUp, Outcome::FollowUp, Outcome::Nda]);
        assert_eq!((f.requests, f.accepted, f.declined, f.open, f.staff_booked), (6, 4, 1, 1, 1));
        assert_eq!(f.acceptance_rate, 80.0);
        assert_eq!((f.placed, f.held, f.no_shows, f.one_absent), (3, 1, 1, 1));
        assert_eq!(f.outcomes[0], ("follow_up".to_string(), 2));
        let ch = f.by_country.iter().find(|r| r.key == "CH").unwrap();
        assert_eq!((ch.requests, ch.held), (6, 1));
        assert_eq!(f.by_sector[0].key, "medical_devices");
    }
}
