//! The string patterns and small schema builders both halves of the contract
//! (`contract.rs`, `event_contract.rs`) share, so that a rule the server
//! applies to text reads the same in every request body.
//!
//! A non-blank text is one `pattern`, not an `allOf` of "these characters"
//! and "one non-blank character": schemathesis builds its over-long probe for
//! a top-level `pattern` without the pattern, but for an `allOf` it draws the
//! whole 20,001-character value one character at a time through hypothesis,
//! about 25 seconds a value, which made `POST /api/v1/threads` take 250 of
//! the contract test's 300 seconds per role.

use serde_json::{Value, json};

pub const ULID: &str = "^[0-9A-HJKMNP-TV-Z]{26}$";
/// Something that is not blank once the server trims it (Rust's whitespace is
/// ECMAScript's `\s` plus NEL).
pub const NON_BLANK: &str = "[^\\s\\x85]";
pub const SLUG: &str = "^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$";
/// Whitespace the server trims from the ends of text (as Rust's `trim` does, ASCII and NEL).
pub const EDGE: &str = "[\\t\\n\\x0B\\x0C\\r\\x85 ]*";
/// Characters a one-line value may hold: no control characters.
pub const LINE_CHARS: &str = "[^\\x00-\\x1F\\x7F-\\x9F]*";
/// Characters a text may hold: no control characters but tab and line breaks.
pub const TEXT_CHARS: &str = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*";
/// A character both [`LINE_CHARS`] and [`TEXT_CHARS`] hold that is not blank.
const FILLED_CHAR: &str = "[^\\s\\x00-\\x1F\\x7F-\\x9F]";
/// An http(s) URL with a host, in the form the server accepts.
pub const URL: &str =
    "^https?://[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~!$&'()*+,;=:@-]*)*$";

/// Text of `chars` (one of the `*_CHARS` classes) holding at least one
/// non-blank character, with trimmed whitespace at both ends: the same set as
/// `^{EDGE}{chars}{EDGE}$` and [`NON_BLANK`] together.
pub fn filled(chars: &str) -> String {
    format!("^{EDGE}{chars}{FILLED_CHAR}{chars}{EDGE}$")
}

pub fn nullable(schema: Value) -> Value {
    json!({"oneOf": [{"type": "null"}, schema]})
}

/// An optional one-line value of at most `max` characters.
pub fn line(max: usize) -> Value {
    json!({"type": "string", "maxLength": max, "pattern": format!("^{EDGE}{LINE_CHARS}{EDGE}$")})
}

/// A required one-line value (a title, a reason) of at most `max` characters.
pub fn required_line(max: usize) -> Value {
    json!({"type": "string", "maxLength": max, "pattern": filled(LINE_CHARS)})
}

/// A required text (line breaks allowed) of at most `max` characters.
pub fn required_text(max: usize) -> Value {
    json!({"type": "string", "maxLength": max, "pattern": filled(TEXT_CHARS)})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `filled` accepts exactly what the two patterns it replaces accept together.
    #[test]
    fn one_pattern_is_the_two_it_replaces() {
        let both = |chars: &str, s: &str| {
            regex::Regex::new(&format!("^{EDGE}{chars}{EDGE}$")).unwrap().is_match(s)
                && regex::Regex::new(NON_BLANK).unwrap().is_match(s)
        };
        let samples = [
            "",
            " ",
            "\t\n",
            "\u{85}",
            "a",
            " a ",
            "\u{85}a\u{85}",
            "a\u{1}",
            "a\nb",
            "\u{b}x\u{c}",
            "x\u{b}y",
            "\u{a0}",
            "日本",
            " \u{7f} ",
            "a\u{9f}",
            "\r\n ok \r\n",
        ];
        for chars in [LINE_CHARS, TEXT_CHARS] {
            let one = regex::Regex::new(&filled(chars)).unwrap();
            for s in samples {
                assert_eq!(one.is_match(s), both(chars, s), "{s:?} under {chars}");
            }
        }
    }
}
