//! Notifications: what an account follows, its inbox, its private feed, and
//! the follower of the change log that fills inboxes. A post only writes the
//! post and its change-log entry; [`App::notify_step`] (run as a leased job
//! by `serve`) turns entries into notifications later, saving its cursor in
//! the same transaction as the notifications it writes, so each change
//! notifies exactly once, across restarts and instances.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lumbung_core::dialogue::{self, Membership, RoomKind, ThreadKind};
use lumbung_core::{Actor, Status, vocab};
use lumbung_store::{Change, Entity, NOTIFY_CURSOR, NewNotification, Notification, Post, Subscription, Thread};

use crate::{App, AppError};

/// Inbox entries written in one transaction at most (see [`App::notify_step`])...
pub const ROWS_PER_TX: usize = 2_000;
/// ...and at least, however slow the writes get.
const MIN_ROWS_PER_TX: usize = 100;
/// Inbox entries of the changes [`App::notify_step`] writes as one group.
const GROUP_ROWS: usize = 50_000;
/// How long one of the follower's transactions should hold the writer: a
/// post that arrives meanwhile waits at most about this long for it.
const TX_TARGET: Duration = Duration::from_millis(8);

/// Sizes the follower's transactions by how long the last ones took, so that
/// each holds the database's writer for about [`TX_TARGET`] whatever the
/// machine and however large the notifications table has grown (on SQLite,
/// posts and the follower share one writer; a fixed 2,000 rows held it for
/// hundreds of milliseconds once the table outgrew the page cache).
#[derive(Debug)]
pub struct Pacer {
    rows: AtomicUsize,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer { rows: AtomicUsize::new(500) }
    }
}

impl Pacer {
    /// Rows the next transaction takes.
    pub fn rows(&self) -> usize {
        self.rows.load(Ordering::Relaxed)
    }

    /// Learns from a transaction of `rows` rows that held the writer for
    /// `took`: moves halfway toward the size that would have taken
    /// [`TX_TARGET`]. Small transactions teach nothing (their time is the
    /// commit's, not the rows').
    pub fn took(&self, rows: usize, took: Duration) {
        if rows < MIN_ROWS_PER_TX {
            return;
        }
        let per_row = took.as_secs_f64() / rows as f64;
        let fit = if per_row > 0.0 { TX_TARGET.as_secs_f64() / per_row } else { f64::MAX };
        let fit = fit.min(ROWS_PER_TX as f64) as usize;
        let next = (self.rows() + fit).div_ceil(2).clamp(MIN_ROWS_PER_TX, ROWS_PER_TX);
        self.rows.store(next, Ordering::Relaxed);
    }
}

/// Levels of following.
pub const LEVELS: [&str; 3] = ["watching", "normal", "muted"];

/// Kinds by priority: one notification per account per change, the most specific.
const PRIORITY: [&str; 14] = [
    "moderation",
    "appeal",
    "answer",
    "ask",
    "mention",
    "reply",
    "quote",
    "thread",
    "post",
    "checkin_due",
    "case_published",
    "case_nominated",
    "case_changed",
    "post_translated",
];

impl App {
    /// Follows a target (`case:ID`, `room:SLUG`, `thread:ID`, `sector:CODE`,
    /// `country:CC`) at a level; the target must exist and be visible to the actor.
    pub async fn subscribe(&self, actor: &Actor, target: &str, level: &str) -> Result<(), AppError> {
        if !LEVELS.contains(&level) {
            return Err(AppError::field("level", "unknown_value", "watching, normal or muted"));
        }
        self.check_target(actor, target).await?;
        Ok(self.store.subscribe(&actor.account_id, target, level).await?)
    }

    /// Stops following a target.
    pub async fn unsubscribe(&self, actor: &Actor, target: &str) -> Result<(), AppError> {
        if self.store.unsubscribe(&actor.account_id, target).await? { Ok(()) } else { Err(AppError::NotFound) }
    }

