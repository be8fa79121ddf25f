//! Webhooks for the systems of enterprises and of the center: a change
//! writes one outbox row per matching subscription in its own transaction
//! (`Write::hook`), so no event exists without its change and none is lost
//! with a crash; a worker delivers them, signed, retrying with backoff; every
//! attempt is logged and any delivery can be sent again.
//!
//! Each POST carries the JSON event and
//! `Liaison-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`;
//! a receiver recomputes it and refuses a `t` older than five minutes
//! ([`verify`], [`REPLAY_WINDOW_SECS`]), so a captured delivery cannot be
//! replayed later. `Liaison-Event` names the type, `Liaison-Delivery` the
//! outbox id (the same on a retry: receivers drop repeats by it).

use std::net::IpAddr;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::Row as _;

use crate::clock::Instant;
use crate::codes;
use crate::db::{Db, Tx, new_id};
use crate::state::AppState;

/// A receiver refuses a signature older (or newer) than this.
pub const REPLAY_WINDOW_SECS: i64 = 300;
/// Attempts before a delivery is given up (then it can be sent again by hand).
pub const MAX_ATTEMPTS: i64 = 8;
/// Deliveries claimed per pass.
const BATCH: i64 = 32;
/// A claimed delivery is not claimed again by another worker for this long.
const LEASE_MS: i64 = 60_000;

codes!(
    pub enum EventType, "webhook-event" {
        RequestStatusChanged = "request.status_changed",
        RequestMessage = "request.message",
        DocumentRequested = "request.document_requested",
        WhitelistExpiring = "whitelist.expiring",
    }
);

codes!(
    pub enum DeliveryStatus, "webhook-status" {
        Pending = "pending",
        Delivered = "delivered",
        Failed = "failed",
    }
);

/// The wait before attempt `n + 1` after `n` failed: 5 s, 30 s, 2 min,
/// 10 min, 30 min, 1 h, 3 h.
pub fn backoff_ms(attempts: i64) -> i64 {
    const STEPS: [i64; 7] = [5, 30, 120, 600, 1800, 3600, 10800];
    STEPS[(attempts.max(1) as usize - 1).min(STEPS.len() - 1)] * 1000
}

/// The signature header's value for `body` sent at `t` (unix seconds).
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// What a receiver does: the signature matches and is within the window.
pub fn verify(secret: &str, header: &str, body: &[u8], now_secs: i64) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", x)) => t = x.parse::<i64>().ok(),
            Some(("v1", x)) => v1 = hex::decode(x).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    if (now_secs - t).abs() > REPLAY_WINDOW_SECS {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&v1).is_ok()
}

/// Keeps a signing secret: sealed with the data key when there is one.
pub fn keep_secret(state: &AppState, secret: &str) -> String {
    match &state.config.data_key {
        Some(k) => format!("sealed:{}", k.seal(secret)),
        None => format!("plain:{secret}"),
    }
}

fn open_secret(state: &AppState, kept: &str) -> Option<String> {
    if let Some(s) = kept.strip_prefix("plain:") {
        return Some(s.to_string());
    }
    let sealed = kept.strip_prefix("sealed:")?;
    state.config.data_key.as_ref()?.open(sealed)
}

/// A new signing secret (shown to its owner once).
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut b = [0u8; 24];
    rand::rng().fill_bytes(&mut b);
    format!("whsec_{}", hex::encode(b))
}

/// Writes the event for every active subscription of the center that wants
/// it: the center's own, and the enterprise's when the event is one of
/// theirs. Returns how many deliveries were queued.
pub async fn enqueue(
    tx: &mut Tx,
    now: Instant,
    center_id: &str,
    enterprise_id: Option<&str>,
    event: EventType,
    data: Value,
) -> Result<usize, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, enterprise_id, events FROM webhook_subscription
         WHERE center_id = $1 AND active = 1 AND (enterprise_id IS NULL OR enterprise_id = $2)",
    )
    .bind(center_id)
    .bind(enterprise_id.unwrap_or(""))
    .fetch_all(&mut **tx)
    .await?;
    let mut n = 0;
    for r in rows {
        let events: String = r.try_get("events")?;
        if !events.split(',').any(|e| e == event.code()) {
            continue;
        }
        let id = new_id();
        let body = json!({
            "id": id,
            "type": event.code(),
            "created_at": created_at(now),
            "center_id": center_id,
            "enterprise_id": enterprise_id,
            "data": data,
        });
        sqlx::query(
            "INSERT INTO webhook_outbox (id, subscription_id, event_type, payload, created_at, next_at, status)
             VALUES ($1, $2, $3, $4, $5, $5, 'pending')",
        )
        .bind(&id)
        .bind(r.try_get::<String, _>("id")?)
        .bind(event.code())
        .bind(body.to_string())
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
        n += 1;
    }
    Ok(n)
}

