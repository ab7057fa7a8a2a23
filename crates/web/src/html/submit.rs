//! The guided submission: a case written step by step (identity, place,
//! classification, story, evidence, contacts, preview). Every step saves the
//! draft, so an author can leave and come back; the preview shows the case as
//! readers will see it and sends it for review.
//!
//! Writes go through the application layer as the JSON API's do
//! (`App::create_draft`, `save_content`, `transition`), so the rules are the same.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lumbung_core::vocab::{self, Term};
use lumbung_core::{Actor, Case, CaseContent, Contact, Link, Status, Text, Transition, ValidationErrors, permissions};

use super::{Choice, Chrome, Ctx, FormData, PageError, Tr, choices, field_messages, markdown, render, see_other};
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/submit", get(new_case).post(create))
        .route("/submit/{id}", get(resume))
        .route("/submit/{id}/{step}", get(show_step).post(save_step))
}

/// The steps, in order.
pub const STEPS: [&str; 7] = ["identity", "place", "classification", "story", "evidence", "contacts", "preview"];

/// The narrative sections, in order (as named in `Sections`).
pub const SECTIONS: [&str; 10] = lumbung_core::Sections::NAMES;

/// The form fields of each step.
fn step_fields(step: &str) -> &'static [&'static str] {
    match step {
        "identity" => &["original_language", "title", "summary"],
        "place" => &["country", "region", "city", "place", "level_of_government", "organisations", "partners"],
        "classification" => &[
            "sectors",
            "innovation_facets",
            "lifecycle_stage",
            "sdgs",
            "year_launched",
            "operating_status",
            "operating_status_date",
            "digital",
            "tags",
        ],
        "story" => &SECTIONS,
        "evidence" => &["website", "links"],
        "contacts" => &["contact_name", "contact_email", "contact_organisation"],
        _ => &[],
    }
}

/// Fields whose form value is a list (checkboxes).
const MULTI: [&str; 4] = ["organisations", "sectors", "innovation_facets", "sdgs"];

fn step_index(step: &str) -> Option<usize> {
    STEPS.iter().position(|s| *s == step)
}

/// The form field a validation error's path belongs to: `title.id` → `title`,
/// `sections.problem.id` → `problem`, `contact.email` → `contact_email`,
/// `links[2].url` → `links`.
pub fn form_field(path: &str) -> String {
    let mut parts = path.split(['.', '[']);
    let head = parts.next().unwrap_or_default();
    match head {
        "sections" => parts.next().unwrap_or("problem").to_owned(),
        "contact" => format!("contact_{}", parts.next().unwrap_or("name")),
        other => other.to_owned(),
    }
}

/// The step where a form field is edited.
pub fn step_of(field: &str) -> &'static str {
    STEPS.into_iter().find(|s| step_fields(s).contains(&field)).unwrap_or("identity")
}

/// The Fluent key of a field's label (also for completeness names such as
/// `sections.problem` and `contact`).
fn label_key(name: &str) -> String {
    format!("submit-field-{}", name.trim_start_matches("sections.").replace('_', "-"))
}

// ---------------------------------------------------------------------------
// Form values: what the fields show, from the stored case or as typed.

#[derive(Debug, Default, Clone)]
struct Values {
    one: BTreeMap<String, String>,
    many: BTreeMap<String, Vec<String>>,
}

