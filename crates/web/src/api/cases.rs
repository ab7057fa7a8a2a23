//! `/api/v1/cases`: list with filters, read, create, update, workflow steps,
//! revisions and revision diffs.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::header::{ETAG, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lumbung_core::{Actor, Case, CaseContent, Status, Transition, permissions, vocab};
use lumbung_store::{CaseFilter, RevisionSummary, Visibility};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, if_match_version, query_pairs};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases", get(list_cases).post(create_case))
        .route("/api/v1/cases/{id}", get(get_case).put(update_case))
        .route("/api/v1/cases/{id}/submit", post(submit_case))
        .route("/api/v1/cases/{id}/return", post(return_case))
        .route("/api/v1/cases/{id}/publish", post(publish_case))
        .route("/api/v1/cases/{id}/archive", post(archive_case))
        .route("/api/v1/cases/{id}/revisions", get(list_revisions))
        .route("/api/v1/cases/{id}/revisions/{version}", get(get_revision))
        .route("/api/v1/cases/{id}/diff", get(diff_revisions))
}

/// Most items on one page.
pub const MAX_LIMIT: i64 = 100;

/// A page of cases.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseList {
    pub items: Vec<Case>,
    /// How many cases match the filters in all.
    pub total: i64,
    /// Cursor for the next page, or null on the last page.
    pub next: Option<String>,
}

/// Filters for `GET /api/v1/cases`. Every filter takes several values,
/// repeated (`country=ID&country=PH`) or comma-separated (`country=ID,PH`):
/// values of one filter are OR-ed, filters are AND-ed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CaseQuery {
    /// ISO 3166-1 alpha-2 country codes.
    country: Option<String>,
    /// Sector codes.
    sector: Option<String>,
    /// Level of government codes.
    level: Option<String>,
    /// Lifecycle stage codes.
    stage: Option<String>,
    /// Innovation facet codes.
    facet: Option<String>,
    /// SDG numbers, 1–17.
    sdg: Option<String>,
    /// Organisation ids.
    organisation: Option<String>,
    /// Tags.
    tag: Option<String>,
    /// Workflow statuses (what you may see of them).
    status: Option<String>,
    /// Operating statuses.
    operating_status: Option<String>,
    /// Year launched: `2019` or a range `2015-2020`.
    year: Option<String>,
    /// `complete` (100) or `incomplete` (below 100).
    completeness: Option<String>,
    /// Lowest completeness score, 0–100.
    completeness_min: Option<u8>,
    /// `true`: only cases you submitted.
    mine: Option<bool>,
    /// Page size, 1–100 (default 20).
    limit: Option<i64>,
    /// The `next` value of the previous page.
    cursor: Option<String>,
}

/// List cases you may see, newest first.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseQuery),
    responses((status = 200, body = CaseList), (status = 400, body = Problem)))]
