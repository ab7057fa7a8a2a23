//! Nominations between nodes: nominating a case upstream, and deciding on a
//! nomination that came from below.

use lumbung_core::{Actor, Case, NominationDirection, NominationState, RevisionAction, Status, permissions};
use lumbung_store::Nomination;

use crate::{App, AppError};

/// The longest nomination or decision note, in characters.
pub const MAX_NOTE: usize = 5_000;

impl App {
    /// The case `actor` would nominate: NotFound when they may not see it,
    /// Forbidden when they may not nominate (asked before reading a request body).
    pub async fn case_to_nominate(&self, actor: &Actor, id: &str) -> Result<Case, AppError> {
        let case = self.visible_case(id, Some(actor)).await?;
        if !permissions::can_nominate(actor, case.owners()) {
            return Err(AppError::Forbidden(if permissions::is_nominator(actor) {
                "a delegate nominates the cases of its own country only".into()
            } else {
                "curators and delegates nominate cases".into()
            }));
        }
        Ok(case)
    }

    /// Nominates a published case to one of the node's upstreams.
    pub async fn nominate(
        &self,
        actor: &Actor,
        id: &str,
        to: &str,
        note: Option<String>,
    ) -> Result<Nomination, AppError> {
        let case = self.case_to_nominate(actor, id).await?;
        if !self.settings.upstreams.iter().any(|u| u == to) {
            return Err(AppError::field(
                "to",
                "unknown_value",
                format!("'{to}' is not an upstream node of this node ({})", self.settings.upstreams.join(", ")),
            ));
        }
        if case.status != Status::Published {
            return Err(AppError::InvalidTransition("only published cases can be nominated".into()));
        }
        let note = crate::clean_text("note", note, MAX_NOTE)?;
        Ok(self.store.nominate(NominationDirection::Outgoing, id, to, note.as_deref(), Some(&actor.account_id)).await?)
    }

    /// Accepts (publishes the copy here) or declines (archives it) an incoming
    /// nomination; declining needs a note. The copy and the nomination change
    /// in one transaction.
    pub async fn decide_nomination(
        &self,
        actor: &Actor,
        id: &str,
        note: Option<String>,
        accept: bool,
    ) -> Result<Nomination, AppError> {
        if !permissions::can_decide_nominations(actor) {
            return Err(AppError::Forbidden("nominations are handled by curators".into()));
        }
        let note = crate::clean_text("note", note, MAX_NOTE)?;
        if !accept && note.is_none() {
            return Err(AppError::field("note", "required", "say why the nomination is declined"));
        }
        let n = self.store.nomination(id).await?.ok_or(AppError::NotFound)?;
        if n.direction != NominationDirection::Incoming {
            return Err(AppError::InvalidTransition("only incoming nominations are accepted or declined here".into()));
        }
        if n.state != NominationState::Nominated {
            return Err(AppError::InvalidTransition(format!("this nomination is already {}", n.state)));
        }
        let (to, action, decided) = if accept {
            (Status::Published, RevisionAction::Accept, NominationState::Accepted)
        } else {
            (Status::Archived, RevisionAction::Decline, NominationState::Declined)
        };
        let mut tx = self.store.begin().await?;
        tx.update_case(&n.case_id, None, action, Some(&actor.account_id), note.as_deref(), |c: &mut Case| {
            if c.status != Status::Submitted {
                return Err(AppError::InvalidTransition(format!("the copy is {}, not submitted", c.status)));
            }
            c.status = to;
            Ok(())
        })
        .await?;
        tx.decide_nomination(id, decided, note.as_deref()).await?;
        tx.commit().await?;
        self.store.nomination(id).await?.ok_or(AppError::NotFound)
    }
}
