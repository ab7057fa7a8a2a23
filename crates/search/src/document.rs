//! Turning a case into an index document, and the display data stored with it.

use std::collections::HashMap;

use lumbung_core::{Case, Resource};
use lumbung_store::{Post, Thread};
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use crate::schema::Fields;

/// What a hit shows without reading the store.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Display {
    pub title: lumbung_core::Text,
    pub original_language: String,
    pub country: Option<String>,
    pub year_launched: Option<i32>,
    pub sectors: Vec<String>,
    pub lifecycle_stage: Option<String>,
    pub origin: Option<String>,
    pub completeness: u8,
    pub published_at: Option<String>,
}

/// At most this many posts of a thread are indexed (the first ones: the
/// question and its first answers say what a discussion is about).
pub const THREAD_POSTS: i64 = 200;

/// The index document of a published case. `org_types` maps organisation ids
/// to their type, for the organisation-type facet.
pub fn build(f: &Fields, case: &Case, org_types: &HashMap<String, String>) -> TantivyDocument {
    let c = &case.content;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &case.id);
    doc.add_text(f.kind, crate::schema::KIND_CASE);
    for (lang, value) in &c.title.0 {
        doc.add_text(f.for_lang(lang).title, value);
    }
    for (lang, value) in &c.summary.0 {
        doc.add_text(f.for_lang(lang).summary, value);
    }
    for (_, section) in c.sections.iter() {
        for (lang, value) in &section.0 {
            doc.add_text(f.for_lang(lang).body, value);
        }
    }

    for title in c.title.0.values() {
        doc.add_text(f.suggest, title);
    }
    let mut facet = |name: &str, value: &str| {
        if let Some(field) = f.facet(name) {
            doc.add_text(field, value);
        }
    };
    if let Some(v) = &c.country {
        facet("country", v);
    }
    if let Some(v) = &c.level_of_government {
        facet("level", v);
    }
    for v in &c.sectors {
        facet("sector", v);
    }
    for v in &c.innovation_facets {
        facet("facet", v);
    }
    if let Some(v) = &c.lifecycle_stage {
        facet("stage", v);
    }
    for v in &c.sdgs {
        facet("sdg", &v.to_string());
    }
    if let Some(v) = c.year_launched {
        facet("year", &v.to_string());
    }
    let mut types: Vec<&str> = c.organisations.iter().filter_map(|o| org_types.get(o).map(String::as_str)).collect();
    types.sort_unstable();
    types.dedup();
    for t in types {
        facet("organisation_type", t);
    }
    facet("origin", case.origin.as_ref().map_or("local", |o| o.node.as_str()));
    if let Some(v) = &c.operating_status {
        facet("operating_status", v);
    }
    facet("completeness", if case.completeness >= 100 { "complete" } else { "incomplete" });
    // Living cases: when the case was last confirmed, as of indexing (the
    // check-in schedule re-indexes a case when its check-in falls due).
    facet("confirmed", lumbung_core::checkin::confirmed_bucket(c.last_confirmed, lumbung_core::clock::today()));
    for o in &c.organisations {
        doc.add_text(f.organisation, o);
    }
    // Milliseconds: many cases are often published within one second.
    let published = case.published_at.unwrap_or(case.updated_at);
    doc.add_i64(f.published, millis(published));
    let display = Display {
        title: c.title.clone(),
        original_language: c.original_language.clone(),
        country: c.country.clone(),
        year_launched: c.year_launched,
        sectors: c.sectors.clone(),
        lifecycle_stage: c.lifecycle_stage.clone(),
        origin: case.origin.as_ref().map(|o| o.node.clone()),
        completeness: case.completeness,
        published_at: case.published_at.and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()),
    };
    doc.add_text(f.display, serde_json::to_string(&display).unwrap_or_default());
    doc
}

/// The index document of a public discussion: its title, its first post as
/// the summary and the other posts as the body, each in its language, as
/// plain text (snippets show words, not Markdown). Hidden
/// posts are left out (their text must not be found). It carries no facet
/// but its kind, and sorts by its last post.
pub fn build_thread(f: &Fields, thread: &Thread, posts: &[Post]) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &thread.id);
    doc.add_text(f.kind, crate::schema::KIND_DISCUSSION);
    let visible: Vec<&Post> = posts.iter().filter(|p| p.hidden.is_none()).collect();
    let language = visible.first().map_or("en", |p| p.language.as_str()).to_owned();
    doc.add_text(f.for_lang(&language).title, &thread.title);
    for (i, post) in visible.iter().enumerate() {
        let fields = f.for_lang(&post.language);
        doc.add_text(if i == 0 { fields.summary } else { fields.body }, plain(&post.body));
    }
    let at = thread.last_post_at;
    doc.add_i64(f.published, millis(at));
    let display = Display {
        title: lumbung_core::Text([(language.clone(), thread.title.clone())].into_iter().collect()),
        original_language: language,
        published_at: at.format(&time::format_description::well_known::Rfc3339).ok(),
        ..Display::default()
    };
    doc.add_text(f.display, serde_json::to_string(&display).unwrap_or_default());
    doc
}

/// The index document of a resource: its title and summary in each of
/// their languages. It carries no facet but its kind, and sorts by its
/// last change.
pub fn build_resource(f: &Fields, r: &Resource) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &r.id);
    doc.add_text(f.kind, crate::schema::KIND_RESOURCE);
    for (lang, value) in &r.content.title.0 {
        doc.add_text(f.for_lang(lang).title, value);
    }
    for (lang, value) in &r.content.summary.0 {
        doc.add_text(f.for_lang(lang).summary, plain(value));
    }
    doc.add_i64(f.published, millis(r.updated_at));
    let display = Display {
        title: r.content.title.clone(),
        original_language: r.content.title.0.keys().next().cloned().unwrap_or_else(|| "en".into()),
        published_at: r.updated_at.format(&time::format_description::well_known::Rfc3339).ok(),
        ..Display::default()
    };
    doc.add_text(f.display, serde_json::to_string(&display).unwrap_or_default());
    doc
}

/// Milliseconds since the epoch, for `published` (many documents often
/// change within one second).
fn millis(t: time::OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The text of Markdown, its marks and markup left out, whitespace collapsed.
pub fn plain(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn posts_are_indexed_as_their_words() {
        assert_eq!(
            super::plain("How do you **measure** [waiting](https://x.example) times?\n\n- one\n- `two`"),
            "How do you measure waiting times? one two"
        );
        assert_eq!(super::plain("a <b onclick=x>bold</b> word"), "a bold word");
        assert_eq!(super::plain("<script>alert(1)</script>\n\nafter"), "after");
    }
}
