//! Threads and posts: start a thread in a room, post on a case's discussion,
//! ask a case's team, reply (and quote) within a thread, edit with history,
//! translate. Each write is one transaction with its change-log entry; the
//! notifications follow that log, so a post never waits for its fan-out.

use lumbung_core::dialogue::{self, ThreadKind};
use lumbung_core::{Actor, Case, Status, ValidationErrors, permissions, vocab};
use lumbung_store::{NewPost, Post, PostRevision, Thread};

use crate::{App, AppError, RoomAccess};

/// Posting limits (per account), checked in the database so they hold across instances.
#[derive(Debug, Clone)]
pub struct DialogueSettings {
    pub posts_per_minute: usize,
    pub posts_per_hour: usize,
    pub links_per_post: usize,
    /// The same for accounts younger than a day.
    pub new_posts_per_minute: usize,
    pub new_posts_per_hour: usize,
    pub new_links_per_post: usize,
    /// Flags from different accounts that hide a post pending review.
    pub flags_to_hide: i64,
}

impl Default for DialogueSettings {
    fn default() -> Self {
        DialogueSettings {
            posts_per_minute: 6,
            posts_per_hour: 60,
            links_per_post: 10,
            new_posts_per_minute: 3,
            new_posts_per_hour: 20,
            new_links_per_post: 2,
            flags_to_hide: 3,
        }
    }
}

/// What a post says.
#[derive(Debug, Clone, Default)]
pub struct PostInput {
    pub body: String,
    pub language: String,
    pub reply_to: Option<String>,
    pub quote_of: Option<String>,
}

/// A thread with what the actor may do in it.
#[derive(Debug, Clone)]
pub struct ThreadAccess {
    pub thread: Thread,
    pub room: Option<RoomAccess>,
    pub case: Option<Case>,
    pub can_post: bool,
    pub can_moderate: bool,
}

impl App {
    /// The thread when `actor` may read it; NotFound otherwise (a private
    /// room's threads do not exist for non-members).
    pub async fn thread_for(&self, actor: Option<&Actor>, id: &str) -> Result<ThreadAccess, AppError> {
        let thread = self.store.thread(id).await?.ok_or(AppError::NotFound)?;
        match (&thread.room, &thread.case_id) {
            (Some(slug), _) => {
                let room = self.room_for(actor, slug).await?;
                if !room.can_read_threads {
                    return Err(AppError::NotFound);
                }
                Ok(ThreadAccess {
                    can_post: room.can_post && !thread.locked,
                    can_moderate: room.can_moderate,
                    thread,
                    room: Some(room),
                    case: None,
                })
            }
            (None, Some(case_id)) => {
                let case = self.discussed_case(actor, case_id).await?;
                Ok(ThreadAccess {
                    can_post: actor.is_some_and(dialogue::can_post_on_case) && !thread.locked,
                    can_moderate: actor.is_some_and(dialogue::can_moderate_cases),
                    thread,
                    room: None,
                    case: Some(case),
                })
            }
            (None, None) => Err(AppError::NotFound),
        }
    }

    /// A published case, the only kind that has a discussion.
    pub async fn discussed_case(&self, actor: Option<&Actor>, id: &str) -> Result<Case, AppError> {
        let case = self.visible_case(id, actor).await?;
        if case.status != Status::Published {
            return Err(AppError::NotFound);
        }
        Ok(case)
    }

    /// Starts a thread in a room with its first post.
    pub async fn start_thread(
        &self,
        actor: &Actor,
        room: &str,
        title: &str,
        input: PostInput,
    ) -> Result<(Thread, Post), AppError> {
        let access = self.room_for(Some(actor), room).await?;
        if !access.can_read_threads {
            return Err(AppError::NotFound);
        }
        if !access.can_post {
            return Err(AppError::Forbidden("only the room's members start threads here".into()));
        }
        let title = thread_title(title)?;
        let input = self.checked_post(actor, input, None).await?;
        let mut tx = self.store.begin().await?;
        let thread = tx.create_thread(ThreadKind::Room, Some(room), None, &title, Some(&actor.account_id)).await?;
        let post_id = add(&mut tx, &thread.id, actor, input, false).await?;
        tx.commit().await?;
        self.created(&thread.id, &post_id).await
    }

    /// Posts on a published case's discussion (started by the first post).
    pub async fn post_on_case(
        &self,
        actor: &Actor,
        case_id: &str,
        input: PostInput,
    ) -> Result<(Thread, Post), AppError> {
        let case = self.discussed_case(Some(actor), case_id).await?;
        if !dialogue::can_post_on_case(actor) {
            return Err(AppError::Forbidden("sign in to join the discussion".into()));
        }
        let existing = self.store.case_discussion(case_id).await?;
        if existing.as_ref().is_some_and(|t| t.locked) {
            return Err(AppError::InvalidTransition("this discussion is locked".into()));
        }
        let input = self.checked_post(actor, input, existing.as_ref()).await?;
        let mut tx = self.store.begin().await?;
        let title = case.display_title(&case.content.original_language).to_owned();
        let thread = tx.case_discussion(case_id, &title).await?;
        let post_id = add(&mut tx, &thread.id, actor, input, false).await?;
        tx.commit().await?;
        self.created(&thread.id, &post_id).await
    }

