//! The tables to train, read from their sample files and checked against every
//! configuration file; restricted columns are dropped here, before anything is learned.

use super::{Configs, TrainInputs};
use crate::config::RelationshipConfig;
use crate::config::{Located, canonical};
use crate::error::{Error, Result, hint};
use crate::faker::{self, Provider};
use crate::privacy::PrivacyLevel;
use crate::source::{self, SampleStrategy, SampleTable, oracle};
use crate::value::LogicalType;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What the configuration says about one column.
#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnSettings {
    pub privacy: PrivacyLevel,
    pub faker: Option<&'static Provider>,
    pub allowed_values: Option<Vec<String>>,
    pub declared: Option<LogicalType>,
}

/// A table's samples (restricted columns removed) and its column settings.
#[derive(Debug)]
pub(crate) struct CatalogTable {
    pub sample: SampleTable,
    /// Parallel to `sample.columns`.
    pub settings: Vec<ColumnSettings>,
    /// Columns dropped by policy.
    pub restricted: Vec<String>,
}

/// All tables to train.
#[derive(Debug)]
pub(crate) struct Catalog {
    pub tables: Vec<CatalogTable>,
    /// Tables that have sample files but are not being trained.
    pub excluded: Vec<String>,
    /// Parents whose children `rows:N` sampling dropped (not childless in truth).
    pub truncated: super::sampling::Truncated,
    /// Problems found while reading that did not stop training (counts, never values).
    pub warnings: Vec<String>,
    /// What the source declares about keys.
    pub discovered: Discovered,
}

/// Keys and links the source itself declares (an Oracle schema's constraints); sample
/// files declare none.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    /// Primary keys by table; tables.yaml's win.
    pub primary_keys: BTreeMap<String, Vec<String>>,
    /// Foreign keys; relationships.yaml's win on the same child columns.
    pub relationships: Vec<RelationshipConfig>,
}

/// Where the samples come from.
pub(crate) enum Origin<'a, 's, 'h> {
    /// A directory of sample files.
    Files(&'a Path),
    /// An Oracle schema.
    Oracle(&'a mut super::OracleSource<'s>),
    /// Hive tables, sampled by a Spark job.
    Hive(&'a mut super::HiveSource<'h>),
    /// An Oracle schema and Hive tables in one pack: a table Oracle has is Oracle's.
    Both(
        &'a mut super::OracleSource<'s>,
        &'a mut super::HiveSource<'h>,
    ),
}

/// An Oracle schema's catalog, read before its tables are sampled.
struct OracleSchema {
    database: String,
    owner: String,
    defs: Vec<oracle::TableDef>,
    /// The tables, by canonical name.
    known: Vec<String>,
}

impl OracleSchema {
    fn read(
        inputs: &TrainInputs,
        oracle: &mut super::OracleSource<'_>,
        warnings: &mut Vec<String>,
    ) -> Result<OracleSchema> {
        let owner = canonical(&inputs.schema);
        let database = oracle.database.clone();
        let (defs, catalog_warnings) = oracle::read_catalog(oracle.session, &database, &owner)?;
        warnings.extend(catalog_warnings);
        if defs.is_empty() {
            return Err(oracle::empty_schema(&database, &owner));
        }
        let known = defs.iter().map(|t| canonical(&t.name)).collect();
        Ok(OracleSchema {
            database,
            owner,
            defs,
            known,
        })
    }

    /// Why a table is not there.
    fn missing(&self) -> String {
        format!(
            "schema {} has no such table this user can see; its tables: {}",
            self.owner,
            self.known.join(", ")
        )
    }

