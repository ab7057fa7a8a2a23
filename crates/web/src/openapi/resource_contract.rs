//! The resources and collections part of the contract (see `contract.rs`):
//! the request bodies closed and constrained as
//! `core::resource::validate_resource` and `core::collection::validate_collection`
//! check them, and the `multipart/form-data` form of an upload.

use lumbung_core::resource::ResourceType;
use lumbung_core::{validate, vocab};
use serde_json::{Value, json};

use super::patterns::{EDGE, SLUG, TEXT_CHARS, ULID};

/// An SPDX identifier's shape (the server checks it is a known one).
const LICENCE: &str = "^[A-Za-z0-9][A-Za-z0-9.+-]{0,99}$";
const ULID_CHARS: &str = "[0-9A-HJKMNP-TV-Z]{26}";

fn ids(max: usize, description: &str) -> Value {
    json!({"type": "array", "maxItems": max, "uniqueItems": true, "description": description,
           "items": {"type": "string", "pattern": ULID}})
}

fn id_list(description: &str) -> Value {
    json!({"type": "string", "description": description,
           "pattern": format!("^{ULID_CHARS}(,{ULID_CHARS}){{0,49}}$")})
}

fn resource_types() -> Vec<&'static str> {
    ResourceType::ALL.iter().map(|t| t.as_str()).collect()
}

fn text_part(max: usize) -> Value {
    json!({"type": "string", "maxLength": max, "pattern": format!("^{EDGE}{TEXT_CHARS}{EDGE}$")})
}

/// The schemas to add, given the shared builders of `contract.rs`:
/// `text(max)`, `text_required(max)`, `url()` and `code_list(terms)`.
pub fn schemas(
    text: fn(usize) -> Value,
    text_required: fn(usize) -> Value,
    url: fn() -> Value,
    code_list: fn(&[vocab::Term]) -> Value,
) -> Vec<(&'static str, Value)> {
    let version = json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64});
    let mut languages = code_list(vocab::LANGUAGES);
    if let Some(m) = languages.as_object_mut() {
        m.insert("minItems".into(), json!(1));
    }
    let resource = |update: bool| {
        let mut props = json!({
            "title": text_required(validate::MAX_TITLE),
            "summary": text(validate::MAX_SUMMARY),
            "resource_type": {"type": "string", "enum": resource_types()},
            "languages": languages.clone(),
            "licence": {"type": "string", "pattern": LICENCE, "description": "An SPDX licence identifier, e.g. CC-BY-4.0"},
            "url": if update { json!({"oneOf": [{"type": "null"}, url()]}) } else { url() },
            "cases": ids(validate::MAX_LIST, "Published cases of this node"),
            "events": ids(validate::MAX_LIST, "Events of this node"),
        });
        let mut required = vec!["title", "resource_type", "languages", "licence"];
        if update {
            if let Some(p) = props.as_object_mut() {
                p.insert("version".into(), version.clone());
                for f in ["id", "file", "download_url", "created_at", "updated_at"] {
                    p.insert(f.into(), json!({"readOnly": true}));
                }
            }
            required.push("version");
        } else {
            required.push("url");
        }
        json!({"type": "object", "additionalProperties": false, "required": required, "properties": props})
    };
    let any_title: Vec<Value> = ["title_en", "title_id"]
        .iter()
        .map(
            |f| json!({"required": [f], "properties": {*f: {"type": "string", "pattern": super::patterns::NON_BLANK}}}),
        )
        .collect();
    let upload = json!({
        "type": "object", "additionalProperties": false,
        "required": ["file", "resource_type", "languages", "licence"],
        "anyOf": any_title,
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "PDF, DOCX, PPTX, XLSX, ODT, CSV, PNG or JPEG, at most 20 MiB, typed from its content"},
            "title_en": text_part(validate::MAX_TITLE),
            "title_id": text_part(validate::MAX_TITLE),
            "summary_en": text_part(validate::MAX_SUMMARY),
            "summary_id": text_part(validate::MAX_SUMMARY),
            "resource_type": {"type": "string", "enum": resource_types()},
            "languages": {"type": "string", "description": "Language codes, comma-separated",
                          "pattern": format!("^({0})(,({0})){{0,49}}$", vocab::LANGUAGES.iter().map(|t| t.code).collect::<Vec<_>>().join("|"))},
            "licence": {"type": "string", "pattern": LICENCE},
            "cases": id_list("Published case ids of this node, comma-separated"),
            "events": id_list("Event ids of this node, comma-separated"),
        }
    });
    let collection = |update: bool| {
        let mut props = json!({
            "title": text_required(validate::MAX_TITLE),
            "introduction": text(validate::MAX_SECTION),
            "cases": {"type": "array", "minItems": 1, "maxItems": lumbung_core::collection::MAX_CASES, "uniqueItems": true,
                      "description": "Published cases of this node, in the order shown", "items": {"type": "string", "pattern": ULID}},
        });
        let mut required = vec!["title", "cases"];
        if let Some(p) = props.as_object_mut() {
            if update {
                p.insert("version".into(), version.clone());
                for f in ["id", "created_at", "updated_at"] {
                    p.insert(f.into(), json!({"readOnly": true}));
                }
                required.push("version");
            } else {
                p.insert(
                    "id".into(),
                    json!({"type": "string", "pattern": SLUG, "description": "A slug such as top-innovations-2024"}),
                );
                required.push("id");
            }
        }
        json!({"type": "object", "additionalProperties": false, "required": required, "properties": props})
    };
    vec![
        ("ResourceInput", resource(false)),
        ("ResourceUpdate", resource(true)),
        ("ResourceUpload", upload),
        ("CollectionInput", collection(false)),
        ("CollectionUpdate", collection(true)),
    ]
}
