//! Format columns tied to their row: a key embedded at the end ([`Embedded`]: an IBAN
//! ending with its account number) and leading characters by category ([`PrefixBy`]: a
//! card number starting with 4 for DEBIT cards).

use crate::error::{Error, Result};
use crate::format::FormatModel;
use crate::model::{ColumnModel, Generator, TableModel};
use crate::value::{LogicalType, Value};
use std::collections::HashMap;

#[cfg(doc)]
use crate::model::{Embedded, PrefixBy};

/// A format column's links to other columns of its row, resolved for a run.
pub(super) struct TextLinks {
    /// The key column the value ends with, and the width it is zero-padded to.
    pub(super) embeds: Option<(usize, usize)>,
    /// The categorical column deciding the prefix, and the format per category.
    by: Option<(usize, LogicalType, HashMap<String, FormatModel>)>,
}

impl TextLinks {
    /// The links of column `c` (generated from `format`) in `model`, if it has any; an
    /// error names a link a damaged pack makes impossible.
    pub(super) fn new(
        c: &ColumnModel,
        model: &TableModel,
        format: &FormatModel,
    ) -> Result<Option<Self>> {
        let damaged = |what: &str| {
            Error::Schema(
                format!(
                    "column {}.{} {what}; the model pack is damaged, retrain it",
                    model.name, c.name
                )
                .into(),
            )
        };
        let longest = format
            .patterns
            .iter()
            .map(|(p, _)| p.0.len())
            .max()
            .unwrap_or(0);
        let embeds = match &c.embeds {
            None => None,
            Some(e) => {
                let k = model
                    .column_index(&e.column)
                    .filter(|&k| {
                        model.columns[k].name != c.name
                            && matches!(
                                model.columns[k].generator,
                                Generator::Sequence { .. } | Generator::ForeignKey { .. }
                            )
                    })
                    .ok_or_else(|| {
                        damaged(&format!(
                            "embeds {}, which is not a key column of the table",
                            e.column
                        ))
                    })?;
                if e.width as usize > longest {
                    return Err(damaged("embeds a key wider than its format"));
                }
                Some((k, e.width as usize))
            }
        };
        let by = match &c.prefix_by {
            None => None,
            Some(p) => {
                let k = model
                    .column_index(&p.column)
                    .filter(|&k| matches!(model.columns[k].generator, Generator::Categorical { .. }))
                    .ok_or_else(|| damaged(&format!("takes its prefix from {}, which is not a categorical column of the table", p.column)))?;
                let formats = p
                    .prefixes
                    .iter()
                    .map(|(category, prefix)| (category.clone(), format.with_prefix(prefix)))
                    .collect();
                Some((k, model.columns[k].logical_type, formats))
            }
        };
        Ok((embeds.is_some() || by.is_some()).then_some(TextLinks { embeds, by }))
    }

    /// For a value made unique by the sequence key it ends with: the digits of the
    /// widest key `rows` rows generate.
    pub(super) fn widest_key(&self, model: &TableModel, rows: u64) -> Option<usize> {
        let (k, _) = self.embeds?;
        let Generator::Sequence { start, step, .. } = model.columns[k].generator else {
            return None;
        };
        let last = start + step * rows.saturating_sub(1) as f64;
        Some(format!("{}", start.abs().max(last.abs()).round() as i128).len())
    }

    /// Does the value need its row's other columns (a prefix by category)?
    pub(super) fn reads_row(&self) -> bool {
        self.reads().is_some()
    }

    /// The column of its row the value reads, if any.
    pub(super) fn reads(&self) -> Option<usize> {
        self.by.as_ref().map(|(k, _, _)| *k)
    }

    /// The format to draw from for `row`: its category's, else `base`.
    pub(super) fn format<'a>(&'a self, base: &'a FormatModel, row: &[Value]) -> &'a FormatModel {
        self.by
            .as_ref()
            .and_then(|(k, ty, formats)| formats.get(&*row[*k].render(*ty)))
            .unwrap_or(base)
    }

    /// The distinct values every format of the column can hold ([`FormatModel::unique_capacity`]).
    pub(super) fn unique_capacity(&self, base: &FormatModel) -> u64 {
        self.by
            .iter()
            .flat_map(|(_, _, formats)| formats.values())
            .map(FormatModel::unique_capacity)
            .fold(base.unique_capacity(), u64::min)
    }
}
