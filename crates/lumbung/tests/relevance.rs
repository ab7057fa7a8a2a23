//! Search relevance on the judged query set (`crates/search/data/judged_queries.json`):
//! people judged which cases of a bilingual corpus — the demo content,
//! Participedia's English cases and the Indonesian-only cases of
//! `crates/search/data/fixtures/indonesian_only.jsonl` — answer each query.
//!
//! The report gives nDCG@10, recall@10 and MRR per language and part (tuning,
//! held-out), the cross-language hit rate (the share of queries whose best
//! case has no title in the query's language that find that case in the top
//! 10) and the ten worst held-out queries with what they returned. Floors are
//! checked on the held-out part, a little under the measured values, so a
//! change that makes search worse fails here; issue #15's targets are printed
//! beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::{BTreeMap, HashMap};

use common::*;
use lumbung_search::{SearchIndex, SearchRequest};

/// Floors on the held-out part, a little under the measured values. Main
/// before issue #15's ranking work measured nDCG@10 0.588 (en 0.545, id
/// 0.626), recall@10 0.610, MRR 0.734, cross-language 10/26 = 0.385; with
/// per-field BM25 statistics, glossary concepts, the whole-title bonus,
/// Indonesian analysis and the learned lexicon: 0.723 (en 0.769, id 0.683),
/// recall@10 0.734, MRR 0.864, cross-language 20/26 = 0.769; with respelled
/// loanwords, concepts summed over their parts, alternatives weighed as the
/// reader's words, the every-concept bonus and country adjectives: 0.742
/// (en 0.787, id 0.701), recall@10 0.736, MRR 0.896, cross-language 19/26 =
/// 0.731 (one cross-language query fewer found).
const NDCG_FLOOR: f64 = 0.73;
const NDCG_LANG_FLOOR: f64 = 0.69;
const RECALL_FLOOR: f64 = 0.72;
const CROSS_FLOOR: f64 = 0.73;
/// Issue #15's targets (reported, not yet all met).
const NDCG_TARGET: f64 = 0.75;
const NDCG_LANG_TARGET: f64 = 0.70;
const CROSS_TARGET: f64 = 0.85;

#[derive(serde::Deserialize)]
struct Judged {
    queries: Vec<JudgedQuery>,
}

#[derive(serde::Deserialize)]
struct JudgedQuery {
    q: String,
    lang: String,
    part: String,
    best: String,
    relevant: Vec<String>,
    #[serde(default)]
    reasons: BTreeMap<String, String>,
}

fn dcg(gains: &[f64]) -> f64 {
    gains.iter().enumerate().map(|(i, g)| g / ((i + 2) as f64).log2()).sum()
}

/// One query's outcome.
struct Outcome {
    q: String,
    lang: String,
    part: String,
    ndcg: f64,
    recall: f64,
    rr: f64,
    /// Some(found in the top 10) for cross-language queries.
    cross: Option<bool>,
    returned: Vec<String>,
}

#[derive(Default)]
struct Sums {
    ndcg: f64,
    recall: f64,
    rr: f64,
    n: usize,
    cross: usize,
    cross_hits: usize,
}

impl Sums {
    fn add(&mut self, o: &Outcome) {
        self.ndcg += o.ndcg;
        self.recall += o.recall;
        self.rr += o.rr;
        self.n += 1;
        if let Some(hit) = o.cross {
            self.cross += 1;
            self.cross_hits += usize::from(hit);
        }
    }
    fn ndcg(&self) -> f64 {
        self.ndcg / self.n.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.recall / self.n.max(1) as f64
    }
    fn mrr(&self) -> f64 {
        self.rr / self.n.max(1) as f64
    }
    fn cross_rate(&self) -> f64 {
        self.cross_hits as f64 / self.cross.max(1) as f64
    }
    fn line(&self) -> String {
        format!(
            "{:>3} queries  nDCG@10 {:.3}  recall@10 {:.3}  MRR {:.3}  cross-language {}/{} = {:.3}",
            self.n,
            self.ndcg(),
            self.recall(),
            self.mrr(),
            self.cross_hits,
            self.cross,
            self.cross_rate()
        )
    }
}