pub async fn list_cases(
    State(state): State<AppState>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<CaseList>, ApiError> {
    let actor = user.actor();
    let parsed = parse_case_query(&query_pairs(raw.as_deref()), actor.as_ref())?;
    let visibility = Visibility::for_actor(actor.as_ref());
    let page = state.store().list_cases(&parsed.filter, &visibility, parsed.cursor.as_deref(), parsed.limit).await?;
    let items = page.items.into_iter().map(|c| public_view(c, actor.as_ref())).collect();
    Ok(Json(CaseList { items, total: page.total, next: page.next }))
}

/// A parsed list query.
#[derive(Debug, Default)]
pub struct ParsedCaseQuery {
    pub filter: CaseFilter,
    pub limit: i64,
    pub cursor: Option<String>,
}

/// Parses the list query, refusing unknown parameters and unknown values.
pub fn parse_case_query(pairs: &[(String, String)], actor: Option<&Actor>) -> Result<ParsedCaseQuery, ApiError> {
    let mut q = ParsedCaseQuery { limit: 20, ..Default::default() };
    for (key, raw) in pairs {
        let values: Vec<String> = raw.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect();
        let f = &mut q.filter;
        match key.as_str() {
            "country" => {
                f.countries.extend(codes(key, values.iter().map(|v| v.to_ascii_uppercase()), vocab::COUNTRIES)?)
            }
            "sector" => f.sectors.extend(codes(key, values, vocab::SECTORS)?),
            "level" => f.levels.extend(codes(key, values, vocab::LEVELS_OF_GOVERNMENT)?),
            "stage" => f.stages.extend(codes(key, values, vocab::LIFECYCLE_STAGES)?),
            "facet" => f.facets.extend(codes(key, values, vocab::INNOVATION_FACETS)?),
            "sdg" => f.sdgs.extend(codes(key, values, vocab::SDGS)?),
            "operating_status" => f.operating_statuses.extend(codes(key, values, vocab::OPERATING_STATUSES)?),
            "organisation" => f.organisations.extend(values),
            "tag" => f.tags.extend(values.into_iter().map(|t| t.to_lowercase())),
            "status" => {
                for v in values {
                    f.statuses.push(Status::parse(&v).ok_or_else(|| bad_value(key, &v))?);
                }
            }
            "year" => {
                let (from, to) = match raw.split_once('-') {
                    Some((a, b)) => (year(key, a)?, year(key, b)?),
                    None => (year(key, raw)?, year(key, raw)?),
                };
                // A backwards range is an empty one: it matches no case.
                f.year_from = Some(from);
                f.year_to = Some(to);
            }
            "completeness" => match raw.as_str() {
                "complete" => f.completeness_min = Some(100),
                "incomplete" => f.completeness_max = Some(99),
                _ => return Err(ApiError::BadRequest("completeness is 'complete' or 'incomplete'".into())),
            },
            "completeness_min" => {
                f.completeness_min =
                    Some(raw.parse::<u8>().ok().filter(|v| *v <= 100).ok_or_else(|| bad_value(key, raw))?)
            }
            "mine" => match raw.as_str() {
                "true" | "1" => {
                    let actor = actor.ok_or(ApiError::Unauthorized)?;
                    f.created_by = Some(actor.account_id.clone());
                }
                "false" | "0" => {}
                _ => return Err(bad_value(key, raw)),
            },
            "limit" => {
                q.limit = raw
                    .parse::<i64>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or_else(|| ApiError::BadRequest(format!("limit is a number from 1 to {MAX_LIMIT}")))?
            }
            // An empty cursor is the first page.
            "cursor" if raw.is_empty() => {}
            "cursor" => {
                if raw.len() > 64 || !raw.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(ApiError::BadRequest("cursor is not one this server gave".into()));
                }
                q.cursor = Some(raw.clone());
            }
            other => {
                return Err(ApiError::BadRequest(format!("unknown query parameter '{}'", truncate(other, 40))));
            }
        }
    }
    Ok(q)
}

fn codes(
    key: &str,
    values: impl IntoIterator<Item = String>,
    terms: &'static [vocab::Term],
) -> Result<Vec<String>, ApiError> {
    values.into_iter().map(|v| if vocab::contains(terms, &v) { Ok(v) } else { Err(bad_value(key, &v)) }).collect()
}

fn year(key: &str, s: &str) -> Result<i32, ApiError> {
    s.trim().parse::<i32>().ok().filter(|y| (1000..=9999).contains(y)).ok_or_else(|| bad_value(key, s))
}

fn bad_value(key: &str, value: &str) -> ApiError {
    ApiError::BadRequest(format!("'{}' is not a valid value for {key}", truncate(value, 40)))
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Removes what the actor may not see.
pub fn public_view(mut case: Case, actor: Option<&Actor>) -> Case {
    if !permissions::can_see_private(actor, case.owners()) {
        case.created_by = None;
    }
    case
}

fn with_etag(case: Case, status: StatusCode) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", case.version)).ok();
    let location = HeaderValue::from_str(&format!("/api/v1/cases/{}", case.id)).ok();
    let mut res = (status, Json(case)).into_response();
    if let Some(etag) = etag {
        res.headers_mut().insert(ETAG, etag);
    }
    if status == StatusCode::CREATED {
        if let Some(location) = location {
            res.headers_mut().insert(LOCATION, location);
        }
    }
    res
}

/// Read one case.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Case, headers(("ETag" = String, description = "The version, quoted"))),
              (status = 404, body = Problem)))]
pub async fn get_case(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let actor = user.actor();
    let case = state.app().visible_case(&id, actor.as_ref()).await?;
    Ok(with_etag(public_view(case, actor.as_ref()), StatusCode::OK))
}

