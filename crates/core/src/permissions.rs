//! Who may see and change what. One place for every rule, so that the API,
//! the pages and every export channel agree.

use crate::account::{Actor, Role};
use crate::workflow::Status;

/// Whether `actor` (None: anonymous) may read a case in `status` owned by `owner`.
/// Only published cases are public; authors also see their own, editors all.
pub fn can_view_case(actor: Option<&Actor>, status: Status, owner: Option<&str>) -> bool {
    if status == Status::Published {
        return true;
    }
    match actor {
        None => false,
        Some(a) => a.role.is_editor() || is_owner(a, owner),
    }
}

/// Whether `actor` may see a case's private fields and revision history.
pub fn can_see_private(actor: Option<&Actor>, owner: Option<&str>) -> bool {
    actor.is_some_and(|a| a.role.is_editor() || is_owner(a, owner))
}

/// Whether `actor` may edit the content of a case in `status` owned by `owner`.
/// Authors edit their own drafts and returned cases; editors edit anything not archived.
pub fn can_edit_case(actor: &Actor, status: Status, owner: Option<&str>) -> bool {
    match status {
        Status::Archived => false,
        _ if actor.role.is_editor() => true,
        Status::Draft | Status::Returned => actor.role.can_author() && is_owner(actor, owner),
        Status::Submitted | Status::Published => false,
    }
}

/// Whether `actor` may start a new case.
pub fn can_create_case(actor: &Actor) -> bool {
    actor.role.can_author()
}

/// Whether `actor` may see every case regardless of status.
pub fn sees_all_cases(actor: Option<&Actor>) -> bool {
    actor.is_some_and(|a| a.role.is_editor())
}

/// Organisations are kept by editors.
pub fn can_manage_organisations(actor: &Actor) -> bool {
    actor.role.is_editor()
}

/// Accounts and roles are kept by administrators.
pub fn can_manage_accounts(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

/// Curators, administrators and delegates nominate published cases upstream.
pub fn can_nominate(actor: &Actor) -> bool {
    actor.role.is_editor() || actor.role == Role::Delegate
}

/// Incoming nominations are accepted or declined by curators and administrators.
pub fn can_decide_nominations(actor: &Actor) -> bool {
    actor.role.is_editor()
}

/// Who reads the notes of nominations (the nominator's reason, the upstream
/// curators' decision): those who nominate. Every channel (the case page, the
/// API) asks this one rule.
pub fn sees_nomination_notes(actor: Option<&Actor>) -> bool {
    actor.is_some_and(can_nominate)
}

/// An account sets how often it gets mail; administrators may set anyone's
/// (an address that bounces, a person who asked by other means).
pub fn can_set_mail_frequency(actor: &Actor, account_id: &str) -> bool {
    actor.account_id == account_id || can_manage_accounts(actor)
}

/// Test messages to any address are sent by administrators only (they check
/// the node's mail settings).
pub fn can_send_test_mail(actor: &Actor) -> bool {
    can_manage_accounts(actor)
}

fn is_owner(actor: &Actor, owner: Option<&str>) -> bool {
    owner == Some(actor.account_id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_private() {
        let c = Actor { account_id: "a".into(), role: Role::Contributor };
        assert!(!can_view_case(None, Status::Draft, Some("a")));
        assert!(can_view_case(Some(&c), Status::Draft, Some("a")));
        assert!(!can_view_case(Some(&c), Status::Draft, Some("b")));
        assert!(can_view_case(None, Status::Published, Some("b")));
        let cur = Actor { account_id: "k".into(), role: Role::Curator };
        assert!(can_view_case(Some(&cur), Status::Submitted, Some("a")));
    }

    #[test]
    fn authors_cannot_edit_once_submitted() {
        let c = Actor { account_id: "a".into(), role: Role::Contributor };
        assert!(can_edit_case(&c, Status::Draft, Some("a")));
        assert!(can_edit_case(&c, Status::Returned, Some("a")));
        assert!(!can_edit_case(&c, Status::Submitted, Some("a")));
        assert!(!can_edit_case(&c, Status::Published, Some("a")));
        let r = Actor { account_id: "a".into(), role: Role::Reader };
        assert!(!can_edit_case(&r, Status::Draft, Some("a")));
    }
}
