//! The `lumbung` command line: `serve`, `demo`, `import`, `export`, `user`,
//! `token`, `check`, `reindex`, `harvest`, `backup`, `restore`, `migrate-store` and
//! `config`. Each subcommand lives in its own module.

pub mod backup;
pub mod check;
pub mod checkins;
pub mod cli;
pub mod config;
pub mod demo;
pub mod demo_dialogue;
pub mod demo_diffusion;
pub mod demo_events;
pub mod demo_resources;
pub mod export;
pub mod generate;
pub mod harvest;
pub mod import;
pub mod logging;
pub mod mail;
pub mod mailer;
pub mod notify;
pub mod places;
pub mod serve;
pub mod users;
