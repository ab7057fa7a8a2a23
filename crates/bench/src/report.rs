//! The Markdown report and the per-query table.

use std::fmt::Write as _;

use crate::breakdown::Split;
use crate::stats::{Latency, mb, ms};
use crate::{Bench, EngineResult, ours};

pub struct ReportInput<'a> {
    pub args: &'a Bench,
    pub n_participedia: usize,
    pub n_generated: usize,
    /// Distinct English and Indonesian words the generator drew from.
    pub vocabulary: (usize, usize),
    pub queries: &'a [String],
    pub results: &'a [EngineResult],
    pub built: &'a ours::Built,
    pub probe: &'a ours::Probe,
    pub pg_note: &'a str,
    pub pg_sizes: Option<(u64, u64, u64)>,
    pub load: (String, String),
}

fn ratio(a: std::time::Duration, b: std::time::Duration) -> String {
    if b.is_zero() { "–".into() } else { format!("{:.2}", a.as_secs_f64() / b.as_secs_f64()) }
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

pub fn report(r: &ReportInput) -> String {
    let mut s = String::new();
    let n_cases = r.n_participedia + r.n_generated;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let _ = writeln!(s, "# Search benchmark: {n_cases} cases, {} queries\n", r.queries.len());
    let _ = writeln!(
        s,
        "Corpus: {} Participedia cases (English) + {} generated cases (`lumbung::generate`, seed {}, words drawn by \
         frequency from {} English and {} Indonesian words), all published.  ",
        r.n_participedia, r.n_generated, r.args.seed, r.vocabulary.0, r.vocabulary.1
    );
    let _ = writeln!(
        s,
        "Queries: {} of 1–4 words (seed {}), half the words from Participedia, half from the generated text.  ",
        r.queries.len(),
        r.args.seed
    );
    let _ = writeln!(
        s,
        "Each query: the first page of 20 ranked hits, the total, and the counts of all 11 facets over the whole \
         match set. One query at a time on one thread, after one warm-up pass. Machine: {cores} cores; load \
         average before/after the measurements: {} / {}.\n",
        r.load.0, r.load.1
    );
    let _ = writeln!(s, "| engine | p50 ms | p99 ms | mean ms | max ms | queries/s (1 core) | index/DB MB | build s |");
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for e in r.results {
        let l = Latency::of(&e.measured.latencies);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {:.0} | {} | {:.1} |",
            e.name,
            ms(l.p50),
            ms(l.p99),
            ms(l.mean),
            ms(l.max),
            l.qps(),
            mb(e.size),
            e.build.as_secs_f64()
        );
    }
    let _ = writeln!(
        s,
        "\nBuild time: Lumbung = reindex (`SearchIndex::rebuild` from the store; writing the store by \
         `import_cases` in batches of 1000 took {:.1} s before it). FTS5 = tables, inserts, indexes, `optimize`, \
         `ANALYZE`. PostgreSQL = table, inserts (the `tsvector` is computed on insert), GIN and b-tree indexes, \
         `VACUUM ANALYZE`.  ",
        r.built.import.as_secs_f64()
    );
    let _ = writeln!(
        s,
        "*Any word* is the same matching as Lumbung's (plain words are OR-ed); *all words* is each engine's default \
         (FTS5 implicit AND, `websearch_to_tsquery` without `or`), which matches far fewer cases.\n"
    );

    if let Some(ours) = r.results.first() {
        let lo = Latency::of(&ours.measured.latencies);
        let _ = writeln!(s, "## Lumbung ÷ other engine (latency ratio; below 1 = Lumbung faster)\n");
        let _ = writeln!(s, "| against | p50 | p99 | mean |");
        let _ = writeln!(s, "| --- | ---: | ---: | ---: |");
        for e in r.results.iter().skip(1) {
            let l = Latency::of(&e.measured.latencies);
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                e.name,
                ratio(lo.p50, l.p50),
                ratio(lo.p99, l.p99),
                ratio(lo.mean, l.mean)
            );
        }
        let _ = writeln!(s);
    }

    classes_section(&mut s, r, n_cases);

    let b = r.built;
    let p = r.probe;
    let asr = Latency::of(&b.as_rebuilt.latencies);
    let _ = writeln!(s, "## Lumbung details\n");
    let _ = writeln!(
        s,
        "- Reindex {:.1} s for {} cases: {} segments written, merged into the target of {} before it returns \
         ({}); {} segments in `meta.json` then, {} once background merges settled ({:.1} s later), with {} \
         unreferenced files.",
        b.reindex.as_secs_f64(),
        b.indexed,
        b.segments_written,
        b.layout.target,
        b.layout,
        b.segments_at_commit,
        b.segments_settled,
        b.settle_wait.as_secs_f64(),
        b.unreferenced_settled
    );
    let _ = writeln!(
        s,
        "- The table's row: the index opened in a fresh process (as a node starts), in {} ms. VmRSS {} MB at start, \
         {} MB after opening, **{} MB after the warm-up and measured passes** (VmHWM {} MB).",
        ms(p.open_time),
        p.rss_start_kb / 1024,
        p.rss_open_kb / 1024,
        p.rss_queried_kb / 1024,
        p.hwm_kb / 1024
    );
    let _ = writeln!(
        s,
        "- Of those {} MB: {} MB anonymous (heap), {} MB mapped index files (shared with the page cache).",
        p.rss_queried_kb / 1024,
        p.rss_anon_kb / 1024,
        p.rss_file_kb / 1024
    );
    let _ = writeln!(
        s,
        "- On the index as the rebuild left it ({} segments, as the building process's reader sees them until \
         the next commit), measured in the building process: p50 {} ms, p99 {} ms, mean {} ms.\n",
        b.segments_at_commit,
        ms(asr.p50),
        ms(asr.p99),
        ms(asr.mean)
    );

    breakdown_section(&mut s, r);

    let _ = writeln!(s, "## PostgreSQL\n");
    if let Some((table, gin, db)) = r.pg_sizes {
        let _ = writeln!(
            s,
            "Table with TOAST and indexes {} MB (the size in the table above), GIN index alone {} MB, whole database \
             {} MB. Session settings: `max_parallel_workers_per_gather = 0` (one core), `jit = off`, \
             `work_mem = 64MB`.\n",
            mb(table),
            mb(gin),
            mb(db)
        );
    }
    if !r.pg_note.is_empty() {
        let _ = writeln!(s, "**{}**\n", r.pg_note);
    }

    let _ = writeln!(s, "## Sanity\n");
    let _ =
        writeln!(s, "| engine | queries with results | facet check¹ | full pages of 20 | mean total | median total |");
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: |");
    let nq = r.queries.len();
    for e in r.results {
        let o = &e.measured.outcomes;
        let nonzero = o.iter().filter(|o| o.total > 0).count();
        let facets_ok = o.iter().filter(|o| o.completeness_sum == o.total).count();
        let pages = o.iter().filter(|o| o.hits as u64 == o.total.min(20)).count();
        let mean = if o.is_empty() { 0 } else { o.iter().map(|o| o.total).sum::<u64>() / o.len() as u64 };
        let flag = if nonzero * 10 >= nq * 9 { "" } else { " ⚠" };
        let _ = writeln!(
            s,
            "| {} | {nonzero}/{nq}{flag} | {facets_ok}/{nq} | {pages}/{nq} | {mean} | {} |",
            e.name,
            median(o.iter().map(|o| o.total).collect())
        );
    }
    let _ = writeln!(
        s,
        "\n¹ the completeness facet's counts add up to the total (every case has exactly one value). \
         \"Full pages\": the page holds min(total, 20) hits. ⚠ marks fewer than 90% of queries with results: \
         expected for *all words*, where random words rarely occur together.\n"
    );
    let _ = writeln!(s, "Totals of the first queries, side by side:\n");
    let mut head = String::from("| query |");
    let mut rule = String::from("| --- |");
    for e in r.results {
        let _ = write!(head, " {} |", e.name);
        rule.push_str(" ---: |");
    }
    let _ = writeln!(s, "{head}\n{rule}");
    for (i, q) in r.queries.iter().enumerate().take(10) {
        let mut line = format!("| {q} |");
        for e in r.results {
            let _ = write!(line, " {} |", e.measured.outcomes.get(i).map_or(0, |o| o.total));
        }
        let _ = writeln!(s, "{line}");
    }

    let _ = writeln!(s, "\n## Slowest queries\n");
    for e in r.results {
        let mut idx: Vec<usize> = (0..e.measured.latencies.len()).collect();
        idx.sort_by_key(|i| std::cmp::Reverse(e.measured.latencies.get(*i).copied().unwrap_or_default()));
        let worst: Vec<String> = idx
            .iter()
            .take(5)
            .filter_map(|i| {
                let (l, o, q) = (e.measured.latencies.get(*i)?, e.measured.outcomes.get(*i)?, r.queries.get(*i)?);
                Some(format!("\"{q}\" {} ms ({} hits)", ms(*l), o.total))
            })
            .collect();
        let _ = writeln!(s, "- {}: {}", e.name, worst.join("; "));
    }
    s
}

