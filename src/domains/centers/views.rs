//! Pages and JSON shapes for centers and zones.

use askama::Template;
use serde::Serialize;

use super::model::{Center, Zone};
use crate::web::PageCtx;

#[derive(Template)]
#[template(path = "centers/home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub center: Option<Center>,
    pub zones: Vec<Zone>,
}

use crate::web::form::FormErrors;

#[derive(Template)]
#[template(path = "centers/zones_index.html")]
pub struct ZonesPage {
    pub ctx: PageCtx,
    pub zones: Vec<Zone>,
    /// The zone just saved, or the one whose edit failed (with its errors).
    pub saved: String,
    pub failed: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "centers/settings_page.html")]
pub struct SettingsPage {
    pub ctx: PageCtx,
    pub center: Center,
    pub saved: bool,
    pub errors: FormErrors,
}

/// One input of the settings form.
pub struct SettingsField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub lang: &'static str,
    pub multiline: bool,
    /// The most characters the center's rules accept (`centers::model`).
    pub max: usize,
}

impl SettingsPage {
    pub fn fields(&self) -> Vec<SettingsField> {
        let c = &self.center;
        let f = |name: &'static str, label, value: &str, lang, multiline| SettingsField {
            name,
            label,
            value: value.to_string(),
            lang,
            multiline,
            max: match name {
                "name_zh" | "name_en" => 200,
                "short_name_zh" | "short_name_en" => 60,
                "intro_zh" | "intro_en" => 4000,
                "phone" => 40,
                "email" => 254,
                "timezone" => 64,
                _ => 300,
            },
        };
        vec![
            f("name_zh", "field-name-zh", &c.name.zh, "zh-CN", false),
            f("name_en", "field-name-en", &c.name.en, "en", false),
            f("short_name_zh", "field-short-name-zh", &c.short_name.zh, "zh-CN", false),
            f("short_name_en", "field-short-name-en", &c.short_name.en, "en", false),
            f("intro_zh", "field-intro-zh", &c.intro.zh, "zh-CN", true),
            f("intro_en", "field-intro-en", &c.intro.en, "en", true),
            f("address_zh", "field-address-zh", &c.address.zh, "zh-CN", false),
            f("address_en", "field-address-en", &c.address.en, "en", false),
            f("opening_hours_zh", "field-opening-hours-zh", &c.opening_hours.zh, "zh-CN", false),
            f("opening_hours_en", "field-opening-hours-en", &c.opening_hours.en, "en", false),
            f("phone", "field-phone", &c.phone, "", false),
            f("email", "field-email", &c.email, "", false),
            f("timezone", "field-timezone", &c.timezone, "", false),
        ]
    }
}

/// A zone over the API.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ZoneJson {
    pub id: String,
    pub center_id: String,
    /// Stable code, e.g. `city_promotion`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub position: i64,
}

impl From<Zone> for ZoneJson {
    fn from(z: Zone) -> ZoneJson {
        ZoneJson {
            id: z.id,
            center_id: z.center_id,
            code: z.code,
            name_zh: z.name.zh,
            name_en: z.name.en,
            description_zh: z.description.zh,
            description_en: z.description.en,
            position: z.position,
        }
    }
}
