//! Synthetic cases for load tests and benchmarks: realistic vocabulary,
//! lengths and classification spread, reproducible from a seed. Never shown
//! as real content.
//!
//! Text is drawn word by word from a unigram model of real text in each
//! language (word frequencies, so a few function words are very common and
//! most words are rare, as in any natural text), and every case has a few
//! topic words that it repeats, as real documents do. A vocabulary of a few
//! dozen words makes every query match nearly every case, which no real
//! library looks like and which measures the wrong thing.
//!
//! The built-in vocabulary comes from text the team wrote and ships anyway:
//! the demo content (English and Indonesian) and the glossary. Callers with
//! more real text (the search benchmark has Participedia's) add it with
//! [`Vocabulary::add_text`].

use std::collections::HashMap;
use std::sync::OnceLock;

use lumbung_core::{Case, CaseContent, Sections, Status, Text, vocab};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const ASEAN: &[&str] = &["ID", "ID", "ID", "ID", "PH", "TH", "MY", "VN", "SG", "KH", "LA", "BN", "MM", "TL"];
/// Words of this frequency rank or lower are never topic words (function
/// words and the most general terms).
const TOPIC_FROM_RANK: usize = 150;
/// Share of a case's words drawn from its topic words.
const TOPIC_SHARE: f64 = 0.12;

/// Word frequencies of one language, for sampling.
#[derive(Debug, Clone, Default)]
pub struct Words {
    counts: HashMap<String, u64>,
    /// Distinct words by falling frequency (then alphabetically), and the
    /// running total of their counts.
    ranked: Vec<String>,
    cumulative: Vec<u64>,
}

impl Words {
    fn add_text(&mut self, text: &str, weight: u64) {
        for w in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
            *self.counts.entry(w.to_lowercase()).or_default() += weight;
        }
        self.rank();
    }

    fn rank(&mut self) {
        let mut ranked: Vec<(&String, &u64)> = self.counts.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let mut total = 0;
        self.cumulative = ranked
            .iter()
            .map(|(_, n)| {
                total += **n;
                total
            })
            .collect();
        self.ranked = ranked.into_iter().map(|(w, _)| w.clone()).collect();
    }

    /// Distinct words.
    pub fn len(&self) -> usize {
        self.ranked.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ranked.is_empty()
    }

    /// A word drawn by frequency.
    fn sample(&self, rng: &mut StdRng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(0);
        if total == 0 {
            return "data";
        }
        let x = rng.gen_range(0..total);
        let i = self.cumulative.partition_point(|c| *c <= x);
        self.ranked.get(i).map_or("data", String::as_str)
    }

    /// `n` distinct content words for one case, drawn by frequency from
    /// beyond the most common ranks (so mostly mid-frequency terms).
    fn topic(&self, rng: &mut StdRng, n: usize) -> Vec<&str> {
        let from = TOPIC_FROM_RANK.min(self.ranked.len() / 2);
        let base = from.checked_sub(1).and_then(|i| self.cumulative.get(i)).copied().unwrap_or(0);
        let total = self.cumulative.last().copied().unwrap_or(0);
        let mut out: Vec<&str> = Vec::with_capacity(n);
        for _ in 0..n * 4 {
            if out.len() == n || total <= base {
                break;
            }
            let x = rng.gen_range(base..total);
            let i = self.cumulative.partition_point(|c| *c <= x);
            if let Some(w) = self.ranked.get(i) {
                if w.chars().count() >= 4 && !out.contains(&w.as_str()) {
                    out.push(w);
                }
            }
        }
        out
    }
}

/// Word frequencies of English and Indonesian.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub en: Words,
    pub id: Words,
}