/// One line per query: the words, then each engine's latency (µs) and total.
pub fn per_query_tsv(queries: &[String], results: &[EngineResult], split: &[Split]) -> String {
    let mut s = String::from("query");
    for e in results {
        let _ = write!(s, "\t{} µs\t{} total", e.name, e.name);
    }
    s.push_str(
        "\tLumbung count µs\tLumbung +top µs\tLumbung +facets µs\tLumbung count without glossary µs\tLumbung total without glossary\n",
    );
    for (i, q) in queries.iter().enumerate() {
        s.push_str(q);
        for e in results {
            let l = e.measured.latencies.get(i).map_or(0, |d| d.as_micros());
            let t = e.measured.outcomes.get(i).map_or(0, |o| o.total);
            let _ = write!(s, "\t{l}\t{t}");
        }
        if let Some(b) = split.get(i) {
            let _ = write!(
                s,
                "\t{}\t{}\t{}\t{}\t{}",
                b.count.as_micros(),
                b.top.as_micros(),
                b.top_facets.as_micros(),
                b.count_plain.as_micros(),
                b.total_plain
            );
        }
        s.push('\n');
    }
    s
}

fn per_match_us(latencies: &[std::time::Duration], totals: &[u64]) -> String {
    let time: f64 = latencies.iter().map(|d| d.as_secs_f64()).sum();
    let matches: u64 = totals.iter().sum();
    if matches == 0 { "–".into() } else { format!("{:.3}", time * 1e6 / matches as f64) }
}

