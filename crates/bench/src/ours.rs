//! Lumbung's search: the store written as an import would, the index built
//! by `SearchIndex::rebuild`, and queries through `SearchIndex::search`.
//!
//! Queries are measured in a child process (this binary's hidden `probe`
//! command) that opens the finished index as a node does on start, so its
//! resident memory is the index's and not the benchmark's corpus.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use lumbung_core::Case;
use lumbung_search::{SearchIndex, SearchRequest};
use lumbung_store::{ImportMode, Store};

use crate::breakdown::{self, Split};
use crate::stats::{Measured, Outcome, proc_status_kb};

/// The request the benchmark sends: first page of 20, English reader.
pub fn request(q: &str, limit: usize) -> SearchRequest {
    SearchRequest { q: q.to_owned(), lang: "en".to_owned(), limit, ..Default::default() }
}

/// One search with every facet counted.
pub fn run(index: &SearchIndex, q: &str, limit: usize) -> Result<Outcome> {
    let res = index.search(&request(q, limit))?;
    let facets: BTreeMap<String, BTreeMap<String, u64>> =
        res.facets.into_iter().map(|(name, values)| (name.to_owned(), values.into_iter().collect())).collect();
    Ok(Outcome::from_counts(res.total as u64, res.items.len(), &facets))
}

/// A warm-up pass, then each query timed on its own.
pub fn measure(index: &SearchIndex, queries: &[String], limit: usize) -> Result<Measured> {
    for q in queries {
        run(index, q, limit)?;
    }
    let mut m = Measured::default();
    for q in queries {
        let t = Instant::now();
        let o = run(index, q, limit)?;
        m.latencies.push(t.elapsed());
        m.outcomes.push(o);
    }
    Ok(m)
}

/// What building Lumbung's side took.
pub struct Built {
    pub import: Duration,
    pub reindex: Duration,
    pub indexed: usize,
    /// Segments the rebuild wrote before merging them.
    pub segments_written: usize,
    /// The index as the rebuild left it (segments, target, unreferenced files).
    pub layout: lumbung_search::Layout,
    /// Unreferenced files once background merges have settled.
    pub unreferenced_settled: usize,
    /// Segments in the index when the rebuild returned (it merges them into
    /// one), and once background merges have settled.
    pub segments_at_commit: usize,
    pub segments_settled: usize,
    pub settle_wait: Duration,
    /// Latencies on the index as rebuilt (the reader sees the segments as
    /// the rebuild left them), measured in this process.
    pub as_rebuilt: Measured,
}

/// Writes `cases` into a new store in `store_dir` (batches of 1000, as an
/// import does) and rebuilds the index in `index_dir` from it.
pub async fn build(store_dir: &Path, index_dir: &Path, cases: &[Case], queries: &[String]) -> Result<Built> {
    let store = Store::open(store_dir).await?;
    let started = Instant::now();
    for batch in cases.chunks(1_000) {
        let outcome = store.import_cases(batch, ImportMode::ById, None).await?;
        if !outcome.skipped.is_empty() {
            bail!("the store skipped {} cases: {:?}", outcome.skipped.len(), outcome.skipped.first());
        }
    }
    let import = started.elapsed();
    let index = SearchIndex::open(index_dir)?;
    let started = Instant::now();
    let rebuilt = index.rebuild(&store, &|_| {}).await?;
    let reindex = started.elapsed();
    let segments_at_commit = segments(index_dir)?;
    let started = Instant::now();
    settle(index_dir)?;
    let settle_wait = started.elapsed();
    let segments_settled = segments(index_dir)?;
    let unreferenced_settled = index.layout()?.unreferenced.len();
    let as_rebuilt = measure(&index, queries, 20)?;
    drop(index);
    store.close().await;
    Ok(Built {
        import,
        reindex,
        indexed: rebuilt.indexed,
        segments_written: rebuilt.written_segments,
        layout: rebuilt.layout,
        unreferenced_settled,
        segments_at_commit,
        segments_settled,
        settle_wait,
        as_rebuilt,
    })
}

/// Segments listed in the index's meta.json.
pub fn segments(index_dir: &Path) -> Result<usize> {
    let meta = std::fs::read_to_string(index_dir.join("meta.json")).context("index meta.json")?;
    let v: serde_json::Value = serde_json::from_str(&meta)?;
    Ok(v.get("segments").and_then(|s| s.as_array()).map_or(0, Vec::len))
}

/// Waits until tantivy's background merges are done: meta.json and the
/// folder's files unchanged for three seconds (five minutes at most).
fn settle(index_dir: &Path) -> Result<()> {
    let state = || -> Result<(String, Vec<(String, u64)>)> {
        let meta = std::fs::read_to_string(index_dir.join("meta.json"))?;
        let mut files = Vec::new();
        for e in std::fs::read_dir(index_dir)? {
            let e = e?;
            files.push((e.file_name().to_string_lossy().into_owned(), e.metadata()?.len()));
        }
        files.sort();
        Ok((meta, files))
    };
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut last = state()?;
    let mut same = 0;
    while same < 6 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        let now = state()?;
        if now == last {
            same += 1;
        } else {
            same = 0;
            last = now;
        }
    }
    Ok(())
}

