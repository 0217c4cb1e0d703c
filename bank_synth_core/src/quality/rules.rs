//! Rule adherence: every learned rule checked on every generated row, reading the
//! parent's values through the grouping foreign key for cross-table rules — for the
//! parents in the checked slice of their key space ([`super::keys`]), so memory stays
//! fixed.

use super::keys::{KeySlice, fingerprint};
use crate::generate::Chunk;
use crate::generate::Plan;
use crate::model::{
    COMBINATION_SEPARATOR, ColumnModel, ColumnRef, Dependency, Generator, ModelPack, Role, Rule,
    RuleKind, TableModel,
};
use crate::rng::FastBuild;
use crate::value::{LogicalType, Value, convert_temporal};
use serde::Serialize;
use std::collections::HashMap;

/// How one rule fared.
#[derive(Debug, Clone, Serialize)]
pub struct RuleQuality {
    /// The table.
    pub table: String,
    /// The rule's id (as `bank_synth info` lists it and tables.yaml disables it).
    pub rule: String,
    /// The rule in words.
    pub description: String,
    /// Rows the rule applied to.
    pub checked: u64,
    /// Rows breaking it (must be 0).
    pub violations: u64,
}

enum On {
    Own(usize),
    Parent {
        parent_table: usize,
        parent_key: Vec<usize>,
        parent_column: usize,
        foreign_key: Vec<usize>,
        /// The parent keys whose values are kept.
        slice: KeySlice,
        /// The parent's value, by key fingerprint.
        values: HashMap<u64, Value, FastBuild>,
    },
}

enum Expect {
    /// Per category: the value is non-negative.
    Sign(HashMap<String, bool, FastBuild>),
    /// Per category: the value is set.
    Presence(HashMap<String, bool, FastBuild>),
    /// Per category: the only value.
    Determined(HashMap<String, String, FastBuild>),
    /// The value is at least `on + gap` (`after`) or at most `on − gap`.
    Order { after: bool, gap: f64 },
}

struct Check<'m> {
    table: usize,
    model: &'m TableModel,
    rule: &'m Rule,
    column: usize,
    on: On,
    on_type: LogicalType,
    /// The rule's further conditions.
    also: Vec<(On, LogicalType)>,
    expect: Expect,
    checked: u64,
    violations: u64,
    /// The row's category, rebuilt row after row in one buffer.
    category: String,
}

/// All rule checks of a run.
pub(crate) struct RuleChecks<'m> {
    checks: Vec<Check<'m>>,
}

impl<'m> RuleChecks<'m> {
    pub(crate) fn new(pack: &'m ModelPack, plan: &Plan) -> RuleChecks<'m> {
        let mut checks = Vec::new();
        for (t, planned) in plan.tables.iter().enumerate() {
            let Ok(model) = pack.table(&planned.name) else {
                continue;
            };
            for rule in &model.rules {
                let Some(column) = model.column_index(&rule.column) else {
                    continue;
                };
                let Some((on, on_type)) = resolve(&rule.on, model, pack, plan) else {
                    continue;
                };
                let Some(also) = rule
                    .also
                    .iter()
                    .map(|also| resolve(also, model, pack, plan))
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                let Some(expect) = expectation(rule, &model.columns[column]) else {
                    continue;
                };
                checks.push(Check {
                    table: t,
                    model,
                    rule,
                    column,
                    on,
                    on_type,
                    also,
                    expect,
                    checked: 0,
                    violations: 0,
                    category: String::new(),
                });
            }
        }
        RuleChecks { checks }
    }

    pub(crate) fn observe(&mut self, t: usize, rows: &Chunk) {
        for check in &mut self.checks {
            let ons = std::iter::once(&mut check.on).chain(check.also.iter_mut().map(|(on, _)| on));
            for on in ons {
                if let On::Parent {
                    parent_table,
                    parent_key,
                    parent_column,
                    slice,
                    values,
                    ..
                } = on
                    && *parent_table == t
                {
                    for row in rows.iter() {
                        if let Some(key) = fingerprint(parent_key.iter().map(|&c| &row[c]))
                            && slice.holds(key)
                        {
                            values.insert(key, row[*parent_column].clone());
                        }
                    }
                }
            }
            if check.table == t {
                for row in rows.iter() {
                    check.row(row);
                }
            }
        }
    }

    pub(crate) fn report(&self) -> Vec<RuleQuality> {
        self.checks
            .iter()
            .map(|c| RuleQuality {
                table: c.model.name.clone(),
                rule: c.rule.id(),
                description: c.rule.describe(),
                checked: c.checked,
                violations: c.violations,
            })
            .collect()
    }
}

impl Check<'_> {
    fn row(&mut self, row: &[Value]) {
        let Some(on) = self.on.read(row).filter(|v| !v.is_null()) else {
            return;
        };
        let value = &row[self.column];
        let ty = self.model.columns[self.column].logical_type;
        // The category an order rule does not need: the `on` value's text, then with
        // the `also` values', as a combination key (a row missing one is not checked).
        let (category, named) = (
            &mut self.category,
            !matches!(self.expect, Expect::Order { .. }),
        );
        category.clear();
        if named {
            on.write_text(self.on_type, category);
        }
        for (also, ty) in &self.also {
            let Some(v) = also.read(row) else {
                return;
            };
            if named {
                category.push(COMBINATION_SEPARATOR);
                v.write_text(*ty, category);
            }
        }
        let category = category.as_str();
        let broken = match &self.expect {
            Expect::Sign(signs) => match (signs.get(category), value.as_number(ty)) {
                (Some(non_negative), Some(x)) => Some((x >= 0.0) != *non_negative),
                _ => None,
            },
            Expect::Presence(present) => present.get(category).map(|p| *p == value.is_null()),
            Expect::Determined(only) => match (only.get(category), value.is_null()) {
                (Some(v), false) => Some(value.render(ty) != *v),
                _ => None,
            },
            Expect::Order { after, gap } => {
                match (value.as_number(ty), on.as_number(self.on_type)) {
                    (Some(x), Some(base)) => {
                        let base = convert_temporal(base, self.on_type, ty);
                        Some(if *after {
                            x < base + gap
                        } else {
                            x > base - gap
                        })
                    }
                    _ => None,
                }
            }
        };
        if let Some(broken) = broken {
            self.checked += 1;
            self.violations += u64::from(broken);
        }
    }
}

