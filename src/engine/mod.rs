//! The engine: taxonomy, records and their rules, kept in memory in step with the store.
//! Synchronous by design: no actix, no tokio; `http` calls it from the blocking pool.

mod audit;
mod auth;
mod channels;
mod concepts;
mod consent;
mod contact_release;
mod core;
pub mod events;
mod experts;
pub mod intake;
mod introductions;
mod live;
mod matches;
pub mod matching;
mod needs;
mod observe;
mod page;
mod personal_data;
pub mod reports;
pub mod taxonomy;
mod tokens;
mod version;

pub use audit::AuditFilter;
pub use auth::{hash_token, new_operator_token, Principal};
pub use contact_release::ReleasedContacts;
pub use core::{Engine, OperatorToken};
pub use experts::ExpertFilter;
pub use introductions::{IntroductionFilter, IntroductionFrom};
pub use matches::{ExpertMatch, NeedMatches, PairReport};
pub use needs::NeedFilter;
pub use observe::{RecordCounts, WriteObserver};
pub use page::{Page, MAX_PAGE};
pub use personal_data::PersonalData;
pub use taxonomy::{Suggestion, TagHit, Taxonomy};
pub use tokens::{create_operator_token, operator_tokens, revoke_operator_token, CLI_ACTOR};
