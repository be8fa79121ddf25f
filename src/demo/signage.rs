//! The demo sign registry: five signs of the five classes, from a draft to
//! installed, in the import-export and science popularization zones.

use crate::audit::Who;
use crate::domains::centers::service as centers;
use crate::domains::signage::model::{SignInput, SignStep};
use crate::domains::signage::sign::service;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A demo sign: zone code, floor, class, size, Chinese, English, steps taken.
type DemoSign = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [SignStep],
);

const SIGNS: &[DemoSign] = &[
    (
        "import_export",
        "1F",
        "function",
        "door",
        "进出口服务区",
        "Import-Export Services",
        &[SignStep::Translate, SignStep::Review, SignStep::Install],
    ),
    (
        "import_export",
        "1F",
        "prohibition",
        "a4",
        "禁止吸烟",
        "No Smoking",
        &[SignStep::Translate, SignStep::Review, SignStep::Install],
    ),
    (
        "science_popularization",
        "1F",
        "warning",
        "a4",
        "小心地滑",
        "Caution: Wet Floor",
        &[SignStep::Translate, SignStep::Review],
    ),
    (
        "science_popularization",
        "1F",
        "direction",
        "a3",
        "展示厅 →",
        "Exhibition Hall →",
        &[SignStep::Translate],
    ),
    (
        "science_popularization",
        "1F",
        "information",
        "a4",
        "展示厅开放时间：周二至周日 9:00–17:00",
        "",
        &[],
    ),
];

/// Adds the demo signs if the registry is empty; how many were added.
pub async fn load(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    if !service::page(state, center_id, &service::Filter::default(), "", 1).await?.is_empty() {
        return Ok(0);
    }
    let Some(admin) = super::admin_user(state, center_id).await? else {
        return Ok(0);
    };
    let zones = centers::zones(state, center_id).await?;
    for (zone, floor, class, size, zh, en, steps) in SIGNS {
        let zone_id =
            zones.iter().find(|z| z.code == *zone).map(|z| z.id.clone()).unwrap_or_default();
        let input = SignInput::parse(&zone_id, "", floor, class, size, zh, en, "DB5101/T 211—2025")
            .map_err(AppError::Invalid)?;
        let s = service::create(state, who, &admin, center_id, input).await?;
        for step in *steps {
            service::take_step(state, who, &admin, center_id, &s.id, *step, "").await?;
        }
    }
    Ok(SIGNS.len())
}
