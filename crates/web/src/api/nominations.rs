//! Nominations up the levels: a curator nominates a published case to an
//! upstream node; the upstream harvests it into its queue; its curators
//! accept (publish the copy) or decline (with a reason). The origin learns
//! the outcome from the upstream's records.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use lumbung_core::{Actor, NominationDirection, NominationState, permissions};
use lumbung_store::{Nomination, Presence};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, query_pairs};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases/{id}/nominate", post(nominate))
        .route("/api/v1/cases/{id}/federation", get(federation))
        .route("/api/v1/nominations", get(list))
        .route("/api/v1/nominations/{id}/accept", post(accept))
        .route("/api/v1/nominations/{id}/decline", post(decline))
}

/// A nomination as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NominationView {
    pub id: String,
    /// `outgoing` (nominated from here) or `incoming` (nominated to here).
    pub direction: String,
    pub case_id: String,
    /// The upstream node (outgoing) or the nominating node (incoming).
    pub node: String,
    pub note: Option<String>,
    /// nominated, accepted, declined or withdrawn.
    pub state: String,
    pub decision_note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

impl From<Nomination> for NominationView {
    fn from(n: Nomination) -> Self {
        NominationView {
            id: n.id,
            direction: n.direction.as_str().to_owned(),
            case_id: n.case_id,
            node: n.node,
            note: n.note,
            state: n.state.as_str().to_owned(),
            decision_note: n.decision_note,
            created_at: rfc3339(n.created_at),
            updated_at: rfc3339(n.updated_at),
        }
    }
}

/// A nomination request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NominateRequest {
    /// The upstream node's id (one of the node's configured upstreams).
    pub to: String,
    /// Why this case deserves a place there.
    pub note: Option<String>,
}

/// Nominate a published case to an upstream node (curators, delegates).
#[utoipa::path(post, path = "/api/v1/cases/{id}/nominate", tag = "federation", request_body = NominateRequest,
    params(("id" = String, Path, description = "Case id")), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = NominationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn nominate(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<NominationView>), ApiError> {
    let actor = user.require()?;
    // Who may act on which case is answered before what they sent.
    state.app().case_to_nominate(&actor, &id).await?;
    let req: NominateRequest = body.parse(&["to", "note"])?;
    let n = state.app().nominate(&actor, &id, &req.to, req.note).await?;
    Ok((StatusCode::CREATED, Json(n.into())))
}

/// Where a case stands between nodes.
#[derive(Debug, Serialize, ToSchema)]
pub struct FederationView {
    /// Nodes where this node's case is published (or was, then withdrawn).
    pub published_at: Vec<PresenceView>,
    /// Nominations of this case, both ways (notes for curators only).
    pub nominations: Vec<NominationView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceView {
    pub node: String,
    /// `published` or `withdrawn`.
    pub state: String,
    pub since: String,
}

impl From<Presence> for PresenceView {
    fn from(p: Presence) -> Self {
        PresenceView { node: p.node, state: p.state, since: p.since }
    }
}

/// Where a case is published elsewhere and how its nominations went.
#[utoipa::path(get, path = "/api/v1/cases/{id}/federation", tag = "federation",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = FederationView), (status = 404, body = Problem)))]
pub async fn federation(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<FederationView>, ApiError> {
    let actor = user.actor();
    let case = state.store().get_case(&id).await?.ok_or(ApiError::NotFound)?;
    if !permissions::can_view_case(actor.as_ref(), case.status, case.owners()) {
        return Err(ApiError::NotFound);
    }
    let notes = permissions::sees_nomination_notes(actor.as_ref());
    let nominations = state
        .store()
        .nominations_of(&id)
        .await?
        .into_iter()
        .map(|n| {
            let mut v = NominationView::from(n);
            if !notes {
                v.note = None;
                v.decision_note = None;
            }
            v
        })
        .collect();
    let published_at = state.store().presence(&id).await?.into_iter().map(PresenceView::from).collect();
    Ok(Json(FederationView { published_at, nominations }))
}

fn require_editor(user: &MaybeUser) -> Result<Actor, ApiError> {
    let actor = user.require()?;
    if !permissions::can_decide_nominations(&actor) {
        return Err(ApiError::Forbidden("nominations are handled by curators".into()));
    }
    Ok(actor)
}

/// Nominations, newest first: `direction=incoming` (the queue; default) or
/// `outgoing`, and optionally `state=nominated|accepted|declined|withdrawn`.
#[utoipa::path(get, path = "/api/v1/nominations", tag = "federation",
    params(("direction" = Option<String>, Query, description = "incoming (default) or outgoing"),
           ("state" = Option<String>, Query, description = "nominated, accepted, declined or withdrawn")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<NominationView>), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<NominationView>>, ApiError> {
    require_editor(&user)?;
    let mut direction = NominationDirection::Incoming;
    let mut filter = None;
    for (k, v) in query_pairs(raw.as_deref()) {
        match (k.as_str(), NominationDirection::parse(&v), NominationState::parse(&v)) {
            ("direction", Some(d), _) => direction = d,
            ("state", _, Some(s)) => filter = Some(s),
            (k, _, _) => return Err(ApiError::BadRequest(format!("'{v}' is not a valid value for {k}"))),
        }
    }
    let list = state.store().nominations(direction, filter).await?;
    Ok(Json(list.into_iter().map(NominationView::from).collect()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// Required to decline; shown to curators.
    pub note: Option<String>,
}

async fn decide(
    state: AppState,
    user: MaybeUser,
    id: String,
    body: Option<JsonBody>,
    accept: bool,
) -> Result<Json<NominationView>, ApiError> {
    let actor = require_editor(&user)?;
    let req: DecisionRequest = match body {
        Some(b) => b.parse(&["note"])?,
        None => DecisionRequest::default(),
    };
    let n = state.app().decide_nomination(&actor, &id, req.note, accept).await?;
    Ok(Json(n.into()))
}

/// Accept an incoming nomination: its copy is published here (curators).
#[utoipa::path(post, path = "/api/v1/nominations/{id}/accept", tag = "federation", request_body = DecisionRequest,
    params(("id" = String, Path, description = "Nomination id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = NominationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: Option<JsonBody>,
) -> Result<Json<NominationView>, ApiError> {
    decide(state, user, id, body, true).await
}

/// Decline an incoming nomination with a reason (curators).
#[utoipa::path(post, path = "/api/v1/nominations/{id}/decline", tag = "federation", request_body = DecisionRequest,
    params(("id" = String, Path, description = "Nomination id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = NominationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: Option<JsonBody>,
) -> Result<Json<NominationView>, ApiError> {
    decide(state, user, id, body, false).await
}
