use super::store;
use crate::audit::Who;
use crate::domains::visits::model::{OrgKind, name_key};
use crate::domains::visits::records::Organisation;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::reference::countries::country;
use crate::state::AppState;
use crate::validate::{looks_like_email, normalize_email};
use crate::write::Write;
use serde_json::json;

/// A page of [`organisations`], in the order they were added.
pub async fn organisations_page(
    state: &AppState,
    center_id: &str,
    kind: &str,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<Organisation>> {
    Ok(store::orgs_page(&state.db, center_id, kind, after_id, limit).await?)
}

pub async fn organisations(
    state: &AppState,
    center_id: &str,
    kind: &str,
) -> AppResult<Vec<Organisation>> {
    Ok(store::orgs(&state.db, center_id, kind).await?)
}

/// An organisation as corrected by staff.
#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    pub name: Bilingual,
    pub kind: String,
    pub country: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub notes: String,
}

/// Corrects an organisation: names, type, country, contact. Its visits
/// follow (they carry type and country for the lists and figures).
pub async fn update_organisation(
    state: &AppState,
    who: &Who,
    center_id: &str,
    id: &str,
    o: OrgInput,
) -> AppResult<Organisation> {
    let before = organisation_in(state, center_id, id).await?;
    let mut errors = vec![];
    if o.name.zh.is_empty() && o.name.en.is_empty() {
        errors.push(FieldError::new("name_en", "field-required"));
    }
    errors.extend(o.name.limit("name", 200));
    let kind = OrgKind::parse(&o.kind).unwrap_or_else(|| {
        errors.push(FieldError::new("organisation_type", "org-kind-invalid"));
        OrgKind::Other
    });
    if country(&o.country).is_none() {
        errors.push(FieldError::new("country", "field-invalid-country"));
    }
    if !o.contact_email.trim().is_empty() && !looks_like_email(o.contact_email.trim()) {
        errors.push(FieldError::new("contact_email", "field-invalid-email"));
    }
    if o.notes.chars().count() > 4000 {
        errors.push(FieldError::new("notes", "field-too-long"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let after = Organisation {
        kind,
        country: o.country.trim().to_ascii_uppercase(),
        name: o.name,
        contact_name: o.contact_name.trim().into(),
        contact_email: normalize_email(&o.contact_email),
        contact_phone: o.contact_phone.trim().into(),
        notes: o.notes.trim().into(),
        ..before.clone()
    };
    let key = name_key(&after.name.zh, &after.name.en);
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if let Err(e) = store::update_org(&mut tx, &after, &key, now).await {
        return Err(match crate::db::unique_violation(&e, store::ORG_UNIQUE) {
            Some(_) => AppError::invalid("name_en", "org-name-taken"),
            None => e.into(),
        });
    }
    tx.audit(Some(center_id), "organisation", id, "update", json!({"before": {"name": before.name, "kind": before.kind.code(), "country": before.country},
                            "after": {"name": after.name, "kind": kind.code(), "country": after.country}}))
            .await?;
    tx.commit().await?;
    organisation_in(state, center_id, id).await
}

pub async fn organisation_in(
    state: &AppState,
    center_id: &str,
    id: &str,
) -> AppResult<Organisation> {
    store::org(&state.db, id).await?.filter(|o| o.center_id == center_id).ok_or(AppError::NotFound)
}
