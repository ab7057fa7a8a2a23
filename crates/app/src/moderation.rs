//! Moderation with due process: flags (one per account per post; enough of
//! them hide the post pending review), a moderator's decisions with a reason
//! the author is told (hide, restore, lock, unlock, suspend posting), the
//! audit log, and one appeal per decision, decided by the moderators of where
//! the decision was (upheld, or overturned: the post comes back, the thread
//! opens, the suspension ends), with a reason the author is told.

use lumbung_core::Actor;
use lumbung_core::dialogue::{self, FlagReason};
use lumbung_store::{ModerationAction, NewAction, QueueItem};
use time::OffsetDateTime;

use crate::{App, AppError};

/// The longest reason, note or appeal, in characters.
pub const MAX_REASON: usize = 2_000;

/// What a flag did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagOutcome {
    /// Unreviewed flags on the post now.
    pub flags: i64,
    /// Whether the post is hidden pending review.
    pub hidden: bool,
}

fn reason(text: Option<String>) -> Result<String, AppError> {
    let text = crate::clean_text("reason", text, MAX_REASON)?
        .ok_or_else(|| AppError::field("reason", "required", "say why: the author is told"))?;
    if text.chars().any(char::is_control) {
        return Err(AppError::field("reason", "invalid", "one line, without control characters"));
    }
    Ok(text)
}

impl App {
    /// Flags a post the actor can read; enough flags from different accounts hide it.
    pub async fn flag_post(
        &self,
        actor: &Actor,
        post_id: &str,
        why: &str,
        note: Option<String>,
    ) -> Result<FlagOutcome, AppError> {
        let post = self.store.post(post_id).await?.ok_or(AppError::NotFound)?;
        self.thread_for(Some(actor), &post.thread_id).await?;
        let why = FlagReason::parse(why)
            .ok_or_else(|| AppError::field("reason", "unknown_value", "spam, offensive, off_topic or other"))?;
        let note = crate::clean_text("note", note, MAX_REASON)?;
        if why == FlagReason::Other && note.is_none() {
            return Err(AppError::field("note", "required", "say what is wrong"));
        }
        let mut tx = self.store.begin().await?;
        let flags = tx.flag_post(post_id, &actor.account_id, why.as_str(), note.as_deref()).await?;
        let hide = post.hidden.is_none() && flags >= self.settings.dialogue.flags_to_hide;
        if hide {
            let text = format!("{flags} flags ({})", why.as_str());
            tx.set_hidden(post_id, Some((true, &text)), None).await?;
            tx.record_action(&NewAction {
                action: "hide",
                post_id: Some(post_id),
                thread_id: Some(&post.thread_id),
                subject_id: Some(&post.author_id),
                moderator_id: None,
                reason: &text,
                until: None,
            })
            .await?;
        }
        tx.commit().await?;
        Ok(FlagOutcome { flags, hidden: hide || post.hidden.is_some() })
    }

    /// A moderator hides or restores a post, with a reason the author is told.
    pub async fn moderate_post(
        &self,
        actor: &Actor,
        post_id: &str,
        decision: &str,
        why: Option<String>,
    ) -> Result<ModerationAction, AppError> {
        let post = self.store.post(post_id).await?.ok_or(AppError::NotFound)?;
        let access = self.thread_for(Some(actor), &post.thread_id).await?;
        if !access.can_moderate {
            return Err(AppError::Forbidden("the moderators of this place decide".into()));
        }
        let hide = match decision {
            "hide" => true,
            "restore" => false,
            _ => return Err(AppError::field("decision", "unknown_value", "hide or restore")),
        };
        let why = reason(why)?;
        let mut tx = self.store.begin().await?;
        tx.set_hidden(post_id, hide.then_some((false, why.as_str())), Some(&actor.account_id)).await?;
        let id = tx
            .record_action(&NewAction {
                action: decision,
                post_id: Some(post_id),
                thread_id: Some(&post.thread_id),
                subject_id: Some(&post.author_id),
                moderator_id: Some(&actor.account_id),
                reason: &why,
                until: None,
            })
            .await?;
        tx.commit().await?;
        self.store.moderation_action(&id).await?.ok_or(AppError::NotFound)
    }

