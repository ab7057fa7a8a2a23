//! Lumbung's search: a tantivy index of published cases and public
//! discussions (threads of public rooms and of published cases), fed by the store's
//! change log, with per-language analysis (English Snowball, Indonesian
//! Nazief-Adriani/ECS), glossary expansion across languages, typo tolerance,
//! facets with counts, highlighted snippets, related cases and suggestions.
//!
//! The index holds published cases and public discussions only, so it can
//! never show a reader a case or a post they may not see (members-only and
//! private rooms, drafts, hidden posts never enter it). Its position in the change log is saved in each commit's
//! payload: index and cursor move together, and a crash at any point leaves
//! an index that catches up on the next start.

pub mod analysis;
pub mod cognates;
pub mod document;
pub mod facets;
pub mod glossary;
pub mod indonesian;
pub mod layout;
pub mod learned;
pub mod lexicon;
pub mod query;
pub mod reduplication;
pub mod schema;
pub mod search;
pub mod spelling;
pub mod stats;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use lumbung_core::dialogue::RoomKind;
use lumbung_core::{Case, Status};
use lumbung_store::{Entity, Post, Store, Thread};
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use layout::Layout;
pub use search::{Hit, SearchRequest, SearchResponse, Sort, Suggestion};
pub use spelling::Alternatives;

use crate::schema::Fields;

/// The index folder inside a node's data folder.
pub const INDEX_DIR: &str = "index";
/// The document layout's version; see `open`.
const FORMAT: &str = "4";
const FORMAT_FILE: &str = "lumbung-index-format";
/// Beyond this many changes behind, rebuilding is faster than catching up.
const REBUILD_WHEN_BEHIND: i64 = 20_000;
/// Memory for the index writer.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("index folder: {0}")]
    Directory(String),
    #[error("index files: {0}")]
    Io(#[from] std::io::Error),
    #[error("store: {0}")]
    Store(#[from] lumbung_store::StoreError),
    #[error("{0}")]
    Query(#[from] query::QueryError),
    #[error("{0}")]
    BadRequest(String),
    #[error("background task: {0}")]
    Task(String),
}

/// The search index of one node. Cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    options: IndexOptions,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    facets: facets::FacetCache,
    field_docs: stats::FieldDocsCache,
    related: search::GenerationCache<(String, String, usize), Vec<search::Hit>>,
    browse: search::GenerationCache<String, search::SearchResponse>,
    learned: std::sync::RwLock<learned::LearnedState>,
}

/// How an index is opened. The defaults are a node's; tests shrink them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    /// Memory of the index writer: a rebuild writes a segment per this much.
    pub writer_memory: usize,
    /// Threads one query searches its segments on (see `layout`).
    pub search_threads: usize,
    /// Fewest documents worth a segment of their own (see `layout`).
    pub min_segment_docs: u64,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            writer_memory: WRITER_MEMORY,
            search_threads: layout::search_threads(),
            min_segment_docs: layout::MIN_SEGMENT_DOCS,
        }
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Published cases indexed.
    pub indexed: usize,
    /// Segments the rebuild wrote before merging them.
    pub written_segments: usize,
    /// The index afterwards.
    pub layout: Layout,
}

/// How a catch-up went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUp {
    pub changes: usize,
    /// Changes to cases among them (the learned lexicon learns from cases
    /// only: posts do not make it stale).
    pub case_changes: usize,
    pub indexed: usize,
    pub removed: usize,
    pub position: i64,
}

