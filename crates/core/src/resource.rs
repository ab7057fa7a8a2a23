//! Resources of the learning loops: guides, toolkits, training material,
//! reports, videos and datasets, linked to the cases and events they serve.
//! A resource is a link or an uploaded file. An upload's type is read from its
//! content (magic numbers, the entries of OOXML and OpenDocument zips), never
//! from its name or the header the client sent: [`detect`] says what a file
//! is, and refuses anything but the types listed in [`FileType`].

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::event::str_enum;
use crate::text::Text;
use crate::validate::{self, MAX_LIST, MAX_SUMMARY, MAX_TITLE, ValidationErrors};
use crate::vocab;

/// The largest upload: 20 MiB.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;
/// The longest file name kept.
pub const MAX_FILE_NAME: usize = 200;

str_enum!(
    /// What a resource is.
    ResourceType {
        Guide = "guide",
        Toolkit = "toolkit",
        Training = "training",
        Report = "report",
        Video = "video",
        Dataset = "dataset",
    }
);

/// What an editor writes about a resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ResourceContent {
    /// Title per language (English and/or Bahasa Indonesia).
    pub title: Text,
    /// Summary per language.
    pub summary: Text,
    /// guide, toolkit, training, report, video or dataset.
    pub resource_type: String,
    /// The languages the material itself is written or spoken in.
    pub languages: Vec<String>,
    /// Its licence, as an SPDX identifier (`CC-BY-4.0`, `CC0-1.0`, `MIT`…).
    pub licence: String,
    /// Where the material is, for a resource that is a link.
    pub url: Option<String>,
    /// Ids of the cases of this node it serves.
    pub cases: Vec<String>,
    /// Ids of the events of this node it belongs to.
    pub events: Vec<String>,
}

impl ResourceContent {
    /// Trimmed, empty values dropped, codes in their canonical case.
    pub fn normalised(mut self) -> ResourceContent {
        self.title = self.title.normalised();
        self.summary = self.summary.normalised();
        self.resource_type = self.resource_type.trim().to_owned();
        self.languages =
            self.languages.iter().map(|l| l.trim().to_ascii_lowercase()).filter(|l| !l.is_empty()).collect();
        self.licence = self.licence.trim().to_owned();
        self.url = self.url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        self.cases = self.cases.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        self.events = self.events.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        self
    }
}

/// An uploaded file as stored: its name as given (checked), its type as
/// read from its content, its size and the SHA-256 it is stored under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StoredFile {
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
}

/// A stored resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Resource {
    #[schema(example = "01JH3Q4ZK5N8B3V2W8X7Y6Z5A4")]
    pub id: String,
    #[serde(flatten)]
    pub content: ResourceContent,
    /// The uploaded file, for a resource that is not a link.
    pub file: Option<StoredFile>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Checks a resource. `has_file`: an upload comes with it (or is stored
/// already); a resource is a link or a file, not both, not neither.
pub fn validate_resource(
    c: &ResourceContent,
    has_file: bool,
    case_exists: &dyn Fn(&str) -> bool,
    event_exists: &dyn Fn(&str) -> bool,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if !c.title.0.keys().any(|l| l == "en" || l == "id") {
        e.add("title", "required", "give the title in English, Bahasa Indonesia or both");
    }
    validate::text(&mut e, "title", &c.title, MAX_TITLE);
    validate::text(&mut e, "summary", &c.summary, MAX_SUMMARY);
    if ResourceType::parse(&c.resource_type).is_none() {
        let all: Vec<&str> = ResourceType::ALL.iter().map(|t| t.as_str()).collect();
        e.add("resource_type", "unknown_value", format!("'{}' is not one of {}", c.resource_type, all.join(", ")));
    }
    if c.languages.is_empty() {
        e.add("languages", "required", "name the languages the material is in");
    }
    validate::codes(&mut e, "languages", &c.languages, vocab::LANGUAGES, "language code");
    if c.licence.is_empty() {
        e.add("licence", "required", "give the licence as an SPDX identifier, e.g. CC-BY-4.0");
    } else if c.licence.len() > 100 || spdx::license_id(&c.licence).is_none() {
        e.add(
            "licence",
            "unknown_value",
            format!("'{}' is not an SPDX licence identifier (e.g. CC-BY-4.0)", c.licence),
        );
    }
    validate::url(&mut e, "url", c.url.as_deref());
    match (&c.url, has_file) {
        (Some(_), true) => e.add("url", "invalid", "a resource is a link or an uploaded file, not both"),
        (None, false) => e.add("url", "required", "give a link, or upload the file"),
        _ => {}
    }
    for (field, ids, exists, what) in
        [("cases", &c.cases, case_exists, "case"), ("events", &c.events, event_exists, "event")]
    {
        validate::list_len(&mut e, field, ids.len());
        validate::duplicates(&mut e, field, ids);
        for (i, id) in ids.iter().enumerate().take(MAX_LIST) {
            if id.len() > 64 || !exists(id) {
                e.add(format!("{field}[{i}]"), "unknown_value", format!("no {what} '{}' on this node", short(id)));
            }
        }
    }
    e.into_result()
}

fn short(s: &str) -> String {
    s.chars().take(64).collect()
}

/// The file types a resource may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Docx,
    Pptx,
    Xlsx,
    Odt,
    Csv,
    Png,
    Jpeg,
}

