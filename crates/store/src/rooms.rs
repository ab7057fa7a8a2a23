//! Rooms, their members, and account handles: the places of the dialogue and
//! who is in them. Every write logs a change (`room`) in its transaction.

use lumbung_core::dialogue::{Membership, RoomKind};
use time::OffsetDateTime;

use crate::changelog::Entity;
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, time_fmt};

/// A room as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub slug: String,
    pub kind: RoomKind,
    pub title: String,
    pub description: String,
    pub created_by: Option<String>,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// An account's place in a room, with what pages show of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub account_id: String,
    pub name: String,
    pub handle: Option<String>,
    pub state: Membership,
    pub since: OffsetDateTime,
}

type RoomRow = (String, String, String, String, Option<String>, i64, String, String);
const ROOM_COLUMNS: &str = "slug, kind, title, description, created_by, version, created_at, updated_at";

fn room_from_row(r: RoomRow) -> Result<Room, StoreError> {
    let (slug, kind, title, description, created_by, version, created_at, updated_at) = r;
    Ok(Room {
        kind: RoomKind::parse(&kind).ok_or_else(|| StoreError::Integrity(format!("room {slug} has kind {kind}")))?,
        slug,
        title,
        description,
        created_by,
        version,
        created_at: time_fmt::parse(&created_at)?,
        updated_at: time_fmt::parse(&updated_at)?,
    })
}

fn membership(state: &str) -> Result<Membership, StoreError> {
    Membership::parse(state).ok_or_else(|| StoreError::Integrity(format!("unknown membership state {state}")))
}

impl Store {
    /// Opens a room with its creator as its first moderator.
    pub async fn create_room(&self, room: &Room) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let at = time_fmt::fmt(room.created_at);
        sqlx::query(&format!("INSERT INTO rooms ({ROOM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
            .bind(&room.slug)
            .bind(room.kind.as_str())
            .bind(&room.title)
            .bind(&room.description)
            .bind(&room.created_by)
            .bind(room.version)
            .bind(&at)
            .bind(&at)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, &format!("a room '{}' already exists", room.slug)))?;
        if let Some(creator) = &room.created_by {
            tx.set_membership(&room.slug, creator, Some(Membership::Moderator), None).await?;
        }
        tx.log(Entity::Room, &room.slug, "create", room.version, room.created_by.as_deref(), room.created_at);
        tx.commit().await
    }

    pub async fn room(&self, slug: &str) -> Result<Option<Room>, StoreError> {
        let row: Option<RoomRow> = sqlx::query_as(&format!("SELECT {ROOM_COLUMNS} FROM rooms WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pools.read)
            .await?;
        row.map(room_from_row).transpose()
    }

    /// Every room, by title (callers filter what the actor may see).
    pub async fn rooms(&self) -> Result<Vec<Room>, StoreError> {
        let rows: Vec<RoomRow> = sqlx::query_as(&format!("SELECT {ROOM_COLUMNS} FROM rooms ORDER BY title, slug"))
            .fetch_all(&self.pools.read)
            .await?;
        rows.into_iter().map(room_from_row).collect()
    }

    /// Where `account` stands in `room` (None: not at all).
    pub async fn membership(&self, room: &str, account: &str) -> Result<Option<Membership>, StoreError> {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM room_members WHERE room_slug = $1 AND account_id = $2")
                .bind(room)
                .bind(account)
                .fetch_optional(&self.pools.read)
                .await?;
        state.as_deref().map(membership).transpose()
    }

    /// Every room `account` has a place in.
    pub async fn memberships_of(&self, account: &str) -> Result<Vec<(String, Membership)>, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT room_slug, state FROM room_members WHERE account_id = $1")
                .bind(account)
                .fetch_all(&self.pools.read)
                .await?;
        rows.into_iter().map(|(slug, state)| Ok((slug, membership(&state)?))).collect()
    }

    /// A room's members, requests and invitations, by name.
    pub async fn room_members(&self, room: &str) -> Result<Vec<Member>, StoreError> {
        let rows: Vec<(String, String, Option<String>, String, String)> = sqlx::query_as(
            "SELECT m.account_id, a.name, h.handle, m.state, m.updated_at FROM room_members m
             JOIN accounts a ON a.id = m.account_id LEFT JOIN account_handles h ON h.account_id = m.account_id
             WHERE m.room_slug = $1 ORDER BY a.name, m.account_id",
        )
        .bind(room)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter()
            .map(|(account_id, name, handle, state, since)| {
                Ok(Member { account_id, name, handle, state: membership(&state)?, since: time_fmt::parse(&since)? })
            })
            .collect()
    }

    /// Sets (or with None removes) an account's place in a room.
    pub async fn set_membership(
        &self,
        room: &str,
        account: &str,
        state: Option<Membership>,
        actor: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.set_membership(room, account, state, actor).await?;
        tx.commit().await
    }

    // ---- handles --------------------------------------------------------

    /// The handle of an account, if it has one yet.
    pub async fn handle_of(&self, account: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT handle FROM account_handles WHERE account_id = $1")
            .bind(account)
            .fetch_optional(&self.pools.read)
            .await?)
    }

    /// The accounts behind these handles: (handle, account id).
    pub async fn accounts_by_handles(&self, handles: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        if handles.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(self.pools.backend, "SELECT handle, account_id FROM account_handles WHERE handle IN (");
        q.list(handles.iter().map(String::as_str)).push(")");
        Ok(q.query_as().fetch_all(&self.pools.read).await?)
    }

    /// The account's handle, giving it one from `base` (its first free form:
    /// `base`, `base_2`, …) when it has none.
    pub async fn ensure_handle(&self, account: &str, base: &str) -> Result<String, StoreError> {
        if let Some(h) = self.handle_of(account).await? {
            return Ok(h);
        }
        for n in 1..1000_u32 {
            let candidate = if n == 1 {
                base.to_owned()
            } else {
                let suffix = format!("_{n}");
                format!("{}{suffix}", base.get(..30 - suffix.len()).unwrap_or(base))
            };
            let done =
                sqlx::query("INSERT INTO account_handles (account_id, handle) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(account)
                    .bind(&candidate)
                    .execute(&mut *self.writer().await?)
                    .await?;
            if done.rows_affected() == 1 {
                return Ok(candidate);
            }
            if let Some(h) = self.handle_of(account).await? {
                return Ok(h);
            }
        }
        Err(StoreError::Duplicate(format!("no free handle like '{base}'")))
    }

    /// Changes an account's handle (validated by the caller).
    pub async fn set_handle(&self, account: &str, handle: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO account_handles (account_id, handle) VALUES ($1, $2)
             ON CONFLICT (account_id) DO UPDATE SET handle = excluded.handle",
        )
        .bind(account)
        .bind(handle)
        .execute(&mut *self.writer().await?)
        .await
        .map_err(|e| StoreError::on_unique(e, &format!("the handle @{handle} is taken")))?;
        Ok(())
    }
}

