//! Loanwords between English and Indonesian. Indonesian took much of the
//! vocabulary of government and participation from Dutch and English with
//! regular spelling changes: *konstitusi* / constitution, *partisipatif* /
//! participative, *revitalisasi* / revitalisation, *komisi* / commission,
//! *transparansi* / transparency, *teknologi* / technology. A word that the
//! glossary and the learned lexicon do not translate is respelled by these
//! rules into the other language, and a search keeps the spellings that the
//! other language's text of the library actually has (see `search`).
//!
//! The rules only propose: a spelling that no case has is never searched,
//! so a rule that fits few words costs a dictionary look-up and nothing else.

/// Shortest word respelled: short words are too often another word's
/// spelling by chance.
pub const MIN_CHARS: usize = 6;

/// Indonesian endings and the English endings they come from, longest
/// first (the first that fits is used, and the word as it stands).
const ID_TO_EN_ENDINGS: &[(&str, &[&str])] = &[
    ("isasi", &["ization", "isation"]),
    ("ensi", &["ence", "ency", "ance"]),
    ("ansi", &["ance", "ancy", "ency"]),
    ("asi", &["ation", "acy"]),
    ("ksi", &["ction"]),
    ("psi", &["ption"]),
    ("usi", &["ution"]),
    ("isi", &["ition", "ision"]),
    ("si", &["sion", "tion", "cy"]),
    ("isme", &["ism"]),
    ("itas", &["ity"]),
    ("tas", &["ty"]),
    ("tif", &["tive"]),
    ("if", &["ive"]),
    ("ik", &["ic", "ics"]),
    ("ur", &["ure"]),
    ("ir", &["ear"]),
    ("i", &["y"]),
];

/// English endings and the Indonesian endings they become.
const EN_TO_ID_ENDINGS: &[(&str, &[&str])] = &[
    ("ization", &["isasi"]),
    ("isation", &["isasi"]),
    ("ation", &["asi"]),
    ("ction", &["ksi"]),
    ("ption", &["psi"]),
    ("tion", &["si"]),
    ("sion", &["si"]),
    ("ence", &["ensi"]),
    ("ency", &["ensi", "ansi"]),
    ("ance", &["ansi"]),
    ("ancy", &["ansi"]),
    ("acy", &["asi"]),
    ("ism", &["isme"]),
    ("ity", &["itas"]),
    ("ty", &["tas"]),
    ("ive", &["if"]),
    ("ics", &["ik"]),
    ("ic", &["ik"]),
    ("ical", &["is"]),
    ("ure", &["ur"]),
    ("ear", &["ir"]),
    ("y", &["i"]),
    ("e", &[""]),
];

/// English spellings an Indonesian word may come from (lower case in).
pub fn english_for(word: &str) -> Vec<String> {
    let word = word.to_lowercase();
    if word.chars().count() < MIN_CHARS || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return Vec::new();
    }
    let mut stems: Vec<(String, &str)> = Vec::new();
    if let Some((ending, english)) = ID_TO_EN_ENDINGS.iter().find(|(e, _)| word.ends_with(e)) {
        let stem = word.get(..word.len() - ending.len()).unwrap_or_default();
        stems.extend(english.iter().map(|e| (stem.to_owned(), *e)));
    }
    stems.push((word.clone(), ""));
    let mut out = Vec::new();
    for (stem, ending) in stems {
        for respelled in english_stems(&stem) {
            let candidate = format!("{respelled}{ending}");
            if candidate != word && !out.contains(&candidate) {
                out.push(candidate);
            }
        }
    }
    out
}

