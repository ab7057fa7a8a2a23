//! Events: the record (JSON in `data`, with the columns lists filter on),
//! the cases each agenda presents, registrations with the waiting list, and
//! private calendar-feed tokens.
//!
//! Registration is concurrency-safe on both backends: every change of an
//! event's registrations first locks the event's row (PostgreSQL: `SELECT …
//! FOR UPDATE`; SQLite has one writer connection, so transactions that write
//! never interleave), then counts the places taken and writes, all in one
//! transaction. Two accounts racing for the last place are therefore
//! serialised: the second sees the first's place and goes on the waiting list.

use crate::changelog::Entity;
use crate::sql::Sql;
use crate::{Backend, Store, StoreError, Tx, time_fmt};
use lumbung_core::event::{Event, EventKind, EventLevel, RegistrationState};

/// Which events a list shows, by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EventWhen {
    /// Not yet ended, soonest first.
    #[default]
    Upcoming,
    /// Ended, latest first.
    Past,
    /// Every event, latest first.
    All,
}

/// Filters of an event list (AND across, one value each).
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub level: Option<EventLevel>,
    pub kind: Option<EventKind>,
    /// The place's country or a participating country.
    pub country: Option<String>,
    pub series: Option<String>,
    pub when: EventWhen,
    pub limit: i64,
    pub offset: i64,
}

/// One page of events and how many match in all.
#[derive(Debug, Clone)]
pub struct EventPage {
    pub items: Vec<Event>,
    pub total: i64,
}

/// How many places an event's registrations hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Registrations {
    pub registered: i64,
    pub waiting: i64,
}

/// A case reference of an agenda and the local case it names, if any.
pub type CaseLink = (String, Option<String>);

