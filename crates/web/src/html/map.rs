//! `/map`: published cases by country on two server-drawn SVG maps — the
//! world for context, and Southeast Asia — each country shaded by its count
//! and linked to the search filtered to it, with the same numbers in a table;
//! replication between countries (issue #12) as arcs from the source's
//! country to the adopter's, thicker for more links, with their own table.
//! No map script, no tiles, no inline styles (shades are CSS classes).
//!
//! The outlines come from `data/map.json`, made once by
//! `tools/map/generate.mjs` from Natural Earth (public domain) through the
//! npm package world-atlas: projected, simplified, about 320 KB.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;

use askama::Template;
use axum::Router;
use axum::middleware::map_response;
use axum::response::Response;
use axum::routing::get;
use lumbung_core::vocab;
use lumbung_search::{SearchRequest, Sort};
use serde::Deserialize;

use super::{Chrome, Ctx, PageError, Tr, escape_html, render, urlencode};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/map", get(map_page).layer(map_response(crate::cache::mark)))
}

#[derive(Debug, Deserialize)]
struct MapData {
    views: BTreeMap<String, View>,
}

#[derive(Debug, Deserialize)]
struct View {
    width: u32,
    height: u32,
    countries: Vec<Outline>,
}

#[derive(Debug, Deserialize)]
struct Outline {
    code: String,
    d: String,
    /// The projected centroid, where arcs start and end.
    #[serde(default)]
    cx: f64,
    #[serde(default)]
    cy: f64,
}

/// Replication links from one country's cases to another's.
pub struct FlowRow {
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    pub count: u64,
}

/// The most links read for the arcs (as the diffusion dashboard reads).
const MAX_LINKS: i64 = 10_000;

fn data() -> Option<&'static MapData> {
    static DATA: OnceLock<Option<MapData>> = OnceLock::new();
    DATA.get_or_init(|| serde_json::from_str(include_str!("../../data/map.json")).ok()).as_ref()
}

/// The shade of a count: 0 for none, then 1–5 on a doubling scale relative to
/// the largest count, so a node with ten cases and one with ten thousand both
/// use every shade.
pub fn shade(count: u64, max: u64) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    // Fifths of the way from 1 to max, on a log scale.
    let ratio = ((count as f64).ln() / (max as f64).ln().max(f64::EPSILON)).clamp(0.0, 1.0);
    if max == 1 { 5 } else { 1 + (ratio * 4.0).round() as u8 }
}

/// One country of the table.
pub struct CountryRow {
    pub code: String,
    pub name: String,
    pub count: u64,
    pub href: String,
}

/// One drawn map.
pub struct MapView {
    pub id: &'static str,
    pub title: String,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    c: Chrome,
    total: u64,
    maps: Vec<MapView>,
    rows: Vec<CountryRow>,
    flows: Vec<FlowRow>,
    legend: Vec<(u8, String)>,
}

impl MapPage {
    fn total_i64(&self) -> i64 {
        i64::try_from(self.total).unwrap_or(i64::MAX)
    }
}

