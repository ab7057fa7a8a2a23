//! The bilingual glossary of public-administration terms
//! (`data/glossary.tsv`, written by the team): English ⇄ Indonesian, with
//! synonyms. Queries are matched against it on analysed (stemmed) words, so
//! *complaints handled* finds the entry *complaint handling*; each match adds
//! the entry's other terms, in both languages, as lower-ranked alternatives.

use std::sync::OnceLock;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;

/// The glossary as shipped.
pub const GLOSSARY_TSV: &str = include_str!("../data/glossary.tsv");

/// One concept: its terms in English and in Indonesian (preferred first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub en: Vec<String>,
    pub id: Vec<String>,
}

/// A term to add to a query: its language and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub lang: &'static str,
    pub text: String,
}

/// The alternatives of one glossary concept found in a query, with the
/// analysed words of the query that matched it (in `matched_lang`), so a
/// search can treat the reader's words and their alternatives as one concept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    pub entry: usize,
    pub matched_lang: &'static str,
    pub matched: Vec<String>,
    pub alternatives: Vec<Expansion>,
}

/// The English adjectives of the vocabulary's countries, by code (English
/// writes "Danish", "Irish" where Indonesian writes the country's name).
const DEMONYMS: &[(&str, &str)] = &[
    ("AR", "argentine | argentinian"),
    ("AT", "austrian"),
    ("AU", "australian"),
    ("BD", "bangladeshi"),
    ("BE", "belgian"),
    ("BG", "bulgarian"),
    ("BR", "brazilian"),
    ("CA", "canadian"),
    ("CH", "swiss"),
    ("CL", "chilean"),
    ("CN", "chinese"),
    ("CO", "colombian"),
    ("CR", "costa rican"),
    ("CZ", "czech"),
    ("DE", "german"),
    ("DK", "danish"),
    ("EE", "estonian"),
    ("EG", "egyptian"),
    ("ES", "spanish"),
    ("FI", "finnish"),
    ("FJ", "fijian"),
    ("FR", "french"),
    ("GB", "uk | british | britain"),
    ("GR", "greek"),
    ("HR", "croatian"),
    ("HU", "hungarian"),
    ("ID", "indonesian"),
    ("IE", "irish"),
    ("IL", "israeli"),
    ("IN", "indian"),
    ("IS", "icelandic"),
    ("IT", "italian"),
    ("JP", "japanese"),
    ("KE", "kenyan"),
    ("KH", "cambodian"),
    ("KR", "korean"),
    ("LA", "laotian | lao"),
    ("LK", "sri lankan"),
    ("LT", "lithuanian"),
    ("LV", "latvian"),
    ("MA", "moroccan"),
    ("MM", "burmese"),
    ("MN", "mongolian"),
    ("MX", "mexican"),
    ("MY", "malaysian"),
    ("NG", "nigerian"),
    ("NL", "dutch"),
    ("NO", "norwegian"),
    ("NP", "nepali | nepalese"),
    ("NZ", "new zealander"),
    ("PE", "peruvian"),
    ("PH", "filipino | philippine"),
    ("PK", "pakistani"),
    ("PL", "polish"),
    ("PT", "portuguese"),
    ("RO", "romanian"),
    ("RW", "rwandan"),
    ("SA", "saudi"),
    ("SE", "swedish"),
    ("SG", "singaporean"),
    ("SI", "slovenian"),
    ("SK", "slovak"),
    ("TH", "thai"),
    ("TL", "timorese"),
    ("TR", "turkish"),
    ("UA", "ukrainian"),
    ("US", "american | usa"),
    ("VN", "vietnamese"),
    ("ZA", "south african"),
];

