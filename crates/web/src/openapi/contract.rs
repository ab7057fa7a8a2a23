//! Makes the generated OpenAPI document say exactly what the server does,
//! so that third-party tools (schemathesis) can hold the server to it:
//! every status an operation can answer, errors as `application/problem+json`,
//! vocabularies as enums, request bodies closed and constrained as the
//! validation rules in `core::validate` constrain them, and links between
//! operations for stateful testing.
//!
//! Some constraints are this node's facts (its organisations, its upstream
//! nodes, this year), so the document is built per request from [`NodeFacts`].

use lumbung_core::{Status, validate, vocab};
use serde_json::{Map, Value, json};

use super::patterns::{
    EDGE, NON_BLANK, SLUG, TEXT_CHARS, ULID, URL, filled, line, nullable, required_line, required_text,
};

/// What the document needs to know about this node.
#[derive(Debug, Clone, Default)]
pub struct NodeFacts {
    /// Organisation ids a case, an account or a parent may name.
    pub organisations: Vec<String>,
    /// Upstream node ids a case may be nominated to.
    pub upstreams: Vec<String>,
    /// The current year (cases launch until next year; confirmations are not in the future).
    pub this_year: i32,
}

/// Who may call an operation.
#[derive(Clone, Copy, PartialEq)]
enum Auth {
    /// Anyone; no token is read.
    None,
    /// Anyone; a token or session, when sent, is read (a bad token is 401).
    Optional,
    /// A signed-in account.
    Required,
}

