//! Diffusion: a case records that it replicates, adapts, scales up or was
//! inspired by another case (here or on another node), with what was changed,
//! where and when. This module holds the kinds, the limits and the checks on
//! a link's own fields; the application layer resolves the target.

use serde::{Deserialize, Serialize};

use crate::validate::ValidationErrors;
use crate::vocab;

/// The longest "what was changed" text, in characters.
pub const MAX_CHANGES: usize = 2_000;
/// The longest region name, in characters.
pub const MAX_REGION: usize = 200;
/// The longest target title carried by a link (harvested links name remote cases).
pub const MAX_TARGET_TITLE: usize = 300;
/// The most links one case may record (bounds what a harvested record may carry).
pub const MAX_LINKS_PER_CASE: usize = 50;
/// The earliest year a link may name.
pub const MIN_YEAR: i32 = 1900;

/// How a case descends from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The same innovation, copied as it was.
    Replicates,
    /// Taken over with changes.
    Adapts,
    /// Grown from a smaller scope (a city's service made national).
    ScalesUp,
    /// An idea taken, built differently.
    InspiredBy,
}

impl LinkKind {
    pub const ALL: [LinkKind; 4] = [LinkKind::Replicates, LinkKind::Adapts, LinkKind::ScalesUp, LinkKind::InspiredBy];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Replicates => "replicates",
            LinkKind::Adapts => "adapts",
            LinkKind::ScalesUp => "scales_up",
            LinkKind::InspiredBy => "inspired_by",
        }
    }

    pub fn parse(s: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for LinkKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A global case identifier, `oai:<node>:case/<ULID>`, split into node and id;
/// None when `s` is not one.
pub fn parse_global_id(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix("oai:")?;
    let (node, id) = rest.split_once(":case/")?;
    let node_ok = !node.is_empty()
        && node.len() <= 64
        && node.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    (node_ok && is_ulid(id)).then_some((node, id))
}

/// Whether `s` is a ULID as this node writes them (26 Crockford base-32 capitals).
pub fn is_ulid(s: &str) -> bool {
    s.len() == 26
        && s.bytes().all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !matches!(b, b'I' | b'L' | b'O' | b'U')))
}

/// The case id a case page URL names (`…/cases/<ULID>`, optionally followed by
/// a query or fragment); None when the URL is not one.
pub fn case_id_in_url(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let path = rest.split(['?', '#']).next()?;
    let (_, after) = path.split_once("/cases/")?;
    let id = after.trim_end_matches('/');
    is_ulid(id).then_some(id)
}

/// The fields of a link the author writes about the adoption itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkDetails {
    pub changes: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub year: Option<i32>,
}

/// Checks a link's own fields (all errors at once). `this_year` bounds `year`.
pub fn validate_details(d: &LinkDetails, this_year: i32, e: &mut ValidationErrors) {
    if let Some(c) = &d.changes {
        let len = c.chars().count();
        if len > MAX_CHANGES {
            e.add("changes", "too_long", format!("at most {MAX_CHANGES} characters ({len} given)"));
        }
        if c.chars().any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t')) {
            e.add("changes", "invalid", "contains control characters");
        }
    }
    if let Some(c) = &d.country {
        if !vocab::contains(vocab::COUNTRIES, c) {
            e.add("country", "unknown_value", format!("'{}' is not a known country code", clip(c)));
        }
    }
    if let Some(r) = &d.region {
        let len = r.chars().count();
        if len > MAX_REGION {
            e.add("region", "too_long", format!("at most {MAX_REGION} characters ({len} given)"));
        }
        if r.chars().any(char::is_control) {
            e.add("region", "invalid", "contains control characters");
        }
    }
    if let Some(y) = d.year {
        if y < MIN_YEAR || y > this_year + 1 {
            e.add("year", "out_of_range", format!("a year from {MIN_YEAR} to {}", this_year + 1));
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_are_parsed_strictly() {
        assert_eq!(
            parse_global_id("oai:id.kemenpan:case/01HZX3K9V7Q2M5N8P4R6S1T0AB"),
            Some(("id.kemenpan", "01HZX3K9V7Q2M5N8P4R6S1T0AB"))
        );
        for bad in [
            "",
            "oai::case/01HZX3K9V7Q2M5N8P4R6S1T0AB",
            "oai:ID:case/01HZX3K9V7Q2M5N8P4R6S1T0AB",
            "oai:id:case/01HZX3K9V7Q2M5N8P4R6S1T0A",
            "oai:id:case/01HZX3K9V7Q2M5N8P4R6S1T0AI",
            "oai:id:org/01HZX3K9V7Q2M5N8P4R6S1T0AB",
            "oai:a b:case/01HZX3K9V7Q2M5N8P4R6S1T0AB",
        ] {
            assert_eq!(parse_global_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn case_urls_name_their_case() {
        assert_eq!(
            case_id_in_url("https://lumbung.go.id/cases/01HZX3K9V7Q2M5N8P4R6S1T0AB?lang=id"),
            Some("01HZX3K9V7Q2M5N8P4R6S1T0AB")
        );
        assert_eq!(case_id_in_url("ftp://x/cases/01HZX3K9V7Q2M5N8P4R6S1T0AB"), None);
        assert_eq!(case_id_in_url("https://x/organisations/lan"), None);
    }

    #[test]
    fn details_are_bounded() {
        let mut e = ValidationErrors::default();
        let d = LinkDetails {
            changes: Some("x\u{7}".into()),
            country: Some("XX".into()),
            region: Some("r".repeat(201)),
            year: Some(1800),
        };
        validate_details(&d, 2026, &mut e);
        assert_eq!(e.errors.len(), 4);
    }
}
