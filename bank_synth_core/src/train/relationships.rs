//! Foreign keys: from relationships.yaml (validated against the samples), else
//! discovered by name (a column named like another table's single-column key). For
//! each one the fan-out — children per parent, zero included — and the NULL rate are
//! learned, and a role is chosen: the first NOT NULL foreign key of a table groups its
//! rows under their parents, the others pick parents by learned popularity. In a cycle
//! of NOT NULL keys (a store's manager is one of its staff; the staff belong to a
//! store), the foreign key with the fewest children per parent picks instead of
//! grouping, so the cycle is generated one side first.

use super::Configs;
use super::catalog::Catalog;
use super::keys::row_keys;
use crate::config::{Cardinality, RelationshipConfig, canonical};
use crate::error::{Message, Result, hint};
use crate::model::{Relationship, Role};
use crate::stats::Frequencies;
use crate::value::LogicalType;
use std::collections::{BTreeMap, HashMap, HashSet};

pub(crate) fn resolve(
    catalog: &Catalog,
    configs: &Configs,
    primary_keys: &BTreeMap<String, Vec<String>>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Relationship>> {
    let declared = match &configs.relationships {
        Some(c) => {
            let mut declared = Vec::new();
            for r in &c.value.relationships {
                let (parent, child) = (canonical(&r.parent_table), canonical(&r.child_table));
                if let Some(left_out) = [&parent, &child]
                    .into_iter()
                    .find(|t| catalog.excluded.contains(t))
                {
                    warnings.push(format!(
                        "relationship {} skipped: table {left_out} is not being trained (add it to the tables to train, in tables.yaml or the table list, or remove this relationship)",
                        r.name.clone().unwrap_or_else(|| format!("{child} → {parent}"))
                    ));
                    continue;
                }
                declared.push(validate(r, catalog, primary_keys, c)?);
            }
            declared
        }
        None if catalog.discovered.relationships.is_empty() => discover(catalog, primary_keys),
        None => Vec::new(),
    };
    // The source's own foreign keys (an Oracle schema's), but those relationships.yaml
    // declares again on the same child columns.
    let mut declared = declared;
    for r in &catalog.discovered.relationships {
        let (child, columns) = (canonical(&r.child_table), canonical_all(&r.child_columns));
        if declared
            .iter()
            .any(|d| d.child_table == child && d.child_columns == columns)
        {
            continue;
        }
        match usable(r, catalog, primary_keys) {
            Some(d) => declared.push(d),
            None => warnings.push(format!(
                "foreign key {} of table {child} is not learned: some of its columns are left out of the sample (restricted, or of a type bank_synth does not model), it references columns other than {}'s primary key, or its columns' types differ from the key's; declare the link in relationships.yaml to have it checked",
                r.name.as_deref().unwrap_or_default(),
                canonical(&r.parent_table)
            )),
        }
    }
    let mut relationships: Vec<Relationship> = declared
        .into_iter()
        .map(|d| learn(d, catalog, warnings))
        .collect();
    let mut grouped = HashSet::new();
    for r in &mut relationships {
        r.role = if r.parent_table == r.child_table {
            Role::SelfReference
        } else if !r.nullable && grouped.insert(r.child_table.clone()) {
            Role::Grouping
        } else {
            Role::Reference
        };
    }
    crate::schema::break_grouping_cycles(&mut relationships);
    Ok(relationships)
}

/// A relationship whose tables and columns exist, in parent-key order.
struct Declared {
    name: String,
    parent_table: String,
    parent_columns: Vec<String>,
    child_table: String,
    child_columns: Vec<String>,
    cardinality: Cardinality,
}

fn validate(
    r: &RelationshipConfig,
    catalog: &Catalog,
    primary_keys: &BTreeMap<String, Vec<String>>,
    c: &crate::config::Located<crate::config::RelationshipsConfig>,
) -> Result<Declared> {
    let parent = canonical(&r.parent_table);
    let child = canonical(&r.child_table);
    let name = r.name.clone().unwrap_or_else(|| {
        format!(
            "fk_{}_{}",
            child.to_ascii_lowercase(),
            parent.to_ascii_lowercase()
        )
    });
    let anchor = r.name.clone().unwrap_or_else(|| r.child_table.clone());
    let err = |key: &str, message: Message| {
        c.error_at(
            &[&anchor, key],
            message.prepend(format!("relationship {name}: ")),
        )
    };
    let names = catalog.table_names();
    for (key, table) in [("parent_table", &parent), ("child_table", &child)] {
        if catalog.table(table).is_none() {
            return Err(err(
                key,
                crate::message![
                    format!(
                        "{key} {table} is not a trained table{}; the tables are: {} (add it to tables.yaml or ",
                        hint(table, names.iter().map(String::as_str)),
                        names.join(", ")
                    ),
                    crate::error::Setting::Tables,
                    ", or remove this relationship)",
                ],
            ));
        }
    }
    let parent_columns: Vec<String> = r.parent_columns.iter().map(|s| canonical(s)).collect();
    let child_columns: Vec<String> = r.child_columns.iter().map(|s| canonical(s)).collect();
    if parent_columns.is_empty() || parent_columns.len() != child_columns.len() {
        return Err(err(
            "child_columns",
            format!(
                "{} parent column(s) but {} child column(s); a foreign key pairs each child column with one parent column",
                parent_columns.len(),
                child_columns.len()
            ).into(),
        ));
    }
    for (key, table, cols) in [
        ("parent_columns", &parent, &parent_columns),
        ("child_columns", &child, &child_columns),
    ] {
        let t = catalog.table(table).expect("checked above");
        for col in cols {
            if t.restricted.contains(col) {
                return Err(err(
                    key,
                    format!(
                        "column {col} of {table} is restricted by the privacy policy, so it cannot be part of a foreign key; mark it sensitive instead"
                    ).into(),
                ));
            }
            if t.sample.column(col).is_none() {
                let known: Vec<&str> = t.sample.columns.iter().map(|c| c.name.as_str()).collect();
                return Err(err(
                    key,
                    format!(
                        "table {table} has no column {col}{}; its columns are: {}",
                        hint(col, known.iter().copied()),
                        known.join(", ")
                    )
                    .into(),
                ));
            }
        }
    }
    let pk = &primary_keys[&parent];
    let mut sorted_parent = parent_columns.clone();
    sorted_parent.sort();
    let mut sorted_pk = pk.clone();
    sorted_pk.sort();
    if sorted_parent != sorted_pk {
        return Err(err(
            "parent_columns",
            format!(
                "the parent columns ({}) are not the primary key of {parent} ({}); reference the whole primary key, or set primary_key for {parent} in tables.yaml",
                parent_columns.join(", "),
                if pk.is_empty() {
                    "none found".to_string()
                } else {
                    pk.join(", ")
                }
            ).into(),
        ));
    }
    // Put the pairs in primary-key order.
    let child_columns: Vec<String> = pk
        .iter()
        .map(|p| {
            child_columns[parent_columns
                .iter()
                .position(|c| c == p)
                .expect("same set")]
            .clone()
        })
        .collect();
    let parent_table = catalog.table(&parent).expect("checked");
    let child_table = catalog.table(&child).expect("checked");
    for (p, ch) in pk.iter().zip(&child_columns) {
        let pt = parent_table.sample.column(p).expect("checked").logical_type;
        let ct = child_table.sample.column(ch).expect("checked").logical_type;
        if !compatible(pt, ct) {
            return Err(err(
                "child_columns",
                format!(
                    "{child}.{ch} is {ct} but the key it references, {parent}.{p}, is {pt}; a foreign key must have its parent key's type (declare the same `type` for both in tables.yaml)"
                ).into(),
            ));
        }
    }
    Ok(Declared {
        name,
        parent_table: parent,
        parent_columns: pk.clone(),
        child_table: child,
        child_columns,
        cardinality: r.cardinality,
    })
}

fn canonical_all(columns: &[String]) -> Vec<String> {
    columns.iter().map(|c| canonical(c)).collect()
}

/// A source-declared foreign key as training can learn it, in primary-key order; `None`
/// when a column is not in the sample, the parent columns are not its primary key, or
/// the types differ.
fn usable(
    r: &RelationshipConfig,
    catalog: &Catalog,
    primary_keys: &BTreeMap<String, Vec<String>>,
) -> Option<Declared> {
    let (parent, child) = (canonical(&r.parent_table), canonical(&r.child_table));
    let (pt, ct) = (catalog.table(&parent)?, catalog.table(&child)?);
    let (parent_columns, child_columns) = (
        canonical_all(&r.parent_columns),
        canonical_all(&r.child_columns),
    );
    let pk = primary_keys.get(&parent)?;
    let mut ordered = Vec::with_capacity(pk.len());
    for p in pk {
        let i = parent_columns.iter().position(|c| c == p)?;
        let (pc, cc) = (pt.sample.column(p)?, ct.sample.column(&child_columns[i])?);
        if !compatible(pc.logical_type, cc.logical_type) {
            return None;
        }
        ordered.push(child_columns[i].clone());
    }
    (parent_columns.len() == pk.len()).then(|| Declared {
        name: r
            .name
            .clone()
            .unwrap_or_else(|| format!("fk_{child}_{parent}").to_ascii_lowercase()),
        parent_table: parent,
        parent_columns: pk.clone(),
        child_table: child,
        child_columns: ordered,
        cardinality: r.cardinality,
    })
}

fn compatible(a: LogicalType, b: LogicalType) -> bool {
    let integral = |t| {
        matches!(
            t,
            LogicalType::Integer | LogicalType::Decimal { scale: 0, .. }
        )
    };
    a == b || (a.is_string() && b.is_string()) || (integral(a) && integral(b))
}

fn discover(catalog: &Catalog, primary_keys: &BTreeMap<String, Vec<String>>) -> Vec<Declared> {
    let mut out = Vec::new();
    for child in &catalog.tables {
        for parent in &catalog.tables {
            let pk = &primary_keys[&parent.sample.name];
            if parent.sample.name == child.sample.name || pk.len() != 1 {
                continue;
            }
            let (Some(pc), Some(cc)) = (parent.sample.column(&pk[0]), child.sample.column(&pk[0]))
            else {
                continue;
            };
            if compatible(pc.logical_type, cc.logical_type)
                && primary_keys[&child.sample.name] != *pk
            {
                out.push(Declared {
                    name: format!(
                        "fk_{}_{}",
                        child.sample.name.to_ascii_lowercase(),
                        parent.sample.name.to_ascii_lowercase()
                    ),
                    parent_table: parent.sample.name.clone(),
                    parent_columns: pk.clone(),
                    child_table: child.sample.name.clone(),
                    child_columns: pk.clone(),
                    cardinality: Cardinality::OneToMany,
                });
            }
        }
    }
    out
}

fn learn(d: Declared, catalog: &Catalog, warnings: &mut Vec<String>) -> Relationship {
    let parent = catalog.table(&d.parent_table).expect("validated");
    let child = catalog.table(&d.child_table).expect("validated");
    let parent_keys = row_keys(parent, &d.parent_columns);
    let child_keys = row_keys(child, &d.child_columns);
    let mut children: HashMap<&str, u32> = parent_keys
        .iter()
        .flatten()
        .map(|k| (k.as_str(), 0))
        .collect();
    let (mut nulls, mut orphans) = (0u64, 0u64);
    for key in &child_keys {
        match key {
            None => nulls += 1,
            Some(k) => match children.get_mut(k.as_str()) {
                Some(n) => *n += 1,
                None => orphans += 1,
            },
        }
    }
    if orphans > 0 {
        warnings.push(format!(
            "{}: {orphans} of {} {} rows reference a {} row that is not in the sample; trained anyway (generated data has no orphans)",
            d.name,
            child_keys.len(),
            d.child_table,
            d.parent_table
        ));
    }
    if let Some(dropped) = catalog
        .truncated
        .get(&(d.child_table.clone(), d.child_columns.clone()))
    {
        children.retain(|k, _| !dropped.contains(*k));
    }
    let mut counts: BTreeMap<u32, u64> = BTreeMap::new();
    for n in children.values() {
        *counts.entry(*n).or_default() += 1;
    }
    if d.cardinality == Cardinality::OneToOne && counts.keys().any(|&n| n > 1) {
        warnings.push(format!(
            "{}: declared 1:1 but some {} rows have several {} rows in the sample; generating at most one each",
            d.name, d.parent_table, d.child_table
        ));
        let many: u64 = counts.iter().filter(|(n, _)| **n > 1).map(|(_, c)| c).sum();
        counts.retain(|n, _| *n <= 1);
        *counts.entry(1).or_default() += many;
    }
    let fanout = Frequencies::from_counts(counts).unwrap_or(Frequencies {
        items: vec![(0, 1.0)],
    });
    let rows = child_keys.len().max(1) as f64;
    Relationship {
        name: d.name,
        parent_table: d.parent_table,
        parent_columns: d.parent_columns,
        child_table: d.child_table,
        child_columns: d.child_columns,
        cardinality: d.cardinality,
        role: Role::Reference,
        nullable: nulls > 0,
        null_rate: nulls as f64 / rows,
        fanout,
        sample_orphans: orphans,
        fanout_by: None,
        through: None,
        among_children: None,
    }
}

/// Learns whether the fan-out of grouping relationship `rel` depends on a categorical
/// column of the parent (counting only parents whose children are all in the sample,
/// `complete`): the column whose categories explain most of the variance of
/// the children counts (η² ≥ 0.05), with a fan-out per category seen on enough parents.
pub(crate) fn learn_fanout_by(
    rel: &mut Relationship,
    parent: &crate::model::TableModel,
    parent_sample: &crate::source::SampleTable,
    row_of: &[Option<usize>],
    complete: &[bool],
) {
    let mut children = vec![0u32; parent_sample.rows()];
    for p in row_of.iter().flatten() {
        children[*p] += 1;
    }
    let mut best: Option<(f64, crate::model::FanoutBy)> = None;
    for column in &parent.columns {
        let crate::model::Generator::Categorical { .. } = column.generator else {
            continue;
        };
        if !column.privacy.keeps_values() {
            continue;
        }
        let values = &parent_sample
            .column(&column.name)
            .expect("model columns are sampled")
            .values;
        let mut groups: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (p, v) in values.iter().enumerate() {
            if !v.is_null() && complete[p] {
                groups
                    .entry(v.render(column.logical_type))
                    .or_default()
                    .push(children[p]);
            }
        }
        if groups.len() < 2 {
            continue;
        }
        let all: Vec<f64> = groups.values().flatten().map(|&c| f64::from(c)).collect();
        let mean = all.iter().sum::<f64>() / all.len() as f64;
        let total: f64 = all.iter().map(|x| (x - mean).powi(2)).sum();
        let within: f64 = groups
            .values()
            .map(|g| {
                let m = g.iter().map(|&c| f64::from(c)).sum::<f64>() / g.len() as f64;
                g.iter().map(|&c| (f64::from(c) - m).powi(2)).sum::<f64>()
            })
            .sum();
        let eta = if total > 0.0 {
            1.0 - within / total
        } else {
            0.0
        };
        if eta >= 0.05 && best.as_ref().is_none_or(|(b, _)| eta > *b) {
            let cases: Vec<(String, Frequencies<u32>)> = groups
                .into_iter()
                .filter(|(_, counts)| counts.len() >= 5)
                .filter_map(|(value, counts)| {
                    let mut tally: BTreeMap<u32, u64> = BTreeMap::new();
                    for c in counts {
                        *tally.entry(c).or_default() += 1;
                    }
                    Some((value, Frequencies::from_counts(tally)?))
                })
                .collect();
            if cases.len() >= 2 {
                best = Some((
                    eta,
                    crate::model::FanoutBy {
                        column: column.name.clone(),
                        cases,
                    },
                ));
            }
        }
    }
    rel.fanout_by = best.map(|(_, f)| f);
}