/// An operation's request body.
#[derive(Clone, Copy)]
enum Body {
    None,
    Optional(&'static str),
    Required(&'static str),
    /// JSON (the first schema) or `multipart/form-data` with a file (the second).
    Upload(&'static str, &'static str),
}

struct Op {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    auth: Auth,
    body: Body,
    /// Statuses beyond those implied by `auth` and `body` (and 503).
    statuses: &'static [u16],
}

const fn op(
    method: &'static str,
    path: &'static str,
    id: &'static str,
    auth: Auth,
    body: Body,
    statuses: &'static [u16],
) -> Op {
    Op { method, path, id, auth, body, statuses }
}

/// Every operation: what it reads and every status it can answer.
const OPS: &[Op] = &[
    op("get", "/api/v1/cases", "list_cases", Auth::Optional, Body::None, &[200, 400]),
    op("post", "/api/v1/cases", "create_case", Auth::Required, Body::Required("CaseInput"), &[201, 403]),
    op("get", "/api/v1/cases/{id}", "get_case", Auth::Optional, Body::None, &[200, 404]),
    op(
        "put",
        "/api/v1/cases/{id}",
        "update_case",
        Auth::Required,
        Body::Required("CaseUpdate"),
        &[200, 403, 404, 409, 428],
    ),
    op(
        "post",
        "/api/v1/cases/{id}/submit",
        "submit_case",
        Auth::Required,
        Body::Optional("TransitionRequest"),
        &[200, 403, 404, 409],
    ),
    op(
        "post",
        "/api/v1/cases/{id}/return",
        "return_case",
        Auth::Required,
        Body::Required("ReturnRequest"),
        &[200, 403, 404, 409],
    ),
    op(
        "post",
        "/api/v1/cases/{id}/publish",
        "publish_case",
        Auth::Required,
        Body::Optional("TransitionRequest"),
        &[200, 403, 404, 409],
    ),
    op(
        "post",
        "/api/v1/cases/{id}/archive",
        "archive_case",
        Auth::Required,
        Body::Optional("TransitionRequest"),
        &[200, 403, 404, 409],
    ),
    op("get", "/api/v1/cases/{id}/revisions", "list_revisions", Auth::Required, Body::None, &[200, 403, 404]),
    op(
        "get",
        "/api/v1/cases/{id}/revisions/{version}",
        "get_revision",
        Auth::Required,
        Body::None,
        &[200, 400, 403, 404],
    ),
    op("get", "/api/v1/cases/{id}/diff", "diff_revisions", Auth::Required, Body::None, &[200, 400, 403, 404]),
    op("get", "/api/v1/cases/{id}/related", "related_cases", Auth::None, Body::None, &[200, 400, 404]),
    op("get", "/api/v1/cases/{id}/federation", "case_federation", Auth::Optional, Body::None, &[200, 404]),
    op(
        "post",
        "/api/v1/cases/{id}/nominate",
        "nominate_case",
        Auth::Required,
        Body::Required("NominateRequest"),
        &[201, 403, 404, 409],
    ),
    op("get", "/api/v1/resources", "list_resources", Auth::None, Body::None, &[200, 400]),
    op(
        "post",
        "/api/v1/resources",
        "create_resource",
        Auth::Required,
        Body::Upload("ResourceInput", "ResourceUpload"),
        &[201, 403],
    ),
    op("get", "/api/v1/resources/{id}", "get_resource", Auth::None, Body::None, &[200, 404]),
    op(
        "put",
        "/api/v1/resources/{id}",
        "update_resource",
        Auth::Required,
        Body::Required("ResourceUpdate"),
        &[200, 403, 404, 409, 428],
    ),
    op(
        "delete",
        "/api/v1/resources/{id}",
        "delete_resource",
        Auth::Required,
        Body::None,
        &[204, 400, 403, 404, 409, 428],
    ),
    op("get", "/api/v1/collections", "list_collections", Auth::None, Body::None, &[200, 400]),
    op(
        "post",
        "/api/v1/collections",
        "create_collection",
        Auth::Required,
        Body::Required("CollectionInput"),
        &[201, 403, 409],
    ),
    op("get", "/api/v1/collections/{id}", "get_collection", Auth::None, Body::None, &[200, 404]),
    op(
        "put",
        "/api/v1/collections/{id}",
        "update_collection",
        Auth::Required,
        Body::Required("CollectionUpdate"),
        &[200, 403, 404, 409, 428],
    ),
    op(
        "delete",
        "/api/v1/collections/{id}",
        "delete_collection",
        Auth::Required,
        Body::None,
        &[204, 400, 403, 404, 409, 428],
    ),
    op("get", "/api/v1/organisations", "list_organisations", Auth::None, Body::None, &[200]),
    op(
        "post",
        "/api/v1/organisations",
        "create_organisation",
        Auth::Required,
        Body::Required("OrganisationInput"),
        &[201, 403, 409],
    ),
    op("get", "/api/v1/organisations/{id}", "get_organisation", Auth::None, Body::None, &[200, 404]),
    op(
        "put",
        "/api/v1/organisations/{id}",
        "update_organisation",
        Auth::Required,
        Body::Required("OrganisationUpdate"),
        &[200, 403, 404, 409, 428],
    ),
    op("get", "/api/v1/accounts", "list_accounts", Auth::Required, Body::None, &[200, 403]),
    op("post", "/api/v1/accounts", "create_account", Auth::Required, Body::Required("AccountCreate"), &[201, 403, 409]),
    op("get", "/api/v1/accounts/{id}", "get_account", Auth::Required, Body::None, &[200, 403, 404]),
    op(
        "put",
        "/api/v1/accounts/{id}",
        "update_account",
        Auth::Required,
        Body::Required("AccountUpdate"),
        &[200, 403, 404, 409, 428],
    ),
    op("post", "/api/v1/auth/login", "login", Auth::None, Body::Required("LoginRequest"), &[200, 401, 429]),
    op("post", "/api/v1/auth/logout", "logout", Auth::None, Body::None, &[204]),
    op("post", "/api/v1/auth/tokens", "create_token", Auth::Required, Body::None, &[201]),
    op("get", "/api/v1/me", "me", Auth::Required, Body::None, &[200]),
    op("put", "/api/v1/me/password", "change_password", Auth::Required, Body::Required("PasswordChange"), &[204, 403]),
    op("get", "/api/v1/vocabularies", "vocabularies", Auth::None, Body::None, &[200]),
    op("get", "/api/v1/search", "search", Auth::None, Body::None, &[200, 400]),
    op("get", "/api/v1/suggest", "suggest", Auth::None, Body::None, &[200, 400]),
    op("get", "/api/v1/harvest-sources", "list_harvest_sources", Auth::Required, Body::None, &[200, 403]),
    op("get", "/api/v1/nominations", "list_nominations", Auth::Required, Body::None, &[200, 400, 403]),
    op(
        "post",
        "/api/v1/nominations/{id}/accept",
        "accept_nomination",
        Auth::Required,
        Body::Optional("DecisionRequest"),
        &[200, 403, 404, 409],
    ),
    op(
        "post",
        "/api/v1/nominations/{id}/decline",
        "decline_nomination",
        Auth::Required,
        Body::Required("DeclineRequest"),
        &[200, 403, 404, 409],
    ),
    op("get", "/api/v1/events", "list_events", Auth::Optional, Body::None, &[200, 400]),
    op("post", "/api/v1/events", "create_event", Auth::Required, Body::Required("EventInput"), &[201, 403]),
    op("get", "/api/v1/events/{id}", "get_event", Auth::Optional, Body::None, &[200, 404]),
    op(
        "put",
        "/api/v1/events/{id}",
        "update_event",
        Auth::Required,
        Body::Required("EventUpdate"),
        &[200, 403, 404, 409, 428],
    ),
    op("post", "/api/v1/events/{id}/registration", "register_for_event", Auth::Required, Body::None, &[200, 404, 409]),
    op(
        "delete",
        "/api/v1/events/{id}/registration",
        "cancel_event_registration",
        Auth::Required,
        Body::None,
        &[200, 404, 409],
    ),
    op(
        "put",
        "/api/v1/events/{id}/outcome",
        "record_outcome",
        Auth::Required,
        Body::Required("OutcomeUpdate"),
        &[200, 403, 404, 409, 428],
    ),
    op("get", "/api/v1/events/{id}/actions", "event_actions", Auth::None, Body::None, &[200, 404]),
    op(
        "post",
        "/api/v1/events/{id}/actions",
        "create_action_item",
        Auth::Required,
        Body::Required("ActionItemInput"),
        &[201, 403, 404],
    ),
    op("get", "/api/v1/actions", "list_action_items", Auth::None, Body::None, &[200, 400]),
    op(
        "put",
        "/api/v1/actions/{id}",
        "update_action_item",
        Auth::Required,
        Body::Required("ActionItemUpdate"),
        &[200, 403, 404, 409, 428],
    ),
    op("get", "/api/v1/cases/{id}/links", "list_case_links", Auth::Optional, Body::None, &[200, 404]),
    op(
        "post",
        "/api/v1/cases/{id}/links",
        "create_case_link",
        Auth::Required,
        Body::Required("LinkRequest"),
        &[201, 403, 404, 409],
    ),
    op(
        "delete",
        "/api/v1/cases/{id}/links/{link_id}",
        "delete_case_link",
        Auth::Required,
        Body::None,
        &[204, 403, 404, 409],
    ),
    op("get", "/api/v1/cases/{id}/checkins", "list_case_checkins", Auth::Optional, Body::None, &[200, 404]),
    op(
        "post",
        "/api/v1/cases/{id}/checkins",
        "create_case_checkin",
        Auth::Required,
        Body::Required("CheckinRequest"),
        &[201, 403, 404, 409],
    ),
    op("get", "/api/v1/cases/{id}/checkin-schedule", "get_checkin_schedule", Auth::Optional, Body::None, &[200, 404]),
    op(
        "put",
        "/api/v1/cases/{id}/checkin-schedule",
        "set_checkin_schedule",
        Auth::Required,
        Body::Required("ScheduleRequest"),
        &[200, 403, 404, 409],
    ),
    op("get", "/api/v1/rooms", "list_rooms", Auth::Optional, Body::None, &[200]),
    op("post", "/api/v1/rooms", "create_room", Auth::Required, Body::Required("RoomInput"), &[201, 403, 409]),
    op("get", "/api/v1/rooms/{slug}", "get_room", Auth::Optional, Body::None, &[200, 404]),
    op("post", "/api/v1/rooms/{slug}/join", "join_room", Auth::Required, Body::None, &[200, 404, 409]),
    op("post", "/api/v1/rooms/{slug}/leave", "leave_room", Auth::Required, Body::None, &[204, 404, 409]),
    op(
        "post",
        "/api/v1/rooms/{slug}/invitations",
        "invite_to_room",
        Auth::Required,
        Body::Required("InvitationInput"),
        &[200, 403, 404],
    ),
    op(
        "post",
        "/api/v1/rooms/{slug}/members/{account}",
        "decide_member",
        Auth::Required,
        Body::Required("MemberDecision"),
        &[200, 403, 404, 409],
    ),
    op("get", "/api/v1/threads", "list_threads", Auth::Optional, Body::None, &[200, 400, 404]),
    op(
        "post",
        "/api/v1/threads",
        "create_thread",
        Auth::Required,
        Body::Required("ThreadInput"),
        &[201, 403, 404, 409, 429],
    ),
    op("get", "/api/v1/threads/{id}", "get_thread", Auth::Optional, Body::None, &[200, 400, 404]),
    op(
        "post",
        "/api/v1/threads/{id}/posts",
        "create_post",
        Auth::Required,
        Body::Required("PostInputBody"),
        &[201, 403, 404, 409, 429],
    ),
    op(
        "put",
        "/api/v1/posts/{id}",
        "update_post",
        Auth::Required,
        Body::Required("PostEdit"),
        &[200, 403, 404, 409, 428],
    ),
    op(
        "post",
        "/api/v1/posts/{id}/translations",
        "translate_post",
        Auth::Required,
        Body::Required("TranslationInput"),
        &[204, 403, 404],
    ),
    op("get", "/api/v1/posts/{id}/history", "post_history", Auth::Required, Body::None, &[200, 403, 404]),
    op("post", "/api/v1/posts/{id}/flags", "flag_post", Auth::Required, Body::Required("FlagInput"), &[201, 404, 409]),
    op(
        "post",
        "/api/v1/posts/{id}/moderation",
        "moderate_post",
        Auth::Required,
        Body::Required("PostDecision"),
        &[200, 403, 404],
    ),
    op(
        "post",
        "/api/v1/threads/{id}/moderation",
        "moderate_thread",
        Auth::Required,
        Body::Required("ThreadDecision"),
        &[200, 403, 404],
    ),
    op(
        "post",
        "/api/v1/accounts/{id}/suspension",
        "suspend_posting",
        Auth::Required,
        Body::Required("SuspensionInput"),
        &[200, 403, 404],
    ),
    op("get", "/api/v1/moderation/queue", "moderation_queue", Auth::Required, Body::None, &[200, 403]),
    op("get", "/api/v1/moderation/log", "moderation_log", Auth::Required, Body::None, &[200, 403]),
    op("get", "/api/v1/moderation/mine", "my_moderation", Auth::Required, Body::None, &[200]),
    op(
        "post",
        "/api/v1/moderation/{id}/appeal",
        "appeal_decision",
        Auth::Required,
        Body::Required("AppealInput"),
        &[204, 404, 409],
    ),
    op("get", "/api/v1/moderation/appeals", "moderation_appeals", Auth::Required, Body::None, &[200, 403]),
    op(
        "post",
        "/api/v1/moderation/{id}/appeal/decision",
        "decide_appeal",
        Auth::Required,
        Body::Required("AppealDecisionInput"),
        &[200, 403, 404, 409],
    ),
    op("get", "/api/v1/subscriptions", "list_subscriptions", Auth::Required, Body::None, &[200]),
    op("post", "/api/v1/subscriptions", "subscribe", Auth::Required, Body::Required("SubscriptionBody"), &[200]),
    op("delete", "/api/v1/subscriptions/{target}", "unsubscribe", Auth::Required, Body::None, &[204, 404]),
    op("get", "/api/v1/notifications", "list_notifications", Auth::Required, Body::None, &[200, 400]),
    op("post", "/api/v1/notifications/read", "read_all_notifications", Auth::Required, Body::None, &[204]),
    op("post", "/api/v1/notifications/{id}/read", "read_notification", Auth::Required, Body::None, &[204, 404]),
    op("post", "/api/v1/notifications/feed", "new_inbox_feed", Auth::Required, Body::None, &[201]),
    op("delete", "/api/v1/notifications/feed", "revoke_inbox_feed", Auth::Required, Body::None, &[204]),
    op("get", "/healthz", "healthz", Auth::None, Body::None, &[200]),
    op("get", "/readyz", "readyz", Auth::None, Body::None, &[200, 503]),
];

/// Operations that never touch the store, so are never 503.
const NO_STORE: [&str; 2] = ["vocabularies", "healthz"];

fn problem_description(status: u16) -> &'static str {
    match status {
        400 => "The request is malformed: a body that is not a JSON object, or a parameter the server cannot read",
        401 => "Sign in or send a valid API token (an unknown or malformed token is refused)",
        403 => "The account may not do this",
        404 => "No such record, or one the caller may not see (drafts are not revealed)",
        409 => "The record changed since the version sent, is a duplicate, or its status does not allow this step",
        413 => "The request body is larger than 1 MiB",
        415 => "The body is not sent as application/json",
        422 => "The body's fields are not valid; `errors` names each one",
        428 => "Send the version edited (an If-Match header or a `version` field)",
        429 => "Too many failed sign-ins, or posts too fast; Retry-After says when to try again",
        503 => "The store is busy or not ready; try again",
        _ => "An error",
    }
}

/// Sets `key` of a JSON object (nothing for other values).
fn set(target: &mut Value, key: &str, value: Value) {
    if let Some(map) = target.as_object_mut() {
        map.insert(key.to_owned(), value);
    }
}

/// Rewrites `doc` (as utoipa generated it) into the exact contract.
pub fn apply(doc: &mut Value, facts: &NodeFacts) {
    add_schemas(doc, facts);
    for spec in OPS {
        let pointer = format!("/paths/{}/{}", spec.path.replace('~', "~0").replace('/', "~1"), spec.method);
        let Some(Value::Object(operation)) = doc.pointer_mut(&pointer) else {
            tracing::warn!(
                path = spec.path,
                method = spec.method,
                "an operation of the contract is not in the document"
            );
            continue;
        };
        operation.insert("operationId".into(), json!(spec.id));
        security(operation, spec.auth);
        request_body(operation, spec.body);
        responses(operation, spec);
        parameters(operation, spec.id, facts);
        links(operation, spec.id);
    }
}

fn security(operation: &mut Map<String, Value>, auth: Auth) {
    match auth {
        Auth::None => {
            operation.remove("security");
        }
        Auth::Optional => {
            operation.insert("security".into(), json!([{}, {"bearer": []}, {"session": []}]));
        }
        Auth::Required => {
            operation.insert("security".into(), json!([{"bearer": []}, {"session": []}]));
        }
    }
}

fn request_body(operation: &mut Map<String, Value>, body: Body) {
    let (schema, required) = match body {
        Body::None => {
            operation.remove("requestBody");
            return;
        }
        Body::Optional(s) => (s, false),
        Body::Required(s) => (s, true),
        Body::Upload(json_schema, form) => {
            operation.insert(
                "requestBody".into(),
                json!({
                    "description": "A link as JSON, or a file with its fields as multipart/form-data",
                    "required": true,
                    "content": {
                        "application/json": {"schema": {"$ref": format!("#/components/schemas/{json_schema}")}},
                        "multipart/form-data": {"schema": {"$ref": format!("#/components/schemas/{form}")}},
                    }
                }),
            );
            return;
        }
    };
    let description = if required { "Required" } else { "Optional: the step needs no body" };
    operation.insert(
        "requestBody".into(),
        json!({
            "description": description,
            "required": required,
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}
        }),
    );
}

