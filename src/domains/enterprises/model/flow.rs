//! The path a request takes (DOMAIN "Enterprise services"): draft →
//! submitted → materials review ⇄ supplement requested → filed with the
//! authority → approved / rejected → shipment booked → arrived & declared →
//! inspection → released → delivered → post-entry supervision → closed; a
//! consultation: submitted → answered → closed. Who takes which move, and
//! the SLA clock that runs in working days and stops while the enterprise
//! owes a supplement.

use jiff::civil::Date;

use crate::codes;
use crate::reference::workdays::Calendar;

codes!(
    /// Which path a service's requests take.
    pub enum Flow, "service-flow" {
        /// Goods through customs: approval, then shipment to release and delivery.
        Goods = "goods",
        /// An approval or filing without a shipment (the white list, customs support).
        Approval = "approval",
        /// A question answered by the center.
        Consultation = "consultation",
    }
);

codes!(
    pub enum Status, "request-status" {
        Draft = "draft",
        Submitted = "submitted",
        /// 材料审核: the officer checks the materials.
        Review = "review",
        /// 补充材料: the enterprise owes a supplement; the clock stops.
        Supplement = "supplement",
        /// 已报主管部门: filed with the authority (customs, the health commission…).
        Filed = "filed",
        Approved = "approved",
        Rejected = "rejected",
        ShipmentBooked = "shipment_booked",
        /// 到货申报: arrived and declared.
        Arrived = "arrived",
        /// 查验: customs inspection.
        Inspection = "inspection",
        /// 放行.
        Released = "released",
        Delivered = "delivered",
        /// 后续监管: post-entry supervision (special items in use).
        Supervision = "supervision",
        Answered = "answered",
        Closed = "closed",
        Withdrawn = "withdrawn",
    }
);

codes!(
    pub enum Move, "request-move" {
        Submit = "submit",
        StartReview = "start_review",
        AskSupplement = "ask_supplement",
        /// The enterprise hands in what was asked for.
        Resupply = "resupply",
        File = "file",
        Approve = "approve",
        Reject = "reject",
        BookShipment = "book_shipment",
        Declare = "declare",
        Inspect = "inspect",
        Release = "release",
        Deliver = "deliver",
        Supervise = "supervise",
        Answer = "answer",
        Close = "close",
        Withdraw = "withdraw",
    }
);

/// Who takes a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Enterprise,
    Center,
}

impl Move {
    pub fn side(self) -> Side {
        match self {
            Move::Submit | Move::Resupply | Move::Withdraw => Side::Enterprise,
            _ => Side::Center,
        }
    }

    /// The status this move leads to from `from` on `flow`, if it may be taken.
    pub fn to(self, flow: Flow, from: Status) -> Option<Status> {
        use Status::*;
        let goods = flow == Flow::Goods;
        let consult = flow == Flow::Consultation;
        let to = match (self, from) {
            (Move::Submit, Draft) => Submitted,
            (Move::StartReview, Submitted) if !consult => Review,
            (Move::AskSupplement, Submitted | Review) => Supplement,
            (Move::Resupply, Supplement) => {
                if consult {
                    Submitted
                } else {
                    Review
                }
            }
            (Move::File, Review) if !consult => Filed,
            (Move::Approve, Filed) => Approved,
            (Move::Reject, Review | Filed) => Rejected,
            (Move::BookShipment, Approved) if goods => ShipmentBooked,
            (Move::Declare, ShipmentBooked) => Arrived,
            (Move::Inspect, Arrived) => Inspection,
            (Move::Release, Arrived | Inspection) => Released,
            (Move::Deliver, Released) => Delivered,
            (Move::Supervise, Delivered) => Supervision,
            (Move::Answer, Submitted) if consult => Answered,
            (Move::Close, Approved | Rejected | Answered | Delivered | Supervision) => Closed,
            (Move::Withdraw, Draft | Submitted | Review | Supplement) => Withdrawn,
            _ => return None,
        };
        Some(to)
    }