    /// Samples `names` in the database, with the keys its constraints declare.
    fn sample(
        &self,
        inputs: &TrainInputs,
        configs: &Configs,
        yaml: &[RelationshipConfig],
        oracle: &mut super::OracleSource<'_>,
        names: &[String],
    ) -> Result<(Vec<SampleTable>, Discovered)> {
        let mut declared = BTreeMap::new();
        for name in names {
            declared.insert(name.clone(), declared_types(name, configs)?);
        }
        let discovered = Discovered {
            primary_keys: self
                .defs
                .iter()
                .filter(|t| !t.primary_key.is_empty())
                .map(|t| {
                    (
                        canonical(&t.name),
                        t.primary_key.iter().map(|c| canonical(c)).collect(),
                    )
                })
                .collect(),
            relationships: oracle::discovered_relationships(&self.defs, names),
        };
        let relationships = followed(yaml, &discovered.relationships);
        let samples = oracle::extract(
            oracle.session,
            &oracle::Request {
                database: &self.database,
                owner: &self.owner,
                catalog: &self.defs,
                tables: names,
                strategy: inputs.sample_strategy,
                relationships: &relationships,
                restricted: &restricted_columns(configs),
                declared: &declared,
            },
        )?;
        Ok((samples, discovered))
    }
}

/// The tables the `tables` setting names, else tables.yaml's list, if either does.
fn requested(inputs: &TrainInputs, configs: &Configs) -> Option<Vec<String>> {
    inputs
        .tables
        .clone()
        .or_else(|| {
            configs
                .tables
                .as_ref()
                .map(|c| c.value.tables.clone())
                .filter(|t| !t.is_empty())
        })
        .map(|t| {
            t.iter()
                .map(|t| canonical(t))
                .filter(|t| !t.is_empty())
                .collect()
        })
}

/// What the Spark job is asked of `database` for `tables` (every table when `None`).
fn hive_request(
    inputs: &TrainInputs,
    configs: &Configs,
    yaml: &[RelationshipConfig],
    database: &str,
    tables: Option<Vec<String>>,
) -> source::hive::HiveRequest {
    source::hive::HiveRequest {
        database: database.to_string(),
        tables,
        strategy: inputs.sample_strategy.map(Into::into),
        relationships: yaml.iter().map(Into::into).collect(),
        primary_keys: configs
            .tables
            .iter()
            .flat_map(|c| &c.value.table_config)
            .filter(|(_, t)| !t.primary_key.is_empty())
            .map(|(name, t)| {
                (
                    canonical(name),
                    t.primary_key.iter().map(|c| canonical(c)).collect(),
                )
            })
            .collect(),
        restricted: restricted_columns(configs)
            .into_iter()
            .map(|(t, c)| (t, c.into_iter().collect()))
            .collect(),
        ..Default::default()
    }
}

/// Runs the Spark job and reads what it staged.
fn stage_hive(
    hive: &mut super::HiveSource<'_>,
    request: &source::hive::HiveRequest,
) -> Result<(std::path::PathBuf, source::hive::Staged)> {
    let dir = hive.sampler.sample(request)?;
    let staged = source::hive::Staged::read(&dir, &source::hive::label(&hive.database))?;
    Ok((dir, staged))
}

fn hive_missing(staged: &source::hive::Staged) -> String {
    format!(
        "Hive database {} has no such table; its tables: {}",
        staged.database,
        staged.names().join(", ")
    )
}

/// The sample files of `names`, in order.
fn read_files(
    names: &[String],
    files: &BTreeMap<String, std::path::PathBuf>,
    dir: &Path,
    configs: &Configs,
) -> Result<Vec<SampleTable>> {
    names
        .iter()
        .map(|name| source::read_table(name, files, dir, &declared_types(name, configs)?))
        .collect()
}

impl Catalog {
    pub fn table_names(&self) -> Vec<String> {
        self.tables.iter().map(|t| t.sample.name.clone()).collect()
    }

    pub fn table(&self, name: &str) -> Option<&CatalogTable> {
        self.tables.iter().find(|t| t.sample.name == name)
    }

