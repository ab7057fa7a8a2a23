//! `/dashboard/diffusion`: the most replicated innovations and the flows of
//! replication between countries and between levels of government (from
//! published adopters' links), each as a table with a CSV download, as the
//! dashboard's charts are.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lumbung_core::{Status, vocab};
use lumbung_store::Flow;

use super::{Chrome, Ctx, PageError, Tr, render};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard/diffusion", get(page)).route("/dashboard/diffusion/{file}", get(csv))
}

/// Links read at most.
const MAX_LINKS: i64 = 50_000;
/// Rows shown per table (the CSV keeps every row).
const SHOWN: usize = 20;

/// The tables, by file name.
const TABLES: [&str; 3] = ["most-replicated", "country-flows", "level-flows"];

/// One row: (link to, label, count) — for flows, label is "from → to".
pub struct Row {
    pub href: Option<String>,
    pub label: String,
    pub count: u64,
}

pub struct Table {
    pub name: &'static str,
    pub title: String,
    pub rows: Vec<Row>,
}

fn unknown(tr: Tr) -> String {
    tr.t("diffusion-unknown-country")
}

async fn tables(ctx: &Ctx) -> Result<Vec<Table>, PageError> {
    let tr = ctx.tr();
    let lang = ctx.lang().code();
    let store = ctx.state.store();
    let flows: Vec<Flow> = store.flows(MAX_LINKS).await.map_err(|e| ctx.fail(e))?;
    let mut by_source: BTreeMap<String, (Option<String>, Option<String>, u64)> = BTreeMap::new();
    let mut countries: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut levels: BTreeMap<(String, String), u64> = BTreeMap::new();
    for f in &flows {
        let e = by_source.entry(f.target_identifier.clone()).or_insert((
            f.target_case_id.clone(),
            f.target_title.clone(),
            0,
        ));
        e.2 += 1;
        let country =
            |c: &Option<String>| c.as_deref().map(|c| tr.term(vocab::COUNTRIES, c)).unwrap_or_else(|| unknown(tr));
        *countries.entry((country(&f.from_country), country(&f.to_country))).or_default() += 1;
        let level = |l: &Option<String>| {
            l.as_deref().map(|l| tr.term(vocab::LEVELS_OF_GOVERNMENT, l)).unwrap_or_else(|| unknown(tr))
        };
        *levels.entry((level(&f.from_level), level(&f.to_level))).or_default() += 1;
    }
    let mut replicated = Vec::new();
    for (identifier, (case_id, title, count)) in by_source {
        // A source on this node is named (and linked) only when published.
        let local = match &case_id {
            Some(id) => store.get_case(id).await.map_err(|e| ctx.fail(e))?.filter(|c| c.status == Status::Published),
            None => None,
        };
        let (href, label) = match local {
            Some(c) => (
                Some(format!("/cases/{}", c.id)),
                c.content.title.best(lang, &c.content.original_language).unwrap_or(&c.id).to_owned(),
            ),
            None => (None, title.unwrap_or(identifier)),
        };
        replicated.push(Row { href, label, count });
    }
    replicated.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    let flow_rows = |m: BTreeMap<(String, String), u64>| {
        let mut rows: Vec<Row> = m
            .into_iter()
            .map(|((from, to), count)| Row { href: None, label: format!("{from} → {to}"), count })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        rows
    };
    Ok(vec![
        Table { name: TABLES[0], title: tr.t("dashboard-most-replicated"), rows: replicated },
        Table { name: TABLES[1], title: tr.t("dashboard-country-flows"), rows: flow_rows(countries) },
        Table { name: TABLES[2], title: tr.t("dashboard-level-flows"), rows: flow_rows(levels) },
    ])
}

#[derive(Template)]
#[template(path = "dashboard_diffusion.html")]
struct DiffusionDashboard {
    c: Chrome,
    tables: Vec<Table>,
    shown: usize,
}

async fn page(ctx: Ctx) -> Result<Response, PageError> {
    let tables = tables(&ctx).await?;
    render(&DiffusionDashboard { c: ctx.chrome, tables, shown: SHOWN })
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `GET /dashboard/diffusion/{table}.csv`: every row of one table.
async fn csv(ctx: Ctx, Path(file): Path<String>) -> Result<Response, PageError> {
    let Some(name) = file.strip_suffix(".csv").and_then(|n| TABLES.iter().find(|t| **t == n)) else {
        return Err(ctx.error(StatusCode::NOT_FOUND));
    };
    let tr = ctx.tr();
    let table =
        tables(&ctx).await?.into_iter().find(|t| t.name == *name).ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    let mut body = format!("{},{}\r\n", csv_field(&table.title), csv_field(&tr.t("dashboard-cases")));
    for r in &table.rows {
        body.push_str(&format!("{},{}\r\n", csv_field(&r.label), r.count));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"lumbung-{name}.csv\"")),
        ],
        body,
    )
        .into_response())
}
