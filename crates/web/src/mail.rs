//! Mail messages in the reader's language (Fluent, `locales/*/mail.ftl`): one
//! notification, or a digest that groups a period's notifications by
//! discussion (a thread, a case) instead of repeating each. Plain text with an
//! HTML alternative; every message names where to change how often mail comes
//! and how to stop it. The sender (`lumbung` `mail.rs`) adds the one-click
//! `List-Unsubscribe` headers.

use std::collections::BTreeMap;
use std::fmt::Write;

use time::OffsetDateTime;

use crate::html::escape_html;
use crate::html::i18n::{Lang, Tr};

/// One notification as mail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What groups it in a digest: a thread's or a case's id.
    pub group: String,
    /// The discussion's (or case's) title.
    pub group_title: String,
    /// An absolute link to what it is about.
    pub url: String,
    /// What happened, one line in the reader's language (`notice_line`).
    pub line: String,
    /// A few words of the post, when there is one (plain text).
    pub excerpt: Option<String>,
    pub at: OffsetDateTime,
}

/// A digest's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Daily,
    Weekly,
}

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Longest excerpt, in characters.
const EXCERPT: usize = 280;

/// What happened, in the reader's language: the message `mail-notice-<kind>`
/// (with `$actor`), or a general line for a kind without its own message.
pub fn notice_line(lang: Lang, kind: &str, actor: &str) -> String {
    let tr = Tr::new(lang);
    let key = format!("mail-notice-{kind}");
    if tr.has(&key) { tr.t1(&key, "actor", actor) } else { tr.t1("mail-notice-other", "actor", actor) }
}

fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT {
        flat
    } else {
        let cut: String = flat.chars().take(EXCERPT - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn footer(tr: Tr, settings_url: &str, unsubscribe_url: &str) -> (String, String) {
    let text = format!(
        "\n-- \n{}\n{}: {settings_url}\n{}: {unsubscribe_url}\n",
        tr.t("mail-footer-why"),
        tr.t("mail-footer-settings"),
        tr.t("mail-footer-stop")
    );
    let html = format!(
        r#"<hr><p><small>{}<br><a href="{}">{}</a> · <a href="{}">{}</a></small></p>"#,
        escape_html(&tr.t("mail-footer-why")),
        escape_html(settings_url),
        escape_html(&tr.t("mail-footer-settings")),
        escape_html(unsubscribe_url),
        escape_html(&tr.t("mail-footer-stop")),
    );
    (text, html)
}

fn html_page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head><body>{body}</body></html>"#,
        lang.code(),
        escape_html(title)
    )
}

/// One notification as its own message.
pub fn single(lang: Lang, node_name: &str, notice: &Notice, settings_url: &str, unsubscribe_url: &str) -> Composed {
    let tr = Tr::new(lang);
    let subject = format!("[{node_name}] {}", notice.group_title);
    let mut text = format!("{}\n{}\n", notice.line, notice.group_title);
    let mut html = format!(
        r#"<p>{}</p><p><a href="{}">{}</a></p>"#,
        escape_html(&notice.line),
        escape_html(&notice.url),
        escape_html(&notice.group_title)
    );
    if let Some(e) = &notice.excerpt {
        let e = excerpt(e);
        let _ = write!(text, "\n> {e}\n");
        let _ = write!(html, "<blockquote>{}</blockquote>", escape_html(&e));
    }
    let _ = write!(text, "\n{}: {}\n", tr.t("mail-open"), notice.url);
    let (ft, fh) = footer(tr, settings_url, unsubscribe_url);
    text.push_str(&ft);
    html.push_str(&fh);
    Composed { html: html_page(lang, &subject, &html), subject, text }
}

