//! Event pages: `/events` (upcoming and past, filtered by level, kind,
//! country and series), `/events/{id}` (times in the event's zone and in
//! UTC, the agenda with the cases presented, registration), and the
//! curators' form to create and edit events. Every change goes through the
//! application layer, as the API's does.

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use lumbung_core::event::{self, Event, EventContent, EventKind, EventLevel, EventStatus, RegistrationState, Session};
use lumbung_core::event::{ActionItemContent, ActionStatus, Outcome};
use lumbung_core::{ValidationErrors, permissions, vocab};
use lumbung_store::{ActionFilter, EventFilter, EventWhen};

use super::{Choice, Chrome, Ctx, FormData, PageError, human_date, markdown, render, see_other, urlencode};
use crate::extract::query_pairs;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list_page))
        .route("/events/new", get(new_form).post(create))
        .route("/events/{id}", get(event_page))
        .route("/events/{id}/edit", get(edit_form).post(update))
        .route("/events/{id}/register", axum::routing::post(register))
        .route("/events/{id}/unregister", axum::routing::post(unregister))
        .route("/events/actions", get(actions_page))
        .route("/events/{id}/outcome", axum::routing::post(record_outcome))
        .route("/events/{id}/actions", axum::routing::post(add_action))
        .route("/events/actions/{aid}/status", axum::routing::post(action_status))
        .route("/my/events", get(my_events))
        .route("/my/events/calendar", axum::routing::post(my_calendar))
}

/// An event in a list, and the head of its page.
pub struct EventCard {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub level: String,
    /// In the event's zone: `10 Mar 2099, 09:00–17:00 WITA (Asia/Makassar)`.
    pub when: String,
    /// The same in UTC.
    pub when_utc: String,
    /// ISO 8601 start, for `<time datetime>`.
    pub start_iso: String,
    pub place: String,
    pub cancelled: bool,
    pub series: Option<String>,
}

fn hm(dt: jiff::civil::DateTime) -> String {
    format!("{:02}:{:02}", dt.hour(), dt.minute())
}

fn day(tr: super::Tr, dt: jiff::civil::DateTime) -> String {
    format!("{} {} {}", dt.day(), tr.t(&format!("month-{}", dt.month())), dt.year())
}

/// "date, start–end ABBR": the end's date too when it is another day.
fn span(tr: super::Tr, start: jiff::civil::DateTime, end: jiff::civil::DateTime, zone: &str) -> String {
    if start.date() == end.date() {
        format!("{}, {}–{} {zone}", day(tr, start), hm(start), hm(end))
    } else {
        format!("{}, {} – {}, {} {zone}", day(tr, start), hm(start), day(tr, end), hm(end))
    }
}

pub fn card(tr: super::Tr, e: &Event) -> EventCard {
    let c = &e.content;
    let (when, when_utc, start_iso) = match c.times() {
        Some(t) => {
            let (s, abbr) = event::in_zone(t.start, &t.tz);
            let (en, _) = event::in_zone(t.end, &t.tz);
            let utc = jiff::tz::TimeZone::UTC;
            let (us, _) = event::in_zone(t.start, &utc);
            let (ue, _) = event::in_zone(t.end, &utc);
            (
                format!("{} ({})", span(tr, s, en, &abbr), c.time_zone),
                span(tr, us, ue, "UTC"),
                crate::api::events::rfc3339(t.start),
            )
        }
        None => (String::new(), String::new(), String::new()),
    };
    let mut place: Vec<String> = [c.venue.clone(), c.city.clone()].into_iter().flatten().collect();
    if let Some(cc) = &c.country {
        place.push(tr.term(vocab::COUNTRIES, cc));
    }
    if c.online_url.is_some() {
        place.push(tr.t("events-online"));
    }
    EventCard {
        id: e.id.clone(),
        title: c.title.clone(),
        kind: tr.t(&format!("events-kind-{}", c.kind.as_str().replace('_', "-"))),
        level: tr.t(&format!("events-level-{}", c.level)),
        when,
        when_utc,
        start_iso,
        place: place.join(", "),
        cancelled: c.status == EventStatus::Cancelled,
        series: c.series.clone().map(|s| match c.edition {
            Some(n) => format!("{s} #{n}"),
            None => s,
        }),
    }
}

