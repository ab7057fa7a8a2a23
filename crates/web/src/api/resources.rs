//! `/api/v1/resources` and `/api/v1/collections`: list and read
//! (everyone), create, change and remove (curators, administrators).
//! A resource is created from JSON (a link) or from `multipart/form-data`
//! (a `file` part beside the fields); `/resources/{id}/file` serves the file
//! as an attachment.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use lumbung_app::Upload;
use lumbung_core::resource::{self, ResourceType};
use lumbung_core::{Actor, Collection, CollectionContent, Resource, ResourceContent, Text, ValidationErrors};
use lumbung_store::ResourceFilter;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, MaybeUser, query_pairs};
use crate::state::AppState;

/// The largest request to `POST /api/v1/resources`: the largest file and its fields.
pub const MAX_UPLOAD_BODY: usize = resource::MAX_UPLOAD + 256 * 1024;
/// The longest text part of a multipart request.
const MAX_PART: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/resources",
            get(list_resources).post(create_resource).layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route("/api/v1/resources/{id}", get(get_resource).put(update_resource).delete(delete_resource))
        .route("/resources/{id}/file", get(download))
        .route("/api/v1/collections", get(list_collections).post(create_collection))
        .route("/api/v1/collections/{id}", get(get_collection).put(update_collection).delete(delete_collection))
}

/// The fields of a resource's JSON body.
pub const RESOURCE_FIELDS: [&str; 8] =
    ["title", "summary", "resource_type", "languages", "licence", "url", "cases", "events"];
/// Fields the server keeps; sent back in a body, they are ignored.
const RESOURCE_READ_ONLY: [&str; 6] = ["id", "file", "download_url", "version", "created_at", "updated_at"];
/// The text parts of a multipart upload.
pub const UPLOAD_PARTS: [&str; 10] = [
    "title_en",
    "title_id",
    "summary_en",
    "summary_id",
    "resource_type",
    "languages",
    "licence",
    "cases",
    "events",
    "url",
];

/// A resource as the API shows it: the record, and where its file is.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceView {
    #[serde(flatten)]
    pub resource: Resource,
    /// The file's address, for a resource with an uploaded file.
    pub download_url: Option<String>,
}

/// A page of resources.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceList {
    pub items: Vec<ResourceView>,
    pub total: i64,
    /// Cursor for the next page, or null on the last page.
    pub next: Option<String>,
}

/// A page of collections.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollectionList {
    pub items: Vec<Collection>,
    pub total: i64,
    pub next: Option<String>,
}

/// The fields of a multipart upload, as documented (the contract closes them).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ResourceUpload {
    /// The file: PDF, DOCX, PPTX, XLSX, ODT, CSV, PNG or JPEG, at most 20 MiB.
    #[schema(format = Binary, value_type = String)]
    pub file: Vec<u8>,
    pub title_en: Option<String>,
    pub title_id: Option<String>,
    pub summary_en: Option<String>,
    pub summary_id: Option<String>,
    pub resource_type: String,
    /// Language codes, comma-separated or one part each.
    pub languages: String,
    /// An SPDX licence identifier.
    pub licence: String,
    /// Case ids, comma-separated or one part each.
    pub cases: Option<String>,
    /// Event ids, comma-separated or one part each.
    pub events: Option<String>,
}

pub fn view(r: Resource) -> ResourceView {
    let download_url = r.file.as_ref().map(|_| format!("/resources/{}/file", r.id));
    ResourceView { resource: r, download_url }
}

fn next(offset: i64, shown: usize, total: i64) -> Option<String> {
    let end = offset + shown as i64;
    (end < total && shown > 0).then(|| end.to_string())
}

