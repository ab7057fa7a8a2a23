//! Case queries: read, list with filters and cursor pagination, create,
//! update with optimistic concurrency, import in batches, revisions.

use std::collections::{HashMap, HashSet};

use lumbung_core::{Actor, Case, Status, permissions};
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, Transaction};

use crate::{Store, StoreError, changelog, time_fmt};

/// Which cases a reader may see in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Curators and administrators.
    All,
    /// Anonymous readers and readers.
    Published,
    /// Authors: published cases and their own.
    PublishedOrOwnedBy(String),
}

impl Visibility {
    pub fn for_actor(actor: Option<&Actor>) -> Visibility {
        match actor {
            _ if permissions::sees_all_cases(actor) => Visibility::All,
            Some(a) if a.role.can_author() => Visibility::PublishedOrOwnedBy(a.account_id.clone()),
            _ => Visibility::Published,
        }
    }
}

/// Filters for listing cases. Values within one field are OR-ed; fields are AND-ed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub countries: Vec<String>,
    pub sectors: Vec<String>,
    pub levels: Vec<String>,
    pub stages: Vec<String>,
    pub facets: Vec<String>,
    pub sdgs: Vec<String>,
    pub organisations: Vec<String>,
    pub tags: Vec<String>,
    pub statuses: Vec<Status>,
    pub operating_statuses: Vec<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub completeness_min: Option<u8>,
    pub completeness_max: Option<u8>,
    pub created_by: Option<String>,
}

/// One page of a case list.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub items: Vec<Case>,
    pub total: i64,
    pub next: Option<String>,
}

/// How an import treats records already on the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Skip a record whose id is already stored.
    ById,
    /// Also skip a record whose source URL is already stored (CSV re-imports).
    BySourceUrl,
    /// Harvested copies: also skip one whose origin identifier is stored.
    Harvest,
}

/// What one import batch did.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub inserted: usize,
    /// (index in the batch, reason) of records not written.
    pub skipped: Vec<(usize, String)>,
}

/// A revision without its data, for history lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RevisionSummary {
    pub version: i64,
    pub action: String,
    pub actor_id: Option<String>,
    pub comment: Option<String>,
    pub created_at: String,
}

/// A revision with the case as it was.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    #[serde(flatten)]
    pub summary: RevisionSummary,
    pub case: Case,
}

/// version, action, actor_id, comment, created_at.
type RevisionRow = (i64, String, Option<String>, Option<String>, String);
/// A revision row followed by the case's JSON.
type RevisionDataRow = (i64, String, Option<String>, Option<String>, String, String);

/// Case counts by filter, valid at one change-log position.
#[derive(Debug, Default)]
pub(crate) struct CountCache {
    entries: std::sync::Mutex<HashMap<String, (i64, i64)>>,
}

impl CountCache {
    const MAX_ENTRIES: usize = 4096;

    fn get(&self, key: &str, seq: i64) -> Option<i64> {
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key).filter(|(at, _)| *at == seq).map(|(_, total)| *total)
    }

    fn put(&self, key: String, seq: i64, total: i64) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= Self::MAX_ENTRIES {
            map.retain(|_, (at, _)| *at == seq);
        }
        map.insert(key, (seq, total));
    }
}

const TERM_FIELDS: [&str; 5] = ["sector", "facet", "sdg", "organisation", "tag"];

impl Store {
    /// The case with this id, whoever may see it (callers check permissions).
    pub async fn get_case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        let data: Option<String> =
            sqlx::query_scalar("SELECT data FROM cases WHERE id = ?").bind(id).fetch_optional(&self.read).await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// The harvested copy of a case with this global (origin) identifier.
    pub async fn case_by_origin_identifier(&self, identifier: &str) -> Result<Option<Case>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM cases WHERE origin_identifier = ?")
            .bind(identifier)
            .fetch_optional(&self.read)
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// The harvested copies among these origin identifiers, by identifier.
    pub async fn cases_by_origin_identifiers(
        &self,
        identifiers: &[String],
    ) -> Result<HashMap<String, Case>, StoreError> {
        let mut found = HashMap::new();
        for chunk in identifiers.chunks(500) {
            let mut q = QueryBuilder::<Sqlite>::new("SELECT data FROM cases WHERE origin_identifier IN (");
            push_list(&mut q, chunk);
            q.push(")");
            let rows: Vec<String> = q.build_query_scalar().fetch_all(&self.read).await?;
            for data in rows {
                let case: Case = serde_json::from_str(&data)?;
                if let Some(o) = &case.origin {
                    found.insert(o.identifier.clone(), case);
                }
            }
        }
        Ok(found)
    }

