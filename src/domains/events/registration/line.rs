//! The waiting line and what a change of seats tells people: seats given
//! back, the line promoted by the event's policy (tickets issued), and the
//! e-mail each registrant gets. Used by registrations and by the event's
//! own changes (cancellation, more capacity, a new policy), in their write.

use crate::domains::events::event;
use crate::domains::events::event::store::Event;
use std::collections::BTreeMap;

use crate::clock::Instant;
use crate::db::Tx;
use crate::domains::events::model::{EventStatus, RegStatus, Waiting, promote};
use crate::domains::events::registration::store::{self, Registration};
use crate::error::AppResult;
use crate::i18n::{Bilingual, Lang};
use crate::notify::Outgoing;

/// The e-mail to a registration's contact, in the language they used, with
/// a ticket link: the one in hand, or a new one (each e-mail carries its
/// own; the earlier ones keep working).
pub(in crate::domains::events) async fn mail(
    tx: &mut Tx,
    r: &Registration,
    e: &Event,
    key: &str,
    reason: &str,
    now: Instant,
) -> AppResult<Outgoing> {
    let link = if r.link.is_empty() {
        crate::links::mint(tx, crate::links::Purpose::Ticket, &r.id, now).await?
    } else {
        r.link.clone()
    };
    let lang = Lang::parse(&r.lang).unwrap_or_default();
    let args = vec![
        ("event".to_string(), e.title.clone()),
        ("reference".to_string(), Bilingual::new(r.reference.clone(), r.reference.clone())),
        ("reason".to_string(), Bilingual::new(reason, reason)),
    ];
    Ok(Outgoing::to_person(&r.contact_email, lang, key, &args, &format!("/tickets/{link}")))
}

/// Gives back the seats a registration held.
pub(in crate::domains::events) async fn release(tx: &mut Tx, r: &Registration) -> AppResult<()> {
    event::store::release_seats(tx, &r.event_id, r.seats).await?;
    let mut per_category: BTreeMap<String, i64> = BTreeMap::new();
    for p in store::participants(&mut **tx, &r.id).await? {
        *per_category.entry(p.category_id).or_default() += 1;
    }
    for (c, k) in per_category {
        event::store::release_category(tx, &c, k).await?;
    }
    Ok(())
}

/// Lapses expired waiting entries, then promotes the line into the free
/// seats by the event's policy; returns the e-mails to send after commit.
pub(in crate::domains::events) async fn promote_line(
    tx: &mut Tx,
    event_id: &str,
    now: Instant,
) -> AppResult<Vec<Outgoing>> {
    let Some(e) = event::store::event_tx(tx, event_id).await? else { return Ok(vec![]) };
    if !e.waitlist || !matches!(e.status, EventStatus::RegistrationOpen | EventStatus::Planned) {
        return Ok(vec![]);
    }
    let mut line = vec![];
    for r in store::waiting_tx(tx, event_id).await? {
        if r.expires_at.is_some_and(|x| x <= now.millis()) {
            store::set_registration_status(
                tx,
                &r.id,
                RegStatus::Waitlisted,
                RegStatus::Expired,
                "expired",
                now,
            )
            .await?;
            continue;
        }
        let mut seats: BTreeMap<String, i64> = BTreeMap::new();
        for p in store::participants(&mut **tx, &r.id).await? {
            *seats.entry(p.category_id).or_default() += 1;
        }
        line.push((r, Waiting { seats }));
    }
    let cats = event::store::categories(&mut **tx, event_id).await?;
    let category_free: BTreeMap<String, i64> =
        cats.iter().filter_map(|c| c.quota.map(|q| (c.id.clone(), q - c.taken))).collect();
    let waiting: Vec<Waiting> = line.iter().map(|(_, w)| w.clone()).collect();
    let chosen = promote(e.policy, e.capacity - e.taken, &category_free, &waiting);
    let mut mails = vec![];
    for i in chosen {
        let (r, w) = &line[i];
        if !take(tx, event_id, w.total(), false, &w.seats, now).await? {
            // The rule and the rows disagree only if something else moved: stop.
            break;
        }
        let to = if e.requires_approval { RegStatus::Pending } else { RegStatus::Confirmed };
        store::set_registration_status(tx, &r.id, RegStatus::Waitlisted, to, "promoted", now)
            .await?;
        if to == RegStatus::Confirmed {
            issue_tickets(tx, &r.id, now).await?;
        }
        mails.push(
            mail(tx, r, &e, &format!("mail-registration-promoted-{}", to.code()), "", now).await?,
        );
    }
    Ok(mails)
}

pub(in crate::domains::events) async fn issue_tickets(
    tx: &mut Tx,
    registration_id: &str,
    now: Instant,
) -> AppResult<()> {
    for p in store::participants(&mut **tx, registration_id).await? {
        if p.ticket_code.is_none() {
            store::set_ticket(tx, &p.id, &crate::tickets::new_code(), now).await?;
        }
    }
    Ok(())
}

/// Takes a group's seats in the event and in each category, or none.
pub(in crate::domains::events) async fn take(
    tx: &mut Tx,
    event_id: &str,
    n: i64,
    behind_line: bool,
    per_category: &BTreeMap<String, i64>,
    now: Instant,
) -> AppResult<bool> {
    if !event::store::take_seats(tx, event_id, n, behind_line, now).await? {
        return Ok(false);
    }
    let mut taken: Vec<(&String, i64)> = vec![];
    for (cat, k) in per_category {
        if event::store::take_category(tx, cat, *k).await? {
            taken.push((cat, *k));
        } else {
            for (c, k) in taken {
                event::store::release_category(tx, c, k).await?;
            }
            event::store::release_seats(tx, event_id, n).await?;
            return Ok(false);
        }
    }
    Ok(true)
}
