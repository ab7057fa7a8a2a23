//! Validation of everything people and machines write. Every rule lives here
//! and every problem is reported at once, each naming its field, so that a form
//! or an API client can fix them all in one go.

use serde::Serialize;
use utoipa::ToSchema;

use crate::case::CaseContent;
use crate::organisation::{OrganisationContent, valid_slug};
use crate::text::Text;
use crate::vocab;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 300;
/// Longest summary, in characters.
pub const MAX_SUMMARY: usize = 5_000;
/// Longest narrative section, in characters.
pub const MAX_SECTION: usize = 20_000;
/// Longest short text (region, city, tag, link title…), in characters.
pub const MAX_SHORT: usize = 200;
/// Most entries in one list field.
pub const MAX_LIST: usize = 50;

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's path, e.g. `title`, `sectors[2]`, `sections.problem.id`.
    pub field: String,
    /// A stable machine code: `required`, `unknown_value`, `too_long`, `invalid`, `out_of_range`, `duplicate`.
    pub code: &'static str,
    /// A readable explanation in English; `code` is the key for translations.
    pub message: String,
}

/// All problems found in one record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ValidationErrors {
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn add(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError { field: field.into(), code, message: message.into() });
    }

    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Validates a case's content. `org_exists` answers whether an organisation id
/// is known on this node.
pub fn validate_case(c: &CaseContent, org_exists: &dyn Fn(&str) -> bool) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();

    if c.original_language.is_empty() {
        e.add("original_language", "required", "original_language is required");
    } else if !vocab::contains(vocab::LANGUAGES, &c.original_language) {
        e.add("original_language", "unknown_value", format!("'{}' is not a known language code", c.original_language));
    }
    if c.title.is_blank() {
        e.add("title", "required", "a title is required in at least one language");
    } else if !c.original_language.is_empty() && c.title.get(&c.original_language).is_none() {
        e.add(format!("title.{}", c.original_language), "required", "the title is required in the original language");
    }
    text(&mut e, "title", &c.title, MAX_TITLE);
    text(&mut e, "summary", &c.summary, MAX_SUMMARY);
    for (name, section) in c.sections.iter() {
        text(&mut e, &format!("sections.{name}"), section, MAX_SECTION);
    }

    code(&mut e, "country", c.country.as_deref(), vocab::COUNTRIES, "country code");
    short(&mut e, "region", c.region.as_deref());
    short(&mut e, "city", c.city.as_deref());
    if let Some(code) = c.place.as_deref() {
        match vocab::id_place(code) {
            None => e.add(
                "place",
                "unknown_value",
                format!("'{}' is not an official place code of Indonesia", code.chars().take(20).collect::<String>()),
            ),
            Some(_) if c.country.as_deref() != Some("ID") => e.add(
                "place",
                "invalid",
                "official place codes are Indonesia's: set the country to ID or leave the place out",
            ),
            Some(place) => {
                // The free-text region must not name another province.
                let named = vocab::match_id_place(c.region.as_deref(), None).and_then(vocab::province_of);
                let own = vocab::province_of(place);
                if let (Some(named), Some(own)) = (named, own) {
                    if named.code != own.code {
                        e.add(
                            "place",
                            "invalid",
                            format!("{} lies in {}, but the region says {}", place.name, own.name, named.name),
                        );
                    }
                }
            }
        }
    }
    code(
        &mut e,
        "level_of_government",
        c.level_of_government.as_deref(),
        vocab::LEVELS_OF_GOVERNMENT,
        "level of government",
    );
    code(&mut e, "lifecycle_stage", c.lifecycle_stage.as_deref(), vocab::LIFECYCLE_STAGES, "lifecycle stage");
    code(&mut e, "operating_status", c.operating_status.as_deref(), vocab::OPERATING_STATUSES, "operating status");

    codes(&mut e, "sectors", &c.sectors, vocab::SECTORS, "sector");
    codes(&mut e, "innovation_facets", &c.innovation_facets, vocab::INNOVATION_FACETS, "innovation facet");
    list_len(&mut e, "organisations", c.organisations.len());
    for (i, org) in c.organisations.iter().enumerate() {
        if !org_exists(org) {
            e.add(format!("organisations[{i}]"), "unknown_value", format!("no organisation with id '{org}'"));
        }
    }
    duplicates(&mut e, "organisations", &c.organisations);
    list_len(&mut e, "partners", c.partners.len());
    for (i, p) in c.partners.iter().enumerate() {
        short(&mut e, &format!("partners[{i}]"), Some(p));
    }
    list_len(&mut e, "tags", c.tags.len());
    for (i, t) in c.tags.iter().enumerate() {
        short(&mut e, &format!("tags[{i}]"), Some(t));
    }
    for (i, sdg) in c.sdgs.iter().enumerate() {
        if !(1..=17).contains(sdg) {
            e.add(format!("sdgs[{i}]"), "out_of_range", format!("{sdg} is not a Sustainable Development Goal (1–17)"));
        }
    }
    duplicates(&mut e, "sdgs", &c.sdgs);

    let this_year = crate::clock::today().year();
    if let Some(y) = c.year_launched {
        if !(1900..=this_year + 1).contains(&y) {
            e.add("year_launched", "out_of_range", format!("year launched must be between 1900 and {}", this_year + 1));
        }
    }
    url(&mut e, "website", c.website.as_deref());
    url(&mut e, "source_url", c.source_url.as_deref());
    list_len(&mut e, "links", c.links.len());
    for (i, link) in c.links.iter().enumerate() {
        if link.url.is_empty() {
            e.add(format!("links[{i}].url"), "required", "a link needs a URL");
        } else {
            url(&mut e, &format!("links[{i}].url"), Some(&link.url));
        }
        short(&mut e, &format!("links[{i}].title"), link.title.as_deref());
    }
    if let Some(contact) = &c.contact {
        short(&mut e, "contact.name", contact.name.as_deref());
        short(&mut e, "contact.organisation", contact.organisation.as_deref());
        if let Some(email) = &contact.email {
            if !valid_email(email) {
                e.add("contact.email", "invalid", format!("'{email}' is not an e-mail address"));
            }
        }
    }
    if c.operating_status.as_deref() == Some("discontinued") && c.operating_status_date.is_none() {
        e.add("operating_status_date", "required", "say when the innovation was discontinued");
    }
    if let Some(d) = c.last_confirmed {
        if d > crate::clock::today() {
            e.add("last_confirmed", "out_of_range", "the last confirmed date cannot be in the future");
        }
    }
    e.into_result()
}

