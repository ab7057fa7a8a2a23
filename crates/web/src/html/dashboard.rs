//! The public dashboard: published cases counted by country, sector, year
//! launched, lifecycle stage and level of government. Each chart is an SVG
//! drawn on the server with `plotters` (presentation attributes only, no
//! `style`, so the strict CSP holds), with the numbers as a table beside it
//! and as a CSV download. The counts are the search engine's facet counts,
//! which only ever cover published cases.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lumbung_core::vocab::{self, Term};
use lumbung_search::{SearchRequest, SearchResponse, Sort};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::pages::askama_escape;
use super::{Chrome, Ctx, PageError, Tr, render, urlencode};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(dashboard).layer(map_response(crate::cache::mark)))
        .route("/dashboard/{file}", get(csv))
}

/// The charts, by search facet name, in page order.
pub const CHARTS: [&str; 5] = ["country", "sector", "year", "stage", "level"];

/// Bars drawn at most per chart (the rest are summed into "Other"); the
/// table and the CSV keep every value.
const MAX_BARS: usize = 15;

fn chart_terms(chart: &str) -> Option<&'static [Term]> {
    match chart {
        "country" => Some(vocab::COUNTRIES),
        "sector" => Some(vocab::SECTORS),
        "stage" => Some(vocab::LIFECYCLE_STAGES),
        "level" => Some(vocab::LEVELS_OF_GOVERNMENT),
        _ => None,
    }
}

/// One value of a chart.
pub struct Row {
    pub code: String,
    pub label: String,
    pub count: u64,
}

/// A chart's values in the reader's language: years in order, everything
/// else by count (as the search engine gives them).
fn chart_rows(tr: Tr, chart: &str, res: &SearchResponse) -> Vec<Row> {
    let mut rows: Vec<Row> = res
        .facets
        .get(chart)
        .map(|values| {
            values
                .iter()
                .map(|(code, count)| Row {
                    label: match chart_terms(chart) {
                        Some(terms) => tr.term(terms, code),
                        None => code.clone(),
                    },
                    code: code.clone(),
                    count: *count,
                })
                .collect()
        })
        .unwrap_or_default();
    if chart == "year" {
        rows.sort_by(|a, b| a.code.cmp(&b.code));
    }
    rows
}

/// Facet counts over every published case.
async fn published_counts(ctx: &Ctx) -> Result<SearchResponse, PageError> {
    let req = SearchRequest { lang: ctx.lang().code().to_owned(), limit: 1, sort: Sort::Newest, ..Default::default() };
    super::pages::run_search(ctx, req).await
}

// ---------------------------------------------------------------------------
// Drawing

const WIDTH: u32 = 720;
const LABEL_WIDTH: i32 = 250;
const ROW_HEIGHT: i32 = 26;
const PAD: i32 = 8;
const MAX_LABEL_CHARS: usize = 34;
const FONT_SIZE: f64 = 16.0;
const BAR: RGBColor = RGBColor(0x0b, 0x5c, 0x4a);
const INK: RGBColor = RGBColor(0x1b, 0x1f, 0x24);