#[derive(Template)]
#[template(path = "events.html")]
struct ListPage {
    c: Chrome,
    upcoming: Vec<EventCard>,
    past: Vec<EventCard>,
    levels: Vec<Choice>,
    kinds: Vec<Choice>,
    countries: Vec<Choice>,
    series: Vec<Choice>,
    /// The subscribable calendar of this selection.
    ics_href: String,
    can_manage: bool,
}

fn pick<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    selected: Option<&str>,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: code(*v).to_owned(),
            label: label(*v),
            selected: selected == Some(code(*v)),
            count: None,
        })
        .collect()
}

async fn list_page(ctx: Ctx, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let pairs: Vec<(String, String)> = query_pairs(raw.as_deref())
        .into_iter()
        .filter(|(k, v)| !v.is_empty() && !matches!(k.as_str(), "when" | "cursor" | "limit"))
        .collect();
    let filter = crate::api::events::filter_from(&pairs).map_err(|e| ctx.fail(e))?;
    let store = ctx.state.store();
    let upcoming = store
        .list_events(&EventFilter { when: EventWhen::Upcoming, limit: 100, ..filter.clone() })
        .await
        .map_err(|e| ctx.fail(e))?;
    let past = store
        .list_events(&EventFilter { when: EventWhen::Past, limit: 50, ..filter.clone() })
        .await
        .map_err(|e| ctx.fail(e))?;
    let series_names = store.event_series().await.map_err(|e| ctx.fail(e))?;
    let mut ics = Vec::new();
    for (k, v) in [
        ("level", filter.level.map(|l| l.as_str().to_owned())),
        ("country", filter.country.clone()),
        ("series", filter.series.clone()),
    ] {
        if let Some(v) = v {
            ics.push(format!("{k}={}", urlencode(&v)));
        }
    }
    let page = ListPage {
        upcoming: upcoming.items.iter().map(|e| card(tr, e)).collect(),
        past: past.items.iter().map(|e| card(tr, e)).collect(),
        levels: pick(
            EventLevel::ALL,
            EventLevel::as_str,
            |l| tr.t(&format!("events-level-{l}")),
            filter.level.map(EventLevel::as_str),
        ),
        kinds: pick(
            EventKind::ALL,
            EventKind::as_str,
            |k| tr.t(&format!("events-kind-{}", k.as_str().replace('_', "-"))),
            filter.kind.map(EventKind::as_str),
        ),
        countries: super::choices(tr, vocab::COUNTRIES, &filter.country.clone().into_iter().collect::<Vec<_>>()),
        series: series_names
            .into_iter()
            .map(|s| Choice {
                selected: filter.series.as_deref() == Some(s.as_str()),
                label: s.clone(),
                value: s,
                count: None,
            })
            .collect(),
        ics_href: if ics.is_empty() { "/events.ics".into() } else { format!("/events.ics?{}", ics.join("&")) },
        can_manage: ctx.actor().is_some_and(|a| permissions::can_manage_events(&a)),
        c: ctx.chrome,
    };
    render(&page)
}

