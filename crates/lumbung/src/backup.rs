//! `lumbung backup`, `lumbung restore` and `lumbung migrate-store`: keeping a
//! node and moving it between SQLite and PostgreSQL.

use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use lumbung_store::{CopyReport, Store, StoreError};

use crate::cli::{BackupArgs, MigrateStoreArgs, RestoreArgs, load_config};

fn print_report(verb: &str, r: &CopyReport) {
    let tables: Vec<String> = r.rows.iter().filter(|(_, n)| **n > 0).map(|(t, n)| format!("{t} {n}")).collect();
    println!("{verb} {} rows ({})", r.total(), tables.join(", "));
    if r.files > 0 {
        println!("{verb} {} uploaded files", r.files);
    }
    if !r.missing_files.is_empty() {
        eprintln!(
            "warning: {} uploaded file(s) that resources name are missing from the source's data folder: {}",
            r.missing_files.len(),
            r.missing_files.join(", ")
        );
    }
}

fn explain(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Invalid(errors) => {
            anyhow::anyhow!(errors.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "))
        }
        other => other.into(),
    }
}

pub async fn backup(args: BackupArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    if !Store::exists(&config.server.data, config.store.database.as_deref()).await? {
        bail!("no Lumbung store to back up in {}", config.server.data.display());
    }
    let store = config.open_store().await?;
    // Write beside the target and rename at the end: a failed backup never
    // leaves a truncated file under the name asked for.
    let partial = partial_path(&args.out);
    let file = std::fs::File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut out = BufWriter::new(file);
    let report = store.backup(&mut out).await;
    store.close().await;
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(explain(e));
        }
    };
    let file = out.into_inner().map_err(|e| anyhow::anyhow!("cannot write {}: {e}", partial.display()))?;
    file.sync_all()?;
    std::fs::rename(&partial, &args.out)?;
    print_report(&format!("backed up to {}:", args.out.display()), &report);
    Ok(())
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

pub async fn restore(args: RestoreArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let file = std::fs::File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let store = config.open_store().await?;
    let report = store.restore(BufReader::new(file), args.force).await;
    if report.is_ok() {
        store.optimize().await?;
    }
    store.close().await;
    let report = report.map_err(explain)?;
    print_report("restored", &report);
    println!("the search index is rebuilt when the node next starts (or run `lumbung reindex`)");
    Ok(())
}

pub async fn migrate_store(args: MigrateStoreArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let open = |url: String| {
        let dir = config.server.data.clone();
        async move {
            let url = as_url(&url);
            let exists = Store::exists(&dir, Some(&url)).await?;
            Ok::<_, anyhow::Error>((Store::connect(&dir, Some(&url)).await?, exists))
        }
    };
    let (from, exists) = open(args.from.clone()).await?;
    if !exists {
        bail!("no Lumbung store at {}", lumbung_store::redact(&args.from));
    }
    let (to, _) = open(args.to.clone()).await?;
    let report = from.copy_into(&to, args.force).await;
    if report.is_ok() {
        to.optimize().await?;
    }
    from.close().await;
    to.close().await;
    let report = report.map_err(explain)?;
    print_report(
        &format!("copied {} → {}:", lumbung_store::redact(&args.from), lumbung_store::redact(&args.to)),
        &report,
    );
    Ok(())
}

/// A database URL, or a data folder meaning the SQLite file in it.
fn as_url(s: &str) -> String {
    if s.contains("://") {
        s.to_owned()
    } else {
        format!("sqlite://{}", Path::new(s).join(lumbung_store::DB_FILE).display())
    }
}
