//! A bilingual lexicon learned from the library itself: cases that people
//! translated are parallel text, section by section. IBM Model 1 (EM over
//! word-translation probabilities) is trained both ways on the analysed
//! (stemmed) words of each aligned English/Indonesian text pair, and a pair
//! of words is kept when each is the other's most likely translation with a
//! probability and a co-occurrence count above a threshold. Each entry
//! carries a confidence (the geometric mean of the two probabilities), so it
//! can stand beside the curated glossary with a lower weight.

use std::collections::HashMap;

use crate::analysis;

/// EM rounds: Model 1 converges quickly on a few hundred pairs.
const ROUNDS: usize = 8;
/// Fewest aligned texts a pair must share.
const MIN_COUNT: usize = 2;
/// Least probability each way.
const MIN_PROBABILITY: f64 = 0.3;
/// Words in more than this share of the texts (function words) are left out.
const MAX_SHARE: f64 = 0.4;

/// An aligned text pair as analysed words: (English, Indonesian).
type Aligned = (Vec<String>, Vec<String>);

/// One learned translation, of analysed (stemmed) words.
#[derive(Debug, Clone, PartialEq)]
pub struct Learned {
    pub en: String,
    pub id: String,
    /// 0–1: the geometric mean of P(en|id) and P(id|en).
    pub confidence: f64,
    /// Aligned texts that have both words.
    pub count: usize,
}

/// The learned lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    entries: Vec<Learned>,
    by_en: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
}

impl Lexicon {
    /// Learns from aligned (English, Indonesian) texts.
    pub fn learn<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Lexicon {
        let (mut en_an, mut id_an) = (analysis::english(), analysis::indonesian());
        let sentences: Vec<(Vec<String>, Vec<String>)> = pairs
            .into_iter()
            .flat_map(|(en, id)| sentence_pairs(en, id))
            .map(|(en, id)| (dedup(analysis::tokens(&mut en_an, en)), dedup(analysis::tokens(&mut id_an, id))))
            .filter(|(e, i)| !e.is_empty() && !i.is_empty())
            .collect();
        let n = sentences.len().max(1) as f64;
        let frequent = |side: &dyn Fn(&Aligned) -> &Vec<String>| {
            let mut df: HashMap<&str, usize> = HashMap::new();
            for s in &sentences {
                for w in side(s) {
                    *df.entry(w.as_str()).or_default() += 1;
                }
            }
            df.into_iter().filter(|(_, c)| *c as f64 > MAX_SHARE * n).map(|(w, _)| w.to_owned()).collect::<Vec<_>>()
        };
        let (en_stop, id_stop) = (frequent(&|s| &s.0), frequent(&|s| &s.1));
        let sentences: Vec<(Vec<String>, Vec<String>)> = sentences
            .iter()
            .map(|(e, i)| {
                (
                    e.iter().filter(|w| !en_stop.contains(w) && w.len() > 2).cloned().collect(),
                    i.iter().filter(|w| !id_stop.contains(w) && w.len() > 2).cloned().collect(),
                )
            })
            .filter(|(e, i): &(Vec<String>, Vec<String>)| !e.is_empty() && !i.is_empty())
            .collect();
        let flipped: Vec<(Vec<String>, Vec<String>)> = sentences.iter().map(|(e, i)| (i.clone(), e.clone())).collect();
        let en_given_id = model1(&sentences);
        let id_given_en = model1(&flipped);
        let (best_en, best_id) = (en_given_id, id_given_en);
        let mut entries = Vec::new();
        for (id_word, (en_word, p_en)) in &best_en {
            let Some((back, p_id)) = best_id.get(en_word) else { continue };
            let count = sentences.iter().filter(|(e, i)| e.contains(en_word) && i.contains(id_word)).count();
            if back == id_word && *p_en >= MIN_PROBABILITY && *p_id >= MIN_PROBABILITY && count >= MIN_COUNT {
                entries.push(Learned {
                    en: en_word.clone(),
                    id: id_word.clone(),
                    confidence: (p_en * p_id).sqrt(),
                    count,
                });
            }
        }
        entries.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.en.cmp(&b.en)));
        let by_en = entries.iter().enumerate().map(|(n, e)| (e.en.clone(), n)).collect();
        let by_id = entries.iter().enumerate().map(|(n, e)| (e.id.clone(), n)).collect();
        Lexicon { entries, by_en, by_id }
    }

    pub fn entries(&self) -> &[Learned] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The learned translation of an analysed word of `lang` ("en"/"id").
    pub fn translate(&self, lang: &str, word: &str) -> Option<&Learned> {
        let at = if lang == "en" { self.by_en.get(word) } else { self.by_id.get(word) };
        at.and_then(|n| self.entries.get(*n))
    }
}

/// A translated text's sentences side by side when both languages have as
/// many (translators keep the sentences of a section), else the whole texts:
/// a word then only competes with the words of its own sentence for a
/// translation, which sharpens what Model 1 learns from the same text.
pub fn sentence_pairs<'a>(en: &'a str, id: &'a str) -> Vec<(&'a str, &'a str)> {
    let (e, i) = (sentences(en), sentences(id));
    if e.len() > 1 && e.len() == i.len() { e.into_iter().zip(i).collect() } else { vec![(en, id)] }
}

/// The sentences of a text: cut after `.`, `!` or `?` followed by a space
/// and a capital letter or digit (not after "e.g. the", "No. 5" is cut, which
/// both languages do alike).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let Some(&(space, next)) = chars.peek() else { break };
        if !next.is_whitespace() {
            continue;
        }
        let rest = text.get(space..).unwrap_or_default().trim_start();
        if rest.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
            let sentence = text.get(start..=at).unwrap_or_default().trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = space;
        }
    }
    let last = text.get(start..).unwrap_or_default().trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

