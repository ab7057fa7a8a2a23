//! Administration: accounts and roles (administrators), organisations
//! (curators and administrators) and the state of harvesting each peer
//! (administrators). Every change goes through the same checks as the JSON
//! API (`api::accounts`, `api::organisations`).

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lumbung_core::{
    Account, Actor, Organisation, OrganisationContent, Role, Text, ValidationErrors, permissions, vocab,
};
use serde::Deserialize;

use super::pages::askama_escape;
use super::{Choice, Chrome, Ctx, FormData, PageError, Tr, choices, field_messages, render, see_other};
use crate::api::accounts::{AccountCreate, AccountUpdate};
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(overview))
        .route("/admin/accounts", get(accounts_page).post(create_account))
        .route("/admin/accounts/{id}", get(account_page).post(update_account))
        .route("/admin/organisations", get(organisations_page).post(create_organisation))
        .route("/admin/organisations/{id}", get(organisation_page).post(update_organisation))
        .route("/admin/harvest", get(harvest_page))
}

// ---------------------------------------------------------------------------
// Access and shared helpers

/// Administrators only.
fn require_admin(ctx: &Ctx) -> Result<Actor, PageError> {
    let actor = ctx.require_user()?;
    if permissions::can_manage_accounts(&actor) { Ok(actor) } else { Err(ctx.error(StatusCode::FORBIDDEN)) }
}

/// Whoever may keep organisations (curators and administrators).
fn require_org_keeper(ctx: &Ctx) -> Result<Actor, PageError> {
    let actor = ctx.require_user()?;
    if permissions::can_manage_organisations(&actor) { Ok(actor) } else { Err(ctx.error(StatusCode::FORBIDDEN)) }
}

type Errors = BTreeMap<String, Vec<String>>;

/// Inline messages per field; the (field, code) pairs in `specific` get a
/// message of their own instead of the generic one with a technical detail.
fn messages(tr: Tr, errors: &ValidationErrors, specific: &[(&str, &str, &str)]) -> Errors {
    let mut out = Errors::new();
    let mut rest = ValidationErrors::default();
    for e in &errors.errors {
        // `name.en` → `name_en`: the form's control for that language.
        let field = e.field.replace('.', "_");
        match specific.iter().find(|(f, code, _)| *f == field && *code == e.code) {
            Some((_, _, key)) => out.entry(field).or_default().push(tr.t(key)),
            None => rest.add(field, e.code, e.message.clone()),
        }
    }
    for (field, msgs) in field_messages(tr, &rest) {
        out.entry(field).or_default().extend(msgs);
    }
    out
}

/// A form's inline errors, rendered next to the controls they name.
#[derive(Default)]
pub struct Fields(Errors);

