//! Diffusion on the pages: the replication block of a case page (what the
//! case descends from, which cases descend from it, a form for its owners),
//! the forms that record and remove links, and `/cases/{id}/diffusion`, the
//! graph of the cases descended from one case: a server-drawn SVG (classes
//! only, the stylesheet colours it) placed by year (x) and country (rows),
//! with the same data as a table beside it.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use lumbung_app::{AppError, NewLink};
use lumbung_core::diffusion::LinkKind;
use lumbung_core::{Actor, Case, permissions, vocab};

use super::pages::is_web_url;
use super::{Chrome, Ctx, FormData, PageError, Tr, escape_html, render, see_other};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/links", post(add_link))
        .route("/cases/{id}/links/{link_id}/delete", post(remove_link))
        .route("/cases/{id}/diffusion", get(diffusion_page))
}

/// Generations followed from the root case.
pub const MAX_DEPTH: usize = 6;
/// Descendants drawn at most.
pub const MAX_NODES: usize = 500;

/// One line of the replication block.
#[derive(Debug, Clone)]
pub struct LinkLine {
    pub link_id: String,
    /// The kind, in the reader's language.
    pub kind: String,
    /// The other case's title (or identifier).
    pub label: String,
    pub href: Option<String>,
    /// Where and when, in the reader's language.
    pub detail: String,
    pub changes: Option<String>,
    /// The node the other case lives on, when not this one.
    pub elsewhere: Option<String>,
}

/// The replication block of a case page.
#[derive(Debug, Clone, Default)]
pub struct DiffusionBlock {
    pub descends: Vec<LinkLine>,
    /// Adopters, oldest first (the diffusion timeline).
    pub adopters: Vec<LinkLine>,
    /// The reader may record and remove this case's links.
    pub can_manage: bool,
    /// (code, label) of every link kind, for the form.
    pub kinds: Vec<(String, String)>,
    /// (code, label) of every country, for the form.
    pub countries: Vec<(String, String)>,
}

impl DiffusionBlock {
    pub fn is_empty(&self) -> bool {
        self.descends.is_empty() && self.adopters.is_empty() && !self.can_manage
    }
}

pub(super) fn kind_label(tr: Tr, kind: LinkKind) -> String {
    tr.t(&format!("diffusion-kind-{}", kind.as_str()))
}

fn place_and_year(tr: Tr, country: Option<&str>, region: Option<&str>, year: Option<i32>) -> String {
    let mut parts = Vec::new();
    let mut place = country.map(|c| tr.term(vocab::COUNTRIES, c)).unwrap_or_default();
    if let Some(r) = region {
        place = if place.is_empty() { r.to_owned() } else { format!("{r}, {place}") };
    }
    if !place.is_empty() {
        parts.push(place);
    }
    if let Some(y) = year {
        parts.push(y.to_string());
    }
    parts.join(" · ")
}

fn title_of(case: &Case, lang: &str) -> String {
    case.content.title.best(lang, &case.content.original_language).unwrap_or(&case.id).to_owned()
}