impl Store {
    pub async fn get_event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM events WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// A filtered page of events and the number matching.
    pub async fn list_events(&self, f: &EventFilter) -> Result<EventPage, StoreError> {
        // Whole seconds, as the stored instants are, so that text order is time order.
        let now = lumbung_core::clock::now();
        let now = time_fmt::fmt(now.replace_nanosecond(0).unwrap_or(now));
        let filtered = |q: &mut Sql<'_>| {
            q.push(" WHERE 1 = 1");
            if let Some(l) = f.level {
                q.push(" AND level = ").bind(l.as_str());
            }
            if let Some(k) = f.kind {
                q.push(" AND kind = ").bind(k.as_str());
            }
            if let Some(c) = &f.country {
                q.push(" AND countries LIKE ").bind(format!("%,{c},%"));
            }
            if let Some(s) = &f.series {
                q.push(" AND series = ").bind(s.clone());
            }
            match f.when {
                EventWhen::Upcoming => {
                    q.push(" AND ends_at >= ").bind(now.clone());
                }
                EventWhen::Past => {
                    q.push(" AND ends_at < ").bind(now.clone());
                }
                EventWhen::All => {}
            }
        };
        let mut count = Sql::new(self.pools.backend, "SELECT count(*) FROM events");
        filtered(&mut count);
        let total: i64 = count.query_scalar().fetch_one(&self.pools.read).await?;
        let mut q = Sql::new(self.pools.backend, "SELECT data FROM events");
        filtered(&mut q);
        q.push(match f.when {
            EventWhen::Upcoming => " ORDER BY starts_at, id",
            EventWhen::Past | EventWhen::All => " ORDER BY starts_at DESC, id DESC",
        });
        q.push(" LIMIT ").bind(f.limit.clamp(1, 1000)).push(" OFFSET ").bind(f.offset.max(0));
        let rows: Vec<String> = q.query_scalar().fetch_all(&self.pools.read).await?;
        let items = rows.iter().map(|d| Ok(serde_json::from_str(d)?)).collect::<Result<_, StoreError>>()?;
        Ok(EventPage { items, total })
    }

    /// The events whose agenda presents this local case, latest first.
    pub async fn events_presenting(&self, case_id: &str) -> Result<Vec<Event>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT e.data FROM events e WHERE e.id IN (SELECT event_id FROM event_cases WHERE case_id = $1)
             ORDER BY e.starts_at DESC, e.id DESC",
        )
        .bind(case_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
    }

    /// The edition of the same series that started last before `event`.
    pub async fn previous_edition(&self, event: &Event) -> Result<Option<Event>, StoreError> {
        let (Some(series), Some(times)) = (&event.content.series, event.content.times()) else { return Ok(None) };
        let data: Option<String> = sqlx::query_scalar(
            "SELECT data FROM events WHERE series = $1 AND starts_at < $2 AND id != $3
             ORDER BY starts_at DESC, id DESC LIMIT 1",
        )
        .bind(series)
        .bind(time_fmt::fmt(times.start))
        .bind(&event.id)
        .fetch_optional(&self.pools.read)
        .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// Ids of published local cases, newest first, at most `limit`.
    pub async fn published_case_ids(&self, limit: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM cases WHERE status = 'published' ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pools.read)
            .await?)
    }

    /// The series that have events, sorted.
    pub async fn event_series(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT DISTINCT series FROM events WHERE series IS NOT NULL ORDER BY series")
            .fetch_all(&self.pools.read)
            .await?)
    }

    /// Stores a new event and the cases its agenda presents.
    pub async fn create_event(&self, event: &Event, cases: &[CaseLink], actor: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.insert_event(event, cases, actor, "create").await?;
        tx.commit().await
    }

    /// Events for OAI-PMH, oldest change first after `(changed_s, id)`:
    /// every event here is public (local ones and harvested copies alike).
    pub async fn oai_events_page(
        &self,
        from: Option<i64>,
        until: Option<i64>,
        after: Option<(i64, &str)>,
        limit: i64,
    ) -> Result<Vec<(i64, Event)>, StoreError> {
        let mut q = Sql::new(self.pools.backend, "SELECT changed_s, data FROM events WHERE 1 = 1");
        oai_window(&mut q, from, until);
        self.oai_keyset_page(q, after, limit).await
    }

    /// The oldest datestamp of any event.
    pub async fn oai_events_earliest(&self) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT min(changed_s) FROM events").fetch_one(&self.pools.read).await?)
    }

    /// How many events an OAI-PMH list of events holds.
    pub async fn oai_events_count(&self, from: Option<i64>, until: Option<i64>) -> Result<i64, StoreError> {
        let mut q = Sql::new(self.pools.backend, "SELECT count(*) FROM events WHERE 1 = 1");
        oai_window(&mut q, from, until);
        Ok(q.query_scalar().fetch_one(&self.pools.read).await?)
    }

    /// An event with its datestamp: a local one by id, or a harvested copy by
    /// its origin's global identifier.
    pub async fn oai_event(&self, id: Option<&str>, origin: Option<&str>) -> Result<Option<(i64, Event)>, StoreError> {
        let row: Option<(i64, String)> = match (id, origin) {
            (Some(id), _) => {
                sqlx::query_as("SELECT changed_s, data FROM events WHERE id = $1 AND origin_identifier IS NULL")
                    .bind(id)
                    .fetch_optional(&self.pools.read)
                    .await?
            }
            (None, Some(o)) => {
                sqlx::query_as("SELECT changed_s, data FROM events WHERE origin_identifier = $1")
                    .bind(o)
                    .fetch_optional(&self.pools.read)
                    .await?
            }
            (None, None) => None,
        };
        row.map(|(t, d)| Ok((t, serde_json::from_str(&d)?))).transpose()
    }

    /// Replaces an event if `expected_version` is current: `apply` changes the
    /// stored record (or refuses); the new version, its columns, the presented
    /// cases (when `apply` names them; None keeps them) and a change-log
    /// entry are written in one transaction, and a
    /// larger capacity (or one removed) moves waiting registrations up.
    pub async fn update_event<E, F>(
        &self,
        id: &str,
        expected_version: Option<i64>,
        action: &str,
        actor: Option<&str>,
        apply: F,
    ) -> Result<Event, E>
    where
        E: From<StoreError>,
        F: FnOnce(&mut Event) -> Result<Option<Vec<CaseLink>>, E>,
    {
        let mut tx = self.begin().await?;
        lock_event(&mut tx, id).await?;
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM events WHERE id = $1")
            .bind(id)
            .fetch_optional(tx.conn())
            .await
            .map_err(StoreError::from)?;
        let mut event: Event = serde_json::from_str(&data.ok_or(StoreError::NotFound)?).map_err(StoreError::from)?;
        if let Some(v) = expected_version {
            if event.version != v {
                return Err(StoreError::Conflict { current: event.version }.into());
            }
        }
        let read = event.version;
        let cases = apply(&mut event)?;
        event.version = read + 1;
        event.updated_at = lumbung_core::clock::now();
        let done = update_event_row(&mut tx, &event, read).await?;
        if done == 0 {
            return Err(StoreError::Conflict { current: read + 1 }.into());
        }
        if let Some(cases) = cases {
            tx.set_event_cases(id, &cases).await?;
        }
        tx.promote_waiting(id, event.content.capacity).await?;
        tx.log(Entity::Event, id, action, event.version, actor, event.updated_at);
        tx.commit().await?;
        Ok(event)
    }

    /// Asks for a place: registered while places remain, else waiting. An
    /// account already registered or waiting keeps its state.
    pub async fn register(&self, event_id: &str, account_id: &str) -> Result<RegistrationState, StoreError> {
        let mut tx = self.begin().await?;
        let event = lock_event(&mut tx, event_id).await?;
        let now = time_fmt::fmt(lumbung_core::clock::now());
        let current = registration_in(&mut tx, event_id, account_id).await?;
        if let Some(state @ (RegistrationState::Registered | RegistrationState::Waiting)) = current {
            return Ok(state);
        }
        let taken = count_state(&mut tx, event_id, RegistrationState::Registered).await?;
        let state = match event.content.capacity {
            Some(cap) if taken >= cap => RegistrationState::Waiting,
            _ => RegistrationState::Registered,
        };
        sqlx::query(
            "INSERT INTO event_registrations (event_id, account_id, state, asked_at, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (event_id, account_id) DO UPDATE SET state = excluded.state,
                asked_at = excluded.asked_at, updated_at = excluded.updated_at",
        )
        .bind(event_id)
        .bind(account_id)
        .bind(state.as_str())
        .bind(&now)
        .bind(&now)
        .execute(tx.conn())
        .await?;
        tx.log(Entity::Event, event_id, "register", event.version, Some(account_id), lumbung_core::clock::now());
        tx.commit().await?;
        Ok(state)
    }

    /// Cancels an account's registration (or its place on the waiting list);
    /// a freed place goes to the longest-waiting account in the same
    /// transaction. Returns the account promoted, if any.
    pub async fn cancel_registration(&self, event_id: &str, account_id: &str) -> Result<Option<String>, StoreError> {
        let mut tx = self.begin().await?;
        let event = lock_event(&mut tx, event_id).await?;
        match registration_in(&mut tx, event_id, account_id).await? {
            None | Some(RegistrationState::Cancelled) => return Err(StoreError::NotFound),
            Some(_) => {}
        }
        sqlx::query(
            "UPDATE event_registrations SET state = 'cancelled', updated_at = $1 WHERE event_id = $2 AND account_id = $3",
        )
        .bind(time_fmt::fmt(lumbung_core::clock::now()))
        .bind(event_id)
        .bind(account_id)
        .execute(tx.conn())
        .await?;
        let promoted = tx.promote_waiting(event_id, event.content.capacity).await?;
        tx.log(
            Entity::Event,
            event_id,
            "cancel_registration",
            event.version,
            Some(account_id),
            lumbung_core::clock::now(),
        );
        tx.commit().await?;
        Ok(promoted.into_iter().next())
    }

    /// An account's registration for an event, if it ever asked.
    pub async fn registration(
        &self,
        event_id: &str,
        account_id: &str,
    ) -> Result<Option<RegistrationState>, StoreError> {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM event_registrations WHERE event_id = $1 AND account_id = $2")
                .bind(event_id)
                .bind(account_id)
                .fetch_optional(&self.pools.read)
                .await?;
        state.map(|s| parse_state(&s)).transpose()
    }

    /// Places taken and accounts waiting.
    pub async fn registrations(&self, event_id: &str) -> Result<Registrations, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, count(*) FROM event_registrations WHERE event_id = $1 GROUP BY state")
                .bind(event_id)
                .fetch_all(&self.pools.read)
                .await?;
        let mut r = Registrations::default();
        for (state, n) in rows {
            match state.as_str() {
                "registered" => r.registered = n,
                "waiting" => r.waiting = n,
                _ => {}
            }
        }
        Ok(r)
    }

    /// The events an account is registered for (or waiting for), soonest first.
    pub async fn events_of_account(&self, account_id: &str) -> Result<Vec<(Event, RegistrationState)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT e.data, r.state FROM events e JOIN event_registrations r ON r.event_id = e.id
             WHERE r.account_id = $1 AND r.state IN ('registered', 'waiting') ORDER BY e.starts_at, e.id",
        )
        .bind(account_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.into_iter().map(|(d, s)| Ok((serde_json::from_str(&d)?, parse_state(&s)?))).collect()
    }

    /// Sets (replacing any) the hash of an account's private calendar token.
    pub async fn set_calendar_token(&self, account_id: &str, token_hash: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM calendar_tokens WHERE account_id = $1").bind(account_id).execute(tx.conn()).await?;
        if let Some(hash) = token_hash {
            sqlx::query("INSERT INTO calendar_tokens (account_id, token_hash, created_at) VALUES ($1, $2, $3)")
                .bind(account_id)
                .bind(hash)
                .bind(time_fmt::fmt(lumbung_core::clock::now()))
                .execute(tx.conn())
                .await?;
        }
        tx.commit().await
    }

    /// Whether an account has a private calendar token.
    pub async fn has_calendar_token(&self, account_id: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM calendar_tokens WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&self.pools.read)
            .await?;
        Ok(n > 0)
    }

    /// The account whose calendar token has this hash.
    pub async fn account_for_calendar_token(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT account_id FROM calendar_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pools.read)
            .await?)
    }
}

