//! Delegation visits: the vocabularies (counterpart types, the visit
//! lifecycle, itinerary kinds, plan areas, outcomes), and
//! pure rules — which status may follow which, how a passport number is
//! masked, how figures are quoted. No I/O.

use crate::codes;
use crate::error::FieldError;

codes!(
    /// Who sends the delegation (GLOSSARY.md "Visitors" plus our own codes).
    pub enum OrgKind, "org-kind" {
        EmbassyConsulate = "embassy_consulate",
        ForeignLocalGovernment = "foreign_local_government",
        BusinessAssociation = "business_association",
        ForeignEnterprise = "foreign_enterprise",
        HkMacaoOrg = "hk_macao_org",
        InternationalOrg = "international_org",
        Domestic = "domestic",
        Other = "other",
    }
);

codes!(
    /// A visit's lifecycle (DOMAIN.md "Delegation visits").
    pub enum VisitStatus, "visit-status" {
        Inquiry = "inquiry",
        RequestReceived = "request_received",
        UnderReview = "under_review",
        Approved = "approved",
        Declined = "declined",
        Planning = "planning",
        Confirmed = "confirmed",
        InProgress = "in_progress",
        Completed = "completed",
        FollowUp = "follow_up",
        Closed = "closed",
        Postponed = "postponed",
        Cancelled = "cancelled",
    }
);

impl VisitStatus {
    /// The statuses that may follow this one. Declined, cancelled and
    /// closed are final; postponed goes back to review or planning.
    pub fn next(self) -> &'static [VisitStatus] {
        use VisitStatus::*;
        match self {
            Inquiry => &[RequestReceived, UnderReview, Cancelled],
            RequestReceived => &[UnderReview, Approved, Declined, Cancelled],
            UnderReview => &[Approved, Declined, Postponed, Cancelled],
            Approved => &[Planning, Postponed, Cancelled],
            Planning => &[Confirmed, Postponed, Cancelled],
            Confirmed => &[InProgress, Planning, Postponed, Cancelled],
            InProgress => &[Completed],
            Completed => &[FollowUp, Closed],
            FollowUp => &[Closed],
            Postponed => &[UnderReview, Planning, Cancelled],
            Declined | Closed | Cancelled => &[],
        }
    }

    pub fn can_become(self, to: VisitStatus) -> bool {
        self.next().contains(&to)
    }

    /// Moving here needs a reason that stays on the record.
    pub fn needs_reason(self) -> bool {
        matches!(self, VisitStatus::Declined | VisitStatus::Cancelled | VisitStatus::Postponed)
    }

    /// The visit took place: it counts in the figures.
    pub fn happened(self) -> bool {
        matches!(self, VisitStatus::Completed | VisitStatus::FollowUp | VisitStatus::Closed)
    }

    /// Still to be received (plans, itinerary and interpreters matter).
    pub fn is_open(self) -> bool {
        !self.happened() && !matches!(self, VisitStatus::Declined | VisitStatus::Cancelled)
    }

    /// No way back from here: final, or past the visit itself.
    pub fn is_irreversible(self) -> bool {
        self.next().is_empty() || self == VisitStatus::Completed
    }
}

/// What is known of a visit when someone moves it (see [`move_warnings`]).
pub struct MoveFacts<'a> {
    /// The first day of the visit (agreed, else preferred), or empty.
    pub first_day: &'a str,
    pub today: &'a str,
    pub open_tasks: usize,
    /// Interpreter offers on the itinerary not yet accepted.
    pub unconfirmed_interpreters: usize,
    /// Itinerary items still to come that hold a room or an interpreter.
    pub future_items: usize,
}

/// What a person should know before moving a visit to `to`, as Fluent keys
/// with one value each ("dated 2026-12-01", "2 open tasks"). Empty when the
/// move is routine.
pub fn move_warnings(to: VisitStatus, f: &MoveFacts) -> Vec<(&'static str, String)> {
    use VisitStatus::*;
    let mut w = vec![];
    if matches!(to, InProgress | Completed | FollowUp | Closed)
        && !f.first_day.is_empty()
        && f.first_day > f.today
    {
        w.push(("visit-warn-not-yet", f.first_day.to_string()));
    }
    if matches!(to, Confirmed | InProgress) && f.unconfirmed_interpreters > 0 {
        w.push(("visit-warn-interpreters", f.unconfirmed_interpreters.to_string()));
    }
    if matches!(to, Completed | FollowUp | Closed) && f.open_tasks > 0 {
        w.push(("visit-warn-open-tasks", f.open_tasks.to_string()));
    }
    if matches!(to, Cancelled | Declined) && f.future_items > 0 {
        w.push(("visit-warn-release", f.future_items.to_string()));
    }
    if to.is_irreversible() {
        w.push(("visit-warn-final", String::new()));
    }
    w
}

