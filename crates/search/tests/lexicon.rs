//! The lexicon learned from the demo's human translations (issue #15): how
//! many entries it learns, and how precise a hand-judged sample of them is
//! (`data/lexicon_sample.tsv`: English stem, Indonesian stem, yes/no).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use lumbung_search::lexicon::Lexicon;

/// Aligned (English, Indonesian) texts of every demo case: title, summary and
/// each section that has both languages.
fn demo_pairs() -> Vec<(String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lumbung/demo/content.jsonl");
    let mut pairs = Vec::new();
    for line in std::fs::read_to_string(path).unwrap().lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["kind"] != "case" {
            continue;
        }
        let mut texts = vec![&v["title"], &v["summary"]];
        if let Some(sections) = v["sections"].as_object() {
            texts.extend(sections.values());
        }
        for t in texts {
            if let (Some(en), Some(id)) = (t["en"].as_str(), t["id"].as_str()) {
                pairs.push((en.to_owned(), id.to_owned()));
            }
        }
    }
    pairs
}

#[test]
fn the_demo_teaches_a_lexicon_and_a_judged_sample_of_it_is_precise() {
    let pairs = demo_pairs();
    let lexicon = Lexicon::learn(pairs.iter().map(|(e, i)| (e.as_str(), i.as_str())));
    println!("{} aligned texts, {} learned entries", pairs.len(), lexicon.len());
    for l in lexicon.entries() {
        println!("{}\t{}\t{:.2}\t{}", l.en, l.id, l.confidence, l.count);
    }
    assert!(lexicon.len() >= 400, "only {} entries learned", lexicon.len());

    let sample =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lexicon_sample.tsv"))
            .unwrap();
    let (mut judged, mut right) = (0, 0);
    for line in sample.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let learned = lexicon.translate("en", cols[0]).is_some_and(|l| l.id == cols[1]);
        if learned {
            judged += 1;
            right += usize::from(cols[2] == "yes");
        }
    }
    let precision = right as f64 / judged.max(1) as f64;
    println!("judged sample: {right} of {judged} right, precision {precision:.2}");
    assert!(judged >= 40, "only {judged} of the judged sample are still learned: judge a new sample");
    assert!(precision >= 0.85, "precision {precision:.2} on the judged sample");
}
