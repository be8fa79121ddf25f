//! Editing a center's zones and settings (each change audited in its own
//! transaction), creating centers, and reading them for other slices.

use serde_json::json;

use super::model::{Bilingual, Center, STANDARD_ZONES, SettingsEdit, Zone, ZoneEdit};
use super::store;
use crate::audit::Who;
use crate::bilingual::Place;
use crate::db::new_id;
use crate::domains::glossary::finding::service as glossary;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::write::Write;

/// A center, read often (time zone, names) and changed seldom: kept for a
/// moment in `state.centers`, which the changes here clear.
pub async fn get(state: &AppState, center_id: &str) -> AppResult<Center> {
    state
        .centers
        .get_or_read(center_id, || store::get(&state.db, center_id))
        .await?
        .ok_or(AppError::NotFound)
}

/// The center's time zone, for showing and reading local times.
pub async fn tz(state: &AppState, center_id: &str) -> AppResult<jiff::tz::TimeZone> {
    Ok(get(state, center_id).await?.tz())
}

/// The center whose public site `/` shows, if any exists yet.
pub async fn public_center(state: &AppState) -> AppResult<Option<Center>> {
    Ok(store::public_center(&state.db, &state.config.default_center).await?)
}

pub async fn zones(state: &AppState, center_id: &str) -> AppResult<Vec<Zone>> {
    Ok(store::zones_of(&state.db, center_id).await?)
}

/// Edits a zone of `center_id`; a zone of another center is "not found".
pub async fn update_zone(
    state: &AppState,
    who: &Who,
    center_id: &str,
    zone_id: &str,
    edit: ZoneEdit,
) -> AppResult<Zone> {
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let before = store::zone_for_update(&mut tx, zone_id).await?;
    let before = before.filter(|z| z.center_id == center_id).ok_or(AppError::NotFound)?;
    store::update_zone(&mut tx, zone_id, &edit, now).await?;
    tx.audit(
        Some(center_id),
        "zone",
        zone_id,
        "update",
        json!({
            "code": before.code,
            "before": {"name": before.name, "description": before.description},
            "after": {"name": edit.name, "description": edit.description},
        }),
    )
    .await?;
    glossary::recheck_in(&mut tx, center_id, Place::Zone, zone_id).await?;
    tx.commit().await?;
    state.centers.clear();
    Ok(Zone { name: edit.name, description: edit.description, ..before })
}

pub async fn update_settings(
    state: &AppState,
    who: &Who,
    center_id: &str,
    edit: SettingsEdit,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let before = store::center_for_update(&mut tx, center_id).await?.ok_or(AppError::NotFound)?;
    store::update_settings(&mut tx, center_id, &edit, now).await?;
    let mut changed = serde_json::Map::new();
    let pairs = [
        ("name", &before.name, &edit.name),
        ("short_name", &before.short_name, &edit.short_name),
        ("intro", &before.intro, &edit.intro),
        ("address", &before.address, &edit.address),
        ("opening_hours", &before.opening_hours, &edit.opening_hours),
    ];
    for (field, old, new) in pairs {
        if old != new {
            changed.insert(field.into(), json!({"before": old, "after": new}));
        }
    }
    for (field, old, new) in [
        ("phone", &before.phone, &edit.phone),
        ("email", &before.email, &edit.email),
        ("timezone", &before.timezone, &edit.timezone),
    ] {
        if old != new {
            changed.insert(field.into(), json!({"before": old, "after": new}));
        }
    }
    tx.audit(
        Some(center_id),
        "center",
        center_id,
        "update_settings",
        serde_json::Value::Object(changed),
    )
    .await?;
    glossary::recheck_in(&mut tx, center_id, Place::Center, center_id).await?;
    tx.commit().await?;
    state.centers.clear();
    Ok(())
}

/// What a new center starts with.
pub struct NewCenter {
    pub slug: String,
    pub name: Bilingual,
    pub short_name: Bilingual,
    pub intro: Bilingual,
    pub address: Bilingual,
    pub opening_hours: Bilingual,
    pub phone: String,
    pub email: String,
    /// (code, name, description) per zone; the six standard zones when empty.
    pub zones: Vec<(String, Bilingual, Bilingual)>,
}

/// Creates the center with its zones unless a center with this slug exists;
/// missing zones are added either way. Returns the center's id and whether it
/// was created.
pub async fn ensure_center(
    state: &AppState,
    who: &Who,
    new: NewCenter,
) -> AppResult<(String, bool)> {
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let (id, created) = match store::find_by_slug(&mut tx, &new.slug).await? {
        Some(id) => (id, false),
        None => {
            let center = Center {
                id: new_id(),
                slug: new.slug.clone(),
                name: new.name.clone(),
                short_name: new.short_name,
                intro: new.intro,
                address: new.address,
                opening_hours: new.opening_hours,
                phone: new.phone,
                email: new.email,
                timezone: "Asia/Shanghai".into(),
            };
            store::insert_center(&mut tx, &center, now).await?;
            tx.audit(
                Some(&center.id),
                "center",
                &center.id,
                "create",
                json!({"slug": new.slug, "name": new.name}),
            )
            .await?;
            (center.id, true)
        }
    };
    let zones = if new.zones.is_empty() {
        STANDARD_ZONES
            .iter()
            .map(|(code, zh, en)| {
                (code.to_string(), Bilingual::new(*zh, *en), Bilingual::default())
            })
            .collect()
    } else {
        new.zones
    };
    for (position, (code, name, description)) in zones.into_iter().enumerate() {
        let zone = Zone {
            id: new_id(),
            center_id: id.clone(),
            code,
            name,
            description,
            position: position as i64,
        };
        if store::insert_zone_if_missing(&mut tx, &zone, now).await? {
            tx.audit(
                Some(&id),
                "zone",
                &zone.id,
                "create",
                json!({"code": zone.code, "name": zone.name}),
            )
            .await?;
        }
    }
    tx.commit().await?;
    state.centers.clear();
    Ok((id, created))
}

/// A center's id from its id or slug.
pub async fn resolve(state: &AppState, id_or_slug: &str) -> AppResult<Option<String>> {
    if let Some(c) = store::get(&state.db, id_or_slug).await? {
        return Ok(Some(c.id));
    }
    let mut conn = state.db.pool.acquire().await?;
    Ok(store::find_by_slug(&mut conn, id_or_slug).await?)
}
