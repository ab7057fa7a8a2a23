//! Lumbung's domain: case records, organisations, accounts, vocabularies,
//! validation, the publication workflow and permissions. No I/O happens here:
//! the store, the web layer and the command line all build on these types.

pub mod account;
pub mod case;
pub mod checkin;
pub mod clock;
pub mod collection;
pub mod completeness;
pub mod dialogue;
pub mod diffusion;
pub mod event;
pub mod mail;
pub mod nomination;
pub mod organisation;
pub mod permissions;
pub mod resource;
pub mod text;
pub mod validate;
pub mod vocab;
pub mod workflow;

pub use account::{Account, Actor, Role};
pub use case::{Case, CaseContent, Contact, Link, Origin, Sections};
pub use collection::{Collection, CollectionContent};
pub use mail::MailFrequency;
pub use nomination::{NominationDirection, NominationState};
pub use organisation::{Organisation, OrganisationContent};
pub use resource::{Resource, ResourceContent, StoredFile};
pub use text::Text;
pub use validate::{FieldError, ValidationErrors};
pub use workflow::{RevisionAction, Status, Transition, WorkflowError};
