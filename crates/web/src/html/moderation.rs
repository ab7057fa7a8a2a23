//! Moderation pages: flag a post, a moderator's decisions on a thread page,
//! `/moderation` (the review queue for moderators, the audit log for
//! curators and administrators, the decisions about oneself with their
//! appeals, the open appeals a moderator decides). Forms work without
//! JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use lumbung_store::ModerationAction;

use super::{Chrome, Ctx, FormData, PageError, minute, render, see_other};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/posts/{id}/flag", post(flag))
        .route("/posts/{id}/moderate", post(moderate_post))
        .route("/threads/{id}/moderate", post(moderate_thread))
        .route("/moderation", get(page))
        .route("/moderation/{id}/appeal", post(appeal))
        .route("/moderation/{id}/appeal/decide", post(decide_appeal))
}

/// A decision as the page lists it.
pub struct DecisionItem {
    pub id: String,
    pub action: String,
    pub thread_id: String,
    pub by: String,
    pub reason: String,
    pub until: String,
    pub at: String,
    /// The appeal's state in words, if appealed.
    pub appeal: Option<String>,
    /// The appeal's text.
    pub appeal_body: String,
    /// Who decided the appeal and why, once decided.
    pub appeal_note: Option<String>,
}

/// A post in the queue.
pub struct QueueEntry {
    pub post_id: String,
    pub thread_id: String,
    pub thread_title: String,
    pub author: String,
    pub body: String,
    pub hidden: bool,
    pub flags: String,
}

#[derive(Template)]
#[template(path = "dialogue/moderation.html")]
struct ModerationPage {
    c: Chrome,
    moderator: bool,
    queue: Vec<QueueEntry>,
    log: Option<Vec<DecisionItem>>,
    mine: Vec<DecisionItem>,
    appeals: Vec<DecisionItem>,
}

fn decision(ctx: &Ctx, a: ModerationAction) -> DecisionItem {
    DecisionItem {
        action: ctx.tr().t(&format!("moderation-action-{}", a.action)),
        thread_id: a.thread_id.unwrap_or_default(),
        by: a.moderator_name.unwrap_or_else(|| ctx.tr().t("moderation-automatic")),
        reason: a.reason,
        until: a.until.map(minute).unwrap_or_default(),
        at: minute(a.created_at),
        appeal_body: a.appeal.as_ref().map(|p| p.body.clone()).unwrap_or_default(),
        appeal_note: a.appeal.as_ref().and_then(|p| {
            let note = p.note.as_ref()?;
            let name = p.decided_by.clone().unwrap_or_else(|| ctx.tr().t("inbox-someone"));
            Some(ctx.tr().t2("moderation-appeal-note", ("name", &name), ("note", note)))
        }),
        appeal: a.appeal.map(|p| ctx.tr().t(&format!("moderation-appeal-{}", p.state))),
        id: a.id,
    }
}

async fn back_to_thread(ctx: &Ctx, post: &str) -> Result<Response, PageError> {
    let post = ctx
        .state
        .store()
        .post(post)
        .await
        .map_err(|e| ctx.fail(e))?
        .ok_or_else(|| ctx.fail(crate::error::ApiError::NotFound))?;
    let page = (post.position + lumbung_core::dialogue::PAGE_SIZE - 1) / lumbung_core::dialogue::PAGE_SIZE;
    Ok(see_other(&format!("/threads/{}?page={page}#post-{}", post.thread_id, post.position)))
}

async fn flag(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let reason = form.get("reason").unwrap_or("").to_owned();
    ctx.state.app().flag_post(&actor, &id, &reason, form.text("note")).await.map_err(|e| ctx.fail(e))?;
    back_to_thread(&ctx, &id).await
}

async fn moderate_post(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let decision = form.get("decision").unwrap_or("").to_owned();
    ctx.state.app().moderate_post(&actor, &id, &decision, form.text("reason")).await.map_err(|e| ctx.fail(e))?;
    back_to_thread(&ctx, &id).await
}

async fn moderate_thread(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let decision = form.get("decision").unwrap_or("").to_owned();
    ctx.state.app().moderate_thread(&actor, &id, &decision, form.text("reason")).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/threads/{id}")))
}

async fn page(ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require_user()?;
    let app = ctx.state.app();
    let moderator = app.is_moderator(&actor).await.map_err(|e| ctx.fail(e))?;
    let queue = if moderator {
        app.moderation_queue(&actor)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|q| QueueEntry {
                post_id: q.post_id,
                thread_id: q.thread_id,
                thread_title: q.thread_title,
                author: q.author_name,
                body: q.body.chars().take(500).collect(),
                hidden: q.hidden_by.is_some(),
                flags: q
                    .flags
                    .iter()
                    .map(|(r, n)| match n {
                        Some(n) => format!("{r}: {n}"),
                        None => r.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect()
    } else {
        Vec::new()
    };
    let log = if lumbung_core::dialogue::can_read_audit_log(&actor) {
        Some(
            app.moderation_log(&actor).await.map_err(|e| ctx.fail(e))?.into_iter().map(|a| decision(&ctx, a)).collect(),
        )
    } else {
        None
    };
    let mine =
        app.decisions_about_me(&actor).await.map_err(|e| ctx.fail(e))?.into_iter().map(|a| decision(&ctx, a)).collect();
    let appeals = if moderator {
        app.appeals_to_decide(&actor).await.map_err(|e| ctx.fail(e))?.into_iter().map(|a| decision(&ctx, a)).collect()
    } else {
        Vec::new()
    };
    render(&ModerationPage { c: ctx.chrome.clone(), moderator, queue, log, mine, appeals })
}

async fn decide_appeal(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let decision = form.get("decision").unwrap_or("").to_owned();
    ctx.state.app().decide_appeal(&actor, &id, &decision, form.text("reason")).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other("/moderation"))
}

async fn appeal(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    ctx.state.app().appeal(&actor, &id, form.text("body")).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other("/moderation"))
}