/// Where each engine's time goes.
fn breakdown_section(s: &mut String, r: &ReportInput) {
    let _ = writeln!(s, "## Where the time goes\n");
    let p = r.probe;
    let _ = writeln!(s, "| engine: step | p50 ms | p99 ms | mean ms | µs per matching case |");
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: |");
    let totals: Vec<u64> = p.breakdown.iter().map(|b| b.total).collect();
    let mut row = |name: &str, lat: Vec<std::time::Duration>, totals: &[u64]| {
        let l = Latency::of(&lat);
        let _ =
            writeln!(s, "| {name} | {} | {} | {} | {} |", ms(l.p50), ms(l.p99), ms(l.mean), per_match_us(&lat, totals));
    };
    if !p.breakdown.is_empty() {
        let plain: Vec<u64> = p.breakdown.iter().map(|b| b.total_plain).collect();
        row(
            "Lumbung: matching only, without glossary expansion",
            p.breakdown.iter().map(|b| b.count_plain).collect(),
            &plain,
        );
        row("Lumbung: matching only (tantivy Count)", p.breakdown.iter().map(|b| b.count).collect(), &totals);
        row("Lumbung: + rank the first 20 (TopDocs)", p.breakdown.iter().map(|b| b.top).collect(), &totals);
        row("Lumbung: + count 11 facets (FacetCollector)", p.breakdown.iter().map(|b| b.top_facets).collect(), &totals);
        let full: Vec<u64> = p.measured.outcomes.iter().map(|o| o.total).collect();
        if !p.page_of_one.is_empty() {
            row("Lumbung: full `search()`, page of 1", p.page_of_one.clone(), &full);
        }
        row("Lumbung: full `search()`, page of 20 (+ query, snippets, documents)", p.measured.latencies.clone(), &full);
    }
    for e in r.results.iter().skip(1) {
        let splits: Vec<(std::time::Duration, std::time::Duration)> =
            e.measured.outcomes.iter().filter_map(|o| o.split).collect();
        if splits.is_empty() {
            continue;
        }
        let totals: Vec<u64> = e.measured.outcomes.iter().map(|o| o.total).collect();
        row(&format!("{}: first page (ranked, 20)", e.name), splits.iter().map(|s| s.0).collect(), &totals);
        row(&format!("{}: total + 11 facets", e.name), splits.iter().map(|s| s.1).collect(), &totals);
    }
    let same = p.breakdown.iter().zip(&p.measured.outcomes).filter(|(b, o)| b.total == o.total).count();
    let _ = writeln!(
        s,
        "\nLumbung's steps are timed with tantivy directly on the same index, with the query `search()` runs \
         (`SearchIndex::query_for`); its count equals `search()`'s total for {same}/{} queries. \
         Segments seen (documents each): {:?}.\n",
        p.measured.outcomes.len(),
        p.segment_docs
    );
}

/// Latency by how many cases a query matches (Lumbung's total decides the
/// class of a query, for every engine).
fn classes_section(s: &mut String, r: &ReportInput, n_cases: usize) {
    let Some(ours) = r.results.first() else { return };
    let limit = (n_cases as u64).div_ceil(20);
    let narrow: Vec<bool> = ours.measured.outcomes.iter().map(|o| o.total < limit).collect();
    let n_narrow = narrow.iter().filter(|n| **n).count();
    let _ = writeln!(
        s,
        "## By match-set size\n\n*Narrow*: queries that match fewer than 5% of the cases in Lumbung ({n_narrow} \
         queries); *broad*: the other {} (each class is the same queries for every engine).\n",
        narrow.len() - n_narrow
    );
    let _ = writeln!(s, "| engine | narrow p50 | narrow p99 | narrow mean | broad p50 | broad p99 | broad mean |");
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for e in r.results {
        let pick = |want: bool| -> Vec<std::time::Duration> {
            e.measured.latencies.iter().zip(&narrow).filter(|(_, n)| **n == want).map(|(l, _)| *l).collect()
        };
        let (a, b) = (Latency::of(&pick(true)), Latency::of(&pick(false)));
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            e.name,
            ms(a.p50),
            ms(a.p99),
            ms(a.mean),
            ms(b.p50),
            ms(b.p99),
            ms(b.mean)
        );
    }
    let _ = writeln!(s, "\nTimes in ms.\n");
}
