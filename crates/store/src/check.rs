//! Integrity checks behind `lumbung check`: migrations, the database file,
//! change-log continuity, revision chains and the agreement of each record's
//! columns with its stored JSON.

use lumbung_core::Case;

use crate::{Backend, Store, StoreError};

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub cases: i64,
    pub revisions: i64,
    pub changes: i64,
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A case whose revision chain or change log does not match its version:
/// id, version, lowest and highest revision, revision count, highest logged version.
type ChainRow = (String, i64, Option<i64>, Option<i64>, i64, Option<i64>);

impl Store {
    /// Verifies the store's integrity and lists every problem found.
    pub async fn check(&self) -> Result<CheckReport, StoreError> {
        let mut r = CheckReport::default();
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(&self.pools.read)
                .await?;
        for m in self.pools.backend.migrator().iter() {
            if !applied.contains(&m.version) {
                r.problems.push(format!("migration {} ({}) is not applied", m.version, m.description));
            }
        }

        if self.pools.backend == Backend::Sqlite {
            // PostgreSQL enforces foreign keys always and checks its pages itself.
            let integrity: Vec<String> =
                sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&self.pools.read).await?;
            if integrity != ["ok"] {
                for line in integrity {
                    r.problems.push(format!("database file: {line}"));
                }
            }
            let fk: Vec<(String, i64, String, i64)> =
                sqlx::query_as("PRAGMA foreign_key_check").fetch_all(&self.pools.read).await?;
            for (table, rowid, parent, _) in fk {
                r.problems.push(format!("{table} row {rowid} points at a missing {parent} row"));
            }
        }

        let (count, min, max): (i64, Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT count(*), min(seq), max(seq) FROM change_log").fetch_one(&self.pools.read).await?;
        r.changes = count;
        if count > 0 && (min != Some(1) || max != Some(count)) {
            let gaps: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT seq + 1, next - 1 FROM (SELECT seq, lead(seq) OVER (ORDER BY seq) AS next FROM change_log)
                 AS gaps WHERE next - seq > 1 LIMIT 10",
            )
            .fetch_all(&self.pools.read)
            .await?;
            r.problems.push(format!(
                "change log is not continuous: {count} entries from {} to {}; missing {gaps:?}",
                min.unwrap_or(0),
                max.unwrap_or(0)
            ));
        }

        r.cases = sqlx::query_scalar("SELECT count(*) FROM cases").fetch_one(&self.pools.read).await?;
        r.revisions = sqlx::query_scalar("SELECT count(*) FROM case_revisions").fetch_one(&self.pools.read).await?;

        let chains: Vec<ChainRow> = sqlx::query_as(
            "SELECT c.id, c.version, r.lo, r.hi, coalesce(r.n, 0), l.v
             FROM cases c
             LEFT JOIN (SELECT case_id, min(version) AS lo, max(version) AS hi, count(*) AS n FROM case_revisions GROUP BY case_id) AS r
                    ON r.case_id = c.id
             LEFT JOIN (SELECT entity_id, max(version) AS v FROM change_log
                        WHERE entity = 'case' GROUP BY entity_id) AS l
                    ON l.entity_id = c.id
             WHERE r.hi IS NULL OR r.hi != c.version OR r.n != r.hi - r.lo + 1 OR l.v IS NULL OR l.v != c.version
             LIMIT 100",
        )
        .fetch_all(&self.pools.read)
        .await?;
        for (id, version, lo, hi, n, logged) in chains {
            r.problems.push(format!(
                "case {id} at version {version}: revisions {lo:?}..{hi:?} ({n} rows), change log says {logged:?}"
            ));
        }

        let mut after = String::new();
        loop {
            let rows: Vec<(String, String, i64, String)> =
                sqlx::query_as("SELECT id, status, version, data FROM cases WHERE id > $1 ORDER BY id LIMIT 1000")
                    .bind(&after)
                    .fetch_all(&self.pools.read)
                    .await?;
            let Some(last) = rows.last() else { break };
            after = last.0.clone();
            for (id, status, version, data) in rows {
                match serde_json::from_str::<Case>(&data) {
                    Err(e) => r.problems.push(format!("case {id}: stored JSON does not parse: {e}")),
                    Ok(c) if c.id != id || c.status.as_str() != status || c.version != version => {
                        r.problems.push(format!("case {id}: columns disagree with the stored record"))
                    }
                    Ok(_) => {}
                }
            }
        }
        Ok(r)
    }
}

impl Store {
    /// The tables of the schema and their columns, by name (not the
    /// migrator's own table): what a test compares across the backends.
    pub async fn schema(&self) -> Result<std::collections::BTreeMap<String, Vec<String>>, StoreError> {
        Ok(self
            .schema_types()
            .await?
            .into_iter()
            .map(|(t, cols)| (t, cols.into_iter().map(|(c, _)| c).collect()))
            .collect())
    }

    /// The schema's columns with whether each holds integers.
    pub(crate) async fn schema_types(
        &self,
    ) -> Result<std::collections::BTreeMap<String, Vec<(String, bool)>>, StoreError> {
        let sql = match self.pools.backend {
            Backend::Sqlite => {
                "SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name != '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name != '_sqlx_migrations'"
            }
        };
        let rows: Vec<(String, String, String)> = sqlx::query_as(sql).fetch_all(&self.pools.read).await?;
        let mut out: std::collections::BTreeMap<String, Vec<(String, bool)>> = Default::default();
        for (table, column, kind) in rows {
            out.entry(table).or_default().push((column, kind.to_ascii_uppercase().contains("INT")));
        }
        for columns in out.values_mut() {
            columns.sort();
        }
        Ok(out)
    }
}

/// The migrations a backend applies: (version, description).
pub fn migrations(backend: Backend) -> Vec<(i64, String)> {
    backend.migrator().iter().map(|m| (m.version, m.description.to_string())).collect()
}
