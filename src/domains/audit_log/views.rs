//! The audit log page and its JSON shape.

use askama::Template;
use serde::Serialize;

use crate::audit::AuditRow;
use crate::web::PageCtx;

pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub summary: String,
    pub client_ip: String,
}

#[derive(Template)]
#[template(path = "audit_log/index.html")]
pub struct AuditPage {
    pub ctx: PageCtx,
    pub lines: Vec<AuditLine>,
    pub entities: Vec<String>,
    pub actions: Vec<String>,
    pub entity: String,
    pub action: String,
    pub actor: String,
    pub from: String,
    pub to: String,
    /// Query string of the next (older) page, or empty.
    pub older: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditJson {
    pub id: String,
    /// RFC 3339.
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// What changed, as recorded.
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    pub client_ip: String,
}

impl AuditJson {
    pub fn from_row(r: AuditRow, tz: &jiff::tz::TimeZone) -> AuditJson {
        AuditJson {
            at: crate::clock::Instant(r.at).rfc3339_in(tz),
            summary: serde_json::from_str(&r.summary).unwrap_or(serde_json::Value::Null),
            id: r.id,
            actor: r.actor_label,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            client_ip: r.client_ip,
        }
    }
}
