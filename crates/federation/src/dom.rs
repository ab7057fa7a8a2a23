//! A small, strict XML tree for what peers send: no DTDs, no entities beyond
//! XML's five and character references, bounded depth and size. Anything
//! else is refused with a reason, never a panic.

use quick_xml::Reader;
use quick_xml::events::Event;

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 64;
/// Most elements accepted in one document.
const MAX_ELEMENTS: usize = 2_000_000;

/// An element: its local name, its namespace declaration (if it has one),
/// attributes by local name, text, and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<El>,
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.trim().to_owned()).filter(|t| !t.is_empty())
    }
}

fn local(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    match s.rsplit_once(':') {
        Some((_, l)) => l.to_owned(),
        None => s.into_owned(),
    }
}

/// Parses a whole document into its root element.
pub fn parse(bytes: &[u8]) -> Result<El, String> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    let mut count = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| format!("not well-formed XML: {e}"))?;
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                return Err(format!("content after the root element: <{}>", local(e.name().as_ref())));
            }
            Event::Start(e) => {
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err("the document is nested too deeply or is too large".into());
                }
                stack.push(element(&e)?);
            }
            Event::Empty(e) => {
                count += 1;
                let el = element(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("an end tag without a start")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| format!("bad text: {e}"))?;
                push_text(&mut stack, &text)?;
            }
            Event::CData(t) => {
                let text =
                    String::from_utf8(t.into_inner().into_owned()).map_err(|_| "CDATA is not UTF-8".to_owned())?;
                push_text(&mut stack, &text)?;
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| format!("bad character reference: {e}"))? {
                    Some(c) => c,
                    None => match r.decode().map_err(|e| format!("bad reference: {e}"))?.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("unknown entity &{other};")),
                    },
                };
                push_text(&mut stack, &c.to_string())?;
            }
            Event::DocType(_) => return Err("documents with a DOCTYPE are refused".into()),
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err("the document ends inside an element".into());
    }
    root.ok_or_else(|| "the document is empty".into())
}

fn push_text(stack: &mut [El], text: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(el) => {
            el.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err("text outside the root element".into()),
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<El, String> {
    let mut el = El { name: local(e.name().as_ref()), ..Default::default() };
    for a in e.attributes() {
        let a = a.map_err(|err| format!("bad attribute: {err}"))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.unescape_value().map_err(|err| format!("bad attribute value: {err}"))?.into_owned();
        // Keep namespace declarations under their full name (xmlns, xmlns:x).
        let name = if key.starts_with("xmlns") { key } else { local(a.key.as_ref()) };
        el.attrs.push((name, value));
    }
    Ok(el)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_references_and_attributes() {
        let el = parse(
            b"<?xml version=\"1.0\"?><a xmlns=\"urn:x\" x:b=\"1 &amp; 2\"><c>t &lt; &#65;<![CDATA[<z>]]></c><d/></a>",
        )
        .unwrap_or_default();
        assert_eq!(el.name, "a");
        assert_eq!(el.attr("xmlns"), Some("urn:x"));
        assert_eq!(el.attr("b"), Some("1 & 2"));
        assert_eq!(el.text_of("c").as_deref(), Some("t < A<z>"));
        assert!(el.child("d").is_some());
    }

    #[test]
    fn refuses_what_it_should() {
        for bad in [
            &b"<a><b></a>"[..],
            b"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
            b"<a>&bogus;</a>",
            b"",
            b"<a/><b/>",
            b"text",
            b"<a>",
        ] {
            assert!(parse(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(deep.as_bytes()).is_err());
    }

    /// Property: arbitrary bytes and mutations of a valid document never panic.
    #[test]
    fn arbitrary_bytes_never_panic() {
        let valid = b"<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords><record><header><identifier>oai:x:case/1</identifier></header></record></ListRecords></OAI-PMH>";
        let mut seed: u64 = 0x0a1;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut doc = valid.to_vec();
            for _ in 0..(next() % 6) {
                let pos = (next() as usize) % doc.len().max(1);
                match next() % 3 {
                    0 => {
                        if let Some(b) = doc.get_mut(pos) {
                            *b = (next() & 0xff) as u8;
                        }
                    }
                    1 => {
                        if pos < doc.len() {
                            doc.remove(pos);
                        }
                    }
                    _ => doc.insert(pos.min(doc.len()), (next() & 0xff) as u8),
                }
            }
            let _ = parse(&doc);
        }
    }
}
