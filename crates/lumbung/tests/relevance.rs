//! Search relevance on the judged query set (`crates/search/data/judged_queries.json`):
//! people judged which cases of the Participedia corpus and the demo content
//! answer each query. nDCG@10 and recall@10 must stay above floors set from
//! the measured result, so a change that makes search worse fails here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::HashMap;

use common::*;
use lumbung_search::{SearchIndex, SearchRequest};

/// Floors, a little under the measured values (nDCG@10 0.605, recall@10 0.566 on
/// 2026-11-26: English 0.69/0.64, Indonesian 0.52/0.49).
const NDCG_FLOOR: f64 = 0.57;
const RECALL_FLOOR: f64 = 0.53;

#[derive(serde::Deserialize)]
struct Judged {
    queries: Vec<JudgedQuery>,
}

#[derive(serde::Deserialize)]
struct JudgedQuery {
    q: String,
    lang: String,
    relevant: Vec<String>,
}

fn dcg(gains: &[f64]) -> f64 {
    gains.iter().enumerate().map(|(i, g)| g / ((i + 2) as f64).log2()).sum()
}

#[test]
fn judged_queries_meet_the_floors() {
    let dir = TempDir::new("relevance");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    assert!(run(&["demo", "--data", d, "--no-serve"]).status.success());
    let csv = participedia_cases();
    assert!(run(&["import", "--data", d, "--format", "csv", csv.to_str().unwrap()]).status.success());
    let reindex = run(&["reindex", "--data", d]);
    assert!(reindex.status.success(), "{}", stderr(&reindex));

    let judged: Judged = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../search/data/judged_queries.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(judged.queries.len() >= 40);

    let (ndcg, recall, per_lang) = with_store(&data, async |store| {
        // Participedia cases are judged by their source URL; map those to ids.
        let mut key_to_id: HashMap<String, String> = HashMap::new();
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
            }
        }
        let index = SearchIndex::open_for(store).unwrap();
        let (mut ndcg_sum, mut recall_sum) = (0.0, 0.0);
        let mut per_lang: HashMap<String, (f64, f64, usize)> = HashMap::new();
        for query in &judged.queries {
            let relevant: Vec<&String> = query.relevant.iter().filter_map(|k| key_to_id.get(k)).collect();
            assert_eq!(relevant.len(), query.relevant.len(), "unknown keys in '{}'", query.q);
            let req = SearchRequest { q: query.q.clone(), lang: query.lang.clone(), limit: 10, ..Default::default() };
            let hits = index.search(&req).unwrap().items;
            let gains: Vec<f64> = hits.iter().map(|h| if relevant.contains(&&h.id) { 1.0 } else { 0.0 }).collect();
            let ideal = vec![1.0; relevant.len().min(10)];
            let n = if ideal.is_empty() { 0.0 } else { dcg(&gains) / dcg(&ideal) };
            let r = gains.iter().sum::<f64>() / relevant.len().min(10) as f64;
            println!("{:<40} {:>2} nDCG@10 {n:.3} recall@10 {r:.3}", query.q, query.lang);
            ndcg_sum += n;
            recall_sum += r;
            let e = per_lang.entry(query.lang.clone()).or_default();
            e.0 += n;
            e.1 += r;
            e.2 += 1;
        }
        let count = judged.queries.len() as f64;
        (ndcg_sum / count, recall_sum / count, per_lang)
    });
    for (lang, (n, r, c)) in &per_lang {
        println!("{lang}: {c} queries, nDCG@10 {:.3}, recall@10 {:.3}", n / *c as f64, r / *c as f64);
    }
    println!("all: nDCG@10 {ndcg:.3}, recall@10 {recall:.3}");
    assert!(ndcg >= NDCG_FLOOR, "nDCG@10 {ndcg:.3} is below the floor {NDCG_FLOOR}");
    assert!(recall >= RECALL_FLOOR, "recall@10 {recall:.3} is below the floor {RECALL_FLOOR}");
}
