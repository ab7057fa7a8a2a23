//! The JSON API under `/api/v1`, one module per resource.

pub mod accounts;
pub mod actions;
pub mod cases;
pub mod checkins;
pub mod events;
pub mod harvest;
pub mod health;
pub mod links;
pub mod moderation;
pub mod nominations;
pub mod notifications;
pub mod organisations;
pub mod posts;
pub mod resources;
pub mod rooms;
pub mod search;
pub mod threads;
pub mod vocabularies;
