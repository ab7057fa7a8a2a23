//! Mail settings: how often an account gets mail (`/account/mail`), and the
//! one-click unsubscribe link of every message (`/mail/unsubscribe/{token}`,
//! RFC 8058: a POST unsubscribes without sign-in or CSRF token — the secret
//! in the URL is the authority; a GET only asks, so link scanners that follow
//! it change nothing).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lumbung_core::MailFrequency;
use serde::Deserialize;

use super::{Chrome, Ctx, FormData, PageError, render, see_other};
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/mail", get(settings).post(save))
        .route("/mail/unsubscribe/{token}", get(confirm).post(unsubscribe))
}

/// One choice of the settings form.
pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "account_mail.html")]
struct SettingsPage {
    c: Chrome,
    choices: Vec<Choice>,
    done: bool,
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

fn choices(ctx: &Ctx, current: MailFrequency) -> Vec<Choice> {
    let tr = ctx.tr();
    MailFrequency::ALL
        .into_iter()
        .map(|f| Choice {
            value: f.as_str(),
            label: tr.t(&format!("mail-frequency-{}", f.as_str())),
            hint: tr.t(&format!("mail-frequency-{}-hint", f.as_str())),
            checked: f == current,
        })
        .collect()
}

async fn settings(ctx: Ctx, Query(q): Query<DoneQuery>) -> Result<Response, PageError> {
    let actor = ctx.require_user()?;
    let pref = ctx.state.app().mail_preference(&actor.account_id).await.map_err(|e| ctx.fail(ApiError::from(e)))?;
    render(&SettingsPage { choices: choices(&ctx, pref.frequency), done: q.done.is_some(), c: ctx.chrome })
}

async fn save(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let Some(frequency) = form.get("frequency").and_then(MailFrequency::parse) else {
        let mut page = PageError::new(ctx.lang(), StatusCode::UNPROCESSABLE_ENTITY);
        page = page.with_detail(ctx.tr().t("mail-frequency-missing"));
        return Err(page);
    };
    ctx.state
        .app()
        .set_mail_frequency(&actor, &actor.account_id, frequency)
        .await
        .map_err(|e| ctx.fail(ApiError::from(e)))?;
    Ok(see_other("/account/mail?done=1"))
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    c: Chrome,
    token: String,
    done: bool,
}

async fn confirm(ctx: Ctx, Path(token): Path<String>) -> Result<Response, PageError> {
    match ctx.state.store().unsubscribe_account(&token).await.map_err(|e| ctx.fail(e))? {
        Some(_) => render(&UnsubscribePage { token, done: false, c: ctx.chrome }),
        None => Err(ctx.error(StatusCode::NOT_FOUND)),
    }
}

async fn unsubscribe(ctx: Ctx, Path(token): Path<String>) -> Result<Response, PageError> {
    match ctx.state.app().unsubscribe_mail(&token).await {
        Ok(_) => render(&UnsubscribePage { token: String::new(), done: true, c: ctx.chrome })
            .map(|r| (StatusCode::OK, r).into_response()),
        Err(lumbung_app::AppError::NotFound) => Err(ctx.error(StatusCode::NOT_FOUND)),
        Err(e) => Err(ctx.fail(ApiError::from(e))),
    }
}
