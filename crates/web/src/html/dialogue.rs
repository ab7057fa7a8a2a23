//! The dialogue's pages: rooms (`/rooms`, where curators and administrators
//! also open one, `/rooms/{slug}`), threads
//! (`/threads/{id}`, paged) and a case's discussion with "ask the team"
//! (`/cases/{id}/discussion`). Forms post without JavaScript; a refused post
//! (invalid, or too fast) renders the page again with what was typed.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use lumbung_app::{AppError, PostInput, ThreadAccess};
use lumbung_core::dialogue::{self, PAGE_SIZE};
use lumbung_core::{Status, vocab};
use lumbung_store::{Post, Thread};
use serde::Deserialize;

use super::{Chrome, Ctx, FormData, PageError, field_messages, human_date, render, see_other};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rooms", get(rooms).post(open_room))
        .route("/rooms/{slug}", get(room))
        .route("/rooms/{slug}/join", post(join))
        .route("/rooms/{slug}/leave", post(leave))
        .route("/rooms/{slug}/threads", post(new_thread))
        .route("/threads/{id}", get(thread))
        .route("/threads/{id}/posts", post(reply))
        .route("/cases/{id}/discussion", get(case_discussion).post(case_post))
        .route("/cases/{id}/ask", post(ask))
}

// ---------------------------------------------------------------------------
// View models

/// A thread in a list.
pub struct ThreadItem {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub posts: i64,
    pub last: String,
    pub locked: bool,
    pub answered: bool,
}

fn thread_item(ctx: &Ctx, t: &Thread) -> ThreadItem {
    ThreadItem {
        id: t.id.clone(),
        title: t.title.clone(),
        kind: t.kind.as_str().to_owned(),
        posts: t.post_count,
        last: human_date(ctx.tr(), t.last_post_at),
        locked: t.locked,
        answered: t.answered,
    }
}

/// A referenced published case, shown as a card.
pub struct CaseCard {
    pub id: String,
    pub title: String,
    pub country: String,
    pub status: String,
}

/// A translation shown beside its post.
pub struct TranslationItem {
    pub lang: String,
    pub html: String,
    pub translator: String,
}

/// A post as the thread page shows it.
pub struct PostItem {
    pub id: String,
    pub position: i64,
    pub author: String,
    pub handle: String,
    pub lang: String,
    pub date: String,
    /// Sanitised HTML of the Markdown text; empty while hidden.
    pub html: String,
    pub edited: bool,
    /// The placeholder of a hidden post: reason, and whether flags or a moderator hid it.
    pub hidden: Option<(String, bool)>,
    pub reply_to: Option<i64>,
    pub quote: Option<(i64, String)>,
    pub cards: Vec<CaseCard>,
    pub translations: Vec<TranslationItem>,
    /// Written by the reader.
    pub mine: bool,
}

/// The reply form, with what was typed when a post was refused.
#[derive(Default)]
pub struct Draft {
    pub body: String,
    pub language: String,
    pub title: String,
    pub reply_to: String,
    pub quote_of: String,
    pub errors: Vec<String>,
    pub alert: Option<String>,
}

#[derive(Template)]
#[template(path = "dialogue/rooms.html")]
struct RoomsPage {
    c: Chrome,
    rooms: Vec<(String, String, String, String)>,
    /// The form to open a room, for those who may.
    new_room: Option<RoomForm>,
    kinds: Vec<(String, String)>,
}

/// The form to open a room, with what was typed when it was refused.
#[derive(Default)]
pub struct RoomForm {
    pub slug: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "dialogue/room.html")]
struct RoomPage {
    c: Chrome,
    slug: String,
    title: String,
    description: String,
    kind: String,
    membership: String,
    can_read: bool,
    can_post: bool,
    can_join: bool,
    can_leave: bool,
    threads: Vec<ThreadItem>,
    draft: Draft,
    languages: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "dialogue/thread.html")]
