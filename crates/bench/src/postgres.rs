//! PostgreSQL full-text search: one table with a weighted `tsvector`
//! (English configuration; A title, B summary, C body) under a GIN index,
//! facet columns beside it (multi-valued ones as arrays).

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, Postgres, QueryBuilder};

use crate::corpus::Row;
use crate::fts5::Mode;
use crate::stats::Outcome;

/// The database the benchmark creates and drops.
pub const DATABASE: &str = "lumbung_bench";

/// Session settings for building and for querying: one core per query
/// (no parallel workers), no JIT compilation (it costs tens of milliseconds
/// on queries the planner thinks are expensive), and enough memory for
/// sorts and the match set so they do not spill to disk.
const SESSION: &str = "
SET max_parallel_workers_per_gather = 0;
SET max_parallel_maintenance_workers = 0;
SET jit = off;
SET work_mem = '64MB';
SET maintenance_work_mem = '256MB';
";

const SCHEMA: &str = "
CREATE TABLE cases (
    rowid integer PRIMARY KEY,
    id text NOT NULL,
    title text NOT NULL,
    summary text NOT NULL,
    body text NOT NULL,
    country text,
    level text,
    stage text,
    year integer,
    operating_status text,
    completeness text NOT NULL,
    origin text NOT NULL,
    sectors text[] NOT NULL,
    facets text[] NOT NULL,
    sdgs text[] NOT NULL,
    org_types text[] NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', body), 'C')
    ) STORED
);
";

const INDEXES: &str = "
CREATE INDEX cases_tsv ON cases USING gin (tsv);
CREATE UNIQUE INDEX cases_id ON cases (id);
CREATE INDEX cases_country ON cases (country);
CREATE INDEX cases_year ON cases (year);
CREATE INDEX cases_sectors ON cases USING gin (sectors);
";

const TOP: &str = "
SELECT id, title, ts_rank(tsv, query) AS rank
FROM cases, websearch_to_tsquery('english', $1) AS query
WHERE tsv @@ query
ORDER BY rank DESC
LIMIT 20";

const FACETS: &str = "
WITH m AS MATERIALIZED (
    SELECT country, level, stage, year, operating_status, completeness, origin, sectors, facets, sdgs, org_types
    FROM cases WHERE tsv @@ websearch_to_tsquery('english', $1)
)
SELECT ''::text AS facet, ''::text AS value, count(*) AS n FROM m
UNION ALL SELECT 'country', country, count(*) FROM m WHERE country IS NOT NULL GROUP BY country
UNION ALL SELECT 'level', level, count(*) FROM m WHERE level IS NOT NULL GROUP BY level
UNION ALL SELECT 'stage', stage, count(*) FROM m WHERE stage IS NOT NULL GROUP BY stage
UNION ALL SELECT 'year', year::text, count(*) FROM m WHERE year IS NOT NULL GROUP BY year
UNION ALL SELECT 'operating_status', operating_status, count(*) FROM m WHERE operating_status IS NOT NULL GROUP BY operating_status
UNION ALL SELECT 'completeness', completeness, count(*) FROM m GROUP BY completeness
UNION ALL SELECT 'origin', origin, count(*) FROM m GROUP BY origin
UNION ALL SELECT 'sector', v, count(*) FROM m, unnest(m.sectors) AS v GROUP BY v
UNION ALL SELECT 'facet', v, count(*) FROM m, unnest(m.facets) AS v GROUP BY v
UNION ALL SELECT 'sdg', v, count(*) FROM m, unnest(m.sdgs) AS v GROUP BY v
UNION ALL SELECT 'organisation_type', v, count(*) FROM m, unnest(m.org_types) AS v GROUP BY v";

pub struct Pg {
    conn: PgConnection,
    admin: PgConnectOptions,
}

/// Connects to the server at `url` (ten seconds at most).
async fn connect(options: &PgConnectOptions) -> Result<PgConnection> {
    let conn = tokio::time::timeout(Duration::from_secs(10), PgConnection::connect_with(options))
        .await
        .context("timed out after 10 s")??;
    Ok(conn)
}

impl Pg {
    /// Checks that the server answers; the error says why not.
    pub async fn reachable(url: &str) -> Result<()> {
        let options = PgConnectOptions::from_str(url)?;
        let conn = connect(&options).await?;
        conn.close().await?;
        Ok(())
    }

