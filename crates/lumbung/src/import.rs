//! `lumbung import`: JSON Lines (the native, lossless format) and CSV.
//!
//! Two passes over the file. The first reads and validates everything
//! without writing: a file that is not valid (bad encoding, not JSON, missing
//! required columns) is refused with its line and reason and nothing is
//! written. Rows that are readable as a file but not as a case are reported
//! with their line number and skipped (or, with `--strict`, refuse the file).
//! The second pass writes in batches, one transaction each, and reports every
//! committed batch on standard output (`committed N/M`), so an interrupted
//! import says exactly what is stored.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use lumbung_core::{Case, CaseContent, Organisation, OrganisationContent, Origin, Status, Text, validate};
use lumbung_store::{ImportMode, Store};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::cli::{Format, ImportArgs, load_config};

/// A record read from a file, with its line number.
#[derive(Debug)]
pub enum Record {
    Organisation(Box<Organisation>),
    Case(Box<Case>),
}

/// Why a file is refused as a whole.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct FileError {
    pub line: usize,
    pub reason: String,
}

/// What reading a file found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Readable rows.
    pub rows: usize,
    /// Valid case records.
    pub cases: usize,
    /// Valid organisation records.
    pub organisations: usize,
    /// (line, reason) of rows that cannot become a record.
    pub rejected: Vec<(usize, String)>,
}

/// How CSV columns map onto case fields.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// field → column.
    pub map: BTreeMap<String, String>,
    pub language: String,
    pub status: Status,
}

/// Case fields a CSV column can fill; lists are split on `;` or `|`.
pub const CSV_FIELDS: [&str; 17] = [
    "title",
    "summary",
    "country",
    "region",
    "city",
    "level_of_government",
    "organisations",
    "sectors",
    "innovation_facets",
    "lifecycle_stage",
    "sdgs",
    "tags",
    "year_launched",
    "website",
    "source_url",
    "operating_status",
    "original_language",
];

pub async fn run(args: ImportArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    if args.batch == 0 {
        bail!("--batch must be at least 1");
    }
    let csv = match args.format {
        Format::Csv => Some(csv_options(&args.map, &args.language, &args.status)?),
        Format::Jsonl => None,
    };
    let store = config.open_store().await?;
    let known = store.organisation_ids().await?;
    let path = args.file.as_path();

    // Pass 1: read and validate everything, write nothing.
    let file_orgs = collect_org_ids(path, args.format)?;
    let orgs: HashSet<String> = known.union(&file_orgs).cloned().collect();
    let scan = scan(path, args.format, csv.as_ref(), &orgs, &mut |_, _| Ok(()))?;
    report_lines("not readable", &scan.rejected);
    if args.strict && !scan.rejected.is_empty() {
        bail!("{} row(s) are not valid; nothing was imported (--strict)", scan.rejected.len());
    }
    let total = scan.cases;
    println!(
        "read {} rows from {}: {} cases and {} organisations valid, {} not readable",
        scan.rows,
        path.display(),
        scan.cases,
        scan.organisations,
        scan.rejected.len()
    );

    // Pass 2: write in batches.
    let summary = write(&store, path, args.format, csv.as_ref(), &orgs, args.batch, total).await?;
    report_lines("skipped", &summary.skipped);
    println!(
        "imported {} cases and {} organisations; {} already present; {} rows not readable",
        summary.cases,
        summary.organisations,
        summary.skipped.len(),
        scan.rejected.len()
    );
    // A bulk load changes the tables' shape: let the planner see it.
    store.optimize().await?;
    store.close().await;
    Ok(())
}

/// Prints the first problems of a kind on standard error, then a count of the rest.
fn report_lines(what: &str, lines: &[(usize, String)]) {
    const SHOWN: usize = 20;
    for (line, reason) in lines.iter().take(SHOWN) {
        eprintln!("line {line}: {what}: {reason}");
    }
    if lines.len() > SHOWN {
        eprintln!("… and {} more {what}", lines.len() - SHOWN);
    }
}

