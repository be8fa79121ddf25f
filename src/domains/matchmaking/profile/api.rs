//! The profile API: a participant's own profile (by their ticket link's
//! secret, or staff), the catalogue with its filters, and suggestions.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::service::{self, Entry, EntryEdit, Filter, Holder, Profile, ProfileEdit};
use crate::clock::Instant;
use crate::domains::centers::service as centers;
use crate::domains::matchmaking::model::{ENTRY_CHARS, MAX_ENTRIES, Sector, Side, Topic};
use crate::error::{AppError, AppResult, FieldError, at_most};
use crate::i18n::Bilingual;
use crate::state::AppState;
use crate::web::ReqCtx;
use crate::web::extract::{Json, Path, Query};
use crate::web::list::{List, PageQuery, key_cursor};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SecretQuery {
    /// The secret of the participant's ticket link (not needed by staff).
    #[serde(default)]
    #[param(max_length = 128)]
    pub secret: String,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema, Clone)]
pub struct OfferNeedJson {
    #[schema(schema_with = Side::openapi)]
    pub side: String,
    #[schema(schema_with = Topic::openapi)]
    pub topic: String,
    /// At least one language.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub text_zh: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub text_en: String,
}

fn entry_json(e: &Entry) -> OfferNeedJson {
    OfferNeedJson {
        side: e.side.code().into(),
        topic: e.topic.code().into(),
        text_zh: e.text.zh.clone(),
        text_en: e.text.en.clone(),
    }
}

/// Another participant as the catalogue shows them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ParticipantCardJson {
    /// The profile's id: whom a meeting request names.
    pub id: String,
    pub name: String,
    pub organisation_zh: String,
    pub organisation_en: String,
    pub role_zh: String,
    pub role_en: String,
    pub about_zh: String,
    pub about_en: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    #[schema(schema_with = Sector::openapi_or_empty)]
    pub sector: String,
    /// BCP 47 tags.
    pub languages: Vec<String>,
    pub entries: Vec<OfferNeedJson>,
    /// How well they answer the asker (suggestions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<i64>,
}

pub fn card_json(p: &Profile, entries: &[Entry], score: Option<i64>) -> ParticipantCardJson {
    ParticipantCardJson {
        id: p.id.clone(),
        name: p.name.clone(),
        organisation_zh: p.organisation.zh.clone(),
        organisation_en: p.organisation.en.clone(),
        role_zh: p.role.zh.clone(),
        role_en: p.role.en.clone(),
        about_zh: p.about.zh.clone(),
        about_en: p.about.en.clone(),
        country: p.country.clone(),
        sector: p.sector.map(|s| s.code().to_string()).unwrap_or_default(),
        languages: p.languages.clone(),
        entries: entries.iter().map(entry_json).collect(),
        score,
    }
}

/// One's own profile.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchmakingProfileJson {
    pub participant_id: String,
    pub event_id: String,
    /// Shown in the event's catalogue.
    pub listed: bool,
    /// Starts (RFC 3339) of the meeting windows this person cannot meet in.
    pub away: Vec<String>,
    /// Live requests sent, and how many the event allows.
    pub requests_sent: i64,
    pub request_limit: i64,
    #[serde(flatten)]
    pub card: ParticipantCardJson,
}

async fn profile_json(
    state: &AppState,
    h: &Holder,
    p: &Profile,
) -> AppResult<MatchmakingProfileJson> {
    let tz = centers::tz(state, &p.center_id).await?;
    let entries = service::with_entries(state, vec![p.clone()]).await?;
    Ok(MatchmakingProfileJson {
        participant_id: p.participant_id.clone(),
        event_id: p.event_id.clone(),
        listed: p.listed,
        away: p.away.iter().map(|a| Instant(*a).rfc3339_in(&tz)).collect(),
        requests_sent: p.sent,
        request_limit: h.setup.request_limit,
        card: card_json(p, &entries[0].1, None),
    })
}