    /// A moderator locks or unlocks a thread, with a reason.
    pub async fn moderate_thread(
        &self,
        actor: &Actor,
        thread_id: &str,
        decision: &str,
        why: Option<String>,
    ) -> Result<ModerationAction, AppError> {
        let access = self.thread_for(Some(actor), thread_id).await?;
        if !access.can_moderate {
            return Err(AppError::Forbidden("the moderators of this place decide".into()));
        }
        let lock = match decision {
            "lock" => true,
            "unlock" => false,
            _ => return Err(AppError::field("decision", "unknown_value", "lock or unlock")),
        };
        let why = reason(why)?;
        let mut tx = self.store.begin().await?;
        tx.set_locked(thread_id, lock, &actor.account_id).await?;
        let id = tx
            .record_action(&NewAction {
                action: decision,
                thread_id: Some(thread_id),
                subject_id: access.thread.created_by.as_deref(),
                moderator_id: Some(&actor.account_id),
                reason: &why,
                ..NewAction::default()
            })
            .await?;
        tx.commit().await?;
        self.store.moderation_action(&id).await?.ok_or(AppError::NotFound)
    }

    /// Curators and administrators suspend an account's posting until a time.
    pub async fn suspend_posting(
        &self,
        actor: &Actor,
        account: &str,
        until: OffsetDateTime,
        why: Option<String>,
    ) -> Result<ModerationAction, AppError> {
        if !dialogue::can_suspend(actor) {
            return Err(AppError::Forbidden("curators and administrators suspend posting".into()));
        }
        self.store.get_account(account).await?.ok_or(AppError::NotFound)?;
        if until <= lumbung_core::clock::now() {
            return Err(AppError::field("until", "out_of_range", "a time in the future"));
        }
        let why = reason(why)?;
        let mut tx = self.store.begin().await?;
        let id = tx
            .record_action(&NewAction {
                action: "suspend",
                subject_id: Some(account),
                moderator_id: Some(&actor.account_id),
                reason: &why,
                until: Some(until),
                ..NewAction::default()
            })
            .await?;
        tx.commit().await?;
        self.store.moderation_action(&id).await?.ok_or(AppError::NotFound)
    }

    /// The posts waiting for `actor`'s review: only those in places they moderate.
    pub async fn moderation_queue(&self, actor: &Actor) -> Result<Vec<QueueItem>, AppError> {
        let mut out = Vec::new();
        for item in self.store.moderation_queue(500).await? {
            let moderates = match self.thread_for(Some(actor), &item.thread_id).await {
                Ok(access) => access.can_moderate,
                Err(AppError::NotFound) => false,
                Err(e) => return Err(e),
            };
            if moderates {
                out.push(item);
            }
        }
        Ok(out)
    }

    /// Whether `actor` moderates anything (a room, or as a curator or administrator).
    pub async fn is_moderator(&self, actor: &Actor) -> Result<bool, AppError> {
        if dialogue::can_moderate_cases(actor) {
            return Ok(true);
        }
        let mine = self.store.memberships_of(&actor.account_id).await?;
        Ok(mine.iter().any(|(_, m)| *m == dialogue::Membership::Moderator))
    }

    /// The audit log, for curators and administrators.
    pub async fn moderation_log(&self, actor: &Actor) -> Result<Vec<ModerationAction>, AppError> {
        if !dialogue::can_read_audit_log(actor) {
            return Err(AppError::Forbidden("curators and administrators read the audit log".into()));
        }
        Ok(self.store.moderation_log(500).await?)
    }

    /// The decisions about the actor (with their appeals).
    pub async fn decisions_about_me(&self, actor: &Actor) -> Result<Vec<ModerationAction>, AppError> {
        Ok(self.store.moderation_about(&actor.account_id).await?)
    }