impl Vocabulary {
    /// The shipped vocabulary: the demo content's texts in both languages
    /// (as they occur) and every glossary term (once each, as rare words).
    pub fn builtin() -> &'static Vocabulary {
        static BUILTIN: OnceLock<Vocabulary> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut v = Vocabulary::default();
            let (mut en, mut id) = (String::new(), String::new());
            for line in crate::demo::CONTENT.lines() {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
                    collect_texts(&value, &mut en, &mut id);
                }
            }
            v.add_text("en", &en);
            v.add_text("id", &id);
            let (mut en, mut id) = (String::new(), String::new());
            for line in lumbung_search::glossary::GLOSSARY_TSV.lines().filter(|l| !l.starts_with('#')) {
                if let Some((e, i)) = line.split_once('\t') {
                    en.push_str(e);
                    en.push(' ');
                    id.push_str(i);
                    id.push(' ');
                }
            }
            v.en.add_text(&en, 1);
            v.id.add_text(&id, 1);
            v
        })
    }

    /// Adds the words of a real text in `lang` ("en" or "id") as they occur.
    pub fn add_text(&mut self, lang: &str, text: &str) {
        // Running text counts more than glossary terms listed once each.
        let words = if lang == "id" { &mut self.id } else { &mut self.en };
        words.add_text(text, 4);
    }

    fn words(&self, lang: &str) -> &Words {
        if lang == "id" { &self.id } else { &self.en }
    }
}

/// Collects the strings under "en" and "id" keys (the language maps of the
/// demo content), skipping identifiers.
fn collect_texts(value: &serde_json::Value, en: &mut String, id: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("en", serde_json::Value::String(s)) => {
                        en.push_str(s);
                        en.push('\n');
                    }
                    // "id" is also the identifier key: a language text has spaces.
                    ("id", serde_json::Value::String(s)) if s.contains(' ') => {
                        id.push_str(s);
                        id.push('\n');
                    }
                    _ => collect_texts(v, en, id),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_texts(v, en, id)),
        _ => {}
    }
}

/// The words of one case in one language: the language's frequencies plus
/// the case's topic words.
struct Writer<'a> {
    words: &'a Words,
    topic: Vec<&'a str>,
}

impl Writer<'_> {
    fn word(&self, rng: &mut StdRng) -> &str {
        if !self.topic.is_empty() && rng.gen_bool(TOPIC_SHARE) {
            self.topic.choose(rng).copied().unwrap_or("data")
        } else {
            self.words.sample(rng)
        }
    }

    fn sentence(&self, rng: &mut StdRng, min: usize, max: usize) -> String {
        let n = rng.gen_range(min..=max);
        let mut text = String::new();
        for i in 0..n {
            let w = self.word(rng);
            if i == 0 {
                let mut c = w.chars();
                if let Some(first) = c.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(c.as_str());
                }
            } else {
                text.push(' ');
                text.push_str(w);
            }
        }
        text.push('.');
        text
    }

    /// A title: mostly topic words.
    fn title(&self, rng: &mut StdRng) -> String {
        let n = rng.gen_range(4..=10);
        let mut words: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let w = if rng.gen_bool(0.5) { self.topic.choose(rng).copied() } else { None };
            words.push(w.unwrap_or_else(|| self.words.sample(rng)).to_owned());
        }
        let mut title = words.join(" ");
        if let Some(first) = title.get(..1) {
            title = format!("{}{}", first.to_uppercase(), title.get(1..).unwrap_or_default());
        }
        title
    }

    /// `min..=max` sentences of 6–24 words.
    fn paragraph(&self, rng: &mut StdRng, min: usize, max: usize) -> String {
        let n = rng.gen_range(min..=max);
        (0..n).map(|_| self.sentence(rng, 6, 24)).collect::<Vec<_>>().join(" ")
    }
}

/// `n` codes of a vocabulary, sorted.
pub fn pick(rng: &mut StdRng, terms: &'static [vocab::Term], n: usize) -> Vec<String> {
    let mut codes: Vec<String> = terms.choose_multiple(rng, n).map(|t| t.code.to_owned()).collect();
    codes.sort();
    codes
}

/// A published local case with `content`, its derived fields filled.
pub fn published(id: String, content: CaseContent) -> Case {
    Case::new(id, content, Status::Published, None, lumbung_core::clock::now())
}

/// A new case id from `generator`.
pub fn new_id(generator: &mut ulid::Generator) -> String {
    generator.generate().map(|u| u.to_string()).unwrap_or_else(|_| ulid::Ulid::new().to_string())
}

/// `count` synthetic published cases from `seed` with the built-in
/// vocabulary, with ids from `generator`.
pub fn cases(seed: u64, count: usize, generator: &mut ulid::Generator) -> Vec<Case> {
    cases_with(Vocabulary::builtin(), seed, count, generator)
}