impl Values {
    fn from_content(c: &CaseContent) -> Values {
        let lang = c.original_language.as_str();
        let text = |t: &Text| t.0.get(lang).cloned().unwrap_or_default();
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let mut one = BTreeMap::new();
        let contact = c.contact.clone().unwrap_or_default();
        for (k, v) in [
            ("original_language", c.original_language.clone()),
            ("title", text(&c.title)),
            ("summary", text(&c.summary)),
            ("country", opt(&c.country)),
            ("region", opt(&c.region)),
            ("city", opt(&c.city)),
            ("place", opt(&c.place)),
            ("level_of_government", opt(&c.level_of_government)),
            ("partners", c.partners.join("\n")),
            ("lifecycle_stage", opt(&c.lifecycle_stage)),
            ("year_launched", c.year_launched.map(|y| y.to_string()).unwrap_or_default()),
            ("operating_status", opt(&c.operating_status)),
            ("operating_status_date", c.operating_status_date.map(|d| d.to_string()).unwrap_or_default()),
            ("digital", c.digital.map(|d| if d { "yes" } else { "no" }.to_owned()).unwrap_or_default()),
            ("tags", c.tags.join(", ")),
            ("website", opt(&c.website)),
            (
                "links",
                c.links
                    .iter()
                    .map(|l| match &l.title {
                        Some(t) => format!("{} {t}", l.url),
                        None => l.url.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            ("contact_name", opt(&contact.name)),
            ("contact_email", opt(&contact.email)),
            ("contact_organisation", opt(&contact.organisation)),
        ] {
            one.insert(k.to_owned(), v);
        }
        for (name, t) in c.sections.iter() {
            one.insert(name.to_owned(), text(t));
        }
        let mut many = BTreeMap::new();
        many.insert("organisations".to_owned(), c.organisations.clone());
        many.insert("sectors".to_owned(), c.sectors.clone());
        many.insert("innovation_facets".to_owned(), c.innovation_facets.clone());
        many.insert("sdgs".to_owned(), c.sdgs.iter().map(u32::to_string).collect());
        Values { one, many }
    }

    /// Replaces the step's fields with what the form sent.
    fn overlay(&mut self, step: &str, form: &FormData) {
        for name in step_fields(step) {
            if MULTI.contains(name) {
                self.many.insert((*name).to_owned(), form.all(name));
            } else {
                self.one.insert((*name).to_owned(), form.get(name).unwrap_or_default().to_owned());
            }
        }
    }

    fn one(&self, name: &str) -> String {
        self.one.get(name).cloned().unwrap_or_default()
    }

    fn many(&self, name: &str) -> Vec<String> {
        self.many.get(name).cloned().unwrap_or_default()
    }
}

/// Writes `value` as the text in `lang` (blank removes it).
pub(crate) fn set_text(t: &mut Text, lang: &str, value: Option<&str>) {
    let v = value.unwrap_or_default().trim();
    if v.is_empty() {
        t.0.remove(lang);
    } else {
        t.0.insert(lang.to_owned(), v.to_owned());
    }
}

pub(crate) fn section_mut<'a>(c: &'a mut CaseContent, name: &str) -> Option<&'a mut Text> {
    c.sections.get_mut(name)
}

/// Applies a step's form to the content. Values that cannot even be read
/// (a year that is not a number) are reported in the returned errors.
fn apply(step: &str, form: &FormData, c: &mut CaseContent) -> ValidationErrors {
    let mut e = ValidationErrors::default();
    match step {
        "identity" => {
            let new = form.text("original_language").unwrap_or_default().to_ascii_lowercase();
            let old = std::mem::take(&mut c.original_language);
            if !old.is_empty() && !new.is_empty() && old != new {
                // The author says the text was written in another language: it moves with them.
                let mut texts: Vec<&mut Text> = vec![&mut c.title, &mut c.summary];
                texts.extend(c.sections.iter_mut());
                for t in texts {
                    if !t.0.contains_key(&new) {
                        if let Some(v) = t.0.remove(&old) {
                            t.0.insert(new.clone(), v);
                        }
                    }
                }
            }
            c.original_language = new;
            let lang = c.original_language.clone();
            set_text(&mut c.title, &lang, form.get("title"));
            set_text(&mut c.summary, &lang, form.get("summary"));
        }
        "place" => {
            c.country = form.text("country");
            c.region = form.text("region");
            c.city = form.text("city");
            c.place = form.text("place");
            c.level_of_government = form.text("level_of_government");
            c.organisations = form.all("organisations");
            c.partners = form.get("partners").unwrap_or_default().lines().map(str::to_owned).collect();
        }
        "classification" => {
            c.sectors = form.all("sectors");
            c.innovation_facets = form.all("innovation_facets");
            c.lifecycle_stage = form.text("lifecycle_stage");
            c.sdgs.clear();
            for v in form.all("sdgs") {
                match v.parse::<u32>() {
                    Ok(n) => c.sdgs.push(n),
                    Err(_) => e.add("sdgs", "invalid", format!("'{v}' is not a goal number")),
                }
            }
            c.year_launched = match form.text("year_launched") {
                None => None,
                Some(y) => match y.parse::<i32>() {
                    Ok(y) => Some(y),
                    Err(_) => {
                        e.add("year_launched", "invalid", format!("'{y}' is not a year"));
                        None
                    }
                },
            };
            c.operating_status = form.text("operating_status");
            let date_format = time::macros::format_description!("[year]-[month]-[day]");
            c.operating_status_date = match form.text("operating_status_date") {
                None => None,
                Some(d) => match time::Date::parse(&d, &date_format) {
                    Ok(d) => Some(d),
                    Err(_) => {
                        e.add("operating_status_date", "invalid", format!("'{d}' is not a date (YYYY-MM-DD)"));
                        None
                    }
                },
            };
            c.digital = match form.get("digital") {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            };
            c.tags = form.get("tags").unwrap_or_default().split(',').map(str::to_owned).collect();
        }
        "story" => {
            let lang = c.original_language.clone();
            for name in SECTIONS {
                let value = form.get(name);
                if let Some(t) = section_mut(c, name) {
                    set_text(t, &lang, value);
                }
            }
        }
        "evidence" => {
            c.website = form.text("website");
            c.links = form
                .get("links")
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| match l.split_once(char::is_whitespace) {
                    Some((url, title)) => Link { url: url.to_owned(), title: Some(title.trim().to_owned()) },
                    None => Link { url: l.to_owned(), title: None },
                })
                .collect();
        }
        "contacts" => {
            c.contact = Some(Contact {
                name: form.text("contact_name"),
                email: form.text("contact_email"),
                organisation: form.text("contact_organisation"),
            });
        }
        _ => {}
    }
    e
}

