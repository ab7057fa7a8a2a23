//! Living cases on the pages: the case page's status history, "not confirmed
//! since", the owner's check-in form and the lessons of a discontinued case
//! (shown first); `/lessons`, the lessons of discontinued innovations; and
//! `/curate/checkins`, the check-ins overdue for curators.

use askama::Template;
use axum::Router;
use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery};
use axum::response::Response;
use axum::routing::{get, post};
use lumbung_core::checkin::{Answer, CheckinAnswer, REASONS};
use lumbung_core::{Case, Role, Status, permissions, vocab};

use super::{Chrome, Ctx, FormData, PageError, Tr, render, see_other};
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/checkins", post(check_in))
        .route("/cases/{id}/checkin-schedule", post(set_schedule))
        .route("/lessons", get(lessons_page))
        .route("/curate/checkins", get(overdue_page))
}

/// The case page's living-case block.
#[derive(Debug, Clone, Default)]
pub struct CheckinBlock {
    /// (date, answer label, details) of answered check-ins, newest first.
    pub history: Vec<(String, String, String)>,
    /// "Not confirmed since …" when the last confirmation is over a year old (or never).
    pub stale: Option<String>,
    /// An open check-in's due date, for the owner.
    pub due: Option<String>,
    pub can_answer: bool,
    pub answers: Vec<(String, String)>,
    pub reasons: Vec<(String, String)>,
    /// Discontinued: what was learned, shown first.
    pub lessons: Option<String>,
    pub discontinued: Option<String>,
    /// How often the case is checked and when next, for every reader.
    pub schedule: Option<String>,
    /// The case's own interval (empty: the node's), for the owners' form.
    pub own_months: String,
    pub default_months: u32,
}

fn answer_label(tr: Tr, a: &str) -> String {
    tr.t(&format!("checkin-answer-{a}"))
}

fn reason_label(tr: Tr, r: &str) -> String {
    tr.t(&format!("checkin-reason-{r}"))
}

/// The living-case block of `case` for `ctx`'s reader.
pub async fn case_block(ctx: &Ctx, case: &Case) -> Result<CheckinBlock, PageError> {
    let tr = ctx.tr();
    let actor = ctx.actor();
    let list = ctx.state.app().checkins(actor.as_ref(), &case.id).await.map_err(|e| ctx.fail(e))?;
    let mut block = CheckinBlock::default();
    for c in &list {
        let Some(answer) = c.answer.as_deref() else {
            if block.due.is_none() {
                block.due = Some(c.due_on.clone());
            }
            continue;
        };
        let mut details = Vec::new();
        if let Some(d) = &c.discontinued_on {
            details.push(d.clone());
        }
        if let Some(r) = &c.reason {
            details.push(reason_label(tr, r));
        }
        if let Some(w) = &c.what_changed {
            details.push(w.clone());
        }
        block.history.push((c.due_on.clone(), answer_label(tr, answer), details.join(" · ")));
        if answer == "discontinued" && block.lessons.is_none() && block.discontinued.is_none() {
            block.lessons = c.lessons.clone();
            block.discontinued = c.discontinued_on.clone();
        }
    }
    if case.status == Status::Published && case.origin.is_none() {
        let today = lumbung_core::clock::today();
        let last = case.content.last_confirmed;
        if lumbung_core::checkin::confirmed_bucket(last, today) != "within_12_months"
            && case.content.operating_status.as_deref() != Some("discontinued")
        {
            block.stale = Some(match last {
                Some(d) => tr.t1("checkin-not-confirmed", "date", d.to_string()),
                None => tr.t("checkin-never-confirmed"),
            });
        }
    }
    let app = ctx.state.app();
    let schedule = app.schedule_of(case).await.map_err(|e| ctx.fail(e))?;
    if let Some(next) = schedule.next_due {
        let every = tr.tn("checkin-every", "months", i64::from(schedule.months()));
        let key = if schedule.own_months.is_some() { "checkin-schedule-own" } else { "checkin-schedule-node" };
        block.schedule = Some(tr.t2(key, ("every", &every), ("date", &next.to_string())));
    }
    block.own_months = schedule.own_months.map(|m| m.to_string()).unwrap_or_default();
    block.default_months = schedule.default_months;
    block.can_answer = case.status == Status::Published
        && case.origin.is_none()
        && actor.as_ref().is_some_and(|a| permissions::can_manage_links(a, case.owners()));
    if !block.can_answer {
        block.due = None;
    } else {
        block.answers = Answer::ALL.iter().map(|a| (a.as_str().to_owned(), answer_label(tr, a.as_str()))).collect();
        block.reasons = REASONS.iter().map(|r| ((*r).to_owned(), reason_label(tr, r))).collect();
    }
    Ok(block)
}

