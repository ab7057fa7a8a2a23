//! Mail about notifications, made by the notification follower's job after
//! each step (so one instance does it): a message per notification for
//! accounts that want mail immediately, and a digest grouped by discussion for
//! those that want it daily or weekly (the default is daily). Both commit with
//! their bookkeeping — the mail cursor, the account's last digest position —
//! in one transaction, so each notification is mailed once. Runs only when a
//! mail server is configured, so a node that turns mail on later does not send
//! a backlog; it starts from the notifications of that moment. Each message is
//! written in its recipient's language (the account's choice, else the node's
//! first language).

use std::time::{Duration, Instant};

use lumbung_app::{App, AppError};
use lumbung_core::MailFrequency;
use lumbung_store::{MailNotice, NOTIFY_CURSOR, NewMail, Store};
use lumbung_web::html::{Lang, Tr};
use lumbung_web::mail::{self as compose, Notice, Period};

use crate::config::Config;

/// Case titles read in one batch, by language and case id.
type Titles = std::collections::HashMap<String, String>;

/// Changes whose notifications go into one transaction at most.
const BATCH: i64 = 1_000;

pub struct Mailer {
    app: App,
    store: Store,
    /// The node's first language: for accounts that chose none.
    lang: Lang,
    node_name: String,
    base_url: String,
    digest_every: Duration,
    digests_checked: Option<Instant>,
}

impl Mailer {
    /// The mailer, when a mail server is configured.
    pub fn new(config: &Config, store: &Store) -> Option<Mailer> {
        config.mail.server.as_ref()?;
        let lang = config.node.languages.first().and_then(|l| Lang::parse(l)).unwrap_or_default();
        Some(Mailer {
            app: config.app(store),
            store: store.clone(),
            lang,
            node_name: config.node.name.clone(),
            base_url: config.node.base_url.trim_end_matches('/').to_owned(),
            // How often due digests are looked for: the job poll, at least a second.
            digest_every: Duration::from_secs(u64::from(config.jobs.poll_seconds).max(1)),
            digests_checked: None,
        })
    }

    /// Mails what the notification follower has finished since the last step.
    pub async fn step(&mut self) -> Result<(), AppError> {
        let upto = self.store.cursor(NOTIFY_CURSOR).await?;
        match self.store.mail_cursor().await? {
            // The first run: mail what comes from now on (not the backlog
            // the follower may still be working through).
            None => {
                let head = self.store.last_change().await?;
                self.app.queue_notice_mail(Vec::new(), head).await?;
            }
            Some(after) if upto > after => {
                let upto = upto.min(after.saturating_add(BATCH));
                let notices = self.store.immediate_notices(after, upto).await?;
                let mut mails = Vec::with_capacity(notices.len());
                let mut titles = Titles::new();
                for n in &notices {
                    mails.push(self.single(n, &mut titles).await?);
                }
                let left_out = self.app.queue_notice_mail(mails, upto).await?;
                if left_out > 0 {
                    tracing::warn!(left_out, "notification mail left out: not a valid address");
                }
            }
            Some(_) => {}
        }
        if self.digests_checked.is_none_or(|t| t.elapsed() >= self.digest_every) {
            self.digests_checked = Some(Instant::now());
            self.digests(upto).await?;
        }
        Ok(())
    }

