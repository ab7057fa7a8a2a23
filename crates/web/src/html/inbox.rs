//! The inbox (`/inbox`): notifications newest first, mark one or all read,
//! the private Atom feed's secret URL (made anew, revoked), and following a
//! case, room or thread from its page. The header shows the unread count
//! (see `Ctx`), so no script is needed.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use lumbung_federation::atom;
use lumbung_store::Notification;

use super::{Chrome, Ctx, FormData, PageError, escape_html, minute, render, safe_next, see_other};
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(page))
        .route("/inbox/read", post(read))
        .route("/inbox/feed", post(new_feed))
        .route("/inbox/feed/revoke", post(revoke_feed))
        .route("/follow", post(follow))
        .route("/feeds/inbox/{file}", get(feed))
}

/// A notification as the inbox shows it.
pub struct Item {
    pub id: String,
    pub text: String,
    pub href: String,
    pub at: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "dialogue/inbox.html")]
struct InboxPage {
    c: Chrome,
    items: Vec<Item>,
    unread: i64,
    has_feed: bool,
    feed_url: Option<String>,
}

fn item(tr: super::Tr, n: Notification) -> Item {
    let who = n.actor_name.clone().unwrap_or_else(|| tr.t("inbox-someone"));
    let what = n.thread_title.clone().unwrap_or_default();
    let text = tr.t2(&format!("inbox-kind-{}", n.kind.replace('_', "-")), ("who", &who), ("what", &what));
    let href = match (&n.thread_id, &n.case_id, n.kind.as_str()) {
        (_, _, "moderation" | "appeal") => "/moderation".to_owned(),
        (_, Some(c), "checkin_due") => format!("/cases/{c}#checkins"),
        (Some(t), _, _) => format!("/threads/{t}"),
        (None, Some(c), _) => format!("/cases/{c}"),
        _ => "/inbox".to_owned(),
    };
    Item { id: n.id, text, href, at: minute(n.created_at), read: n.read }
}

async fn render_inbox(ctx: &Ctx, feed_url: Option<String>) -> Result<Response, PageError> {
    let actor = ctx.require_user()?;
    let (list, unread) = ctx.state.app().inbox(&actor, 100, 0).await.map_err(|e| ctx.fail(e))?;
    let has_feed = ctx.state.store().has_feed_token(&actor.account_id).await.map_err(|e| ctx.fail(e))?;
    let items = list.into_iter().map(|n| item(ctx.tr(), n)).collect();
    render(&InboxPage { c: ctx.chrome.clone(), items, unread, has_feed, feed_url })
}

async fn page(ctx: Ctx) -> Result<Response, PageError> {
    render_inbox(&ctx, None).await
}

async fn read(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let id = form.text("id");
    ctx.state.app().mark_read(&actor, id.as_deref()).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other("/inbox"))
}

async fn new_feed(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let secret = ctx.state.app().new_feed_secret(&actor).await.map_err(|e| ctx.fail(e))?;
    // The secret is shown once, on this page; only its hash is kept.
    let url = format!("{}/feeds/inbox/{secret}.atom", ctx.state.settings().base_url);
    render_inbox(&ctx, Some(url)).await
}

async fn revoke_feed(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    ctx.state.app().revoke_feed(&actor).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other("/inbox"))
}

/// Follows (or with level `none`, stops following) a target, then goes back.
async fn follow(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let target = form.get("target").unwrap_or("").to_owned();
    let app = ctx.state.app();
    match form.get("level").unwrap_or("") {
        "none" => match app.unsubscribe(&actor, &target).await {
            Ok(()) | Err(lumbung_app::AppError::NotFound) => {}
            Err(e) => return Err(ctx.fail(e)),
        },
        level => app.subscribe(&actor, &target, level).await.map_err(|e| ctx.fail(e))?,
    }
    Ok(see_other(&safe_next(form.get("next"))))
}

/// The private feed: `/feeds/inbox/{secret}.atom`; 404 for an unknown or revoked secret.
async fn feed(ctx: Ctx, Path(file): Path<String>) -> Result<Response, ApiError> {
    let secret = file.strip_suffix(".atom").ok_or(ApiError::NotFound)?;
    let account = ctx.state.app().feed_account(secret).await?;
    let base = ctx.state.settings().base_url.trim_end_matches('/').to_owned();
    let list = ctx.state.store().notifications(&account, 50, 0).await?;
    let updated = list.first().map(|n| n.created_at).unwrap_or_else(lumbung_core::clock::now);
    let rfc = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let tr = ctx.tr();
    let entries: Vec<atom::Entry> = list
        .into_iter()
        .map(|n| {
            let at = rfc(n.created_at);
            let id = format!("urn:lumbung:notification:{}", n.id);
            let i = item(tr, n);
            atom::Entry {
                id,
                title: i.text.clone(),
                title_lang: ctx.lang().code().to_owned(),
                url: format!("{base}{}", i.href),
                published: at.clone(),
                updated: at,
                summary_html: escape_html(&i.text),
                categories: Vec::new(),
            }
        })
        .collect();
    let self_url = format!("{base}/feeds/inbox/{file}");
    let title = tr.t("inbox-feed-title");
    let xml = atom::render(
        &atom::Feed {
            self_url: &self_url,
            alternate_url: &format!("{base}/inbox"),
            title: &title,
            subtitle: &title,
            author: &ctx.state.settings().node_name,
            lang: ctx.lang().code(),
            updated: &rfc(updated),
        },
        &entries,
    );
    Ok(([(CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}