/// The filters of `/api/v1/resources` and `/resources`: unknown values are 400.
pub fn resource_filter(pairs: &[(String, String)]) -> Result<ResourceFilter, ApiError> {
    let mut f = ResourceFilter { limit: 20, ..Default::default() };
    let mut seen = std::collections::HashSet::new();
    for (k, v) in pairs {
        let bad = || ApiError::BadRequest(format!("'{v}' is not a valid value of '{k}'"));
        if !seen.insert(k.as_str()) {
            return Err(ApiError::BadRequest(format!("'{k}' is given more than once")));
        }
        let id = |v: &String| is_ulid(v).then(|| v.clone()).ok_or_else(bad);
        match k.as_str() {
            "type" => f.resource_type = Some(ResourceType::parse(v).ok_or_else(bad)?.as_str().to_owned()),
            "case" => f.case = Some(id(v)?),
            "event" => f.event = Some(id(v)?),
            "limit" => f.limit = v.parse::<i64>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(bad)?,
            "cursor" => {
                let digits = !v.is_empty() && v.len() <= 7 && v.bytes().all(|b| b.is_ascii_digit());
                f.offset = v.parse::<i64>().ok().filter(|_| digits).ok_or_else(bad)?
            }
            _ => {}
        }
    }
    Ok(f)
}

/// A ULID as ids are written: 26 of Crockford's base-32 digits, upper case.
fn is_ulid(v: &str) -> bool {
    v.len() == 26 && v.bytes().all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

/// Resources, the latest changed first; filters combine with AND.
#[utoipa::path(get, path = "/api/v1/resources", tag = "resources",
    responses((status = 200, body = ResourceList), (status = 400, body = Problem)))]
pub async fn list_resources(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ResourceList>, ApiError> {
    let f = resource_filter(&query_pairs(raw.as_deref()))?;
    let page = state.store().resources(&f).await?;
    let next = next(f.offset, page.items.len(), page.total);
    Ok(Json(ResourceList { items: page.items.into_iter().map(view).collect(), total: page.total, next }))
}

/// One resource.
#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "resources",
    params(("id" = String, Path, description = "Resource id (a ULID)")),
    responses((status = 200, body = ResourceView), (status = 404, body = Problem)))]
pub async fn get_resource(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ResourceView>, ApiError> {
    state.store().resource(&id).await?.map(|r| Json(view(r))).ok_or(ApiError::NotFound)
}

fn require_editor(user: &MaybeUser) -> Result<Actor, ApiError> {
    let actor = user.require()?;
    if !lumbung_core::permissions::can_manage_resources(&actor) {
        return Err(ApiError::Forbidden("resources and collections are kept by curators and administrators".into()));
    }
    Ok(actor)
}

fn resource_content(mut body: JsonBody) -> Result<ResourceContent, ApiError> {
    for f in RESOURCE_READ_ONLY {
        body.0.remove(f);
    }
    body.parse::<ResourceContent>(&RESOURCE_FIELDS)
}

/// Add a resource: a link as JSON, or a file as `multipart/form-data` (a
/// `file` part beside the fields). The file's type is read from its
/// content: PDF, DOCX, PPTX, XLSX, ODT, CSV, PNG or JPEG, at most 20 MiB.
#[utoipa::path(post, path = "/api/v1/resources", tag = "resources",
    request_body(content(
        (ResourceContent = "application/json"),
        (ResourceUpload = "multipart/form-data"),
    )),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ResourceView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn create_resource(
    State(state): State<AppState>,
    user: MaybeUser,
    req: Request,
) -> Result<Response, ApiError> {
    let actor = require_editor(&user)?;
    let (content, upload) = if is_multipart(req.headers()) {
        let multipart = Multipart::from_request(req, &state).await.map_err(|e| multipart_error(&e.body_text()))?;
        read_upload(multipart, &[]).await?.into_parts()
    } else {
        let body = JsonBody::from_request(req, &state).await?;
        (resource_content(body)?, None)
    };
    let r = state.app().create_resource(Some(&actor), content, upload).await?;
    let location = format!("/api/v1/resources/{}", r.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(view(r))).into_response())
}

