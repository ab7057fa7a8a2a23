//! What came out of an event: its outcome (summary, minutes, decisions) and
//! its action items, recorded by curators and administrators.

use lumbung_core::Actor;
use lumbung_core::event::{self, ActionItem, ActionItemContent, Event, Outcome};

use crate::{App, AppError};

fn require_manager(actor: Option<&Actor>) -> Result<(), AppError> {
    match actor {
        Some(a) if !lumbung_core::permissions::can_manage_events(a) => {
            Err(AppError::Forbidden("outcomes and action items are kept by curators and administrators".into()))
        }
        _ => Ok(()),
    }
}

fn trim(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl App {
    /// Records (replaces) an event's outcome if `version` is current.
    pub async fn record_outcome(
        &self,
        actor: Option<&Actor>,
        id: &str,
        version: i64,
        outcome: Outcome,
    ) -> Result<Event, AppError> {
        require_manager(actor)?;
        self.own_event(id).await?;
        let outcome = Outcome {
            summary: trim(outcome.summary),
            minutes: trim(outcome.minutes),
            decisions: outcome.decisions.into_iter().map(|d| d.trim().to_owned()).collect(),
        };
        event::validate_outcome(&outcome)?;
        self.store
            .update_event(id, Some(version), "outcome", actor.map(|a| a.account_id.as_str()), |e: &mut Event| {
                e.outcome = Some(outcome);
                Ok::<_, AppError>(None)
            })
            .await
    }

    async fn validate_action(&self, content: ActionItemContent) -> Result<ActionItemContent, AppError> {
        let content = ActionItemContent { what: content.what.trim().to_owned(), ..content };
        let orgs = self.store.organisation_ids().await?;
        let own = format!("oai:{}:case/", self.settings.node_id);
        let mut linkable = Vec::new();
        for r in content.cases.iter().take(lumbung_core::validate::MAX_LIST + 1) {
            if (event::is_global_case_id(r) && !r.starts_with(&own)) || self.published_case_ref(r).await? {
                linkable.push(r.clone());
            }
        }
        event::validate_action_item(&content, &|o| orgs.contains(o), &|r| linkable.iter().any(|x| x == r))?;
        Ok(content)
    }

    /// Adds an action item to an event.
    pub async fn create_action_item(
        &self,
        actor: Option<&Actor>,
        event_id: &str,
        content: ActionItemContent,
    ) -> Result<ActionItem, AppError> {
        require_manager(actor)?;
        self.own_event(event_id).await?;
        let content = self.validate_action(content).await?;
        let now = lumbung_core::clock::now();
        let item = ActionItem {
            id: ulid::Ulid::new().to_string(),
            event_id: event_id.to_owned(),
            content,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        self.store.create_action_item(&item, actor.map(|a| a.account_id.as_str())).await?;
        Ok(item)
    }

    /// Replaces an action item (its status too) if `version` is current.
    pub async fn update_action_item(
        &self,
        actor: Option<&Actor>,
        id: &str,
        version: i64,
        content: ActionItemContent,
    ) -> Result<ActionItem, AppError> {
        require_manager(actor)?;
        self.store.action_item(id).await?.ok_or(AppError::NotFound)?;
        let content = self.validate_action(content).await?;
        Ok(self.store.update_action_item(id, version, content, actor.map(|a| a.account_id.as_str())).await?)
    }
}