/// A period's notifications in one message, grouped by discussion: each
/// discussion once, with its link and what happened there, newest group first.
pub fn digest(
    lang: Lang,
    node_name: &str,
    period: Period,
    notices: &[Notice],
    settings_url: &str,
    unsubscribe_url: &str,
) -> Composed {
    let tr = Tr::new(lang);
    let mut groups: BTreeMap<&str, Vec<&Notice>> = BTreeMap::new();
    for n in notices {
        groups.entry(n.group.as_str()).or_default().push(n);
    }
    let mut ordered: Vec<Vec<&Notice>> = groups.into_values().collect();
    for g in &mut ordered {
        g.sort_by_key(|n| n.at);
    }
    ordered.sort_by_key(|g| std::cmp::Reverse(g.last().map(|n| n.at)));
    let count = i64::try_from(notices.len()).unwrap_or(i64::MAX);
    let threads = i64::try_from(ordered.len()).unwrap_or(i64::MAX);
    let key = match period {
        Period::Daily => "mail-digest-daily",
        Period::Weekly => "mail-digest-weekly",
    };
    let heading = tr.tn2(key, ("count", count), ("threads", threads));
    let subject = format!("[{node_name}] {heading}");
    let mut text = format!("{heading}\n");
    let mut html = format!("<h1>{}</h1>", escape_html(&heading));
    for group in &ordered {
        let Some(first) = group.first() else { continue };
        let _ = write!(text, "\n== {}\n{}\n", first.group_title, first.url);
        let _ = write!(
            html,
            r#"<h2><a href="{}">{}</a></h2><ul>"#,
            escape_html(&first.url),
            escape_html(&first.group_title)
        );
        for n in group {
            let _ = write!(text, "- {}", n.line);
            let _ = write!(html, "<li>{}", escape_html(&n.line));
            if let Some(e) = &n.excerpt {
                let e = excerpt(e);
                let _ = write!(text, ": {e}");
                let _ = write!(html, "<br><q>{}</q>", escape_html(&e));
            }
            text.push('\n');
            html.push_str("</li>");
        }
        html.push_str("</ul>");
    }
    let (ft, fh) = footer(tr, settings_url, unsubscribe_url);
    text.push_str(&ft);
    html.push_str(&fh);
    Composed { html: html_page(lang, &subject, &html), subject, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(group: &str, title: &str, line: &str, minute: i64) -> Notice {
        Notice {
            group: group.into(),
            group_title: title.into(),
            url: format!("https://node.example/threads/{group}"),
            line: line.into(),
            excerpt: Some(format!("<script>alert('{line}')</script> isi balasan")),
            at: OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(minute),
        }
    }

    #[test]
    fn a_digest_groups_by_discussion_newest_first() {
        let notices = [
            notice("t1", "Mal pelayanan publik", "Sari replied", 1),
            notice("t2", "Bank sampah", "Budi mentioned you", 2),
            notice("t1", "Mal pelayanan publik", "Ana replied", 3),
        ];
        let m = digest(Lang::En, "Lumbung", Period::Daily, &notices, "https://n/account/mail", "https://n/u/x");
        assert!(m.subject.starts_with("[Lumbung] "));
        assert_eq!(m.text.matches("== Mal pelayanan publik").count(), 1, "each discussion once:\n{}", m.text);
        let t1 = m.text.find("== Mal pelayanan publik").unwrap_or(usize::MAX);
        let t2 = m.text.find("== Bank sampah").unwrap_or(0);
        assert!(t1 < t2, "the discussion with the newest notice first");
        assert!(m.text.find("Sari replied") < m.text.find("Ana replied"), "in order within a discussion");
        assert!(m.text.contains("https://n/u/x") && m.html.contains("https://n/account/mail"));
        assert!(!m.html.contains("<script>"), "text is escaped in HTML");
        let id = digest(Lang::Id, "Lumbung", Period::Weekly, &notices, "s", "u");
        assert_ne!(id.subject, m.subject, "in the reader's language");
    }

    #[test]
    fn a_single_notice_links_and_quotes() {
        let n = notice("t9", "Layanan aduan", "Sari answered your question", 0);
        let m = single(Lang::En, "Lumbung", &n, "s", "u");
        assert_eq!(m.subject, "[Lumbung] Layanan aduan");
        assert!(m.text.contains("https://node.example/threads/t9"));
        assert!(m.html.contains("&lt;script&gt;"));
        assert!(notice_line(Lang::En, "no-such-kind", "Sari").contains("Sari"));
    }
}