/// Replace a resource's description (its file stays); send the `version` you edited.
#[utoipa::path(put, path = "/api/v1/resources/{id}", tag = "resources", request_body = ResourceContent,
    params(("id" = String, Path, description = "Resource id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ResourceView), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_resource(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut body: JsonBody,
) -> Result<Json<ResourceView>, ApiError> {
    let actor = require_editor(&user)?;
    let version = crate::extract::if_match_version(&headers)?
        .or(body.take_i64("version")?)
        .ok_or(ApiError::PreconditionRequired)?;
    let r = state.app().update_resource(&actor, &id, version, resource_content(body)?).await?;
    Ok(Json(view(r)))
}

/// Remove a resource (and its file, when no other resource uses it); send
/// the version as `If-Match`.
#[utoipa::path(delete, path = "/api/v1/resources/{id}", tag = "resources",
    params(("id" = String, Path, description = "Resource id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 428, body = Problem)))]
pub async fn delete_resource(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let actor = require_editor(&user)?;
    let version = crate::extract::if_match_version(&headers)?.ok_or(ApiError::PreconditionRequired)?;
    state.app().delete_resource(&actor, &id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A resource's uploaded file, as an attachment under the name it was uploaded with.
pub async fn download(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let r = state.store().resource(&id).await?.ok_or(ApiError::NotFound)?;
    let file = r.file.ok_or(ApiError::NotFound)?;
    let path = state.store().files().path(&file.sha256).ok_or(ApiError::NotFound)?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ApiError::NotFound,
        _ => ApiError::Internal(format!("cannot read {}: {e}", path.display())),
    })?;
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(&file.media_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(CONTENT_LENGTH, HeaderValue::from(file.size));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&file.name)) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", file.sha256)) {
        h.insert(ETAG, v);
    }
    h.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    h.insert(axum::http::header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(axum::http::header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(res)
}

/// `attachment`, with an ASCII fallback name and the name itself (RFC 6266, RFC 8187).
pub fn content_disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"))
}

fn multipart_error(detail: &str) -> ApiError {
    if detail.contains("length limit") || detail.contains("too large") {
        ApiError::FileTooLarge(format!("the upload is larger than {} MiB", resource::MAX_UPLOAD / 1024 / 1024))
    } else {
        ApiError::BadRequest(format!("malformed multipart body: {detail}"))
    }
}

/// What a multipart form brought: the fields, the file, and the extra
/// parts the caller allowed (a page's CSRF token).
#[derive(Debug, Default)]
pub struct UploadForm {
    pub content: ResourceContent,
    pub upload: Option<Upload>,
    pub extra: Vec<(String, String)>,
}

impl UploadForm {
    fn into_parts(self) -> (ResourceContent, Option<Upload>) {
        (self.content, self.upload)
    }
}

/// Reads a multipart upload: the text parts of [`UPLOAD_PARTS`] (and
/// `extra`), one `file` part, nothing else. The file is read in chunks and
/// refused as soon as it passes the limit.
pub async fn read_upload(mut multipart: Multipart, extra: &[&str]) -> Result<UploadForm, ApiError> {
    let mut form = UploadForm::default();
    let mut unknown = ValidationErrors::default();
    let (mut title, mut summary) = (Text::default(), Text::default());
    let add_list = |list: &mut Vec<String>, v: &str| {
        list.extend(v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
    };
    while let Some(mut field) = multipart.next_field().await.map_err(|e| multipart_error(&e.body_text()))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if form.upload.is_some() {
                return Err(ApiError::BadRequest("send one file per resource".into()));
            }
            let file_name = field.file_name().map(str::to_owned).unwrap_or_default();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e.body_text()))? {
                if bytes.len() + chunk.len() > resource::MAX_UPLOAD {
                    return Err(ApiError::FileTooLarge(format!(
                        "the file is larger than {} MiB",
                        resource::MAX_UPLOAD / 1024 / 1024
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            form.upload = Some(Upload { name: file_name, bytes });
            continue;
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e.body_text()))? {
            if value.len() + chunk.len() > MAX_PART {
                return Err(ApiError::field(&name, "too_long", format!("a field is at most {} KiB", MAX_PART / 1024)));
            }
            value.extend_from_slice(&chunk);
        }
        let Ok(value) = String::from_utf8(value) else {
            unknown.add(name.clone(), "invalid", "must be UTF-8 text");
            continue;
        };
        let c = &mut form.content;
        match name.as_str() {
            "title_en" | "title_id" | "summary_en" | "summary_id" => {
                let (target, lang) = match name.split_once('_') {
                    Some(("title", lang)) => (&mut title, lang),
                    Some((_, lang)) => (&mut summary, lang),
                    None => continue,
                };
                target.0.insert(lang.to_owned(), value);
            }
            "resource_type" => c.resource_type = value,
            "licence" => c.licence = value,
            "url" => c.url = Some(value),
            "languages" => add_list(&mut c.languages, &value),
            "cases" => add_list(&mut c.cases, &value),
            "events" => add_list(&mut c.events, &value),
            other if extra.contains(&other) => form.extra.push((name, value)),
            _ => unknown.add(name.clone(), "unknown_field", format!("'{name}' is not a field of a resource")),
        }
    }
    unknown.into_result().map_err(ApiError::Invalid)?;
    form.content.title = title;
    form.content.summary = summary;
    Ok(form)
}

// ---- collections ----------------------------------------------------------

const COLLECTION_FIELDS: [&str; 3] = ["title", "introduction", "cases"];
const COLLECTION_READ_ONLY: [&str; 3] = ["version", "created_at", "updated_at"];

fn page_of(pairs: &[(String, String)]) -> Result<(i64, i64), ApiError> {
    let f = resource_filter(&pairs.iter().filter(|(k, _)| k == "limit" || k == "cursor").cloned().collect::<Vec<_>>())?;
    Ok((f.limit, f.offset))
}

/// Collections, the latest changed first.
#[utoipa::path(get, path = "/api/v1/collections", tag = "collections",
    responses((status = 200, body = CollectionList), (status = 400, body = Problem)))]
pub async fn list_collections(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CollectionList>, ApiError> {
    let (limit, offset) = page_of(&query_pairs(raw.as_deref()))?;
    let page = state.store().collections(limit, offset).await?;
    let next = next(offset, page.items.len(), page.total);
    Ok(Json(CollectionList { items: page.items, total: page.total, next }))
}

/// One collection. Its `cases` are those of its list that are published now.
#[utoipa::path(get, path = "/api/v1/collections/{id}", tag = "collections",
    params(("id" = String, Path, description = "Collection id (a slug)")),
    responses((status = 200, body = Collection), (status = 404, body = Problem)))]
