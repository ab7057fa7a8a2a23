//! Moving and keeping a node: every table, row by row, from one store into
//! another (`migrate-store`), or into a backup file and back (`backup`,
//! `restore`). The source is read in one snapshot (PostgreSQL: a repeatable-
//! read, read-only transaction; SQLite: one read transaction in WAL mode), so
//! a backup taken while the node serves is consistent. The target is written
//! in one transaction: a failed restore leaves it as it was.
//!
//! The backup format is JSON Lines: a header naming the format and the
//! schema's migrations, then for each table a line `{"table": …, "columns": […]}`
//! followed by one JSON array per row (numbers, strings or null), then one
//! line `{"file": <sha256>, "base64": …}` per uploaded file the resources
//! name (their bytes live under the data folder, not in a table). A copy
//! into another store copies those files into its data folder.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};

use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::sql::Sql;
use crate::{Backend, Store, StoreError, Tx};

/// Tables in an order that satisfies their foreign keys (organisations are
/// further ordered parents first).
pub const TABLES: [&str; 42] = [
    "organisations",
    "accounts",
    "api_tokens",
    "sessions",
    "cases",
    "case_terms",
    "case_revisions",
    "change_log",
    "cursors",
    "node_meta",
    "harvest_sources",
    "nominations",
    "case_presence",
    "sign_in_failures",
    "jobs",
    "account_handles",
    "rooms",
    "room_members",
    "threads",
    "posts",
    "post_revisions",
    "post_translations",
    "post_flags",
    "moderation_actions",
    "appeals",
    "subscriptions",
    "notifications",
    "feed_tokens",
    "mail_outbox",
    "mail_preferences",
    "events",
    "event_cases",
    "event_registrations",
    "calendar_tokens",
    "action_items",
    "case_links",
    "case_checkins",
    "checkin_schedules",
    "resources",
    "resource_links",
    "collections",
    "profiles",
];

const FORMAT: &str = "lumbung-backup";

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    /// The migrations of the schema the rows fit.
    migrations: Vec<i64>,
    backend: String,
    created_at: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableHeader {
    table: String,
    columns: Vec<String>,
}

/// What a copy moved: rows per table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub rows: BTreeMap<String, u64>,
    /// Uploaded files copied.
    pub files: u64,
    /// Files the resources name that the source's data folder lacks.
    pub missing_files: Vec<String>,
}

impl CopyReport {
    pub fn total(&self) -> u64 {
        self.rows.values().sum()
    }
}

/// A column's value, as every table of ours holds them.
fn cell(row: &AnyRow, i: usize) -> Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map_or(Value::Null, Value::from);
    }
    match row.try_get::<Option<String>, _>(i) {
        Ok(v) => v.map_or(Value::Null, Value::from),
        Err(_) => Value::Null,
    }
}

/// Where rows go: a backup file or another store.
trait Sink {
    async fn table(&mut self, table: &str, columns: &[String]) -> Result<(), StoreError>;
    async fn row(&mut self, row: Vec<Value>) -> Result<(), StoreError>;
    async fn end_table(&mut self) -> Result<(), StoreError>;
    /// An uploaded file's bytes, named by their SHA-256.
    async fn file(&mut self, sha256: &str, bytes: Vec<u8>) -> Result<(), StoreError>;
}