/// The change's time, UTC with milliseconds (receivers measure lag by it).
fn created_at(now: Instant) -> String {
    jiff::Timestamp::from_millisecond(now.millis())
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

/// Whether an address is one of this machine's or a private network's
/// (where an enterprise's hook must not point).
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_documentation()
                || a.is_multicast()
                || o[0] == 0
                || o[0] >= 240
                || (o[0] == 100 && (o[1] & 0xC0) == 64)
                || (o[0] == 198 && (o[1] & 0xFE) == 18)
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        }
        IpAddr::V6(a) => {
            let s = a.segments();
            let embedded = |hi: usize| {
                std::net::Ipv4Addr::new(
                    (s[hi] >> 8) as u8,
                    s[hi] as u8,
                    (s[hi + 1] >> 8) as u8,
                    s[hi + 1] as u8,
                )
            };
            a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || a.to_ipv4_mapped().is_some_and(|v4| is_private(IpAddr::V4(v4)))
                // ::a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002::/16 carry an IPv4 address.
                || (s[..6].iter().all(|x| *x == 0) && is_private(IpAddr::V4(embedded(6))))
                || (s[0] == 0x64 && s[1] == 0xff9b && is_private(IpAddr::V4(embedded(6))))
                || (s[0] == 0x2002 && is_private(IpAddr::V4(embedded(1))))
        }
    }
}

struct Due {
    id: String,
    url: String,
    /// None: the secret cannot be opened (the data key changed); never
    /// sign with another.
    secret: Option<String>,
    event: String,
    payload: String,
    attempts: i64,
    /// The center's own system: may be on the center's network.
    internal: bool,
}

