//! The generation engine: any row of any planned table from `(seed, table, index)`.
//!
//! Keys never depend on a row's other values: a sequence key is arithmetic on the
//! index, a unique text key a keyed bijection of it, and a foreign key the key of the
//! parent index chosen by the layout (grouped runs or popularity). So a child can name
//! its parent without the parent in memory, chunks can be generated in any order on any
//! number of threads, and the output is byte-identical.

use super::layout::{Groups, Popularity};
use super::plan::Plan;
use crate::error::{Error, Result};
use crate::faker;
use crate::format::FormatModel;
use crate::keys::Permutation;
use crate::model::{ColumnModel, Generator, ModelPack, Relationship, Role, TableModel};
use crate::rng::Streams;
use crate::stats::Quantiles;
use crate::value::{LogicalType, Value, add_months, date_from_days, days_from_date};
use chrono::Datelike;
use rand::RngExt;

/// Generates the rows of a [`Plan`] from a [`ModelPack`].
pub struct Engine<'m> {
    tables: Vec<TableRun<'m>>,
}

struct TableRun<'m> {
    model: &'m TableModel,
    rows: u64,
    row_streams: Streams,
    key_streams: Streams,
    group_streams: Streams,
    grouping: Option<(usize, Groups)>,
    links: Vec<Link<'m>>,
    columns: Vec<ColumnRun<'m>>,
}

struct Link<'m> {
    rel: &'m Relationship,
    parent: usize,
    streams: Streams,
    kind: LinkKind,
}

enum LinkKind {
    Grouping,
    /// A nullable foreign key to a table planned with no rows.
    Null,
    Reference(Popularity),
    SelfReference,
}

enum ColumnRun<'m> {
    ForeignKey {
        link: usize,
        parent_column: usize,
    },
    Sequence {
        ty: LogicalType,
        start: f64,
        step: f64,
        months: bool,
        per_parent_start: Option<&'m Quantiles>,
    },
    UniqueFormat {
        format: &'m FormatModel,
        permutation: Permutation,
    },
    Sampled(&'m ColumnModel),
}

impl<'m> Engine<'m> {
    /// Prepares the layouts of `plan` (fan-out draws, popularity weights).
    pub fn new(pack: &'m ModelPack, plan: &Plan) -> Result<Engine<'m>> {
        let seed = plan.seed;
        let position = |name: &str| plan.tables.iter().position(|t| t.name == name);
        let mut tables: Vec<TableRun<'m>> = Vec::with_capacity(plan.tables.len());
        for planned in &plan.tables {
            let model = pack.table(&planned.name)?;
            let mut links = Vec::new();
            let mut grouping = None;
            for rel in pack
                .relationships
                .iter()
                .filter(|r| r.child_table == model.name)
            {
                let parent = position(&rel.parent_table).ok_or_else(|| {
                    Error::Schema(format!(
                        "{}: parent table {} is not planned",
                        rel.name, rel.parent_table
                    ))
                })?;
                let parent_rows = plan.tables[parent].rows;
                if parent_rows == 0
                    && planned.rows > 0
                    && rel.role != Role::SelfReference
                    && !rel.nullable
                {
                    return Err(Error::Usage(format!(
                        "table {} gets 0 rows but {} rows of {} must reference it ({}); give {} at least one row",
                        rel.parent_table, planned.rows, model.name, rel.name, rel.parent_table
                    )));
                }
                let streams = Streams::new(seed, &format!("link:{}", rel.name), &model.name);
                let kind = match rel.role {
                    Role::Grouping => {
                        let fanout_streams =
                            Streams::new(seed, &format!("fanout:{}", rel.name), &model.name);
                        grouping = Some((
                            parent,
                            Groups::new(&fanout_streams, &rel.fanout, parent_rows, planned.rows),
                        ));
                        LinkKind::Grouping
                    }
                    Role::Reference if parent_rows == 0 => LinkKind::Null,
                    Role::Reference => {
                        let pop_streams =
                            Streams::new(seed, &format!("popularity:{}", rel.name), &model.name);
                        LinkKind::Reference(Popularity::new(&pop_streams, &rel.fanout, parent_rows))
                    }
                    Role::SelfReference => LinkKind::SelfReference,
                };
                links.push(Link {
                    rel,
                    parent,
                    streams,
                    kind,
                });
            }
            let key_streams = Streams::new(seed, "key", &model.name);
            let columns = model
                .columns
                .iter()
                .map(|c| column_run(c, model, &links, pack, plan, &key_streams, planned.rows))
                .collect::<Result<Vec<_>>>()?;
            tables.push(TableRun {
                model,
                rows: planned.rows,
                row_streams: Streams::new(seed, "row", &model.name),
                group_streams: Streams::new(seed, "group-start", &model.name),
                key_streams,
                grouping,
                links,
                columns,
            });
        }
        Ok(Engine { tables })
    }

    /// The number of planned tables (indices follow the plan's order).
    pub fn table_count(&self) -> usize {
        self.tables.len()
    }

    /// The model of planned table `t`.
    pub fn table_model(&self, t: usize) -> &'m TableModel {
        self.tables[t].model
    }

