//! Enterprise services: the settled enterprises and their people, the
//! service catalogue (versioned forms, checklists, SLAs), requests with
//! their lifecycle, items, documents, messages and SLA clocks, the R&D
//! white list and its ledger, figures, and webhooks.

pub mod model;
