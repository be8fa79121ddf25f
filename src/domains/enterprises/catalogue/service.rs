//! The catalogue: every signed-in user of the center reads it; admins
//! (`Perm::ManageCatalogue`) change services, save new form versions and
//! keep the center's own working days. A center's catalogue is seeded the
//! first time it is read.

use jiff::civil::Date;
use serde_json::json;

pub use super::store::{Category, CenterDay, ServiceType};
use super::{seed, store};
use crate::audit::Who;
use crate::auth::{CurrentUser, Perm, allows};
use crate::db::new_id;
use crate::domains::enterprises::model::form::FormSpec;
use crate::error::{AppError, AppResult, FieldError};
use crate::reference::workdays::Calendar;
use crate::state::AppState;
use crate::write::Write;

/// Loads the starting catalogue into a center that has none (once: the
/// count is read inside the write; on PostgreSQL two first readers may both
/// find none, and the second's insert meets the first's codes — then the
/// catalogue is there, which is all either wanted).
async fn ensure_seeded(state: &AppState, center_id: &str) -> AppResult<()> {
    if !store::types(&state.db, center_id).await?.is_empty() {
        return Ok(());
    }
    match seed(state, center_id).await {
        Err(AppError::Internal(_)) if !store::types(&state.db, center_id).await?.is_empty() => {
            Ok(())
        }
        other => other,
    }
}

async fn seed(state: &AppState, center_id: &str) -> AppResult<()> {
    let mut w = Write::begin(state, &Who::system()).await?;
    if store::count(&mut w, center_id).await? > 0 {
        return Ok(());
    }
    let now = w.now().millis();
    for (i, (code, flow, name_zh, name_en, summary_zh, summary_en, whitelist, spec)) in
        seed::services().into_iter().enumerate()
    {
        let id = new_id();
        let t = store::NewType {
            code,
            flow,
            name_zh,
            name_en,
            summary_zh,
            summary_en,
            whitelist,
            position: i as i64,
        };
        store::insert_type(&mut w, &id, center_id, &t, now).await?;
        store::insert_form(&mut w, &id, 1, &spec, None, now).await?;
    }
    for (i, c) in seed::categories().iter().enumerate() {
        store::insert_category(&mut w, center_id, c, i as i64).await?;
    }
    w.audit(Some(center_id), "service_catalogue", center_id, "seed", json!({})).await?;
    w.commit().await?;
    Ok(())
}

/// The center's services (inactive ones too, for staff; `active_only` for enterprises).
pub async fn types(
    state: &AppState,
    center_id: &str,
    active_only: bool,
) -> AppResult<Vec<ServiceType>> {
    ensure_seeded(state, center_id).await?;
    let all = store::types(&state.db, center_id).await?;
    Ok(all.into_iter().filter(|t| t.active || !active_only).collect())
}

pub async fn get(state: &AppState, center_id: &str, id: &str) -> AppResult<ServiceType> {
    store::get(&state.db, center_id, id).await?.ok_or(AppError::NotFound)
}

/// A form version of a service.
pub async fn form(state: &AppState, type_id: &str, version: i64) -> AppResult<FormSpec> {
    store::form(&state.db, type_id, version).await?.ok_or(AppError::NotFound)
}

/// Inside another write: a service and the form of `version`.
pub async fn form_in(
    w: &mut Write,
    center_id: &str,
    type_id: &str,
    version: Option<i64>,
) -> AppResult<(ServiceType, FormSpec)> {
    let t = store::get_in(w, center_id, type_id).await?.ok_or(AppError::NotFound)?;
    let spec = store::form_in(w, type_id, version.unwrap_or(t.form_version))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((t, spec))
}

pub async fn categories(state: &AppState, center_id: &str) -> AppResult<Vec<Category>> {
    ensure_seeded(state, center_id).await?;
    Ok(store::categories(&state.db, center_id).await?)
}