/// A parsed glossary with analysed forms for matching.
pub struct Glossary {
    entries: Vec<Entry>,
    /// (entry index, language, analysed tokens) for every term.
    forms: Vec<(usize, &'static str, Vec<String>)>,
}

/// Why the glossary file is not valid.
#[derive(Debug, thiserror::Error)]
#[error("glossary line {line}: {reason}")]
pub struct GlossaryError {
    pub line: usize,
    pub reason: String,
}

impl Glossary {
    /// Parses the TSV format: `english | synonym<TAB>indonesian | sinonim`.
    pub fn parse(text: &str) -> Result<Glossary, GlossaryError> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (en, id) = line
                .split_once('\t')
                .ok_or_else(|| GlossaryError { line: i + 1, reason: "no tab between English and Indonesian".into() })?;
            let split = |s: &str| -> Vec<String> {
                s.split('|').map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect()
            };
            let entry = Entry { en: split(en), id: split(id) };
            if entry.en.is_empty() || entry.id.is_empty() {
                return Err(GlossaryError { line: i + 1, reason: "a side is empty".into() });
            }
            entries.push(entry);
        }
        let (mut en, mut id) = (analysis::english(), analysis::indonesian());
        let mut forms = Vec::new();
        for (n, entry) in entries.iter().enumerate() {
            for term in &entry.en {
                forms.push((n, "en", analysis::tokens(&mut en, term)));
            }
            for term in &entry.id {
                forms.push((n, "id", analysis::tokens(&mut id, term)));
            }
        }
        forms.retain(|(_, _, tokens)| !tokens.is_empty());
        Ok(Glossary { entries, forms })
    }

    /// The shipped glossary (parsed once), plus the English and Indonesian
    /// names of countries and sectors from the vocabularies.
    pub fn shipped() -> &'static Glossary {
        static SHIPPED: OnceLock<Glossary> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            let mut text = GLOSSARY_TSV.to_owned();
            for terms in [lumbung_core::vocab::COUNTRIES, lumbung_core::vocab::SECTORS] {
                for t in terms {
                    let (mut en, id) = (t.en.to_lowercase(), t.id.to_lowercase());
                    // English says "Irish citizens' assembly" where Indonesian
                    // says "majelis warga Irlandia".
                    let demonyms = DEMONYMS.iter().find(|(code, _)| *code == t.code).map(|(_, d)| *d);
                    if let Some(d) = demonyms {
                        en = format!("{en} | {d}");
                    }
                    if en != id {
                        text.push_str(&format!("\n{en}\t{id}"));
                    }
                }
            }
            Glossary::parse(&text).unwrap_or_else(|e| {
                tracing::error!(error = %e, "the shipped glossary does not parse; cross-language expansion is off");
                Glossary { entries: Vec::new(), forms: Vec::new() }
            })
        })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The alternatives for every glossary term found in `query`, in both
    /// languages, without the words the query already has.
    pub fn expand(&self, query: &str) -> Vec<Expansion> {
        self.concepts(query).into_iter().flat_map(|c| c.alternatives).collect()
    }

    /// The glossary concepts found in `query`, longest match first, each with
    /// its alternatives (no term twice, none the query already has).
    pub fn concepts(&self, query: &str) -> Vec<Concept> {
        let en_tokens = analysis::tokens(&mut analysis::english(), query);
        let id_tokens = analysis::tokens(&mut analysis::indonesian(), query);
        let mut matched: Vec<(usize, &'static str, &Vec<String>)> = Vec::new();
        for (n, lang, form) in &self.forms {
            let hay = if *lang == "en" { &en_tokens } else { &id_tokens };
            if contains_run(hay, form) {
                match matched.iter_mut().find(|(m, _, _)| m == n) {
                    Some(found) if found.2.len() < form.len() => *found = (*n, lang, form),
                    Some(_) => {}
                    None => matched.push((*n, lang, form)),
                }
            }
        }
        matched.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then(a.0.cmp(&b.0)));
        let lowered = query.to_lowercase();
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for (n, matched_lang, form) in matched {
            let Some(entry) = self.entries.get(n) else { continue };
            let mut alternatives = Vec::new();
            for (lang, terms) in [("en", &entry.en), ("id", &entry.id)] {
                for t in terms {
                    if !lowered.contains(t.as_str()) && !seen.contains(t) {
                        seen.push(t.clone());
                        alternatives.push(Expansion { lang, text: t.clone() });
                    }
                }
            }
            out.push(Concept { entry: n, matched_lang, matched: form.clone(), alternatives });
        }
        out
    }
}

/// Whether every word of a glossary term is in the query, in any order
/// (*handling complaints* matches *complaint handling*).
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && needle.iter().all(|n| hay.contains(n))
}

/// The analyser for a glossary language, for building query terms.
pub fn analyser(lang: &str) -> TextAnalyzer {
    if lang == "id" { analysis::indonesian() } else { analysis::english() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_glossary_parses_with_enough_entries() {
        let g = Glossary::parse(GLOSSARY_TSV);
        assert!(g.is_ok(), "{:?}", g.err());
        let n = g.map(|g| g.entries().len()).unwrap_or(0);
        assert!(n >= 300, "only {n} entries");
    }

    #[test]
    fn expands_both_ways_on_stemmed_words() {
        let g =
            Glossary::parse("complaint handling | grievance redress\tpenanganan pengaduan | pengelolaan pengaduan\n")
                .ok()
                .unwrap_or_else(|| Glossary { entries: vec![], forms: vec![] });
        let to_id = g.expand("Handling complaints quickly");
        assert!(to_id.contains(&Expansion { lang: "id", text: "penanganan pengaduan".into() }), "{to_id:?}");
        assert!(to_id.contains(&Expansion { lang: "en", text: "grievance redress".into() }));
        let to_en = g.expand("menangani pengaduan warga");
        assert!(to_en.contains(&Expansion { lang: "en", text: "complaint handling".into() }), "{to_en:?}");
        assert!(g.expand("bridges").is_empty());
    }

    /// The abbreviations Indonesian government writing lives on expand to
    /// their long form and to English, and the English finds them back.
    #[test]
    fn government_abbreviations_expand_both_ways() {
        let g = Glossary::shipped();
        let cases = [
            ("pemda", "local government"),
            ("pemkot", "city government"),
            ("pemkab", "regency government"),
            ("opd", "regional government agency"),
            ("asn", "civil servant"),
            ("umkm", "micro small medium enterprises"),
            ("puskesmas", "community health centre"),
            ("dukcapil", "population administration"),
            ("bappeda", "regional development planning agency"),
            ("kemenkes", "ministry of health"),
            ("kemenpan-rb", "ministry of administrative reform"),
            ("lan", "institute of public administration"),
            ("bumdes", "village-owned enterprise"),
            ("cpns", "civil service candidate"),
            ("posyandu", "integrated health post"),
        ];
        for (abbreviation, english) in cases {
            let out = g.expand(abbreviation);
            assert!(out.iter().any(|e| e.lang == "en" && e.text == english), "{abbreviation} → {out:?}");
            assert!(
                out.iter().any(|e| e.lang == "id" && e.text.split(' ').count() > 1),
                "{abbreviation}: no long form"
            );
            let back = g.expand(english);
            assert!(back.iter().any(|e| e.text == abbreviation), "{english} does not find {abbreviation}: {back:?}");
        }
    }

    #[test]
    fn bad_lines_are_reported() {
        assert!(matches!(Glossary::parse("# ok\nno tab here\n"), Err(GlossaryError { line: 2, .. })));
    }
}