impl Tx {
    /// Sets (or with None removes) an account's place in a room, logged as a room change.
    pub async fn set_membership(
        &mut self,
        room: &str,
        account: &str,
        state: Option<Membership>,
        actor: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = lumbung_core::clock::now();
        match state {
            Some(state) => {
                sqlx::query(
                    "INSERT INTO room_members (room_slug, account_id, state, invited_by, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (room_slug, account_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                )
                .bind(room)
                .bind(account)
                .bind(state.as_str())
                .bind(actor)
                .bind(time_fmt::fmt(now))
                .bind(time_fmt::fmt(now))
                .execute(self.conn())
                .await
                .map_err(|e| StoreError::on_reference(e, "account", "no such account"))?;
            }
            None => {
                sqlx::query("DELETE FROM room_members WHERE room_slug = $1 AND account_id = $2")
                    .bind(room)
                    .bind(account)
                    .execute(self.conn())
                    .await?;
            }
        }
        let action = format!("member:{}", state.map_or("removed", Membership::as_str));
        self.log(Entity::Room, room, &action, 1, actor, now);
        Ok(())
    }
}

impl Store {
    /// The accounts that belong to any of these organisations.
    pub async fn accounts_of_organisations(&self, organisations: &[String]) -> Result<Vec<String>, StoreError> {
        if organisations.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(self.pools.backend, "SELECT id FROM accounts WHERE disabled = 0 AND organisation_id IN (");
        q.list(organisations.iter().map(String::as_str)).push(") ORDER BY id");
        Ok(q.query_scalar().fetch_all(&self.pools.read).await?)
    }

    /// Until when `account` may not post (the latest suspension still running and
    /// not overturned on appeal), if at all.
    pub async fn suspended_until(&self, account: &str) -> Result<Option<OffsetDateTime>, StoreError> {
        let now = time_fmt::fmt(lumbung_core::clock::now());
        let until: Option<String> = sqlx::query_scalar(
            "SELECT max(m.until) FROM moderation_actions m WHERE m.subject_id = $1 AND m.action = 'suspend' AND m.until > $2
             AND NOT EXISTS (SELECT 1 FROM appeals p WHERE p.action_id = m.id AND p.state = 'overturned')",
        )
        .bind(account)
        .bind(now)
        .fetch_one(&self.pools.read)
        .await?;
        until.as_deref().map(time_fmt::parse).transpose()
    }
}
