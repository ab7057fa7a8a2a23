//! How complete a case is: which of the fields a full case needs are filled.
//!
//! Imported records often carry only a title and a summary. They are kept and
//! marked incomplete rather than dropped; the score tells curators and readers
//! how much is still to write.

use crate::case::CaseContent;

/// The fields a full case needs, in the order they are reported.
pub const REQUIRED_FOR_FULL_CASE: [&str; 15] = [
    "title",
    "summary",
    "country",
    "level_of_government",
    "organisations",
    "sectors",
    "innovation_facets",
    "lifecycle_stage",
    "year_launched",
    "contact",
    "sections.problem",
    "sections.novelty",
    "sections.how_it_works",
    "sections.results",
    "sections.lessons_learned",
];

/// A completeness score (0–100) and the missing fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub score: u8,
    pub missing: Vec<String>,
}

/// Scores a case's content.
pub fn assess(c: &CaseContent) -> Report {
    let filled = [
        !c.title.is_blank(),
        !c.summary.is_blank(),
        c.country.is_some(),
        c.level_of_government.is_some(),
        !c.organisations.is_empty(),
        !c.sectors.is_empty(),
        !c.innovation_facets.is_empty(),
        c.lifecycle_stage.is_some(),
        c.year_launched.is_some(),
        c.contact.as_ref().is_some_and(|k| k.name.is_some() || k.email.is_some()),
        !c.sections.problem.is_blank(),
        !c.sections.novelty.is_blank(),
        !c.sections.how_it_works.is_blank(),
        !c.sections.results.is_blank(),
        !c.sections.lessons_learned.is_blank(),
    ];
    let missing: Vec<String> =
        REQUIRED_FOR_FULL_CASE.iter().zip(filled).filter(|(_, f)| !f).map(|(name, _)| (*name).to_owned()).collect();
    let total = REQUIRED_FOR_FULL_CASE.len();
    let done = total - missing.len();
    let score = u8::try_from((done * 100 + total / 2) / total).unwrap_or(100);
    Report { score, missing }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    #[test]
    fn title_and_summary_only_is_incomplete() {
        let c = CaseContent {
            title: Text::new("en", "Citizens' assembly"),
            summary: Text::new("en", "An assembly."),
            original_language: "en".into(),
            ..Default::default()
        };
        let r = assess(&c);
        assert_eq!(r.score, 13);
        assert_eq!(r.missing.len(), 13);
        assert!(r.missing.contains(&"country".to_owned()));
        assert!(!r.missing.contains(&"title".to_owned()));
    }

    #[test]
    fn empty_scores_zero() {
        assert_eq!(assess(&CaseContent::default()).score, 0);
    }
}
