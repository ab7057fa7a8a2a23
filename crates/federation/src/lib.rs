//! Lumbung's federation: what other nodes and third-party software read.
//! The OAI-PMH 2.0 provider (`oai`), the metadata formats (`formats`:
//! `oai_dc` and the native `lumbung` record with its XML Schema), Atom feeds
//! (`atom`) and sitemaps (`sitemap`). The harvester and nominations come next
//! (see the federation issue).

pub mod atom;
pub mod formats;
pub mod oai;
pub mod sitemap;
pub mod xml;

pub use oai::{Provider, ProviderError};