    pub fn read(
        inputs: &TrainInputs,
        configs: &Configs,
        origin: Origin<'_, '_, '_>,
    ) -> Result<Catalog> {
        let yaml: &[RelationshipConfig] = configs
            .relationships
            .as_ref()
            .map(|c| c.value.relationships.as_slice())
            .unwrap_or_default();
        let mut warnings = Vec::new();
        let in_database = !matches!(origin, Origin::Files(_));
        let (names, excluded, samples, discovered) = match origin {
            Origin::Files(dir) => {
                let files = source::sample_files(dir)?;
                let known: Vec<String> = files.keys().cloned().collect();
                let names = table_list(inputs, configs, &known, &|t| {
                    format!(
                        "{} has no {}.csv or {}.parquet; sample files found: {}",
                        dir.display(),
                        t.to_ascii_lowercase(),
                        t.to_ascii_lowercase(),
                        known.join(", ")
                    )
                })?;
                if names.is_empty() {
                    return Err(Error::Sample {
                        path: dir.to_path_buf(),
                        line: None,
                        message: crate::message![
                            "no sample files (<table>.csv or <table>.parquet) in the sample directory; point ",
                            crate::error::Setting::SampleDir,
                            " at them",
                        ],
                    });
                }
                let excluded = not_in(&known, &names);
                check_config_tables(configs, &names, &excluded)?;
                let samples = read_files(&names, &files, dir, configs)?;
                (names, excluded, samples, Discovered::default())
            }
            Origin::Oracle(oracle) => {
                let schema = OracleSchema::read(inputs, oracle, &mut warnings)?;
                let names = table_list(inputs, configs, &schema.known, &|_| schema.missing())?;
                let excluded = not_in(&schema.known, &names);
                check_config_tables(configs, &names, &excluded)?;
                let (samples, discovered) = schema.sample(inputs, configs, yaml, oracle, &names)?;
                (names, excluded, samples, discovered)
            }
            Origin::Hive(hive) => {
                let request = hive_request(
                    inputs,
                    configs,
                    yaml,
                    &hive.database,
                    requested(inputs, configs),
                );
                let (dir, staged) = stage_hive(hive, &request)?;
                let known = staged.names();
                let names = table_list(inputs, configs, &known, &|_| hive_missing(&staged))?;
                let excluded = not_in(&known, &names);
                check_config_tables(configs, &names, &excluded)?;
                warnings.extend(staged.skipped(&names));
                let samples = read_files(&names, &source::sample_files(&dir)?, &dir, configs)?;
                (names, excluded, samples, Discovered::default())
            }
            Origin::Both(oracle, hive) => {
                let schema = OracleSchema::read(inputs, oracle, &mut warnings)?;
                // Oracle's tables first; Hive holds the rest.
                let wanted = requested(inputs, configs);
                let in_oracle: Vec<String> = match &wanted {
                    Some(w) => w
                        .iter()
                        .filter(|t| schema.known.contains(t))
                        .cloned()
                        .collect(),
                    None => schema.known.clone(),
                };
                let (oracle_samples, discovered) =
                    schema.sample(inputs, configs, yaml, oracle, &in_oracle)?;
                let mut request = hive_request(
                    inputs,
                    configs,
                    yaml,
                    &hive.database,
                    wanted.map(|w| not_in(&w, &in_oracle)),
                );
                request.exclude = schema.known.clone();
                for r in followed(yaml, &discovered.relationships) {
                    let parent = canonical(&r.parent_table);
                    if let Some(i) = in_oracle.iter().position(|t| *t == parent)
                        && !in_oracle.contains(&canonical(&r.child_table))
                    {
                        let columns: Vec<String> =
                            r.parent_columns.iter().map(|c| canonical(c)).collect();
                        let known = request
                            .outside_parents
                            .iter()
                            .any(|k| k.parent == parent && k.columns == columns);
                        let keys = (!known)
                            .then(|| source::hive::OutsideKeys::of(&oracle_samples[i], &columns));
                        // No keys (a restricted key column): the children are sampled alone.
                        if let Some(keys) = keys.filter(|k| !k.rows.is_empty()) {
                            request.outside_parents.push(keys);
                        }
                    }
                }
                let (dir, staged) = stage_hive(hive, &request)?;
                let in_hive: Vec<String> = not_in(&staged.names(), &schema.known);
                let known: Vec<String> = schema.known.iter().chain(&in_hive).cloned().collect();
                let names = table_list(inputs, configs, &known, &|_| {
                    format!("{}, and {}", schema.missing(), hive_missing(&staged))
                })?;
                let excluded = not_in(&known, &names);
                check_config_tables(configs, &names, &excluded)?;
                let hive_names: Vec<String> = names
                    .iter()
                    .filter(|t| in_hive.contains(t))
                    .cloned()
                    .collect();
                warnings.extend(staged.skipped(&hive_names));
                let files = source::sample_files(&dir)?;
                let from_hive = read_files(&hive_names, &files, &dir, configs)?;
                let mut by_name: BTreeMap<String, SampleTable> = in_oracle
                    .iter()
                    .cloned()
                    .zip(oracle_samples)
                    .chain(hive_names.iter().cloned().zip(from_hive))
                    .collect();
                let samples = names
                    .iter()
                    .map(|n| by_name.remove(n).expect("every table sampled once"))
                    .collect();
                (names, excluded, samples, discovered)
            }
        };
        let mut tables = names
            .iter()
            .zip(samples)
            .map(|(name, sample)| settle(name, configs, sample))
            .collect::<Result<Vec<_>>>()?;
        warnings.extend(outlier_warnings(&tables, inputs.strict)?);
        let relationships = followed(yaml, &discovered.relationships);
        type_empty_foreign_keys(&mut tables, &relationships);
        // An Oracle source sampled `percent:N` in the database; `rows:N` fetched the
        // first N families there and is cut to whole families here.
        let truncated = match inputs.sample_strategy {
            Some(SampleStrategy::Percent(_)) if in_database => Default::default(),
            Some(strategy) => super::sampling::apply(&mut tables, strategy, &relationships)?,
            None => Default::default(),
        };
        Ok(Catalog {
            tables,
            excluded,
            truncated,
            warnings,
            discovered,
        })
    }
}