impl Tx {
    /// Stores a new event (a local one, or a harvested copy with its origin
    /// identifier) and the cases its agenda presents, with a change-log entry.
    pub async fn insert_event(
        &mut self,
        event: &Event,
        cases: &[CaseLink],
        actor: Option<&str>,
        action: &str,
    ) -> Result<(), StoreError> {
        let (starts, ends, countries) = columns(event)?;
        sqlx::query(
            "INSERT INTO events (id, series, edition, kind, level, status, country, countries, starts_at, ends_at,
                version, created_by, created_at, updated_at, data, changed_s, origin_identifier)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(&event.id)
        .bind(&event.content.series)
        .bind(event.content.edition)
        .bind(event.content.kind.as_str())
        .bind(event.content.level.as_str())
        .bind(event.content.status.as_str())
        .bind(&event.content.country)
        .bind(countries)
        .bind(starts)
        .bind(ends)
        .bind(event.version)
        .bind(&event.created_by)
        .bind(time_fmt::fmt(event.created_at))
        .bind(time_fmt::fmt(event.updated_at))
        .bind(serde_json::to_string(event)?)
        .bind(event.updated_at.unix_timestamp())
        .bind(event.origin.as_ref().map(|o| o.identifier.clone()))
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, &format!("an event with id '{}' already exists", event.id)))?;
        self.set_event_cases(&event.id, cases).await?;
        self.log(Entity::Event, &event.id, action, event.version, actor, event.updated_at);
        Ok(())
    }

    /// The harvested copy of another node's event, by its global identifier.
    pub async fn event_by_origin(&mut self, identifier: &str) -> Result<Option<Event>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM events WHERE origin_identifier = $1")
            .bind(identifier)
            .fetch_optional(self.conn())
            .await?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    /// Replaces a harvested copy with what its origin now says (a new
    /// version), its presented cases, and a change-log entry. Registrations
    /// stay with the origin: a copy takes none.
    pub async fn replace_harvested_event(&mut self, event: &Event, cases: &[CaseLink]) -> Result<(), StoreError> {
        if update_event_row(self, event, event.version - 1).await? != 1 {
            return Err(StoreError::Conflict { current: event.version });
        }
        self.set_event_cases(&event.id, cases).await?;
        self.log(Entity::Event, &event.id, "harvest", event.version, None, event.updated_at);
        Ok(())
    }

    /// The published (or once-published) local case with this id.
    pub async fn published_case_id(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM cases WHERE id = $1 AND published_at IS NOT NULL")
            .bind(id)
            .fetch_optional(self.conn())
            .await?)
    }

    /// Moves an event's OAI-PMH datestamp (its action items changed).
    pub(crate) async fn touch_event(&mut self, event_id: &str, at: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE events SET changed_s = $1 WHERE id = $2")
            .bind(at)
            .bind(event_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Replaces the cases an event's agenda presents.
    async fn set_event_cases(&mut self, event_id: &str, cases: &[CaseLink]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM event_cases WHERE event_id = $1").bind(event_id).execute(self.conn()).await?;
        if cases.is_empty() {
            return Ok(());
        }
        let mut q = Sql::new(self.backend, "INSERT INTO event_cases (event_id, case_ref, case_id) VALUES ");
        q.rows(cases, |r, (case_ref, case_id)| {
            r.bind(event_id.to_owned()).bind(case_ref.clone()).bind(case_id.clone());
        });
        q.query().execute(self.conn()).await?;
        Ok(())
    }

    /// Fills free places from the waiting list, oldest request first; returns
    /// the accounts promoted.
    async fn promote_waiting(&mut self, event_id: &str, capacity: Option<i64>) -> Result<Vec<String>, StoreError> {
        let taken = count_state(self, event_id, RegistrationState::Registered).await?;
        let free = match capacity {
            Some(cap) => (cap - taken).max(0),
            None => i64::MAX,
        };
        if free == 0 {
            return Ok(Vec::new());
        }
        let waiting: Vec<String> = sqlx::query_scalar(
            "SELECT account_id FROM event_registrations WHERE event_id = $1 AND state = 'waiting'
             ORDER BY asked_at, account_id LIMIT $2",
        )
        .bind(event_id)
        .bind(free.min(1_000_000))
        .fetch_all(self.conn())
        .await?;
        let now = time_fmt::fmt(lumbung_core::clock::now());
        for account in &waiting {
            sqlx::query(
                "UPDATE event_registrations SET state = 'registered', updated_at = $1 WHERE event_id = $2 AND account_id = $3",
            )
            .bind(&now)
            .bind(event_id)
            .bind(account)
            .execute(self.conn())
            .await?;
        }
        Ok(waiting)
    }
}

fn oai_window(q: &mut Sql<'_>, from: Option<i64>, until: Option<i64>) {
    if let Some(from) = from {
        q.push(" AND changed_s >= ").bind(from);
    }
    if let Some(until) = until {
        q.push(" AND changed_s <= ").bind(until);
    }
}

/// Writes an event's row (its columns, record and datestamp) over the one
/// at version `read`; returns how many rows changed (0: the version moved).
async fn update_event_row(tx: &mut Tx, event: &Event, read: i64) -> Result<u64, StoreError> {
    let (starts, ends, countries) = columns(event)?;
    let done = sqlx::query(
        "UPDATE events SET series = $1, edition = $2, kind = $3, level = $4, status = $5, country = $6,
            countries = $7, starts_at = $8, ends_at = $9, version = $10, updated_at = $11, data = $12,
            changed_s = $15
         WHERE id = $13 AND version = $14",
    )
    .bind(&event.content.series)
    .bind(event.content.edition)
    .bind(event.content.kind.as_str())
    .bind(event.content.level.as_str())
    .bind(event.content.status.as_str())
    .bind(&event.content.country)
    .bind(countries)
    .bind(starts)
    .bind(ends)
    .bind(event.version)
    .bind(time_fmt::fmt(event.updated_at))
    .bind(serde_json::to_string(event)?)
    .bind(&event.id)
    .bind(read)
    .bind(event.updated_at.unix_timestamp())
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}

/// Locks an event's row for the rest of the transaction and reads it.
async fn lock_event(tx: &mut Tx, id: &str) -> Result<Event, StoreError> {
    let sql = match tx.backend {
        Backend::Postgres => "SELECT data FROM events WHERE id = $1 FOR UPDATE",
        Backend::Sqlite => "SELECT data FROM events WHERE id = $1",
    };
    let data: Option<String> = sqlx::query_scalar(sql).bind(id).fetch_optional(tx.conn()).await?;
    Ok(serde_json::from_str(&data.ok_or(StoreError::NotFound)?)?)
}

async fn registration_in(
    tx: &mut Tx,
    event_id: &str,
    account_id: &str,
) -> Result<Option<RegistrationState>, StoreError> {
    let state: Option<String> =
        sqlx::query_scalar("SELECT state FROM event_registrations WHERE event_id = $1 AND account_id = $2")
            .bind(event_id)
            .bind(account_id)
            .fetch_optional(tx.conn())
            .await?;
    state.map(|s| parse_state(&s)).transpose()
}

async fn count_state(tx: &mut Tx, event_id: &str, state: RegistrationState) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM event_registrations WHERE event_id = $1 AND state = $2")
        .bind(event_id)
        .bind(state.as_str())
        .fetch_one(tx.conn())
        .await?)
}

fn parse_state(s: &str) -> Result<RegistrationState, StoreError> {
    RegistrationState::parse(s).ok_or_else(|| StoreError::Integrity(format!("unknown registration state '{s}'")))
}

/// The filter columns of an event: start, end (UTC) and the countries list.
fn columns(event: &Event) -> Result<(String, String, String), StoreError> {
    let times =
        event.content.times().ok_or_else(|| StoreError::Integrity(format!("event {} has no valid time", event.id)))?;
    let mut countries: Vec<&str> = event.content.countries.iter().map(String::as_str).collect();
    if let Some(c) = &event.content.country {
        if !countries.contains(&c.as_str()) {
            countries.push(c);
        }
    }
    Ok((time_fmt::fmt(times.start), time_fmt::fmt(times.end), format!(",{},", countries.join(","))))
}
