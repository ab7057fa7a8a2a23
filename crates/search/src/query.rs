//! The query language: words, "quoted phrases", `+required` and `-excluded`
//! words or phrases. Anything else is read as words: unbalanced quotes close
//! at the end, stray operators are ignored, control characters are dropped.

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most terms used from one query.
pub const MAX_TERMS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    Should,
    Must,
    MustNot,
}

/// One word or phrase of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub occur: Occur,
    pub text: String,
    pub phrase: bool,
}

/// Why a query is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is longer than {MAX_QUERY_CHARS} characters")]
    TooLong,
}

/// Parses a query into clauses.
pub fn parse(input: &str) -> Result<Vec<Clause>, QueryError> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let cleaned: String = input.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut clauses = Vec::new();
    let mut chars = cleaned.chars().peekable();
    while clauses.len() < MAX_TERMS {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let occur = match first {
            '+' => {
                chars.next();
                Occur::Must
            }
            '-' => {
                chars.next();
                Occur::MustNot
            }
            _ => Occur::Should,
        };
        let (text, phrase) = if chars.peek() == Some(&'"') {
            chars.next();
            let mut t = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                t.push(c);
            }
            (t, true)
        } else {
            let mut t = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                t.push(c);
                chars.next();
            }
            (t, false)
        };
        let text = text.trim().to_owned();
        if text.chars().any(char::is_alphanumeric) {
            clauses.push(Clause { occur, text, phrase });
        }
    }
    // A query of only exclusions matches nothing useful: treat them as words.
    if clauses.iter().all(|c| c.occur == Occur::MustNot) {
        for c in &mut clauses {
            c.occur = Occur::Should;
        }
    }
    Ok(clauses)
}

/// The plain words of a query (for glossary matching and highlighting).
pub fn positive_text(clauses: &[Clause]) -> String {
    clauses.iter().filter(|c| c.occur != Occur::MustNot).map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(occur: Occur, text: &str, phrase: bool) -> Clause {
        Clause { occur, text: text.into(), phrase }
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(
            parse(r#"budget "citizens assembly" +youth -police"#),
            Ok(vec![
                c(Occur::Should, "budget", false),
                c(Occur::Should, "citizens assembly", true),
                c(Occur::Must, "youth", false),
                c(Occur::MustNot, "police", false),
            ])
        );
    }

    #[test]
    fn broken_input_is_read_sensibly() {
        assert_eq!(parse(r#""unclosed phrase"#), Ok(vec![c(Occur::Should, "unclosed phrase", true)]));
        assert_eq!(parse("+ - \"\" \u{0}\u{7}"), Ok(vec![]));
        assert_eq!(parse("-only"), Ok(vec![c(Occur::Should, "only", false)]));
        assert_eq!(parse(&"a".repeat(1001)), Err(QueryError::TooLong));
        assert_eq!(parse(&"word ".repeat(100)).map(|v| v.len()), Ok(MAX_TERMS));
    }

    /// Property: no input makes the parser panic, and every clause has text.
    #[test]
    fn arbitrary_input_never_panics() {
        let mut seed: u64 = 0x5eed;
        let alphabet: Vec<char> = "ab +-\"'\\()*:^~ \u{0}\u{1b}é漢\u{200b}\n\t".chars().collect();
        for _ in 0..20_000 {
            let len = (seed % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                if let Some(ch) = alphabet.get((seed % alphabet.len() as u64) as usize) {
                    s.push(*ch);
                }
            }
            if let Ok(clauses) = parse(&s) {
                assert!(clauses.iter().all(|c| !c.text.is_empty()));
            }
        }
    }
}