    async fn check_target(&self, actor: &Actor, target: &str) -> Result<(), AppError> {
        let bad = || AppError::field("target", "invalid", "case:ID, room:SLUG, thread:ID, sector:CODE or country:CC");
        let (kind, value) = target.split_once(':').ok_or_else(bad)?;
        let unknown = || AppError::field("target", "unknown_value", format!("no such {kind}: {value}"));
        match kind {
            "case" => {
                self.discussed_case(Some(actor), value).await.map_err(|_| unknown())?;
            }
            "room" => {
                let room = self.room_for(Some(actor), value).await.map_err(|_| unknown())?;
                if !room.can_read_threads {
                    return Err(unknown());
                }
            }
            "thread" => {
                self.thread_for(Some(actor), value).await.map_err(|_| unknown())?;
            }
            "sector" if vocab::contains(vocab::SECTORS, value) => {}
            "country" if vocab::contains(vocab::COUNTRIES, value) => {}
            "sector" | "country" => return Err(unknown()),
            _ => return Err(bad()),
        }
        Ok(())
    }

    /// An account's inbox, newest first, with its unread count.
    pub async fn inbox(&self, actor: &Actor, limit: i64, offset: i64) -> Result<(Vec<Notification>, i64), AppError> {
        let list = self.store.notifications(&actor.account_id, limit, offset).await?;
        Ok((list, self.store.unread_count(&actor.account_id).await?))
    }

    /// Marks one notification of the actor (or all of them) read.
    pub async fn mark_read(&self, actor: &Actor, id: Option<&str>) -> Result<u64, AppError> {
        if let Some(id) = id {
            if !self.store.has_notification(&actor.account_id, id).await? {
                return Err(AppError::NotFound);
            }
        }
        Ok(self.store.mark_read(&actor.account_id, id).await?)
    }

    /// Makes a new secret for the actor's private Atom feed (the old URL stops working).
    pub async fn new_feed_secret(&self, actor: &Actor) -> Result<String, AppError> {
        let secret = crate::passwords::new_secret("lmbf_");
        self.store.set_feed_token(&actor.account_id, &lumbung_store::hash_token(&secret)).await?;
        Ok(secret)
    }

    /// Revokes the actor's private feed.
    pub async fn revoke_feed(&self, actor: &Actor) -> Result<(), AppError> {
        Ok(self.store.revoke_feed_token(&actor.account_id).await?)
    }

    /// The account a private feed secret belongs to (NotFound for an unknown or revoked one).
    pub async fn feed_account(&self, secret: &str) -> Result<String, AppError> {
        self.store.account_for_feed(&lumbung_store::hash_token(secret)).await?.ok_or(AppError::NotFound)
    }

    /// Reads the change log after the follower's cursor (at most `limit`
    /// entries) and writes their notifications and the new cursor. Returns
    /// how many entries it read (0: caught up).
    ///
    /// Changes are taken in groups of up to [`GROUP_ROWS`] rows (a change
    /// with more is a group of its own). A group's rows are written ordered
    /// by account, in transactions sized by the [`Pacer`] (at most
    /// [`ROWS_PER_TX`]), so a post to a room watched by thousands never holds
    /// the database's write lock long enough to keep other writers (the next
    /// post) waiting; and when posts come faster than their fan-out, the rows
    /// of several posts for one account land on the same index pages in the
    /// same transaction, instead of each post rewriting every page of the
    /// inbox indexes. The cursor moves past a group only with its last rows;
    /// a group replayed after a crash between its transactions adds only the
    /// rows it lacks (each (account, change, kind) is unique).
    pub async fn notify_step(&self, limit: i64) -> Result<usize, AppError> {
        let cursor = self.store.cursor(NOTIFY_CURSOR).await?;
        let changes = self.store.changes_since(cursor, limit).await?;
        if changes.is_empty() {
            return Ok(0);
        }
        // `written`: the cursor as stored; `done`: the last change in `group`.
        let (mut written, mut done) = (cursor, cursor);
        let mut group: Vec<NewNotification> = Vec::new();
        for change in &changes {
            let mine = self.notifications_for(change).await?;
            if !group.is_empty() && group.len() + mine.len() > GROUP_ROWS {
                self.write_group(&mut group, written, done).await?;
                written = done;
            }
            group.extend(mine);
            done = change.seq;
        }
        self.write_group(&mut group, written, done).await?;
        Ok(changes.len())
    }