fn responses(operation: &mut Map<String, Value>, spec: &Op) {
    let mut statuses: Vec<u16> = spec.statuses.to_vec();
    if spec.auth != Auth::None {
        statuses.push(401);
    }
    if !matches!(spec.body, Body::None) {
        statuses.extend([400, 413, 415, 422]);
    }
    if !NO_STORE.contains(&spec.id) {
        statuses.push(503);
    }
    statuses.sort_unstable();
    statuses.dedup();
    let responses = operation.entry("responses").or_insert_with(|| json!({}));
    let Some(responses) = responses.as_object_mut() else { return };
    // Statuses the operation cannot answer go; the rest are completed.
    responses.retain(|code, _| code.parse::<u16>().is_ok_and(|c| statuses.contains(&c)));
    for status in statuses {
        if status < 400 || (spec.id == "readyz" && status == 503) {
            if !responses.contains_key(&status.to_string()) {
                responses.insert(status.to_string(), json!({"description": "Success"}));
            }
            continue;
        }
        let mut response = json!({
            "description": problem_description(status),
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        });
        if status == 401 {
            set(
                &mut response,
                "headers",
                json!({"WWW-Authenticate": {"required": true, "schema": {"type": "string", "const": "Bearer"}}}),
            );
        }
        if status == 429 {
            set(
                &mut response,
                "headers",
                json!({"Retry-After": {"required": true, "schema": {"type": "integer", "minimum": 1}}}),
            );
        }
        responses.insert(status.to_string(), response);
    }
}

/// An e-mail address as the server accepts it: one @, a dot in the domain.
const EMAIL: &str = "^[!#-?A-~]+@[!#-\\-/-?A-~][!#-?A-~]*\\.[!#-?A-~]*[!#-\\-/-?A-~]$";