/// Validates an organisation. `id` is the slug it is (or will be) stored under.
pub fn validate_organisation(
    id: &str,
    o: &OrganisationContent,
    org_exists: &dyn Fn(&str) -> bool,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if !valid_slug(id) {
        e.add("id", "invalid", "an organisation id is 2–64 lower-case letters, digits and hyphens");
    }
    if o.name.is_blank() {
        e.add("name", "required", "a name is required in at least one language");
    }
    text(&mut e, "name", &o.name, MAX_SHORT);
    short(&mut e, "acronym", o.acronym.as_deref());
    if o.org_type.is_empty() {
        e.add("org_type", "required", "the type of organisation is required");
    } else {
        code(&mut e, "org_type", Some(&o.org_type), vocab::ORGANISATION_TYPES, "organisation type");
    }
    code(
        &mut e,
        "level_of_government",
        o.level_of_government.as_deref(),
        vocab::LEVELS_OF_GOVERNMENT,
        "level of government",
    );
    code(&mut e, "country", o.country.as_deref(), vocab::COUNTRIES, "country code");
    if let Some(parent) = &o.parent {
        if parent == id {
            e.add("parent", "invalid", "an organisation cannot be its own parent");
        } else if !org_exists(parent) {
            e.add("parent", "unknown_value", format!("no organisation with id '{parent}'"));
        }
    }
    url(&mut e, "website", o.website.as_deref());
    e.into_result()
}

/// Whether making `parent` the parent of `id` would close a loop (`id` is
/// already among `parent`'s ancestors). `parent_of` gives each organisation's
/// current parent.
pub fn creates_parent_cycle(id: &str, parent: &str, parent_of: &dyn Fn(&str) -> Option<String>) -> bool {
    let mut current = Some(parent.to_owned());
    // A chain longer than this is itself a loop that does not pass through `id`.
    for _ in 0..10_000 {
        match current {
            None => return false,
            Some(p) if p == id => return true,
            Some(p) => current = parent_of(&p),
        }
    }
    true
}

/// A plausible e-mail address: one `@`, something either side, no spaces.
pub fn valid_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None)
        if !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.'))
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && s.len() <= 254
}

pub(crate) fn text(e: &mut ValidationErrors, field: &str, t: &Text, max: usize) {
    for (lang, value) in &t.0 {
        if !vocab::contains(vocab::LANGUAGES, lang) {
            e.add(format!("{field}.{lang}"), "unknown_value", format!("'{lang}' is not a known language code"));
        }
        let len = value.chars().count();
        if len > max {
            e.add(format!("{field}.{lang}"), "too_long", format!("at most {max} characters ({len} given)"));
        }
        if has_bad_control(value) {
            e.add(format!("{field}.{lang}"), "invalid", "contains control characters");
        }
    }
}

pub(crate) fn short(e: &mut ValidationErrors, field: &str, value: Option<&str>) {
    if let Some(v) = value {
        let len = v.chars().count();
        if len > MAX_SHORT {
            e.add(field, "too_long", format!("at most {MAX_SHORT} characters ({len} given)"));
        }
        if v.chars().any(char::is_control) {
            e.add(field, "invalid", "contains control characters");
        }
    }
}

