//! Threads of the dialogue: list a room's or a case's threads, read one with
//! its posts a page at a time, start one (in a room, on a case, or a question
//! to a case's team) and reply in one.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use lumbung_app::{PostInput, ThreadAccess};
use lumbung_core::dialogue::PAGE_SIZE;
use lumbung_store::{Post, PostTranslation, Thread};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, query_pairs};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/threads", get(list_threads).post(create_thread))
        .route("/api/v1/threads/{id}", get(get_thread))
        .route("/api/v1/threads/{id}/posts", post(create_post))
}

pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// A thread as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadView {
    pub id: String,
    /// `room`, `case` (a case's discussion) or `ask` (a question to a case's team).
    pub kind: String,
    pub room: Option<String>,
    pub case_id: Option<String>,
    pub title: String,
    pub locked: bool,
    /// For questions to a case's team: whether one of its owners has answered.
    pub answered: bool,
    pub post_count: i64,
    pub last_post_at: String,
    pub created_at: String,
}

impl From<Thread> for ThreadView {
    fn from(t: Thread) -> Self {
        ThreadView {
            id: t.id,
            kind: t.kind.as_str().to_owned(),
            room: t.room,
            case_id: t.case_id,
            title: t.title,
            locked: t.locked,
            answered: t.answered,
            post_count: t.post_count,
            last_post_at: rfc3339(t.last_post_at),
            created_at: rfc3339(t.created_at),
        }
    }
}

/// Why a post is hidden.
#[derive(Debug, Serialize, ToSchema)]
pub struct HiddenView {
    /// True when flags hid it pending review, false when a moderator did.
    pub automatic: bool,
    pub reason: String,
}

/// A human translation of a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationView {
    pub language: String,
    pub body: String,
    pub translator: String,
}

/// A post as the API shows it (a hidden post keeps its place, not its text).
#[derive(Debug, Serialize, ToSchema)]
pub struct PostView {
    pub id: String,
    pub thread_id: String,
    /// Its number in the thread, from 1.
    pub position: i64,
    pub author_name: String,
    pub author_handle: Option<String>,
    pub reply_to: Option<String>,
    pub quote_of: Option<String>,
    pub language: String,
    /// Markdown; null while the post is hidden.
    pub body: Option<String>,
    pub hidden: Option<HiddenView>,
    /// Whether it was changed after it was posted.
    pub edited: bool,
    pub version: i64,
    pub created_at: String,
    pub translations: Vec<TranslationView>,
}

pub fn post_view(p: Post, translations: &[PostTranslation]) -> PostView {
    let hidden = p.hidden.map(|h| HiddenView { automatic: h.automatic, reason: h.reason });
    PostView {
        translations: if hidden.is_some() {
            Vec::new()
        } else {
            translations
                .iter()
                .filter(|t| t.post_id == p.id)
                .map(|t| TranslationView {
                    language: t.language.clone(),
                    body: t.body.clone(),
                    translator: t.author_name.clone(),
                })
                .collect()
        },
        body: if hidden.is_some() { None } else { Some(p.body) },
        hidden,
        edited: p.version > 1,
        id: p.id,
        thread_id: p.thread_id,
        position: p.position,
        author_name: p.author_name,
        author_handle: p.author_handle,
        reply_to: p.reply_to,
        quote_of: p.quote_of,
        language: p.language,
        version: p.version,
        created_at: rfc3339(p.created_at),
    }
}

/// A thread with one page of its posts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadPage {
    pub thread: ThreadView,
    pub posts: Vec<PostView>,
    /// This page (from 1) and how many there are (50 posts each).
    pub page: i64,
    pub pages: i64,
    pub can_post: bool,
    pub can_moderate: bool,
}

