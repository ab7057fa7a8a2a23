//! Language analysers, registered on the index under these names:
//! - `en`: words, lower case, ASCII folding, English Snowball stemmer;
//! - `id`: words, lower case, ASCII folding, the Indonesian stemmer, one of
//!   each reduplicated pair (*kota-kota*);
//! - `folded`: words, lower case, ASCII folding (every other language);
//! - `prefix`: lower-cased edge n-grams of titles, for suggestions.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, NgramTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

use crate::indonesian::IndonesianStemmer;
use crate::reduplication::Reduplication;

pub const EN: &str = "lumbung_en";
pub const ID: &str = "lumbung_id";
pub const FOLDED: &str = "lumbung_folded";
pub const PREFIX: &str = "lumbung_prefix";

/// The analyser for a content language.
pub fn analyser_for(lang: &str) -> &'static str {
    match lang {
        "en" => EN,
        "id" => ID,
        _ => FOLDED,
    }
}

pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn indonesian() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(IndonesianStemmer)
        .filter(Reduplication)
        .build()
}

pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn prefix() -> tantivy::Result<TextAnalyzer> {
    Ok(TextAnalyzer::builder(NgramTokenizer::prefix_only(1, 20)?).filter(LowerCaser).filter(AsciiFoldingFilter).build())
}

/// Registers every analyser on an index.
pub fn register(index: &Index) -> tantivy::Result<()> {
    let manager = index.tokenizers();
    manager.register(EN, english());
    manager.register(ID, indonesian());
    manager.register(FOLDED, folded());
    manager.register(PREFIX, prefix()?);
    Ok(())
}

/// The tokens an analyser makes of a text.
pub fn tokens(analyser: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyser.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stems_and_folds() {
        assert_eq!(tokens(&mut english(), "Handling Complaints, café"), vec!["handl", "complaint", "cafe"]);
        assert_eq!(tokens(&mut english(), "handled"), tokens(&mut english(), "handling"));
    }

    #[test]
    fn indonesian_stems() {
        assert_eq!(tokens(&mut indonesian(), "Pelayanan PUBLIK melayani"), vec!["layan", "publik", "layan"]);
    }

    #[test]
    fn other_languages_are_folded() {
        assert_eq!(tokens(&mut folded(), "Thành phố Hồ Chí Minh"), vec!["thanh", "pho", "ho", "chi", "minh"]);
    }
}
