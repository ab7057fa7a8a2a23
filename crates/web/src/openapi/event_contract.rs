//! The events part of the contract (see `contract.rs`): the request bodies
//! closed and constrained as `core::event::validate_event` checks them, the
//! list's filters, path parameters and links. Some constraints are this
//! node's facts (its organisations, its published cases, its own global
//! identifiers), so they are read per document from [`EventFacts`].

use lumbung_core::event::{self, ActionStatus, EventKind, EventLevel, EventStatus};
use lumbung_core::{validate, vocab};
use serde_json::{Map, Value, json};

use super::patterns::{EDGE, SLUG, TEXT_CHARS, ULID, URL, line, nullable, required_line};
use crate::error::ApiError;
use crate::state::AppState;

/// What the events' schemas need to know about this node.
#[derive(Debug, Clone, Default)]
pub struct EventFacts {
    pub node_id: String,
    pub organisations: Vec<String>,
    /// Published local cases an agenda may present (the newest few hundred).
    pub cases: Vec<String>,
}

/// How many local case ids the document lists.
const CASE_IDS: i64 = 300;

pub async fn facts(state: &AppState) -> Result<EventFacts, ApiError> {
    let mut organisations: Vec<String> = state.store().organisation_ids().await?.into_iter().collect();
    organisations.sort();
    let cases = state.store().published_case_ids(CASE_IDS).await?;
    Ok(EventFacts { node_id: state.settings().node_id.clone(), organisations, cases })
}

/// A local date-time as the server reads it (days up to 28, so that every one exists).
const LOCAL: &str =
    "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";
/// A date as the server reads it (days up to 28, so that every one exists).
const DATE: &str = "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$";
const GLOBAL_CASE: &str = "^oai:[a-z0-9._-]{1,64}:case/[A-Za-z0-9-]{1,64}$";

fn enum_of<T: serde::Serialize>(values: &[T]) -> Value {
    json!({"type": "string", "enum": values})
}

fn strs<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| f(*v)).collect()
}

fn countries() -> Vec<&'static str> {
    vocab::COUNTRIES.iter().map(|t| t.code).collect()
}

fn case_ref(facts: &EventFacts) -> Value {
    let own = format!("^oai:{}:case/", facts.node_id.replace('.', "\\."));
    let global = json!({"type": "string", "pattern": GLOBAL_CASE, "not": {"pattern": own},
        "description": "Another node's case: oai:<node>:case/<id>"});
    if facts.cases.is_empty() {
        global
    } else {
        json!({"anyOf": [{"type": "string", "enum": facts.cases, "description": "A published case of this node"}, global]})
    }
}

