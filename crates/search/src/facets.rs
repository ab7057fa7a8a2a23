//! Facet counting over the matched documents.
//!
//! Reading eleven columnar fields for every match is what made faceted
//! searches slow, so each segment's facet values are laid out once, on first
//! use, as one flat table: for every document, the ids of its values across
//! all facets, with the counts over the whole segment. Counting is then a
//! few array increments per match. Documents never change inside a segment,
//! so a table lives as long as its segment.
//!
//! Broad queries (a single common word matches most of a library) would
//! still visit every match. The collector only marks matches in a bitset,
//! and counting then takes two routes:
//! - a *common* value (in at least 1/16 of the segment: a sector, a stage,
//!   the completeness…) keeps a bitset of its documents, and its count is
//!   the popcount of (matches AND value): a few thousand word operations
//!   whatever the number of matches;
//! - the other values (a country, a year…) are counted per matching
//!   document; when more than half the segment matches, over the documents
//!   that do *not* match, subtracted from the segment's totals. Deleted
//!   documents never match, so they are subtracted too and the counts stay
//!   exact. A query thus visits at most half its segment's documents, for
//!   two or three values each.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::FACETS;

/// Counts per facet name, per value.
pub type FacetCounts = BTreeMap<&'static str, BTreeMap<String, u64>>;

/// One segment's facet values, flattened.
pub struct FacetTable {
    /// `values[offsets[d]..offsets[d + 1]]` are document `d`'s ids of
    /// values that are not common.
    offsets: Vec<u32>,
    values: Vec<u32>,
    /// Value id → (facet name, value).
    names: Vec<(&'static str, String)>,
    /// Value id → documents of the segment with it (deleted ones included).
    totals: Vec<u32>,
    /// Common values: (value id, bit `d` set when document `d` has it).
    common: Vec<(u32, Vec<u64>)>,
}

/// A value in at least 1/`COMMON` of a segment's documents is counted by
/// bitset: its popcount costs `max_doc / 64` words, against about
/// `matches / COMMON` increments per document for a typical quarter match.
const COMMON: u64 = 16;

impl FacetTable {
    fn build(reader: &SegmentReader) -> tantivy::Result<FacetTable> {
        let mut columns = Vec::with_capacity(FACETS.len());
        let mut names: Vec<(&'static str, String)> = Vec::new();
        for (name, field) in FACETS {
            let column = reader.fast_fields().str(field)?;
            let base = names.len() as u32;
            if let Some(c) = &column {
                let mut value = String::new();
                for ord in 0..c.num_terms() as u64 {
                    value.clear();
                    c.ord_to_str(ord, &mut value)?;
                    names.push((name, value.clone()));
                }
            }
            columns.push((base, column));
        }
        let max_doc = reader.max_doc();
        let mut offsets = Vec::with_capacity(max_doc as usize + 1);
        let mut values = Vec::with_capacity(max_doc as usize * 12);
        offsets.push(0);
        for doc in 0..max_doc {
            for (base, column) in &columns {
                if let Some(c) = column {
                    values.extend(c.term_ords(doc).map(|ord| base + ord as u32));
                }
            }
            offsets.push(values.len() as u32);
        }
        let mut totals = vec![0u32; names.len()];
        for v in &values {
            if let Some(n) = totals.get_mut(*v as usize) {
                *n += 1;
            }
        }
        // Common values move from the per-document lists to bitsets.
        let words = (max_doc as usize).div_ceil(64);
        let mut bitset_of: Vec<Option<usize>> = vec![None; names.len()];
        let mut common: Vec<(u32, Vec<u64>)> = Vec::new();
        for (v, total) in totals.iter().enumerate() {
            if u64::from(*total) * COMMON >= u64::from(max_doc) && *total > 0 {
                if let Some(slot) = bitset_of.get_mut(v) {
                    *slot = Some(common.len());
                }
                common.push((v as u32, vec![0u64; words]));
            }
        }
        let (mut sparse_offsets, mut sparse) = (Vec::with_capacity(offsets.len()), Vec::new());
        sparse_offsets.push(0);
        for doc in 0..max_doc {
            let start = offsets.get(doc as usize).copied().unwrap_or(0) as usize;
            let end = offsets.get(doc as usize + 1).copied().unwrap_or(0) as usize;
            for v in values.get(start..end).unwrap_or(&[]) {
                match bitset_of.get(*v as usize).copied().flatten() {
                    Some(i) => {
                        if let Some(word) = common.get_mut(i).and_then(|(_, b)| b.get_mut((doc / 64) as usize)) {
                            *word |= 1u64 << (doc % 64);
                        }
                    }
                    None => sparse.push(*v),
                }
            }
            sparse_offsets.push(sparse.len() as u32);
        }
        sparse.shrink_to_fit();
        Ok(FacetTable { offsets: sparse_offsets, values: sparse, names, totals, common })
    }

    fn max_doc(&self) -> u32 {
        (self.offsets.len() as u32).saturating_sub(1)
    }

    fn values_of(&self, doc: DocId) -> &[u32] {
        let start = self.offsets.get(doc as usize).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(doc as usize + 1).copied().unwrap_or(0) as usize;
        self.values.get(start..end).unwrap_or(&[])
    }
}

/// Facet tables by segment, shared by every search of an index.
#[derive(Default)]
pub struct FacetCache {
    tables: Mutex<HashMap<SegmentId, Arc<FacetTable>>>,
}

impl FacetCache {
    fn table(&self, reader: &SegmentReader) -> tantivy::Result<Arc<FacetTable>> {
        let id = reader.segment_id();
        if let Some(t) = self.tables.lock().unwrap_or_else(|p| p.into_inner()).get(&id) {
            return Ok(Arc::clone(t));
        }
        let table = Arc::new(FacetTable::build(reader)?);
        self.tables.lock().unwrap_or_else(|p| p.into_inner()).insert(id, Arc::clone(&table));
        Ok(table)
    }

