//! Queries behind the OAI-PMH provider and the feeds: every case that was
//! ever published, ordered by the second of its last change, then id.

use crate::sql::Sql;
use crate::{Backend, Store, StoreError};
use lumbung_core::Case;

/// An OAI-PMH set a record can belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OaiSet {
    Country(String),
    Sector(String),
    Level(String),
    /// Cases from this origin node; `own` is true for the serving node's own cases.
    Origin {
        node: String,
        own: bool,
    },
    /// Cases nominated to this upstream node (nominated or accepted).
    Nominated(String),
}

/// Selective-harvesting arguments: datestamps in seconds since the epoch,
/// inclusive at both ends, and a set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OaiSelection {
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub set: Option<OaiSet>,
}

fn push_selection(q: &mut Sql<'_>, s: &OaiSelection) {
    q.push(" FROM cases WHERE published_at IS NOT NULL");
    if let Some(from) = s.from {
        q.push(" AND changed_s >= ").bind(from);
    }
    if let Some(until) = s.until {
        q.push(" AND changed_s <= ").bind(until);
    }
    match &s.set {
        None => {}
        Some(OaiSet::Country(c)) => {
            q.push(" AND country = ").bind(c.clone());
        }
        Some(OaiSet::Level(l)) => {
            q.push(" AND level_of_government = ").bind(l.clone());
        }
        Some(OaiSet::Sector(v)) => {
            q.push(" AND id IN (SELECT case_id FROM case_terms WHERE field = 'sector' AND value = ")
                .bind(v.clone())
                .push(")");
        }
        Some(OaiSet::Origin { own: true, .. }) => {
            q.push(" AND origin_identifier IS NULL");
        }
        Some(OaiSet::Nominated(upstream)) => {
            q.push(
                " AND id IN (SELECT case_id FROM nominations WHERE direction = 'outgoing' \
                 AND state IN ('nominated', 'accepted') AND node = ",
            )
            .bind(upstream.clone())
            .push(")");
        }
        Some(OaiSet::Origin { node, own: false }) => {
            q.push(" AND origin_identifier LIKE ").bind(format!("oai:{}:%", node.replace(['%', '_'], "")));
        }
    }
}

impl Store {
    /// How many records a selection holds (published and deleted).
    pub async fn oai_count(&self, s: &OaiSelection) -> Result<i64, StoreError> {
        let mut q = Sql::new(self.pools.backend, "SELECT count(*)");
        push_selection(&mut q, s);
        Ok(q.query_scalar().fetch_one(&self.pools.read).await?)
    }

    /// A page of a selection after `(changed_s, id)`, oldest change first.
    pub async fn oai_page(
        &self,
        s: &OaiSelection,
        after: Option<(i64, &str)>,
        limit: i64,
    ) -> Result<Vec<(i64, Case)>, StoreError> {
        let mut q = Sql::new(self.pools.backend, "SELECT changed_s, data");
        push_selection(&mut q, s);
        self.oai_keyset_page(q, after, limit).await
    }

    /// Ends the query of an OAI-PMH list (`SELECT changed_s, data … WHERE …`)
    /// with its keyset: the rows after `(changed_s, id)`, oldest first, read
    /// into records.
    pub(crate) async fn oai_keyset_page<T: serde::de::DeserializeOwned>(
        &self,
        mut q: Sql<'_>,
        after: Option<(i64, &str)>,
        limit: i64,
    ) -> Result<Vec<(i64, T)>, StoreError> {
        if let Some((t, id)) = after {
            q.push(" AND (changed_s > ").bind(t).push(" OR (changed_s = ").bind(t);
            q.push(" AND id > ").bind(id.to_owned()).push("))");
        }
        q.push(" ORDER BY changed_s, id LIMIT ").bind(limit);
        let rows: Vec<(i64, String)> = q.query_as().fetch_all(&self.pools.read).await?;
        rows.into_iter().map(|(t, d)| Ok((t, serde_json::from_str(&d)?))).collect()
    }

    /// The oldest datestamp any record has (None when nothing was ever published).
    pub async fn oai_earliest(&self) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT min(changed_s) FROM cases WHERE published_at IS NOT NULL")
            .fetch_one(&self.pools.read)
            .await?)
    }

    /// The origin nodes of harvested cases, for the origin sets.
    pub async fn origin_nodes(&self) -> Result<Vec<String>, StoreError> {
        // `oai:<node>:case/<id>` → `<node>`.
        let node = match self.pools.backend {
            Backend::Sqlite => "substr(origin_identifier, 5, instr(substr(origin_identifier, 5), ':') - 1)",
            Backend::Postgres => "split_part(origin_identifier, ':', 2)",
        };
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT {node} FROM cases WHERE origin_identifier IS NOT NULL AND published_at IS NOT NULL"
        ))
        .fetch_all(&self.pools.read)
        .await?;
        Ok(rows.into_iter().filter(|n| !n.is_empty()).collect())
    }

    /// Newest published cases first (feeds), after an id cursor.
    pub async fn newest_published(&self, limit: i64) -> Result<Vec<Case>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT data FROM cases WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
    }

    /// (id, last change second) of every published case, by id, after `after`: for sitemaps.
    pub async fn published_ids(&self, after: Option<&str>, limit: i64) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, changed_s FROM cases WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?)
    }

    /// How many cases are published.
    pub async fn published_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM cases WHERE status = 'published'")
            .fetch_one(&self.pools.read)
            .await?)
    }
}