impl SearchIndex {
    /// Opens (or creates) the index in `dir`. An index with another schema
    /// (an older version of Lumbung) is replaced by an empty one, which then
    /// catches up from the start of the change log.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        SearchIndex::open_with(dir, IndexOptions::default())
    }

    /// `open` with other options.
    pub fn open_with(dir: &Path, options: IndexOptions) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
        // An index written by another version of the document layout is
        // dropped and rebuilt (from position 0) rather than read wrongly.
        let marker = dir.join(FORMAT_FILE);
        if std::fs::read_to_string(&marker).ok().as_deref() != Some(FORMAT) {
            for entry in std::fs::read_dir(dir).map_err(|e| SearchError::Directory(e.to_string()))?.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
            std::fs::write(&marker, FORMAT)?;
        }
        let fields = Fields::build();
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let mut index = match Index::open_or_create(directory, fields.schema.clone()) {
            Ok(index) => index,
            Err(tantivy::TantivyError::SchemaError(reason)) => {
                tracing::warn!(%reason, "the index has another schema; rebuilding it");
                for entry in std::fs::read_dir(dir).map_err(|e| SearchError::Directory(e.to_string()))?.flatten() {
                    let _ = std::fs::remove_file(entry.path());
                }
                std::fs::write(&marker, FORMAT)?;
                let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                Index::create(directory, fields.schema.clone(), Default::default())?
            }
            Err(e) => return Err(e.into()),
        };
        analysis::register(&index)?;
        if options.search_threads > 1 {
            index.set_multithread_executor(options.search_threads)?;
        }
        let writer = index.writer_with_num_threads(1, options.writer_memory)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                dir: dir.to_path_buf(),
                options,
                index,
                reader,
                writer: Mutex::new(writer),
                fields,
                facets: Default::default(),
                field_docs: Default::default(),
                related: Default::default(),
                browse: Default::default(),
                learned: Default::default(),
            }),
        })
    }

    /// Opens the index of the node whose store is `store`.
    pub fn open_for(store: &Store) -> Result<SearchIndex, SearchError> {
        SearchIndex::open(&store.dir().join(INDEX_DIR))
    }

    fn fields(&self) -> &Fields {
        &self.inner.fields
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        self.inner.writer.lock().map_err(|_| SearchError::Task("writer lock poisoned".into()))
    }

    /// The change-log position the committed index reflects.
    pub fn position(&self) -> i64 {
        self.inner.index.load_metas().ok().and_then(|m| m.payload).and_then(|p| p.parse().ok()).unwrap_or(0)
    }

    /// The generation of the searcher that queries use now: it changes when
    /// a commit becomes visible to searches. Cheap (no disk read), for caches
    /// of answers built from the index.
    pub fn searcher_generation(&self) -> u64 {
        self.inner.reader.searcher().generation().generation_id()
    }

    /// Number of documents visible to searches (cases and discussions).
    pub fn len(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Published cases visible to searches (documents of kind `case`).
    pub fn case_count(&self) -> Result<usize, SearchError> {
        let searcher = self.inner.reader.searcher();
        let cases = Term::from_field_text(self.fields().kind, schema::KIND_CASE);
        Ok(searcher.search(
            &tantivy::query::TermQuery::new(cases, tantivy::schema::IndexRecordOption::Basic),
            &tantivy::collector::Count,
        )?)
    }

    /// Applies every change since the index's position: published cases and
    /// public discussions are (re)indexed, anything else is removed. Commits
    /// with the new position.
    pub async fn catch_up(&self, store: &Store) -> Result<CatchUp, SearchError> {
        let mut total = CatchUp { position: self.position(), ..Default::default() };
        loop {
            let changes = store.changes_since(total.position, 5_000).await?;
            let Some(last) = changes.last() else { break };
            let position = last.seq;
            let ids: BTreeSet<String> =
                changes.iter().filter(|c| c.entity == Entity::Case).map(|c| c.entity_id.clone()).collect();
            let mut cases = Vec::with_capacity(ids.len());
            let mut gone = Vec::new();
            for id in &ids {
                match store.get_case(id).await? {
                    Some(case) if case.status == Status::Published => cases.push(case),
                    _ => gone.push(id.clone()),
                }
            }
            let (threads, gone_threads) = changed_threads(store, &changes, &ids).await?;
            let (resources, gone_resources) = changed_resources(store, &changes).await?;
            let org_types = org_types(store).await?;
            total.changes += changes.len();
            total.case_changes += ids.len();
            total.indexed += cases.len() + threads.len() + resources.len();
            total.removed += gone.len() + gone_threads.len() + gone_resources.len();
            total.position = position;
            gone.extend(gone_threads);
            gone.extend(gone_resources);
            let this = self.clone();
            tokio::task::spawn_blocking(move || this.apply(&cases, &threads, &resources, &gone, &org_types, position))
                .await
                .map_err(|e| SearchError::Task(e.to_string()))??;
        }
        Ok(total)
    }

    /// Brings the index up to date with the store: a rebuild when it is far
    /// behind (or new), else a catch-up. Returns the number of changes it was behind.
    pub async fn sync(&self, store: &Store, progress: &dyn Fn(usize)) -> Result<i64, SearchError> {
        let behind = store.last_change().await? - self.position();
        if behind > REBUILD_WHEN_BEHIND || (self.position() == 0 && behind > 0) {
            self.rebuild(store, progress).await?;
        } else if behind > 0 {
            self.catch_up(store).await?;
        }
        Ok(behind)
    }

    /// Replaces the index with every published case of the store, merges
    /// its segments into the target count (see `layout`) and deletes the
    /// files of every segment it replaced. `progress` is told how many
    /// cases were read so far. A merge that fails is an error: the index
    /// is complete and searchable, but not as promised.
    pub async fn rebuild(&self, store: &Store, progress: &dyn Fn(usize)) -> Result<Rebuilt, SearchError> {
        let position = store.last_change().await?;
        let org_types = org_types(store).await?;
        {
            let this = self.clone();
            tokio::task::spawn_blocking(move || this.begin_rebuild())
                .await
                .map_err(|e| SearchError::Task(e.to_string()))??;
        }
        let mut after: Option<String> = None;
        let (mut read, mut indexed) = (0, 0);
        loop {
            let page = store.cases_after(after.as_deref(), 2_000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            read += page.len();
            let published: Vec<Case> = page.into_iter().filter(|c| c.status == Status::Published).collect();
            indexed += published.len();
            let this = self.clone();
            let types = org_types.clone();
            tokio::task::spawn_blocking(move || this.add(&published, &types))
                .await
                .map_err(|e| SearchError::Task(e.to_string()))??;
            progress(read);
            tracing::debug!(read, indexed, "search rebuild progress");
        }
        // Then the public discussions.
        let mut after: Option<String> = None;
        loop {
            let page = store.threads_after(after.as_deref(), 500).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            let mut docs = Vec::new();
            for thread in page {
                if let Some(posts) = public_posts(store, &thread).await? {
                    docs.push((thread, posts));
                }
            }
            let this = self.clone();
            tokio::task::spawn_blocking(move || this.add_threads(&docs))
                .await
                .map_err(|e| SearchError::Task(e.to_string()))??;
        }
        // Then the resources (guides, toolkits, reports…).
        let mut offset = 0;
        loop {
            let filter = lumbung_store::ResourceFilter { limit: 500, offset, ..Default::default() };
            let page = store.resources(&filter).await?.items;
            offset += 500;
            let more = page.len() == 500;
            let this = self.clone();
            tokio::task::spawn_blocking(move || this.add_resources(&page))
                .await
                .map_err(|e| SearchError::Task(e.to_string()))??;
            if !more {
                break;
            }
        }
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.finish_rebuild(position, indexed))
            .await
            .map_err(|e| SearchError::Task(e.to_string()))?
    }

    /// The start of a rebuild: every document deleted (when committed).
    fn begin_rebuild(&self) -> Result<(), SearchError> {
        let writer = self.writer()?;
        // The segments are merged once, at the end, into the target count;
        // merges in the meantime would be redone and would hold segments
        // that the final merge needs.
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        writer.delete_all_documents()?;
        Ok(())
    }

    /// The end of a rebuild: commit, merge into the target count, delete
    /// the files of every replaced segment, check the outcome.
    fn finish_rebuild(&self, position: i64, indexed: usize) -> Result<Rebuilt, SearchError> {
        self.commit(position)?;
        let written_segments = self.inner.index.searchable_segment_ids()?.len();
        let layout = self.compact()?;
        if !layout.is_clean() {
            tracing::warn!(%layout, "the rebuilt index is not as promised");
        }
        Ok(Rebuilt { indexed, written_segments, layout })
    }

    fn add(&self, cases: &[Case], org_types: &HashMap<String, String>) -> Result<(), SearchError> {
        let writer = self.writer()?;
        for case in cases {
            writer.add_document(document::build(self.fields(), case, org_types))?;
        }
        Ok(())
    }

    fn add_threads(&self, threads: &[(Thread, Vec<Post>)]) -> Result<(), SearchError> {
        let writer = self.writer()?;
        for (thread, posts) in threads {
            writer.add_document(document::build_thread(self.fields(), thread, posts))?;
        }
        Ok(())
    }

    fn add_resources(&self, resources: &[lumbung_core::Resource]) -> Result<(), SearchError> {
        let writer = self.writer()?;
        for r in resources {
            writer.add_document(document::build_resource(self.fields(), r))?;
        }
        Ok(())
    }

    fn apply(
        &self,
        cases: &[Case],
        threads: &[(Thread, Vec<Post>)],
        resources: &[lumbung_core::Resource],
        gone: &[String],
        org_types: &HashMap<String, String>,
        position: i64,
    ) -> Result<(), SearchError> {
        {
            let writer = self.writer()?;
            for case in cases {
                writer.delete_term(Term::from_field_text(self.fields().id, &case.id));
                writer.add_document(document::build(self.fields(), case, org_types))?;
            }
            for (thread, posts) in threads {
                writer.delete_term(Term::from_field_text(self.fields().id, &thread.id));
                writer.add_document(document::build_thread(self.fields(), thread, posts))?;
            }
            for r in resources {
                writer.delete_term(Term::from_field_text(self.fields().id, &r.id));
                writer.add_document(document::build_resource(self.fields(), r))?;
            }
            for id in gone {
                writer.delete_term(Term::from_field_text(self.fields().id, id));
            }
        }
        self.commit(position)
    }

    /// Commits with the change-log position, reloads the reader and
    /// deletes the files of segments the commit replaced.
    fn commit(&self, position: i64) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&position.to_string());
        prepared.commit()?;
        drop(writer);
        self.tidy()
    }

    /// `tidy` off the async threads.
    async fn tidy_in_background(&self) -> Result<(), SearchError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.tidy()).await.map_err(|e| SearchError::Task(e.to_string()))?
    }

    /// Every case id in the index (discussions left out).
    pub fn ids(&self) -> Result<BTreeSet<String>, SearchError> {
        let searcher = self.inner.reader.searcher();
        let mut ids = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64)?;
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let d: TantivyDocument = store.get(doc)?;
                if d.get_first(self.fields().kind).and_then(|v| v.as_str()) != Some(schema::KIND_CASE) {
                    continue;
                }
                if let Some(id) = d.get_first(self.fields().id).and_then(|v| v.as_str()) {
                    ids.insert(id.to_owned());
                }
            }
        }
        Ok(ids)
    }

    /// Differences between the store's published cases and the index:
    /// (published but missing from the index, in the index but not published).
    pub async fn compare(&self, store: &Store) -> Result<(Vec<String>, Vec<String>), SearchError> {
        let indexed = self.ids()?;
        let mut published = BTreeSet::new();
        let mut after: Option<String> = None;
        loop {
            let page = store.cases_after(after.as_deref(), 5_000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            published.extend(page.into_iter().filter(|c| c.status == Status::Published).map(|c| c.id));
        }
        let missing = published.difference(&indexed).cloned().collect();
        let extra = indexed.difference(&published).cloned().collect();
        Ok((missing, extra))
    }

    /// Follows the change log in the background: catches up every `every`,
    /// so a change is searchable within about that time. Errors are logged
    /// and retried; the task ends when the store is closed.
    pub fn follow(&self, store: Store, every: Duration) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // Files an earlier process left (a crash, a merge cut short).
            if let Err(e) = this.tidy_in_background().await {
                tracing::warn!(error = %e, "tidying the search index failed");
            }
            this.relearn_in_background();
            loop {
                ticker.tick().await;
                match store.last_change().await {
                    Ok(last) if last == this.position() => {
                        // tantivy's merge policy merges the follower's small
                        // segments in the background: search the merged
                        // segment and delete the files of the merged-away ones.
                        if this.merged_since_reload() {
                            if let Err(e) = this.tidy_in_background().await {
                                tracing::warn!(error = %e, "tidying the search index failed; will retry");
                            }
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) if store.is_closed() => {
                        tracing::debug!(error = %e, "store closed; search follower stops");
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "search follower cannot read the change log");
                        continue;
                    }
                }
                match this.catch_up(&store).await {
                    Ok(done) if done.changes > 0 => {
                        tracing::debug!(
                            changes = done.changes,
                            indexed = done.indexed,
                            removed = done.removed,
                            "index caught up"
                        );
                        if done.case_changes > 0 {
                            this.relearn_in_background();
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "search index catch-up failed; will retry"),
                }
            }
        })
    }
}

