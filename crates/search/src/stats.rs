//! BM25 statistics that do not punish a minority language.
//!
//! BM25 scales a match by its field's length against the field's average
//! length, and tantivy averages over every document of the index. A
//! language's fields are empty in the cases not written or translated in
//! it, so where few cases have Indonesian text (a node that harvests mostly
//! English cases), the Indonesian fields' average is tiny and every case
//! that has them looks many times too long: it scores near zero on its own
//! words, below any weak hit in the majority language. Here the average of
//! each text field is taken over the documents that have the field (a
//! non-zero field norm), which is what BM25 means by it, and so is a word's
//! document frequency (its share of the documents that have the field).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, SegmentReader, Term};

/// Per segment (immutable, so counted once): the documents with a non-empty
/// value of each text field.
#[derive(Default)]
pub struct FieldDocsCache {
    counts: Mutex<HashMap<SegmentId, Arc<HashMap<Field, u64>>>>,
}

impl FieldDocsCache {
    fn counts(&self, reader: &SegmentReader, fields: &[Field]) -> tantivy::Result<Arc<HashMap<Field, u64>>> {
        let id = reader.segment_id();
        if let Some(c) = self.counts.lock().unwrap_or_else(|p| p.into_inner()).get(&id) {
            return Ok(Arc::clone(c));
        }
        let mut counts = HashMap::with_capacity(fields.len());
        for field in fields {
            let norms = reader.get_fieldnorms_reader(*field)?;
            let n = (0..reader.max_doc()).filter(|d| norms.fieldnorm_id(*d) != 0).count() as u64;
            counts.insert(*field, n);
        }
        let counts = Arc::new(counts);
        self.counts.lock().unwrap_or_else(|p| p.into_inner()).insert(id, Arc::clone(&counts));
        Ok(counts)
    }

    /// Drops the counts of segments no longer searched (merged away).
    pub fn retain(&self, live: &[SegmentId]) {
        self.counts.lock().unwrap_or_else(|p| p.into_inner()).retain(|id, _| live.contains(id));
    }
}

/// The statistics a search scores with: the searcher's, except that each
/// text field's token total is scaled so that total ÷ documents is the
/// average over the documents that have the field.
pub struct FieldStats<'a> {
    searcher: &'a Searcher,
    docs_with: HashMap<Field, u64>,
}

impl<'a> FieldStats<'a> {
    pub fn new(searcher: &'a Searcher, cache: &FieldDocsCache, fields: &[Field]) -> tantivy::Result<Self> {
        let mut docs_with: HashMap<Field, u64> = HashMap::with_capacity(fields.len());
        for reader in searcher.segment_readers() {
            for (field, n) in cache.counts(reader, fields)?.iter() {
                *docs_with.entry(*field).or_default() += n;
            }
        }
        Ok(FieldStats { searcher, docs_with })
    }
}

impl Bm25StatisticsProvider for FieldStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        let docs = Bm25StatisticsProvider::total_num_docs(self.searcher)?;
        Ok(match self.docs_with.get(&field) {
            Some(&with) if with > 0 && with < docs => {
                u64::try_from(u128::from(tokens) * u128::from(docs) / u128::from(with)).unwrap_or(u64::MAX)
            }
            _ => tokens,
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    /// Scaled like the token totals, so a word's rarity is its share of the
    /// cases that have the field: a word in most Indonesian cases is common
    /// even when few cases are Indonesian.
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let df = self.searcher.doc_freq(term)?;
        let docs = Bm25StatisticsProvider::total_num_docs(self.searcher)?;
        Ok(match self.docs_with.get(&term.field()) {
            Some(&with) if with > 0 && with < docs => {
                u64::try_from(u128::from(df) * u128::from(docs) / u128::from(with)).unwrap_or(u64::MAX).min(docs)
            }
            _ => df,
        })
    }
}
