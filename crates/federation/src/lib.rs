//! Lumbung's federation: what other nodes and third-party software read.
//! The OAI-PMH 2.0 provider (`oai`), the metadata formats (`formats`:
//! `oai_dc` and the native `lumbung` record with its XML Schema), Atom feeds
//! (`atom`), sitemaps (`sitemap`), and the harvester (`harvest`, over the
//! strict XML reader in `dom`). Nominations come next (see the federation issue).

pub mod atom;
pub mod dom;
pub mod events;
pub mod formats;
pub mod harvest;
pub mod links;
pub mod oai;
pub mod sitemap;
pub mod xml;

pub use oai::{Provider, ProviderError};
