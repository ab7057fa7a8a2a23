//! Living cases on the pages: the case page's status history, "not confirmed
//! since", the owner's check-in form and the lessons of a discontinued case
//! (shown first); `/lessons`, the lessons of discontinued innovations; and
//! `/curate/checkins`, the check-ins overdue for curators.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use lumbung_core::checkin::{Answer, CheckinAnswer, REASONS};
use lumbung_core::{Case, Role, Status, permissions, vocab};

use super::{Chrome, Ctx, FormData, PageError, Tr, render, see_other};
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
        && actor.as_ref().is_some_and(|a| permissions::can_manage_links(a, case.created_by.as_deref()));
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
}

/// `GET /lessons`: what was learned from discontinued innovations (published cases only).
async fn lessons_page(ctx: Ctx) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let lang = ctx.lang().code();
    let store = ctx.state.store();
    let mut lessons = Vec::new();
    for (case, c) in store.lessons(200).await.map_err(|e| ctx.fail(e))? {
        if case.status != Status::Published {
            continue;
        }
        lessons.push(LessonView {
            title: case.content.title.best(lang, &case.content.original_language).unwrap_or(&case.id).to_owned(),
            country: case.content.country.as_deref().map(|cc| tr.term(vocab::COUNTRIES, cc)).unwrap_or_default(),
            reason: c.reason.as_deref().map(|r| reason_label(tr, r)).unwrap_or_default(),
            discontinued_on: c.discontinued_on.unwrap_or_default(),
            lessons: c.lessons.unwrap_or_default(),
            id: case.id,
        });
    }
    render(&LessonsPage { c: ctx.chrome, lessons })
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