impl Fields {
    /// ` aria-invalid="true" aria-describedby="{field}-error"` when the field has errors.
    pub fn attrs(&self, field: &str) -> String {
        if self.0.contains_key(field) {
            format!(r#" aria-invalid="true" aria-describedby="{field}-error""#)
        } else {
            String::new()
        }
    }

    /// The field's messages as a paragraph the control points to (escaped).
    pub fn error(&self, field: &str) -> String {
        match self.0.get(field) {
            Some(msgs) => {
                format!(r#"<p class="field-error" id="{field}-error">{}</p>"#, askama_escape(&msgs.join(" ")))
            }
            None => String::new(),
        }
    }
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

fn notice(tr: Tr, done: Option<&str>) -> Option<String> {
    match done {
        Some("created") => Some(tr.t("admin-notice-created")),
        Some("saved") => Some(tr.t("admin-notice-saved")),
        _ => None,
    }
}

fn org_name(o: &Organisation, lang: &str) -> String {
    o.content.name.best(lang, "en").unwrap_or(&o.id).to_owned()
}

/// Organisations for a select box, `selected` marked, `except` left out.
fn organisation_choices(orgs: &[Organisation], lang: &str, selected: &str, except: Option<&str>) -> Vec<Choice> {
    let mut out: Vec<Choice> = orgs
        .iter()
        .filter(|o| Some(o.id.as_str()) != except)
        .map(|o| Choice {
            value: o.id.clone(),
            label: match &o.content.acronym {
                Some(a) => format!("{} ({a})", org_name(o, lang)),
                None => org_name(o, lang),
            },
            selected: o.id == selected,
            count: None,
        })
        .collect();
    out.sort_by_key(|c| c.label.to_lowercase());
    out
}

fn with_status(status: StatusCode, page: Result<Response, PageError>) -> Result<Response, PageError> {
    page.map(|r| (status, r).into_response())
}

// ---------------------------------------------------------------------------
// Overview

#[derive(Template)]
#[template(path = "admin.html")]
struct OverviewPage {
    c: Chrome,
    is_admin: bool,
    accounts: i64,
    organisations: i64,
    sources: i64,
    failing: i64,
}

async fn overview(ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require_user()?;
    let is_admin = permissions::can_manage_accounts(&actor);
    if !is_admin && !permissions::can_manage_organisations(&actor) {
        return Err(ctx.error(StatusCode::FORBIDDEN));
    }
    let store = ctx.state.store();
    let organisations = store.list_organisations().await.map_err(|e| ctx.fail(e))?.len() as i64;
    let (accounts, sources, failing) = if is_admin {
        let sources = store.harvest_sources().await.map_err(|e| ctx.fail(e))?;
        let failing = sources.iter().filter(|s| s.last_error.is_some()).count() as i64;
        (store.list_accounts().await.map_err(|e| ctx.fail(e))?.len() as i64, sources.len() as i64, failing)
    } else {
        (0, 0, 0)
    };
    render(&OverviewPage { c: ctx.chrome, is_admin, accounts, organisations, sources, failing })
}

// ---------------------------------------------------------------------------
// Accounts

pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub organisation: String,
    pub disabled: bool,
}

/// What the account forms show (and show again after an error).
#[derive(Default)]
pub struct AccountForm {
    pub name: String,
    pub email: String,
    pub role: String,
    pub organisation: String,
    /// A delegate's country code.
    pub delegation: String,
    pub disabled: bool,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage {
    c: Chrome,
    rows: Vec<AccountRow>,
    form: AccountForm,
    roles: Vec<Choice>,
    delegations: Vec<Choice>,
    organisations: Vec<Choice>,
    f: Fields,
    notice: Option<String>,
}

async fn accounts_view(
    ctx: &Ctx,
    form: AccountForm,
    errors: Errors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let lang = ctx.lang().code();
    let store = ctx.state.store();
    let orgs = store.list_organisations().await.map_err(|e| ctx.fail(e))?;
    let names: BTreeMap<&str, String> = orgs.iter().map(|o| (o.id.as_str(), org_name(o, lang))).collect();
    let rows = store
        .list_accounts()
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .map(|a| AccountRow {
            role: tr.term(vocab::ROLES, a.role.as_str()),
            organisation: a
                .organisation
                .as_deref()
                .map(|o| names.get(o).cloned().unwrap_or_else(|| o.to_owned()))
                .unwrap_or_default(),
            id: a.id,
            name: a.name,
            email: a.email,
            disabled: a.disabled,
        })
        .collect();
    let role = if form.role.is_empty() { Role::Contributor.as_str().to_owned() } else { form.role.clone() };
    render(&AccountsPage {
        rows,
        roles: choices(tr, vocab::ROLES, &[role]),
        delegations: choices(tr, vocab::COUNTRIES, std::slice::from_ref(&form.delegation)),
        organisations: organisation_choices(&orgs, lang, &form.organisation, None),
        form,
        f: Fields(errors),
        notice,
        c: ctx.chrome.clone(),
    })
}

async fn accounts_page(ctx: Ctx, Query(q): Query<DoneQuery>) -> Result<Response, PageError> {
    require_admin(&ctx)?;
    let notice = notice(ctx.tr(), q.done.as_deref());
    accounts_view(&ctx, AccountForm::default(), Errors::new(), notice).await
}

/// The role a form chose, or an inline error.
fn form_role(form: &FormData, errors: &mut ValidationErrors) -> Option<Role> {
    let role = form.get("role").and_then(Role::parse);
    if role.is_none() {
        errors.add("role", "unknown_value", "not a role");
    }
    role
}

const ACCOUNT_MESSAGES: [(&str, &str, &str); 7] = [
    ("delegation", "required", "admin-account-delegation-required"),
    ("delegation", "invalid", "admin-account-delegation-not-delegate"),
    ("delegation", "unknown_value", "admin-account-delegation-unknown"),
    ("email", "invalid", "admin-account-email-invalid"),
    ("password", "too_short", "admin-account-password-short"),
    ("organisation", "unknown_value", "admin-account-organisation-unknown"),
    ("role", "unknown_value", "admin-account-role-unknown"),
];

async fn create_account(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = require_admin(&ctx)?;
    let tr = ctx.tr();
    let shown = AccountForm {
        name: form.get("name").unwrap_or("").trim().to_owned(),
        email: form.get("email").unwrap_or("").trim().to_owned(),
        role: form.get("role").unwrap_or("").to_owned(),
        organisation: form.text("organisation").unwrap_or_default(),
        delegation: form.text("delegation").unwrap_or_default(),
        ..Default::default()
    };
    let mut invalid = ValidationErrors::default();
    let role = form_role(&form, &mut invalid);
    let result = match role {
        Some(role) => {
            let req = AccountCreate {
                email: shown.email.clone(),
                name: shown.name.clone(),
                role,
                organisation: form.text("organisation"),
                // The form keeps its country choice whatever the role; only a
                // delegate's counts.
                delegation: form.text("delegation").filter(|_| role == Role::Delegate),
                password: form.get("password").unwrap_or("").to_owned(),
            };
            ctx.state.app().create_account(Some(&actor), req.into()).await.map_err(ApiError::from)
        }
        None => Err(ApiError::Invalid(invalid)),
    };
    let errors = match result {
        Ok(_) => return Ok(see_other("/admin/accounts?done=created")),
        Err(ApiError::Invalid(e)) => messages(tr, &e, &ACCOUNT_MESSAGES),
        Err(ApiError::Duplicate(_)) => Errors::from([("email".to_owned(), vec![tr.t("admin-account-email-taken")])]),
        Err(e) => return Err(ctx.fail(e)),
    };
    with_status(StatusCode::UNPROCESSABLE_ENTITY, accounts_view(&ctx, shown, errors, None).await)
}

#[derive(Template)]
#[template(path = "admin_account.html")]
struct AccountPage {
    c: Chrome,
    id: String,
    is_self: bool,
    form: AccountForm,
    roles: Vec<Choice>,
    delegations: Vec<Choice>,
    organisations: Vec<Choice>,
    f: Fields,
    alert: Option<String>,
}

fn account_form(a: &Account) -> AccountForm {
    AccountForm {
        name: a.name.clone(),
        email: a.email.clone(),
        role: a.role.as_str().to_owned(),
        organisation: a.organisation.clone().unwrap_or_default(),
        delegation: a.delegation.clone().unwrap_or_default(),
        disabled: a.disabled,
        version: a.version,
    }
}

async fn account_view(
    ctx: &Ctx,
    actor: &Actor,
    id: &str,
    form: AccountForm,
    errors: Errors,
    alert: Option<String>,
) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let orgs = ctx.state.store().list_organisations().await.map_err(|e| ctx.fail(e))?;
    render(&AccountPage {
        id: id.to_owned(),
        is_self: actor.account_id == id,
        roles: choices(tr, vocab::ROLES, std::slice::from_ref(&form.role)),
        delegations: choices(tr, vocab::COUNTRIES, std::slice::from_ref(&form.delegation)),
        organisations: organisation_choices(&orgs, ctx.lang().code(), &form.organisation, None),
        form,
        f: Fields(errors),
        alert,
        c: ctx.chrome.clone(),
    })
}

async fn load_account(ctx: &Ctx, id: &str) -> Result<Account, PageError> {
    ctx.state.store().get_account(id).await.map_err(|e| ctx.fail(e))?.ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))
}

