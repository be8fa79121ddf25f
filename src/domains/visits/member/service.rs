use super::store;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::db::new_id;
use crate::domains::visits::model::{Gender, is_passport_name, mask_last4, normalize_passport};
use crate::domains::visits::records::Member;
use crate::domains::visits::visit::service::*;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::Bilingual;
use crate::reference::languages::language_tags;
use crate::state::AppState;
use crate::validate::{looks_like_email, normalize_email};
use crate::write::Write;
use serde_json::json;

/// A member as typed; `passport` is the plain number (sealed before storing).
#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub surname: String,
    pub given_name: String,
    pub name_zh: String,
    pub gender: String,
    pub title: Bilingual,
    pub organisation: String,
    pub languages: String,
    pub dietary: String,
    pub email: String,
    pub phone: String,
    pub is_head: bool,
    pub passport: String,
}

/// A member as staff see it: the passport number masked.
#[derive(Clone)]
pub struct MemberView {
    pub member: Member,
    pub passport_masked: String,
}

pub async fn add_member(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    m: MemberInput,
) -> AppResult<Member> {
    save(state, who, user, visit_id, None, m).await
}

/// Changes a member. An empty passport field keeps the number on file (it is
/// only ever shown masked); a new one replaces it.
pub async fn update_member(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    member_id: &str,
    m: MemberInput,
) -> AppResult<Member> {
    save(state, who, user, visit_id, Some(member_id), m).await
}

/// Checks a member's fields, all errors at once; the sealed passport number
/// when one was given.
fn check(
    state: &AppState,
    m: &MemberInput,
) -> Result<(Option<Gender>, Vec<String>, String), Vec<FieldError>> {
    let mut errors = vec![];
    if !is_passport_name(&m.surname) {
        errors.push(FieldError::new("surname", "member-latin-name"));
    }
    if !m.given_name.trim().is_empty() && !is_passport_name(&m.given_name) {
        errors.push(FieldError::new("given_name", "member-latin-name"));
    }
    let gender = match m.gender.trim() {
        "" => None,
        g => match Gender::parse(g) {
            Some(g) => Some(g),
            None => {
                errors.push(FieldError::new("gender", "field-invalid-choice"));
                None
            }
        },
    };
    let languages = language_tags(&m.languages).unwrap_or_else(|_| {
        errors.push(FieldError::new("languages", "field-invalid-language"));
        vec![]
    });
    if !m.email.trim().is_empty() && !looks_like_email(m.email.trim()) {
        errors.push(FieldError::new("email", "field-invalid-email"));
    }
    errors.extend(m.title.limit("title", 200));
    for (field, text, max) in [
        ("name_zh", &m.name_zh, 50),
        ("organisation", &m.organisation, 200),
        ("dietary", &m.dietary, 500),
        ("phone", &m.phone, 50),
    ] {
        if text.chars().count() > max {
            errors.push(FieldError::new(field, "field-too-long"));
        }
    }
    let passport_enc = match m.passport.trim() {
        "" => String::new(),
        p => match (normalize_passport(p), &state.config.data_key) {
            (None, _) => {
                errors.push(FieldError::new("passport", "member-passport-invalid"));
                String::new()
            }
            (Some(_), None) => {
                errors.push(FieldError::new("passport", "member-passport-no-key"));
                String::new()
            }
            (Some(n), Some(key)) => key.seal(&n),
        },
    };
    if errors.is_empty() { Ok((gender, languages, passport_enc)) } else { Err(errors) }
}

async fn save(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    member_id: Option<&str>,
    m: MemberInput,
) -> AppResult<Member> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    if visit.purged_at.is_some() {
        return Err(AppError::Conflict { key: "visit-purged", conflicts: json!({}) });
    }
    let (gender, languages, passport_enc) = check(state, &m).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    let before = match member_id {
        Some(id) => {
            Some(store::member_tx(&mut tx, &visit.id, id).await?.ok_or(AppError::NotFound)?)
        }
        None => None,
    };
    let member = Member {
        id: before.as_ref().map(|b| b.id.clone()).unwrap_or_else(new_id),
        visit_id: visit.id.clone(),
        position: match &before {
            Some(b) => b.position,
            None => store::next_member_position(&mut tx, &visit.id).await?,
        },
        surname: m.surname.trim().into(),
        given_name: m.given_name.trim().into(),
        name_zh: m.name_zh.trim().into(),
        gender,
        title: m.title,
        organisation: m.organisation.trim().into(),
        languages,
        dietary: m.dietary.trim().into(),
        email: normalize_email(&m.email),
        phone: m.phone.trim().into(),
        is_head: m.is_head,
        passport_enc: match (&before, passport_enc.is_empty()) {
            (Some(b), true) => b.passport_enc.clone(),
            _ => passport_enc,
        },
    };
    store::save_member(&mut tx, &member, now).await?;
    // The passport number itself never reaches the audit log.
    tx.audit(
        Some(&center_id),
        "visit_member",
        &member.id,
        if before.is_some() { "update" } else { "create" },
        json!({"visit": visit.reference, "name": member.passport_name(),
                            "passport": !member.passport_enc.is_empty()}),
    )
    .await?;
    tx.commit().await?;
    Ok(member)
}

pub async fn remove_member(
    state: &AppState,
    who: &Who,
    user: &CurrentUser,
    visit_id: &str,
    member_id: &str,
) -> AppResult<()> {
    let center_id = user.center_id.clone().ok_or(AppError::Forbidden)?;
    let visit = visit_in(state, &center_id, visit_id).await?;
    let _now = state.clock.now();
    let mut tx = Write::begin(state, who).await?;
    if !store::delete_member(&mut tx, &visit.id, member_id).await? {
        return Err(AppError::NotFound);
    }
    tx.audit(
        Some(&center_id),
        "visit_member",
        member_id,
        "delete",
        json!({"visit": visit.reference}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The members with their passport numbers masked (last four shown).
pub async fn members(state: &AppState, visit_id: &str) -> AppResult<Vec<MemberView>> {
    let key = state.config.data_key.clone();
    Ok(store::members(&state.db, visit_id)
        .await?
        .into_iter()
        .map(|member| {
            let passport_masked = match (&member.passport_enc, &key) {
                (enc, _) if enc.is_empty() => String::new(),
                (enc, Some(k)) => {
                    k.open(enc).map(|p| mask_last4(&p)).unwrap_or_else(|| "••••".into())
                }
                (_, None) => "••••".into(),
            };
            MemberView { member, passport_masked }
        })
        .collect())
}