fn codes(terms: &[vocab::Term]) -> Vec<&'static str> {
    terms.iter().map(|t| t.code).collect()
}

fn languages() -> Vec<&'static str> {
    codes(vocab::LANGUAGES)
}

fn enum_of<T: serde::Serialize>(values: &[T]) -> Value {
    json!({"type": "string", "enum": values})
}

fn url() -> Value {
    json!({"type": "string", "format": "uri", "maxLength": 2000, "pattern": URL})
}

/// A value the server drops when blank (after trimming).
fn or_blank(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "string", "pattern": format!("^{EDGE}$")}]})
}

fn email() -> Value {
    json!({"type": "string", "description": "An e-mail address: one @ and a dot in the domain", "maxLength": 254, "pattern": EMAIL})
}

/// Text per language: known language codes, values of at most `max` characters.
fn text(max: usize) -> Value {
    let value = json!({"type": "string", "maxLength": max, "pattern": format!("^{EDGE}{TEXT_CHARS}{EDGE}$")});
    json!({
        "type": "object",
        "description": "Text per language (ISO 639-1 code → text); blank values count as absent (under any key).",
        "patternProperties": {format!("^({})$", languages().join("|")): value},
        "additionalProperties": {"type": "string", "pattern": format!("^{EDGE}$")},
    })
}

/// Text per language with at least one language not blank.
fn text_required(max: usize) -> Value {
    let mut t = text(max);
    let any: Vec<Value> = languages()
        .into_iter()
        .map(|l| json!({"required": [l], "properties": {l: {"type": "string", "pattern": NON_BLANK}}}))
        .collect();
    set(&mut t, "anyOf", Value::Array(any));
    set(&mut t, "minProperties", json!(1));
    t
}

/// Dates up to the end of last year (a confirmation is never in the future).
fn past_date(this_year: i32) -> Value {
    let years: Vec<String> = (2000..this_year).map(|y| y.to_string()).collect();
    json!({
        "type": "string",
        "format": "date",
        "description": "Not in the future.",
        "pattern": format!("^(1[0-9]{{3}}|{})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$", years.join("|")),
    })
}

fn org_ref(facts: &NodeFacts) -> Value {
    json!({"type": "string", "description": "The id of an organisation on this node.", "enum": facts.organisations})
}

fn code_list(terms: &[vocab::Term]) -> Value {
    json!({"type": "array", "maxItems": validate::MAX_LIST, "uniqueItems": true, "items": enum_of(&codes(terms))})
}

/// The fields an author writes, closed and constrained as validation checks them.
fn case_content(facts: &NodeFacts) -> Map<String, Value> {
    let sections: Map<String, Value> = lumbung_core::Sections::default()
        .iter()
        .iter()
        .map(|(n, _)| ((*n).to_owned(), text(validate::MAX_SECTION)))
        .collect();
    let orgs = if facts.organisations.is_empty() {
        json!({"type": "array", "maxItems": 0})
    } else {
        json!({"type": "array", "maxItems": validate::MAX_LIST, "uniqueItems": true, "items": org_ref(facts)})
    };
    let props = json!({
        "title": text(validate::MAX_TITLE),
        "summary": text(validate::MAX_SUMMARY),
        "original_language": {"type": "string", "enum": languages(), "description": "The language the case was written in; the title must be given in it."},
        "country": nullable(enum_of(&codes(vocab::COUNTRIES))),
        "region": nullable(line(validate::MAX_SHORT)),
        "city": nullable(line(validate::MAX_SHORT)),
        "place": nullable(enum_of(&codes(vocab::id_place_terms()))),
        "level_of_government": nullable(enum_of(&codes(vocab::LEVELS_OF_GOVERNMENT))),
        "organisations": orgs,
        "partners": {"type": "array", "maxItems": validate::MAX_LIST, "items": line(validate::MAX_SHORT)},
        "sectors": code_list(vocab::SECTORS),
        "innovation_facets": code_list(vocab::INNOVATION_FACETS),
        "lifecycle_stage": nullable(enum_of(&codes(vocab::LIFECYCLE_STAGES))),
        "sdgs": {"type": "array", "uniqueItems": true, "items": {"type": "integer", "minimum": 1, "maximum": 17}},
        "tags": {"type": "array", "maxItems": validate::MAX_LIST, "items": line(validate::MAX_SHORT)},
        "digital": {"type": ["boolean", "null"]},
        "year_launched": {"type": ["integer", "null"], "minimum": 1900, "maximum": facts.this_year + 1},
        "website": nullable(or_blank(url())),
        "source_url": nullable(or_blank(url())),
        "sections": {"type": "object", "additionalProperties": false, "properties": sections},
        "links": {"type": "array", "maxItems": validate::MAX_LIST, "items": {
            "type": "object", "additionalProperties": false, "required": ["url"],
            "properties": {"url": url(), "title": nullable(line(validate::MAX_SHORT))}
        }},
        "contact": nullable(json!({
            "type": "object", "additionalProperties": false,
            "properties": {"name": nullable(line(validate::MAX_SHORT)), "email": nullable(or_blank(email())), "organisation": nullable(line(validate::MAX_SHORT))}
        })),
        "operating_status": nullable(enum_of(&codes(vocab::OPERATING_STATUSES))),
        "operating_status_date": {"type": ["string", "null"], "format": "date"},
        "last_confirmed": nullable(past_date(facts.this_year)),
    });
    let Value::Object(mut props) = props else { return Map::new() };
    // Keep only fields the server reads, so the two cannot drift apart silently.
    props.retain(|k, _| lumbung_core::CaseContent::FIELDS.contains(&k.as_str()));
    props
}

/// A case body: content plus the node's fields, read-only (sent back, ignored).
fn case_body(facts: &NodeFacts, update: bool) -> Value {
    let mut props = case_content(facts);
    for field in lumbung_core::Case::NODE_FIELDS {
        props.insert(field.to_owned(), json!({"readOnly": true, "description": "Kept by the node; ignored when sent"}));
    }
    let mut required = vec!["original_language", "title"];
    if update {
        props.insert(
            "version".into(),
            json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64,
                   "description": "The version edited (or send If-Match); a stale version gets 409"}),
        );
        required.push("version");
    }
    let title_in_original: Vec<Value> = languages()
        .into_iter()
        .map(|l| {
            json!({"properties": {
                "original_language": {"const": l},
                "title": {"required": [l], "properties": {l: {"type": "string", "pattern": NON_BLANK}}}
            }})
        })
        .collect();
    let discontinued_has_date = json!({"anyOf": [
        {"properties": {"operating_status": {"not": {"const": "discontinued"}}}},
        {"required": ["operating_status_date"], "properties": {"operating_status_date": {"type": "string"}}}
    ]});
    // That a place code is Indonesia's (with no country it implies it) is said
    // in words: a third cross-field `anyOf` beside the 17 languages' is more
    // than schemathesis can generate from (it stops with "does not support").
    json!({
        "type": "object",
        "description": "A case as an author writes it. Vocabulary fields hold codes (GET /api/v1/vocabularies); the title is required in the original language; a discontinued innovation needs its operating_status_date; a place (an official code of id_places) is in Indonesia: with another country it is refused (422), with none it sets Indonesia.",
        "additionalProperties": false,
        "required": required,
        "properties": props,
        "allOf": [{"anyOf": title_in_original}, discontinued_has_date],
        "example": {"original_language": "id", "title": {"id": "Layanan baru", "en": "A new service"}, "country": "ID", "sectors": ["health"]},
    })
}