/// Claims what is due (a guarded UPDATE per row, so two workers never send
/// one delivery at once) and sends it. Returns how many were sent.
pub async fn deliver_due(state: &AppState) -> Result<usize, sqlx::Error> {
    let now = state.clock.now().millis();
    let rows = sqlx::query(
        "SELECT o.id, o.next_at, o.event_type, o.payload, o.attempts, s.url, s.secret, s.enterprise_id
         FROM webhook_outbox o JOIN webhook_subscription s ON s.id = o.subscription_id
         WHERE o.status = 'pending' AND o.next_at <= $1 ORDER BY o.next_at LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(&state.db.pool)
    .await?;
    let mut claimed = vec![];
    for r in rows {
        let id: String = r.try_get("id")?;
        let next_at: i64 = r.try_get("next_at")?;
        let got = sqlx::query(
            "UPDATE webhook_outbox SET next_at = $1 WHERE id = $2 AND next_at = $3 AND status = 'pending'",
        )
        .bind(now + LEASE_MS)
        .bind(&id)
        .bind(next_at)
        .execute(&state.db.pool)
        .await?;
        if got.rows_affected() != 1 {
            continue;
        }
        let kept: String = r.try_get("secret")?;
        claimed.push(Due {
            id,
            url: r.try_get("url")?,
            secret: open_secret(state, &kept),
            event: r.try_get("event_type")?,
            payload: r.try_get("payload")?,
            attempts: r.try_get("attempts")?,
            internal: r.try_get::<Option<String>, _>("enterprise_id")?.is_none(),
        });
    }
    let n = claimed.len();
    let sends = claimed.into_iter().map(|d| send_one(state, d));
    for r in futures_util::future::join_all(sends).await {
        r?;
    }
    Ok(n)
}

async fn send_one(state: &AppState, d: Due) -> Result<(), sqlx::Error> {
    let started = std::time::Instant::now();
    let outcome = post(state, &d).await;
    let ms = started.elapsed().as_millis() as i64;
    let now = state.clock.now().millis();
    let (code, error) = match &outcome {
        Ok(code) => (Some(*code as i64), String::new()),
        Err(e) => (None, e.chars().take(500).collect()),
    };
    let ok = matches!(outcome, Ok(c) if (200..300).contains(&c));
    let attempts = d.attempts + 1;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("INSERT INTO webhook_attempt (id, outbox_id, at, code, error, ms) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_id())
        .bind(&d.id)
        .bind(now)
        .bind(code)
        .bind(&error)
        .bind(ms)
        .execute(&mut *tx)
        .await?;
    let (status, next_at) = if ok {
        ("delivered", now)
    } else if attempts >= MAX_ATTEMPTS {
        ("failed", now)
    } else {
        ("pending", now + backoff_ms(attempts))
    };
    sqlx::query(
        "UPDATE webhook_outbox SET status = $1, attempts = $2, next_at = $3, last_code = $4, last_error = $5,
           delivered_at = CASE WHEN $1 = 'delivered' THEN $3 ELSE delivered_at END
         WHERE id = $6",
    )
    .bind(status)
    .bind(attempts)
    .bind(next_at)
    .bind(code)
    .bind(&error)
    .bind(&d.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Sends one delivery; the answer's status code or why it failed.
async fn post(state: &AppState, d: &Due) -> Result<u16, String> {
    let Some(secret) = &d.secret else {
        return Err("the signing secret cannot be opened with this server's data key".into());
    };
    let url = reqwest::Url::parse(&d.url).map_err(|e| e.to_string())?;
    let host =
        url.host_str().ok_or("no host")?.trim_start_matches('[').trim_end_matches(']').to_string();
    let port = url.port_or_known_default().ok_or("no port")?;
    let may_be_private = d.internal || state.config.webhooks_private;
    // Resolve once, check, and connect to exactly that address (so a name
    // cannot point elsewhere between the check and the connection).
    // An enterprise's log says only that its address was refused, not
    // what this network's names resolve to.
    let refused = |detail: String| {
        if may_be_private { detail } else { "the address cannot be reached".to_string() }
    };
    let addr = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::lookup_host((host.as_str(), port)),
    )
    .await
    .map_err(|_| refused(format!("resolving {host} took too long")))?
    .map_err(|e| refused(format!("cannot resolve {host}: {e}")))?
    .next()
    .ok_or_else(|| refused(format!("cannot resolve {host}")))?;
    if !may_be_private && is_private(addr.ip()) {
        return Err(refused(format!("{host} is a private address")));
    }
    crate::storage::install_crypto();
    let client = reqwest::Client::builder()
        .resolve(&host, addr)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let t = state.clock.now().millis() / 1000;
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header(reqwest::header::USER_AGENT, "Liaison-Webhooks/1")
        .header("liaison-event", &d.event)
        .header("liaison-delivery", &d.id)
        .header("liaison-signature", sign(secret, t, d.payload.as_bytes()))
        .body(d.payload.clone())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    Ok(response.status().as_u16())
}

/// Sends a delivery again (one given up, or one to repeat): due now.
pub async fn redeliver(db: &Db, now: Instant, id: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE webhook_outbox SET status = 'pending', next_at = $1, attempts = 0 WHERE id = $2",
    )
    .bind(now.millis())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The worker: woken by every commit that queued deliveries, and each second
/// for retries.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        loop {
            match deliver_due(&state).await {
                Ok(n) if n >= BATCH as usize => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "webhook delivery failed"),
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), state.hooks.notified()).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_with_its_secret_body_and_time() {
        let body = br#"{"type":"request.status_changed"}"#;
        let h = sign("whsec_1", 1_790_000_000, body);
        assert!(h.starts_with("t=1790000000,v1="));
        assert!(verify("whsec_1", &h, body, 1_790_000_100));
        assert!(!verify("whsec_2", &h, body, 1_790_000_100), "another secret");
        assert!(!verify("whsec_1", &h, b"{}", 1_790_000_100), "another body");
        assert!(!verify("whsec_1", &h, body, 1_790_000_000 + REPLAY_WINDOW_SECS + 1), "replayed");
        assert!(!verify("whsec_1", "t=1790000000", body, 1_790_000_000));
    }

    #[test]
    fn retries_back_off_and_private_addresses_are_known() {
        assert_eq!(backoff_ms(1), 5_000);
        assert!(backoff_ms(3) > backoff_ms(2));
        assert_eq!(backoff_ms(50), backoff_ms(7));
        for p in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.9",
            "169.254.169.254",
            "::1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "100.64.0.1",
        ] {
            assert!(is_private(p.parse().unwrap()), "{p}");
        }
        for p in [
            "64:ff9b::a9fe:a9fe",
            "2002:a00:1::",
            "::10.0.0.1",
            "198.18.0.1",
            "240.0.0.1",
            "224.0.0.1",
        ] {
            assert!(is_private(p.parse().unwrap()), "{p}");
        }
        for p in ["8.8.8.8", "2001:4860:4860::8888", "101.6.6.6"] {
            assert!(!is_private(p.parse().unwrap()), "{p}");
        }
    }
}
