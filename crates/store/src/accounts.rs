//! Accounts, API tokens and browser sessions. Secrets are stored as hashes
//! only: argon2id for passwords (hashed by the caller), SHA-256 for tokens.

use lumbung_core::{Account, Role};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::changelog::Entity;
use crate::{Store, StoreError, time_fmt};

/// A new account to store.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<String>,
    /// A delegate's country (ISO 3166-1 alpha-2).
    pub delegation: Option<String>,
    pub password_hash: Option<String>,
}

/// Changes to an account; `None` leaves a field as it is, `Some(None)`
/// clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct AccountUpdate {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub organisation: Option<Option<String>>,
    pub delegation: Option<Option<String>>,
    pub disabled: Option<bool>,
}

type AccountRow = (String, String, String, String, Option<String>, Option<String>, i64, i64, String, String);
/// An account row followed by its password hash.
type AccountRowWithHash =
    (String, String, String, String, Option<String>, Option<String>, i64, i64, String, String, Option<String>);

const ACCOUNT_COLUMNS: &str =
    "id, email, name, role, organisation_id, delegation, disabled, version, created_at, updated_at";

fn account_from_row(r: AccountRow) -> Result<Account, StoreError> {
    let (id, email, name, role, organisation, delegation, disabled, version, created_at, updated_at) = r;
    Ok(Account {
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Integrity(format!("account {id} has unknown role {role}")))?,
        id,
        email,
        name,
        organisation,
        delegation,
        disabled: disabled != 0,
        version,
        created_at: time_fmt::parse(&created_at)?,
        updated_at: time_fmt::parse(&updated_at)?,
    })
}

