//! Atom 1.0 (RFC 4287) feeds of published cases.

use crate::xml::{element, esc};

/// The feed as a whole.
pub struct Feed<'a> {
    /// The feed's own URL (also its id).
    pub self_url: &'a str,
    /// The HTML page the feed follows.
    pub alternate_url: &'a str,
    pub title: &'a str,
    pub subtitle: &'a str,
    pub author: &'a str,
    pub lang: &'a str,
    /// RFC 3339; the newest entry's, or now when there is none.
    pub updated: &'a str,
}

/// One case in a feed.
pub struct Entry {
    /// A stable IRI: the case's OAI identifier.
    pub id: String,
    pub title: String,
    pub title_lang: String,
    pub url: String,
    /// RFC 3339.
    pub published: String,
    pub updated: String,
    /// An HTML fragment (already escaped text with `<mark>` tags).
    pub summary_html: String,
    pub categories: Vec<(String, String)>,
}

pub fn render(feed: &Feed<'_>, entries: &[Entry]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        esc(feed.lang)
    );
    element(&mut out, "id", &[], feed.self_url);
    element(&mut out, "title", &[], feed.title);
    element(&mut out, "subtitle", &[], feed.subtitle);
    element(&mut out, "updated", &[], feed.updated);
    out.push_str(&format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", esc(feed.self_url)));
    out.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", esc(feed.alternate_url)));
    out.push_str("<author>");
    element(&mut out, "name", &[], feed.author);
    out.push_str("</author>");
    element(&mut out, "generator", &[], "Lumbung");
    for e in entries {
        out.push_str("<entry>");
        element(&mut out, "id", &[], &e.id);
        element(&mut out, "title", &[("xml:lang", &e.title_lang)], &e.title);
        element(&mut out, "updated", &[], &e.updated);
        element(&mut out, "published", &[], &e.published);
        out.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", esc(&e.url)));
        for (scheme, term) in &e.categories {
            out.push_str(&format!("<category scheme=\"{}\" term=\"{}\"/>", esc(scheme), esc(term)));
        }
        element(&mut out, "summary", &[("type", "html")], &e.summary_html);
        out.push_str("</entry>");
    }
    out.push_str("</feed>");
    out
}