/// Builds CSV options from `--map`, `--language` and `--status`.
pub fn csv_options(map: &[String], language: &str, status: &str) -> Result<CsvOptions> {
    let mut fields = BTreeMap::new();
    for m in map {
        let (field, column) = m.split_once('=').ok_or_else(|| anyhow!("--map takes FIELD=COLUMN, not '{m}'"))?;
        let field = field.trim();
        if !CSV_FIELDS.contains(&field) {
            bail!("--map: '{field}' is not a case field a CSV column can fill ({})", CSV_FIELDS.join(", "));
        }
        fields.insert(field.to_owned(), column.trim().to_owned());
    }
    if !lumbung_core::vocab::contains(lumbung_core::vocab::LANGUAGES, language) {
        bail!("--language: '{language}' is not a known language code");
    }
    let status = Status::parse(status)
        .filter(|s| matches!(s, Status::Draft | Status::Submitted | Status::Published))
        .ok_or_else(|| anyhow!("--status is draft, submitted or published, not '{status}'"))?;
    Ok(CsvOptions { map: fields, language: language.to_owned(), status })
}

/// Summary of the write pass.
#[derive(Debug, Default)]
pub struct WriteSummary {
    pub cases: usize,
    pub organisations: usize,
    pub skipped: Vec<(usize, String)>,
}

async fn write(
    store: &Store,
    path: &Path,
    format: Format,
    csv: Option<&CsvOptions>,
    orgs: &HashSet<String>,
    batch_size: usize,
    total: usize,
) -> Result<WriteSummary> {
    // Reading and parsing run on a blocking thread, writing here: the two
    // overlap, and only a few batches are ever held in memory.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(usize, Record)>(batch_size * 2);
    let reader = {
        let (path, csv, orgs) = (path.to_path_buf(), csv.cloned(), orgs.clone());
        tokio::task::spawn_blocking(move || {
            scan(&path, format, csv.as_ref(), &orgs, &mut |line, record| {
                tx.blocking_send((line, record)).map_err(|_| anyhow!("the writer stopped"))
            })
        })
    };
    let mut summary = WriteSummary::default();
    let mut pending_orgs: Vec<(usize, Organisation)> = Vec::new();
    let progress = progress_bar(total as u64);
    let mode = if format == Format::Csv { ImportMode::BySourceUrl } else { ImportMode::ById };
    let mut committed = 0usize;
    let mut batch: Vec<Case> = Vec::with_capacity(batch_size);
    let mut lines: Vec<usize> = Vec::with_capacity(batch_size);
    loop {
        let next = rx.recv().await;
        let done = next.is_none();
        match next {
            Some((line, Record::Organisation(o))) => pending_orgs.push((line, *o)),
            Some((line, Record::Case(c))) => {
                write_organisations(store, &mut pending_orgs, &mut summary).await?;
                batch.push(*c);
                lines.push(line);
            }
            None => write_organisations(store, &mut pending_orgs, &mut summary).await?,
        }
        if batch.len() >= batch_size || (done && !batch.is_empty()) {
            let outcome = store.import_cases(&batch, mode, None).await?;
            committed += batch.len();
            summary.cases += outcome.inserted;
            for (i, reason) in outcome.skipped {
                summary.skipped.push((lines.get(i).copied().unwrap_or(0), reason));
            }
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "committed {committed}/{total}");
            let _ = stdout.flush();
            progress.set_position(committed as u64);
            batch.clear();
            lines.clear();
        }
        if done {
            break;
        }
    }
    progress.finish_and_clear();
    reader.await.map_err(|e| anyhow!("the reader failed: {e}"))??;
    Ok(summary)
}

/// Writes buffered organisations, parents before children.
async fn write_organisations(
    store: &Store,
    pending: &mut Vec<(usize, Organisation)>,
    summary: &mut WriteSummary,
) -> Result<()> {
    while !pending.is_empty() {
        let existing = store.organisation_ids().await?;
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(pending)
            .into_iter()
            .partition(|(_, o)| o.content.parent.as_ref().is_none_or(|p| existing.contains(p)));
        if ready.is_empty() {
            for (line, o) in waiting {
                summary.skipped.push((line, format!("organisation {}: its parent is not stored", o.id)));
            }
            return Ok(());
        }
        for (line, org) in ready {
            match store.create_organisation(&org, None).await {
                Ok(()) => summary.organisations += 1,
                Err(lumbung_store::StoreError::Duplicate(reason)) => summary.skipped.push((line, reason)),
                Err(e) => return Err(e).with_context(|| format!("line {line}")),
            }
        }
        *pending = waiting;
    }
    Ok(())
}

/// A progress bar on standard error (hidden when it is not a terminal).
pub fn progress_bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}") {
        bar.set_style(style);
    }
    bar
}

