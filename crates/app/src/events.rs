//! Events: created and changed by curators and administrators (the rules in
//! `core::permissions`), read by everyone; registration by any signed-in
//! account, with the waiting list kept by the store in one transaction; and
//! the private calendar feed's token.

use lumbung_core::event::{self, Event, EventContent, EventStatus, RegistrationState};
use lumbung_core::{Actor, Status, permissions};
use lumbung_store::PresentedCase as CaseLink;

use crate::{App, AppError};

fn trim(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Trims free text and drops blank values; codes, ids, times and zones
/// must be written exactly (the OpenAPI document says so too).
fn normalise(mut c: EventContent) -> EventContent {
    c.title = c.title.trim().to_owned();
    c.description = trim(c.description);
    c.venue = trim(c.venue);
    c.city = trim(c.city);
    c.online_url = trim(c.online_url);
    for s in &mut c.sessions {
        s.title = s.title.trim().to_owned();
        s.speakers = std::mem::take(&mut s.speakers)
            .into_iter()
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect();
    }
    c
}

fn require_manager(actor: Option<&Actor>) -> Result<(), AppError> {
    match actor {
        Some(a) if !permissions::can_manage_events(a) => {
            Err(AppError::Forbidden("events are kept by curators and administrators".into()))
        }
        _ => Ok(()),
    }
}

impl App {
    /// An event: every event is public.
    pub async fn event(&self, id: &str) -> Result<Event, AppError> {
        self.store.get_event(id).await?.ok_or(AppError::NotFound)
    }

    /// An event this node keeps: a harvested copy of another node's event is
    /// changed at its origin only (harvests bring the changes).
    pub(crate) async fn own_event(&self, id: &str) -> Result<Event, AppError> {
        let event = self.event(id).await?;
        if let Some(o) = &event.origin {
            return Err(AppError::InvalidTransition(format!(
                "this event is a copy of an event of {}; it is changed there and harvested",
                o.node
            )));
        }
        Ok(event)
    }

    /// Normalises and validates an event against this node's organisations
    /// and published cases; returns it with the local case each presented
    /// reference names.
    pub async fn validate_event(&self, content: EventContent) -> Result<(EventContent, Vec<CaseLink>), AppError> {
        let content = normalise(content);
        let orgs = self.store.organisation_ids().await?;
        let refs = content.presented_cases();
        let mut links: Vec<CaseLink> = Vec::new();
        for r in refs.iter().take(event::MAX_SESSIONS * lumbung_core::validate::MAX_LIST) {
            links.push((r.clone(), self.local_case_of(r).await?));
        }
        let own = format!("oai:{}:case/", self.settings.node_id);
        let presentable = |r: &str| {
            links.iter().any(|(x, local)| x == r && local.is_some())
                || (event::is_global_case_id(r) && !r.starts_with(&own))
        };
        event::validate_event(&content, &|o| orgs.contains(o), &presentable)?;
        Ok((content, links))
    }

    /// Whether a reference names a (once-)published case here.
    pub(crate) async fn published_case_ref(&self, r: &str) -> Result<bool, AppError> {
        Ok(self.local_case_of(r).await?.is_some())
    }

    /// The once-published local case a reference names: a case id here, this
    /// node's global identifier, or another node's whose copy is harvested here.
    async fn local_case_of(&self, r: &str) -> Result<Option<String>, AppError> {
        let own = format!("oai:{}:case/", self.settings.node_id);
        let case = if let Some(id) = r.strip_prefix(&own) {
            self.store.get_case(id).await?
        } else if event::is_global_case_id(r) {
            self.store.case_by_origin_identifier(r).await?
        } else if r.len() <= 64 {
            self.store.get_case(r).await?
        } else {
            None
        };
        // Archived cases were published once (a case never goes back to
        // draft), so an agenda that named a case keeps validating after the
        // case is archived; pages link published cases only.
        Ok(case.filter(|c| matches!(c.status, Status::Published | Status::Archived)).map(|c| c.id))
    }

    /// Adds an event. `actor` None is the node itself (the demo).
    pub async fn create_event(&self, actor: Option<&Actor>, content: EventContent) -> Result<Event, AppError> {
        require_manager(actor)?;
        let (content, links) = self.validate_event(content).await?;
        let now = lumbung_core::clock::now();
        let event = Event {
            id: ulid::Ulid::new().to_string(),
            content,
            outcome: None,
            origin: None,
            version: 1,
            created_by: actor.map(|a| a.account_id.clone()),
            created_at: now,
            updated_at: now,
        };
        self.store.create_event(&event, &links, actor.map(|a| a.account_id.as_str())).await?;
        Ok(event)
    }

    /// Replaces an event's content (its outcome stays) if `version` is current.
    pub async fn update_event(
        &self,
        actor: Option<&Actor>,
        id: &str,
        version: i64,
        content: EventContent,
    ) -> Result<Event, AppError> {
        require_manager(actor)?;
        self.own_event(id).await?;
        let (content, links) = self.validate_event(content).await?;
        let action = if content.status == EventStatus::Cancelled { "cancel" } else { "update" };
        self.store
            .update_event(id, Some(version), action, actor.map(|a| a.account_id.as_str()), |e: &mut Event| {
                e.content = content;
                Ok::<_, AppError>(Some(links))
            })
            .await
    }

    /// Asks for a place at an event for the acting account.
    pub async fn register_for_event(&self, actor: &Actor, id: &str) -> Result<RegistrationState, AppError> {
        let event = self.event(id).await?;
        if !permissions::can_register_for_events(actor) {
            return Err(AppError::Forbidden("this account may not register".into()));
        }
        if event.content.status == EventStatus::Cancelled {
            return Err(AppError::InvalidTransition("the event is cancelled".into()));
        }
        if !event.content.registration_open {
            return Err(AppError::InvalidTransition("registration for this event is closed".into()));
        }
        if event.content.times().is_some_and(|t| t.end < lumbung_core::clock::now()) {
            return Err(AppError::InvalidTransition("the event is over".into()));
        }
        Ok(self.store.register(id, &actor.account_id).await?)
    }

    /// Cancels the acting account's own registration; the first on the
    /// waiting list gets the place in the same transaction.
    pub async fn cancel_event_registration(&self, actor: &Actor, id: &str) -> Result<(), AppError> {
        self.event(id).await?;
        match self.store.cancel_registration(id, &actor.account_id).await {
            Ok(_) => Ok(()),
            Err(lumbung_store::StoreError::NotFound) => {
                Err(AppError::InvalidTransition("you are not registered for this event".into()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The acting account's registration for an event.
    pub async fn my_registration(
        &self,
        actor: Option<&Actor>,
        id: &str,
    ) -> Result<Option<RegistrationState>, AppError> {
        match actor {
            None => Ok(None),
            Some(a) => Ok(self.store.registration(id, &a.account_id).await?),
        }
    }

    /// Whether `actor` sees the event's online link.
    pub async fn sees_online_link(&self, actor: Option<&Actor>, id: &str) -> Result<bool, AppError> {
        let registered = self.my_registration(actor, id).await? == Some(RegistrationState::Registered);
        Ok(permissions::sees_online_link(actor, registered))
    }

    /// A new secret for the acting account's private calendar feed (the old
    /// one stops working); only its hash is kept.
    pub async fn renew_calendar_token(&self, actor: &Actor) -> Result<String, AppError> {
        let bytes: [u8; 24] = rand::random();
        let token = hex::encode(bytes);
        self.store.set_calendar_token(&actor.account_id, Some(&lumbung_store::hash_token(&token))).await?;
        Ok(token)
    }

    /// Revokes the acting account's private calendar feed.
    pub async fn revoke_calendar_token(&self, actor: &Actor) -> Result<(), AppError> {
        Ok(self.store.set_calendar_token(&actor.account_id, None).await?)
    }
}
