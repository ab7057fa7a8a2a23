//! The index's layout on disk: how many segments it has, how many it should
//! have, and files no segment uses any more.
//!
//! A rebuild writes a segment per `WRITER_MEMORY` of documents (about 70 for
//! a million cases); every query repeats its per-segment work (term lookups,
//! scorer set-up, facet tables) in each. So a rebuild merges them into the
//! *target* count: one segment per search thread (at most the machine's
//! cores, `MAX_SEARCH_THREADS`), so that one query searches its segments on
//! all cores at once, but never segments smaller than `MIN_SEGMENT_DOCS`
//! (where splitting costs more than it saves). On 2 cores: one segment up to
//! 50,000 cases, two above.
//!
//! tantivy deletes a merged-away segment's files only when no searcher holds
//! the segment any more; the reader is reloaded first, then the files are
//! collected (`IndexWriter::garbage_collect_files`), and the result checked.

use std::collections::HashSet;
use std::path::PathBuf;

use tantivy::index::SegmentMeta;
use tantivy::merge_policy::{LogMergePolicy, NoMergePolicy};

use crate::{SearchError, SearchIndex};

/// Most threads (and segments) one query uses.
pub const MAX_SEARCH_THREADS: usize = 4;
/// Fewest documents worth a segment of their own in the target layout.
pub const MIN_SEGMENT_DOCS: u64 = 50_000;

/// Segments and files of the committed index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Documents (not deleted) in each segment named by `meta.json`.
    pub segment_docs: Vec<u32>,
    /// The segment count a rebuild leaves for this many documents.
    pub target: usize,
    /// Files tantivy wrote that no segment of `meta.json` uses.
    pub unreferenced: Vec<PathBuf>,
    /// Their bytes.
    pub unreferenced_bytes: u64,
    /// Bytes of every file in the index folder.
    pub bytes: u64,
}

impl Layout {
    pub fn segments(&self) -> usize {
        self.segment_docs.len()
    }

    /// Whether the index is as a rebuild promises: the target count of
    /// segments and no unreferenced file.
    pub fn is_clean(&self) -> bool {
        self.segments() <= self.target && self.unreferenced.is_empty()
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} segment(s) (target {}), {:.1} MB",
            self.segments(),
            self.target,
            self.bytes as f64 / 1_048_576.0
        )?;
        if self.unreferenced.is_empty() {
            write!(f, ", no unreferenced files")
        } else {
            write!(
                f,
                ", {} unreferenced file(s) of {:.1} MB",
                self.unreferenced.len(),
                self.unreferenced_bytes as f64 / 1_048_576.0
            )
        }
    }
}

/// Search threads for this machine: its cores, at most `MAX_SEARCH_THREADS`.
pub fn search_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_SEARCH_THREADS)
}

/// The segment count a rebuild leaves for `docs` documents.
pub fn target_segments(docs: u64, threads: usize, min_segment_docs: u64) -> usize {
    let by_size = docs.div_ceil(min_segment_docs.max(1)).max(1);
    usize::try_from(by_size).unwrap_or(usize::MAX).min(threads.max(1))
}

/// Splits segments into `groups` groups of about equal documents (largest
/// first, each to the lightest group), for merging each group into one.
fn balanced_groups(mut metas: Vec<SegmentMeta>, groups: usize) -> Vec<Vec<SegmentMeta>> {
    metas.sort_by_key(|m| std::cmp::Reverse(m.num_docs()));
    let mut out: Vec<(u64, Vec<SegmentMeta>)> = (0..groups.max(1)).map(|_| (0, Vec::new())).collect();
    for meta in metas {
        if let Some(lightest) = out.iter_mut().min_by_key(|(docs, _)| *docs) {
            lightest.0 += u64::from(meta.num_docs());
            lightest.1.push(meta);
        }
    }
    out.into_iter().map(|(_, g)| g).filter(|g| !g.is_empty()).collect()
}