impl FileType {
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Csv => "text/csv",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }

    /// The file name endings of this type, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Docx => &["docx"],
            FileType::Pptx => &["pptx"],
            FileType::Xlsx => &["xlsx"],
            FileType::Odt => &["odt"],
            FileType::Csv => &["csv"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
        }
    }

    /// A short name people know (PDF, Word…).
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Docx => "DOCX",
            FileType::Pptx => "PPTX",
            FileType::Xlsx => "XLSX",
            FileType::Odt => "ODT",
            FileType::Csv => "CSV",
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
        }
    }
}

/// The types accepted, for messages.
pub const ACCEPTED: &str = "PDF, DOCX, PPTX, XLSX, ODT, CSV, PNG or JPEG";

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MiB", MAX_UPLOAD / 1024 / 1024)]
    TooLarge,
    /// Its content is of a type not accepted (named when known).
    #[error("the file's content is {0}, not {ACCEPTED}")]
    Unsupported(String),
    /// Its content is an accepted type, but its name says another.
    #[error("the file's content is {content} but its name ends in .{ext}; name it .{expected}")]
    WrongName { content: &'static str, ext: String, expected: &'static str },
    /// The file name cannot be kept.
    #[error("{0}")]
    BadName(String),
}

/// Checks an uploaded file's name: a plain name with an ending, no folders,
/// no way out of a folder, nothing hidden, nothing unprintable.
pub fn check_file_name(name: &str) -> Result<(), UploadError> {
    let bad = |why: &str| Err(UploadError::BadName(format!("the file name {why}")));
    if name.trim().is_empty() {
        return bad("is missing");
    }
    if name.chars().count() > MAX_FILE_NAME {
        return bad(&format!("is longer than {MAX_FILE_NAME} characters"));
    }
    if name.contains(['/', '\\']) || name.contains("..") {
        return bad("cannot name a folder (no /, \\ or ..)");
    }
    if name.chars().any(|c| c.is_control() || matches!(c, '"' | ':' | '*' | '?' | '<' | '>' | '|')) {
        return bad("cannot contain control characters or any of \" : * ? < > |");
    }
    if name.starts_with('.') || name.starts_with(' ') || name.ends_with(' ') || name.ends_with('.') {
        return bad("cannot start with a dot or a space, or end with one");
    }
    if extension(name).is_none() {
        return bad("has no ending such as .pdf");
    }
    Ok(())
}

fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// What an uploaded file is, from its content, checked against its name's ending.
pub fn detect(name: &str, bytes: &[u8]) -> Result<FileType, UploadError> {
    check_file_name(name)?;
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(UploadError::TooLarge);
    }
    let found = sniff(bytes)?;
    let ext = extension(name).unwrap_or_default();
    if !found.extensions().contains(&ext.as_str()) {
        let expected = found.extensions().first().copied().unwrap_or("");
        return Err(UploadError::WrongName { content: found.label(), ext, expected });
    }
    Ok(found)
}