/// Parses case content from a request body (not yet validated).
fn parse_content(body: JsonBody) -> Result<CaseContent, ApiError> {
    let allowed: Vec<&str> = CaseContent::FIELDS.iter().chain(Case::NODE_FIELDS.iter()).copied().collect();
    let mut body = body;
    for field in Case::NODE_FIELDS {
        body.0.remove(field);
    }
    body.parse::<CaseContent>(&allowed)
}

/// Start a case. It is stored as a draft owned by you.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CaseContent,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Case), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn create_case(State(state): State<AppState>, user: MaybeUser, body: JsonBody) -> Result<Response, ApiError> {
    let actor = user.require()?;
    if !permissions::can_create_case(&actor) {
        return Err(ApiError::Forbidden(
            "readers cannot write cases; ask an administrator for a contributor role".into(),
        ));
    }
    let case = state.app().create_draft(&actor, parse_content(body)?).await?;
    Ok(with_etag(case, StatusCode::CREATED))
}

/// Replace a case's content. Send the version you edited (`If-Match: "3"` or
/// a `version` field); a stale version gets 409.
#[utoipa::path(put, path = "/api/v1/cases/{id}", tag = "cases", request_body = CaseContent,
    params(("id" = String, Path, description = "Case id"), ("If-Match" = Option<String>, Header, description = "The version edited")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Case), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 428, body = Problem)))]
pub async fn update_case(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut body: JsonBody,
) -> Result<Response, ApiError> {
    let actor = user.require()?;
    let (header, field) = (if_match_version(&headers)?, body.take_i64("version")?);
    let current = state.app().visible_case(&id, Some(&actor)).await?.version;
    let version = match (header, field) {
        // Two versions that disagree cannot both be current: a conflict.
        (Some(h), Some(b)) if h != b => return Err(ApiError::Conflict { current }),
        (Some(v), _) | (None, Some(v)) => v,
        (None, None) => return Err(ApiError::PreconditionRequired),
    };
    let case = state.app().save_content(&actor, &id, version, parse_content(body)?).await?;
    Ok(with_etag(public_view(case, Some(&actor)), StatusCode::OK))
}

/// The body of a workflow step.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TransitionRequest {
    /// Why; required to return a case, kept in the case's history.
    pub comment: Option<String>,
    /// The version acted on; when given, a stale version gets 409.
    pub version: Option<i64>,
}

async fn transition(
    state: AppState,
    user: MaybeUser,
    id: String,
    headers: HeaderMap,
    body: Option<JsonBody>,
    step: Transition,
) -> Result<Response, ApiError> {
    let actor = user.require()?;
    let req: TransitionRequest = match body {
        Some(b) => b.parse(&["comment", "version"])?,
        None => TransitionRequest::default(),
    };
    let version = if_match_version(&headers)?.or(req.version);
    let case = state.app().transition(&actor, &id, version, step, req.comment).await?;
    Ok(with_etag(public_view(case, Some(&actor)), StatusCode::OK))
}

macro_rules! transition_handler {
    ($name:ident, $step:expr, $path:literal, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "workflow", request_body(content = TransitionRequest, description = "Optional"),
            params(("id" = String, Path, description = "Case id")),
            security(("bearer" = []), ("session" = [])),
            responses((status = 200, body = Case), (status = 401, body = Problem), (status = 403, body = Problem),
                      (status = 404, body = Problem), (status = 409, description = "Not allowed from the current status, or a stale version", body = Problem),
                      (status = 422, body = Problem)))]
        pub async fn $name(
            State(state): State<AppState>,
            user: MaybeUser,
            Path(id): Path<String>,
            headers: HeaderMap,
            body: Option<JsonBody>,
        ) -> Result<Response, ApiError> {
            transition(state, user, id, headers, body, $step).await
        }
    };
}

transition_handler!(
    submit_case,
    Transition::Submit,
    "/api/v1/cases/{id}/submit",
    "Submit a draft or returned case for review (its author, or a curator)."
);
transition_handler!(
    return_case,
    Transition::Return,
    "/api/v1/cases/{id}/return",
    "Return a submitted case to its author with a comment (curators)."
);
transition_handler!(
    publish_case,
    Transition::Publish,
    "/api/v1/cases/{id}/publish",
    "Publish a submitted or archived case (curators)."
);
transition_handler!(
    archive_case,
    Transition::Archive,
    "/api/v1/cases/{id}/archive",
    "Archive a published case (curators)."
);

