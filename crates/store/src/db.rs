//! Connections to the database behind a store: SQLite in the data folder (the
//! embedded default) or PostgreSQL, chosen by a database URL. Both speak
//! through sqlx's `Any` driver, so every query is written once, with `$N`
//! placeholders that both engines accept.

use std::path::Path;
use std::sync::{LazyLock, Once};
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyConnection, AnyPool, Executor};

use crate::StoreError;

/// The database file's name inside the data folder (SQLite).
pub const DB_FILE: &str = "lumbung.db";

/// The migrations of each engine, compiled into the binary. They are listed
/// here rather than read by `sqlx::migrate!` because that macro pulls sqlx's
/// whole macro stack, with a second build of both database drivers and of
/// SQLite's C source for the host, into every clean build (about a minute of
/// a two-core build). A test checks that the lists match the folders.
macro_rules! migrations {
    ($($file:literal),* $(,)?) => {
        const SQLITE_MIGRATIONS: Embedded =
            &[$(($file, include_str!(concat!("../migrations/sqlite/", $file, ".sql")))),*];
        const POSTGRES_MIGRATIONS: Embedded =
            &[$(($file, include_str!(concat!("../migrations/postgres/", $file, ".sql")))),*];
    };
}

type Embedded = &'static [(&'static str, &'static str)];

// One list for both engines: every migration exists in both folders.
migrations!(
    "0001_initial",
    "0002_oai_datestamps",
    "0003_harvest_sources",
    "0004_nominations",
    "0005_instances",
    "0006_dialogue",
    "0007_events",
    "0008_diffusion",
    "0009_mail",
    "0010_account_language",
    "0011_event_federation",
    "0012_delegations",
    "0013_resources",
    "0014_profiles",
    "0015_case_organisation",
);

static SQLITE_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(SQLITE_MIGRATIONS));
static POSTGRES_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(POSTGRES_MIGRATIONS));

/// A migrator over embedded files named `NNNN_description`, as
/// `sqlx::migrate!` would build it: the same versions, descriptions and
/// checksums (SHA-384 of the text), so databases migrated by earlier
/// releases validate unchanged.
fn migrator(files: Embedded) -> Migrator {
    let migrations = files
        .iter()
        .map(|(name, sql)| {
            // The names are literals above; the test checks that every one
            // parses to the next version.
            let (version, description) = name.split_once('_').unwrap_or((name, ""));
            let version = version.parse().unwrap_or(0);
            let no_tx = sql.starts_with("-- no-transaction");
            Migration::new(version, description.replace('_', " ").into(), MigrationType::Simple, (*sql).into(), no_tx)
        })
        .collect();
    Migrator { migrations, ignore_missing: false, locking: true, no_tx: false }
}

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine a database URL names.
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL '{}': use postgres://… or sqlite://…",
                redact(url)
            )))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    pub(crate) fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        }
    }
}

/// A URL with its password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// The pools of one store: a read pool, and the pool writes go through. On
/// SQLite the writer is one connection (SQLite takes one writer at a time, and
/// queueing in the process is cheaper than retrying on a busy file); on
/// PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub(crate) struct Pools {
    pub read: AnyPool,
    pub write: AnyPool,
    pub backend: Backend,
}

static DRIVERS: Once = Once::new();

impl Pools {
    pub async fn open(dir: &Path, database: Option<&str>) -> Result<Pools, StoreError> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let pools = match database {
            None => Self::open_sqlite(&format!("sqlite://{}", dir.join(DB_FILE).display())).await?,
            Some(url) => match Backend::of_url(url)? {
                Backend::Sqlite => Self::open_sqlite(url).await?,
                Backend::Postgres => Self::open_postgres(url).await?,
            },
        };
        pools.backend.migrator().run(&pools.write).await?;
        Ok(pools)
    }

    async fn open_sqlite(url: &str) -> Result<Pools, StoreError> {
        let base = url.split('?').next().unwrap_or(url);
        let write = AnyPoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(|conn, _| Box::pin(async move { sqlite_pragmas(conn, true).await }))
            .connect(&format!("{base}?mode=rwc"))
            .await?;
        tokio::spawn(checkpoint(format!("{base}?mode=rw"), write.clone()));
        let readers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(2, 8) as u32 * 2;
        let read = AnyPoolOptions::new()
            .max_connections(readers)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(|conn, _| Box::pin(async move { sqlite_pragmas(conn, false).await }))
            .connect(&format!("{base}?mode=ro"))
            .await?;
        Ok(Pools { read, write, backend: Backend::Sqlite })
    }

    async fn open_postgres(url: &str) -> Result<Pools, StoreError> {
        let max = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(2, 8) as u32 * 4;
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to {}: {e}", redact(url))))?;
        Ok(Pools { read: pool.clone(), write: pool, backend: Backend::Postgres })
    }

    /// Connections in use and idle, for metrics: (read size, read idle, write size, write idle).
    pub fn usage(&self) -> (u32, usize, u32, usize) {
        (self.read.size(), self.read.num_idle(), self.write.size(), self.write.num_idle())
    }
}

