//! Organisations: created and changed by curators and administrators.

use std::collections::HashMap;

use lumbung_core::{Actor, Organisation, OrganisationContent, permissions, validate};

use crate::{App, AppError};

fn normalise(mut o: OrganisationContent) -> OrganisationContent {
    o.name = o.name.normalised();
    let trim = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    o.acronym = trim(o.acronym);
    o.org_type = o.org_type.trim().to_owned();
    o.level_of_government = trim(o.level_of_government);
    o.country = trim(o.country).map(|c| c.to_ascii_uppercase());
    o.parent = trim(o.parent);
    o.website = trim(o.website);
    o
}

fn require_editor(actor: Option<&Actor>) -> Result<(), AppError> {
    match actor {
        Some(a) if !permissions::can_manage_organisations(a) => {
            Err(AppError::Forbidden("organisations are kept by curators and administrators".into()))
        }
        _ => Ok(()),
    }
}

impl App {
    /// Adds an organisation. `actor` None is the node itself (the command
    /// line, the demo); an account must be allowed to manage organisations.
    pub async fn create_organisation(
        &self,
        actor: Option<&Actor>,
        id: String,
        content: OrganisationContent,
    ) -> Result<Organisation, AppError> {
        require_editor(actor)?;
        let content = normalise(content);
        let known = self.store.organisation_ids().await?;
        validate::validate_organisation(&id, &content, &|o| known.contains(o))?;
        let now = lumbung_core::clock::now();
        let org = Organisation { id, content, version: 1, created_at: now, updated_at: now };
        self.store.create_organisation(&org, actor.map(|a| a.account_id.as_str())).await?;
        Ok(org)
    }

    /// Changes an organisation's details (parent loops refused) if `version` is current.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: &str,
        version: i64,
        content: OrganisationContent,
    ) -> Result<Organisation, AppError> {
        require_editor(Some(actor))?;
        let content = normalise(content);
        let known = self.store.organisation_ids().await?;
        if !known.contains(id) {
            return Err(AppError::NotFound);
        }
        validate::validate_organisation(id, &content, &|o| known.contains(o))?;
        if let Some(parent) = &content.parent {
            let parents: HashMap<String, Option<String>> =
                self.store.list_organisations().await?.into_iter().map(|o| (o.id, o.content.parent)).collect();
            if validate::creates_parent_cycle(id, parent, &|o| parents.get(o).cloned().flatten()) {
                return Err(AppError::field(
                    "parent",
                    "invalid",
                    format!("'{parent}' belongs to '{id}' already; it cannot also be its parent"),
                ));
            }
        }
        Ok(self.store.update_organisation(id, version, content, Some(&actor.account_id)).await?)
    }
}
