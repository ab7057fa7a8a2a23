//! Living cases: every published case is asked, on a schedule, whether it
//! still runs. A check-in falls due `interval` months after the case was last
//! confirmed (or published); its owner answers still running, scaled up,
//! changed (what changed) or discontinued (when, why, what was learned).
//!
//! ```text
//!   (schedule) ──► due ──answer──► answered
//!                   │
//!                   └── unanswered: the case shows "not confirmed since"
//! ```

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::validate::ValidationErrors;

/// Months between check-ins unless the node or the case says otherwise.
pub const DEFAULT_INTERVAL_MONTHS: u32 = 12;
/// The longest interval a case may set.
pub const MAX_INTERVAL_MONTHS: u32 = 60;
/// The longest "what changed" or "what was learned" text, in characters.
pub const MAX_TEXT: usize = 5_000;

/// An owner's answer to a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    StillRunning,
    ScaledUp,
    Changed,
    Discontinued,
}

impl Answer {
    pub const ALL: [Answer; 4] = [Answer::StillRunning, Answer::ScaledUp, Answer::Changed, Answer::Discontinued];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::StillRunning => "still_running",
            Answer::ScaledUp => "scaled_up",
            Answer::Changed => "changed",
            Answer::Discontinued => "discontinued",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The case's operating status after this answer.
    pub fn operating_status(self) -> &'static str {
        match self {
            Answer::StillRunning | Answer::Changed => "active",
            Answer::ScaledUp => "scaled",
            Answer::Discontinued => "discontinued",
        }
    }
}

/// Why an innovation was discontinued.
pub const REASONS: [&str; 7] =
    ["funding_ended", "political_change", "legal_barrier", "technology", "low_uptake", "replaced", "other"];

/// A check-in answer as an owner sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckinAnswer {
    pub answer: String,
    pub what_changed: Option<String>,
    pub discontinued_on: Option<String>,
    pub reason: Option<String>,
    pub lessons: Option<String>,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAnswer {
    pub answer: Answer,
    pub what_changed: Option<String>,
    pub discontinued_on: Option<Date>,
    pub reason: Option<String>,
    pub lessons: Option<String>,
}

fn text(e: &mut ValidationErrors, field: &str, v: &Option<String>) {
    if let Some(t) = v {
        let len = t.chars().count();
        if len > MAX_TEXT {
            e.add(field, "too_long", format!("at most {MAX_TEXT} characters ({len} given)"));
        }
        if t.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            e.add(field, "invalid", "contains control characters");
        }
    }
}

/// Checks an answer (every error at once); `today` bounds the discontinuation date.
pub fn validate_answer(a: &CheckinAnswer, today: Date) -> Result<ValidAnswer, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let answer = Answer::parse(a.answer.trim());
    if answer.is_none() {
        e.add("answer", "unknown_value", "one of still_running, scaled_up, changed, discontinued");
    }
    text(&mut e, "what_changed", &a.what_changed);
    text(&mut e, "lessons", &a.lessons);
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let discontinued_on = match a.discontinued_on.as_deref() {
        None => None,
        Some(d) => match Date::parse(d, &format) {
            Ok(d) if d <= today => Some(d),
            Ok(_) => {
                e.add("discontinued_on", "out_of_range", "not in the future");
                None
            }
            Err(_) => {
                e.add("discontinued_on", "invalid", "a date, YYYY-MM-DD");
                None
            }
        },
    };
    if let Some(r) = &a.reason {
        if !REASONS.contains(&r.as_str()) {
            e.add("reason", "unknown_value", format!("one of {}", REASONS.join(", ")));
        }
    }
    match answer {
        Some(Answer::Changed) if a.what_changed.is_none() => e.add("what_changed", "required", "say what changed"),
        Some(Answer::Discontinued) => {
            if a.discontinued_on.is_none() {
                e.add("discontinued_on", "required", "say when it was discontinued");
            }
            if a.reason.is_none() {
                e.add("reason", "required", "say why it was discontinued");
            }
        }
        _ => {}
    }
    let Some(answer) = answer else { return Err(e) };
    if !e.is_empty() {
        return Err(e);
    }
    let discontinued = answer == Answer::Discontinued;
    Ok(ValidAnswer {
        answer,
        what_changed: a.what_changed.clone(),
        discontinued_on: discontinued_on.filter(|_| discontinued),
        reason: a.reason.clone().filter(|_| discontinued),
        lessons: a.lessons.clone(),
    })
}

/// `date` plus `months` (the day clamped to the month's length).
pub fn add_months(date: Date, months: u32) -> Date {
    let total = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(date.year());
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// When the next check-in of a case last confirmed (or published) on `since` falls due.
pub fn due_on(since: Date, interval_months: u32) -> Date {
    add_months(since, interval_months.clamp(1, MAX_INTERVAL_MONTHS))
}

/// The `confirmed` search facet: confirmed within the last 12 months, earlier, or never.
pub fn confirmed_bucket(last_confirmed: Option<Date>, today: Date) -> &'static str {
    match last_confirmed {
        None => "never",
        Some(d) if add_months(d, 12) > today => "within_12_months",
        Some(_) => "earlier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_are_added_with_the_day_clamped() {
        assert_eq!(add_months(date!(2025 - 01 - 31), 1), date!(2025 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 12 - 15), 12), date!(2025 - 12 - 15));
        assert_eq!(due_on(date!(2024 - 02 - 29), 12), date!(2025 - 02 - 28));
    }

    #[test]
    fn the_confirmed_bucket_lapses_after_twelve_months() {
        let d = date!(2025 - 03 - 01);
        assert_eq!(confirmed_bucket(Some(d), date!(2026 - 02 - 28)), "within_12_months");
        assert_eq!(confirmed_bucket(Some(d), date!(2026 - 03 - 01)), "earlier");
        assert_eq!(confirmed_bucket(None, d), "never");
    }

    #[test]
    fn answers_need_their_details() {
        let today = date!(2026 - 12 - 04);
        let a = CheckinAnswer { answer: "discontinued".into(), ..Default::default() };
        assert_eq!(validate_answer(&a, today).unwrap_err().errors.len(), 2);
        let a = CheckinAnswer { answer: "changed".into(), ..Default::default() };
        assert!(validate_answer(&a, today).is_err());
        let a = CheckinAnswer {
            answer: "discontinued".into(),
            discontinued_on: Some("2027-01-01".into()),
            reason: Some("bored".into()),
            ..Default::default()
        };
        assert_eq!(validate_answer(&a, today).unwrap_err().errors.len(), 2);
        let a = CheckinAnswer { answer: "still_running".into(), ..Default::default() };
        assert_eq!(validate_answer(&a, today).unwrap().answer, Answer::StillRunning);
    }
}