fn organisation_body(facts: &NodeFacts, update: bool) -> Value {
    let mut props = json!({
        "name": text_required(validate::MAX_SHORT),
        "acronym": nullable(line(validate::MAX_SHORT)),
        "org_type": enum_of(&codes(vocab::ORGANISATION_TYPES)),
        "level_of_government": nullable(enum_of(&codes(vocab::LEVELS_OF_GOVERNMENT))),
        "country": nullable(enum_of(&codes(vocab::COUNTRIES))),
        "parent": if facts.organisations.is_empty() { json!({"type": "null"}) } else { nullable(org_ref(facts)) },
        "website": nullable(or_blank(url())),
        "created_at": {"readOnly": true},
        "updated_at": {"readOnly": true},
    });
    let mut required = vec!["name", "org_type"];
    if update {
        set(&mut props, "id", json!({"readOnly": true}));
        set(&mut props, "version", json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64}));
        required.push("version");
    } else {
        set(
            &mut props,
            "id",
            json!({"type": "string", "pattern": SLUG, "description": "A slug such as `kemenpan-rb`", "example": "contoh-organisasi-baru"}),
        );
        set(&mut props, "version", json!({"readOnly": true}));
        required.push("id");
    }
    json!({"type": "object", "additionalProperties": false, "required": required, "properties": props})
}

fn add_schemas(doc: &mut Value, facts: &NodeFacts) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else { return };
    let name = || json!({"type": "string", "maxLength": validate::MAX_SHORT, "pattern": NON_BLANK});
    let password =
        json!({"type": "string", "minLength": crate::auth::MIN_PASSWORD, "maxLength": crate::auth::MAX_PASSWORD});
    let version = json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64});
    let org = if facts.organisations.is_empty() { json!({"type": "null"}) } else { nullable(org_ref(facts)) };
    let comment = json!({"type": ["string", "null"], "maxLength": validate::MAX_SUMMARY});
    let new: Vec<(&str, Value)> = vec![
        ("CaseInput", case_body(facts, false)),
        ("CaseUpdate", case_body(facts, true)),
        ("OrganisationInput", organisation_body(facts, false)),
        ("OrganisationUpdate", organisation_body(facts, true)),
        (
            "LoginRequest",
            json!({"type": "object", "additionalProperties": false, "required": ["email", "password"],
            "properties": {"email": {"type": "string"}, "password": {"type": "string"}}}),
        ),
        (
            "PasswordChange",
            json!({"type": "object", "additionalProperties": false, "required": ["current_password", "new_password"],
            "properties": {"current_password": {"type": "string", "description": "A wrong one is 403"}, "new_password": password.clone()}}),
        ),
        (
            "AccountCreate",
            json!({"type": "object", "additionalProperties": false, "required": ["email", "name", "role", "password"],
            "properties": {"email": email(), "name": name(), "role": {"$ref": "#/components/schemas/Role"},
                           "organisation": org.clone(), "password": password}}),
        ),
        (
            "AccountUpdate",
            json!({"type": "object", "additionalProperties": false, "required": ["version"],
            "description": "Changes to an account; absent fields stay as they are. Administrators cannot disable themselves or drop their own role (403).",
            "properties": {"name": name(), "role": {"$ref": "#/components/schemas/Role"}, "organisation": org,
                           "disabled": {"type": "boolean"}, "version": version.clone(),
                           "id": {"readOnly": true}, "email": {"readOnly": true},
                           "created_at": {"readOnly": true}, "updated_at": {"readOnly": true}}}),
        ),
        (
            "TransitionRequest",
            json!({"type": "object", "additionalProperties": false,
            "properties": {"comment": comment.clone(), "version": {"type": ["integer", "null"], "minimum": 1, "maximum": 9_007_199_254_740_991_i64,
                "description": "The version acted on; when given, a stale version gets 409"}}}),
        ),
        (
            "ReturnRequest",
            json!({"type": "object", "additionalProperties": false, "required": ["comment"],
            "properties": {"comment": {"type": "string", "maxLength": validate::MAX_SUMMARY, "pattern": NON_BLANK,
                "description": "Why the case goes back to its author"},
                "version": {"type": ["integer", "null"], "minimum": 1, "maximum": 9_007_199_254_740_991_i64}}}),
        ),
        (
            "NominateRequest",
            json!({"type": "object", "additionalProperties": false, "required": ["to"],
            "properties": {"to": {"type": "string", "enum": facts.upstreams, "description": "One of this node's upstream nodes"},
                           "note": {"type": ["string", "null"], "maxLength": 5000}}}),
        ),
        (
            "DecisionRequest",
            json!({"type": "object", "additionalProperties": false,
            "properties": {"note": {"type": ["string", "null"]}}}),
        ),
        (
            "DeclineRequest",
            json!({"type": "object", "additionalProperties": false, "required": ["note"],
            "properties": {"note": {"type": "string", "pattern": NON_BLANK, "description": "Why the nomination is declined"}}}),
        ),
    ];
    let resources = super::resource_contract::schemas(text, text_required, url, code_list);
    for (name, schema) in new.into_iter().chain(dialogue_schemas()).chain(resources) {
        schemas.insert(name.to_owned(), schema);
    }
    schemas.insert("LinkRequest".to_owned(), link_request(facts));
    schemas.insert("CheckinRequest".to_owned(), checkin_request(facts));
    schemas.insert(
        "ScheduleRequest".to_owned(),
        json!({"type": "object", "additionalProperties": false, "required": ["interval_months"],
        "properties": {"interval_months": {"type": ["integer", "null"], "minimum": 1,
            "maximum": lumbung_core::checkin::MAX_INTERVAL_MONTHS,
            "description": "Months between check-ins; null returns to the node's interval"}}}),
    );

    // Problem details as the server writes them.
    if let Some(Value::Object(problem)) = schemas.get_mut("Problem") {
        problem.insert("additionalProperties".into(), json!(false));
        if let Some(props) = problem.get_mut("properties") {
            set(props, "type", json!({"type": "string", "format": "uri", "pattern": "^urn:lumbung:problem:[a-z-]+$"}));
            set(props, "status", json!({"type": "integer", "minimum": 400, "maximum": 599}));
        }
    }
}