async fn account_page(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let actor = require_admin(&ctx)?;
    let account = load_account(&ctx, &id).await?;
    account_view(&ctx, &actor, &id, account_form(&account), Errors::new(), None).await
}

/// The version a form was edited at.
fn form_version(ctx: &Ctx, form: &FormData) -> Result<i64, PageError> {
    form.get("version").and_then(|v| v.trim().parse::<i64>().ok()).ok_or_else(|| ctx.error(StatusCode::BAD_REQUEST))
}

async fn update_account(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = require_admin(&ctx)?;
    let tr = ctx.tr();
    let current = load_account(&ctx, &id).await?;
    let version = form_version(&ctx, &form)?;
    let shown = AccountForm {
        name: form.get("name").unwrap_or("").trim().to_owned(),
        email: current.email.clone(),
        role: form.get("role").unwrap_or("").to_owned(),
        organisation: form.text("organisation").unwrap_or_default(),
        delegation: form.text("delegation").unwrap_or_default(),
        disabled: form.get("disabled").is_some(),
        version,
    };
    let mut invalid = ValidationErrors::default();
    let result = match form_role(&form, &mut invalid) {
        Some(role) => {
            let req = AccountUpdate {
                name: Some(shown.name.clone()),
                role: Some(role),
                organisation: None,
                delegation: None,
                disabled: Some(shown.disabled),
            };
            let organisation = Some(form.text("organisation"));
            let delegation = Some(form.text("delegation").filter(|_| role == Role::Delegate));
            ctx.state
                .app()
                .update_account(&actor, &id, version, req.into_change(organisation, delegation))
                .await
                .map_err(ApiError::from)
        }
        None => Err(ApiError::Invalid(invalid)),
    };
    let (status, shown, errors, alert) = match result {
        Ok(_) => return Ok(see_other("/admin/accounts?done=saved")),
        Err(ApiError::Invalid(e)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, shown, messages(tr, &e, &ACCOUNT_MESSAGES), None)
        }
        Err(ApiError::Forbidden(_)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, shown, Errors::new(), Some(tr.t("admin-account-self")))
        }
        Err(ApiError::Conflict { .. }) => {
            // Show what is stored now; the reader redoes the change on top of it.
            let fresh = load_account(&ctx, &id).await?;
            (StatusCode::CONFLICT, account_form(&fresh), Errors::new(), Some(tr.t("admin-conflict")))
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    with_status(status, account_view(&ctx, &actor, &id, shown, errors, alert).await)
}