    /// The row count of planned table `t`.
    pub fn rows(&self, t: usize) -> u64 {
        self.tables[t].rows
    }

    /// Row `i` of planned table `t`, one value per model column.
    pub fn row(&self, t: usize, i: u64) -> Vec<Value> {
        let run = &self.tables[t];
        let mut rng = run.row_streams.at(i);
        let mut parents: Vec<Option<Option<u64>>> = vec![None; run.links.len()];
        run.columns
            .iter()
            .enumerate()
            .map(|(c, col)| match col {
                ColumnRun::ForeignKey {
                    link,
                    parent_column,
                } => {
                    let p = *parents[*link].get_or_insert_with(|| self.parent_index(t, *link, i));
                    match p {
                        Some(p) => self.key_value(run.links[*link].parent, p, *parent_column),
                        None => Value::Null,
                    }
                }
                ColumnRun::Sequence { .. } | ColumnRun::UniqueFormat { .. } => {
                    self.key_value(t, i, c)
                }
                ColumnRun::Sampled(model) => sample(model, &mut rng),
            })
            .collect()
    }

    /// Rows `start..end` of planned table `t`.
    pub fn rows_range(&self, t: usize, start: u64, end: u64) -> Vec<Vec<Value>> {
        (start..end).map(|i| self.row(t, i)).collect()
    }

    /// Generates table `t` in chunks of `chunk_rows` on `threads` worker threads and
    /// hands the chunks to `sink` in row order on the calling thread, which works while
    /// the workers generate ahead. The chunks are the same whatever the thread count.
    pub fn for_each_chunk(
        &self,
        t: usize,
        chunk_rows: u64,
        threads: usize,
        mut sink: impl FnMut(u64, Vec<Vec<Value>>) -> Result<()>,
    ) -> Result<()> {
        let rows = self.rows(t);
        let chunk_rows = chunk_rows.max(1);
        let chunks = rows.div_ceil(chunk_rows);
        let workers = (threads.max(1) as u64).min(chunks.max(1));
        let range = move |k: u64| (k * chunk_rows, ((k + 1) * chunk_rows).min(rows));
        if workers <= 1 {
            for k in 0..chunks {
                let (s, e) = range(k);
                sink(s, self.rows_range(t, s, e))?;
            }
            return Ok(());
        }
        std::thread::scope(|scope| {
            let receivers: Vec<_> = (0..workers)
                .map(|w| {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<Value>>>(1);
                    scope.spawn(move || {
                        for k in (w..chunks).step_by(workers as usize) {
                            let (s, e) = range(k);
                            if tx.send(self.rows_range(t, s, e)).is_err() {
                                break; // the writer stopped on an error
                            }
                        }
                    });
                    rx
                })
                .collect();
            for k in 0..chunks {
                let chunk = receivers[(k % workers) as usize]
                    .recv()
                    .expect("generator threads do not fail");
                sink(range(k).0, chunk)?;
            }
            Ok(())
        })
    }

    /// The parent row that row `i` of table `t` references through link `link`.
    fn parent_index(&self, t: usize, link: usize, i: u64) -> Option<u64> {
        let run = &self.tables[t];
        let l = &run.links[link];
        let mut rng = l.streams.at(i);
        match &l.kind {
            LinkKind::Grouping => Some(
                run.grouping
                    .as_ref()
                    .expect("grouped table")
                    .1
                    .parent_of(i)
                    .0,
            ),
            LinkKind::Reference(popularity) => {
                (rng.random::<f64>() >= l.rel.null_rate).then(|| popularity.pick(&mut rng))
            }
            LinkKind::Null => None,
            LinkKind::SelfReference => {
                if i == 0 || rng.random::<f64>() < l.rel.null_rate {
                    None
                } else {
                    Some(rng.random_range(0..i))
                }
            }
        }
    }