/// `POST /cases/{id}/checkins`: the owner answers from the case page.
async fn check_in(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let answer = CheckinAnswer {
        answer: form.get("answer").unwrap_or("").to_owned(),
        what_changed: form.text("what_changed"),
        discontinued_on: form.text("discontinued_on"),
        reason: form.text("reason"),
        lessons: form.text("lessons"),
    };
    ctx.state.app().check_in(&actor, &id, answer, lumbung_core::clock::today()).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/cases/{id}#checkins")))
}

/// `POST /cases/{id}/checkin-schedule`: the owner sets the case's own
/// interval (empty: back to the node's).
async fn set_schedule(ctx: Ctx, Path(id): Path<String>, form: FormData) -> Result<Response, PageError> {
    ctx.check_form(&form)?;
    let actor = ctx.require_user()?;
    let months = match form.text("interval_months") {
        None => None,
        Some(m) => Some(m.parse::<u32>().map_err(|_| {
            ctx.fail(lumbung_app::AppError::field("interval_months", "invalid", "a whole number of months, 1 to 60"))
        })?),
    };
    ctx.state.app().set_checkin_interval(&actor, &id, months).await.map_err(|e| ctx.fail(e))?;
    Ok(see_other(&format!("/cases/{id}#checkins")))
}

/// Check-ins due by today of the cases `actor` owns, for `/my/cases`:
/// (case id, title, due on).
pub async fn due_for(ctx: &Ctx, actor: &lumbung_core::Actor) -> Result<Vec<(String, String, String)>, PageError> {
    let lang = ctx.lang().code();
    let store = ctx.state.store();
    let due = store
        .due_checkins_with_cases(lumbung_core::clock::today(), Some(&actor.account_id), 500)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(due
        .into_iter()
        .map(|(c, case)| {
            let title = case.content.title.best(lang, &case.content.original_language).unwrap_or(&case.id).to_owned();
            (case.id, title, c.due_on)
        })
        .collect())
}

/// One lesson on `/lessons`.
pub struct LessonView {
    pub id: String,
    pub title: String,
    pub country: String,
    pub reason: String,
    pub discontinued_on: String,
    pub lessons: String,
}

#[derive(Template)]
#[template(path = "lessons.html")]
struct LessonsPage {
    c: Chrome,
    lessons: Vec<LessonView>,
    /// Lessons before filtering (published discontinued cases).
    total: usize,
    /// "3 of 7 lessons".
    count_line: String,
    reasons: Vec<super::Choice>,
    countries: Vec<super::Choice>,
    sectors: Vec<super::Choice>,
    filtered: bool,
}

/// The facets of `/lessons`: why an innovation stopped, its country, its sectors.
#[derive(Debug, Default)]
struct LessonFilter {
    reason: Option<String>,
    country: Option<String>,
    sector: Option<String>,
}

impl LessonFilter {
    /// Reads `?reason=&country=&sector=` (blank values are no filter; other
    /// keys are ignored); a value outside its vocabulary is a 400.
    fn parse(raw: Option<&str>) -> Result<LessonFilter, ApiError> {
        let mut f = LessonFilter::default();
        for (k, v) in crate::extract::query_pairs(raw) {
            if v.is_empty() {
                continue;
            }
            let known = match k.as_str() {
                "reason" => REASONS.contains(&v.as_str()),
                "country" => vocab::contains(vocab::COUNTRIES, &v),
                "sector" => vocab::contains(vocab::SECTORS, &v),
                _ => continue,
            };
            if !known {
                return Err(ApiError::BadRequest(format!("'{v}' is not a valid value of '{k}'")));
            }
            let slot = match k.as_str() {
                "reason" => &mut f.reason,
                "country" => &mut f.country,
                _ => &mut f.sector,
            };
            *slot = Some(v);
        }
        Ok(f)
    }

    /// Whether a lesson matches every facet but `skip` (a facet's counts are
    /// taken over the lessons the other facets let through).
    fn admits(&self, case: &Case, reason: Option<&str>, skip: Option<&str>) -> bool {
        (skip == Some("reason") || self.reason.is_none() || self.reason.as_deref() == reason)
            && (skip == Some("country") || self.country.is_none() || self.country == case.content.country)
            && (skip == Some("sector") || self.sector.as_ref().is_none_or(|s| case.content.sectors.contains(s)))
    }
}

