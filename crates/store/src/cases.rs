//! Case queries: read, list with filters and cursor pagination, create,
//! update with optimistic concurrency, import in batches, revisions.

use std::collections::{HashMap, HashSet};

use crate::changelog::Entity;
use crate::sql::Sql;
use crate::{Backend, Store, StoreError, Tx, time_fmt};
use lumbung_core::{Actor, Case, RevisionAction, Status, permissions};
use serde::Serialize;
use sqlx::AnyConnection;
use time::OffsetDateTime;

/// Which cases a reader may see in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Curators and administrators.
    All,
    /// Anonymous readers and readers.
    Published,
    /// Authors: published cases, their own and (contributors) their organisation's.
    PublishedOrOwnedBy(String, Option<String>),
}

impl Visibility {
    pub fn for_actor(actor: Option<&Actor>) -> Visibility {
        match actor {
            _ if permissions::sees_all_cases(actor) => Visibility::All,
            Some(a) if a.role.can_author() => Visibility::PublishedOrOwnedBy(
                a.account_id.clone(),
                a.organisation.clone().filter(|_| a.role == lumbung_core::Role::Contributor),
            ),
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
    /// Cases belonging to this organisation (with their authors).
    pub owner_org: Option<String>,
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
    pub action: RevisionAction,
    pub actor_id: Option<String>,
    pub comment: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
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
    /// The ids of every case of a country, in id order.
    pub async fn case_ids_of_country(&self, country: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM cases WHERE country = $1 ORDER BY id")
            .bind(country)
            .fetch_all(&self.pools.read)
            .await?)
    }

    pub async fn get_case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// The harvested copy of a case with this global (origin) identifier.
    pub async fn case_by_origin_identifier(&self, identifier: &str) -> Result<Option<Case>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM cases WHERE origin_identifier = $1")
            .bind(identifier)
            .fetch_optional(&self.pools.read)
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// The harvested copies among these origin identifiers, by identifier.
    pub async fn cases_by_origin_identifiers(
        &self,
        identifiers: &[String],
    ) -> Result<HashMap<String, Case>, StoreError> {
        let mut conn = self.pools.read.acquire().await?;
        copies_by_origin(&mut conn, self.pools.backend, identifiers).await
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
            Sql::new(self.pools.backend, "SELECT id, data FROM cases WHERE id IN (SELECT id FROM cases WHERE 1 = 1");
        push_filters(&mut q, filter, visibility);
        if let Some(c) = cursor {
            q.push(" AND id < ").bind(c.to_owned());
        }
        q.push(" ORDER BY id DESC LIMIT ").bind(limit + 1).push(") ORDER BY id DESC");
        let rows: Vec<(String, String)> = q.query_as().fetch_all(&self.pools.read).await?;
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
        let mut count = Sql::new(self.pools.backend, "SELECT count(*) FROM cases WHERE 1 = 1");
        push_filters(&mut count, filter, visibility);
        let total: i64 = count.query_scalar().fetch_one(&self.pools.read).await?;
        self.counts.put(key, seq, total);
        Ok(total)
    }

    /// Stores a new case with its first revision and change-log entry.
    pub async fn create_case(&self, case: &Case, actor: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.create_case(case, actor).await?;
        tx.commit().await
    }

    /// [`Tx::update_case`] in a transaction of its own.
    pub async fn update_case<E, F>(
        &self,
        id: &str,
        expected_version: Option<i64>,
        action: RevisionAction,
        actor: Option<&str>,
        comment: Option<&str>,
        apply: F,
    ) -> Result<Case, E>
    where
        E: From<StoreError>,
        F: FnOnce(&mut Case) -> Result<(), E>,
    {
        let mut tx = self.begin().await?;
        let case = tx.update_case(id, expected_version, action, actor, comment, apply).await?;
        tx.commit().await?;
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
        let mut tx = self.begin().await?;
        let outcome = tx.import_cases(cases, mode, actor).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Every case ordered by id, after `after`, at most `limit`: for exports.
    pub async fn cases_after(&self, after: Option<&str>, limit: i64) -> Result<Vec<Case>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM cases WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
    }

    /// The history of a case, oldest first.
    pub async fn case_revisions(&self, id: &str) -> Result<Vec<RevisionSummary>, StoreError> {
        let rows: Vec<RevisionRow> = sqlx::query_as(
            "SELECT version, action, actor_id, comment, created_at FROM case_revisions WHERE case_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(revision_summary).collect()
    }

    /// One revision of a case with the record as it was then.
    pub async fn case_revision(&self, id: &str, version: i64) -> Result<Option<Revision>, StoreError> {
        let row: Option<RevisionDataRow> = sqlx::query_as(
            "SELECT version, action, actor_id, comment, created_at, data FROM case_revisions
             WHERE case_id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .fetch_optional(&self.pools.read)
        .await?;
        row.map(|(version, action, actor_id, comment, created_at, data)| {
            Ok(Revision {
                summary: revision_summary((version, action, actor_id, comment, created_at))?,
                case: serde_json::from_str(&data)?,
            })
        })
        .transpose()
    }
}

impl Tx {
    /// [`Store::cases_by_origin_identifiers`], read inside the transaction.
    pub async fn cases_by_origin_identifiers(
        &mut self,
        identifiers: &[String],
    ) -> Result<HashMap<String, Case>, StoreError> {
        let backend = self.backend;
        copies_by_origin(self.conn(), backend, identifiers).await
    }

    /// Stores a new case with its first revision and change-log entry.
    pub async fn create_case(&mut self, case: &Case, actor: Option<&str>) -> Result<(), StoreError> {
        insert_cases(self, &[case], RevisionAction::Create, actor).await
    }

    /// Changes a case: reads it, lets `apply` change it (or refuse), checks
    /// the version the client saw (when given), then writes the new state, a
    /// revision and a change-log entry.
    pub async fn update_case<E, F>(
        &mut self,
        id: &str,
        expected_version: Option<i64>,
        action: RevisionAction,
        actor: Option<&str>,
        comment: Option<&str>,
        apply: F,
    ) -> Result<Case, E>
    where
        E: From<StoreError>,
        F: FnOnce(&mut Case) -> Result<(), E>,
    {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
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
        Ok(self.write_case_update(case, before, action, actor, comment).await?)
    }

    async fn write_case_update(
        &mut self,
        case: Case,
        before: i64,
        action: RevisionAction,
        actor: Option<&str>,
        comment: Option<&str>,
    ) -> Result<Case, StoreError> {
        let json = serde_json::to_string(&case)?;
        // The version in the WHERE clause makes a concurrent writer that read
        // the same version lose: it updates nothing and reports a conflict.
        let updated = sqlx::query(
            "UPDATE cases SET status = $1, country = $2, level_of_government = $3, lifecycle_stage = $4,
                year_launched = $5, operating_status = $6, completeness = $7, source_url = $8, origin_identifier = $9,
                version = $10, updated_at = $11, published_at = $12, data = $13, changed_s = $14
             WHERE id = $15 AND version = $16",
        )
        .bind(case.status.as_str())
        .bind(&case.content.country)
        .bind(&case.content.level_of_government)
        .bind(&case.content.lifecycle_stage)
        .bind(case.content.year_launched.map(i64::from))
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
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "another case has the same origin identifier"))?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { current: before });
        }
        sqlx::query("DELETE FROM case_terms WHERE case_id = $1").bind(&case.id).execute(self.conn()).await?;
        insert_terms(self, &[&case]).await?;
        let mut q = Sql::new(
            self.backend,
            "INSERT INTO case_revisions (case_id, version, action, actor_id, comment, created_at, data) VALUES ",
        );
        q.rows([&case], |r, c| {
            r.bind(c.id.as_str())
                .bind(c.version)
                .bind(action.as_str())
                .bind(actor)
                .bind(comment)
                .bind(time_fmt::fmt(c.updated_at))
                .bind(json.as_str());
        });
        q.query().execute(self.conn()).await?;
        self.log(Entity::Case, &case.id, action.as_str(), case.version, actor, case.updated_at);
        Ok(case)
    }

    /// Writes a batch of imported cases. Records already present (by id, or
    /// by source URL or origin identifier in those modes) are skipped.
    pub async fn import_cases(
        &mut self,
        cases: &[Case],
        mode: ImportMode,
        actor: Option<&str>,
    ) -> Result<ImportOutcome, StoreError> {
        let mut outcome = ImportOutcome::default();
        // What is already stored, asked once per batch rather than once per case.
        let stored_ids = present(self, "id", cases.iter().map(|c| c.id.as_str())).await?;
        let stored_origins = if mode == ImportMode::Harvest {
            present(
                self,
                "origin_identifier",
                cases.iter().filter_map(|c| c.origin.as_ref().map(|o| o.identifier.as_str())),
            )
            .await?
        } else {
            HashSet::new()
        };
        let stored_urls = if mode == ImportMode::BySourceUrl {
            present(self, "source_url", cases.iter().filter_map(|c| c.content.source_url.as_deref())).await?
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
        let action = if mode == ImportMode::Harvest { RevisionAction::Harvest } else { RevisionAction::Import };
        insert_cases(self, &accepted, action, actor).await?;
        outcome.inserted = accepted.len();
        Ok(outcome)
    }
}

