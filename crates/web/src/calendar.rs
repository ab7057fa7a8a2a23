//! Calendars and feeds of events: iCalendar (RFC 5545) for one event
//! (`/events/{id}.ics`), for a selection (`/events.ics?level=&country=&series=`,
//! subscribable), and for the events one account registered for (a private
//! URL with a secret, revocable token: `/calendar/{token}.ics`); and an Atom
//! feed (`/events.atom`).
//!
//! Times keep their zone: `DTSTART;TZID=Asia/Makassar:…` with a `VTIMEZONE`
//! for every zone used, its observances taken from the bundled tz database
//! (every transition in the years the events span). `UID` is the event's id
//! at the node; `SEQUENCE` is the event's version less one, so it grows with
//! every change; a cancelled event is `STATUS:CANCELLED`.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::tz::TimeZone;
use lumbung_core::event::{self, Event, EventStatus};
use lumbung_federation::atom;
use lumbung_store::{EventFilter, EventWhen};
use time::OffsetDateTime;

use crate::error::ApiError;
use crate::extract::query_pairs;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events.ics", get(events_ics))
        .route("/events.atom", get(events_atom))
        .route("/calendar/{file}", get(private_ics))
}

/// One event's calendar (`/events/{id}.ics`, routed by the event page).
pub async fn event_ics(state: &AppState, id: &str) -> Result<Response, ApiError> {
    let e = state.app().event(id).await?;
    let name = e.content.title.clone();
    Ok(ics_response(render(state, &name, &[e])))
}

/// The events of a selection (the filters of `/events`), upcoming and the
/// last year's, for subscribing.
async fn events_ics(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs: Vec<(String, String)> = query_pairs(raw.as_deref())
        .into_iter()
        .filter(|(k, v)| !v.is_empty() && !matches!(k.as_str(), "when" | "limit" | "cursor"))
        .collect();
    let f = crate::api::events::filter_from(&pairs)?;
    let events = state.store().list_events(&EventFilter { when: EventWhen::All, limit: 500, ..f }).await?.items;
    let name = format!("{} events", state.settings().node_name);
    Ok(ics_response(render(&state, &name, &events)))
}