/// What the probe process measured.
pub struct Probe {
    pub measured: Measured,
    /// VmRSS (kB) before opening the index, after opening it, after the
    /// warm-up and measured passes; VmHWM (kB) at the end.
    pub rss_start_kb: u64,
    pub rss_open_kb: u64,
    pub rss_queried_kb: u64,
    pub hwm_kb: u64,
    /// VmRSS after the queries split into anonymous memory and mapped files
    /// (the index's pages, shared with the page cache).
    pub rss_anon_kb: u64,
    pub rss_file_kb: u64,
    pub open_time: Duration,
    /// Per query: tantivy alone, matching / + first page / + facets.
    pub breakdown: Vec<Split>,
    /// Documents in each segment the probe's searcher saw.
    pub segment_docs: Vec<u32>,
    /// `search()` latencies with a page of 1 instead of 20.
    pub page_of_one: Vec<Duration>,
}

/// Runs this binary's `probe` command on the index and reads its report.
pub fn run_probe(index_dir: &Path, queries_file: &Path, limit: usize) -> Result<Probe> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .arg("probe")
        .arg("--index")
        .arg(index_dir)
        .arg("--queries")
        .arg(queries_file)
        .arg("--limit")
        .arg(limit.to_string())
        .output()
        .context("cannot start the probe process")?;
    if !out.status.success() {
        bail!("the probe process failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8(out.stdout)?;
    let mut p = Probe {
        measured: Measured::default(),
        rss_start_kb: 0,
        rss_open_kb: 0,
        rss_queried_kb: 0,
        hwm_kb: 0,
        rss_anon_kb: 0,
        rss_file_kb: 0,
        open_time: Duration::ZERO,
        breakdown: Vec::new(),
        segment_docs: Vec::new(),
        page_of_one: Vec::new(),
    };
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |i: usize| -> Result<u64> {
            f.get(i).with_context(|| format!("short probe line: {line}"))?.parse().context("probe number")
        };
        match f.first().copied() {
            Some("rss_start_kb") => p.rss_start_kb = num(1)?,
            Some("rss_open_kb") => p.rss_open_kb = num(1)?,
            Some("rss_queried_kb") => p.rss_queried_kb = num(1)?,
            Some("hwm_kb") => p.hwm_kb = num(1)?,
            Some("open_ns") => p.open_time = Duration::from_nanos(num(1)?),
            Some("q") => {
                p.measured.latencies.push(Duration::from_nanos(num(1)?));
                p.measured.outcomes.push(Outcome {
                    total: num(2)?,
                    hits: num(3)? as usize,
                    completeness_sum: num(4)?,
                    facet_values: num(5)? as usize,
                    split: None,
                });
            }
            Some("b") => p.breakdown.push(Split {
                count: Duration::from_nanos(num(1)?),
                top: Duration::from_nanos(num(2)?),
                top_facets: Duration::from_nanos(num(3)?),
                total: num(4)?,
                count_plain: Duration::from_nanos(num(5)?),
                total_plain: num(6)?,
            }),
            Some("rss_anon_kb") => p.rss_anon_kb = num(1)?,
            Some("rss_file_kb") => p.rss_file_kb = num(1)?,
            Some("seg") => p.segment_docs.push(num(1)? as u32),
            Some("one") => p.page_of_one.push(Duration::from_nanos(num(1)?)),
            _ => {}
        }
    }
    Ok(p)
}

/// The probe command: open the index, warm up, measure, print tab-separated lines.
pub fn probe(index_dir: &Path, queries_file: &Path, limit: usize) -> Result<()> {
    let queries: Vec<String> = std::fs::read_to_string(queries_file)?.lines().map(str::to_owned).collect();
    let rss_start = proc_status_kb("VmRSS");
    let t = Instant::now();
    let index = SearchIndex::open(index_dir)?;
    let open_time = t.elapsed();
    let rss_open = proc_status_kb("VmRSS");
    let m = measure(&index, &queries, limit)?;
    let rss_queried = proc_status_kb("VmRSS");
    let (rss_anon, rss_file) = (proc_status_kb("RssAnon"), proc_status_kb("RssFile"));
    let mut out = std::io::stdout().lock();
    writeln!(out, "rss_start_kb\t{rss_start}")?;
    writeln!(out, "rss_open_kb\t{rss_open}")?;
    writeln!(out, "rss_queried_kb\t{rss_queried}")?;
    writeln!(out, "hwm_kb\t{}", proc_status_kb("VmHWM"))?;
    writeln!(out, "rss_anon_kb\t{rss_anon}")?;
    writeln!(out, "rss_file_kb\t{rss_file}")?;
    writeln!(out, "open_ns\t{}", open_time.as_nanos())?;
    for (l, o) in m.latencies.iter().zip(&m.outcomes) {
        writeln!(out, "q\t{}\t{}\t{}\t{}\t{}", l.as_nanos(), o.total, o.hits, o.completeness_sum, o.facet_values)?;
    }
    for l in measure(&index, &queries, 1)?.latencies {
        writeln!(out, "one\t{}", l.as_nanos())?;
    }
    for docs in breakdown::segments(index_dir)? {
        writeln!(out, "seg\t{docs}")?;
    }
    for b in breakdown::run(&index, &queries)? {
        writeln!(
            out,
            "b\t{}\t{}\t{}\t{}\t{}\t{}",
            b.count.as_nanos(),
            b.top.as_nanos(),
            b.top_facets.as_nanos(),
            b.total,
            b.count_plain.as_nanos(),
            b.total_plain
        )?;
    }
    Ok(())
}