    /// Asking for a supplement or rejecting tells the enterprise why.
    pub fn needs_reason(self) -> bool {
        matches!(self, Move::AskSupplement | Move::Reject)
    }
}

impl Status {
    /// The moves possible from here on `flow`, in the order offered.
    pub fn moves(self, flow: Flow) -> Vec<Move> {
        Move::ALL.iter().copied().filter(|m| m.to(flow, self).is_some()).collect()
    }

    /// The enterprise may still change what it filed (a draft, or while it
    /// owes a supplement).
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Supplement)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Withdrawn | Status::Rejected | Status::Draft)
    }

    /// Whose turn it is.
    pub fn waits_on(self) -> Option<Side> {
        match self {
            Status::Draft | Status::Supplement => Some(Side::Enterprise),
            Status::Closed | Status::Withdrawn => None,
            _ => Some(Side::Center),
        }
    }
}

/// The SLA clock of the step a request is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    /// Working days allowed for the step (none: the step has no SLA).
    pub sla_days: Option<i64>,
    /// Working days used in earlier runs of this step (before a supplement).
    pub used_before: i64,
    /// The day the current run started; none while paused or without SLA.
    pub running_since: Option<Date>,
}

/// How a clock stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    NoSla,
    /// Stopped while the enterprise owes a supplement.
    Paused {
        used: i64,
        sla: i64,
    },
    OnTime {
        used: i64,
        sla: i64,
        due: Date,
    },
    /// Due today or on the next working day.
    DueSoon {
        used: i64,
        sla: i64,
        due: Date,
    },
    Overdue {
        used: i64,
        sla: i64,
        due: Date,
    },
}

impl Clock {
    /// The working days used by `today`.
    pub fn used(&self, cal: &Calendar, today: Date) -> i64 {
        self.used_before + self.running_since.map(|s| cal.elapsed(s, today)).unwrap_or(0)
    }

    /// The day the step is due (running clocks only).
    pub fn due(&self, cal: &Calendar) -> Option<Date> {
        let (sla, since) = (self.sla_days?, self.running_since?);
        Some(cal.add(since, (sla - self.used_before).max(0)))
    }

    pub fn standing(&self, cal: &Calendar, today: Date) -> Standing {
        let Some(sla) = self.sla_days else { return Standing::NoSla };
        let used = self.used(cal, today);
        let Some(due) = self.due(cal) else { return Standing::Paused { used, sla } };
        if today > due {
            Standing::Overdue { used, sla, due }
        } else if today == due || cal.add(today, 1) >= due {
            Standing::DueSoon { used, sla, due }
        } else {
            Standing::OnTime { used, sla, due }
        }
    }

