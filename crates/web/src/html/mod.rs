//! The web interface: server-rendered pages (askama templates, one struct per
//! page, a shared base layout), translated with Fluent, working without
//! JavaScript. Every page gets its common parts — language, signed-in user,
//! CSRF token — from the [`Ctx`] extractor.
//!
//! Each page family lives in its own module with its own `router()`.

pub mod account;
pub mod admin;
pub mod checkins;
pub mod curate;
pub mod dashboard;
pub mod dialogue;
pub mod diffusion;
pub mod diffusion_dashboard;
pub mod events;
pub mod i18n;
pub mod inbox;
pub mod mail;
pub mod map;
pub mod markdown;
pub mod members;
pub mod moderation;
pub mod pages;
pub mod resources;
pub mod submit;
pub mod translate;

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use lumbung_core::{Account, Actor, Role};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::extract::session_token;
use crate::state::AppState;
pub use i18n::{Lang, Tr};

/// The cookie that remembers the interface language chosen with the switch.
pub const LANG_COOKIE: &str = "lumbung_lang";
/// The cookie holding the CSRF token every state-changing form echoes.
pub const CSRF_COOKIE: &str = "lumbung_csrf";
/// The form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// Every page's routes, with the CSRF cookie layer.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(account::router())
        .merge(submit::router())
        .merge(translate::router())
        .merge(curate::router())
        .merge(admin::router())
        .merge(dashboard::router())
        .merge(dialogue::router())
        .merge(moderation::router())
        .merge(inbox::router())
        .merge(mail::router())
        .merge(map::router())
        .merge(events::router())
        .merge(resources::router())
        .merge(members::router())
        .merge(diffusion::router())
        .merge(checkins::router())
        .merge(diffusion_dashboard::router())
        .route("/lang/{code}", get(switch_language))
        .route("/static/{file}", get(static_file))
        .layer(axum::middleware::from_fn(csrf_cookie))
}

// ---------------------------------------------------------------------------
// Static files

const CSS: &str = include_str!("../../static/lumbung.css");
const JS: &str = include_str!("../../static/lumbung.js");

fn fingerprint(content: &str) -> String {
    hex::encode(Sha256::digest(content.as_bytes())).chars().take(12).collect()
}

/// The stylesheet's URL, versioned by its content so it can be cached for ever.
pub fn css_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| format!("/static/lumbung.css?v={}", fingerprint(CSS)))
}

/// The script's URL, versioned by its content.
pub fn js_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| format!("/static/lumbung.js?v={}", fingerprint(JS)))
}

async fn static_file(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "lumbung.css" => (CSS, "text/css; charset=utf-8"),
        "lumbung.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return ApiError::NotFound.into_response(),
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], body)
        .into_response()
}

// ---------------------------------------------------------------------------
// Language

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// A local path to go back to: absolute, not protocol-relative, no control characters.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.len() <= 2000
                && !n.chars().any(char::is_control) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// `GET /lang/{code}?next=/path`: the language switch, a plain link that
/// remembers the choice in a cookie for a year.
async fn switch_language(Path(code): Path<String>, Query(q): Query<NextQuery>) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return ApiError::NotFound.into_response();
    };
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    let mut res = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// The interface language of a request: the remembered switch, else
/// `Accept-Language`, else English.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(Lang::parse)
        .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::negotiate))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// CSRF: a random token in a SameSite=Strict cookie, echoed by every form
// (double submit), plus an Origin check when the browser sends one.

#[derive(Clone)]
struct CsrfToken(String);

fn valid_token(t: &str) -> bool {
    t.len() == 32 && t.chars().all(|c| c.is_ascii_hexdigit())
}

async fn csrf_cookie(mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE).filter(|t| valid_token(t)).map(str::to_owned);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => {
            let bytes: [u8; 16] = rand::random();
            (hex::encode(bytes), true)
        }
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut res = next.run(req).await;
    // A page every anonymous reader sees alike carries no form that needs the
    // token; without the cookie it can come from the page cache.
    if fresh && res.extensions().get::<crate::cache::Cacheable>().is_none() {
        let value = format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

// ---------------------------------------------------------------------------
// The request context every page handler takes.

/// The signed-in user as pages show them.
#[derive(Debug, Clone)]
pub struct UserView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// What every page's layout needs.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub tr: Tr,
    pub lang: Lang,
    pub node_name: String,
    pub user: Option<UserView>,
    pub csrf: String,
    /// The current path and query, for the language switch and sign-in to come back to.
    pub here: String,
    pub css: &'static str,
    pub js: &'static str,
    /// Unread notifications of the signed-in user (one indexed count per page).
    pub unread: i64,
}

impl Chrome {
    /// The language switch's link to the other language.
    pub fn switch_href(&self) -> String {
        format!("/lang/{}?next={}", self.lang.other().code(), urlencode(&self.here))
    }

    pub fn other_lang(&self) -> Lang {
        self.lang.other()
    }

    pub fn can_submit(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_author())
    }

    pub fn is_curator(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_editor())
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    /// The sign-in link that comes back here.
    pub fn signin_href(&self) -> String {
        format!("/signin?next={}", urlencode(&self.here))
    }
}

