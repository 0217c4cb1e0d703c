//! The quality report of a run: rows per table, primary-key uniqueness, orphans per
//! foreign key, and per column the NULL rate and a shape score against the model's
//! learned distribution (KS complement for numbers and time, TV complement for
//! categories), and the adherence of every learned rule. Columns that are not public
//! are masked. Memory is fixed whatever the run's size: key checks look at a bounded
//! slice of each key space ([`keys`]), column shapes are counts per learned quantile
//! or category.

pub mod keys;
mod rules;

pub use rules::RuleQuality;

use crate::generate::Chunk;
use crate::generate::{Plan, Shard};
use crate::model::{ColumnModel, Generator, ModelPack, Relationship};
use crate::privacy::PrivacyLevel;
use crate::rng::FastBuild;
use crate::stats::tv_complement;
use crate::value::Value;
use keys::{KeySlice, fingerprint};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// The report, as written to `report/quality.json`.
#[derive(Debug, Clone, Serialize)]
pub struct QualityReport {
    /// Per table, in generation order.
    pub tables: Vec<TableQuality>,
    /// Per foreign key.
    pub foreign_keys: Vec<ForeignKeyQuality>,
    /// Per learned rule.
    pub rules: Vec<RuleQuality>,
    /// Mean shape score over the scored, unmasked columns.
    pub mean_shape_score: Option<f64>,
    /// The shard the report is of, when the run is one of several: its references are
    /// not checked, as their parents may be in other shards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

/// One table's checks.
#[derive(Debug, Clone, Serialize)]
pub struct TableQuality {
    /// Table name.
    pub table: String,
    /// Rows generated.
    pub rows: u64,
    /// Primary key columns.
    pub primary_key: Vec<String>,
    /// Rows whose primary key repeats an earlier row's (must be 0), among the checked.
    pub duplicate_keys: u64,
    /// Rows whose primary key was checked: all rows (but those with a NULL key part) up
    /// to 65,536, else a slice of the key space holding about that many ([`keys`]).
    pub keys_checked: u64,
    /// Per column.
    pub columns: Vec<ColumnQuality>,
}

/// One column's checks.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnQuality {
    /// Column name.
    pub column: String,
    /// Its privacy level.
    pub privacy: PrivacyLevel,
    /// True when the statistics are hidden by the privacy level.
    pub masked: bool,
    /// NULL share in the output (absent when masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null_rate: Option<f64>,
    /// NULL share the model learned (absent when masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_null_rate: Option<f64>,
    /// `ks_complement` or `tv_complement` (absent for keys, formats and fakers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<&'static str>,
    /// 1 = the output's distribution matches the model's (absent when masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape_score: Option<f64>,
}

/// One foreign key's referential integrity.
#[derive(Debug, Clone, Serialize)]
pub struct ForeignKeyQuality {
    /// Relationship name.
    pub relationship: String,
    /// Referencing table.
    pub child_table: String,
    /// Referenced table.
    pub parent_table: String,
    /// Child rows with a non-NULL foreign key.
    pub references: u64,
    /// Child rows with a NULL foreign key.
    pub nulls: u64,
    /// References checked: all of them when the parent has up to 65,536 rows, else
    /// those to the parent's checked slice of keys ([`keys`]); none in a shard, whose
    /// references may name parents in other shards.
    pub checked: u64,
    /// Checked references to a key missing from the generated parent (must be 0).
    pub orphans: u64,
}

enum Shape {
    /// Counts of values at or below each evaluation point (quantiles and masses).
    Numeric {
        points: Vec<f64>,
        counts: Vec<u64>,
        overflow: u64,
    },
    Categorical(HashMap<String, u64, FastBuild>),
    None,
}

struct ColumnCheck<'m> {
    model: &'m ColumnModel,
    nulls: u64,
    shape: Shape,
}

struct TableCheck<'m> {
    name: String,
    rows: u64,
    pk_columns: Vec<usize>,
    /// The slice of the key space checked, and the fingerprints seen in it.
    pk_slice: KeySlice,
    pk_seen: HashSet<u64, FastBuild>,
    keys_checked: u64,
    duplicates: u64,
    columns: Vec<ColumnCheck<'m>>,
    done: bool,
}

struct FkCheck<'m> {
    rel: &'m Relationship,
    child: usize,
    parent: usize,
    child_columns: Vec<usize>,
    references: u64,
    nulls: u64,
    checked: u64,
    orphans: u64,
    /// Checked references to a parent generated later (a cycle): how many name each
    /// key, by fingerprint — at most one entry per key of the parent's slice, plus
    /// distinct orphans.
    deferred: HashMap<u64, u64, FastBuild>,
}

