//! The OpenAPI 3.1 document, generated from the handlers' annotations, and a
//! documentation page rendered from it on the server (no script, no CDN).

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{
    accounts, actions, cases, checkins, events, harvest, health, links, nominations, organisations, search,
    vocabularies,
};
use crate::api::{moderation, notifications, posts, resources, rooms, threads};
use crate::auth;
use crate::error::ApiError;
use crate::state::AppState;

pub mod contract;
pub mod event_contract;
mod patterns;
mod resource_contract;

#[derive(OpenApi)]
#[openapi(
    info(title = "Lumbung API", description = "The JSON API of a Lumbung node: a federated library of public-sector innovation cases. Errors are RFC 9457 problem details."),
    paths(
        cases::list_cases, cases::get_case, cases::create_case, cases::update_case,
        cases::submit_case, cases::return_case, cases::publish_case, cases::archive_case,
        cases::list_revisions, cases::get_revision, cases::diff_revisions,
        organisations::list_organisations, organisations::get_organisation,
        organisations::create_organisation, organisations::update_organisation,
        accounts::list_accounts, accounts::get_account, accounts::create_account, accounts::update_account,
        auth::login, auth::logout, auth::me, auth::change_password, auth::create_token,
        vocabularies::vocabularies, health::healthz, health::readyz,
        search::search, search::suggest, search::related, harvest::list,
        nominations::nominate, nominations::federation, nominations::list, nominations::accept, nominations::decline,
        events::list_events, events::get_event, events::create_event, events::update_event,
        events::register, events::cancel_registration,
        actions::record_outcome, actions::event_actions, actions::create_action, actions::update_action,
        actions::list_actions,
        links::list_links, links::create_link, links::delete_link,
        checkins::list_checkins, checkins::create_checkin, checkins::get_schedule, checkins::put_schedule,
        rooms::list_rooms, rooms::get_room, rooms::create_room, rooms::join_room, rooms::leave_room, rooms::invite,
        rooms::decide_member, threads::list_threads, threads::get_thread, threads::create_thread, threads::create_post,
        posts::update_post, posts::translate_post, posts::post_history,
        moderation::flag_post, moderation::moderate_post, moderation::moderate_thread, moderation::suspend,
        moderation::queue, moderation::log, moderation::mine, moderation::appeal,
        moderation::appeals, moderation::decide_appeal,
        notifications::list_subscriptions, notifications::subscribe, notifications::unsubscribe,
        notifications::list_notifications, notifications::read_all, notifications::read_one,
        notifications::new_feed, notifications::revoke_feed,
        resources::list_resources, resources::get_resource, resources::create_resource, resources::update_resource,
        resources::delete_resource, resources::list_collections, resources::get_collection,
        resources::create_collection, resources::update_collection, resources::delete_collection,
    ),
    modifiers(&Security),
    tags(
        (name = "cases", description = "Innovation cases"),
        (name = "workflow", description = "The publication workflow"),
        (name = "organisations", description = "Ministries, agencies, local governments and others"),
        (name = "accounts", description = "Accounts and roles"),
        (name = "auth", description = "Sessions and API tokens"),
        (name = "vocabularies", description = "Controlled vocabularies"),
        (name = "search", description = "Full-text search, facets, suggestions and related cases"),
        (name = "federation", description = "Harvesting and nominations between nodes"),
        (name = "health", description = "Health checks"),
        (name = "events", description = "Events of the learning loops, their agendas and registration"),
        (name = "diffusion", description = "Replication links: which case descends from which"),
        (name = "dialogue", description = "Rooms, threads and posts"),
        (name = "notifications", description = "Following, the inbox and the private feed"),
        (name = "moderation", description = "Flags, moderators' decisions, the audit log and appeals"),
        (name = "resources", description = "Guides, toolkits, training material, reports, videos and datasets"),
        (name = "collections", description = "Curated, ordered lists of cases"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token from `lumbung token create` or POST /api/v1/auth/tokens"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::extract::SESSION_COOKIE))),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/docs", get(docs))
        .route("/api/docs.css", get(docs_css))
}