/// The request context: language, user, CSRF token, settings.
pub struct Ctx {
    pub chrome: Chrome,
    pub state: AppState,
    pub account: Option<Account>,
    pub headers: HeaderMap,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = request_lang(&parts.headers);
        // Pages use the browser session only; API tokens are for the API.
        let account = match session_token(&parts.headers) {
            Some(token) => match state.store().account_for_session(&token).await {
                Ok(a) => a.filter(|a| !a.disabled),
                Err(e) => {
                    return Err(PageError::new(lang, StatusCode::SERVICE_UNAVAILABLE)
                        .with_detail(e.to_string())
                        .into_response());
                }
            },
            None => None,
        };
        let unread = match &account {
            Some(a) => state.store().unread_count(&a.id).await.unwrap_or(0),
            None => 0,
        };
        let csrf = parts.extensions.get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
        let chrome = Chrome {
            tr: Tr::new(lang),
            lang,
            node_name: state.settings().node_name.clone(),
            user: account.as_ref().map(|a| UserView {
                id: a.id.clone(),
                name: a.name.clone(),
                email: a.email.clone(),
                role: a.role,
            }),
            csrf,
            here,
            css: css_url(),
            js: js_url(),
            unread,
        };
        Ok(Ctx { chrome, state: state.clone(), account, headers: parts.headers.clone() })
    }
}

impl Ctx {
    pub fn tr(&self) -> Tr {
        self.chrome.tr
    }

    pub fn lang(&self) -> Lang {
        self.chrome.lang
    }

    pub fn actor(&self) -> Option<Actor> {
        self.account.as_ref().map(Account::actor)
    }

    /// The signed-in actor, or a redirect to the sign-in page that comes back here.
    pub fn require_user(&self) -> Result<Actor, PageError> {
        self.actor().ok_or_else(|| PageError::signin(self.lang(), &self.chrome.here))
    }

    /// The signed-in actor when their role passes `allowed`; 403 otherwise.
    pub fn require_role(&self, allowed: impl Fn(Role) -> bool) -> Result<Actor, PageError> {
        let actor = self.require_user()?;
        if allowed(actor.role) { Ok(actor) } else { Err(self.error(StatusCode::FORBIDDEN)) }
    }

    pub fn error(&self, status: StatusCode) -> PageError {
        let mut e = PageError::new(self.lang(), status).with_user(self.chrome.user.clone());
        e.node_name = Some(self.chrome.node_name.clone());
        e
    }

    /// Maps an API-layer error to a page error in this language.
    pub fn fail(&self, e: impl Into<ApiError>) -> PageError {
        let e: ApiError = e.into();
        let status = match &e {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Unauthorized => return PageError::signin(self.lang(), &self.chrome.here),
            ApiError::BadRequest(_) | ApiError::Invalid(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict { .. } | ApiError::InvalidTransition(_) | ApiError::Duplicate(_) => StatusCode::CONFLICT,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let tr = self.tr();
        // Known situations get a translated explanation; the technical detail
        // (English, from the shared API layer) is added for English readers.
        let english = self.lang() == Lang::En;
        let detail = match &e {
            ApiError::Internal(m) => {
                tracing::error!(error = %m, "page failed");
                None
            }
            ApiError::Conflict { .. } => Some(tr.t("error-conflict")),
            ApiError::InvalidTransition(m) => {
                Some(if english { format!("{} {m}", tr.t("error-transition")) } else { tr.t("error-transition") })
            }
            ApiError::Invalid(errors) => Some(
                field_messages(tr, errors)
                    .into_iter()
                    .map(|(field, msgs)| format!("{field}: {}", msgs.join(" ")))
                    .collect::<Vec<_>>()
                    .join(" · "),
            ),
            ApiError::TooManyRequests { retry_after } => {
                Some(tr.tn("signin-too-many", "seconds", i64::try_from(*retry_after).unwrap_or(i64::MAX)))
            }
            other if english => Some(other.to_string()),
            _ => None,
        };
        let mut err = self.error(status);
        err.detail = detail;
        err
    }

    /// Checks the CSRF token a form sent (and the Origin header, when present).
    pub fn check_form(&self, form: &FormData) -> Result<(), PageError> {
        let sent = form.get(CSRF_FIELD).unwrap_or("");
        let expected = cookie(&self.headers, CSRF_COOKIE).unwrap_or("");
        let same = valid_token(expected)
            && sent.len() == expected.len()
            && sent.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        let origin_ok = match self.headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            None | Some("null") => true,
            Some(origin) => {
                let host = self.headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
                origin.split_once("://").map(|(_, h)| h) == Some(host)
                    || self.state.settings().base_url.trim_end_matches('/') == origin
            }
        };
        if same && origin_ok {
            Ok(())
        } else {
            let mut e = self.error(StatusCode::FORBIDDEN);
            e.detail = Some(self.tr().t("error-csrf"));
            Err(e)
        }
    }
}

// ---------------------------------------------------------------------------
// Forms

/// `?saved=1` after a form saved (`?linked=1` after the wizard recorded a
/// link): the page shows a notice.
#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
    pub linked: Option<String>,
}

