//! A language few cases are written in is found on its own words (issue #15):
//! on Participedia's English cases plus the Indonesian-only cases of
//! `crates/search/data/fixtures/indonesian_only.jsonl`, every Indonesian case
//! ranks first for its own title in Indonesian; and the other way round, on a
//! mostly Indonesian library (those cases and the demo cases' Indonesian text
//! alone) a handful of English-only cases rank first for their own titles in
//! English.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use lumbung_search::{SearchIndex, SearchRequest};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../search/data/fixtures/indonesian_only.jsonl")
}

fn import(d: &str, format: &str, file: &Path) {
    let out = run(&["import", "--data", d, "--format", format, file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// (id, title in `lang`) of every case in a JSON Lines file.
fn titles(file: &Path, lang: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter_map(|v| Some((v["id"].as_str()?.to_owned(), v["title"][lang].as_str()?.to_owned())))
        .collect()
}

/// The rank (1-based) of `id` among the first 20 hits for `q`, if there.
fn rank(data: &Path, cases: &[(String, String)], lang: &str) -> Vec<(String, Option<usize>, Vec<String>)> {
    with_store(data, async |store| {
        let index = SearchIndex::open_for(store).unwrap();
        cases
            .iter()
            .map(|(id, title)| {
                let req = SearchRequest { q: title.clone(), lang: lang.into(), limit: 20, ..Default::default() };
                let hits = index.search(&req).unwrap().items;
                let at = hits.iter().position(|h| &h.id == id).map(|i| i + 1);
                (title.clone(), at, hits.iter().take(3).map(|h| h.title.clone()).collect())
            })
            .collect()
    })
}

fn assert_all_first(ranks: &[(String, Option<usize>, Vec<String>)]) {
    let wrong: Vec<String> = ranks
        .iter()
        .filter(|(_, at, _)| *at != Some(1))
        .map(|(title, at, top)| format!("'{title}' ranks {at:?}; first: {top:?}"))
        .collect();
    assert!(wrong.is_empty(), "not first for their own title:\n{}", wrong.join("\n"));
}

#[test]
fn indonesian_cases_among_english_ones_rank_first_for_their_own_titles() {
    let dir = TempDir::new("minority-id");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    import(d, "csv", &participedia_cases());
    import(d, "jsonl", &fixture());
    let reindex = run(&["reindex", "--data", d]);
    assert!(reindex.status.success(), "{}", stderr(&reindex));
    let cases = titles(&fixture(), "id");
    assert!(cases.len() >= 20);
    assert_all_first(&rank(&data, &cases, "id"));
}

#[test]
fn english_cases_among_indonesian_ones_rank_first_for_their_own_titles() {
    let dir = TempDir::new("minority-en");
    let data = dir.join("n");
    let d = data.to_str().unwrap();
    // A mostly Indonesian library: the fixture's cases, the demo cases with
    // their Indonesian text only, and six English-only cases.
    let demo = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/content.jsonl")).unwrap();
    let mut lines: Vec<String> = Vec::new();
    for line in demo.lines().filter(|l| !l.trim().is_empty()) {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["kind"] != "case" {
            continue;
        }
        fn keep_id(v: &mut serde_json::Value) {
            if let Some(map) = v.as_object_mut() {
                if map.contains_key("id") && map.contains_key("en") {
                    map.remove("en");
                } else {
                    for child in map.values_mut() {
                        keep_id(child);
                    }
                }
            }
        }
        let map = v.as_object_mut().unwrap();
        map.remove("organisations");
        map.remove("partners");
        map.insert("status".into(), "published".into());
        map.insert("original_language".into(), "id".into());
        for field in ["title", "summary", "sections"] {
            if let Some(t) = map.get_mut(field) {
                keep_id(t);
            }
        }
        lines.push(serde_json::to_string(&v).unwrap());
    }
    let english = [
        ("01KFXE00000000000000000001", "Citizens' jury on dog and cat management in South Australia"),
        ("01KFXE00000000000000000002", "Deliberative poll on Japan's energy and environmental policy options"),
        ("01KFXE00000000000000000003", "Participatory wastewater management in San Luis Obispo County"),
        ("01KFXE00000000000000000004", "Toronto community housing's tenant participation system"),
        ("01KFXE00000000000000000005", "Icelandic constitutional assembly"),
        ("01KFXE00000000000000000006", "Victoria's citizens' jury on obesity"),
    ];
    for (id, title) in english {
        let v = serde_json::json!({
            "kind": "case", "id": id, "status": "published", "original_language": "en",
            "title": {"en": title}, "summary": {"en": format!("A case from Participedia: {title}.")},
        });
        lines.push(v.to_string());
    }
    let file = dir.join("mostly-indonesian.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    import(d, "jsonl", &file);
    import(d, "jsonl", &fixture());
    let reindex = run(&["reindex", "--data", d]);
    assert!(reindex.status.success(), "{}", stderr(&reindex));
    let cases: Vec<(String, String)> = english.iter().map(|(i, t)| (i.to_string(), t.to_string())).collect();
    assert_all_first(&rank(&data, &cases, "en"));
}