    /// Drops the tables of segments no longer searched (merged away).
    pub fn retain(&self, live: &[SegmentId]) {
        self.tables.lock().unwrap_or_else(|p| p.into_inner()).retain(|id, _| live.contains(id));
    }
}

pub struct FacetCollector<'a> {
    pub cache: &'a FacetCache,
}

pub struct FacetSegmentCollector {
    table: Arc<FacetTable>,
    /// Bit `d` set: document `d` matches.
    matched: Vec<u64>,
    n_matched: u32,
}

impl FacetSegmentCollector {
    /// Counts per value id: of the matches, or the totals less the others.
    fn counts(&self) -> Vec<u32> {
        let table = &self.table;
        let max_doc = table.max_doc();
        let complement = u64::from(self.n_matched) * 2 > u64::from(max_doc);
        let mut counts = if complement { table.totals.clone() } else { vec![0u32; table.names.len()] };
        for (w, word) in self.matched.iter().enumerate() {
            let base = (w as u32) * 64;
            let mut bits = if complement { !word } else { *word };
            if complement && base + 64 > max_doc {
                // Bits past the last document are no documents.
                let valid = max_doc.saturating_sub(base);
                bits &= if valid >= 64 { u64::MAX } else { (1u64 << valid) - 1 };
            }
            while bits != 0 {
                let doc = base + bits.trailing_zeros();
                bits &= bits - 1;
                for v in table.values_of(doc) {
                    if let Some(n) = counts.get_mut(*v as usize) {
                        if complement {
                            *n = n.saturating_sub(1);
                        } else {
                            *n += 1;
                        }
                    }
                }
            }
        }
        for (v, bits) in &table.common {
            let n: u32 = self.matched.iter().zip(bits).map(|(m, b)| (m & b).count_ones()).sum();
            if let Some(c) = counts.get_mut(*v as usize) {
                *c = n;
            }
        }
        counts
    }
}

impl Collector for FacetCollector<'_> {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let table = self.cache.table(reader)?;
        let matched = vec![0u64; (table.max_doc() as usize).div_ceil(64)];
        Ok(FacetSegmentCollector { table, matched, n_matched: 0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::new();
        for fruit in fruits {
            for (name, values) in fruit {
                let entry = total.entry(name).or_default();
                for (value, n) in values {
                    *entry.entry(value).or_default() += n;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(word) = self.matched.get_mut((doc / 64) as usize) {
            let bit = 1u64 << (doc % 64);
            if *word & bit == 0 {
                *word |= bit;
                self.n_matched += 1;
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::new();
        for (name, _) in FACETS {
            out.entry(name).or_default();
        }
        for (v, n) in self.counts().into_iter().enumerate() {
            if n > 0 {
                if let Some((name, value)) = self.table.names.get(v) {
                    out.entry(name).or_default().insert(value.clone(), u64::from(n));
                }
            }
        }
        out
    }
}