    /// "Ask the team": a question to a published case's owners (its author
    /// and the members of its organisations), answered once one of them posts.
    pub async fn ask_the_team(
        &self,
        actor: &Actor,
        case_id: &str,
        title: &str,
        input: PostInput,
    ) -> Result<(Thread, Post), AppError> {
        self.discussed_case(Some(actor), case_id).await?;
        let title = thread_title(title)?;
        let input = self.checked_post(actor, input, None).await?;
        let mut tx = self.store.begin().await?;
        let thread = tx.create_thread(ThreadKind::Ask, None, Some(case_id), &title, Some(&actor.account_id)).await?;
        let post_id = add(&mut tx, &thread.id, actor, input, false).await?;
        tx.commit().await?;
        self.created(&thread.id, &post_id).await
    }

    /// Replies in a thread (`reply_to` and `quote_of` must be posts of the same thread).
    pub async fn reply(&self, actor: &Actor, thread_id: &str, input: PostInput) -> Result<(Thread, Post), AppError> {
        let access = self.thread_for(Some(actor), thread_id).await?;
        if access.thread.locked {
            return Err(AppError::InvalidTransition("this thread is locked".into()));
        }
        if !access.can_post {
            return Err(AppError::Forbidden("only the room's members post here".into()));
        }
        let input = self.checked_post(actor, input, Some(&access.thread)).await?;
        let answers = access.thread.kind == ThreadKind::Ask
            && access.thread.created_by.as_deref() != Some(actor.account_id.as_str())
            && match &access.case {
                Some(case) => self.case_owners(case).await?.contains(&actor.account_id),
                None => false,
            };
        let mut tx = self.store.begin().await?;
        let post_id = add(&mut tx, thread_id, actor, input, answers).await?;
        tx.commit().await?;
        self.created(thread_id, &post_id).await
    }

    /// Edits a post at the version the editor read; the old text stays in its history.
    pub async fn edit_post(
        &self,
        actor: &Actor,
        post_id: &str,
        version: i64,
        body: &str,
        language: Option<&str>,
    ) -> Result<Post, AppError> {
        let post = self.store.post(post_id).await?.ok_or(AppError::NotFound)?;
        let access = self.thread_for(Some(actor), &post.thread_id).await?;
        if !dialogue::can_edit_post(actor, &post.author_id, post.hidden.is_some(), access.can_moderate) {
            return Err(AppError::Forbidden("only the author (or a moderator) edits a post".into()));
        }
        if access.thread.locked && !access.can_moderate {
            return Err(AppError::InvalidTransition("this thread is locked".into()));
        }
        let language = language.unwrap_or(&post.language).to_owned();
        let checked = check_text(body, &language)?;
        self.check_links(actor, body).await?;
        let mut tx = self.store.begin().await?;
        tx.edit_post(post_id, version, &language, &checked, &actor.account_id).await?;
        tx.commit().await?;
        self.store.post(post_id).await?.ok_or(AppError::NotFound)
    }

    /// Adds (or replaces) a human translation of a post into another language.
    pub async fn translate_post(
        &self,
        actor: &Actor,
        post_id: &str,
        language: &str,
        body: &str,
    ) -> Result<(), AppError> {
        let post = self.store.post(post_id).await?.ok_or(AppError::NotFound)?;
        let access = self.thread_for(Some(actor), &post.thread_id).await?;
        if !access.can_post && !access.can_moderate {
            return Err(AppError::Forbidden("members who may post here translate posts".into()));
        }
        if language == post.language {
            return Err(AppError::field(
                "language",
                "same_language",
                "translate into another language than the post's",
            ));
        }
        let body = check_text(body, language)?;
        Ok(self.store.set_translation(post_id, language, &body, &actor.account_id).await?)
    }

    /// Every saved state of a post, for the moderators of where it is.
    pub async fn post_history(&self, actor: &Actor, post_id: &str) -> Result<Vec<PostRevision>, AppError> {
        let post = self.store.post(post_id).await?.ok_or(AppError::NotFound)?;
        let access = self.thread_for(Some(actor), &post.thread_id).await?;
        if !access.can_moderate {
            return Err(AppError::Forbidden("moderators see a post's history".into()));
        }
        Ok(self.store.post_revisions(post_id).await?)
    }

    /// The accounts a case's questions go to: its author and the members of its organisations.
    pub async fn case_owners(&self, case: &Case) -> Result<Vec<String>, AppError> {
        let mut owners = self.store.accounts_of_organisations(&case.content.organisations).await?;
        if let Some(author) = &case.created_by {
            owners.push(author.clone());
        }
        owners.sort();
        owners.dedup();
        Ok(owners)
    }

    async fn created(&self, thread: &str, post: &str) -> Result<(Thread, Post), AppError> {
        let thread = self.store.thread(thread).await?.ok_or(AppError::NotFound)?;
        let post = self.store.post(post).await?.ok_or(AppError::NotFound)?;
        Ok((thread, post))
    }

