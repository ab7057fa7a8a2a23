//! Organisation queries.

use std::collections::HashSet;

use lumbung_core::Organisation;

use crate::changelog::Entity;
use crate::{Store, StoreError, time_fmt};

impl Store {
    pub async fn get_organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// Every organisation, by id.
    pub async fn list_organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT data FROM organisations ORDER BY id").fetch_all(&self.pools.read).await?;
        rows.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
    }

    /// The ids of every organisation, for validating references.
    pub async fn organisation_ids(&self) -> Result<HashSet<String>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar("SELECT id FROM organisations").fetch_all(&self.pools.read).await?;
        Ok(rows.into_iter().collect())
    }

    /// Stores a new organisation (its id must be free).
    pub async fn create_organisation(&self, org: &Organisation, actor: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO organisations (id, org_type, country, parent_id, version, created_at, updated_at, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&org.id)
        .bind(&org.content.org_type)
        .bind(&org.content.country)
        .bind(&org.content.parent)
        .bind(org.version)
        .bind(time_fmt::fmt(org.created_at))
        .bind(time_fmt::fmt(org.updated_at))
        .bind(serde_json::to_string(org)?)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, &format!("an organisation with id '{}' already exists", org.id)))?;
        tx.log(Entity::Organisation, &org.id, "create", org.version, actor, org.updated_at);
        tx.commit().await?;
        Ok(())
    }

    /// Replaces an organisation's content if `expected_version` is current.
    pub async fn update_organisation(
        &self,
        id: &str,
        expected_version: i64,
        content: lumbung_core::OrganisationContent,
        actor: Option<&str>,
    ) -> Result<Organisation, StoreError> {
        let mut tx = self.begin().await?;
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        let mut org: Organisation = serde_json::from_str(&data.ok_or(StoreError::NotFound)?)?;
        if org.version != expected_version {
            return Err(StoreError::Conflict { current: org.version });
        }
        org.content = content;
        org.version += 1;
        org.updated_at = lumbung_core::clock::now();
        let updated = sqlx::query(
            "UPDATE organisations SET org_type = $1, country = $2, parent_id = $3, version = $4, updated_at = $5, data = $6
             WHERE id = $7 AND version = $8",
        )
        .bind(&org.content.org_type)
        .bind(&org.content.country)
        .bind(&org.content.parent)
        .bind(org.version)
        .bind(time_fmt::fmt(org.updated_at))
        .bind(serde_json::to_string(&org)?)
        .bind(id)
        .bind(expected_version)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_reference(e, "parent", "no such organisation"))?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { current: expected_version + 1 });
        }
        tx.log(Entity::Organisation, id, "update", org.version, actor, org.updated_at);
        tx.commit().await?;
        Ok(org)
    }
}