/// The foreign keys samples follow and training declares: relationships.yaml's, then
/// the discovered ones it does not override (same child table and columns).
pub(crate) fn followed(
    yaml: &[RelationshipConfig],
    discovered: &[RelationshipConfig],
) -> Vec<RelationshipConfig> {
    let key = |r: &RelationshipConfig| {
        (
            canonical(&r.child_table),
            r.child_columns
                .iter()
                .map(|c| canonical(c))
                .collect::<Vec<_>>(),
        )
    };
    let overridden: Vec<_> = yaml.iter().map(key).collect();
    yaml.iter()
        .chain(discovered.iter().filter(|d| !overridden.contains(&key(d))))
        .cloned()
        .collect()
}

fn not_in(known: &[String], names: &[String]) -> Vec<String> {
    known
        .iter()
        .filter(|k| !names.contains(k))
        .cloned()
        .collect()
}

/// The columns the privacy policy restricts, by table: an Oracle source never reads them.
fn restricted_columns(configs: &Configs) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if let Some(c) = &configs.privacy {
        for (table, columns) in &c.value.tables {
            for (column, policy) in columns {
                if policy.level == PrivacyLevel::Restricted {
                    out.entry(canonical(table))
                        .or_default()
                        .insert(canonical(column));
                }
            }
        }
    }
    out
}

/// The tables to train: `--tables`, else tables.yaml's list, else every `known` one;
/// `missing(t)` says why a named table is not there.
fn table_list(
    inputs: &TrainInputs,
    configs: &Configs,
    known: &[String],
    missing: &dyn Fn(&str) -> String,
) -> Result<Vec<String>> {
    let names = requested(inputs, configs).unwrap_or_else(|| known.to_vec());
    if let Some(t) = names.iter().find(|t| !known.contains(t)) {
        let hinted = format!("{t}{}", hint(t, known.iter().map(String::as_str)));
        return Err(match configs.tables.as_ref().filter(|_| inputs.tables.is_none()) {
            Some(cfg) => cfg.error_at(
                &["tables", t],
                format!(
                    "table {hinted} cannot be trained: {}; remove it from the list or provide it",
                    missing(t)
                ),
            ),
            None => Error::Usage(crate::message![
                crate::error::Setting::Tables,
                format!(" names {hinted} but {}", missing(t)),
            ]),
        });
    }
    let mut seen = Vec::new();
    for n in &names {
        if seen.contains(n) {
            return Err(Error::Usage(
                format!("table {n} is listed twice; list each table once").into(),
            ));
        }
        seen.push(n.clone());
    }
    Ok(names)
}

