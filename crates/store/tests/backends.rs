//! The two backends stay in step: the same migration versions, creating the
//! same tables and columns.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lumbung_store::testing::TestDatabase;
use lumbung_store::{Backend, Store, migrations};

#[test]
fn both_migration_sets_have_the_same_versions() {
    let sqlite: Vec<i64> = migrations(Backend::Sqlite).into_iter().map(|(v, _)| v).collect();
    let postgres: Vec<i64> = migrations(Backend::Postgres).into_iter().map(|(v, _)| v).collect();
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres, "the SQLite and PostgreSQL migrations differ in version");
}

#[tokio::test]
async fn both_backends_create_the_same_tables_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Store::open(dir.path()).await.unwrap();
    let db =
        TestDatabase::create_postgres().expect("PostgreSQL must run on 127.0.0.1:5432 (scripts/test.sh starts it)");
    let postgres = Store::connect(dir.path(), Some(&db.url)).await.unwrap();
    assert_eq!(postgres.backend(), Backend::Postgres);
    let (a, b) = (sqlite.schema().await.unwrap(), postgres.schema().await.unwrap());
    assert!(a.contains_key("cases") && a.contains_key("change_log"), "{a:?}");
    assert_eq!(a, b, "the backends' schemas differ");
    postgres.close().await;
}
