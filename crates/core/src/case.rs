//! The case record: one public-sector innovation, with OPSI-aligned fields.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::text::Text;
use crate::vocab;
use crate::workflow::Status;

/// Everything an author writes about a case: what create and update requests
/// carry, and what a revision records. Vocabulary fields hold codes (see
/// `GET /api/v1/vocabularies`); validation checks them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct CaseContent {
    /// Title per language; at least one language must have one.
    pub title: Text,
    /// One-paragraph summary per language.
    pub summary: Text,
    /// The language the case was first written in (ISO 639-1).
    #[schema(example = "id")]
    pub original_language: String,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(example = "ID")]
    pub country: Option<String>,
    /// Province, state or region.
    pub region: Option<String>,
    pub city: Option<String>,
    /// In Indonesia: the official Kemendagri code of the province (`35`) or
    /// regency/city (`35.78`), from the `id_places` vocabulary. Implies the
    /// country Indonesia and fills an empty region and city with its names;
    /// when absent, an Indonesian region and city in free text are matched
    /// to it where they can be.
    #[schema(example = "35.78")]
    pub place: Option<String>,
    /// national, regional, local or other.
    pub level_of_government: Option<String>,
    /// Ids of the organisations behind the case.
    pub organisations: Vec<String>,
    /// Partners named in free text.
    pub partners: Vec<String>,
    pub sectors: Vec<String>,
    pub innovation_facets: Vec<String>,
    pub lifecycle_stage: Option<String>,
    /// Sustainable Development Goals, 1 to 17.
    pub sdgs: Vec<u32>,
    pub tags: Vec<String>,
    /// Whether the innovation is digital.
    pub digital: Option<bool>,
    pub year_launched: Option<i32>,
    pub website: Option<String>,
    #[serde(deserialize_with = "objects::one")]
    pub sections: Sections,
    #[serde(deserialize_with = "objects::list")]
    pub links: Vec<Link>,
    #[serde(deserialize_with = "objects::optional")]
    pub contact: Option<Contact>,
    /// active, scaled or discontinued.
    pub operating_status: Option<String>,
    /// When the operating status last changed (required for discontinued).
    pub operating_status_date: Option<Date>,
    /// When someone last confirmed the case is still accurate.
    pub last_confirmed: Option<Date>,
    /// Where the record came from, for imported records.
    pub source_url: Option<String>,
}

/// The narrative sections of a case, each translatable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Sections {
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub problem: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub novelty: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub how_it_works: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub results: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub evidence: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub challenges: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub conditions_for_success: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub replication_potential: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub resources: Text,
    #[serde(skip_serializing_if = "Text::is_blank")]
    pub lessons_learned: Text,
}

impl Sections {
    /// The sections' field names in display order: the one list every form,
    /// page, import and harvest walks.
    pub const NAMES: [&'static str; 10] = [
        "problem",
        "novelty",
        "how_it_works",
        "results",
        "evidence",
        "challenges",
        "conditions_for_success",
        "replication_potential",
        "resources",
        "lessons_learned",
    ];

    /// The section with this field name.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Text> {
        let at = Sections::NAMES.iter().position(|n| *n == name)?;
        self.iter_mut().into_iter().nth(at)
    }

    /// The sections in display order, with their field names.
    pub fn iter(&self) -> [(&'static str, &Text); 10] {
        let [a, b, c, d, e, f, g, h, i, j] = Sections::NAMES;
        [
            (a, &self.problem),
            (b, &self.novelty),
            (c, &self.how_it_works),
            (d, &self.results),
            (e, &self.evidence),
            (f, &self.challenges),
            (g, &self.conditions_for_success),
            (h, &self.replication_potential),
            (i, &self.resources),
            (j, &self.lessons_learned),
        ]
    }

    /// The sections in display order (the order of [`Sections::NAMES`]).
    pub fn iter_mut(&mut self) -> [&mut Text; 10] {
        [
            &mut self.problem,
            &mut self.novelty,
            &mut self.how_it_works,
            &mut self.results,
            &mut self.evidence,
            &mut self.challenges,
            &mut self.conditions_for_success,
            &mut self.replication_potential,
            &mut self.resources,
            &mut self.lessons_learned,
        ]
    }
}