fn event_body(facts: &EventFacts, update: bool) -> Value {
    let orgs = if facts.organisations.is_empty() {
        json!({"type": "array", "maxItems": 0})
    } else {
        json!({"type": "array", "maxItems": validate::MAX_LIST, "uniqueItems": true,
               "items": {"type": "string", "enum": facts.organisations}})
    };
    let local = json!({"type": "string", "pattern": LOCAL, "description": "Local date and time in the event's zone"});
    let minutes = json!({"type": "integer", "minimum": 1, "maximum": event::MAX_DURATION_MINUTES});
    let session = json!({
        "type": "object", "additionalProperties": false, "required": ["starts_at", "duration_minutes", "title"],
        "properties": {
            "starts_at": local.clone(),
            "duration_minutes": minutes.clone(),
            "title": required_line(validate::MAX_TITLE),
            "speakers": {"type": "array", "maxItems": validate::MAX_LIST, "items": line(validate::MAX_SHORT)},
            "cases": {"type": "array", "maxItems": validate::MAX_LIST, "uniqueItems": true, "items": {"$ref": "#/components/schemas/CaseRef"}},
        }
    });
    let mut props = json!({
        "title": required_line(validate::MAX_TITLE),
        "description": nullable(json!({"type": "string", "maxLength": event::MAX_DESCRIPTION,
            "pattern": format!("^{EDGE}{TEXT_CHARS}{EDGE}$")})),
        "kind": enum_of(&strs(EventKind::ALL, EventKind::as_str)),
        "level": enum_of(&strs(EventLevel::ALL, EventLevel::as_str)),
        "series": nullable(json!({"type": "string", "pattern": SLUG})),
        "edition": {"type": ["integer", "null"], "minimum": 1, "maximum": 10_000},
        "starts_at": local,
        "duration_minutes": minutes,
        "time_zone": {"$ref": "#/components/schemas/TimeZone"},
        "venue": nullable(line(validate::MAX_SHORT)),
        "city": nullable(line(validate::MAX_SHORT)),
        "country": nullable(enum_of(&countries())),
        "online_url": nullable(json!({"anyOf": [
            {"type": "string", "format": "uri", "maxLength": 2000, "pattern": URL},
            {"type": "string", "pattern": format!("^{EDGE}$")}
        ]})),
        "organisers": orgs,
        "countries": {"type": "array", "maxItems": validate::MAX_LIST, "uniqueItems": true, "items": enum_of(&countries())},
        "sessions": {"type": "array", "maxItems": event::MAX_SESSIONS, "items": session},
        "registration_open": {"type": "boolean"},
        "capacity": {"type": ["integer", "null"], "minimum": 1, "maximum": event::MAX_CAPACITY},
        "status": enum_of(&strs(EventStatus::ALL, EventStatus::as_str)),
    });
    let Some(map) = props.as_object_mut() else { return json!({}) };
    map.retain(|k, _| event::EventContent::FIELDS.contains(&k.as_str()));
    for f in crate::api::events::READ_ONLY_FIELDS {
        map.insert(f.to_owned(), json!({"readOnly": true, "description": "Kept by the node; ignored when sent"}));
    }
    let mut required = vec!["title", "kind", "level", "starts_at", "duration_minutes", "time_zone"];
    if update {
        map.insert(
            "version".into(),
            json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64,
                   "description": "The version edited (or send If-Match); a stale version gets 409"}),
        );
        required.push("version");
    } else {
        map.insert("version".into(), json!({"readOnly": true}));
    }
    json!({
        "type": "object",
        "description": "An event as organisers write it. Times are local to time_zone; the end is the start plus duration_minutes. Agenda cases are published cases of this node or other nodes' global identifiers.",
        "additionalProperties": false,
        "required": required,
        "properties": props,
        "example": {"title": "Forum", "kind": "forum", "level": "regional", "starts_at": "2027-03-10T09:00",
                    "duration_minutes": 480, "time_zone": "Asia/Makassar", "city": "Makassar", "country": "ID"},
    })
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn if_match() -> Value {
    json!({"name": "If-Match", "in": "header", "required": false,
           "description": "The version edited (`\"3\"`); must agree with the body's version",
           "schema": {"type": "string", "pattern": "^(W/)?\"[1-9][0-9]{0,14}\"$"}})
}

fn version() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64,
           "description": "The version edited (or send If-Match); a stale version gets 409"})
}

fn outcome_body() -> Value {
    let text = |max: usize| {
        nullable(json!({"type": "string", "maxLength": max, "pattern": format!("^{EDGE}{TEXT_CHARS}{EDGE}$")}))
    };
    json!({
        "type": "object", "additionalProperties": false, "required": ["version"],
        "description": "What came out of an event; replaces the outcome. `version` is the event's.",
        "properties": {
            "summary": text(event::MAX_DESCRIPTION),
            "minutes": text(validate::MAX_SECTION),
            "decisions": {"type": "array", "maxItems": validate::MAX_LIST, "items": required_line(event::MAX_ACTION)},
            "version": version(),
        }
    })
}

fn action_body(facts: &EventFacts, update: bool) -> Value {
    let owner = if facts.organisations.is_empty() {
        // No organisation exists yet, so no action item can be valid; a
        // slug is the closest the document can say (and events are empty too).
        json!({"type": "string", "pattern": SLUG, "description": "The id of an organisation on this node (none yet)"})
    } else {
        json!({"type": "string", "enum": facts.organisations})
    };
    let mut props = json!({
        "what": required_line(event::MAX_ACTION),
        "owner": owner,
        "due_on": {"type": "string", "format": "date", "pattern": DATE},
        "status": enum_of(&strs(ActionStatus::ALL, ActionStatus::as_str)),
        "cases": {"type": "array", "maxItems": validate::MAX_LIST, "uniqueItems": true, "items": {"$ref": "#/components/schemas/CaseRef"}},
    });
    let mut required = vec!["what", "owner", "due_on"];
    if update {
        set(&mut props, "version", version());
        for f in ["id", "event_id", "overdue", "created_at", "updated_at"] {
            set(&mut props, f, json!({"readOnly": true}));
        }
        required.push("version");
    }
    json!({"type": "object", "additionalProperties": false, "required": required, "properties": props})
}

