//! Sign-in, sign-out, the account page (password change, the language the
//! node writes to the account in) and "my cases".

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use lumbung_core::vocab;
use lumbung_store::{CaseFilter, Visibility};
use serde::Deserialize;

use super::pages::HitView;
use super::{Chrome, Ctx, FormData, PageError, field_messages, render, safe_next, see_other};
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signin", get(signin_form).post(signin))
        .route("/signout", post(signout))
        .route("/account", get(account_page).post(change_password))
        .route("/account/language", post(change_language))
        .route("/my/cases", get(my_cases))
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    c: Chrome,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn signin_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Result<Response, PageError> {
    let next = safe_next(q.next.as_deref());
    if ctx.account.is_some() {
        return Ok(see_other(&next));
    }
    render(&SigninPage { c: ctx.chrome, next, email: String::new(), error: None })
}

async fn signin(
    ctx: Ctx,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    form: FormData,
) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let tr = ctx.tr();
    let next = safe_next(form.get("next"));
    let email = form.get("email").unwrap_or("").trim().to_owned();
    let password = form.get("password").unwrap_or("").to_owned();
    let client = connect.map(|Extension(ConnectInfo(addr))| addr.ip());
    let failed = |status: StatusCode, error: String| {
        let page = SigninPage { c: ctx.chrome.clone(), next: next.clone(), email: email.clone(), error: Some(error) };
        render(&page).map(|r| (status, r).into_response())
    };
    if email.is_empty() || password.is_empty() {
        return failed(StatusCode::UNPROCESSABLE_ENTITY, tr.t("signin-missing"));
    }
    match crate::auth::sign_in(&ctx.state, &email, password, client).await {
        Ok((_, cookie)) => {
            let mut res = see_other(&next);
            res.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(res)
        }
        Err(ApiError::Unauthorized) => failed(StatusCode::UNAUTHORIZED, tr.t("signin-wrong")),
        Err(ApiError::TooManyRequests { retry_after }) => {
            failed(StatusCode::TOO_MANY_REQUESTS, tr.tn("signin-too-many", "seconds", retry_after as i64))
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn signout(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let cookie = crate::auth::sign_out(&ctx.state, &ctx.headers).await.map_err(|e| ctx.fail(e))?;
    let mut res = see_other("/");
    res.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(res)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    role: String,
    organisation: Option<String>,
    done: bool,
    errors: std::collections::BTreeMap<String, Vec<String>>,
    /// The account's language for mail (its choice, else the node's first language).
    language: String,
    languages: Vec<(String, String)>,
    language_done: bool,
    /// The public profile (`/members`): shown or not, and its expertise line.
    public: bool,
    expertise: String,
    profile_done: bool,
}

/// The account's language for mail, and the choices with their names.
async fn language_choice(ctx: &Ctx, actor: &lumbung_core::Actor) -> Result<(String, Vec<(String, String)>), PageError> {
    let chosen = ctx.state.app().account_language(actor).await.map_err(|e| ctx.fail(e))?;
    let language = chosen.unwrap_or_else(|| ctx.state.settings().default_language.clone());
    let languages =
        lumbung_app::ACCOUNT_LANGUAGES.iter().map(|l| ((*l).to_owned(), ctx.tr().term(vocab::LANGUAGES, l))).collect();
    Ok((language, languages))
}

impl AccountPage {
    fn errors_for(&self, field: &str) -> Vec<String> {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
    language: Option<String>,
    profile: Option<String>,
}

async fn account_page(ctx: Ctx, Query(q): Query<DoneQuery>) -> Result<Response, PageError> {
    let actor = ctx.require_user()?;
    let tr = ctx.tr();
    let organisation = match ctx.account.as_ref().and_then(|a| a.organisation.clone()) {
        Some(id) => ctx
            .state
            .store()
            .get_organisation(&id)
            .await
            .map_err(|e| ctx.fail(e))?
            .map(|o| o.content.name.best(ctx.lang().code(), "en").unwrap_or(&o.id).to_owned()),
        None => None,
    };
    let (language, languages) = language_choice(&ctx, &actor).await?;
    let profile = ctx.state.app().profile(&actor).await.map_err(|e| ctx.fail(e))?;
    render(&AccountPage {
        role: tr.term(vocab::ROLES, actor.role.as_str()),
        organisation,
        done: q.done.is_some(),
        errors: Default::default(),
        language,
        languages,
        language_done: q.language.is_some(),
        public: profile.public,
        expertise: profile.expertise.unwrap_or_default(),
        profile_done: q.profile.is_some(),
        c: ctx.chrome,
    })
}

/// Sets the language the node's mail is written in for this account; a
/// language it cannot have is refused (422) on the account page.
async fn change_language(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let language = form.get("language").unwrap_or("").to_owned();
    match ctx.state.app().set_account_language(&actor, &language).await {
        Ok(()) => Ok(see_other("/account?language=1")),
        Err(lumbung_app::AppError::Invalid(e)) => refused_page(ctx, &actor, &e).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The account page again with a form's field errors (422).
pub async fn refused_page(
    ctx: Ctx,
    actor: &lumbung_core::Actor,
    errors: &lumbung_core::ValidationErrors,
) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let (language, languages) = language_choice(&ctx, actor).await?;
    let profile = ctx.state.app().profile(actor).await.map_err(|e| ctx.fail(e))?;
    let page = AccountPage {
        role: tr.term(vocab::ROLES, actor.role.as_str()),
        organisation: None,
        done: false,
        errors: field_messages(tr, errors),
        language,
        languages,
        language_done: false,
        public: profile.public,
        expertise: profile.expertise.unwrap_or_default(),
        profile_done: false,
        c: ctx.chrome,
    };
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

async fn change_password(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let Some(account) = ctx.account.clone() else { return Err(ctx.error(StatusCode::UNAUTHORIZED)) };
    let current = form.get("current_password").unwrap_or("").to_owned();
    let new = form.get("new_password").unwrap_or("").to_owned();
    let errors = if new != form.get("confirm_password").unwrap_or("") {
        let mut e = lumbung_core::ValidationErrors::default();
        e.add("confirm_password", "mismatch", "the two new passwords differ");
        Some(e)
    } else {
        let session = crate::extract::session_token(&ctx.headers);
        match ctx.state.app().change_password(&account, current, new, session.as_deref()).await.map_err(ApiError::from)
        {
            Ok(()) => None,
            Err(ApiError::Invalid(e)) => Some(e),
            Err(e) => return Err(ctx.fail(e)),
        }
    };
    match errors {
        None => Ok(see_other("/account?done=1")),
        Some(e) => refused_page(ctx, &actor, &e).await,
    }
}

/// One of the user's cases with its workflow state and the last curator comment.
pub struct MyCase {
    pub hit: HitView,
    pub status: String,
    pub status_code: String,
    pub comment: Option<String>,
    pub editable: bool,
}

#[derive(Template)]
#[template(path = "my_cases.html")]
struct MyCasesPage {
    c: Chrome,
    cases: Vec<MyCase>,
    /// The cases of the contributor's organisation that others started.
    colleagues: Vec<MyCase>,
    /// Check-ins of the user's cases waiting for an answer: (case id, title, due on).
    checkins_due: Vec<(String, String, String)>,
}

async fn my_cases(ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require_user()?;
    let tr = ctx.tr();
    let store = ctx.state.store();
    let filter = CaseFilter { created_by: Some(actor.account_id.clone()), ..Default::default() };
    let page =
        store.list_cases(&filter, &Visibility::for_actor(Some(&actor)), None, 200).await.map_err(|e| ctx.fail(e))?;
    let mut colleagues = Vec::new();
    if let (lumbung_core::Role::Contributor, Some(org)) = (actor.role, &actor.organisation) {
        let filter = CaseFilter { owner_org: Some(org.clone()), ..Default::default() };
        let theirs = store
            .list_cases(&filter, &Visibility::for_actor(Some(&actor)), None, 200)
            .await
            .map_err(|e| ctx.fail(e))?;
        for case in theirs.items.into_iter().filter(|c| c.created_by.as_deref() != Some(actor.account_id.as_str())) {
            colleagues.push(MyCase {
                status: tr.term(vocab::WORKFLOW_STATUSES, case.status.as_str()),
                status_code: case.status.as_str().to_owned(),
                editable: lumbung_core::permissions::can_edit_case(&actor, case.status, case.owners()),
                hit: HitView::from_case(tr, &case),
                comment: None,
            });
        }
    }
    let mut cases = Vec::new();
    for case in page.items {
        // The latest workflow comment (a return's reason) is what the author needs to see.
        let comment = if case.status == lumbung_core::Status::Returned {
            store.case_revisions(&case.id).await.map_err(|e| ctx.fail(e))?.into_iter().rev().find_map(|r| r.comment)
        } else {
            None
        };
        cases.push(MyCase {
            status: tr.term(vocab::WORKFLOW_STATUSES, case.status.as_str()),
            status_code: case.status.as_str().to_owned(),
            editable: lumbung_core::permissions::can_edit_case(&actor, case.status, case.owners()),
            hit: HitView::from_case(tr, &case),
            comment,
        });
    }
    let checkins_due = super::checkins::due_for(&ctx, &actor).await?;
    render(&MyCasesPage { c: ctx.chrome, cases, colleagues, checkins_due })
}