/// Threads of a room (`room=SLUG`) or of a published case (`case=ID`), newest
/// activity first; empty when neither is named.
#[utoipa::path(get, path = "/api/v1/threads", tag = "dialogue",
    params(("room" = Option<String>, Query, description = "A room's slug"),
           ("case" = Option<String>, Query, description = "A case's id")),
    responses((status = 200, body = Vec<ThreadView>), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn list_threads(
    State(state): State<AppState>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<ThreadView>>, ApiError> {
    let actor = user.actor();
    let (mut room, mut case) = (None, None);
    for (k, v) in query_pairs(raw.as_deref()) {
        match k.as_str() {
            "room" if !v.is_empty() => room = Some(v),
            "case" if !v.is_empty() => case = Some(v),
            "room" | "case" => {}
            _ => return Err(ApiError::BadRequest(format!("'{k}' is not a parameter of this list"))),
        }
    }
    let threads = match (room, case) {
        (Some(room), _) => {
            let access = state.app().room_for(actor.as_ref(), &room).await?;
            if !access.can_read_threads {
                return Err(ApiError::NotFound);
            }
            state.store().room_threads(&room, 200, 0).await?
        }
        (None, Some(case)) => {
            state.app().discussed_case(actor.as_ref(), &case).await?;
            state.store().case_threads(&case).await?
        }
        // Neither: nothing is named, nothing is listed.
        (None, None) => Vec::new(),
    };
    Ok(Json(threads.into_iter().map(ThreadView::from).collect()))
}

/// The page of posts `page` (from 1) of a thread the caller may read.
pub async fn thread_page(state: &AppState, access: ThreadAccess, page: i64) -> Result<ThreadPage, ApiError> {
    let pages = ((access.thread.post_count + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let posts = state.store().posts(&access.thread.id, (page - 1) * PAGE_SIZE + 1, PAGE_SIZE).await?;
    let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
    let translations = state.store().translations(&ids).await?;
    Ok(ThreadPage {
        posts: posts.into_iter().map(|p| post_view(p, &translations)).collect(),
        page,
        pages,
        can_post: access.can_post,
        can_moderate: access.can_moderate,
        thread: access.thread.into(),
    })
}

/// A thread and one page of its posts (`page`, 50 posts each).
#[utoipa::path(get, path = "/api/v1/threads/{id}", tag = "dialogue",
    params(("id" = String, Path, description = "Thread id"),
           ("page" = Option<i64>, Query, description = "Page of posts, from 1")),
    responses((status = 200, body = ThreadPage), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get_thread(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ThreadPage>, ApiError> {
    let mut page = 1;
    for (k, v) in query_pairs(raw.as_deref()) {
        match (k.as_str(), v.parse::<i64>()) {
            ("page", Ok(n)) if (1..=10_000).contains(&n) => page = n,
            _ => return Err(ApiError::BadRequest(format!("'{v}' is not a valid value for {k}"))),
        }
    }
    let access = state.app().thread_for(user.actor().as_ref(), &id).await?;
    Ok(Json(thread_page(&state, access, page).await?))
}

/// A new thread: in a room (`room` and `title`), on a case's discussion
/// (`case`), or a question to a case's team (`case`, `ask: true`, `title`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ThreadInput {
    pub room: Option<String>,
    pub case: Option<String>,
    /// Ask the case's owners (with `case`).
    pub ask: Option<bool>,
    pub title: Option<String>,
    /// Markdown.
    pub body: String,
    /// The post's language (en, id, …).
    pub language: String,
}

/// The thread a post went to, and the post.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub thread: ThreadView,
    pub post: PostView,
}

/// Start a thread (or post on a case's discussion).
#[utoipa::path(post, path = "/api/v1/threads", tag = "dialogue", request_body = ThreadInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)))]
pub async fn create_thread(
    State(state): State<AppState>,
    user: MaybeUser,
    body: JsonBody,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let actor = user.require()?;
    let req: ThreadInput = body.parse(&["room", "case", "ask", "title", "body", "language"])?;
    let input = PostInput { body: req.body, language: req.language, reply_to: None, quote_of: None };
    let title = req.title.unwrap_or_default();
    let app = state.app();
    let (thread, post) = match (req.room, req.case, req.ask.unwrap_or(false)) {
        (Some(room), None, false) => app.start_thread(&actor, &room, &title, input).await?,
        (None, Some(case), false) => app.post_on_case(&actor, &case, input).await?,
        (None, Some(case), true) => app.ask_the_team(&actor, &case, &title, input).await?,
        _ => return Err(ApiError::field("room", "invalid", "name a room, or a case (with ask for a question)")),
    };
    Ok((StatusCode::CREATED, Json(Created { thread: thread.into(), post: post_view(post, &[]) })))
}

/// A reply.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PostInputBody {
    /// Markdown.
    pub body: String,
    pub language: String,
    /// The post (of this thread) this answers.
    pub reply_to: Option<String>,
    /// The post (of this thread) this quotes.
    pub quote_of: Option<String>,
}

/// Post in a thread.
#[utoipa::path(post, path = "/api/v1/threads/{id}/posts", tag = "dialogue", request_body = PostInputBody,
    params(("id" = String, Path, description = "Thread id")), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = PostView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)))]
pub async fn create_post(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<PostView>), ApiError> {
    let actor = user.require()?;
    // Whether the thread exists for the caller is answered before what they sent.
    state.app().thread_for(Some(&actor), &id).await?;
    let req: PostInputBody = body.parse(&["body", "language", "reply_to", "quote_of"])?;
    let input = PostInput { body: req.body, language: req.language, reply_to: req.reply_to, quote_of: req.quote_of };
    let (_, post) = state.app().reply(&actor, &id, input).await?;
    Ok((StatusCode::CREATED, Json(post_view(post, &[]))))
}