/// The English spellings of an Indonesian stem: *k* is English *c* (or *ck*
/// at the end of a syllable, not tried), *s* before *e*, *i*, *y* is often
/// English *c* (*sipil* / civil, *partisipasi* / participation), *f* may be
/// *ph*, *ks* is *x*, *kw* is *qu*.
fn english_stems(stem: &str) -> Vec<String> {
    let base = stem.replace("kw", "qu").replace("ks", "x");
    let k_to_c = base.replace('k', "c");
    let mut out = vec![base.clone(), k_to_c.clone()];
    for s in [&base, &k_to_c] {
        let soft = soft_c(s);
        if !out.contains(&soft) {
            out.push(soft);
        }
    }
    if base.contains('f') {
        out.push(k_to_c.replace('f', "ph"));
    }
    out.dedup();
    out
}

/// *s* before *e* or *i* spelled *c* (the soft *c* Indonesian writes as *s*).
fn soft_c(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let next = chars.get(i + 1).copied();
            // Not at the start (*sistem*, *sekolah*): Indonesian words that
            // begin with *s* mostly began with it in English too.
            if *c == 's' && i > 0 && matches!(next, Some('e' | 'i')) { 'c' } else { *c }
        })
        .collect()
}

/// Indonesian spellings an English word may have become (lower case in).
pub fn indonesian_for(word: &str) -> Vec<String> {
    let word = word.to_lowercase();
    if word.chars().count() < MIN_CHARS || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return Vec::new();
    }
    let mut stems: Vec<(String, &str)> = Vec::new();
    if let Some((ending, indonesian)) = EN_TO_ID_ENDINGS.iter().find(|(e, _)| word.ends_with(e)) {
        let stem = word.get(..word.len() - ending.len()).unwrap_or_default();
        stems.extend(indonesian.iter().map(|e| (stem.to_owned(), *e)));
    }
    stems.push((word.clone(), ""));
    let mut out = Vec::new();
    for (stem, ending) in stems {
        // Respelled whole, so a letter doubled across the ending is single
        // (*commis-sion*, *komisi*); the endings have nothing to respell.
        let candidate = indonesian_stem(&format!("{stem}{ending}"));
        if candidate != word && !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

/// The Indonesian spelling of an English stem: doubled letters single, *ph*
/// is *f*, *qu* is *kw*, *x* is *ks*, *y* inside a word is *i*, and *c* is
/// *s* before *e*, *i* and *y*, else *k*.
fn indonesian_stem(stem: &str) -> String {
    let s = stem.replace("ph", "f").replace("qu", "kw").replace('x', "ks").replace("th", "t").replace("ch", "k");
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for (i, c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let c = match c {
            'c' if matches!(next, Some('e' | 'i' | 'y')) => 's',
            'c' => 'k',
            'y' => 'i',
            other => *other,
        };
        if last != Some(c) {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_loanwords_are_respelled_in_english() {
        for (id, en) in [
            ("konstitusi", "constitution"),
            ("partisipatif", "participative"),
            ("deliberatif", "deliberative"),
            ("revitalisasi", "revitalization"),
            ("legislasi", "legislation"),
            ("demokrasi", "democracy"),
            ("transparansi", "transparency"),
            ("ekonomi", "economy"),
            ("nuklir", "nuclear"),
            ("infrastruktur", "infrastructure"),
            ("elektronik", "electronic"),
        ] {
            let out = english_for(id);
            assert!(out.iter().any(|c| c == en), "{id} → {out:?}");
        }
        assert!(english_for("desa").is_empty(), "too short");
        assert!(english_for("kota-kota").is_empty());
    }

    #[test]
    fn english_loanwords_are_respelled_in_indonesian() {
        for (en, id) in [
            ("constitution", "konstitusi"),
            ("commission", "komisi"),
            ("revitalisation", "revitalisasi"),
            ("transparency", "transparansi"),
            ("technology", "teknologi"),
            ("community", "komunitas"),
            ("participative", "partisipatif"),
            ("nuclear", "nuklir"),
            ("public", "publik"),
        ] {
            let out = indonesian_for(en);
            assert!(out.iter().any(|c| c == id), "{en} → {out:?}");
        }
    }
}