    /// Appeals a decision about the actor, once.
    pub async fn appeal(&self, actor: &Actor, action_id: &str, text: Option<String>) -> Result<(), AppError> {
        let action = self.store.moderation_action(action_id).await?.ok_or(AppError::NotFound)?;
        if action.subject_id.as_deref() != Some(actor.account_id.as_str()) {
            return Err(AppError::NotFound);
        }
        if matches!(action.action.as_str(), "restore" | "unlock") {
            return Err(AppError::InvalidTransition("this decision was in your favour".into()));
        }
        let text = crate::clean_text("body", text, MAX_REASON)?
            .ok_or_else(|| AppError::field("body", "required", "say why the decision should change"))?;
        let mut tx = self.store.begin().await?;
        tx.appeal(action_id, &actor.account_id, &text).await?;
        Ok(tx.commit().await?)
    }

    /// Whether `actor` decides appeals against `action`: the moderators of
    /// the place it was taken in (curators and administrators for a
    /// suspension), never the account it is about. `NotFound` when the actor
    /// may not see that place.
    async fn decides_appeal(&self, actor: &Actor, action: &ModerationAction) -> Result<bool, AppError> {
        // Due process: neither the author nor the moderator who made the
        // decision judges the appeal against it.
        let me = Some(actor.account_id.as_str());
        if action.subject_id.as_deref() == me || action.moderator_id.as_deref() == me {
            return Ok(false);
        }
        match &action.thread_id {
            Some(thread) => Ok(self.thread_for(Some(actor), thread).await?.can_moderate),
            None => Ok(dialogue::can_suspend(actor)),
        }
    }

    /// The open appeals `actor` decides, oldest first.
    pub async fn appeals_to_decide(&self, actor: &Actor) -> Result<Vec<ModerationAction>, AppError> {
        let mut out = Vec::new();
        for action in self.store.open_appeals(500).await? {
            match self.decides_appeal(actor, &action).await {
                Ok(true) => out.push(action),
                Ok(false) | Err(AppError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Decides the appeal against a decision: `uphold` (it stands) or
    /// `overturn` (it is undone: a hidden post is shown again, a locked
    /// thread opens, a suspension ends), with a reason the author is told.
    pub async fn decide_appeal(
        &self,
        actor: &Actor,
        action_id: &str,
        decision: &str,
        why: Option<String>,
    ) -> Result<ModerationAction, AppError> {
        let action = self.store.moderation_action(action_id).await?.ok_or(AppError::NotFound)?;
        if action.appeal.is_none() {
            return Err(AppError::NotFound);
        }
        if !self.decides_appeal(actor, &action).await? {
            return Err(AppError::Forbidden(
                "another moderator of this place decides the appeal, not the author nor who decided".into(),
            ));
        }
        let overturn = match decision {
            "uphold" => false,
            "overturn" => true,
            _ => return Err(AppError::field("decision", "unknown_value", "uphold or overturn")),
        };
        let why = reason(why)?;
        if action.appeal.as_ref().is_some_and(|a| a.state != "open") {
            return Err(AppError::InvalidTransition("this appeal has been decided already".into()));
        }
        let mut tx = self.store.begin().await?;
        if !tx.decide_appeal(action_id, overturn, &actor.account_id, &why).await? {
            return Err(AppError::InvalidTransition("this appeal has been decided already".into()));
        }
        if overturn {
            match (action.action.as_str(), &action.post_id, &action.thread_id) {
                ("hide", Some(post), _) => tx.set_hidden(post, None, Some(&actor.account_id)).await?,
                ("lock", _, Some(thread)) => tx.set_locked(thread, false, &actor.account_id).await?,
                // A suspension overturned no longer counts (`suspended_until`).
                _ => {}
            }
        }
        tx.commit().await?;
        self.store.moderation_action(action_id).await?.ok_or(AppError::NotFound)
    }
}