pub async fn get_collection(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Collection>, ApiError> {
    let mut c = state.store().collection(&id).await?.ok_or(ApiError::NotFound)?;
    c.content.cases = state.app().published_cases(&c.content.cases).await?.into_iter().map(|c| c.id).collect();
    Ok(Json(c))
}

/// Add a collection. Send its `id` (a slug such as `top-innovations-2024`).
#[utoipa::path(post, path = "/api/v1/collections", tag = "collections", request_body = CollectionContent,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Collection), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_collection(
    State(state): State<AppState>,
    user: MaybeUser,
    mut body: JsonBody,
) -> Result<Response, ApiError> {
    let actor = require_editor(&user)?;
    let id = body.take_string("id")?.map(|s| s.trim().to_owned()).unwrap_or_default();
    for f in COLLECTION_READ_ONLY {
        body.0.remove(f);
    }
    let content = body.parse::<CollectionContent>(&COLLECTION_FIELDS)?;
    let c = state.app().create_collection(Some(&actor), id, content).await?;
    let location = format!("/api/v1/collections/{}", c.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(c)).into_response())
}

/// Replace a collection; send the `version` you edited.
#[utoipa::path(put, path = "/api/v1/collections/{id}", tag = "collections", request_body = CollectionContent,
    params(("id" = String, Path, description = "Collection id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Collection), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update_collection(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut body: JsonBody,
) -> Result<Json<Collection>, ApiError> {
    let actor = require_editor(&user)?;
    let version = crate::extract::if_match_version(&headers)?
        .or(body.take_i64("version")?)
        .ok_or(ApiError::PreconditionRequired)?;
    body.0.remove("id");
    for f in COLLECTION_READ_ONLY {
        body.0.remove(f);
    }
    let content = body.parse::<CollectionContent>(&COLLECTION_FIELDS)?;
    Ok(Json(state.app().update_collection(&actor, &id, version, content).await?))
}

/// Remove a collection; send the version as `If-Match`.
#[utoipa::path(delete, path = "/api/v1/collections/{id}", tag = "collections",
    params(("id" = String, Path, description = "Collection id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 428, body = Problem)))]
pub async fn delete_collection(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let actor = require_editor(&user)?;
    let version = crate::extract::if_match_version(&headers)?.ok_or(ApiError::PreconditionRequired)?;
    state.app().delete_collection(&actor, &id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
