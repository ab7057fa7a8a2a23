//! The publication workflow of a local case, as an explicit state machine:
//!
//! ```text
//! draft ──submit──▶ submitted ──publish──▶ published ──archive──▶ archived
//!                    │    ▲                    ▲                     │
//!               return    submit               └──────publish────────┘
//!                    ▼    │
//!                   returned
//! ```
//!
//! Every transition checks the actor's role: authors submit their own cases;
//! curators and administrators return, publish and archive.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::account::Actor;
use crate::permissions::Owners;

/// Where a case is in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Returned,
    Published,
    Archived,
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::Draft, Status::Submitted, Status::Returned, Status::Published, Status::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Published => "published",
            Status::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A workflow step a user asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    Submit,
    Return,
    Publish,
    Archive,
}

impl Transition {
    pub const ALL: [Transition; 4] = [Transition::Submit, Transition::Return, Transition::Publish, Transition::Archive];

    pub fn as_str(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::Return => "return",
            Transition::Publish => "publish",
            Transition::Archive => "archive",
        }
    }

    pub fn parse(s: &str) -> Option<Transition> {
        Transition::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The status this step leads to from `from`, if it is allowed from there.
    pub fn target(self, from: Status) -> Option<Status> {
        use Status::*;
        match (self, from) {
            (Transition::Submit, Draft | Returned) => Some(Submitted),
            (Transition::Return, Submitted) => Some(Returned),
            (Transition::Publish, Submitted | Archived) => Some(Published),
            (Transition::Archive, Published) => Some(Archived),
            _ => None,
        }
    }

    /// Returning a case without saying why helps nobody: a comment is required.
    pub fn needs_comment(self) -> bool {
        matches!(self, Transition::Return)
    }
}

/// Why a workflow step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("a case that is {from} cannot be sent to {transition}")]
    NotAllowedFrom { transition: &'static str, from: Status },
    #[error("your role may not {transition} this case")]
    Forbidden { transition: &'static str },
    #[error("a comment is required to {transition} a case")]
    CommentRequired { transition: &'static str },
}

/// Checks that `actor` may take `transition` on a case in `from`, owned by
/// `owners`, and returns the new status.
pub fn authorize(
    actor: &Actor,
    owners: Owners<'_>,
    from: Status,
    transition: Transition,
    comment: Option<&str>,
) -> Result<Status, WorkflowError> {
    let role_ok = match transition {
        // Who may edit a draft may submit it: its author, or its country's delegate.
        Transition::Submit => actor.role.is_editor() || crate::permissions::acts_for(actor, owners),
        Transition::Return | Transition::Publish | Transition::Archive => actor.role.is_editor(),
    };
    if !role_ok {
        return Err(WorkflowError::Forbidden { transition: transition.as_str() });
    }
    let to = transition.target(from).ok_or(WorkflowError::NotAllowedFrom { transition: transition.as_str(), from })?;
    if transition.needs_comment() && comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(WorkflowError::CommentRequired { transition: transition.as_str() });
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;

    fn actor(role: Role) -> Actor {
        Actor { account_id: format!("{role}-1"), role, delegation: None, organisation: None }
    }

    #[test]
    fn every_transition_from_every_state() {
        use Status::*;
        let allowed = [
            (Transition::Submit, Draft, Submitted),
            (Transition::Submit, Returned, Submitted),
            (Transition::Return, Submitted, Returned),
            (Transition::Publish, Submitted, Published),
            (Transition::Publish, Archived, Published),
            (Transition::Archive, Published, Archived),
        ];
        for t in Transition::ALL {
            for s in Status::ALL {
                let expected = allowed.iter().find(|(at, af, _)| *at == t && *af == s).map(|x| x.2);
                assert_eq!(t.target(s), expected, "{t:?} from {s:?}");
            }
        }
    }

    #[test]
    fn authors_submit_only_their_own() {
        let c = actor(Role::Contributor);
        assert_eq!(
            authorize(&c, Owners::author(Some("contributor-1")), Status::Draft, Transition::Submit, None),
            Ok(Status::Submitted)
        );
        assert!(matches!(
            authorize(&c, Owners::author(Some("someone-else")), Status::Draft, Transition::Submit, None),
            Err(WorkflowError::Forbidden { .. })
        ));
        assert!(matches!(
            authorize(&c, Owners::author(Some("contributor-1")), Status::Submitted, Transition::Publish, None),
            Err(WorkflowError::Forbidden { .. })
        ));
        let reader = actor(Role::Reader);
        assert!(authorize(&reader, Owners::author(Some("reader-1")), Status::Draft, Transition::Submit, None).is_err());
    }

    #[test]
    fn curators_return_with_a_comment() {
        let c = actor(Role::Curator);
        assert_eq!(
            authorize(&c, Owners::default(), Status::Submitted, Transition::Return, Some(" ")),
            Err(WorkflowError::CommentRequired { transition: "return" })
        );
        assert_eq!(
            authorize(&c, Owners::default(), Status::Submitted, Transition::Return, Some("Add results")),
            Ok(Status::Returned)
        );
        assert!(matches!(
            authorize(&c, Owners::default(), Status::Draft, Transition::Publish, None),
            Err(WorkflowError::NotAllowedFrom { .. })
        ));
    }
}

/// What a saved revision of a case records: how it came to be. Workflow
/// steps, edits, and what arrives from outside (imports, harvests, decisions
/// on nominations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevisionAction {
    Create,
    Update,
    Import,
    Harvest,
    Submit,
    Return,
    Publish,
    Archive,
    /// An incoming nomination accepted: the copy is published here.
    Accept,
    /// An incoming nomination declined: the copy is archived.
    Decline,
    /// The origin withdrew a harvested case.
    Withdraw,
}

impl RevisionAction {
    pub const ALL: [RevisionAction; 11] = [
        RevisionAction::Create,
        RevisionAction::Update,
        RevisionAction::Import,
        RevisionAction::Harvest,
        RevisionAction::Submit,
        RevisionAction::Return,
        RevisionAction::Publish,
        RevisionAction::Archive,
        RevisionAction::Accept,
        RevisionAction::Decline,
        RevisionAction::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevisionAction::Create => "create",
            RevisionAction::Update => "update",
            RevisionAction::Import => "import",
            RevisionAction::Harvest => "harvest",
            RevisionAction::Submit => "submit",
            RevisionAction::Return => "return",
            RevisionAction::Publish => "publish",
            RevisionAction::Archive => "archive",
            RevisionAction::Accept => "accept",
            RevisionAction::Decline => "decline",
            RevisionAction::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<RevisionAction> {
        RevisionAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl From<Transition> for RevisionAction {
    fn from(t: Transition) -> Self {
        match t {
            Transition::Submit => RevisionAction::Submit,
            Transition::Return => RevisionAction::Return,
            Transition::Publish => RevisionAction::Publish,
            Transition::Archive => RevisionAction::Archive,
        }
    }
}

impl std::fmt::Display for RevisionAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
