//! Primary keys: from tables.yaml, else detected (a unique, non-null column, the first
//! column preferred, then `*_ID` columns). Configured keys must hold in the samples.

use super::Configs;
use super::catalog::{Catalog, CatalogTable};
use crate::error::{Error, Result};
use crate::model::canonical;
use crate::value::{Value, tuple_key};
use std::collections::{BTreeMap, HashMap};

/// The key tuples of `columns` in every row of `table` (`None` where any part is NULL).
pub(crate) fn row_keys(table: &CatalogTable, columns: &[String]) -> Vec<Option<String>> {
    let cols: Vec<&Vec<Value>> = columns
        .iter()
        .map(|c| &table.sample.column(c).expect("validated column").values)
        .collect();
    (0..table.sample.rows())
        .map(|r| tuple_key(cols.iter().map(|c| &c[r])))
        .collect()
}

/// The primary key of every table, by table name.
pub(crate) fn primary_keys(
    catalog: &Catalog,
    configs: &Configs,
) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for table in &catalog.tables {
        let name = &table.sample.name;
        let configured = configs
            .tables
            .as_ref()
            .and_then(|c| c.value.table(name))
            .map(|(_, t)| {
                t.primary_key
                    .iter()
                    .map(|c| canonical(c))
                    .collect::<Vec<_>>()
            })
            .filter(|pk| !pk.is_empty())
            .or_else(|| catalog.discovered.primary_keys.get(name).cloned());
        let pk = match configured {
            Some(pk) => {
                for col in &pk {
                    if table.restricted.contains(col) {
                        return Err(Error::Schema(format!(
                            "column {col} of table {name} is part of the primary key but the privacy policy marks it restricted; keys cannot be dropped — mark it sensitive instead"
                        ).into()));
                    }
                }
                check_unique(table, &pk)?;
                pk
            }
            None => detect(table),
        };
        out.insert(name.clone(), pk);
    }
    Ok(out)
}

fn check_unique(table: &CatalogTable, pk: &[String]) -> Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, key) in row_keys(table, pk).into_iter().enumerate() {
        let line = Some(table.sample.lines[row]);
        let Some(key) = key else {
            return Err(Error::Sample {
                path: table.sample.path.clone(),
                line,
                message: format!(
                    "primary key ({}) of table {} is NULL in this row; primary keys must be non-null",
                    pk.join(", "),
                    table.sample.name
                ).into(),
            });
        };
        if let Some(first) = seen.insert(key, row) {
            return Err(Error::Sample {
                path: table.sample.path.clone(),
                line,
                message: format!(
                    "duplicate primary key ({}) in table {}: this row repeats the key of line {}; fix the sample or the primary_key in tables.yaml",
                    pk.join(", "),
                    table.sample.name,
                    table.sample.lines[first]
                ).into(),
            });
        }
    }
    Ok(())
}

fn detect(table: &CatalogTable) -> Vec<String> {
    let unique = |col: &String| {
        let keys = row_keys(table, std::slice::from_ref(col));
        let mut seen = std::collections::HashSet::new();
        keys.into_iter().all(|k| k.is_some_and(|k| seen.insert(k)))
    };
    let names: Vec<String> = table
        .sample
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let first = names.first().filter(|c| unique(c));
    first
        .or_else(|| names.iter().find(|c| c.ends_with("_ID") && unique(c)))
        .map(|c| vec![c.clone()])
        .unwrap_or_default()
}