struct ThreadPage {
    c: Chrome,
    id: String,
    title: String,
    /// Where the thread is: its link and name.
    place: (String, String),
    kind: String,
    locked: bool,
    answered: bool,
    posts: Vec<PostItem>,
    page: i64,
    pages: i64,
    can_post: bool,
    can_moderate: bool,
    signed_in: bool,
    draft: Draft,
    languages: Vec<(String, String)>,
    flag_reasons: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "dialogue/case.html")]
struct CaseDiscussionPage {
    c: Chrome,
    id: String,
    title: String,
    origin: Option<(String, String)>,
    discussion: Option<ThreadItem>,
    asks: Vec<ThreadItem>,
    signed_in: bool,
    draft: Draft,
    ask: Draft,
    languages: Vec<(String, String)>,
}

fn languages(ctx: &Ctx) -> Vec<(String, String)> {
    super::Lang::ALL.iter().map(|l| (l.code().to_owned(), ctx.tr().term(vocab::LANGUAGES, l.code()))).collect()
}

fn draft_from(ctx: &Ctx, form: &FormData) -> Draft {
    Draft {
        body: form.get("body").unwrap_or("").to_owned(),
        language: form.get("language").unwrap_or(ctx.lang().code()).to_owned(),
        title: form.get("title").unwrap_or("").to_owned(),
        reply_to: form.get("reply_to").unwrap_or("").to_owned(),
        quote_of: form.get("quote_of").unwrap_or("").to_owned(),
        ..Draft::default()
    }
}

fn input_from(form: &FormData) -> PostInput {
    PostInput {
        body: form.get("body").unwrap_or("").to_owned(),
        language: form.get("language").unwrap_or("").to_owned(),
        reply_to: form.text("reply_to"),
        quote_of: form.text("quote_of"),
    }
}

/// A refused post: the status to answer and the draft's messages, or a page error.
fn refused(ctx: &Ctx, e: AppError, draft: &mut Draft) -> Result<StatusCode, PageError> {
    match e {
        AppError::Invalid(errors) => {
            draft.errors = field_messages(ctx.tr(), &errors)
                .into_iter()
                .flat_map(|(f, m)| m.into_iter().map(move |m| format!("{f}: {m}")))
                .collect();
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        AppError::Limited { retry_after, .. } => {
            draft.alert = Some(ctx.tr().tn("dialogue-too-fast", "seconds", i64::try_from(retry_after).unwrap_or(60)));
            Ok(StatusCode::TOO_MANY_REQUESTS)
        }
        other => Err(ctx.fail(other)),
    }
}

fn with_status(status: StatusCode, page: Result<Response, PageError>) -> Result<Response, PageError> {
    let mut res = page?;
    *res.status_mut() = status;
    Ok(res)
}

// ---------------------------------------------------------------------------
// Rooms

async fn rooms_page(ctx: &Ctx, form: RoomForm) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let list = ctx.state.app().visible_rooms(actor.as_ref()).await.map_err(|e| ctx.fail(e))?;
    let tr = ctx.tr();
    let rooms = list
        .into_iter()
        .map(|a| {
            let kind = tr.t(&format!("dialogue-kind-{}", a.room.kind.as_str()));
            (a.room.slug, a.room.title, a.room.description, kind)
        })
        .collect();
    let kinds = dialogue::RoomKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), tr.t(&format!("dialogue-kind-{}", k.as_str()))))
        .collect();
    let new_room = actor.as_ref().filter(|a| dialogue::can_create_room(a)).map(|_| form);
    render(&RoomsPage { c: ctx.chrome.clone(), rooms, new_room, kinds })
}

async fn rooms(ctx: Ctx) -> Result<Response, PageError> {
    rooms_page(&ctx, RoomForm { kind: "public".into(), ..RoomForm::default() }).await
}