    /// A page of cases, newest first, after `cursor` (the last id of the previous page).
    pub async fn list_cases(
        &self,
        filter: &CaseFilter,
        visibility: &Visibility,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<CasePage, StoreError> {
        let total = self.count_cases(filter, visibility).await?;
        // Pick the page's ids first (from indexes only), then load their
        // records: sorting whole records would move every match's JSON.
        let mut q =
            QueryBuilder::<Sqlite>::new("SELECT id, data FROM cases WHERE id IN (SELECT id FROM cases WHERE 1 = 1");
        push_filters(&mut q, filter, visibility);
        if let Some(c) = cursor {
            q.push(" AND id < ").push_bind(c.to_owned());
        }
        q.push(" ORDER BY id DESC LIMIT ").push_bind(limit + 1).push(") ORDER BY id DESC");
        let rows: Vec<(String, String)> = q.build_query_as().fetch_all(&self.read).await?;
        let more = rows.len() as i64 > limit;
        let mut items = Vec::with_capacity(rows.len());
        for (_, data) in rows.into_iter().take(usize::try_from(limit).unwrap_or(0)) {
            items.push(serde_json::from_str::<Case>(&data)?);
        }
        let next = if more { items.last().map(|c| c.id.clone()) } else { None };
        Ok(CasePage { items, total, next })
    }

    /// How many cases match a filter. Counts are cached until the change log
    /// moves on, so that paging through a list does not count it again.
    pub async fn count_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<i64, StoreError> {
        // Read the log position before counting: a write in between only
        // makes the cached entry look older than it is, never newer.
        let seq = self.last_change().await?;
        let key = format!("{filter:?}|{visibility:?}");
        if let Some(total) = self.counts.get(&key, seq) {
            return Ok(total);
        }
        let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM cases WHERE 1 = 1");
        push_filters(&mut count, filter, visibility);
        let total: i64 = count.build_query_scalar().fetch_one(&self.read).await?;
        self.counts.put(key, seq, total);
        Ok(total)
    }

    /// Stores a new case with its first revision and change-log entry.
    pub async fn create_case(&self, case: &Case, actor: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        let json = insert_case(&mut tx, case).await?;
        write_revision_json(&mut tx, case, &json, "create", actor, None).await?;
        changelog::append(&mut tx, "case", &case.id, "create", case.version, actor, case.updated_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a case in one transaction: reads it, checks the version the
    /// client saw (when given), lets `apply` change it (or refuse), then writes
    /// the new state, a revision and a change-log entry.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_case<E, F>(
        &self,
        id: &str,
        expected_version: Option<i64>,
        action: &str,
        actor: Option<&str>,
        comment: Option<&str>,
        apply: F,
    ) -> Result<Case, E>
    where
        E: From<StoreError>,
        F: FnOnce(&mut Case) -> Result<(), E>,
    {
        let mut tx = self.write.begin().await.map_err(StoreError::from)?;
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM cases WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        let mut case: Case = serde_json::from_str(&data.ok_or(StoreError::NotFound)?).map_err(StoreError::from)?;
        let before = case.version;
        apply(&mut case)?;
        if let Some(v) = expected_version {
            if v != before {
                return Err(StoreError::Conflict { current: before }.into());
            }
        }
        let now = lumbung_core::clock::now();
        case.version = before + 1;
        case.updated_at = now;
        if case.status == Status::Published && case.published_at.is_none() {
            case.published_at = Some(now);
        }
        case.refresh_derived();
        let json = serde_json::to_string(&case).map_err(StoreError::from)?;
        let updated = sqlx::query(
            "UPDATE cases SET status = ?, country = ?, level_of_government = ?, lifecycle_stage = ?,
                year_launched = ?, operating_status = ?, completeness = ?, source_url = ?, origin_identifier = ?,
                version = ?, updated_at = ?, published_at = ?, data = ?, changed_s = ?
             WHERE id = ? AND version = ?",
        )
        .bind(case.status.as_str())
        .bind(&case.content.country)
        .bind(&case.content.level_of_government)
        .bind(&case.content.lifecycle_stage)
        .bind(case.content.year_launched)
        .bind(&case.content.operating_status)
        .bind(i64::from(case.completeness))
        .bind(&case.content.source_url)
        .bind(case.origin.as_ref().map(|o| &o.identifier))
        .bind(case.version)
        .bind(time_fmt::fmt(case.updated_at))
        .bind(case.published_at.map(time_fmt::fmt))
        .bind(&json)
        .bind(case.updated_at.unix_timestamp())
        .bind(&case.id)
        .bind(before)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, "another case has the same origin identifier"))?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { current: before }.into());
        }
        write_terms(&mut tx, &case, true).await?;
        write_revision_json(&mut tx, &case, &json, action, actor, comment).await?;
        changelog::append(&mut tx, "case", &case.id, action, case.version, actor, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(case)
    }

    /// Writes a batch of imported cases in one transaction. Records already
    /// present (by id, or by source URL in that mode) are skipped, not replaced.
    pub async fn import_cases(
        &self,
        cases: &[Case],
        mode: ImportMode,
        actor: Option<&str>,
    ) -> Result<ImportOutcome, StoreError> {
        let mut outcome = ImportOutcome::default();
        let mut tx = self.write.begin().await?;
        // What is already stored, asked once per batch rather than once per case:
        // each statement is a round trip to SQLite's thread.
        let stored_ids = present(&mut tx, "id", cases.iter().map(|c| c.id.as_str())).await?;
        let stored_origins = if mode == ImportMode::Harvest {
            present(
                &mut tx,
                "origin_identifier",
                cases.iter().filter_map(|c| c.origin.as_ref().map(|o| o.identifier.as_str())),
            )
            .await?
        } else {
            HashSet::new()
        };
        let stored_urls = if mode == ImportMode::BySourceUrl {
            present(&mut tx, "source_url", cases.iter().filter_map(|c| c.content.source_url.as_deref())).await?
        } else {
            HashSet::new()
        };
        let (mut seen_ids, mut seen_origins, mut seen_urls) = (HashSet::new(), HashSet::new(), HashSet::new());
        let mut accepted: Vec<&Case> = Vec::with_capacity(cases.len());
        for (i, case) in cases.iter().enumerate() {
            if stored_ids.contains(&case.id) || !seen_ids.insert(case.id.as_str()) {
                outcome.skipped.push((i, format!("a case with id {} is already stored", case.id)));
                continue;
            }
            if let (ImportMode::Harvest, Some(origin)) = (mode, case.origin.as_ref()) {
                if stored_origins.contains(&origin.identifier) || !seen_origins.insert(origin.identifier.as_str()) {
                    outcome.skipped.push((i, format!("a copy of {} is already stored", origin.identifier)));
                    continue;
                }
            }
            if mode == ImportMode::BySourceUrl {
                if let Some(url) = case.content.source_url.as_deref() {
                    if stored_urls.contains(url) || !seen_urls.insert(url) {
                        outcome.skipped.push((i, format!("a case from {url} is already stored")));
                        continue;
                    }
                }
            }
            accepted.push(case);
        }
        let action = if mode == ImportMode::Harvest { "harvest" } else { "import" };
        insert_cases(&mut tx, &accepted, action, actor).await?;
        outcome.inserted = accepted.len();
        tx.commit().await?;
        Ok(outcome)
    }

    /// Every case ordered by id, after `after`, at most `limit`: for exports.
    pub async fn cases_after(&self, after: Option<&str>, limit: i64) -> Result<Vec<Case>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM cases WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
    }

    /// The history of a case, oldest first.
    pub async fn case_revisions(&self, id: &str) -> Result<Vec<RevisionSummary>, StoreError> {
        let rows: Vec<RevisionRow> = sqlx::query_as(
            "SELECT version, action, actor_id, comment, created_at FROM case_revisions WHERE case_id = ? ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(version, action, actor_id, comment, created_at)| RevisionSummary {
                version,
                action,
                actor_id,
                comment,
                created_at,
            })
            .collect())
    }

    /// One revision of a case with the record as it was then.
    pub async fn case_revision(&self, id: &str, version: i64) -> Result<Option<Revision>, StoreError> {
        let row: Option<RevisionDataRow> = sqlx::query_as(
            "SELECT version, action, actor_id, comment, created_at, data FROM case_revisions
             WHERE case_id = ? AND version = ?",
        )
        .bind(id)
        .bind(version)
        .fetch_optional(&self.read)
        .await?;
        row.map(|(version, action, actor_id, comment, created_at, data)| {
            Ok(Revision {
                summary: RevisionSummary { version, action, actor_id, comment, created_at },
                case: serde_json::from_str(&data)?,
            })
        })
        .transpose()
    }
}

