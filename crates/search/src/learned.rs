//! The index's learned lexicon (see `lexicon`): learned from the published
//! cases the index holds that have text in both English and Indonesian (the
//! human translations), refreshed by the follower as translations arrive,
//! and used in queries for the reader's words the glossary does not know.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use crate::lexicon::Lexicon;
use crate::{SearchError, SearchIndex};

/// Most bilingual cases learned from: the lexicon is a few thousand words
/// and more text adds little, while learning time grows with it.
const MAX_CASES: usize = 3_000;
/// Most word-pair cells (the product of the two texts' word counts, summed
/// over the aligned texts) one learning takes: the alignment's work grows
/// with them. Titles come first, then summaries, then sections, while they fit:
/// seconds of one core, where the bodies of 3,000 long cases took minutes of
/// both cores on a large node, every time the follower relearned (#10, #15).
const MAX_CELLS: usize = 1_000_000;
/// The follower relearns at most this often, when the index's cases changed.
pub const REFRESH_EVERY: Duration = Duration::from_secs(600);
/// ...and an empty lexicon (a new node, or cases that teach nothing) at most
/// this often: relearning it at every change kept a core busy for as long
/// as the node was being written to (#10: a learning is seconds of a core).
pub const RETRY_EMPTY_EVERY: Duration = Duration::from_secs(60);

/// The current lexicon and when and at which position it was learned.
#[derive(Default)]
pub struct LearnedState {
    pub lexicon: Arc<Lexicon>,
    pub position: i64,
    pub at: Option<Instant>,
}

impl SearchIndex {
    /// The lexicon queries use now (empty until first learned).
    pub fn lexicon(&self) -> Arc<Lexicon> {
        Arc::clone(&self.inner.learned.read().unwrap_or_else(|p| p.into_inner()).lexicon)
    }

    /// Whether the follower should relearn: never learned, or the index has
    /// moved on and the last learning is old enough.
    pub fn lexicon_is_stale(&self) -> bool {
        let state = self.inner.learned.read().unwrap_or_else(|p| p.into_inner());
        match state.at {
            None => true,
            Some(at) => due(state.lexicon.is_empty(), state.position != self.position(), at.elapsed()),
        }
    }

    /// Relearns when the lexicon is stale, on a thread of its own. The
    /// follower calls this after cases changed; queries meanwhile use the
    /// previous lexicon.
    pub fn relearn_in_background(&self) {
        if !self.lexicon_is_stale() {
            return;
        }
        // Mark it as being learned now, so the next tick does not start another.
        {
            let mut state = self.inner.learned.write().unwrap_or_else(|p| p.into_inner());
            state.at = Some(Instant::now());
            state.position = self.position();
        }
        let this = self.clone();
        let learning = std::thread::Builder::new().name("lexicon".into()).spawn(move || {
            if let Err(e) = this.refresh_lexicon() {
                tracing::warn!(error = %e, "learning the lexicon failed");
            }
        });
        if let Err(e) = learning {
            tracing::warn!(error = %e, "cannot start learning the lexicon");
        }
    }

    /// Learns the lexicon again from the index's bilingual cases; returns
    /// how many entries it learned. Blocking (seconds on a large library).
    pub fn refresh_lexicon(&self) -> Result<usize, SearchError> {
        let position = self.position();
        let searcher = self.searcher();
        let f = self.fields();
        let (en, id) = (f.en, f.id_lang);
        // Aligned texts: titles, summaries and sections.
        let mut aligned: [Vec<(String, String)>; 3] = Default::default();
        let mut cases = 0;
        'segments: for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let (norms_en, norms_id) =
                (reader.get_fieldnorms_reader(en.title)?, reader.get_fieldnorms_reader(id.title)?);
            for doc in 0..reader.max_doc() {
                if reader.is_deleted(doc) || norms_en.fieldnorm_id(doc) == 0 || norms_id.fieldnorm_id(doc) == 0 {
                    continue;
                }
                if cases == MAX_CASES {
                    break 'segments;
                }
                cases += 1;
                let stored: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc))?;
                // Title with title, summary with summary, and the sections
                // in order when both languages have the same number of them.
                let texts = |field| -> Vec<String> {
                    stored.get_all(field).filter_map(|v| v.as_str().map(str::to_owned)).collect()
                };
                let fields = [(en.title, id.title), (en.summary, id.summary), (en.body, id.body)];
                for (kept, (a, b)) in aligned.iter_mut().zip(fields) {
                    let (a, b) = (texts(a), texts(b));
                    if a.len() == b.len() {
                        kept.extend(a.into_iter().zip(b).filter(|(a, b)| !a.is_empty() && !b.is_empty()));
                    }
                }
            }
        }
        let (pairs, cells) = within_budget(aligned, MAX_CELLS);
        let lexicon = Lexicon::learn(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())));
        let learned = lexicon.len();
        let mut state = self.inner.learned.write().unwrap_or_else(|p| p.into_inner());
        *state = LearnedState { lexicon: Arc::new(lexicon), position, at: Some(Instant::now()) };
        tracing::debug!(cases, cells, learned, "learned lexicon refreshed");
        Ok(learned)
    }
}

