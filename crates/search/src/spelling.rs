//! When nothing good matches (issue #15): "did you mean" for misspelt words
//! in either language.
//!
//! A word is misspelt when none of its analysed forms is in the index. Its
//! correction comes from the library's own words — the stored titles and
//! summaries of the cases the typo-tolerant query found, and the glossary's
//! terms — as the closest word (optimal string alignment distance: one edit
//! for words up to 7 letters, two for longer ones, a swap of neighbours
//! counting as one), the commonest on a tie. The corrected query is offered
//! only when it finds something.
//!
//! No "search the other language's cases" offer: every search already looks
//! in both languages (the glossary's concepts and the learned lexicon expand
//! the query), so the translated query finds the cases the reader already
//! sees; an earlier draft that offered it never found more.

use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::glossary::Glossary;
use crate::query::{self, Occur};
use crate::schema::LANGS;
use crate::{SearchError, SearchIndex, SearchRequest};

/// Cases whose stored text is read for corrections.
const CANDIDATE_CASES: usize = 20;
/// Shortest word that is corrected.
const MIN_WORD: usize = 4;

/// What a search page offers when nothing good matches.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Alternatives {
    /// The query with its misspelt words corrected, when that finds cases.
    pub did_you_mean: Option<String>,
}

impl SearchIndex {
    /// The corrections to offer for a search (see the module's notes).
    /// Empty for a query without words.
    pub fn alternatives(&self, req: &SearchRequest) -> Result<Alternatives, SearchError> {
        let clauses = query::parse(&req.q)?;
        if clauses.iter().all(|c| c.occur == Occur::MustNot) {
            return Ok(Alternatives::default());
        }
        let searcher = self.searcher();
        let did_you_mean = self.correction(&searcher, req)?;
        Ok(Alternatives { did_you_mean })
    }

    /// Whether any language's fields know one of `word`'s analysed forms.
    fn known(&self, searcher: &Searcher, word: &str) -> bool {
        (0..LANGS.len()).any(|l| {
            let fields = self.fields().lang(l);
            self.analyse(fields.body, word)
                .iter()
                .any(|t| fields.all().iter().any(|f| searcher.doc_freq(&Term::from_field_text(*f, t)).unwrap_or(0) > 0))
        })
    }

    fn correction(&self, searcher: &Searcher, req: &SearchRequest) -> Result<Option<String>, SearchError> {
        let words = words_of(&req.q);
        let unknown: Vec<usize> = words
            .iter()
            .enumerate()
            .filter(|(_, w)| {
                w.chars().count() >= MIN_WORD && w.chars().all(char::is_alphabetic) && !self.known(searcher, w)
            })
            .map(|(i, _)| i)
            .collect();
        if unknown.is_empty() {
            return Ok(None);
        }
        // The library's words near the query: the cases the typo-tolerant
        // query finds, then the glossary.
        let mut vocabulary: Vec<String> = Vec::new();
        if let Some(q) = self.query_for(&req.q, false)? {
            let stats = self.field_stats(searcher)?;
            let top = searcher.search_with_statistics_provider(
                &q,
                &TopDocs::with_limit(CANDIDATE_CASES).order_by_score(),
                &stats,
            )?;
            let f = self.fields();
            let fields: Vec<_> = (0..LANGS.len()).flat_map(|l| [f.lang(l).title, f.lang(l).summary]).collect();
            for (_, address) in top {
                let doc: TantivyDocument = searcher.doc(address)?;
                for field in &fields {
                    for v in doc.get_all(*field) {
                        vocabulary.extend(v.as_str().into_iter().flat_map(words_of));
                    }
                }
            }
        }
        // A word of the cases found counts more than a glossary word.
        let from_cases = vocabulary.len();
        for entry in Glossary::shipped().entries() {
            for term in entry.en.iter().chain(&entry.id) {
                vocabulary.extend(words_of(term));
            }
        }
        let mut corrected = words.clone();
        let mut changed = false;
        for i in unknown {
            let Some(word) = words.get(i) else { continue };
            let max = if word.chars().count() > 7 { 2 } else { 1 };
            let mut best: Option<(usize, usize, &String)> = None;
            let mut tried: Vec<&String> = Vec::new();
            for candidate in &vocabulary {
                if candidate == word || candidate.chars().count() < MIN_WORD - 1 || tried.contains(&candidate) {
                    continue;
                }
                let Some(d) = distance(word, candidate, max) else { continue };
                tried.push(candidate);
                // Only a word the index has can be offered.
                if !self.known(searcher, candidate) {
                    continue;
                }
                let seen = vocabulary
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| *v == candidate)
                    .map(|(n, _)| if n < from_cases { 10 } else { 1 })
                    .sum::<usize>();
                let better = match best {
                    None => true,
                    Some((bd, bn, bc)) => d < bd || (d == bd && (seen > bn || (seen == bn && candidate < bc))),
                };
                if better {
                    best = Some((d, seen, candidate));
                }
            }
            if let Some((_, _, c)) = best
                && let Some(slot) = corrected.get_mut(i)
            {
                *slot = c.clone();
                changed = true;
            }
        }
        if !changed {
            return Ok(None);
        }
        let q = corrected.join(" ");
        let check = SearchRequest { q: q.clone(), lang: req.lang.clone(), limit: 1, ..Default::default() };
        Ok((self.search(&check)?.total > 0).then_some(q))
    }
}