// ---------------------------------------------------------------------------
// The page

/// One form control as the template draws it.
pub struct Field {
    pub name: String,
    pub label: String,
    pub hint: Option<String>,
    pub example: Option<String>,
    /// text, email, url, number, date, textarea, select, checkboxes or radio.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub errors: Vec<String>,
    pub required: bool,
    pub rows: u8,
    /// The language of what is typed, for text written in the case's language.
    pub lang: Option<String>,
}

impl Field {
    /// The ids of the hint, example and error, for `aria-describedby`.
    pub fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.example.is_some() {
            ids.push(format!("{}-example", self.name));
        }
        if !self.errors.is_empty() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }

    pub fn is_group(&self) -> bool {
        matches!(self.kind, "checkboxes" | "radio")
    }
}

pub struct StepLink {
    pub label: String,
    pub href: Option<String>,
    pub current: bool,
}

/// The case as readers will see it, for the last step.
pub struct Preview {
    pub title: String,
    pub summary_html: String,
    pub facts: Vec<(String, String)>,
    pub sections: Vec<(String, String)>,
    pub links: Vec<(String, String)>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub completeness: u8,
    /// Missing fields: link to the step, label.
    pub missing: Vec<(String, String)>,
    pub can_submit: bool,
}

#[derive(Template)]
#[template(path = "submit.html")]
struct StepPage {
    c: Chrome,
    id: Option<String>,
    step: &'static str,
    step_title: String,
    step_intro: String,
    steps: Vec<StepLink>,
    action: String,
    version: i64,
    case_title: String,
    text_lang: String,
    status_label: Option<String>,
    fields: Vec<Field>,
    errors_title: String,
    /// Error summary: link to the field, its label, the message.
    summary_errors: Vec<(String, String, String)>,
    notice: Option<String>,
    conflict: Option<String>,
    return_comment: Option<String>,
    is_first: bool,
    preview: Option<Preview>,
    based_on: Option<BasedOn>,
}

/// "Is your innovation based on one of these?" on the wizard's second step:
/// published cases like the draft, found by the search engine from its title
/// and summary (in either language), and the links the draft records.
struct BasedOn {
    /// (case id, title, country label).
    suggestions: Vec<(String, String, String)>,
    /// (title or identifier, link kind label).
    recorded: Vec<(String, String)>,
    /// (code, label) of every link kind.
    kinds: Vec<(String, String)>,
    /// Where the link form returns: this step.
    back: String,
}

/// How many similar cases the wizard suggests.
const SUGGESTIONS: usize = 5;

/// The draft's title and the start of its summary as a search query (words
/// only: quotes and signs would be read as operators).
fn likeness_query(content: &CaseContent) -> String {
    let lang = &content.original_language;
    let title = content.title.best(lang, lang).unwrap_or_default();
    let summary = content.summary.best(lang, lang).unwrap_or_default();
    let words: Vec<&str> = title
        .split_whitespace()
        .chain(summary.split_whitespace().take(12))
        .take(lumbung_search::query::MAX_TERMS)
        .collect();
    words.join(" ").chars().map(|c| if matches!(c, '"' | '+' | '-') { ' ' } else { c }).collect()
}