/// A replication link as `POST /api/v1/cases/{id}/links` takes it.
fn link_request(facts: &NodeFacts) -> Value {
    use lumbung_core::diffusion::{self, LinkKind};
    let kinds: Vec<&str> = LinkKind::ALL.iter().map(|k| k.as_str()).collect();
    let ulid = "[0-9A-HJKMNP-TV-Z]{26}";
    let target = format!(
        "^{EDGE}({ulid}|oai:[a-z0-9._-]{{1,64}}:case/{ulid}|https?://[^\\s/?#]+(/[^\\s?#]*)?/cases/{ulid}/?([?#][^\\s]*)?){EDGE}$"
    );
    json!({"type": "object", "additionalProperties": false, "required": ["kind", "target"],
    "properties": {
        "kind": enum_of(&kinds),
        "target": {"type": "string", "maxLength": 2000, "pattern": target,
            "description": "The source: a case id on this node, a global identifier oai:<node>:case/<id>, or a case page URL. A well-formed source that is not a published case here (by id or page URL) is 404."},
        "changes": nullable(json!({"type": "string", "maxLength": diffusion::MAX_CHANGES, "pattern": format!("^{EDGE}{TEXT_CHARS}{EDGE}$")})),
        "country": nullable(or_blank(enum_of(&codes(vocab::COUNTRIES)))),
        "region": nullable(or_blank(line(diffusion::MAX_REGION))),
        "year": {"type": ["integer", "null"], "minimum": diffusion::MIN_YEAR, "maximum": facts.this_year + 1},
    }})
}

/// A check-in answer as `POST /api/v1/cases/{id}/checkins` takes it: one
/// shape per answer, since `changed` needs what_changed and `discontinued`
/// needs when and why.
fn checkin_request(facts: &NodeFacts) -> Value {
    use lumbung_core::checkin::{MAX_TEXT, REASONS};
    let text = || json!({"type": "string", "maxLength": MAX_TEXT, "pattern": format!("^{EDGE}{TEXT_CHARS}{EDGE}$")});
    let filled = || required_text(MAX_TEXT);
    let variant = |answers: &[&str], required: &[&str], extra: Value| {
        let mut props = json!({
            "answer": enum_of(answers),
            "what_changed": nullable(text()),
            "discontinued_on": nullable(past_date(facts.this_year)),
            "reason": nullable(enum_of(&REASONS)),
            "lessons": nullable(text()),
        });
        if let (Some(p), Some(e)) = (props.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                p.insert(k.clone(), v.clone());
            }
        }
        json!({"type": "object", "additionalProperties": false, "required": required, "properties": props})
    };
    json!({"oneOf": [
        variant(&["still_running", "scaled_up"], &["answer"], json!({})),
        variant(&["changed"], &["answer", "what_changed"], json!({"what_changed": filled()})),
        variant(&["discontinued"], &["answer", "discontinued_on", "reason"],
            json!({"discontinued_on": past_date(facts.this_year), "reason": enum_of(&REASONS)})),
    ]})
}

/// A post's text as the server accepts it: not blank, at most 20,000
/// characters, no control characters but tab and line breaks, at most two
/// links (the limit of accounts younger than a day).
fn post_text() -> Value {
    json!({"type": "string", "maxLength": lumbung_core::dialogue::MAX_POST, "pattern": filled(TEXT_CHARS),
           "not": {"pattern": "(https?://[\\s\\S]*){3}"}})
}

