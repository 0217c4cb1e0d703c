//! Drawing a table's [`Joint`] columns: one combination per row, by its position.

use crate::error::{Error, Result};
use crate::model::{Generator, Joint, TableModel};
use crate::value::Value;

/// A table's joint, parsed once for the run.
pub(super) struct JointRun {
    /// The joint's column indices in the table, in the joint's order.
    pub(super) columns: Vec<usize>,
    /// The combinations' cumulative shares (the last is 1).
    cumulative: Vec<f64>,
    combinations: Vec<Vec<Value>>,
}

impl JointRun {
    /// The run of `model`'s joint, or `None` when it has none; an error names the damaged
    /// part of the pack.
    pub(super) fn new(model: &TableModel) -> Result<Option<JointRun>> {
        let Some(Joint {
            columns,
            combinations,
        }) = &model.joint
        else {
            return Ok(None);
        };
        let damaged = |what: String| {
            Error::Schema(
                format!(
                    "the joint of table {} {what}; the model pack is damaged, retrain it",
                    model.name
                )
                .into(),
            )
        };
        let columns = columns
            .iter()
            .map(|name| {
                model
                    .column_index(name)
                    .filter(|&c| {
                        matches!(
                            model.columns[c].generator,
                            Generator::Categorical { .. } | Generator::Boolean { .. }
                        )
                    })
                    .ok_or_else(|| {
                        damaged(format!(
                            "names column {name}, which is not a categorical or boolean column of the table"
                        ))
                    })
            })
            .collect::<Result<Vec<usize>>>()?;
        let mut total = 0.0;
        let mut cumulative = Vec::with_capacity(combinations.items.len());
        let mut parsed = Vec::with_capacity(combinations.items.len());
        for (k, (texts, share)) in combinations.items.iter().enumerate() {
            if texts.len() != columns.len() || !share.is_finite() || *share < 0.0 {
                return Err(damaged(format!(
                    "has a malformed combination (number {})",
                    k + 1
                )));
            }
            total += share;
            cumulative.push(total);
            let values = texts
                .iter()
                .zip(&columns)
                .map(|(text, &c)| {
                    let column = &model.columns[c];
                    match text {
                        None => Ok(Value::Null),
                        Some(s) => Value::parse(s, column.logical_type).ok_or_else(|| {
                            damaged(format!(
                                "holds a value of column {} that does not parse as {}",
                                column.name, column.logical_type
                            ))
                        }),
                    }
                })
                .collect::<Result<Vec<Value>>>()?;
            parsed.push(values);
        }
        if parsed.is_empty() || total <= 0.0 {
            return Err(damaged("has no combinations".to_string()));
        }
        for c in &mut cumulative {
            *c /= total;
        }
        Ok(Some(JointRun {
            columns,
            cumulative,
            combinations: parsed,
        }))
    }

    /// The index of the combination at cumulative share `u` in `[0, 1)`.
    pub(super) fn pick(&self, u: f64) -> usize {
        let k = self.cumulative.partition_point(|&c| c <= u);
        k.min(self.combinations.len() - 1)
    }

    /// The number of combinations.
    pub(super) fn len(&self) -> usize {
        self.combinations.len()
    }

    /// Combination `k`'s values, in the order of [`JointRun::columns`].
    pub(super) fn combination(&self, k: usize) -> &[Value] {
        &self.combinations[k]
    }
}
