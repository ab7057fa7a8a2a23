//! Interface translations: Fluent files under `crates/web/locales/<lang>/`,
//! compiled into the binary. English and Bahasa Indonesia ship; a test fails
//! when a message exists in one and not the other, or when a page asks for a
//! message that exists in neither.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Id,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Id];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "id" | "in" => Some(Lang::Id),
            _ => None,
        }
    }

    /// The other shipped language (the switch offers it).
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Id,
            Lang::Id => Lang::En,
        }
    }

    /// The language's own name, as the switch shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Id => "Bahasa Indonesia",
        }
    }

    /// The best shipped language for an `Accept-Language` header (q-values honoured).
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.split(',').take(20) {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or("").trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

/// The Fluent sources, per language, in load order.
pub const SOURCES: [(&str, &[(&str, &str)]); 2] = [
    (
        "en",
        &[
            ("main.ftl", include_str!("../../locales/en/main.ftl")),
            ("case.ftl", include_str!("../../locales/en/case.ftl")),
            ("submit.ftl", include_str!("../../locales/en/submit.ftl")),
            ("admin.ftl", include_str!("../../locales/en/admin.ftl")),
            ("dialogue.ftl", include_str!("../../locales/en/dialogue.ftl")),
            ("mail.ftl", include_str!("../../locales/en/mail.ftl")),
            ("map.ftl", include_str!("../../locales/en/map.ftl")),
            ("events.ftl", include_str!("../../locales/en/events.ftl")),
            ("diffusion.ftl", include_str!("../../locales/en/diffusion.ftl")),
            ("resources.ftl", include_str!("../../locales/en/resources.ftl")),
            ("members.ftl", include_str!("../../locales/en/members.ftl")),
        ],
    ),
    (
        "id",
        &[
            ("main.ftl", include_str!("../../locales/id/main.ftl")),
            ("case.ftl", include_str!("../../locales/id/case.ftl")),
            ("submit.ftl", include_str!("../../locales/id/submit.ftl")),
            ("admin.ftl", include_str!("../../locales/id/admin.ftl")),
            ("dialogue.ftl", include_str!("../../locales/id/dialogue.ftl")),
            ("mail.ftl", include_str!("../../locales/id/mail.ftl")),
            ("map.ftl", include_str!("../../locales/id/map.ftl")),
            ("events.ftl", include_str!("../../locales/id/events.ftl")),
            ("diffusion.ftl", include_str!("../../locales/id/diffusion.ftl")),
            ("resources.ftl", include_str!("../../locales/id/resources.ftl")),
            ("members.ftl", include_str!("../../locales/id/members.ftl")),
        ],
    ),
];

struct Bundles {
    en: FluentBundle<FluentResource>,
    id: FluentBundle<FluentResource>,
}

fn build(lang: &str, files: &[(&str, &str)]) -> FluentBundle<FluentResource> {
    let langid = lang.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks would show up as stray characters in attributes and tests.
    bundle.set_use_isolating(false);
    for (name, source) in files {
        match FluentResource::try_new((*source).to_owned()) {
            Ok(res) => {
                if let Err(errors) = bundle.add_resource(res) {
                    tracing::error!(file = name, lang, ?errors, "duplicate messages in a translation file");
                }
            }
            Err((res, errors)) => {
                tracing::error!(file = name, lang, ?errors, "syntax errors in a translation file");
                let _ = bundle.add_resource(res);
            }
        }
    }
    bundle
}

fn bundles() -> &'static Bundles {
    static BUNDLES: OnceLock<Bundles> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        let [(_, en), (_, id)] = SOURCES;
        Bundles { en: build("en", en), id: build("id", id) }
    })
}