impl Store {
    /// Reads every table in one snapshot and hands the rows to `sink`.
    async fn read_all(&self, sink: &mut impl Sink) -> Result<CopyReport, StoreError> {
        let schema = self.schema().await?;
        let mut tx = self.pools.read.begin().await?;
        if self.pools.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute(&mut *tx).await?;
        }
        let mut report = CopyReport::default();
        for table in TABLES {
            let columns = schema.get(table).ok_or_else(|| StoreError::Integrity(format!("no table {table}")))?;
            sink.table(table, columns).await?;
            let sql = format!("SELECT {} FROM {table}", columns.join(", "));
            let mut n = 0;
            if table == "organisations" {
                let rows: Vec<AnyRow> = sqlx::query(&sql).fetch_all(&mut *tx).await?;
                let rows: Vec<Vec<Value>> =
                    rows.iter().map(|r| (0..columns.len()).map(|i| cell(r, i)).collect()).collect();
                for row in parents_first(rows, columns) {
                    sink.row(row).await?;
                    n += 1;
                }
            } else {
                let mut stream = sqlx::query(&sql).fetch(&mut *tx);
                while let Some(r) = stream.try_next().await? {
                    sink.row((0..columns.len()).map(|i| cell(&r, i)).collect()).await?;
                    n += 1;
                }
            }
            sink.end_table().await?;
            report.rows.insert(table.to_owned(), n);
        }
        // The files the snapshot's resources name (files are never changed,
        // only added and removed, so these are the snapshot's too).
        let files: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT sha256 FROM resources WHERE sha256 IS NOT NULL ORDER BY sha256")
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        let source = self.files();
        for sha in files {
            let Some(path) = source.path(&sha) else { continue };
            match tokio::fs::read(&path).await {
                Ok(bytes) => {
                    sink.file(&sha, bytes).await?;
                    report.files += 1;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    tracing::warn!(sha256 = %sha, dir = %source.dir().display(), "a resource's file is missing");
                    report.missing_files.push(sha);
                }
                Err(e) => return Err(io(e)),
            }
        }
        Ok(report)
    }

    /// Writes a consistent backup of the whole store to `out`.
    pub async fn backup(&self, out: &mut (impl Write + Send)) -> Result<CopyReport, StoreError> {
        let header = Header {
            format: FORMAT.into(),
            version: 1,
            migrations: crate::migrations(self.pools.backend).into_iter().map(|(v, _)| v).collect(),
            backend: self.pools.backend.name().into(),
            created_at: crate::time_fmt::fmt(lumbung_core::clock::now()),
        };
        let mut sink = FileSink { out, line: String::new() };
        sink.line(&serde_json::to_value(&header)?)?;
        let report = self.read_all(&mut sink).await?;
        sink.out.flush().map_err(io)?;
        Ok(report)
    }

    /// Copies everything in this store into `target`, which must be empty
    /// unless `force` (then its rows are replaced).
    pub async fn copy_into(&self, target: &Store, force: bool) -> Result<CopyReport, StoreError> {
        let tx = target.start_restore(force).await?;
        let mut sink = StoreSink::new(tx, target).await?;
        let copied = self.read_all(&mut sink).await;
        sink.finish(copied).await
    }

    /// Restores a backup made by [`Store::backup`] into this store, which
    /// must be empty unless `force` (then its rows are replaced). All or nothing.
    pub async fn restore(&self, input: impl BufRead, force: bool) -> Result<CopyReport, StoreError> {
        let mut lines = input.lines().enumerate();
        let bad = |n: usize, why: String| StoreError::Invalid(invalid("backup", format!("line {}: {why}", n + 1)));
        let (n, first) = lines.next().ok_or_else(|| bad(0, "the file is empty".into()))?;
        let first = first.map_err(io)?;
        let header: Header =
            serde_json::from_str(&first).map_err(|e| bad(n, format!("not a Lumbung backup header ({e})")))?;
        if header.format != FORMAT || header.version != 1 {
            return Err(bad(n, format!("unknown backup format {} version {}", header.format, header.version)));
        }
        let ours: Vec<i64> = crate::migrations(self.pools.backend).into_iter().map(|(v, _)| v).collect();
        if header.migrations != ours {
            return Err(bad(
                n,
                format!("the backup's schema (migrations {:?}) is not this program's ({ours:?})", header.migrations),
            ));
        }
        let tx = self.start_restore(force).await?;
        let mut sink = StoreSink::new(tx, self).await?;
        let restored = restore_lines(&mut sink, lines, &bad).await;
        sink.finish(restored).await
    }
    /// A transaction on an empty store (or, with `force`, one emptied).
    async fn start_restore(&self, force: bool) -> Result<Tx, StoreError> {
        let mut tx = self.begin().await?;
        let mut rows: i64 = 0;
        for table in TABLES {
            rows += sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {table}")).fetch_one(tx.conn()).await?;
        }
        if rows > 0 && !force {
            return Err(StoreError::Invalid(invalid(
                "target",
                format!("the target store is not empty ({rows} rows); give --force to replace its contents"),
            )));
        }
        if rows > 0 {
            for table in TABLES.iter().rev() {
                sqlx::query(&format!("DELETE FROM {table}")).execute(tx.conn()).await?;
            }
        }
        Ok(tx)
    }
}

