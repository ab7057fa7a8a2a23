//! Who may see and change what. One place for every rule, so that the API,
//! the pages and every export channel agree.

use crate::account::{Actor, Role};
use crate::workflow::Status;

/// Whom a case belongs to, as the rules ask it: its author and its author's
/// organisation (a contributor of that organisation acts for it as its
/// author does), and the country it is a case of (a delegate acts for that
/// country's cases only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Owners<'a> {
    /// The account that wrote it (None for imported and harvested cases).
    pub author: Option<&'a str>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<&'a str>,
    /// The organisation it belongs to with its author.
    pub organisation: Option<&'a str>,
}

impl<'a> Owners<'a> {
    /// A case written by `author`, of no country the rules know.
    pub fn author(author: Option<&'a str>) -> Owners<'a> {
        Owners { author, country: None, organisation: None }
    }
}

/// Whether `actor` is a delegate, and then whether the case is of its
/// delegation's country: `Some(true)` in scope, `Some(false)` out of it (or no
/// delegation set), `None` for every other role.
fn delegate_scope(actor: &Actor, owners: Owners<'_>) -> Option<bool> {
    (actor.role == Role::Delegate).then(|| actor.delegation.as_deref().is_some_and(|d| owners.country == Some(d)))
}

/// Whether `actor` acts for the case: its author, or the delegate of its
/// country. A delegate acts for its country's cases only, its own included.
pub fn acts_for(actor: &Actor, owners: Owners<'_>) -> bool {
    match delegate_scope(actor, owners) {
        Some(in_scope) => in_scope,
        None => actor.role.can_author() && is_owner(actor, owners),
    }
}

/// Whether a delegate may write a case of `country` at all (a case it creates
/// or changes must stay its delegation's); every other role may.
pub fn may_write_country(actor: &Actor, country: Option<&str>) -> bool {
    actor.role != Role::Delegate || actor.delegation.as_deref().is_some_and(|d| country == Some(d))
}

/// Whether `actor` (None: anonymous) may read a case in `status` owned by `owners`.
/// Only published cases are public; authors also see their own, a delegate
/// its country's, editors all.
pub fn can_view_case(actor: Option<&Actor>, status: Status, owners: Owners<'_>) -> bool {
    if status == Status::Published {
        return true;
    }
    match actor {
        None => false,
        Some(a) => a.role.is_editor() || is_owner(a, owners) || delegate_scope(a, owners) == Some(true),
    }
}

/// Whether `actor` may see a case's private fields and revision history.
pub fn can_see_private(actor: Option<&Actor>, owners: Owners<'_>) -> bool {
    actor.is_some_and(|a| a.role.is_editor() || is_owner(a, owners) || delegate_scope(a, owners) == Some(true))
}

/// Whether `actor` may edit the content of a case in `status` owned by `owners`.
/// Authors edit their own drafts and returned cases, a delegate its
/// country's; editors edit anything not archived.
pub fn can_edit_case(actor: &Actor, status: Status, owners: Owners<'_>) -> bool {
    match status {
        Status::Archived => false,
        _ if actor.role.is_editor() => true,
        Status::Draft | Status::Returned => acts_for(actor, owners),
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

/// Resources (guides, toolkits, training material…) and collections are
/// published at once, so they are kept by curators and administrators.
pub fn can_manage_resources(actor: &Actor) -> bool {
    actor.role.is_editor()
}

/// Accounts and roles are kept by administrators.
pub fn can_manage_accounts(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

/// Curators, administrators and delegates nominate published cases
/// upstream; a delegate its own country's cases only.
pub fn can_nominate(actor: &Actor, owners: Owners<'_>) -> bool {
    actor.role.is_editor() || delegate_scope(actor, owners) == Some(true)
}

/// Whether `actor` nominates cases at all (curators, administrators and
/// delegates): who reads nomination notes and sees the upstream nodes.
pub fn is_nominator(actor: &Actor) -> bool {
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
    actor.is_some_and(is_nominator)
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

/// Events (their agenda, status, outcomes and action items) are kept by
/// curators and administrators.
pub fn can_manage_events(actor: &Actor) -> bool {
    actor.role.is_editor()
}

/// Any signed-in account may register for an event whose registration is open.
pub fn can_register_for_events(actor: &Actor) -> bool {
    let _ = actor;
    true
}

/// Who sees an event's online link: its registered participants, and those
/// who keep events.
pub fn sees_online_link(actor: Option<&Actor>, registered: bool) -> bool {
    registered || actor.is_some_and(can_manage_events)
}

/// Who records and removes a case's replication links (and answers its
/// check-ins): its owner while they may write cases (a delegate: its
/// country's cases), and curators and administrators.
pub fn can_manage_links(actor: &Actor, owners: Owners<'_>) -> bool {
    actor.role.is_editor() || acts_for(actor, owners)
}

/// Whether `actor` owns the case: its author, or a contributor of the
/// organisation it belongs to (delegates act by country, not organisation).
fn is_owner(actor: &Actor, owners: Owners<'_>) -> bool {
    owners.author == Some(actor.account_id.as_str())
        || (actor.role == Role::Contributor
            && owners.organisation.is_some()
            && owners.organisation == actor.organisation.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_private() {
        let c = Actor { account_id: "a".into(), role: Role::Contributor, delegation: None, organisation: None };
        let a = Owners::author(Some("a"));
        let b = Owners::author(Some("b"));
        assert!(!can_view_case(None, Status::Draft, a));
        assert!(can_view_case(Some(&c), Status::Draft, a));
        assert!(!can_view_case(Some(&c), Status::Draft, b));
        assert!(can_view_case(None, Status::Published, b));
        let cur = Actor { account_id: "k".into(), role: Role::Curator, delegation: None, organisation: None };
        assert!(can_view_case(Some(&cur), Status::Submitted, a));
    }

    #[test]
    fn authors_cannot_edit_once_submitted() {
        let c = Actor { account_id: "a".into(), role: Role::Contributor, delegation: None, organisation: None };
        let a = Owners::author(Some("a"));
        assert!(can_edit_case(&c, Status::Draft, a));
        assert!(can_edit_case(&c, Status::Returned, a));
        assert!(!can_edit_case(&c, Status::Submitted, a));
        assert!(!can_edit_case(&c, Status::Published, a));
        let r = Actor { account_id: "a".into(), role: Role::Reader, delegation: None, organisation: None };
        assert!(!can_edit_case(&r, Status::Draft, a));
    }

    #[test]
    fn a_delegate_acts_for_its_own_country_only() {
        let d =
            Actor { account_id: "d".into(), role: Role::Delegate, delegation: Some("ID".into()), organisation: None };
        let ours = Owners { author: Some("x"), country: Some("ID"), organisation: None };
        let theirs = Owners { author: Some("x"), country: Some("PH"), organisation: None };
        let own_elsewhere = Owners { author: Some("d"), country: Some("PH"), organisation: None };
        assert!(can_view_case(Some(&d), Status::Draft, ours));
        assert!(!can_view_case(Some(&d), Status::Draft, theirs));
        assert!(can_edit_case(&d, Status::Draft, ours));
        assert!(!can_edit_case(&d, Status::Draft, theirs));
        assert!(!can_edit_case(&d, Status::Draft, own_elsewhere), "not even its own case of another country");
        assert!(!can_edit_case(&d, Status::Published, ours));
        assert!(can_nominate(&d, ours));
        assert!(!can_nominate(&d, theirs));
        assert!(can_manage_links(&d, ours) && !can_manage_links(&d, theirs));
        assert!(
            may_write_country(&d, Some("ID")) && !may_write_country(&d, Some("PH")) && !may_write_country(&d, None)
        );
        let unscoped = Actor { delegation: None, ..d.clone() };
        assert!(!can_edit_case(&unscoped, Status::Draft, ours) && !can_nominate(&unscoped, ours));
        let curator = Actor::new("k", Role::Curator);
        assert!(can_nominate(&curator, theirs) && may_write_country(&curator, None));
    }
}
