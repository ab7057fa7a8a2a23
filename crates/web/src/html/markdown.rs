//! User-written text to safe HTML: Markdown (pulldown-cmark) cleaned by an
//! allow-list sanitiser (ammonia). Scripts, event handlers, `style`,
//! `javascript:` and `data:` URLs and images from other hosts never survive.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use pulldown_cmark::{Options, Parser, html};

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        let tags: HashSet<&str> = [
            "p",
            "br",
            "em",
            "strong",
            "a",
            "ul",
            "ol",
            "li",
            "blockquote",
            "code",
            "pre",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "hr",
            "del",
        ]
        .into_iter()
        .collect();
        b.tags(tags)
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("nofollow noopener noreferrer"))
            .strip_comments(true);
        b
    })
}

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    cleaner().clean(&out).to_string()
}

/// Rendered posts kept, by post id and version (an edit makes a new
/// version, so an entry never goes stale): a thread page of 50 posts renders
/// its Markdown once, not on every view (#10).
const RENDERED_POSTS: usize = 20_000;

/// [`render`] for a post, from memory when this version was rendered before.
pub fn render_post(id: &str, version: i64, markdown: &str) -> Arc<str> {
    type Rendered = Mutex<lru::LruCache<(String, i64), Arc<str>>>;
    static RENDERED: OnceLock<Rendered> = OnceLock::new();
    let cache = RENDERED.get_or_init(|| {
        Mutex::new(lru::LruCache::new(
            std::num::NonZeroUsize::new(RENDERED_POSTS).unwrap_or(std::num::NonZeroUsize::MIN),
        ))
    });
    let key = (id.to_owned(), version);
    if let Some(html) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Arc::clone(html);
    }
    let html: Arc<str> = render(markdown).into();
    cache.lock().unwrap_or_else(|p| p.into_inner()).put(key, Arc::clone(&html));
    html
}

/// Plain text for places that take no markup (meta descriptions, JSON-LD):
/// the Markdown's text, whitespace collapsed, cut at `max` characters.
pub fn plain(markdown: &str, max: usize) -> String {
    let collapsed = lumbung_search::document::plain(markdown);
    if collapsed.chars().count() <= max {
        collapsed
    } else {
        let cut: String = collapsed.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const PAYLOADS: [&str; 9] = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<svg onload=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "![x](https://evil.example/track.png)",
        "<style>body{display:none}</style>",
    ];

    #[test]
    fn markdown_renders() {
        assert_eq!(render("**bold** and *em*"), "<p><strong>bold</strong> and <em>em</em></p>\n");
        let link = render("[site](https://example.org)");
        assert!(link.contains("href=\"https://example.org\""), "{link}");
        assert!(link.contains("rel=\"nofollow noopener noreferrer\""), "{link}");
    }

    #[test]
    fn hostile_markup_does_not_survive() {
        for p in PAYLOADS {
            let out = render(p).to_lowercase();
            for bad in
                ["<script", "onerror", "onload", "javascript:", "style", "<iframe", "<img", "<svg", "evil.example"]
            {
                assert!(!out.contains(bad), "{p:?} rendered as {out:?}");
            }
        }
    }

    #[test]
    fn plain_text_is_cut() {
        assert_eq!(plain("# Title\n\nSome *text* here", 100), "Title Some text here");
        assert_eq!(plain("abcdef ghij", 6), "abcde…");
    }
}