// ---------------------------------------------------------------------------
// Organisations

pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub acronym: String,
    pub org_type: String,
    pub country: String,
    pub parent: String,
}

/// What the organisation forms show (and show again after an error).
#[derive(Default)]
pub struct OrgForm {
    pub id: String,
    pub name_en: String,
    pub name_id: String,
    pub acronym: String,
    pub org_type: String,
    pub level: String,
    pub country: String,
    pub parent: String,
    pub website: String,
    pub version: i64,
}

impl OrgForm {
    fn from_org(o: &Organisation) -> OrgForm {
        let c = &o.content;
        OrgForm {
            id: o.id.clone(),
            name_en: c.name.get("en").unwrap_or("").to_owned(),
            name_id: c.name.get("id").unwrap_or("").to_owned(),
            acronym: c.acronym.clone().unwrap_or_default(),
            org_type: c.org_type.clone(),
            level: c.level_of_government.clone().unwrap_or_default(),
            country: c.country.clone().unwrap_or_default(),
            parent: c.parent.clone().unwrap_or_default(),
            website: c.website.clone().unwrap_or_default(),
            version: o.version,
        }
    }

    fn from_form(form: &FormData) -> OrgForm {
        let v = |k: &str| form.get(k).unwrap_or("").trim().to_owned();
        OrgForm {
            id: v("id"),
            name_en: v("name_en"),
            name_id: v("name_id"),
            acronym: v("acronym"),
            org_type: v("org_type"),
            level: v("level_of_government"),
            country: v("country"),
            parent: v("parent"),
            website: v("website"),
            version: 0,
        }
    }

