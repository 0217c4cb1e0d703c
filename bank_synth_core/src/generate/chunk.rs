//! A chunk of generated rows of one table, held in one buffer.

use crate::value::Value;

/// Rows of one table, one value per column, stored one row after the other in a single
/// buffer: a chunk costs one allocation instead of one per row, and a writer reads a
/// column with a fixed stride.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chunk {
    width: usize,
    values: Vec<Value>,
}

impl Chunk {
    /// No rows yet, of `width` values each, with room for `rows` of them.
    pub fn with_capacity(width: usize, rows: usize) -> Chunk {
        let mut chunk = Chunk::default();
        chunk.reset(width, rows);
        chunk
    }

    /// Empties the chunk for rows of `width` values, keeping its buffer, with room for
    /// `rows` of them.
    pub(crate) fn reset(&mut self, width: usize, rows: usize) {
        self.values.clear();
        self.width = width;
        self.values.reserve(width * rows);
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.width).unwrap_or(0)
    }

    /// Holds no row?
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Values per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[Value] {
        &self.values[i * self.width..(i + 1) * self.width]
    }

    /// The rows in order.
    pub fn iter(&self) -> std::slice::ChunksExact<'_, Value> {
        // A table has at least one column; `max` keeps an empty chunk well-formed.
        self.values.chunks_exact(self.width.max(1))
    }

    /// Column `c` of every row, in row order.
    pub fn column(&self, c: usize) -> impl ExactSizeIterator<Item = &Value> + Clone + '_ {
        let width = self.width.max(1);
        self.values[c.min(self.values.len())..]
            .iter()
            .step_by(width)
            .take(self.len())
    }

    /// Appends a row of NULLs and returns it to be filled in.
    pub(crate) fn push_nulls(&mut self) -> &mut [Value] {
        let start = self.values.len();
        self.values.resize(start + self.width, Value::Null);
        &mut self.values[start..]
    }

    /// Appends `row` (of [`Chunk::width`] values).
    pub fn push(&mut self, row: &[Value]) {
        debug_assert_eq!(row.len(), self.width);
        self.values.extend_from_slice(row);
    }

    /// The rows, each in a vector of its own.
    pub fn to_vecs(&self) -> Vec<Vec<Value>> {
        self.iter().map(<[Value]>::to_vec).collect()
    }
}

impl<'a> IntoIterator for &'a Chunk {
    type Item = &'a [Value];
    type IntoIter = std::slice::ChunksExact<'a, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl std::ops::Index<usize> for Chunk {
    type Output = [Value];

    fn index(&self, i: usize) -> &[Value] {
        self.row(i)
    }
}

impl FromIterator<Vec<Value>> for Chunk {
    /// Rows from vectors of equal length (the width of the first).
    fn from_iter<I: IntoIterator<Item = Vec<Value>>>(rows: I) -> Chunk {
        let mut out = Chunk::default();
        for (i, row) in rows.into_iter().enumerate() {
            if i == 0 {
                out.width = row.len();
            }
            assert_eq!(row.len(), out.width, "rows of one width");
            out.values.extend(row);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_columns_and_vectors_agree() {
        let vecs: Vec<Vec<Value>> = (0..5)
            .map(|i| {
                vec![
                    Value::Int(i),
                    Value::Null,
                    Value::Str(format!("r{i}").into()),
                ]
            })
            .collect();
        let rows: Chunk = vecs.iter().cloned().collect();
        assert_eq!(rows.len(), 5);
        assert_eq!(rows.width(), 3);
        assert_eq!(rows.to_vecs(), vecs);
        assert_eq!(&rows[3], vecs[3].as_slice());
        let firsts: Vec<&Value> = rows.column(0).collect();
        assert_eq!(firsts, vecs.iter().map(|r| &r[0]).collect::<Vec<_>>());
        let lasts: Vec<&Value> = rows.column(2).collect();
        assert_eq!(lasts, vecs.iter().map(|r| &r[2]).collect::<Vec<_>>());
        assert_eq!(rows.column(1).len(), 5);
        let empty = Chunk::with_capacity(3, 10);
        assert!(empty.is_empty());
        assert_eq!(empty.column(2).count(), 0);
        assert_eq!(empty.iter().count(), 0);
    }
}