/// A submitted form: its fields in order, repeated names kept (checkboxes).
#[derive(Debug, Default, Clone)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// Parses `application/x-www-form-urlencoded` bytes.
    pub fn parse(body: &[u8]) -> FormData {
        FormData(url::form_urlencoded::parse(body).into_owned().collect())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The trimmed value, `None` when empty.
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty()).collect()
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormData {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = request_lang(req.headers());
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(PageError::new(lang, StatusCode::UNSUPPORTED_MEDIA_TYPE).into_response());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| PageError::new(lang, StatusCode::PAYLOAD_TOO_LARGE).into_response())?;
        Ok(FormData::parse(&bytes))
    }
}

// ---------------------------------------------------------------------------
// Rendering and errors

/// Renders a page template to a response.
pub fn render<T: Template>(page: &T) -> Result<Response, PageError> {
    match page.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            Err(PageError::new(Lang::En, StatusCode::INTERNAL_SERVER_ERROR))
        }
    }
}

/// See-other redirect after a form post.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// HTML-escapes text (for fragments built in code and shown with `|safe`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A page that failed: rendered as a helpful error page in the reader's language.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub lang: Lang,
    pub detail: Option<String>,
    pub user: Option<Box<UserView>>,
    /// For 401: where to go back after signing in.
    pub signin_next: Option<String>,
    /// The node's name for the page header (the product's name when unknown).
    pub node_name: Option<String>,
}

impl PageError {
    pub fn new(lang: Lang, status: StatusCode) -> PageError {
        PageError { status, lang, detail: None, user: None, signin_next: None, node_name: None }
    }

    pub fn signin(lang: Lang, next: &str) -> PageError {
        PageError { signin_next: Some(next.to_owned()), ..PageError::new(lang, StatusCode::UNAUTHORIZED) }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> PageError {
        self.detail = Some(detail.into());
        self
    }

    fn with_user(mut self, user: Option<UserView>) -> PageError {
        self.user = user.map(Box::new);
        self
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    title: String,
    explanation: String,
    detail: Option<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let Some(next) = &self.signin_next {
            return Redirect::to(&format!("/signin?next={}", urlencode(next))).into_response();
        }
        let tr = Tr::new(self.lang);
        let key = match self.status.as_u16() {
            403 => "error-403",
            404 => "error-404",
            400 | 409 | 413 | 415 | 422 => "error-400",
            503 => "error-503",
            _ => "error-500",
        };
        let page = ErrorPage {
            c: Chrome {
                tr,
                lang: self.lang,
                node_name: self.node_name.unwrap_or_else(|| "Lumbung".into()),
                user: self.user.map(|u| *u),
                csrf: String::new(),
                here: "/".into(),
                css: css_url(),
                js: js_url(),
                unread: 0,
            },
            status: self.status.as_u16(),
            title: tr.t(&format!("{key}-title")),
            explanation: tr.t(&format!("{key}-text")),
            detail: self.detail,
        };
        let body = page.render().unwrap_or_else(|_| format!("{} {}", self.status.as_u16(), tr.t("error-500-title")));
        (self.status, Html(body)).into_response()
    }
}

/// The fallback for unknown paths: an HTML 404 page for browsers, problem JSON for the API.
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let wants_html = !uri.path().starts_with("/api/")
        && headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if wants_html {
        let mut e = PageError::new(request_lang(&headers), StatusCode::NOT_FOUND);
        e.node_name = Some(state.settings().node_name.clone());
        e.into_response()
    } else {
        ApiError::NotFound.into_response()
    }
}

// ---------------------------------------------------------------------------
// Small helpers shared by page modules.

/// A value with a label, for select boxes, checkbox lists and facet counts.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
    pub count: Option<u64>,
}

/// Vocabulary choices in the reader's language, those in `selected` marked.
pub fn choices(tr: Tr, terms: &'static [lumbung_core::vocab::Term], selected: &[String]) -> Vec<Choice> {
    terms
        .iter()
        .map(|t| Choice {
            value: t.code.to_owned(),
            label: t.label(tr.lang.code()).to_owned(),
            selected: selected.iter().any(|s| s == t.code),
            count: None,
        })
        .collect()
}

/// Groups field errors by field for inline messages: field → translated messages.
pub fn field_messages(tr: Tr, errors: &lumbung_core::ValidationErrors) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &errors.errors {
        let key = format!("field-error-{}", e.code.replace('_', "-"));
        let msg = if tr.has(&key) { tr.t1(&key, "detail", &e.message) } else { e.message.clone() };
        out.entry(e.field.clone()).or_default().push(msg);
    }
    out
}

/// A time to the minute, in UTC: `2026-11-26 09:30`.
pub fn minute(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{}-{:02}-{:02} {:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

/// A date for people: `26 Nov 2026` / `26 Nov 2026` (month names translated).
pub fn human_date(tr: Tr, t: time::OffsetDateTime) -> String {
    let month = tr.t(&format!("month-{}", u8::from(t.month())));
    format!("{} {} {}", t.day(), month, t.year())
}
