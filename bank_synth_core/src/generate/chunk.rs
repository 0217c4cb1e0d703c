//! A chunk of generated rows of one table, held in one buffer.

use crate::value::Value;

/// Rows of one table, one value per column, stored one row after the other in a single
/// buffer: a chunk costs one allocation instead of one per row (and the engine reuses
/// it from chunk to chunk), and a writer reads a column with a fixed stride.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chunk {
    width: usize,
    rows: usize,
    values: Vec<Value>,
}

impl Chunk {
    /// Empties the chunk for rows of `width` values, keeping its buffer, with room for
    /// `rows` of them. A buffer too small is replaced, not grown (its values need no
    /// copying), by one of a power of two values, so that chunks of about the same size
    /// of another table fit in it too.
    pub(crate) fn reset(&mut self, width: usize, rows: usize) {
        self.clear();
        self.width = width;
        let values = width * rows;
        if self.values.capacity() < values {
            self.values = Vec::with_capacity(values.next_power_of_two());
        }
    }

    /// Drops the rows, keeping the buffer.
    pub(crate) fn clear(&mut self) {
        self.values.clear();
        self.rows = 0;
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Holds no row?
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Values per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[Value] {
        assert!(i < self.rows, "row {i} of a chunk of {}", self.rows);
        &self.values[i * self.width..(i + 1) * self.width]
    }

    /// The rows in order (a table of no columns has rows all the same).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[Value]> + Clone + '_ {
        (0..self.rows).map(|i| self.row(i))
    }

    /// Column `c` of every row, in row order.
    pub fn column(&self, c: usize) -> impl ExactSizeIterator<Item = &Value> + Clone + '_ {
        assert!(c < self.width, "column {c} of a chunk of {}", self.width);
        (0..self.rows).map(move |i| &self.values[i * self.width + c])
    }

    /// Appends a row of NULLs and returns it to be filled in.
    pub(crate) fn push_nulls(&mut self) -> &mut [Value] {
        let start = self.values.len();
        self.values.resize(start + self.width, Value::Null);
        self.rows += 1;
        &mut self.values[start..]
    }

    /// The rows, each in a vector of its own.
    pub fn to_vecs(&self) -> Vec<Vec<Value>> {
        self.iter().map(<[Value]>::to_vec).collect()
    }
}

impl FromIterator<Vec<Value>> for Chunk {
    /// Rows from vectors of equal length (the width of the first).
    fn from_iter<I: IntoIterator<Item = Vec<Value>>>(rows: I) -> Chunk {
        let mut out = Chunk::default();
        for row in rows {
            if out.rows == 0 {
                out.width = row.len();
            }
            assert_eq!(row.len(), out.width, "rows of one width");
            out.values.extend(row);
            out.rows += 1;
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
        assert_eq!(rows.row(3), vecs[3].as_slice());
        let firsts: Vec<&Value> = rows.column(0).collect();
        assert_eq!(firsts, vecs.iter().map(|r| &r[0]).collect::<Vec<_>>());
        let lasts: Vec<&Value> = rows.column(2).collect();
        assert_eq!(lasts, vecs.iter().map(|r| &r[2]).collect::<Vec<_>>());
        assert_eq!(rows.column(1).len(), 5);
    }

    #[test]
    fn reset_keeps_no_row_and_a_table_of_no_columns_still_counts_its_rows() {
        let mut chunk: Chunk = (0..3).map(|i| vec![Value::Int(i)]).collect();
        chunk.reset(2, 10);
        assert!(chunk.is_empty());
        assert_eq!(chunk.iter().count(), 0);
        assert_eq!(chunk.column(1).count(), 0);
        chunk.push_nulls()[1] = Value::Int(7);
        assert_eq!(chunk.to_vecs(), vec![vec![Value::Null, Value::Int(7)]]);

        let mut empty = Chunk::default();
        empty.reset(0, 4);
        for _ in 0..4 {
            assert!(empty.push_nulls().is_empty());
        }
        assert_eq!(empty.len(), 4);
        assert_eq!(empty.iter().count(), 4);
    }

    #[test]
    #[should_panic(expected = "column 3 of a chunk of 3")]
    fn a_column_past_the_width_is_a_bug() {
        let rows: Chunk = (0..2).map(|i| vec![Value::Int(i); 3]).collect();
        let _ = rows.column(3);
    }
}