/// The participant's profile (404 until they have made one).
#[utoipa::path(get, path = "/api/v1/matchmaking/participants/{participant_id}/profile", tag = "matchmaking",
    params(("participant_id" = String, Path), SecretQuery),
    responses((status = 200, body = MatchmakingProfileJson), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(pid): Path<String>,
    Query(q): Query<SecretQuery>,
) -> AppResult<Json<MatchmakingProfileJson>> {
    let h = service::acting_as(&state, ctx.actor.user(), &pid, &q.secret).await?;
    let p = h.profile()?.clone();
    Ok(Json(profile_json(&state, &h, &p).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SaveMatchmakingProfileJson {
    /// The secret of the participant's ticket link (not needed by staff).
    #[serde(default)]
    #[schema(max_length = 128)]
    pub secret: String,
    #[schema(max_length = 200)]
    pub name: String,
    /// At least one language of the organisation's name.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub organisation_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub organisation_en: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub role_zh: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub role_en: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub about_zh: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub about_en: String,
    /// ISO 3166-1 alpha-2 (empty: not said).
    #[serde(default)]
    #[schema(max_length = 2)]
    pub country: String,
    #[serde(default)]
    #[schema(schema_with = Sector::openapi_or_empty)]
    pub sector: String,
    /// BCP 47 tags (1–10).
    #[schema(max_items = 10)]
    pub languages: Vec<String>,
    /// Starts (RFC 3339) of the meeting windows this person cannot meet in.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub away: Vec<String>,
    #[serde(default = "listed")]
    pub listed: bool,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub entries: Vec<OfferNeedJson>,
}

fn listed() -> bool {
    true
}

/// Makes or replaces the participant's profile.
#[utoipa::path(put, path = "/api/v1/matchmaking/participants/{participant_id}/profile", tag = "matchmaking",
    params(("participant_id" = String, Path)), request_body = SaveMatchmakingProfileJson,
    responses((status = 200, body = MatchmakingProfileJson), (status = 401), (status = 404), (status = 422)))]
pub async fn save(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(pid): Path<String>,
    Json(b): Json<SaveMatchmakingProfileJson>,
) -> AppResult<Json<MatchmakingProfileJson>> {
    let h = service::acting_as(&state, ctx.actor.user(), &pid, &b.secret).await?;
    if b.entries.len() > MAX_ENTRIES || b.languages.len() > 10 || b.away.len() > 20 {
        return Err(AppError::Invalid(vec![
            FieldError::new("entries", "mm-too-many").with("max", MAX_ENTRIES as i64),
        ]));
    }
    // Limits are on the texts as sent (they are trimmed when kept).
    for (field, value, max) in [
        ("name", &b.name, 200),
        ("organisation_zh", &b.organisation_zh, 200),
        ("organisation_en", &b.organisation_en, 200),
        ("role_zh", &b.role_zh, 200),
        ("role_en", &b.role_en, 200),
        ("about_zh", &b.about_zh, 2000),
        ("about_en", &b.about_en, 2000),
    ] {
        at_most(field, value, max)?;
    }
    at_most("country", &b.country, 2)?;
    if !b.sector.is_empty() && Sector::exact(&b.sector).is_none() {
        return Err(AppError::invalid("sector", "field-invalid-choice"));
    }
    for (i, e) in b.entries.iter().enumerate() {
        at_most(&format!("entries[{i}].text_zh"), &e.text_zh, ENTRY_CHARS)?;
        at_most(&format!("entries[{i}].text_en"), &e.text_en, ENTRY_CHARS)?;
        if Side::exact(&e.side).is_none() {
            return Err(AppError::invalid(&format!("entries[{i}].side"), "field-invalid-choice"));
        }
        if Topic::exact(&e.topic).is_none() {
            return Err(AppError::invalid(&format!("entries[{i}].topic"), "field-invalid-choice"));
        }
    }
    let mut away = vec![];
    for (i, a) in b.away.iter().enumerate() {
        let at = Instant::parse_rfc3339(a)
            .ok_or_else(|| AppError::invalid(&format!("away[{i}]"), "field-invalid-instant"))?;
        away.push(at.millis());
    }
    let edit = ProfileEdit {
        name: b.name,
        organisation: Bilingual::new(b.organisation_zh, b.organisation_en),
        role: Bilingual::new(b.role_zh, b.role_en),
        about: Bilingual::new(b.about_zh, b.about_en),
        country: b.country.trim().to_ascii_uppercase(),
        sector: b.sector,
        languages: b.languages.join(","),
        away,
        listed: b.listed,
        entries: b
            .entries
            .into_iter()
            .map(|e| EntryEdit {
                side: e.side,
                topic: e.topic,
                text: Bilingual::new(e.text_zh, e.text_en),
            })
            .collect(),
    };
    let p = service::save(&state, &ctx.who(), &h, edit).await?;
    Ok(Json(profile_json(&state, &h, &p).await?))
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct CatalogueQuery {
    /// The secret of the participant's ticket link (not needed by staff).
    #[serde(default)]
    #[param(max_length = 128)]
    pub secret: String,
    #[serde(default)]
    #[param(schema_with = Sector::openapi_or_empty)]
    pub sector: String,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    #[param(max_length = 2)]
    pub country: String,
    /// Has an offer or a need (`side`) of this topic.
    #[serde(default)]
    #[param(schema_with = Topic::openapi_or_empty)]
    pub topic: String,
    #[serde(default)]
    #[param(schema_with = Side::openapi_or_empty)]
    pub side: String,
    /// Speaks this language (BCP 47; its primary language counts).
    #[serde(default)]
    #[param(max_length = 35)]
    pub language: String,
    /// Words in the name, organisation, offers or needs.
    #[serde(default)]
    #[param(max_length = 100)]
    pub q: String,
}

impl CatalogueQuery {
    pub fn filter(&self) -> AppResult<Filter> {
        // As sent: the API document's limits and codes are on the raw values.
        at_most("country", &self.country, 2)?;
        at_most("language", &self.language, 35)?;
        at_most("q", &self.q, 100)?;
        let coded = [
            ("sector", &self.sector, Sector::exact(&self.sector).is_some()),
            ("topic", &self.topic, Topic::exact(&self.topic).is_some()),
            ("side", &self.side, Side::exact(&self.side).is_some()),
        ];
        for (field, value, known) in coded {
            if !value.is_empty() && !known {
                return Err(AppError::invalid(field, "field-invalid-choice"));
            }
        }
        let mut f = Filter {
            sector: self.sector.trim().into(),
            country: self.country.trim().to_ascii_uppercase(),
            topic: self.topic.trim().into(),
            side: self.side.trim().into(),
            language: self.language.trim().into(),
            text: self.q.trim().into(),
        };
        service::check_filter(&mut f)?;
        Ok(f)
    }
}

/// The event's participants who are listed, filtered, a page at a time.
#[utoipa::path(get, path = "/api/v1/matchmaking/participants/{participant_id}/catalogue", tag = "matchmaking",
    params(("participant_id" = String, Path), CatalogueQuery, PageQuery),
    responses((status = 200, body = List<ParticipantCardJson>), (status = 401), (status = 404), (status = 422)))]
