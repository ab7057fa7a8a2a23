//! Who may do what: every endpoint against every role, list visibility, the
//! private submitter field, and refused credentials.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{CaseBody, PASSWORD, TestApp, Who, assert_problem, organisation_body};
use lumbung_core::{Role, Status};
use lumbung_store::NewAccount;
use serde_json::{Value, json};

/// What a request in the matrix sends as its body.
#[derive(Debug, Clone, Copy)]
enum Payload {
    Nothing,
    /// A valid new case.
    Case,
    /// A valid case with the target case's current version.
    CaseEdit,
    /// A workflow comment.
    Comment,
    /// A new organisation with a fresh id.
    Organisation,
    /// The target organisation's details with its version.
    OrganisationEdit,
    /// A new account with a fresh e-mail.
    Account,
    /// A name change for the target account, with its version.
    AccountEdit,
    /// The caller's own password, changed to itself.
    Password,
    /// A sign-in with a wrong password for a fresh e-mail.
    Login,
    /// A valid new event.
    Event,
    /// A valid event with the target event's version.
    EventEdit,
    /// An outcome with the target event's version.
    Outcome,
    /// A valid new action item.
    Action,
    /// The target action item, marked done, with its version.
    ActionEdit,
    /// A new room with a fresh slug.
    Room,
    /// A new thread in the target room.
    Thread,
    /// A reply.
    Post,
    /// The target post's text changed, at version 1.
    PostEdit,
    /// A translation of the target post into Indonesian.
    Translation,
    /// An invitation of the reader (by handle).
    Invitation,
    /// Make the target member a moderator.
    MakeModerator,
    /// A flag (spam).
    Flag,
    /// A moderator's decision with a reason.
    Decision(&'static str),
    /// A suspension of posting for a day.
    Suspend,
    /// An appeal.
    Appeal,
    /// A decision on an appeal (uphold, with a reason).
    AppealDecision,
    /// Following the reform sector.
    Subscription,
    /// A new resource (a link).
    Resource,
    /// The target resource's description with its version.
    ResourceEdit,
    /// A new collection of the target published case.
    Collection,
    /// The target collection, retitled, with its version.
    CollectionEdit,
}

/// One row: the route as OpenAPI names it, the concrete request, and the
/// status expected for each caller, in the order of [`Who::ALL`]:
/// anonymous, reader, contributor (the owner of every fixture case), another
/// contributor, delegate, curator, admin.
///
/// Placeholders in `path`, each replaced by a fresh fixture for every cell:
/// `{draft}` `{submitted}` `{returned}` `{published}` `{archived}` (cases of
/// the contributor), `{org}` (an organisation), `{me}` (the caller's own
/// account; the reader's for anonymous), `{other}` (someone else's account).
struct Row {
    method: Method,
    route: &'static str,
    path: &'static str,
    send: Payload,
    expect: [u16; 7],
}

const fn row(method: Method, route: &'static str, path: &'static str, send: Payload, expect: [u16; 7]) -> Row {
    Row { method, route, path, send, expect }
}

const ALL_200: [u16; 7] = [200; 7];
const ALL_404: [u16; 7] = [404; 7];
/// Private cases: the owner and the editors see them, nobody else knows they exist.
const PRIVATE_READ: [u16; 7] = [404, 404, 200, 404, 404, 200, 200];
/// Changes to a private case: anonymous must sign in; others do not see it.
const PRIVATE_WRITE: [u16; 7] = [401, 404, 200, 404, 404, 200, 200];
/// Editors' steps on a case the owner sees but may not take.
const EDITOR_STEP_PRIVATE: [u16; 7] = [401, 404, 403, 404, 404, 200, 200];
/// Editors' steps on a published case everyone sees.
const EDITOR_STEP_PUBLIC: [u16; 7] = [401, 403, 403, 403, 403, 200, 200];
/// The history of a published case: its author and editors only.
const HISTORY_PUBLIC: [u16; 7] = [401, 403, 200, 403, 403, 200, 200];
/// The history of a private case: anonymous must sign in (whether or not it
/// exists); others who may not see the case do not learn it exists.
const HISTORY_PRIVATE: [u16; 7] = [401, 404, 200, 404, 404, 200, 200];
/// Organisations are kept by curators and administrators.
const EDITORS_ONLY: [u16; 7] = [401, 403, 403, 403, 403, 200, 200];
const EDITORS_CREATE: [u16; 7] = [401, 403, 403, 403, 403, 201, 201];
/// Accounts are kept by administrators.
const ADMIN_ONLY: [u16; 7] = [401, 403, 403, 403, 403, 403, 200];
/// Removals need the version read (If-Match): editors without it get 428.
const EDITORS_428: [u16; 7] = [401, 403, 403, 403, 403, 428, 428];
const SIGNED_IN: [u16; 7] = [401, 200, 200, 200, 200, 200, 200];

const NO_SUCH_CASE: &str = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

fn matrix() -> Vec<Row> {
    use Method as M;
    use Payload as S;
    vec![
        // cases
        row(M::GET, "/api/v1/cases", "/api/v1/cases", S::Nothing, ALL_200),
        // The fixture case is Indonesian; the delegate represents the Philippines.
        row(M::POST, "/api/v1/cases", "/api/v1/cases", S::Case, [401, 403, 201, 201, 422, 201, 201]),
        row(M::GET, "/api/v1/cases/{id}", "/api/v1/cases/{draft}", S::Nothing, PRIVATE_READ),
        row(M::GET, "/api/v1/cases/{id}", "/api/v1/cases/{submitted}", S::Nothing, PRIVATE_READ),
        row(M::GET, "/api/v1/cases/{id}", "/api/v1/cases/{returned}", S::Nothing, PRIVATE_READ),
        row(M::GET, "/api/v1/cases/{id}", "/api/v1/cases/{published}", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/cases/{id}", "/api/v1/cases/{archived}", S::Nothing, PRIVATE_READ),
        row(M::GET, "/api/v1/cases/{id}", "/api/v1/cases/NO_SUCH_CASE", S::Nothing, ALL_404),
        row(M::PUT, "/api/v1/cases/{id}", "/api/v1/cases/{draft}", S::CaseEdit, PRIVATE_WRITE),
        row(M::PUT, "/api/v1/cases/{id}", "/api/v1/cases/{returned}", S::CaseEdit, PRIVATE_WRITE),
        row(M::PUT, "/api/v1/cases/{id}", "/api/v1/cases/{submitted}", S::CaseEdit, EDITOR_STEP_PRIVATE),
        row(M::PUT, "/api/v1/cases/{id}", "/api/v1/cases/{published}", S::CaseEdit, EDITOR_STEP_PUBLIC),
        row(M::PUT, "/api/v1/cases/{id}", "/api/v1/cases/{archived}", S::CaseEdit, [401, 404, 403, 404, 404, 403, 403]),
        row(
            M::PUT,
            "/api/v1/cases/{id}",
            "/api/v1/cases/NO_SUCH_CASE",
            S::CaseEdit,
            [401, 404, 404, 404, 404, 404, 404],
        ),
        row(M::POST, "/api/v1/cases/{id}/submit", "/api/v1/cases/{draft}/submit", S::Nothing, PRIVATE_WRITE),
        row(M::POST, "/api/v1/cases/{id}/submit", "/api/v1/cases/{returned}/submit", S::Nothing, PRIVATE_WRITE),
        row(M::POST, "/api/v1/cases/{id}/return", "/api/v1/cases/{submitted}/return", S::Comment, EDITOR_STEP_PRIVATE),
        row(
            M::POST,
            "/api/v1/cases/{id}/publish",
            "/api/v1/cases/{submitted}/publish",
            S::Nothing,
            EDITOR_STEP_PRIVATE,
        ),
        row(M::POST, "/api/v1/cases/{id}/publish", "/api/v1/cases/{archived}/publish", S::Nothing, EDITOR_STEP_PRIVATE),
        row(M::POST, "/api/v1/cases/{id}/archive", "/api/v1/cases/{published}/archive", S::Nothing, EDITOR_STEP_PUBLIC),
        row(M::GET, "/api/v1/cases/{id}/revisions", "/api/v1/cases/{draft}/revisions", S::Nothing, HISTORY_PRIVATE),
        row(M::GET, "/api/v1/cases/{id}/revisions", "/api/v1/cases/{published}/revisions", S::Nothing, HISTORY_PUBLIC),
        row(
            M::GET,
            "/api/v1/cases/{id}/revisions/{version}",
            "/api/v1/cases/{draft}/revisions/1",
            S::Nothing,
            HISTORY_PRIVATE,
        ),
        row(
            M::GET,
            "/api/v1/cases/{id}/revisions/{version}",
            "/api/v1/cases/{published}/revisions/1",
            S::Nothing,
            HISTORY_PUBLIC,
        ),
        row(M::GET, "/api/v1/cases/{id}/diff", "/api/v1/cases/{draft}/diff?from=1&to=1", S::Nothing, HISTORY_PRIVATE),
        row(
            M::GET,
            "/api/v1/cases/{id}/diff",
            "/api/v1/cases/{published}/diff?from=1&to=2",
            S::Nothing,
            HISTORY_PUBLIC,
        ),
        // organisations
        row(M::GET, "/api/v1/organisations", "/api/v1/organisations", S::Nothing, ALL_200),
        row(M::POST, "/api/v1/organisations", "/api/v1/organisations", S::Organisation, EDITORS_CREATE),
        row(M::GET, "/api/v1/organisations/{id}", "/api/v1/organisations/{org}", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/organisations/{id}", "/api/v1/organisations/no-such-org", S::Nothing, ALL_404),
        row(M::PUT, "/api/v1/organisations/{id}", "/api/v1/organisations/{org}", S::OrganisationEdit, EDITORS_ONLY),
        // accounts
        row(M::GET, "/api/v1/accounts", "/api/v1/accounts", S::Nothing, ADMIN_ONLY),
        row(M::POST, "/api/v1/accounts", "/api/v1/accounts", S::Account, [401, 403, 403, 403, 403, 403, 201]),
        row(M::GET, "/api/v1/accounts/{id}", "/api/v1/accounts/{me}", S::Nothing, SIGNED_IN),
        row(M::GET, "/api/v1/accounts/{id}", "/api/v1/accounts/{other}", S::Nothing, ADMIN_ONLY),
        row(M::PUT, "/api/v1/accounts/{id}", "/api/v1/accounts/{other}", S::AccountEdit, ADMIN_ONLY),
        // sessions and tokens
        row(M::POST, "/api/v1/auth/login", "/api/v1/auth/login", S::Login, [401; 7]),
        row(M::POST, "/api/v1/auth/logout", "/api/v1/auth/logout", S::Nothing, [204; 7]),
        row(M::POST, "/api/v1/auth/tokens", "/api/v1/auth/tokens", S::Nothing, [401, 201, 201, 201, 201, 201, 201]),
        row(M::GET, "/api/v1/me", "/api/v1/me", S::Nothing, SIGNED_IN),
        row(M::PUT, "/api/v1/me/password", "/api/v1/me/password", S::Password, [401, 204, 204, 204, 204, 204, 204]),
        // everything public
        row(M::GET, "/api/v1/vocabularies", "/api/v1/vocabularies", S::Nothing, ALL_200),
        // nominations between nodes (no upstream is configured here, so editors get 422;
        // the delegate represents another country than the fixture case's)
        row(
            M::POST,
            "/api/v1/cases/{id}/nominate",
            "/api/v1/cases/{published}/nominate",
            S::Comment,
            [401, 403, 403, 403, 403, 422, 422],
        ),
        row(M::GET, "/api/v1/cases/{id}/federation", "/api/v1/cases/{published}/federation", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/cases/{id}/federation", "/api/v1/cases/{draft}/federation", S::Nothing, PRIVATE_READ),
        row(M::GET, "/api/v1/nominations", "/api/v1/nominations", S::Nothing, EDITORS_ONLY),
        row(
            M::POST,
            "/api/v1/nominations/{id}/accept",
            "/api/v1/nominations/01NOPE/accept",
            S::Nothing,
            [401, 403, 403, 403, 403, 404, 404],
        ),
        row(
            M::POST,
            "/api/v1/nominations/{id}/decline",
            "/api/v1/nominations/01NOPE/decline",
            S::Comment,
            [401, 403, 403, 403, 403, 422, 422],
        ),
        // replication links (the full matrix with valid links: tests/diffusion.rs)
        row(M::GET, "/api/v1/cases/{id}/links", "/api/v1/cases/{published}/links", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/cases/{id}/links", "/api/v1/cases/{draft}/links", S::Nothing, PRIVATE_READ),
        row(
            M::POST,
            "/api/v1/cases/{id}/links",
            "/api/v1/cases/{published}/links",
            S::Comment,
            [401, 403, 422, 403, 403, 422, 422],
        ),
        row(
            M::DELETE,
            "/api/v1/cases/{id}/links/{link_id}",
            "/api/v1/cases/{published}/links/01ARZ3NDEKTSV4RRFFQ69G5FAV",
            S::Nothing,
            [401, 403, 404, 403, 403, 404, 404],
        ),
        // check-ins of living cases (answers with valid bodies: tests/checkins.rs)
        row(M::GET, "/api/v1/cases/{id}/checkins", "/api/v1/cases/{published}/checkins", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/cases/{id}/checkins", "/api/v1/cases/{draft}/checkins", S::Nothing, PRIVATE_READ),
        row(
            M::POST,
            "/api/v1/cases/{id}/checkins",
            "/api/v1/cases/{published}/checkins",
            S::Comment,
            [401, 403, 422, 403, 403, 422, 422],
        ),
        // a case's own check-in interval: read by all, set by its owners and editors
        row(
            M::GET,
            "/api/v1/cases/{id}/checkin-schedule",
            "/api/v1/cases/{published}/checkin-schedule",
            S::Nothing,
            ALL_200,
        ),
        row(
            M::PUT,
            "/api/v1/cases/{id}/checkin-schedule",
            "/api/v1/cases/{published}/checkin-schedule",
            S::Comment,
            [401, 403, 422, 403, 403, 422, 422],
        ),
        // harvest state: administrators only
        row(
            M::GET,
            "/api/v1/harvest-sources",
            "/api/v1/harvest-sources",
            S::Nothing,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        // search: published cases only, for everyone; a draft's relations are not found
        row(M::GET, "/api/v1/search", "/api/v1/search?q=fixture", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/suggest", "/api/v1/suggest?q=fix", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/cases/{id}/related", "/api/v1/cases/{published}/related", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/cases/{id}/related", "/api/v1/cases/{draft}/related", S::Nothing, ALL_404),
        // events, their registration, outcomes and action items
        row(M::GET, "/api/v1/events", "/api/v1/events", S::Nothing, ALL_200),
        row(M::POST, "/api/v1/events", "/api/v1/events", S::Event, EDITORS_CREATE),
        row(M::GET, "/api/v1/events/{id}", "/api/v1/events/{event}", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/events/{id}", "/api/v1/events/NO_SUCH_CASE", S::Nothing, ALL_404),
        row(M::PUT, "/api/v1/events/{id}", "/api/v1/events/{event}", S::EventEdit, EDITORS_ONLY),
        row(M::POST, "/api/v1/events/{id}/registration", "/api/v1/events/{event}/registration", S::Nothing, SIGNED_IN),
        row(
            M::DELETE,
            "/api/v1/events/{id}/registration",
            "/api/v1/events/{event}/registration",
            S::Nothing,
            [401, 409, 409, 409, 409, 409, 409],
        ),
        row(M::PUT, "/api/v1/events/{id}/outcome", "/api/v1/events/{event}/outcome", S::Outcome, EDITORS_ONLY),
        row(M::GET, "/api/v1/events/{id}/actions", "/api/v1/events/{event}/actions", S::Nothing, ALL_200),
        row(M::POST, "/api/v1/events/{id}/actions", "/api/v1/events/{event}/actions", S::Action, EDITORS_CREATE),
        row(M::GET, "/api/v1/actions", "/api/v1/actions?overdue=true", S::Nothing, ALL_200),
        row(M::PUT, "/api/v1/actions/{id}", "/api/v1/actions/{action}", S::ActionEdit, EDITORS_ONLY),
        // dialogue: `{room}` is a members' room moderated by the admin, where the
        // contributor is a member and has started `{thread}` with `{post}`.
        row(M::GET, "/api/v1/rooms", "/api/v1/rooms", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/rooms/{slug}", "/api/v1/rooms/{room}", S::Nothing, [404, 200, 200, 200, 200, 200, 200]),
        row(M::GET, "/api/v1/rooms/{slug}", "/api/v1/rooms/no-such-room", S::Nothing, ALL_404),
        row(M::POST, "/api/v1/rooms", "/api/v1/rooms", S::Room, EDITORS_CREATE),
        row(
            M::POST,
            "/api/v1/rooms/{slug}/join",
            "/api/v1/rooms/{room}/join",
            S::Nothing,
            [401, 409, 200, 409, 409, 409, 200],
        ),
        row(
            M::POST,
            "/api/v1/rooms/{slug}/leave",
            "/api/v1/rooms/{room}/leave",
            S::Nothing,
            [401, 409, 204, 409, 409, 409, 204],
        ),
        row(
            M::POST,
            "/api/v1/rooms/{slug}/invitations",
            "/api/v1/rooms/{room}/invitations",
            S::Invitation,
            EDITORS_ONLY,
        ),
        row(
            M::POST,
            "/api/v1/rooms/{slug}/members/{account}",
            "/api/v1/rooms/{room}/members/{member}",
            S::MakeModerator,
            EDITORS_ONLY,
        ),
        row(M::GET, "/api/v1/threads", "/api/v1/threads?room={room}", S::Nothing, [404, 200, 200, 200, 200, 200, 200]),
        row(
            M::GET,
            "/api/v1/threads/{id}",
            "/api/v1/threads/{thread}",
            S::Nothing,
            [404, 200, 200, 200, 200, 200, 200],
        ),
        row(M::POST, "/api/v1/threads", "/api/v1/threads", S::Thread, [401, 201, 201, 201, 201, 201, 201]),
        row(
            M::POST,
            "/api/v1/threads/{id}/posts",
            "/api/v1/threads/{thread}/posts",
            S::Post,
            [401, 201, 201, 201, 201, 201, 201],
        ),
        row(M::PUT, "/api/v1/posts/{id}", "/api/v1/posts/{post}", S::PostEdit, [401, 403, 200, 403, 403, 200, 200]),
        row(
            M::POST,
            "/api/v1/posts/{id}/translations",
            "/api/v1/posts/{post}/translations",
            S::Translation,
            [401, 204, 204, 204, 204, 204, 204],
        ),
        row(M::GET, "/api/v1/posts/{id}/history", "/api/v1/posts/{post}/history", S::Nothing, EDITORS_ONLY),
        // moderation
        row(
            M::POST,
            "/api/v1/posts/{id}/flags",
            "/api/v1/posts/{post}/flags",
            S::Flag,
            [401, 201, 201, 201, 201, 201, 201],
        ),
        row(
            M::POST,
            "/api/v1/posts/{id}/moderation",
            "/api/v1/posts/{post}/moderation",
            S::Decision("hide"),
            EDITORS_ONLY,
        ),
        row(
            M::POST,
            "/api/v1/threads/{id}/moderation",
            "/api/v1/threads/{thread}/moderation",
            S::Decision("lock"),
            EDITORS_ONLY,
        ),
        row(
            M::POST,
            "/api/v1/accounts/{id}/suspension",
            "/api/v1/accounts/{other}/suspension",
            S::Suspend,
            EDITORS_ONLY,
        ),
        row(M::GET, "/api/v1/moderation/queue", "/api/v1/moderation/queue", S::Nothing, EDITORS_ONLY),
        row(M::GET, "/api/v1/moderation/log", "/api/v1/moderation/log", S::Nothing, EDITORS_ONLY),
        row(M::GET, "/api/v1/moderation/mine", "/api/v1/moderation/mine", S::Nothing, SIGNED_IN),
        row(
            M::POST,
            "/api/v1/moderation/{id}/appeal",
            "/api/v1/moderation/01NOPE/appeal",
            S::Appeal,
            [401, 404, 404, 404, 404, 404, 404],
        ),
        row(M::GET, "/api/v1/moderation/appeals", "/api/v1/moderation/appeals", S::Nothing, EDITORS_ONLY),
        // `{appeal}`: the admin hid the contributor's post in `{room}`, and the
        // contributor appealed; the room's other moderators decide, never the
        // author nor the admin who decided.
        row(
            M::POST,
            "/api/v1/moderation/{id}/appeal/decision",
            "/api/v1/moderation/{appeal}/appeal/decision",
            S::AppealDecision,
            [401, 403, 403, 403, 403, 200, 403],
        ),
        row(
            M::POST,
            "/api/v1/moderation/{id}/appeal/decision",
            "/api/v1/moderation/01NOPE/appeal/decision",
            S::AppealDecision,
            [401, 404, 404, 404, 404, 404, 404],
        ),
        // following and the inbox: one's own only
        row(M::GET, "/api/v1/subscriptions", "/api/v1/subscriptions", S::Nothing, SIGNED_IN),
        row(M::POST, "/api/v1/subscriptions", "/api/v1/subscriptions", S::Subscription, SIGNED_IN),
        row(
            M::DELETE,
            "/api/v1/subscriptions/{target}",
            "/api/v1/subscriptions/sector:none",
            S::Nothing,
            [401, 404, 404, 404, 404, 404, 404],
        ),
        row(M::GET, "/api/v1/notifications", "/api/v1/notifications", S::Nothing, SIGNED_IN),
        row(
            M::POST,
            "/api/v1/notifications/read",
            "/api/v1/notifications/read",
            S::Nothing,
            [401, 204, 204, 204, 204, 204, 204],
        ),
        row(
            M::POST,
            "/api/v1/notifications/{id}/read",
            "/api/v1/notifications/01NOPE/read",
            S::Nothing,
            [401, 404, 404, 404, 404, 404, 404],
        ),
        row(
            M::POST,
            "/api/v1/notifications/feed",
            "/api/v1/notifications/feed",
            S::Nothing,
            [401, 201, 201, 201, 201, 201, 201],
        ),
        row(
            M::DELETE,
            "/api/v1/notifications/feed",
            "/api/v1/notifications/feed",
            S::Nothing,
            [401, 204, 204, 204, 204, 204, 204],
        ),
        // resources and collections: everyone reads, editors keep them; a
        // removal without the version read is 428 for those who may remove
        row(M::GET, "/api/v1/resources", "/api/v1/resources", S::Nothing, ALL_200),
        row(M::POST, "/api/v1/resources", "/api/v1/resources", S::Resource, EDITORS_CREATE),
        row(M::GET, "/api/v1/resources/{id}", "/api/v1/resources/{resource}", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/resources/{id}", "/api/v1/resources/NO_SUCH_CASE", S::Nothing, ALL_404),
        row(M::PUT, "/api/v1/resources/{id}", "/api/v1/resources/{resource}", S::ResourceEdit, EDITORS_ONLY),
        row(M::DELETE, "/api/v1/resources/{id}", "/api/v1/resources/{resource}", S::Nothing, EDITORS_428),
        row(M::GET, "/api/v1/collections", "/api/v1/collections", S::Nothing, ALL_200),
        row(M::POST, "/api/v1/collections", "/api/v1/collections", S::Collection, EDITORS_CREATE),
        row(M::GET, "/api/v1/collections/{id}", "/api/v1/collections/{collection}", S::Nothing, ALL_200),
        row(M::GET, "/api/v1/collections/{id}", "/api/v1/collections/no-such", S::Nothing, ALL_404),
        row(M::PUT, "/api/v1/collections/{id}", "/api/v1/collections/{collection}", S::CollectionEdit, EDITORS_ONLY),
        row(M::DELETE, "/api/v1/collections/{id}", "/api/v1/collections/{collection}", S::Nothing, EDITORS_428),
        row(M::GET, "/healthz", "/healthz", S::Nothing, ALL_200),
        row(M::GET, "/readyz", "/readyz", S::Nothing, ALL_200),
        // metrics: administrators (and a configured scrape token) only; to others it does not exist
        row(M::GET, "/metrics", "/metrics", S::Nothing, [404, 404, 404, 404, 404, 404, 200]),
        row(M::GET, "/api/openapi.json", "/api/openapi.json", S::Nothing, ALL_200),
        row(M::GET, "/api/docs", "/api/docs", S::Nothing, ALL_200),
        row(M::GET, "/api/docs.css", "/api/docs.css", S::Nothing, ALL_200),
        row(M::GET, "/", "/", S::Nothing, [200; 7]),
        row(M::GET, "/api/v1/no-such-thing", "/api/v1/no-such-thing", S::Nothing, ALL_404),
    ]
}

/// Fills a row's placeholders with fresh fixtures for one caller, and builds its body.
async fn prepare(app: &TestApp, row: &Row, who: Who, n: usize) -> (String, Option<Value>) {
    let mut path = row.path.replace("NO_SUCH_CASE", NO_SUCH_CASE);
    let mut target_case = None;
    for (placeholder, status) in [
        ("{draft}", Status::Draft),
        ("{submitted}", Status::Submitted),
        ("{returned}", Status::Returned),
        ("{published}", Status::Published),
        ("{archived}", Status::Archived),
    ] {
        if path.contains(placeholder) {
            let id = app.case_in(status).await;
            path = path.replace(placeholder, &id);
            target_case = Some(id);
        }
    }
    let mut target_org = None;
    if path.contains("{org}") {
        let id = format!("org-{n}");
        let (status, _, body) =
            app.request(Method::POST, "/api/v1/organisations", Some(Role::Admin), Some(organisation_body(&id))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        path = path.replace("{org}", &id);
        target_org = Some(id);
    }
    let mut target_event = None;
    if path.contains("{event}") || path.contains("{action}") {
        let (status, _, body) =
            app.request(Method::POST, "/api/v1/events", Some(Role::Admin), Some(event_body(n))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = body["id"].as_str().expect("event id").to_owned();
        path = path.replace("{event}", &id);
        target_event = Some(id);
    }
    let mut target_action = None;
    if let (true, Some(event)) = (path.contains("{action}"), &target_event) {
        let (status, _, body) = app
            .request(Method::POST, &format!("/api/v1/events/{event}/actions"), Some(Role::Admin), Some(action_body()))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = body["id"].as_str().expect("action id").to_owned();
        path = path.replace("{action}", &id);
        target_action = Some(id);
    }
    let mut published_case = None;
    if path.contains("{resource}") {
        let (status, _, body) =
            app.request(Method::POST, "/api/v1/resources", Some(Role::Admin), Some(resource_body(n))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        path = path.replace("{resource}", body["id"].as_str().expect("resource id"));
    }
    if path.contains("{collection}") || matches!(row.send, Payload::Collection) {
        let case = app.case_in(Status::Published).await;
        if path.contains("{collection}") {
            let id = format!("collection-{n}");
            let (status, _, body) = app
                .request(Method::POST, "/api/v1/collections", Some(Role::Admin), Some(collection_body(&id, &case)))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            path = path.replace("{collection}", &id);
        }
        published_case = Some(case);
    }
    if path.contains("{me}") {
        let me = if who == Who::Anonymous { Who::Reader } else { who };
        path = path.replace("{me}", &app.id_of(me));
    }
    if path.contains("{other}") {
        let account = app
            .store
            .create_account(
                NewAccount {
                    email: format!("someone-{n}@example.org"),
                    name: "Someone else".into(),
                    role: Role::Contributor,
                    organisation: None,
                    delegation: None,
                    password_hash: None,
                },
                None,
            )
            .await
            .expect("create account");
        path = path.replace("{other}", &account.id);
    }
    if ["{room}", "{thread}", "{post}", "{appeal}"].iter().any(|p| path.contains(p))
        || matches!(row.send, Payload::Thread)
    {
        let with_post = path.contains("{post}") || path.contains("{appeal}");
        let (slug, thread, post, member) = dialogue_fixture(app, n, with_post).await;
        if path.contains("{appeal}") {
            let hide = json!({"decision": "hide", "reason": "Off the rules"});
            let (status, _, body) = app
                .request(Method::POST, &format!("/api/v1/posts/{post}/moderation"), Some(Role::Admin), Some(hide))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let id = body["id"].as_str().expect("decision id").to_owned();
            let (status, _, body) = app
                .request_as(
                    Method::POST,
                    &format!("/api/v1/moderation/{id}/appeal"),
                    Who::Contributor,
                    Some(json!({"body": "I disagree"})),
                )
                .await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
            path = path.replace("{appeal}", &id);
        }
        path = path.replace("{room}", &slug).replace("{thread}", &thread).replace("{post}", &post);
        path = path.replace("{member}", &member);
    }
    let body = match row.send {
        Payload::Nothing => None,
        Payload::Room => Some(json!({"slug": format!("new-room-{n}"), "kind": "public", "title": "A room"})),
        Payload::Thread => {
            Some(json!({"room": "members-room", "title": "A thread", "body": "Hello", "language": "en"}))
        }
        Payload::Post => Some(json!({"body": "A reply", "language": "en"})),
        Payload::PostEdit => Some(json!({"body": "Edited", "version": 1})),
        Payload::Translation => Some(json!({"body": "Terjemahan", "language": "id"})),
        Payload::Invitation => {
            let reader = app.store.get_account(&app.id_of(Who::Reader)).await.expect("read").expect("reader");
            Some(json!({"handle": app.store.ensure_handle(&reader.id, "reader").await.expect("a handle")}))
        }
        Payload::MakeModerator => Some(json!({"decision": "moderator"})),
        Payload::Flag => Some(json!({"reason": "spam"})),
        Payload::Decision(d) => Some(json!({"decision": d, "reason": "Off the rules"})),
        Payload::Suspend => Some(json!({"until": "2999-01-01T00:00:00Z", "reason": "Flooding"})),
        Payload::Appeal => Some(json!({"body": "I disagree"})),
        Payload::AppealDecision => Some(json!({"decision": "uphold", "reason": "The rules are clear"})),
        Payload::Subscription => Some(json!({"target": "sector:public_administration", "level": "watching"})),
        Payload::Case => Some(CaseBody::new(&format!("New case {n}")).build()),
        Payload::CaseEdit => {
            let version = match &target_case {
                Some(id) => app.stored_case(id).await.version,
                None => 1,
            };
            Some(CaseBody::new(&format!("Edited case {n}")).set("version", json!(version)).build())
        }
        Payload::Comment => Some(json!({"comment": "Please add the results."})),
        Payload::Organisation => Some(organisation_body(&format!("new-org-{n}"))),
        Payload::OrganisationEdit => {
            let id = target_org.clone().expect("an organisation to edit");
            let mut body = organisation_body(&id);
            body["acronym"] = json!("EDIT");
            body["version"] = json!(1);
            Some(body)
        }
        Payload::Account => Some(json!({
            "email": format!("new-{n}@example.org"),
            "name": "New Person",
            "role": "reader",
            "password": "a long enough password"
        })),
        Payload::AccountEdit => Some(json!({"name": "Renamed", "version": 1})),
        Payload::Password => Some(json!({"current_password": PASSWORD, "new_password": PASSWORD})),
        Payload::Login => Some(json!({"email": format!("nobody-{n}@example.org"), "password": "wrong password"})),
        Payload::Event => Some(event_body(n)),
        Payload::EventEdit | Payload::Outcome => {
            let version = match &target_event {
                Some(id) => app.store.get_event(id).await.expect("read").expect("the event").version,
                None => 1,
            };
            if matches!(row.send, Payload::Outcome) {
                Some(json!({"summary": "Agreed", "decisions": ["Meet again"], "version": version}))
            } else {
                let mut body = event_body(n);
                body["version"] = json!(version);
                Some(body)
            }
        }
        Payload::Resource => Some(resource_body(n)),
        Payload::ResourceEdit => {
            let mut body = resource_body(n);
            body["title"] = json!({"en": "Edited guide"});
            body["version"] = json!(1);
            Some(body)
        }
        Payload::Collection => {
            Some(collection_body(&format!("new-collection-{n}"), published_case.as_deref().unwrap_or_default()))
        }
        Payload::CollectionEdit => {
            let mut body = collection_body("ignored", published_case.as_deref().unwrap_or_default());
            body["title"] = json!({"en": "Retitled"});
            body["version"] = json!(1);
            Some(body)
        }
        Payload::Action => Some(action_body()),
        Payload::ActionEdit => {
            let version = match &target_action {
                Some(id) => app.store.action_item(id).await.expect("read").expect("the item").version,
                None => 1,
            };
            let mut body = action_body();
            body["status"] = json!("done");
            body["version"] = json!(version);
            Some(body)
        }
    };
    (path, body)
}

/// The dialogue's fixtures, made through the store (the posting limits are
/// not what the matrix tests): `members-room`, a members' room moderated by
/// the admin where the contributor is a member and has started a thread
/// (made once per node); with `post`, a fresh post of the contributor in it;
/// and a fresh member. Returns (slug, thread, post, member).
async fn dialogue_fixture(app: &TestApp, n: usize, post: bool) -> (String, String, String, String) {
    use lumbung_core::dialogue::{Membership, RoomKind, ThreadKind};
    let now = lumbung_core::clock::now();
    let slug = "members-room".to_owned();
    let contributor = app.id_of(Who::Contributor);
    if app.store.room(&slug).await.expect("read").is_none() {
        let room = lumbung_store::Room {
            slug: slug.clone(),
            kind: RoomKind::Members,
            title: "Members".into(),
            description: String::new(),
            created_by: Some(app.id_of(Who::Admin)),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        app.store.create_room(&room).await.expect("create room");
        app.store.set_membership(&slug, &contributor, Some(Membership::Member), None).await.expect("membership");
        let mut tx = app.store.begin().await.expect("begin");
        tx.create_thread(ThreadKind::Room, Some(&slug), None, "A thread", Some(&contributor)).await.expect("thread");
        tx.commit().await.expect("commit");
    }
    let thread = app.store.room_threads(&slug, 1, 0).await.expect("threads").remove(0).id;
    let mut post_id = String::new();
    if post {
        let new = lumbung_store::NewPost {
            thread_id: thread.clone(),
            author_id: contributor,
            reply_to: None,
            quote_of: None,
            language: "en".into(),
            body: "First".into(),
        };
        let mut tx = app.store.begin().await.expect("begin");
        post_id = tx.add_post(&new, false).await.expect("post").expect("not locked");
        tx.commit().await.expect("commit");
    }
    let member = app
        .store
        .create_account(
            NewAccount {
                email: format!("member-{n}@example.org"),
                name: "A member".into(),
                role: Role::Contributor,
                organisation: None,
                delegation: None,
                password_hash: None,
            },
            None,
        )
        .await
        .expect("create account");
    app.store.set_membership(&slug, &member.id, Some(Membership::Member), None).await.expect("membership");
    (slug, thread, post_id, member.id)
}

#[tokio::test]
async fn every_endpoint_against_every_role() {
    let mut failures = Vec::new();
    let mut n = 0;
    for row in matrix() {
        let app = TestApp::new().await;
        for (who, expected) in Who::ALL.into_iter().zip(row.expect) {
            n += 1;
            let (path, body) = prepare(&app, &row, who, n).await;
            let res = app.send_json(row.method.clone(), &path, who, body, &[]).await;
            if res.status.as_u16() != expected {
                failures.push(format!(
                    "{} {} as {who:?}: expected {expected}, got {} {}",
                    row.method,
                    row.path,
                    res.status.as_u16(),
                    res.text().chars().take(200).collect::<String>()
                ));
                continue;
            }
            if expected >= 400 {
                // Every refusal is a problem document whose status matches.
                assert_problem(&res, res.status);
            }
            if expected == 401 {
                assert_eq!(res.header("www-authenticate"), Some("Bearer"), "{} {} as {who:?}", row.method, row.path);
            }
        }
    }
    assert!(failures.is_empty(), "{} cell(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// The matrix lists every operation the OpenAPI document describes, so a new
/// endpoint cannot slip in without a permission row.
#[tokio::test]
async fn the_matrix_covers_every_documented_operation() {
    let app = TestApp::new().await;
    let (status, _, doc) = app.request(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                documented.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let covered: BTreeSet<String> = matrix().iter().map(|r| format!("{} {}", r.method, r.route)).collect();
    let missing: Vec<&String> = documented.difference(&covered).collect();
    assert!(missing.is_empty(), "operations without a permission row: {missing:?}");
    assert!(documented.len() >= 27, "the document lists {} operations", documented.len());
}

fn item_ids(list: &Value) -> BTreeSet<String> {
    list["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect()
}

#[tokio::test]
async fn lists_show_each_role_what_it_may_see() {
    let app = TestApp::new().await;
    // The contributor's cases.
    let own_draft = app.case_in(Status::Draft).await;
    let own_submitted = app.case_in(Status::Submitted).await;
    let own_returned = app.case_in(Status::Returned).await;
    let own_published = app.case_in(Status::Published).await;
    let own_archived = app.case_in(Status::Archived).await;
    // Another contributor's cases.
    let other = app.create_case_as(Who::OtherContributor, CaseBody::new("Other draft").build()).await;
    let other_draft = other["id"].as_str().expect("id").to_owned();
    let other = app.create_case_as(Who::OtherContributor, CaseBody::new("Other published").build()).await;
    let other_published = other["id"].as_str().expect("id").to_owned();
    app.step(&other_published, "submit", Who::OtherContributor, None).await;
    app.step(&other_published, "publish", Who::Curator, None).await;

    let set = |ids: &[&String]| -> BTreeSet<String> { ids.iter().map(|s| (*s).clone()).collect() };
    let published = set(&[&own_published, &other_published]);
    let everything = set(&[
        &own_draft,
        &own_submitted,
        &own_returned,
        &own_published,
        &own_archived,
        &other_draft,
        &other_published,
    ]);
    let owners_view =
        set(&[&own_draft, &own_submitted, &own_returned, &own_published, &own_archived, &other_published]);
    let others_view = set(&[&other_draft, &own_published, &other_published]);

    for (who, expected) in [
        (Who::Anonymous, &published),
        (Who::Reader, &published),
        (Who::Contributor, &owners_view),
        (Who::OtherContributor, &others_view),
        (Who::Delegate, &published),
        (Who::Curator, &everything),
        (Who::Admin, &everything),
    ] {
        let (status, _, list) = app.request_as(Method::GET, "/api/v1/cases?limit=100", who, None).await;
        assert_eq!(status, StatusCode::OK, "{who:?}: {list}");
        assert_eq!(&item_ids(&list), expected, "{who:?} sees the wrong cases");
        assert_eq!(list["total"], json!(expected.len()), "{who:?}'s total");
        assert!(list["next"].is_null());
    }

    // `mine` narrows a list to one's own cases; `status` cannot widen it.
    let (_, _, list) = app.request(Method::GET, "/api/v1/cases?mine=true", Some(Role::Contributor), None).await;
    assert_eq!(item_ids(&list), set(&[&own_draft, &own_submitted, &own_returned, &own_published, &own_archived]));
    let (_, _, list) = app.request_as(Method::GET, "/api/v1/cases?status=draft", Who::OtherContributor, None).await;
    assert_eq!(item_ids(&list), set(&[&other_draft]));
    assert_eq!(list["total"], 1);
    let (_, _, list) = app.request(Method::GET, "/api/v1/cases?status=draft,submitted", None, None).await;
    assert_eq!(list["total"], 0);
    assert!(item_ids(&list).is_empty());
    let (_, _, list) = app.request(Method::GET, "/api/v1/cases?status=draft", Some(Role::Curator), None).await;
    assert_eq!(item_ids(&list), set(&[&own_draft, &other_draft]));
    let res = app.send_json(Method::GET, "/api/v1/cases?mine=true", Who::Anonymous, None, &[]).await;
    assert_problem(&res, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_submitter_is_shown_only_to_the_owner_and_editors() {
    let app = TestApp::new().await;
    let id = app.case_in(Status::Published).await;
    let owner = app.id_of(Who::Contributor);
    for who in Who::ALL {
        let visible = matches!(who, Who::Contributor | Who::Curator | Who::Admin);
        let (status, _, case) = app.request_as(Method::GET, &format!("/api/v1/cases/{id}"), who, None).await;
        assert_eq!(status, StatusCode::OK);
        let (_, _, list) = app.request_as(Method::GET, "/api/v1/cases", who, None).await;
        let listed = list["items"].as_array().expect("items").iter().find(|c| c["id"] == json!(id)).expect("listed");
        if visible {
            assert_eq!(case["created_by"], json!(owner), "{who:?} should see the submitter");
            assert_eq!(listed["created_by"], json!(owner), "{who:?} should see the submitter in the list");
        } else {
            assert!(case.get("created_by").is_none(), "{who:?} sees the submitter: {case}");
            assert!(listed.get("created_by").is_none(), "{who:?} sees the submitter in the list");
        }
    }
    // A curator's edit response, too, keeps it; another curator's view of
    // someone else's case as well.
    let draft = app.case_in(Status::Draft).await;
    let (_, _, case) = app
        .request(
            Method::PUT,
            &format!("/api/v1/cases/{draft}"),
            Some(Role::Curator),
            Some(CaseBody::new("Edited by a curator").set("version", json!(1)).build()),
        )
        .await;
    assert_eq!(case["created_by"], json!(owner), "an edit does not change the submitter");
}

#[tokio::test]
async fn bad_credentials_are_refused() {
    let app = TestApp::new().await;
    for auth in ["Bearer lmb_not_a_real_token", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"] {
        let req =
            Request::builder().uri("/api/v1/cases").header("authorization", auth).body(Body::empty()).expect("request");
        let res = app.send(req).await;
        let problem = assert_problem(&res, StatusCode::UNAUTHORIZED);
        assert_eq!(problem["type"], "urn:lumbung:problem:unauthorized", "{auth}");
        assert_eq!(res.header("www-authenticate"), Some("Bearer"), "{auth}");
    }
    // An unknown session cookie is simply anonymous.
    let req = Request::builder()
        .uri("/api/v1/me")
        .header("cookie", "lumbung_session=s_forged")
        .body(Body::empty())
        .expect("request");
    let res = app.send(req).await;
    assert_problem(&res, StatusCode::UNAUTHORIZED);
    let req = Request::builder()
        .uri("/api/v1/cases")
        .header("cookie", "lumbung_session=s_forged")
        .body(Body::empty())
        .expect("request");
    assert_eq!(app.send(req).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_disabled_account_loses_access() {
    let app = TestApp::new().await;
    let id = app.id_of(Who::OtherContributor);
    let (status, _, _) = app.request_as(Method::GET, "/api/v1/me", Who::OtherContributor, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, account) = app
        .request(
            Method::PUT,
            &format!("/api/v1/accounts/{id}"),
            Some(Role::Admin),
            Some(json!({"disabled": true, "version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert_eq!(account["disabled"], true);
    let (status, _, _) = app.request_as(Method::GET, "/api/v1/me", Who::OtherContributor, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // An administrator cannot lock themselves out.
    let admin = app.id_of(Who::Admin);
    let (status, _, _) = app
        .request(
            Method::PUT,
            &format!("/api/v1/accounts/{admin}"),
            Some(Role::Admin),
            Some(json!({"role": "reader", "version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn role_changes_take_effect_at_once() {
    let app = TestApp::new().await;
    let reader = app.id_of(Who::Reader);
    let body = CaseBody::new("Promoted").build();
    let (status, _, _) = app.request(Method::POST, "/api/v1/cases", Some(Role::Reader), Some(body.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, account) = app
        .request(
            Method::PUT,
            &format!("/api/v1/accounts/{reader}"),
            Some(Role::Admin),
            Some(json!({"role": "contributor", "version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert_eq!(account["role"], "contributor");
    let (status, _, _) = app.request(Method::POST, "/api/v1/cases", Some(Role::Reader), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
}

fn event_body(n: usize) -> Value {
    json!({"title": format!("Event {n}"), "kind": "workshop", "level": "national", "starts_at": "2099-02-01T09:00",
           "duration_minutes": 90, "time_zone": "Asia/Jayapura", "city": "Jayapura", "country": "ID",
           "registration_open": true})
}

fn resource_body(n: usize) -> Value {
    json!({"title": {"en": format!("Guide {n}")}, "resource_type": "guide", "languages": ["en"],
           "licence": "CC-BY-4.0", "url": "https://example.org/guide"})
}

fn collection_body(id: &str, case: &str) -> Value {
    json!({"id": id, "title": {"en": "Top innovations"}, "introduction": {"en": "The best."}, "cases": [case]})
}

fn action_body() -> Value {
    json!({"what": "Share the slides", "owner": "kemenpan-rb", "due_on": "2099-03-01"})
}