    /// The clock after a move from `from` to `to` on `today`. Review stops
    /// (keeping what it used) while a supplement is owed and goes on when it
    /// comes; any other step starts afresh with its own SLA.
    pub fn after(
        &self,
        cal: &Calendar,
        today: Date,
        from: Status,
        to: Status,
        sla_of: impl Fn(Status) -> Option<i64>,
    ) -> Clock {
        match (from, to) {
            (_, Status::Supplement) => Clock {
                sla_days: self.sla_days,
                used_before: self.used(cal, today),
                running_since: None,
            },
            (Status::Supplement, back)
                if self.sla_days.is_some() && sla_of(back) == self.sla_days =>
            {
                Clock { running_since: Some(today), ..*self }
            }
            (_, to) => match sla_of(to) {
                Some(days) => {
                    Clock { sla_days: Some(days), used_before: 0, running_since: Some(today) }
                }
                None => Clock::default(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn goods_go_from_draft_to_closed_through_customs() {
        use Status::*;
        let path = [
            (Move::Submit, Submitted),
            (Move::StartReview, Review),
            (Move::AskSupplement, Supplement),
            (Move::Resupply, Review),
            (Move::File, Filed),
            (Move::Approve, Approved),
            (Move::BookShipment, ShipmentBooked),
            (Move::Declare, Arrived),
            (Move::Inspect, Inspection),
            (Move::Release, Released),
            (Move::Deliver, Delivered),
            (Move::Supervise, Supervision),
            (Move::Close, Closed),
        ];
        let mut at = Draft;
        for (m, to) in path {
            assert_eq!(m.to(Flow::Goods, at), Some(to), "{m:?} from {at:?}");
            at = to;
        }
        assert!(Closed.moves(Flow::Goods).is_empty());
    }

    #[test]
    fn illegal_moves_are_refused_and_the_allowed_ones_listed() {
        use Status::*;
        assert_eq!(Move::Approve.to(Flow::Goods, Review), None, "filed first");
        assert_eq!(Move::BookShipment.to(Flow::Approval, Approved), None, "no goods to ship");
        assert_eq!(Move::Answer.to(Flow::Goods, Submitted), None);
        assert_eq!(
            Review.moves(Flow::Goods),
            [Move::AskSupplement, Move::File, Move::Reject, Move::Withdraw]
        );
        assert_eq!(Approved.moves(Flow::Approval), [Move::Close]);
        assert_eq!(
            Submitted.moves(Flow::Consultation),
            [Move::AskSupplement, Move::Answer, Move::Withdraw]
        );
        assert_eq!(Move::Resupply.to(Flow::Consultation, Supplement), Some(Submitted));
        for m in Move::ALL {
            let enterprise = matches!(m, Move::Submit | Move::Resupply | Move::Withdraw);
            assert_eq!(m.side() == Side::Enterprise, enterprise, "{m:?}");
        }
    }

    fn sla(s: Status) -> Option<i64> {
        match s {
            Status::Submitted => Some(1),
            Status::Review => Some(3),
            Status::Filed => Some(20),
            _ => None,
        }
    }

    #[test]
    fn the_review_clock_stops_for_a_supplement_and_goes_on_after_it() {
        let cal = Calendar::default();
        // Tue 1 Dec 2026: review starts, three working days → due Fri 4 Dec.
        let c =
            Clock::default().after(&cal, date(2026, 12, 1), Status::Submitted, Status::Review, sla);
        assert_eq!(c.due(&cal), Some(date(2026, 12, 4)));
        assert!(matches!(c.standing(&cal, date(2026, 12, 2)), Standing::OnTime { used: 1, .. }));
        assert!(matches!(c.standing(&cal, date(2026, 12, 3)), Standing::DueSoon { .. }));
        // Wed 2 Dec: a supplement is asked for; one day used; the clock stops.
        let p = c.after(&cal, date(2026, 12, 2), Status::Review, Status::Supplement, sla);
        assert_eq!(p.due(&cal), None);
        assert_eq!(p.standing(&cal, date(2026, 12, 30)), Standing::Paused { used: 1, sla: 3 });
        // Mon 14 Dec: it comes; two days left → due Wed 16 Dec.
        let r = p.after(&cal, date(2026, 12, 14), Status::Supplement, Status::Review, sla);
        assert_eq!(r.due(&cal), Some(date(2026, 12, 16)));
        assert!(matches!(r.standing(&cal, date(2026, 12, 17)), Standing::Overdue { used: 4, .. }));
        // Filing starts the authority's own clock.
        let f = r.after(&cal, date(2026, 12, 15), Status::Review, Status::Filed, sla);
        assert_eq!((f.sla_days, f.used_before), (Some(20), 0));
        let none = f.after(&cal, date(2026, 12, 20), Status::Filed, Status::Approved, sla);
        assert_eq!(none.standing(&cal, date(2026, 12, 30)), Standing::NoSla);
    }

    #[test]
    fn a_clock_over_the_spring_festival_skips_it() {
        let cal = Calendar::default();
        let c =
            Clock::default().after(&cal, date(2026, 2, 12), Status::Submitted, Status::Review, sla);
        // Fri 13, Sat 14 (worked), then off until Tue 24.
        assert_eq!(c.due(&cal), Some(date(2026, 2, 24)));
    }
}
