//! Lumbung's application layer. Every use case — cases and the workflow,
//! translations, nominations and their decisions, accounts, organisations —
//! is one method of [`App`] that takes the acting account, checks the rules of
//! `lumbung-core`, makes its writes in one store transaction and returns a
//! typed [`AppError`]. The JSON API, the HTML pages and the command line call
//! these and nothing below them, so a rule is written once.

mod accounts;
mod actions;
mod cases;
mod checkins;
mod diffusion;
mod error;
mod events;
mod harvest;
mod mail;
mod moderation;
mod nominations;
mod notify;
mod organisations;
pub mod passwords;
mod posts;
mod resources;
mod rooms;

use std::sync::Arc;

use lumbung_store::Store;

pub use accounts::{ACCOUNT_LANGUAGES, AccountChange, NewAccountRequest};
pub use cases::PlacesMatched;
pub use checkins::CheckinSchedule;
pub use diffusion::{CaseLinks, NewLink};
pub use error::AppError;
pub use moderation::FlagOutcome;
pub use notify::LEVELS;
pub use posts::{DialogueSettings, PostInput, ThreadAccess, can_read_case_threads};
pub use resources::Upload;
pub use rooms::{NewRoom, RoomAccess};

/// What the use cases need to know about the node.
#[derive(Debug, Clone, Default)]
pub struct AppSettings {
    /// The node's stable id.
    pub node_id: String,
    /// The upstream nodes cases may be nominated to.
    pub upstreams: Vec<String>,
    /// Posting limits and moderation thresholds of the dialogue.
    pub dialogue: DialogueSettings,
    /// The node's check-in interval in months (0: the default, 12).
    pub checkin_months: u32,
}

/// The application: the store and the node's settings. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    settings: Arc<AppSettings>,
    /// Sizes the notification follower's transactions (shared by clones).
    pacer: Arc<notify::Pacer>,
}

impl App {
    pub fn new(store: Store, settings: AppSettings) -> App {
        App { store, settings: Arc::new(settings), pacer: Arc::default() }
    }

    /// The store, for reads (lists, pages, feeds) that need no rule beyond
    /// the visibility filters the callers apply.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }
}

/// A trimmed optional text (blank is none), refused when longer than `max` characters.
pub fn clean_text(field: &str, text: Option<String>, max: usize) -> Result<Option<String>, AppError> {
    let text = text.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if text.as_ref().is_some_and(|c| c.chars().count() > max) {
        return Err(AppError::field(field, "too_long", format!("at most {max} characters")));
    }
    Ok(text)
}