    fn content(&self) -> OrganisationContent {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let mut name = BTreeMap::new();
        for (lang, value) in [("en", &self.name_en), ("id", &self.name_id)] {
            if !value.is_empty() {
                name.insert(lang.to_owned(), value.clone());
            }
        }
        OrganisationContent {
            name: Text(name),
            acronym: opt(&self.acronym),
            org_type: self.org_type.clone(),
            level_of_government: opt(&self.level),
            country: opt(&self.country),
            parent: opt(&self.parent),
            website: opt(&self.website),
        }
    }
}

/// The select boxes of the organisation form.
pub struct OrgChoices {
    pub types: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub parents: Vec<Choice>,
}

fn org_choices(tr: Tr, orgs: &[Organisation], form: &OrgForm, editing: Option<&str>) -> OrgChoices {
    let mut countries = choices(tr, vocab::COUNTRIES, std::slice::from_ref(&form.country));
    countries.sort_by_key(|c| c.label.to_lowercase());
    OrgChoices {
        types: choices(tr, vocab::ORGANISATION_TYPES, std::slice::from_ref(&form.org_type)),
        levels: choices(tr, vocab::LEVELS_OF_GOVERNMENT, std::slice::from_ref(&form.level)),
        countries,
        parents: organisation_choices(orgs, tr.lang.code(), &form.parent, editing),
    }
}

const ORG_MESSAGES: [(&str, &str, &str); 6] = [
    ("id", "invalid", "admin-org-id-invalid"),
    ("name", "required", "admin-org-name-required"),
    ("parent", "unknown_value", "admin-org-parent-unknown"),
    ("parent", "invalid", "admin-org-parent-cycle"),
    ("website", "invalid", "admin-org-website-invalid"),
    ("org_type", "required", "admin-org-type-required"),
];

#[derive(Template)]
#[template(path = "admin_organisations.html")]
struct OrganisationsPage {
    c: Chrome,
    rows: Vec<OrgRow>,
    form: OrgForm,
    opts: OrgChoices,
    f: Fields,
    notice: Option<String>,
}

async fn organisations_view(
    ctx: &Ctx,
    form: OrgForm,
    errors: Errors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let lang = ctx.lang().code();
    let orgs = ctx.state.store().list_organisations().await.map_err(|e| ctx.fail(e))?;
    let names: BTreeMap<&str, String> = orgs.iter().map(|o| (o.id.as_str(), org_name(o, lang))).collect();
    let rows = orgs
        .iter()
        .map(|o| OrgRow {
            id: o.id.clone(),
            name: org_name(o, lang),
            acronym: o.content.acronym.clone().unwrap_or_default(),
            org_type: tr.term(vocab::ORGANISATION_TYPES, &o.content.org_type),
            country: o.content.country.as_deref().map(|c| tr.term(vocab::COUNTRIES, c)).unwrap_or_default(),
            parent: o
                .content
                .parent
                .as_deref()
                .map(|p| names.get(p).cloned().unwrap_or_else(|| p.to_owned()))
                .unwrap_or_default(),
        })
        .collect();
    render(&OrganisationsPage {
        rows,
        opts: org_choices(tr, &orgs, &form, None),
        form,
        f: Fields(errors),
        notice,
        c: ctx.chrome.clone(),
    })
}

async fn organisations_page(ctx: Ctx, Query(q): Query<DoneQuery>) -> Result<Response, PageError> {
    require_org_keeper(&ctx)?;
    let notice = notice(ctx.tr(), q.done.as_deref());
    organisations_view(&ctx, OrgForm::default(), Errors::new(), notice).await
}

