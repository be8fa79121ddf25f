//! The white list: entries are made when an officer approves a white-list
//! application (one per item line); officers and the enterprise record the
//! ledger (imported, used per project, destroyed); the balances never go
//! below zero, whatever arrives at once.

use jiff::civil::Date;
use serde_json::json;

use super::store::{self, NewEntry};
pub use super::store::{Entry, Line};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::db::new_id;
use crate::domains::centers::service as centers;
use crate::domains::enterprises::company::service as companies;
use crate::domains::enterprises::model::item::{ItemInput, Usage};
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::notify::Message as Notice;
use crate::state::AppState;
use crate::webhooks::EventType;
use crate::write::Write;

/// Days ahead an expiry is announced.
pub const WARN_DAYS: i64 = 30;

/// Twelve months from `from`, the last day included.
pub fn default_until(from: Date) -> Date {
    from.checked_add(jiff::Span::new().years(1)).and_then(|d| d.yesterday()).unwrap_or(from)
}

/// Inside the approval's write: one entry per item line.
pub async fn grant_in(
    w: &mut Write,
    center_id: &str,
    enterprise_id: &str,
    request_id: &str,
    items: &[ItemInput],
    from: Date,
    until: Date,
) -> AppResult<()> {
    let now = w.now().millis();
    let (from, until) = (from.to_string(), until.to_string());
    for it in items {
        let id = new_id();
        let e = NewEntry {
            id: &id,
            center_id,
            enterprise_id,
            request_id,
            name_zh: &it.name_zh,
            name_en: &it.name_en,
            hs_code: &it.hs_code,
            spec: &it.spec,
            unit: &it.unit,
            approved: it.quantity,
            valid_from: &from,
            valid_until: &until,
        };
        store::insert(w, &e, now).await?;
        w.audit(
            Some(center_id),
            "whitelist_entry",
            &id,
            "grant",
            json!({"request_id": request_id, "hs_code": it.hs_code, "quantity": it.quantity}),
        )
        .await?;
    }
    Ok(())
}

/// The entries `user` may see: all of the center's for officers, their
/// own enterprise's for its members.
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    enterprise_id: &str,
    after: &str,
    limit: i64,
) -> AppResult<Vec<Entry>> {
    let scope = if allows(Some(user.role), Perm::HandleRequests) {
        enterprise_id.to_string()
    } else if allows(Some(user.role), Perm::FileRequests) {
        match companies::of_user(state, user).await? {
            Some(e) => e,
            None => return Ok(vec![]),
        }
    } else {
        return Err(AppError::Forbidden);
    };
    Ok(store::page(&state.db, center_id, &scope, after, limit).await?)
}

pub async fn get(
    state: &AppState,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
) -> AppResult<Entry> {
    let e = store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)?;
    if !companies::may_read(state, user, &e.enterprise_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(e)
}

pub async fn lines(state: &AppState, id: &str, limit: i64) -> AppResult<Vec<Line>> {
    Ok(store::lines(&state.db, id, limit).await?)
}

/// Records a ledger line. Importing needs the entry valid today and
/// quantity left to import; using or destroying needs it on hand — else
/// 409 with the balances as they are.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    id: &str,
    usage: Usage,
    quantity: i64,
    project: &str,
    note: &str,
) -> AppResult<Entry> {
    get(state, user, center_id, id).await?;
    let mut e = vec![];
    let project = crate::validate::text(&mut e, "project", project, 200);
    let note = crate::validate::text(&mut e, "note", note, 1000);
    if usage == Usage::Used && project.is_empty() {
        e.push(FieldError::new("project", "whitelist-project-needed"));
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let tz = centers::tz(state, center_id).await?;
    let mut w = Write::begin(state, who).await?;
    let now = w.now();
    let today =
        crate::time::zoned(now.millis(), &tz).map(|z| z.date().to_string()).unwrap_or_default();
    if !store::take(&mut w, id, usage, quantity, &today).await? {
        drop(w);
        let fresh = get(state, user, center_id, id).await?;
        return Err(AppError::Conflict {
            key: if usage == Usage::Imported {
                "whitelist-import-exceeds"
            } else {
                "whitelist-on-hand-exceeds"
            },
            conflicts: json!({
                "importable": fresh.balance.importable(), "on_hand": fresh.balance.on_hand(),
                "valid_until": fresh.valid_until, "unit": fresh.unit,
            }),
        });
    }
    store::add_line(&mut w, id, usage, quantity, &project, &note, now.millis(), &user.id).await?;
    w.audit(
        Some(center_id),
        "whitelist_entry",
        id,
        usage.code(),
        json!({"quantity": quantity, "project": project}),
    )
    .await?;
    w.commit().await?;
    get(state, user, center_id, id).await
}

/// Tells each enterprise (and the center's hooks) of entries expiring
/// within [`WARN_DAYS`], once per entry. Returns how many were announced.
pub async fn warn_expiring(state: &AppState) -> AppResult<usize> {
    let today = state.clock.now().millis();
    let tz = crate::clock::time_zone("Asia/Shanghai");
    let Some(day) = crate::time::zoned(today, &tz).map(|z| z.date()) else { return Ok(0) };
    let by = day.checked_add(jiff::Span::new().days(WARN_DAYS)).unwrap_or(day);
    let due = store::expiring(&state.db, &by.to_string(), &day.to_string()).await?;
    let mut n = 0;
    for (center_id, e) in due {
        let mut w = Write::begin(state, &Who::system()).await?;
        let now = w.now().millis();
        if !store::mark_warned(&mut w, &e.id, now).await? {
            continue;
        }
        let notice = Notice {
            kind: "whitelist".into(),
            subject_id: e.id.clone(),
            key: "notify-whitelist-expiring".into(),
            args: vec![
                ("item".into(), Bilingual::new(e.name_zh.clone(), e.name_en.clone())),
                ("until".into(), Bilingual::new(e.valid_until.clone(), e.valid_until.clone())),
            ],
            reason: String::new(),
            link: format!("/services/whitelist/{}", e.id),
        };
        for member in companies::member_ids_in(&mut w, &e.enterprise_id).await? {
            w.notify(&member, &notice).await?;
        }
        let data = json!({
            "entry_id": e.id, "hs_code": e.hs_code, "valid_until": e.valid_until,
            "importable": e.balance.importable(), "on_hand": e.balance.on_hand(), "unit": e.unit,
        });
        w.hook(&center_id, Some(&e.enterprise_id), EventType::WhitelistExpiring, data).await?;
        w.commit().await?;
        n += 1;
    }
    Ok(n)
}