impl SearchIndex {
    /// The committed index's segments and unreferenced files. Opening an
    /// index does not delete anything, so `check` sees what a crash or an
    /// interrupted merge left.
    pub fn layout(&self) -> Result<Layout, SearchError> {
        let meta = self.inner.index.load_metas()?;
        let segment_docs: Vec<u32> = meta.segments.iter().map(SegmentMeta::num_docs).collect();
        let docs: u64 = segment_docs.iter().map(|d| u64::from(*d)).sum();
        let referenced = meta.list_segment_files();
        let dir = &self.inner.dir;
        let mut unreferenced: Vec<PathBuf> = self
            .inner
            .index
            .directory()
            .list_managed_files()
            .into_iter()
            .filter(|p| !referenced.contains(p) && dir.join(p).is_file() && !is_bookkeeping(p))
            .collect();
        unreferenced.sort();
        let unreferenced_bytes =
            unreferenced.iter().filter_map(|p| std::fs::metadata(dir.join(p)).ok()).map(|m| m.len()).sum();
        let bytes = std::fs::read_dir(dir)?
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum();
        let target = target_segments(docs, self.inner.options.search_threads, self.inner.options.min_segment_docs);
        Ok(Layout { segment_docs, target, unreferenced, unreferenced_bytes, bytes })
    }

    /// Merges the committed segments into the target count, waits for the
    /// merges, and deletes the files of the merged-away segments. Returns
    /// the layout afterwards. Used by `rebuild` (while no merge policy runs)
    /// and by `check --repair`.
    pub fn compact(&self) -> Result<Layout, SearchError> {
        // Until these merges end, the merge policy must not start others
        // (a segment can be in one merge only).
        self.writer()?.set_merge_policy(Box::new(NoMergePolicy));
        let mut outcome = Ok(());
        // A merge the policy started before (after a catch-up) may still
        // hold some segments: wait a little and try again.
        for attempt in 0..5 {
            outcome = self.merge_into_target();
            if outcome.is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200 << attempt));
        }
        self.writer()?.set_merge_policy(Box::<LogMergePolicy>::default());
        self.tidy()?;
        outcome?;
        self.layout()
    }

    /// One attempt of `compact`: merges each group of segments, side by
    /// side on tantivy's merge threads, and waits for all of them.
    fn merge_into_target(&self) -> Result<(), SearchError> {
        let metas = self.inner.index.searchable_segment_metas()?;
        let docs: u64 = metas.iter().map(|m| u64::from(m.num_docs())).sum();
        let target = target_segments(docs, self.inner.options.search_threads, self.inner.options.min_segment_docs);
        let merges: Vec<_> = {
            let mut writer = self.writer()?;
            balanced_groups(metas, target)
                .iter()
                .filter(|g| g.len() > 1 || g.iter().any(SegmentMeta::has_deletes))
                .map(|group| {
                    let ids: Vec<_> = group.iter().map(SegmentMeta::id).collect();
                    (ids.len(), writer.merge(&ids))
                })
                .collect()
        };
        let mut outcome = Ok(());
        for (n, merge) in merges {
            if let Err(e) = merge.wait() {
                tracing::warn!(error = %e, segments = n, "merging the index's segments failed");
                outcome = Err(e.into());
            }
        }
        outcome
    }

    /// Makes the reader see the committed segments, then deletes the files
    /// of segments no longer in the index (merged away, or replaced by a
    /// rebuild). Files still held by a search in flight are kept and
    /// deleted by a later call.
    pub fn tidy(&self) -> Result<(), SearchError> {
        self.inner.reader.reload()?;
        let live: Vec<_> = self.inner.reader.searcher().segment_readers().iter().map(|r| r.segment_id()).collect();
        self.inner.facets.retain(&live);
        self.inner.field_docs.retain(&live);
        let collected = self.writer()?.garbage_collect_files();
        let result = collected.wait()?;
        if !result.failed_to_delete_files.is_empty() {
            tracing::warn!(files = ?result.failed_to_delete_files, "could not delete unreferenced index files");
        }
        Ok(())
    }

    /// Whether the committed index names other segments than the reader
    /// searches (a background merge ended since the last reload).
    pub(crate) fn merged_since_reload(&self) -> bool {
        let Ok(committed) = self.inner.index.searchable_segment_ids() else { return false };
        let searched: HashSet<_> =
            self.inner.reader.searcher().segment_readers().iter().map(|r| r.segment_id()).collect();
        committed.len() != searched.len() || committed.iter().any(|id| !searched.contains(id))
    }
}

