//! The index schema: per-language text fields, facet fields, sort fields.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis;

/// Languages with their own analysed fields; text in any other language goes
/// to the `*_x` fields (folded, not stemmed).
pub const LANGS: [&str; 3] = ["en", "id", "x"];

/// Facets, by the name the API uses, and their index field.
pub const FACETS: [(&str, &str); 12] = [
    ("country", "f_country"),
    ("level", "f_level"),
    ("sector", "f_sector"),
    ("facet", "f_facet"),
    ("stage", "f_stage"),
    ("sdg", "f_sdg"),
    ("year", "f_year"),
    ("organisation_type", "f_org_type"),
    ("origin", "f_origin"),
    ("operating_status", "f_operating_status"),
    ("completeness", "f_completeness"),
    ("confirmed", "f_confirmed"),
];

/// Every field, looked up once.
#[derive(Clone, Debug)]
pub struct Fields {
    pub schema: Schema,
    pub id: Field,
    /// Text fields of English, Indonesian and every other language.
    pub en: LangFields,
    pub id_lang: LangFields,
    pub x: LangFields,
    pub suggest: Field,
    pub facets: [Field; 12],
    pub organisation: Field,
    pub published: Field,
    /// The case's stored display data (JSON): titles, origin, classification.
    pub display: Field,
    /// What a document is: [`KIND_CASE`], [`KIND_DISCUSSION`] or
    /// [`KIND_RESOURCE`]. Searches ask for cases unless they name kinds.
    pub kind: Field,
}

/// The kind of a published case's document.
pub const KIND_CASE: &str = "case";
/// The kind of a public discussion's document (a thread of a public room or
/// of a published case).
pub const KIND_DISCUSSION: &str = "discussion";
/// The kind of a resource's document (a guide, toolkit, report…).
pub const KIND_RESOURCE: &str = "resource";
/// Every kind, in the order facets list them.
pub const KINDS: [&str; 3] = [KIND_CASE, KIND_DISCUSSION, KIND_RESOURCE];

/// The text fields of one language.
#[derive(Clone, Copy, Debug)]
pub struct LangFields {
    pub title: Field,
    pub summary: Field,
    pub body: Field,
}

impl LangFields {
    /// Title, summary and body with their weights. A title weighed more
    /// than a summary let one common word in a short title ("public")
    /// outrank the specific words of the summary (tuned on the judged set's
    /// tuning part: title 3 → 2, see `search::EXPANSION_BOOST`).
    pub fn weighted(&self) -> [(Field, f32); 3] {
        [(self.title, 2.0), (self.summary, 2.0), (self.body, 1.0)]
    }

    pub fn all(&self) -> [Field; 3] {
        [self.title, self.summary, self.body]
    }
}

fn text(analyser: &str, stored: bool) -> TextOptions {
    let indexing =
        TextFieldIndexing::default().set_tokenizer(analyser).set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored { options.set_stored() } else { options }
}

impl Fields {
    pub fn build() -> Fields {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | STORED);
        let analyser = |lang: &str| if lang == "x" { analysis::FOLDED } else { analysis::analyser_for(lang) };
        let mut lang = |l: &str| LangFields {
            title: b.add_text_field(&format!("title_{l}"), text(analyser(l), true)),
            summary: b.add_text_field(&format!("summary_{l}"), text(analyser(l), true)),
            body: b.add_text_field(&format!("body_{l}"), text(analyser(l), true)),
        };
        let (en, id_lang, x) = (lang("en"), lang("id"), lang("x"));
        let suggest = b.add_text_field(
            "suggest",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(analysis::PREFIX).set_index_option(IndexRecordOption::Basic),
            ),
        );
        let facets = FACETS.map(|(_, field)| b.add_text_field(field, STRING | FAST));
        let organisation = b.add_text_field("f_organisation", STRING | FAST);
        let published = b.add_i64_field("published", INDEXED | FAST);
        let display = b.add_text_field("display", STORED);
        let kind = b.add_text_field("kind", STRING | FAST | STORED);
        Fields { schema: b.build(), id, en, id_lang, x, suggest, facets, organisation, published, display, kind }
    }

    /// The index field of an API facet name.
    pub fn facet(&self, name: &str) -> Option<Field> {
        FACETS.iter().position(|(n, _)| *n == name).and_then(|i| self.facets.get(i).copied())
    }

    /// Index of a content language in `LANGS`.
    pub fn lang_index(lang: &str) -> usize {
        match lang {
            "en" => 0,
            "id" => 1,
            _ => 2,
        }
    }

    /// The text fields of `LANGS[i]`.
    pub fn lang(&self, i: usize) -> LangFields {
        match i {
            0 => self.en,
            1 => self.id_lang,
            _ => self.x,
        }
    }

    /// The text fields of a content language code.
    pub fn for_lang(&self, code: &str) -> LangFields {
        self.lang(Self::lang_index(code))
    }
}
