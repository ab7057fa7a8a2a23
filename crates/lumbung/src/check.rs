//! `lumbung check` (store integrity, and the search index against the store)
//! and `lumbung reindex`.

use anyhow::{Result, bail};
use lumbung_search::SearchIndex;
use lumbung_store::Store;

use crate::cli::{CheckArgs, DataArgs, load_config};
use crate::import::progress_bar;

async fn open(data: &DataArgs) -> Result<Store> {
    let config = load_config(data, None)?;
    if !Store::exists(&config.server.data, config.store.database.as_deref()).await? {
        match &config.store.database {
            Some(url) => bail!("no Lumbung store in {}", lumbung_store::redact(url)),
            None => bail!("no Lumbung store in {}", config.server.data.display()),
        }
    }
    config.open_store().await
}

pub async fn run(args: CheckArgs) -> Result<()> {
    let store = open(&args.data).await?;
    let report = store.check().await?;
    println!("{} cases, {} revisions, {} change-log entries", report.cases, report.revisions, report.changes);
    let mut problems = report.problems;
    let search = SearchIndex::open_for(&store)
        .map_err(|e| anyhow::anyhow!("{e} (is a server using this node? stop it first)"))?;
    // What a crash, an interrupted merge or an older version left on disk
    // before anything writes to the index…
    let before = search.layout()?;
    // Changes the index has not seen yet are not differences: a running
    // server would apply them within a second. (Committing them deletes
    // unreferenced files too.)
    search.sync(&store, &|_| {}).await?;
    let layout = search.layout()?;
    if layout.unreferenced.len() < before.unreferenced.len() {
        println!(
            "search index files: catching up removed {} unreferenced file(s) ({:.1} MB) an earlier process left",
            before.unreferenced.len() - layout.unreferenced.len(),
            before.unreferenced_bytes.saturating_sub(layout.unreferenced_bytes) as f64 / 1_048_576.0
        );
    }
    println!("search index layout: {layout}");
    if !layout.unreferenced.is_empty() {
        if args.repair {
            search.tidy()?;
            let after = search.layout()?;
            println!(
                "search index files: removed {} unreferenced file(s) ({:.1} MB); now {after}",
                layout.unreferenced.len() - after.unreferenced.len(),
                layout.unreferenced_bytes as f64 / 1_048_576.0
            );
            if !after.unreferenced.is_empty() {
                problems.push(format!("{} unreferenced index file(s) could not be removed", after.unreferenced.len()));
            }
        } else {
            for file in layout.unreferenced.iter().take(20) {
                problems.push(format!("index file {} belongs to no segment of the index", file.display()));
            }
            problems.push(format!(
                "{} unreferenced index file(s) ({:.1} MB); run `lumbung check --repair` to remove them",
                layout.unreferenced.len(),
                layout.unreferenced_bytes as f64 / 1_048_576.0
            ));
        }
    }
    let (missing, extra) = search.compare(&store).await?;
    if missing.is_empty() && extra.is_empty() {
        println!("search index: {} published cases, in step with the store", search.case_count()?);
        if args.repair && layout.segments() > layout.target {
            let after = search.compact()?;
            println!("search index layout: segments merged; now {after}");
        }
    } else if args.repair {
        let rebuilt = search.rebuild(&store, &|_| {}).await?;
        println!(
            "search index repaired: {} missing and {} extra case(s) before; {} published cases indexed; {}",
            missing.len(),
            extra.len(),
            rebuilt.indexed,
            rebuilt.layout
        );
        if !rebuilt.layout.is_clean() {
            problems.push(format!("the rebuilt search index is not as promised: {}", rebuilt.layout));
        }
    } else {
        for id in missing.iter().take(20) {
            problems.push(format!("case {id} is published but not in the search index"));
        }
        for id in extra.iter().take(20) {
            problems.push(format!("case {id} is in the search index but not published"));
        }
        problems.push(format!(
            "search index differs from the store ({} missing, {} extra); run `lumbung check --repair`",
            missing.len(),
            extra.len()
        ));
    }
    for p in &problems {
        println!("problem: {p}");
    }
    store.close().await;
    if problems.is_empty() {
        println!("ok: the store is consistent");
        Ok(())
    } else {
        bail!("{} problem(s) found", problems.len())
    }
}

pub async fn reindex(args: DataArgs) -> Result<()> {
    let store = open(&args).await?;
    let search = SearchIndex::open_for(&store)?;
    let started = std::time::Instant::now();
    let bar = progress_bar(store.case_count().await? as u64);
    let rebuilt = search.rebuild(&store, &|read| bar.set_position(read as u64)).await?;
    bar.finish_and_clear();
    println!(
        "indexed {} published cases in {:.1} s; {} segments written, merged into {}",
        rebuilt.indexed,
        started.elapsed().as_secs_f64(),
        rebuilt.written_segments,
        rebuilt.layout
    );
    store.close().await;
    if !rebuilt.layout.is_clean() {
        bail!(
            "the rebuilt search index is not as promised (target {} segments, no unreferenced files)",
            rebuilt.layout.target
        );
    }
    Ok(())
}