pub async fn catalogue(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(pid): Path<String>,
    Query(q): Query<CatalogueQuery>,
    Query(page): Query<PageQuery>,
) -> AppResult<Json<List<ParticipantCardJson>>> {
    let h = service::acting_as(&state, ctx.actor.user(), &pid, &q.secret).await?;
    let filter = q.filter()?;
    let limit = page.size()?;
    let rows = service::catalogue(&state, &h.event.id, &filter, &page.after()?, limit).await?;
    Ok(Json(List::page(
        rows,
        limit as usize,
        |(p, _)| key_cursor(p.created_at, &p.id),
        |(p, e)| card_json(&p, &e, None),
    )))
}

/// Up to 20 participants who best answer this one: their offers meet this
/// one's needs and the other way round, a shared language first.
#[utoipa::path(get, path = "/api/v1/matchmaking/participants/{participant_id}/suggestions", tag = "matchmaking",
    params(("participant_id" = String, Path), SecretQuery),
    responses((status = 200, body = List<ParticipantCardJson>), (status = 401), (status = 404)))]
pub async fn suggestions(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Path(pid): Path<String>,
    Query(q): Query<SecretQuery>,
) -> AppResult<Json<List<ParticipantCardJson>>> {
    let h = service::acting_as(&state, ctx.actor.user(), &pid, &q.secret).await?;
    let me = h.profile()?;
    let rows = service::suggestions(&state, me, 20).await?;
    Ok(Json(List::whole(rows.iter().map(|(p, e, s)| card_json(p, e, Some(*s))).collect())))
}