fn push_filters(q: &mut QueryBuilder<'_, Sqlite>, f: &CaseFilter, v: &Visibility) {
    match v {
        Visibility::All => {}
        Visibility::Published => {
            q.push(" AND status = 'published'");
        }
        Visibility::PublishedOrOwnedBy(owner) => {
            q.push(" AND (status = 'published' OR created_by = ").push_bind(owner.clone()).push(")");
        }
    }
    let statuses: Vec<String> = f.statuses.iter().map(|s| s.as_str().to_owned()).collect();
    for (column, values) in [
        ("country", &f.countries),
        ("level_of_government", &f.levels),
        ("lifecycle_stage", &f.stages),
        ("operating_status", &f.operating_statuses),
        ("status", &statuses),
    ] {
        if !values.is_empty() {
            q.push(format_args!(" AND {column} IN ("));
            push_list(q, values);
            q.push(")");
        }
    }
    for (field, values) in [
        ("sector", &f.sectors),
        ("facet", &f.facets),
        ("sdg", &f.sdgs),
        ("organisation", &f.organisations),
        ("tag", &f.tags),
    ] {
        if !values.is_empty() {
            q.push(" AND id IN (SELECT case_id FROM case_terms WHERE field = ")
                .push_bind(field)
                .push(" AND value IN (");
            push_list(q, values);
            q.push("))");
        }
    }
    if let Some(y) = f.year_from {
        q.push(" AND year_launched >= ").push_bind(y);
    }
    if let Some(y) = f.year_to {
        q.push(" AND year_launched <= ").push_bind(y);
    }
    if let Some(c) = f.completeness_min {
        q.push(" AND completeness >= ").push_bind(i64::from(c));
    }
    if let Some(c) = f.completeness_max {
        q.push(" AND completeness <= ").push_bind(i64::from(c));
    }
    if let Some(owner) = &f.created_by {
        q.push(" AND created_by = ").push_bind(owner.clone());
    }
}