/// The ids of organisations defined in a JSON Lines file.
fn collect_org_ids(path: &Path, format: Format) -> Result<HashSet<String>> {
    if format != Format::Jsonl {
        return Ok(HashSet::new());
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    org_ids_in(&mut BufReader::with_capacity(1 << 20, file))
}

/// The ids of organisations defined in JSON Lines, so that references to
/// them validate whatever order the lines come in. Lines that do not parse
/// are left for the validating pass to report.
pub fn org_ids_in(reader: &mut dyn BufRead) -> Result<HashSet<String>> {
    let mut ids = HashSet::new();
    for_each_line_in(reader, &mut |_, line| {
        if line.contains("\"organisation\"") {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if v.get("kind").and_then(|k| k.as_str()) == Some("organisation") {
                    if let Some(id) = v.get("id").and_then(|i| i.as_str()) {
                        ids.insert(id.to_owned());
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(ids)
}

/// Reads the whole file, calling `sink` with every valid record. Returns a
/// `FileError` (as anyhow) when the file itself is not valid.
pub fn scan(
    path: &Path,
    format: Format,
    csv: Option<&CsvOptions>,
    orgs: &HashSet<String>,
    sink: &mut dyn FnMut(usize, Record) -> Result<()>,
) -> Result<Scan> {
    match (format, csv) {
        (Format::Jsonl, _) => scan_jsonl(path, orgs, sink),
        (Format::Csv, Some(options)) => scan_csv(path, options, orgs, sink),
        (Format::Csv, None) => bail!("CSV import needs column options"),
    }
}

fn for_each_line_in(reader: &mut dyn BufRead, f: &mut dyn FnMut(usize, &str) -> Result<()>) -> Result<()> {
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        let text = std::str::from_utf8(&buf).map_err(|e| FileError {
            line: line_no,
            reason: format!("not valid UTF-8 (byte {} of the line); nothing was imported", e.valid_up_to() + 1),
        })?;
        f(line_no, text.trim_end_matches(['\n', '\r']))?;
    }
}

/// A case line of the native format; node fields are optional so that
/// hand-written files (such as the demo content) can leave them out.
#[derive(Debug, Deserialize)]
struct CaseLine {
    id: Option<String>,
    #[serde(flatten)]
    content: CaseContent,
    status: Option<Status>,
    created_by: Option<String>,
    owner_organisation: Option<String>,
    origin: Option<Origin>,
    version: Option<i64>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    created_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    updated_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    published_at: Option<OffsetDateTime>,
}

#[derive(Debug, Deserialize)]
struct OrganisationLine {
    id: String,
    #[serde(flatten)]
    content: OrganisationContent,
    version: Option<i64>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    created_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    updated_at: Option<OffsetDateTime>,
}

const ORG_FIELDS: [&str; 11] = [
    "kind",
    "id",
    "name",
    "acronym",
    "org_type",
    "level_of_government",
    "country",
    "parent",
    "website",
    "version",
    "created_at",
];

fn scan_jsonl(path: &Path, orgs: &HashSet<String>, sink: &mut dyn FnMut(usize, Record) -> Result<()>) -> Result<Scan> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    scan_jsonl_in(&mut BufReader::with_capacity(1 << 20, file), orgs, sink)
}

/// Reads JSON Lines from any reader (the demo content is embedded in the binary).
pub fn scan_jsonl_in(
    reader: &mut dyn BufRead,
    orgs: &HashSet<String>,
    sink: &mut dyn FnMut(usize, Record) -> Result<()>,
) -> Result<Scan> {
    let mut scan = Scan::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut generator = ulid::Generator::new();
    for_each_line_in(reader, &mut |line, text| {
        if text.trim().is_empty() {
            return Ok(());
        }
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| FileError { line, reason: format!("not JSON ({e}); nothing was imported") })?;
        let serde_json::Value::Object(map) = value else {
            return Err(FileError { line, reason: "not a JSON object; nothing was imported".into() }.into());
        };
        scan.rows += 1;
        let kind = map.get("kind").and_then(|k| k.as_str()).unwrap_or("case").to_owned();
        let record = match kind.as_str() {
            "case" => case_from_json(map, orgs, &mut generator).map(|c| Record::Case(Box::new(c))),
            "organisation" => organisation_from_json(map, orgs).map(|o| Record::Organisation(Box::new(o))),
            other => Err(format!("unknown kind '{other}' (case or organisation)")),
        };
        let record = record.and_then(|r| {
            let key = match &r {
                Record::Case(c) => format!("case {}", c.id),
                Record::Organisation(o) => format!("organisation {}", o.id),
            };
            if seen.insert(key.clone()) { Ok(r) } else { Err(format!("{key} appears twice in the file")) }
        });
        match record {
            Ok(r) => {
                match &r {
                    Record::Case(_) => scan.cases += 1,
                    Record::Organisation(_) => scan.organisations += 1,
                }
                sink(line, r)
            }
            Err(reason) => {
                scan.rejected.push((line, reason));
                Ok(())
            }
        }
    })?;
    Ok(scan)
}

fn unknown_keys(map: &serde_json::Map<String, serde_json::Value>, allowed: &[&str]) -> Result<(), String> {
    let unknown: Vec<&str> = map.keys().map(String::as_str).filter(|k| !allowed.contains(k)).collect();
    if unknown.is_empty() { Ok(()) } else { Err(format!("unknown field(s): {}", unknown.join(", "))) }
}

fn case_from_json(
    map: serde_json::Map<String, serde_json::Value>,
    orgs: &HashSet<String>,
    generator: &mut ulid::Generator,
) -> Result<Case, String> {
    let allowed: Vec<&str> =
        CaseContent::FIELDS.iter().chain(Case::NODE_FIELDS.iter()).copied().chain(["kind"]).collect();
    unknown_keys(&map, &allowed)?;
    let line: CaseLine = serde_path_to_error::deserialize(serde_json::Value::Object(map))
        .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
    let content = line.content.normalised();
    validate::validate_case(&content, &|o| orgs.contains(o)).map_err(|e| e.to_string())?;
    let id = match line.id {
        Some(id) => {
            ulid::Ulid::from_string(&id).map_err(|_| format!("id: '{id}' is not a ULID"))?;
            id
        }
        None => generator.generate().map_err(|e| e.to_string())?.to_string(),
    };
    let version = line.version.unwrap_or(1);
    if version < 1 {
        return Err("version: must be at least 1".into());
    }
    let now = lumbung_core::clock::now();
    let status = line.status.unwrap_or(Status::Draft);
    let created_at = line.created_at.unwrap_or(now);
    let updated_at = line.updated_at.unwrap_or(created_at);
    let published_at = line.published_at.or((status == Status::Published).then_some(updated_at));
    if updated_at < created_at {
        return Err("updated_at: earlier than created_at".into());
    }
    let mut case = Case {
        id,
        content,
        status,
        completeness: 0,
        missing: Vec::new(),
        created_by: line.created_by,
        owner_organisation: line.owner_organisation,
        origin: line.origin,
        version,
        created_at,
        updated_at,
        published_at,
    };
    case.refresh_derived();
    Ok(case)
}

fn organisation_from_json(
    map: serde_json::Map<String, serde_json::Value>,
    orgs: &HashSet<String>,
) -> Result<Organisation, String> {
    unknown_keys(&map, &[&ORG_FIELDS[..], &["updated_at"]].concat())?;
    let line: OrganisationLine = serde_path_to_error::deserialize(serde_json::Value::Object(map))
        .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
    let mut content = line.content;
    content.name = content.name.normalised();
    content.country = content.country.map(|c| c.trim().to_ascii_uppercase());
    validate::validate_organisation(&line.id, &content, &|o| orgs.contains(o)).map_err(|e| e.to_string())?;
    let now = lumbung_core::clock::now();
    let created_at = line.created_at.unwrap_or(now);
    Ok(Organisation {
        id: line.id,
        content,
        version: line.version.unwrap_or(1).max(1),
        created_at,
        updated_at: line.updated_at.unwrap_or(created_at),
    })
}

fn scan_csv(
    path: &Path,
    options: &CsvOptions,
    orgs: &HashSet<String>,
    sink: &mut dyn FnMut(usize, Record) -> Result<()>,
) -> Result<Scan> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(BufReader::with_capacity(1 << 20, file));
    let headers = reader
        .headers()
        .map_err(|e| FileError { line: 1, reason: format!("cannot read the header row: {e}; nothing was imported") })?
        .clone();
    let columns: Vec<String> = headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_owned()).collect();
    let mapping = resolve_mapping(&columns, &options.map)?;
    let mut scan = Scan::default();
    let mut generator = ulid::Generator::new();
    let now = lumbung_core::clock::now();
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        return Err(FileError { line, reason: "not valid UTF-8; nothing was imported".into() }.into());
                    }
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        scan.rows += 1;
                        scan.rejected.push((line, format!("{len} fields where the header has {expected_len}")));
                        continue;
                    }
                    _ => return Err(FileError { line, reason: format!("{e}; nothing was imported") }.into()),
                }
            }
        };
        scan.rows += 1;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        match case_from_csv(&record, &mapping, options, orgs) {
            Ok(content) => {
                let id = generator.generate().map_err(|e| anyhow!("{e}"))?.to_string();
                let case = Case::new(id, content, options.status, None, now);
                scan.cases += 1;
                sink(line, Record::Case(Box::new(case)))?;
            }
            Err(reason) => scan.rejected.push((line, reason)),
        }
    }
    Ok(scan)
}

