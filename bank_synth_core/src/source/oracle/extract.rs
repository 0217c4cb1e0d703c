//! Sampling inside the database. A table with no parent among the trained tables (or in
//! a cycle of them) is sampled by the strategy — `SAMPLE (N) SEED (s)` for `percent:N`,
//! the first N rows by primary key for `rows:N`; a child is sampled by a semi-join on
//! its parent's selection through its first NOT NULL foreign key, so every kept parent
//! keeps all its children and fan-out is learned from whole families.

use super::catalog::{ColumnDef, TableDef};
use super::query::{Conversion, Query, RowFilter, SampleQuery, Selection};
use super::{OracleSession, explain};
use crate::config::RelationshipConfig;
use crate::error::Result;
use crate::model::{Cardinality, canonical};
use crate::source::{SampleColumn, SampleStrategy, SampleTable, infer};
use crate::value::LogicalType;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What to sample, and how.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The database, for messages (`Oracle scott@db:1521/ORCL`).
    pub database: &'a str,
    /// The schema (owner) as the dictionary spells it.
    pub owner: &'a str,
    /// The schema's catalog ([`super::read_catalog`]).
    pub catalog: &'a [TableDef],
    /// The tables to sample (canonical names, each in `catalog`).
    pub tables: &'a [String],
    /// The row selection; `None` reads every row.
    pub strategy: Option<SampleStrategy>,
    /// The foreign keys a child may follow, in order of preference (relationships.yaml
    /// first, then the discovered ones).
    pub relationships: &'a [RelationshipConfig],
    /// Columns never read, by table (restricted by the privacy policy): their values
    /// stay in the database; the sample holds NULLs in their place.
    pub restricted: &'a BTreeMap<String, BTreeSet<String>>,
    /// Types declared in tables.yaml, by table and column (they win over Oracle's).
    pub declared: &'a BTreeMap<String, BTreeMap<String, LogicalType>>,
}

/// The sample of every requested table, in request order.
pub type Extract = Vec<SampleTable>;

/// The schema's foreign keys between `tables` as relationships.yaml would declare them
/// (1:1 when the child's key columns are its primary key).
pub fn discovered_relationships(
    catalog: &[TableDef],
    tables: &[String],
) -> Vec<RelationshipConfig> {
    let trained = |name: &str| tables.contains(&canonical(name));
    catalog
        .iter()
        .filter(|t| trained(&t.name))
        .flat_map(|t| {
            t.foreign_keys
                .iter()
                .filter(|fk| trained(&fk.parent_table))
                .map(|fk| RelationshipConfig {
                    name: Some(fk.name.to_ascii_lowercase()),
                    parent_table: canonical(&fk.parent_table),
                    parent_columns: fk.parent_columns.iter().map(|c| canonical(c)).collect(),
                    child_table: canonical(&t.name),
                    child_columns: fk.columns.iter().map(|c| canonical(c)).collect(),
                    cardinality: if fk.columns == t.primary_key {
                        Cardinality::OneToOne
                    } else {
                        Cardinality::OneToMany
                    },
                })
        })
        .collect()
}

