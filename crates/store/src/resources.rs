//! Resources and collections (issue #11): the record as JSON, the columns
//! lists filter on, and the cases and events each resource serves. The
//! bytes of an uploaded file live under the data folder (`Files`), named by
//! their SHA-256; the row names the hash.

use std::io::Write;
use std::path::{Path, PathBuf};

use lumbung_core::{Collection, CollectionContent, Resource, ResourceContent};
use sha2::{Digest, Sha256};

use crate::changelog::Entity;
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, time_fmt};

/// Which resources a list asks for.
#[derive(Debug, Clone, Default)]
pub struct ResourceFilter {
    pub resource_type: Option<String>,
    /// Those serving this local case.
    pub case: Option<String>,
    /// Those belonging to this local event.
    pub event: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// One page of a list, with how many there are in all.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

fn parse_all<T: serde::de::DeserializeOwned>(rows: &[String]) -> Result<Vec<T>, StoreError> {
    rows.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
}

impl Store {
    /// The uploaded files of this node, under its data folder.
    pub fn files(&self) -> Files {
        Files { dir: self.files_dir.clone().unwrap_or_else(|| self.dir().join("files")) }
    }

    pub async fn resource(&self, id: &str) -> Result<Option<Resource>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM resources WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// Resources, the latest changed first.
    pub async fn resources(&self, f: &ResourceFilter) -> Result<Page<Resource>, StoreError> {
        let filtered = |q: &mut Sql<'_>| {
            q.push(" WHERE 1 = 1");
            if let Some(t) = &f.resource_type {
                q.push(" AND resource_type = ").bind(t.clone());
            }
            for (kind, target) in [("case", &f.case), ("event", &f.event)] {
                if let Some(target) = target {
                    q.push(" AND id IN (SELECT resource_id FROM resource_links WHERE kind = ")
                        .bind(kind)
                        .push(" AND target = ")
                        .bind(target.clone())
                        .push(")");
                }
            }
        };
        let mut count = Sql::new(self.pools.backend, "SELECT count(*) FROM resources");
        filtered(&mut count);
        let total: i64 = count.query_scalar().fetch_one(&self.pools.read).await?;
        let mut q = Sql::new(self.pools.backend, "SELECT data FROM resources");
        filtered(&mut q);
        q.push(" ORDER BY updated_at DESC, id DESC");
        q.push(" LIMIT ").bind(f.limit.clamp(1, 1000)).push(" OFFSET ").bind(f.offset.max(0));
        let rows: Vec<String> = q.query_scalar().fetch_all(&self.pools.read).await?;
        Ok(Page { items: parse_all(&rows)?, total })
    }

