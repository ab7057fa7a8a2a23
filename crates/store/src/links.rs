//! Replication links between cases: what a case records it descends from,
//! and, the other way, which cases (here or harvested from other nodes)
//! descend from a case. Written inside a [`Tx`] with the case's revision so
//! the revision log and the change log see every change.

use lumbung_core::Case;
use lumbung_core::diffusion::LinkKind;
use serde::Serialize;
use sqlx::Row;
use time::OffsetDateTime;

use crate::changelog::Entity;
use crate::{Backend, Store, StoreError, Tx, time_fmt};

/// Where a link was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkSource {
    /// By an account on this node.
    Local,
    /// Carried by a record harvested from another node.
    Harvested,
}

impl LinkSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkSource::Local => "local",
            LinkSource::Harvested => "harvested",
        }
    }
}

/// One replication link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseLink {
    pub id: String,
    /// The descendant (adopter): a local case or a harvested copy.
    pub case_id: String,
    pub kind: LinkKind,
    /// The source case's global identifier, `oai:<node>:case/<id>`.
    pub target_identifier: String,
    /// The source case's id when it is on this node (local or a copy).
    pub target_case_id: Option<String>,
    pub target_url: Option<String>,
    /// The source's title as the recording node knew it (for remote sources).
    pub target_title: Option<String>,
    pub changes: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub year: Option<i32>,
    pub source: LinkSource,
    pub created_by: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

const LINK_COLUMNS: &str = "l.id, l.case_id, l.kind, l.target_identifier, l.target_case_id, l.target_url, \
     l.target_title, l.changes, l.country, l.region, l.year, l.source, l.created_by, l.created_at";

type LinkRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    Option<String>,
    String,
);

/// A link row followed by its adopter case's JSON.
type AdopterRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    Option<String>,
    String,
    String,
);

fn link_from_row(r: LinkRow) -> Result<CaseLink, StoreError> {
    let (
        id,
        case_id,
        kind,
        target_identifier,
        target_case_id,
        target_url,
        target_title,
        changes,
        country,
        region,
        year,
        source,
        created_by,
        created_at,
    ) = r;
    Ok(CaseLink {
        kind: LinkKind::parse(&kind)
            .ok_or_else(|| StoreError::Integrity(format!("link {id} has an unknown kind '{kind}'")))?,
        source: if source == "harvested" { LinkSource::Harvested } else { LinkSource::Local },
        id,
        case_id,
        target_identifier,
        target_case_id,
        target_url,
        target_title,
        changes,
        country,
        region,
        year: year.and_then(|y| i32::try_from(y).ok()),
        created_by,
        created_at: time_fmt::parse(&created_at)?,
    })
}

/// The most adopters listed for one source case.
pub const MAX_ADOPTERS: i64 = 500;