/// Samples every requested table.
pub fn extract(session: &mut dyn OracleSession, request: &Request<'_>) -> Result<Extract> {
    let def = |name: &str| {
        request
            .catalog
            .iter()
            .find(|t| canonical(&t.name) == name)
            .expect("requested tables are in the catalog")
    };
    // The parent each table follows, by index into `request.tables`.
    let follows: Vec<Option<(usize, &RelationshipConfig)>> = request
        .tables
        .iter()
        .map(|name| {
            let t = def(name);
            request.relationships.iter().find_map(|r| {
                let parent = request
                    .tables
                    .iter()
                    .position(|n| *n == canonical(&r.parent_table))?;
                let not_null = r.child_columns.iter().all(|c| {
                    column(t, c).is_some_and(|col| !col.nullable && col.conversion.is_some())
                });
                (canonical(&r.child_table) == *name && request.tables[parent] != *name && not_null)
                    .then_some((parent, r))
            })
        })
        .collect();
    let mut selections: Vec<Option<Selection>> = vec![None; request.tables.len()];
    while let Some(i) = (0..request.tables.len()).find(|&i| selections[i].is_none()) {
        // A table whose parent is selected; failing that (a cycle), the first left.
        let ready = (0..request.tables.len())
            .find(|&j| {
                selections[j].is_none() && follows[j].is_none_or(|(p, _)| selections[p].is_some())
            })
            .unwrap_or(i);
        let t = def(&request.tables[ready]);
        let filter = match follows[ready] {
            Some((p, r)) if selections[p].is_some() => RowFilter::ChildOf {
                columns: spelled(t, &r.child_columns),
                parent_columns: spelled(def(&request.tables[p]), &r.parent_columns),
                parent: Box::new(selections[p].clone().expect("checked")),
            },
            _ => root_filter(t, request.strategy),
        };
        selections[ready] = Some(Selection {
            owner: request.owner.to_string(),
            table: t.name.clone(),
            filter,
        });
    }
    request
        .tables
        .iter()
        .zip(selections)
        .map(|(name, selection)| {
            sample_table(
                session,
                request,
                def(name),
                selection.expect("all selected"),
            )
        })
        .collect()
}

fn column<'t>(t: &'t TableDef, name: &str) -> Option<&'t ColumnDef> {
    t.columns
        .iter()
        .find(|c| canonical(&c.name) == canonical(name))
}

/// Canonical column names as the dictionary spells them.
fn spelled(t: &TableDef, columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .map(|c| column(t, c).map_or_else(|| c.clone(), |col| col.name.clone()))
        .collect()
}

/// The rows a strategy keeps of a table sampled on its own.
fn root_filter(t: &TableDef, strategy: Option<SampleStrategy>) -> RowFilter {
    match strategy {
        None => RowFilter::All,
        Some(SampleStrategy::Percent(p)) if p >= 100.0 => RowFilter::All,
        // Oracle takes 0.000001 ≤ N < 100.
        Some(SampleStrategy::Percent(p)) => RowFilter::Sample {
            percent: p.max(0.000_001),
        },
        Some(SampleStrategy::Rows(rows)) => RowFilter::First {
            rows,
            order: order(t),
        },
    }
}

/// The primary key, else every orderable column.
fn order(t: &TableDef) -> Vec<String> {
    if !t.primary_key.is_empty() {
        return t.primary_key.clone();
    }
    t.columns
        .iter()
        .filter(|c| matches!(c.conversion, Some(k) if k != Conversion::Lob))
        .map(|c| c.name.clone())
        .collect()
}

