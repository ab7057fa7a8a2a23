//! Collections: curated, ordered lists of cases with an introduction
//! ("Top innovations 2024", "Complaint handling across ASEAN").

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::text::Text;
use crate::validate::{self, MAX_SECTION, MAX_TITLE, ValidationErrors};

/// Most cases in one collection.
pub const MAX_CASES: usize = 200;

/// What a curator writes about a collection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct CollectionContent {
    /// Title per language.
    pub title: Text,
    /// Introduction per language (Markdown).
    pub introduction: Text,
    /// Ids of this node's cases, in the order the collection shows them.
    pub cases: Vec<String>,
}

impl CollectionContent {
    pub fn normalised(mut self) -> CollectionContent {
        self.title = self.title.normalised();
        self.introduction = self.introduction.normalised();
        self.cases = self.cases.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        self
    }
}

/// A stored collection. Its id is a slug such as `top-innovations-2024`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Collection {
    #[schema(example = "complaint-handling-asean")]
    pub id: String,
    #[serde(flatten)]
    pub content: CollectionContent,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Checks a collection (its id too when it is new).
pub fn validate_collection(
    id: Option<&str>,
    c: &CollectionContent,
    case_exists: &dyn Fn(&str) -> bool,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if let Some(id) = id {
        if !crate::organisation::valid_slug(id) {
            e.add("id", "invalid", "a collection id is a slug such as `top-innovations-2024` (a-z, 0-9, -; 2–64)");
        }
    }
    if !c.title.0.keys().any(|l| l == "en" || l == "id") {
        e.add("title", "required", "give the title in English, Bahasa Indonesia or both");
    }
    validate::text(&mut e, "title", &c.title, MAX_TITLE);
    validate::text(&mut e, "introduction", &c.introduction, MAX_SECTION);
    if c.cases.is_empty() {
        e.add("cases", "required", "a collection lists at least one case");
    }
    if c.cases.len() > MAX_CASES {
        e.add("cases", "too_long", format!("at most {MAX_CASES} cases ({} given)", c.cases.len()));
    }
    validate::duplicates(&mut e, "cases", &c.cases);
    for (i, id) in c.cases.iter().enumerate().take(MAX_CASES) {
        if id.len() > 64 || !case_exists(id) {
            e.add(
                format!("cases[{i}]"),
                "unknown_value",
                format!("no case '{}' on this node", id.chars().take(64).collect::<String>()),
            );
        }
    }
    e.into_result()
}
