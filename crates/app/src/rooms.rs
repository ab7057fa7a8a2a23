//! Rooms and their members: open a room, ask to join, invite, approve,
//! accept, leave; and the handle every account gets at first use. A room the
//! actor may not read is `NotFound`, whatever they ask of it.

use lumbung_core::dialogue::{self, Membership, RoomKind};
use lumbung_core::{Account, Actor};
use lumbung_store::{Member, Room};

use crate::{App, AppError};

/// The longest room description, in characters.
pub const MAX_DESCRIPTION: usize = 5_000;

/// A room with the actor's place in it.
#[derive(Debug, Clone)]
pub struct RoomAccess {
    pub room: Room,
    pub membership: Option<Membership>,
    pub can_read_threads: bool,
    pub can_post: bool,
    pub can_moderate: bool,
}

/// A room to open.
#[derive(Debug, Clone)]
pub struct NewRoom {
    pub slug: String,
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
}

impl App {
    /// The room when `actor` may know it exists; NotFound otherwise.
    pub async fn room_for(&self, actor: Option<&Actor>, slug: &str) -> Result<RoomAccess, AppError> {
        let room = self.store.room(slug).await?.ok_or(AppError::NotFound)?;
        let membership = match actor {
            Some(a) => self.store.membership(slug, &a.account_id).await?,
            None => None,
        };
        access(actor, room, membership).ok_or(AppError::NotFound)
    }

    /// Every room `actor` may know exists.
    pub async fn visible_rooms(&self, actor: Option<&Actor>) -> Result<Vec<RoomAccess>, AppError> {
        let mine = match actor {
            Some(a) => self.store.memberships_of(&a.account_id).await?,
            None => Vec::new(),
        };
        let rooms = self.store.rooms().await?;
        Ok(rooms
            .into_iter()
            .filter_map(|room| {
                let m = mine.iter().find(|(s, _)| *s == room.slug).map(|(_, m)| *m);
                access(actor, room, m)
            })
            .collect())
    }

