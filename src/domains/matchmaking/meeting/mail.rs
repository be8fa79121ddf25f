//! The e-mails of matchmaking, each in its recipient's language, with a
//! fresh link to their own matchmaking page (a ticket link of their
//! registration, as every ticket e-mail carries).

use jiff::tz::TimeZone;

use super::store::Meeting;
use crate::domains::events::event::service::Event;
use crate::domains::matchmaking::profile::service::Profile;
use crate::error::AppResult;
use crate::i18n::{Bilingual, Lang};
use crate::links::{self, Purpose};
use crate::notify::Outgoing;
use crate::time::{Span, day_and_times};
use crate::write::Write;

/// Who someone is, for the other side: name and organisation.
pub fn who(p: &Profile) -> Bilingual {
    let org = |first: &str, second: &str| {
        let o = if first.is_empty() { second } else { first };
        if o.is_empty() { p.name.clone() } else { format!("{} · {o}", p.name) }
    };
    Bilingual::new(
        org(&p.organisation.zh, &p.organisation.en),
        org(&p.organisation.en, &p.organisation.zh),
    )
}

/// What a mail says of a meeting's time and table.
pub struct Place {
    pub span: Option<Span>,
    pub table: Option<i64>,
}

/// Prepares the mail `key` to `to` about their meeting with `other`.
#[allow(clippy::too_many_arguments)]
pub async fn to(
    tx: &mut Write,
    tz: &TimeZone,
    event: &Event,
    to: &Profile,
    other: &Profile,
    key: &str,
    place: &Place,
    text: &str,
) -> AppResult<Option<Outgoing>> {
    if to.email.is_empty() {
        return Ok(None);
    }
    let now = tx.now();
    // The recipient's own matchmaking link: never the registration's ticket
    // link, which would hand one member of a group everyone's tickets.
    let secret = links::mint(tx, Purpose::Meet, &to.participant_id, now).await?;
    let when = place.span.map(|s| day_and_times(s, tz)).unwrap_or_default();
    let table = place.table.map(|t| t.to_string()).unwrap_or_default();
    let args = vec![
        ("event".to_string(), event.title.clone()),
        ("who".to_string(), who(other)),
        ("when".to_string(), Bilingual::new(when.clone(), when)),
        ("table".to_string(), Bilingual::new(table.clone(), table)),
        ("text".to_string(), Bilingual::new(text, text)),
    ];
    let lang = Lang::parse(&to.lang).unwrap_or_default();
    let link = format!("/tickets/{secret}/meet/{}", to.participant_id);
    Ok(Some(Outgoing::to_person(&to.email, lang, key, &args, &link)))
}

/// The same mail to both sides of a meeting.
pub async fn both(
    tx: &mut Write,
    tz: &TimeZone,
    event: &Event,
    m: &Meeting,
    people: (&Profile, &Profile),
    key: &str,
    place: &Place,
) -> AppResult<()> {
    let (a, b) = people;
    let mut out = vec![];
    out.extend(to(tx, tz, event, a, b, key, place, &m.message).await?);
    out.extend(to(tx, tz, event, b, a, key, place, &m.message).await?);
    tx.mail(out);
    Ok(())
}