/// Saves a new version of a service's form, made on `from_version` (409 if
/// another was saved meanwhile). Requests already filed keep theirs.
pub async fn save_form(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    type_id: &str,
    from_version: i64,
    spec: FormSpec,
) -> AppResult<ServiceType> {
    if !allows(Some(user.role), Perm::ManageCatalogue) {
        return Err(AppError::Forbidden);
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    let t = store::get_in(&mut w, center_id, type_id).await?.ok_or(AppError::NotFound)?;
    spec.check(t.flow).map_err(AppError::Invalid)?;
    if !store::bump_form(&mut w, type_id, from_version, now).await? {
        return Err(AppError::Conflict {
            key: "catalogue-saved-meanwhile",
            conflicts: json!({"form_version": t.form_version}),
        });
    }
    store::insert_form(&mut w, type_id, from_version + 1, &spec, Some(&user.id), now).await?;
    w.audit(Some(center_id), "service_type", type_id, "form", json!({"version": from_version + 1}))
        .await?;
    w.commit().await?;
    get(state, center_id, type_id).await
}

/// Renames, describes, opens or closes a service.
#[allow(clippy::too_many_arguments)]
pub async fn update_type(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    type_id: &str,
    names: (&str, &str, &str, &str),
    active: bool,
) -> AppResult<ServiceType> {
    if !allows(Some(user.role), Perm::ManageCatalogue) {
        return Err(AppError::Forbidden);
    }
    let mut e = vec![];
    let name_zh = crate::validate::required_text(&mut e, "name_zh", names.0, 200);
    let name_en = crate::validate::required_text(&mut e, "name_en", names.1, 200);
    let summary_zh = crate::validate::text(&mut e, "summary_zh", names.2, 1000);
    let summary_en = crate::validate::text(&mut e, "summary_en", names.3, 1000);
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let mut w = Write::begin(state, who).await?;
    let now = w.now().millis();
    store::get_in(&mut w, center_id, type_id).await?.ok_or(AppError::NotFound)?;
    store::update_type(&mut w, type_id, &name_zh, &name_en, &summary_zh, &summary_en, active, now)
        .await?;
    w.audit(
        Some(center_id),
        "service_type",
        type_id,
        "update",
        json!({"name_zh": name_zh, "active": active}),
    )
    .await?;
    w.commit().await?;
    get(state, center_id, type_id).await
}

/// The national working-day table with the center's own days on top.
pub async fn calendar(state: &AppState, center_id: &str) -> AppResult<Calendar> {
    let days = store::days(&state.db, center_id).await?;
    Ok(Calendar::new(
        days.iter().filter_map(|d| d.day.parse::<Date>().ok().map(|day| (day, d.closed))),
    ))
}

pub async fn days(state: &AppState, center_id: &str) -> AppResult<Vec<CenterDay>> {
    Ok(store::days(&state.db, center_id).await?)
}

#[allow(clippy::too_many_arguments)]
/// Marks a day of the center's own calendar closed (a move, a local
/// holiday) or open (a worked weekend the national table does not know).
pub async fn set_day(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    day: &str,
    closed: bool,
    note_zh: &str,
    note_en: &str,
) -> AppResult<()> {
    if !allows(Some(user.role), Perm::ManageCatalogue) {
        return Err(AppError::Forbidden);
    }
    let mut e = vec![];
    let day = match crate::time::parse_day("day", day, true) {
        Ok(Some(d)) => d.to_string(),
        Ok(None) => String::new(),
        Err(err) => {
            e.push(err);
            String::new()
        }
    };
    let note_zh = crate::validate::text(&mut e, "note_zh", note_zh, 200);
    let note_en = crate::validate::text(&mut e, "note_en", note_en, 200);
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let mut w = Write::begin(state, who).await?;
    store::set_day(&mut w, center_id, &CenterDay { day: day.clone(), closed, note_zh, note_en })
        .await?;
    w.audit(Some(center_id), "center_day", &day, "set", json!({"closed": closed})).await?;
    w.commit().await?;
    Ok(())
}

pub async fn remove_day(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    center_id: &str,
    day: &str,
) -> AppResult<()> {
    if !allows(Some(user.role), Perm::ManageCatalogue) {
        return Err(AppError::Forbidden);
    }
    if day.len() > 10 {
        return Err(AppError::NotFound);
    }
    let mut w = Write::begin(state, who).await?;
    if !store::remove_day(&mut w, center_id, day).await? {
        return Err(AppError::NotFound);
    }
    w.audit(Some(center_id), "center_day", day, "remove", json!({})).await?;
    w.commit().await?;
    Ok(())
}

/// A category code of the center, or the field error for line `i`.
pub fn category_error(cats: &[Category], code: &str, i: usize) -> Option<FieldError> {
    (!cats.iter().any(|c| c.code == code))
        .then(|| FieldError::new(format!("items.{i}.category"), "field-invalid-choice"))
}
