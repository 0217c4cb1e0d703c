//! # bank_synth_core
//!
//! The library behind `bank_synth`: learn a portable, privacy-filtered statistical
//! [`model::ModelPack`] from sample rows of a bank's tables, then generate any number of
//! foreign-key-consistent, reproducible rows from that pack alone.
//!
//! The flow, one module per step:
//!
//! ```text
//! config ─┐
//! source ─┴─► train ─► model::ModelPack ─► generate::Plan ─► generate::Engine ─► output
//! ```
//!
//! * The engine (model, plan, sampling, keys) has no heavy dependencies.
//! * Feature `io` adds the sample readers (CSV, Parquet via arrow), the Hive Parquet and
//!   Oracle CSV writers, run manifests and reports on disk.
//!
//! Every row is a pure function of `(seed, table, row index)`: a child names its parent
//! by index without the parent in memory, and output is byte-identical whatever the
//! thread count.

pub mod error;
pub mod faker;
pub mod fit;
pub mod fixtures;
pub mod format;
pub mod generate;
pub mod keys;
pub mod model;
pub mod privacy;
pub mod rng;
pub mod schema;
pub mod stats;
pub mod value;

#[cfg(feature = "codegen")]
pub mod codegen;
#[cfg(feature = "io")]
pub mod config;
#[cfg(feature = "io")]
pub mod digest;
#[cfg(feature = "io")]
pub mod evaluate;
#[cfg(feature = "io")]
pub mod output;
#[cfg(feature = "io")]
pub mod quality;
#[cfg(feature = "io")]
pub mod source;
#[cfg(feature = "io")]
pub mod train;

pub use error::{Error, Result};
pub use model::ModelPack;
pub use value::{LogicalType, Value};

/// The version of this crate, recorded in model packs and manifests.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
