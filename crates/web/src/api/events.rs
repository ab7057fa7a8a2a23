//! `/api/v1/events`: list and read (everyone), create and update (curators,
//! administrators), register and cancel one's own registration (any account).

use axum::extract::{Path, RawQuery, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lumbung_core::Actor;
use lumbung_core::event::{self, Event, EventContent, EventKind, EventLevel, Outcome, RegistrationState};
use lumbung_store::{EventFilter, EventWhen};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, query_pairs};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events", get(list_events).post(create_event))
        .route("/api/v1/events/{id}", get(get_event).put(update_event))
        .route("/api/v1/events/{id}/registration", post(register).delete(cancel_registration))
}

/// Fields the server keeps; sent back in a body, they are ignored.
pub const READ_ONLY_FIELDS: [&str; 14] = [
    "id",
    "created_at",
    "updated_at",
    "created_by",
    "outcome",
    "ends_at",
    "zone_abbreviation",
    "starts_at_utc",
    "ends_at_utc",
    "registered",
    "waiting",
    "my_registration",
    "has_online_link",
    "url",
];

/// A session as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Local start in the event's zone.
    pub starts_at: String,
    pub duration_minutes: i64,
    pub starts_at_utc: String,
    pub title: String,
    pub speakers: Vec<String>,
    /// Local case ids or other nodes' global identifiers.
    pub cases: Vec<String>,
}

/// An event as the API shows it. `online_url` is null unless the caller is
/// registered (or keeps events).
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: String,
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: EventKind,
    pub level: EventLevel,
    pub series: Option<String>,
    pub edition: Option<i64>,
    /// Local start in `time_zone`: `2026-12-10T09:00`.
    pub starts_at: String,
    /// Local end in `time_zone`.
    pub ends_at: String,
    pub duration_minutes: i64,
    pub time_zone: String,
    /// The zone's common abbreviation at the start (WIB, WITA, CEST…).
    pub zone_abbreviation: String,
    pub starts_at_utc: String,
    pub ends_at_utc: String,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub has_online_link: bool,
    pub online_url: Option<String>,
    pub organisers: Vec<String>,
    pub countries: Vec<String>,
    pub sessions: Vec<SessionView>,
    pub registration_open: bool,
    pub capacity: Option<i64>,
    /// Places taken (one event only; null in lists).
    pub registered: Option<i64>,
    /// Accounts waiting (one event only; null in lists).
    pub waiting: Option<i64>,
    /// The caller's registration: registered, waiting, cancelled or null.
    pub my_registration: Option<RegistrationState>,
    pub status: event::EventStatus,
    pub outcome: Option<Outcome>,
    /// A harvested copy of another node's event: where it comes from, its
    /// organisers' names and its action items (absent for this node's events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<event::EventOrigin>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A page of events.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventView>,
    pub total: i64,
    /// Cursor for the next page, or null on the last page.
    pub next: Option<String>,
}

/// The caller's registration after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationView {
    pub event_id: String,
    pub state: RegistrationState,
}

pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn local(t: time::OffsetDateTime, tz: &jiff::tz::TimeZone) -> String {
    event::in_zone(t, tz).0.strftime("%Y-%m-%dT%H:%M").to_string()
}

/// What a reader may see of an event; `detail` adds counts and the caller's registration.
pub(crate) fn view(
    e: Event,
    base: &str,
    sees_link: bool,
    counts: Option<lumbung_store::Registrations>,
    mine: Option<RegistrationState>,
) -> EventView {
    let c = e.content;
    let times = EventContent { sessions: Vec::new(), ..c.clone() }.times();
    let (ends_at, abbr, start_utc, end_utc) = match &times {
        Some(t) => (local(t.end, &t.tz), event::in_zone(t.start, &t.tz).1, rfc3339(t.start), rfc3339(t.end)),
        None => (String::new(), String::new(), String::new(), String::new()),
    };
    let sessions = c
        .sessions
        .into_iter()
        .map(|s| SessionView {
            starts_at_utc: times
                .as_ref()
                .and_then(|t| event::local_instant(&s.starts_at, &t.tz))
                .map(rfc3339)
                .unwrap_or_default(),
            starts_at: s.starts_at,
            duration_minutes: s.duration_minutes,
            title: s.title,
            speakers: s.speakers,
            cases: s.cases,
        })
        .collect();
    EventView {
        url: format!("{base}/events/{}", e.id),
        id: e.id,
        title: c.title,
        description: c.description,
        kind: c.kind,
        level: c.level,
        series: c.series,
        edition: c.edition,
        starts_at: c.starts_at,
        ends_at,
        duration_minutes: c.duration_minutes,
        time_zone: c.time_zone,
        zone_abbreviation: abbr,
        starts_at_utc: start_utc,
        ends_at_utc: end_utc,
        venue: c.venue,
        city: c.city,
        country: c.country,
        has_online_link: c.online_url.is_some(),
        online_url: c.online_url.filter(|_| sees_link),
        organisers: c.organisers,
        countries: c.countries,
        sessions,
        registration_open: c.registration_open,
        capacity: c.capacity,
        registered: counts.map(|r| r.registered),
        waiting: counts.map(|r| r.waiting),
        my_registration: mine,
        status: c.status,
        outcome: e.outcome,
        origin: e.origin,
        version: e.version,
        created_at: rfc3339(e.created_at),
        updated_at: rfc3339(e.updated_at),
    }
}