impl Store {
    /// The links a case records (what it descends from), oldest first.
    pub async fn links_of(&self, case_id: &str) -> Result<Vec<CaseLink>, StoreError> {
        let rows: Vec<LinkRow> = sqlx::query_as(&format!(
            "SELECT {LINK_COLUMNS} FROM case_links l WHERE l.case_id = $1 ORDER BY l.created_at, l.id"
        ))
        .bind(case_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(link_from_row).collect()
    }

    /// The links of several cases, by case id (for OAI-PMH list pages).
    pub async fn links_of_cases(
        &self,
        case_ids: &[&str],
    ) -> Result<std::collections::HashMap<String, Vec<CaseLink>>, StoreError> {
        let mut found: std::collections::HashMap<String, Vec<CaseLink>> = std::collections::HashMap::new();
        for chunk in case_ids.chunks(500) {
            let mut q = crate::sql::Sql::new(
                self.pools.backend,
                &format!("SELECT {LINK_COLUMNS} FROM case_links l WHERE l.case_id IN ("),
            );
            q.list(chunk.iter().copied()).push(") ORDER BY l.created_at, l.id");
            let rows: Vec<LinkRow> = q.query_as().fetch_all(&self.pools.read).await?;
            for row in rows {
                let link = link_from_row(row)?;
                found.entry(link.case_id.clone()).or_default().push(link);
            }
        }
        Ok(found)
    }

    /// One link of a case.
    pub async fn link(&self, case_id: &str, link_id: &str) -> Result<Option<CaseLink>, StoreError> {
        let row: Option<LinkRow> =
            sqlx::query_as(&format!("SELECT {LINK_COLUMNS} FROM case_links l WHERE l.case_id = $1 AND l.id = $2"))
                .bind(case_id)
                .bind(link_id)
                .fetch_optional(&self.pools.read)
                .await?;
        row.map(link_from_row).transpose()
    }

    /// The links naming `identifier` as their source, each with its adopter
    /// case (whatever its status: callers filter by who may see it), oldest
    /// first, at most [`MAX_ADOPTERS`].
    pub async fn adopters_of(&self, identifier: &str) -> Result<Vec<(CaseLink, Case)>, StoreError> {
        let rows: Vec<AdopterRow> = sqlx::query_as(&format!(
            "SELECT {LINK_COLUMNS}, c.data FROM case_links l JOIN cases c ON c.id = l.case_id
                 WHERE l.target_identifier = $1 ORDER BY l.created_at, l.id LIMIT $2"
        ))
        .bind(identifier)
        .bind(MAX_ADOPTERS)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter()
            .map(|(a, b, c, d, e, f, g, h, i, j, k, l, m, n, data)| {
                Ok((link_from_row((a, b, c, d, e, f, g, h, i, j, k, l, m, n))?, serde_json::from_str(&data)?))
            })
            .collect()
    }

    /// The harvested copy of the case with this id on its origin node.
    pub async fn case_by_origin_case_id(&self, case_id: &str) -> Result<Option<Case>, StoreError> {
        let data: Option<String> =
            sqlx::query_scalar("SELECT data FROM cases WHERE origin_identifier LIKE $1 ORDER BY id LIMIT 1")
                .bind(format!("oai:%:case/{case_id}"))
                .fetch_optional(&self.pools.read)
                .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// Links whose adopter is published, oldest first, at most `limit`
    /// (for the dashboard's diffusion figures).
    pub async fn published_links(&self, limit: i64) -> Result<Vec<CaseLink>, StoreError> {
        let rows: Vec<LinkRow> = sqlx::query_as(&format!(
            "SELECT {LINK_COLUMNS} FROM case_links l JOIN cases c ON c.id = l.case_id
             WHERE c.status = 'published' ORDER BY l.created_at, l.id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(link_from_row).collect()
    }
}

impl Tx {
    /// The links a case records, as this transaction sees them.
    pub async fn links_of(&mut self, case_id: &str) -> Result<Vec<CaseLink>, StoreError> {
        let rows: Vec<LinkRow> = sqlx::query_as(&format!(
            "SELECT {LINK_COLUMNS} FROM case_links l WHERE l.case_id = $1 ORDER BY l.created_at, l.id"
        ))
        .bind(case_id)
        .fetch_all(self.conn())
        .await?;
        rows.into_iter().map(link_from_row).collect()
    }

    /// The id of the case a global identifier names on this node: a local
    /// case when `local_id` is given (the identifier is this node's), else a
    /// harvested copy.
    pub async fn case_id_for(
        &mut self,
        identifier: &str,
        local_id: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        Ok(match local_id {
            Some(id) => {
                sqlx::query_scalar("SELECT id FROM cases WHERE id = $1").bind(id).fetch_optional(self.conn()).await?
            }
            None => {
                sqlx::query_scalar("SELECT id FROM cases WHERE origin_identifier = $1")
                    .bind(identifier)
                    .fetch_optional(self.conn())
                    .await?
            }
        })
    }

    /// Records a link (refused as a duplicate when the case already names this source).
    pub async fn insert_link(&mut self, link: &CaseLink, version: i64) -> Result<(), StoreError> {
        let taken: i64 =
            sqlx::query_scalar("SELECT count(*) FROM case_links WHERE case_id = $1 AND target_identifier = $2")
                .bind(&link.case_id)
                .bind(&link.target_identifier)
                .fetch_one(self.conn())
                .await?;
        if taken > 0 {
            return Err(StoreError::Duplicate(format!(
                "this case already records a link to {}",
                link.target_identifier
            )));
        }
        sqlx::query(
            "INSERT INTO case_links (id, case_id, kind, target_identifier, target_case_id, target_url, target_title,
                changes, country, region, year, source, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(&link.id)
        .bind(&link.case_id)
        .bind(link.kind.as_str())
        .bind(&link.target_identifier)
        .bind(&link.target_case_id)
        .bind(&link.target_url)
        .bind(&link.target_title)
        .bind(&link.changes)
        .bind(&link.country)
        .bind(&link.region)
        .bind(link.year.map(i64::from))
        .bind(link.source.as_str())
        .bind(&link.created_by)
        .bind(time_fmt::fmt(link.created_at))
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "this case already records a link to that case"))?;
        self.log(Entity::Link, &link.id, "link", version, link.created_by.as_deref(), link.created_at);
        Ok(())
    }

    /// Removes a case's link; false when there is none with this id.
    pub async fn delete_link(
        &mut self,
        case_id: &str,
        link_id: &str,
        version: i64,
        actor: Option<&str>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM case_links WHERE case_id = $1 AND id = $2")
            .bind(case_id)
            .bind(link_id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.log(Entity::Link, link_id, "unlink", version, actor, lumbung_core::clock::now());
        Ok(true)
    }

    /// Replaces the links a harvested copy carries with those of its newest
    /// record (validated and bounded by the harvester).
    pub async fn replace_harvested_links(
        &mut self,
        case_id: &str,
        links: &[CaseLink],
        version: i64,
    ) -> Result<(), StoreError> {
        let old: Vec<String> = sqlx::query_scalar("SELECT id FROM case_links WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(self.conn())
            .await?;
        sqlx::query("DELETE FROM case_links WHERE case_id = $1").bind(case_id).execute(self.conn()).await?;
        let now = lumbung_core::clock::now();
        for id in &old {
            self.log(Entity::Link, id, "unlink", version, None, now);
        }
        for link in links {
            // A record naming one source twice keeps the first.
            match self.insert_link(link, version).await {
                Ok(()) | Err(StoreError::Duplicate(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// One case descended from a root, as [`Store::descendants`] finds it.
#[derive(Debug, Clone)]
pub struct Descendant {
    /// Generations from the root (1: adopts the root itself).
    pub depth: usize,
    /// The link by which it descends from its parent (`target_identifier`).
    pub link: CaseLink,
    /// The adopter's global identifier (its children name it).
    pub identifier: String,
    pub status: String,
    pub created_by: Option<String>,
    /// The organisation the adopting case belongs to with its author.
    pub owner_org: Option<String>,
    pub country: Option<String>,
    pub year_launched: Option<i32>,
    pub origin_identifier: Option<String>,
    pub title: lumbung_core::Text,
    pub original_language: String,
}

/// What a descendant's page needs of its record.
#[derive(serde::Deserialize)]
struct TitleOnly {
    #[serde(default)]
    title: lumbung_core::Text,
    #[serde(default)]
    original_language: String,
}

impl Store {
    /// The cases descended from the case with global identifier `root`, in
    /// one recursive query: the links naming it, then the links naming those
    /// adopters (by their global identifier: `local_prefix` + id for a local
    /// case, the origin's identifier for a harvested copy), and so on for at
    /// most `max_depth` generations; whatever their status (callers filter),
    /// nearest generations first, at most `limit` rows. A case reached by
    /// several paths appears once per path (callers keep the first).
    pub async fn descendants(
        &self,
        root: &str,
        local_prefix: &str,
        max_depth: usize,
        limit: i64,
    ) -> Result<Vec<Descendant>, StoreError> {
        // The bundled SQLite (3.46) planned this query so that it took 146 ms
        // for 500 descendants among 100,000 cases (its time went to index
        // seeks on text keys), where the order written — the few rows of
        // `tree`, then their links, then their cases — takes a few: the
        // diffusion page's p50 fell from 92 to 17 ms. CROSS JOIN is how
        // SQLite is told to keep the order written; PostgreSQL has no such
        // form with ON, and needs none.
        let join = match self.pools.backend {
            Backend::Sqlite => "CROSS JOIN",
            Backend::Postgres => "JOIN",
        };
        let rows = sqlx::query(&format!(
            "WITH RECURSIVE tree(link_id, ident, depth) AS (
                 SELECT l.id, COALESCE(c.origin_identifier, CAST($2 AS TEXT) || c.id), 1
                   FROM case_links l JOIN cases c ON c.id = l.case_id WHERE l.target_identifier = $1
               UNION
                 SELECT l.id, COALESCE(c.origin_identifier, CAST($2 AS TEXT) || c.id), t.depth + 1
                   FROM tree t {join} case_links l ON l.target_identifier = t.ident {join} cases c ON c.id = l.case_id
                  WHERE t.depth < $3
             )
             SELECT {LINK_COLUMNS}, t.depth, t.ident, c.status, c.created_by, c.country, c.year_launched,
                    c.origin_identifier, c.data, c.owner_org
               FROM tree t {join} case_links l ON l.id = t.link_id {join} cases c ON c.id = l.case_id
              ORDER BY t.depth, l.created_at, l.id LIMIT $4"
        ))
        .bind(root)
        .bind(local_prefix)
        .bind(i64::try_from(max_depth).unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|row| {
                let link = link_from_row(<LinkRow as sqlx::FromRow<_>>::from_row(row)?)?;
                let data: String = row.try_get(21)?;
                let TitleOnly { title, original_language } = serde_json::from_str(&data)?;
                Ok(Descendant {
                    link,
                    depth: usize::try_from(row.try_get::<i64, _>(14)?).unwrap_or(usize::MAX),
                    identifier: row.try_get(15)?,
                    status: row.try_get(16)?,
                    created_by: row.try_get(17)?,
                    owner_org: row.try_get(22)?,
                    country: row.try_get(18)?,
                    year_launched: row.try_get::<Option<i64>, _>(19)?.and_then(|y| i32::try_from(y).ok()),
                    origin_identifier: row.try_get(20)?,
                    title,
                    original_language,
                })
            })
            .collect()
    }
}

/// One published adopter's link with the places and levels of both sides,
/// for the diffusion dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub target_identifier: String,
    pub target_case_id: Option<String>,
    pub target_title: Option<String>,
    /// The adopter's country (the link's, else the case's) and level.
    pub to_country: Option<String>,
    pub to_level: Option<String>,
    /// The source's country and level, when the source is on this node.
    pub from_country: Option<String>,
    pub from_level: Option<String>,
}

type FlowRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The links of published adopters with both sides' country and level, at most `limit`.
    pub async fn flows(&self, limit: i64) -> Result<Vec<Flow>, StoreError> {
        let rows: Vec<FlowRow> = sqlx::query_as(
            "SELECT l.target_identifier, l.target_case_id, l.target_title, l.country, c.country, c.level_of_government,
                    t.country, t.level_of_government
             FROM case_links l JOIN cases c ON c.id = l.case_id LEFT JOIN cases t ON t.id = l.target_case_id
             WHERE c.status = 'published' ORDER BY l.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    target_identifier,
                    target_case_id,
                    target_title,
                    link_country,
                    country,
                    level,
                    from_country,
                    from_level,
                )| Flow {
                    target_identifier,
                    target_case_id,
                    target_title,
                    to_country: link_country.or(country),
                    to_level: level,
                    from_country,
                    from_level,
                },
            )
            .collect())
    }
}