/// The replication block for `case` as `ctx`'s reader sees it.
pub async fn case_block(ctx: &Ctx, case: &Case) -> Result<DiffusionBlock, PageError> {
    let tr = ctx.tr();
    let actor = ctx.actor();
    let lang = ctx.lang().code();
    let app = ctx.state.app();
    let both = app.links_for(actor.as_ref(), case).await.map_err(|e| ctx.fail(e))?;
    let mut descends = Vec::new();
    for l in both.links {
        let local = match &l.target_case_id {
            Some(id) => app
                .store()
                .get_case(id)
                .await
                .map_err(|e| ctx.fail(e))?
                .filter(|c| permissions::can_view_case(actor.as_ref(), c.status, c.owners())),
            None => None,
        };
        let href = match &local {
            Some(c) => Some(format!("/cases/{}", c.id)),
            None => l.target_url.clone().filter(|u| is_web_url(u)),
        };
        let label = local
            .as_ref()
            .map(|c| title_of(c, lang))
            .or_else(|| l.target_title.clone())
            .unwrap_or_else(|| l.target_identifier.clone());
        let elsewhere = lumbung_core::diffusion::parse_global_id(&l.target_identifier)
            .map(|(node, _)| node.to_owned())
            .filter(|n| *n != app.settings().node_id);
        descends.push(LinkLine {
            link_id: l.id,
            kind: kind_label(tr, l.kind),
            label,
            href,
            detail: place_and_year(tr, l.country.as_deref(), l.region.as_deref(), l.year),
            changes: l.changes,
            elsewhere,
        });
    }
    let mut adopters: Vec<(Option<i32>, LinkLine)> = both
        .adopted_by
        .into_iter()
        .map(|(l, c)| {
            let year = l.year.or(c.content.year_launched);
            let country = l.country.clone().or_else(|| c.content.country.clone());
            let region = l.region.clone().or_else(|| c.content.region.clone());
            let line = LinkLine {
                link_id: l.id,
                kind: kind_label(tr, l.kind),
                label: title_of(&c, lang),
                href: Some(format!("/cases/{}", c.id)),
                detail: place_and_year(tr, country.as_deref(), region.as_deref(), year),
                changes: l.changes,
                elsewhere: c.origin.as_ref().map(|o| o.node.clone()),
            };
            (year, line)
        })
        .collect();
    adopters.sort_by_key(|(y, _)| y.unwrap_or(i32::MAX));
    let can_manage =
        actor.as_ref().is_some_and(|a| permissions::can_manage_links(a, case.owners()) && case.origin.is_none());
    let (kinds, countries) = if can_manage {
        (
            LinkKind::ALL.iter().map(|k| (k.as_str().to_owned(), kind_label(tr, *k))).collect(),
            vocab::COUNTRIES.iter().map(|t| (t.code.to_owned(), tr.term(vocab::COUNTRIES, t.code))).collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(DiffusionBlock {
        descends,
        adopters: adopters.into_iter().map(|(_, l)| l).collect(),
        can_manage,
        kinds,
        countries,
    })
}

/// `POST /cases/{id}/links`: the case's owner (or an editor) records a link.
async fn add_link(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let year = match form.text("year") {
        None => None,
        Some(y) => {
            Some(y.parse::<i64>().map_err(|_| ctx.fail(AppError::field("year", "invalid", "a year, e.g. 2021")))?)
        }
    };
    let new = NewLink {
        kind: form.get("kind").unwrap_or("").to_owned(),
        target: form.get("target").unwrap_or("").to_owned(),
        changes: form.text("changes"),
        country: form.text("country"),
        region: form.text("region"),
        year,
    };
    ctx.state.app().add_link(&actor, &id, new).await.map_err(|e| ctx.fail(e))?;
    // From the submission wizard's suggestions, back to its step (only there).
    let wizard = format!("/submit/{id}/place");
    if form.get("back") == Some(wizard.as_str()) {
        return Ok(see_other(&format!("{wizard}?linked=1#based-on")));
    }
    Ok(see_other(&format!("/cases/{id}#diffusion")))
}

/// `POST /cases/{id}/links/{link_id}/delete`: removes one of the case's links.
async fn remove_link(
    ctx: Ctx,
    Path((id, link_id)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    ctx.state.app().remove_link(&actor, &id, &link_id).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/cases/{id}#diffusion")))
}

// ---------------------------------------------------------------------------
// The diffusion graph

/// One case of the graph.
#[derive(Debug, Clone)]
pub struct GraphNode {
    pub id: String,
    pub title: String,
    pub country: Option<String>,
    pub year: Option<i32>,
    /// Index of the case it descends from (None: the root).
    pub parent: Option<usize>,
    pub kind: Option<LinkKind>,
    pub depth: usize,
    /// The node it was harvested from (None: this node).
    pub elsewhere: Option<String>,
}

/// The root and the cases descended from it that `actor` may see, nearest
/// generations first, at most [`MAX_DEPTH`] generations and [`MAX_NODES`]
/// descendants (one query: [`lumbung_app::App::descendants`]); true when the
/// cap cut the graph.
pub async fn descendants(
    app: &lumbung_app::App,
    actor: Option<&Actor>,
    root: &Case,
    lang: &str,
) -> Result<(Vec<GraphNode>, bool), AppError> {
    let mut nodes = vec![GraphNode {
        id: root.id.clone(),
        title: title_of(root, lang),
        country: root.content.country.clone(),
        year: root.content.year_launched,
        parent: None,
        kind: None,
        depth: 0,
        elsewhere: root.origin.as_ref().map(|o| o.node.clone()),
    }];
    let (found, capped) = app.descendants(actor, root, MAX_DEPTH, MAX_NODES).await?;
    let mut index: HashMap<String, usize> = HashMap::from([(app.global_identifier(root), 0)]);
    for d in found {
        let Some(&parent) = index.get(&d.link.target_identifier) else { continue };
        index.insert(d.identifier.clone(), nodes.len());
        let elsewhere = d
            .origin_identifier
            .as_deref()
            .and_then(lumbung_core::diffusion::parse_global_id)
            .map(|(node, _)| node.to_owned());
        nodes.push(GraphNode {
            title: d.title.best(lang, &d.original_language).unwrap_or(&d.link.case_id).to_owned(),
            country: d.link.country.clone().or(d.country),
            year: d.link.year.or(d.year_launched),
            parent: Some(parent),
            kind: Some(d.link.kind),
            depth: d.depth,
            elsewhere,
            id: d.link.case_id,
        });
    }
    Ok((nodes, capped))
}

const WIDTH: i64 = 760;
const LEFT: i64 = 150;
const TOP: i64 = 40;
const ROW: i64 = 40;
const RIGHT: i64 = 60;

/// Draws the graph as SVG: one row per country (the root's first), x by year
/// (cases without a year in a last column), an edge per link classed by its
/// kind, every case a link to its page with its title as a tooltip.
pub fn draw(tr: Tr, nodes: &[GraphNode], title: &str, desc: &str) -> String {
    let mut countries: Vec<Option<String>> = Vec::new();
    for n in nodes {
        if !countries.contains(&n.country) {
            countries.push(n.country.clone());
        }
    }
    let years: BTreeSet<i32> = nodes.iter().filter_map(|n| n.year).collect();
    let (first, last) = (years.first().copied().unwrap_or(2000), years.last().copied().unwrap_or(2000));
    let span = i64::from((last - first).max(1));
    let plot = WIDTH - LEFT - RIGHT - 40;
    let x_of = |y: Option<i32>| match y {
        Some(y) => LEFT + 20 + i64::from(y - first) * plot / span,
        None => WIDTH - RIGHT + 10,
    };
    let row_of =
        |c: &Option<String>| countries.iter().position(|x| x == c).and_then(|i| i64::try_from(i).ok()).unwrap_or(0);
    // Cases in the same cell are spread along the row.
    let mut cells: HashMap<(i64, i64), i64> = HashMap::new();
    let points: Vec<(i64, i64)> = nodes
        .iter()
        .map(|n| {
            let (x, r) = (x_of(n.year), row_of(&n.country));
            let k = cells.entry((x, r)).or_insert(0);
            let offset = (*k % 5) * 7 - 14;
            *k += 1;
            (x, TOP + r * ROW + ROW / 2 + offset / 2)
        })
        .collect();
    let height = TOP + i64::try_from(countries.len()).unwrap_or(0) * ROW + 60;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diffusion-graph\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"dg-title dg-desc\">\
         <title id=\"dg-title\">{}</title><desc id=\"dg-desc\">{}</desc><g class=\"dg-grid\">",
        escape_html(title),
        escape_html(desc)
    );
    for (i, c) in countries.iter().enumerate() {
        let y = TOP + i64::try_from(i).unwrap_or(0) * ROW + ROW / 2;
        let label = match c {
            Some(code) => tr.term(vocab::COUNTRIES, code),
            None => tr.t("diffusion-unknown-country"),
        };
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/><text class=\"dg-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            WIDTH - 10,
            LEFT - 8,
            y + 4,
            escape_html(&label)
        ));
    }
    let mut ticks: Vec<i32> = years.iter().copied().collect();
    if ticks.len() > 12 {
        let step = ticks.len().div_ceil(12);
        ticks = ticks.into_iter().step_by(step).collect();
    }
    for y in ticks {
        svg.push_str(&format!(
            "<text class=\"dg-year\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{y}</text>",
            x_of(Some(y)),
            TOP - 14
        ));
    }
    if nodes.iter().any(|n| n.year.is_none()) {
        svg.push_str(&format!(
            "<text class=\"dg-year\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">?</text>",
            x_of(None),
            TOP - 14
        ));
    }
    svg.push_str("</g><g class=\"dg-edges\">");
    for (n, (x2, y2)) in nodes.iter().zip(&points) {
        let (Some(p), Some(kind)) = (n.parent, n.kind) else { continue };
        let Some((x1, y1)) = points.get(p) else { continue };
        svg.push_str(&format!(
            "<line class=\"dg-edge dg-edge-{}\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"/>",
            kind.as_str()
        ));
    }
    svg.push_str("</g><g class=\"dg-nodes\">");
    // The picture's parts are not controls (an image's are not); over it, out
    // of the tab order and hidden from assistive technology, the same cases
    // as links for a pointer. Keyboards and screen readers have them in the table.
    let mut links = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dg-links\" viewBox=\"0 0 {WIDTH} {height}\" aria-hidden=\"true\" focusable=\"false\">"
    );
    for (i, (n, (x, y))) in nodes.iter().zip(&points).enumerate() {
        let class = if i == 0 { "dg-node dg-root" } else { "dg-node" };
        let when = n.year.map(|y| format!(" ({y})")).unwrap_or_default();
        let label = format!("{}{when}", escape_html(&n.title));
        svg.push_str(&format!(
            "<circle class=\"{class}\" cx=\"{x}\" cy=\"{y}\" r=\"6\"><title>{label}</title></circle>"
        ));
        links.push_str(&format!(
            "<a href=\"/cases/{}\" tabindex=\"-1\"><circle cx=\"{x}\" cy=\"{y}\" r=\"8\"><title>{label}</title></circle></a>",
            escape_html(&n.id),
        ));
    }
    links.push_str("</svg>");
    svg.push_str("</g><g class=\"dg-legend\">");
    let ly = height - 24;
    for (i, k) in LinkKind::ALL.iter().enumerate() {
        let x = LEFT + i64::try_from(i).unwrap_or(0) * 150;
        svg.push_str(&format!(
            "<line class=\"dg-edge dg-edge-{}\" x1=\"{x}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\"/><text class=\"dg-label\" x=\"{}\" y=\"{}\">{}</text>",
            k.as_str(),
            x + 24,
            x + 30,
            ly + 4,
            escape_html(&kind_label(tr, *k))
        ));
    }
    svg.push_str("</g></svg>");
    format!("<div class=\"dg-stack\">{svg}{links}</div>")
}