    /// Stores a new resource with the cases and events it serves.
    pub async fn create_resource(&self, r: &Resource, actor: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO resources (id, resource_type, sha256, version, created_by, created_at, updated_at, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&r.id)
        .bind(&r.content.resource_type)
        .bind(r.file.as_ref().map(|f| f.sha256.clone()))
        .bind(r.version)
        .bind(actor)
        .bind(time_fmt::fmt(r.created_at))
        .bind(time_fmt::fmt(r.updated_at))
        .bind(serde_json::to_string(r)?)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, &format!("a resource with id '{}' already exists", r.id)))?;
        tx.write_resource_links(&r.id, &r.content).await?;
        tx.log(Entity::Resource, &r.id, "create", r.version, actor, r.updated_at);
        tx.commit().await
    }

    /// Replaces a resource's description if `expected_version` is current
    /// (its file stays).
    pub async fn update_resource(
        &self,
        id: &str,
        expected_version: i64,
        content: ResourceContent,
        actor: Option<&str>,
    ) -> Result<Resource, StoreError> {
        let mut tx = self.begin().await?;
        let data: Option<String> =
            sqlx::query_scalar("SELECT data FROM resources WHERE id = $1").bind(id).fetch_optional(tx.conn()).await?;
        let mut r: Resource = serde_json::from_str(&data.ok_or(StoreError::NotFound)?)?;
        if r.version != expected_version {
            return Err(StoreError::Conflict { current: r.version });
        }
        r.content = content;
        r.version += 1;
        r.updated_at = lumbung_core::clock::now();
        let updated = sqlx::query(
            "UPDATE resources SET resource_type = $1, version = $2, updated_at = $3, data = $4
             WHERE id = $5 AND version = $6",
        )
        .bind(&r.content.resource_type)
        .bind(r.version)
        .bind(time_fmt::fmt(r.updated_at))
        .bind(serde_json::to_string(&r)?)
        .bind(id)
        .bind(expected_version)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { current: expected_version + 1 });
        }
        sqlx::query("DELETE FROM resource_links WHERE resource_id = $1").bind(id).execute(tx.conn()).await?;
        tx.write_resource_links(id, &r.content).await?;
        tx.log(Entity::Resource, id, "update", r.version, actor, r.updated_at);
        tx.commit().await?;
        Ok(r)
    }

    /// Removes a resource. Returns the hash of its file when no other
    /// resource uses that file any more (the caller removes the bytes).
    pub async fn delete_resource(
        &self,
        id: &str,
        expected_version: i64,
        actor: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.begin().await?;
        let row: Option<(i64, Option<String>)> = sqlx::query_as("SELECT version, sha256 FROM resources WHERE id = $1")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        let (version, sha256) = row.ok_or(StoreError::NotFound)?;
        if version != expected_version {
            return Err(StoreError::Conflict { current: version });
        }
        sqlx::query("DELETE FROM resource_links WHERE resource_id = $1").bind(id).execute(tx.conn()).await?;
        sqlx::query("DELETE FROM resources WHERE id = $1").bind(id).execute(tx.conn()).await?;
        let orphan = match sha256 {
            Some(sha) => {
                let users: i64 = sqlx::query_scalar("SELECT count(*) FROM resources WHERE sha256 = $1")
                    .bind(&sha)
                    .fetch_one(tx.conn())
                    .await?;
                (users == 0).then_some(sha)
            }
            None => None,
        };
        tx.log(Entity::Resource, id, "delete", version + 1, actor, lumbung_core::clock::now());
        tx.commit().await?;
        Ok(orphan)
    }

    /// Whether any resource names this file.
    pub async fn file_in_use(&self, sha256: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM resources WHERE sha256 = $1")
            .bind(sha256)
            .fetch_one(&self.pools.read)
            .await?;
        Ok(n > 0)
    }

    pub async fn collection(&self, id: &str) -> Result<Option<Collection>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM collections WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// Collections, the latest changed first.
    pub async fn collections(&self, limit: i64, offset: i64) -> Result<Page<Collection>, StoreError> {
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM collections").fetch_one(&self.pools.read).await?;
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT data FROM collections ORDER BY updated_at DESC, id LIMIT $1 OFFSET $2")
                .bind(limit.clamp(1, 1000))
                .bind(offset.max(0))
                .fetch_all(&self.pools.read)
                .await?;
        Ok(Page { items: parse_all(&rows)?, total })
    }

    pub async fn create_collection(&self, c: &Collection, actor: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO collections (id, version, created_at, updated_at, data) VALUES ($1, $2, $3, $4, $5)")
            .bind(&c.id)
            .bind(c.version)
            .bind(time_fmt::fmt(c.created_at))
            .bind(time_fmt::fmt(c.updated_at))
            .bind(serde_json::to_string(c)?)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, &format!("a collection with id '{}' already exists", c.id)))?;
        tx.log(Entity::Collection, &c.id, "create", c.version, actor, c.updated_at);
        tx.commit().await
    }

    /// Replaces a collection if `expected_version` is current.
    pub async fn update_collection(
        &self,
        id: &str,
        expected_version: i64,
        content: CollectionContent,
        actor: Option<&str>,
    ) -> Result<Collection, StoreError> {
        let mut tx = self.begin().await?;
        let data: Option<String> =
            sqlx::query_scalar("SELECT data FROM collections WHERE id = $1").bind(id).fetch_optional(tx.conn()).await?;
        let mut c: Collection = serde_json::from_str(&data.ok_or(StoreError::NotFound)?)?;
        if c.version != expected_version {
            return Err(StoreError::Conflict { current: c.version });
        }
        c.content = content;
        c.version += 1;
        c.updated_at = lumbung_core::clock::now();
        let updated = sqlx::query(
            "UPDATE collections SET version = $1, updated_at = $2, data = $3 WHERE id = $4 AND version = $5",
        )
        .bind(c.version)
        .bind(time_fmt::fmt(c.updated_at))
        .bind(serde_json::to_string(&c)?)
        .bind(id)
        .bind(expected_version)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { current: expected_version + 1 });
        }
        tx.log(Entity::Collection, id, "update", c.version, actor, c.updated_at);
        tx.commit().await?;
        Ok(c)
    }

    pub async fn delete_collection(
        &self,
        id: &str,
        expected_version: i64,
        actor: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let version: Option<i64> = sqlx::query_scalar("SELECT version FROM collections WHERE id = $1")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        let version = version.ok_or(StoreError::NotFound)?;
        if version != expected_version {
            return Err(StoreError::Conflict { current: version });
        }
        sqlx::query("DELETE FROM collections WHERE id = $1").bind(id).execute(tx.conn()).await?;
        tx.log(Entity::Collection, id, "delete", version + 1, actor, lumbung_core::clock::now());
        tx.commit().await
    }
}

