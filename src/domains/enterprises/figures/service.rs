//! Figures, computed from the requests and their recorded steps.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::domains::centers::service as centers;
use crate::domains::enterprises::catalogue::service as catalogue;
use crate::domains::enterprises::model::flow::Status;
use crate::domains::enterprises::model::percentile;
use crate::domains::enterprises::request::service as requests;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// One service's figures.
#[derive(Debug, Clone)]
pub struct ServiceFigures {
    pub service_type_id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Requests by status.
    pub by_status: BTreeMap<Status, i64>,
    pub total: i64,
    /// Per step (status left): (runs, median days, p90 days, breaches).
    pub steps: Vec<(Status, usize, i64, i64, usize)>,
}

#[derive(Debug, Clone)]
pub struct Figures {
    pub as_of: Date,
    pub services: Vec<ServiceFigures>,
    pub total: i64,
    pub breaches: usize,
    /// Open requests past their due day now (only when `as_of` is today).
    pub overdue_now: Option<usize>,
}

/// The figures up to the end of `as_of` (a day in the center's time zone).
pub async fn figures(state: &AppState, center_id: &str, as_of: Option<Date>) -> AppResult<Figures> {
    let tz = centers::tz(state, center_id).await?;
    let today = requests::today(state, center_id).await?;
    let as_of = as_of.unwrap_or(today);
    let until = as_of
        .tomorrow()
        .ok()
        .and_then(|d| crate::clock::Instant::parse_local_date(&d.to_string(), &tz))
        .map(|t| t.millis())
        .ok_or_else(|| AppError::invalid("as_of", "field-date-out-of-range"))?;
    let types = catalogue::types(state, center_id, false).await?;
    let counts = requests::counts(state, center_id, until).await?;
    let steps = requests::steps_until(state, center_id, until).await?;
    // Days of each run of a step add up per request (review before and after a supplement).
    let mut runs: BTreeMap<(String, String, String), (i64, Option<i64>)> = BTreeMap::new();
    for (t, r, from, days, sla) in steps {
        let e = runs.entry((t, from, r)).or_insert((0, sla));
        e.0 += days;
        if e.1.is_none() {
            e.1 = sla;
        }
    }
    let mut services = vec![];
    let mut breaches_all = 0;
    for t in types {
        let mut by_status = BTreeMap::new();
        for (tid, status, n) in counts.iter().filter(|c| c.0 == t.id) {
            let _ = tid;
            if let Some(s) = Status::parse(status) {
                *by_status.entry(s).or_insert(0) += n;
            }
        }
        let mut per_step: BTreeMap<Status, (Vec<i64>, usize)> = BTreeMap::new();
        for ((tid, from, _), (days, sla)) in &runs {
            if tid != &t.id {
                continue;
            }
            let Some(s) = Status::parse(from) else { continue };
            let e = per_step.entry(s).or_default();
            e.0.push(*days);
            if sla.is_some_and(|l| *days > l) {
                e.1 += 1;
            }
        }
        let steps: Vec<_> = per_step
            .into_iter()
            .map(|(s, (mut d, breaches))| {
                d.sort_unstable();
                breaches_all += breaches;
                (
                    s,
                    d.len(),
                    percentile(&d, 50).unwrap_or(0),
                    percentile(&d, 90).unwrap_or(0),
                    breaches,
                )
            })
            .collect();
        let total = by_status.values().sum();
        services.push(ServiceFigures {
            service_type_id: t.id,
            name_zh: t.name_zh,
            name_en: t.name_en,
            by_status,
            total,
            steps,
        });
    }
    let overdue_now = if as_of == today {
        Some(
            requests::load(state, center_id).await?.iter().map(|(_, _, late)| *late as usize).sum(),
        )
    } else {
        None
    };
    Ok(Figures {
        as_of,
        total: services.iter().map(|s| s.total).sum(),
        services,
        breaches: breaches_all,
        overdue_now,
    })
}