fn short_label(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The bars to draw: at most [`MAX_BARS`], the smallest values summed into "Other".
fn bars(tr: Tr, chart: &str, rows: &[Row]) -> Vec<(String, u64)> {
    if chart == "year" || rows.len() <= MAX_BARS {
        return rows.iter().map(|r| (r.label.clone(), r.count)).collect();
    }
    let mut out: Vec<(String, u64)> = rows.iter().take(MAX_BARS - 1).map(|r| (r.label.clone(), r.count)).collect();
    let rest: u64 = rows.iter().skip(MAX_BARS - 1).map(|r| r.count).sum();
    out.push((tr.t("dashboard-other"), rest));
    out
}

/// A horizontal bar chart as an SVG element for inlining: `role="img"`, a
/// `<title>` naming it, labels as `<text>`, colours as presentation attributes.
fn bar_chart(id: &str, title: &str, summary: &str, bars: &[(String, u64)]) -> Option<String> {
    let count = i32::try_from(bars.len()).ok()?;
    let height = u32::try_from(PAD * 2 + count * ROW_HEIGHT).ok()?;
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let bar_room = f64::from(i32::try_from(WIDTH).ok()? - LABEL_WIDTH - 70);
    let label_style =
        TextStyle::from(("sans-serif", FONT_SIZE).into_font()).color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
    let value_style =
        TextStyle::from(("sans-serif", FONT_SIZE).into_font()).color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        for (i, (label, n)) in (0i32..).zip(bars) {
            let top = PAD + i * ROW_HEIGHT;
            let middle = top + ROW_HEIGHT / 2;
            let length = ((bar_room * *n as f64 / max as f64).round() as i32).max(2);
            let x0 = LABEL_WIDTH + 8;
            root.draw(&Text::new(short_label(label), (LABEL_WIDTH, middle), &label_style)).ok()?;
            root.draw(&Rectangle::new([(x0, top + 4), (x0 + length, top + ROW_HEIGHT - 4)], BAR.filled())).ok()?;
            root.draw(&Text::new(n.to_string(), (x0 + length + 6, middle), &value_style)).ok()?;
        }
        root.present().ok()?;
    }
    let title_id = format!("chart-{id}-svg-title");
    let open = format!(r#"<svg role="img" aria-labelledby="{title_id}" focusable="false" "#,);
    // plotters writes the font size as size / 1.24 with every digit; round it.
    let svg =
        svg.replacen("<svg ", &open, 1).replace(&format!("font-size=\"{}\"", FONT_SIZE / 1.24), "font-size=\"13\"");
    let end_of_open = svg.find('>')?;
    let (head, tail) = svg.split_at(end_of_open + 1);
    Some(format!(
        "{head}\n<title id=\"{title_id}\">{}</title>{tail}",
        askama_escape(if summary.is_empty() { title } else { summary })
    ))
}

// ---------------------------------------------------------------------------
// The page

pub struct ChartView {
    pub name: &'static str,
    pub title: String,
    pub label: String,
    pub svg: String,
    pub rows: Vec<Row>,
    pub csv_href: String,
}

impl ChartView {
    /// The search page filtered to one value of this chart.
    pub fn search_href(&self, code: &str) -> String {
        format!("/search?{}={}", self.name, urlencode(code))
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    total: i64,
    charts: Vec<ChartView>,
}

async fn dashboard(ctx: Ctx) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let res = published_counts(&ctx).await?;
    let charts = CHARTS
        .iter()
        .map(|name| {
            let rows = chart_rows(tr, name, &res);
            let title = tr.t(&format!("dashboard-chart-{name}"));
            let summary = rows
                .iter()
                .max_by(|a, b| a.count.cmp(&b.count).then_with(|| b.code.cmp(&a.code)))
                .map(|top| {
                    tr.targs(
                        "dashboard-chart-summary",
                        &[("title", &title), ("top", &top.label), ("count", &top.count.to_string())],
                    )
                })
                .unwrap_or_default();
            let svg = if rows.is_empty() {
                String::new()
            } else {
                bar_chart(name, &title, &summary, &bars(tr, name, &rows)).unwrap_or_default()
            };
            ChartView {
                name,
                label: tr.t(&format!("facet-{name}")),
                csv_href: format!("/dashboard/{name}.csv"),
                title,
                svg,
                rows,
            }
        })
        .collect();
    render(&DashboardPage { c: ctx.chrome, total: res.total as i64, charts })
}

// ---------------------------------------------------------------------------
// CSV

/// One CSV field, quoted when it needs to be (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

/// `GET /dashboard/{chart}.csv`: a chart's numbers, labels in the reader's language.
async fn csv(ctx: Ctx, Path(file): Path<String>) -> Result<Response, PageError> {
    let Some(chart) = file.strip_suffix(".csv").and_then(|c| CHARTS.iter().find(|n| **n == c)) else {
        return Err(ctx.error(StatusCode::NOT_FOUND));
    };
    let tr = ctx.tr();
    let res = published_counts(&ctx).await?;
    let mut body = [tr.t("dashboard-code"), tr.t(&format!("facet-{chart}")), tr.t("dashboard-cases")]
        .iter()
        .map(|h| csv_field(h))
        .collect::<Vec<_>>()
        .join(",");
    body.push_str("\r\n");
    for row in chart_rows(tr, chart, &res) {
        body.push_str(&format!("{},{},{}\r\n", csv_field(&row.code), csv_field(&row.label), row.count));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"lumbung-cases-by-{chart}.csv\"")),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        body,
    )
        .into_response())
}
