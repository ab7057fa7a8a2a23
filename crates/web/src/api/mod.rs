//! The JSON API under `/api/v1`, one module per resource.

pub mod accounts;
pub mod actions;
pub mod cases;
pub mod checkins;
pub mod events;
pub mod harvest;
pub mod health;
pub mod links;
pub mod nominations;
pub mod organisations;
pub mod search;
pub mod vocabularies;