    /// (Re)creates the benchmark database and loads `rows`; returns it with the build time.
    pub async fn build(url: &str, rows: &[Row]) -> Result<(Pg, Duration)> {
        let admin = PgConnectOptions::from_str(url)?;
        let mut a = connect(&admin).await?;
        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")).execute(&mut a).await?;
        sqlx::raw_sql(&format!("CREATE DATABASE {DATABASE}")).execute(&mut a).await?;
        a.close().await?;
        let started = Instant::now();
        let mut conn = connect(&admin.clone().database(DATABASE)).await?;
        sqlx::raw_sql(SESSION).execute(&mut conn).await?;
        sqlx::raw_sql(SCHEMA).execute(&mut conn).await?;
        for (n, chunk) in rows.chunks(500).enumerate() {
            let base = n * 500;
            let mut b: QueryBuilder<Postgres> = QueryBuilder::new(
                "INSERT INTO cases (rowid, id, title, summary, body, country, level, stage, year, operating_status, \
                 completeness, origin, sectors, facets, sdgs, org_types) ",
            );
            b.push_values(chunk.iter().enumerate(), |mut b, (i, r)| {
                b.push_bind((base + i + 1) as i32)
                    .push_bind(&r.id)
                    .push_bind(&r.title)
                    .push_bind(&r.summary)
                    .push_bind(&r.body)
                    .push_bind(&r.country)
                    .push_bind(&r.level)
                    .push_bind(&r.stage)
                    .push_bind(r.year)
                    .push_bind(&r.operating_status)
                    .push_bind(r.completeness)
                    .push_bind(&r.origin)
                    .push_bind(&r.sectors)
                    .push_bind(&r.facets)
                    .push_bind(&r.sdgs)
                    .push_bind(&r.org_types);
            });
            b.build().execute(&mut conn).await?;
        }
        sqlx::raw_sql(INDEXES).execute(&mut conn).await?;
        // Alone: VACUUM cannot run inside the implicit transaction of a multi-statement string.
        sqlx::raw_sql("VACUUM ANALYZE cases").execute(&mut conn).await?;
        let took = started.elapsed();
        Ok((Pg { conn, admin }, took))
    }

    /// Writes the loaded data out now, so the checkpointer does not compete with the measurements.
    pub async fn checkpoint(&mut self) -> Result<()> {
        sqlx::raw_sql("CHECKPOINT").execute(&mut self.conn).await?;
        Ok(())
    }

    /// (table with its TOAST and indexes, the GIN index alone, the whole database) in bytes.
    pub async fn sizes(&mut self) -> Result<(u64, u64, u64)> {
        let (table, gin, db): (i64, i64, i64) = sqlx::query_as(
            "SELECT pg_total_relation_size('cases'), pg_relation_size('cases_tsv'), pg_database_size(current_database())",
        )
        .fetch_one(&mut self.conn)
        .await?;
        Ok((table as u64, gin as u64, db as u64))
    }

    /// The `websearch_to_tsquery` text of a list of words.
    pub fn query_text(q: &str, mode: Mode) -> String {
        let words: Vec<&str> = q.split_whitespace().collect();
        words.join(if mode == Mode::Any { " or " } else { " " })
    }

    /// The first page, the total and every facet's counts.
    pub async fn run(&mut self, q: &str, mode: Mode) -> Result<Outcome> {
        let text = Pg::query_text(q, mode);
        let t = Instant::now();
        let top: Vec<(String, String, f32)> = sqlx::query_as(TOP).bind(&text).fetch_all(&mut self.conn).await?;
        let top_time = t.elapsed();
        let t = Instant::now();
        let rows: Vec<(String, Option<String>, i64)> =
            sqlx::query_as(FACETS).bind(&text).fetch_all(&mut self.conn).await?;
        let mut total = 0;
        let mut facets: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        for (facet, value, n) in rows {
            if facet.is_empty() {
                total = n as u64;
            } else if let Some(value) = value {
                facets.entry(facet).or_default().insert(value, n as u64);
            }
        }
        let facets_time = t.elapsed();
        let mut outcome = Outcome::from_counts(total, top.len(), &facets);
        outcome.split = Some((top_time, facets_time));
        Ok(outcome)
    }

    /// One query's plans with timings (for diagnosis).
    pub async fn explain(&mut self, q: &str, mode: Mode) -> Result<String> {
        let text = Pg::query_text(q, mode);
        let mut out = String::new();
        for sql in [TOP, FACETS] {
            let lines: Vec<(String,)> = sqlx::query_as(&format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"))
                .bind(&text)
                .fetch_all(&mut self.conn)
                .await?;
            for (l,) in lines {
                out.push_str(&l);
                out.push('\n');
            }
            out.push('\n');
        }
        Ok(out)
    }

    /// Closes the connection and drops the database unless `keep`.
    pub async fn finish(self, keep: bool) -> Result<()> {
        self.conn.close().await?;
        if !keep {
            let mut a = connect(&self.admin).await?;
            sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")).execute(&mut a).await?;
            a.close().await?;
        }
        Ok(())
    }
}
