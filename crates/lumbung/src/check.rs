//! `lumbung check`: verify the store's integrity and report every problem.

use anyhow::{Result, bail};
use lumbung_store::Store;

use crate::cli::{DataArgs, load_config};

pub async fn run(args: DataArgs) -> Result<()> {
    let config = load_config(&args, None)?;
    if !config.server.data.join(lumbung_store::DB_FILE).exists() {
        bail!("no Lumbung store in {}", config.server.data.display());
    }
    let store = Store::open(&config.server.data).await?;
    let report = store.check().await?;
    println!("{} cases, {} revisions, {} change-log entries", report.cases, report.revisions, report.changes);
    for p in &report.problems {
        println!("problem: {p}");
    }
    if report.is_ok() {
        println!("ok: the store is consistent");
        Ok(())
    } else {
        bail!("{} problem(s) found", report.problems.len())
    }
}
