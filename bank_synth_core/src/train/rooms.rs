//! Rooms of grouped date sequences: an account's monthly statements run from the month
//! it opened (or the extract's first month) to the extract's last month. Learned per
//! grouped date key as the column's range and, when every parent's first value follows
//! one of the parent's dates, that date and the smallest gap — which is also a rule
//! (`not_before:STATEMENT_MONTH:parent.OPEN_DATE`), listed, checked and switchable like
//! any other.

use super::dependencies::{ParentView, switched_off};
use crate::model::{ColumnRef, Generator, Rule, RuleKind, SequenceRoom, TableModel};
use crate::source::SampleTable;
use crate::value::{LogicalType, convert_temporal};
use std::collections::BTreeMap;

/// A room's start is learned from this many parents at least.
const MIN_PARENTS: usize = 20;

/// Learns the room of each grouped date key of `model` whose values may be kept, and
/// the rule its start carries (unless `disabled`).
pub(crate) fn learn_rooms(
    model: &mut TableModel,
    sample: &SampleTable,
    parent: Option<&ParentView>,
    disabled: &[String],
) {
    let Some(parent) = parent else {
        return;
    };
    let mut rules = Vec::new();
    for column in &mut model.columns {
        if column.logical_type != LogicalType::Date || !column.privacy.keeps_values() {
            continue;
        }
        let Generator::Sequence {
            per_parent_start: Some(_),
            room,
            ..
        } = &mut column.generator
        else {
            continue;
        };
        let Some(values) = sample.column(&column.name) else {
            continue;
        };
        // Each parent's first value, and the column's range.
        let mut first: BTreeMap<usize, f64> = BTreeMap::new();
        let (mut lower, mut upper) = (f64::INFINITY, f64::NEG_INFINITY);
        for (r, v) in values.values.iter().enumerate() {
            let Some(x) = v.as_number(LogicalType::Date) else {
                continue;
            };
            lower = lower.min(x);
            upper = upper.max(x);
            if let Some(p) = parent.row_of[r] {
                first.entry(p).and_modify(|f| *f = f.min(x)).or_insert(x);
            }
        }
        if first.len() < MIN_PARENTS {
            continue;
        }
        let start = start_after(&first, parent, lower)
            .filter(|(after, _)| !switched_off(disabled, &not_before(&column.name, after)));
        if let Some((after, _)) = &start {
            rules.push(not_before(&column.name, after));
        }
        *room = Some(SequenceRoom {
            min_gap: start.as_ref().map_or(0.0, |(_, gap)| *gap),
            after: start.map(|(after, _)| after),
            lower,
            upper,
        });
    }
    model.rules.extend(rules);
}

/// The rule a room's start carries: `column ≥ parent.after + gap`.
fn not_before(column: &str, after: &str) -> Rule {
    Rule {
        kind: RuleKind::NotBefore,
        column: column.to_string(),
        on: ColumnRef {
            parent: true,
            column: after.to_string(),
        },
        also: Vec::new(),
    }
}

/// The parent's date that every parent's `first` value follows — of those, the one
/// that moves most starts past the column's own `lower` end — and the smallest gap.
/// Only columns whose values may be kept count: the gap is a statistic of them.
fn start_after(
    first: &BTreeMap<usize, f64>,
    parent: &ParentView,
    lower: f64,
) -> Option<(String, f64)> {
    parent
        .model
        .columns
        .iter()
        .filter(|c| c.logical_type.is_temporal() && c.privacy.keeps_values())
        .filter_map(|c| {
            let col = parent.sample.column(&c.name)?;
            // (the parent's date, the first value's distance from it) per parent.
            let gaps: Vec<(f64, f64)> = first
                .iter()
                .filter_map(|(&p, &x)| {
                    let date = col.values[p].as_number(c.logical_type)?;
                    let date = convert_temporal(date, c.logical_type, LogicalType::Date);
                    Some((date, x - date))
                })
                .collect();
            if gaps.len() < MIN_PARENTS {
                return None;
            }
            let min_gap = gaps.iter().map(|(_, g)| *g).fold(f64::INFINITY, f64::min);
            if min_gap < 0.0 {
                return None;
            }
            let binding = gaps
                .iter()
                .filter(|(date, _)| date + min_gap > lower)
                .count();
            (binding > 0).then(|| (binding, c.name.clone(), min_gap.floor()))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        .map(|(_, name, gap)| (name, gap))
}