/// A link to evidence, media or further reading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Link {
    pub url: String,
    pub title: Option<String>,
}

/// The public contact for a case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub organisation: Option<String>,
}

/// Where a harvested case came from. Local cases have none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Origin {
    /// The origin node's id, e.g. `id.kemenpan`.
    pub node: String,
    /// The global identifier, `oai:<node-id>:case/<id>`.
    pub identifier: String,
    pub url: Option<String>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub harvested_at: Option<OffsetDateTime>,
}

/// A stored case: the authored content plus what the node keeps about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Case {
    /// ULID, stable for ever.
    pub id: String,
    #[serde(flatten)]
    pub content: CaseContent,
    pub status: Status,
    /// Share of the fields a full case needs that are filled, 0–100.
    pub completeness: u8,
    /// The fields a full case needs that are still empty.
    pub missing: Vec<String>,
    /// Account id of the submitter; private (owner, curators, admins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// The organisation the case belongs to with its author: the one its
    /// author worked for when it was started. Its contributors keep it too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_organisation: Option<String>,
    #[serde(default)]
    pub origin: Option<Origin>,
    /// Optimistic-concurrency version; every change increments it.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub published_at: Option<OffsetDateTime>,
}

impl Case {
    /// Whom the case belongs to, as the permission rules ask it.
    pub fn owners(&self) -> crate::permissions::Owners<'_> {
        crate::permissions::Owners {
            author: self.created_by.as_deref(),
            country: self.content.country.as_deref(),
            organisation: self.owner_organisation.as_deref(),
        }
    }

    /// The fields the node keeps about a case, as named in JSON.
    pub const NODE_FIELDS: [&'static str; 11] = [
        "id",
        "status",
        "completeness",
        "missing",
        "created_by",
        "owner_organisation",
        "origin",
        "version",
        "created_at",
        "updated_at",
        "published_at",
    ];

    /// A new case at version 1, created (and, when `status` is published,
    /// published) at `now`, with its derived fields computed.
    pub fn new(
        id: String,
        content: CaseContent,
        status: Status,
        created_by: Option<String>,
        now: OffsetDateTime,
    ) -> Case {
        let mut case = Case {
            id,
            content,
            status,
            completeness: 0,
            missing: Vec::new(),
            created_by,
            owner_organisation: None,
            origin: None,
            version: 1,
            created_at: now,
            updated_at: now,
            published_at: (status == Status::Published).then_some(now),
        };
        case.refresh_derived();
        case
    }

    /// Recomputes the derived fields (completeness and what is missing).
    pub fn refresh_derived(&mut self) {
        let report = crate::completeness::assess(&self.content);
        self.completeness = report.score;
        self.missing = report.missing;
    }

    /// The title in `lang`, else the original language, else any.
    pub fn display_title(&self, lang: &str) -> &str {
        self.content.title.best(lang, &self.content.original_language).unwrap_or("")
    }
}

impl CaseContent {
    /// An official place code implies Indonesia and names an empty region
    /// (its province) and city (a regency's or city's name); an Indonesian
    /// case without one gets the place its free-text region and city match.
    /// An unknown code is left for validation to report.
    fn settle_place(&mut self) {
        if self.place.is_some() && self.country.is_none() {
            self.country = Some("ID".to_owned());
        }
        if self.country.as_deref() != Some("ID") {
            return;
        }
        if self.place.is_none() {
            self.place = vocab::match_id_place(self.region.as_deref(), self.city.as_deref()).map(|p| p.code.to_owned());
        }
        let Some(place) = self.place.as_deref().and_then(vocab::id_place) else { return };
        if self.region.is_none() {
            self.region = vocab::province_of(place).map(|p| p.name.to_owned());
        }
        if self.city.is_none() && place.kind != vocab::PlaceKind::Province {
            self.city = Some(place.name.to_owned());
        }
    }