/// The lines of a backup after its header, into `sink`.
async fn restore_lines(
    sink: &mut StoreSink,
    lines: impl Iterator<Item = (usize, std::io::Result<String>)>,
    bad: &dyn Fn(usize, String) -> StoreError,
) -> Result<CopyReport, StoreError> {
    let mut report = CopyReport::default();
    let mut seen = HashSet::new();
    for (n, line) in lines {
        let line = line.map_err(io)?;
        let value: Value = serde_json::from_str(&line).map_err(|e| bad(n, format!("not JSON ({e})")))?;
        match value {
            Value::Array(row) => {
                if sink.table.is_empty() {
                    return Err(bad(n, "a row before any table".into()));
                }
                if row.len() != sink.columns.len() {
                    return Err(bad(n, format!("{} values for {} columns", row.len(), sink.columns.len())));
                }
                if row.iter().any(|v| !(v.is_null() || v.is_i64() || v.is_string())) {
                    return Err(bad(n, "values must be whole numbers, text or null".into()));
                }
                sink.row(row).await?;
                *report.rows.entry(sink.table.clone()).or_default() += 1;
            }
            Value::Object(map) if map.contains_key("file") => {
                sink.end_table().await?;
                let sha = map.get("file").and_then(Value::as_str).unwrap_or_default();
                let data = map.get("base64").and_then(Value::as_str).unwrap_or_default();
                use base64::Engine as _;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .map_err(|e| bad(n, format!("file {sha}: not base64 ({e})")))?;
                if crate::Files::hash(&bytes) != sha {
                    return Err(bad(n, format!("file {sha}: its bytes do not have that SHA-256")));
                }
                sink.file(sha, bytes).await?;
                report.files += 1;
            }
            other => {
                let t: TableHeader =
                    serde_json::from_value(other).map_err(|e| bad(n, format!("not a table header ({e})")))?;
                if !TABLES.contains(&t.table.as_str()) || !seen.insert(t.table.clone()) {
                    return Err(bad(n, format!("unknown or repeated table '{}'", t.table)));
                }
                let known = sink.schema.get(&t.table).cloned().unwrap_or_default();
                if t.columns != known.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>() {
                    return Err(bad(n, format!("table {} has columns {:?}, expected {known:?}", t.table, t.columns)));
                }
                sink.end_table().await?;
                sink.table(&t.table, &t.columns).await?;
                report.rows.entry(t.table).or_default();
            }
        }
    }
    sink.end_table().await?;
    Ok(report)
}

fn invalid(field: &str, message: String) -> lumbung_core::ValidationErrors {
    let mut e = lumbung_core::ValidationErrors::default();
    e.add(field, "invalid", message);
    e
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

/// Organisations with every parent before its children (rows whose parent
/// is missing or in a cycle come last, as they are).
fn parents_first(rows: Vec<Vec<Value>>, columns: &[String]) -> Vec<Vec<Value>> {
    let id_at = columns.iter().position(|c| c == "id");
    let parent_at = columns.iter().position(|c| c == "parent_id");
    let (Some(id_at), Some(parent_at)) = (id_at, parent_at) else { return rows };
    let mut done: HashSet<String> = HashSet::new();
    let (mut out, mut rest) = (Vec::with_capacity(rows.len()), rows);
    loop {
        let before = rest.len();
        let (ready, waiting): (Vec<_>, Vec<_>) = rest.into_iter().partition(|r| match r.get(parent_at) {
            Some(Value::String(p)) => done.contains(p),
            _ => true,
        });
        for r in ready {
            if let Some(Value::String(id)) = r.get(id_at) {
                done.insert(id.clone());
            }
            out.push(r);
        }
        rest = waiting;
        if rest.is_empty() || rest.len() == before {
            out.extend(rest);
            return out;
        }
    }
}

struct FileSink<'a, W: Write> {
    out: &'a mut W,
    line: String,
}

impl<W: Write> FileSink<'_, W> {
    fn line(&mut self, v: &Value) -> Result<(), StoreError> {
        self.line.clear();
        self.line.push_str(&serde_json::to_string(v)?);
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes()).map_err(io)
    }
}

