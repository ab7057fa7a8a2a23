//! `/api/v1/vocabularies`: every enumeration with English and Indonesian labels.

use std::collections::BTreeMap;

use axum::routing::get;
use axum::{Json, Router};
use lumbung_core::vocab;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/vocabularies", get(vocabularies))
}

/// One value of a vocabulary.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermView {
    pub code: &'static str,
    /// English label.
    pub en: &'static str,
    /// Indonesian label.
    pub id: &'static str,
}

/// Every vocabulary by name: countries, sectors, levels_of_government,
/// innovation_facets, lifecycle_stages, sdgs, organisation_types,
/// operating_statuses, workflow_statuses, roles, languages, nomination_states,
/// and id_places: Indonesia's provinces (`31`) and regencies and cities
/// (`31.71`) by their official Kemendagri codes, under their official names
/// (contains information from idn-area-data, made available under the Open
/// Database License).
#[utoipa::path(get, path = "/api/v1/vocabularies", tag = "vocabularies",
    responses((status = 200, body = BTreeMap<String, Vec<TermView>>)))]
pub async fn vocabularies() -> Json<BTreeMap<&'static str, Vec<TermView>>> {
    Json(
        vocab::all()
            .iter()
            .map(|v| (v.name, v.terms.iter().map(|t| TermView { code: t.code, en: t.en, id: t.id }).collect()))
            .collect(),
    )
}
