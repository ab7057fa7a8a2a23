//! Sitemaps (protocol 0.9) of published case pages; a sitemap index once a
//! node has more than 50,000 of them.

use crate::xml::{element, utc};

/// Most URLs in one sitemap file.
pub const MAX_URLS: usize = 50_000;
const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// A sitemap of `(url, last change in seconds)`.
pub fn urlset(urls: &[(String, Option<i64>)]) -> String {
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{NS}\">");
    for (loc, changed) in urls {
        out.push_str("<url>");
        element(&mut out, "loc", &[], loc);
        if let Some(t) = changed {
            element(&mut out, "lastmod", &[], &utc(*t));
        }
        out.push_str("</url>");
    }
    out.push_str("</urlset>");
    out
}

/// A sitemap index naming the given sitemap files.
pub fn index(sitemaps: &[String]) -> String {
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{NS}\">");
    for loc in sitemaps {
        out.push_str("<sitemap>");
        element(&mut out, "loc", &[], loc);
        out.push_str("</sitemap>");
    }
    out.push_str("</sitemapindex>");
    out
}
