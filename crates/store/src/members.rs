//! Membership (issue #11): opt-in public profiles and what `/members` shows —
//! organisations with what each contributed, delegations by country.

use std::collections::HashMap;

use lumbung_core::account::Profile;
use lumbung_core::{Role, Status};

use crate::changelog::Entity;
use crate::{Store, StoreError, time_fmt};

/// An account that made its profile public, as `/members` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicProfile {
    pub account_id: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub delegation: Option<String>,
    pub expertise: Option<String>,
}

/// What each organisation contributed, and the delegations.
#[derive(Debug, Clone, Default)]
pub struct Contributions {
    /// Published cases naming the organisation.
    pub cases: HashMap<String, i64>,
    /// Events that presented one of those cases.
    pub presentations: HashMap<String, i64>,
    /// Action items the organisation owns.
    pub action_items: HashMap<String, i64>,
    /// Active delegate accounts per country, by country code.
    pub delegations: Vec<(String, i64)>,
}

type ProfileRow = (String, String, String, Option<String>, Option<String>, Option<String>);

impl Store {
    /// An account's profile (hidden, with no expertise, until it says otherwise).
    pub async fn profile(&self, account_id: &str) -> Result<Profile, StoreError> {
        let row: Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT public, expertise FROM profiles WHERE account_id = $1")
                .bind(account_id)
                .fetch_optional(&self.pools.read)
                .await?;
        Ok(row.map(|(public, expertise)| Profile { public: public != 0, expertise }).unwrap_or_default())
    }

    /// Writes an account's profile.
    pub async fn set_profile(&self, account_id: &str, profile: &Profile) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let now = lumbung_core::clock::now();
        sqlx::query(
            "INSERT INTO profiles (account_id, public, expertise, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (account_id) DO UPDATE SET public = $2, expertise = $3, updated_at = $4",
        )
        .bind(account_id)
        .bind(i64::from(profile.public))
        .bind(&profile.expertise)
        .bind(time_fmt::fmt(now))
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_reference(e, "account", "no such account"))?;
        tx.log(Entity::Account, account_id, "profile", 1, Some(account_id), now);
        tx.commit().await
    }

    /// The public profiles of active accounts, by name.
    pub async fn public_profiles(&self) -> Result<Vec<PublicProfile>, StoreError> {
        let rows: Vec<ProfileRow> = sqlx::query_as(
            "SELECT a.id, a.name, a.role, a.organisation_id, a.delegation, p.expertise
             FROM profiles p JOIN accounts a ON a.id = p.account_id
             WHERE p.public = 1 AND a.disabled = 0 ORDER BY a.name, a.id",
        )
        .fetch_all(&self.pools.read)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(account_id, name, role, organisation, delegation, expertise)| {
                Some(PublicProfile { account_id, name, role: Role::parse(&role)?, organisation, delegation, expertise })
            })
            .collect())
    }

    /// What each organisation contributed, and the delegations by country.
    pub async fn contributions(&self) -> Result<Contributions, StoreError> {
        let published = Status::Published.as_str();
        let counts = |rows: Vec<(String, i64)>| rows.into_iter().collect::<HashMap<_, _>>();
        let cases: Vec<(String, i64)> = sqlx::query_as(
            "SELECT t.value, count(*) FROM case_terms t JOIN cases c ON c.id = t.case_id
             WHERE t.field = 'organisation' AND c.status = $1 GROUP BY t.value",
        )
        .bind(published)
        .fetch_all(&self.pools.read)
        .await?;
        let presentations: Vec<(String, i64)> = sqlx::query_as(
            "SELECT t.value, count(DISTINCT e.event_id) FROM event_cases e
             JOIN case_terms t ON t.case_id = e.case_id AND t.field = 'organisation'
             JOIN cases c ON c.id = e.case_id AND c.status = $1
             GROUP BY t.value",
        )
        .bind(published)
        .fetch_all(&self.pools.read)
        .await?;
        let action_items: Vec<(String, i64)> =
            sqlx::query_as("SELECT owner_org, count(*) FROM action_items GROUP BY owner_org")
                .fetch_all(&self.pools.read)
                .await?;
        let delegations: Vec<(String, i64)> = sqlx::query_as(
            "SELECT delegation, count(*) FROM accounts
             WHERE role = 'delegate' AND disabled = 0 AND delegation IS NOT NULL
             GROUP BY delegation ORDER BY delegation",
        )
        .fetch_all(&self.pools.read)
        .await?;
        Ok(Contributions {
            cases: counts(cases),
            presentations: counts(presentations),
            action_items: counts(action_items),
            delegations,
        })
    }
}
