//! `train`: read samples, resolve keys and relationships, apply the privacy policy and
//! fit every column — producing a [`ModelPack`] that holds no rows.
//!
//! Privacy is applied here and only here: restricted columns are dropped right after
//! the samples are read, `pii` columns keep only their faker provider, `sensitive`
//! columns only their format.

mod catalog;
mod chance;
mod columns;
mod copies;
mod dependencies;
mod embedded;
mod joint;
mod keys;
mod lookalikes;
mod paths;
mod prefixes;
mod reference;
mod relationships;
mod rooms;
mod sampling;

use crate::config::{self, Located, PrivacyConfig, RelationshipsConfig, TablesConfig};
use crate::error::{Error, Result};
use crate::model::{FORMAT_VERSION, ModelPack, Provenance};
use crate::source::SampleStrategy;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where training reads its samples from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A directory of CSV or Parquet sample files.
    Samples,
    /// An Oracle schema, read through an [`OracleSource`] ([`train_from_oracle`]).
    Oracle,
    /// Hive tables, sampled by a Spark job ([`train_from_hive`]).
    Hive,
    /// Oracle and Hive tables in one pack ([`train_from_both`]).
    Both,
}

/// An Oracle database to train from: an open session and how to name it in messages.
pub struct OracleSource<'s> {
    /// The connection.
    pub session: &'s mut dyn crate::source::oracle::OracleSession,
    /// The database as messages name it: `Oracle scott@db:1521/ORCL` (no password).
    pub database: String,
}

/// Hive tables to train from: the job that samples them and the database.
pub struct HiveSource<'s> {
    /// Runs the sampling job (the CLI's runs spark-submit).
    pub sampler: &'s mut dyn crate::source::hive::HiveSampler,
    /// The Hive database.
    pub database: String,
}

/// Everything `bank_synth train` was asked.
#[derive(Debug, Clone)]
pub struct TrainInputs {
    /// The source kind.
    pub source: SourceKind,
    /// The schema name recorded in the pack and used for Hive/Oracle DDL.
    pub schema: String,
    /// The sample directory (for [`SourceKind::Samples`]).
    pub sample_dir: Option<PathBuf>,
    /// Tables named on the command line (overrides tables.yaml's list).
    pub tables: Option<Vec<String>>,
    /// tables.yaml.
    pub tables_file: Option<PathBuf>,
    /// relationships.yaml.
    pub relationships_file: Option<PathBuf>,
    /// privacy.yaml.
    pub privacy_file: Option<PathBuf>,
    /// Row selection applied to every table.
    pub sample_strategy: Option<SampleStrategy>,
    /// Refuse samples with values that do not parse as their column's inferred type
    /// (by default they are read as NULL and reported as a warning).
    pub strict: bool,
}

impl TrainInputs {
    /// Training on the sample files in `dir` under `schema`, with no configuration
    /// files, table list or sampling (set those fields to add them).
    pub fn samples(schema: &str, dir: impl Into<PathBuf>) -> TrainInputs {
        TrainInputs {
            source: SourceKind::Samples,
            schema: schema.to_string(),
            sample_dir: Some(dir.into()),
            tables: None,
            tables_file: None,
            relationships_file: None,
            privacy_file: None,
            sample_strategy: None,
            strict: false,
        }
    }
}

/// The configuration files, parsed.
#[derive(Debug, Default)]
pub(crate) struct Configs {
    pub tables: Option<Located<TablesConfig>>,
    pub relationships: Option<Located<RelationshipsConfig>>,
    pub privacy: Option<Located<PrivacyConfig>>,
}

/// Parses the configuration files `inputs` names.
fn load_configs(inputs: &TrainInputs) -> Result<Configs> {
    Ok(Configs {
        tables: inputs
            .tables_file
            .as_deref()
            .map(config::load)
            .transpose()?,
        relationships: inputs
            .relationships_file
            .as_deref()
            .map(config::load)
            .transpose()?,
        privacy: inputs
            .privacy_file
            .as_deref()
            .map(config::load)
            .transpose()?,
    })
}

/// Checks what `train` would be given, with the same errors, and writes nothing: the
/// configuration files alone, or — with a sample directory — everything training
/// checks (the whole training runs, in memory). The warnings training would give.
pub fn check(inputs: &TrainInputs) -> Result<Vec<String>> {
    if inputs.source == SourceKind::Samples && inputs.sample_dir.is_none() {
        load_configs(inputs)?;
        return Ok(Vec::new());
    }
    Ok(train(inputs)?.provenance.warnings)
}