/// Accumulates a run's checks chunk by chunk, in plan order.
pub struct QualityChecker<'m> {
    shard: Shard,
    tables: Vec<TableCheck<'m>>,
    fks: Vec<FkCheck<'m>>,
    rules: rules::RuleChecks<'m>,
}

impl<'m> QualityChecker<'m> {
    /// A checker for `shard`'s rows of the tables of `plan`.
    pub fn new(pack: &'m ModelPack, plan: &Plan, shard: Shard) -> QualityChecker<'m> {
        let mut tables = Vec::new();
        for planned in &plan.tables {
            let model = pack
                .table(&planned.name)
                .expect("planned tables are in the pack");
            tables.push(TableCheck {
                name: model.name.clone(),
                rows: 0,
                pk_columns: model
                    .primary_key
                    .iter()
                    .filter_map(|c| model.column_index(c))
                    .collect(),
                pk_slice: KeySlice::for_rows(planned.rows),
                pk_seen: HashSet::default(),
                keys_checked: 0,
                duplicates: 0,
                columns: model
                    .columns
                    .iter()
                    .map(|c| ColumnCheck {
                        model: c,
                        nulls: 0,
                        // A masked column's shape is never reported: it is not counted.
                        shape: match &c.generator {
                            _ if c.privacy.masked_in_reports() => Shape::None,
                            Generator::Numeric {
                                quantiles, masses, ..
                            } => {
                                let mut points: Vec<f64> = quantiles
                                    .points
                                    .iter()
                                    .chain(masses.iter().map(|(m, _)| m))
                                    .copied()
                                    .collect();
                                points.sort_by(f64::total_cmp);
                                points.dedup();
                                Shape::Numeric {
                                    counts: vec![0; points.len()],
                                    points,
                                    overflow: 0,
                                }
                            }
                            Generator::Categorical { .. } | Generator::Boolean { .. } => {
                                Shape::Categorical(HashMap::default())
                            }
                            _ => Shape::None,
                        },
                    })
                    .collect(),
                done: false,
            });
        }
        let position = |name: &str| plan.tables.iter().position(|t| t.name == name);
        let fks = pack
            .relationships
            .iter()
            .filter_map(|rel| {
                let child = position(&rel.child_table)?;
                let parent = position(&rel.parent_table)?;
                let child_model = pack.table(&rel.child_table).ok()?;
                Some(FkCheck {
                    rel,
                    child,
                    parent,
                    child_columns: rel
                        .child_columns
                        .iter()
                        .filter_map(|c| child_model.column_index(c))
                        .collect(),
                    references: 0,
                    nulls: 0,
                    checked: 0,
                    orphans: 0,
                    deferred: HashMap::default(),
                })
            })
            .collect();
        QualityChecker {
            shard,
            tables,
            fks,
            rules: rules::RuleChecks::new(pack, plan),
        }
    }

    /// Observes a chunk of rows of planned table `t`.
    pub fn observe(&mut self, t: usize, rows: &Chunk) {
        self.rules.observe(t, rows);
        let table = &mut self.tables[t];
        table.rows += rows.len() as u64;
        for row in rows.iter() {
            if !table.pk_columns.is_empty()
                && let Some(key) = fingerprint(table.pk_columns.iter().map(|&c| &row[c]))
                && table.pk_slice.holds(key)
            {
                table.keys_checked += 1;
                if !table.pk_seen.insert(key) {
                    table.duplicates += 1;
                }
            }
            for (check, value) in table.columns.iter_mut().zip(row) {
                check.observe(value);
            }
        }
        for fk in self.fks.iter_mut().filter(|f| f.child == t) {
            for row in rows.iter() {
                let Some(key) = fingerprint(fk.child_columns.iter().map(|&c| &row[c])) else {
                    fk.nulls += 1;
                    continue;
                };
                fk.references += 1;
                let parent = &self.tables[fk.parent];
                if !self.shard.is_whole() || !parent.pk_slice.holds(key) {
                    continue;
                }
                fk.checked += 1;
                if parent.done || fk.parent == t {
                    if !parent.pk_seen.contains(&key) {
                        fk.orphans += 1;
                    }
                } else {
                    *fk.deferred.entry(key).or_default() += 1;
                }
            }
        }
    }

    /// Marks planned table `t` as complete.
    pub fn finish_table(&mut self, t: usize) {
        self.tables[t].done = true;
    }

    /// The finished report.
    pub fn report(mut self) -> QualityReport {
        for fk in &mut self.fks {
            let parent = &self.tables[fk.parent];
            fk.orphans += fk
                .deferred
                .iter()
                .filter(|(k, _)| !parent.pk_seen.contains(*k))
                .map(|(_, n)| n)
                .sum::<u64>();
        }
        let tables: Vec<TableQuality> = self
            .tables
            .iter()
            .map(|t| TableQuality {
                table: t.name.clone(),
                rows: t.rows,
                primary_key: t
                    .pk_columns
                    .iter()
                    .map(|&c| t.columns[c].model.name.clone())
                    .collect(),
                duplicate_keys: t.duplicates,
                keys_checked: t.keys_checked,
                columns: t.columns.iter().map(|c| c.quality(t.rows)).collect(),
            })
            .collect();
        let scores: Vec<f64> = tables
            .iter()
            .flat_map(|t| t.columns.iter().filter_map(|c| c.shape_score))
            .collect();
        QualityReport {
            rules: self.rules.report(),
            mean_shape_score: (!scores.is_empty())
                .then(|| scores.iter().sum::<f64>() / scores.len() as f64),
            foreign_keys: self
                .fks
                .iter()
                .map(|f| ForeignKeyQuality {
                    relationship: f.rel.name.clone(),
                    child_table: f.rel.child_table.clone(),
                    parent_table: f.rel.parent_table.clone(),
                    references: f.references,
                    nulls: f.nulls,
                    checked: f.checked,
                    orphans: f.orphans,
                })
                .collect(),
            tables,
            shard: (!self.shard.is_whole()).then_some(self.shard),
        }
    }
}

impl ColumnCheck<'_> {
    fn observe(&mut self, value: &Value) {
        if value.is_null() {
            self.nulls += 1;
            return;
        }
        match (&mut self.shape, &self.model.generator) {
            (
                Shape::Numeric {
                    points,
                    counts,
                    overflow,
                },
                _,
            ) => {
                if let Some(x) = value.as_number(self.model.logical_type) {
                    let j = points.partition_point(|p| *p < x - 1e-9);
                    match counts.get_mut(j) {
                        Some(c) => *c += 1,
                        None => *overflow += 1,
                    }
                }
            }
            (Shape::Categorical(counts), _) => {
                let text = match value {
                    Value::Str(s) => std::borrow::Cow::Borrowed(s.as_str()),
                    other => std::borrow::Cow::Owned(other.render(self.model.logical_type)),
                };
                match counts.get_mut(text.as_ref()) {
                    Some(c) => *c += 1,
                    None => {
                        counts.insert(text.into_owned(), 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn quality(&self, rows: u64) -> ColumnQuality {
        let masked = self.model.privacy.masked_in_reports();
        let non_null = rows - self.nulls;
        let (metric, score) = match (&self.shape, &self.model.generator) {
            (
                Shape::Numeric {
                    points,
                    counts,
                    overflow,
                },
                Generator::Numeric {
                    quantiles,
                    masses,
                    family,
                    ..
                },
            ) if non_null > 0 => {
                let rest = crate::stats::Remainder {
                    quantiles,
                    family: family.as_ref(),
                };
                let n = non_null as f64;
                let mut cumulative = 0u64;
                let mut ks: f64 = *overflow as f64 / n;
                for (p, c) in points.iter().zip(counts) {
                    cumulative += c;
                    let model = crate::stats::cdf_with_masses(rest, masses, *p);
                    ks = ks.max((cumulative as f64 / n - model).abs());
                }
                (Some("ks_complement"), Some(1.0 - ks.min(1.0)))
            }
            (Shape::Categorical(counts), generator) if non_null > 0 => {
                let mut observed: Vec<(String, f64)> = counts
                    .iter()
                    .map(|(v, c)| (v.clone(), *c as f64 / non_null as f64))
                    .collect();
                observed.sort_by(|a, b| a.0.cmp(&b.0));
                let expected: Vec<(String, f64)> = match generator {
                    Generator::Categorical { frequencies } => frequencies.items.clone(),
                    Generator::Boolean { p_true } => {
                        vec![("true".into(), *p_true), ("false".into(), 1.0 - p_true)]
                    }
                    _ => vec![],
                };
                (
                    Some("tv_complement"),
                    Some(tv_complement(&expected, &observed)),
                )
            }
            _ => (None, None),
        };
        ColumnQuality {
            column: self.model.name.clone(),
            privacy: self.model.privacy,
            masked,
            null_rate: (!masked).then(|| self.nulls as f64 / rows.max(1) as f64),
            expected_null_rate: (!masked).then_some(self.model.null_rate),
            metric: if masked { None } else { metric },
            shape_score: if masked { None } else { score },
        }
    }
}

impl QualityReport {
    /// True when every learned rule held on every row.
    pub fn rules_hold(&self) -> bool {
        self.rules.iter().all(|r| r.violations == 0)
    }

    /// True when every primary key is unique and no foreign key is orphaned.
    pub fn keys_consistent(&self) -> bool {
        self.tables.iter().all(|t| t.duplicate_keys == 0)
            && self.foreign_keys.iter().all(|f| f.orphans == 0)
    }

    /// True when every key and reference was checked, not a slice of a large table's
    /// key space ([`keys`]).
    pub fn keys_checked_in_full(&self) -> bool {
        self.tables
            .iter()
            .all(|t| t.primary_key.is_empty() || t.keys_checked == t.rows)
            && self.foreign_keys.iter().all(|f| f.checked == f.references)
    }

    /// What the key checks found and how they were made, for a summary line.
    pub fn keys_summary(&self) -> &'static str {
        if !self.keys_consistent() {
            "INCONSISTENT (see the report)"
        } else if self.shard.is_some() {
            "every primary key unique in this shard; references not checked (their parents may be in other shards)"
        } else if self.keys_checked_in_full() {
            "every primary key unique, no orphans"
        } else {
            "every primary key unique, no orphans (checked on a fixed-size slice of the larger tables' keys; unique and resolved by construction)"
        }
    }

    /// The report as Markdown, for people.
    pub fn to_markdown(&self, run_id: &str) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Quality report — run `{run_id}`\n");
        if let Some(shard) = self.shard {
            let _ = writeln!(md, "Shard {shard} of the run: its slice of every table.\n");
        }
        let _ = writeln!(
            md,
            "Keys: {}. Rules: {}. Mean shape score: {}.\n",
            self.keys_summary(),
            if self.rules_hold() {
                format!(
                    "all {} learned rules hold on every row checked",
                    self.rules.len()
                )
            } else {
                "**SOME BROKEN** (see below)".to_string()
            },
            self.mean_shape_score
                .map_or("n/a".into(), |s| format!("{s:.3}"))
        );
        let _ = writeln!(
            md,
            "## Tables\n\n| table | rows | primary key | keys checked | duplicate keys |\n|---|---:|---|---:|---:|"
        );
        for t in &self.tables {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                t.table,
                t.rows,
                t.primary_key.join(", "),
                t.keys_checked,
                t.duplicate_keys
            );
        }
        let _ = writeln!(
            md,
            "\n## Foreign keys\n\n| relationship | child → parent | references | nulls | checked | orphans |\n|---|---|---:|---:|---:|---:|"
        );
        for f in &self.foreign_keys {
            let _ = writeln!(
                md,
                "| {} | {} → {} | {} | {} | {} | {} |",
                f.relationship,
                f.child_table,
                f.parent_table,
                f.references,
                f.nulls,
                f.checked,
                f.orphans
            );
        }
        let _ = writeln!(
            md,
            "\n## Learned rules\n\n| table | rule | meaning | rows checked | violations |\n|---|---|---|---:|---:|"
        );
        for r in &self.rules {
            let _ = writeln!(
                md,
                "| {} | `{}` | {} | {} | {} |",
                r.table, r.rule, r.description, r.checked, r.violations
            );
        }
        let _ = writeln!(
            md,
            "\n## Columns (worst shape first)\n\n| table | column | privacy | null rate (model) | metric | shape score |\n|---|---|---|---|---|---:|"
        );
        let mut rows: Vec<(&TableQuality, &ColumnQuality)> = self
            .tables
            .iter()
            .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
            .collect();
        rows.sort_by(|a, b| {
            let key = |c: &ColumnQuality| c.shape_score.unwrap_or(2.0);
            key(a.1).total_cmp(&key(b.1))
        });
        for (t, c) in rows {
            if c.masked {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | masked | masked | masked |",
                    t.table, c.column, c.privacy
                );
                continue;
            }
            let _ = writeln!(
                md,
                "| {} | {} | {} | {:.3} ({:.3}) | {} | {} |",
                t.table,
                c.column,
                c.privacy,
                c.null_rate.unwrap_or(0.0),
                c.expected_null_rate.unwrap_or(0.0),
                c.metric.unwrap_or("—"),
                c.shape_score.map_or("—".into(), |s| format!("{s:.3}"))
            );
        }
        md
    }
}