fn push_list(q: &mut QueryBuilder<'_, Sqlite>, values: &[String]) {
    let mut sep = q.separated(", ");
    for v in values {
        sep.push_bind(v.clone());
    }
}

async fn insert_case(tx: &mut Transaction<'_, Sqlite>, case: &Case) -> Result<String, StoreError> {
    let json = serde_json::to_string(case)?;
    sqlx::query(
        "INSERT INTO cases (id, status, country, level_of_government, lifecycle_stage, year_launched,
            operating_status, completeness, created_by, source_url, origin_identifier, version,
            created_at, updated_at, published_at, data, changed_s)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&case.id)
    .bind(case.status.as_str())
    .bind(&case.content.country)
    .bind(&case.content.level_of_government)
    .bind(&case.content.lifecycle_stage)
    .bind(case.content.year_launched)
    .bind(&case.content.operating_status)
    .bind(i64::from(case.completeness))
    .bind(&case.created_by)
    .bind(&case.content.source_url)
    .bind(case.origin.as_ref().map(|o| &o.identifier))
    .bind(case.version)
    .bind(time_fmt::fmt(case.created_at))
    .bind(time_fmt::fmt(case.updated_at))
    .bind(case.published_at.map(time_fmt::fmt))
    .bind(&json)
    .bind(case.updated_at.unix_timestamp())
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::on_unique(e, "a case with this id or origin identifier already exists"))?;
    write_terms(tx, case, false).await?;
    Ok(json)
}

async fn write_terms(tx: &mut Transaction<'_, Sqlite>, case: &Case, replace: bool) -> Result<(), StoreError> {
    if replace {
        sqlx::query("DELETE FROM case_terms WHERE case_id = ?").bind(&case.id).execute(&mut **tx).await?;
    }
    let terms = case_terms(case);
    if terms.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO case_terms (field, value, case_id) ");
    q.push_values(terms, |mut b, (field, value)| {
        b.push_bind(field).push_bind(value).push_bind(&case.id);
    });
    q.build().execute(&mut **tx).await?;
    Ok(())
}

/// Rows per multi-row statement: well under SQLite's 32,766 bound variables.
const ROWS_PER_STATEMENT: usize = 500;

