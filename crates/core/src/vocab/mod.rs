//! Controlled vocabularies and lookups over them.

mod places;
mod terms;

pub use places::{Place, PlaceKind, id_place, id_place_terms, id_places, match_id_place, province_of};
pub use terms::*;

/// A named vocabulary as the API lists it.
#[derive(Debug, Clone, Copy)]
pub struct Vocabulary {
    pub name: &'static str,
    pub terms: &'static [Term],
}

/// Every vocabulary, under the name the API and validation messages use.
pub fn all() -> [Vocabulary; 13] {
    [
        Vocabulary { name: "countries", terms: COUNTRIES },
        Vocabulary { name: "sectors", terms: SECTORS },
        Vocabulary { name: "levels_of_government", terms: LEVELS_OF_GOVERNMENT },
        Vocabulary { name: "innovation_facets", terms: INNOVATION_FACETS },
        Vocabulary { name: "lifecycle_stages", terms: LIFECYCLE_STAGES },
        Vocabulary { name: "sdgs", terms: SDGS },
        Vocabulary { name: "organisation_types", terms: ORGANISATION_TYPES },
        Vocabulary { name: "operating_statuses", terms: OPERATING_STATUSES },
        Vocabulary { name: "workflow_statuses", terms: WORKFLOW_STATUSES },
        Vocabulary { name: "roles", terms: ROLES },
        Vocabulary { name: "languages", terms: LANGUAGES },
        Vocabulary { name: "nomination_states", terms: NOMINATION_STATES },
        Vocabulary { name: "id_places", terms: id_place_terms() },
    ]
}

/// The term with this code, if the vocabulary has it.
pub fn find(terms: &'static [Term], code: &str) -> Option<&'static Term> {
    terms.iter().find(|t| t.code == code)
}

/// Whether the vocabulary has this code.
pub fn contains(terms: &'static [Term], code: &str) -> bool {
    find(terms, code).is_some()
}

impl Term {
    /// The label in the given interface language, English when there is none.
    pub fn label(&self, lang: &str) -> &'static str {
        if lang == "id" { self.id } else { self.en }
    }
}