/// The lower-cased words of a text (letters and digits; `-` inside a word kept).
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The optimal string alignment distance of two words, if at most `max`.
fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(v) = d.get_mut(at(i, 0)) {
            *v = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(v) = d.get_mut(at(0, j)) {
            *v = j;
        }
    }
    let get = |d: &Vec<usize>, i: usize, j: usize| d.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let (ca, cb) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(ca != cb);
            let mut v = (get(&d, i - 1, j) + 1).min(get(&d, i, j - 1) + 1).min(get(&d, i - 1, j - 1) + cost);
            if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                v = v.min(get(&d, i - 2, j - 2) + 1);
            }
            if let Some(slot) = d.get_mut(at(i, j)) {
                *slot = v;
            }
        }
    }
    let v = get(&d, a.len(), b.len());
    (v <= max).then_some(v)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use std::collections::HashMap;

    use lumbung_core::{Case, CaseContent, Status, Text};

    use super::*;

    #[test]
    fn distance_counts_a_swap_as_one_edit() {
        assert_eq!(distance("pengadaun", "pengaduan", 2), Some(1));
        assert_eq!(distance("complant", "complaint", 1), Some(1));
        assert_eq!(distance("budget", "budget", 1), Some(0));
        assert_eq!(distance("sampah", "sekolah", 2), None);
        assert_eq!(distance("a", "abcd", 2), None);
    }

    fn case(n: usize, lang: &str, title: &str) -> Case {
        let content =
            CaseContent { title: Text::new(lang, title), original_language: lang.to_owned(), ..Default::default() };
        Case::new(format!("case-{n}"), content, Status::Published, None, lumbung_core::clock::now())
    }

    #[test]
    fn misspellings_are_corrected_in_both_languages() {
        let dir = std::env::temp_dir().join(format!("lumbung-search-spelling-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = SearchIndex::open(&dir).unwrap();
        let cases = [
            case(1, "id", "Sistem penanganan pengaduan masyarakat terpadu"),
            case(2, "en", "Complaint handling for public services"),
            case(3, "en", "Complaint handling in hospitals"),
            case(4, "en", "Bridges and roads"),
        ];
        index.add(&cases, &HashMap::new()).unwrap();
        index.commit(1).unwrap();
        let ask = |q: &str, lang: &str| {
            let req = SearchRequest { q: q.into(), lang: lang.into(), limit: 10, ..Default::default() };
            index.alternatives(&req).unwrap()
        };
        assert_eq!(ask("pengadaun", "id").did_you_mean.as_deref(), Some("pengaduan"));
        assert_eq!(ask("complant handling", "en").did_you_mean.as_deref(), Some("complaint handling"));
        // Words the index knows are not corrected; a word nothing is near is not either.
        assert_eq!(ask("complaint handling", "en").did_you_mean, None);
        assert_eq!(ask("xylophonics", "en").did_you_mean, None);
        // A correction that finds nothing is not offered.
        assert_eq!(ask("bridgez", "en").did_you_mean.as_deref(), Some("bridge"), "one edit, the commonest form");
        assert_eq!(ask("brudgex", "en"), Alternatives::default());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