async fn copies_by_origin(
    conn: &mut AnyConnection,
    backend: Backend,
    identifiers: &[String],
) -> Result<HashMap<String, Case>, StoreError> {
    let mut found = HashMap::new();
    for chunk in identifiers.chunks(ROWS_PER_STATEMENT) {
        let mut q = Sql::new(backend, "SELECT data FROM cases WHERE origin_identifier IN (");
        q.list(chunk.iter().map(String::as_str)).push(")");
        let rows: Vec<String> = q.query_scalar().fetch_all(&mut *conn).await?;
        for data in rows {
            let case: Case = serde_json::from_str(&data)?;
            if let Some(o) = &case.origin {
                found.insert(o.identifier.clone(), case);
            }
        }
    }
    Ok(found)
}

fn revision_summary(row: RevisionRow) -> Result<RevisionSummary, StoreError> {
    let (version, action, actor_id, comment, created_at) = row;
    Ok(RevisionSummary {
        version,
        action: RevisionAction::parse(&action)
            .ok_or_else(|| StoreError::Integrity(format!("revision {version} has an unknown action '{action}'")))?,
        actor_id,
        comment,
        created_at: time_fmt::parse(&created_at)?,
    })
}

fn push_filters(q: &mut Sql<'_>, f: &CaseFilter, v: &Visibility) {
    match v {
        Visibility::All => {}
        Visibility::Published => {
            q.push(" AND status = 'published'");
        }
        Visibility::PublishedOrOwnedBy(owner, None) => {
            q.push(" AND (status = 'published' OR created_by = ").bind(owner.clone()).push(")");
        }
        Visibility::PublishedOrOwnedBy(owner, Some(org)) => {
            q.push(" AND (status = 'published' OR created_by = ")
                .bind(owner.clone())
                .push(" OR owner_org = ")
                .bind(org.clone())
                .push(")");
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
            q.push(&format!(" AND {column} IN (")).list(values.iter().cloned()).push(")");
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
                .bind(field)
                .push(" AND value IN (")
                .list(values.iter().cloned())
                .push("))");
        }
    }
    if let Some(y) = f.year_from {
        q.push(" AND year_launched >= ").bind(i64::from(y));
    }
    if let Some(y) = f.year_to {
        q.push(" AND year_launched <= ").bind(i64::from(y));
    }
    if let Some(c) = f.completeness_min {
        q.push(" AND completeness >= ").bind(i64::from(c));
    }
    if let Some(c) = f.completeness_max {
        q.push(" AND completeness <= ").bind(i64::from(c));
    }
    if let Some(org) = &f.owner_org {
        q.push(" AND owner_org = ").bind(org.clone());
    }
    if let Some(owner) = &f.created_by {
        q.push(" AND created_by = ").bind(owner.clone());
    }
}

