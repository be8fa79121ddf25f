//! Interpreter vocabularies and the pure rules: which assignment status may
//! follow which, and how free, qualified interpreters are ranked.

use crate::codes;

codes!(
    pub enum AssignmentStatus, "assignment-status" {
        Offered = "offered",
        Accepted = "accepted",
        Declined = "declined",
        Cancelled = "cancelled",
    }
);

impl AssignmentStatus {
    /// Offered and accepted assignments hold the interpreter's time.
    pub fn is_live(self) -> bool {
        matches!(self, AssignmentStatus::Offered | AssignmentStatus::Accepted)
    }

    pub fn can_become(self, to: AssignmentStatus) -> bool {
        use AssignmentStatus::*;
        matches!(
            (self, to),
            (Offered, Accepted | Declined | Cancelled) | (Accepted, Declined | Cancelled)
        )
    }
}

codes!(
    /// 3 senior, 2 intermediate, 1 junior.
    pub enum Level, "interp-level" {
        Junior = "1",
        Intermediate = "2",
        Senior = "3",
    }
);

impl Level {
    pub fn from_number(n: i64) -> Level {
        match n {
            n if n >= 3 => Level::Senior,
            2 => Level::Intermediate,
            _ => Level::Junior,
        }
    }

    pub fn number(self) -> i64 {
        match self {
            Level::Junior => 1,
            Level::Intermediate => 2,
            Level::Senior => 3,
        }
    }
}

/// An interpreter who works in the wanted language, with what ranks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub interpreter_id: String,
    pub name: String,
    /// The language tag they hold that matched, and its level.
    pub tag: String,
    pub level: i64,
    /// Live assignments in the weeks around the item.
    pub workload: i64,
    /// Already assigned or unavailable at that time.
    pub busy: bool,
}

/// The free candidates, best first: an exact tag before a mere primary-language
/// match, then higher level, then lighter workload, then name.
pub fn rank(wanted: &str, candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut free: Vec<Candidate> = candidates.into_iter().filter(|c| !c.busy).collect();
    free.sort_by(|a, b| {
        (b.tag == wanted)
            .cmp(&(a.tag == wanted))
            .then(b.level.cmp(&a.level))
            .then(a.workload.cmp(&b.workload))
            .then(a.name.cmp(&b.name))
    });
    free
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, tag: &str, level: i64, workload: i64, busy: bool) -> Candidate {
        Candidate {
            interpreter_id: id.into(),
            name: id.into(),
            tag: tag.into(),
            level,
            workload,
            busy,
        }
    }

    #[test]
    fn ranking_prefers_level_then_light_workload() {
        let ranked = rank(
            "fr",
            vec![
                c("a", "fr", 2, 0, false),
                c("b", "fr", 3, 5, false),
                c("c", "fr", 3, 1, false),
                c("d", "fr", 3, 0, true),
                c("e", "fr-CA", 3, 0, false),
            ],
        );
        let ids: Vec<&str> = ranked.iter().map(|c| c.interpreter_id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "a", "e"]);
    }

    #[test]
    fn statuses() {
        use AssignmentStatus::*;
        assert!(Offered.can_become(Accepted));
        assert!(Accepted.can_become(Declined));
        assert!(!Declined.can_become(Accepted));
        assert!(!Cancelled.is_live() && Offered.is_live());
        assert_eq!(Level::from_number(7), Level::Senior);
        assert_eq!(Level::Senior.label_key(), "interp-level-3");
    }
}