fn dedup(mut words: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(w.clone()));
    words
}

/// IBM Model 1: P(target word | source word) from (target, source) texts,
/// with a NULL source word, by expectation maximisation; returns each source
/// word's most likely target word and its probability. Words are numbered
/// and pairs packed into one integer key: this runs on every rebuild.
fn model1(pairs: &[(Vec<String>, Vec<String>)]) -> HashMap<String, (String, f64)> {
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let mut words: Vec<&str> = vec!["\u{0}"];
    for (target, source) in pairs {
        for w in target.iter().chain(source) {
            if !numbers.contains_key(w.as_str()) {
                numbers.insert(w.as_str(), words.len() as u32);
                words.push(w.as_str());
            }
        }
    }
    let number = |w: &str| numbers.get(w).copied().unwrap_or(0);
    let texts: Vec<(Vec<u32>, Vec<u32>)> = pairs
        .iter()
        .map(|(t, s)| {
            let target = t.iter().map(|w| number(w)).collect();
            let source = s.iter().map(|w| number(w)).chain([0]).collect();
            (target, source)
        })
        .collect();
    let key = |f: u32, e: u32| (u64::from(f) << 32) | u64::from(e);
    let mut t: HashMap<u64, f64> = HashMap::new();
    for (target, source) in &texts {
        for f in target {
            for e in source {
                t.insert(key(*f, *e), 1.0);
            }
        }
    }
    for _ in 0..ROUNDS {
        let mut count: HashMap<u64, f64> = HashMap::with_capacity(t.len());
        let mut total: HashMap<u32, f64> = HashMap::new();
        for (target, source) in &texts {
            let mut row: Vec<f64> = Vec::with_capacity(source.len());
            for f in target {
                row.clear();
                row.extend(source.iter().map(|e| t.get(&key(*f, *e)).copied().unwrap_or(0.0)));
                let z: f64 = row.iter().sum();
                if z <= 0.0 {
                    continue;
                }
                for (e, p) in source.iter().zip(&row) {
                    let c = p / z;
                    *count.entry(key(*f, *e)).or_default() += c;
                    *total.entry(*e).or_default() += c;
                }
            }
        }
        for (k, c) in count {
            let sum = total.get(&((k & 0xffff_ffff) as u32)).copied().unwrap_or(1.0);
            t.insert(k, c / sum);
        }
    }
    // For each source word, its most likely target word (ties: the first
    // in alphabetical order).
    let mut best: HashMap<u32, (u32, f64)> = HashMap::new();
    for (k, p) in t {
        let (f, e) = ((k >> 32) as u32, (k & 0xffff_ffff) as u32);
        if e == 0 {
            continue;
        }
        let slot = best.entry(e).or_insert((f, 0.0));
        let name = |n: u32| words.get(n as usize).copied().unwrap_or_default();
        if p > slot.1 || (p == slot.1 && name(f) < name(slot.0)) {
            *slot = (f, p);
        }
    }
    let word = |n: u32| words.get(n as usize).copied().unwrap_or_default().to_owned();
    best.into_iter().map(|(e, (f, p))| (word(e), (word(f), p))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_words_that_translate_each_other() {
        let pairs = [
            ("The village budget is public", "Anggaran desa terbuka untuk umum"),
            ("The village map shows land", "Peta desa menunjukkan lahan"),
            ("Residents complain about the budget", "Warga mengadu tentang anggaran"),
            ("A map of flood risk", "Peta risiko banjir"),
            ("Flood warning for the village", "Peringatan banjir untuk desa"),
            ("Complaints about flood warning", "Pengaduan tentang peringatan banjir"),
            ("School admission by zone", "Penerimaan sekolah berdasarkan zona"),
            ("Health posts for mothers", "Pos kesehatan bagi ibu"),
            ("School health for mothers", "Kesehatan sekolah bagi ibu"),
        ];
        let lexicon = Lexicon::learn(pairs);
        let pair = |en: &str| lexicon.translate("en", en).map(|l| l.id.clone());
        assert_eq!(pair("map"), Some("peta".into()), "{:?}", lexicon.entries());
        assert_eq!(pair("flood"), Some("banjir".into()), "{:?}", lexicon.entries());
        assert_eq!(lexicon.translate("id", "anggar").map(|l| l.en.as_str()), Some("budget"));
        assert!(lexicon.entries().iter().all(|l| l.confidence > 0.0 && l.confidence <= 1.0));
    }

    #[test]
    fn translated_texts_are_aligned_sentence_by_sentence_when_they_can_be() {
        let en = "Residents report. The office answers in five days! Is it fast? Yes.";
        let id = "Warga melapor. Kantor menjawab dalam lima hari! Apakah cepat? Ya.";
        assert_eq!(
            sentence_pairs(en, id),
            [
                ("Residents report.", "Warga melapor."),
                ("The office answers in five days!", "Kantor menjawab dalam lima hari!"),
                ("Is it fast?", "Apakah cepat?"),
                ("Yes.", "Ya."),
            ]
        );
        // Not as many sentences: the whole texts.
        assert_eq!(sentence_pairs("One. Two.", "Satu dan dua."), [("One. Two.", "Satu dan dua.")]);
        assert_eq!(
            sentence_pairs("Version 2.5 is out.", "Versi 2.5 keluar."),
            [("Version 2.5 is out.", "Versi 2.5 keluar.")]
        );
    }

    #[test]
    fn nothing_to_learn_from_nothing() {
        assert!(Lexicon::learn([]).is_empty());
        assert!(Lexicon::learn([("", ""), ("only english", "")]).is_empty());
    }
}