/// Opens a room from the form on `/rooms`; a refusal shows the form again with what was typed.
async fn open_room(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let typed = RoomForm {
        slug: form.get("slug").unwrap_or("").trim().to_owned(),
        kind: form.get("kind").unwrap_or("").to_owned(),
        title: form.get("title").unwrap_or("").to_owned(),
        description: form.get("description").unwrap_or("").to_owned(),
        errors: Vec::new(),
    };
    let new = lumbung_app::NewRoom {
        slug: typed.slug.clone(),
        kind: typed.kind.clone(),
        title: typed.title.clone(),
        description: form.text("description"),
    };
    match ctx.state.app().create_room(&actor, new).await {
        Ok(room) => Ok(see_other(&format!("/rooms/{}", room.slug))),
        Err(AppError::Invalid(errors)) => {
            let errors = field_messages(ctx.tr(), &errors)
                .into_iter()
                .flat_map(|(f, m)| m.into_iter().map(move |m| format!("{f}: {m}")))
                .collect();
            with_status(StatusCode::UNPROCESSABLE_ENTITY, rooms_page(&ctx, RoomForm { errors, ..typed }).await)
        }
        Err(AppError::Duplicate(_)) => {
            let errors = vec![ctx.tr().t("dialogue-room-taken")];
            with_status(StatusCode::CONFLICT, rooms_page(&ctx, RoomForm { errors, ..typed }).await)
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn room_page(ctx: &Ctx, slug: &str, draft: Draft) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let access = ctx.state.app().room_for(actor.as_ref(), slug).await.map_err(|e| ctx.fail(e))?;
    let threads = if access.can_read_threads {
        ctx.state.store().room_threads(slug, 100, 0).await.map_err(|e| ctx.fail(e))?
    } else {
        Vec::new()
    };
    let tr = ctx.tr();
    render(&RoomPage {
        c: ctx.chrome.clone(),
        can_join: actor.is_some()
            && (access.membership == Some(dialogue::Membership::Invited)
                || dialogue::can_request_to_join(access.room.kind, access.membership)),
        can_leave: access.membership.is_some(),
        membership: access.membership.map(|m| tr.t(&format!("dialogue-membership-{}", m.as_str()))).unwrap_or_default(),
        slug: access.room.slug.clone(),
        title: access.room.title.clone(),
        description: access.room.description.clone(),
        kind: tr.t(&format!("dialogue-kind-{}", access.room.kind.as_str())),
        can_read: access.can_read_threads,
        can_post: access.can_post,
        threads: threads.iter().map(|t| thread_item(ctx, t)).collect(),
        draft,
        languages: languages(ctx),
    })
}

async fn room(ctx: Ctx, Path(slug): Path<String>) -> Result<Response, PageError> {
    let draft = Draft { language: ctx.lang().code().to_owned(), ..Draft::default() };
    room_page(&ctx, &slug, draft).await
}

async fn join(ctx: Ctx, Path(slug): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    ctx.state.app().join_room(&actor, &slug).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/rooms/{slug}")))
}

async fn leave(ctx: Ctx, Path(slug): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    ctx.state.app().leave_room(&actor, &slug).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other("/rooms"))
}

async fn new_thread(ctx: Ctx, Path(slug): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let title = form.get("title").unwrap_or("").to_owned();
    match ctx.state.app().start_thread(&actor, &slug, &title, input_from(&form)).await {
        Ok((thread, _)) => Ok(see_other(&format!("/threads/{}", thread.id))),
        Err(e) => {
            let mut draft = draft_from(&ctx, &form);
            let status = refused(&ctx, e, &mut draft)?;
            with_status(status, room_page(&ctx, &slug, draft).await)
        }
    }
}

// ---------------------------------------------------------------------------
// Threads

#[derive(Debug, Deserialize)]
struct ThreadQuery {
    page: Option<String>,
    reply_to: Option<String>,
    quote: Option<String>,
}

async fn post_items(ctx: &Ctx, posts: Vec<Post>) -> Result<Vec<PostItem>, PageError> {
    let store = ctx.state.store();
    let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
    let translations = store.translations(&ids).await.map_err(|e| ctx.fail(e))?;
    let mut linked: Vec<String> =
        posts.iter().flat_map(|p| p.reply_to.iter().chain(p.quote_of.iter()).cloned()).collect();
    linked.retain(|id| !ids.contains(id));
    let others = store.posts_by_ids(&linked).await.map_err(|e| ctx.fail(e))?;
    let find = |id: &str| posts.iter().chain(others.iter()).find(|p| p.id == id);
    let mut items = Vec::with_capacity(posts.len());
    for p in &posts {
        let mut cards = Vec::new();
        if p.hidden.is_none() {
            for case_id in dialogue::case_references(&p.body) {
                // Only published cases become cards; anything else stays plain text.
                if let Ok(Some(case)) = store.get_case(&case_id).await {
                    if case.status == Status::Published {
                        cards.push(CaseCard {
                            title: case.display_title(ctx.lang().code()).to_owned(),
                            country: case
                                .content
                                .country
                                .as_deref()
                                .map(|c| ctx.tr().term(vocab::COUNTRIES, c))
                                .unwrap_or_default(),
                            status: ctx.tr().t("dialogue-case-published"),
                            id: case.id,
                        });
                    }
                }
            }
        }
        let quote = p.quote_of.as_deref().and_then(find).map(|q| {
            let text = if q.hidden.is_some() { String::new() } else { q.body.chars().take(300).collect() };
            (q.position, text)
        });
        items.push(PostItem {
            id: p.id.clone(),
            position: p.position,
            author: p.author_name.clone(),
            handle: p.author_handle.clone().unwrap_or_default(),
            lang: p.language.clone(),
            date: human_date(ctx.tr(), p.created_at),
            html: if p.hidden.is_some() {
                String::new()
            } else {
                super::markdown::render_post(&p.id, p.version, &p.body).to_string()
            },
            edited: p.version > 1,
            hidden: p.hidden.as_ref().map(|h| (h.reason.clone(), h.automatic)),
            reply_to: p.reply_to.as_deref().and_then(find).map(|r| r.position),
            mine: ctx.account.as_ref().is_some_and(|a| a.id == p.author_id),
            quote,
            cards,
            translations: if p.hidden.is_some() {
                Vec::new()
            } else {
                translations
                    .iter()
                    .filter(|t| t.post_id == p.id)
                    .map(|t| TranslationItem {
                        lang: t.language.clone(),
                        html: super::markdown::render(&t.body),
                        translator: t.author_name.clone(),
                    })
                    .collect()
            },
        });
    }
    Ok(items)
}

async fn thread_page(ctx: &Ctx, access: ThreadAccess, page: i64, draft: Draft) -> Result<Response, PageError> {
    let pages = ((access.thread.post_count + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let posts = ctx
        .state
        .store()
        .posts(&access.thread.id, (page - 1) * PAGE_SIZE + 1, PAGE_SIZE)
        .await
        .map_err(|e| ctx.fail(e))?;
    let place = match (&access.room, &access.case) {
        (Some(r), _) => (format!("/rooms/{}", r.room.slug), r.room.title.clone()),
        (None, Some(c)) => (format!("/cases/{}/discussion", c.id), c.display_title(ctx.lang().code()).to_owned()),
        _ => ("/rooms".to_owned(), String::new()),
    };
    render(&ThreadPage {
        c: ctx.chrome.clone(),
        id: access.thread.id.clone(),
        title: access.thread.title.clone(),
        place,
        kind: access.thread.kind.as_str().to_owned(),
        locked: access.thread.locked,
        answered: access.thread.answered,
        posts: post_items(ctx, posts).await?,
        page,
        pages,
        can_post: access.can_post,
        can_moderate: access.can_moderate,
        signed_in: ctx.account.is_some(),
        draft,
        languages: languages(ctx),
        flag_reasons: dialogue::FlagReason::ALL
            .iter()
            .map(|r| {
                (r.as_str().to_owned(), ctx.tr().t(&format!("moderation-reason-{}", r.as_str().replace('_', "-"))))
            })
            .collect(),
    })
}

async fn thread(ctx: Ctx, Path(id): Path<String>, Query(q): Query<ThreadQuery>) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let access = ctx.state.app().thread_for(actor.as_ref(), &id).await.map_err(|e| ctx.fail(e))?;
    let page = match q.page.as_deref() {
        None => 1,
        Some(p) => p.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| ctx.error(StatusCode::BAD_REQUEST))?,
    };
    let draft = Draft {
        language: ctx.lang().code().to_owned(),
        reply_to: q.reply_to.unwrap_or_default(),
        quote_of: q.quote.unwrap_or_default(),
        ..Draft::default()
    };
    thread_page(&ctx, access, page, draft).await
}

async fn reply(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    match ctx.state.app().reply(&actor, &id, input_from(&form)).await {
        Ok((thread, post)) => {
            let page = (post.position + PAGE_SIZE - 1) / PAGE_SIZE;
            Ok(see_other(&format!("/threads/{}?page={page}#post-{}", thread.id, post.position)))
        }
        Err(e) => {
            let mut draft = draft_from(&ctx, &form);
            let status = refused(&ctx, e, &mut draft)?;
            let access = ctx.state.app().thread_for(Some(&actor), &id).await.map_err(|e| ctx.fail(e))?;
            let last = ((access.thread.post_count + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
            with_status(status, thread_page(&ctx, access, last, draft).await)
        }
    }
}

// ---------------------------------------------------------------------------
// A case's discussion and its questions to the team

async fn discussion_page(ctx: &Ctx, id: &str, draft: Draft, ask: Draft) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let case = ctx.state.app().discussed_case(actor.as_ref(), id).await.map_err(|e| ctx.fail(e))?;
    let threads = ctx.state.store().case_threads(id).await.map_err(|e| ctx.fail(e))?;
    let discussion = threads.iter().find(|t| t.kind == dialogue::ThreadKind::Case).map(|t| thread_item(ctx, t));
    let asks = threads.iter().filter(|t| t.kind == dialogue::ThreadKind::Ask).map(|t| thread_item(ctx, t)).collect();
    render(&CaseDiscussionPage {
        c: ctx.chrome.clone(),
        id: case.id.clone(),
        title: case.display_title(ctx.lang().code()).to_owned(),
        origin: case.origin.as_ref().and_then(|o| {
            o.url
                .as_ref()
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .map(|u| (o.node.clone(), u.clone()))
        }),
        discussion,
        asks,
        signed_in: ctx.account.is_some(),
        draft,
        ask,
        languages: languages(ctx),
    })
}

async fn case_discussion(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let lang = ctx.lang().code().to_owned();
    let draft = Draft { language: lang.clone(), ..Draft::default() };
    discussion_page(&ctx, &id, draft, Draft { language: lang, ..Draft::default() }).await
}

async fn case_post(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    match ctx.state.app().post_on_case(&actor, &id, input_from(&form)).await {
        Ok((thread, post)) => {
            let page = (post.position + PAGE_SIZE - 1) / PAGE_SIZE;
            Ok(see_other(&format!("/threads/{}?page={page}#post-{}", thread.id, post.position)))
        }
        Err(e) => {
            let mut draft = draft_from(&ctx, &form);
            let status = refused(&ctx, e, &mut draft)?;
            let ask = Draft { language: ctx.lang().code().to_owned(), ..Draft::default() };
            with_status(status, discussion_page(&ctx, &id, draft, ask).await)
        }
    }
}

async fn ask(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let title = form.get("title").unwrap_or("").to_owned();
    match ctx.state.app().ask_the_team(&actor, &id, &title, input_from(&form)).await {
        Ok((thread, _)) => Ok(see_other(&format!("/threads/{}", thread.id))),
        Err(e) => {
            let mut ask = draft_from(&ctx, &form);
            let status = refused(&ctx, e, &mut ask)?;
            let draft = Draft { language: ctx.lang().code().to_owned(), ..Draft::default() };
            with_status(status, discussion_page(&ctx, &id, draft, ask).await)
        }
    }
}
