//! Accounts: created and changed by administrators (or the node's own
//! command line), passwords, API tokens, and the language each account reads
//! the node's mail in.

use lumbung_core::{Account, Actor, Role, permissions, validate, vocab};
use lumbung_store::NewAccount;

use crate::{App, AppError, passwords};

/// The languages an account may choose for what the node writes to it.
pub const ACCOUNT_LANGUAGES: [&str; 2] = ["en", "id"];

/// A new account as a request gives it.
#[derive(Debug, Clone)]
pub struct NewAccountRequest {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<String>,
    /// A delegate's country (ISO 3166-1 alpha-2); required for a delegate,
    /// refused for any other role.
    pub delegation: Option<String>,
    pub password: String,
}

/// Changes to an account as a request gives them (`None` leaves a field as
/// it is, `Some(None)` clears an optional one): the store's own, checked here
/// before it is applied.
pub use lumbung_store::AccountUpdate as AccountChange;

fn require_admin(actor: Option<&Actor>) -> Result<(), AppError> {
    match actor {
        Some(a) if !permissions::can_manage_accounts(a) => {
            Err(AppError::Forbidden("accounts are kept by administrators".into()))
        }
        _ => Ok(()),
    }
}

/// Checks that a delegate has a delegation of a known country and that no
/// other role has one; returns the delegation to store (upper case).
fn check_delegation(role: Role, delegation: Option<&str>) -> Result<Option<String>, AppError> {
    let delegation = delegation.map(|d| d.trim().to_uppercase()).filter(|d| !d.is_empty());
    match (&delegation, role) {
        (None, Role::Delegate) => Err(AppError::field(
            "delegation",
            "required",
            "a delegate represents a country: give its ISO 3166-1 code (e.g. ID)",
        )),
        (Some(_), r) if r != Role::Delegate => {
            Err(AppError::field("delegation", "invalid", "only a delegate has a delegation"))
        }
        (Some(d), _) if !vocab::contains(vocab::COUNTRIES, d) => Err(AppError::field(
            "delegation",
            "unknown_value",
            format!("'{}' is not a country code of this node's vocabulary", d.chars().take(20).collect::<String>()),
        )),
        _ => Ok(delegation),
    }
}

fn check_name(name: &str) -> Result<(), AppError> {
    if name.trim().is_empty() || name.trim().chars().count() > validate::MAX_SHORT {
        return Err(AppError::field("name", "required", "a name of 1–200 characters is required"));
    }
    Ok(())
}

impl App {
    /// Validates a new account (e-mail, name, password policy, every error at
    /// once), hashes its password and stores it. `actor` None is the node's
    /// own command line; an account must be an administrator.
    pub async fn create_account(&self, actor: Option<&Actor>, req: NewAccountRequest) -> Result<Account, AppError> {
        require_admin(actor)?;
        let email = req.email.trim().to_lowercase();
        let name = req.name.trim().to_owned();
        let mut errors = validate::ValidationErrors::default();
        if !validate::valid_email(&email) {
            errors.add("email", "invalid", "not an e-mail address");
        }
        if let Err(AppError::Invalid(e)) = check_name(&name) {
            errors.errors.extend(e.errors);
        }
        if let Err(AppError::Invalid(e)) = passwords::check_policy(&req.password) {
            errors.errors.extend(e.errors);
        }
        let delegation = match check_delegation(req.role, req.delegation.as_deref()) {
            Ok(d) => d,
            Err(AppError::Invalid(e)) => {
                errors.errors.extend(e.errors);
                None
            }
            Err(other) => return Err(other),
        };
        errors.into_result()?;
        let hash = passwords::hash_blocking(req.password).await?;
        Ok(self
            .store
            .create_account(
                NewAccount {
                    email,
                    name,
                    role: req.role,
                    organisation: req.organisation,
                    delegation,
                    password_hash: Some(hash),
                },
                actor.map(|a| a.account_id.as_str()),
            )
            .await?)
    }

