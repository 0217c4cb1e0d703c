//! The links between columns that make test data look real and that SDMetrics' report
//! does not see: found in the real rows, then measured on the other side the same way.
//!
//! * `determines` — one category (or a text's leading phrase) decides another on at
//!   least 90 % of the real rows (REGION by CITY, a description's "ATM …" by CHANNEL),
//!   within a row or from the parent's row (a card's type by its account's type);
//!   measured as the share of rows following the real mapping.
//! * `copies` — a child column equals its parent's through a foreign key (an invoice
//!   line's price is its track's), beyond chance (Cohen's κ ≥ 0.5).
//! * `contains` — one text column holds another (an email made from the first name).
//! * `order` — a date is never before another, of its row or its parent's, by at
//!   least the real minimum gap (customers join at 18 or later).
//! * `same ancestor` — two paths from a child reach the same row (a payment's
//!   customer is its rental's customer).
//!
//! Each link scores `1 − |real share − other share|`.

use super::{Table, keys};
use crate::model::{ColumnModel, Generator, ModelPack, Role, template_parts};
use crate::value::{Value, convert_temporal};
use serde::Serialize;
use std::collections::HashMap;

/// A category decides another when its real mapping holds on this share of rows.
const MIN_DETERMINES: f64 = 0.9;
/// A link is looked for only on this many real rows at least.
const MIN_ROWS: usize = 20;
/// A text column holds another on this share of the real rows.
const MIN_CONTAINS: f64 = 0.9;

/// One link found in the real data, and how the other side keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The table (the child's, for links across a foreign key).
    pub table: String,
    /// `determines`, `copies`, `contains`, `order`, `same ancestor`.
    pub kind: &'static str,
    /// The columns (or relationships) it links.
    pub subject: String,
    /// Share of the real rows on which it holds.
    pub real: f64,
    /// Share of the other side's rows on which it holds.
    pub other: f64,
    /// `1 − |real − other|`.
    pub score: f64,
    /// Hidden in the Markdown report (a non-public column).
    pub masked: bool,
    /// Between columns training never reads the values of (pii, sensitive): such a
    /// link holds only where generation makes the values up together.
    pub private: bool,
}

/// The links of every table, worst kept first.
pub(super) fn links(pack: &ModelPack, tables: &[Table]) -> Vec<Link> {
    let mut out = Vec::new();
    for t in tables {
        determines(t, &mut out);
        contains(t, &mut out);
        orders(t, None, &mut out);
    }
    for r in pack
        .relationships
        .iter()
        .filter(|r| r.role != Role::SelfReference)
    {
        let (Some(parent), Some(child)) = (
            tables.iter().find(|t| t.model.name == r.parent_table),
            tables.iter().find(|t| t.model.name == r.child_table),
        ) else {
            continue;
        };
        copies(r, parent, child, &mut out);
        determines_across(r, parent, child, &mut out);
        orders(child, Some((r, parent)), &mut out);
        same_ancestor(pack, r, tables, child, &mut out);
    }
    out.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then_with(|| (&a.table, &a.subject).cmp(&(&b.table, &b.subject)))
    });
    out
}

fn push(
    out: &mut Vec<Link>,
    table: &str,
    kind: &'static str,
    subject: String,
    shares: (f64, f64),
    (masked, private): (bool, bool),
) {
    let (real, other) = shares;
    out.push(Link {
        table: table.to_string(),
        kind,
        subject,
        real,
        other,
        score: 1.0 - (real - other).abs(),
        masked,
        private,
    });
}

/// Whether a link of `columns` is masked in reports, and whether it is private.
fn hidden(columns: &[&ColumnModel]) -> (bool, bool) {
    (
        columns.iter().any(|c| c.privacy.masked_in_reports()),
        columns.iter().any(|c| !c.privacy.keeps_values()),
    )
}

/// The discrete label of a value: a category's text, a free text's leading phrase.
fn label(v: &Value, c: &ColumnModel) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Str(s)
            if matches!(
                c.generator,
                Generator::Template { .. } | Generator::Format { .. }
            ) =>
        {
            Some(template_parts(s, false).0.to_string())
        }
        other => Some(other.render(c.logical_type)),
    }
}

/// Columns whose values are compared as categories (learned, not keys or fakes).
fn discrete<'m>(t: &Table<'m>) -> Vec<&'m ColumnModel> {
    t.model
        .columns
        .iter()
        .filter(|c| {
            c.privacy.keeps_values()
                && matches!(
                    c.generator,
                    Generator::Categorical { .. }
                        | Generator::Boolean { .. }
                        | Generator::Template { .. }
                )
        })
        .collect()
}