impl Tx {
    async fn write_resource_links(&mut self, id: &str, c: &ResourceContent) -> Result<(), StoreError> {
        let links: Vec<(&str, &String)> =
            c.cases.iter().map(|t| ("case", t)).chain(c.events.iter().map(|t| ("event", t))).collect();
        if links.is_empty() {
            return Ok(());
        }
        let mut q = Sql::new(self.backend, "INSERT INTO resource_links (resource_id, kind, target) VALUES ");
        q.rows(links, |r, (kind, target)| {
            r.bind(id.to_owned()).bind(kind).bind(target.clone());
        });
        q.query().execute(self.conn()).await?;
        Ok(())
    }
}

/// The uploaded files of a node: `files/ab/abcdef…` under its data folder,
/// named by the SHA-256 of their content, so the same file uploaded twice
/// is stored once and a name can never point outside the folder.
#[derive(Debug, Clone)]
pub struct Files {
    dir: PathBuf,
}

impl Files {
    /// Where the file of this hash is (or would be). None for anything but
    /// a hash (64 lower-case hex digits).
    pub fn path(&self, sha256: &str) -> Option<PathBuf> {
        let ok = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let prefix = sha256.get(..2)?;
        ok.then(|| self.dir.join(prefix).join(sha256))
    }

    /// The hash of these bytes.
    pub fn hash(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// Writes the bytes (once: a file already there is kept) and returns
    /// their hash and whether this call created the file. The bytes go to
    /// a temporary file beside the target first and are renamed into place
    /// after they are on disk, so a reader never sees a half-written file.
    pub fn put(&self, bytes: &[u8]) -> std::io::Result<(String, bool)> {
        let sha = Self::hash(bytes);
        let path = self.path(&sha).ok_or_else(|| std::io::Error::other("not a hash"))?;
        if path.exists() {
            return Ok((sha, false));
        }
        let folder = path.parent().ok_or_else(|| std::io::Error::other("no folder"))?;
        std::fs::create_dir_all(folder)?;
        let mut tmp = tempfile::NamedTempFile::new_in(folder)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok((sha, true))
    }

    /// Removes the file of this hash, if it is there.
    pub fn remove(&self, sha256: &str) -> std::io::Result<()> {
        match self.path(sha256) {
            Some(p) => match std::fs::remove_file(&p) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            None => Ok(()),
        }
    }

    /// How many files are stored (for checks and tests).
    pub fn count(&self) -> usize {
        count_files(&self.dir)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => count_files(&e.path()),
            Ok(t) if t.is_file() => 1,
            _ => 0,
        })
        .sum()
}
