//! Resources and collections as pages: `/resources` (filter by type),
//! `/resources/{id}`, `/resources/new` (a multipart form, the same checks
//! as the API), `/collections`, `/collections/{id}`, `/collections/new`;
//! and the resources block of case and event pages.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request};
use axum::response::Response;
use axum::routing::get;
use lumbung_core::resource::ResourceType;
use lumbung_core::{CollectionContent, Resource, Role, Text};
use lumbung_store::ResourceFilter;

use super::{Chrome, Ctx, FormData, Lang, PageError, Tr, markdown, render, see_other};
use crate::api::resources::{MAX_UPLOAD_BODY, read_upload, resource_filter};
use crate::error::ApiError;
use crate::extract::query_pairs;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/resources", get(list_page))
        .route(
            "/resources/new",
            get(new_form).post(create).layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route("/resources/{id}", get(resource_page))
        .route("/collections", get(collections_page))
        .route("/collections/new", get(new_collection_form).post(create_collection))
        .route("/collections/{id}", get(collection_page))
}

/// A resource as lists show it.
pub struct ResourceCard {
    pub id: String,
    pub title: String,
    /// The language of the title shown.
    pub title_lang: String,
    /// Plain text (Markdown marks left out).
    pub summary: String,
    pub summary_lang: String,
    pub kind: String,
    pub languages: String,
    pub licence: String,
    /// Where the material is: the link, or the file's download address.
    pub href: String,
    /// "PDF · 24 KB" for a file; empty for a link.
    pub file: String,
    pub is_file: bool,
}

fn pick(t: &Text, lang: Lang) -> (String, String) {
    let code = lang.code();
    match t.get(code) {
        Some(s) => (s.to_owned(), code.to_owned()),
        None => t.0.iter().next().map(|(l, s)| (s.clone(), l.clone())).unwrap_or_default(),
    }
}

fn size_label(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b if b >= 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{b} B"),
    }
}

pub fn card(tr: Tr, lang: Lang, r: &Resource) -> ResourceCard {
    let (title, title_lang) = pick(&r.content.title, lang);
    let (summary, summary_lang) = pick(&r.content.summary, lang);
    let languages: Vec<String> =
        r.content.languages.iter().map(|l| tr.term(lumbung_core::vocab::LANGUAGES, l)).collect();
    let (href, file) = match (&r.file, &r.content.url) {
        (Some(f), _) => {
            let label = f.name.rsplit_once('.').map(|(_, e)| e.to_ascii_uppercase()).unwrap_or_default();
            (format!("/resources/{}/file", r.id), format!("{label} · {}", size_label(f.size)))
        }
        (None, Some(u)) => (u.clone(), String::new()),
        (None, None) => (String::new(), String::new()),
    };
    ResourceCard {
        id: r.id.clone(),
        title,
        title_lang,
        summary: markdown::plain(&summary, 300),
        summary_lang,
        kind: tr.t(&format!("resources-type-{}", r.content.resource_type)),
        languages: languages.join(", "),
        licence: r.content.licence.clone(),
        is_file: r.file.is_some(),
        href,
        file,
    }
}

/// The resources serving a case or belonging to an event (for their pages);
/// none when they cannot be read (the page still shows).
pub async fn block(state: &AppState, tr: Tr, lang: Lang, case: Option<&str>, event: Option<&str>) -> Vec<ResourceCard> {
    let f = ResourceFilter {
        case: case.map(str::to_owned),
        event: event.map(str::to_owned),
        limit: 50,
        ..Default::default()
    };
    match state.store().resources(&f).await {
        Ok(page) => page.items.iter().map(|r| card(tr, lang, r)).collect(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot list resources for a page");
            Vec::new()
        }
    }
}

/// One option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn type_choices(tr: Tr, selected: Option<&str>) -> Vec<Choice> {
    ResourceType::ALL
        .iter()
        .map(|t| Choice {
            value: t.as_str().to_owned(),
            label: tr.t(&format!("resources-type-{t}")),
            selected: selected == Some(t.as_str()),
        })
        .collect()
}

