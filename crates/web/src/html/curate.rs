//! The review queue (curators and administrators): submitted cases, oldest
//! first, and nominations from other nodes; one case under review with what
//! changed since it was last submitted or published, its comments, and the
//! forms to return it to its author or publish it.
//!
//! Every step goes through the application layer (`App::transition`,
//! `App::decide_nomination`), so the rules are the API's.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use lumbung_core::{Actor, Case, Status, Transition, ValidationErrors, vocab};
use lumbung_store::{CaseFilter, Visibility};
use serde::Deserialize;

use super::submit::form_field;
use super::{Chrome, Ctx, FormData, PageError, field_messages, human_date, render, see_other};
use crate::api::cases::diff;
use crate::error::ApiError;
use crate::extract::query_pairs;
use crate::state::AppState;
use lumbung_core::{NominationDirection, NominationState, RevisionAction};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/curate", get(queue))
        .route("/curate/{id}", get(review))
        .route("/curate/{id}/return", post(return_case))
        .route("/curate/{id}/publish", post(publish_case))
        .route("/curate/nominations/{nid}/accept", post(accept))
        .route("/curate/nominations/{nid}/decline", post(decline))
}

fn curator(ctx: &Ctx) -> Result<Actor, PageError> {
    ctx.require_role(|r| r.is_editor())
}

/// Account names by id, looked up once each.
async fn author_name(ctx: &Ctx, cache: &mut BTreeMap<String, String>, id: Option<&str>) -> String {
    let Some(id) = id else { return String::new() };
    if let Some(n) = cache.get(id) {
        return n.clone();
    }
    let name = match ctx.state.store().get_account(id).await {
        Ok(Some(a)) => a.name,
        _ => id.to_owned(),
    };
    cache.insert(id.to_owned(), name.clone());
    name
}

// ---------------------------------------------------------------------------
// The queue

pub struct QueueItem {
    pub id: String,
    pub title: String,
    pub title_lang: String,
    pub author: String,
    pub date: String,
    pub completeness: u8,
}

pub struct NominationItem {
    pub id: String,
    pub case_id: String,
    pub title: String,
    pub title_lang: String,
    pub node: String,
    pub note: Option<String>,
    pub date: String,
    /// The decline reason as typed, when it was refused.
    pub reason: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "curate.html")]