/// Which of `values` the `cases` column holds (`column` is one of ours, never user input).
async fn present<'a>(
    tx: &mut Transaction<'_, Sqlite>,
    column: &'static str,
    values: impl Iterator<Item = &'a str>,
) -> Result<HashSet<String>, StoreError> {
    let values: Vec<&str> = values.collect();
    let mut found = HashSet::new();
    for chunk in values.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {column} FROM cases WHERE {column} IN ("));
        let mut list = q.separated(", ");
        for v in chunk {
            list.push_bind(*v);
        }
        q.push(")");
        let rows: Vec<String> = q.build_query_scalar().fetch_all(&mut **tx).await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Inserts new cases with their first revision, their terms and one change-log
/// entry each (in order, numbered on from the log's end), a few statements per
/// batch. The caller's transaction makes it all or nothing.
async fn insert_cases(
    tx: &mut Transaction<'_, Sqlite>,
    cases: &[&Case],
    action: &str,
    actor: Option<&str>,
) -> Result<(), StoreError> {
    if cases.is_empty() {
        return Ok(());
    }
    let jsons: Vec<String> = cases.iter().map(serde_json::to_string).collect::<Result<_, _>>()?;
    let rows: Vec<(&Case, &String)> = cases.iter().copied().zip(jsons.iter()).collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO cases (id, status, country, level_of_government, lifecycle_stage, year_launched,
                operating_status, completeness, created_by, source_url, origin_identifier, version,
                created_at, updated_at, published_at, data, changed_s) ",
        );
        q.push_values(chunk, |mut b, (case, json)| {
            b.push_bind(&case.id)
                .push_bind(case.status.as_str())
                .push_bind(&case.content.country)
                .push_bind(&case.content.level_of_government)
                .push_bind(&case.content.lifecycle_stage)
                .push_bind(case.content.year_launched)
                .push_bind(&case.content.operating_status)
                .push_bind(i64::from(case.completeness))
                .push_bind(&case.created_by)
                .push_bind(&case.content.source_url)
                .push_bind(case.origin.as_ref().map(|o| &o.identifier))
                .push_bind(case.version)
                .push_bind(time_fmt::fmt(case.created_at))
                .push_bind(time_fmt::fmt(case.updated_at))
                .push_bind(case.published_at.map(time_fmt::fmt))
                .push_bind(json.as_str())
                .push_bind(case.updated_at.unix_timestamp());
        });
        q.build()
            .execute(&mut **tx)
            .await
            .map_err(|e| StoreError::on_unique(e, "a case with this id or origin identifier already exists"))?;
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO case_revisions (case_id, version, action, actor_id, comment, created_at, data) ",
        );
        q.push_values(chunk, |mut b, (case, json)| {
            b.push_bind(&case.id)
                .push_bind(case.version)
                .push_bind(action)
                .push_bind(actor)
                .push_bind(None::<&str>)
                .push_bind(time_fmt::fmt(case.updated_at))
                .push_bind(json.as_str());
        });
        q.build().execute(&mut **tx).await?;
    }
    let terms: Vec<(&str, String, &str)> =
        cases.iter().flat_map(|c| case_terms(c).into_iter().map(|(f, v)| (f, v, c.id.as_str()))).collect();
    for chunk in terms.chunks(ROWS_PER_STATEMENT * 3) {
        let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO case_terms (field, value, case_id) ");
        q.push_values(chunk, |mut b, (field, value, id)| {
            b.push_bind(*field).push_bind(value.as_str()).push_bind(*id);
        });
        q.build().execute(&mut **tx).await?;
    }
    let last: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log").fetch_one(&mut **tx).await?;
    let numbered: Vec<(i64, &Case)> = (last + 1..).zip(cases.iter().copied()).collect();
    for chunk in numbered.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO change_log (seq, entity, entity_id, action, version, actor_id, at) ",
        );
        q.push_values(chunk, |mut b, (seq, case)| {
            b.push_bind(*seq)
                .push_bind("case")
                .push_bind(&case.id)
                .push_bind(action)
                .push_bind(case.version)
                .push_bind(actor)
                .push_bind(time_fmt::fmt(case.updated_at));
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The (field, value) rows of `case_terms` for one case: multi-valued facets, deduplicated.
fn case_terms(case: &Case) -> Vec<(&'static str, String)> {
    let c = &case.content;
    let sdgs: Vec<String> = c.sdgs.iter().map(u32::to_string).collect();
    let tags: Vec<String> = c.tags.iter().map(|t| t.to_lowercase()).collect();
    let mut terms: Vec<(&'static str, String)> = Vec::new();
    for (field, values) in TERM_FIELDS.iter().zip([&c.sectors, &c.innovation_facets, &sdgs, &c.organisations, &tags]) {
        for v in values {
            if !terms.iter().any(|(f, x)| f == field && x == v) {
                terms.push((field, v.clone()));
            }
        }
    }
    terms
}

async fn write_revision_json(
    tx: &mut Transaction<'_, Sqlite>,
    case: &Case,
    json: &str,
    action: &str,
    actor: Option<&str>,
    comment: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO case_revisions (case_id, version, action, actor_id, comment, created_at, data)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&case.id)
    .bind(case.version)
    .bind(action)
    .bind(actor)
    .bind(comment)
    .bind(time_fmt::fmt(case.updated_at))
    .bind(json)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
