//! Events of the learning loops: forums, conferences, workshops… with an
//! agenda of sessions presenting cases, organisers and participating
//! countries, a place and/or an online link, and registration.
//!
//! Times are written as the organisers think of them: a local date and time
//! in the event's IANA time zone, plus a duration (so an event cannot end
//! before it starts). [`EventContent::times`] turns them into instants with
//! the bundled time-zone database (jiff), which also names the zone's common
//! abbreviation (WIB, WITA, WIT, CET/CEST…).
//!
//! ```text
//! scheduled ──cancel (edit status)──▶ cancelled ──(edit status)──▶ scheduled
//! ```

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::validate::{MAX_LIST, MAX_SHORT, MAX_SUMMARY, MAX_TITLE, ValidationErrors};
use crate::vocab;

/// The longest event: 31 days, in minutes.
pub const MAX_DURATION_MINUTES: i64 = 31 * 24 * 60;
/// Most sessions in one agenda.
pub const MAX_SESSIONS: usize = 100;
/// The largest capacity.
pub const MAX_CAPACITY: i64 = 1_000_000;
/// The longest event description, in characters.
pub const MAX_DESCRIPTION: usize = MAX_SUMMARY;
/// Local date-times as written: `2026-12-10T09:00`.
pub const LOCAL_FORMAT: &str = "YYYY-MM-DDTHH:MM";

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// What kind of gathering an event is.
    EventKind {
        Forum = "forum",
        Conference = "conference",
        Workshop = "workshop",
        Webinar = "webinar",
        StudyVisit = "study_visit",
        PeerLearning = "peer_learning",
    }
);

str_enum!(
    /// Which learning loop an event belongs to.
    EventLevel { National = "national", Regional = "regional", International = "international" }
);

str_enum!(
    /// Whether an event takes place.
    EventStatus { Scheduled = "scheduled", Cancelled = "cancelled" }
);

str_enum!(
    /// Where a registration stands. Waiting registrations move up, oldest
    /// first, when a place frees.
    RegistrationState { Registered = "registered", Waiting = "waiting", Cancelled = "cancelled" }
);

str_enum!(
    /// Where an action item stands.
    ActionStatus { Open = "open", Done = "done", Dropped = "dropped" }
);

/// The longest action item text, in characters.
pub const MAX_ACTION: usize = 1_000;

/// What curators write about an action item agreed at an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionItemContent {
    pub what: String,
    /// The organisation that owns it (an id on this node).
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    #[serde(default = "open")]
    pub status: ActionStatus,
    /// Linked cases: local ids or other nodes' global identifiers.
    #[serde(default)]
    pub cases: Vec<String>,
}

fn open() -> ActionStatus {
    ActionStatus::Open
}

