//! The benchmark corpus (Participedia cases plus generated ones), the flat
//! rows the SQL engines load, and the query list.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anyhow::{Context, Result, bail};
use lumbung::generate::{self, pick};
use lumbung_core::{Case, CaseContent, Text, vocab};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// Words every query pool has, from the Participedia side.
pub const SEED_WORDS: [&str; 6] = ["citizens", "budget", "assembly", "youth", "health", "participatory"];

/// Words too common or too empty to search for (PostgreSQL's English
/// configuration would drop most of them anyway).
const STOPWORDS: &[&str] = &[
    "about", "after", "also", "among", "another", "been", "before", "being", "between", "both", "called", "could",
    "during", "each", "either", "from", "have", "here", "into", "itself", "many", "more", "most", "much", "must",
    "only", "other", "over", "same", "should", "some", "such", "than", "that", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "under", "upon", "very", "well", "were", "what", "when", "where",
    "which", "while", "whom", "will", "with", "within", "without", "would", "your", "https", "http", "www",
];

/// Reads the Participedia CSV (id,title,description,url) into published
/// English cases with seeded classification, so facets have values.
pub fn participedia(path: &Path, seed: u64, ids: &mut ulid::Generator) -> Result<Vec<Case>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).with_context(|| format!("no '{name}' column"));
    let (title_col, desc_col, url_col) = (col("title")?, col("description")?, col("url")?);
    let mut rng = StdRng::seed_from_u64(seed ^ 0x7061_7274);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record?;
        let title = record.get(title_col).unwrap_or_default().trim();
        if title.is_empty() {
            continue;
        }
        let description = record.get(desc_col).unwrap_or_default().trim();
        let url = record.get(url_col).map(str::trim).filter(|u| !u.is_empty());
        let (n_sectors, n_facets, n_sdgs) = (rng.gen_range(1..=3), rng.gen_range(1..=2), rng.gen_range(0..=2));
        let content = CaseContent {
            title: Text::new("en", title),
            summary: if description.is_empty() { Text::default() } else { Text::new("en", description) },
            original_language: "en".to_owned(),
            country: vocab::COUNTRIES.choose(&mut rng).map(|t| t.code.to_owned()),
            level_of_government: pick(&mut rng, vocab::LEVELS_OF_GOVERNMENT, 1).pop(),
            sectors: pick(&mut rng, vocab::SECTORS, n_sectors),
            innovation_facets: pick(&mut rng, vocab::INNOVATION_FACETS, n_facets),
            lifecycle_stage: pick(&mut rng, vocab::LIFECYCLE_STAGES, 1).pop(),
            sdgs: {
                let mut s: Vec<u32> =
                    pick(&mut rng, vocab::SDGS, n_sdgs).iter().filter_map(|c| c.parse().ok()).collect();
                s.sort_unstable();
                s
            },
            year_launched: Some(rng.gen_range(1990..=2024)),
            operating_status: pick(&mut rng, vocab::OPERATING_STATUSES, 1).pop(),
            source_url: url.map(str::to_owned),
            ..Default::default()
        };
        out.push(generate::published(generate::new_id(ids), content));
    }
    if out.is_empty() {
        bail!("{} has no cases", path.display());
    }
    Ok(out)
}

/// The generator's vocabulary for the benchmark: the built-in one (demo
/// content and glossary, both languages) plus the words of the Participedia
/// cases' titles and summaries for English, as they occur.
pub fn vocabulary(participedia: &[Case]) -> generate::Vocabulary {
    let mut v = generate::Vocabulary::builtin().clone();
    let mut text = String::new();
    for case in participedia {
        text.push_str(&joined(&case.content.title));
        text.push('\n');
        text.push_str(&joined(&case.content.summary));
        text.push('\n');
    }
    v.add_text("en", &text);
    v
}