    /// Opens a room; its creator becomes its first moderator.
    pub async fn create_room(&self, actor: &Actor, new: NewRoom) -> Result<Room, AppError> {
        if !dialogue::can_create_room(actor) {
            return Err(AppError::Forbidden("rooms are opened by curators and administrators".into()));
        }
        let mut errors = lumbung_core::ValidationErrors::default();
        if !dialogue::valid_slug(&new.slug) {
            errors.add("slug", "invalid", "2–64 of a-z, 0-9 and '-', not starting or ending with '-'");
        }
        let kind = RoomKind::parse(&new.kind);
        if kind.is_none() {
            errors.add("kind", "unknown_value", "public, members or private");
        }
        let title = crate::clean_text("title", Some(new.title), dialogue::MAX_TITLE)?;
        match &title {
            None => errors.add("title", "required", "give the room a title"),
            Some(t) if t.chars().any(char::is_control) => {
                errors.add("title", "invalid", "one line, without control characters")
            }
            Some(_) => {}
        }
        let description = crate::clean_text("description", new.description, MAX_DESCRIPTION)?;
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let (Some(kind), Some(title)) = (kind, title) else { return Err(AppError::Invalid(errors)) };
        let now = lumbung_core::clock::now();
        let room = Room {
            slug: new.slug,
            kind,
            title,
            description: description.unwrap_or_default(),
            created_by: Some(actor.account_id.clone()),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        self.store.create_room(&room).await?;
        Ok(room)
    }

    /// Asks to join a public room (a moderator approves). Accepts an
    /// invitation when there is one. Private rooms are joined by invitation only.
    pub async fn join_room(&self, actor: &Actor, slug: &str) -> Result<Membership, AppError> {
        let access = self.room_for(Some(actor), slug).await?;
        let next = match (access.room.kind, access.membership) {
            (_, Some(Membership::Invited)) => Membership::Member,
            (_, Some(m)) => return Ok(m),
            (kind, None) if dialogue::can_request_to_join(kind, None) => Membership::Requested,
            _ => return Err(AppError::InvalidTransition("everyone signed in posts in this room already".into())),
        };
        self.store.set_membership(slug, &actor.account_id, Some(next), Some(&actor.account_id)).await?;
        Ok(next)
    }

    /// Leaves a room, withdraws a request or declines an invitation.
    pub async fn leave_room(&self, actor: &Actor, slug: &str) -> Result<(), AppError> {
        let access = self.room_for(Some(actor), slug).await?;
        if access.membership.is_none() {
            return Err(AppError::InvalidTransition("you have no place in this room".into()));
        }
        self.store.set_membership(slug, &actor.account_id, None, Some(&actor.account_id)).await?;
        Ok(())
    }

    /// A moderator invites an account (by handle) into the room.
    pub async fn invite_to_room(&self, actor: &Actor, slug: &str, handle: &str) -> Result<Membership, AppError> {
        self.moderated_room(actor, slug).await?;
        let handle = handle.trim().trim_start_matches('@').to_owned();
        let found = self.store.accounts_by_handles(std::slice::from_ref(&handle)).await?;
        // Nobody with that handle: there is no one to invite.
        let Some((_, account)) = found.into_iter().next() else { return Err(AppError::NotFound) };
        let next = match self.store.membership(slug, &account).await? {
            Some(Membership::Requested) => Membership::Member,
            Some(m) if m.is_active() || m == Membership::Invited => return Ok(m),
            _ => Membership::Invited,
        };
        self.store.set_membership(slug, &account, Some(next), Some(&actor.account_id)).await?;
        Ok(next)
    }

    /// A moderator approves or refuses a request to join, or removes a member,
    /// or makes a member a moderator.
    pub async fn decide_member(
        &self,
        actor: &Actor,
        slug: &str,
        account: &str,
        decision: &str,
    ) -> Result<Option<Membership>, AppError> {
        self.moderated_room(actor, slug).await?;
        let current = self.store.membership(slug, account).await?.ok_or(AppError::NotFound)?;
        let next = match (decision, current) {
            ("approve", Membership::Requested) => Some(Membership::Member),
            ("refuse" | "remove", _) => None,
            ("moderator", Membership::Member) => Some(Membership::Moderator),
            ("approve" | "moderator", _) => {
                return Err(AppError::InvalidTransition(format!("this account is {} here", current.as_str())));
            }
            _ => return Err(AppError::field("decision", "unknown_value", "approve, refuse, remove or moderator")),
        };
        self.store.set_membership(slug, account, next, Some(&actor.account_id)).await?;
        Ok(next)
    }

    /// The room's members, for its moderators (and members of a private room).
    pub async fn room_members(&self, actor: &Actor, slug: &str) -> Result<Vec<Member>, AppError> {
        let access = self.room_for(Some(actor), slug).await?;
        if !access.can_moderate && !access.can_read_threads {
            return Err(AppError::NotFound);
        }
        let members = self.store.room_members(slug).await?;
        Ok(if access.can_moderate { members } else { members.into_iter().filter(|m| m.state.is_active()).collect() })
    }

    async fn moderated_room(&self, actor: &Actor, slug: &str) -> Result<RoomAccess, AppError> {
        let access = self.room_for(Some(actor), slug).await?;
        if !access.can_moderate {
            return Err(AppError::Forbidden("the room's moderators decide who is in it".into()));
        }
        Ok(access)
    }

    /// The account's handle, made at first use from its e-mail address.
    pub async fn handle(&self, account: &Account) -> Result<String, AppError> {
        Ok(self.store.ensure_handle(&account.id, &handle_base(&account.email)).await?)
    }

    /// Sets the actor's own handle.
    pub async fn set_handle(&self, actor: &Actor, handle: &str) -> Result<(), AppError> {
        let handle = handle.trim().trim_start_matches('@');
        if !dialogue::valid_handle(handle) {
            return Err(AppError::field("handle", "invalid", "3–30 of a-z, 0-9 and _"));
        }
        Ok(self.store.set_handle(&actor.account_id, handle).await?)
    }
}

fn access(actor: Option<&Actor>, room: Room, membership: Option<Membership>) -> Option<RoomAccess> {
    if !dialogue::can_read_room(actor, room.kind, membership) {
        return None;
    }
    Some(RoomAccess {
        can_read_threads: dialogue::can_read_room_threads(actor, room.kind, membership),
        can_post: actor.is_some_and(|a| dialogue::can_post_in_room(a, room.kind, membership)),
        can_moderate: actor.is_some_and(|a| dialogue::can_moderate_room(a, room.kind, membership)),
        membership,
        room,
    })
}

/// A handle made from an e-mail's local part: lower case, other characters as `_`, 3–30 long.
fn handle_base(email: &str) -> String {
    let local = email.split('@').next().unwrap_or("");
    let mut h: String = local
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '_' })
        .take(24)
        .collect();
    while h.len() < 3 {
        h.push('_');
    }
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn handles_from_email() {
        assert_eq!(super::handle_base("Ana.Budi@x.id"), "ana_budi");
        assert_eq!(super::handle_base("a@x.id"), "a__");
        assert!(lumbung_core::dialogue::valid_handle(&super::handle_base("über-long-name-with-many-parts@x")));
    }
}