/// tantivy's own files, which no segment names: the list of managed files,
/// `meta.json` and lock files.
fn is_bookkeeping(path: &std::path::Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name == "meta.json" || name.starts_with('.')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use std::collections::HashMap;

    use lumbung_core::{Case, CaseContent, Status, Text};

    use super::*;
    use crate::IndexOptions;

    fn cases(from: usize, n: usize) -> Vec<Case> {
        (from..from + n)
            .map(|i| {
                let content = CaseContent {
                    title: Text::new("en", format!("Village budget number {i}")),
                    summary: Text::new("en", "Citizens decide together how the village spends its budget."),
                    original_language: "en".to_owned(),
                    ..Default::default()
                };
                Case::new(format!("case-{i}"), content, Status::Published, None, lumbung_core::clock::now())
            })
            .collect()
    }

    fn options() -> IndexOptions {
        IndexOptions { writer_memory: 15_000_000, search_threads: 2, min_segment_docs: 100 }
    }

    #[test]
    fn a_rebuild_leaves_the_target_segments_and_no_unreferenced_file() {
        let dir = std::env::temp_dir().join(format!("lumbung-layout-rebuild-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = SearchIndex::open_with(&dir, options()).unwrap();
        // A followed index: one segment per catch-up, a few deletions.
        for batch in 0..6 {
            index
                .apply(
                    &cases(batch * 100, 100),
                    &[],
                    &[],
                    &[format!("case-{}", batch * 100)],
                    &HashMap::new(),
                    batch as i64 + 1,
                )
                .unwrap();
        }
        let before = index.layout().unwrap();
        assert_eq!(before.segments(), 6, "{before}");
        assert!(before.unreferenced.is_empty(), "{before:?}");
        // Merged into two of about equal size; the six are gone from disk.
        let compacted = index.compact().unwrap();
        assert_eq!(compacted.segments(), 2, "{compacted}");
        assert_eq!(compacted.segment_docs.iter().sum::<u32>(), 594);
        assert!(compacted.segment_docs.iter().all(|d| (250..=350).contains(d)), "{:?}", compacted.segment_docs);
        assert!(compacted.unreferenced.is_empty(), "{:?}", compacted.unreferenced);
        assert_eq!(index.position(), 6, "merges keep the commit's position");

        // A rebuild of 700 cases in batches (as from the store).
        index.begin_rebuild().unwrap();
        for batch in 0..7 {
            index.add(&cases(batch * 100, 100), &HashMap::new()).unwrap();
        }
        let rebuilt = index.finish_rebuild(42, 700).unwrap();
        assert_eq!(rebuilt.layout.target, 2);
        assert!(rebuilt.layout.segments() <= 2, "{}", rebuilt.layout);
        assert_eq!(rebuilt.layout.segment_docs.iter().sum::<u32>(), 700);
        assert!(rebuilt.layout.unreferenced.is_empty(), "{:?}", rebuilt.layout.unreferenced);
        assert!(rebuilt.layout.is_clean());
        assert_eq!(index.position(), 42);
        assert_eq!(index.len(), 700);
        // Nothing on disk but the two segments' files and the bookkeeping.
        let meta = index.inner.index.load_metas().unwrap();
        let referenced = meta.list_segment_files();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = std::path::PathBuf::from(entry.unwrap().file_name());
            assert!(
                referenced.contains(&name) || is_bookkeeping(&name) || name.to_str() == Some(crate::FORMAT_FILE),
                "left over: {}",
                name.display()
            );
        }
        drop(index);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn unreferenced_files_are_reported_then_removed() {
        let dir = std::env::temp_dir().join(format!("lumbung-layout-stray-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = SearchIndex::open_with(&dir, IndexOptions { min_segment_docs: 10_000, ..options() }).unwrap();
        for batch in 0..3 {
            index.apply(&cases(batch * 50, 50), &[], &[], &[], &HashMap::new(), batch as i64 + 1).unwrap();
        }
        // What a merge cut short by the end of the process leaves: a file
        // tantivy created for a segment that never made it into meta.json.
        let stray = std::path::Path::new("0123456789abcdef0123456789abcdef.idx");
        {
            use std::io::Write;
            use tantivy::Directory;
            use tantivy::directory::TerminatingWrite;
            let mut w = index.inner.index.directory().open_write(stray).unwrap();
            w.write_all(b"half a merge").unwrap();
            w.terminate().unwrap();
        }
        let layout = index.layout().unwrap();
        assert_eq!(layout.unreferenced, vec![stray.to_path_buf()], "{layout:?}");
        assert!(layout.unreferenced_bytes >= 12, "{layout:?}");
        assert!(!layout.is_clean());
        let layout = index.compact().unwrap();
        assert_eq!(layout.segments(), 1, "{layout}");
        assert!(layout.is_clean(), "{layout:?}");
        assert!(!dir.join(stray).exists());
        assert_eq!(index.len(), 150);
        drop(index);
        let _ = std::fs::remove_dir_all(dir);
    }
}