impl On {
    /// The value this condition reads for `row` (its parent's, through the key; none
    /// for a parent outside the checked slice, whose row is then not checked).
    fn read<'a>(&'a self, row: &'a [Value]) -> Option<&'a Value> {
        match self {
            On::Own(c) => Some(&row[*c]),
            On::Parent {
                foreign_key,
                values,
                ..
            } => fingerprint(foreign_key.iter().map(|&c| &row[c])).and_then(|k| values.get(&k)),
        }
    }
}

fn resolve(
    on: &ColumnRef,
    model: &TableModel,
    pack: &ModelPack,
    plan: &Plan,
) -> Option<(On, LogicalType)> {
    if !on.parent {
        let c = model.column_index(&on.column)?;
        return Some((On::Own(c), model.columns[c].logical_type));
    }
    let rel = pack
        .relationships
        .iter()
        .find(|r| r.child_table == model.name && r.role == Role::Grouping)?;
    let parent = pack.table(&rel.parent_table).ok()?;
    let parent_column = parent.column_index(&on.column)?;
    let parent_table = plan.tables.iter().position(|t| t.name == parent.name)?;
    Some((
        On::Parent {
            parent_table,
            parent_key: rel
                .parent_columns
                .iter()
                .map(|c| parent.column_index(c))
                .collect::<Option<_>>()?,
            parent_column,
            foreign_key: rel
                .child_columns
                .iter()
                .map(|c| model.column_index(c))
                .collect::<Option<_>>()?,
            slice: KeySlice::for_rows(plan.tables[parent_table].rows),
            values: HashMap::default(),
        },
        parent.columns[parent_column].logical_type,
    ))
}

/// What the rule expects, read from the dependency (or sequence room) that enforces it.
fn expectation(rule: &Rule, column: &ColumnModel) -> Option<Expect> {
    let dependency = &column.depends_on;
    if matches!(rule.kind, RuleKind::NotBefore | RuleKind::NotAfter) {
        let (after, gap) = match (dependency, &column.generator) {
            (Some(Dependency::After(o)), _) => (true, o.min_gap),
            (Some(Dependency::Before(o)), _) => (false, o.min_gap),
            (
                None,
                Generator::Sequence {
                    room: Some(room), ..
                },
            ) => (true, room.min_gap),
            _ => (rule.kind == RuleKind::NotBefore, 0.0),
        };
        return Some(Expect::Order { after, gap });
    }
    let Some(Dependency::Given { cases, refined, .. }) = dependency else {
        return None;
    };
    // A rule of several conditions is read from the cases of their combinations.
    let cases = if rule.also.is_empty() { cases } else { refined };
    Some(match rule.kind {
        // A one-way rule constrains only its pure cases; mixed ones are not checked.
        RuleKind::Sign => Expect::Sign(
            cases
                .iter()
                .filter_map(|c| match &c.generator {
                    Generator::Numeric {
                        quantiles, masses, ..
                    } => {
                        let non_negative =
                            quantiles.min() >= 0.0 && masses.iter().all(|(m, _)| *m >= 0.0);
                        let negative =
                            quantiles.max() < 0.0 && masses.iter().all(|(m, _)| *m < 0.0);
                        (non_negative || negative).then(|| (c.value.clone(), non_negative))
                    }
                    _ => None,
                })
                .collect(),
        ),
        RuleKind::Presence => Expect::Presence(
            cases
                .iter()
                .filter(|c| c.null_rate == 0.0 || c.null_rate == 1.0)
                .map(|c| (c.value.clone(), c.null_rate == 0.0))
                .collect(),
        ),
        RuleKind::Determined => Expect::Determined(
            cases
                .iter()
                .filter_map(|c| match &c.generator {
                    Generator::Categorical { frequencies } => {
                        Some((c.value.clone(), frequencies.items.first()?.0.clone()))
                    }
                    Generator::Boolean { p_true } => {
                        Some((c.value.clone(), (*p_true >= 0.5).to_string()))
                    }
                    _ => None,
                })
                .collect(),
        ),
        RuleKind::NotBefore | RuleKind::NotAfter => unreachable!("handled above"),
    })
}