fn sniff(bytes: &[u8]) -> Result<FileType, UploadError> {
    let binary = [
        (infer::archive::is_pdf as fn(&[u8]) -> bool, FileType::Pdf),
        (infer::image::is_png, FileType::Png),
        (infer::image::is_jpeg, FileType::Jpeg),
        (infer::doc::is_docx, FileType::Docx),
        (infer::doc::is_pptx, FileType::Pptx),
        (infer::doc::is_xlsx, FileType::Xlsx),
        (infer::odf::is_odt, FileType::Odt),
    ];
    if let Some((_, t)) = binary.iter().find(|(is, _)| is(bytes)) {
        return Ok(*t);
    }
    if is_csv(bytes) {
        return Ok(FileType::Csv);
    }
    let what = match infer::get(bytes) {
        Some(t) => format!("{} ({})", t.mime_type(), t.extension()),
        None if looks_like_markup(bytes) => "HTML, SVG or XML".to_owned(),
        None => "of an unknown type".to_owned(),
    };
    Err(UploadError::Unsupported(what))
}

/// Whether the start of a file looks like markup a browser would run.
fn looks_like_markup(bytes: &[u8]) -> bool {
    let head: String = String::from_utf8_lossy(bytes.get(..4096).unwrap_or(bytes)).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    start.starts_with('<')
        || ["<script", "<svg", "<html", "<?xml", "<!doctype", "<iframe", "<object", "javascript:"]
            .iter()
            .any(|m| head.contains(m))
}

/// A CSV file: UTF-8 text, no control characters but tabs and line breaks,
/// no markup, every record with the same number of fields, at least two.
fn is_csv(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || looks_like_markup(bytes) {
        return false;
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let mut fields = None;
    for record in reader.records() {
        let Ok(record) = record else {
            return false;
        };
        match fields {
            None if record.len() < 2 => return false,
            None => fields = Some(record.len()),
            Some(_) => {}
        }
    }
    fields.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_their_folder_are_refused() {
        for name in [
            "../../etc/passwd.pdf",
            "a/b.pdf",
            "..\\x.pdf",
            ".hidden.pdf",
            "x.pdf.",
            "nul\u{0}.pdf",
            "noext",
            "",
            "a:b.pdf",
        ] {
            assert!(check_file_name(name).is_err(), "{name:?}");
        }
        for name in ["Panduan inovasi 2024.pdf", "toolkit_v2.docx", "data.csv"] {
            assert!(check_file_name(name).is_ok(), "{name:?}");
        }
    }

    #[test]
    fn the_content_decides_not_the_name() {
        assert_eq!(detect("guide.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), Ok(FileType::Pdf));
        let exe = [b"MZ\x90\x00\x03\x00\x00\x00".as_slice(), &[0u8; 120]].concat();
        assert!(matches!(detect("guide.pdf", &exe), Err(UploadError::Unsupported(_))));
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        assert!(matches!(detect("chart.png", svg), Err(UploadError::Unsupported(_))));
        assert!(matches!(detect("chart.csv", svg), Err(UploadError::Unsupported(_))));
        let html = b"name,value\n<html><script>x</script>,1\n";
        assert!(matches!(detect("x.csv", html), Err(UploadError::Unsupported(_))));
        assert!(matches!(detect("x.docx", b"%PDF-1.4\n"), Err(UploadError::WrongName { .. })));
        assert_eq!(detect("data.csv", b"region,cases\nAceh,3\nBali,4\n"), Ok(FileType::Csv));
        assert!(detect("data.csv", b"region,cases\nAceh\n").is_err(), "ragged rows");
        assert_eq!(detect("data.csv", b""), Err(UploadError::Empty));
        assert_eq!(detect("p.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(FileType::Png));
        assert_eq!(detect("p.JPG", b"\xff\xd8\xff\xe0\0\x10JFIF"), Ok(FileType::Jpeg));
    }

    #[test]
    fn licences_are_spdx_identifiers() {
        let mut c = ResourceContent {
            title: Text::new("en", "Guide"),
            resource_type: "guide".into(),
            languages: vec!["en".into()],
            licence: "CC-BY-4.0".into(),
            url: Some("https://example.org/guide".into()),
            ..ResourceContent::default()
        };
        assert!(validate_resource(&c, false, &|_| true, &|_| true).is_ok());
        c.licence = "CC-BY-9.9".into();
        let e = validate_resource(&c, true, &|_| false, &|_| true).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["licence", "url"]);
    }
}