async fn based_on(ctx: &Ctx, case: &Case) -> Result<BasedOn, PageError> {
    let tr = ctx.tr();
    let links = ctx.state.store().links_of(&case.id).await.map_err(|e| ctx.fail(e))?;
    let linked: Vec<&str> = links.iter().filter_map(|l| l.target_case_id.as_deref()).collect();
    let q = likeness_query(&case.content);
    let mut suggestions = Vec::new();
    if !q.trim().is_empty() {
        let req = lumbung_search::SearchRequest {
            q,
            lang: ctx.lang().code().to_owned(),
            filters: BTreeMap::new(),
            organisations: Vec::new(),
            kinds: Vec::new(),
            sort: lumbung_search::Sort::Relevance,
            limit: SUGGESTIONS + linked.len() + 1,
            offset: 0,
        };
        let index = ctx.state.search().clone();
        let found = tokio::task::spawn_blocking(move || index.search(&req)).await.ok().and_then(Result::ok);
        for hit in found.map(|r| r.items).unwrap_or_default() {
            if hit.id == case.id || linked.contains(&hit.id.as_str()) || suggestions.len() == SUGGESTIONS {
                continue;
            }
            let country = hit.country.as_deref().map(|cc| tr.term(vocab::COUNTRIES, cc)).unwrap_or_default();
            suggestions.push((hit.id, hit.title, country));
        }
    }
    let mut recorded = Vec::new();
    for l in &links {
        let local = match &l.target_case_id {
            Some(id) => ctx.state.store().get_case(id).await.map_err(|e| ctx.fail(e))?,
            None => None,
        };
        let title = local
            .and_then(|c| c.content.title.best(ctx.lang().code(), &c.content.original_language).map(str::to_owned))
            .or_else(|| l.target_title.clone())
            .unwrap_or_else(|| l.target_identifier.clone());
        recorded.push((title, super::diffusion::kind_label(tr, l.kind)));
    }
    Ok(BasedOn {
        suggestions,
        recorded,
        kinds: lumbung_core::diffusion::LinkKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), super::diffusion::kind_label(tr, *k)))
            .collect(),
        back: format!("/submit/{}/place", case.id),
    })
}

/// What a step page shows.
struct View<'a> {
    case: Option<&'a Case>,
    content: &'a CaseContent,
    values: Values,
    errors: Option<ValidationErrors>,
    notice: Option<String>,
    conflict: Option<String>,
    version: i64,
}

impl<'a> View<'a> {
    fn of(case: Option<&'a Case>, content: &'a CaseContent) -> View<'a> {
        View {
            case,
            content,
            values: Values::from_content(content),
            errors: None,
            notice: None,
            conflict: None,
            version: case.map(|c| c.version).unwrap_or_default(),
        }
    }
}

/// Indonesia's official places, provinces each followed by their regencies
/// and cities (`Jawa Timur › Kota Surabaya`): official names, untranslated.
fn place_options(selected: &str) -> Vec<Choice> {
    vocab::id_places()
        .iter()
        .map(|p| Choice {
            value: p.code.to_owned(),
            label: match p.province.and_then(vocab::id_place) {
                Some(province) => format!("{} › {}", province.name, p.name),
                None => p.name.to_owned(),
            },
            selected: p.code == selected,
            count: None,
        })
        .collect()
}

fn term_options(tr: Tr, terms: &'static [Term], selected: &str) -> Vec<Choice> {
    choices(tr, terms, &[selected.to_owned()])
}