/// The filters of `/api/v1/events` and `/events`, parsed from the query
/// string: unknown (and empty) values are 400; the pages and calendars drop
/// empty ones first (a form's "any").
pub fn filter_from(pairs: &[(String, String)]) -> Result<EventFilter, ApiError> {
    let mut f = EventFilter { limit: 20, ..Default::default() };
    for (k, v) in pairs {
        let bad = || ApiError::BadRequest(format!("'{v}' is not a valid value of '{k}'"));
        match k.as_str() {
            "level" => f.level = Some(EventLevel::parse(v).ok_or_else(bad)?),
            "kind" => f.kind = Some(EventKind::parse(v).ok_or_else(bad)?),
            "country" => {
                if !lumbung_core::vocab::contains(lumbung_core::vocab::COUNTRIES, v) {
                    return Err(bad());
                }
                f.country = Some(v.clone());
            }
            "series" => {
                if !lumbung_core::organisation::valid_slug(v) {
                    return Err(bad());
                }
                f.series = Some(v.clone());
            }
            "when" => {
                f.when = match v.as_str() {
                    "upcoming" => EventWhen::Upcoming,
                    "past" => EventWhen::Past,
                    "all" => EventWhen::All,
                    _ => return Err(bad()),
                }
            }
            "limit" => f.limit = v.parse::<i64>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(bad)?,
            "cursor" if !v.is_empty() => {
                f.offset = v.parse::<i64>().ok().filter(|n| (0..=1_000_000).contains(n)).ok_or_else(bad)?
            }
            _ => {}
        }
    }
    Ok(f)
}

fn base(state: &AppState) -> String {
    state.settings().base_url.trim_end_matches('/').to_owned()
}

/// Events, upcoming (soonest first) by default; filters combine with AND.
#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    responses((status = 200, body = EventList), (status = 400, body = Problem)))]
pub async fn list_events(
    State(state): State<AppState>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<EventList>, ApiError> {
    let f = filter_from(&query_pairs(raw.as_deref()))?;
    let page = state.store().list_events(&f).await?;
    let manager = user.actor().is_some_and(|a| lumbung_core::permissions::can_manage_events(&a));
    let b = base(&state);
    let shown = f.offset + page.items.len() as i64;
    let next = (shown < page.total && !page.items.is_empty()).then(|| shown.to_string());
    let items = page.items.into_iter().map(|e| view(e, &b, manager, None, None)).collect();
    Ok(Json(EventList { items, total: page.total, next }))
}

async fn detail(state: &AppState, actor: Option<&Actor>, e: Event) -> Result<EventView, ApiError> {
    let app = state.app();
    let sees = app.sees_online_link(actor, &e.id).await?;
    let mine = app.my_registration(actor, &e.id).await?;
    let counts = state.store().registrations(&e.id).await?;
    Ok(view(e, &base(state), sees, Some(counts), mine))
}

/// One event; the online link only for its registered participants.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events",
    params(("id" = String, Path, description = "Event id (a ULID)")),
    responses((status = 200, body = EventView), (status = 404, body = Problem)))]
pub async fn get_event(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<EventView>, ApiError> {
    let e = state.app().event(&id).await?;
    Ok(Json(detail(&state, user.actor().as_ref(), e).await?))
}

fn require_manager(user: &MaybeUser) -> Result<Actor, ApiError> {
    let actor = user.require()?;
    if !lumbung_core::permissions::can_manage_events(&actor) {
        return Err(ApiError::Forbidden("events are kept by curators and administrators".into()));
    }
    Ok(actor)
}

fn content(mut body: JsonBody) -> Result<EventContent, ApiError> {
    for f in READ_ONLY_FIELDS {
        body.0.remove(f);
    }
    body.parse::<EventContent>(&EventContent::FIELDS)
}

/// Add an event. Times are local to `time_zone`; the end is the start plus `duration_minutes`.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = EventContent,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = EventView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn create_event(
    State(state): State<AppState>,
    user: MaybeUser,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let actor = require_manager(&user)?;
    let mut body = body;
    body.0.remove("version");
    let e = state.app().create_event(Some(&actor), content(body)?).await?;
    let location = format!("/api/v1/events/{}", e.id);
    let v = detail(&state, Some(&actor), e).await?;
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(v)).into_response())
}

/// Replace an event; send the `version` you edited (a stale one is 409).
#[utoipa::path(put, path = "/api/v1/events/{id}", tag = "events", request_body = EventContent,
    params(("id" = String, Path, description = "Event id (a ULID)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EventView), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_event(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut body: JsonBody,
) -> Result<Json<EventView>, ApiError> {
    let actor = require_manager(&user)?;
    let version = crate::extract::if_match_version(&headers)?
        .or(body.take_i64("version")?)
        .ok_or(ApiError::PreconditionRequired)?;
    let e = state.app().update_event(Some(&actor), &id, version, content(body)?).await?;
    Ok(Json(detail(&state, Some(&actor), e).await?))
}

/// Ask for a place: `registered` while places remain, else `waiting`.
#[utoipa::path(post, path = "/api/v1/events/{id}/registration", tag = "events",
    params(("id" = String, Path, description = "Event id (a ULID)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RegistrationView), (status = 401, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<RegistrationView>, ApiError> {
    let actor = user.require()?;
    let s = state.app().register_for_event(&actor, &id).await?;
    Ok(Json(RegistrationView { event_id: id, state: s }))
}

/// Cancel your own registration; the first on the waiting list gets the place.
#[utoipa::path(delete, path = "/api/v1/events/{id}/registration", tag = "events",
    params(("id" = String, Path, description = "Event id (a ULID)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RegistrationView), (status = 401, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn cancel_registration(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Json<RegistrationView>, ApiError> {
    let actor = user.require()?;
    state.app().cancel_event_registration(&actor, &id).await?;
    Ok(Json(RegistrationView { event_id: id, state: RegistrationState::Cancelled }))
}
