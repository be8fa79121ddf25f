//! One unit of write, the only way a service changes the database:
//!
//! ```text
//! let mut w = Write::begin(state, who).await?;   // write transaction (+ SQLite write turn)
//! store::insert_thing(&mut w, …).await?;          // the change, through the domain's store
//! w.audit(Some(center), "thing", &id, "create", json!({…})).await?;
//! w.notify(&user_id, &message).await?;            // in-app row now, e-mail queued
//! w.commit().await?;                              // commit, then deliver what was queued
//! ```
//!
//! Audit rows and in-app notifications are written in the same transaction
//! as the change, so none exists without the other; e-mail leaves only after
//! the commit, so nobody is told of a change that was rolled back. Dropping
//! a `Write` without committing rolls everything back and sends nothing.
//! It is the single place a change of the write path (SQLite's write turn,
//! an outbox table, group commit) would touch.

use serde_json::Value;

use crate::audit::{self, Entry, Who};
use crate::clock::Instant;
use crate::db::Tx;
use crate::notify::{self, Mailer, Message, Outgoing};
use crate::state::AppState;

pub struct Write {
    tx: Tx,
    now: Instant,
    who: Who,
    mailer: Mailer,
    outbox: Vec<Outgoing>,
    hooks: std::sync::Arc<tokio::sync::Notify>,
    hooked: bool,
}

impl Write {
    /// Opens the write transaction for a change made by `who`, now.
    pub async fn begin(state: &AppState, who: &Who) -> Result<Write, sqlx::Error> {
        Ok(Write {
            tx: state.db.begin_write().await?,
            now: state.clock.now(),
            who: who.clone(),
            mailer: state.mailer.clone(),
            outbox: vec![],
            hooks: state.hooks.clone(),
            hooked: false,
        })
    }

    /// The instant of this change, for every row it writes.
    pub fn now(&self) -> Instant {
        self.now
    }

    pub fn who(&self) -> &Who {
        &self.who
    }

    /// Records the change in the audit log (who, when, center, entity,
    /// action, and a summary of what changed).
    pub async fn audit(
        &mut self,
        center_id: Option<&str>,
        entity: &str,
        entity_id: &str,
        action: &str,
        summary: Value,
    ) -> Result<(), sqlx::Error> {
        let entry = Entry { center_id, entity, entity_id, action, summary };
        audit::record(&mut self.tx, &self.who, self.now, entry).await
    }

    /// Tells a user: the in-app notification is written now, its e-mail
    /// copy (in the user's language) leaves after the commit.
    pub async fn notify(&mut self, user_id: &str, message: &Message) -> Result<(), sqlx::Error> {
        if let Some(mail) = notify::record(&mut self.tx, user_id, message, self.now).await? {
            self.outbox.push(mail);
        }
        Ok(())
    }

    /// Queues e-mail to someone without an account (a registrant, a requester).
    pub fn mail(&mut self, mails: impl IntoIterator<Item = Outgoing>) {
        self.outbox.extend(mails);
    }

    /// Queues a webhook event for the subscriptions that want it, in this
    /// change's transaction (`webhooks::enqueue`); the worker is woken after
    /// the commit.
    pub async fn hook(
        &mut self,
        center_id: &str,
        enterprise_id: Option<&str>,
        event: crate::webhooks::EventType,
        data: Value,
    ) -> Result<(), sqlx::Error> {
        let now = self.now;
        let n = crate::webhooks::enqueue(&mut self.tx, now, center_id, enterprise_id, event, data)
            .await?;
        self.hooked |= n > 0;
        Ok(())
    }

    /// Commits the change, then delivers what was queued.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        if self.hooked {
            self.hooks.notify_one();
        }
        notify::deliver(&self.mailer, self.outbox);
        Ok(())
    }

    /// Rolls back, sending nothing (dropping does the same).
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for Write {
    type Target = Tx;
    fn deref(&self) -> &Tx {
        &self.tx
    }
}

impl std::ops::DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}
