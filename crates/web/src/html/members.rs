//! `/members`: the network's organisations by country and type with what
//! each contributed (published cases, presentations at events, action
//! items), its delegations by country, and the people who made their
//! profile public (name, organisation, expertise; never an e-mail address).
//! `POST /account/profile` shows or hides one's own profile.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::RawQuery;
use axum::response::Response;
use axum::routing::{get, post};
use lumbung_core::vocab;

use super::{Chrome, Ctx, FormData, PageError, render, see_other};
use crate::extract::query_pairs;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/members", get(members_page)).route("/account/profile", post(save_profile))
}

pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub cases: i64,
    pub presentations: i64,
    pub action_items: i64,
    /// Members with a public profile: (name, expertise).
    pub people: Vec<(String, String)>,
}

pub struct CountryBlock {
    pub code: String,
    pub name: String,
    pub orgs: Vec<OrgRow>,
}

pub struct Delegation {
    pub code: String,
    pub name: String,
    pub delegates: i64,
    /// Delegates with a public profile.
    pub people: Vec<String>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    c: Chrome,
    countries: Vec<CountryBlock>,
    delegations: Vec<Delegation>,
    /// People with a public profile and no organisation: (name, expertise).
    independent: Vec<(String, String)>,
    country_choices: Vec<Choice>,
    type_choices: Vec<Choice>,
    filtered: bool,
}

async fn members_page(ctx: Ctx, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let (tr, reader) = (ctx.tr(), ctx.lang().code().to_owned());
    let pairs = query_pairs(raw.as_deref());
    let want = |key: &str| pairs.iter().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v.clone());
    let (want_country, want_type) = (want("country"), want("type"));
    let store = ctx.state.store();
    let orgs = store.list_organisations().await.map_err(|e| ctx.fail(e))?;
    let done = store.contributions().await.map_err(|e| ctx.fail(e))?;
    let profiles = store.public_profiles().await.map_err(|e| ctx.fail(e))?;
    let mut people: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut independent = Vec::new();
    for p in profiles.iter().filter(|p| p.role != lumbung_core::Role::Delegate || p.organisation.is_some()) {
        let entry = (p.name.clone(), p.expertise.clone().unwrap_or_default());
        match &p.organisation {
            Some(o) => people.entry(o.clone()).or_default().push(entry),
            None => independent.push(entry),
        }
    }
    let mut by_country: BTreeMap<String, Vec<OrgRow>> = BTreeMap::new();
    let mut countries_seen = std::collections::BTreeSet::new();
    for o in &orgs {
        let country = o.content.country.clone().unwrap_or_default();
        countries_seen.insert(country.clone());
        if want_country.as_ref().is_some_and(|c| *c != country)
            || want_type.as_ref().is_some_and(|t| *t != o.content.org_type)
        {
            continue;
        }
        let count = |m: &std::collections::HashMap<String, i64>| m.get(&o.id).copied().unwrap_or(0);
        by_country.entry(country).or_default().push(OrgRow {
            id: o.id.clone(),
            name: o.content.name.best(&reader, "en").unwrap_or(&o.id).to_owned(),
            kind: tr.term(vocab::ORGANISATION_TYPES, &o.content.org_type),
            cases: count(&done.cases),
            presentations: count(&done.presentations),
            action_items: count(&done.action_items),
            people: people.remove(&o.id).unwrap_or_default(),
        });
    }
    let country_name =
        |code: &str| if code.is_empty() { tr.t("members-no-country") } else { tr.term(vocab::COUNTRIES, code) };
    let mut countries: Vec<CountryBlock> = by_country
        .into_iter()
        .map(|(code, mut orgs)| {
            orgs.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.name.cmp(&b.name)));
            CountryBlock { name: country_name(&code), code, orgs }
        })
        .collect();
    // By name in the reader's language, those of no country last.
    countries.sort_by(|a, b| a.code.is_empty().cmp(&b.code.is_empty()).then_with(|| a.name.cmp(&b.name)));
    let delegations = done
        .delegations
        .iter()
        .filter(|(code, _)| want_country.as_ref().is_none_or(|c| c == code))
        .map(|(code, n)| Delegation {
            name: country_name(code),
            code: code.clone(),
            delegates: *n,
            people: profiles
                .iter()
                .filter(|p| p.role == lumbung_core::Role::Delegate && p.delegation.as_deref() == Some(code.as_str()))
                .map(|p| p.name.clone())
                .collect(),
        })
        .collect();
    let country_choices = countries_seen
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| Choice {
            value: c.clone(),
            label: country_name(c),
            selected: want_country.as_deref() == Some(c.as_str()),
        })
        .collect();
    let type_choices = vocab::ORGANISATION_TYPES
        .iter()
        .map(|t| Choice {
            value: t.code.to_owned(),
            label: tr.term(vocab::ORGANISATION_TYPES, t.code),
            selected: want_type.as_deref() == Some(t.code),
        })
        .collect();
    render(&MembersPage {
        countries,
        delegations,
        independent,
        country_choices,
        type_choices,
        filtered: want_country.is_some() || want_type.is_some(),
        c: ctx.chrome,
    })
}

async fn save_profile(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let public = form.get("public") == Some("1");
    let expertise = form.get("expertise").map(str::to_owned);
    match ctx.state.app().set_profile(&actor, public, expertise).await {
        Ok(()) => Ok(see_other("/account?profile=1")),
        Err(lumbung_app::AppError::Invalid(e)) => super::account::refused_page(ctx, &actor, &e).await,
        Err(e) => Err(ctx.fail(e)),
    }
}