    async fn digests(&self, upto: i64) -> Result<(), AppError> {
        let now = lumbung_core::clock::now();
        let mut titles = Titles::new();
        for candidate in self.store.digest_candidates(upto).await? {
            let (Some(every), period) = (candidate.frequency.digest_every_seconds(), period(candidate.frequency))
            else {
                continue;
            };
            if candidate.last_digest_at.is_some_and(|last| (now - last).whole_seconds() < every) {
                continue;
            }
            // Made here when the account has none, with its unsubscribe secret.
            let pref = self.app.mail_preference(&candidate.account_id).await?;
            let notices = self.store.digest_notices(&candidate.account_id, upto).await?;
            let (Some(first), Some(last)) = (notices.first(), notices.last()) else { continue };
            let mut items = Vec::with_capacity(notices.len());
            for n in &notices {
                items.push(self.notice(n, &mut titles).await?);
            }
            let unsubscribe = self.unsubscribe_url(&pref.unsubscribe_token);
            let lang = self.lang_of(first);
            let m = compose::digest(lang, &self.node_name, period, &items, &self.settings_url(), &unsubscribe);
            let mail = NewMail {
                account_id: Some(candidate.account_id.clone()),
                to_address: first.email.clone(),
                kind: "digest".into(),
                subject: m.subject,
                text_body: m.text,
                html_body: Some(m.html),
                unsubscribe_url: Some(unsubscribe),
            };
            match self.app.queue_digest(&candidate.account_id, mail, last.change_seq).await {
                Ok(()) => {}
                Err(AppError::Invalid(e)) => tracing::warn!(account = %candidate.account_id, %e, "digest left out"),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    async fn single(&self, n: &MailNotice, titles: &mut Titles) -> Result<NewMail, AppError> {
        let notice = self.notice(n, titles).await?;
        let unsubscribe = n.unsubscribe_token.as_deref().map(|t| self.unsubscribe_url(t)).unwrap_or_default();
        let m = compose::single(self.lang_of(n), &self.node_name, &notice, &self.settings_url(), &unsubscribe);
        Ok(NewMail {
            account_id: Some(n.account_id.clone()),
            to_address: n.email.clone(),
            kind: "notification".into(),
            subject: m.subject,
            text_body: m.text,
            html_body: Some(m.html),
            unsubscribe_url: n.unsubscribe_token.as_ref().map(|_| unsubscribe),
        })
    }

    /// A notification as mail shows it: grouped by its thread (or case), with a link.
    async fn notice(&self, n: &MailNotice, titles: &mut Titles) -> Result<Notice, AppError> {
        let lang = self.lang_of(n);
        let tr = Tr::new(lang);
        let actor = n.actor_name.clone().unwrap_or_else(|| tr.t("mail-someone"));
        let (group, title, url) = match (&n.thread_id, &n.case_id) {
            (Some(t), _) => (
                t.clone(),
                n.thread_title.clone().unwrap_or_else(|| tr.t("mail-a-discussion")),
                format!("{}/threads/{t}", self.base_url),
            ),
            (None, Some(c)) => {
                // One read per case per batch: a change to a case followed by
                // thousands notifies each of them.
                let key = format!("{}:{c}", lang.code());
                let title = match titles.get(&key) {
                    Some(t) => t.clone(),
                    None => {
                        let title = match self.store.get_case(c).await? {
                            Some(case) => case.content.title.best(lang.code(), "en").unwrap_or(c).to_owned(),
                            None => c.clone(),
                        };
                        titles.insert(key, title.clone());
                        title
                    }
                };
                (format!("case:{c}"), title, format!("{}/cases/{c}", self.base_url))
            }
            (None, None) => (n.kind.clone(), tr.t("mail-your-inbox"), format!("{}/inbox", self.base_url)),
        };
        Ok(Notice {
            group,
            group_title: title,
            url,
            line: compose::notice_line(lang, &n.kind, &actor),
            excerpt: n.post_body.clone(),
            at: n.created_at,
        })
    }

    /// The recipient's language: its choice, else the node's first language.
    fn lang_of(&self, n: &MailNotice) -> Lang {
        n.language.as_deref().and_then(Lang::parse).unwrap_or(self.lang)
    }

    fn settings_url(&self) -> String {
        format!("{}/account/mail", self.base_url)
    }

    fn unsubscribe_url(&self, token: &str) -> String {
        format!("{}/mail/unsubscribe/{token}", self.base_url)
    }
}

fn period(f: MailFrequency) -> Period {
    match f {
        MailFrequency::Weekly => Period::Weekly,
        _ => Period::Daily,
    }
}