/// One case as the SQL engines store it: text per field (every language
/// joined) and the values of the 11 facets, derived as the search index does.
pub struct Row {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub country: Option<String>,
    pub level: Option<String>,
    pub stage: Option<String>,
    pub year: Option<i32>,
    pub operating_status: Option<String>,
    pub completeness: &'static str,
    pub origin: String,
    pub sectors: Vec<String>,
    pub facets: Vec<String>,
    pub sdgs: Vec<String>,
    /// Always empty here: the corpus has no organisations.
    pub org_types: Vec<String>,
}

fn joined(text: &Text) -> String {
    text.0.values().map(String::as_str).filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

impl Row {
    pub fn from_case(case: &Case) -> Row {
        let c = &case.content;
        let body =
            c.sections.iter().iter().map(|(_, t)| joined(t)).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n");
        Row {
            id: case.id.clone(),
            title: joined(&c.title),
            summary: joined(&c.summary),
            body,
            country: c.country.clone(),
            level: c.level_of_government.clone(),
            stage: c.lifecycle_stage.clone(),
            year: c.year_launched,
            operating_status: c.operating_status.clone(),
            completeness: if case.completeness >= 100 { "complete" } else { "incomplete" },
            origin: case.origin.as_ref().map_or_else(|| "local".to_owned(), |o| o.node.clone()),
            sectors: c.sectors.clone(),
            facets: c.innovation_facets.clone(),
            sdgs: c.sdgs.iter().map(u32::to_string).collect(),
            org_types: Vec::new(),
        }
    }

    /// (facet, value) pairs of the multi-valued facets.
    pub fn terms(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.sectors
            .iter()
            .map(|v| ("sector", v.as_str()))
            .chain(self.facets.iter().map(|v| ("facet", v.as_str())))
            .chain(self.sdgs.iter().map(|v| ("sdg", v.as_str())))
            .chain(self.org_types.iter().map(|v| ("organisation_type", v.as_str())))
    }
}

/// Lower-case words of a text (letters and digits).
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

fn searchable(w: &str) -> bool {
    w.chars().count() >= 4 && w.chars().all(char::is_alphabetic) && !STOPWORDS.contains(&w)
}

/// `n` queries of 1–4 words drawn with `seed`: about half the words from the
/// 300 most widespread words of the Participedia cases (always including
/// `SEED_WORDS`), half from the generated cases' text (English and Indonesian).
pub fn queries(participedia: &[Case], generated: &[Case], n: usize, seed: u64) -> Vec<String> {
    let mut df: HashMap<String, usize> = HashMap::new();
    for case in participedia {
        let text = format!("{} {}", joined(&case.content.title), joined(&case.content.summary));
        let distinct: BTreeSet<String> = words(&text).filter(|w| searchable(w)).collect();
        for w in distinct {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut common: Vec<(String, usize)> = df.into_iter().filter(|(_, n)| *n >= 5).collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut p_pool: Vec<String> = common.into_iter().take(300).map(|(w, _)| w).collect();
    for w in SEED_WORDS {
        if !p_pool.iter().any(|p| p == w) {
            p_pool.push(w.to_owned());
        }
    }
    let mut g_pool = BTreeSet::new();
    for case in generated.iter().take(2_000) {
        let c = &case.content;
        let mut text = format!("{} {}", joined(&c.title), joined(&c.summary));
        for (_, t) in c.sections.iter() {
            text.push(' ');
            text.push_str(&joined(t));
        }
        g_pool.extend(words(&text).filter(|w| searchable(w)));
    }
    let g_pool: Vec<String> = g_pool.into_iter().collect();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x7175_6572);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let len = rng.gen_range(1..=4);
        let mut q: Vec<&str> = Vec::with_capacity(len);
        let mut tries = 0;
        while q.len() < len && tries < 20 {
            tries += 1;
            let pool = if g_pool.is_empty() || rng.gen_bool(0.5) { &p_pool } else { &g_pool };
            if let Some(w) = pool.choose(&mut rng) {
                if !q.contains(&w.as_str()) {
                    q.push(w);
                }
            }
        }
        if q.is_empty() {
            break;
        }
        out.push(q.join(" "));
    }
    out
}
