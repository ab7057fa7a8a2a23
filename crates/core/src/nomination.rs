//! Nominations between nodes: which way one goes, and where it stands.
//!
//! ```text
//! nominated ──accept──▶ accepted ──(copy withdrawn upstream)──▶ withdrawn
//!     │
//!     └──decline──▶ declined ──(nominated again)──▶ nominated
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Outgoing: a curator here nominated a case upstream. Incoming: a downstream
/// node's nomination, harvested into this node's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NominationDirection {
    Outgoing,
    Incoming,
}

impl NominationDirection {
    pub const ALL: [NominationDirection; 2] = [NominationDirection::Outgoing, NominationDirection::Incoming];

    pub fn as_str(self) -> &'static str {
        match self {
            NominationDirection::Outgoing => "outgoing",
            NominationDirection::Incoming => "incoming",
        }
    }

    pub fn parse(s: &str) -> Option<NominationDirection> {
        NominationDirection::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// Where a nomination stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NominationState {
    Nominated,
    Accepted,
    Declined,
    Withdrawn,
}

impl NominationState {
    pub const ALL: [NominationState; 4] =
        [NominationState::Nominated, NominationState::Accepted, NominationState::Declined, NominationState::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            NominationState::Nominated => "nominated",
            NominationState::Accepted => "accepted",
            NominationState::Declined => "declined",
            NominationState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<NominationState> {
        NominationState::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// Whether the nomination still stands (a new one to the same node is refused).
    pub fn is_open(self) -> bool {
        matches!(self, NominationState::Nominated | NominationState::Accepted)
    }
}

impl std::fmt::Display for NominationState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
