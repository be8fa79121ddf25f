//! Notifications: an in-app row written in the caller's transaction, and an
//! e-mail copy sent after it commits — through SMTP when `LIAISON_SMTP_URL`
//! is set, otherwise written to the log. Texts are Fluent messages rendered
//! in both languages; the e-mail goes out in the recipient's language.

use std::sync::Arc;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message as Email, Tokio1Executor};
use sqlx::Row as _;

use crate::clock::Instant;
use crate::db::{Tx, new_id};
use crate::i18n::{Bilingual, Lang};

/// Where e-mail goes.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<Arc<AsyncSmtpTransport<Tokio1Executor>>>,
    from: Option<Mailbox>,
}

impl Mailer {
    /// No SMTP: messages are logged.
    pub fn log_only() -> Mailer {
        Mailer { transport: None, from: None }
    }

    /// From `smtp://[user:pass@]host[:port]` (plain, for a local relay),
    /// `smtp://…?tls=required` (STARTTLS) or `smtps://…` (TLS).
    pub fn from_url(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("bad SMTP URL: {e}"))?
            .build();
        let from: Mailbox = from.parse().map_err(|e| format!("bad sender address {from}: {e}"))?;
        Ok(Mailer { transport: Some(Arc::new(transport)), from: Some(from) })
    }
}

/// A notification to write.
pub struct Message {
    pub kind: String,
    pub subject_id: String,
    /// Fluent key of the title; `<key>-body` is the body.
    pub key: String,
    /// Arguments, each in both languages.
    pub args: Vec<(String, Bilingual)>,
    /// Free text appended to the body (a decision's reason), as written.
    pub reason: String,
    pub link: String,
}

/// An e-mail to send once the transaction has committed.
pub struct Outgoing {
    to: String,
    subject: String,
    body: String,
}

fn render(lang: Lang, key: &str, args: &[(String, Bilingual)]) -> String {
    let args: Vec<(&str, String)> =
        args.iter().map(|(k, v)| (k.as_str(), lang.pick(&v.zh, &v.en).to_string())).collect();
    lang.t_args(key, &args)
}

/// Writes the in-app notification and prepares its e-mail copy.
pub async fn record(
    tx: &mut Tx,
    user_id: &str,
    m: &Message,
    now: Instant,
) -> Result<Option<Outgoing>, sqlx::Error> {
    let title =
        Bilingual { zh: render(Lang::Zh, &m.key, &m.args), en: render(Lang::En, &m.key, &m.args) };
    let body_key = format!("{}-body", m.key);
    let mut body = Bilingual {
        zh: render(Lang::Zh, &body_key, &m.args),
        en: render(Lang::En, &body_key, &m.args),
    };
    if !m.reason.is_empty() {
        body.zh = format!("{}\n{} {}", body.zh, Lang::Zh.t("notify-reason"), m.reason);
        body.en = format!("{}\n{} {}", body.en, Lang::En.t("notify-reason"), m.reason);
    }
    sqlx::query(
        "INSERT INTO notification (id, user_id, kind, subject_id, title_zh, title_en, body_zh, body_en, link, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(&m.kind)
    .bind(&m.subject_id)
    .bind(&title.zh)
    .bind(&title.en)
    .bind(&body.zh)
    .bind(&body.en)
    .bind(&m.link)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    let user = sqlx::query("SELECT email, preferred_lang FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match user {
        Some(r) => {
            let lang = Lang::parse(&r.try_get::<String, _>("preferred_lang")?).unwrap_or_default();
            Some(Outgoing {
                to: r.try_get("email")?,
                subject: lang.pick(&title.zh, &title.en).to_string(),
                body: format!("{}\n\n{}", lang.pick(&body.zh, &body.en), m.link),
            })
        }
        None => None,
    })
}

impl Outgoing {
    /// An e-mail to someone who has no account (a registrant, a requester),
    /// written in their language from a Fluent key (`<key>` subject,
    /// `<key>-body` body) and sent after the commit like the others.
    pub fn to_person(
        to: &str,
        lang: Lang,
        key: &str,
        args: &[(String, Bilingual)],
        link: &str,
    ) -> Outgoing {
        Outgoing {
            to: to.to_string(),
            subject: render(lang, key, args),
            body: format!("{}\n\n{link}", render(lang, &format!("{key}-body"), args)),
        }
    }
}

/// The SMS hook: no SMS gateway is configured in this version, so the
/// message is logged (target `liaison::sms`, the number masked) for an
/// operator to see what would have gone out.
pub fn sms(phone: &str, text: &str) {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let tail = digits.get(digits.len().saturating_sub(4)..).unwrap_or("");
    tracing::info!(target: "liaison::sms", to = %format!("***{tail}"), text, "SMS not sent: no gateway configured");
}

/// Sends prepared e-mails in the background (after the commit that made them).
pub fn deliver(mailer: &Mailer, mails: Vec<Outgoing>) {
    for mail in mails {
        let mailer = mailer.clone();
        tokio::spawn(async move {
            let (Some(transport), Some(from)) = (&mailer.transport, &mailer.from) else {
                // Never the recipient: the log outlives every retention date.
                tracing::info!(subject = %mail.subject, "e-mail not sent (SMTP not configured)");
                return;
            };
            let to: Mailbox = match mail.to.parse() {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(error = %e, "bad recipient address (not logged)");
                    return;
                }
            };
            let email = Email::builder()
                .from(from.clone())
                .to(to)
                .subject(mail.subject)
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body);
            match email {
                Ok(email) => {
                    if let Err(e) = transport.send(email).await {
                        // Only the reply code: the server's text often names the recipient.
                        tracing::warn!(
                            code = ?e.status().map(|c| c.to_string()),
                            permanent = e.is_permanent(),
                            timeout = e.is_timeout(),
                            "e-mail not sent"
                        );
                    }
                }
                Err(_) => tracing::warn!("e-mail not built (an address or header is not valid)"),
            }
        });
    }
}

/// A user's notifications, newest first.
#[derive(Debug, Clone)]
pub struct Note {
    pub id: String,
    pub title: Bilingual,
    pub body: Bilingual,
    pub link: String,
    pub created_at: Instant,
    pub read: bool,
}

pub async fn list(db: &crate::db::Db, user_id: &str, limit: i64) -> Result<Vec<Note>, sqlx::Error> {
    sqlx::query(
        "SELECT id, title_zh, title_en, body_zh, body_en, link, created_at, read_at FROM notification
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Note {
            id: r.try_get("id")?,
            title: Bilingual { zh: r.try_get("title_zh")?, en: r.try_get("title_en")? },
            body: Bilingual { zh: r.try_get("body_zh")?, en: r.try_get("body_en")? },
            link: r.try_get("link")?,
            created_at: Instant(r.try_get("created_at")?),
            read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
        })
    })
    .collect()
}

pub async fn unread_count(db: &crate::db::Db, user_id: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM notification WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    row.try_get("n")
}

pub async fn mark_all_read(
    db: &crate::db::Db,
    user_id: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE notification SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