    /// Writes a group's rows by account in paced transactions: the last
    /// moves the cursor to `to`, the ones before leave it at `from`.
    async fn write_group(&self, rows: &mut Vec<NewNotification>, from: i64, to: i64) -> Result<(), AppError> {
        rows.sort_unstable_by(|a, b| (&a.account_id, a.change_seq).cmp(&(&b.account_id, b.change_seq)));
        let mut rest = rows.as_slice();
        while rest.len() > self.pacer.rows() {
            let (chunk, after) = rest.split_at(self.pacer.rows());
            self.write_notifications(chunk, from).await?;
            rest = after;
        }
        self.write_notifications(rest, to).await?;
        rows.clear();
        Ok(())
    }

    /// Writes `rows` and then the cursor, in one transaction unless a post
    /// (or any unit of work) comes to wait for the writer meanwhile: then
    /// what is written commits at once, the post goes, and the rest follows.
    async fn write_notifications(&self, rows: &[NewNotification], cursor: i64) -> Result<(), AppError> {
        let mut rest = rows;
        loop {
            let mut tx = self.store.begin().await?;
            // Timed from holding the writer to letting it go.
            let started = Instant::now();
            let written = tx.notify(rest, cursor).await?;
            tx.commit().await?;
            if written == rest.len() {
                // A transaction cut short says nothing of the rows' cost.
                self.pacer.took(written, started.elapsed());
                return Ok(());
            }
            rest = rest.get(written..).unwrap_or_default();
        }
    }

