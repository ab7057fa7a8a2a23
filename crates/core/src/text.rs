//! Translatable text: one string per language code, e.g. `{"en": "…", "id": "…"}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Text held per language (ISO 639-1 code → text). Empty strings count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = BTreeMap<String, String>, example = json!({"en": "One-stop public service mall", "id": "Mal Pelayanan Publik"}))]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    /// Text in one language.
    pub fn new(lang: &str, text: impl Into<String>) -> Self {
        let mut map = BTreeMap::new();
        map.insert(lang.to_owned(), text.into());
        Text(map)
    }

    /// Adds or replaces the text in one language.
    pub fn with(mut self, lang: &str, text: impl Into<String>) -> Self {
        self.0.insert(lang.to_owned(), text.into());
        self
    }

    /// The text in this language, if it is there and not blank.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str).filter(|s| !s.trim().is_empty())
    }

    /// Whether no language has any non-blank text.
    pub fn is_blank(&self) -> bool {
        self.0.values().all(|s| s.trim().is_empty())
    }

    /// The text in `lang`, else in `fallback`, else in any language.
    pub fn best(&self, lang: &str, fallback: &str) -> Option<&str> {
        self.get(lang)
            .or_else(|| self.get(fallback))
            .or_else(|| self.0.values().map(String::as_str).find(|s| !s.trim().is_empty()))
    }

    /// Languages that have non-blank text.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, _)| k.as_str())
    }

    /// Drops languages whose text is blank and trims the rest.
    pub fn normalised(self) -> Self {
        Text(
            self.0
                .into_iter()
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
        )
    }
}