struct QueuePage {
    c: Chrome,
    cases: Vec<QueueItem>,
    nominations: Vec<NominationItem>,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// A decline refused: which nomination, what was typed, why.
struct DeclineError {
    nid: String,
    reason: String,
    errors: Vec<String>,
}

async fn queue_page(ctx: &Ctx, notice: Option<String>, refused: Option<DeclineError>) -> Result<QueuePage, PageError> {
    let tr = ctx.tr();
    let lang = ctx.lang().code();
    let store = ctx.state.store();
    let filter = CaseFilter { statuses: vec![Status::Submitted], ..Default::default() };
    let mut submitted: Vec<Case> =
        store.list_cases(&filter, &Visibility::All, None, 200).await.map_err(|e| ctx.fail(e))?.items;
    // Harvested copies waiting here are decided as nominations, below.
    submitted.retain(|c| c.origin.is_none());
    submitted.sort_by_key(|c| c.updated_at);
    let mut names = BTreeMap::new();
    let mut cases = Vec::new();
    for case in submitted {
        cases.push(QueueItem {
            title: case.display_title(lang).to_owned(),
            title_lang: title_lang(&case, lang),
            author: author_name(ctx, &mut names, case.created_by.as_deref()).await,
            date: human_date(tr, case.updated_at),
            completeness: case.completeness,
            id: case.id,
        });
    }
    let mut nominations = Vec::new();
    for n in store
        .nominations(NominationDirection::Incoming, Some(NominationState::Nominated))
        .await
        .map_err(|e| ctx.fail(e))?
    {
        let case = store.get_case(&n.case_id).await.map_err(|e| ctx.fail(e))?;
        let (reason, errors) = match &refused {
            Some(r) if r.nid == n.id => (r.reason.clone(), r.errors.clone()),
            _ => (String::new(), Vec::new()),
        };
        nominations.push(NominationItem {
            title: case.as_ref().map(|c| c.display_title(lang).to_owned()).unwrap_or_default(),
            title_lang: case.as_ref().map(|c| title_lang(c, lang)).unwrap_or_default(),
            date: n.created_at.date().to_string(),
            id: n.id,
            case_id: n.case_id,
            node: n.node,
            note: n.note,
            reason,
            errors,
        });
    }
    Ok(QueuePage { c: ctx.chrome.clone(), cases, nominations, notice })
}

fn title_lang(case: &Case, lang: &str) -> String {
    if case.content.title.get(lang).is_some() { lang.to_owned() } else { case.content.original_language.clone() }
}

/// `GET /curate`: the review queue.
async fn queue(ctx: Ctx, Query(q): Query<DoneQuery>) -> Result<Response, PageError> {
    curator(&ctx)?;
    let notice = match q.done.as_deref() {
        Some(d @ ("returned" | "published" | "accepted" | "declined")) => Some(ctx.tr().t(&format!("curate-done-{d}"))),
        _ => None,
    };
    render(&queue_page(&ctx, notice, None).await?)
}

async fn decide(ctx: Ctx, nid: String, form: FormData, accept: bool) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = curator(&ctx)?;
    let note = form.text("note");
    match ctx.state.app().decide_nomination(&actor, &nid, note, accept).await.map_err(ApiError::from) {
        Ok(_) => Ok(see_other(if accept { "/curate?done=accepted" } else { "/curate?done=declined" })),
        Err(ApiError::Invalid(e)) => {
            let messages = field_messages(ctx.tr(), &e).into_values().flatten().collect();
            let refused =
                DeclineError { nid, reason: form.get("note").unwrap_or_default().to_owned(), errors: messages };
            let page = queue_page(&ctx, None, Some(refused)).await?;
            render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /curate/nominations/{nid}/accept`.
async fn accept(ctx: Ctx, Path(nid): Path<String>, form: FormData) -> Result<Response, PageError> {
    decide(ctx, nid, form, true).await
}

/// `POST /curate/nominations/{nid}/decline` (a reason is required).
async fn decline(ctx: Ctx, Path(nid): Path<String>, form: FormData) -> Result<Response, PageError> {
    decide(ctx, nid, form, false).await
}

// ---------------------------------------------------------------------------
// One case under review

pub struct DiffRow {
    pub label: String,
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub struct CommentView {
    pub action: String,
    pub author: String,
    pub at: String,
    pub comment: String,
}

#[derive(Template)]
#[template(path = "curate_case.html")]
struct ReviewPage {
    c: Chrome,
    id: String,
    title: String,
    title_lang: String,
    author: String,
    status_label: String,
    submitted: bool,
    version: i64,
    completeness: u8,
    /// (version, label) for the revision picker.
    versions: Vec<(i64, String)>,
    from: i64,
    to: i64,
    rows: Vec<DiffRow>,
    diff_caption: String,
    comments: Vec<CommentView>,
    comment: String,
    comment_errors: Vec<String>,
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn review_page(
    ctx: &Ctx,
    id: &str,
    range: (Option<i64>, Option<i64>),
    comment: String,
    errors: Option<ValidationErrors>,
) -> Result<ReviewPage, PageError> {
    let tr = ctx.tr();
    let store = ctx.state.store();
    let lang = ctx.lang().code();
    let case = store.get_case(id).await.map_err(|e| ctx.fail(e))?.ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    let revisions = store.case_revisions(id).await.map_err(|e| ctx.fail(e))?;
    let latest = revisions.last().map(|r| r.version).unwrap_or(case.version);
    let to = range.1.unwrap_or(latest);
    // By default: from the previous submission or publication (or the first revision).
    let from = range.0.unwrap_or_else(|| {
        revisions
            .iter()
            .rev()
            .find(|r| r.version < to && matches!(r.action, RevisionAction::Submit | RevisionAction::Publish))
            .or(revisions.first())
            .map(|r| r.version)
            .unwrap_or(to)
    });
    let a = store
        .case_revision(id, from)
        .await
        .map_err(|e| ctx.fail(e))?
        .ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    let b =
        store.case_revision(id, to).await.map_err(|e| ctx.fail(e))?.ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    let rows = diff(&a.case, &b.case)
        .into_iter()
        .map(|ch| {
            let field = form_field(&ch.field);
            let key = format!("submit-field-{}", field.replace('_', "-"));
            DiffRow {
                label: if tr.has(&key) { tr.t(&key) } else { ch.field.clone() },
                before: ch.before.as_ref().map(json_text),
                after: ch.after.as_ref().map(json_text),
                path: ch.field,
            }
        })
        .collect();
    let mut names = BTreeMap::new();
    let action_label = |a: &lumbung_core::RevisionAction| {
        let key = format!("action-{a}");
        if tr.has(&key) { tr.t(&key) } else { a.to_string() }
    };
    let versions =
        revisions.iter().map(|r| (r.version, format!("v{} · {}", r.version, action_label(&r.action)))).collect();
    let mut comments = Vec::new();
    for r in revisions.iter().rev() {
        if let Some(cm) = &r.comment {
            comments.push(CommentView {
                action: action_label(&r.action),
                author: author_name(ctx, &mut names, r.actor_id.as_deref()).await,
                at: super::minute(r.created_at),
                comment: cm.clone(),
            });
        }
    }
    let comment_errors = errors.map(|e| field_messages(tr, &e).into_values().flatten().collect()).unwrap_or_default();
    Ok(ReviewPage {
        title: case.display_title(lang).to_owned(),
        title_lang: title_lang(&case, lang),
        author: author_name(ctx, &mut names, case.created_by.as_deref()).await,
        status_label: tr.term(vocab::WORKFLOW_STATUSES, case.status.as_str()),
        submitted: case.status == Status::Submitted,
        version: case.version,
        completeness: case.completeness,
        id: case.id,
        versions,
        from,
        to,
        rows,
        diff_caption: tr.targs("curate-diff-caption", &[("from", &from.to_string()), ("to", &to.to_string())]),
        comments,
        comment,
        comment_errors,
        c: ctx.chrome.clone(),
    })
}

/// `GET /curate/{id}?from=N&to=M`: a case under review.
async fn review(ctx: Ctx, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    curator(&ctx)?;
    let mut range = (None, None);
    for (k, v) in query_pairs(raw.as_deref()) {
        let slot = match k.as_str() {
            "from" => &mut range.0,
            "to" => &mut range.1,
            _ => continue,
        };
        *slot = Some(v.parse::<i64>().map_err(|_| ctx.error(StatusCode::BAD_REQUEST))?);
    }
    render(&review_page(&ctx, &id, range, String::new(), None).await?)
}

/// `POST /curate/{id}/return`: back to the author, with a comment (required).
async fn return_case(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = curator(&ctx)?;
    let typed = form.get("comment").unwrap_or_default().to_owned();
    let version = form.get("version").and_then(|v| v.trim().parse::<i64>().ok());
    let result = ctx
        .state
        .app()
        .transition(&actor, &id, version, Transition::Return, form.text("comment"))
        .await
        .map_err(ApiError::from);
    match result {
        Ok(_) => Ok(see_other("/curate?done=returned")),
        Err(ApiError::Invalid(e)) => {
            let page = review_page(&ctx, &id, (None, None), typed, Some(e)).await?;
            render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /curate/{id}/publish`.
async fn publish_case(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = curator(&ctx)?;
    let version = form.get("version").and_then(|v| v.trim().parse::<i64>().ok());
    ctx.state.app().transition(&actor, &id, version, Transition::Publish, None).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other("/curate?done=published"))
}