codes!(
    pub enum ItemKind, "item-kind" {
        Arrival = "arrival",
        Meeting = "meeting",
        Talks = "talks",
        Banquet = "banquet",
        SiteVisit = "site_visit",
        Signing = "signing",
        Event = "event",
        Departure = "departure",
    }
);

impl ItemKind {
    /// Items that have a seating plan and name cards.
    pub fn has_seating(self) -> bool {
        matches!(self, ItemKind::Meeting | ItemKind::Talks | ItemKind::Signing | ItemKind::Banquet)
    }
}

codes!(
    /// As iCalendar's STATUS.
    pub enum ItemStatus, "item-status" {
        Tentative = "tentative",
        Confirmed = "confirmed",
        Cancelled = "cancelled",
    }
);

impl ItemStatus {
    pub fn ical(self) -> &'static str {
        match self {
            ItemStatus::Tentative => "TENTATIVE",
            ItemStatus::Confirmed => "CONFIRMED",
            ItemStatus::Cancelled => "CANCELLED",
        }
    }
}

codes!(
    /// The parts of a reception plan, each with its own tasks.
    pub enum PlanArea, "plan-area" {
        Interpretation = "interpretation",
        Media = "media",
        Gifts = "gifts",
        TransportLodging = "transport_lodging",
        Materials = "materials",
        VenueSetup = "venue_setup",
        Security = "security",
    }
);

codes!(
    pub enum TaskStatus, "task-status" {
        Open = "open",
        Done = "done",
        Dropped = "dropped",
    }
);

codes!(
    pub enum OutcomeKind, "outcome-kind" {
        Mou = "mou",
        Agreement = "agreement",
        LetterOfIntent = "letter_of_intent",
        ProjectLead = "project_lead",
        Investment = "investment",
        ReturnVisit = "return_visit",
    }
);

codes!(
    pub enum OutcomeStatus, "outcome-status" {
        Proposed = "proposed",
        Signed = "signed",
        InProgress = "in_progress",
        Realised = "realised",
        Dormant = "dormant",
        Terminated = "terminated",
    }
);

impl OutcomeStatus {
    pub fn can_become(self, to: OutcomeStatus) -> bool {
        use OutcomeStatus::*;
        matches!(
            (self, to),
            (Proposed, Signed | InProgress | Dormant | Terminated)
                | (Signed, InProgress | Realised | Dormant | Terminated)
                | (InProgress, Realised | Dormant | Terminated)
                | (Dormant, InProgress | Realised | Terminated)
        )
    }

    /// Still being followed up (reminders apply).
    pub fn is_live(self) -> bool {
        matches!(self, OutcomeStatus::Proposed | OutcomeStatus::Signed | OutcomeStatus::InProgress)
    }
}

codes!(
    pub enum Gender, "gender" {
        Female = "f",
        Male = "m",
        Unspecified = "x",
    }
);

codes!(
    /// Sides of a seating plan.
    pub enum Side, "seat-side" {
        Host = "host",
        Guest = "guest",
    }
);

codes!(
    pub enum SeatRole, "seat-role" {
        Principal = "principal",
        Interpreter = "interpreter",
    }
);

/// The masked form of an identity-document number: only the last four
/// characters show.
pub fn mask_last4(number: &str) -> String {
    let chars: Vec<char> = number.chars().filter(|c| !c.is_whitespace()).collect();
    let shown: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("{}{shown}", "•".repeat(chars.len().saturating_sub(4).clamp(2, 8)))
}

/// A passport number as typed: letters and digits, 5 to 20 of them.
pub fn normalize_passport(s: &str) -> Option<String> {
    let n: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let ok = (5..=20).contains(&n.chars().count()) && n.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then(|| n.to_ascii_uppercase())
}

/// A name as in the passport: Latin letters, spaces, hyphens, apostrophes
/// and dots (diacritics allowed), at most 100 characters.
pub fn is_passport_name(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars().count() <= 100
        && s.chars().all(|c| {
            c.is_alphabetic() && (c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c))
                || matches!(c, ' ' | '-' | '\'' | '.')
        })
}

/// The figure as a center quotes it: "more than 30" for 34, the exact
/// number below 20 or when it is round. Returns (number, is_lower_bound).
pub fn quoted(n: i64) -> (i64, bool) {
    if n < 20 || n % 10 == 0 { (n, false) } else { (n - n % 10, true) }
}