fn can_manage(ctx: &Ctx) -> bool {
    ctx.actor().is_some_and(|a| lumbung_core::permissions::can_manage_resources(&a))
}

#[derive(Template)]
#[template(path = "resources.html")]
struct ListPage {
    c: Chrome,
    items: Vec<ResourceCard>,
    types: Vec<Choice>,
    total: i64,
    next: Option<String>,
    can_manage: bool,
}

async fn list_page(ctx: Ctx, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    // A form's "any" is an empty value: dropped before the filters are read.
    let pairs: Vec<(String, String)> = query_pairs(raw.as_deref()).into_iter().filter(|(_, v)| !v.is_empty()).collect();
    let f = resource_filter(&pairs).map_err(|e| ctx.fail(e))?;
    let page = ctx.state.store().resources(&f).await.map_err(|e| ctx.fail(e))?;
    let (tr, lang) = (ctx.tr(), ctx.lang());
    let shown = f.offset + page.items.len() as i64;
    let next = (shown < page.total && !page.items.is_empty()).then(|| {
        let kind = f.resource_type.as_deref().map(|t| format!("type={t}&")).unwrap_or_default();
        format!("/resources?{kind}cursor={shown}")
    });
    render(&ListPage {
        items: page.items.iter().map(|r| card(tr, lang, r)).collect(),
        types: type_choices(tr, f.resource_type.as_deref()),
        total: page.total,
        next,
        can_manage: can_manage(&ctx),
        c: ctx.chrome,
    })
}

#[derive(Template)]
#[template(path = "resource.html")]
struct ResourcePage {
    c: Chrome,
    r: ResourceCard,
    /// The other language's title, when there is one.
    other_title: Option<(String, String)>,
    summary_html: String,
    summary_lang: String,
    cases: Vec<(String, String)>,
    events: Vec<(String, String)>,
    updated: String,
}

async fn resource_page(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let state = &ctx.state;
    let r = state.store().resource(&id).await.map_err(|e| ctx.fail(e))?.ok_or_else(|| ctx.fail(ApiError::NotFound))?;
    let (tr, lang) = (ctx.tr(), ctx.lang());
    let shown = card(tr, lang, &r);
    let other_title =
        r.content.title.0.iter().find(|(l, _)| **l != shown.title_lang).map(|(l, t)| (t.clone(), l.clone()));
    let (summary, summary_lang) = pick(&r.content.summary, lang);
    let cases = state
        .app()
        .published_cases(&r.content.cases)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .map(|c| {
            let title = c.content.title.best(lang.code(), &c.content.original_language).unwrap_or("").to_owned();
            (c.id, title)
        })
        .collect();
    let mut events = Vec::new();
    for event in &r.content.events {
        if let Some(e) = state.store().get_event(event).await.map_err(|e| ctx.fail(e))? {
            events.push((e.id, e.content.title));
        }
    }
    let updated = r.updated_at.date().to_string();
    render(&ResourcePage {
        r: shown,
        other_title,
        summary_html: markdown::render(&summary),
        summary_lang,
        cases,
        events,
        updated,
        c: ctx.chrome,
    })
}

#[derive(Template)]
#[template(path = "resource_form.html")]
struct FormPage {
    c: Chrome,
    types: Vec<Choice>,
    errors: Vec<String>,
    max_mib: i64,
    /// What was sent, shown again after a refusal (the file must be chosen again).
    v: FormValues,
}

/// The form's text fields as sent.
#[derive(Debug, Default)]
pub struct FormValues {
    pub title_en: String,
    pub title_id: String,
    pub summary_en: String,
    pub summary_id: String,
    pub languages: String,
    pub licence: String,
    pub url: String,
    pub cases: String,
    pub events: String,
}

