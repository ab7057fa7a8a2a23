//! `--scale`: the benchmark at several library sizes in one go, and a table
//! of how each figure grows from one size to the next, so the cost curve is
//! on record.

use std::fmt::Write as _;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::stats::{Latency, mb, ms};
use crate::{Bench, EngineResult, bench, ours, say};

/// The key figures of one run.
#[derive(Debug, Clone)]
pub struct Summary {
    pub cases: usize,
    pub lumbung: Latency,
    /// (engine name, latency) of the other engines measured.
    pub others: Vec<(String, Latency)>,
    /// Lumbung's steps: matching, + ranking, + facets.
    pub matching: Latency,
    pub ranking: Latency,
    pub facets: Latency,
    pub index_bytes: u64,
    pub segments_written: usize,
    pub segments: usize,
    pub target: usize,
    /// Unreferenced index files after the reindex (and settling).
    pub unreferenced: usize,
    pub reindex: Duration,
    pub rss_kb: u64,
    pub median_total: u64,
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

impl Summary {
    pub fn of(
        cases: usize,
        results: &[EngineResult],
        built: &ours::Built,
        probe: &ours::Probe,
        index_bytes: u64,
    ) -> Summary {
        let b = &probe.breakdown;
        Summary {
            cases,
            lumbung: Latency::of(&probe.measured.latencies),
            others: results.iter().skip(1).map(|e| (e.name.clone(), Latency::of(&e.measured.latencies))).collect(),
            matching: Latency::of(&b.iter().map(|s| s.count).collect::<Vec<_>>()),
            ranking: Latency::of(&b.iter().map(|s| s.top).collect::<Vec<_>>()),
            facets: Latency::of(&b.iter().map(|s| s.top_facets).collect::<Vec<_>>()),
            index_bytes,
            segments_written: built.segments_written,
            segments: built.segments_settled,
            target: built.layout.target,
            unreferenced: built.unreferenced_settled,
            reindex: built.reindex,
            rss_kb: probe.rss_queried_kb,
            median_total: median(probe.measured.outcomes.iter().map(|o| o.total).collect()),
        }
    }
}

/// Runs the benchmark at every size of `--scale-sizes`, printing the
/// growth table after each (so an interrupted run still leaves one).
pub async fn run(args: Bench) -> Result<()> {
    let mut done: Vec<Summary> = Vec::new();
    for &cases in &args.scale_sizes {
        let mut one = args.clone();
        one.cases = cases;
        one.scale = false;
        one.out = args.out.as_ref().map(|o| o.join(format!("cases-{cases}")));
        one.work = args.work.as_ref().map(|w| w.join(format!("cases-{cases}")));
        say(&format!("scale: {cases} cases"));
        done.push(bench(one.clone()).await?);
        if let (Some(work), false) = (&one.work, args.keep) {
            std::fs::remove_dir_all(work).with_context(|| format!("cannot remove {}", work.display()))?;
        }
        let table = table(&done, &args);
        eprintln!("{table}");
        if let Some(out) = &args.out {
            std::fs::create_dir_all(out)?;
            std::fs::write(out.join("scale.md"), &table)?;
        }
    }
    println!("{}", table(&done, &args));
    Ok(())
}

fn growth(a: f64, b: f64) -> String {
    if a <= 0.0 { "–".into() } else { format!("{:.1}×", b / a) }
}

/// Figures by size, with the growth from each size to the next.
pub fn table(runs: &[Summary], args: &Bench) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Search at scale: {} queries, seed {}\n", args.queries, args.seed);
    let mut head = String::from("| |");
    let mut rule = String::from("| --- |");
    for (i, r) in runs.iter().enumerate() {
        if i > 0 {
            head.push_str(" growth |");
            rule.push_str(" ---: |");
        }
        let _ = write!(head, " {} cases |", r.cases);
        rule.push_str(" ---: |");
    }
    let _ = writeln!(s, "{head}\n{rule}");
    type Figure = (String, Box<dyn Fn(&Summary) -> (String, f64)>);
    let lat = |name: &str, pick: fn(&Summary) -> Option<Latency>| -> Vec<Figure> {
        vec![
            (
                format!("{name} p50 ms"),
                Box::new(move |r: &Summary| pick(r).map_or(("–".into(), 0.0), |l| (ms(l.p50), l.p50.as_secs_f64())))
                    as Box<dyn Fn(&Summary) -> (String, f64)>,
            ),
            (
                format!("{name} p99 ms"),
                Box::new(move |r: &Summary| pick(r).map_or(("–".into(), 0.0), |l| (ms(l.p99), l.p99.as_secs_f64()))),
            ),
        ]
    };
    let mut figures: Vec<Figure> = Vec::new();
    figures.extend(lat("Lumbung (11 facets, page of 20)", |r| Some(r.lumbung)));
    let names: Vec<String> =
        runs.first().map(|r| r.others.iter().map(|(n, _)| n.clone()).collect()).unwrap_or_default();
    for name in names {
        let n = name.clone();
        figures.push((
            format!("{name} p50 ms"),
            Box::new(move |r: &Summary| {
                r.others
                    .iter()
                    .find(|(o, _)| *o == n)
                    .map_or(("–".into(), 0.0), |(_, l)| (ms(l.p50), l.p50.as_secs_f64()))
            }),
        ));
        let n = name.clone();
        figures.push((
            format!("{name} p99 ms"),
            Box::new(move |r: &Summary| {
                r.others
                    .iter()
                    .find(|(o, _)| *o == n)
                    .map_or(("–".into(), 0.0), |(_, l)| (ms(l.p99), l.p99.as_secs_f64()))
            }),
        ));
    }
    figures.extend(lat("Lumbung: matching", |r| Some(r.matching)));
    figures.extend(lat("Lumbung: + ranking", |r| Some(r.ranking)));
    figures.extend(lat("Lumbung: + 11 facets", |r| Some(r.facets)));
    figures.push((
        "median matches per query".into(),
        Box::new(|r: &Summary| (r.median_total.to_string(), r.median_total as f64)),
    ));
    figures.push(("index MB".into(), Box::new(|r: &Summary| (mb(r.index_bytes), r.index_bytes as f64))));
    figures.push((
        "segments written / after reindex (target)".into(),
        Box::new(|r: &Summary| (format!("{} / {} ({})", r.segments_written, r.segments, r.target), r.segments as f64)),
    ));
    figures.push((
        "unreferenced files after reindex".into(),
        Box::new(|r: &Summary| (r.unreferenced.to_string(), r.unreferenced as f64)),
    ));
    figures.push((
        "reindex s".into(),
        Box::new(|r: &Summary| (format!("{:.1}", r.reindex.as_secs_f64()), r.reindex.as_secs_f64())),
    ));
    figures.push((
        "resident after the queries MB".into(),
        Box::new(|r: &Summary| ((r.rss_kb / 1024).to_string(), r.rss_kb as f64)),
    ));
    for (name, f) in &figures {
        let mut line = format!("| {name} |");
        let mut prev: Option<f64> = None;
        for r in runs {
            let (text, value) = f(r);
            if let Some(p) = prev {
                let _ = write!(line, " {} |", growth(p, value));
            }
            let _ = write!(line, " {text} |");
            prev = Some(value);
        }
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(
        s,
        "\nEach column is one run of the benchmark at that size (same seed and query count; the per-size reports \
         are in `cases-N/report.md` under `--out`). *growth*: the figure at this size ÷ the figure at the size \
         before. Lumbung's steps are cumulative (matching, then + ranking the first page, then + counting 11 facets), \
         timed with tantivy directly."
    );
    s
}