    /// Validates a post for `thread` (None: a new thread) and applies the posting limits.
    async fn checked_post(
        &self,
        actor: &Actor,
        input: PostInput,
        thread: Option<&Thread>,
    ) -> Result<PostInput, AppError> {
        let body = check_text(&input.body, &input.language)?;
        for (field, id) in [("reply_to", &input.reply_to), ("quote_of", &input.quote_of)] {
            let Some(id) = id else { continue };
            let same_thread = match (thread, self.store.post(id).await?) {
                (Some(t), Some(p)) => p.thread_id == t.id,
                _ => false,
            };
            if !same_thread {
                return Err(AppError::field(field, "unknown_value", "not a post of this thread"));
            }
        }
        self.check_links(actor, &body).await?;
        self.check_rate(actor).await?;
        self.check_not_suspended(actor).await?;
        Ok(PostInput { body, ..input })
    }

    async fn is_new_account(&self, actor: &Actor) -> Result<bool, AppError> {
        let account = self.store.get_account(&actor.account_id).await?.ok_or(AppError::Unauthorized)?;
        Ok(lumbung_core::clock::now() - account.created_at < time::Duration::DAY)
    }

    async fn check_links(&self, actor: &Actor, body: &str) -> Result<(), AppError> {
        let limits = &self.settings.dialogue;
        let max = if self.is_new_account(actor).await? { limits.new_links_per_post } else { limits.links_per_post };
        if dialogue::link_count(body) > max {
            return Err(AppError::field("body", "too_many_links", format!("at most {max} links per post")));
        }
        Ok(())
    }

    async fn check_rate(&self, actor: &Actor) -> Result<(), AppError> {
        let limits = &self.settings.dialogue;
        let young = self.is_new_account(actor).await?;
        let (per_minute, per_hour) = if young {
            (limits.new_posts_per_minute, limits.new_posts_per_hour)
        } else {
            (limits.posts_per_minute, limits.posts_per_hour)
        };
        let now = lumbung_core::clock::now();
        let now_ms = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
        let recent = self.store.posts_by_since(&actor.account_id, now_ms - 3_600_000).await?;
        for (window_ms, max) in [(60_000_i64, per_minute), (3_600_000, per_hour)] {
            let inside: Vec<i64> = recent.iter().copied().filter(|t| *t > now_ms - window_ms).collect();
            if inside.len() >= max {
                // The window frees a place when the oldest post in it leaves.
                let oldest = inside.first().copied().unwrap_or(now_ms);
                let wait = (oldest + window_ms - now_ms).max(1000) / 1000;
                return Err(AppError::Limited {
                    retry_after: u64::try_from(wait).unwrap_or(1).max(1),
                    why: format!("at most {max} posts per {}", if window_ms == 60_000 { "minute" } else { "hour" }),
                });
            }
        }
        Ok(())
    }
}

async fn add(
    tx: &mut lumbung_store::Tx,
    thread: &str,
    actor: &Actor,
    input: PostInput,
    answers: bool,
) -> Result<String, AppError> {
    let new = NewPost {
        thread_id: thread.to_owned(),
        author_id: actor.account_id.clone(),
        reply_to: input.reply_to,
        quote_of: input.quote_of,
        language: input.language,
        body: input.body,
    };
    tx.add_post(&new, answers).await?.ok_or_else(|| AppError::InvalidTransition("this thread is locked".into()))
}

fn thread_title(title: &str) -> Result<String, AppError> {
    crate::clean_text("title", Some(title.to_owned()), dialogue::MAX_TITLE)?
        .filter(|t| !t.chars().any(char::is_control))
        .ok_or_else(|| AppError::field("title", "required", "give the thread a one-line title"))
}

/// A post's text, trimmed: not blank, not too long, no control characters
/// but line breaks and tabs; and its language one the node knows.
fn check_text(body: &str, language: &str) -> Result<String, AppError> {
    let mut errors = ValidationErrors::default();
    let body = body.trim();
    if body.is_empty() {
        errors.add("body", "required", "write something");
    } else if body.chars().count() > dialogue::MAX_POST {
        errors.add("body", "too_long", format!("at most {} characters", dialogue::MAX_POST));
    } else if body.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        errors.add("body", "invalid", "control characters are not allowed");
    }
    if !vocab::contains(vocab::LANGUAGES, language) {
        errors.add("language", "unknown_value", "a language code of the node's vocabulary, e.g. en or id");
    }
    if errors.is_empty() { Ok(body.to_owned()) } else { Err(AppError::Invalid(errors)) }
}

/// Whether `actor` may read threads on `case` (published and visible).
pub fn can_read_case_threads(actor: Option<&Actor>, case: &Case) -> bool {
    case.status == Status::Published && permissions::can_view_case(actor, case.status, case.owners())
}

impl App {
    /// Refuses a post from an account whose posting is suspended.
    async fn check_not_suspended(&self, actor: &Actor) -> Result<(), AppError> {
        if let Some(until) = self.store.suspended_until(&actor.account_id).await? {
            let until = until.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
            return Err(AppError::Forbidden(format!("your posting is suspended until {until}")));
        }
        Ok(())
    }
}
