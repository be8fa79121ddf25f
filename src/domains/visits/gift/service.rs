use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::visits::records::{Gift, GiftMovement};
use crate::domains::visits::visit::service::*;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::write::Write;
use serde_json::json;

/// A page of the center's gifts in the order they were added.
pub async fn gifts_page(
    state: &AppState,
    center_id: &str,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Gift>> {
    Ok(store::gifts_page(&state.db, center_id, after_id, limit).await?)
}

pub async fn gifts(state: &AppState, center_id: &str) -> AppResult<Vec<Gift>> {
    Ok(store::gifts(&state.db, center_id).await?)
}

pub async fn create_gift(
    state: &AppState,
    who: &Who,
    center_id: &str,
    name: Bilingual,
    unit_value: i64,
) -> AppResult<Gift> {
    let mut errors = name.require("name", 200);
    errors.retain(|e| !(e.field == "name_en" && e.key == "field-required"));
    if !(0..=100_000_000).contains(&unit_value) {
        errors.push(FieldError::new("unit_value", "field-invalid-number"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let gift = Gift { id: new_id(), name, unit_value, stock: 0 };
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    store::insert_gift(&mut tx, center_id, &gift, now).await?;
    tx.audit(
        Some(center_id),
        "gift",
        &gift.id,
        "create",
        json!({"name": gift.name, "unit_value": unit_value}),
    )
    .await?;
    tx.commit().await?;
    Ok(gift)
}

/// A stock movement as asked: positive in, negative out (to a visit).
#[derive(Debug, Clone, Default)]
pub struct GiftMove {
    pub gift_id: String,
    pub quantity: i64,
    pub visit_id: String,
    pub recipient: String,
    pub note: String,
    /// Give even though this organisation already received this gift.
    pub confirm_repeat: bool,
}

/// Records stock in or out. Giving to a visit's organisation that already
/// received the same gift is a 409 (`gift-repeat`) unless confirmed.
pub async fn move_gift(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    m: GiftMove,
) -> AppResult<GiftMovement> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let gift = store::gift(&state.db, &center_id, &m.gift_id)
        .await?
        .ok_or_else(|| AppError::invalid("gift_id", "field-invalid-choice"))?;
    if m.quantity == 0 || m.quantity.abs() > 100_000 {
        return Err(AppError::invalid("quantity", "field-invalid-number"));
    }
    let visit = match m.visit_id.trim() {
        "" if m.quantity < 0 => return Err(AppError::invalid("visit_id", "gift-visit-required")),
        "" => None,
        id => Some(visit_in(state, &center_id, id).await?),
    };
    if m.quantity < 0
        && let Some(v) = &visit
        && !m.confirm_repeat
    {
        let earlier =
            store::movements(&state.db, &center_id, &gift.id, "", &v.organisation_id).await?;
        let given: Vec<&GiftMovement> = earlier.iter().filter(|g| g.quantity < 0).collect();
        if !given.is_empty() {
            return Err(AppError::Conflict {
                key: "gift-repeat",
                conflicts: json!({"conflicts": given.iter().map(|g| json!({"movement_id": g.id, "visit_id": g.visit_id, "at": g.at, "quantity": -g.quantity})).collect::<Vec<_>>()}),
            });
        }
    }
    let now = state.clock.now();
    let movement = GiftMovement {
        id: new_id(),
        gift_id: gift.id.clone(),
        gift_name: gift.name.clone(),
        quantity: m.quantity,
        visit_id: visit.as_ref().map(|v| v.id.clone()),
        organisation_id: visit.as_ref().map(|v| v.organisation_id.clone()),
        organisation_name: visit.as_ref().map(|v| v.org_name.clone()).unwrap_or_default(),
        recipient: m.recipient.trim().into(),
        note: m.note.trim().into(),
        at: now.millis(),
    };
    let mut tx = Write::begin(state, who).await?;
    if !store::move_stock(&mut tx, &gift.id, m.quantity, now).await? {
        return Err(AppError::Conflict {
            key: "gift-out-of-stock",
            conflicts: json!({"stock": gift.stock, "asked": -m.quantity}),
        });
    }
    store::insert_movement(&mut tx, &center_id, &movement, who.user_id.as_deref()).await?;
    tx.audit(
        Some(&center_id),
        "gift",
        &gift.id,
        if m.quantity > 0 { "stock_in" } else { "give" },
        json!({"quantity": m.quantity, "visit": visit.as_ref().map(|v| &v.reference),
                            "recipient": movement.recipient, "repeat_confirmed": m.confirm_repeat}),
    )
    .await?;
    tx.commit().await?;
    Ok(movement)
}

pub async fn movements(
    state: &AppState,
    center_id: &str,
    visit_id: &str,
    organisation_id: &str,
) -> AppResult<Vec<GiftMovement>> {
    Ok(store::movements(&state.db, center_id, "", visit_id, organisation_id).await?)
}