/// The dialogue's request bodies, closed and constrained as the application layer checks them.
fn dialogue_schemas() -> Vec<(&'static str, Value)> {
    let langs = enum_of(&languages());
    let title = required_line(lumbung_core::dialogue::MAX_TITLE);
    let reason = required_line(2000);
    let no_id = json!({"type": "null", "description": "A post of this thread (an id elsewhere is 422); left out of the contract"});
    let sectors = codes(vocab::SECTORS).join("|");
    let countries = codes(vocab::COUNTRIES).join("|");
    vec![
        (
            "RoomInput",
            json!({"type": "object", "additionalProperties": false, "required": ["slug", "kind", "title"],
            "properties": {"slug": {"type": "string", "pattern": SLUG}, "kind": enum_of(&["public", "members", "private"]),
                "title": title.clone(), "description": {"type": ["string", "null"], "maxLength": 5000}}}),
        ),
        (
            "ThreadInput",
            json!({"oneOf": [
                {"type": "object", "additionalProperties": false, "required": ["room", "title", "body", "language"],
                 "description": "A thread in a room",
                 "properties": {"room": {"type": "string"}, "title": title.clone(), "body": post_text(), "language": langs.clone()}},
                {"type": "object", "additionalProperties": false, "required": ["case", "body", "language"],
                 "description": "A post on a published case's discussion",
                 "properties": {"case": {"type": "string"}, "ask": {"const": false}, "body": post_text(), "language": langs.clone()}},
                {"type": "object", "additionalProperties": false, "required": ["case", "ask", "title", "body", "language"],
                 "description": "A question to a published case's team",
                 "properties": {"case": {"type": "string"}, "ask": {"const": true}, "title": title, "body": post_text(), "language": langs.clone()}},
            ]}),
        ),
        (
            "PostInputBody",
            json!({"type": "object", "additionalProperties": false, "required": ["body", "language"],
            "properties": {"body": post_text(), "language": langs.clone(), "reply_to": no_id.clone(), "quote_of": no_id}}),
        ),
        (
            "PostEdit",
            json!({"type": "object", "additionalProperties": false, "required": ["body", "version"],
            "properties": {"body": post_text(), "language": nullable(langs.clone()),
                "version": {"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64}}}),
        ),
        (
            "TranslationInput",
            json!({"type": "object", "additionalProperties": false, "required": ["language", "body"],
            "description": "Into a language other than the post's (the same one is 422)",
            "properties": {"language": langs, "body": post_text()}}),
        ),
        (
            "InvitationInput",
            json!({"type": "object", "additionalProperties": false, "required": ["handle"],
            "properties": {"handle": {"type": "string", "pattern": "^@?[a-z0-9_]{3,30}$"}}}),
        ),
        (
            "MemberDecision",
            json!({"type": "object", "additionalProperties": false, "required": ["decision"],
            "properties": {"decision": enum_of(&["approve", "refuse", "remove", "moderator"])}}),
        ),
        (
            "FlagInput",
            json!({"oneOf": [
                {"type": "object", "additionalProperties": false, "required": ["reason"],
                 "properties": {"reason": enum_of(&["spam", "offensive", "off_topic"]), "note": {"type": ["string", "null"], "maxLength": 2000}}},
                {"type": "object", "additionalProperties": false, "required": ["reason", "note"],
                 "properties": {"reason": {"const": "other"}, "note": {"type": "string", "maxLength": 2000, "pattern": NON_BLANK}}},
            ]}),
        ),
        (
            "PostDecision",
            json!({"type": "object", "additionalProperties": false, "required": ["decision", "reason"],
            "properties": {"decision": enum_of(&["hide", "restore"]), "reason": reason.clone()}}),
        ),
        (
            "ThreadDecision",
            json!({"type": "object", "additionalProperties": false, "required": ["decision", "reason"],
            "properties": {"decision": enum_of(&["lock", "unlock"]), "reason": reason.clone()}}),
        ),
        (
            "SuspensionInput",
            json!({"type": "object", "additionalProperties": false, "required": ["until", "reason"],
            "properties": {"until": {"type": "string", "format": "date-time", "description": "In the future",
                "pattern": "^2[1-9][0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"},
                "reason": reason.clone()}}),
        ),
        (
            "AppealInput",
            json!({"type": "object", "additionalProperties": false, "required": ["body"],
            "properties": {"body": {"type": "string", "maxLength": 2000, "pattern": NON_BLANK}}}),
        ),
        (
            "AppealDecisionInput",
            json!({"type": "object", "additionalProperties": false, "required": ["decision", "reason"],
            "properties": {"decision": enum_of(&["uphold", "overturn"]), "reason": reason}}),
        ),
        (
            "SubscriptionBody",
            json!({"type": "object", "additionalProperties": false, "required": ["target", "level"],
            "description": "Also case:ID, room:SLUG and thread:ID of what the caller can see (an unknown one is 422)",
            "properties": {"target": {"type": "string", "pattern": format!("^(sector:({sectors})|country:({countries}))$")},
                "level": enum_of(&["watching", "normal", "muted"])}}),
        ),
    ]
}

/// A multi-valued query filter: comma-separated values of a vocabulary.
fn filter(name: &str, description: &str, items: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description,
           "style": "form", "explode": false, "schema": {"type": "array", "items": items}})
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn path_param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": schema})
}

fn lang() -> Value {
    query("lang", "The reader's language for titles and snippets (default en)", enum_of(&languages()))
}

fn parameters(operation: &mut Map<String, Value>, id: &str, facts: &NodeFacts) {
    let _ = facts;
    let case_id = || path_param("id", "Case id (a ULID)", json!({"type": "string", "pattern": ULID}));
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let params: Vec<Value> = match id {
        "list_cases" => vec![
            filter("country", "ISO 3166-1 alpha-2 country codes", enum_of(&codes(vocab::COUNTRIES))),
            filter("sector", "Sector codes", enum_of(&codes(vocab::SECTORS))),
            filter("level", "Level of government codes", enum_of(&codes(vocab::LEVELS_OF_GOVERNMENT))),
            filter("stage", "Lifecycle stage codes", enum_of(&codes(vocab::LIFECYCLE_STAGES))),
            filter("facet", "Innovation facet codes", enum_of(&codes(vocab::INNOVATION_FACETS))),
            filter("sdg", "SDG numbers", enum_of(&codes(vocab::SDGS))),
            filter("organisation", "Organisation ids", json!({"type": "string"})),
            filter("tag", "Tags", json!({"type": "string"})),
            filter("status", "Workflow statuses (of those you may see)", enum_of(&statuses)),
            filter("operating_status", "Operating statuses", enum_of(&codes(vocab::OPERATING_STATUSES))),
            query(
                "year",
                "Year launched: `2019`, or a range `2015-2020` (a backwards range matches nothing)",
                json!({"type": "string", "pattern": "^[1-9][0-9]{3}(-[1-9][0-9]{3})?$"}),
            ),
            query("completeness", "`complete` (100) or `incomplete` (below 100)", enum_of(&["complete", "incomplete"])),
            query(
                "completeness_min",
                "Lowest completeness score",
                json!({"type": "integer", "minimum": 0, "maximum": 100}),
            ),
            query(
                "mine",
                "`true`: only cases you submitted (needs an account: 401 otherwise)",
                json!({"type": "boolean"}),
            ),
            query("limit", "Page size (default 20)", json!({"type": "integer", "minimum": 1, "maximum": 100})),
            query(
                "cursor",
                "The `next` value of the previous page",
                json!({"type": "string", "pattern": "^[A-Za-z0-9]{0,64}$"}),
            ),
        ],
        "search" => vec![
            query(
                "q",
                "Words, \"phrases\", +required, -excluded",
                json!({"type": "string", "maxLength": lumbung_search::query::MAX_QUERY_CHARS}),
            ),
            lang(),
            filter("country", "Country codes", enum_of(&codes(vocab::COUNTRIES))),
            filter("level", "Level of government codes", enum_of(&codes(vocab::LEVELS_OF_GOVERNMENT))),
            filter("sector", "Sector codes", enum_of(&codes(vocab::SECTORS))),
            filter("facet", "Innovation facet codes", enum_of(&codes(vocab::INNOVATION_FACETS))),
            filter("stage", "Lifecycle stage codes", enum_of(&codes(vocab::LIFECYCLE_STAGES))),
            filter("sdg", "SDG numbers", enum_of(&codes(vocab::SDGS))),
            filter("year", "Years launched", json!({"type": "string", "pattern": "^[0-9]{4}$"})),
            filter("organisation_type", "Organisation types", enum_of(&codes(vocab::ORGANISATION_TYPES))),
            filter("origin", "`local` or a node id", json!({"type": "string", "pattern": "^[a-z0-9._-]{1,64}$"})),
            filter("operating_status", "Operating statuses", enum_of(&codes(vocab::OPERATING_STATUSES))),
            filter("completeness", "`complete` or `incomplete`", enum_of(&["complete", "incomplete"])),
            filter("organisation", "Organisation ids", json!({"type": "string"})),
            filter(
                "confirmed",
                "When the case was last confirmed: within_12_months, earlier or never",
                enum_of(&["within_12_months", "earlier", "never"]),
            ),
            filter(
                "kind",
                "What to find: `case` (published cases; the default) and/or `discussion` (threads of public rooms and published cases, at /threads/{id})",
                enum_of(&lumbung_search::schema::KINDS),
            ),
            query("sort", "`relevance` (default with words) or `newest`", enum_of(&["relevance", "newest"])),
            query("limit", "Page size (default 20)", json!({"type": "integer", "minimum": 1, "maximum": 100})),
            query(
                "cursor",
                "The `next` value of the previous page",
                json!({"type": "string", "pattern": "^([0-9]{0,4}|10000)$"}),
            ),
        ],
        "suggest" => vec![
            query(
                "q",
                "What the user has typed so far (none: no suggestions)",
                json!({"type": "string", "maxLength": 100}),
            ),
            lang(),
        ],
        "related_cases" => vec![case_id(), lang()],
        "list_nominations" => vec![
            query("direction", "incoming (the queue; default) or outgoing", enum_of(&["incoming", "outgoing"])),
            query("state", "Only nominations in this state", enum_of(&codes(vocab::NOMINATION_STATES))),
        ],
        "diff_revisions" => vec![
            case_id(),
            json!({"name": "from", "in": "query", "required": true, "description": "The older version", "schema": {"type": "integer", "format": "int64"}}),
            json!({"name": "to", "in": "query", "required": true, "description": "The newer version", "schema": {"type": "integer", "format": "int64"}}),
        ],
        "get_revision" => {
            vec![case_id(), path_param("version", "Version", json!({"type": "integer", "format": "int64"}))]
        }
        "update_case" => vec![
            case_id(),
            json!({"name": "If-Match", "in": "header", "required": false,
                   "description": "The version edited, as the ETag gave it (`\"3\"`); must agree with the body's version",
                   "schema": {"type": "string", "pattern": "^(W/)?\"[1-9][0-9]{0,14}\"$"}}),
        ],
        "get_case" | "submit_case" | "return_case" | "publish_case" | "archive_case" | "list_revisions"
        | "case_federation" | "nominate_case" => vec![case_id()],
        "get_organisation" | "update_organisation" => {
            vec![path_param("id", "Organisation id (a slug)", json!({"type": "string", "pattern": SLUG}))]
        }
        "get_account" | "update_account" => {
            vec![path_param("id", "Account id (a ULID)", json!({"type": "string", "pattern": ULID}))]
        }
        "list_case_links"
        | "create_case_link"
        | "list_case_checkins"
        | "create_case_checkin"
        | "get_checkin_schedule"
        | "set_checkin_schedule" => vec![case_id()],
        "delete_case_link" => {
            vec![case_id(), path_param("link_id", "Link id (a ULID)", json!({"type": "string", "pattern": ULID}))]
        }
        "list_threads" => vec![
            query("room", "A room's slug (it wins when both are given)", json!({"type": "string"})),
            query("case", "A published case's id", json!({"type": "string"})),
        ],
        "get_thread" => vec![
            path_param("id", "Thread id", json!({"type": "string"})),
            query(
                "page",
                "Page of posts, from 1 (past the last: the last)",
                json!({"type": "integer", "minimum": 1, "maximum": 10_000}),
            ),
        ],
        "list_notifications" => {
            vec![query("page", "Page, from 1", json!({"type": "integer", "minimum": 1, "maximum": 10_000}))]
        }
        "update_post" => vec![
            path_param("id", "Post id", json!({"type": "string"})),
            json!({"name": "If-Match", "in": "header", "required": false,
                   "description": "The version edited (`\"3\"`); the body's version wins",
                   "schema": {"type": "string", "pattern": "^(W/)?\"[1-9][0-9]{0,14}\"$"}}),
        ],
        "list_resources" => vec![
            query(
                "type",
                "The kind of resource",
                enum_of(&lumbung_core::resource::ResourceType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
            ),
            query("case", "Resources serving this case", json!({"type": "string", "pattern": ULID})),
            query("event", "Resources of this event", json!({"type": "string", "pattern": ULID})),
            query("limit", "Page size", json!({"type": "integer", "minimum": 1, "maximum": 100})),
            query("cursor", "From the previous page's `next`", json!({"type": "string", "pattern": "^[0-9]{1,7}$"})),
        ],
        "list_collections" => vec![
            query("limit", "Page size", json!({"type": "integer", "minimum": 1, "maximum": 100})),
            query("cursor", "From the previous page's `next`", json!({"type": "string", "pattern": "^[0-9]{1,7}$"})),
        ],
        "get_resource" | "update_resource" | "delete_resource" => {
            let mut p = vec![path_param("id", "Resource id (a ULID)", json!({"type": "string", "pattern": ULID}))];
            if id == "delete_resource" {
                p.push(if_match());
            }
            p
        }
        "get_collection" | "update_collection" | "delete_collection" => {
            let mut p = vec![path_param("id", "Collection id (a slug)", json!({"type": "string", "pattern": SLUG}))];
            if id == "delete_collection" {
                p.push(if_match());
            }
            p
        }
        "accept_nomination" | "decline_nomination" => {
            vec![path_param("id", "Nomination id (a ULID)", json!({"type": "string", "pattern": ULID}))]
        }
        _ => return,
    };
    operation.insert("parameters".into(), Value::Array(params));
}

/// The version read, for a removal (without it: 428).
fn if_match() -> Value {
    json!({"name": "If-Match", "in": "header", "required": false,
           "description": "The version read (`\"3\"`); without it the removal is refused (428)",
           "schema": {"type": "string", "pattern": "^(W/)?\"[1-9][0-9]{0,14}\"$"}})
}

/// Where a response leads: links that walk create → read → update → workflow.
fn links(operation: &mut Map<String, Value>, id: &str) {
    let case = |op: &str| json!({"operationId": op, "parameters": {"id": "$response.body#/id"}});
    let (status, links) = match id {
        "create_case" => (
            "201",
            json!({
                "GetCase": case("get_case"), "UpdateCase": case("update_case"), "SubmitCase": case("submit_case"),
                "CaseRevisions": case("list_revisions"), "CaseFederation": case("case_federation"),
            }),
        ),
        "get_case" => ("200", json!({"UpdateCase": case("update_case"), "CaseRevisions": case("list_revisions")})),
        "create_resource" => (
            "201",
            json!({"GetResource": case("get_resource"), "UpdateResource": case("update_resource"),
                   "DeleteResource": case("delete_resource")}),
        ),
        "create_collection" => (
            "201",
            json!({"GetCollection": case("get_collection"), "UpdateCollection": case("update_collection"),
                   "DeleteCollection": case("delete_collection")}),
        ),
        "update_case" => (
            "200",
            json!({"GetCase": case("get_case"), "SubmitCase": case("submit_case"),
            "Diff": {"operationId": "diff_revisions", "parameters": {"id": "$response.body#/id", "from": 1, "to": "$response.body#/version"}}}),
        ),
        "submit_case" => ("200", json!({"PublishCase": case("publish_case"), "ReturnCase": case("return_case")})),
        "return_case" => ("200", json!({"UpdateCase": case("update_case"), "SubmitCase": case("submit_case")})),
        "publish_case" => (
            "200",
            json!({"ArchiveCase": case("archive_case"), "NominateCase": case("nominate_case"),
            "RelatedCases": case("related_cases"), "GetCase": case("get_case")}),
        ),
        "archive_case" => ("200", json!({"PublishCase": case("publish_case"), "GetCase": case("get_case")})),
        "list_revisions" => (
            "200",
            json!({"GetRevision": {"operationId": "get_revision",
            "parameters": {"id": "$request.path.id", "version": "$response.body#/0/version"}}}),
        ),
        "create_organisation" => (
            "201",
            json!({
                "GetOrganisation": {"operationId": "get_organisation", "parameters": {"id": "$response.body#/id"}},
                "UpdateOrganisation": {"operationId": "update_organisation", "parameters": {"id": "$response.body#/id"}},
            }),
        ),
        "create_account" => (
            "201",
            json!({
                "GetAccount": {"operationId": "get_account", "parameters": {"id": "$response.body#/id"}},
                "UpdateAccount": {"operationId": "update_account", "parameters": {"id": "$response.body#/id"}},
            }),
        ),
        _ => return,
    };
    if let Some(Value::Object(response)) = operation.get_mut("responses").and_then(|r| r.get_mut(status)) {
        response.insert("links".into(), links);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_document_is_in_the_contract() {
        let doc = crate::openapi::generated();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        let mut count = 0;
        for (path, item) in &paths {
            for method in item.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                count += 1;
                assert!(
                    OPS.iter().any(|o| o.path == path && o.method == method),
                    "{method} {path} is not in contract::OPS"
                );
            }
        }
        assert_eq!(count, OPS.len(), "contract::OPS names an operation the router lacks");
    }

    #[test]
    fn errors_are_problem_details_and_operation_ids_are_unique() {
        let mut doc = crate::openapi::generated();
        apply(&mut doc, &NodeFacts { organisations: vec!["lan".into()], upstreams: vec![], this_year: 2026 });
        let mut ids = std::collections::HashSet::new();
        for item in doc["paths"].as_object().into_iter().flat_map(|p| p.values()) {
            for op in item.as_object().into_iter().flat_map(|m| m.values()) {
                assert!(ids.insert(op["operationId"].as_str().unwrap_or_default().to_owned()));
                for (code, response) in op["responses"].as_object().into_iter().flatten() {
                    if code.starts_with('4') {
                        assert!(response["content"]["application/problem+json"].is_object(), "{code}");
                    }
                }
            }
        }
    }
}
