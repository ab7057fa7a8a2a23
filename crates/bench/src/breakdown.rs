//! Where Lumbung's query time goes. Takes the text query `search()` runs
//! (`SearchIndex::query_for`) and times it with tantivy directly: matching
//! alone (Count), plus ranking the first page (TopDocs), plus the facet
//! collector. The full `search()` adds query building, snippets and loading
//! the 20 documents. Matching is also timed without the glossary's
//! expansions, to show what they cost.
//!
//! The query's count is checked against `search()`'s total per query, so the
//! breakdown is known to measure the same match set.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use lumbung_search::SearchIndex;
use lumbung_search::analysis;
use lumbung_search::facets::{FacetCache, FacetCollector};
use tantivy::Index;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, Query};

/// Timings of one query, each after a warm-up pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct Split {
    /// Matching without the glossary's cross-language expansions, and its count.
    pub count_plain: Duration,
    pub total_plain: u64,
    pub count: Duration,
    pub top: Duration,
    pub top_facets: Duration,
    pub total: u64,
}

/// Times every query three ways (see the module doc); one warm-up pass each.
pub fn run(index: &SearchIndex, queries: &[String]) -> Result<Vec<Split>> {
    let searcher = index.searcher();
    let built_for = |expand: bool| -> Result<Vec<Box<dyn Query>>> {
        queries.iter().map(|q| Ok(index.query_for(q, expand)?.unwrap_or_else(|| Box::new(AllQuery)))).collect()
    };
    let built = built_for(true)?;
    let plain = built_for(false)?;
    let mut out = vec![Split::default(); queries.len()];
    for pass in 0..2 {
        for (q, s) in plain.iter().zip(out.iter_mut()) {
            let t = Instant::now();
            let total = searcher.search(q, &Count)?;
            if pass == 1 {
                s.count_plain = t.elapsed();
                s.total_plain = total as u64;
            }
        }
    }
    let top = || TopDocs::with_limit(20).order_by_score();
    for pass in 0..2 {
        for (q, s) in built.iter().zip(out.iter_mut()) {
            let t = Instant::now();
            let total = searcher.search(q, &Count)?;
            if pass == 1 {
                s.count = t.elapsed();
                s.total = total as u64;
            }
        }
    }
    for pass in 0..2 {
        for (q, s) in built.iter().zip(out.iter_mut()) {
            let t = Instant::now();
            searcher.search(q, &(top(), Count))?;
            if pass == 1 {
                s.top = t.elapsed();
            }
        }
    }
    // The search crate's facet tables, built on first use (in the warm-up pass).
    let facet_cache = FacetCache::default();
    for pass in 0..2 {
        for (q, s) in built.iter().zip(out.iter_mut()) {
            let t = Instant::now();
            searcher.search(q, &(top(), Count, FacetCollector { cache: &facet_cache }))?;
            if pass == 1 {
                s.top_facets = t.elapsed();
            }
        }
    }
    Ok(out)
}

/// Segments the searcher sees, with their document counts.
pub fn segments(index_dir: &Path) -> Result<Vec<u32>> {
    let index = Index::open_in_dir(index_dir)?;
    analysis::register(&index)?;
    let reader = index.reader()?;
    Ok(reader.searcher().segment_readers().iter().map(|s| s.num_docs()).collect())
}