/// The document as utoipa generates it from the handlers' annotations.
pub fn generated() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}

/// This node's OpenAPI document as JSON: the generated one made exact by
/// [`contract::apply`] with the node's organisations, upstreams and year.
pub async fn document(state: &AppState) -> Result<serde_json::Value, ApiError> {
    let mut organisations: Vec<String> = state.store().organisation_ids().await?.into_iter().collect();
    organisations.sort();
    let facts = contract::NodeFacts {
        organisations,
        upstreams: state.settings().upstreams.clone(),
        this_year: lumbung_core::clock::today().year(),
    };
    let mut doc = generated();
    contract::apply(&mut doc, &facts);
    event_contract::apply(&mut doc, &event_contract::facts(state).await?);
    Ok(doc)
}

async fn openapi_json(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    Ok(([(CONTENT_TYPE, "application/json")], Json(document(&state).await?)))
}

async fn docs_css() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8")], DOCS_CSS)
}

const DOCS_CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}code,pre{font-family:ui-monospace,monospace;background:#f3f3f0;padding:.1em .3em}section{border-top:1px solid #ccc;padding:.5rem 0}.m{display:inline-block;min-width:4rem;font-weight:700}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}";

async fn docs(State(state): State<AppState>) -> Result<Html<String>, ApiError> {
    Ok(Html(render_docs(&document(&state).await?)))
}

use crate::html::escape_html as esc;

fn str_at<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key).and_then(|x| x.as_str()).unwrap_or("")
}

/// Renders the OpenAPI document as one readable HTML page.
pub fn render_docs(doc: &serde_json::Value) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Lumbung API</title><link rel=\"stylesheet\" href=\"/api/docs.css\"></head><body>",
    );
    let info = &doc["info"];
    html.push_str(&format!(
        "<h1>{}</h1><p>{}</p><p>Version {} · OpenAPI {} · <a href=\"/api/openapi.json\">openapi.json</a></p>",
        esc(str_at(info, "title")),
        esc(str_at(info, "description")),
        esc(str_at(info, "version")),
        esc(str_at(doc, "openapi")),
    ));
    html.push_str("<nav><h2>Endpoints</h2><ul>");
    let empty = serde_json::Map::new();
    let paths = doc["paths"].as_object().unwrap_or(&empty);
    let methods = ["get", "post", "put", "patch", "delete"];
    for (path, item) in paths {
        for m in methods {
            if let Some(op) = item.get(m) {
                let anchor = format!("{m}-{path}").replace(['/', '{', '}'], "-");
                html.push_str(&format!(
                    "<li><a href=\"#{}\"><span class=\"m\">{}</span><code>{}</code></a> {}</li>",
                    esc(&anchor),
                    m.to_uppercase(),
                    esc(path),
                    esc(str_at(op, "summary"))
                ));
            }
        }
    }
    html.push_str("</ul></nav>");
    for (path, item) in paths {
        for m in methods {
            let Some(op) = item.get(m) else { continue };
            let anchor = format!("{m}-{path}").replace(['/', '{', '}'], "-");
            html.push_str(&format!(
                "<section id=\"{}\"><h3><span class=\"m\">{}</span><code>{}</code></h3><p>{}</p>",
                esc(&anchor),
                m.to_uppercase(),
                esc(path),
                esc(str_at(op, "description")).replace('\n', "<br>")
            ));
            if let Some(params) = op.get("parameters").and_then(|p| p.as_array()) {
                html.push_str("<table><tr><th>Parameter</th><th>In</th><th>Description</th></tr>");
                for p in params {
                    html.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                        esc(str_at(p, "name")),
                        esc(str_at(p, "in")),
                        esc(str_at(p, "description"))
                    ));
                }
                html.push_str("</table>");
            }
            if let Some(responses) = op.get("responses").and_then(|r| r.as_object()) {
                let codes: Vec<String> = responses.keys().map(|k| esc(k)).collect();
                html.push_str(&format!("<p>Responses: {}</p>", codes.join(", ")));
            }
            html.push_str("</section>");
        }
    }
    html.push_str("</body></html>");
    html
}
