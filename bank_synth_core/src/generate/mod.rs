//! `generate`: a [`Plan`] (which tables, how many rows, in what order) and an
//! [`Engine`] that produces any row of any planned table as a pure function of
//! `(seed, table, row index)`.

mod chunk;
mod engine;
mod fanouts;
mod joint;
mod layout;
mod plan;
mod rooms;
mod shard;
mod strata;
mod sums;
mod text_links;

pub use chunk::Chunk;
pub use engine::Engine;
pub use plan::{Plan, PlanRequest, PlannedTable};
pub use shard::Shard;
