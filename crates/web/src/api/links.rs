//! Replication links: a case records that it replicates, adapts, scales up
//! or was inspired by another case (here or on another node); the source
//! lists the cases that descend from it ("adopted by").

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use lumbung_app::{CaseLinks, NewLink};
use lumbung_core::Case;
use lumbung_store::CaseLink;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases/{id}/links", get(list_links).post(create_link))
        .route("/api/v1/cases/{id}/links/{link_id}", delete(delete_link))
}

/// A link as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub id: String,
    /// The descendant (adopter) case on this node.
    pub case_id: String,
    /// replicates, adapts, scales_up or inspired_by.
    pub kind: String,
    /// The source case's global identifier, `oai:<node>:case/<id>`.
    pub target: String,
    /// The source case's id when it is on this node.
    pub target_case_id: Option<String>,
    pub target_url: Option<String>,
    pub target_title: Option<String>,
    /// What the adopter changed.
    pub changes: Option<String>,
    /// Where the adopter took it up (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub region: Option<String>,
    /// When the adopter took it up.
    pub year: Option<i32>,
    /// `local` (recorded here) or `harvested` (carried by another node's record).
    pub source: String,
    pub created_at: String,
}

impl From<CaseLink> for LinkView {
    fn from(l: CaseLink) -> Self {
        LinkView {
            id: l.id,
            case_id: l.case_id,
            kind: l.kind.as_str().to_owned(),
            target: l.target_identifier,
            target_case_id: l.target_case_id,
            target_url: l.target_url,
            target_title: l.target_title,
            changes: l.changes,
            country: l.country,
            region: l.region,
            year: l.year,
            source: l.source.as_str().to_owned(),
            created_at: l.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        }
    }
}

/// A case that descends from the case asked about.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdopterView {
    pub link: LinkView,
    /// The adopter's title in its original language.
    pub title: String,
    pub country: Option<String>,
    pub level_of_government: Option<String>,
    /// The node the adopter comes from (none: this node).
    pub origin_node: Option<String>,
}

impl AdopterView {
    fn new(link: CaseLink, case: &Case) -> AdopterView {
        let c = &case.content;
        AdopterView {
            link: link.into(),
            title: c.title.best(&c.original_language, "en").unwrap_or_default().to_owned(),
            country: c.country.clone(),
            level_of_government: c.level_of_government.clone(),
            origin_node: case.origin.as_ref().map(|o| o.node.clone()),
        }
    }
}

/// Both sides of a case's links.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseLinksView {
    /// What the case descends from.
    pub links: Vec<LinkView>,
    /// Cases (on this node or harvested from others) that descend from it.
    pub adopted_by: Vec<AdopterView>,
}

impl From<CaseLinks> for CaseLinksView {
    fn from(l: CaseLinks) -> Self {
        CaseLinksView {
            links: l.links.into_iter().map(LinkView::from).collect(),
            adopted_by: l.adopted_by.into_iter().map(|(link, case)| AdopterView::new(link, &case)).collect(),
        }
    }
}

/// A link to record. Missing fields are reported with the others by the
/// application's checks, all at once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(default)]
#[derive(Default)]
pub struct LinkRequest {
    /// replicates, adapts, scales_up or inspired_by.
    pub kind: String,
    /// The source: a case id on this node, a global identifier
    /// `oai:<node>:case/<id>`, or a case page URL.
    pub target: String,
    pub changes: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub year: Option<i64>,
}

/// What a case descends from and which cases descend from it.
#[utoipa::path(get, path = "/api/v1/cases/{id}/links", tag = "diffusion",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseLinksView), (status = 404, body = Problem)))]
pub async fn list_links(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<CaseLinksView>, ApiError> {
    let actor = user.actor();
    Ok(Json(state.app().case_links(actor.as_ref(), &id).await?.into()))
}

/// Record that the case replicates, adapts, scales up or was inspired by
/// another case (the case's owner, curators, administrators).
#[utoipa::path(post, path = "/api/v1/cases/{id}/links", tag = "diffusion", request_body = LinkRequest,
    params(("id" = String, Path, description = "Case id")), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = LinkView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_link(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<LinkView>), ApiError> {
    let actor = user.require()?;
    // Who may act on which case is answered before what they sent.
    state.app().case_to_link(&actor, &id).await?;
    let req: LinkRequest = body.parse(&["kind", "target", "changes", "country", "region", "year"])?;
    let new = NewLink {
        kind: req.kind,
        target: req.target,
        changes: req.changes,
        country: req.country,
        region: req.region,
        year: req.year,
    };
    let link = state.app().add_link(&actor, &id, new).await?;
    Ok((StatusCode::CREATED, Json(link.into())))
}

/// Remove one of the case's links (the case's owner, curators, administrators).
#[utoipa::path(delete, path = "/api/v1/cases/{id}/links/{link_id}", tag = "diffusion",
    params(("id" = String, Path, description = "Case id"), ("link_id" = String, Path, description = "Link id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_link(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((id, link_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let actor = user.require()?;
    state.app().remove_link(&actor, &id, &link_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