    /// Runs [`App::notify_step`] until the follower has caught up.
    pub async fn notify_all(&self) -> Result<usize, AppError> {
        let mut total = 0;
        loop {
            let n = self.notify_step(500).await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    async fn notifications_for(&self, change: &Change) -> Result<Vec<NewNotification>, AppError> {
        let mut to: BTreeMap<String, &'static str> = BTreeMap::new();
        let mut add = |account: &str, kind: &'static str| {
            let better = to.get(account).is_none_or(|old| rank(kind) < rank(old));
            if better {
                to.insert(account.to_owned(), kind);
            }
        };
        let (mut thread_id, mut post_id, mut case_id) = (None, None, None);
        match (change.entity, change.action.as_str()) {
            (Entity::Post, "create") => {
                let Some(post) = self.store.post(&change.entity_id).await? else { return Ok(Vec::new()) };
                let Some(thread) = self.store.thread(&post.thread_id).await? else { return Ok(Vec::new()) };
                for (account, kind) in self.post_recipients(&post, &thread, change).await? {
                    add(&account, kind);
                }
                let readers = self.thread_readers(&thread).await?;
                to.retain(|account, _| readers.as_ref().is_none_or(|r| r.contains(account)));
                thread_id = Some(thread.id.clone());
                post_id = Some(post.id.clone());
                case_id = thread.case_id.clone();
            }
            // The schedule's own mark on the case: its owners hear of it
            // through the check-in entry below, watchers not at all.
            (Entity::Case, "checkin_due") => {}
            (Entity::Case, action) => {
                let kind = if matches!(action, "publish" | "accept") { "case_published" } else { "case_changed" };
                // A change tells only the case's watchers (a publication also
                // its sectors' and country's followers): with none, no need to
                // read the case (an import of 100,000 cases is 100,000 changes
                // that the follower reads after it).
                if kind == "case_changed" {
                    let target = [format!("case:{}", change.entity_id)];
                    let watched = self.store.subscribers(&target).await?;
                    if !watched.iter().any(|s| s.level == "watching" && s.since <= change.at) {
                        return Ok(Vec::new());
                    }
                }
                let Some(case) = self.store.get_case(&change.entity_id).await? else { return Ok(Vec::new()) };
                // Only public content notifies.
                if case.status != Status::Published {
                    return Ok(Vec::new());
                }
                let mut targets = vec![format!("case:{}", case.id)];
                if kind == "case_published" {
                    targets.extend(case.content.sectors.iter().map(|s| format!("sector:{s}")));
                    targets.extend(case.content.country.iter().map(|c| format!("country:{c}")));
                }
                for s in self.store.subscribers(&targets).await?.into_iter().filter(|s| s.since <= change.at) {
                    if s.level == "watching" || (kind == "case_published" && s.level == "normal") {
                        add(&s.account_id, kind);
                    }
                }
                case_id = Some(case.id);
            }
            // A check-in fell due: its owners, who answer check-ins (with
            // the curators) — its author and the contributors of the
            // organisation it belongs to — are asked to confirm the case, if
            // it is still published and the check-in still open. Members of
            // the other organisations it names cannot answer, so they are
            // not asked.
            (Entity::Checkin, "due") => {
                let Some(checkin) = self.store.checkin(&change.entity_id).await? else { return Ok(Vec::new()) };
                let Some(case) = self.store.get_case(&checkin.case_id).await? else { return Ok(Vec::new()) };
                if case.status != Status::Published || checkin.state != "due" {
                    return Ok(Vec::new());
                }
                if let Some(author) = &case.created_by {
                    add(author, "checkin_due");
                }
                let colleagues = match &case.owner_organisation {
                    Some(org) => self.store.accounts_of_organisations(std::slice::from_ref(org)).await?,
                    None => Vec::new(),
                };
                for id in colleagues {
                    let answers =
                        self.store.get_account(&id).await?.is_some_and(|a| {
                            !a.disabled && lumbung_core::permissions::acts_for(&a.actor(), case.owners())
                        });
                    if answers {
                        add(&id, "checkin_due");
                    }
                }
                case_id = Some(case.id);
            }
            (Entity::Nomination, _) => {
                let Some(n) = self.store.nomination(&change.entity_id).await? else { return Ok(Vec::new()) };
                let published = self.store.get_case(&n.case_id).await?.is_some_and(|c| c.status == Status::Published);
                if published {
                    let subs = self.store.subscribers(&[format!("case:{}", n.case_id)]).await?;
                    for s in subs.into_iter().filter(|s| s.since <= change.at) {
                        if s.level != "muted" {
                            add(&s.account_id, "case_nominated");
                        }
                    }
                }
                case_id = Some(n.case_id);
            }
            // An appeal decided: the account that appealed is told the outcome.
            (Entity::Moderation, "appeal_decided") => {
                let Some(a) = self.store.moderation_action(&change.entity_id).await? else { return Ok(Vec::new()) };
                if let Some(appellant) = &a.subject_id {
                    add(appellant, "appeal");
                }
                thread_id = a.thread_id;
                post_id = a.post_id;
            }
            (Entity::Moderation, action) if action != "appeal" => {
                let Some(a) = self.store.moderation_action(&change.entity_id).await? else { return Ok(Vec::new()) };
                if let Some(subject) = &a.subject_id {
                    add(subject, "moderation");
                }
                thread_id = a.thread_id;
                post_id = a.post_id;
            }
            _ => {}
        }
        // Nobody is notified of their own doing.
        if let Some(actor) = &change.actor_id {
            to.remove(actor);
        }
        Ok(to
            .into_iter()
            .map(|(account_id, kind)| NewNotification {
                account_id,
                kind: kind.to_owned(),
                change_seq: change.seq,
                thread_id: thread_id.clone(),
                post_id: post_id.clone(),
                case_id: case_id.clone(),
                actor_id: change.actor_id.clone(),
            })
            .collect())
    }

    /// Who a new post concerns: the replied-to and quoted authors, the
    /// mentioned (people and organisations' members), watchers of the thread,
    /// room or case, and for a question, the case's team (and its asker once answered).
    async fn post_recipients(
        &self,
        post: &Post,
        thread: &Thread,
        change: &Change,
    ) -> Result<Vec<(String, &'static str)>, AppError> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        let linked: Vec<String> = post.reply_to.iter().chain(post.quote_of.iter()).cloned().collect();
        for p in self.store.posts_by_ids(&linked).await? {
            if post.reply_to.as_deref() == Some(p.id.as_str()) {
                out.push((p.author_id.clone(), "reply"));
            }
            if post.quote_of.as_deref() == Some(p.id.as_str()) {
                out.push((p.author_id, "quote"));
            }
        }
        let handles = dialogue::mentions(&post.body);
        for (_, account) in self.store.accounts_by_handles(&handles).await? {
            out.push((account, "mention"));
        }
        let orgs: Vec<String> = handles.into_iter().collect();
        for account in self.store.accounts_of_organisations(&orgs).await? {
            out.push((account, "mention"));
        }
        let mut targets = vec![format!("thread:{}", thread.id)];
        targets.extend(thread.room.iter().map(|r| format!("room:{r}")));
        targets.extend(thread.case_id.iter().map(|c| format!("case:{c}")));
        let subs: Vec<Subscription> =
            self.store.subscribers(&targets).await?.into_iter().filter(|s| s.since <= change.at).collect();
        let muted: HashSet<&str> = subs.iter().filter(|s| s.level == "muted").map(|s| s.account_id.as_str()).collect();
        let first = post.position == 1;
        for s in subs.iter().filter(|s| s.level == "watching" && !muted.contains(s.account_id.as_str())) {
            out.push((s.account_id.clone(), if first { "thread" } else { "post" }));
        }
        if thread.kind == ThreadKind::Ask {
            if let Some(case_id) = &thread.case_id {
                if let Some(case) = self.store.get_case(case_id).await? {
                    let owners = self.case_owners(&case).await?;
                    if first {
                        out.extend(owners.into_iter().map(|o| (o, "ask")));
                    } else if owners.contains(&post.author_id) {
                        out.extend(thread.created_by.iter().map(|asker| (asker.clone(), "answer")));
                    }
                }
            }
        }
        Ok(out)
    }

    /// For a private room's thread, the accounts that may read it (None: any account may).
    async fn thread_readers(&self, thread: &Thread) -> Result<Option<HashSet<String>>, AppError> {
        let Some(slug) = &thread.room else { return Ok(None) };
        let Some(room) = self.store.room(slug).await? else { return Ok(Some(HashSet::new())) };
        if room.kind != RoomKind::Private {
            return Ok(None);
        }
        let members = self.store.room_members(slug).await?;
        Ok(Some(
            members
                .into_iter()
                .filter(|m| matches!(m.state, Membership::Member | Membership::Moderator))
                .map(|m| m.account_id)
                .collect(),
        ))
    }
}

fn rank(kind: &str) -> usize {
    PRIORITY.iter().position(|k| *k == kind).unwrap_or(PRIORITY.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pacer_sizes_transactions_toward_their_target_time_within_bounds() {
        let p = Pacer::default();
        // 500 rows in 80 ms: ten times too slow; it halves toward 50, floored at 100.
        p.took(500, Duration::from_millis(80));
        assert_eq!(p.rows(), 275);
        for _ in 0..10 {
            p.took(p.rows(), Duration::from_millis(80));
        }
        assert_eq!(p.rows(), MIN_ROWS_PER_TX);
        // Quick writes grow it back, up to the ceiling.
        for _ in 0..20 {
            p.took(p.rows(), Duration::from_micros(100));
        }
        assert_eq!(p.rows(), ROWS_PER_TX);
        // A few rows (a reply to one reader) teach nothing.
        p.took(3, Duration::from_millis(500));
        assert_eq!(p.rows(), ROWS_PER_TX);
        // Right on target: it stays.
        let p = Pacer::default();
        p.took(500, TX_TARGET);
        assert_eq!(p.rows(), 500);
    }
}