/// Facet choices with their counts: the values some lesson has, and the one selected.
fn facet(counts: &BTreeMap<String, u64>, selected: Option<&str>, label: impl Fn(&str) -> String) -> Vec<super::Choice> {
    let mut out: Vec<super::Choice> = counts
        .iter()
        .map(|(v, n)| super::Choice {
            value: v.clone(),
            label: label(v),
            selected: selected == Some(v),
            count: Some(*n),
        })
        .collect();
    if let Some(s) = selected.filter(|s| !counts.contains_key(*s)) {
        out.push(super::Choice { value: s.to_owned(), label: label(s), selected: true, count: Some(0) });
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

/// `GET /lessons`: what was learned from discontinued innovations (published
/// cases only), filtered by why they stopped, country and sector, each
/// choice with how many lessons it holds.
async fn lessons_page(ctx: Ctx, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let lang = ctx.lang().code();
    let filter = LessonFilter::parse(raw.as_deref()).map_err(|e| ctx.fail(e))?;
    let store = ctx.state.store();
    let all: Vec<_> = store
        .lessons(1000)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .filter(|(case, _)| case.status == Status::Published)
        .collect();
    let (mut reasons, mut countries, mut sectors) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let mut lessons = Vec::new();
    for (case, c) in &all {
        let reason = c.reason.as_deref();
        if let Some(r) = reason.filter(|_| filter.admits(case, reason, Some("reason"))) {
            *reasons.entry(r.to_owned()).or_insert(0) += 1;
        }
        if let Some(cc) = case.content.country.as_ref().filter(|_| filter.admits(case, reason, Some("country"))) {
            *countries.entry(cc.clone()).or_insert(0) += 1;
        }
        if filter.admits(case, reason, Some("sector")) {
            for s in &case.content.sectors {
                *sectors.entry(s.clone()).or_insert(0) += 1;
            }
        }
        if !filter.admits(case, reason, None) {
            continue;
        }
        lessons.push(LessonView {
            title: case.content.title.best(lang, &case.content.original_language).unwrap_or(&case.id).to_owned(),
            country: case.content.country.as_deref().map(|cc| tr.term(vocab::COUNTRIES, cc)).unwrap_or_default(),
            reason: reason.map(|r| reason_label(tr, r)).unwrap_or_default(),
            discontinued_on: c.discontinued_on.clone().unwrap_or_default(),
            lessons: c.lessons.clone().unwrap_or_default(),
            id: case.id.clone(),
        });
    }
    render(&LessonsPage {
        count_line: tr.tn2(
            "lessons-count",
            ("shown", i64::try_from(lessons.len()).unwrap_or(i64::MAX)),
            ("total", i64::try_from(all.len()).unwrap_or(i64::MAX)),
        ),
        total: all.len(),
        reasons: facet(&reasons, filter.reason.as_deref(), |r| reason_label(tr, r)),
        countries: facet(&countries, filter.country.as_deref(), |cc| tr.term(vocab::COUNTRIES, cc)),
        sectors: facet(&sectors, filter.sector.as_deref(), |s| tr.term(vocab::SECTORS, s)),
        filtered: filter.reason.is_some() || filter.country.is_some() || filter.sector.is_some(),
        lessons,
        c: ctx.chrome,
    })
}

#[derive(Template)]
#[template(path = "curate_checkins.html")]
struct OverduePage {
    c: Chrome,
    /// (case id, title, due on).
    overdue: Vec<(String, String, String)>,
}

/// `GET /curate/checkins`: check-ins nobody has answered, oldest first (curators).
async fn overdue_page(ctx: Ctx) -> Result<Response, PageError> {
    ctx.require_role(Role::is_editor)?;
    let lang = ctx.lang().code();
    let store = ctx.state.store();
    let overdue = store
        .due_checkins_with_cases(lumbung_core::clock::today(), None, 500)
        .await
        .map_err(|e| ctx.fail(e))?
        .into_iter()
        .map(|(c, case)| {
            let title = case.content.title.best(lang, &case.content.original_language).unwrap_or(&case.id).to_owned();
            (case.id, title, c.due_on)
        })
        .collect();
    render(&OverduePage { c: ctx.chrome, overdue })
}
