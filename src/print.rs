//! PDF from our own HTML, printed by headless Chromium (`--print-to-pdf`):
//! what every print-ready document shares (sign sheets now). The page is
//! written to a private temporary folder with its styles inline, printed
//! with no script and no network (the page's own Content-Security-Policy,
//! a proxy to nowhere), and the folder removed; at most two
//! prints run at once, each given 30 seconds.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::AppError;

/// Prints running at once (each Chromium takes a core and ~150 MB).
static PRINTS: Semaphore = Semaphore::const_new(2);
/// How long one print may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Why there is no PDF.
#[derive(Debug)]
pub enum PrintError {
    /// No Chromium at the configured path: an operator's matter, said as such.
    NoBrowser,
    Failed(String),
}

impl From<PrintError> for AppError {
    fn from(e: PrintError) -> AppError {
        match e {
            PrintError::NoBrowser => {
                AppError::Conflict { key: "print-no-browser", conflicts: serde_json::json!({}) }
            }
            PrintError::Failed(why) => AppError::Internal(format!("print failed: {why}")),
        }
    }
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PDF of a whole HTML document (its CSS inline: nothing is fetched).
pub async fn pdf(chromium: &str, html: &str) -> Result<Vec<u8>, PrintError> {
    if !std::path::Path::new(chromium).is_file() {
        return Err(PrintError::NoBrowser);
    }
    let _turn = PRINTS.acquire().await.map_err(|e| PrintError::Failed(e.to_string()))?;
    let dir = std::env::temp_dir().join(format!("liaison-print-{}", uuid::Uuid::now_v7()));
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(|e| PrintError::Failed(e.to_string()))?;
    }
    let scratch = Scratch(dir);
    let page = scratch.0.join("page.html");
    let out = scratch.0.join("page.pdf");
    std::fs::write(&page, html).map_err(|e| PrintError::Failed(e.to_string()))?;
    let mut cmd = tokio::process::Command::new(chromium);
    cmd.args([
        "--headless",
        "--disable-gpu",
        // Only our own escaped HTML is printed; its Content-Security-Policy
        // allows no script and no fetch, and the proxy goes nowhere.
        "--no-sandbox",
        "--disable-extensions",
        "--disable-sync",
        "--disable-crash-reporter",
        "--no-first-run",
        "--no-pdf-header-footer",
        "--proxy-server=127.0.0.1:9",
    ])
    .arg(format!("--user-data-dir={}", scratch.0.join("profile").display()))
    .arg(format!("--print-to-pdf={}", out.display()))
    .arg(format!("file://{}", page.display()))
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .kill_on_drop(true);
    let status = tokio::time::timeout(TIMEOUT, cmd.status())
        .await
        .map_err(|_| PrintError::Failed("timed out".into()))?
        .map_err(|e| PrintError::Failed(e.to_string()))?;
    if !status.success() {
        return Err(PrintError::Failed(format!("chromium exited with {status}")));
    }
    std::fs::read(&out).map_err(|e| PrintError::Failed(e.to_string()))
}