    /// The value of key column `c` of row `i` of table `t` (keys are pure functions of
    /// the index).
    fn key_value(&self, t: usize, i: u64, c: usize) -> Value {
        let run = &self.tables[t];
        match &run.columns[c] {
            ColumnRun::Sequence {
                ty,
                start,
                step,
                months,
                per_parent_start,
            } => {
                let (base, k) = match (per_parent_start, &run.grouping) {
                    (Some(q), Some((_, groups))) => {
                        let (g, k) = groups.parent_of(i);
                        (q.sample(run.group_streams.at(g).random()), k)
                    }
                    _ => (*start, i),
                };
                if *months {
                    let base = snap_to_day(base as i32, date_from_days(*start as i32).day());
                    Value::Date(add_months(base, (k as f64 * step) as i32))
                } else {
                    Value::from_number(base + k as f64 * step, *ty)
                }
            }
            ColumnRun::UniqueFormat {
                format,
                permutation,
            } => Value::Str(format.generate(&mut run.key_streams.at(i), Some((i, permutation)))),
            ColumnRun::ForeignKey {
                link,
                parent_column,
            } => match self.parent_index(t, *link, i) {
                Some(p) => self.key_value(run.links[*link].parent, p, *parent_column),
                None => Value::Null,
            },
            ColumnRun::Sampled(_) => unreachable!("key columns have key generators"),
        }
    }
}

fn snap_to_day(days: i32, day: u32) -> i32 {
    let d = date_from_days(days);
    d.with_day(day).map_or(days, days_from_date)
}

fn column_run<'m>(
    c: &'m ColumnModel,
    model: &TableModel,
    links: &[Link<'m>],
    pack: &'m ModelPack,
    plan: &Plan,
    key_streams: &Streams,
    rows: u64,
) -> Result<ColumnRun<'m>> {
    Ok(match &c.generator {
        Generator::ForeignKey { relationship } => {
            let link = links
                .iter()
                .position(|l| l.rel.name == *relationship)
                .ok_or_else(|| {
                    Error::Schema(format!(
                        "column {}.{}: unknown relationship {relationship}",
                        model.name, c.name
                    ))
                })?;
            let rel = links[link].rel;
            let part = rel
                .child_columns
                .iter()
                .position(|x| *x == c.name)
                .expect("FK column");
            let parent = pack.table(&plan.tables[links[link].parent].name)?;
            let parent_column =
                parent
                    .column_index(&rel.parent_columns[part])
                    .ok_or_else(|| {
                        Error::Schema(format!(
                            "{}: parent column {} missing from the pack",
                            rel.name, rel.parent_columns[part]
                        ))
                    })?;
            ColumnRun::ForeignKey {
                link,
                parent_column,
            }
        }
        Generator::Sequence {
            start,
            step,
            months,
            per_parent_start,
        } => ColumnRun::Sequence {
            ty: c.logical_type,
            start: *start,
            step: *step,
            months: *months,
            per_parent_start: per_parent_start.as_ref(),
        },
        Generator::UniqueFormat { format } => {
            let capacity = format.unique_capacity();
            if rows > capacity {
                return Err(Error::Usage(format!(
                    "column {}.{} is unique but its learned format ({}) has room for only {capacity} distinct values; ask for fewer than {rows} rows of {}",
                    model.name, c.name, format.patterns[0].0, model.name
                )));
            }
            ColumnRun::UniqueFormat {
                format,
                permutation: Permutation::new(
                    capacity,
                    key_streams.subkey(crate::rng::hash64(0, &[&c.name])),
                ),
            }
        }
        _ => ColumnRun::Sampled(c),
    })
}

/// Draws a value of a sampled (non-key) column.
fn sample<R: RngExt>(model: &ColumnModel, rng: &mut R) -> Value {
    if model.nullable && rng.random::<f64>() < model.null_rate {
        return Value::Null;
    }
    match &model.generator {
        Generator::Numeric {
            quantiles,
            round_to,
        } => {
            let x = quantiles.sample(rng.random());
            let x = round_to.map_or(x, |r| (x / r).round() * r);
            Value::from_number(x, model.logical_type)
        }
        Generator::Categorical { frequencies } => {
            Value::Str(frequencies.sample(rng.random()).clone())
        }
        Generator::Boolean { p_true } => Value::Bool(rng.random::<f64>() < *p_true),
        Generator::Format { format } => Value::Str(format.generate(rng, None)),
        Generator::Faker { provider } => faker::generate(provider, rng),
        Generator::Sequence { .. }
        | Generator::UniqueFormat { .. }
        | Generator::ForeignKey { .. } => {
            unreachable!("key generators are not sampled")
        }
    }
}