    /// Changes an account if `version` is current. Administrators cannot
    /// disable themselves or drop their own role.
    pub async fn update_account(
        &self,
        actor: &Actor,
        id: &str,
        version: i64,
        change: AccountChange,
    ) -> Result<Account, AppError> {
        require_admin(Some(actor))?;
        if id == actor.account_id && (change.disabled == Some(true) || change.role.is_some_and(|r| r != Role::Admin)) {
            return Err(AppError::Forbidden("you cannot disable yourself or drop your own administrator role".into()));
        }
        if let Some(n) = &change.name {
            check_name(n)?;
        }
        let name = change.name.map(|n| n.trim().to_owned());
        // The role and delegation are checked together, as they will be.
        let delegation = if change.role.is_some() || change.delegation.is_some() {
            let current = self.store.get_account(id).await?.ok_or(AppError::NotFound)?;
            let role = change.role.unwrap_or(current.role);
            let wanted = match &change.delegation {
                Some(d) => d.clone(),
                // A role that is no longer a delegate drops its delegation.
                None if role != Role::Delegate => None,
                None => current.delegation,
            };
            Some(check_delegation(role, wanted.as_deref())?)
        } else {
            None
        };
        let update = AccountChange { name, delegation, ..change };
        Ok(self.store.update_account(id, version, update, Some(&actor.account_id)).await?)
    }

    /// Changes an account's password after checking the current one; ends
    /// the account's other sessions (`keep_session` stays).
    pub async fn change_password(
        &self,
        account: &Account,
        current: String,
        new: String,
        keep_session: Option<&str>,
    ) -> Result<(), AppError> {
        passwords::check_policy(&new).map_err(|e| match e {
            AppError::Invalid(mut errors) => {
                for error in &mut errors.errors {
                    error.field = "new_password".into();
                }
                AppError::Invalid(errors)
            }
            other => other,
        })?;
        let stored = self.store.account_by_email(&account.email).await?.and_then(|(_, h)| h);
        let hash = tokio::task::spawn_blocking(move || {
            if stored.is_some_and(|h| passwords::verify(&current, &h)) {
                passwords::hash(&new).map(Some)
            } else {
                Ok(None)
            }
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
        let Some(hash) = hash else {
            return Err(AppError::field("current_password", "invalid", "the current password is not right"));
        };
        Ok(self.store.set_password_hash(&account.id, &hash, keep_session).await?)
    }

    /// Creates an API token for an account; the token is returned once and
    /// only its hash is kept.
    pub async fn create_token(&self, account: &Account, label: &str) -> Result<String, AppError> {
        if account.disabled {
            return Err(AppError::Forbidden(format!("the account {} is disabled", account.email)));
        }
        let label =
            crate::clean_text("label", Some(label.to_owned()), validate::MAX_SHORT)?.unwrap_or_else(|| "token".into());
        let token = passwords::new_secret("lmb_");
        self.store.create_token(&account.id, &token, &label).await?;
        Ok(token)
    }

    /// Creates an API token for the account with this e-mail (the command line).
    pub async fn create_token_for(&self, email: &str, label: &str) -> Result<(Account, String), AppError> {
        let (account, _) = self.store.account_by_email(email.trim()).await?.ok_or_else(|| {
            AppError::field("email", "unknown_value", format!("no account with e-mail {}", email.trim()))
        })?;
        let token = self.create_token(&account, label).await?;
        Ok((account, token))
    }

    /// The actor's language for mail (None: the node's first language).
    pub async fn account_language(&self, actor: &Actor) -> Result<Option<String>, AppError> {
        Ok(self.store.account_language(&actor.account_id).await?)
    }

    /// Sets the actor's own language for mail: one of [`ACCOUNT_LANGUAGES`].
    pub async fn set_account_language(&self, actor: &Actor, language: &str) -> Result<(), AppError> {
        if !ACCOUNT_LANGUAGES.contains(&language) {
            return Err(AppError::field("language", "unknown_value", "en or id"));
        }
        Ok(self.store.set_account_language(&actor.account_id, Some(language)).await?)
    }

    /// The signed-in account's public profile.
    pub async fn profile(&self, actor: &Actor) -> Result<lumbung_core::account::Profile, AppError> {
        Ok(self.store.profile(&actor.account_id).await?)
    }

    /// Shows or hides the signed-in account on `/members`, with a line of
    /// expertise (its name and organisation come from the account; its
    /// e-mail address is never shown).
    pub async fn set_profile(&self, actor: &Actor, public: bool, expertise: Option<String>) -> Result<(), AppError> {
        let expertise = crate::clean_text("expertise", expertise, lumbung_core::account::MAX_EXPERTISE)?;
        if expertise.as_deref().is_some_and(|e| e.chars().any(char::is_control)) {
            return Err(AppError::field("expertise", "invalid", "one line, without control characters"));
        }
        let profile = lumbung_core::account::Profile { public, expertise };
        Ok(self.store.set_profile(&actor.account_id, &profile).await?)
    }
}
