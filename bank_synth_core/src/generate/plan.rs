//! Planning a run: the target table, every ancestor it needs (and, when asked, its
//! descendants), with row counts that follow the learned fan-out.

use crate::error::{Error, Result};
use crate::model::{ModelPack, Role};
use crate::schema::generation_order;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct PlanRequest {
    /// The table to generate.
    pub target_table: String,
    /// Exactly this many rows of it.
    pub target_rows: u64,
    /// Also generate the target's descendants.
    pub include_children: bool,
    /// Row counts that override the fan-out, by table.
    pub table_rows: BTreeMap<String, u64>,
    /// Multiplies the row counts of parent tables.
    pub parent_scale: f64,
    /// The seed of every random stream.
    pub seed: u64,
}

/// One table of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedTable {
    /// Upper-case name.
    pub name: String,
    /// Rows to generate.
    pub rows: u64,
}

/// The tables of a run, parents first, with their row counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The seed.
    pub seed: u64,
    /// The target table.
    pub target: String,
    /// Whether the target's descendants are generated too.
    pub include_children: bool,
    /// The factor applied to parent row counts.
    pub parent_scale: f64,
    /// Tables in generation order.
    pub tables: Vec<PlannedTable>,
}

impl Plan {
    /// Plans `request` against `pack`.
    pub fn new(pack: &ModelPack, request: &PlanRequest) -> Result<Plan> {
        let target = pack.table(&request.target_table)?.name.clone();
        if !(request.parent_scale.is_finite() && request.parent_scale > 0.0) {
            return Err(Error::Usage(crate::message![
                crate::error::Setting::ParentScale,
                format!(" {} must be a positive number", request.parent_scale),
            ]));
        }
        let edges: Vec<_> = pack
            .relationships
            .iter()
            .filter(|r| r.parent_table != r.child_table)
            .collect();
        let mut closure = BTreeSet::from([target.clone()]);
        let mut descendants = BTreeSet::new();
        if request.include_children {
            let mut frontier = vec![target.clone()];
            while let Some(t) = frontier.pop() {
                for r in edges.iter().filter(|r| r.parent_table == t) {
                    if r.child_table != target && descendants.insert(r.child_table.clone()) {
                        closure.insert(r.child_table.clone());
                        frontier.push(r.child_table.clone());
                    }
                }
            }
        }
        let mut frontier: Vec<String> = closure.iter().cloned().collect();
        while let Some(t) = frontier.pop() {
            for r in edges.iter().filter(|r| r.child_table == t) {
                if closure.insert(r.parent_table.clone()) {
                    frontier.push(r.parent_table.clone());
                }
            }
        }

        let mut rows: BTreeMap<String, u64> = BTreeMap::new();
        for (table, n) in &request.table_rows {
            let name = pack.table(table)?.name.clone();
            if !closure.contains(&name) {
                return Err(Error::Usage(crate::message![
                    crate::error::Setting::TableRows,
                    format!(
                        " names {name}, which this run does not generate; the run's tables are: {}",
                        closure.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ]));
            }
            if name == target && *n != request.target_rows {
                return Err(Error::Usage(crate::message![
                    crate::error::Setting::TableRows,
                    format!(" gives {name} {n} rows but it is the target with "),
                    crate::error::Setting::TargetRows,
                    format!(" {}; set the target's rows with ", request.target_rows),
                    crate::error::Setting::TargetRows,
                    " only",
                ]));
            }
            rows.insert(name, *n);
        }
        rows.insert(target.clone(), request.target_rows);
        refuse_rows_of_empty_tables(pack, &rows)?;
        size_reference_tables(pack, &closure, &edges, &mut rows)?;

        // Size the rest: descendants from their grouping parent, ancestors from the
        // children that reference them, until everything has a count.
        while closure.iter().any(|t| !rows.contains_key(t)) {
            let mut progressed = false;
            for t in closure
                .iter()
                .filter(|t| !rows.contains_key(*t))
                .cloned()
                .collect::<Vec<_>>()
            {
                let grouping = edges
                    .iter()
                    .find(|r| r.child_table == t && r.role == Role::Grouping);
                if descendants.contains(&t) {
                    // Sized from the parent the run reaches it through: its grouping
                    // parent when that is in the target's family, else any such parent.
                    let in_family = |r: &&&crate::model::Relationship| {
                        r.parent_table == target || descendants.contains(&r.parent_table)
                    };
                    let from = match grouping.filter(in_family) {
                        Some(g) => Some(*g),
                        None => edges
                            .iter()
                            .filter(in_family)
                            .find(|r| r.child_table == t)
                            .copied(),
                    }
                    .filter(|r| rows.contains_key(&r.parent_table));
                    if let Some(r) = from {
                        let children = rows[&r.parent_table] as f64 * r.fanout.mean();
                        let n = if r.null_rate < 1.0 {
                            children / (1.0 - r.null_rate)
                        } else {
                            children
                        };
                        rows.insert(t, n.round() as u64);
                        progressed = true;
                    }
                    continue;
                }
                // Every planned child sizes it (a descendant is only ever sized from the
                // target's family, which this table is not part of).
                let sizing: Vec<_> = edges
                    .iter()
                    .filter(|r| r.parent_table == t && closure.contains(&r.child_table))
                    .collect();
                if pack.table(&t)?.sample_rows == 0 {
                    // Trained without rows: nothing to generate them from.
                    rows.insert(t, 0);
                    progressed = true;
                } else if sizing.iter().all(|r| rows.contains_key(&r.child_table)) {
                    let n = sizing
                        .iter()
                        .map(|r| {
                            let children = rows[&r.child_table] as f64 * (1.0 - r.null_rate);
                            let mean = r.fanout.mean();
                            let per_parent = if mean > 1e-9 { mean } else { 1.0 };
                            (children / per_parent * request.parent_scale).ceil()
                        })
                        .fold(1.0, f64::max);
                    rows.insert(t, n as u64);
                    progressed = true;
                }
            }
            if !progressed {
                return Err(Error::Schema(crate::message![
                    format!(
                        "cannot size tables {} from the fan-out; give their row counts with ",
                        closure
                            .iter()
                            .filter(|t| !rows.contains_key(*t))
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    crate::error::Setting::TableRows
                ]));
            }
        }

        refuse_rows_of_empty_tables(pack, &rows)?;
        let names: Vec<String> = pack
            .tables
            .iter()
            .map(|t| t.name.clone())
            .filter(|t| closure.contains(t))
            .collect();
        let order = generation_order(&names, &pack.relationships)?;
        Ok(Plan {
            seed: request.seed,
            target,
            include_children: request.include_children,
            parent_scale: request.parent_scale,
            tables: order
                .into_iter()
                .map(|name| PlannedTable {
                    rows: rows[&name],
                    name,
                })
                .collect(),
        })
    }

    /// The planned table called `name`.
    pub fn table(&self, name: &str) -> Option<&PlannedTable> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// A table trained without sample rows has nothing to generate rows from: it may only
/// be planned with none.
fn refuse_rows_of_empty_tables(pack: &ModelPack, rows: &BTreeMap<String, u64>) -> Result<()> {
    for (table, &n) in rows {
        if n > 0 && pack.table(table)?.sample_rows == 0 {
            return Err(Error::Usage(crate::message![
                format!(
                    "table {table} had no sample rows when the model pack was trained, so there is nothing to generate its {n} rows from; leave it out of the run's target and "
                ),
                crate::error::Setting::TableRows,
                format!(
                    " (a run that reaches it gives it 0 rows), or retrain with sample rows of {table}"
                ),
            ]));
        }
    }
    Ok(())
}

/// Reference tables are replayed: whole unless the request asks for fewer rows, never
/// more than they hold; one whose rows another reference table copies keys from stays
/// whole.
fn size_reference_tables(
    pack: &ModelPack,
    closure: &BTreeSet<String>,
    edges: &[&crate::model::Relationship],
    rows: &mut BTreeMap<String, u64>,
) -> Result<()> {
    let size = |t: &str| {
        pack.table(t)
            .ok()
            .and_then(|m| m.reference_rows.as_ref())
            .map(|r| r.len() as u64)
    };
    for t in closure {
        let Some(stored) = size(t) else { continue };
        match rows.get(t) {
            Some(&n) if n > stored => {
                return Err(Error::Usage(format!(
                    "table {t} is a reference table replayed from its {stored} rows, so a run can have at most {stored} of them, not {n}; ask for at most {stored}, or set `reference: false` for {t} in tables.yaml and retrain to generate new rows"
                ).into()));
            }
            Some(_) => {}
            None => {
                rows.insert(t.clone(), stored);
            }
        }
    }
    for r in edges {
        let (Some(stored), Some(_)) = (size(&r.parent_table), size(&r.child_table)) else {
            continue;
        };
        if closure.contains(&r.child_table) && rows[&r.parent_table] < stored {
            return Err(Error::Usage(format!(
                "reference table {} copies its keys from reference table {}, so {} must be generated whole ({stored} rows), not {}",
                r.child_table, r.parent_table, r.parent_table, rows[&r.parent_table]
            ).into()));
        }
    }
    Ok(())
}
