//! Sending mail: the sender that drains the outbox while the node serves, and
//! `lumbung mail test|status`.
//!
//! Delivery, once: a sender claims one due message at a time under a lease
//! (`Store::claim_mail`), hands it to the SMTP server, and marks it sent as
//! soon as the server has accepted it. A refused or unreachable server
//! reschedules the message with back-off (`[mail] retry_seconds`, doubling, at
//! most six hours) until `max_attempts`; a permanent refusal (5xx) gives it up
//! at once. The one window for a duplicate is a sender killed between the
//! server's acceptance and the mark: the lease runs out and the message goes
//! again, under the same Message-ID, so receiving systems can drop the copy.

use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use lumbung_core::mail::retry_after_seconds;
use lumbung_store::{QueuedMail, Store};

use crate::cli::{MailStatusArgs, MailTestArgs, load_config};
use crate::config::{Config, MailConfig};

/// Refuses a `[mail]` section the sender could not use.
pub fn check_config(mail: &MailConfig) -> Result<()> {
    mail.from.parse::<Mailbox>().map_err(|e| anyhow::anyhow!("mail.from '{}' is not an address: {e}", mail.from))?;
    if let Some(url) = &mail.server {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| {
            anyhow::anyhow!("mail.server is not an SMTP URL such as smtp://host:25 or smtps://host:465: {e}")
        })?;
    }
    if mail.max_attempts == 0 {
        bail!("mail.max_attempts must be at least 1");
    }
    Ok(())
}

/// Starts the sender when a mail server is configured.
pub fn spawn(config: &Config, store: Store, holder: String) -> Option<tokio::task::JoinHandle<()>> {
    let url = config.mail.server.clone()?;
    let lease = Duration::from_secs(u64::from(config.jobs.lease_seconds));
    // A send must end well within the lease, or another sender could claim
    // the message while this one is still talking to the server.
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&url) {
        Ok(b) => b.timeout(Some(lease / 3)).build(),
        Err(e) => {
            tracing::error!(error = %e, "mail.server is not usable; no mail is sent");
            return None;
        }
    };
    let from = match config.mail.from.parse::<Mailbox>() {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "mail.from is not an address; no mail is sent");
            return None;
        }
    };
    let sender = Sender {
        store,
        transport,
        from,
        holder,
        lease,
        poll: Duration::from_secs(u64::from(config.jobs.poll_seconds)),
        retry_seconds: config.mail.retry_seconds,
        max_attempts: config.mail.max_attempts,
    };
    Some(tokio::spawn(sender.run()))
}

struct Sender {
    store: Store,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    holder: String,
    lease: Duration,
    poll: Duration,
    retry_seconds: u32,
    max_attempts: u32,
}

/// What became of one try.
enum Outcome {
    Sent,
    Retry(String),
    GiveUp(String),
}

impl Sender {
    async fn run(self) {
        loop {
            match self.store.claim_mail(&self.holder, self.lease, 1).await {
                Ok(batch) if batch.is_empty() => tokio::time::sleep(self.poll).await,
                Ok(batch) => {
                    for mail in batch {
                        self.deliver(mail).await;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the mail outbox");
                    tokio::time::sleep(self.poll).await;
                }
            }
        }
    }

    async fn deliver(&self, queued: QueuedMail) {
        let outcome = match self.message(&queued) {
            Ok(message) => match self.transport.send(message).await {
                Ok(_) => Outcome::Sent,
                Err(e) if e.is_permanent() => Outcome::GiveUp(e.to_string()),
                Err(e) => Outcome::Retry(e.to_string()),
            },
            Err(e) => Outcome::GiveUp(e),
        };
        let (id, holder) = (&queued.id, &self.holder);
        let recorded = match outcome {
            Outcome::Sent => {
                tracing::info!(id = %id, kind = %queued.mail.kind, "mail sent");
                self.store.mail_sent(id, holder).await
            }
            Outcome::Retry(error) => {
                let attempts = u32::try_from(queued.attempts.saturating_add(1)).unwrap_or(u32::MAX);
                let retry =
                    retry_after_seconds(attempts, self.retry_seconds, self.max_attempts).map(Duration::from_secs);
                tracing::warn!(id = %id, %error, attempts, retry_in = ?retry, "mail not sent");
                self.store.mail_failed(id, holder, &error, retry).await
            }
            Outcome::GiveUp(error) => {
                tracing::warn!(id = %id, %error, "mail given up");
                self.store.mail_failed(id, holder, &error, None).await
            }
        };
        match recorded {
            Ok(true) => {}
            Ok(false) => tracing::warn!(id = %id, "the message's lease ran out while it was being sent"),
            Err(e) => tracing::warn!(id = %id, error = %e, "cannot record the message's outcome"),
        }
    }

    /// The message as it goes out: multipart/alternative when there is an
    /// HTML body, List-Unsubscribe with one-click (RFC 8058) for mail to an
    /// account, and the outbox id as the Message-ID.
    fn message(&self, queued: &QueuedMail) -> Result<Message, String> {
        let mail = &queued.mail;
        let to = mail.to_address.parse::<Mailbox>().map_err(|e| format!("not an address: {e}"))?;
        let domain = self.from.email.domain().to_owned();
        let created = time::OffsetDateTime::parse(&queued.created_at, &time::format_description::well_known::Rfc3339)
            .map(SystemTime::from)
            .unwrap_or_else(|_| SystemTime::now());
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .date(created)
            .message_id(Some(format!("<{}@{domain}>", queued.id)));
        if let Some(url) = &mail.unsubscribe_url {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        let message = match &mail.html_body {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(mail.text_body.clone(), html.clone())),
            None => builder.header(ContentType::TEXT_PLAIN).body(mail.text_body.clone()),
        };
        message.map_err(|e| format!("cannot build the message: {e}"))
    }
}

/// `lumbung mail test --to ADDRESS`: queues a test message (the serving node sends it).
pub async fn test(args: MailTestArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let store = config.open_store().await?;
    let outcome = config.app(&store).send_test_mail(None, &args.to, &config.node.name).await;
    store.close().await;
    let id = outcome.map_err(crate::users::explain)?;
    println!("queued {id} for {}", args.to.trim());
    if config.mail.server.is_none() {
        println!("no [mail] server is configured: it waits in the outbox until one is");
    }
    Ok(())
}

/// `lumbung mail status`: the outbox by state, and the newest messages.
pub async fn status(args: MailStatusArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let store = config.open_store().await?;
    let counts = store.mail_counts().await.context("cannot read the outbox")?;
    let newest = store.outbox(args.limit).await.context("cannot read the outbox")?;
    store.close().await;
    println!("{} queued, {} sent, {} failed", counts.queued, counts.sent, counts.failed);
    for m in newest {
        let error = m.last_error.map(|e| format!(" — {e}")).unwrap_or_default();
        println!("{} {:<6} {} tries  {}  {}{error}", m.id, m.state, m.attempts, m.to_address, m.subject);
    }
    Ok(())
}
