//! Mail through a real SMTP server on loopback (Python `aiosmtpd`, writing a
//! Maildir): each queued message delivered exactly once — with the server
//! down at first and up later, and with the node killed while mail waits —
//! carrying one-click unsubscribe (RFC 8058) and an HTML alternative; and two
//! instances on one PostgreSQL database never send a message twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use lumbung_store::NewMail;

/// An `aiosmtpd` server on `port` delivering into `maildir`; killed when dropped.
fn smtp_server(port: u16, maildir: &Path) -> Running {
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd (scripts/test.sh installs tests/conformance/requirements.txt)");
    let server = Running(child);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "aiosmtpd did not start (is it installed?)");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// The messages in the Maildir, as raw text.
fn delivered(maildir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else { return Vec::new() };
    entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect()
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `lumbung serve` sending through `smtp_port`, with short retries.
fn serve_mail(data: &str, port: u16, smtp_port: u16, database: Option<&str>) -> Running {
    let mut args = vec!["serve", "--data", data, "--addr"];
    let addr = format!("127.0.0.1:{port}");
    args.push(&addr);
    if let Some(db) = database {
        args.extend(["--database", db]);
    }
    let mut cmd = lumbung_cmd(&args);
    cmd.env("LUMBUNG_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("LUMBUNG_MAIL_FROM", "Lumbung test <noreply@lumbung.test>")
        .env("LUMBUNG_MAIL_RETRY_SECONDS", "1")
        .env("LUMBUNG_JOB_LEASE_SECONDS", "3")
        .env("LUMBUNG_JOB_POLL_SECONDS", "1");
    if database.is_some() {
        cmd.env_remove("LUMBUNG_DATABASE");
    }
    serve_ready(cmd, port)
}

fn outbox(data: &Path) -> Vec<lumbung_store::OutboxEntry> {
    with_store(data, async |s| s.outbox(100).await.unwrap())
}

fn account_mail(to: &str, subject: &str) -> NewMail {
    NewMail {
        account_id: None,
        to_address: to.into(),
        kind: "notification".into(),
        subject: subject.into(),
        text_body: "Ada balasan baru di diskusi Anda.\nA new reply in your discussion.".into(),
        html_body: Some("<p>Ada balasan baru di <b>diskusi</b> Anda.</p>".into()),
        unsubscribe_url: Some("http://127.0.0.1:8080/mail/unsubscribe/u_test".into()),
    }
}

#[test]
fn each_message_is_delivered_once_through_a_down_server_and_a_killed_node() {
    let dir = TempDir::new("mail");
    let data: PathBuf = dir.join("n");
    let d = data.to_str().unwrap();
    let maildir = dir.join("maildir");
    // A test message queued from the command line before any server runs.
    let out = run(&["mail", "test", "--data", d, "--to", "delegate@example.go.id"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("queued"), "{}", stdout(&out));
    // Bad input is refused and queues nothing.
    let out = run(&["mail", "test", "--data", d, "--to", "not an address"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("to: not an e-mail address"), "{}", stderr(&out));
    assert_eq!(outbox(&data).len(), 1);

    // The mail server is down: the node tries, fails, and keeps the message.
    let smtp_port = free_port();
    let port = free_port();
    let node = serve_mail(d, port, smtp_port, None);
    wait_for("a failed try", Duration::from_secs(30), || outbox(&data).iter().any(|m| m.attempts >= 1));
    let entry = outbox(&data).remove(0);
    assert_eq!(entry.state, "queued");
    assert!(entry.last_error.is_some());
    // The node is killed (SIGKILL) while mail waits; another message is queued meanwhile.
    drop(node);
    with_store(&data, async |s| {
        let mut tx = s.begin().await.unwrap();
        tx.enqueue_mail(&account_mail("curator@example.go.id", "Balasan baru / New reply")).await.unwrap();
        tx.commit().await.unwrap();
    });

    // The server comes up, the node restarts: both arrive, once each.
    let _smtp = smtp_server(smtp_port, &maildir);
    let _node = serve_mail(d, port, smtp_port, None);
    wait_for("two delivered messages", Duration::from_secs(30), || delivered(&maildir).len() >= 2);
    std::thread::sleep(Duration::from_secs(3));
    let messages = delivered(&maildir);
    assert_eq!(messages.len(), 2, "each message once");
    let entries = outbox(&data);
    assert!(entries.iter().all(|m| m.state == "sent" && m.sent_at.is_some()), "{entries:?}");

    let test = messages.iter().find(|m| m.contains("delegate@example.go.id")).unwrap();
    let test_id = &entries.iter().find(|m| m.kind == "test").unwrap().id;
    assert!(test.contains(&format!("Message-ID: <{test_id}@lumbung.test>")), "{test}");
    assert!(!test.contains("List-Unsubscribe"), "a test message is to no account");

    let reply = messages.iter().find(|m| m.contains("curator@example.go.id")).unwrap();
    assert!(reply.contains("List-Unsubscribe: <http://127.0.0.1:8080/mail/unsubscribe/u_test>"), "{reply}");
    assert!(reply.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{reply}");
    assert!(reply.contains("multipart/alternative") && reply.contains("text/html"), "{reply}");
    assert!(
        reply.contains("From: \"Lumbung test\" <noreply@lumbung.test>")
            || reply.contains("From: Lumbung test <noreply@lumbung.test>"),
        "{reply}"
    );
}

#[test]
fn two_instances_on_one_database_send_each_message_once() {
    let dir = TempDir::new("mail-two");
    let db = lumbung_store::testing::TestDatabase::create_postgres()
        .expect("PostgreSQL must run on 127.0.0.1:5432 (scripts/test.sh starts it)");
    let (a, b) = (dir.join("a"), dir.join("b"));
    let maildir = dir.join("maildir");
    let smtp_port = free_port();
    let _smtp = smtp_server(smtp_port, &maildir);
    let (pa, pb) = (free_port(), free_port());
    let _one = serve_mail(a.to_str().unwrap(), pa, smtp_port, Some(&db.url));
    let _two = serve_mail(b.to_str().unwrap(), pb, smtp_port, Some(&db.url));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = lumbung_store::Store::connect(&a, Some(&db.url)).await.unwrap();
        for i in 0..40 {
            let mut tx = store.begin().await.unwrap();
            tx.enqueue_mail(&account_mail(&format!("member{i}@example.go.id"), &format!("Pesan {i}"))).await.unwrap();
            tx.commit().await.unwrap();
        }
        store.close().await;
    });
    wait_for("forty delivered messages", Duration::from_secs(60), || delivered(&maildir).len() >= 40);
    std::thread::sleep(Duration::from_secs(3));
    let messages = delivered(&maildir);
    assert_eq!(messages.len(), 40, "no message twice");
    for i in 0..40 {
        let to = format!("member{i}@example.go.id");
        assert_eq!(messages.iter().filter(|m| m.contains(&format!("To: {to}"))).count(), 1, "{to}");
    }
}

#[test]
fn notifications_are_mailed_at_once_or_as_a_digest_grouped_by_discussion() {
    let dir = TempDir::new("mail-notices");
    let data: PathBuf = dir.join("n");
    let d = data.to_str().unwrap();
    // The demo node: rooms with conversations, and unread notifications for the reader.
    let out = run(&["demo", "--data", d, "--no-serve"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&run(&["token", "create", "--data", d, "--email", "curator@lumbung.example"]))
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_owned();
    // The contributor wants mail at once, in Bahasa Indonesia; the reader keeps
    // the defaults (a daily digest, in the node's first language, English).
    let handle = with_store(&data, async |s| {
        let (contributor, _) = s.account_by_email("contributor@lumbung.example").await.unwrap().unwrap();
        s.set_account_language(&contributor.id, Some("id")).await.unwrap();
        let mut tx = s.begin().await.unwrap();
        tx.set_mail_frequency(&contributor.id, lumbung_core::MailFrequency::Immediately, "u_contributor_secret")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        s.handle_of(&contributor.id).await.unwrap().unwrap()
    });

    let maildir = dir.join("maildir");
    let smtp_port = free_port();
    let _smtp = smtp_server(smtp_port, &maildir);
    let port = free_port();
    let node = serve_mail(d, port, smtp_port, None);
    // The digest of what the reader has not read, grouped by discussion.
    wait_for("the reader's digest", Duration::from_secs(60), || {
        delivered(&maildir).iter().any(|m| m.contains("To: reader@lumbung.example"))
    });
    let digest = delivered(&maildir).into_iter().find(|m| m.contains("To: reader@lumbung.example")).unwrap();
    assert!(digest.contains("today in"), "{digest}");
    assert!(digest.contains("List-Unsubscribe: <http://127.0.0.1:8080/mail/unsubscribe/u_"), "{digest}");
    // A mention of the contributor, after the node started, is mailed at once.
    let (status, _, body) = http_raw(port, "GET", "/api/v1/threads?room=digital-public-services", &[], None);
    assert_eq!(status, 200, "{body}");
    let threads: serde_json::Value = serde_json::from_str(&body).unwrap();
    let thread = threads[0]["id"].as_str().unwrap().to_owned();
    let auth = format!("Bearer {token}");
    let post =
        serde_json::json!({"body": format!("@{handle} bisa bantu jelaskan alurnya?"), "language": "id"}).to_string();
    let (status, _, body) =
        http_raw(port, "POST", &format!("/api/v1/threads/{thread}/posts"), &[("authorization", &auth)], Some(&post));
    assert_eq!(status, 201, "{body}");
    // The contributor may get other mail at once too (a check-in reminder of
    // a demo case that has come due), so the mention is found by what it says.
    let is_mention = |m: &String| m.contains("To: contributor@lumbung.example") && unfolded(m).contains("alurnya");
    wait_for("the contributor's mention", Duration::from_secs(30), || delivered(&maildir).iter().any(is_mention));
    let mention = delivered(&maildir).into_iter().find(is_mention).unwrap();
    // In the contributor's language.
    let text = unfolded(&mention);
    assert!(text.contains("menyebut Anda") && !text.contains("mentioned you"), "{mention}");
    assert!(text.contains("Hentikan semua surel"), "the footer in Indonesian too: {mention}");
    assert!(text.contains("bisa bantu jelaskan alurnya"), "{mention}");
    assert!(mention.contains("/mail/unsubscribe/u_contributor_secret"), "{mention}");

    // A restart sends nothing again.
    drop(node);
    let before = delivered(&maildir).len();
    let _node = serve_mail(d, port, smtp_port, None);
    std::thread::sleep(Duration::from_secs(4));
    let after = delivered(&maildir);
    assert_eq!(after.len(), before, "nothing mailed twice");
    assert_eq!(after.iter().filter(|m| m.contains("To: reader@lumbung.example")).count(), 1);
    assert_eq!(after.iter().filter(|m| is_mention(m)).count(), 1);
}

/// A quoted-printable message with its soft line breaks joined.
fn unfolded(message: &str) -> String {
    message.replace("=\r\n", "").replace("=\n", "")
}