fn labels(sample: &crate::source::SampleTable, c: &ColumnModel) -> Vec<Option<String>> {
    sample
        .column(&c.name)
        .map(|col| col.values.iter().map(|v| label(v, c)).collect())
        .unwrap_or_default()
}

fn determines(t: &Table, out: &mut Vec<Link>) {
    let columns = discrete(t);
    let real: Vec<Vec<Option<String>>> = columns.iter().map(|c| labels(&t.real, c)).collect();
    let other: Vec<Vec<Option<String>>> = columns.iter().map(|c| labels(&t.synthetic, c)).collect();
    for (i, a) in columns.iter().enumerate() {
        for (j, b) in columns.iter().enumerate() {
            if i != j {
                let subject = format!("{} → {}", a.name, b.name);
                let shares = decides((&real[i], &real[j]), (&other[i], &other[j]));
                if let Some(shares) = shares {
                    push(
                        out,
                        &t.model.name,
                        "determines",
                        subject,
                        shares,
                        hidden(&[a, b]),
                    );
                }
            }
        }
    }
}

/// A parent's category deciding a child's (a card's type by its account's type), on
/// the child rows joined to their parents through `r`.
fn determines_across(
    r: &crate::model::Relationship,
    parent: &Table,
    child: &Table,
    out: &mut Vec<Link>,
) {
    // Each side's parent labels on its joined child rows, and its child labels, once.
    let side = |p: &crate::source::SampleTable, c: &crate::source::SampleTable| {
        let (rc, rp) = super::join(p, c, r);
        let pick = |labels: Vec<Option<String>>, rows: &[usize]| -> Vec<Option<String>> {
            rows.iter()
                .map(|&i| labels.get(i).cloned().flatten())
                .collect()
        };
        let parents: Vec<_> = discrete(parent)
            .iter()
            .map(|a| pick(labels(p, a), &rp))
            .collect();
        let children: Vec<_> = discrete(child)
            .iter()
            .map(|b| pick(labels(c, b), &rc))
            .collect();
        (parents, children)
    };
    let real = side(&parent.real, &child.real);
    let other = side(&parent.synthetic, &child.synthetic);
    for (i, a) in discrete(parent).into_iter().enumerate() {
        for (j, b) in discrete(child).into_iter().enumerate() {
            if let Some(shares) = decides((&real.0[i], &real.1[j]), (&other.0[i], &other.1[j])) {
                let subject = format!("parent.{} → {} ({})", a.name, b.name, r.name);
                push(
                    out,
                    &child.model.name,
                    "determines",
                    subject,
                    shares,
                    hidden(&[a, b]),
                );
            }
        }
    }
}

/// When `a` decides `b` on the real rows (the real mapping holds on at least
/// [`MIN_DETERMINES`] of them, clearly more than `b`'s mode alone), the shares of the
/// real and the other rows that follow that mapping.
fn decides(
    real: (&[Option<String>], &[Option<String>]),
    other: (&[Option<String>], &[Option<String>]),
) -> Option<(f64, f64)> {
    let pairs: Vec<(&String, &String)> = real
        .0
        .iter()
        .zip(real.1)
        .filter_map(|(x, y)| Some((x.as_ref()?, y.as_ref()?)))
        .collect();
    if pairs.len() < MIN_ROWS {
        return None;
    }
    // Each value of a, its most common b.
    let mut counts: HashMap<&String, HashMap<&String, usize>> = HashMap::new();
    let mut marginal: HashMap<&String, usize> = HashMap::new();
    for (x, y) in &pairs {
        *counts.entry(x).or_default().entry(y).or_default() += 1;
        *marginal.entry(y).or_default() += 1;
    }
    if counts.len() * 2 > pairs.len() || marginal.len() < 2 {
        return None; // a near-key decides anything; a constant is decided by anything
    }
    let mapping: HashMap<&String, &String> = counts
        .iter()
        .map(|(x, ys)| {
            (
                *x,
                *ys.iter()
                    .max_by(|p, q| p.1.cmp(q.1).then(q.0.cmp(p.0)))
                    .unwrap()
                    .0,
            )
        })
        .collect();
    let mode = *marginal.values().max().unwrap() as f64 / pairs.len() as f64;
    let share = |xs: &[Option<String>], ys: &[Option<String>]| {
        let (mut n, mut hit) = (0usize, 0usize);
        for (x, y) in xs.iter().zip(ys) {
            if let (Some(x), Some(y)) = (x, y)
                && let Some(expected) = mapping.get(x)
            {
                n += 1;
                hit += usize::from(*expected == y);
            }
        }
        if n == 0 { 0.0 } else { hit as f64 / n as f64 }
    };
    let r = share(real.0, real.1);
    (r >= MIN_DETERMINES && r > mode + 0.05).then(|| (r, share(other.0, other.1)))
}