fn sample_table(
    session: &mut dyn OracleSession,
    request: &Request<'_>,
    t: &TableDef,
    selection: Selection,
) -> Result<SampleTable> {
    let name = canonical(&t.name);
    let restricted = request.restricted.get(&name);
    let is_restricted = |c: &ColumnDef| restricted.is_some_and(|r| r.contains(&canonical(&c.name)));
    let readable: Vec<&ColumnDef> = t
        .columns
        .iter()
        .filter(|c| c.conversion.is_some())
        .collect();
    let fetched: Vec<&ColumnDef> = readable
        .iter()
        .copied()
        .filter(|c| !is_restricted(c))
        .collect();
    let query = SampleQuery {
        selection,
        columns: fetched
            .iter()
            .map(|c| (c.name.clone(), c.conversion.expect("readable")))
            .collect(),
        order: order(t),
    };
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); fetched.len()];
    let mut rows = 0usize;
    let mut width_error = None;
    session
        .query(&Query::Sample(&query), &mut |row| {
            if row.len() != cells.len() {
                width_error.get_or_insert(row.len());
                return;
            }
            for (column, cell) in cells.iter_mut().zip(row) {
                column.push(cell);
            }
            rows += 1;
        })
        .map_err(|e| {
            explain(
                request.database,
                &format!("sampling table {}.{}", request.owner, t.name),
                &e,
            )
        })?;
    if let Some(width) = width_error {
        return Err(explain(
            request.database,
            &format!("sampling table {}.{}", request.owner, t.name),
            &super::DbError {
                code: String::new(),
                message: format!(
                    "a row has {width} columns where {} were asked for",
                    cells.len()
                ),
            },
        ));
    }
    let path = PathBuf::from(format!("oracle:{}.{}", request.owner, t.name));
    let lines: Vec<u64> = (1..=rows as u64).collect();
    let declared = request.declared.get(&name);
    let mut fetched_cells = fetched.iter().zip(cells);
    let mut columns = Vec::with_capacity(readable.len());
    for c in readable {
        let column_name = canonical(&c.name);
        let declared = declared
            .and_then(|d| d.get(&column_name).copied())
            .or(c.declared);
        if is_restricted(c) {
            columns.push(SampleColumn {
                name: column_name,
                logical_type: declared.unwrap_or(LogicalType::Text),
                values: vec![crate::value::Value::Null; rows],
                outliers: None,
            });
            continue;
        }
        let (_, raw) = fetched_cells
            .next()
            .expect("one cell column per fetched column");
        let (raw, declared) = normalise(c.conversion.expect("readable"), raw, declared);
        columns.push(infer::parse_column(
            &path,
            &name,
            &column_name,
            raw,
            &lines,
            declared,
        )?);
    }
    Ok(SampleTable {
        name,
        path,
        columns,
        lines,
    })
}

/// Text as the parsers read it: numbers with a leading zero (`TM9` writes `.5`), and a
/// DATE column whose every value is at midnight as dates (Oracle's DATE always has a
/// time of day), else as timestamps.
fn normalise(
    conversion: Conversion,
    mut raw: Vec<Option<String>>,
    declared: Option<LogicalType>,
) -> (Vec<Option<String>>, Option<LogicalType>) {
    match conversion {
        Conversion::Number => {
            for s in raw.iter_mut().flatten() {
                if let Some(rest) = s.strip_prefix("-.") {
                    *s = format!("-0.{rest}");
                } else if s.starts_with('.') {
                    s.insert(0, '0');
                }
            }
            (raw, declared)
        }
        Conversion::Date if declared.is_none() => {
            let midnight = raw.iter().flatten().all(|s| s.ends_with(" 00:00:00"));
            if midnight {
                for s in raw.iter_mut().flatten() {
                    s.truncate(s.len() - " 00:00:00".len());
                }
                (raw, Some(LogicalType::Date))
            } else {
                (raw, Some(LogicalType::Timestamp))
            }
        }
        _ => (raw, declared),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_their_leading_zero_and_midnight_dates_lose_their_time() {
        let (raw, _) = normalise(
            Conversion::Number,
            vec![
                Some(".5".into()),
                Some("-.25".into()),
                Some("12".into()),
                None,
            ],
            None,
        );
        assert_eq!(
            raw,
            [
                Some("0.5".into()),
                Some("-0.25".into()),
                Some("12".into()),
                None
            ]
        );
        let (raw, ty) = normalise(
            Conversion::Date,
            vec![Some("2024-01-31 00:00:00".into()), None],
            None,
        );
        assert_eq!(
            (raw, ty),
            (
                vec![Some("2024-01-31".into()), None],
                Some(LogicalType::Date)
            )
        );
        let (_, ty) = normalise(
            Conversion::Date,
            vec![
                Some("2024-01-31 00:00:00".into()),
                Some("2024-02-01 09:30:00".into()),
            ],
            None,
        );
        assert_eq!(ty, Some(LogicalType::Timestamp));
    }
}