async fn map_page(ctx: Ctx) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let req = SearchRequest { lang: ctx.lang().code().to_owned(), limit: 1, sort: Sort::Newest, ..Default::default() };
    let res = super::pages::run_search(&ctx, req).await?;
    let counts: BTreeMap<String, u64> = res.facets.get("country").cloned().unwrap_or_default().into_iter().collect();
    let max = counts.values().copied().max().unwrap_or(0);
    let mut rows: Vec<CountryRow> = counts
        .iter()
        .map(|(code, count)| CountryRow {
            code: code.clone(),
            name: tr.term(vocab::COUNTRIES, code),
            count: *count,
            href: format!("/search?country={}", urlencode(code)),
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    let flows = flows(&ctx).await?;
    let mut maps = Vec::new();
    if let Some(data) = data() {
        for (key, id, title) in [
            ("southeast_asia", "map-southeast-asia", tr.t("map-southeast-asia")),
            ("world", "map-world", tr.t("map-world")),
        ] {
            if let Some(view) = data.views.get(key) {
                maps.push(MapView { id, svg: draw(tr, view, id, &title, &counts, max, &flows), title });
            }
        }
    }
    let legend = legend(tr, max);
    render(&MapPage { total: res.total as u64, maps, rows, flows, legend, c: ctx.chrome }).map(crate::cache::cacheable)
}

/// Links of published adopters between two different countries, both
/// known (the source's when it is on this node), most first.
async fn flows(ctx: &Ctx) -> Result<Vec<FlowRow>, PageError> {
    let tr = ctx.tr();
    let all = ctx.state.store().flows(MAX_LINKS).await.map_err(|e| ctx.fail(e))?;
    let mut pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
    for f in all {
        if let (Some(from), Some(to)) = (f.from_country, f.to_country) {
            if from != to && vocab::contains(vocab::COUNTRIES, &from) && vocab::contains(vocab::COUNTRIES, &to) {
                *pairs.entry((from, to)).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<FlowRow> = pairs
        .into_iter()
        .map(|((from, to), count)| FlowRow {
            from_name: tr.term(vocab::COUNTRIES, &from),
            to_name: tr.term(vocab::COUNTRIES, &to),
            from,
            to,
            count,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| (&a.from_name, &a.to_name).cmp(&(&b.from_name, &b.to_name)))
    });
    Ok(rows)
}

/// An arc from one centroid to another, bowed to the left of its direction
/// by a fifth of its length (so A→B and B→A do not overlap).
fn arc(from: (f64, f64), to: (f64, f64)) -> String {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let (mx, my) = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
    let (qx, qy) = (mx + dy * 0.2, my - dx * 0.2);
    format!("M{:.1} {:.1}Q{qx:.1} {qy:.1} {:.1} {:.1}", from.0, from.1, to.0, to.1)
}

/// The legend: each shade with the counts it stands for.
fn legend(tr: Tr, max: u64) -> Vec<(u8, String)> {
    let mut out = vec![(0, tr.t("map-legend-none"))];
    if max == 0 {
        return out;
    }
    let mut from = 1;
    for s in 1..=5u8 {
        let to = (from..=max).take_while(|n| shade(*n, max) == s).last();
        if let Some(to) = to {
            let label = if to == from { from.to_string() } else { format!("{from}–{to}") };
            out.push((s, label));
            from = to + 1;
        }
    }
    out
}

/// One view as two layers of the same size. The picture: `role="img"` with a
/// title, every country a path with a shade class and a `<title>` naming it
/// and its count. Over it, hidden from assistive technology and out of the tab
/// order, the countries with cases as links to their search, for a pointer;
/// keyboards and screen readers have the same links in the table (an image's
/// parts are not controls).
fn draw(
    tr: Tr,
    view: &View,
    id: &str,
    title: &str,
    counts: &BTreeMap<String, u64>,
    max: u64,
    flows: &[FlowRow],
) -> String {
    let (w, h) = (view.width, view.height);
    let mut picture = String::with_capacity(view.countries.iter().map(|c| c.d.len() + 80).sum());
    let mut links = String::new();
    let _ = write!(
        picture,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{t}</title>"#,
        t = escape_html(title),
    );
    let _ = write!(
        links,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="map-links" viewBox="0 0 {w} {h}" aria-hidden="true" focusable="false">"#
    );
    for outline in &view.countries {
        let count = counts.get(&outline.code).copied().unwrap_or(0);
        let name = tr.term(vocab::COUNTRIES, &outline.code);
        let label = escape_html(&format!("{name}: {}", tr.tn("map-cases-count", "count", count as i64)));
        let _ = write!(
            picture,
            r#"<path class="shade-{class}" d="{d}"><title>{label}</title></path>"#,
            class = shade(count, max),
            d = outline.d
        );
        if count > 0 {
            let _ = write!(
                links,
                r#"<a href="/search?country={code}" tabindex="-1"><path d="{d}"><title>{label}</title></path></a>"#,
                code = urlencode(&outline.code),
                d = outline.d,
            );
        }
    }
    // Replication between the countries this view shows, over the shades.
    let centre: BTreeMap<&str, (f64, f64)> = view.countries.iter().map(|o| (o.code.as_str(), (o.cx, o.cy))).collect();
    let most = flows.iter().map(|f| f.count).max().unwrap_or(0);
    // Each flow whose two countries this view shows, with their centroids.
    let drawn: Vec<(&FlowRow, [(f64, f64); 2])> =
        flows.iter().filter_map(|f| Some((f, [*centre.get(f.from.as_str())?, *centre.get(f.to.as_str())?]))).collect();
    if !drawn.is_empty() {
        let _ = write!(
            picture,
            r#"<defs><marker id="{id}-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="3.5" markerHeight="3.5" orient="auto-start-reverse"><path class="arc-head" d="M0 0L10 5L0 10z"/></marker></defs><g class="arcs">"#
        );
        for (f, [from, to]) in drawn {
            let label = tr.t2("map-flow-title", ("from", &f.from_name), ("to", &f.to_name));
            let label = escape_html(&format!("{label}: {}", tr.tn("map-links-count", "count", f.count as i64)));
            let _ = write!(
                picture,
                r#"<path class="arc arc-{w}" d="{d}" marker-end="url(#{id}-head)"><title>{label}</title></path>"#,
                w = shade(f.count, most).max(1),
                d = arc(from, to),
            );
        }
        picture.push_str("</g>");
    }
    picture.push_str("</svg>");
    links.push_str("</svg>");
    format!(r#"<div class="map-stack">{picture}{links}</div>"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_data_loads_and_is_small() {
        let data = data().unwrap_or_else(|| panic!("data/map.json parses"));
        let sea = &data.views["southeast_asia"];
        for code in ["ID", "PH", "MY", "TH", "VN", "SG", "KH", "LA", "MM", "BN", "TL"] {
            assert!(sea.countries.iter().any(|c| c.code == code), "{code} is on the Southeast Asia map");
        }
        assert!(data.views["world"].countries.len() > 150);
        assert!(include_str!("../../data/map.json").len() < 500 * 1024);
    }

    #[test]
    fn shades_use_the_whole_scale() {
        assert_eq!(shade(0, 100), 0);
        assert_eq!(shade(1, 1), 5);
        assert_eq!(shade(1, 100), 1);
        assert_eq!(shade(100, 100), 5);
        assert!(shade(10, 100) > shade(2, 100));
        let tr = Tr::new(super::super::i18n::Lang::En);
        let legend = legend(tr, 100);
        assert_eq!(legend.first().map(|l| l.0), Some(0));
        assert_eq!(legend.last().map(|l| l.1.as_str()), Some("57–100"));
    }
}