/// A session of the agenda as the page shows it.
struct SessionCard {
    when: String,
    title: String,
    speakers: String,
    /// (link to the local case, or none; label)
    cases: Vec<(Option<String>, String)>,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    c: Chrome,
    e: EventCard,
    description_html: String,
    online_url: Option<String>,
    has_online_link: bool,
    organisers: Vec<(String, String)>,
    countries: String,
    sessions: Vec<SessionCard>,
    registration_open: bool,
    /// "2 of 30 places taken".
    places: Option<String>,
    waiting: i64,
    /// The reader's registration, translated.
    mine: Option<String>,
    can_register: bool,
    can_cancel: bool,
    can_manage: bool,
    notice: Option<String>,
    outcome_summary: String,
    outcome_minutes: String,
    decisions: Vec<String>,
    actions: Vec<ActionCard>,
    /// The previous edition of the series and its open action items.
    previous: Option<(String, String, Vec<ActionCard>)>,
    /// The form's values: the outcome as recorded.
    outcome_form: (String, String, String),
    version: i64,
    organisations: Vec<Choice>,
    /// A harvested copy: the origin node, its organisers' names and action items.
    origin: Option<String>,
    remote_organisers: String,
    remote_actions: Vec<(String, String, String, String)>,
    /// Resources belonging to the event (`_resources.html`).
    resources: Vec<super::resources::ResourceCard>,
}