/// A translator for one language: what templates call as `tr.t("key")`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    fn bundle(&self) -> &'static FluentBundle<FluentResource> {
        match self.lang {
            Lang::En => &bundles().en,
            Lang::Id => &bundles().id,
        }
    }

    /// The message `key`; the key itself when it is missing (a test keeps that from shipping).
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one variable.
    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        let mut args = FluentArgs::new();
        args.set(name, value.to_string());
        self.format(key, Some(&args))
    }

    /// The message `key` with two text variables.
    pub fn t2(&self, key: &str, a: (&str, &str), b: (&str, &str)) -> String {
        let mut args = FluentArgs::new();
        args.set(a.0, a.1.to_owned());
        args.set(b.0, b.1.to_owned());
        self.format(key, Some(&args))
    }

    /// The message `key` with a number variable (plural rules apply).
    pub fn tn(&self, key: &str, name: &str, value: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value));
        self.format(key, Some(&args))
    }

    /// The message `key` with two number variables (plural rules apply to each).
    pub fn tn2(&self, key: &str, a: (&str, i64), b: (&str, i64)) -> String {
        let mut args = FluentArgs::new();
        args.set(a.0, FluentValue::from(a.1));
        args.set(b.0, FluentValue::from(b.1));
        self.format(key, Some(&args))
    }

    /// The message `key` with several variables.
    pub fn targs(&self, key: &str, vars: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (k, v) in vars {
            args.set(*k, (*v).to_owned());
        }
        self.format(key, Some(&args))
    }

    /// Whether a message exists (for optional per-field guidance).
    pub fn has(&self, key: &str) -> bool {
        self.bundle().has_message(key)
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.lang.code(), "missing translation");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        let out: Cow<str> = bundle.format_pattern(pattern, args, &mut errors);
        out.into_owned()
    }

    /// A controlled-vocabulary label in this language (the code when unknown).
    pub fn term(&self, terms: &'static [lumbung_core::vocab::Term], code: &str) -> String {
        lumbung_core::vocab::find(terms, code)
            .map(|t| t.label(self.lang.code()).to_owned())
            .unwrap_or_else(|| code.into())
    }
}

/// Every message id in one language's files (lines `id = …` at the start of a line).
pub fn message_ids(lang: &str) -> std::collections::BTreeSet<String> {
    let mut ids = std::collections::BTreeSet::new();
    for (l, files) in SOURCES {
        if l != lang {
            continue;
        }
        for (_, source) in files {
            for line in source.lines() {
                let Some((id, _)) = line.split_once('=') else { continue };
                let id = id.trim_end();
                let is_id = id.starts_with(|c: char| c.is_ascii_alphabetic())
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if is_id {
                    ids.insert(id.to_owned());
                }
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_without_errors() {
        for (lang, files) in SOURCES {
            for (name, source) in files {
                if let Err((_, errors)) = FluentResource::try_new((*source).to_owned()) {
                    panic!("{lang}/{name}: {errors:?}");
                }
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        let en = message_ids("en");
        let id = message_ids("id");
        let only_en: Vec<_> = en.difference(&id).collect();
        let only_id: Vec<_> = id.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in Bahasa Indonesia: {only_en:?}");
        assert!(only_id.is_empty(), "missing in English: {only_id:?}");
        assert!(en.len() > 50, "only {} messages", en.len());
    }

    /// Every `t("…")`, `t1("…"`, `tn("…"`, `targs("…"` in templates and page code names a message.
    #[test]
    fn every_message_a_page_asks_for_exists() {
        let en = message_ids("en");
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut missing = Vec::new();
        let mut seen = 0;
        let mut stack =
            vec![std::path::PathBuf::from(root).join("templates"), std::path::PathBuf::from(root).join("src/html")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for call in ["t(\"", "t1(\"", "tn(\"", "targs(\""] {
                    for (i, _) in text.match_indices(call) {
                        // Only calls of the translator: `.t("` and friends.
                        if i == 0 || !text[..i].ends_with('.') {
                            continue;
                        }
                        let rest = &text[i + call.len()..];
                        let key: String = rest.chars().take_while(|c| *c != '"').collect();
                        if key.is_empty() || key.contains('{') {
                            continue;
                        }
                        seen += 1;
                        if !en.contains(&key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "messages asked for but not defined: {missing:#?}");
        assert!(seen > 50, "only {seen} translated strings found in pages");
    }

    #[test]
    fn accept_language_picks_the_preferred_shipped_language() {
        assert_eq!(Lang::negotiate("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Id));
        assert_eq!(Lang::negotiate("fr-FR, en;q=0.5, id;q=0.4"), Some(Lang::En));
        assert_eq!(Lang::negotiate("fr"), None);
        assert_eq!(Lang::negotiate("en;q=0, id;q=0.1"), Some(Lang::Id));
    }

    #[test]
    fn variables_and_plurals_format() {
        let en = Tr::new(Lang::En);
        assert_eq!(en.tn("search-results-count", "count", 1), "1 case");
        assert_eq!(en.tn("search-results-count", "count", 3), "3 cases");
        assert_eq!(Tr::new(Lang::Id).tn("search-results-count", "count", 3), "3 kasus");
    }
}
