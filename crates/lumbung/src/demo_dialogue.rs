//! The demo's conversations: a room of each kind with threads in English and
//! Bahasa Indonesia, a human translation, a question to a case's team that
//! its author answered, a post hidden by a moderator with its reason, a
//! locked thread, and an inbox with unread notifications for the reader
//! (`reader@lumbung.example`). Everything goes through the application
//! layer, as a user's actions would.

use anyhow::{Result, anyhow};
use lumbung_app::{App, AppSettings, DialogueSettings, NewRoom, PostInput};
use lumbung_core::{Account, Actor, Status};

fn text(body: &str, language: &str) -> PostInput {
    PostInput { body: body.into(), language: language.into(), reply_to: None, quote_of: None }
}

fn reply(body: &str, language: &str, to: &str) -> PostInput {
    PostInput { reply_to: Some(to.into()), ..text(body, language) }
}

/// Seeds the conversations; `accounts` are the demo accounts by e-mail.
pub async fn seed(app: &App, accounts: &[Account]) -> Result<()> {
    // The demo writes many posts at once: the posting limits are for people.
    let limits = DialogueSettings {
        posts_per_minute: usize::MAX,
        posts_per_hour: usize::MAX,
        new_posts_per_minute: usize::MAX,
        new_posts_per_hour: usize::MAX,
        ..DialogueSettings::default()
    };
    let app = App::new(app.store().clone(), AppSettings { dialogue: limits, ..app.settings().clone() });
    let who = |prefix: &str| -> Result<(Actor, Account)> {
        let a =
            accounts.iter().find(|a| a.email.starts_with(prefix)).ok_or_else(|| anyhow!("no demo account {prefix}"))?;
        Ok((a.actor(), a.clone()))
    };
    let (curator, curator_account) = who("curator@")?;
    let (contributor, contributor_account) = who("contributor@")?;
    let (delegate, delegate_account) = who("delegate@")?;
    let (reader, reader_account) = who("reader@")?;
    let (_, admin_account) = who("admin@")?;
    for a in [&curator_account, &contributor_account, &delegate_account, &reader_account, &admin_account] {
        app.handle(a).await?;
    }
    let fail = |e: lumbung_app::AppError| anyhow!("demo dialogue: {e}");

    // Three rooms, one of each kind; the curator opens and moderates them.
    for (slug, kind, title, description) in [
        (
            "digital-public-services",
            "public",
            "Digital public services",
            "One-stop shops, online permits and the people behind them.",
        ),
        (
            "reformasi-birokrasi",
            "members",
            "Reformasi birokrasi",
            "Ruang anggota untuk bertukar pengalaman reformasi birokrasi.",
        ),
        (
            "asean-delegates",
            "private",
            "ASEAN delegates' working group",
            "Preparing the regional exchange; members only.",
        ),
    ] {
        let room = NewRoom {
            slug: slug.into(),
            kind: kind.into(),
            title: title.into(),
            description: Some(description.into()),
        };
        app.create_room(&curator, room).await.map_err(fail)?;
    }
    for (slug, actor) in [
        ("digital-public-services", &contributor),
        ("digital-public-services", &delegate),
        ("asean-delegates", &delegate),
    ] {
        let handle = app.store().handle_of(&actor.account_id).await?.unwrap_or_default();
        app.invite_to_room(&curator, slug, &handle).await.map_err(fail)?;
        app.join_room(actor, slug).await.map_err(fail)?;
    }
    // The reader asks to join the public room; the request waits for the curator.
    app.join_room(&reader, "digital-public-services").await.map_err(fail)?;

    // An English conversation with a human translation and a quote.
    let (thread, first) = app
        .start_thread(
            &contributor,
            "digital-public-services",
            "Measuring waiting times at one-stop shops",
            text("How do you **measure** waiting times at your service counters? We count tickets, but it misses people who give up and leave.", "en"),
        )
        .await
        .map_err(fail)?;
    let (_, answer) = app
        .reply(
            &delegate,
            &thread.id,
            PostInput {
                quote_of: Some(first.id.clone()),
                ..reply("We sample: two days a month, a volunteer notes arrival and departure times. @contributor, happy to share the form.", "en", &first.id)
            },
        )
        .await
        .map_err(fail)?;
    app.translate_post(
        &contributor,
        &answer.id,
        "id",
        "Kami mengambil sampel: dua hari sebulan, seorang relawan mencatat waktu datang dan pulang. @contributor, formulirnya bisa kami bagikan.",
    )
    .await
    .map_err(fail)?;
    // A Bahasa Indonesia conversation in the members' room.
    let (members_thread, m1) = app
        .start_thread(
            &delegate,
            "reformasi-birokrasi",
            "Penyederhanaan eselon: pengalaman daerah",
            text("Bagaimana pemerintah daerah Anda menyetarakan jabatan setelah penyederhanaan eselon?", "id"),
        )
        .await
        .map_err(fail)?;
    app.reply(
        &contributor,
        &members_thread.id,
        reply("Kami memetakan ulang semua jabatan dalam tiga bulan, dengan pendampingan dari provinsi.", "id", &m1.id),
    )
    .await
    .map_err(fail)?;
    // A post hidden by a moderator, with its reason.
    let (_, spam) = app
        .reply(&reader, &members_thread.id, text("Jual jasa pembuatan website murah! https://contoh.example", "id"))
        .await
        .map_err(fail)?;
    app.moderate_post(
        &curator,
        &spam.id,
        "hide",
        Some("Iklan tidak diperbolehkan di ruang ini / Advertising is not allowed here".into()),
    )
    .await
    .map_err(fail)?;
    // A locked thread.
    let (locked, _) = app
        .start_thread(
            &curator,
            "reformasi-birokrasi",
            "Jadwal pertemuan 2025 (selesai)",
            text("Pertemuan sudah dilaksanakan; terima kasih semua.", "id"),
        )
        .await
        .map_err(fail)?;
    app.moderate_thread(
        &curator,
        &locked.id,
        "lock",
        Some("The meeting took place; the thread is kept as a record.".into()),
    )
    .await
    .map_err(fail)?;
    // The private working group.
    app.start_thread(
        &delegate,
        "asean-delegates",
        "Agenda for the regional exchange",
        text("Draft agenda: one session per country, 20 minutes each.", "en"),
    )
    .await
    .map_err(fail)?;

    // A question to a case's team, answered by its author.
    let cases = app.store().cases_after(None, 10_000).await?;
    let case = cases
        .iter()
        .find(|c| c.status == Status::Published && c.created_by.as_deref() == Some(contributor.account_id.as_str()))
        .ok_or_else(|| anyhow!("no published demo case by the contributor"))?;
    app.subscribe(&reader, &format!("case:{}", case.id), "watching").await.map_err(fail)?;
    app.subscribe(&reader, "room:reformasi-birokrasi", "watching").await.map_err(fail)?;
    let (ask, question) = app
        .ask_the_team(
            &reader,
            &case.id,
            "How many staff does this need?",
            text("How many staff per counter did you start with, and who trained them?", "en"),
        )
        .await
        .map_err(fail)?;
    app.reply(
        &contributor,
        &ask.id,
        reply(
            "We started with two per counter, trained by the provincial training centre for a week.",
            "en",
            &question.id,
        ),
    )
    .await
    .map_err(fail)?;
    app.post_on_case(
        &delegate,
        &case.id,
        text(&format!("We adapted this for our province; see also case:{}.", case.id), "en"),
    )
    .await
    .map_err(fail)?;

    // Fill the inboxes now (a serving node's follower would do the same).
    app.notify_all().await.map_err(fail)?;
    Ok(())
}
