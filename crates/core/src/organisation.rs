//! Organisations: ministries, agencies, local governments, civil society,
//! academia, private firms and international bodies.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::text::Text;

/// What an editor writes about an organisation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct OrganisationContent {
    /// Name per language.
    pub name: Text,
    pub acronym: Option<String>,
    /// ministry, agency, local_government, civil_society, academia, private or international.
    pub org_type: String,
    pub level_of_government: Option<String>,
    pub country: Option<String>,
    /// Id of the parent organisation.
    pub parent: Option<String>,
    pub website: Option<String>,
}

/// A stored organisation. Its id is a readable slug such as `kemenpan-rb`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Organisation {
    #[schema(example = "kemenpan-rb")]
    pub id: String,
    #[serde(flatten)]
    pub content: OrganisationContent,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Whether `id` is a valid organisation slug: 2–64 of `a-z`, `0-9` and `-`,
/// not starting or ending with `-`.
pub fn valid_slug(id: &str) -> bool {
    (2..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}