async fn event_page(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    if let Some(id) = id.strip_suffix(".ics") {
        return crate::calendar::event_ics(&ctx.state, id).await.map_err(|e| ctx.fail(e));
    }
    let tr = ctx.tr();
    let actor = ctx.actor();
    let app = ctx.state.app();
    let store = ctx.state.store();
    let e = app.event(&id).await.map_err(|e| ctx.fail(e))?;
    let mine = app.my_registration(actor.as_ref(), &id).await.map_err(|e| ctx.fail(e))?;
    let sees = app.sees_online_link(actor.as_ref(), &id).await.map_err(|e| ctx.fail(e))?;
    let counts = store.registrations(&id).await.map_err(|e| ctx.fail(e))?;
    let reader = ctx.lang().code();
    let mut organisers = Vec::new();
    for o in &e.content.organisers {
        if let Some(org) = store.get_organisation(o).await.map_err(|e| ctx.fail(e))? {
            organisers.push((org.id.clone(), org.content.name.best(reader, "en").unwrap_or(&org.id).to_owned()));
        }
    }
    let tz = e.content.times().map(|t| t.tz);
    let mut sessions = Vec::new();
    for s in &e.content.sessions {
        let when = tz
            .as_ref()
            .and_then(|tz| {
                let start = event::local_instant(&s.starts_at, tz)?;
                let end = start.checked_add(time::Duration::minutes(s.duration_minutes))?;
                let (a, abbr) = event::in_zone(start, tz);
                let (b, _) = event::in_zone(end, tz);
                Some(span(tr, a, b, &abbr))
            })
            .unwrap_or_else(|| s.starts_at.clone());
        let mut cases = Vec::new();
        for r in &s.cases {
            cases.extend(case_link(&ctx, r).await?);
        }
        sessions.push(SessionCard { when, title: s.title.clone(), speakers: s.speakers.join(", "), cases });
    }
    let over = e.content.times().is_some_and(|t| t.end < lumbung_core::clock::now());
    let active = matches!(mine, Some(RegistrationState::Registered | RegistrationState::Waiting));
    let open = e.content.registration_open && e.content.status == EventStatus::Scheduled && !over;
    let notice = if ctx.chrome.here.contains("registered=1") {
        Some(tr.t("events-registered-notice"))
    } else if ctx.chrome.here.contains("unregistered=1") {
        Some(tr.t("events-unregistered-notice"))
    } else if ctx.chrome.here.contains("saved=1") {
        Some(tr.t("events-saved-notice"))
    } else {
        None
    };
    let actions = action_cards(&ctx, &ActionFilter { event_id: Some(id.clone()), ..Default::default() }).await?;
    let previous = match store.previous_edition(&e).await.map_err(|e| ctx.fail(e))? {
        Some(p) => {
            let open =
                ActionFilter { event_id: Some(p.id.clone()), status: Some(ActionStatus::Open), ..Default::default() };
            Some((p.id.clone(), p.content.title.clone(), action_cards(&ctx, &open).await?))
        }
        None => None,
    };
    let outcome = e.outcome.clone().unwrap_or_default();
    // A harvested copy is kept by its origin node: nothing to manage here.
    let can_manage = actor.as_ref().is_some_and(permissions::can_manage_events) && e.origin.is_none();
    let remote_actions = e
        .origin
        .as_ref()
        .map(|o| {
            o.action_items
                .iter()
                .map(|a| {
                    (a.what.clone(), a.owner.clone(), a.due_on.clone(), tr.t(&format!("events-action-{}", a.status)))
                })
                .collect()
        })
        .unwrap_or_default();
    let organisations = if can_manage {
        store
            .list_organisations()
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|o| Choice {
                label: o.content.name.best(reader, "en").unwrap_or(&o.id).to_owned(),
                value: o.id,
                selected: false,
                count: None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let resources = super::resources::block(&ctx.state, ctx.tr(), ctx.lang(), None, Some(&e.id)).await;
    let page = EventPage {
        resources,
        origin: e.origin.as_ref().map(|o| o.node.clone()),
        remote_organisers: e.origin.as_ref().map(|o| o.organisers.join(", ")).unwrap_or_default(),
        remote_actions,
        outcome_summary: markdown::render(outcome.summary.as_deref().unwrap_or("")),
        outcome_minutes: markdown::render(outcome.minutes.as_deref().unwrap_or("")),
        decisions: outcome.decisions.clone(),
        outcome_form: (
            outcome.summary.clone().unwrap_or_default(),
            outcome.minutes.clone().unwrap_or_default(),
            outcome.decisions.join("\n"),
        ),
        actions,
        previous,
        version: e.version,
        organisations,
        e: card(tr, &e),
        description_html: markdown::render(e.content.description.as_deref().unwrap_or("")),
        has_online_link: e.content.online_url.is_some(),
        online_url: e.content.online_url.clone().filter(|u| sees && super::pages::is_web_url(u)),
        organisers,
        countries: e.content.countries.iter().map(|c| tr.term(vocab::COUNTRIES, c)).collect::<Vec<_>>().join(", "),
        sessions,
        registration_open: open,
        places: e.content.capacity.map(|cap| {
            tr.targs("events-places", &[("taken", &counts.registered.to_string()), ("capacity", &cap.to_string())])
        }),
        waiting: counts.waiting,
        mine: mine.map(|m| tr.t(&format!("events-state-{m}"))),
        can_register: open && !active,
        can_cancel: active,
        can_manage,
        notice,
        c: ctx.chrome,
    };
    render(&page)
}

/// A presented case: a link to the published local (or harvested) case
/// with its title, the other node's identifier as text, or nothing for a
/// local case that is no longer public.
async fn case_link(ctx: &Ctx, r: &str) -> Result<Option<(Option<String>, String)>, PageError> {
    let store = ctx.state.store();
    let own = format!("oai:{}:case/", ctx.state.settings().node_id);
    let case = if let Some(id) = r.strip_prefix(&own) {
        store.get_case(id).await
    } else if event::is_global_case_id(r) {
        store.case_by_origin_identifier(r).await
    } else {
        store.get_case(r).await
    }
    .map_err(|e| ctx.fail(e))?;
    Ok(match case {
        Some(c) if c.status == lumbung_core::Status::Published => {
            let title =
                c.content.title.best(ctx.lang().code(), &c.content.original_language).unwrap_or(&c.id).to_owned();
            Some((Some(format!("/cases/{}", c.id)), title))
        }
        Some(_) => None,
        None if event::is_global_case_id(r) => Some((None, r.to_owned())),
        None => None,
    })
}

async fn register(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    ctx.state.app().register_for_event(&actor, &id).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/events/{id}?registered=1")))
}

async fn unregister(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    ctx.state.app().cancel_event_registration(&actor, &id).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/events/{id}?unregistered=1")))
}

// ---------------------------------------------------------------------------
// The curators' form

/// What the form shows: the values as typed, and the errors per field.
#[derive(Default)]
struct FormValues {
    title: String,
    description: String,
    kind: String,
    level: String,
    series: String,
    edition: String,
    starts_at: String,
    ends_at: String,
    time_zone: String,
    venue: String,
    city: String,
    country: String,
    online_url: String,
    organisers: Vec<String>,
    countries: String,
    sessions: String,
    registration_open: bool,
    capacity: String,
    status: String,
    version: i64,
}

#[derive(Template)]
#[template(path = "event_form.html")]
struct FormPage {
    c: Chrome,
    /// None: a new event.
    id: Option<String>,
    v: FormValues,
    kinds: Vec<Choice>,
    levels: Vec<Choice>,
    statuses: Vec<Choice>,
    countries: Vec<Choice>,
    organisations: Vec<Choice>,
    zones: Vec<String>,
    errors: Vec<(String, String)>,
}

fn manager(ctx: &Ctx) -> Result<lumbung_core::Actor, PageError> {
    let actor = ctx.require_user()?;
    if permissions::can_manage_events(&actor) { Ok(actor) } else { Err(ctx.error(StatusCode::FORBIDDEN)) }
}

fn session_line(s: &Session) -> String {
    format!(
        "{} | {} | {} | {} | {}",
        s.starts_at,
        s.duration_minutes,
        s.title,
        s.speakers.join("; "),
        s.cases.join(" ")
    )
}

fn values_of(e: &Event) -> FormValues {
    let c = &e.content;
    let ends_at =
        c.times().map(|t| event::in_zone(t.end, &t.tz).0.strftime("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default();
    FormValues {
        title: c.title.clone(),
        description: c.description.clone().unwrap_or_default(),
        kind: c.kind.as_str().into(),
        level: c.level.as_str().into(),
        series: c.series.clone().unwrap_or_default(),
        edition: c.edition.map(|n| n.to_string()).unwrap_or_default(),
        starts_at: c.starts_at.clone(),
        ends_at,
        time_zone: c.time_zone.clone(),
        venue: c.venue.clone().unwrap_or_default(),
        city: c.city.clone().unwrap_or_default(),
        country: c.country.clone().unwrap_or_default(),
        online_url: c.online_url.clone().unwrap_or_default(),
        organisers: c.organisers.clone(),
        countries: c.countries.join(", "),
        sessions: c.sessions.iter().map(session_line).collect::<Vec<_>>().join("\n"),
        registration_open: c.registration_open,
        capacity: c.capacity.map(|n| n.to_string()).unwrap_or_default(),
        status: c.status.as_str().into(),
        version: e.version,
    }
}

async fn form_page(
    ctx: Ctx,
    id: Option<String>,
    v: FormValues,
    errors: &ValidationErrors,
) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let orgs = ctx.state.store().list_organisations().await.map_err(|e| ctx.fail(e))?;
    let reader = ctx.lang().code();
    let page = FormPage {
        kinds: pick(
            EventKind::ALL,
            EventKind::as_str,
            |k| tr.t(&format!("events-kind-{}", k.as_str().replace('_', "-"))),
            Some(&v.kind),
        ),
        levels: pick(EventLevel::ALL, EventLevel::as_str, |l| tr.t(&format!("events-level-{l}")), Some(&v.level)),
        statuses: pick(EventStatus::ALL, EventStatus::as_str, |s| tr.t(&format!("events-status-{s}")), Some(&v.status)),
        countries: super::choices(tr, vocab::COUNTRIES, std::slice::from_ref(&v.country)),
        organisations: orgs
            .iter()
            .map(|o| Choice {
                value: o.id.clone(),
                label: o.content.name.best(reader, "en").unwrap_or(&o.id).to_owned(),
                selected: v.organisers.contains(&o.id),
                count: None,
            })
            .collect(),
        zones: event::zone_names(),
        errors: super::field_messages(tr, errors).into_iter().map(|(f, m)| (f, m.join(" "))).collect(),
        id,
        v,
        c: ctx.chrome,
    };
    let mut res = render(&page)?;
    if !errors.is_empty() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn new_form(ctx: Ctx) -> Result<Response, PageError> {
    manager(&ctx)?;
    let v = FormValues {
        kind: "forum".into(),
        level: "national".into(),
        time_zone: "Asia/Jakarta".into(),
        status: "scheduled".into(),
        ..Default::default()
    };
    form_page(ctx, None, v, &ValidationErrors::default()).await
}

async fn edit_form(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    manager(&ctx)?;
    let e = ctx.state.app().event(&id).await.map_err(|e| ctx.fail(e))?;
    form_page(ctx, Some(id), values_of(&e), &ValidationErrors::default()).await
}

/// Reads the form into event content; problems the form itself can see
/// (an end before the start, a number that is not one) are field errors.
fn read_form(form: &FormData) -> (FormValues, Result<EventContent, ValidationErrors>) {
    let text = |k: &str| form.get(k).unwrap_or("").to_owned();
    let v = FormValues {
        title: text("title"),
        description: text("description"),
        kind: text("kind"),
        level: text("level"),
        series: text("series"),
        edition: text("edition"),
        starts_at: text("starts_at"),
        ends_at: text("ends_at"),
        time_zone: text("time_zone"),
        venue: text("venue"),
        city: text("city"),
        country: text("country"),
        online_url: text("online_url"),
        organisers: form.all("organisers"),
        countries: text("countries"),
        sessions: text("sessions"),
        registration_open: form.get("registration_open").is_some(),
        capacity: text("capacity"),
        status: text("status"),
        version: form.get("version").and_then(|s| s.parse().ok()).unwrap_or(0),
    };
    let mut e = ValidationErrors::default();
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let number = |e: &mut ValidationErrors, field: &str, s: &str| -> Option<i64> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        s.parse::<i64>().map_err(|_| e.add(field, "invalid", "write a whole number")).ok()
    };
    let kind = EventKind::parse(&v.kind);
    if kind.is_none() {
        e.add("kind", "unknown_value", "choose a kind");
    }
    let level = EventLevel::parse(&v.level);
    if level.is_none() {
        e.add("level", "unknown_value", "choose a level");
    }
    let status = EventStatus::parse(&v.status).unwrap_or(EventStatus::Scheduled);
    let edition = number(&mut e, "edition", &v.edition);
    let capacity = number(&mut e, "capacity", &v.capacity);
    let minutes = match (event::parse_local(v.starts_at.trim()), event::parse_local(v.ends_at.trim())) {
        (Some(a), Some(b)) => Some(b.duration_since(a).as_secs() / 60),
        (_, None) => {
            e.add("ends_at", "invalid", format!("write the local end as {}", event::LOCAL_FORMAT));
            None
        }
        _ => None,
    };
    let mut sessions = Vec::new();
    for (i, l) in v.sessions.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let mut parts = l.split('|').map(str::trim);
        let starts_at = parts.next().unwrap_or("").to_owned();
        let duration = parts.next().unwrap_or("");
        let title = parts.next().unwrap_or("").to_owned();
        let speakers =
            parts.next().unwrap_or("").split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        let cases = parts.next().unwrap_or("").split_whitespace().map(str::to_owned).collect();
        let duration_minutes = duration.parse::<i64>().unwrap_or_else(|_| {
            e.add(format!("sessions[{i}].duration_minutes"), "invalid", "write the minutes as a whole number");
            1
        });
        sessions.push(Session { starts_at, duration_minutes, title, speakers, cases });
    }
    let content = match (kind, level) {
        (Some(kind), Some(level)) if e.is_empty() => Ok(EventContent {
            title: v.title.clone(),
            description: opt(&v.description),
            kind,
            level,
            series: opt(&v.series),
            edition,
            starts_at: v.starts_at.trim().to_owned(),
            duration_minutes: minutes.unwrap_or(0),
            time_zone: v.time_zone.trim().to_owned(),
            venue: opt(&v.venue),
            city: opt(&v.city),
            country: opt(&v.country),
            online_url: opt(&v.online_url),
            organisers: v.organisers.clone(),
            countries: v
                .countries
                .split([',', ' '])
                .map(|s| s.trim().to_ascii_uppercase())
                .filter(|s| !s.is_empty())
                .collect(),
            sessions,
            registration_open: v.registration_open,
            capacity,
            status,
        }),
        _ => Err(e),
    };
    (v, content)
}

async fn create(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = manager(&ctx)?;
    let (v, content) = read_form(&form);
    let result = match content {
        Ok(content) => ctx.state.app().create_event(Some(&actor), content).await,
        Err(errors) => Err(errors.into()),
    };
    match result {
        Ok(e) => Ok(see_other(&format!("/events/{}?saved=1", e.id))),
        Err(lumbung_app::AppError::Invalid(errors)) => form_page(ctx, None, v, &errors).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn update(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = manager(&ctx)?;
    let (v, content) = read_form(&form);
    let result = match content {
        Ok(content) => ctx.state.app().update_event(Some(&actor), &id, v.version, content).await,
        Err(errors) => Err(errors.into()),
    };
    match result {
        Ok(e) => Ok(see_other(&format!("/events/{}?saved=1", e.id))),
        Err(lumbung_app::AppError::Invalid(errors)) => form_page(ctx, Some(id), v, &errors).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The "presented at" entries of a case page: (event id, title, date).
pub async fn presented_at(state: &AppState, tr: super::Tr, case_id: &str) -> Vec<(String, String, String)> {
    state
        .store()
        .events_presenting(case_id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            let date = e.content.times().map(|t| human_date(tr, t.start)).unwrap_or_default();
            (e.id, e.content.title, date)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The reader's own events and private calendar

#[derive(Template)]
#[template(path = "my_events.html")]
struct MyEventsPage {
    c: Chrome,
    events: Vec<(EventCard, String)>,
    has_calendar: bool,
    /// The private calendar's address, shown once after it is made.
    calendar_url: Option<String>,
}

async fn my_events_page(ctx: Ctx, calendar_url: Option<String>) -> Result<Response, PageError> {
    let actor = ctx.require_user()?;
    let tr = ctx.tr();
    let store = ctx.state.store();
    let events = store
        .events_of_account(&actor.account_id)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .map(|(e, s)| (card(tr, &e), tr.t(&format!("events-state-{s}"))))
        .collect();
    let has_calendar = store.has_calendar_token(&actor.account_id).await.map_err(|e| ctx.fail(e))?;
    render(&MyEventsPage { c: ctx.chrome, events, has_calendar, calendar_url })
}

async fn my_events(ctx: Ctx) -> Result<Response, PageError> {
    my_events_page(ctx, None).await
}

async fn my_calendar(ctx: Ctx, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let app = ctx.state.app();
    if form.get("action") == Some("revoke") {
        app.revoke_calendar_token(&actor).await.map_err(|e| ctx.fail(e))?;
        return Ok(see_other("/my/events"));
    }
    let token = app.renew_calendar_token(&actor).await.map_err(|e| ctx.fail(e))?;
    let base = ctx.state.settings().base_url.trim_end_matches('/').to_owned();
    let mut res = my_events_page(ctx, Some(format!("{base}/calendar/{token}.ics"))).await?;
    res.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(res)
}

// ---------------------------------------------------------------------------
// Outcomes and action items

/// An action item as pages show it.
pub struct ActionCard {
    pub id: String,
    pub event_id: String,
    pub what: String,
    pub owner_id: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
    pub status_label: String,
    pub overdue: bool,
    pub cases: Vec<(Option<String>, String)>,
    pub version: i64,
}

/// The action items matching `f`, ready for a page.
pub async fn action_cards(ctx: &Ctx, f: &ActionFilter) -> Result<Vec<ActionCard>, PageError> {
    let tr = ctx.tr();
    let store = ctx.state.store();
    let items = store.action_items(f).await.map_err(|e| ctx.fail(e))?;
    let orgs = store.list_organisations().await.map_err(|e| ctx.fail(e))?;
    let today = lumbung_core::clock::today();
    let mut out = Vec::new();
    for a in items {
        let owner = orgs
            .iter()
            .find(|o| o.id == a.content.owner)
            .and_then(|o| o.content.name.best(ctx.lang().code(), "en"))
            .unwrap_or(&a.content.owner)
            .to_owned();
        let mut cases = Vec::new();
        for r in &a.content.cases {
            cases.extend(case_link(ctx, r).await?);
        }
        out.push(ActionCard {
            overdue: a.overdue(today),
            status_label: tr.t(&format!("events-action-{}", a.content.status)),
            status: a.content.status.as_str().to_owned(),
            id: a.id,
            event_id: a.event_id,
            what: a.content.what,
            owner_id: a.content.owner,
            owner,
            due_on: a.content.due_on,
            cases,
            version: a.version,
        });
    }
    Ok(out)
}

async fn record_outcome(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = manager(&ctx)?;
    let version = form.get("version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let outcome = Outcome {
        summary: form.text("summary"),
        minutes: form.text("minutes"),
        decisions: form
            .get("decisions")
            .unwrap_or("")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    ctx.state.app().record_outcome(Some(&actor), &id, version, outcome).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/events/{id}?saved=1#outcome")))
}

async fn add_action(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = manager(&ctx)?;
    let content = ActionItemContent {
        what: form.get("what").unwrap_or("").to_owned(),
        owner: form.get("owner").unwrap_or("").to_owned(),
        due_on: form.get("due_on").unwrap_or("").trim().to_owned(),
        status: ActionStatus::Open,
        cases: form.get("cases").unwrap_or("").split_whitespace().map(str::to_owned).collect(),
    };
    ctx.state.app().create_action_item(Some(&actor), &id, content).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/events/{id}?saved=1#actions")))
}

async fn action_status(ctx: Ctx, Path(aid): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = manager(&ctx)?;
    let item = ctx
        .state
        .store()
        .action_item(&aid)
        .await
        .map_err(|e| ctx.fail(e))?
        .ok_or_else(|| ctx.error(StatusCode::NOT_FOUND))?;
    let status = form.get("status").and_then(ActionStatus::parse).ok_or_else(|| ctx.error(StatusCode::BAD_REQUEST))?;
    let version = form.get("version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let content = ActionItemContent { status, ..item.content };
    ctx.state.app().update_action_item(Some(&actor), &aid, version, content).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/events/{}?saved=1#actions", item.event_id)))
}

#[derive(Template)]
#[template(path = "event_actions.html")]
struct ActionsPage {
    c: Chrome,
    overdue: bool,
    actions: Vec<ActionCard>,
}

/// `/events/actions` (`?overdue=1`): every action item, for curators.
async fn actions_page(ctx: Ctx, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    manager(&ctx)?;
    let pairs: Vec<(String, String)> = query_pairs(raw.as_deref()).into_iter().filter(|(_, v)| !v.is_empty()).collect();
    let f = crate::api::actions::action_filter(&pairs).map_err(|e| ctx.fail(e))?;
    let actions = action_cards(&ctx, &f).await?;
    render(&ActionsPage { overdue: f.due_before.is_some(), actions, c: ctx.chrome })
}