/// Trains a model pack from an Oracle schema (`inputs.schema` is its owner): the
/// catalog gives the tables, columns, types and keys (relationships.yaml and
/// tables.yaml override them), the sample is drawn inside the database by
/// `inputs.sample_strategy`, and restricted columns are never read.
pub fn train_from_oracle(inputs: &TrainInputs, oracle: &mut OracleSource<'_>) -> Result<ModelPack> {
    let configs = load_configs(inputs)?;
    let catalog = catalog::Catalog::read(inputs, &configs, catalog::Origin::Oracle(oracle))?;
    learn(inputs, &configs, catalog, "oracle")
}

/// Trains a model pack from the tables of a Hive database, sampled by `hive`'s Spark
/// job as `inputs.sample_strategy` says (families kept whole through the foreign keys
/// of relationships.yaml; Hive declares none); restricted columns are never read.
pub fn train_from_hive(inputs: &TrainInputs, hive: &mut HiveSource<'_>) -> Result<ModelPack> {
    let configs = load_configs(inputs)?;
    let catalog = catalog::Catalog::read(inputs, &configs, catalog::Origin::Hive(hive))?;
    learn(inputs, &configs, catalog, "hive")
}

/// Trains one model pack from an Oracle schema and a Hive database: a table the
/// Oracle schema has is read there, every other from Hive. Oracle is sampled first; a
/// Hive table whose parent is an Oracle table keeps the children of the parent's
/// sampled rows. Relationships across the two come from relationships.yaml.
pub fn train_from_both(
    inputs: &TrainInputs,
    oracle: &mut OracleSource<'_>,
    hive: &mut HiveSource<'_>,
) -> Result<ModelPack> {
    let configs = load_configs(inputs)?;
    let catalog = catalog::Catalog::read(inputs, &configs, catalog::Origin::Both(oracle, hive))?;
    learn(inputs, &configs, catalog, "both")
}

/// Learns each table's column dependencies and rules (given its grouping parent's
/// sample rows) and the fan-out of each grouping relationship by parent category. A
/// rule id in `disabled_rules` that training would not learn is an error with a
/// did-you-mean, not a silent "switched off".
fn learn_dependencies(
    tables: &mut [crate::model::TableModel],
    catalog: &catalog::Catalog,
    configs: &Configs,
    relationships: &mut [crate::model::Relationship],
    warnings: &mut Vec<String>,
) -> Result<()> {
    for i in 0..tables.len() {
        let name = tables[i].name.clone();
        let disabled: Vec<String> = configs
            .tables
            .as_ref()
            .and_then(|c| c.value.table(&name))
            .map(|(_, t)| t.disabled_rules.clone())
            .unwrap_or_default();
        let grouping = relationships
            .iter_mut()
            .find(|r| r.child_table == name && r.role == crate::model::Role::Grouping);
        let parent = grouping.and_then(|g| {
            let j = tables.iter().position(|t| t.name == g.parent_table)?;
            let parent_rows = keys::row_keys(&catalog.tables[j], &g.parent_columns);
            let index: std::collections::HashMap<&String, usize> = parent_rows
                .iter()
                .enumerate()
                .filter_map(|(r, k)| Some((k.as_ref()?, r)))
                .collect();
            let row_of = keys::row_keys(&catalog.tables[i], &g.child_columns)
                .iter()
                .map(|k| k.as_ref().and_then(|k| index.get(k).copied()))
                .collect::<Vec<_>>();
            // Parents whose children `rows:N` sampling dropped are not childless.
            let dropped = catalog
                .truncated
                .get(&(name.clone(), g.child_columns.clone()));
            let complete: Vec<bool> = parent_rows
                .iter()
                .map(|k| {
                    k.as_ref()
                        .is_none_or(|k| dropped.is_none_or(|d| !d.contains(k)))
                })
                .collect();
            relationships::learn_fanout_by(
                g,
                &tables[j],
                &catalog.tables[j].sample,
                &row_of,
                &complete,
            );
            Some((tables[j].clone(), j, row_of))
        });
        let view = parent
            .as_ref()
            .map(|(model, j, row_of)| dependencies::ParentView {
                model,
                sample: &catalog.tables[*j].sample,
                row_of: row_of.clone(),
            });
        if !disabled.is_empty() {
            // The rules training finds with none switched off: the ids that can be.
            let mut all = tables[i].clone();
            dependencies::learn(&mut all, &catalog.tables[i].sample, view.as_ref(), &[]);
            let ids: Vec<String> = all.rules.iter().map(crate::model::Rule::id).collect();
            if let Some(unknown) = disabled
                .iter()
                .find(|d| !ids.iter().any(|id| id.eq_ignore_ascii_case(d)))
                && let Some(c) = &configs.tables
                && let Some((key, _)) = c.value.table(&name)
            {
                return Err(c.error_at(
                    &[key, "disabled_rules"],
                    format!(
                        "table {name} has no learned rule `{unknown}`{}; its rules are: {} (see `bank_synth info`)",
                        crate::error::hint(unknown, ids.iter().map(String::as_str)),
                        if ids.is_empty() { "none".to_string() } else { ids.join(", ") }
                    ),
                ));
            }
        }
        dependencies::learn(
            &mut tables[i],
            &catalog.tables[i].sample,
            view.as_ref(),
            &disabled,
        );
        for d in &disabled {
            warnings.push(format!(
                "{name}: rule `{d}` is switched off in tables.yaml (disabled_rules)"
            ));
        }
    }
    Ok(())
}