impl ActionItemContent {
    pub const FIELDS: [&'static str; 5] = ["what", "owner", "due_on", "status", "cases"];
}

/// An action item as the node keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActionItem {
    pub id: String,
    pub event_id: String,
    #[serde(flatten)]
    pub content: ActionItemContent,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl ActionItem {
    /// Open and due before `today`.
    pub fn overdue(&self, today: time::Date) -> bool {
        self.content.status == ActionStatus::Open && parse_date(&self.content.due_on).is_some_and(|d| d < today)
    }
}

/// Parses `YYYY-MM-DD` exactly.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let shape = b"dddd-dd-dd";
    let fits = s.len() == shape.len()
        && s.bytes().zip(shape.iter()).all(|(b, &p)| if p == b'd' { b.is_ascii_digit() } else { b == p });
    if !fits {
        return None;
    }
    time::Date::parse(s, &time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// Validates an action item; `case_ok` as for [`validate_event`].
pub fn validate_action_item(
    c: &ActionItemContent,
    org_exists: &dyn Fn(&str) -> bool,
    case_ok: &dyn Fn(&str) -> bool,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if c.what.trim().is_empty() {
        e.add("what", "required", "say what is to be done");
    }
    line(&mut e, "what", Some(&c.what), MAX_ACTION);
    if !org_exists(&c.owner) {
        e.add("owner", "unknown_value", format!("no organisation with id '{}'", clip(&c.owner)));
    }
    match parse_date(&c.due_on) {
        None => e.add("due_on", "invalid", "write the due date as YYYY-MM-DD"),
        Some(d) if d.year() < 2000 || d.year() > 2100 => {
            e.add("due_on", "out_of_range", "the year must be between 2000 and 2100")
        }
        Some(_) => {}
    }
    list(&mut e, "cases", &c.cases);
    for (i, case) in c.cases.iter().enumerate() {
        if !case_ok(case) {
            e.add(format!("cases[{i}]"), "unknown_value", format!("'{}' is not a case that can be linked", clip(case)));
        }
    }
    e.into_result()
}

/// Validates an outcome: its texts' length and characters.
pub fn validate_outcome(o: &Outcome) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    for (field, text, max) in
        [("summary", &o.summary, MAX_DESCRIPTION), ("minutes", &o.minutes, crate::validate::MAX_SECTION)]
    {
        if let Some(t) = text {
            if t.chars().count() > max {
                e.add(field, "too_long", format!("at most {max} characters"));
            }
            if t.chars().any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t')) {
                e.add(field, "invalid", "contains control characters");
            }
        }
    }
    if o.decisions.len() > MAX_LIST {
        e.add("decisions", "too_long", format!("at most {MAX_LIST} entries"));
    }
    for (i, d) in o.decisions.iter().enumerate() {
        if d.trim().is_empty() {
            e.add(format!("decisions[{i}]"), "required", "a decision cannot be blank");
        }
        line(&mut e, &format!("decisions[{i}]"), Some(d), MAX_ACTION);
    }
    e.into_result()
}

/// One session of an agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Local start in the event's zone: `2026-12-10T09:00`.
    pub starts_at: String,
    pub duration_minutes: i64,
    pub title: String,
    #[serde(default)]
    pub speakers: Vec<String>,
    /// Cases presented: a local case id, or another node's global
    /// identifier `oai:<node>:case/<id>`.
    #[serde(default)]
    pub cases: Vec<String>,
}

/// What organisers write about an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventContent {
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub description: Option<String>,
    pub kind: EventKind,
    pub level: EventLevel,
    /// The series' slug (a yearly forum); editions share it.
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub edition: Option<i64>,
    /// Local start in `time_zone`: `2026-12-10T09:00`.
    pub starts_at: String,
    pub duration_minutes: i64,
    /// An IANA time zone: `Asia/Jakarta`, `Europe/Paris`.
    pub time_zone: String,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 code of the place.
    #[serde(default)]
    pub country: Option<String>,
    /// Shown to registered participants only.
    #[serde(default)]
    pub online_url: Option<String>,
    /// Organisation ids.
    #[serde(default)]
    pub organisers: Vec<String>,
    /// Participating countries (ISO codes).
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub sessions: Vec<Session>,
    #[serde(default)]
    pub registration_open: bool,
    /// Places; none: unlimited.
    #[serde(default)]
    pub capacity: Option<i64>,
    #[serde(default = "scheduled")]
    pub status: EventStatus,
}

fn scheduled() -> EventStatus {
    EventStatus::Scheduled
}

impl EventContent {
    /// The keys a request body may hold.
    pub const FIELDS: [&'static str; 19] = [
        "title",
        "description",
        "kind",
        "level",
        "series",
        "edition",
        "starts_at",
        "duration_minutes",
        "time_zone",
        "venue",
        "city",
        "country",
        "online_url",
        "organisers",
        "countries",
        "sessions",
        "registration_open",
        "capacity",
        "status",
    ];