impl FormValues {
    fn of(c: &lumbung_core::ResourceContent) -> FormValues {
        let t = |t: &Text, l: &str| t.get(l).unwrap_or_default().to_owned();
        FormValues {
            title_en: t(&c.title, "en"),
            title_id: t(&c.title, "id"),
            summary_en: t(&c.summary, "en"),
            summary_id: t(&c.summary, "id"),
            languages: c.languages.join(","),
            licence: c.licence.clone(),
            url: c.url.clone().unwrap_or_default(),
            cases: c.cases.join(", "),
            events: c.events.join(", "),
        }
    }
}

fn form_page(
    ctx: Ctx,
    errors: Vec<String>,
    sent: Option<&lumbung_core::ResourceContent>,
) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let v = match sent {
        Some(c) => FormValues::of(c),
        None => FormValues { languages: "en,id".into(), licence: "CC-BY-4.0".into(), ..FormValues::default() },
    };
    let chosen = sent.map(|c| c.resource_type.as_str());
    let mut res = render(&FormPage {
        types: type_choices(tr, chosen),
        v,
        errors,
        max_mib: (lumbung_core::resource::MAX_UPLOAD / 1024 / 1024) as i64,
        c: ctx.chrome,
    })?;
    if !res.status().is_success() {
        return Ok(res);
    }
    if let Some(e) = res.headers_mut().get_mut(axum::http::header::CACHE_CONTROL) {
        *e = axum::http::HeaderValue::from_static("no-store");
    }
    Ok(res)
}

async fn new_form(ctx: Ctx) -> Result<Response, PageError> {
    ctx.require_role(Role::is_editor)?;
    form_page(ctx, Vec::new(), None)
}

/// The messages of a refusal, in the reader's language where the node has them.
fn messages(tr: Tr, e: &ApiError) -> Vec<String> {
    match e {
        ApiError::Invalid(errors) => super::field_messages(tr, errors)
            .into_iter()
            .flat_map(|(field, msgs)| msgs.into_iter().map(move |m| format!("{field}: {m}")))
            .collect(),
        ApiError::FileTooLarge(_) => vec![tr.t("resources-error-too-large")],
        ApiError::FileType(detail) => vec![tr.t1("resources-error-type", "detail", detail)],
        other => vec![other.to_string()],
    }
}