/// Checks a `YYYY-MM-DD` date field (empty allowed when optional).
pub fn check_date(field: &str, value: &str, required: bool) -> Option<FieldError> {
    crate::time::parse_day(field, value, required).err()
}

/// The lower-cased, space-collapsed key an organisation is found by.
pub fn name_key(zh: &str, en: &str) -> String {
    let base = if en.trim().is_empty() { zh } else { en };
    base.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_a_visit_warns_of_what_would_go_wrong() {
        let facts = MoveFacts {
            first_day: "2026-12-01",
            today: "2026-11-30",
            open_tasks: 2,
            unconfirmed_interpreters: 1,
            future_items: 3,
        };
        let keys = |to| move_warnings(to, &facts).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(
            keys(VisitStatus::InProgress),
            vec!["visit-warn-not-yet", "visit-warn-interpreters"]
        );
        assert_eq!(
            keys(VisitStatus::Completed),
            vec!["visit-warn-not-yet", "visit-warn-open-tasks", "visit-warn-final"]
        );
        assert_eq!(keys(VisitStatus::Cancelled), vec!["visit-warn-release", "visit-warn-final"]);
        assert_eq!(keys(VisitStatus::Planning), Vec::<&str>::new(), "routine moves just happen");
        let today = MoveFacts {
            first_day: "2026-11-30",
            open_tasks: 0,
            unconfirmed_interpreters: 0,
            ..facts
        };
        assert!(move_warnings(VisitStatus::InProgress, &today).is_empty());
    }
    use proptest::prelude::*;

    #[test]
    fn lifecycle_follows_the_domain() {
        use VisitStatus::*;
        let happy = [
            Inquiry,
            RequestReceived,
            UnderReview,
            Approved,
            Planning,
            Confirmed,
            InProgress,
            Completed,
            FollowUp,
            Closed,
        ];
        for pair in happy.windows(2) {
            assert!(pair[0].can_become(pair[1]), "{:?} → {:?}", pair[0], pair[1]);
        }
        for done in [Declined, Closed, Cancelled] {
            assert!(done.next().is_empty());
        }
        assert!(!RequestReceived.can_become(Completed));
        assert!(!InProgress.can_become(Cancelled));
        assert!(Postponed.can_become(Planning));
        assert!(Declined.needs_reason() && Cancelled.needs_reason());
    }

    #[test]
    fn every_status_is_reachable_from_a_request() {
        let mut seen = vec![VisitStatus::RequestReceived];
        let mut i = 0;
        while i < seen.len() {
            for n in seen[i].next() {
                if !seen.contains(n) {
                    seen.push(*n);
                }
            }
            i += 1;
        }
        for s in VisitStatus::ALL {
            assert!(seen.contains(s) || *s == VisitStatus::Inquiry, "{s:?}");
        }
    }

    #[test]
    fn codes_parse_and_name() {
        assert_eq!(OrgKind::parse("hk_macao_org"), Some(OrgKind::HkMacaoOrg));
        assert_eq!(OrgKind::HkMacaoOrg.label_key(), "org-kind-hk-macao-org");
        assert_eq!(OrgKind::parse("consulate"), None);
        assert_eq!(OrgKind::ALL.len(), 8);
    }

    #[test]
    fn passport_numbers_and_names() {
        assert_eq!(normalize_passport(" e1234 5678 "), Some("E12345678".into()));
        assert_eq!(normalize_passport("12"), None);
        assert_eq!(normalize_passport("AB#12345"), None);
        assert_eq!(mask_last4("E12345678"), "•••••5678");
        assert!(!mask_last4("1234").contains('1') || mask_last4("1234").ends_with("1234"));
        assert!(is_passport_name("O'Neill-Smith"));
        assert!(is_passport_name("Müller"));
        assert!(!is_passport_name("王"));
        assert!(!is_passport_name(""));
    }

    #[test]
    fn quoting_rounds_down() {
        assert_eq!(quoted(34), (30, true));
        assert_eq!(quoted(40), (40, false));
        assert_eq!(quoted(7), (7, false));
        assert_eq!(quoted(125), (120, true));
    }

    proptest! {
        #[test]
        fn masking_never_shows_more_than_four(n in "[A-Z0-9]{5,20}") {
            let masked = mask_last4(&n);
            let shown: String = masked.chars().filter(|c| *c != '•').collect();
            prop_assert_eq!(shown.len(), 4);
            prop_assert!(n.ends_with(&shown));
        }

        #[test]
        fn quoted_is_a_lower_bound(n in 0i64..100_000) {
            let (q, more) = quoted(n);
            prop_assert!(q <= n);
            prop_assert_eq!(more, q < n);
        }
    }
}