/// Hex SHA-256 of a secret token.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Stores a new account. Fails with `Duplicate` when the e-mail is taken.
    pub async fn create_account(&self, new: NewAccount, actor: Option<&str>) -> Result<Account, StoreError> {
        let now = lumbung_core::clock::now();
        let account = Account {
            id: ulid::Ulid::new().to_string(),
            email: new.email,
            name: new.name,
            role: new.role,
            organisation: new.organisation,
            delegation: new.delegation,
            disabled: false,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO accounts (id, email, name, role, organisation_id, password_hash, disabled, version, created_at,
                updated_at, delegation)
             VALUES ($1, $2, $3, $4, $5, $6, 0, 1, $7, $8, $9)",
        )
        .bind(&account.id)
        .bind(&account.email)
        .bind(&account.name)
        .bind(account.role.as_str())
        .bind(&account.organisation)
        .bind(&new.password_hash)
        .bind(time_fmt::fmt(now))
        .bind(time_fmt::fmt(now))
        .bind(&account.delegation)
        .execute(tx.conn())
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::on_reference(e, "organisation", "no such organisation")
            }
            _ => StoreError::on_unique(e, &format!("an account with e-mail {} already exists", account.email)),
        })?;
        tx.log(Entity::Account, &account.id, "create", 1, actor, now);
        tx.commit().await?;
        Ok(account)
    }

    /// The account's chosen language (None: the node's first language).
    pub async fn account_language(&self, id: &str) -> Result<Option<String>, StoreError> {
        let row: Option<Option<String>> = sqlx::query_scalar("SELECT language FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        Ok(row.flatten())
    }

    /// Sets the account's language (None: back to the node's first language).
    pub async fn set_account_language(&self, id: &str, language: Option<&str>) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE accounts SET language = $1 WHERE id = $2")
            .bind(language)
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn get_account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        let row: Option<AccountRow> = sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.map(account_from_row).transpose()
    }

    /// The account with this e-mail (any case) and its password hash.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<(Account, Option<String>)>, StoreError> {
        let row: Option<AccountRowWithHash> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE lower(email) = lower($1)"
        ))
        .bind(email)
        .fetch_optional(&self.pools.read)
        .await?;
        row.map(|(a, b, c, d, e, f, g, h, i, j, hash)| Ok((account_from_row((a, b, c, d, e, f, g, h, i, j))?, hash)))
            .transpose()
    }

    pub async fn list_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows: Vec<AccountRow> = sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY email"))
            .fetch_all(&self.pools.read)
            .await?;
        rows.into_iter().map(account_from_row).collect()
    }

    /// Changes an account's role, organisation, name or disabled flag.
    pub async fn update_account(
        &self,
        id: &str,
        expected_version: i64,
        change: AccountUpdate,
        actor: Option<&str>,
    ) -> Result<Account, StoreError> {
        let AccountUpdate { name, role, organisation, delegation, disabled } = change;
        let mut tx = self.begin().await?;
        let row: Option<AccountRow> = sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"))
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        let mut account = account_from_row(row.ok_or(StoreError::NotFound)?)?;
        if account.version != expected_version {
            return Err(StoreError::Conflict { current: account.version });
        }
        if let Some(n) = name {
            account.name = n;
        }
        if let Some(r) = role {
            account.role = r;
        }
        if let Some(o) = organisation {
            account.organisation = o;
        }
        if let Some(d) = delegation {
            account.delegation = d;
        }
        if let Some(d) = disabled {
            account.disabled = d;
        }
        account.version += 1;
        account.updated_at = lumbung_core::clock::now();
        let updated = sqlx::query(
            "UPDATE accounts SET name = $1, role = $2, organisation_id = $3, disabled = $4, version = $5, updated_at = $6,
                delegation = $9
             WHERE id = $7 AND version = $8",
        )
        .bind(&account.name)
        .bind(account.role.as_str())
        .bind(&account.organisation)
        .bind(i64::from(account.disabled))
        .bind(account.version)
        .bind(time_fmt::fmt(account.updated_at))
        .bind(id)
        .bind(expected_version)
        .bind(&account.delegation)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_reference(e, "organisation", "no such organisation"))?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { current: expected_version + 1 });
        }
        if account.disabled {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(tx.conn()).await?;
        }
        tx.log(Entity::Account, id, "update", account.version, actor, account.updated_at);
        tx.commit().await?;
        Ok(account)
    }

    /// Sets an account's password hash and ends its sessions, except
    /// `keep_session` (the session token the change was made from, if any).
    pub async fn set_password_hash(&self, id: &str, hash: &str, keep_session: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(time_fmt::fmt(lumbung_core::clock::now()))
            .bind(id)
            .execute(tx.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash != $2")
            .bind(id)
            .bind(keep_session.map(hash_token).unwrap_or_default())
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new API token for an account (only its hash is kept).
    pub async fn create_token(&self, account_id: &str, token: &str, label: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO api_tokens (token_hash, account_id, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(hash_token(token))
            .bind(account_id)
            .bind(label)
            .bind(time_fmt::fmt(lumbung_core::clock::now()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// The enabled account an API token belongs to.
    pub async fn account_for_token(&self, token: &str) -> Result<Option<Account>, StoreError> {
        let id: Option<String> = sqlx::query_scalar(
            "SELECT a.id FROM api_tokens t JOIN accounts a ON a.id = t.account_id
             WHERE t.token_hash = $1 AND a.disabled = 0",
        )
        .bind(hash_token(token))
        .fetch_optional(&self.pools.read)
        .await?;
        match id {
            Some(id) => self.get_account(&id).await,
            None => Ok(None),
        }
    }

    /// Starts a browser session that ends at `expires_at`.
    pub async fn create_session(
        &self,
        account_id: &str,
        token: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let now = lumbung_core::clock::now();
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now.unix_timestamp())
            .execute(&mut *self.writer().await?)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(hash_token(token))
            .bind(account_id)
            .bind(time_fmt::fmt(now))
            .bind(expires_at.unix_timestamp())
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// The enabled account a live session belongs to.
    pub async fn account_for_session(&self, token: &str) -> Result<Option<Account>, StoreError> {
        let id: Option<String> = sqlx::query_scalar(
            "SELECT a.id FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0",
        )
        .bind(hash_token(token))
        .bind(OffsetDateTime::now_utc().unix_timestamp())
        .fetch_optional(&self.pools.read)
        .await?;
        match id {
            Some(id) => self.get_account(&id).await,
            None => Ok(None),
        }
    }

    /// Ends a browser session.
    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(token))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }
}
