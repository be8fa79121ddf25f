//! Webhook pages: the caller's subscriptions (the center's for admins,
//! their enterprise's for its members), a new one (its secret shown once),
//! and each subscription's deliveries with "send again".

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::service::{self, Delivery, Subscription};
use crate::auth::Perm;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::form::{FormErrors, Pairs, again, refusal};
use crate::web::{PageCtx, render};
use crate::webhooks::EventType;

#[derive(Template)]
#[template(path = "enterprises/webhooks.html")]
pub struct HooksPage {
    pub ctx: PageCtx,
    pub subs: Vec<(Subscription, Vec<Delivery>)>,
    /// The secret of the subscription just made (shown once).
    pub secret: String,
    pub tz: jiff::tz::TimeZone,
    pub form: Pairs,
    pub errors: FormErrors,
    pub alert: String,
}

impl HooksPage {
    pub fn events(&self) -> &'static [EventType] {
        EventType::ALL
    }
    pub fn when(&self, ms: &i64) -> String {
        crate::clock::Instant(*ms).display_in(&self.tz)
    }
    pub fn status_label(&self, s: &str) -> String {
        self.ctx.t(format!("webhook-status-{s}"))
    }
}

async fn page(state: &AppState, ctx: PageCtx) -> AppResult<HooksPage> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageWebhooks)?;
    let mut subs = vec![];
    for s in service::list(state, &user, &center_id).await? {
        let d = service::deliveries(state, &user, &center_id, &s.id, (i64::MAX, ""), 20).await?;
        subs.push((s, d));
    }
    let tz = crate::domains::centers::service::tz(state, &center_id).await?;
    Ok(HooksPage {
        ctx,
        subs,
        secret: String::new(),
        tz,
        form: Pairs(vec![]),
        errors: FormErrors::default(),
        alert: String::new(),
    })
}

pub async fn index(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    Ok(render(&page(&state, ctx).await?)?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageWebhooks)?;
    let f = Pairs(pairs);
    let result =
        service::create(&state, &ctx.0.who(), &user, &center_id, &f.get("url"), &f.all("events"))
            .await;
    match result {
        Ok((_, secret)) => {
            let mut p = page(&state, ctx).await?;
            p.secret = secret;
            Ok(render(&p)?.into_response())
        }
        Err(e) => {
            let (status, errors, alert) = refusal(e, ctx.lang())?;
            let mut p = page(&state, ctx).await?;
            p.form = f;
            p.errors = errors;
            p.alert = alert;
            again(status, &p)
        }
    }
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageWebhooks)?;
    service::remove(&state, &ctx.0.who(), &user, &center_id, &id).await?;
    Ok(Redirect::to("/services/webhooks").into_response())
}

pub async fn redeliver(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (user, center_id) = ctx.0.require_center(Perm::ManageWebhooks)?;
    service::redeliver(&state, &ctx.0.who(), &user, &center_id, &id).await?;
    Ok(Redirect::to("/services/webhooks").into_response())
}