async fn create(ctx: Ctx, req: Request) -> Result<Response, PageError> {
    let actor = ctx.require_role(Role::is_editor)?;
    let state = ctx.state.clone();
    let multipart = match Multipart::from_request(req, &state).await {
        Ok(m) => m,
        Err(e) => return Err(ctx.fail(ApiError::BadRequest(e.body_text()))),
    };
    let form = match read_upload(multipart, &[super::CSRF_FIELD]).await {
        Ok(f) => f,
        Err(e) => {
            // Refused while reading (too large, malformed): nothing was kept to show again.
            let status = e.status();
            let msgs = messages(ctx.tr(), &e);
            let mut res = form_page(ctx, msgs, None)?;
            *res.status_mut() = status;
            return Ok(res);
        }
    };
    ctx.check_form(&FormData(form.extra.clone()))?;
    // The form's URL box is empty when a file is sent.
    let mut content = form.content;
    content.url = content.url.filter(|u| !u.trim().is_empty());
    let upload = form.upload.filter(|u| !(u.name.is_empty() && u.bytes.is_empty()));
    match state.app().create_resource(Some(&actor), content.clone(), upload).await {
        Ok(r) => Ok(see_other(&format!("/resources/{}", r.id))),
        Err(e) => {
            let e = ApiError::from(e);
            let status = e.status();
            let msgs = messages(ctx.tr(), &e);
            let mut res = form_page(ctx, msgs, Some(&content))?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

// ---- collections ----------------------------------------------------------

pub struct CollectionCard {
    pub id: String,
    pub title: String,
    pub title_lang: String,
    pub count: i64,
}

#[derive(Template)]
#[template(path = "collections.html")]
struct CollectionsPage {
    c: Chrome,
    items: Vec<CollectionCard>,
    can_manage: bool,
}

async fn collections_page(ctx: Ctx) -> Result<Response, PageError> {
    let page = ctx.state.store().collections(100, 0).await.map_err(|e| ctx.fail(e))?;
    let lang = ctx.lang();
    let mut items = Vec::new();
    for c in page.items {
        let (title, title_lang) = pick(&c.content.title, lang);
        let count = ctx.state.app().published_cases(&c.content.cases).await.map_err(|e| ctx.fail(e))?.len() as i64;
        items.push(CollectionCard { id: c.id, title, title_lang, count });
    }
    render(&CollectionsPage { items, can_manage: can_manage(&ctx), c: ctx.chrome })
}

#[derive(Template)]
#[template(path = "collection.html")]
struct CollectionPage {
    c: Chrome,
    title: String,
    title_lang: String,
    intro_html: String,
    intro_lang: String,
    /// (id, title, summary as plain text, the language they are in).
    cases: Vec<(String, String, String, String)>,
}

async fn collection_page(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let state = &ctx.state;
    let c =
        state.store().collection(&id).await.map_err(|e| ctx.fail(e))?.ok_or_else(|| ctx.fail(ApiError::NotFound))?;
    let lang = ctx.lang();
    let (title, title_lang) = pick(&c.content.title, lang);
    let (intro, intro_lang) = pick(&c.content.introduction, lang);
    let mut cases = Vec::new();
    for found in state.app().published_cases(&c.content.cases).await.map_err(|e| ctx.fail(e))? {
        let original = found.content.original_language.clone();
        // The reader's language when the case has it, else the original.
        let shown = if found.content.title.get(lang.code()).is_some() { lang.code().to_owned() } else { original };
        let t = found.content.title.best(&shown, &shown).unwrap_or("").to_owned();
        let summary = found.content.summary.best(&shown, &shown).unwrap_or("");
        cases.push((found.id.clone(), t, markdown::plain(summary, 240), shown));
    }
    render(&CollectionPage {
        title,
        title_lang,
        intro_html: markdown::render(&intro),
        intro_lang,
        cases,
        c: ctx.chrome,
    })
}

#[derive(Template)]
#[template(path = "collection_form.html")]
struct CollectionFormPage {
    c: Chrome,
    errors: Vec<String>,
    form: FormData,
}

async fn new_collection_form(ctx: Ctx) -> Result<Response, PageError> {
    ctx.require_role(Role::is_editor)?;
    render(&CollectionFormPage { errors: Vec::new(), form: FormData::default(), c: ctx.chrome })
}

async fn create_collection(ctx: Ctx, body: axum::body::Bytes) -> Result<Response, PageError> {
    let actor = ctx.require_role(Role::is_editor)?;
    let form = FormData::parse(&body);
    ctx.check_form(&form)?;
    let text = |en: &str, id: &str| {
        let mut t = Text::default();
        for (lang, key) in [("en", en), ("id", id)] {
            if let Some(v) = form.get(key).filter(|v| !v.trim().is_empty()) {
                t.0.insert(lang.to_owned(), v.to_owned());
            }
        }
        t
    };
    let content = CollectionContent {
        title: text("title_en", "title_id"),
        introduction: text("intro_en", "intro_id"),
        cases: form.get("cases").unwrap_or("").split_whitespace().map(str::to_owned).collect(),
    };
    let id = form.get("id").unwrap_or("").trim().to_owned();
    match ctx.state.app().create_collection(Some(&actor), id, content).await {
        Ok(c) => Ok(see_other(&format!("/collections/{}", c.id))),
        Err(e) => {
            let e = ApiError::from(e);
            let status = e.status();
            let mut res = render(&CollectionFormPage { errors: messages(ctx.tr(), &e), form, c: ctx.chrome })?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}