    /// Start and end as instants, with the zone; None when the zone or the
    /// local time is not valid (validation names which).
    pub fn times(&self) -> Option<EventTimes> {
        let tz = zone(&self.time_zone)?;
        let start = local_instant(&self.starts_at, &tz)?;
        let end = start.checked_add(time::Duration::minutes(self.duration_minutes))?;
        Some(EventTimes { start, end, tz })
    }

    /// Every case reference of the agenda, each once, in order.
    pub fn presented_cases(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in self.sessions.iter().flat_map(|s| s.cases.iter()) {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        out
    }
}

/// What came out of an event: recorded afterwards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Markdown.
    #[serde(default)]
    pub summary: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub minutes: Option<String>,
    #[serde(default)]
    pub decisions: Vec<String>,
}

/// An event as the node keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Event {
    pub id: String,
    #[serde(flatten)]
    pub content: EventContent,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Set on a harvested copy of another node's event (read-only here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<EventOrigin>,
    pub version: i64,
    pub created_by: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Where a harvested event comes from, and what its record carries that
/// this node cannot keep as records of its own: the organisers' names (their
/// ids are the origin's) and the action items agreed there (owned by the
/// origin's organisations).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EventOrigin {
    /// The origin node's id.
    pub node: String,
    /// The global identifier, `oai:<node>:event/<id>`.
    pub identifier: String,
    /// The OAI-PMH base URL it was harvested from.
    #[serde(default)]
    pub url: Option<String>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub harvested_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub organisers: Vec<String>,
    #[serde(default)]
    pub action_items: Vec<RemoteActionItem>,
}

/// An action item of another node's event, as its record tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RemoteActionItem {
    pub what: String,
    /// The owner organisation's name at the origin.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub status: ActionStatus,
}

/// Whether `s` names an event of a node: `oai:<node>:event/<id>`.
pub fn is_global_event_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("oai:") else { return false };
    let Some((node, id)) = rest.split_once(":event/") else { return false };
    !node.is_empty()
        && node.len() <= 64
        && node.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'))
        && !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Validates what a harvested event's record says beyond its content: names
/// and action items, bounded and free of control characters.
pub fn validate_event_origin(o: &EventOrigin) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if !is_global_event_id(&o.identifier) {
        e.add("identifier", "invalid", "not an oai:<node>:event/<id> identifier");
    }
    if o.organisers.len() > MAX_LIST {
        e.add("organisers", "too_long", format!("at most {MAX_LIST} entries"));
    }
    for (i, name) in o.organisers.iter().enumerate() {
        if name.trim().is_empty() {
            e.add(format!("organisers[{i}]"), "required", "an organiser's name cannot be blank");
        }
        line(&mut e, &format!("organisers[{i}]"), Some(name), MAX_SHORT);
    }
    if o.action_items.len() > MAX_LIST {
        e.add("action_items", "too_long", format!("at most {MAX_LIST} entries"));
    }
    for (i, a) in o.action_items.iter().enumerate() {
        let f = |name: &str| format!("action_items[{i}].{name}");
        if a.what.trim().is_empty() {
            e.add(f("what"), "required", "say what is to be done");
        }
        line(&mut e, &f("what"), Some(&a.what), MAX_ACTION);
        if a.owner.trim().is_empty() {
            e.add(f("owner"), "required", "an action item has an owner");
        }
        line(&mut e, &f("owner"), Some(&a.owner), MAX_SHORT);
        if parse_date(&a.due_on).is_none() {
            e.add(f("due_on"), "invalid", "write the due date as YYYY-MM-DD");
        }
    }
    e.into_result()
}

/// An event's instants and zone.
#[derive(Debug, Clone)]
pub struct EventTimes {
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
    pub tz: TimeZone,
}

/// The IANA zone of that name from the bundled database.
pub fn zone(name: &str) -> Option<TimeZone> {
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    // The database looks names up ignoring case; the name must be written exactly.
    TimeZone::get(name).ok().filter(|tz| tz.iana_name() == Some(name))
}

/// Every zone name the bundled database knows, sorted.
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_owned()).collect();
    names.sort();
    names
}