/// Rows per multi-row statement: well under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound values.
const ROWS_PER_STATEMENT: usize = 500;

/// Which of `values` the `cases` column holds (`column` is one of ours, never user input).
async fn present<'a>(
    tx: &mut Tx,
    column: &'static str,
    values: impl Iterator<Item = &'a str>,
) -> Result<HashSet<String>, StoreError> {
    let values: Vec<&str> = values.collect();
    let mut found = HashSet::new();
    for chunk in values.chunks(ROWS_PER_STATEMENT) {
        let mut q = Sql::new(tx.backend, &format!("SELECT {column} FROM cases WHERE {column} IN ("));
        q.list(chunk.iter().copied()).push(")");
        let rows: Vec<String> = q.query_scalar().fetch_all(tx.conn()).await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Inserts new cases with their first revision, their terms and one change-log
/// entry each, a few statements per batch. The caller's transaction makes it
/// all or nothing.
async fn insert_cases(
    tx: &mut Tx,
    cases: &[&Case],
    action: RevisionAction,
    actor: Option<&str>,
) -> Result<(), StoreError> {
    if cases.is_empty() {
        return Ok(());
    }
    let jsons: Vec<String> = cases.iter().map(serde_json::to_string).collect::<Result<_, _>>()?;
    let rows: Vec<(&Case, &String)> = cases.iter().copied().zip(jsons.iter()).collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut q = Sql::new(
            tx.backend,
            "INSERT INTO cases (id, status, country, level_of_government, lifecycle_stage, year_launched,
                operating_status, completeness, created_by, owner_org, source_url, origin_identifier, version,
                created_at, updated_at, published_at, data, changed_s) VALUES ",
        );
        q.rows(chunk, |r, (case, json)| {
            r.bind(case.id.as_str())
                .bind(case.status.as_str())
                .bind(case.content.country.as_deref())
                .bind(case.content.level_of_government.as_deref())
                .bind(case.content.lifecycle_stage.as_deref())
                .bind(case.content.year_launched.map(i64::from))
                .bind(case.content.operating_status.as_deref())
                .bind(i64::from(case.completeness))
                .bind(case.created_by.as_deref())
                .bind(case.owner_organisation.as_deref())
                .bind(case.content.source_url.as_deref())
                .bind(case.origin.as_ref().map(|o| o.identifier.as_str()))
                .bind(case.version)
                .bind(time_fmt::fmt(case.created_at))
                .bind(time_fmt::fmt(case.updated_at))
                .bind(case.published_at.map(time_fmt::fmt))
                .bind(json.as_str())
                .bind(case.updated_at.unix_timestamp());
        });
        q.query()
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "a case with this id or origin identifier already exists"))?;
        let mut q = Sql::new(
            tx.backend,
            "INSERT INTO case_revisions (case_id, version, action, actor_id, comment, created_at, data) VALUES ",
        );
        q.rows(chunk, |r, (case, json)| {
            r.bind(case.id.as_str())
                .bind(case.version)
                .bind(action.as_str())
                .bind(actor)
                .bind(None::<&str>)
                .bind(time_fmt::fmt(case.updated_at))
                .bind(json.as_str());
        });
        q.query().execute(tx.conn()).await?;
    }
    insert_terms(tx, cases).await?;
    for case in cases {
        tx.log(Entity::Case, &case.id, action.as_str(), case.version, actor, case.updated_at);
    }
    Ok(())
}

async fn insert_terms(tx: &mut Tx, cases: &[&Case]) -> Result<(), StoreError> {
    let terms: Vec<(&str, String, &str)> =
        cases.iter().flat_map(|c| case_terms(c).into_iter().map(|(f, v)| (f, v, c.id.as_str()))).collect();
    for chunk in terms.chunks(ROWS_PER_STATEMENT * 3) {
        let mut q = Sql::new(tx.backend, "INSERT INTO case_terms (field, value, case_id) VALUES ");
        q.rows(chunk, |r, (field, value, id)| {
            r.bind(*field).bind(value.as_str()).bind(*id);
        });
        q.query().execute(tx.conn()).await?;
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
