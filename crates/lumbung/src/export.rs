//! `lumbung export`: JSON Lines (native, lossless: organisations, then cases
//! by id) or CSV (one row a case, for spreadsheets). Only published cases,
//! without private fields, unless `--include-unpublished` asks for a full copy.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result};
use lumbung_core::{Case, Status};
use lumbung_store::Store;
use serde_json::Value;

use crate::cli::{ExportArgs, Format, load_config};

pub async fn run(args: ExportArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let store = config.open_store().await?;
    let out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let count = export(&store, args.format, args.include_unpublished, &mut out).await?;
    out.flush()?;
    eprintln!("exported {count} cases");
    Ok(())
}

/// Writes the export and returns how many cases it holds.
pub async fn export(store: &Store, format: Format, include_unpublished: bool, out: &mut dyn Write) -> Result<usize> {
    let mut csv_writer = None;
    match format {
        Format::Jsonl => {
            for org in store.list_organisations().await? {
                let mut v = serde_json::to_value(&org)?;
                tag(&mut v, "organisation");
                serde_json::to_writer(&mut *out, &v)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(CSV_HEADER)?;
            out.write_all(&w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
            csv_writer = Some(());
        }
    }
    let mut after: Option<String> = None;
    let mut count = 0;
    loop {
        let page = store.cases_after(after.as_deref(), 1000).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for mut case in page {
            if !include_unpublished {
                if case.status != Status::Published {
                    continue;
                }
                case.created_by = None;
            }
            count += 1;
            if csv_writer.is_some() {
                let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
                w.write_record(csv_row(&case))?;
                out.write_all(&w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
            } else {
                let mut v = serde_json::to_value(&case)?;
                tag(&mut v, "case");
                serde_json::to_writer(&mut *out, &v)?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(count)
}

/// Puts `"kind"` first in a record's JSON object.
fn tag(v: &mut Value, kind: &str) {
    if let Value::Object(map) = v {
        let mut tagged = serde_json::Map::new();
        tagged.insert("kind".into(), Value::String(kind.into()));
        tagged.append(map);
        *map = tagged;
    }
}

const CSV_HEADER: [&str; 27] = [
    "id",
    "status",
    "original_language",
    "title_en",
    "title_id",
    "summary_en",
    "summary_id",
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
    "digital",
    "year_launched",
    "website",
    "operating_status",
    "completeness",
    "source_url",
    "version",
    "created_at",
    "updated_at",
    "published_at",
];

fn csv_row(c: &Case) -> Vec<String> {
    let k = &c.content;
    let ts = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let text = |t: &lumbung_core::Text, l: &str| t.get(l).unwrap_or("").to_owned();
    vec![
        c.id.clone(),
        c.status.to_string(),
        k.original_language.clone(),
        text(&k.title, "en"),
        text(&k.title, "id"),
        text(&k.summary, "en"),
        text(&k.summary, "id"),
        k.country.clone().unwrap_or_default(),
        k.region.clone().unwrap_or_default(),
        k.city.clone().unwrap_or_default(),
        k.level_of_government.clone().unwrap_or_default(),
        k.organisations.join(";"),
        k.sectors.join(";"),
        k.innovation_facets.join(";"),
        k.lifecycle_stage.clone().unwrap_or_default(),
        k.sdgs.iter().map(u32::to_string).collect::<Vec<_>>().join(";"),
        k.tags.join(";"),
        k.digital.map(|d| d.to_string()).unwrap_or_default(),
        k.year_launched.map(|y| y.to_string()).unwrap_or_default(),
        k.website.clone().unwrap_or_default(),
        k.operating_status.clone().unwrap_or_default(),
        c.completeness.to_string(),
        k.source_url.clone().unwrap_or_default(),
        c.version.to_string(),
        ts(c.created_at),
        ts(c.updated_at),
        c.published_at.map(ts).unwrap_or_default(),
    ]
}