/// Parses `YYYY-MM-DDTHH:MM` (seconds allowed) as a civil date-time.
pub fn parse_local(s: &str) -> Option<DateTime> {
    let shape: &[u8] = if s.len() == 19 { b"dddd-dd-ddTdd:dd:dd" } else { b"dddd-dd-ddTdd:dd" };
    let fits = s.len() == shape.len()
        && s.bytes().zip(shape.iter()).all(|(b, &p)| if p == b'd' { b.is_ascii_digit() } else { b == p });
    if !fits {
        return None;
    }
    s.parse::<DateTime>().ok()
}

/// A local date-time in `tz` as an instant. A time skipped by a daylight
/// saving change is moved forward, a repeated one is the earlier (RFC 5545's rule).
pub fn local_instant(local: &str, tz: &TimeZone) -> Option<OffsetDateTime> {
    let dt = parse_local(local)?;
    let ts = tz.to_ambiguous_zoned(dt).compatible().ok()?.timestamp();
    OffsetDateTime::from_unix_timestamp(ts.as_second()).ok()
}

/// An instant as `tz` shows it: local date-time text and the abbreviation.
pub fn in_zone(t: OffsetDateTime, tz: &TimeZone) -> (DateTime, String) {
    let ts = jiff::Timestamp::from_second(t.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let dt = tz.to_datetime(ts);
    (dt, abbreviation(tz, ts))
}

/// The common abbreviation of a zone at an instant: the database's (WIB,
/// WITA, WIT, CET, CEST…), with the names people use where the database
/// writes only an offset or an ambiguous one.
pub fn abbreviation(tz: &TimeZone, ts: jiff::Timestamp) -> String {
    let name = tz.iana_name().unwrap_or("");
    let common = match name {
        "Asia/Manila" => Some("PHT"),
        "Asia/Singapore" | "Asia/Kuala_Lumpur" => Some(if name == "Asia/Singapore" { "SGT" } else { "MYT" }),
        "Asia/Bangkok" | "Asia/Ho_Chi_Minh" | "Asia/Phnom_Penh" | "Asia/Vientiane" => Some("ICT"),
        "Asia/Yangon" => Some("MMT"),
        "Asia/Brunei" => Some("BNT"),
        "Asia/Dili" => Some("TLT"),
        _ => None,
    };
    if let Some(c) = common {
        return c.to_owned();
    }
    let info = tz.to_offset_info(ts);
    let abbr = info.abbreviation();
    if abbr.starts_with('+') || abbr.starts_with('-') || abbr.is_empty() {
        format!("UTC{}", offset_text(info.offset().seconds()))
    } else {
        abbr.to_owned()
    }
}

/// `+07:00`, `-03:30`, `+00:00`.
pub fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// Whether `s` names a case of another node: `oai:<node>:case/<id>`.
pub fn is_global_case_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("oai:") else { return false };
    let Some((node, id)) = rest.split_once(":case/") else { return false };
    !node.is_empty()
        && node.len() <= 64
        && node.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'))
        && !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Validates an event. `org_exists` answers whether an organisation id is
/// known; `case_ok` whether a case reference may be presented (a published
/// case here, or another node's global identifier). Every problem is
/// reported at once.
pub fn validate_event(
    c: &EventContent,
    org_exists: &dyn Fn(&str) -> bool,
    case_ok: &dyn Fn(&str) -> bool,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if c.title.trim().is_empty() {
        e.add("title", "required", "an event needs a title");
    }
    line(&mut e, "title", Some(&c.title), MAX_TITLE);
    if let Some(d) = &c.description {
        if d.chars().count() > MAX_DESCRIPTION {
            e.add("description", "too_long", format!("at most {MAX_DESCRIPTION} characters"));
        }
        if d.chars().any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t')) {
            e.add("description", "invalid", "contains control characters");
        }
    }
    if let Some(s) = &c.series {
        if !crate::organisation::valid_slug(s) {
            e.add("series", "invalid", "a series is a slug such as `apgf` (lower-case letters, digits, hyphens)");
        }
    }
    if let Some(n) = c.edition {
        if !(1..=10_000).contains(&n) {
            e.add("edition", "out_of_range", "an edition is a number from 1 to 10000");
        }
    }
    let tz = zone(&c.time_zone);
    if tz.is_none() {
        e.add("time_zone", "unknown_value", format!("'{}' is not an IANA time zone", clip(&c.time_zone)));
    }
    let start = parse_local(&c.starts_at);
    if start.is_none() {
        e.add("starts_at", "invalid", format!("write the local start as {LOCAL_FORMAT}"));
    } else if start.is_some_and(|d| d.year() < 2000 || d.year() > 2100) {
        e.add("starts_at", "out_of_range", "the year must be between 2000 and 2100");
    }
    duration(&mut e, "duration_minutes", c.duration_minutes);
    line(&mut e, "venue", c.venue.as_deref(), MAX_SHORT);
    line(&mut e, "city", c.city.as_deref(), MAX_SHORT);
    if let Some(cc) = &c.country {
        if !vocab::contains(vocab::COUNTRIES, cc) {
            e.add("country", "unknown_value", format!("'{}' is not a known country code", clip(cc)));
        }
    }
    if let Some(u) = &c.online_url {
        web_url(&mut e, "online_url", u);
    }
    list(&mut e, "organisers", &c.organisers);
    for (i, o) in c.organisers.iter().enumerate() {
        if !org_exists(o) {
            e.add(format!("organisers[{i}]"), "unknown_value", format!("no organisation with id '{}'", clip(o)));
        }
    }
    list(&mut e, "countries", &c.countries);
    for (i, cc) in c.countries.iter().enumerate() {
        if !vocab::contains(vocab::COUNTRIES, cc) {
            e.add(format!("countries[{i}]"), "unknown_value", format!("'{}' is not a known country code", clip(cc)));
        }
    }
    if c.sessions.len() > MAX_SESSIONS {
        e.add("sessions", "too_long", format!("at most {MAX_SESSIONS} sessions"));
    }
    for (i, s) in c.sessions.iter().enumerate() {
        let f = |name: &str| format!("sessions[{i}].{name}");
        if s.title.trim().is_empty() {
            e.add(f("title"), "required", "a session needs a title");
        }
        line(&mut e, &f("title"), Some(&s.title), MAX_TITLE);
        match parse_local(&s.starts_at) {
            None => e.add(f("starts_at"), "invalid", format!("write the local start as {LOCAL_FORMAT}")),
            Some(d) if d.year() < 2000 || d.year() > 2100 => {
                e.add(f("starts_at"), "out_of_range", "the year must be between 2000 and 2100")
            }
            Some(_) => {}
        }
        duration(&mut e, &f("duration_minutes"), s.duration_minutes);
        if s.speakers.len() > MAX_LIST {
            e.add(f("speakers"), "too_long", format!("at most {MAX_LIST} entries"));
        }
        for (j, sp) in s.speakers.iter().enumerate() {
            line(&mut e, &format!("{}[{j}]", f("speakers")), Some(sp), MAX_SHORT);
        }
        list(&mut e, &f("cases"), &s.cases);
        for (j, case) in s.cases.iter().enumerate() {
            if !case_ok(case) {
                e.add(
                    format!("{}[{j}]", f("cases")),
                    "unknown_value",
                    format!("'{}' is neither a published case here nor a global id oai:<node>:case/<id>", clip(case)),
                );
            }
        }
    }
    if let Some(n) = c.capacity {
        if !(1..=MAX_CAPACITY).contains(&n) {
            e.add("capacity", "out_of_range", format!("a capacity is at least 1 and at most {MAX_CAPACITY}"));
        }
    }
    e.into_result()
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

fn duration(e: &mut ValidationErrors, field: &str, minutes: i64) {
    if minutes < 1 {
        e.add(field, "out_of_range", "the end must come after the start (at least one minute)");
    } else if minutes > MAX_DURATION_MINUTES {
        e.add(field, "out_of_range", format!("at most {MAX_DURATION_MINUTES} minutes (31 days)"));
    }
}

fn line(e: &mut ValidationErrors, field: &str, value: Option<&str>, max: usize) {
    if let Some(v) = value {
        let len = v.chars().count();
        if len > max {
            e.add(field, "too_long", format!("at most {max} characters ({len} given)"));
        }
        if v.chars().any(char::is_control) {
            e.add(field, "invalid", "contains control characters");
        }
    }
}

fn list(e: &mut ValidationErrors, field: &str, values: &[String]) {
    if values.len() > MAX_LIST {
        e.add(field, "too_long", format!("at most {MAX_LIST} entries"));
    }
    for (i, v) in values.iter().enumerate() {
        if values.iter().take(i).any(|w| w == v) {
            e.add(format!("{field}[{i}]"), "duplicate", format!("'{}' is listed twice", clip(v)));
        }
    }
}

fn web_url(e: &mut ValidationErrors, field: &str, v: &str) {
    if v.chars().any(|c| c.is_control() || c.is_whitespace()) {
        e.add(field, "invalid", "a URL cannot contain spaces or control characters");
        return;
    }
    match url::Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() && v.len() <= 2_000 => {}
        _ => e.add(field, "invalid", format!("'{}' is not an http(s) URL", clip(v))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(zone: &str, start: &str) -> EventContent {
        EventContent {
            title: "Forum".into(),
            description: None,
            kind: EventKind::Forum,
            level: EventLevel::Regional,
            series: None,
            edition: None,
            starts_at: start.into(),
            duration_minutes: 60,
            time_zone: zone.into(),
            venue: None,
            city: Some("Makassar".into()),
            country: Some("ID".into()),
            online_url: None,
            organisers: vec![],
            countries: vec![],
            sessions: vec![],
            registration_open: false,
            capacity: None,
            status: EventStatus::Scheduled,
        }
    }

    #[test]
    fn local_times_become_instants_with_the_common_abbreviation() {
        let c = content("Asia/Makassar", "2026-12-10T09:00");
        let t = c.times().unwrap();
        assert_eq!((t.start.hour(), t.start.minute()), (1, 0));
        let (_, abbr) = in_zone(t.start, &t.tz);
        assert_eq!(abbr, "WITA");
        let paris = content("Europe/Paris", "2026-07-01T09:00").times().unwrap();
        assert_eq!(in_zone(paris.start, &paris.tz).1, "CEST");
        assert_eq!(paris.start.hour(), 7);
        let jkt = content("Asia/Jakarta", "2026-07-01T09:00").times().unwrap();
        assert_eq!(in_zone(jkt.start, &jkt.tz).1, "WIB");
        let mnl = content("Asia/Manila", "2026-07-01T09:00").times().unwrap();
        assert_eq!(in_zone(mnl.start, &mnl.tz).1, "PHT");
    }

    #[test]
    fn bad_events_name_every_field() {
        let mut c = content("Mars/Olympus", "2026-13-10T09:00");
        c.duration_minutes = -5;
        c.capacity = Some(0);
        c.sessions.push(Session {
            starts_at: "x".into(),
            duration_minutes: 0,
            title: " ".into(),
            speakers: vec![],
            cases: vec!["nope".into(), "oai:asean.network:case/01ABC".into()],
        });
        let e = validate_event(&c, &|_| true, &is_global_case_id).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "time_zone",
            "starts_at",
            "duration_minutes",
            "capacity",
            "sessions[0].title",
            "sessions[0].starts_at",
            "sessions[0].duration_minutes",
            "sessions[0].cases[0]",
        ] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
        assert!(!fields.contains(&"sessions[0].cases[1]"));
    }
}
