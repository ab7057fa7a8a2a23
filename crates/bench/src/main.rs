//! `lumbung-bench`: Lumbung's search against SQLite FTS5 and PostgreSQL
//! full-text search, on the same corpus and the same queries.
//!
//! Every engine answers each query with the first page of 20 ranked hits, the
//! total and the counts of all 11 facets over the whole match set. Queries run
//! one at a time on one thread, after one warm-up pass. See bench/README.md.

mod breakdown;
mod corpus;
mod fts5;
mod ours;
mod postgres;
mod report;
mod scale;
mod stats;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::corpus::Row;
use crate::fts5::{Fts5, Mode};
use crate::postgres::Pg;
use crate::report::{ReportInput, per_query_tsv, report};
use crate::stats::{Measured, mb};

#[derive(Parser)]
#[command(name = "lumbung-bench", about = "Benchmark Lumbung's search against SQLite FTS5 and PostgreSQL")]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    bench: Bench,
}

#[derive(Subcommand)]
enum Cmd {
    /// Internal: open an index, run the queries, print latencies and memory.
    #[command(hide = true)]
    Probe {
        #[arg(long)]
        index: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

#[derive(Args, Clone)]
struct Bench {
    /// Cases in the corpus: the Participedia cases plus generated ones up to this many.
    #[arg(long, default_value_t = 100_000)]
    cases: usize,
    /// Queries (1–4 words each).
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Folder for report.md, queries.tsv and postgres-explain.txt.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed of the generated cases, the classification and the queries.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The Participedia CSV (id,title,description,url); relative paths are
    /// tried from the current folder, then from the repository root.
    #[arg(long, default_value = "../shared/data/participedia/cases.csv")]
    participedia: PathBuf,
    /// PostgreSQL server (the benchmark creates and drops the database `lumbung_bench`).
    #[arg(long, env = "LUMBUNG_BENCH_POSTGRES", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres: String,
    /// Skip PostgreSQL.
    #[arg(long)]
    no_postgres: bool,
    /// Skip SQLite FTS5 (for quick runs; the report then has Lumbung only).
    #[arg(long)]
    no_fts5: bool,
    /// Run the benchmark at each of `--scale-sizes` (instead of `--cases`)
    /// and print how each figure grows from one size to the next.
    #[arg(long)]
    scale: bool,
    /// The sizes of `--scale`, smallest first.
    #[arg(long, value_delimiter = ',', default_values_t = [10_000usize, 100_000, 1_000_000])]
    scale_sizes: Vec<usize>,
    /// Working folder for the store, the index and the SQLite database
    /// (default: a temporary folder, removed at the end).
    #[arg(long)]
    work: Option<PathBuf>,
    /// Keep the working folder and the PostgreSQL database.
    #[arg(long)]
    keep: bool,
    /// Before measuring, wait up to this many seconds for the machine to be
    /// idle (1-minute load average below 1).
    #[arg(long, default_value_t = 0)]
    wait_idle: u64,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Some(Cmd::Probe { index, queries, limit }) = &cli.command {
        return ours::probe(index, queries, *limit);
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    if cli.bench.scale { rt.block_on(scale::run(cli.bench)) } else { rt.block_on(bench(cli.bench)).map(|_| ()) }
}

/// One engine's row in the report.
struct EngineResult {
    name: String,
    measured: Measured,
    size: u64,
    build: Duration,
}

fn participedia_path(given: &Path) -> PathBuf {
    if given.is_absolute() || given.exists() {
        return given.to_path_buf();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let candidate = root.join(given);
    if candidate.exists() { candidate } else { given.to_path_buf() }
}

fn say(line: &str) {
    eprintln!("[{}] {line}", time_of_day());
}

fn time_of_day() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    format!("{:02}:{:02}:{:02}", (secs / 3600) % 24, (secs / 60) % 60, secs % 60)
}

/// Waits until the 1-minute load average is below 1, at most `max`.
async fn wait_idle(max: Duration) {
    let started = Instant::now();
    let load = || -> f64 {
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
            .unwrap_or(0.0)
    };
    if load() >= 1.0 {
        say(&format!("waiting for the load average ({}) to fall below 1…", loadavg()));
    }
    while load() >= 1.0 && started.elapsed() < max {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    say(&format!("load average {} after {:.0} s", loadavg(), started.elapsed().as_secs_f64()));
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

async fn measure_sql(queries: &[String], mut run: impl AsyncFnMut(&str) -> Result<stats::Outcome>) -> Result<Measured> {
    for q in queries {
        run(q).await?;
    }
    let mut m = Measured::default();
    for q in queries {
        let t = Instant::now();
        let o = run(q).await?;
        m.latencies.push(t.elapsed());
        m.outcomes.push(o);
    }
    Ok(m)
}

/// One benchmark at `args.cases`: builds, measures, prints the report and
/// returns its key figures.
async fn bench(args: Bench) -> Result<scale::Summary> {
    let mut tmp = None;
    let work = match &args.work {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => {
            let t = tempfile::Builder::new().prefix("lumbung-search-bench.").tempdir()?;
            let path = t.path().to_path_buf();
            tmp = Some(t);
            path
        }
    };
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    }

    // 1. Corpus and queries.
    let started = Instant::now();
    let csv = participedia_path(&args.participedia);
    let mut ids = ulid::Generator::new();
    let mut participedia = corpus::participedia(&csv, args.seed, &mut ids)?;
    participedia.truncate(args.cases);
    let vocabulary = corpus::vocabulary(&participedia);
    let generated =
        lumbung::generate::cases_with(&vocabulary, args.seed, args.cases.saturating_sub(participedia.len()), &mut ids);
    let queries = corpus::queries(&participedia, &generated, args.queries, args.seed);
    let (n_participedia, n_generated) = (participedia.len(), generated.len());
    let mut cases = participedia;
    cases.extend(generated);
    let rows: Vec<Row> = cases.iter().map(Row::from_case).collect();
    let queries_file = work.join("queries.txt");
    std::fs::write(&queries_file, queries.join("\n"))?;
    say(&format!(
        "corpus: {} cases ({n_participedia} Participedia + {n_generated} generated from {} English and {} Indonesian words) and {} queries in {:.1} s",
        cases.len(),
        vocabulary.en.len(),
        vocabulary.id.len(),
        queries.len(),
        started.elapsed().as_secs_f64()
    ));

    // 2a. Lumbung: store, reindex, settle.
    say("Lumbung: writing the store and rebuilding the index…");
    let index_dir = work.join("index");
    let built = ours::build(&work.join("store"), &index_dir, &cases, &queries).await?;
    let index_size = stats::dir_size(&index_dir)?;
    say(&format!(
        "Lumbung: store import {:.1} s, reindex {:.1} s ({} cases), {} segments at commit, {} after merges, index {} MB",
        built.import.as_secs_f64(),
        built.reindex.as_secs_f64(),
        built.indexed,
        built.segments_at_commit,
        built.segments_settled,
        mb(index_size)
    ));

    // 2b. SQLite FTS5.
    let mut fts: Option<(Fts5, Duration, u64)> = None;
    if !args.no_fts5 {
        say("SQLite FTS5: building…");
        let (f, fts_build) = Fts5::build(&work.join("fts5.db"), &rows).await?;
        let fts_size = f.size();
        say(&format!("SQLite FTS5: built in {:.1} s, {} MB", fts_build.as_secs_f64(), mb(fts_size)));
        fts = Some((f, fts_build, fts_size));
    }

    // 2c. PostgreSQL.
    let mut pg: Option<Pg> = None;
    let mut pg_note = String::new();
    let mut pg_build = Duration::ZERO;
    if args.no_postgres {
        pg_note = "PostgreSQL skipped (--no-postgres).".into();
    } else {
        match Pg::reachable(&args.postgres).await {
            Err(e) => {
                pg_note =
                    format!("PostgreSQL is unreachable at {}: {e:#}. It is left out of this report.", args.postgres);
                say(&pg_note);
            }
            Ok(()) => {
                say("PostgreSQL: building…");
                let (p, took) = Pg::build(&args.postgres, &rows).await?;
                pg_build = took;
                pg = Some(p);
                say(&format!("PostgreSQL: built in {:.1} s", took.as_secs_f64()));
            }
        }
    }
    drop(rows);
    drop(cases);

    // 3. Measurements.
    if args.wait_idle > 0 {
        wait_idle(Duration::from_secs(args.wait_idle)).await;
    }
    let load_before = loadavg();
    say("Lumbung: measuring in a fresh process…");
    let probe = ours::run_probe(&index_dir, &queries_file, 20)?;
    let mut results = vec![EngineResult {
        name: "Lumbung (tantivy)".into(),
        measured: probe.measured.clone(),
        size: index_size,
        build: built.reindex,
    }];
    if let Some((f, fts_build, fts_size)) = fts.as_mut() {
        for mode in [Mode::Any, Mode::All] {
            say(&format!("SQLite FTS5 ({}): measuring…", mode.label()));
            let m = measure_sql(&queries, async |q| f.run(q, mode).await).await?;
            results.push(EngineResult {
                name: format!("SQLite FTS5, {}", mode.label()),
                measured: m,
                size: *fts_size,
                build: *fts_build,
            });
        }
    }
    let mut pg_sizes = None;
    let mut explain = String::new();
    if let Some(p) = pg.as_mut() {
        p.checkpoint().await?;
        for mode in [Mode::Any, Mode::All] {
            say(&format!("PostgreSQL ({}): measuring…", mode.label()));
            let m = measure_sql(&queries, async |q| p.run(q, mode).await).await?;
            results.push(EngineResult {
                name: format!("PostgreSQL, {}", mode.label()),
                measured: m,
                size: 0,
                build: pg_build,
            });
        }
        let sizes = p.sizes().await?;
        for r in results.iter_mut().filter(|r| r.name.starts_with("PostgreSQL")) {
            r.size = sizes.0;
        }
        pg_sizes = Some(sizes);
        // The plans of the slowest any-word query, for diagnosis.
        if let Some(r) = results.iter().find(|r| r.name == "PostgreSQL, any word") {
            if let Some((i, _)) = r.measured.latencies.iter().enumerate().max_by_key(|(_, l)| **l) {
                if let Some(q) = queries.get(i) {
                    explain = format!("-- query: {q}\n{}", p.explain(q, Mode::Any).await?);
                }
            }
        }
    }
    let load_after = loadavg();
    if let Some((f, _, _)) = fts {
        f.close().await?;
    }
    if let Some(p) = pg {
        p.finish(args.keep).await?;
    }

    // 4. Report.
    let report = report(&ReportInput {
        args: &args,
        n_participedia,
        n_generated,
        vocabulary: (vocabulary.en.len(), vocabulary.id.len()),
        queries: &queries,
        results: &results,
        built: &built,
        probe: &probe,
        pg_note: &pg_note,
        pg_sizes,
        load: (load_before, load_after),
    });
    println!("{report}");
    if let Some(out) = &args.out {
        std::fs::write(out.join("report.md"), &report)?;
        std::fs::write(out.join("queries.tsv"), per_query_tsv(&queries, &results, &probe.breakdown))?;
        if !explain.is_empty() {
            std::fs::write(out.join("postgres-explain.txt"), &explain)?;
        }
        say(&format!("wrote {}", out.join("report.md").display()));
    }
    let summary = scale::Summary::of(n_participedia + n_generated, &results, &built, &probe, index_size);
    if args.keep {
        if let Some(t) = tmp {
            let _ = t.keep();
        }
        say(&format!("kept {}", work.display()));
    }
    Ok(summary)
}
