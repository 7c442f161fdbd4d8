//! `talentbridge bench`: a deterministic synthetic pool (or an export), the layouts the index is measured
//! against, and the runner that prints the figures of DESIGN.md §8 as one JSON object.

mod agreement;
mod answers;
mod baseline;
mod data;
mod export;
mod figures;
pub mod layouts;
mod machine;
mod policies;
pub mod profiles;
mod runner;
pub mod schedule;
mod stats;
pub mod synthetic;
mod zipf;

pub use baseline::reference_top;
pub use data::{load_export, Export};
pub use machine::Machine;
pub use runner::run;