impl<W: Write + Send> Sink for FileSink<'_, W> {
    async fn table(&mut self, table: &str, columns: &[String]) -> Result<(), StoreError> {
        let header = TableHeader { table: table.to_owned(), columns: columns.to_vec() };
        self.line(&serde_json::to_value(header)?)
    }
    async fn row(&mut self, row: Vec<Value>) -> Result<(), StoreError> {
        self.line(&Value::Array(row))
    }
    async fn end_table(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    async fn file(&mut self, sha256: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        use base64::Engine as _;
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        self.line(&serde_json::json!({"file": sha256, "base64": data}))
    }
}

/// Rows per multi-row insert when restoring.
const BATCH: usize = 200;

struct StoreSink {
    tx: Tx,
    /// The target's columns per table, with whether each holds integers.
    schema: BTreeMap<String, Vec<(String, bool)>>,
    table: String,
    columns: Vec<String>,
    batch: Vec<Vec<Value>>,
    /// The target's uploaded files, and those this copy added (taken away
    /// again if the copy fails).
    files: crate::Files,
    created: Vec<String>,
}

/// Removes the files a failed copy added.
fn remove_all(files: &crate::Files, created: &[String]) {
    for sha in created {
        if let Err(e) = files.remove(sha) {
            tracing::warn!(error = %e, sha256 = %sha, "cannot remove a file of a failed restore");
        }
    }
}

impl StoreSink {
    /// A sink writing into `tx`, a transaction on `target`.
    async fn new(tx: Tx, target: &Store) -> Result<StoreSink, StoreError> {
        Ok(StoreSink {
            schema: target.schema_types().await?,
            tx,
            table: String::new(),
            columns: Vec::new(),
            batch: Vec::new(),
            files: target.files(),
            created: Vec::new(),
        })
    }

    /// Commits what the copy wrote, or, when it failed (or the commit
    /// does), removes the files it added and returns the error.
    async fn finish(self, copied: Result<CopyReport, StoreError>) -> Result<CopyReport, StoreError> {
        let StoreSink { tx, files, created, .. } = self;
        let outcome = match copied {
            Ok(report) => tx.commit().await.map(|()| report),
            Err(e) => Err(e),
        };
        if outcome.is_err() {
            remove_all(&files, &created);
        }
        outcome
    }

    async fn flush(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let integer: Vec<bool> = {
            let known = self.schema.get(&self.table).cloned().unwrap_or_default();
            self.columns.iter().map(|c| known.iter().any(|(k, int)| k == c && *int)).collect()
        };
        let rows = std::mem::take(&mut self.batch);
        let mut q =
            Sql::new(self.tx.backend, &format!("INSERT INTO {} ({}) VALUES ", self.table, self.columns.join(", ")));
        q.rows(&rows, |r, row| {
            for (v, int) in row.iter().zip(&integer) {
                match v {
                    Value::Number(n) => r.bind(n.as_i64()),
                    Value::String(s) => r.bind(s.as_str()),
                    _ if *int => r.bind(None::<i64>),
                    _ => r.bind(None::<&str>),
                };
            }
        });
        q.query().execute(self.tx.conn()).await?;
        Ok(())
    }
}

impl Sink for StoreSink {
    async fn table(&mut self, table: &str, columns: &[String]) -> Result<(), StoreError> {
        self.flush().await?;
        let known: Vec<String> =
            self.schema.get(table).map(|c| c.iter().map(|(n, _)| n.clone()).collect()).unwrap_or_default();
        if known.as_slice() != columns {
            return Err(StoreError::Integrity(format!("table {table}: source columns {columns:?}, target {known:?}")));
        }
        self.table = table.to_owned();
        self.columns = columns.to_vec();
        Ok(())
    }
    async fn row(&mut self, row: Vec<Value>) -> Result<(), StoreError> {
        self.batch.push(row);
        if self.batch.len() >= BATCH { self.flush().await } else { Ok(()) }
    }
    async fn end_table(&mut self) -> Result<(), StoreError> {
        self.flush().await
    }
    async fn file(&mut self, _sha256: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        let files = self.files.clone();
        let (sha, new) = tokio::task::spawn_blocking(move || files.put(&bytes))
            .await
            .map_err(|e| StoreError::Io(e.to_string()))?
            .map_err(io)?;
        if new {
            self.created.push(sha);
        }
        Ok(())
    }
}