fn load_judged() -> Judged {
    serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../search/data/judged_queries.json"),
        )
        .unwrap(),
    )
    .unwrap()
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../search/data/fixtures").join(name)
}

#[test]
fn the_judged_set_is_large_bilingual_and_reasoned() {
    let judged = load_judged();
    for lang in ["en", "id"] {
        let n = judged.queries.iter().filter(|q| q.lang == lang).count();
        assert!(n >= 60, "{n} queries in {lang}, at least 60 wanted");
    }
    for q in &judged.queries {
        assert!(q.part == "tuning" || q.part == "heldout", "'{}': part '{}'", q.q, q.part);
        assert!(q.relevant.contains(&q.best), "'{}': the best case is not among the relevant ones", q.q);
        if !q.reasons.is_empty() {
            for key in &q.relevant {
                let reason = q.reasons.get(key).map(|r| r.trim()).unwrap_or_default();
                assert!(!reason.is_empty() && !reason.contains('\n'), "'{}': no one-line reason for {key}", q.q);
            }
        }
    }
    for part in ["tuning", "heldout"] {
        assert!(judged.queries.iter().filter(|q| q.part == part).count() >= 50, "the {part} part is too small");
    }
}

#[test]
fn judged_queries_meet_the_floors() {
    let dir = TempDir::new("relevance");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    assert!(run(&["demo", "--data", d, "--no-serve"]).status.success());
    let csv = participedia_cases();
    assert!(run(&["import", "--data", d, "--format", "csv", csv.to_str().unwrap()]).status.success());
    let only_id = fixture("indonesian_only.jsonl");
    let imported = run(&["import", "--data", d, "--format", "jsonl", only_id.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let reindex = run(&["reindex", "--data", d]);
    assert!(reindex.status.success(), "{}", stderr(&reindex));

    let judged = load_judged();
    let outcomes = with_store(&data, async |store| {
        // Participedia cases are judged by their source URL; map those to ids,
        // and note which languages each case has a title in.
        let mut key_to_id: HashMap<String, String> = HashMap::new();
        let mut title_langs: HashMap<String, Vec<String>> = HashMap::new();
        let mut after = None;
        loop {
            let page = store.cases_after(after.as_deref(), 5000).await.unwrap();
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            for c in page {
                if let Some(url) = &c.content.source_url {
                    key_to_id.insert(url.clone(), c.id.clone());
                }
                key_to_id.insert(c.id.clone(), c.id.clone());
                let langs = c.content.title.0.iter().filter(|(_, t)| !t.trim().is_empty()).map(|(l, _)| l.clone());
                title_langs.insert(c.id.clone(), langs.collect());
            }
        }
        let index = SearchIndex::open_for(store).unwrap();
        // As `serve`'s follower does: learn the lexicon from translated cases.
        let learned = index.refresh_lexicon().unwrap();
        println!("learned lexicon: {learned} entries");
        let mut outcomes = Vec::new();
        for query in &judged.queries {
            let relevant: Vec<&String> = query.relevant.iter().filter_map(|k| key_to_id.get(k)).collect();
            assert_eq!(relevant.len(), query.relevant.len(), "unknown keys in '{}'", query.q);
            let best = key_to_id.get(&query.best).unwrap();
            let req = SearchRequest { q: query.q.clone(), lang: query.lang.clone(), limit: 10, ..Default::default() };
            let hits = index.search(&req).unwrap().items;
            let gains: Vec<f64> = hits.iter().map(|h| if relevant.contains(&&h.id) { 1.0 } else { 0.0 }).collect();
            let ideal = vec![1.0; relevant.len().min(10)];
            let ndcg = if ideal.is_empty() { 0.0 } else { dcg(&gains) / dcg(&ideal) };
            let recall = gains.iter().sum::<f64>() / relevant.len().min(10) as f64;
            let rr = gains.iter().position(|g| *g > 0.0).map_or(0.0, |i| 1.0 / (i + 1) as f64);
            let is_cross = !title_langs.get(best).is_some_and(|l| l.contains(&query.lang));
            let cross = is_cross.then(|| hits.iter().any(|h| &h.id == best));
            let returned = hits
                .iter()
                .map(|h| {
                    let mark = if relevant.contains(&&h.id) { '+' } else { ' ' };
                    format!("{mark} [{}] {}", h.original_language, h.title.chars().take(70).collect::<String>())
                })
                .collect();
            outcomes.push(Outcome {
                q: query.q.clone(),
                lang: query.lang.clone(),
                part: query.part.clone(),
                ndcg,
                recall,
                rr,
                cross,
                returned,
            });
        }
        outcomes
    });

    println!("{:<42} {:>2} {:<7} {:>7} {:>9} {:>5}  cross", "query", "la", "part", "nDCG@10", "recall@10", "RR");
    for o in &outcomes {
        let cross = match o.cross {
            Some(true) => "hit",
            Some(false) => "MISS",
            None => "",
        };
        println!("{:<42} {:>2} {:<7} {:>7.3} {:>9.3} {:>5.2}  {cross}", o.q, o.lang, o.part, o.ndcg, o.recall, o.rr);
    }
    let mut sums: BTreeMap<(String, String), Sums> = BTreeMap::new();
    for o in &outcomes {
        for lang in [o.lang.as_str(), "all"] {
            sums.entry((o.part.clone(), lang.to_owned())).or_default().add(o);
        }
    }
    println!();
    for ((part, lang), s) in &sums {
        println!("{part:<7} {lang:<3} {}", s.line());
    }
    // Tune with LUMBUNG_RELEVANCE_WORST=tuning (and a larger count), never by
    // looking at the held-out part's queries.
    let worst_part = std::env::var("LUMBUNG_RELEVANCE_WORST").unwrap_or_else(|_| "heldout".into());
    let worst_count: usize =
        std::env::var("LUMBUNG_RELEVANCE_WORST_COUNT").ok().and_then(|n| n.parse().ok()).unwrap_or(10);
    let mut worst: Vec<&Outcome> = outcomes.iter().filter(|o| o.part == worst_part).collect();
    worst.sort_by(|a, b| a.ndcg.total_cmp(&b.ndcg).then_with(|| a.q.cmp(&b.q)));
    println!("\nthe {worst_count} worst {worst_part} queries (+ marks a relevant case):");
    for o in worst.iter().take(worst_count) {
        println!("'{}' ({}) nDCG@10 {:.3}", o.q, o.lang, o.ndcg);
        if o.returned.is_empty() {
            println!("    (nothing)");
        }
        for r in &o.returned {
            println!("    {r}");
        }
    }

    let held = |lang: &str| sums.get(&("heldout".to_owned(), lang.to_owned())).unwrap();
    let all = held("all");
    println!(
        "\nheld-out against issue #15's targets: nDCG@10 {:.3} (target {NDCG_TARGET}), en {:.3} / id {:.3} (target \
         {NDCG_LANG_TARGET} each), cross-language {:.3} (target {CROSS_TARGET})",
        all.ndcg(),
        held("en").ndcg(),
        held("id").ndcg(),
        all.cross_rate()
    );
    assert!(all.ndcg() >= NDCG_FLOOR, "held-out nDCG@10 {:.3} is below the floor {NDCG_FLOOR}", all.ndcg());
    assert!(all.recall() >= RECALL_FLOOR, "held-out recall@10 {:.3} is below the floor {RECALL_FLOOR}", all.recall());
    for lang in ["en", "id"] {
        let n = held(lang).ndcg();
        assert!(n >= NDCG_LANG_FLOOR, "held-out nDCG@10 in {lang} {n:.3} is below the floor {NDCG_LANG_FLOOR}");
    }
    assert!(
        all.cross_rate() >= CROSS_FLOOR,
        "held-out cross-language hit rate {:.3} is below the floor {CROSS_FLOOR}",
        all.cross_rate()
    );
}
