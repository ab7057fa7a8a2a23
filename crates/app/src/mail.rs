//! Mail: how often an account gets mail, one-click unsubscribing, and
//! queueing messages. Messages go through the outbox (`lumbung_store::NewMail`)
//! in the transaction of what caused them; the sender (`lumbung serve` with
//! `[mail]` configured) delivers them.

use lumbung_core::{Actor, MailFrequency, permissions, validate};
use lumbung_store::{MailPreference, NewMail};

use crate::passwords::new_secret;
use crate::{App, AppError, clean_text};

/// Longest subject, in characters.
pub const MAX_SUBJECT: usize = 200;
/// Largest body (text or HTML), in bytes.
pub const MAX_BODY: usize = 256 * 1024;

impl App {
    /// The account's mail preference, made (with the default frequency and
    /// an unsubscribe token) when it has none yet.
    pub async fn mail_preference(&self, account_id: &str) -> Result<MailPreference, AppError> {
        if let Some(p) = self.store.mail_preference(account_id).await? {
            return Ok(p);
        }
        self.store.get_account(account_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        tx.set_mail_frequency(account_id, MailFrequency::default(), &new_secret("u_")).await?;
        tx.commit().await?;
        // Two first reads at once both insert; the second keeps the first's
        // row (ON CONFLICT), so read back what is stored.
        self.store.mail_preference(account_id).await?.ok_or(AppError::NotFound)
    }

    /// Sets how often `account_id` gets mail: the account itself or an administrator.
    pub async fn set_mail_frequency(
        &self,
        actor: &Actor,
        account_id: &str,
        frequency: MailFrequency,
    ) -> Result<(), AppError> {
        if !permissions::can_set_mail_frequency(actor, account_id) {
            return Err(AppError::Forbidden("an account sets its own mail; administrators may set anyone's".into()));
        }
        self.store.get_account(account_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        tx.set_mail_frequency(account_id, frequency, &new_secret("u_")).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One-click unsubscribe (RFC 8058): no sign-in, the token is the
    /// authority. Unknown tokens are `NotFound`; repeating it is harmless.
    pub async fn unsubscribe_mail(&self, token: &str) -> Result<String, AppError> {
        if token.len() > 200 {
            return Err(AppError::NotFound);
        }
        let mut tx = self.store.begin().await?;
        let account = tx.unsubscribe(token).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(account)
    }

    /// Queues a message to any address to check the node's mail settings
    /// (administrators; `None` is the node itself, the command line).
    pub async fn send_test_mail(&self, actor: Option<&Actor>, to: &str, node_name: &str) -> Result<String, AppError> {
        if actor.is_some_and(|a| !permissions::can_send_test_mail(a)) {
            return Err(AppError::Forbidden("test messages are sent by administrators".into()));
        }
        let to = to.trim();
        if !validate::valid_email(to) {
            return Err(AppError::field("to", "invalid", "not an e-mail address"));
        }
        let mail = NewMail {
            account_id: None,
            to_address: to.to_owned(),
            kind: "test".into(),
            subject: format!("{node_name}: test message"),
            text_body: format!(
                "This message checks the mail settings of the Lumbung node {node_name}.\n\
                 Pesan ini memeriksa pengaturan surel simpul Lumbung {node_name}.\n"
            ),
            html_body: None,
            unsubscribe_url: None,
        };
        self.enqueue_mail(mail).await
    }

    /// Queues the messages about notifications of changes up to `cursor` and
    /// moves the mail cursor there, in one transaction: each notification is
    /// mailed once, whatever stops the node in between. A message unfit for
    /// the outbox (an address that is no longer valid) is left out rather
    /// than holding up the others; how many were is returned.
    pub async fn queue_notice_mail(&self, mails: Vec<NewMail>, cursor: i64) -> Result<usize, AppError> {
        let mut tx = self.store.begin().await?;
        let mut left_out = 0;
        for mail in mails {
            match checked(mail) {
                Ok(mail) => {
                    tx.enqueue_mail(&mail).await?;
                }
                Err(_) => left_out += 1,
            }
        }
        tx.set_mail_cursor(cursor).await?;
        tx.commit().await?;
        Ok(left_out)
    }

    /// Queues an account's digest, which covers its notifications up to
    /// change `seq`, and records it, in one transaction.
    pub async fn queue_digest(&self, account_id: &str, mail: NewMail, seq: i64) -> Result<(), AppError> {
        let mail = checked(mail)?;
        let mut tx = self.store.begin().await?;
        tx.enqueue_mail(&mail).await?;
        if !tx.digest_sent(account_id, seq).await? {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Queues a message (checked: an address, a subject and bodies within bounds).
    pub async fn enqueue_mail(&self, mail: NewMail) -> Result<String, AppError> {
        let mail = checked(mail)?;
        let mut tx = self.store.begin().await?;
        let id = tx.enqueue_mail(&mail).await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// A message fit for the outbox: an address, a one-line subject, bodies within bounds.
fn checked(mail: NewMail) -> Result<NewMail, AppError> {
    let subject = clean_text("subject", Some(mail.subject.replace(['\r', '\n'], " ")), MAX_SUBJECT)?
        .ok_or_else(|| AppError::field("subject", "required", "a subject is needed"))?;
    if !validate::valid_email(&mail.to_address) {
        return Err(AppError::field("to", "invalid", "not an e-mail address"));
    }
    if mail.text_body.len() > MAX_BODY || mail.html_body.as_ref().is_some_and(|h| h.len() > MAX_BODY) {
        return Err(AppError::field("body", "too_long", format!("at most {MAX_BODY} bytes")));
    }
    Ok(NewMail { subject, ..mail })
}
