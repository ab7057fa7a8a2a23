//! Translating a case: its title, summary and story into another language,
//! side by side with the original, by anyone who may edit the case.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lumbung_core::{Case, CaseContent, Sections, Text, vocab};

use super::submit::{section_mut, set_text};
use super::{Chrome, Ctx, FormData, PageError, field_messages, render, see_other};
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/translate/{id}/{lang}", get(show).post(save))
}

/// One translatable text: the original beside the translation being written.
pub struct TextField {
    pub name: String,
    pub label: String,
    pub original: String,
    pub value: String,
    pub long: bool,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "translate.html")]
struct TranslatePage {
    c: Chrome,
    id: String,
    version: i64,
    title: String,
    original_lang: String,
    original_name: String,
    target_lang: String,
    target_name: String,
    fields: Vec<TextField>,
    others: Vec<(String, String)>,
    notice: Option<String>,
    conflict: Option<String>,
}

/// The texts a translation covers, with their message keys.
fn texts(c: &CaseContent) -> Vec<(&'static str, String, &Text, bool)> {
    let mut out: Vec<(&'static str, String, &Text, bool)> = vec![
        ("title", "submit-field-title".into(), &c.title, false),
        ("summary", "submit-field-summary".into(), &c.summary, true),
    ];
    for (name, text) in c.sections.iter() {
        out.push((name, format!("submit-field-{}", name.replace('_', "-")), text, true));
    }
    out
}

async fn case_to_translate(ctx: &Ctx, id: &str, lang: &str) -> Result<(lumbung_core::Actor, Case), PageError> {
    let actor = ctx.require_user()?;
    let case = super::submit::editable_case(ctx, &actor, id).await?;
    if !vocab::contains(vocab::LANGUAGES, lang) || lang == case.content.original_language {
        return Err(ctx.error(StatusCode::NOT_FOUND));
    }
    Ok((actor, case))
}

fn page(
    ctx: &Ctx,
    case: &Case,
    lang: &str,
    form: Option<&FormData>,
    errors: Option<&lumbung_core::ValidationErrors>,
) -> TranslatePage {
    let tr = ctx.tr();
    let original = case.content.original_language.as_str();
    let messages = errors.map(|e| field_messages(tr, e)).unwrap_or_default();
    let fields = texts(&case.content)
        .into_iter()
        .map(|(name, key, text, long)| {
            let value = match form {
                Some(f) => f.get(name).unwrap_or("").to_owned(),
                None => text.get(lang).unwrap_or("").to_owned(),
            };
            let path = if matches!(name, "title" | "summary") { name.to_owned() } else { format!("sections.{name}") };
            TextField {
                name: name.to_owned(),
                label: tr.t(&key),
                original: text.get(original).unwrap_or("").to_owned(),
                value,
                long,
                errors: messages.get(&format!("{path}.{lang}")).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let name = |code: &str| tr.term(vocab::LANGUAGES, code);
    let others = super::Lang::ALL
        .iter()
        .map(|l| l.code())
        .filter(|l| *l != original && *l != lang)
        .map(|l| (l.to_owned(), name(l)))
        .collect();
    TranslatePage {
        c: ctx.chrome.clone(),
        id: case.id.clone(),
        version: case.version,
        title: case.display_title(original).to_owned(),
        original_lang: original.to_owned(),
        original_name: name(original),
        target_lang: lang.to_owned(),
        target_name: name(lang),
        fields,
        others,
        notice: None,
        conflict: None,
    }
}

impl TranslatePage {
    fn intro(&self) -> String {
        self.c.tr.targs("translate-intro", &[("original", &self.original_name), ("language", &self.target_name)])
    }
}

/// `GET /translate/{id}/{lang}`.
async fn show(
    ctx: Ctx,
    Path((id, lang)): Path<(String, String)>,
    Query(q): Query<super::SavedQuery>,
) -> Result<Response, PageError> {
    let (_, case) = case_to_translate(&ctx, &id, &lang).await?;
    let mut p = page(&ctx, &case, &lang, None, None);
    if q.saved.is_some() {
        p.notice = Some(ctx.tr().t("translate-saved"));
    }
    render(&p)
}

/// `POST /translate/{id}/{lang}`: saves every translated text at once (a blank field removes that translation).
async fn save(ctx: Ctx, Path((id, lang)): Path<(String, String)>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let (actor, case) = case_to_translate(&ctx, &id, &lang).await?;
    let version = form.get("version").and_then(|v| v.parse::<i64>().ok()).unwrap_or(case.version);
    let mut content = case.content.clone();
    set_text(&mut content.title, &lang, form.get("title"));
    set_text(&mut content.summary, &lang, form.get("summary"));
    for (name, _) in Sections::default().iter() {
        if let Some(text) = section_mut(&mut content, name) {
            set_text(text, &lang, form.get(name));
        }
    }
    if content == case.content {
        return Ok(see_other(&format!("/translate/{id}/{lang}?saved=1")));
    }
    let result = ctx.state.app().save_content(&actor, &id, version, content).await.map_err(ApiError::from);
    match result {
        Ok(_) => Ok(see_other(&format!("/translate/{id}/{lang}?saved=1"))),
        Err(ApiError::Invalid(errors)) => {
            let p = page(&ctx, &case, &lang, Some(&form), Some(&errors));
            render(&p).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
        }
        Err(ApiError::Conflict { .. }) => {
            let mut p = page(&ctx, &case, &lang, Some(&form), None);
            p.conflict = Some(ctx.tr().t("error-conflict"));
            render(&p).map(|r| (StatusCode::CONFLICT, r).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}