async fn org_types(store: &Store) -> Result<HashMap<String, String>, SearchError> {
    Ok(store.list_organisations().await?.into_iter().map(|o| (o.id, o.content.org_type)).collect())
}

/// The resources the changes touch, as (those to index, ids of removed ones).
async fn changed_resources(
    store: &Store,
    changes: &[lumbung_store::Change],
) -> Result<(Vec<lumbung_core::Resource>, Vec<String>), SearchError> {
    let ids: BTreeSet<&str> =
        changes.iter().filter(|c| c.entity == Entity::Resource).map(|c| c.entity_id.as_str()).collect();
    let (mut found, mut gone) = (Vec::new(), Vec::new());
    for id in ids {
        match store.resource(id).await? {
            Some(r) => found.push(r),
            None => gone.push(id.to_owned()),
        }
    }
    Ok((found, gone))
}

/// The threads the changes touch, as (public ones with their posts, ids of
/// the others): a thread's own changes, its posts' (written, edited, hidden,
/// restored), its room's (a room made members-only takes its threads out)
/// and its case's (`case_ids`: a case withdrawn takes its discussion out).
async fn changed_threads(
    store: &Store,
    changes: &[lumbung_store::Change],
    case_ids: &BTreeSet<String>,
) -> Result<(Vec<(Thread, Vec<Post>)>, Vec<String>), SearchError> {
    let mut ids = BTreeSet::new();
    for change in changes {
        match change.entity {
            Entity::Thread => {
                ids.insert(change.entity_id.clone());
            }
            Entity::Post => {
                if let Some(post) = store.post(&change.entity_id).await? {
                    ids.insert(post.thread_id);
                }
            }
            // Membership changes nothing the public sees.
            Entity::Room if !change.action.starts_with("member:") => {
                let mut offset = 0;
                loop {
                    let page = store.room_threads(&change.entity_id, 500, offset).await?;
                    offset += 500;
                    let more = page.len() == 500;
                    ids.extend(page.into_iter().map(|t| t.id));
                    if !more {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    for case in case_ids {
        ids.extend(store.case_threads(case).await?.into_iter().map(|t| t.id));
    }
    let (mut public, mut gone) = (Vec::new(), Vec::new());
    for id in ids {
        match store.thread(&id).await? {
            Some(thread) => match public_posts(store, &thread).await? {
                Some(posts) => public.push((thread, posts)),
                None => gone.push(id),
            },
            None => gone.push(id),
        }
    }
    Ok((public, gone))
}

/// The posts to index of a thread anyone may read (one of a public room, or
/// of a published case); None for any other thread.
async fn public_posts(store: &Store, thread: &Thread) -> Result<Option<Vec<Post>>, SearchError> {
    let public = match (&thread.room, &thread.case_id) {
        (Some(slug), _) => store.room(slug).await?.is_some_and(|r| r.kind == RoomKind::Public),
        (None, Some(case)) => store.get_case(case).await?.is_some_and(|c| c.status == Status::Published),
        (None, None) => false,
    };
    if !public {
        return Ok(None);
    }
    Ok(Some(store.posts(&thread.id, 1, document::THREAD_POSTS).await?))
}