/// Whether a lexicon learned `since` ago is due to be learned again: only
/// when the index `moved` since, and not more often than its interval.
fn due(empty: bool, moved: bool, since: Duration) -> bool {
    moved && since >= if empty { RETRY_EMPTY_EVERY } else { REFRESH_EVERY }
}

/// The aligned texts (titles, summaries, sections) that fit `max` cells,
/// in that order, and the cells they take.
fn within_budget(aligned: [Vec<(String, String)>; 3], max: usize) -> (Vec<(String, String)>, usize) {
    let mut pairs = Vec::new();
    let mut cells = 0;
    for (a, b) in aligned.into_iter().flatten() {
        let size = a.split_whitespace().count() * (b.split_whitespace().count() + 1);
        if cells + size <= max {
            cells += size;
            pairs.push((a, b));
        }
    }
    (pairs, cells)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use std::collections::HashMap;

    use lumbung_core::{Case, CaseContent, Status, Text};

    use super::{Duration, REFRESH_EVERY, RETRY_EMPTY_EVERY, due};
    use crate::{SearchIndex, SearchRequest};

    fn case(n: usize, title: &[(&str, &str)]) -> Case {
        let mut text = Text::default();
        for (lang, t) in title {
            text.0.insert((*lang).to_owned(), (*t).to_owned());
        }
        let lang = title.first().map(|(l, _)| *l).unwrap_or("en").to_owned();
        let content = CaseContent { title: text, original_language: lang, ..Default::default() };
        Case::new(format!("case-{n}"), content, Status::Published, None, lumbung_core::clock::now())
    }

    /// A small budget keeps every title and what else fits, never a long
    /// section that would exceed it.
    #[test]
    fn learning_keeps_titles_first_within_its_budget() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        let long = "word ".repeat(100);
        let aligned = [
            vec![pair("school gardens", "kebun sekolah"), pair("fishers", "nelayan")],
            vec![pair("a short summary", "ringkasan pendek")],
            vec![pair(&long, &long), pair("a short section", "bagian pendek")],
        ];
        let (pairs, cells) = super::within_budget(aligned, 100);
        let kept: Vec<&str> = pairs.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(kept, ["school gardens", "fishers", "a short summary", "a short section"]);
        assert_eq!(cells, 2 * 3 + 2 + 3 * 3 + 3 * 3);
    }

    /// Translated cases teach "lantern" ⇄ "lentera" (no glossary entry), and
    /// an English search then finds a case written only in Indonesian.
    #[test]
    fn a_lexicon_is_relearned_only_when_the_index_moved_and_its_interval_passed() {
        let (second, minute) = (Duration::from_secs(1), Duration::from_secs(60));
        // Nothing new in the index: never, however old.
        assert!(!due(true, false, REFRESH_EVERY * 10));
        assert!(!due(false, false, REFRESH_EVERY * 10));
        // An empty lexicon (cases that teach nothing): once a minute, not at every change.
        assert!(!due(true, true, second));
        assert!(!due(true, true, RETRY_EMPTY_EVERY - second));
        assert!(due(true, true, RETRY_EMPTY_EVERY));
        // A learned one: every ten minutes.
        assert!(!due(false, true, RETRY_EMPTY_EVERY));
        assert!(!due(false, true, REFRESH_EVERY - minute));
        assert!(due(false, true, REFRESH_EVERY));
    }

    #[test]
    fn translations_in_the_library_teach_words_that_queries_then_use() {
        let dir = std::env::temp_dir().join(format!("lumbung-search-learned-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = SearchIndex::open(&dir).unwrap();
        let pairs = [
            ("Lantern festival for the harbour", "Festival lentera untuk pelabuhan"),
            ("Lantern workshops in schools", "Lokakarya lentera di sekolah"),
            ("Harbour cleaning by fishers", "Pembersihan pelabuhan oleh nelayan"),
            ("School gardens", "Kebun sekolah"),
            ("Fishers cooperative", "Koperasi nelayan"),
        ];
        let mut cases: Vec<Case> =
            pairs.iter().enumerate().map(|(n, (en, id))| case(n, &[("en", en), ("id", id)])).collect();
        cases.push(case(10, &[("id", "Lentera tenaga surya bagi desa terpencil")]));
        index.add(&cases, &HashMap::new()).unwrap();
        index.commit(1).unwrap();
        assert!(index.lexicon().is_empty() && index.lexicon_is_stale());
        let search = |q: &str| {
            let req = SearchRequest { q: q.into(), lang: "en".into(), limit: 10, ..Default::default() };
            index.search(&req).unwrap().items.into_iter().map(|h| h.id).collect::<Vec<_>>()
        };
        assert!(!search("lantern").contains(&"case-10".to_owned()));
        assert!(index.refresh_lexicon().unwrap() > 0);
        assert_eq!(index.lexicon().translate("en", "lantern").map(|l| l.id.as_str()), Some("lentera"));
        assert!(search("lantern").contains(&"case-10".to_owned()), "{:?}", search("lantern"));
        assert!(!index.lexicon_is_stale());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
