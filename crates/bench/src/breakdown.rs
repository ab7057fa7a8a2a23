//! Where Lumbung's query time goes. Rebuilds the text query the way
//! `lumbung_search::search` does (from its public parts: `query::parse`, the
//! glossary, the schema and the analysers; the builder itself is private) and
//! times it with tantivy directly: matching alone (Count), plus ranking the
//! first page (TopDocs), plus the facet collector. The full `search()` adds
//! query building, snippets and loading the 20 documents. Matching is also
//! timed without the glossary's expansions, to show what they cost.
//!
//! The rebuilt query's count is checked against `search()`'s total per
//! query, so the breakdown is known to measure the same match set.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use lumbung_search::facets::{FacetCache, FacetCollector};
use lumbung_search::glossary::Glossary;
use lumbung_search::query::{self, Occur};
use lumbung_search::schema::{Fields, LANGS};
use lumbung_search::{analysis, schema};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur as TOccur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

/// `search.rs`'s limit on glossary alternatives per query (private there).
const MAX_EXPANSIONS: usize = 12;

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

struct Builder {
    index: Index,
    fields: Fields,
}

impl Builder {
    fn analyse(&self, field: Field, text: &str) -> Vec<String> {
        match self.index.tokenizer_for_field(field) {
            Ok(mut a) => analysis::tokens(&mut a, text),
            Err(_) => Vec::new(),
        }
    }

    fn phrase_in_lang(&self, lang: usize, text: &str) -> Option<Box<dyn Query>> {
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        for (field, weight) in self.fields.lang(lang).weighted() {
            let tokens = self.analyse(field, text);
            let q: Box<dyn Query> = match tokens.as_slice() {
                [] => continue,
                [one] => Box::new(TermQuery::new(Term::from_field_text(field, one), IndexRecordOption::WithFreqs)),
                many => Box::new(PhraseQuery::new(many.iter().map(|t| Term::from_field_text(field, t)).collect())),
            };
            per_field.push(Box::new(BoostQuery::new(q, weight)));
        }
        if per_field.is_empty() { None } else { Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(per_field, 0.3))) }
    }

    fn clause(&self, searcher: &Searcher, text: &str, phrase: bool, fuzzy: bool) -> Option<Box<dyn Query>> {
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        let mut known = false;
        for lang in 0..LANGS.len() {
            if let Some(q) = self.phrase_in_lang(lang, text) {
                disjuncts.push(q);
            }
            if !phrase {
                for field in self.fields.lang(lang).all() {
                    for token in self.analyse(field, text) {
                        if searcher.doc_freq(&Term::from_field_text(field, &token)).unwrap_or(0) > 0 {
                            known = true;
                        }
                    }
                }
            }
        }
        let chars = text.chars().count();
        if fuzzy && !phrase && !known && chars >= 5 && !text.contains(char::is_whitespace) {
            let distance = if chars >= 9 { 2 } else { 1 };
            for lang in 0..LANGS.len() {
                for field in self.fields.lang(lang).all() {
                    for token in self.analyse(field, text) {
                        let q = FuzzyTermQuery::new(Term::from_field_text(field, &token), distance, true);
                        disjuncts.push(Box::new(BoostQuery::new(Box::new(q), 0.4)));
                    }
                }
            }
        }
        if disjuncts.is_empty() { None } else { Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(disjuncts, 0.2))) }
    }

    fn text_query(&self, searcher: &Searcher, q: &str, expand: bool) -> Result<Box<dyn Query>> {
        let clauses = query::parse(q)?;
        let mut parts: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        for c in &clauses {
            let Some(sub) = self.clause(searcher, &c.text, c.phrase, c.occur == Occur::Should) else { continue };
            let occur = match c.occur {
                Occur::Should => TOccur::Should,
                Occur::Must => TOccur::Must,
                Occur::MustNot => TOccur::MustNot,
            };
            parts.push((occur, sub));
        }
        // At most MAX_EXPANSIONS (12) alternatives, as search.rs adds.
        let expansions = if expand {
            Glossary::shipped().expand(&query::positive_text(&clauses)).into_iter().take(MAX_EXPANSIONS).collect()
        } else {
            Vec::new()
        };
        for e in expansions {
            if let Some(sub) = self.phrase_in_lang(schema::Fields::lang_index(e.lang), &e.text) {
                parts.push((TOccur::Should, Box::new(BoostQuery::new(sub, 0.25))));
            }
        }
        if parts.is_empty() {
            return Ok(Box::new(AllQuery));
        }
        Ok(Box::new(BooleanQuery::new(parts)))
    }
}

/// Times every query three ways (see the module doc); one warm-up pass each.
pub fn run(index_dir: &Path, queries: &[String]) -> Result<Vec<Split>> {
    let index = Index::open_in_dir(index_dir)?;
    analysis::register(&index)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let b = Builder { index, fields: Fields::build() };
    let built: Vec<Box<dyn Query>> = queries.iter().map(|q| b.text_query(&searcher, q, true)).collect::<Result<_>>()?;
    let plain: Vec<Box<dyn Query>> =
        queries.iter().map(|q| b.text_query(&searcher, q, false)).collect::<Result<_>>()?;
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
