//! Browsing the audit log (admins, their own center). Writing it is
//! `crate::audit`'s job, done inside every change's transaction.

pub mod handlers;
pub mod views;