fn code(e: &mut ValidationErrors, field: &str, value: Option<&str>, terms: &'static [vocab::Term], what: &str) {
    if let Some(v) = value {
        if !vocab::contains(terms, v) {
            e.add(field, "unknown_value", format!("'{v}' is not a known {what}"));
        }
    }
}

pub(crate) fn codes(
    e: &mut ValidationErrors,
    field: &str,
    values: &[String],
    terms: &'static [vocab::Term],
    what: &str,
) {
    list_len(e, field, values.len());
    for (i, v) in values.iter().enumerate() {
        code(e, &format!("{field}[{i}]"), Some(v), terms, what);
    }
    duplicates(e, field, values);
}

pub(crate) fn list_len(e: &mut ValidationErrors, field: &str, len: usize) {
    if len > MAX_LIST {
        e.add(field, "too_long", format!("at most {MAX_LIST} entries ({len} given)"));
    }
}

pub(crate) fn duplicates<T: PartialEq + std::fmt::Display>(e: &mut ValidationErrors, field: &str, values: &[T]) {
    for (i, v) in values.iter().enumerate() {
        if values.iter().take(i).any(|w| w == v) {
            e.add(format!("{field}[{i}]"), "duplicate", format!("'{v}' is listed twice"));
        }
    }
}

pub(crate) fn url(e: &mut ValidationErrors, field: &str, value: Option<&str>) {
    if let Some(v) = value {
        // The URL parser silently drops tabs and line breaks and encodes spaces,
        // but the text is stored as given: refuse them rather than keep them.
        if v.chars().any(|c| c.is_control() || c.is_whitespace()) {
            e.add(field, "invalid", "a URL cannot contain spaces or control characters");
            return;
        }
        match url::Url::parse(v) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() && v.len() <= 2_000 => {}
            _ => e.add(field, "invalid", format!("'{}' is not an http(s) URL", truncate(v, 80))),
        }
    }
}

fn has_bad_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_owned() } else { s.chars().take(max).collect::<String>() + "…" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Link;

    fn no_orgs(_: &str) -> bool {
        false
    }

    #[test]
    fn reports_every_problem_at_once() {
        let c = CaseContent {
            original_language: "xx".into(),
            country: Some("ZZ".into()),
            sectors: vec!["health".into(), "space".into(), "health".into()],
            sdgs: vec![3, 18],
            year_launched: Some(1800),
            website: Some("javascript:alert(1)".into()),
            links: vec![Link { url: "ftp://x".into(), title: None }],
            organisations: vec!["nobody".into()],
            ..Default::default()
        };
        let err = validate_case(&c, &no_orgs).err().unwrap_or_default();
        let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "original_language",
            "title",
            "country",
            "sectors[1]",
            "sectors[2]",
            "sdgs[1]",
            "year_launched",
            "website",
            "links[0].url",
            "organisations[0]",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn a_minimal_case_is_valid() {
        let c = CaseContent {
            original_language: "id".into(),
            title: Text::new("id", "Mal Pelayanan Publik"),
            ..Default::default()
        };
        assert_eq!(validate_case(&c, &no_orgs), Ok(()));
    }

    #[test]
    fn title_must_exist_in_original_language() {
        let c = CaseContent {
            original_language: "id".into(),
            title: Text::new("en", "Public service mall"),
            ..Default::default()
        };
        let err = validate_case(&c, &no_orgs).err().unwrap_or_default();
        assert_eq!(err.errors.first().map(|e| e.field.as_str()), Some("title.id"));
    }

    #[test]
    fn urls_with_spaces_or_control_characters_are_refused() {
        for bad in
            ["https://exa\tmple.org/", "https://example.org/\nx", "https://example.org/a b", "javascript:alert(1)"]
        {
            let c = CaseContent {
                original_language: "en".into(),
                title: Text::new("en", "x"),
                website: Some(bad.into()),
                ..Default::default()
            };
            let err = validate_case(&c, &no_orgs).err().unwrap_or_default();
            assert_eq!(err.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["website"], "{bad:?}");
        }
    }

    #[test]
    fn parent_cycles() {
        let parents = |o: &str| match o {
            "b" => Some("a".to_owned()),
            "c" => Some("b".to_owned()),
            _ => None,
        };
        assert!(creates_parent_cycle("a", "c", &parents));
        assert!(creates_parent_cycle("a", "a", &parents));
        assert!(!creates_parent_cycle("c", "a", &parents));
        assert!(!creates_parent_cycle("d", "c", &parents));
    }

    #[test]
    fn emails() {
        assert!(valid_email("a@example.org"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a b@example.org"));
        assert!(!valid_email("@example.org"));
    }
}
