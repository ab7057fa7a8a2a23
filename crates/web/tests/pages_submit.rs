//! The guided submission and the review queue through the real router, as a
//! browser uses them: cookies, CSRF tokens, forms, redirects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use axum::http::header::LOCATION;
use axum::http::{Method, StatusCode};
use common::{Browser, CaseBody, TestApp, TestResponse, Who};
use lumbung_core::Status;
use serde_json::json;

fn location(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "expected a redirect: {}", res.text());
    res.header(LOCATION.as_str()).expect("a Location header").to_owned()
}

async fn version(app: &TestApp, id: &str) -> String {
    app.stored_case(id).await.version.to_string()
}

/// Starts a draft through the first step; returns its id.
async fn start_draft(b: &mut Browser<'_>, title: &str) -> String {
    let res = b
        .post(
            "/submit",
            &[("original_language", "id"), ("title", title), ("summary", "Ringkasan singkat."), ("action", "next")],
        )
        .await;
    let to = location(&res);
    let id = to.strip_prefix("/submit/").and_then(|r| r.strip_suffix("/place")).expect("goes to the place step");
    id.to_owned()
}

#[tokio::test]
async fn a_contributor_writes_a_case_in_indonesian_leaves_comes_back_and_submits_it() {
    let app = TestApp::new().await;
    let mut b = Browser::signed_in_lang(&app, Who::Contributor, "id").await;
    let before = app.case_count().await;

    // Step 1 of a new case: nothing is stored until it is sent.
    let res = b.get("/submit").await;
    assert_eq!(res.status, StatusCode::OK);
    let html = res.text();
    assert!(html.contains(r#"<ol class="steps">"#), "{html}");
    assert!(html.contains(r#"aria-current="step""#));
    assert!(html.contains("data-guard"));
    assert!(html.contains(r#"name="csrf""#));
    assert!(html.contains(r#"<label for="title">Judul"#), "labels are in Indonesian");
    assert!(html.contains(r#"<option value="id" selected>"#), "the interface language is the default");
    assert_eq!(app.case_count().await, before);

    let res = b
        .post(
            "/submit",
            &[
                ("original_language", "id"),
                ("title", "Mal Pelayanan Publik Kota Kendari"),
                ("summary", "Satu gedung tempat warga mengurus puluhan layanan publik."),
                ("action", "next"),
            ],
        )
        .await;
    let to = location(&res);
    let id = to.strip_prefix("/submit/").unwrap().strip_suffix("/place").unwrap().to_owned();
    let case = app.stored_case(&id).await;
    assert_eq!(case.status, Status::Draft);
    assert_eq!(case.created_by.as_deref(), Some(app.id_of(Who::Contributor).as_str()));
    assert_eq!(case.content.title.get("id"), Some("Mal Pelayanan Publik Kota Kendari"));
    assert_eq!(case.content.title.get("en"), None);

    // Step 2, then the author leaves.
    let res = b.get(&to).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains(r#"<a href="/submit/"#) && res.text().contains(r#"aria-current="step">Lokasi"#));
    let v = version(&app, &id).await;
    let res = b
        .post(
            &format!("/submit/{id}/place"),
            &[
                ("version", &v),
                ("country", "ID"),
                ("region", "Sulawesi Tenggara"),
                ("city", "Kendari"),
                ("level_of_government", "local"),
                ("organisations", "kemenpan-rb"),
                ("organisations", "lan-ri"),
                ("partners", "Bank Indonesia\nOmbudsman RI"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/submit/{id}/classification"));
    drop(b);

    // Later, in a new session: "My cases" leads back to the draft, which is filled in.
    let mut b = Browser::signed_in_lang(&app, Who::Contributor, "id").await;
    let res = b.get("/my/cases").await;
    assert!(res.text().contains(&format!("/submit/{id}")), "{}", res.text());
    assert_eq!(location(&b.get(&format!("/submit/{id}")).await), format!("/submit/{id}/identity"));
    let html = b.get(&format!("/submit/{id}/place")).await.text();
    assert!(html.contains(r#"value="Sulawesi Tenggara""#), "{html}");
    assert!(html.contains(r#"value="kemenpan-rb" checked"#));
    assert!(html.contains(r#"value="lan-ri" checked"#));
    assert!(html.contains(r#"<option value="local" selected>"#));

    // Classification, saved without moving on.
    let v = version(&app, &id).await;
    let res = b
        .post(
            &format!("/submit/{id}/classification"),
            &[
                ("version", &v),
                ("sectors", "public_administration"),
                ("sectors", "digital_government"),
                ("innovation_facets", "enhancement"),
                ("lifecycle_stage", "implementing"),
                ("sdgs", "11"),
                ("sdgs", "16"),
                ("year_launched", "2019"),
                ("operating_status", "active"),
                ("digital", "yes"),
                ("tags", "mal pelayanan, perizinan"),
                ("action", "save"),
            ],
        )
        .await;
    let to = location(&res);
    assert_eq!(to, format!("/submit/{id}/classification?saved=1"));
    let html = b.get(&to).await.text();
    assert!(html.contains("Draf tersimpan"), "{html}");
    assert!(html.contains(r#"value="digital_government" checked"#));
    assert!(html.contains(r#"value="2019""#));

    // The story: every section in Indonesian, with guidance and an example each.
    let html = b.get(&format!("/submit/{id}/story")).await.text();
    assert!(html.contains("Contoh:"), "{html}");
    assert_eq!(html.matches("<textarea").count(), 10);
    let v = version(&app, &id).await;
    let sections = [
        ("problem", "Warga harus mendatangi **banyak** kantor."),
        ("novelty", "Semua layanan di satu atap."),
        ("how_it_works", "Instansi menempatkan petugas di loket bersama."),
        ("results", "Waktu tunggu turun dari 3 hari menjadi 2 jam."),
        ("evidence", "Survei kepuasan warga 2021."),
        ("challenges", "Instansi enggan berbagi petugas."),
        ("conditions_for_success", "Dukungan wali kota."),
        ("replication_potential", "Sudah ditiru dua belas daerah."),
        ("resources", "Sekitar Rp4 miliar."),
        ("lessons_learned", "Mulai dari layanan yang paling banyak diminta."),
    ];
    let mut fields: Vec<(&str, &str)> = vec![("version", &v), ("action", "next")];
    fields.extend(sections.iter().copied());
    let res = b.post(&format!("/submit/{id}/story"), &fields).await;
    assert_eq!(location(&res), format!("/submit/{id}/evidence"));

    // "Back" saves and goes to the previous step.
    let v = version(&app, &id).await;
    let res = b
        .post(
            &format!("/submit/{id}/evidence"),
            &[
                ("version", &v),
                ("website", "https://mpp.kendarikota.go.id/"),
                ("links", "https://contoh.go.id/laporan Laporan evaluasi\n\nhttps://contoh.go.id/data"),
                ("action", "back"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/submit/{id}/story"));
    let v = version(&app, &id).await;
    let res = b
        .post(
            &format!("/submit/{id}/contacts"),
            &[
                ("version", &v),
                ("contact_name", "Ibu Sari"),
                ("contact_email", "sari@kendarikota.go.id"),
                ("contact_organisation", "Pemerintah Kota Kendari"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/submit/{id}/preview"));

    let case = app.stored_case(&id).await;
    let c = &case.content;
    assert_eq!(c.original_language, "id");
    assert_eq!(c.sections.problem.get("id"), Some("Warga harus mendatangi **banyak** kantor."));
    assert_eq!(c.sections.lessons_learned.get("id"), Some("Mulai dari layanan yang paling banyak diminta."));
    assert_eq!(c.organisations, vec!["kemenpan-rb", "lan-ri"]);
    assert_eq!(c.partners, vec!["Bank Indonesia", "Ombudsman RI"]);
    assert_eq!(c.sdgs, vec![11, 16]);
    assert_eq!(c.tags, vec!["mal pelayanan", "perizinan"]);
    assert_eq!(c.digital, Some(true));
    assert_eq!(c.year_launched, Some(2019));
    assert_eq!(c.links.len(), 2);
    assert_eq!(c.links[0].title.as_deref(), Some("Laporan evaluasi"));
    assert_eq!(c.links[1].title, None);
    assert_eq!(c.contact.as_ref().and_then(|k| k.email.as_deref()), Some("sari@kendarikota.go.id"));
    assert_eq!(case.completeness, 100, "missing: {:?}", case.missing);
    assert_eq!(case.status, Status::Draft);

    // The preview shows the case as readers will see it.
    let html = b.get(&format!("/submit/{id}/preview")).await.text();
    assert!(html.contains("Mal Pelayanan Publik Kota Kendari"));
    assert!(html.contains("<strong>banyak</strong>"), "Markdown is rendered: {html}");
    assert!(html.contains("Kelengkapan: 100%"));
    assert!(html.contains("Laporan evaluasi"));
    assert!(html.contains(&format!(r#"action="/submit/{id}/submit""#)));
    assert!(html.contains("Kirim untuk ditinjau"));

    let v = version(&app, &id).await;
    let res = b.post(&format!("/submit/{id}/submit"), &[("version", &v)]).await;
    assert_eq!(location(&res), "/my/cases");
    assert_eq!(app.stored_case(&id).await.status, Status::Submitted);
    let html = b.get("/my/cases").await.text();
    assert!(html.contains("status-submitted"), "{html}");
    // Under review, the author can no longer change it.
    assert_eq!(b.get(&format!("/submit/{id}/story")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_invalid_step_shows_every_error_next_to_its_field_and_saves_nothing() {
    let app = TestApp::new().await;
    let mut b = Browser::signed_in_lang(&app, Who::Contributor, "en").await;
    let id = start_draft(&mut b, "Layanan aduan terpadu").await;
    let v = version(&app, &id).await;

    // Identity: a title that is too long.
    let long = "x".repeat(301);
    let res = b
        .post(
            &format!("/submit/{id}/identity"),
            &[("version", &v), ("original_language", "id"), ("title", &long), ("summary", "Baru"), ("action", "next")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains(r#"id="title-error""#), "{html}");
    assert!(html.contains("This is too long"));
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(html.contains(r##"<a href="#title">"##), "the summary links to the field");
    assert!(html.contains(&long), "what was typed is kept");
    assert_eq!(version(&app, &id).await, v);
    assert_eq!(app.stored_case(&id).await.content.summary.get("id"), Some("Ringkasan singkat."));

    // Place: an unknown country.
    let res = b
        .post(
            &format!("/submit/{id}/place"),
            &[("version", &v), ("country", "XX"), ("city", "Kendari"), ("action", "next")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains(r#"id="country-error""#), "{html}");
    assert!(html.contains("Choose one of the listed values"));
    assert!(html.contains(r#"value="Kendari""#));

    // Classification: two unreadable values, both reported at once.
    let res = b
        .post(
            &format!("/submit/{id}/classification"),
            &[
                ("version", &v),
                ("year_launched", "tahun lalu"),
                ("sdgs", "99"),
                ("sectors", "nope"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    for field in ["year_launched", "sdgs", "sectors"] {
        assert!(html.contains(&format!(r#"id="{field}-error""#)), "{field}: {html}");
    }
    assert!(html.contains("There are 3 problems"), "{html}");

    // Contacts: a bad e-mail address and a name that is too long, in Indonesian.
    b.accept_language = Some("id");
    let name = "n".repeat(201);
    let res = b
        .post(
            &format!("/submit/{id}/contacts"),
            &[("version", &v), ("contact_name", &name), ("contact_email", "bukan-surel"), ("action", "next")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains(r#"id="contact_email-error""#) && html.contains(r#"id="contact_name-error""#), "{html}");
    assert!(html.contains("Ada 2 masalah"));
    assert!(html.contains(r#"value="bukan-surel""#));

    assert_eq!(version(&app, &id).await, v, "nothing was written");
    assert_eq!(app.stored_case(&id).await.content.contact, None);

    // The first step of a new case without a title creates nothing.
    let before = app.case_count().await;
    let res = b.post("/submit", &[("original_language", "id"), ("title", " "), ("action", "next")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains(r#"id="title-error""#));
    assert_eq!(app.case_count().await, before);

    // Unknown steps are not found.
    assert_eq!(b.get(&format!("/submit/{id}/nope")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_refused_and_write_nothing() {
    let app = TestApp::new().await;
    let mut b = Browser::signed_in_lang(&app, Who::Contributor, "en").await;
    let id = start_draft(&mut b, "Draf").await;
    let v = version(&app, &id).await;
    let before = app.case_count().await;

    let res = b.post_form("/submit", &[("original_language", "id"), ("title", "Tanpa token")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.case_count().await, before);

    let wrong = "0123456789abcdef0123456789abcdef";
    let path = format!("/submit/{id}/identity");
    let fields =
        [("csrf", wrong), ("version", &v), ("original_language", "id"), ("title", "Diubah"), ("action", "next")];
    let res = b.post_form(&path, &fields).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = b.post_form(&path, &fields[1..]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = b.post_form(&format!("/submit/{id}/submit"), &[("csrf", wrong), ("version", &v)]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(version(&app, &id).await, v);
    assert_eq!(app.stored_case(&id).await.status, Status::Draft);

    // The review forms too.
    let submitted = app.case_in(Status::Submitted).await;
    let mut curator = Browser::signed_in_lang(&app, Who::Curator, "en").await;
    for action in ["return", "publish"] {
        let res = curator.post_form(&format!("/curate/{submitted}/{action}"), &[("comment", "x")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.stored_case(&submitted).await.status, Status::Submitted);
}

#[tokio::test]
async fn only_authors_open_the_submission_and_only_their_own_drafts() {
    let app = TestApp::new().await;

    // Anonymous visitors are asked to sign in first.
    let mut anon = Browser::new(&app);
    assert_eq!(location(&anon.get("/submit").await), "/signin?next=%2Fsubmit");
    assert_eq!(location(&anon.get("/curate").await), "/signin?next=%2Fcurate");

    // Readers may not write cases, nor review them.
    let mut reader = Browser::signed_in_lang(&app, Who::Reader, "en").await;
    assert_eq!(reader.get("/submit").await.status, StatusCode::FORBIDDEN);
    let before = app.case_count().await;
    let res =
        reader.post("/submit", &[("original_language", "en"), ("title", "Not allowed"), ("action", "next")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.case_count().await, before);
    assert_eq!(reader.get("/curate").await.status, StatusCode::FORBIDDEN);

    // Another contributor cannot see someone else's draft at all.
    let mut owner = Browser::signed_in_lang(&app, Who::Contributor, "en").await;
    let id = start_draft(&mut owner, "Milik saya").await;
    let v = version(&app, &id).await;
    let mut other = Browser::signed_in_lang(&app, Who::OtherContributor, "en").await;
    assert_eq!(other.get(&format!("/submit/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(other.get(&format!("/submit/{id}/identity")).await.status, StatusCode::NOT_FOUND);
    let res = other
        .post(&format!("/submit/{id}/identity"), &[("version", &v), ("original_language", "id"), ("title", "Dicuri")])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(other.post(&format!("/submit/{id}/submit"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(version(&app, &id).await, v);
    assert_eq!(other.get("/curate").await.status, StatusCode::FORBIDDEN);

    // A published case is visible to its author but no longer editable by them; a curator may edit it.
    let published = app.case_in(Status::Published).await;
    assert_eq!(owner.get(&format!("/submit/{published}/story")).await.status, StatusCode::FORBIDDEN);
    let mut curator = Browser::signed_in_lang(&app, Who::Curator, "en").await;
    assert_eq!(curator.get(&format!("/submit/{id}/story")).await.status, StatusCode::OK);
    assert_eq!(curator.get(&format!("/submit/{published}/story")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_with_a_message_not_a_server_error() {
    let app = TestApp::new().await;
    let mut b = Browser::signed_in_lang(&app, Who::Contributor, "en").await;
    let id = start_draft(&mut b, "Judul awal").await;
    let stale = version(&app, &id).await;

    // Meanwhile the same draft is changed elsewhere (the API, another tab).
    let mut body = CaseBody::minimal("Changed elsewhere").build();
    body["version"] = json!(stale.parse::<i64>().unwrap());
    let (status, _, json) =
        app.request_as(Method::PUT, &format!("/api/v1/cases/{id}"), Who::Contributor, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let current = version(&app, &id).await;

    let res = b
        .post(
            &format!("/submit/{id}/identity"),
            &[("version", &stale), ("original_language", "id"), ("title", "Judul saya"), ("action", "next")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let html = res.text();
    assert!(html.contains("Someone saved this case while you were editing it"), "{html}");
    assert!(html.contains(r#"value="Judul saya""#), "the typed text is kept");
    assert_eq!(version(&app, &id).await, current);
    assert_eq!(app.stored_case(&id).await.content.title.get("en"), Some("Changed elsewhere"));

    // Submitting with a stale version is a conflict too.
    let res = b.post(&format!("/submit/{id}/submit"), &[("version", &stale)]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(app.stored_case(&id).await.status, Status::Draft);
}

#[tokio::test]
async fn a_curator_returns_a_case_with_a_comment_the_author_fixes_it_and_it_is_published() {
    let app = TestApp::new().await;
    let mut author = Browser::signed_in_lang(&app, Who::Contributor, "id").await;
    let id = start_draft(&mut author, "Layanan Kependudukan Keliling").await;
    let v = version(&app, &id).await;
    let res = author.post(&format!("/submit/{id}/submit"), &[("version", &v)]).await;
    assert_eq!(location(&res), "/my/cases");

    // The queue lists it with its author.
    let mut curator = Browser::signed_in_lang(&app, Who::Curator, "en").await;
    let html = curator.get("/curate").await.text();
    assert!(html.contains(&format!(r#"href="/curate/{id}""#)), "{html}");
    assert!(html.contains("Test contributor"));

    let html = curator.get(&format!("/curate/{id}")).await.text();
    assert!(html.contains(r#"<table class="diff">"#), "{html}");
    assert!(html.contains(r#"<label for="comment">"#));

    // A return needs a comment.
    let v = version(&app, &id).await;
    let res = curator.post(&format!("/curate/{id}/return"), &[("version", &v), ("comment", "  ")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains(r#"id="comment-error""#), "{}", res.text());
    assert_eq!(app.stored_case(&id).await.status, Status::Submitted);

    let comment = "Mohon tambahkan hasil yang terukur.";
    let res = curator.post(&format!("/curate/{id}/return"), &[("version", &v), ("comment", comment)]).await;
    assert_eq!(location(&res), "/curate?done=returned");
    assert_eq!(app.stored_case(&id).await.status, Status::Returned);
    assert!(curator.get("/curate?done=returned").await.text().contains("returned to its author"));

    // The author sees the comment on "My cases" and on every step.
    assert!(author.get("/my/cases").await.text().contains(comment));
    for step in ["identity", "story", "preview"] {
        let html = author.get(&format!("/submit/{id}/{step}")).await.text();
        assert!(html.contains(comment), "{step}: {html}");
    }

    // Fixes it and submits it again.
    let v = version(&app, &id).await;
    let res = author
        .post(
            &format!("/submit/{id}/story"),
            &[
                ("version", &v),
                ("results", "Waktu pengurusan KTP turun dari 14 hari menjadi 1 hari."),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/submit/{id}/evidence"));
    let v = version(&app, &id).await;
    let res = author.post(&format!("/submit/{id}/submit"), &[("version", &v)]).await;
    assert_eq!(location(&res), "/my/cases");
    assert_eq!(app.stored_case(&id).await.status, Status::Submitted);

    // The curator sees what changed since the first submission, and the comment history.
    let html = curator.get(&format!("/curate/{id}")).await.text();
    assert!(html.contains("sections.results.id"), "{html}");
    assert!(html.contains("<ins>Waktu pengurusan KTP turun dari 14 hari menjadi 1 hari.</ins>"));
    assert!(html.contains(comment));
    // The revision picker compares any two versions.
    let html = curator.get(&format!("/curate/{id}?from=1&to=2")).await.text();
    assert!(html.contains("<ins>submitted</ins>"), "{html}");
    assert!(!html.contains("sections.results.id"));
    assert_eq!(curator.get(&format!("/curate/{id}?from=abc")).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(curator.get(&format!("/curate/{id}?from=1&to=99")).await.status, StatusCode::NOT_FOUND);

    // Not public before publication; public after.
    let mut anon = Browser::new(&app);
    assert_eq!(anon.get(&format!("/cases/{id}")).await.status, StatusCode::NOT_FOUND);
    let v = version(&app, &id).await;
    let res = curator.post(&format!("/curate/{id}/publish"), &[("version", &v)]).await;
    assert_eq!(location(&res), "/curate?done=published");
    assert_eq!(app.stored_case(&id).await.status, Status::Published);
    let res = anon.get(&format!("/cases/{id}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("Layanan Kependudukan Keliling"));
    assert!(!curator.get("/curate").await.text().contains(&format!(r#"href="/curate/{id}""#)));
}

#[tokio::test]
async fn curators_accept_and_decline_nominations_from_other_nodes() {
    let app = TestApp::new().await;
    let first = app.case_in(Status::Submitted).await;
    let second = app.case_in(Status::Submitted).await;
    let a = app
        .store
        .nominate(
            lumbung_core::NominationDirection::Incoming,
            &first,
            "id.kendari",
            Some("Kasus unggulan daerah"),
            None,
        )
        .await
        .unwrap();
    let d = app
        .store
        .nominate(lumbung_core::NominationDirection::Incoming, &second, "id.kendari", None, None)
        .await
        .unwrap();

    let mut curator = Browser::signed_in_lang(&app, Who::Curator, "id").await;
    let html = curator.get("/curate").await.text();
    assert!(html.contains("Dinominasikan oleh id.kendari"), "{html}");
    assert!(html.contains("Kasus unggulan daerah"));
    assert!(html.contains(&format!(r#"<label for="note-{}">"#, d.id)));

    // Declining needs a reason.
    let res = curator.post(&format!("/curate/nominations/{}/decline", d.id), &[("note", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains(&format!(r#"id="note-{}-error""#, d.id)), "{}", res.text());
    assert_eq!(app.store.nomination(&d.id).await.unwrap().unwrap().state, lumbung_core::NominationState::Nominated);

    let res = curator.post(&format!("/curate/nominations/{}/decline", d.id), &[("note", "Di luar cakupan")]).await;
    assert_eq!(location(&res), "/curate?done=declined");
    let declined = app.store.nomination(&d.id).await.unwrap().unwrap();
    assert_eq!((declined.state.as_str(), declined.decision_note.as_deref()), ("declined", Some("Di luar cakupan")));
    assert_eq!(app.stored_case(&second).await.status, Status::Archived);

    let res = curator.post(&format!("/curate/nominations/{}/accept", a.id), &[]).await;
    assert_eq!(location(&res), "/curate?done=accepted");
    assert_eq!(app.store.nomination(&a.id).await.unwrap().unwrap().state, lumbung_core::NominationState::Accepted);
    assert_eq!(app.stored_case(&first).await.status, Status::Published);
    assert!(curator.get("/curate").await.text().contains("Tidak ada nominasi yang menunggu"));

    // Contributors may not decide.
    let mut contributor = Browser::signed_in_lang(&app, Who::Contributor, "en").await;
    let res = contributor.post(&format!("/curate/nominations/{}/accept", d.id), &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}