/// The events an account registered for: `/calendar/{token}.ics`.
async fn private_ics(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, ApiError> {
    let token = file.strip_suffix(".ics").ok_or(ApiError::NotFound)?;
    if token.is_empty() || token.len() > 100 {
        return Err(ApiError::NotFound);
    }
    let account =
        state.store().account_for_calendar_token(&lumbung_store::hash_token(token)).await?.ok_or(ApiError::NotFound)?;
    let events: Vec<Event> = state
        .store()
        .events_of_account(&account)
        .await?
        .into_iter()
        .filter(|(_, s)| *s == event::RegistrationState::Registered)
        .map(|(e, _)| e)
        .collect();
    let name = format!("{}: my events", state.settings().node_name);
    let mut res = ics_response(render(&state, &name, &events));
    res.headers_mut().insert(CACHE_CONTROL, axum::http::HeaderValue::from_static("private, no-store"));
    Ok(res)
}

fn ics_response(body: String) -> Response {
    ([(CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response()
}

/// Text escaped as an iCalendar TEXT value: `\`, `;`, `,` and line breaks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a character),
/// continuation lines starting with a space, each ended by CRLF.
pub fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for ch in text.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

fn utc_stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn local_stamp(dt: jiff::civil::DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if sec == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{sec:02}") }
}

/// A VTIMEZONE for `tz` covering the years `from..=to`: the observance in
/// force at the start, then every transition in between.
fn vtimezone(out: &mut String, name: &str, tz: &TimeZone, from: i16, to: i16) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{name}"));
    let start = jiff::civil::date(from, 1, 1).at(0, 0, 0, 0);
    let start_ts = tz.to_timestamp(start).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let end_ts = tz.to_timestamp(jiff::civil::date(to, 12, 31).at(23, 59, 59, 0)).unwrap_or(start_ts);
    let info = tz.to_offset_info(start_ts);
    let kind = |dst: bool| if dst { "DAYLIGHT" } else { "STANDARD" };
    let first = info.offset().seconds();
    line(out, &format!("BEGIN:{}", kind(info.dst().is_dst())));
    line(out, &format!("DTSTART:{}", local_stamp(start)));
    line(out, &format!("TZOFFSETFROM:{}", offset(first)));
    line(out, &format!("TZOFFSETTO:{}", offset(first)));
    line(out, &format!("TZNAME:{}", escape(&event::abbreviation(tz, start_ts))));
    line(out, &format!("END:{}", kind(info.dst().is_dst())));
    let mut previous = first;
    for t in tz.following(start_ts).take(400) {
        if t.timestamp() > end_ts {
            break;
        }
        let to_offset = t.offset().seconds();
        // DTSTART is the local time of the transition in the offset before it.
        let before = jiff::tz::Offset::from_seconds(previous).unwrap_or(jiff::tz::Offset::UTC);
        let local = before.to_datetime(t.timestamp());
        let k = kind(t.dst().is_dst());
        line(out, &format!("BEGIN:{k}"));
        line(out, &format!("DTSTART:{}", local_stamp(local)));
        line(out, &format!("TZOFFSETFROM:{}", offset(previous)));
        line(out, &format!("TZOFFSETTO:{}", offset(to_offset)));
        line(out, &format!("TZNAME:{}", escape(&event::abbreviation(tz, t.timestamp()))));
        line(out, &format!("END:{k}"));
        previous = to_offset;
    }
    line(out, "END:VTIMEZONE");
}

/// A VCALENDAR of `events`.
pub fn render(state: &AppState, name: &str, events: &[Event]) -> String {
    let base = state.settings().base_url.trim_end_matches('/').to_owned();
    let node = state.settings().node_id.clone();
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Lumbung//Events//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    // Every zone used, over the years its events span.
    let mut zones: BTreeMap<String, (TimeZone, i16, i16)> = BTreeMap::new();
    let timed: Vec<(&Event, event::EventTimes)> = events.iter().filter_map(|e| Some((e, e.content.times()?))).collect();
    for (e, t) in &timed {
        let y0 = event::in_zone(t.start, &t.tz).0.year();
        let y1 = event::in_zone(t.end, &t.tz).0.year();
        let entry = zones.entry(e.content.time_zone.clone()).or_insert((t.tz.clone(), y0, y1));
        entry.1 = entry.1.min(y0);
        entry.2 = entry.2.max(y1);
    }
    for (zone, (tz, from, to)) in &zones {
        vtimezone(&mut out, zone, tz, *from, *to);
    }
    let now = utc_stamp(lumbung_core::clock::now());
    for (e, t) in timed {
        let c = &e.content;
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}@{}", e.id, escape(&node)));
        line(&mut out, &format!("DTSTAMP:{now}"));
        line(&mut out, &format!("DTSTART;TZID={}:{}", c.time_zone, local_stamp(event::in_zone(t.start, &t.tz).0)));
        line(&mut out, &format!("DTEND;TZID={}:{}", c.time_zone, local_stamp(event::in_zone(t.end, &t.tz).0)));
        line(&mut out, &format!("SEQUENCE:{}", (e.version - 1).max(0)));
        line(&mut out, &format!("CREATED:{}", utc_stamp(e.created_at)));
        line(&mut out, &format!("LAST-MODIFIED:{}", utc_stamp(e.updated_at)));
        line(&mut out, &format!("SUMMARY:{}", escape(&c.title)));
        if let Some(d) = &c.description {
            line(&mut out, &format!("DESCRIPTION:{}", escape(d)));
        }
        let place: Vec<String> = [c.venue.clone(), c.city.clone(), c.country.clone()].into_iter().flatten().collect();
        if !place.is_empty() {
            line(&mut out, &format!("LOCATION:{}", escape(&place.join(", "))));
        }
        line(&mut out, &format!("URL:{base}/events/{}", e.id));
        line(&mut out, &format!("CATEGORIES:{},{}", c.kind.as_str().to_uppercase(), c.level.as_str().to_uppercase()));
        let status = if c.status == EventStatus::Cancelled { "CANCELLED" } else { "CONFIRMED" };
        line(&mut out, &format!("STATUS:{status}"));
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// `/events.atom`: the newest-changed events, for feed readers.
async fn events_atom(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs: Vec<(String, String)> = query_pairs(raw.as_deref())
        .into_iter()
        .filter(|(k, v)| !v.is_empty() && !matches!(k.as_str(), "when" | "limit" | "cursor"))
        .collect();
    let f = crate::api::events::filter_from(&pairs)?;
    let mut events = state.store().list_events(&EventFilter { when: EventWhen::All, limit: 200, ..f }).await?.items;
    events.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then_with(|| b.id.cmp(&a.id)));
    events.truncate(50);
    let base = state.settings().base_url.trim_end_matches('/').to_owned();
    let tr = crate::html::Tr::new(crate::html::Lang::En);
    let entries: Vec<atom::Entry> = events
        .iter()
        .map(|e| {
            let card = crate::html::events::card(tr, e);
            let mut summary = format!("{} · {}", card.when, card.when_utc);
            if !card.place.is_empty() {
                summary = format!("{summary} · {}", card.place);
            }
            if card.cancelled {
                summary = format!("CANCELLED · {summary}");
            }
            atom::Entry {
                id: format!("{base}/events/{}", e.id),
                title: e.content.title.clone(),
                title_lang: "en".into(),
                url: format!("{base}/events/{}", e.id),
                published: crate::api::events::rfc3339(e.created_at),
                updated: crate::api::events::rfc3339(e.updated_at),
                summary_html: crate::html::escape_html(&summary),
                categories: vec![
                    ("urn:lumbung:event-kind".into(), e.content.kind.as_str().into()),
                    ("urn:lumbung:event-level".into(), e.content.level.as_str().into()),
                ],
            }
        })
        .collect();
    let updated = events
        .first()
        .map(|e| crate::api::events::rfc3339(e.updated_at))
        .unwrap_or_else(|| crate::api::events::rfc3339(lumbung_core::clock::now()));
    let self_url = format!("{base}/events.atom");
    let alternate = format!("{base}/events");
    let title = format!("{}: events", state.settings().node_name);
    let xml = atom::render(
        &atom::Feed {
            self_url: &self_url,
            alternate_url: &alternate,
            title: &title,
            subtitle: "Forums, conferences, workshops and other events of the learning loops",
            author: &state.settings().node_name,
            lang: "en",
            updated: &updated,
        },
        &entries,
    );
    Ok(([(CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne\r\nf\u{7}"), "a\\,b\\;c\\\\d\\ne\\nf");
    }
}