async fn create_organisation(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = require_org_keeper(&ctx)?;
    let tr = ctx.tr();
    let shown = OrgForm::from_form(&form);
    let result = ctx
        .state
        .app()
        .create_organisation(Some(&actor), shown.id.clone(), shown.content())
        .await
        .map_err(ApiError::from);
    let errors = match result {
        Ok(_) => return Ok(see_other("/admin/organisations?done=created")),
        Err(ApiError::Invalid(e)) => messages(tr, &e, &ORG_MESSAGES),
        Err(ApiError::Duplicate(_)) => Errors::from([("id".to_owned(), vec![tr.t("admin-org-id-taken")])]),
        Err(e) => return Err(ctx.fail(e)),
    };
    with_status(StatusCode::UNPROCESSABLE_ENTITY, organisations_view(&ctx, shown, errors, None).await)
}

#[derive(Template)]
#[template(path = "admin_organisation.html")]
struct OrganisationPage {
    c: Chrome,
    form: OrgForm,
    opts: OrgChoices,
    f: Fields,
    alert: Option<String>,
}

async fn load_organisation(ctx: &Ctx, id: &str) -> Result<Organisation, PageError> {
    ctx.state
        .store()
        .get_organisation(id)
        .await
        .map_err(|e| ctx.fail(e))?
        .ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))
}

async fn organisation_view(
    ctx: &Ctx,
    form: OrgForm,
    errors: Errors,
    alert: Option<String>,
) -> Result<Response, PageError> {
    let orgs = ctx.state.store().list_organisations().await.map_err(|e| ctx.fail(e))?;
    let opts = org_choices(ctx.tr(), &orgs, &form, Some(&form.id));
    render(&OrganisationPage { form, opts, f: Fields(errors), alert, c: ctx.chrome.clone() })
}

async fn organisation_page(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    require_org_keeper(&ctx)?;
    let org = load_organisation(&ctx, &id).await?;
    organisation_view(&ctx, OrgForm::from_org(&org), Errors::new(), None).await
}

async fn update_organisation(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = require_org_keeper(&ctx)?;
    let tr = ctx.tr();
    load_organisation(&ctx, &id).await?;
    let version = form_version(&ctx, &form)?;
    let shown = OrgForm { id: id.clone(), version, ..OrgForm::from_form(&form) };
    let result =
        ctx.state.app().update_organisation(&actor, &id, version, shown.content()).await.map_err(ApiError::from);
    let (status, shown, errors, alert) = match result {
        Ok(_) => return Ok(see_other("/admin/organisations?done=saved")),
        Err(ApiError::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, shown, messages(tr, &e, &ORG_MESSAGES), None),
        Err(ApiError::Conflict { .. }) => {
            let fresh = load_organisation(&ctx, &id).await?;
            (StatusCode::CONFLICT, OrgForm::from_org(&fresh), Errors::new(), Some(tr.t("admin-conflict")))
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    with_status(status, organisation_view(&ctx, shown, errors, alert).await)
}

// ---------------------------------------------------------------------------
// Harvesting

#[derive(Template)]
#[template(path = "admin_harvest.html")]
struct HarvestPage {
    c: Chrome,
    rows: Vec<lumbung_store::HarvestSource>,
    /// Configured peers: id, URL, set, schedule (translated).
    peers: Vec<(String, String, String, String)>,
}

async fn harvest_page(ctx: Ctx) -> Result<Response, PageError> {
    require_admin(&ctx)?;
    let rows = ctx.state.store().harvest_sources().await.map_err(|e| ctx.fail(e))?;
    let tr = ctx.tr();
    let peers = ctx
        .state
        .settings()
        .peers
        .iter()
        .map(|p| {
            let schedule = if p.scheduled {
                tr.tn("admin-harvest-every", "minutes", i64::from(p.every_minutes))
            } else {
                tr.t("admin-harvest-manual")
            };
            (p.id.clone(), p.url.clone(), p.set.clone().unwrap_or_else(|| tr.t("admin-harvest-all-sets")), schedule)
        })
        .collect();
    render(&HarvestPage { c: ctx.chrome, rows, peers })
}