fn set(target: &mut Value, key: &str, value: Value) {
    if let Some(map) = target.as_object_mut() {
        map.insert(key.to_owned(), value);
    }
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": "Event id (a ULID)",
           "schema": {"type": "string", "pattern": ULID}})
}

/// Completes the events' operations and schemas of `doc` (after `contract::apply`).
pub fn apply(doc: &mut Value, facts: &EventFacts) {
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.insert("EventInput".into(), event_body(facts, false));
        schemas.insert("EventUpdate".into(), event_body(facts, true));
        schemas.insert("CaseRef".into(), case_ref(facts));
        schemas.insert("OutcomeUpdate".into(), outcome_body());
        schemas.insert("ActionItemInput".into(), action_body(facts, false));
        schemas.insert("ActionItemUpdate".into(), action_body(facts, true));
        schemas.insert(
            "TimeZone".into(),
            json!({"type": "string", "description": "An IANA time zone", "enum": event::zone_names()}),
        );
    }
    let list = vec![
        query("level", "national, regional or international", enum_of(&strs(EventLevel::ALL, EventLevel::as_str))),
        query("kind", "The kind of event", enum_of(&strs(EventKind::ALL, EventKind::as_str))),
        query("country", "The place's or a participating country", enum_of(&countries())),
        query("series", "A series' slug", json!({"type": "string", "pattern": SLUG})),
        query(
            "when",
            "upcoming (default, soonest first), past or all (latest first)",
            enum_of(&["upcoming", "past", "all"]),
        ),
        query("limit", "Page size (default 20)", json!({"type": "integer", "minimum": 1, "maximum": 100})),
        query(
            "cursor",
            "The `next` value of the previous page",
            json!({"type": "string", "pattern": "^([0-9]{0,6}|1000000)$"}),
        ),
    ];
    let ops: [(&str, &str, Vec<Value>); 11] = [
        ("/api/v1/events", "get", list),
        ("/api/v1/events", "post", vec![]),
        ("/api/v1/events/{id}", "get", vec![id_param()]),
        ("/api/v1/events/{id}", "put", vec![id_param(), if_match()]),
        ("/api/v1/events/{id}/registration", "post", vec![id_param()]),
        ("/api/v1/events/{id}/registration", "delete", vec![id_param()]),
        ("/api/v1/events/{id}/outcome", "put", vec![id_param(), if_match()]),
        ("/api/v1/events/{id}/actions", "get", vec![id_param()]),
        ("/api/v1/events/{id}/actions", "post", vec![id_param()]),
        (
            "/api/v1/actions/{id}",
            "put",
            vec![
                json!({"name": "id", "in": "path", "required": true, "description": "Action item id (a ULID)",
                   "schema": {"type": "string", "pattern": ULID}}),
                if_match(),
            ],
        ),
        (
            "/api/v1/actions",
            "get",
            vec![
                query("owner", "The owner organisation's id", json!({"type": "string", "pattern": SLUG})),
                query("status", "open, done or dropped", enum_of(&strs(ActionStatus::ALL, ActionStatus::as_str))),
                query("overdue", "true: open items past their due date", json!({"type": "boolean"})),
            ],
        ),
    ];
    for (path, method, params) in ops {
        let pointer = format!("/paths/{}/{method}", path.replace('/', "~1"));
        let Some(Value::Object(operation)) = doc.pointer_mut(&pointer) else { continue };
        if params.is_empty() {
            operation.remove("parameters");
        } else {
            operation.insert("parameters".into(), Value::Array(params));
        }
        links(operation, method, path);
    }
}

fn links(operation: &mut Map<String, Value>, method: &str, path: &str) {
    let by_id = |op: &str| json!({"operationId": op, "parameters": {"id": "$response.body#/id"}});
    let (status, links) = match (method, path) {
        ("post", "/api/v1/events") => (
            "201",
            json!({"GetEvent": by_id("get_event"), "UpdateEvent": by_id("update_event"),
                   "Register": by_id("register_for_event")}),
        ),
        ("get", "/api/v1/events/{id}") => ("200", json!({"UpdateEvent": by_id("update_event")})),
        ("post", "/api/v1/events/{id}/registration") => (
            "200",
            json!({"CancelRegistration": {"operationId": "cancel_event_registration",
                   "parameters": {"id": "$response.body#/event_id"}}}),
        ),
        _ => return,
    };
    if let Some(Value::Object(response)) = operation.get_mut("responses").and_then(|r| r.get_mut(status)) {
        response.insert("links".into(), links);
    }
}
