//! Passwords and secrets: argon2id hashes, the password policy, random tokens.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

use crate::AppError;

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD: usize = 10;
/// The longest password accepted, in characters (argon2 work grows with length).
pub const MAX_PASSWORD: usize = 1024;

/// Hashes a password with argon2id and a random salt.
pub fn hash(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
}

/// Hashes on a blocking thread (argon2 is deliberately slow).
pub async fn hash_blocking(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash(&password)).await.map_err(|e| AppError::Internal(e.to_string()))?
}

/// Whether `password` matches the stored hash.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a random password, for equal-time refusals of unknown accounts.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash(&new_secret("")).unwrap_or_default())
}

/// Checks a new password against the policy.
pub fn check_policy(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::field(
            "password",
            "too_short",
            format!("a password needs at least {MIN_PASSWORD} characters"),
        ));
    }
    if password.chars().count() > MAX_PASSWORD {
        return Err(AppError::field(
            "password",
            "too_long",
            format!("a password has at most {MAX_PASSWORD} characters"),
        ));
    }
    Ok(())
}

/// A new random secret: 32 bytes as hex, with a prefix naming its use.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}
