//! Dialogue: rooms, threads and posts, their vocabularies, and who may do
//! what in them. Every channel (API, pages, feeds, sitemaps) asks these
//! functions, so a private room is invisible the same way everywhere.
//!
//! Membership of a room is a small state machine:
//!
//! ```text
//!   (none) ──request──▶ requested ──approve (moderator)──▶ member
//!   (none) ──invite (moderator)──▶ invited ──accept──▶ member
//! ```

use crate::account::Actor;

/// Who may read a room and who may post in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoomKind {
    /// Anyone reads; members post.
    Public,
    /// Signed-in accounts read and post.
    Members,
    /// A working group: only its members read and post; to anyone else it does not exist.
    Private,
}

impl RoomKind {
    pub const ALL: [RoomKind; 3] = [RoomKind::Public, RoomKind::Members, RoomKind::Private];

    pub fn as_str(self) -> &'static str {
        match self {
            RoomKind::Public => "public",
            RoomKind::Members => "members",
            RoomKind::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<RoomKind> {
        RoomKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where an account stands in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Membership {
    /// Asked to join; a moderator decides.
    Requested,
    /// Invited by a moderator; the account accepts.
    Invited,
    Member,
    /// A member who also moderates the room.
    Moderator,
}

impl Membership {
    pub const ALL: [Membership; 4] =
        [Membership::Requested, Membership::Invited, Membership::Member, Membership::Moderator];

    pub fn as_str(self) -> &'static str {
        match self {
            Membership::Requested => "requested",
            Membership::Invited => "invited",
            Membership::Member => "member",
            Membership::Moderator => "moderator",
        }
    }

    pub fn parse(s: &str) -> Option<Membership> {
        Membership::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A full member (moderators included).
    pub fn is_active(self) -> bool {
        matches!(self, Membership::Member | Membership::Moderator)
    }
}

/// What a thread hangs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadKind {
    /// A conversation in a room.
    Room,
    /// The discussion of a published case (one per case).
    Case,
    /// A question to a case's owners ("ask the team").
    Ask,
}

impl ThreadKind {
    pub const ALL: [ThreadKind; 3] = [ThreadKind::Room, ThreadKind::Case, ThreadKind::Ask];

    pub fn as_str(self) -> &'static str {
        match self {
            ThreadKind::Room => "room",
            ThreadKind::Case => "case",
            ThreadKind::Ask => "ask",
        }
    }

    pub fn parse(s: &str) -> Option<ThreadKind> {
        ThreadKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a reader flags a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlagReason {
    Spam,
    Offensive,
    OffTopic,
    Other,
}

impl FlagReason {
    pub const ALL: [FlagReason; 4] = [FlagReason::Spam, FlagReason::Offensive, FlagReason::OffTopic, FlagReason::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            FlagReason::Spam => "spam",
            FlagReason::Offensive => "offensive",
            FlagReason::OffTopic => "off_topic",
            FlagReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<FlagReason> {
        FlagReason::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The longest post, in characters.
pub const MAX_POST: usize = 20_000;
/// The longest thread title, in characters.
pub const MAX_TITLE: usize = 200;
/// Posts on one page of a thread.
pub const PAGE_SIZE: i64 = 50;

/// Whether `handle` is a valid handle: 3–30 of `a-z`, `0-9`, `_`.
pub fn valid_handle(handle: &str) -> bool {
    (3..=30).contains(&handle.len())
        && handle.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `slug` is a valid room slug: 2–64 of `a-z`, `0-9`, `-`, not starting or ending with `-`.
pub fn valid_slug(slug: &str) -> bool {
    (2..=64).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// The `@handle`s a text mentions, each once, in order (at most 20).
pub fn mentions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = text.get(i..).and_then(|rest| rest.find('@')) {
        let at = i + off;
        let before_ok = at == 0 || bytes.get(at - 1).is_some_and(|b| !b.is_ascii_alphanumeric() && *b != b'_');
        let end = text
            .get(at + 1..)
            .map(|rest| {
                rest.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')).unwrap_or(rest.len())
            })
            .unwrap_or(0);
        let handle = text.get(at + 1..at + 1 + end).unwrap_or("");
        if before_ok && valid_handle(handle) && !out.iter().any(|h| h == handle) && out.len() < 20 {
            out.push(handle.to_owned());
        }
        i = at + 1 + end;
    }
    out
}

/// The case ids a text refers to, as `case:ID` or a `/cases/ID` URL, each once (at most 20).
pub fn case_references(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for marker in ["case:", "/cases/"] {
        let mut rest = text;
        while let Some(pos) = rest.find(marker) {
            let after = rest.get(pos + marker.len()..).unwrap_or("");
            let id: String = after.chars().take_while(char::is_ascii_alphanumeric).collect();
            if id.len() == 26 && !out.contains(&id) && out.len() < 20 {
                out.push(id.to_ascii_uppercase());
            }
            rest = after;
        }
    }
    out
}

/// How many links a text holds (`http://`, `https://`).
pub fn link_count(text: &str) -> usize {
    text.matches("http://").count() + text.matches("https://").count()
}

// ---------------------------------------------------------------------------
// Who may do what. `member` is the actor's membership of the room (None: none).

/// Whether `actor` may know that a room exists and read it.
pub fn can_read_room(actor: Option<&Actor>, kind: RoomKind, member: Option<Membership>) -> bool {
    match kind {
        RoomKind::Public => true,
        RoomKind::Members => actor.is_some(),
        // Invited accounts see the room so they can accept.
        RoomKind::Private => actor.is_some() && member.is_some_and(|m| m.is_active() || m == Membership::Invited),
    }
}

/// Whether `actor` may read a room's threads and posts (an invitee of a
/// private room sees its name, not its conversations).
pub fn can_read_room_threads(actor: Option<&Actor>, kind: RoomKind, member: Option<Membership>) -> bool {
    match kind {
        RoomKind::Private => actor.is_some() && member.is_some_and(Membership::is_active),
        _ => can_read_room(actor, kind, member),
    }
}

/// Whether `actor` may start threads and post in a room.
pub fn can_post_in_room(_actor: &Actor, kind: RoomKind, member: Option<Membership>) -> bool {
    match kind {
        RoomKind::Members => true,
        RoomKind::Public | RoomKind::Private => member.is_some_and(Membership::is_active),
    }
}

/// Rooms are opened by curators and administrators.
pub fn can_create_room(actor: &Actor) -> bool {
    actor.role.is_editor()
}

/// Whether `actor` moderates a room: its moderators, and curators and
/// administrators for rooms that are not private working groups.
pub fn can_moderate_room(actor: &Actor, kind: RoomKind, member: Option<Membership>) -> bool {
    member == Some(Membership::Moderator) || (kind != RoomKind::Private && actor.role.is_editor())
}

/// Whether `actor` may ask to join a room (a private room is joined by invitation only).
pub fn can_request_to_join(kind: RoomKind, member: Option<Membership>) -> bool {
    kind == RoomKind::Public && member.is_none()
}

/// Whether `actor` may post in the discussion of a case they can see.
pub fn can_post_on_case(_actor: &Actor) -> bool {
    // Every signed-in account: readers join the conversation too.
    true
}

/// Curators and administrators moderate the discussions of cases.
pub fn can_moderate_cases(actor: &Actor) -> bool {
    actor.role.is_editor()
}

/// Whether `actor` may edit a post by `author`: the author (while the post is
/// visible), or a moderator of where it is.
pub fn can_edit_post(actor: &Actor, author: &str, hidden: bool, moderates: bool) -> bool {
    moderates || (actor.account_id == author && !hidden)
}

/// Posting is suspended node-wide by curators and administrators.
pub fn can_suspend(actor: &Actor) -> bool {
    actor.role.is_editor()
}

/// The audit log of moderation is read by curators and administrators.
pub fn can_read_audit_log(actor: &Actor) -> bool {
    actor.role.is_editor()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn actor(role: Role) -> Actor {
        Actor::new("a", role)
    }

    #[test]
    fn private_rooms_are_for_members_only() {
        let admin = actor(Role::Admin);
        assert!(!can_read_room(None, RoomKind::Private, None));
        assert!(!can_read_room(Some(&admin), RoomKind::Private, None));
        assert!(!can_read_room(Some(&admin), RoomKind::Private, Some(Membership::Requested)));
        assert!(can_read_room(Some(&admin), RoomKind::Private, Some(Membership::Invited)));
        assert!(!can_read_room_threads(Some(&admin), RoomKind::Private, Some(Membership::Invited)));
        assert!(can_read_room_threads(Some(&admin), RoomKind::Private, Some(Membership::Member)));
        assert!(!can_moderate_room(&admin, RoomKind::Private, None));
        assert!(can_moderate_room(&admin, RoomKind::Public, None));
    }

    #[test]
    fn who_posts_where() {
        let r = actor(Role::Reader);
        assert!(can_read_room(None, RoomKind::Public, None));
        assert!(!can_read_room(None, RoomKind::Members, None));
        assert!(can_post_in_room(&r, RoomKind::Members, None));
        assert!(!can_post_in_room(&r, RoomKind::Public, None));
        assert!(!can_post_in_room(&r, RoomKind::Public, Some(Membership::Requested)));
        assert!(can_post_in_room(&r, RoomKind::Public, Some(Membership::Member)));
    }

    #[test]
    fn mentions_and_references() {
        assert_eq!(mentions("hi @ana_b and @budi, mail x@y.z @ana_b @X"), vec!["ana_b", "budi"]);
        let id = "01HZY0000000000000000000AB";
        let t = format!("see case:{id} and https://n.example/cases/{id} and case:short");
        assert_eq!(case_references(&t), vec![id.to_owned()]);
        assert_eq!(link_count("http://a https://b"), 2);
    }

    #[test]
    fn handles_and_slugs() {
        assert!(valid_handle("ana_b2"));
        assert!(!valid_handle("ab"));
        assert!(!valid_handle("Ana"));
        assert!(!valid_handle(&"a".repeat(31)));
        assert!(valid_slug("digital-services"));
        assert!(!valid_slug("-x"));
        assert!(!valid_slug("a b"));
    }
}