/// Whether a store was made at this place (see [`crate::Store::exists`]).
pub(crate) async fn exists(dir: &Path, database: Option<&str>) -> Result<bool, StoreError> {
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    let Some(url) = database else { return Ok(dir.join(DB_FILE).exists()) };
    if Backend::of_url(url)? == Backend::Sqlite {
        let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or(path);
        if !Path::new(path).exists() {
            return Ok(false);
        }
    }
    let table = match Backend::of_url(url)? {
        Backend::Sqlite => "SELECT count(*) FROM sqlite_master WHERE name = '_sqlx_migrations'",
        Backend::Postgres => "SELECT count(*) FROM pg_tables WHERE tablename = '_sqlx_migrations'",
    };
    let mut conn = <AnyConnection as sqlx::Connection>::connect(url)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot connect to {}: {e}", redact(url))))?;
    let n: i64 = sqlx::query_scalar(table).fetch_one(&mut conn).await?;
    let _ = sqlx::Connection::close(conn).await;
    Ok(n > 0)
}

/// How often the checkpointer copies the write-ahead log into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// SQLite's checkpointer, on a connection of its own. By default the commit
/// that grows the write-ahead log past 1,000 pages copies the log into the
/// database file and syncs it, on the writer, so the next writer waited for
/// it: a post behind the notification follower's fan-out waited up to 80 ms
/// (#10). Here the writer never checkpoints (`wal_autocheckpoint = 0`); this
/// task does, every [`CHECKPOINT_EVERY`], in `PASSIVE` mode (never waiting
/// for the writer or readers, which go on meanwhile). It ends when the
/// writer's pool is closed; closing its connection, the last, checkpoints
/// what is left and removes the log.
async fn checkpoint(url: String, write: AnyPool) {
    use sqlx::Connection;
    let mut conn = match AnyConnection::connect(&url).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "no checkpointer: SQLite checkpoints on the writer");
            let _ = sqlx::query("PRAGMA wal_autocheckpoint = 1000").execute(&write).await;
            return;
        }
    };
    let _ = conn.execute("PRAGMA busy_timeout = 10000").await;
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !write.is_closed() {
        tick.tick().await;
        if let Err(e) = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").await {
            tracing::debug!(error = %e, "checkpoint failed; will retry");
        }
    }
    let _ = conn.close().await;
}

async fn sqlite_pragmas(conn: &mut AnyConnection, writer: bool) -> Result<(), sqlx::Error> {
    let mut pragmas = vec!["PRAGMA busy_timeout = 10000", "PRAGMA temp_store = memory"];
    if writer {
        // The one writer keeps the pages of the indexes it inserts into (a
        // 10,000-watcher post writes 10,000 rows into three of them).
        pragmas.extend([
            "PRAGMA cache_size = -65536",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            // The checkpointer does it (see `checkpoint`).
            "PRAGMA wal_autocheckpoint = 0",
        ]);
    } else {
        pragmas.push("PRAGMA cache_size = -8000");
        pragmas.push("PRAGMA query_only = ON");
    }
    for p in pragmas {
        conn.execute(p).await?;
    }
    Ok(())
}

/// Creates an empty PostgreSQL database next to the one `admin_url` names and
/// returns its URL: each test run (and `migrate-store` tests) gets its own.
pub async fn create_postgres_database(admin_url: &str, name: &str) -> Result<String, StoreError> {
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    check_database_name(name)?;
    let mut conn = <AnyConnection as sqlx::Connection>::connect(admin_url).await?;
    conn.execute(format!("CREATE DATABASE \"{name}\"").as_str()).await?;
    let _ = sqlx::Connection::close(conn).await;
    let mut url = url::Url::parse(admin_url).map_err(|e| StoreError::Config(format!("bad database URL: {e}")))?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

/// Drops a database made by `create_postgres_database` (closing its connections).
pub async fn drop_postgres_database(admin_url: &str, name: &str) -> Result<(), StoreError> {
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    check_database_name(name)?;
    let mut conn = <AnyConnection as sqlx::Connection>::connect(admin_url).await?;
    conn.execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str()).await?;
    let _ = sqlx::Connection::close(conn).await;
    Ok(())
}

fn check_database_name(name: &str) -> Result<(), StoreError> {
    if name.is_empty() || name.len() > 63 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Config(format!("bad database name '{name}'")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `.sql` file in a migrations folder is embedded, in order, under
    /// its own name: a new migration that is not added to the list fails here.
    #[test]
    fn the_embedded_migrations_are_the_files_in_each_folder() {
        for (dir, embedded) in [("sqlite", SQLITE_MIGRATIONS), ("postgres", POSTGRES_MIGRATIONS)] {
            let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
            let mut files: Vec<String> = std::fs::read_dir(&folder)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter_map(|name| name.strip_suffix(".sql").map(str::to_owned))
                .collect();
            files.sort();
            let names: Vec<&str> = embedded.iter().map(|(name, _)| *name).collect();
            assert_eq!(names, files, "{dir}: the embedded list differs from the folder");
            for (name, sql) in embedded {
                let on_disk = std::fs::read_to_string(folder.join(format!("{name}.sql"))).unwrap();
                assert_eq!(*sql, on_disk, "{dir}/{name}");
            }
        }
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let versions: Vec<i64> = backend.migrator().iter().map(|m| m.version).collect();
            let expected: Vec<i64> = (1..=i64::try_from(versions.len()).unwrap()).collect();
            assert_eq!(versions, expected, "{}: every name starts with the next version", backend.name());
        }
        let m = Backend::Sqlite.migrator();
        let first = m.iter().next().unwrap();
        assert_eq!((first.version, first.description.as_ref()), (1, "initial"));
        let second = m.iter().nth(1).unwrap();
        assert_eq!(second.description, "oai datestamps");
        assert_eq!(second.checksum.len(), 48, "SHA-384, as sqlx::migrate! computes it");
    }
}