/// Lower-case letters and digits of a text.
fn squashed(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn contains(t: &Table, out: &mut Vec<Link>) {
    let texts: Vec<&ColumnModel> = t
        .model
        .columns
        .iter()
        .filter(|c| c.logical_type.is_string())
        .collect();
    for a in &texts {
        for b in &texts {
            if a.name == b.name {
                continue;
            }
            let share = |sample: &crate::source::SampleTable| -> Option<f64> {
                let (xa, xb) = (sample.column(&a.name)?, sample.column(&b.name)?);
                let (mut n, mut hit) = (0usize, 0usize);
                for (va, vb) in xa.values.iter().zip(&xb.values) {
                    if let (Value::Str(sa), Value::Str(sb)) = (va, vb) {
                        let part = squashed(sa);
                        if part.len() >= 3 {
                            n += 1;
                            hit += usize::from(squashed(sb).contains(&part));
                        }
                    }
                }
                (n >= MIN_ROWS).then(|| hit as f64 / n as f64)
            };
            if let Some(r) = share(&t.real).filter(|r| *r >= MIN_CONTAINS) {
                push(
                    out,
                    &t.model.name,
                    "contains",
                    format!("{} holds {}", b.name, a.name),
                    (r, share(&t.synthetic).unwrap_or(0.0)),
                    hidden(&[a, b]),
                );
            }
        }
    }
}

fn temporal(c: &ColumnModel) -> bool {
    c.logical_type.is_temporal()
}

/// `b ≥ a + gap` links between dates of a row, or (with `across`) of the row and its
/// parent's row.
fn orders(
    child: &Table,
    across: Option<(&crate::model::Relationship, &Table)>,
    out: &mut Vec<Link>,
) {
    let (joined_real, joined_other) = match across {
        Some((r, parent)) => (
            super::join(&parent.real, &child.real, r),
            super::join(&parent.synthetic, &child.synthetic, r),
        ),
        None => {
            let all = |n: usize| ((0..n).collect::<Vec<_>>(), (0..n).collect::<Vec<_>>());
            (all(child.real.rows()), all(child.synthetic.rows()))
        }
    };
    let source = across.map_or(child, |(_, p)| p);
    for a in source.model.columns.iter().filter(|c| temporal(c)) {
        for b in child.model.columns.iter().filter(|c| temporal(c)) {
            if across.is_none() && a.name == b.name {
                continue;
            }
            let gaps = |own: &crate::source::SampleTable,
                        theirs: &crate::source::SampleTable,
                        rows: &(Vec<usize>, Vec<usize>)|
             -> Vec<f64> {
                let (Some(cb), Some(ca)) = (own.column(&b.name), theirs.column(&a.name)) else {
                    return Vec::new();
                };
                rows.0
                    .iter()
                    .zip(&rows.1)
                    .filter_map(|(&rc, &rp)| {
                        let vb = cb.values[rc].as_number(b.logical_type)?;
                        let va = ca.values[rp].as_number(a.logical_type)?;
                        Some(vb - convert_temporal(va, a.logical_type, b.logical_type))
                    })
                    .collect()
            };
            let source_real = across.map_or(&child.real, |(_, p)| &p.real);
            let source_other = across.map_or(&child.synthetic, |(_, p)| &p.synthetic);
            let real = gaps(&child.real, source_real, &joined_real);
            if real.len() < MIN_ROWS || real.iter().any(|g| *g < 0.0) {
                continue;
            }
            let gap = real.iter().copied().fold(f64::INFINITY, f64::min);
            let other = gaps(&child.synthetic, source_other, &joined_other);
            let kept = if other.is_empty() {
                0.0
            } else {
                other.iter().filter(|g| **g >= gap - 1e-6).count() as f64 / other.len() as f64
            };
            let prefix = if across.is_some() { "parent." } else { "" };
            push(
                out,
                &child.model.name,
                "order",
                format!("{} ≥ {prefix}{} + min gap", b.name, a.name),
                (1.0, kept),
                hidden(&[a, b]),
            );
        }
    }
}

fn copies(r: &crate::model::Relationship, parent: &Table, child: &Table, out: &mut Vec<Link>) {
    let (rc, rp) = super::join(&parent.real, &child.real, r);
    let (oc, op) = super::join(&parent.synthetic, &child.synthetic, r);
    for c in child
        .model
        .columns
        .iter()
        .filter(|c| c.privacy.keeps_values())
    {
        if r.child_columns.contains(&c.name) || child.model.primary_key.contains(&c.name) {
            continue;
        }
        for p in parent
            .model
            .columns
            .iter()
            .filter(|p| p.logical_type == c.logical_type && p.privacy.keeps_values())
        {
            if r.parent_columns.contains(&p.name) {
                continue;
            }
            let agree = |own: &crate::source::SampleTable,
                         theirs: &crate::source::SampleTable,
                         rows: (&[usize], &[usize])|
             -> Option<(f64, f64)> {
                let (x, y) = (own.column(&c.name)?, theirs.column(&p.name)?);
                let pairs: Vec<(&Value, &Value)> = rows
                    .0
                    .iter()
                    .zip(rows.1)
                    .map(|(&i, &j)| (&x.values[i], &y.values[j]))
                    .filter(|(a, b)| !a.is_null() && !b.is_null())
                    .collect();
                if pairs.len() < MIN_ROWS {
                    return None;
                }
                let share =
                    pairs.iter().filter(|(a, b)| a == b).count() as f64 / pairs.len() as f64;
                let mut counts: HashMap<String, usize> = HashMap::new();
                for (a, _) in &pairs {
                    *counts.entry(a.render(c.logical_type)).or_default() += 1;
                }
                let n = pairs.len() as f64;
                let chance: f64 = counts.values().map(|&k| (k as f64 / n).powi(2)).sum();
                Some((share, chance))
            };
            let Some((real, chance)) = agree(&child.real, &parent.real, (&rc, &rp)) else {
                continue;
            };
            if real >= 0.5 && chance < 1.0 && (real - chance) / (1.0 - chance) >= 0.5 {
                let other =
                    agree(&child.synthetic, &parent.synthetic, (&oc, &op)).map_or(0.0, |(s, _)| s);
                push(
                    out,
                    &child.model.name,
                    "copies",
                    format!("{} = {}.{} ({})", c.name, parent.model.name, p.name, r.name),
                    (real, other),
                    hidden(&[c, p]),
                );
            }
        }
    }
}

/// Child rows of `r` whose parent is the one reached through another of the child's
/// parents (`via`, then that table's own foreign key `then` to the same parent).
fn same_ancestor(
    pack: &ModelPack,
    r: &crate::model::Relationship,
    tables: &[Table],
    child: &Table,
    out: &mut Vec<Link>,
) {
    for via in pack.relationships.iter().filter(|v| {
        v.child_table == r.child_table
            && v.name != r.name
            && v.parent_table != r.parent_table
            && v.role != Role::SelfReference
    }) {
        let Some(middle) = tables.iter().find(|t| t.model.name == via.parent_table) else {
            continue;
        };
        for then in pack.relationships.iter().filter(|w| {
            w.child_table == via.parent_table
                && w.parent_table == r.parent_table
                && w.role != Role::SelfReference
        }) {
            let share =
                |c: &crate::source::SampleTable, m: &crate::source::SampleTable| -> Option<f64> {
                    let reached: HashMap<String, String> = keys(m, &via.parent_columns)
                        .into_iter()
                        .zip(keys(m, &then.child_columns))
                        .filter_map(|(k, p)| Some((k?, p?)))
                        .collect();
                    let (mut n, mut hit) = (0usize, 0usize);
                    for (d, k) in keys(c, &r.child_columns)
                        .into_iter()
                        .zip(keys(c, &via.child_columns))
                    {
                        if let (Some(d), Some(p)) = (d, k.and_then(|k| reached.get(&k))) {
                            n += 1;
                            hit += usize::from(&d == p);
                        }
                    }
                    (n >= MIN_ROWS).then(|| hit as f64 / n as f64)
                };
            if let Some(real) = share(&child.real, &middle.real).filter(|s| *s >= 0.5) {
                push(
                    out,
                    &child.model.name,
                    "same ancestor",
                    format!("{} = {} then {}", r.name, via.name, then.name),
                    (
                        real,
                        share(&child.synthetic, &middle.synthetic).unwrap_or(0.0),
                    ),
                    (false, false),
                );
            }
        }
    }
}
