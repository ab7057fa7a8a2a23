//! Import and export through the real binary: the Participedia CSV, the
//! lossless JSON Lines round trip, and refused files that write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;

#[test]
fn participedia_csv_imports_every_readable_row() {
    let dir = TempDir::new("participedia");
    let data = dir.join("node");
    let csv = participedia_cases();
    let out = run(&["import", "--data", data.to_str().unwrap(), "--format", "csv", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("read 2258 rows"), "{text}");
    assert!(text.contains("imported 2258 cases"), "{text}");
    let report = check(&data);
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.cases, 2258);
    assert_eq!(report.changes, 2258);

    // Incomplete records are kept and scored, with their source link.
    let page = with_store(&data, async |s| {
        s.list_cases(
            &lumbung_store::CaseFilter { completeness_max: Some(99), ..Default::default() },
            &lumbung_store::Visibility::Published,
            None,
            100,
        )
        .await
        .unwrap()
    });
    assert_eq!(page.total, 2258);
    let first = &page.items[0];
    assert!(first.completeness < 20, "{}", first.completeness);
    assert!(first.missing.contains(&"country".to_owned()));
    assert!(first.content.source_url.as_deref().unwrap().starts_with("https://participedia.net/case/"));
    assert_eq!(first.content.original_language, "en");

    // Importing again adds nothing: rows are matched by their source URL.
    let again = run(&["import", "--data", data.to_str().unwrap(), "--format", "csv", csv.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("imported 0 cases"), "{}", stdout(&again));
    assert_eq!(check(&data).cases, 2258);
}

#[test]
fn jsonl_export_import_export_is_identical() {
    let dir = TempDir::new("roundtrip");
    let a = dir.join("a");
    let b = dir.join("b");
    let demo = run(&["demo", "--data", a.to_str().unwrap(), "--no-serve", "--generate", "300"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let first = dir.join("first.jsonl");
    let out = run(&["export", "--data", a.to_str().unwrap(), "--format", "jsonl", "--out", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let imported = run(&["import", "--data", b.to_str().unwrap(), "--format", "jsonl", first.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let second = dir.join("second.jsonl");
    let out = run(&["export", "--data", b.to_str().unwrap(), "--format", "jsonl", "--out", second.to_str().unwrap()]);
    assert!(out.status.success());
    let one = std::fs::read_to_string(&first).unwrap();
    let two = std::fs::read_to_string(&second).unwrap();
    let cases = one.lines().filter(|l| l.starts_with("{\"kind\":\"case\",")).count();
    assert!(cases >= 330, "only {cases} cases exported");
    assert!(one.lines().any(|l| l.starts_with("{\"kind\":\"organisation\",")));
    assert_eq!(one.lines().count(), two.lines().count());
    for (x, y) in one.lines().zip(two.lines()) {
        assert_eq!(x, y);
    }
    // Only published cases leave the node, without private fields.
    assert!(!one.contains("\"created_by\""));
    assert!(!one.contains("\"status\":\"draft\""));
    assert!(check(&b).is_ok());
}

#[test]
fn csv_export_has_a_row_per_published_case() {
    let dir = TempDir::new("csvexport");
    let data = dir.join("n");
    let csv = participedia_cases();
    assert!(
        run(&["import", "--data", data.to_str().unwrap(), "--format", "csv", csv.to_str().unwrap()]).status.success()
    );
    let out = run(&["export", "--data", data.to_str().unwrap(), "--format", "csv"]);
    assert!(out.status.success());
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.get(0), Some("id"));
    assert!(headers.iter().any(|h| h == "title_en"));
    assert_eq!(reader.records().filter(|r| r.is_ok()).count(), 2258);
}

/// Every kind of invalid file is refused with its line and reason, and
/// nothing at all is written.
#[test]
fn invalid_files_are_refused_and_write_nothing() {
    let dir = TempDir::new("refused");
    let data = dir.join("n");
    let good = r#"{"kind":"case","original_language":"en","title":{"en":"A good case"},"status":"published"}"#;
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        ("jsonl", "not-json.jsonl", format!("{good}\n{{\"title\": oops}}\n").into_bytes(), "line 2: not JSON"),
        ("jsonl", "array.jsonl", format!("{good}\n[1,2]\n").into_bytes(), "line 2: not a JSON object"),
        (
            "jsonl",
            "latin1.jsonl",
            [good.as_bytes(), b"\n{\"title\":\"caf\xe9\"}\n"].concat(),
            "line 2: not valid UTF-8",
        ),
        ("csv", "no-title.csv", b"name,description\nx,y\n".to_vec(), "missing required column 'title'"),
        ("csv", "latin1.csv", b"title,description\nok,fine\ncaf\xe9,x\n".to_vec(), "not valid UTF-8"),
    ];
    for (format, name, bytes, expected) in cases {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = run(&["import", "--data", data.to_str().unwrap(), "--format", format, file.to_str().unwrap()]);
        assert!(!out.status.success(), "{name} was accepted");
        let err = stderr(&out);
        assert!(err.contains(expected), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: one line of reason: {err}");
        let report = check(&data);
        assert_eq!((report.cases, report.changes), (0, 0), "{name} wrote something");
    }
    // With --strict, one invalid record refuses the file.
    let file = dir.join("strict.jsonl");
    std::fs::write(&file, format!("{good}\n{{\"kind\":\"case\",\"original_language\":\"en\",\"title\":{{}}}}\n"))
        .unwrap();
    let out =
        run(&["import", "--data", data.to_str().unwrap(), "--format", "jsonl", "--strict", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    assert_eq!(check(&data).cases, 0);
}

/// Rows that cannot become a case are reported with their line and skipped;
/// the rest is imported.
#[test]
fn unreadable_rows_are_reported_by_line() {
    let dir = TempDir::new("rows");
    let data = dir.join("n");
    let file = dir.join("mixed.csv");
    std::fs::write(
        &file,
        "title,description,country,year_launched\nGood one,fine,ID,2020\n,no title,ID,2020\nBad country,x,ZZ,2020\nToo,many,fields,1,2\nBad year,x,PH,soon\nAlso good,x,PH,\n",
    )
    .unwrap();
    let out = run(&["import", "--data", data.to_str().unwrap(), "--format", "csv", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "line 3: not readable: title",
        "line 4: not readable: country",
        "line 5: not readable: 5 fields",
        "line 6: not readable: year_launched",
    ] {
        assert!(err.contains(expected), "missing '{expected}' in {err}");
    }
    assert!(stdout(&out).contains("imported 2 cases"), "{}", stdout(&out));
    assert_eq!(check(&data).cases, 2);
}

#[test]
fn a_custom_column_mapping_fills_other_fields() {
    let dir = TempDir::new("mapping");
    let data = dir.join("n");
    let file = dir.join("other.csv");
    std::fs::write(&file, "Nama,Ringkasan,Negara,Sektor\nMal Pelayanan Publik,Layanan terpadu,ID,public_administration;digital_government\n").unwrap();
    let out = run(&[
        "import",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "csv",
        "--language",
        "id",
        "--map",
        "title=Nama",
        "--map",
        "summary=Ringkasan",
        "--map",
        "country=Negara",
        "--map",
        "sectors=Sektor",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = with_store(&data, async |s| {
        s.list_cases(&Default::default(), &lumbung_store::Visibility::All, None, 10).await.unwrap()
    });
    let c = &page.items[0];
    assert_eq!(c.content.title.get("id"), Some("Mal Pelayanan Publik"));
    assert_eq!(c.content.original_language, "id");
    assert_eq!(c.content.country.as_deref(), Some("ID"));
    assert_eq!(c.content.sectors, vec!["public_administration", "digital_government"]);
    // An unknown target field is refused before anything is read.
    let bad = run(&[
        "import",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "csv",
        "--map",
        "colour=Nama",
        file.to_str().unwrap(),
    ]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("'colour' is not a case field"), "{}", stderr(&bad));
}
