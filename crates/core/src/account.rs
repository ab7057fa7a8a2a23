//! Accounts, roles and the actor a request acts as.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A role on this node. Roles are ordered by what they may do, except that a
/// delegate is a contributor who also represents a country on a regional node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Reader,
    Contributor,
    Curator,
    Delegate,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Reader, Role::Contributor, Role::Curator, Role::Delegate, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Contributor => "contributor",
            Role::Curator => "curator",
            Role::Delegate => "delegate",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Curators and administrators edit and publish anything on the node.
    pub fn is_editor(self) -> bool {
        matches!(self, Role::Curator | Role::Admin)
    }

    /// Everyone but a reader may write cases of their own.
    pub fn can_author(self) -> bool {
        !matches!(self, Role::Reader)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who is acting: a signed-in account with its role, and for a delegate the
/// country whose delegation it acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: String,
    pub role: Role,
    /// A delegate's country (ISO 3166-1 alpha-2); None for every other role.
    pub delegation: Option<String>,
    /// The organisation the account works for: a contributor acts for its
    /// organisation's cases as for its own.
    pub organisation: Option<String>,
}

impl Actor {
    /// An actor of a role that is not scoped to a country.
    pub fn new(account_id: impl Into<String>, role: Role) -> Actor {
        Actor { account_id: account_id.into(), role, delegation: None, organisation: None }
    }
}

/// An account as the API shows it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<String>,
    /// The country a delegate represents (ISO 3166-1 alpha-2): a delegate
    /// submits, edits and nominates that country's cases only. Set for
    /// delegates, None for every other role.
    #[serde(default)]
    pub delegation: Option<String>,
    pub disabled: bool,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Account {
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: self.id.clone(),
            role: self.role,
            delegation: if self.role == Role::Delegate { self.delegation.clone() } else { None },
            organisation: self.organisation.clone(),
        }
    }
}

/// The longest expertise line of a public profile.
pub const MAX_EXPERTISE: usize = 300;

/// What an account shows of itself on `/members`, if it chooses to: its
/// name and organisation, and a line of expertise. Hidden by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub public: bool,
    pub expertise: Option<String>,
}