    /// The fields a client writes, as named in JSON.
    pub const FIELDS: [&'static str; 25] = [
        "title",
        "summary",
        "original_language",
        "country",
        "region",
        "city",
        "place",
        "level_of_government",
        "organisations",
        "partners",
        "sectors",
        "innovation_facets",
        "lifecycle_stage",
        "sdgs",
        "tags",
        "digital",
        "year_launched",
        "website",
        "sections",
        "links",
        "contact",
        "operating_status",
        "operating_status_date",
        "last_confirmed",
        "source_url",
    ];

    /// Trims text, drops blank translations and empty list entries, and
    /// normalises codes' case, so that stored records compare cleanly.
    pub fn normalised(mut self) -> Self {
        self.title = self.title.normalised();
        self.summary = self.summary.normalised();
        self.original_language = self.original_language.trim().to_ascii_lowercase();
        self.country = trim_opt(self.country).map(|c| c.to_ascii_uppercase());
        self.region = trim_opt(self.region);
        self.city = trim_opt(self.city);
        self.place = trim_opt(self.place);
        self.settle_place();
        self.level_of_government = trim_opt(self.level_of_government);
        self.lifecycle_stage = trim_opt(self.lifecycle_stage);
        self.operating_status = trim_opt(self.operating_status);
        self.website = trim_opt(self.website);
        self.source_url = trim_opt(self.source_url);
        for list in [
            &mut self.organisations,
            &mut self.partners,
            &mut self.sectors,
            &mut self.innovation_facets,
            &mut self.tags,
        ] {
            let cleaned: Vec<String> = list.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
            *list = cleaned;
        }
        for section in self.sections.iter_mut() {
            *section = std::mem::take(section).normalised();
        }
        for link in &mut self.links {
            link.url = link.url.trim().to_owned();
            link.title = trim_opt(link.title.take());
        }
        if let Some(contact) = self.contact.take() {
            let contact = Contact {
                name: trim_opt(contact.name),
                email: trim_opt(contact.email),
                organisation: trim_opt(contact.organisation),
            };
            if contact != Contact::default() {
                self.contact = Some(contact);
            }
        }
        self
    }
}

fn trim_opt(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod section_names {
    use super::*;

    #[test]
    fn names_reach_their_own_fields_in_order() {
        let mut s = Sections::default();
        for name in Sections::NAMES {
            s.get_mut(name).map(|t| t.0.insert("en".into(), name.into())).unwrap_or_default();
        }
        let seen: Vec<(&str, String)> =
            s.iter().iter().map(|(n, t)| (*n, t.0.get("en").cloned().unwrap_or_default())).collect();
        let expected: Vec<(&str, String)> = Sections::NAMES.iter().map(|n| (*n, (*n).to_owned())).collect();
        assert_eq!(seen, expected);
        assert!(s.get_mut("no_such_section").is_none());
    }
}

/// Nested records (sections, links, contact) read from JSON objects only:
/// serde's derive would also take an array of the fields in order, which
/// the API does not offer.
mod objects {
    use std::marker::PhantomData;

    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor, value::MapAccessDeserializer};

    struct ObjectOnly<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOnly<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map))
        }
    }

    struct Object<T>(T);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(ObjectOnly(PhantomData)).map(Object)
        }
    }

    pub fn one<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
        Object::deserialize(d).map(|o| o.0)
    }

    pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        Vec::<Object<T>>::deserialize(d).map(|v| v.into_iter().map(|o| o.0).collect())
    }

    pub fn optional<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
        Option::<Object<T>>::deserialize(d).map(|o| o.map(|o| o.0))
    }
}
