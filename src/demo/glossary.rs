//! The demo glossary: the official terms of the center's bilingual release,
//! then one check of every text — which finds the slip planted in the
//! Hong Kong-Macao promotion's English ("Tri-Medical innovation centre"),
//! so the findings queue shows a fix to make.

use crate::audit::Who;
use crate::domains::glossary::{finding, term};
use crate::error::AppResult;
use crate::state::AppState;

/// Seeds the terms (once) and checks every text; the terms added.
pub async fn load(state: &AppState, who: &Who, center_id: &str) -> AppResult<usize> {
    let added = term::service::seed(state, who, center_id).await?;
    if added > 0 {
        finding::service::sweep(state, who, center_id).await?;
    }
    Ok(added)
}