async fn build_page(ctx: &Ctx, step: &'static str, v: View<'_>) -> Result<StepPage, PageError> {
    let tr = ctx.tr();
    let store = ctx.state.store();
    let id = v.case.map(|c| c.id.clone());
    let index = step_index(step).unwrap_or_default();
    let steps = STEPS
        .iter()
        .map(|s| StepLink {
            label: tr.t(&format!("submit-step-{s}")),
            href: id.as_ref().map(|id| format!("/submit/{id}/{s}")),
            current: *s == step,
        })
        .collect();
    // Errors by form field, and a summary linking to each.
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut summary_errors = Vec::new();
    if let Some(e) = &v.errors {
        for (path, msgs) in field_messages(tr, e) {
            let field = form_field(&path);
            let href = match (&id, step_of(&field)) {
                (_, s) if s == step => format!("#{field}"),
                (Some(id), s) => format!("/submit/{id}/{s}#{field}"),
                (None, _) => format!("#{field}"),
            };
            for m in &msgs {
                summary_errors.push((href.clone(), tr.t(&label_key(&field)), m.clone()));
            }
            errors.entry(field).or_default().extend(msgs);
        }
    }
    let lang = v.content.original_language.clone();
    let text_lang = if lang.is_empty() { ctx.lang().code().to_owned() } else { lang };
    let field = |name: &str, kind: &'static str| Field {
        name: name.to_owned(),
        label: tr.t(&label_key(name)),
        hint: {
            let key = format!("submit-hint-{}", name.replace('_', "-"));
            tr.has(&key).then(|| tr.t(&key))
        },
        example: None,
        kind,
        value: v.values.one(name),
        options: Vec::new(),
        errors: errors.get(name).cloned().unwrap_or_default(),
        required: false,
        rows: 0,
        lang: None,
    };
    let mut fields = Vec::new();
    match step {
        "identity" => {
            let mut f = field("original_language", "select");
            f.options = term_options(tr, vocab::LANGUAGES, &v.values.one("original_language"));
            f.required = true;
            fields.push(f);
            let mut f = field("title", "text");
            f.required = true;
            f.lang = Some(text_lang.clone());
            fields.push(f);
            let mut f = field("summary", "textarea");
            f.rows = 5;
            f.lang = Some(text_lang.clone());
            fields.push(f);
        }
        "place" => {
            let mut f = field("country", "select");
            f.options = term_options(tr, vocab::COUNTRIES, &v.values.one("country"));
            fields.push(f);
            fields.push(field("region", "text"));
            fields.push(field("city", "text"));
            let mut f = field("place", "select");
            f.options = place_options(&v.values.one("place"));
            fields.push(f);
            let mut f = field("level_of_government", "select");
            f.options = term_options(tr, vocab::LEVELS_OF_GOVERNMENT, &v.values.one("level_of_government"));
            fields.push(f);
            let chosen = v.values.many("organisations");
            let mut orgs: Vec<Choice> = store
                .list_organisations()
                .await
                .map_err(|e| ctx.fail(e))?
                .into_iter()
                .map(|o| Choice {
                    label: match &o.content.acronym {
                        Some(a) => format!("{} ({a})", o.content.name.best(ctx.lang().code(), "en").unwrap_or(&o.id)),
                        None => o.content.name.best(ctx.lang().code(), "en").unwrap_or(&o.id).to_owned(),
                    },
                    selected: chosen.contains(&o.id),
                    value: o.id,
                    count: None,
                })
                .collect();
            orgs.sort_by_key(|a| a.label.to_lowercase());
            let mut f = field("organisations", "checkboxes");
            f.options = orgs;
            fields.push(f);
            let mut f = field("partners", "textarea");
            f.rows = 3;
            fields.push(f);
        }
        "classification" => {
            for (name, terms) in [("sectors", vocab::SECTORS), ("innovation_facets", vocab::INNOVATION_FACETS)] {
                let mut f = field(name, "checkboxes");
                f.options = choices(tr, terms, &v.values.many(name));
                fields.push(f);
            }
            let mut f = field("lifecycle_stage", "select");
            f.options = term_options(tr, vocab::LIFECYCLE_STAGES, &v.values.one("lifecycle_stage"));
            fields.push(f);
            let mut f = field("sdgs", "checkboxes");
            f.options = choices(tr, vocab::SDGS, &v.values.many("sdgs"))
                .into_iter()
                .map(|c| Choice { label: format!("{}. {}", c.value, c.label), ..c })
                .collect();
            fields.push(f);
            fields.push(field("year_launched", "number"));
            let mut f = field("operating_status", "select");
            f.options = term_options(tr, vocab::OPERATING_STATUSES, &v.values.one("operating_status"));
            fields.push(f);
            fields.push(field("operating_status_date", "date"));
            let digital = v.values.one("digital");
            let mut f = field("digital", "radio");
            f.options = [("yes", "yes"), ("no", "no"), ("", "submit-digital-unknown")]
                .into_iter()
                .map(|(value, key)| Choice {
                    value: value.to_owned(),
                    label: tr.t(key),
                    selected: digital == value,
                    count: None,
                })
                .collect();
            fields.push(f);
            fields.push(field("tags", "text"));
        }
        "story" => {
            for name in SECTIONS {
                let mut f = field(name, "textarea");
                let key = name.replace('_', "-");
                f.hint = Some(tr.t(&format!("submit-guide-{key}")));
                f.example = Some(tr.t1("submit-example", "example", tr.t(&format!("submit-example-{key}"))));
                f.rows = 6;
                f.lang = Some(text_lang.clone());
                fields.push(f);
            }
        }
        "evidence" => {
            fields.push(field("website", "url"));
            let mut f = field("links", "textarea");
            f.rows = 5;
            fields.push(f);
        }
        "contacts" => {
            fields.push(field("contact_name", "text"));
            fields.push(field("contact_email", "email"));
            fields.push(field("contact_organisation", "text"));
        }
        _ => {}
    }
    let preview = match (step, v.case) {
        ("preview", Some(case)) => Some(preview(ctx, case).await?),
        _ => None,
    };
    let based_on = match (step, v.case) {
        ("place", Some(case)) => Some(based_on(ctx, case).await?),
        _ => None,
    };
    let return_comment = match v.case {
        Some(case) if case.status == Status::Returned => store
            .case_revisions(&case.id)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .rev()
            .find(|r| r.action == lumbung_core::RevisionAction::Return)
            .and_then(|r| r.comment),
        _ => None,
    };
    let case_title = v
        .case
        .map(|c| c.content.title.best(&c.content.original_language, ctx.lang().code()).unwrap_or("").to_owned())
        .unwrap_or_default();
    Ok(StepPage {
        action: match &id {
            Some(id) => format!("/submit/{id}/{step}"),
            None => "/submit".to_owned(),
        },
        status_label: v.case.map(|c| tr.term(vocab::WORKFLOW_STATUSES, c.status.as_str())),
        step_title: tr.t(&format!("submit-step-{step}")),
        step_intro: tr.t(&format!("submit-intro-{step}")),
        errors_title: tr.tn("submit-errors-title", "count", summary_errors.len() as i64),
        id,
        step,
        steps,
        version: v.version,
        case_title,
        text_lang,
        fields,
        summary_errors,
        notice: v.notice,
        conflict: v.conflict,
        return_comment,
        is_first: index == 0,
        preview,
        based_on,
        c: ctx.chrome.clone(),
    })
}