/// Trains a model pack. Warnings (orphan foreign keys in the samples, …) are recorded
/// in the pack's provenance.
pub fn train(inputs: &TrainInputs) -> Result<ModelPack> {
    let sample_dir = match inputs.source {
        SourceKind::Samples => inputs.sample_dir.clone().ok_or_else(|| {
            Error::Usage(crate::message![
                crate::error::Setting::Source,
                " samples needs ",
                crate::error::Setting::SampleDir,
                " DIR, the folder with one <table>.csv or <table>.parquet per table",
            ])
        })?,
        other => {
            let (name, call) = match other {
                SourceKind::Oracle => ("oracle", "train_from_oracle"),
                SourceKind::Hive => ("hive", "train_from_hive"),
                _ => ("both", "train_from_both"),
            };
            return Err(Error::Usage(crate::message![
                crate::error::Setting::Source,
                format!(
                    " {name} reads through a database session or a Spark job: call `{call}` with one"
                ),
            ]));
        }
    };
    let configs = load_configs(inputs)?;
    let catalog = catalog::Catalog::read(inputs, &configs, catalog::Origin::Files(&sample_dir))?;
    learn(inputs, &configs, catalog, "samples")
}

/// Learns the pack from the samples read.
fn learn(
    inputs: &TrainInputs,
    configs: &Configs,
    catalog: catalog::Catalog,
    source: &str,
) -> Result<ModelPack> {
    let mut warnings = catalog.warnings.clone();
    for t in catalog.tables.iter().filter(|t| t.sample.rows() == 0) {
        warnings.push(format!(
            "table {} has no sample rows ({}): it is kept as an empty table, with its DDL and no generated rows",
            t.sample.name,
            t.sample.path.display()
        ));
    }
    let policy = configs.privacy.as_ref().map(|p| &p.value);
    let personal = lookalikes::lookalikes(&catalog, policy);
    if !personal.is_empty() {
        warnings.push(format!(
            "{}, so these columns are public and keep their sample values in the pack, yet they look like personal data: {}. Mark them pii (or sensitive, restricted) in privacy.yaml and train again",
            if policy.is_some() {
                "privacy.yaml does not name them"
            } else {
                "no privacy policy was given"
            },
            personal.join(", ")
        ));
    }
    let primary_keys = keys::primary_keys(&catalog, configs)?;
    let mut relationships =
        relationships::resolve(&catalog, configs, &primary_keys, &mut warnings)?;
    crate::schema::generation_order(&catalog.table_names(), &relationships)?;
    paths::learn_paths(&mut relationships, &catalog);
    paths::learn_loops(&mut relationships, &catalog);
    let mut tables = catalog
        .tables
        .iter()
        .map(|t| columns::fit_table(t, &primary_keys[&t.sample.name], &relationships))
        .collect::<Result<Vec<_>>>()?;
    learn_dependencies(
        &mut tables,
        &catalog,
        configs,
        &mut relationships,
        &mut warnings,
    )?;
    copies::learn_copies(&mut tables, &catalog, &relationships);
    reference::keep_reference_tables(&mut tables, &catalog, &relationships, configs)?;

    let digest = |c: &str, text: &str| (c.to_string(), crate::digest::sha256_hex(text.as_bytes()));
    let config_digests: BTreeMap<String, String> = [
        configs.tables.as_ref().map(|c| digest("tables", &c.text)),
        configs
            .relationships
            .as_ref()
            .map(|c| digest("relationships", &c.text)),
        configs.privacy.as_ref().map(|c| digest("privacy", &c.text)),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(ModelPack {
        format_version: FORMAT_VERSION,
        schema: config::canonical(&inputs.schema),
        provenance: Provenance {
            tool_version: crate::TOOL_VERSION.to_string(),
            source: source.to_string(),
            sample_strategy: inputs.sample_strategy.map(|s| match s {
                SampleStrategy::Percent(p) => format!("percent:{p}"),
                SampleStrategy::Rows(r) => format!("rows:{r}"),
            }),
            config_digests,
            warnings,
        },
        tables,
        relationships,
    })
}
