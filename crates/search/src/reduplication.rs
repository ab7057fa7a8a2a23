//! Indonesian reduplication: *kota-kota* (cities), *desa-desa* (villages),
//! *berbeda-beda* mark a plural or a variety, not a word said twice. The
//! tokenizer splits them at the hyphen; after stemming both halves are the
//! same root (*kota kota*, *beda beda*), and this filter keeps one, so a
//! title with *kota-kota* is not counted as twice as much about *kota*, and
//! a query *kota-kota* matches *kota* (and *desa-desa* matches *desa*).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Token filter: drops a token equal to the one just before it when only one
/// character (the hyphen) separates them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reduplication;

impl TokenFilter for Reduplication {
    type Tokenizer<T: Tokenizer> = ReduplicationFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        ReduplicationFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct ReduplicationFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ReduplicationFilter<T> {
    type TokenStream<'a> = ReduplicationStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ReduplicationStream { tail: self.inner.token_stream(text), previous: None }
    }
}

pub struct ReduplicationStream<T> {
    tail: T,
    /// The text and end offset of the last token passed on.
    previous: Option<(String, usize)>,
}

impl<T: TokenStream> TokenStream for ReduplicationStream<T> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token();
            let repeated =
                self.previous.as_ref().is_some_and(|(text, end)| *text == token.text && token.offset_from == end + 1);
            self.previous = Some((token.text.clone(), token.offset_to));
            if !repeated {
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{indonesian, tokens};

    #[test]
    fn reduplicated_words_count_once() {
        assert_eq!(tokens(&mut indonesian(), "kota-kota"), vec!["kota"]);
        assert_eq!(tokens(&mut indonesian(), "Desa-desa di kota-kota besar"), vec!["desa", "di", "kota", "besar"]);
        assert_eq!(tokens(&mut indonesian(), "berbeda-beda"), vec!["beda"]);
        // Not a reduplication: the same word apart.
        assert_eq!(tokens(&mut indonesian(), "kota ke kota"), vec!["kota", "ke", "kota"]);
    }
}