async fn preview(ctx: &Ctx, case: &Case) -> Result<Preview, PageError> {
    let tr = ctx.tr();
    let c = &case.content;
    let lang = c.original_language.as_str();
    let pick = |t: &Text| t.best(lang, lang).unwrap_or("").to_owned();
    let join = |terms: &'static [Term], codes: &[String]| {
        codes.iter().map(|code| tr.term(terms, code)).collect::<Vec<_>>().join(", ")
    };
    let mut facts = Vec::new();
    if let Some(cc) = &c.country {
        let mut place = tr.term(vocab::COUNTRIES, cc);
        for part in [&c.region, &c.city].into_iter().flatten() {
            place = format!("{part}, {place}");
        }
        facts.push((tr.t("case-place"), place));
    }
    if let Some(l) = &c.level_of_government {
        facts.push((tr.t("facet-level"), tr.term(vocab::LEVELS_OF_GOVERNMENT, l)));
    }
    let mut orgs = Vec::new();
    for org_id in &c.organisations {
        if let Some(o) = ctx.state.store().get_organisation(org_id).await.map_err(|e| ctx.fail(e))? {
            orgs.push(o.content.name.best(ctx.lang().code(), "en").unwrap_or(&o.id).to_owned());
        }
    }
    if !orgs.is_empty() {
        facts.push((tr.t("case-organisations"), orgs.join(", ")));
    }
    if !c.partners.is_empty() {
        facts.push((tr.t("case-partners"), c.partners.join(", ")));
    }
    if !c.sectors.is_empty() {
        facts.push((tr.t("facet-sector"), join(vocab::SECTORS, &c.sectors)));
    }
    if !c.innovation_facets.is_empty() {
        facts.push((tr.t("facet-facet"), join(vocab::INNOVATION_FACETS, &c.innovation_facets)));
    }
    if let Some(s) = &c.lifecycle_stage {
        facts.push((tr.t("facet-stage"), tr.term(vocab::LIFECYCLE_STAGES, s)));
    }
    if !c.sdgs.is_empty() {
        let sdgs: Vec<String> = c.sdgs.iter().map(|n| tr.term(vocab::SDGS, &n.to_string())).collect();
        facts.push((tr.t("facet-sdg"), sdgs.join(", ")));
    }
    if let Some(y) = c.year_launched {
        facts.push((tr.t("facet-year"), y.to_string()));
    }
    if let Some(s) = &c.operating_status {
        facts.push((tr.t("facet-operating-status"), tr.term(vocab::OPERATING_STATUSES, s)));
    }
    if let Some(d) = c.digital {
        facts.push((tr.t("case-digital"), tr.t(if d { "yes" } else { "no" })));
    }
    if !c.tags.is_empty() {
        facts.push((tr.t("case-tags"), c.tags.join(", ")));
    }
    let sections = c
        .sections
        .iter()
        .into_iter()
        .filter(|(_, t)| !t.is_blank())
        .map(|(name, t)| (tr.t(&format!("section-{}", name.replace('_', "-"))), markdown::render(&pick(t))))
        .collect();
    let links = c
        .links
        .iter()
        .filter(|l| super::pages::is_web_url(&l.url))
        .map(|l| (l.url.clone(), l.title.clone().unwrap_or_else(|| l.url.clone())))
        .collect();
    let contact = c
        .contact
        .as_ref()
        .map(|k| {
            [k.name.as_deref(), k.organisation.as_deref(), k.email.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .filter(|s| !s.is_empty());
    let missing = case
        .missing
        .iter()
        .map(|m| {
            let field = form_field(m);
            (format!("/submit/{}/{}#{field}", case.id, step_of(&field)), tr.t(&label_key(m)))
        })
        .collect();
    Ok(Preview {
        title: pick(&c.title),
        summary_html: markdown::render(&pick(&c.summary)),
        facts,
        sections,
        links,
        website: c.website.clone().filter(|w| super::pages::is_web_url(w)),
        contact,
        completeness: case.completeness,
        missing,
        can_submit: Transition::Submit.target(case.status).is_some(),
    })
}

// ---------------------------------------------------------------------------
// Handlers

/// Only those who may write cases; anonymous visitors are asked to sign in.
fn author(ctx: &Ctx) -> Result<Actor, PageError> {
    let actor = ctx.require_user()?;
    if permissions::can_create_case(&actor) { Ok(actor) } else { Err(ctx.error(StatusCode::FORBIDDEN)) }
}

/// A case the actor may edit: 404 when they may not even see it, 403 when they may not change it.
pub(crate) async fn editable_case(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Case, PageError> {
    let case = ctx
        .state
        .store()
        .get_case(id)
        .await
        .map_err(|e| ctx.fail(e))?
        .ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    if !permissions::can_view_case(Some(actor), case.status, case.owners()) {
        return Err(ctx.error(StatusCode::NOT_FOUND));
    }
    if !permissions::can_edit_case(actor, case.status, case.owners()) {
        return Err(ctx.error(StatusCode::FORBIDDEN));
    }
    Ok(case)
}

fn known_step(ctx: &Ctx, step: &str) -> Result<&'static str, PageError> {
    STEPS.into_iter().find(|s| *s == step).ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))
}

