//! Organisation queries.

use std::collections::HashSet;

use lumbung_core::Organisation;

use crate::{Store, StoreError, changelog, time_fmt};

impl Store {
    pub async fn get_organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM organisations WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// Every organisation, by id.
    pub async fn list_organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT data FROM organisations ORDER BY id").fetch_all(&self.read).await?;
        rows.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
    }

    /// The ids of every organisation, for validating references.
    pub async fn organisation_ids(&self) -> Result<HashSet<String>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar("SELECT id FROM organisations").fetch_all(&self.read).await?;
        Ok(rows.into_iter().collect())
    }

    /// Stores a new organisation (its id must be free).
    pub async fn create_organisation(&self, org: &Organisation, actor: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO organisations (id, org_type, country, parent_id, version, created_at, updated_at, data)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&org.id)
        .bind(&org.content.org_type)
        .bind(&org.content.country)
        .bind(&org.content.parent)
        .bind(org.version)
        .bind(time_fmt::fmt(org.created_at))
        .bind(time_fmt::fmt(org.updated_at))
        .bind(serde_json::to_string(org)?)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, &format!("an organisation with id '{}' already exists", org.id)))?;
        changelog::append(&mut tx, "organisation", &org.id, "create", org.version, actor, org.updated_at).await?;
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
        let mut tx = self.write.begin().await?;
        let data: Option<String> =
            sqlx::query_scalar("SELECT data FROM organisations WHERE id = ?").bind(id).fetch_optional(&mut *tx).await?;
        let mut org: Organisation = serde_json::from_str(&data.ok_or(StoreError::NotFound)?)?;
        if org.version != expected_version {
            return Err(StoreError::Conflict { current: org.version });
        }
        org.content = content;
        org.version += 1;
        org.updated_at = lumbung_core::clock::now();
        sqlx::query(
            "UPDATE organisations SET org_type = ?, country = ?, parent_id = ?, version = ?, updated_at = ?, data = ?
             WHERE id = ?",
        )
        .bind(&org.content.org_type)
        .bind(&org.content.country)
        .bind(&org.content.parent)
        .bind(org.version)
        .bind(time_fmt::fmt(org.updated_at))
        .bind(serde_json::to_string(&org)?)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        changelog::append(&mut tx, "organisation", id, "update", org.version, actor, org.updated_at).await?;
        tx.commit().await?;
        Ok(org)
    }
}