/// field → column index: exact header names, the Participedia aliases, then `--map`.
fn resolve_mapping(columns: &[String], map: &BTreeMap<String, String>) -> Result<Vec<(String, usize)>> {
    let mut wanted: BTreeMap<String, String> = BTreeMap::new();
    for field in CSV_FIELDS {
        if columns.iter().any(|c| c == field) {
            wanted.insert(field.to_owned(), field.to_owned());
        }
    }
    for (field, column) in [("summary", "description"), ("source_url", "url")] {
        if !wanted.contains_key(field) && columns.iter().any(|c| c == column) {
            wanted.insert(field.to_owned(), column.to_owned());
        }
    }
    for (field, column) in map {
        wanted.insert(field.clone(), column.clone());
    }
    let mut resolved = Vec::new();
    for (field, column) in wanted {
        let index = columns.iter().position(|c| *c == column).ok_or_else(|| FileError {
            line: 1,
            reason: format!("no column '{column}' for {field} (columns: {}); nothing was imported", columns.join(", ")),
        })?;
        resolved.push((field, index));
    }
    if !resolved.iter().any(|(f, _)| f == "title") {
        return Err(FileError {
            line: 1,
            reason: format!(
                "missing required column 'title' (columns: {}; map one with --map title=COLUMN); nothing was imported",
                columns.join(", ")
            ),
        }
        .into());
    }
    Ok(resolved)
}