async fn history_case(state: &AppState, id: &str, user: &MaybeUser) -> Result<Case, ApiError> {
    // Anonymous callers get 401 whether or not the case exists; for others,
    // cases they may not see are 404 (a draft's existence is not revealed).
    let actor = Some(user.require()?);
    let case = state.app().visible_case(id, actor.as_ref()).await?;
    if !permissions::can_see_private(actor.as_ref(), case.owners()) {
        return Err(ApiError::Forbidden("the history of a case is shown to its author and curators".into()));
    }
    Ok(case)
}

/// A case's revision history, oldest first, with workflow comments.
#[utoipa::path(get, path = "/api/v1/cases/{id}/revisions", tag = "cases", params(("id" = String, Path, description = "Case id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<RevisionInfo>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_revisions(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<RevisionInfo>>, ApiError> {
    history_case(&state, &id, &user).await?;
    let revisions = state.store().case_revisions(&id).await?;
    Ok(Json(revisions.into_iter().map(RevisionInfo::from).collect()))
}

/// One revision in a history list.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionInfo {
    pub version: i64,
    /// How this revision came to be.
    pub action: lumbung_core::RevisionAction,
    pub actor_id: Option<String>,
    pub comment: Option<String>,
    /// When, in RFC 3339 (UTC).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: time::OffsetDateTime,
}

impl From<RevisionSummary> for RevisionInfo {
    fn from(r: RevisionSummary) -> Self {
        RevisionInfo {
            version: r.version,
            action: r.action,
            actor_id: r.actor_id,
            comment: r.comment,
            created_at: r.created_at,
        }
    }
}

/// A revision with the case as it was.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDetail {
    #[serde(flatten)]
    pub info: RevisionInfo,
    pub case: Case,
}

/// One revision of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/revisions/{version}", tag = "cases",
    params(("id" = String, Path, description = "Case id"), ("version" = i64, Path, description = "Version")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RevisionDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_revision(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<RevisionDetail>, ApiError> {
    let version: i64 = version.parse().map_err(|_| ApiError::BadRequest("the version is a whole number".into()))?;
    history_case(&state, &id, &user).await?;
    let rev = state.store().case_revision(&id, version).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(RevisionDetail { info: rev.summary.into(), case: rev.case }))
}

/// What changed between two revisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDiff {
    pub from: i64,
    pub to: i64,
    pub changes: Vec<FieldChange>,
}

/// One changed field: its path (`title.en`, `sections.problem.id`, `sectors`) and both values.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older version.
    pub from: i64,
    /// The newer version.
    pub to: i64,
}

/// Field-by-field differences between two revisions of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/diff", tag = "cases", params(("id" = String, Path, description = "Case id"), DiffQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RevisionDiff), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn diff_revisions(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RevisionDiff>, ApiError> {
    let pairs = query_pairs(raw.as_deref());
    let get = |name: &str| -> Result<i64, ApiError> {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<i64>().ok())
            .ok_or_else(|| ApiError::BadRequest(format!("give '{name}' as a version number")))
    };
    let (from, to) = (get("from")?, get("to")?);
    history_case(&state, &id, &user).await?;
    let a = state.store().case_revision(&id, from).await?.ok_or(ApiError::NotFound)?;
    let b = state.store().case_revision(&id, to).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(RevisionDiff { from, to, changes: diff(&a.case, &b.case) }))
}

/// The changed leaves between two cases' content and status.
pub fn diff(a: &Case, b: &Case) -> Vec<FieldChange> {
    let mut left = BTreeMap::new();
    let mut right = BTreeMap::new();
    flatten("", &comparable(a), &mut left);
    flatten("", &comparable(b), &mut right);
    let mut keys: Vec<&String> = left.keys().chain(right.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| left.get(*k) != right.get(*k))
        .map(|k| FieldChange { field: k.clone(), before: left.get(k).cloned(), after: right.get(k).cloned() })
        .collect()
}

fn comparable(c: &Case) -> serde_json::Value {
    let mut v = serde_json::to_value(&c.content).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        map.insert("status".into(), serde_json::Value::String(c.status.as_str().into()));
    }
    v
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, serde_json::Value>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&path, child, out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::Array(a) if a.is_empty() => {}
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}
