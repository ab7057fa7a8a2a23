//! Living cases: owners answer check-ins (still running, scaled up, changed,
//! discontinued), and the schedule marks check-ins due. Each answer is a
//! case revision (its operating status and last confirmation change) and a
//! kept check-in, in one transaction.

use lumbung_core::checkin::{self, Answer, CheckinAnswer};
use lumbung_core::{Actor, Case, RevisionAction, Status, permissions};
use lumbung_store::Checkin;
use time::Date;

use crate::{App, AppError};

/// Published cases read per page by the schedule.
const PAGE: i64 = 1_000;

/// A case's check-in schedule as readers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinSchedule {
    /// The case's own interval in months, if it set one.
    pub own_months: Option<u32>,
    /// The node's interval, which applies otherwise.
    pub default_months: u32,
    /// The last confirmation by an owner.
    pub last_confirmed: Option<Date>,
    /// When the next check-in falls due (None: the case is not checked in —
    /// not published here, or discontinued).
    pub next_due: Option<Date>,
}

impl CheckinSchedule {
    /// The interval that applies, in months.
    pub fn months(&self) -> u32 {
        self.own_months.unwrap_or(self.default_months)
    }
}

impl App {
    /// The case `actor` would check in: NotFound when they may not see it,
    /// Forbidden when they are not its owner or an editor, a conflict when it
    /// is not a published local case. Asked before reading a request body.
    pub async fn case_to_check_in(&self, actor: &Actor, id: &str) -> Result<Case, AppError> {
        let case = self.visible_case(id, Some(actor)).await?;
        if !permissions::can_manage_links(actor, case.owners()) {
            return Err(AppError::Forbidden("a case's owner, curators and administrators answer its check-ins".into()));
        }
        if let Some(o) = &case.origin {
            return Err(AppError::InvalidTransition(format!("this case is checked in at its origin, {}", o.node)));
        }
        if case.status != Status::Published {
            return Err(AppError::InvalidTransition("only published cases are checked in".into()));
        }
        Ok(case)
    }

    /// An owner's answer to a check-in, on `today`.
    pub async fn check_in(
        &self,
        actor: &Actor,
        id: &str,
        answer: CheckinAnswer,
        today: Date,
    ) -> Result<Checkin, AppError> {
        let case = self.case_to_check_in(actor, id).await?;
        let answer = CheckinAnswer {
            answer: answer.answer,
            what_changed: crate::clean_text("what_changed", answer.what_changed, usize::MAX)?,
            discontinued_on: crate::clean_text("discontinued_on", answer.discontinued_on, usize::MAX)?,
            reason: crate::clean_text("reason", answer.reason, usize::MAX)?,
            lessons: crate::clean_text("lessons", answer.lessons, usize::MAX)?,
        };
        let valid = checkin::validate_answer(&answer, today)?;
        let comment = format!("check-in: {}", valid.answer.as_str());
        let now = lumbung_core::clock::now();
        let mut tx = self.store.begin().await?;
        let updated = tx
            .update_case(
                &case.id,
                None,
                RevisionAction::Update,
                Some(&actor.account_id),
                Some(&comment),
                |c: &mut Case| {
                    let status = valid.answer.operating_status();
                    if valid.answer == Answer::Discontinued {
                        c.content.operating_status_date = valid.discontinued_on;
                    } else if c.content.operating_status.as_deref() != Some(status) {
                        c.content.operating_status_date = Some(today);
                    }
                    c.content.operating_status = Some(status.to_owned());
                    c.content.last_confirmed = Some(today);
                    Ok::<(), AppError>(())
                },
            )
            .await?;
        let checkin_id = tx
            .answer_checkin(
                &case.id,
                updated.version,
                today,
                valid.answer.as_str(),
                valid.what_changed.as_deref(),
                valid.discontinued_on,
                valid.reason.as_deref(),
                valid.lessons.as_deref(),
                Some(&actor.account_id),
                now,
            )
            .await?;
        tx.commit().await?;
        self.store.checkins_of(&case.id).await?.into_iter().find(|c| c.id == checkin_id).ok_or(AppError::NotFound)
    }