fn case_from_csv(
    record: &csv::StringRecord,
    mapping: &[(String, usize)],
    options: &CsvOptions,
    orgs: &HashSet<String>,
) -> Result<CaseContent, String> {
    let lang = options.language.as_str();
    let mut c = CaseContent { original_language: lang.to_owned(), ..Default::default() };
    let list = |s: &str| -> Vec<String> {
        s.split([';', '|']).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
    };
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
    for (field, index) in mapping {
        let value = record.get(*index).unwrap_or("");
        match field.as_str() {
            "title" => c.title = Text::new(lang, value),
            "summary" => c.summary = Text::new(lang, value),
            "country" => c.country = opt(value),
            "region" => c.region = opt(value),
            "city" => c.city = opt(value),
            "level_of_government" => c.level_of_government = opt(value),
            "organisations" => c.organisations = list(value),
            "sectors" => c.sectors = list(value),
            "innovation_facets" => c.innovation_facets = list(value),
            "lifecycle_stage" => c.lifecycle_stage = opt(value),
            "tags" => c.tags = list(value),
            "website" => c.website = opt(value),
            "source_url" => c.source_url = opt(value),
            "operating_status" => c.operating_status = opt(value),
            "original_language" => {
                if let Some(l) = opt(value) {
                    c.original_language = l;
                }
            }
            "year_launched" => {
                c.year_launched = match opt(value) {
                    None => None,
                    Some(v) => Some(v.parse().map_err(|_| format!("year_launched: '{v}' is not a year"))?),
                }
            }
            "sdgs" => {
                c.sdgs = list(value)
                    .iter()
                    .map(|v| v.parse::<u32>().map_err(|_| format!("sdgs: '{v}' is not a number")))
                    .collect::<Result<_, _>>()?
            }
            _ => {}
        }
    }
    if c.original_language != lang {
        // Text columns are in --language; the record says otherwise.
        c.title = Text::new(&c.original_language, c.title.get(lang).unwrap_or(""));
        c.summary = Text::new(&c.original_language, c.summary.get(lang).unwrap_or(""));
    }
    let c = c.normalised();
    validate::validate_case(&c, &|o| orgs.contains(o)).map_err(|e| e.to_string())?;
    Ok(c)
}