/// `count` synthetic published cases from `seed` with words of `vocabulary`.
/// Original language Indonesian (60 %) or English; titles and summaries in
/// both; sections in the original language, 8–33 sentences in all.
pub fn cases_with(vocabulary: &Vocabulary, seed: u64, count: usize, generator: &mut ulid::Generator) -> Vec<Case> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let lang = if rng.gen_bool(0.6) { "id" } else { "en" };
        let topics = rng.gen_range(4..=12);
        let en = Writer { words: vocabulary.words("en"), topic: vocabulary.words("en").topic(&mut rng, topics) };
        let id = Writer { words: vocabulary.words("id"), topic: vocabulary.words("id").topic(&mut rng, topics) };
        let own = if lang == "id" { &id } else { &en };
        let text = |rng: &mut StdRng, min, max| Text::new(lang, own.paragraph(rng, min, max));
        let sections = Sections {
            problem: text(&mut rng, 2, 7),
            novelty: text(&mut rng, 1, 4),
            how_it_works: text(&mut rng, 3, 10),
            results: text(&mut rng, 2, 7),
            lessons_learned: if rng.gen_bool(0.5) { text(&mut rng, 1, 5) } else { Text::default() },
            ..Default::default()
        };
        let (n_sectors, n_facets) = (rng.gen_range(1..=3), rng.gen_range(1..=2));
        let content = CaseContent {
            title: Text::new("en", en.title(&mut rng)).with("id", id.title(&mut rng)),
            summary: Text::new("en", en.paragraph(&mut rng, 2, 6)).with("id", id.paragraph(&mut rng, 2, 6)),
            original_language: lang.to_owned(),
            country: ASEAN.choose(&mut rng).map(|c| (*c).to_owned()),
            level_of_government: pick(&mut rng, vocab::LEVELS_OF_GOVERNMENT, 1).pop(),
            sectors: pick(&mut rng, vocab::SECTORS, n_sectors),
            innovation_facets: pick(&mut rng, vocab::INNOVATION_FACETS, n_facets),
            lifecycle_stage: pick(&mut rng, vocab::LIFECYCLE_STAGES, 1).pop(),
            sdgs: {
                let mut s: Vec<u32> = (1..=17).collect::<Vec<_>>().choose_multiple(&mut rng, 2).copied().collect();
                s.sort_unstable();
                s
            },
            tags: vec!["generated".to_owned()],
            digital: Some(rng.gen_bool(0.5)),
            year_launched: Some(rng.gen_range(2005..=2025)),
            sections,
            operating_status: Some("active".to_owned()),
            ..Default::default()
        };
        out.push(published(new_id(generator), content));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn the_builtin_vocabulary_has_thousands_of_words_per_language() {
        let v = Vocabulary::builtin();
        assert!(v.en.len() >= 1_500, "English: {}", v.en.len());
        assert!(v.id.len() >= 1_500, "Indonesian: {}", v.id.len());
        // Function words lead, as in real text.
        assert!(v.en.ranked.iter().take(10).any(|w| w == "the"), "{:?}", &v.en.ranked[..10]);
        assert!(v.id.ranked.iter().take(10).any(|w| w == "dan"), "{:?}", &v.id.ranked[..10]);
    }

    #[test]
    fn cases_are_reproducible_and_varied() {
        let a = cases(7, 50, &mut ulid::Generator::new());
        let b = cases(7, 50, &mut ulid::Generator::new());
        assert_eq!(a.iter().map(|c| &c.content).collect::<Vec<_>>(), b.iter().map(|c| &c.content).collect::<Vec<_>>());
        // A mid-frequency word is in some cases, not in nearly all.
        let with = |w: &str| {
            a.iter()
                .filter(|c| {
                    let t = format!("{:?}", c.content.sections);
                    t.to_lowercase().split(|ch: char| !ch.is_alphabetic()).any(|x| x == w)
                })
                .count()
        };
        assert!(with("pengaduan") < 40, "{}", with("pengaduan"));
        assert!(a.iter().all(|c| c.status == Status::Published && !c.content.title.0.is_empty()));
    }
}