/// Every table a configuration file mentions must be one being trained, or one left
/// out on purpose (it has a sample file but is not in the list).
fn check_config_tables(configs: &Configs, names: &[String], excluded: &[String]) -> Result<()> {
    let check = |located_keys: Vec<&String>, err: &dyn Fn(&str, String) -> Error, what: &str| {
        for key in located_keys {
            let t = canonical(key);
            if !names.contains(&t) && !excluded.contains(&t) {
                return Err(err(
                    key,
                    format!(
                        "{what} names table {t}{} which is not being trained; the tables are: {}",
                        hint(&t, names.iter().map(String::as_str)),
                        names.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    };
    if let Some(c) = &configs.tables {
        check(
            c.value.table_config.keys().collect(),
            &|k, m| c.error_at(&["table_config", k], m),
            "table_config",
        )?;
    }
    if let Some(c) = &configs.privacy {
        check(
            c.value.tables.keys().collect(),
            &|k, m| c.error_at(&["tables", k], m),
            "the privacy policy",
        )?;
    }
    Ok(())
}

/// One warning per column whose inferred type some values did not parse as (or, when
/// `strict`, an error for the first). Neither names a value: it may be private.
fn outlier_warnings(tables: &[CatalogTable], strict: bool) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    for t in tables {
        for col in &t.sample.columns {
            let Some(o) = col.outliers else { continue };
            let non_null = col.values.iter().filter(|v| !v.is_null()).count() + o.count;
            let what = format!(
                "column {} of table {}: {} of {} values do not parse as {}, the type of the others (first at {}:{})",
                col.name,
                t.sample.name,
                o.count,
                non_null,
                col.logical_type,
                t.sample.path.display(),
                o.first_line
            );
            if strict {
                return Err(Error::Sample {
                    path: t.sample.path.clone(),
                    line: Some(o.first_line),
                    message: crate::message![
                        format!(
                            "{what}; fix those values, or declare the column's `type` in tables.yaml (text keeps every value), or train without "
                        ),
                        crate::error::Setting::Strict,
                        " to read them as NULL",
                    ],
                });
            }
            warnings.push(format!(
                "{what}; they are read as NULL (fix them, or declare the column's `type` in tables.yaml; strict reading, the `strict` setting, makes this an error)"
            ));
        }
    }
    Ok(warnings)
}

/// A foreign-key column that is NULL on every sample row has no values to type it by:
/// it takes the type of the key it references, so the relationship can be checked.
fn type_empty_foreign_keys(
    tables: &mut [CatalogTable],
    declared: &[crate::config::RelationshipConfig],
) {
    for r in declared {
        let (parent, child) = (canonical(&r.parent_table), canonical(&r.child_table));
        for (pc, cc) in r.parent_columns.iter().zip(&r.child_columns) {
            let parent_type = tables
                .iter()
                .find(|t| t.sample.name == parent)
                .and_then(|t| t.sample.column(&canonical(pc)))
                .map(|c| c.logical_type);
            let Some(ty) = parent_type else { continue };
            let Some(t) = tables.iter_mut().find(|t| t.sample.name == child) else {
                continue;
            };
            let i = t
                .sample
                .columns
                .iter()
                .position(|c| c.name == canonical(cc));
            if let Some(i) = i
                && t.settings[i].declared.is_none()
                && t.sample.columns[i]
                    .values
                    .iter()
                    .all(crate::value::Value::is_null)
            {
                t.sample.columns[i].logical_type = ty;
            }
        }
    }
}

/// The column types tables.yaml declares for `name`.
fn declared_types(name: &str, configs: &Configs) -> Result<BTreeMap<String, LogicalType>> {
    let mut declared = BTreeMap::new();
    let Some((c, key, t)) = configs
        .tables
        .as_ref()
        .and_then(|c| c.value.table(name).map(|(k, t)| (c, k, t)))
    else {
        return Ok(declared);
    };
    for (col, cc) in &t.columns {
        if let Some(ty) = &cc.logical_type {
            let parsed = LogicalType::parse(ty).ok_or_else(|| {
                c.error_at(
                    &[key, col, "type"],
                    format!("`{ty}` is not a type; use integer, decimal(p,s), float, boolean, date, timestamp, categorical or text"),
                )
            })?;
            declared.insert(canonical(col), parsed);
        }
    }
    Ok(declared)
}

/// A table's sample with the configuration's settings applied: every column a file
/// names checked, restricted columns dropped.
fn settle(name: &str, configs: &Configs, mut sample: SampleTable) -> Result<CatalogTable> {
    let table_cfg = configs
        .tables
        .as_ref()
        .and_then(|c| c.value.table(name).map(|(k, t)| (c, k, t)));
    let declared = declared_types(name, configs)?;
    let column_names: Vec<String> = sample.columns.iter().map(|c| c.name.clone()).collect();
    // A column a configuration file names that the sample does not have.
    fn unknown_column<T>(
        config: &Located<T>,
        keys: &[&str],
        col: &str,
        file_what: &str,
        table: &str,
        columns: &[String],
    ) -> Error {
        let col = canonical(col);
        config.error_at(
            keys,
            format!(
                "{file_what} names column {col} of table {table}{} but the sample has no such column; its columns are: {}",
                hint(&col, columns.iter().map(String::as_str)),
                columns.join(", ")
            ),
        )
    }

    let mut settings: Vec<ColumnSettings> = vec![ColumnSettings::default(); sample.columns.len()];
    let position = |col: &str| column_names.iter().position(|c| *c == canonical(col));
    if let Some((c, key, t)) = table_cfg {
        for col in &t.primary_key {
            if position(col).is_none() {
                return Err(unknown_column(
                    c,
                    &[key, "primary_key", col],
                    col,
                    "primary_key",
                    name,
                    &column_names,
                ));
            }
        }
        for (col, cc) in &t.columns {
            let i = position(col).ok_or_else(|| {
                unknown_column(c, &[key, col], col, "tables.yaml", name, &column_names)
            })?;
            if let Some(p) = &cc.faker_provider {
                settings[i].faker = Some(provider(c, &[key, col, "faker_provider"], p)?);
            }
            settings[i].allowed_values = cc.allowed_values.clone();
            settings[i].declared = declared.get(&canonical(col)).copied();
        }
    }
    if let Some(c) = &configs.privacy
        && let Some((tkey, cols)) = c.value.tables.iter().find(|(t, _)| canonical(t) == name)
    {
        for (col, policy) in cols {
            let i = position(col).ok_or_else(|| {
                unknown_column(
                    c,
                    &["tables", tkey, col],
                    col,
                    "the privacy policy",
                    name,
                    &column_names,
                )
            })?;
            settings[i].privacy = policy.level;
            if let Some(p) = &policy.faker_provider {
                settings[i].faker = Some(provider(c, &["tables", tkey, col, "faker_provider"], p)?);
            }
        }
    }

    // Drop restricted columns now: nothing later can see them.
    let mut restricted = Vec::new();
    let mut kept_settings = Vec::new();
    let mut kept_columns = Vec::new();
    for (col, s) in sample.columns.drain(..).zip(settings) {
        if s.privacy == PrivacyLevel::Restricted {
            restricted.push(col.name);
        } else {
            kept_columns.push(col);
            kept_settings.push(s);
        }
    }
    sample.columns = kept_columns;
    Ok(CatalogTable {
        sample,
        settings: kept_settings,
        restricted,
    })
}

fn provider<T>(c: &Located<T>, keys: &[&str], name: &str) -> Result<&'static Provider> {
    faker::provider(name).ok_or_else(|| {
        let names = faker::provider_names();
        c.error_at(
            keys,
            format!(
                "unknown faker_provider `{name}`{}; the known providers are: {}",
                hint(name, names.iter().copied()),
                names.join(", ")
            ),
        )
    })
}
