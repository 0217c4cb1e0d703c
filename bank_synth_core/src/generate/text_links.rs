//! Format columns tied to their row: a key embedded at the end ([`Embedded`]: an IBAN
//! ending with its account number) and leading characters by category ([`PrefixBy`]: a
//! card number starting with 4 for DEBIT cards).

use crate::format::FormatModel;
use crate::model::{ColumnModel, TableModel};
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
    /// The links of column `c` (generated from `format`) in `model`, if it has any.
    pub(super) fn new(c: &ColumnModel, model: &TableModel, format: &FormatModel) -> Option<Self> {
        let embeds = c
            .embeds
            .as_ref()
            .and_then(|e| Some((model.column_index(&e.column)?, e.width as usize)));
        let by = c.prefix_by.as_ref().and_then(|p| {
            let k = model.column_index(&p.column)?;
            let formats = p
                .prefixes
                .iter()
                .map(|(category, prefix)| (category.clone(), format.with_prefix(prefix)))
                .collect();
            Some((k, model.columns[k].logical_type, formats))
        });
        (embeds.is_some() || by.is_some()).then_some(TextLinks { embeds, by })
    }

    /// Does the value need its row's other columns (a prefix by category)?
    pub(super) fn reads_row(&self) -> bool {
        self.by.is_some()
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