    /// A case's check-ins for `actor` (who answered is for owners and editors).
    pub async fn checkins(&self, actor: Option<&Actor>, id: &str) -> Result<Vec<Checkin>, AppError> {
        let case = self.visible_case(id, actor).await?;
        let private = permissions::can_see_private(actor, case.owners());
        Ok(self
            .store
            .checkins_of(&case.id)
            .await?
            .into_iter()
            .map(|mut c| {
                if !private {
                    c.answered_by = None;
                }
                c
            })
            .collect())
    }

    /// Marks due every check-in that has fallen due by `today`: a published
    /// local case not discontinued, last confirmed (or published) more than
    /// its interval ago (its own, else `default_months`). Idempotent: a
    /// check-in is marked once whoever runs this and however often. Returns
    /// how many this call marked.
    pub async fn run_checkin_schedule(&self, today: Date, default_months: u32) -> Result<usize, AppError> {
        let mut marked = 0;
        let mut after = String::new();
        loop {
            let page = self.store.scheduled_cases(&after, PAGE).await?;
            let Some((last, _)) = page.last() else { break };
            after = last.id.clone();
            for (case, own) in page {
                if case.content.operating_status.as_deref() == Some("discontinued") {
                    continue;
                }
                let Some(since) = case.content.last_confirmed.or(case.published_at.map(|t| t.date())) else {
                    continue;
                };
                let due = checkin::due_on(since, own.unwrap_or(default_months));
                if due > today {
                    continue;
                }
                let mut tx = self.store.begin().await?;
                if tx.mark_checkin_due(&case.id, case.version, due).await? {
                    marked += 1;
                }
                tx.commit().await?;
            }
        }
        Ok(marked)
    }

    /// The node's check-in interval in months.
    pub fn default_checkin_months(&self) -> u32 {
        match self.settings.checkin_months {
            0 => checkin::DEFAULT_INTERVAL_MONTHS,
            m => m.min(checkin::MAX_INTERVAL_MONTHS),
        }
    }

    /// The check-in schedule of a case `actor` may see.
    pub async fn checkin_schedule(&self, actor: Option<&Actor>, id: &str) -> Result<CheckinSchedule, AppError> {
        let case = self.visible_case(id, actor).await?;
        self.schedule_of(&case).await
    }

    /// [`App::checkin_schedule`] for a case already read and checked.
    pub async fn schedule_of(&self, case: &Case) -> Result<CheckinSchedule, AppError> {
        let own_months = self.store.checkin_interval(&case.id).await?;
        let mut schedule = CheckinSchedule {
            own_months,
            default_months: self.default_checkin_months(),
            last_confirmed: case.content.last_confirmed,
            next_due: None,
        };
        let checked = case.status == Status::Published
            && case.origin.is_none()
            && case.content.operating_status.as_deref() != Some("discontinued");
        if checked {
            let since = case.content.last_confirmed.or(case.published_at.map(|t| t.date()));
            schedule.next_due = since.map(|s| checkin::due_on(s, schedule.months()));
        }
        Ok(schedule)
    }

    /// Sets (or clears) a case's own check-in interval, in months.
    pub async fn set_checkin_interval(&self, actor: &Actor, id: &str, months: Option<u32>) -> Result<(), AppError> {
        let case = self.case_to_check_in(actor, id).await?;
        if months.is_some_and(|m| !(1..=checkin::MAX_INTERVAL_MONTHS).contains(&m)) {
            return Err(AppError::field(
                "interval_months",
                "out_of_range",
                format!("from 1 to {} months", checkin::MAX_INTERVAL_MONTHS),
            ));
        }
        let mut tx = self.store.begin().await?;
        tx.set_checkin_interval(&case.id, months).await?;
        tx.commit().await?;
        Ok(())
    }
}