/// One row of the table beside the graph.
pub struct GraphRow {
    pub id: String,
    pub title: String,
    pub from: String,
    pub kind: String,
    pub country: String,
    pub year: String,
    pub depth: usize,
    pub elsewhere: Option<String>,
}

#[derive(Template)]
#[template(path = "diffusion.html")]
struct DiffusionPage {
    c: Chrome,
    id: String,
    heading: String,
    caption: String,
    svg: String,
    rows: Vec<GraphRow>,
    capped: Option<String>,
}

/// `GET /cases/{id}/diffusion`: the graph of the cases descended from a case.
async fn diffusion_page(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let actor = ctx.actor();
    let app = ctx.state.app();
    let root = app.visible_case(&id, actor.as_ref()).await.map_err(|e| match e {
        AppError::NotFound => ctx.error(StatusCode::NOT_FOUND),
        other => ctx.fail(other),
    })?;
    let lang = ctx.lang().code();
    let (nodes, capped) = descendants(app, actor.as_ref(), &root, lang).await.map_err(|e| ctx.fail(e))?;
    let title = title_of(&root, lang);
    let svg = draw(
        tr,
        &nodes,
        &tr.t1("diffusion-graph-title", "title", &title),
        &tr.tn("diffusion-graph-desc", "count", i64::try_from(nodes.len().saturating_sub(1)).unwrap_or(0)),
    );
    let rows = nodes
        .iter()
        .skip(1)
        .map(|n| GraphRow {
            id: n.id.clone(),
            title: n.title.clone(),
            from: n.parent.and_then(|p| nodes.get(p)).map(|p| p.title.clone()).unwrap_or_default(),
            kind: n.kind.map(|k| kind_label(tr, k)).unwrap_or_default(),
            country: n
                .country
                .as_deref()
                .map(|c| tr.term(vocab::COUNTRIES, c))
                .unwrap_or_else(|| tr.t("diffusion-unknown-country")),
            year: n.year.map(|y| y.to_string()).unwrap_or_else(|| tr.t("diffusion-unknown-year")),
            depth: n.depth,
            elsewhere: n.elsewhere.clone(),
        })
        .collect();
    let page = DiffusionPage {
        id: root.id.clone(),
        heading: tr.t1("diffusion-page-title", "title", &title),
        caption: tr.t1("diffusion-table-caption", "title", &title),
        svg,
        rows,
        capped: capped.then(|| tr.tn("diffusion-capped", "count", i64::try_from(MAX_NODES).unwrap_or(0))),
        c: ctx.chrome,
    };
    render(&page)
}