async fn show(ctx: &Ctx, step: &'static str, status: StatusCode, v: View<'_>) -> Result<Response, PageError> {
    let page = build_page(ctx, step, v).await?;
    render(&page).map(|r| (status, r).into_response())
}

/// Where a step's buttons lead after saving.
fn after_save(id: &str, step: &str, action: Option<&str>) -> String {
    let index = step_index(step).unwrap_or_default();
    match action {
        Some("save") => format!("/submit/{id}/{step}?saved=1"),
        Some("back") => format!("/submit/{id}/{}", STEPS.get(index.saturating_sub(1)).unwrap_or(&step)),
        _ => format!("/submit/{id}/{}", STEPS.get(index + 1).copied().unwrap_or("preview")),
    }
}

/// `GET /submit`: the first step of a new case (nothing is stored yet).
async fn new_case(ctx: Ctx) -> Result<Response, PageError> {
    author(&ctx)?;
    let content = CaseContent { original_language: ctx.lang().code().to_owned(), ..Default::default() };
    show(&ctx, "identity", StatusCode::OK, View::of(None, &content)).await
}

/// `POST /submit`: the first step creates the draft.
async fn create(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = author(&ctx)?;
    let mut content = CaseContent::default();
    let parse_errors = apply("identity", &form, &mut content);
    let result = if parse_errors.is_empty() {
        ctx.state.app().create_draft(&actor, content.clone()).await.map_err(ApiError::from)
    } else {
        Err(ApiError::Invalid(parse_errors))
    };
    match result {
        Ok(case) => Ok(see_other(&after_save(&case.id, "identity", form.get("action")))),
        Err(ApiError::Invalid(e)) => {
            let mut view = View::of(None, &content);
            view.values.overlay("identity", &form);
            view.errors = Some(e);
            show(&ctx, "identity", StatusCode::UNPROCESSABLE_ENTITY, view).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `GET /submit/{id}`: resume at the first step.
async fn resume(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let actor = author(&ctx)?;
    let case = editable_case(&ctx, &actor, &id).await?;
    Ok(see_other(&format!("/submit/{}/identity", case.id)))
}

/// `GET /submit/{id}/{step}`: a step, filled with what the draft holds.
async fn show_step(
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
    Query(q): Query<super::SavedQuery>,
) -> Result<Response, PageError> {
    let actor = author(&ctx)?;
    let step = known_step(&ctx, &step)?;
    let case = editable_case(&ctx, &actor, &id).await?;
    let mut view = View::of(Some(&case), &case.content);
    if q.saved.is_some() {
        view.notice = Some(ctx.tr().t("submit-saved"));
    }
    if q.linked.is_some() {
        view.notice = Some(ctx.tr().t("submit-linked"));
    }
    show(&ctx, step, StatusCode::OK, view).await
}

/// `POST /submit/{id}/{step}`: saves the step (all or nothing), then goes on;
/// `POST /submit/{id}/submit` sends the case for review.
async fn save_step(ctx: Ctx, Path((id, step)): Path<(String, String)>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = author(&ctx)?;
    if step == "submit" {
        return submit(ctx, actor, id, form).await;
    }
    let step = known_step(&ctx, &step)?;
    let case = editable_case(&ctx, &actor, &id).await?;
    let tr = ctx.tr();
    let Some(version) = form.get("version").and_then(|v| v.trim().parse::<i64>().ok()) else {
        return Err(ctx.error(StatusCode::BAD_REQUEST));
    };
    let mut content = case.content.clone();
    let conflict = |current: i64| tr.t1("submit-conflict", "version", current);
    if version != case.version {
        let mut view = View::of(Some(&case), &case.content);
        view.values.overlay(step, &form);
        view.conflict = Some(conflict(case.version));
        return show(&ctx, step, StatusCode::CONFLICT, view).await;
    }
    let mut errors = apply(step, &form, &mut content);
    let valid = match ctx.state.app().validate_content(content.clone()).await.map_err(ApiError::from) {
        Ok(valid) => Some(valid),
        Err(ApiError::Invalid(e)) => {
            errors.errors.extend(e.errors);
            None
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    let valid = match valid {
        Some(valid) if errors.is_empty() => valid,
        _ => {
            let mut view = View::of(Some(&case), &content);
            view.values.overlay(step, &form);
            view.errors = Some(errors);
            return show(&ctx, step, StatusCode::UNPROCESSABLE_ENTITY, view).await;
        }
    };
    // Nothing changed (e.g. "next" on an untouched step): no new revision.
    if valid != case.content {
        match ctx.state.app().save_content(&actor, &id, version, valid).await.map_err(ApiError::from) {
            Ok(_) => {}
            Err(ApiError::Conflict { current }) => {
                let mut view = View::of(Some(&case), &content);
                view.values.overlay(step, &form);
                view.conflict = Some(conflict(current));
                view.version = current;
                return show(&ctx, step, StatusCode::CONFLICT, view).await;
            }
            Err(e) => return Err(ctx.fail(e)),
        }
    }
    Ok(see_other(&after_save(&id, step, form.get("action"))))
}

async fn submit(ctx: Ctx, actor: Actor, id: String, form: FormData) -> Result<Response, PageError> {
    let case = editable_case(&ctx, &actor, &id).await?;
    let version = form.get("version").and_then(|v| v.trim().parse::<i64>().ok());
    match ctx.state.app().transition(&actor, &case.id, version, Transition::Submit, None).await.map_err(ApiError::from)
    {
        Ok(_) => Ok(see_other("/my/cases")),
        Err(ApiError::Conflict { current }) => {
            let mut view = View::of(Some(&case), &case.content);
            view.conflict = Some(ctx.tr().t1("submit-conflict", "version", current));
            show(&ctx, "preview", StatusCode::CONFLICT, view).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::Lang;

    #[test]
    fn every_field_label_guide_and_example_exists() {
        for lang in [Lang::En, Lang::Id] {
            let tr = Tr::new(lang);
            for step in STEPS {
                assert!(tr.has(&format!("submit-step-{step}")), "{step}");
                assert!(tr.has(&format!("submit-intro-{step}")), "{step}");
                for f in step_fields(step) {
                    assert!(tr.has(&label_key(f)), "{f}");
                }
            }
            for s in SECTIONS {
                let key = s.replace('_', "-");
                assert!(tr.has(&format!("submit-guide-{key}")), "{s}");
                assert!(tr.has(&format!("submit-example-{key}")), "{s}");
            }
            for m in lumbung_core::completeness::REQUIRED_FOR_FULL_CASE {
                assert!(tr.has(&label_key(m)), "{m}");
            }
        }
    }

    #[test]
    fn error_paths_map_to_form_fields_and_steps() {
        assert_eq!(form_field("title.id"), "title");
        assert_eq!(form_field("sections.how_it_works.id"), "how_it_works");
        assert_eq!(form_field("contact.email"), "contact_email");
        assert_eq!(form_field("links[2].url"), "links");
        assert_eq!(form_field("sdgs[0]"), "sdgs");
        assert_eq!(step_of("contact_email"), "contacts");
        assert_eq!(step_of("how_it_works"), "story");
        assert_eq!(step_of("organisations"), "place");
        assert_eq!(after_save("x", "identity", Some("back")), "/submit/x/identity");
        assert_eq!(after_save("x", "place", Some("next")), "/submit/x/classification");
        assert_eq!(after_save("x", "story", Some("save")), "/submit/x/story?saved=1");
    }
}
