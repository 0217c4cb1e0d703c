//! The generation engine: any row of any planned table from `(seed, table, index)`.
//!
//! Keys never depend on a row's other values: a sequence key is arithmetic on the
//! index, a unique text key a keyed bijection of it, and a foreign key the key of the
//! parent index chosen by the layout (grouped runs or popularity). So a child can name
//! its parent without the parent in memory, chunks can be generated in any order on any
//! number of threads, and the output is byte-identical.

use super::chunk::Chunk;
use super::fanouts::Fanouts;
use super::joint::JointRun;
use super::layout::{Groups, Popularity};
use super::plan::Plan;
use super::rooms::Room;
use super::strata::Strata;
use super::text_links::TextLinks;
use crate::error::{Error, Result};
use crate::faker;
use crate::format::FormatModel;
use crate::keys::Permutation;
use crate::model::Cardinality;
use crate::model::{
    COMBINATION_SEPARATOR, Case, ColumnModel, ColumnRef, Dependency, FanoutBy, Generator,
    ModelPack, Order, Relationship, Role, TableModel, combination_prefixes, write_combination_key,
};
use crate::rng::Streams;
use crate::stats::{Quantiles, normal_cdf, normal_quantile};
use crate::value::{
    LogicalType, Value, add_months, convert_temporal, day_in_month, on_day_of_month,
};
use rand::RngExt;
use std::collections::HashMap;
use std::sync::PoisonError;

/// Generates the rows of a [`Plan`] from a [`ModelPack`].
pub struct Engine<'m> {
    tables: Vec<TableRun<'m>>,
    /// Chunk buffers the sinks of [`Engine::for_each_chunk`] are done with, for the
    /// next chunks of any table: their pages are touched once per run, not per table.
    spare: std::sync::Mutex<Vec<Chunk>>,
}

struct TableRun<'m> {
    model: &'m TableModel,
    rows: u64,
    /// A reference table's rows, replayed instead of sampled.
    replay: Option<Vec<Vec<Value>>>,
    /// A replayed table's made-up columns (pii fakers, sensitive formats and coarse
    /// ranges), by index: their values are not stored, and are drawn for every row.
    made_up: Vec<(usize, ColumnRun<'m>)>,
    /// For a replayed table, the parent row each stored row names, per relationship.
    replay_parents: Vec<(&'m str, Vec<Option<u64>>)>,
    /// Column indices in generation order (a column after the one it reads).
    order: Vec<usize>,
    /// A whole row: every column, and of the grouping parent's row what they read.
    full: Wanted,
    /// Per column, a context row holding just that column's value (and what it reads).
    single: Vec<Wanted>,
    /// The copula's columns (indices) and Cholesky factor.
    copula: Option<(Vec<usize>, &'m [Vec<f64>])>,
    /// Columns whose values rise with the row index.
    monotone: Vec<usize>,
    /// Stratified positions for a small table's draws: the copula's innovations first,
    /// then per column its value and its NULL decision ([`strata_dimension`]).
    strata: Option<Strata>,
    /// The public discrete columns drawn together.
    joint: Option<JointRun>,
    /// The persona maker, when pii columns share one person per row.
    persona: Option<PersonaKeys>,
    row_streams: Streams,
    key_streams: Streams,
    group_streams: Streams,
    grouping: Option<(usize, Groups<'m>)>,
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
    /// A 1:1 second parent: a keyed bijection of the row index, so no parent row is
    /// referenced twice.
    OneToOne(Permutation),
    /// A second parent that, with the grouping parent, makes up the primary key (a
    /// junction table such as account holders): picks are distinct within each group.
    DistinctInGroup(Popularity),
    /// A second parent reached, in `share` of the rows, through another parent: link
    /// `via` of this table to table `middle`, then `middle`'s link `then` (a diamond);
    /// else picked by popularity.
    Through {
        via: usize,
        middle: usize,
        then: Then,
        share: f64,
        otherwise: Popularity,
    },
    /// A second parent that is, in `share` of the rows, one of the row's own children
    /// (the parent table is grouped under this one: a store's manager among its staff);
    /// else, or for a row without children, picked by popularity.
    AmongChildren {
        share: f64,
        otherwise: Popularity,
    },
    SelfReference,
}

/// A replayed table's foreign key resolved: the parent row each stored row names, and
/// the `(row, column, key value)` writes that point its rows at generated parents.
type ResolvedKeys = (Vec<Option<u64>>, Vec<(usize, usize, Value)>);

/// How a diamond's intermediate table reaches the shared parent.
#[derive(Clone, Copy)]
enum Then {
    /// Through its link with this index.
    Link(usize),
    /// A replayed table: through its recorded parent rows with this index.
    Replayed(usize),
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
        /// A monthly sequence's day of the month.
        month_day: Option<u32>,
        per_parent_start: Option<&'m Quantiles>,
        /// Each parent's first value, placed in its room (grouped date sequences
        /// with one).
        starts: Option<Vec<f64>>,
    },
    UniqueFormat {
        format: &'m FormatModel,
        permutation: Permutation,
        links: Option<TextLinks>,
    },
    Sampled {
        model: &'m ColumnModel,
        sampler: Sampler<'m>,
        dependency: Dep<'m>,
        /// The column's own draws (a copula's or the strata's come from the row's).
        streams: Streams,
    },
    /// A column of the table's joint: slot `slot` of the row's combination.
    Joint {
        slot: usize,
    },
    /// Faker and format columns: drawn from a stream of their own.
    Text {
        model: &'m ColumnModel,
        sampler: Sampler<'m>,
        streams: Streams,
    },
    /// A format column tied to other columns of its row.
    LinkedFormat {
        model: &'m ColumnModel,
        format: &'m FormatModel,
        streams: Streams,
        links: TextLinks,
    },
}

/// Knots of a fitted family's tabulated quantile function.
const FAMILY_TABLE_INTERVALS: usize = 1024;

/// The dates a sequence's room may span, in days since 1970: 0001-01-01 to 9999-12-31.
const DAYS_FROM: f64 = -719_162.0;
const DAYS_TO: f64 = 2_932_896.0;

/// A column's (or a case's) generator ready to draw from: a fitted family's truncated
/// quantile function is tabulated once, as inverting gamma and beta CDFs per draw
/// costs a quarter of the generation time.
struct Sampler<'m> {
    generator: &'m Generator,
    table: Option<Quantiles>,
    /// A template's tail formats by phrase.
    tails: HashMap<&'m str, &'m FormatModel, crate::rng::FastBuild>,
}

impl<'m> Sampler<'m> {
    fn new(generator: &'m Generator) -> Self {
        let table = match generator {
            Generator::Numeric {
                quantiles,
                family: Some(family),
                ..
            } => Some(Quantiles::of_family(
                family,
                quantiles.min(),
                quantiles.max(),
                FAMILY_TABLE_INTERVALS,
            )),
            _ => None,
        };
        let tails = match generator {
            Generator::Template { tails, .. } => {
                tails.iter().map(|(p, f)| (p.as_str(), f)).collect()
            }
            _ => HashMap::default(),
        };
        Sampler {
            generator,
            table,
            tails,
        }
    }
}

/// Buffers reused from row to row.
#[derive(Default)]
struct Scratch {
    /// The parent index chosen per link (filled on first use).
    parents: Vec<Option<Option<u64>>>,
    /// The row's positions per column (copula or strata).
    positions: Vec<Positions>,
    /// The copula's independent normal draws.
    eps: Vec<f64>,
    /// The row's person (drawn on first use).
    persona: Option<faker::Persona>,
    /// The row's grouping parent, when the caller knows it.
    group: Option<u64>,
}

/// The columns a row computes: every one for a row written out; for a context row (a
/// parent row its children read, a row a layout reads) the columns read, and what those
/// read in turn. Each column draws from a stream of its own, so the columns left NULL
/// change no value computed.
#[derive(Debug, Default)]
struct Wanted {
    columns: Vec<bool>,
    /// What the grouping parent's row must hold for them (none: they do not read it).
    parent: Option<Box<Wanted>>,
}

/// Generates rows one after the other: the grouping parent's row is made once for the
/// consecutive rows that share it, and the buffers are reused from row to row.
#[derive(Default)]
struct RowCursor {
    /// The grouping parent of the rows so far: its index, its children and (when a
    /// column reads it) its row.
    cached: Option<(u64, std::ops::Range<u64>, Option<Vec<Value>>)>,
    /// The cursor of the parent's context rows, so that a grandparent row shared by
    /// consecutive parents is made once too.
    parents: Option<Box<RowCursor>>,
    scratch: Scratch,
}

impl RowCursor {
    /// Fills `values` (all NULL, one per column) with row `i` of table `t`.
    fn fill(&mut self, engine: &Engine, t: usize, i: u64, want: &Wanted, values: &mut [Value]) {
        let run = &engine.tables[t];
        let parent = match &run.grouping {
            Some((p, groups)) => {
                if self
                    .cached
                    .as_ref()
                    .is_none_or(|(_, kids, _)| !kids.contains(&i))
                {
                    let index = groups.parent_of(i).0;
                    // The previous parent's row buffer is reused.
                    let previous = self.cached.take().and_then(|(_, _, row)| row);
                    let row = want.parent.as_deref().map(|wanted| {
                        let mut row = previous.unwrap_or_default();
                        row.clear();
                        row.resize(engine.tables[*p].model.columns.len(), Value::Null);
                        let parents = self.parents.get_or_insert_default();
                        parents.fill(engine, *p, index, wanted, &mut row);
                        row
                    });
                    self.cached = Some((index, groups.children(index), row));
                }
                let (index, _, row) = self.cached.as_ref().expect("cached above");
                self.scratch.group = Some(*index);
                row.as_deref()
            }
            None => None,
        };
        engine.row_given_parent(t, i, parent, want, &mut self.scratch, values);
    }
}

impl<'m> TableRun<'m> {
    /// How column `c` is made (none for a replayed table's stored column).
    fn column(&self, c: usize) -> Option<&ColumnRun<'m>> {
        match &self.replay {
            Some(_) => self
                .made_up
                .iter()
                .find(|(m, _)| *m == c)
                .map(|(_, run)| run),
            None => self.columns.get(c),
        }
    }
}

/// What makes the [`faker::Persona`] of each row of a table with name, email or SSN
/// columns.
struct PersonaKeys {
    streams: Streams,
    numbers: Permutation,
    ssns: Permutation,
    /// Birth-date columns and the row's first other learned date they are placed
    /// before: the person is an adult at the row's dates.
    births: Vec<(usize, usize)>,
    ages: Streams,
}

impl PersonaKeys {
    fn new(model: &TableModel, rows: u64, seed: u64) -> Option<PersonaKeys> {
        let faked = |c: &ColumnModel, p: faker::Kind| matches!(&c.generator, Generator::Faker { provider } if *provider == p);
        let used = model
            .columns
            .iter()
            .any(|c| matches!(&c.generator, Generator::Faker { provider } if faker::uses_persona(*provider)));
        let anchor = model.columns.iter().position(|c| {
            c.logical_type.is_temporal() && matches!(c.generator, Generator::Numeric { .. })
        });
        let births: Vec<(usize, usize)> = anchor
            .map(|a| {
                (0..model.columns.len())
                    .filter(|&b| faked(&model.columns[b], faker::Kind::DateOfBirth))
                    .map(|b| (b, a))
                    .collect()
            })
            .unwrap_or_default();
        let streams = Streams::new(seed, "persona", &model.name);
        (used || !births.is_empty()).then(|| PersonaKeys {
            numbers: Permutation::new(rows.saturating_mul(10).max(1000), streams.subkey(0)),
            ssns: Permutation::new(faker::SSN_SPACE, streams.subkey(1)),
            births,
            ages: Streams::new(seed, "age", &model.name),
            streams,
        })
    }

    /// Places the row's birth dates 18 to 80 years before its first learned date.
    fn age(&self, values: &mut [Value], i: u64) {
        for &(birth, anchor) in &self.births {
            let days = match values[anchor] {
                Value::Date(d) => d,
                Value::Timestamp(us) => us.div_euclid(86_400_000_000) as i32,
                _ => continue,
            };
            if values[birth].is_null() {
                continue;
            }
            let mut rng = self.ages.at(i);
            let born = days - rng.random_range(18 * 365 + 5..80 * 365);
            values[birth] = match values[birth] {
                Value::Timestamp(_) => Value::Timestamp(i64::from(born) * 86_400_000_000),
                _ => Value::Date(born),
            };
        }
    }

    fn persona(&self, i: u64) -> faker::Persona {
        faker::Persona::new(
            &mut self.streams.at(i),
            self.numbers.apply(i) + 1,
            self.ssns.apply(i % faker::SSN_SPACE),
        )
    }
}

/// A faker or format column's value for row `i`: persona fakers from the row's person
/// (made on first use), the others from the column's own stream.
fn text_value(
    (model, sampler, streams): (&ColumnModel, &Sampler, &Streams),
    keys: Option<&PersonaKeys>,
    i: u64,
    persona: &mut Option<faker::Persona>,
) -> Value {
    match (keys, &model.generator) {
        (Some(keys), Generator::Faker { provider }) if faker::uses_persona(*provider) => {
            let mut rng = streams.at(i);
            if model.nullable && rng.random::<f64>() < model.null_rate {
                Value::Null
            } else {
                let persona = persona.get_or_insert_with(|| keys.persona(i));
                faker::generate_for(*provider, &mut rng, persona)
            }
        }
        _ => sample(
            model,
            sampler,
            &Dep::None,
            &mut streams.at(i),
            Positions::default(),
            Row::NONE,
        ),
    }
}

/// Where a dependency reads its value: a column of the row, or of the parent's row.
#[derive(Clone, Copy)]
enum Slot {
    Own(usize),
    Parent(usize),
}

impl Slot {
    /// The slot's value, NULL included (`None` only without a parent row).
    fn read_any<'a>(self, row: &'a [Value], parent: Option<&'a [Value]>) -> Option<&'a Value> {
        match self {
            Slot::Own(c) => row.get(c),
            Slot::Parent(c) => parent.and_then(|p| p.get(c)),
        }
    }

    /// The slot's non-NULL value.
    fn read<'a>(self, row: &'a [Value], parent: Option<&'a [Value]>) -> Option<&'a Value> {
        self.read_any(row, parent).filter(|v| !v.is_null())
    }
}

/// A column's dependency, resolved to slots.
enum Dep<'m> {
    None,
    Given(Given<'m>),
    /// A copy of column `column` of the parent row of link `link`, in `share` of rows;
    /// `grouping` when that parent is the grouping one, whose row the engine already
    /// holds (read through [`Slot::Parent`]).
    Copy {
        link: usize,
        column: usize,
        share: f64,
        grouping: bool,
    },
    /// Ordered with `on` ([`Dependency::After`] when `after`, else `Before`).
    Order {
        on: Slot,
        on_type: LogicalType,
        order: &'m Order,
        after: bool,
    },
}

/// Drawn from the case of another column's value, refined by more columns' values.
struct Given<'m> {
    on: Slot,
    on_type: LogicalType,
    /// The cases; the maps below hold indices into it.
    samplers: Vec<(&'m Case, Sampler<'m>)>,
    /// The case of each `on` value.
    cases: HashMap<&'m str, usize, crate::rng::FastBuild>,
    /// The refining columns and the refined cases by `on` value, then by the
    /// [`combination_key`] of the `also` values.
    also: Vec<(Slot, LogicalType)>,
    refined: HashMap<&'m str, Refined<'m>, crate::rng::FastBuild>,
    /// The case of each combination of the table's joint, when the joint holds every
    /// column the dependency reads (a lookup by index instead of by text).
    by_combination: Option<Vec<Option<usize>>>,
}

/// Refined cases of one `on` value, by the combination of `also` values.
type Refined<'m> = HashMap<&'m str, usize, crate::rng::FastBuild>;

impl Given<'_> {
    /// The case row `row` draws from (none: the column's own distribution).
    fn case(&self, row: &Row) -> Option<&(&Case, Sampler<'_>)> {
        let k = match (&self.by_combination, row.combination) {
            (Some(memo), Some(k)) => memo[k],
            _ => self.look_up(row.values, row.parent),
        };
        k.map(|k| &self.samplers[k])
    }

    /// The case of the values read, by their text.
    fn look_up(&self, row: &[Value], parent: Option<&[Value]>) -> Option<usize> {
        // A NULL condition has a case of its own, under the empty text.
        let on_text = self
            .on
            .read_any(row, parent)
            .map(|v| text_of(v, self.on_type))?;
        // A NULL refining value is a value too (the empty text), as in training; the
        // longest combination with a case of its own serves.
        let refined = also_key(&self.also, row, parent).and_then(|key| {
            let by_also = self.refined.get(&*on_text)?;
            combination_prefixes(&key).find_map(|k| by_also.get(k))
        });
        refined.or_else(|| self.cases.get(&*on_text)).copied()
    }

    /// Looks the case of each of `joint`'s combinations up once, when the joint holds
    /// every column read.
    fn memoize(&mut self, joint: &JointRun, width: usize) {
        let slots = std::iter::once(self.on).chain(self.also.iter().map(|(slot, _)| *slot));
        let in_joint = |slot: Slot| matches!(slot, Slot::Own(c) if joint.columns.contains(&c));
        if !slots.into_iter().all(in_joint) {
            return;
        }
        let mut row = vec![Value::Null; width];
        let memo = (0..joint.len())
            .map(|k| {
                for (&c, value) in joint.columns.iter().zip(joint.combination(k)) {
                    row[c] = value.clone();
                }
                self.look_up(&row, None)
            })
            .collect();
        self.by_combination = Some(memo);
    }
}

/// What a value may read: the row's values so far, its grouping parent's row (when a
/// column reads it) and the index of the row's joint combination.
#[derive(Clone, Copy)]
struct Row<'a> {
    values: &'a [Value],
    parent: Option<&'a [Value]>,
    combination: Option<usize>,
}

impl<'a> Row<'a> {
    /// A row of no values read (a column reading nothing of it).
    const NONE: Row<'static> = Row {
        values: &[],
        parent: None,
        combination: None,
    };
}

impl Dep<'_> {
    /// The slots the dependency reads.
    fn slots(&self) -> impl Iterator<Item = Slot> {
        let (on, also): (_, &[(Slot, LogicalType)]) = match self {
            Dep::None => (None, &[]),
            Dep::Given(given) => (Some(given.on), &given.also),
            Dep::Order { on, .. } => (Some(*on), &[]),
            Dep::Copy {
                column,
                grouping: true,
                ..
            } => (Some(Slot::Parent(*column)), &[]),
            Dep::Copy { .. } => (None, &[]),
        };
        on.into_iter().chain(also.iter().map(|(slot, _)| *slot))
    }
}

impl ColumnRun<'_> {
    fn dependency(&self) -> Option<&Dep<'_>> {
        match self {
            ColumnRun::Sampled { dependency, .. } => Some(dependency),
            _ => None,
        }
    }

    /// The columns of its grouping parent's row the column reads.
    fn reads_parent(&self) -> impl Iterator<Item = usize> {
        self.dependency()
            .into_iter()
            .flat_map(Dep::slots)
            .filter_map(|s| match s {
                Slot::Parent(c) => Some(c),
                Slot::Own(_) => None,
            })
    }

    /// The columns of its own row the column reads.
    fn reads_own(&self) -> impl Iterator<Item = usize> {
        let linked = match self {
            ColumnRun::UniqueFormat {
                links: Some(links), ..
            }
            | ColumnRun::LinkedFormat { links, .. } => links.reads(),
            _ => None,
        };
        self.dependency()
            .into_iter()
            .flat_map(Dep::slots)
            .filter_map(|s| match s {
                Slot::Own(c) => Some(c),
                Slot::Parent(_) => None,
            })
            .chain(linked)
    }
}

/// Marks the second parents of a junction table: a NOT NULL reference whose columns,
/// with the grouping foreign key's, cover the primary key must not repeat within a
/// group, or the key would.
fn distinct_junction_picks(model: &TableModel, links: &mut [Link]) {
    let grouped: Vec<&String> = links
        .iter()
        .filter(|l| matches!(l.kind, LinkKind::Grouping))
        .flat_map(|l| &l.rel.child_columns)
        .collect();
    if grouped.is_empty() || model.primary_key.is_empty() {
        return;
    }
    let covering: Vec<bool> = links
        .iter()
        .map(|l| {
            !l.rel.nullable
                && model
                    .primary_key
                    .iter()
                    .all(|c| grouped.contains(&c) || l.rel.child_columns.contains(c))
        })
        .collect();
    for (l, covers) in links.iter_mut().zip(covering) {
        if let (true, LinkKind::Reference(popularity)) = (covers, &l.kind) {
            l.kind = LinkKind::DistinctInGroup(popularity.clone());
        }
    }
}

/// The parent picked by row `i` of a group starting at row `start`, distinct from the
/// picks of the rows before it in the group (each row redraws from its own stream
/// until it finds a parent not yet taken, then walks to the next free one). Once a group
/// has more rows than there are parents, repeats cannot be avoided.
fn distinct_pick(
    popularity: &Popularity,
    streams: &Streams,
    start: u64,
    i: u64,
    parents: u64,
) -> u64 {
    const REDRAWS: u32 = 32;
    let mut taken: Vec<u64> = Vec::with_capacity((i - start + 1) as usize);
    for j in start..=i {
        let mut rng = streams.at(j);
        let mut pick = popularity.pick(&mut rng);
        let mut tries = 0;
        while taken.len() < parents as usize && taken.contains(&pick) {
            pick = if tries < REDRAWS {
                popularity.pick(&mut rng)
            } else {
                (pick + 1) % parents
            };
            tries += 1;
        }
        taken.push(pick);
    }
    *taken.last().expect("at least row i")
}

/// Columns in an order where every column comes after the column it reads.
fn generation_order(columns: &[ColumnRun]) -> Vec<usize> {
    let mut placed = vec![false; columns.len()];
    let mut order = Vec::with_capacity(columns.len());
    while order.len() < columns.len() {
        let next = (0..columns.len())
            .find(|&c| !placed[c] && columns[c].reads_own().all(|d| placed[d]))
            .or_else(|| (0..columns.len()).find(|&c| !placed[c]))
            .expect("an unplaced column");
        placed[next] = true;
        order.push(next);
    }
    order
}

/// Parent rows between two reports of layout progress.
const PROGRESS_ROWS: u64 = 1 << 16;

/// The parent column whose category decides the fan-out of grouping relationship
/// `rel` (its cases, index and type), when it has one the pack holds.
fn fanout_column<'m>(
    rel: &'m Relationship,
    pack: &'m ModelPack,
) -> Option<(&'m FanoutBy, usize, LogicalType)> {
    let by = rel.fanout_by.as_ref()?;
    let model = pack.table(&rel.parent_table).ok()?;
    let c = model.column_index(&by.column)?;
    Some((by, c, model.columns[c].logical_type))
}

/// The parent rows the layouts of `plan` generate: those of grouping relationships
/// whose fan-out depends on a parent column ([`fanout_column`]).
fn layout_rows(pack: &ModelPack, plan: &Plan) -> u64 {
    let rows = |name: &str| plan.tables.iter().find(|t| t.name == name).map(|t| t.rows);
    pack.relationships
        .iter()
        .filter(|r| r.role == Role::Grouping && fanout_column(r, pack).is_some())
        .filter(|r| rows(&r.child_table).is_some())
        .filter(|r| {
            pack.table(&r.child_table)
                .is_ok_and(|t| t.reference_rows.is_none())
        })
        .filter_map(|r| rows(&r.parent_table))
        .sum()
}

impl<'m> Engine<'m> {
    /// Prepares the layouts of `plan` (fan-out draws, popularity weights).
    pub fn new(pack: &'m ModelPack, plan: &Plan) -> Result<Engine<'m>> {
        Engine::with_progress(pack, plan, &|_, _| {})
    }

    /// As [`Engine::new`], telling `progress(done, of)` how many of the parent rows
    /// the layouts generate (those whose category decides their fan-out) are done: at
    /// a hundred million rows this takes tens of seconds before any row is written.
    pub fn with_progress(
        pack: &'m ModelPack,
        plan: &Plan,
        progress: &dyn Fn(u64, u64),
    ) -> Result<Engine<'m>> {
        let of = layout_rows(pack, plan);
        let done = std::cell::Cell::new(0u64);
        let tick = |rows: u64| {
            done.set(done.get() + rows);
            progress(done.get(), of);
        };
        let seed = plan.seed;
        let position = |name: &str| plan.tables.iter().position(|t| t.name == name);
        // Tables are added in plan order, so a table's grouping parent is already there
        // when its layout needs the parent's rows.
        let mut engine = Engine {
            tables: Vec::with_capacity(plan.tables.len()),
            spare: Default::default(),
        };
        for planned in &plan.tables {
            let model = pack.table(&planned.name)?;
            if let Some(stored) = &model.reference_rows {
                let context = TableContext {
                    model,
                    parent_model: None,
                    links: &[],
                    pack,
                    plan,
                    key_streams: &Streams::new(seed, "key", &model.name),
                    rows: planned.rows,
                    seed,
                };
                engine.tables.push(TableRun::replayed(stored, &context)?);
                engine.want_rows_of_last();
                let t = engine.tables.len() - 1;
                engine.resolve_reference_keys(t, pack, &position, seed, false);
                continue;
            }
            let mut links = Vec::new();
            let mut grouping = None;
            let mut rooms = Vec::new();
            for rel in pack
                .relationships
                .iter()
                .filter(|r| r.child_table == model.name)
            {
                let parent = position(&rel.parent_table).ok_or_else(|| {
                    Error::Schema(
                        format!(
                            "{}: parent table {} is not planned",
                            rel.name, rel.parent_table
                        )
                        .into(),
                    )
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
                    ).into()));
                }
                let streams = Streams::new(seed, &format!("link:{}", rel.name), &model.name);
                let kind = match rel.role {
                    Role::Grouping => {
                        let fanout_streams =
                            Streams::new(seed, &format!("fanout:{}", rel.name), &model.name);
                        rooms = engine.rooms(model, rel, parent, pack);
                        // Each parent's room: the smallest of its sequences'.
                        let capacities: Option<Vec<u64>> = (!rooms.is_empty()).then(|| {
                            (0..parent_rows)
                                .map(|p| {
                                    rooms
                                        .iter()
                                        .map(|(_, room)| room.capacity(p))
                                        .min()
                                        .unwrap_or(0)
                                })
                                .collect()
                        });
                        grouping = Some((
                            parent,
                            Groups::new(
                                &fanout_streams,
                                engine.fanouts(rel, parent, pack, &tick),
                                capacities.as_deref(),
                                parent_rows,
                                planned.rows,
                            ),
                        ));
                        LinkKind::Grouping
                    }
                    Role::Reference if parent_rows == 0 => LinkKind::Null,
                    // One of the row's own children (already one-to-one, as the
                    // children of different rows are different rows).
                    Role::Reference if rel.among_children.is_some() => {
                        let pop_streams =
                            Streams::new(seed, &format!("popularity:{}", rel.name), &model.name);
                        LinkKind::AmongChildren {
                            share: rel.among_children.as_ref().map_or(0.0, |a| a.share),
                            otherwise: Popularity::new(&pop_streams, &rel.fanout, parent_rows),
                        }
                    }
                    // Declared 1:1, or every sample parent has exactly one child: a
                    // bijection, so no parent is referenced twice or left out.
                    Role::Reference
                        if rel.cardinality == Cardinality::OneToOne
                            || rel.fanout.items == [(1, 1.0)] =>
                    {
                        if !rel.nullable && parent_rows < planned.rows {
                            return Err(Error::Usage(format!(
                                "{} is 1:1, so each of the {rows} rows of {} needs its own {parent} row, but {parent} gets {parent_rows}; give {parent} at least {rows} rows",
                                rel.name,
                                model.name,
                                rows = planned.rows,
                                parent = rel.parent_table,
                            ).into()));
                        }
                        let key = streams.subkey(0);
                        LinkKind::OneToOne(Permutation::new(planned.rows.max(parent_rows), key))
                    }
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
            distinct_junction_picks(model, &mut links);
            engine.close_diamonds(&mut links, &position);
            let key_streams = Streams::new(seed, "key", &model.name);
            let parent_model = grouping
                .as_ref()
                .map(|(p, _)| pack.table(&plan.tables[*p].name))
                .transpose()?;
            let context = TableContext {
                model,
                parent_model,
                links: &links,
                pack,
                plan,
                key_streams: &key_streams,
                rows: planned.rows,
                seed,
            };
            let mut columns = model
                .columns
                .iter()
                .map(|c| column_run(c, &context))
                .collect::<Result<Vec<_>>>()?;
            let joint = JointRun::new(model)?;
            for (slot, &c) in joint.iter().flat_map(|j| j.columns.iter().enumerate()) {
                columns[c] = ColumnRun::Joint { slot };
            }
            if let Some(joint) = &joint {
                for column in &mut columns {
                    if let ColumnRun::Sampled {
                        dependency: Dep::Given(given),
                        ..
                    } = column
                    {
                        given.memoize(joint, model.columns.len());
                    }
                }
            }
            let group_streams = Streams::new(seed, "group-start", &model.name);
            if let Some((_, groups)) = &grouping {
                for (c, room) in rooms {
                    if let ColumnRun::Sequence {
                        per_parent_start: Some(q),
                        starts,
                        ..
                    } = &mut columns[c]
                    {
                        *starts = Some(room.starts(q, groups, &group_streams));
                    }
                }
            }
            let order = generation_order(&columns);
            let copula = model.copula.as_ref().and_then(|c| {
                let indices: Option<Vec<usize>> =
                    c.columns.iter().map(|n| model.column_index(n)).collect();
                Some((indices?, c.cholesky.as_slice()))
            });
            let copula_width = copula.as_ref().map_or(0, |(c, _)| c.len());
            let strata = Strata::new(
                planned.rows,
                joint_dimension(copula_width, columns.len()) + 1,
                &Streams::new(seed, "strata", &model.name),
            );
            engine.tables.push(TableRun {
                model,
                rows: planned.rows,
                replay: None,
                made_up: Vec::new(),
                replay_parents: Vec::new(),
                order,
                full: Wanted::default(),
                single: Vec::new(),
                copula,
                strata,
                joint,
                monotone: (0..model.columns.len())
                    .filter(|&c| model.columns[c].monotone)
                    .collect(),
                persona: PersonaKeys::new(model, planned.rows, seed),
                row_streams: Streams::new(seed, "row", &model.name),
                group_streams,
                key_streams,
                grouping,
                links,
                columns,
            });
            engine.want_rows_of_last();
        }
        engine.resolve_later_keys(pack, &position, seed);
        Ok(engine)
    }

    /// What a row of table `t` (built, with its ancestors) computes for columns `seeds`.
    fn wanted(&self, t: usize, seeds: impl IntoIterator<Item = usize>) -> Wanted {
        let run = &self.tables[t];
        let mut columns = vec![false; run.model.columns.len()];
        let mut pending: Vec<usize> = seeds.into_iter().collect();
        let mut from_parent = Vec::new();
        while let Some(c) = pending.pop() {
            if std::mem::replace(&mut columns[c], true) {
                continue;
            }
            if let Some(column) = run.column(c) {
                pending.extend(column.reads_own());
                from_parent.extend(column.reads_parent());
            }
            // A birth date is placed before the row's anchor date.
            if let Some(keys) = &run.persona {
                pending.extend(keys.births.iter().filter(|(b, _)| *b == c).map(|(_, a)| *a));
            }
        }
        let parent = match &run.grouping {
            Some((p, _)) if !from_parent.is_empty() => Some(Box::new(self.wanted(*p, from_parent))),
            _ => None,
        };
        Wanted { columns, parent }
    }

    /// Fills the [`Wanted`] rows of the table just added.
    fn want_rows_of_last(&mut self) {
        let t = self.tables.len() - 1;
        let width = self.tables[t].model.columns.len();
        let full = self.wanted(t, 0..width);
        let single = (0..width).map(|c| self.wanted(t, [c])).collect();
        let run = &mut self.tables[t];
        (run.full, run.single) = (full, single);
    }

    /// Resolves a replayed reference table's foreign keys: those to a replayed parent
    /// keep their values, those to a modelled parent (a product catalogue under
    /// generated suppliers) are pointed at generated parent rows — each distinct parent
    /// key of the stored rows becomes one generated parent row (a keyed choice), so rows
    /// that shared a parent still do and no key dangles; or, when the parent is grouped
    /// under this table and the samples show the loop, one of the row's own children (a
    /// store's manager among its staff). Either way the parent row each stored row names
    /// is recorded, for diamonds that pass through the table. A parent generated after
    /// this table (a cycle) is resolved once the whole engine is built (`later`:
    /// [`Engine::resolve_later_keys`]); `later` false resolves those generated before.
    fn resolve_reference_keys(
        &mut self,
        t: usize,
        pack: &'m ModelPack,
        position: &dyn Fn(&str) -> Option<usize>,
        seed: u64,
        later: bool,
    ) {
        let model = self.tables[t].model;
        for rel in pack
            .relationships
            .iter()
            .filter(|r| r.child_table == model.name && r.parent_table != model.name)
        {
            let Some(parent) = position(&rel.parent_table) else {
                continue;
            };
            if (parent > t) != later {
                continue;
            }
            if let Some((named, updates)) = self.resolve_reference_key(t, rel, parent, seed) {
                let run = &mut self.tables[t];
                if let Some(rows) = run.replay.as_mut() {
                    for (r, c, value) in updates {
                        rows[r][c] = value;
                    }
                }
                run.replay_parents.push((rel.name.as_str(), named));
            }
        }
    }

    /// The foreign keys of replayed tables whose parents are generated after them.
    fn resolve_later_keys(
        &mut self,
        pack: &'m ModelPack,
        position: &dyn Fn(&str) -> Option<usize>,
        seed: u64,
    ) {
        for t in 0..self.tables.len() {
            if self.tables[t].replay.is_some() {
                self.resolve_reference_keys(t, pack, position, seed, true);
            }
        }
    }

    /// The parent row each row of replayed table `t` names through `rel`, and the key
    /// values to write into its rows (none for a replayed parent).
    fn resolve_reference_key(
        &self,
        t: usize,
        rel: &'m Relationship,
        parent: usize,
        seed: u64,
    ) -> Option<ResolvedKeys> {
        let run = &self.tables[t];
        let (model, rows) = (run.model, run.replay.as_ref()?);
        let parent_run = self.tables.get(parent)?;
        if parent_run.rows == 0 {
            return None;
        }
        let columns: Vec<(usize, usize)> = rel
            .child_columns
            .iter()
            .zip(&rel.parent_columns)
            .filter_map(|(c, p)| Some((model.column_index(c)?, parent_run.model.column_index(p)?)))
            .collect();
        let key = |row: &[Value]| crate::value::tuple_key(columns.iter().map(|(c, _)| &row[*c]));
        if let Some(parent_rows) = &parent_run.replay {
            let index: HashMap<String, u64> = parent_rows
                .iter()
                .enumerate()
                .filter_map(|(p, row)| {
                    let k = crate::value::tuple_key(columns.iter().map(|(_, pc)| &row[*pc]))?;
                    Some((k, p as u64))
                })
                .collect();
            let named = rows.iter().map(|r| index.get(&key(r)?).copied()).collect();
            return Some((named, Vec::new()));
        }
        let mut distinct: Vec<String> = rows.iter().filter_map(|r| key(r)).collect();
        distinct.sort();
        distinct.dedup();
        let streams = Streams::new(seed, &format!("reference-parent:{}", rel.name), &model.name);
        let pick = Permutation::new(parent_run.rows, streams.subkey(0));
        // The loop: the parent's rows grouped under this table's rows.
        let own_children = rel.among_children.as_ref().and_then(|among| {
            let (owner, groups) = parent_run.grouping.as_ref()?;
            (*owner == t).then_some((among.share, groups))
        });
        let mut updates = Vec::new();
        let named = rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let k = key(row)?;
                let mut rng = streams.at(r as u64);
                let p = match own_children {
                    Some((share, groups))
                        if rng.random::<f64>() < share && !groups.children(r as u64).is_empty() =>
                    {
                        rng.random_range(groups.children(r as u64))
                    }
                    _ => {
                        let rank = distinct.binary_search(&k).expect("collected above") as u64;
                        pick.apply(rank % parent_run.rows)
                    }
                };
                for &(c, pc) in &columns {
                    updates.push((r, c, self.key_value(parent, p, pc)));
                }
                Some(p)
            })
            .collect();
        Some((named, updates))
    }

    /// Turns each second parent with a learned other path (a diamond) into a
    /// [`LinkKind::Through`] when that path's tables are planned and modelled.
    fn close_diamonds(&self, links: &mut [Link<'m>], position: &dyn Fn(&str) -> Option<usize>) {
        for l in 0..links.len() {
            let (Some(through), LinkKind::Reference(popularity)) =
                (&links[l].rel.through, &links[l].kind)
            else {
                continue;
            };
            let Some(via) = links.iter().position(|v| v.rel.name == through.via) else {
                continue;
            };
            let Some(middle) = position(&links[via].rel.parent_table) else {
                continue;
            };
            // A middle table generated later (a cycle broken on `via`) has no links yet.
            let Some(middle_run) = self.tables.get(middle) else {
                continue;
            };
            let then = match middle_run
                .links
                .iter()
                .position(|w| w.rel.name == through.then)
            {
                Some(l) => Then::Link(l),
                None => match middle_run
                    .replay_parents
                    .iter()
                    .position(|(name, _)| *name == through.then)
                {
                    Some(k) => Then::Replayed(k),
                    None => continue,
                },
            };
            let (share, otherwise) = (through.share, popularity.clone());
            links[l].kind = LinkKind::Through {
                via,
                middle,
                then,
                share,
                otherwise,
            };
        }
    }

    /// The fan-out distribution of each parent row of grouping relationship `rel`: the
    /// overall one, or the one of the parent row's category when it depends on one.
    /// `tick(rows)` is told every [`PROGRESS_ROWS`] parent rows generated for it.
    fn fanouts(
        &self,
        rel: &'m Relationship,
        parent: usize,
        pack: &'m ModelPack,
        tick: &dyn Fn(u64),
    ) -> Fanouts<'m> {
        let Some((by, c, ty)) = fanout_column(rel, pack) else {
            return Fanouts::overall(&rel.fanout);
        };
        let rows = self.tables[parent].rows;
        let case_of = self
            .column_in(parent, c, 0, rows)
            .enumerate()
            .map(|(p, value)| {
                let p = p as u64;
                if (p + 1).is_multiple_of(PROGRESS_ROWS) || p + 1 == rows {
                    tick(p % PROGRESS_ROWS + 1);
                }
                let value = text_of(&value, ty);
                by.cases.iter().position(|(v, _)| *v == *value)
            });
        let cases = by.cases.iter().map(|(_, f)| f).collect();
        Fanouts::by_case(&rel.fanout, cases, case_of)
    }

    /// The rooms of `model`'s grouped date sequences under the rows of `parent`, by
    /// column (see [`Room`]).
    fn rooms(
        &self,
        model: &TableModel,
        rel: &Relationship,
        parent: usize,
        pack: &ModelPack,
    ) -> Vec<(usize, Room)> {
        let parent_model = pack.table(&rel.parent_table).ok();
        let mut rooms = Vec::new();
        for (c, column) in model.columns.iter().enumerate() {
            let Generator::Sequence {
                start,
                step,
                per_parent_start: Some(_),
                room: Some(room),
                ..
            } = &column.generator
            else {
                continue;
            };
            // A hand-edited room that makes no sense shapes nothing.
            let on_the_calendar = |x: f64| (DAYS_FROM..=DAYS_TO).contains(&x);
            let dates = [*start, room.lower, room.upper];
            if !(step.is_finite() && *step > 0.0 && dates.into_iter().all(on_the_calendar))
                || room.lower > room.upper
                || !(room.min_gap.is_finite() && room.min_gap >= 0.0)
            {
                continue;
            }
            let month_day = column.generator.month_day();
            let after = room.after.as_ref().and_then(|a| {
                let m = parent_model?;
                let i = m.column_index(a)?;
                Some((i, m.columns[i].logical_type))
            });
            let dates: Vec<Option<f64>> = match after {
                Some((i, ty)) => self
                    .column_in(parent, i, 0, self.tables[parent].rows)
                    .map(|value| {
                        let x = value.as_number(ty)?;
                        Some(convert_temporal(x, ty, LogicalType::Date))
                    })
                    .collect(),
                None => Vec::new(),
            };
            rooms.push((c, Room::new(room, *step, month_day, dates.into_iter())));
        }
        rooms
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
        self.row_with(t, i, &self.tables[t].full)
    }

    /// Row `i` of table `t`, holding the columns `want` names (the others NULL).
    fn row_with(&self, t: usize, i: u64, want: &Wanted) -> Vec<Value> {
        let mut row = vec![Value::Null; self.tables[t].model.columns.len()];
        RowCursor::default().fill(self, t, i, want, &mut row);
        row
    }

    /// Column `c` of row `i` of table `t`, computing only what it reads.
    fn column_value(&self, t: usize, i: u64, c: usize) -> Value {
        self.row_with(t, i, &self.tables[t].single[c])
            .swap_remove(c)
    }

    /// Rows `start..end` of planned table `t` (a parent row shared by consecutive
    /// children is generated once).
    pub fn rows_range(&self, t: usize, start: u64, end: u64) -> Vec<Vec<Value>> {
        self.chunk(t, start, end).to_vecs()
    }

    /// Rows `start..end` of planned table `t` in one buffer.
    pub fn chunk(&self, t: usize, start: u64, end: u64) -> Chunk {
        let mut chunk = Chunk::default();
        self.fill_chunk(t, start, end, &mut chunk);
        chunk
    }

    /// Replaces the rows of `chunk` with rows `start..end` of table `t` (those of them
    /// the table has), reusing its buffer.
    fn fill_chunk(&self, t: usize, start: u64, end: u64, chunk: &mut Chunk) {
        let end = end.min(self.rows(t));
        let rows = end.saturating_sub(start) as usize;
        chunk.reset(self.tables[t].model.columns.len(), rows);
        let (mut cursor, full) = (RowCursor::default(), &self.tables[t].full);
        for i in start..end {
            cursor.fill(self, t, i, full, chunk.push_nulls());
        }
    }

    /// Column `c` of rows `start..end` of table `t` one after the other, computing only
    /// what it reads, and a parent row shared by consecutive rows once.
    fn column_in(
        &self,
        t: usize,
        c: usize,
        start: u64,
        end: u64,
    ) -> impl Iterator<Item = Value> + '_ {
        let (width, want) = (
            self.tables[t].model.columns.len(),
            &self.tables[t].single[c],
        );
        let (mut cursor, mut row) = (RowCursor::default(), Vec::with_capacity(width));
        (start..end).map(move |i| {
            row.clear();
            row.resize(width, Value::Null);
            cursor.fill(self, t, i, want, &mut row);
            std::mem::replace(&mut row[c], Value::Null)
        })
    }

    /// Fills `values` (all NULL, one per column) with row `i` of table `t`, whose
    /// grouping parent's row is `parent` (when a column reads it).
    fn row_given_parent(
        &self,
        t: usize,
        i: u64,
        parent: Option<&[Value]>,
        want: &Wanted,
        scratch: &mut Scratch,
        values: &mut [Value],
    ) {
        let run = &self.tables[t];
        let group = scratch.group.take();
        if let Some(rows) = &run.replay {
            values.clone_from_slice(&rows[i as usize]);
            let row = values;
            if !run.made_up.is_empty() {
                let mut persona = None;
                for (c, column) in run.made_up.iter().filter(|(c, _)| want.columns[*c]) {
                    row[*c] = match column {
                        ColumnRun::Text {
                            model,
                            sampler,
                            streams,
                        } => text_value(
                            (model, sampler, streams),
                            run.persona.as_ref(),
                            i,
                            &mut persona,
                        ),
                        ColumnRun::LinkedFormat {
                            model,
                            format,
                            streams,
                            links,
                        } => self.linked_format_value(t, i, (model, format, streams, links), row),
                        ColumnRun::UniqueFormat {
                            format,
                            permutation,
                            links,
                        } => self.unique_text(t, i, format, permutation, links.as_ref(), row),
                        ColumnRun::Sampled {
                            model,
                            sampler,
                            streams,
                            ..
                        } => sample(
                            model,
                            sampler,
                            &Dep::None,
                            &mut streams.at(i),
                            Positions::default(),
                            Row::NONE,
                        ),
                        _ => Value::Null, // none: checked when the run was built
                    };
                }
                if let Some(keys) = &run.persona {
                    keys.age(row, i);
                }
            }
            return;
        }
        let mut rng = run.row_streams.at(i);
        let Scratch {
            parents,
            positions,
            eps,
            persona,
            ..
        } = scratch;
        *persona = None;
        parents.clear();
        parents.resize(run.links.len(), None);
        if let Some(g) = group {
            for (known, link) in parents.iter_mut().zip(&run.links) {
                if matches!(link.kind, LinkKind::Grouping) {
                    *known = Some(Some(g));
                }
            }
        }
        positions.clear();
        positions.resize(run.columns.len(), Positions::default());
        let copula_width = run.copula.as_ref().map_or(0, |(columns, _)| columns.len());
        if let Some((columns, cholesky)) = &run.copula {
            eps.clear();
            eps.extend((0..columns.len()).map(|k| {
                let u = rng.random();
                normal_quantile(run.strata.as_ref().map_or(u, |s| s.position(k, i, u)))
            }));
            for (k, &c) in columns.iter().enumerate() {
                let z: f64 = cholesky[k].iter().zip(eps.iter()).map(|(l, e)| l * e).sum();
                positions[c].value = Some(normal_cdf(z));
            }
        }
        if let Some(strata) = &run.strata {
            for (c, column) in run.columns.iter().enumerate() {
                if let ColumnRun::Sampled { model, .. } = column {
                    let (value, null) = strata_dimension(copula_width, c);
                    let p = &mut positions[c];
                    if p.value.is_none() {
                        p.value = Some(strata.position(value, i, rng.random()));
                    }
                    if model.nullable {
                        p.null = Some(strata.position(null, i, rng.random()));
                    }
                }
            }
        }
        let combination = run.joint.as_ref().map(|joint| {
            let u = rng.random();
            let d = joint_dimension(copula_width, run.columns.len());
            joint.pick(run.strata.as_ref().map_or(u, |s| s.position(d, i, u)))
        });
        for c in &run.monotone {
            // Rising with the index: the row's position in the table, jittered.
            positions[*c].value = Some((i as f64 + rng.random::<f64>()) / run.rows.max(1) as f64);
        }
        for &c in run.order.iter().filter(|&&c| want.columns[c]) {
            let value = match &run.columns[c] {
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
                ColumnRun::UniqueFormat {
                    format,
                    permutation,
                    links: Some(links),
                } if links.reads_row() => {
                    self.unique_text(t, i, format, permutation, Some(links), values)
                }
                ColumnRun::Sequence { .. } | ColumnRun::UniqueFormat { .. } => {
                    self.key_value(t, i, c)
                }
                ColumnRun::Sampled {
                    model,
                    sampler,
                    dependency:
                        Dep::Copy {
                            link,
                            column,
                            share,
                            grouping,
                        },
                    streams,
                } => {
                    let mut rng = streams.at(i);
                    let copied = if rng.random::<f64>() >= *share {
                        None
                    } else if *grouping {
                        parent.and_then(|p| p.get(*column)).cloned()
                    } else {
                        parents[*link]
                            .get_or_insert_with(|| self.parent_index(t, *link, i))
                            .map(|p| self.value(run.links[*link].parent, p, *column))
                    };
                    match copied {
                        Some(value) => value,
                        None => sample(
                            model,
                            sampler,
                            &Dep::None,
                            &mut rng,
                            positions[c],
                            Row::NONE,
                        ),
                    }
                }
                ColumnRun::Sampled {
                    model,
                    sampler,
                    dependency,
                    streams,
                } => sample(
                    model,
                    sampler,
                    dependency,
                    &mut streams.at(i),
                    positions[c],
                    Row {
                        values,
                        parent,
                        combination,
                    },
                ),
                ColumnRun::LinkedFormat {
                    model,
                    format,
                    streams,
                    links,
                } => self.linked_format_value(t, i, (model, format, streams, links), values),
                ColumnRun::Text {
                    model,
                    sampler,
                    streams,
                } => text_value((model, sampler, streams), run.persona.as_ref(), i, persona),
                ColumnRun::Joint { slot } => run
                    .joint
                    .as_ref()
                    .zip(combination)
                    .map_or(Value::Null, |(joint, k)| {
                        joint.combination(k)[*slot].clone()
                    }),
            };
            values[c] = value;
        }
        if let Some(keys) = &run.persona {
            keys.age(values, i);
        }
    }

    /// A format column tied to other columns of row `i` of table `t` (`row`): its
    /// format as the row's category gives it, ending with the row's embedded key.
    fn linked_format_value(
        &self,
        t: usize,
        i: u64,
        (model, format, streams, links): (&ColumnModel, &FormatModel, &Streams, &TextLinks),
        row: &[Value],
    ) -> Value {
        let mut rng = streams.at(i);
        if model.nullable && rng.random::<f64>() < model.null_rate {
            Value::Null
        } else {
            let suffix = links.embeds.and_then(|e| self.embedded_key(t, i, e));
            let format = links.format(format, row);
            Value::Str(format.generate(&mut rng, None, suffix.as_deref()))
        }
    }

    /// Generates rows `rows` of table `t` (all of them: `0..engine.rows(t)`; a shard:
    /// [`super::Shard::rows`]) in chunks of `chunk_rows` from the range's start, on
    /// `threads` worker threads, and hands the chunks with their first row to `sink` in
    /// row order on the calling thread, which works while the workers generate ahead.
    /// The chunks are the same whatever the thread count. A chunk's buffer is kept for
    /// the next chunks (of any table) once `sink` returns, so a run allocates about one
    /// chunk per worker and one for the sink.
    pub fn for_each_chunk(
        &self,
        t: usize,
        rows: std::ops::Range<u64>,
        chunk_rows: u64,
        threads: usize,
        mut sink: impl FnMut(u64, &Chunk) -> Result<()>,
    ) -> Result<()> {
        let (first, end) = (rows.start, rows.end.min(self.rows(t)));
        let chunk_rows = chunk_rows.max(1);
        let chunks = end.saturating_sub(first).div_ceil(chunk_rows);
        let workers = (threads.max(1) as u64).min(chunks.max(1));
        let range = move |k: u64| {
            let start = first + k * chunk_rows;
            (start, (start + chunk_rows).min(end))
        };
        let spares = || self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        let spare = || spares().pop();
        let keep = |mut chunk: Chunk| {
            chunk.clear();
            spares().push(chunk);
        };
        if chunks <= 1 {
            for k in 0..chunks {
                let (s, e) = range(k);
                let mut chunk = spare().unwrap_or_default();
                self.fill_chunk(t, s, e, &mut chunk);
                sink(s, &chunk)?;
                keep(chunk);
            }
            return Ok(());
        }
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..workers)
                .map(|w| {
                    // A rendezvous: a worker hands its chunk over when the writer takes
                    // it, so it holds one chunk buffer at a time; the writer keeps the
                    // buffers it is done with as spares.
                    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(0);
                    scope.spawn(move || {
                        for k in (w..chunks).step_by(workers as usize) {
                            let (s, e) = range(k);
                            let mut chunk = spare().unwrap_or_default();
                            self.fill_chunk(t, s, e, &mut chunk);
                            if tx.send(chunk).is_err() {
                                break; // the writer stopped on an error
                            }
                        }
                    });
                    rx
                })
                .collect();
            for k in 0..chunks {
                let rx = &workers[(k % workers.len() as u64) as usize];
                let chunk = rx.recv().expect("generator threads do not fail");
                sink(range(k).0, &chunk)?;
                keep(chunk);
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
            LinkKind::OneToOne(permutation) => {
                let parents = self.tables[l.parent].rows;
                (rng.random::<f64>() >= l.rel.null_rate)
                    .then(|| permutation.apply(i))
                    .filter(|&p| p < parents)
            }
            LinkKind::DistinctInGroup(popularity) => {
                let groups = &run
                    .grouping
                    .as_ref()
                    .expect("junction tables are grouped")
                    .1;
                Some(distinct_pick(
                    popularity,
                    &l.streams,
                    i - groups.parent_of(i).1,
                    i,
                    self.tables[l.parent].rows,
                ))
            }
            LinkKind::Through {
                via,
                middle,
                then,
                share,
                otherwise,
            } => {
                if rng.random::<f64>() < l.rel.null_rate {
                    return None;
                }
                let reached = (rng.random::<f64>() < *share)
                    .then(|| self.parent_index(t, *via, i))
                    .flatten()
                    .and_then(|m| match *then {
                        Then::Link(l) => self.parent_index(*middle, l, m),
                        Then::Replayed(k) => self.tables[*middle].replay_parents[k].1[m as usize],
                    });
                Some(reached.unwrap_or_else(|| otherwise.pick(&mut rng)))
            }
            LinkKind::AmongChildren { share, otherwise } => {
                if rng.random::<f64>() < l.rel.null_rate {
                    return None;
                }
                // The children's table is built after this one: while the engine is
                // being built (a fan-out reading this table's categories) it is not
                // there yet, and the key read then is not kept.
                let own = (rng.random::<f64>() < *share)
                    .then(|| self.tables.get(l.parent)?.grouping.as_ref())
                    .flatten()
                    .filter(|(owner, _)| *owner == t)
                    .map(|(_, groups)| groups.children(i))
                    .filter(|children| !children.is_empty());
                Some(match own {
                    Some(children) => rng.random_range(children),
                    None => otherwise.pick(&mut rng),
                })
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

    /// Column `c` of row `i` of planned table `t`: the value [`Engine::row`] holds,
    /// computing only the columns it reads (of the row and of its parents' rows).
    pub fn value(&self, t: usize, i: u64, c: usize) -> Value {
        // As for `key_value`: a table not built yet is NULL while the engine is built.
        let Some(run) = self.tables.get(t) else {
            return Value::Null;
        };
        match (&run.replay, run.column(c)) {
            (Some(rows), None) => rows[i as usize][c].clone(),
            // A replayed table's made-up column.
            (Some(_), Some(_))
            | (
                None,
                Some(
                    ColumnRun::Sampled { .. }
                    | ColumnRun::Text { .. }
                    | ColumnRun::LinkedFormat { .. }
                    | ColumnRun::Joint { .. },
                ),
            ) => self.column_value(t, i, c),
            _ => self.key_value(t, i, c),
        }
    }

    /// The text that ends a value embedding key column `column` of row `i` of table
    /// `t`, zero-padded to `width` (none for a NULL key).
    fn embedded_key(&self, t: usize, i: u64, (column, width): (usize, usize)) -> Option<String> {
        let key = self.key_value(t, i, column);
        (!key.is_null()).then(|| format!("{:0>width$}", key.render(LogicalType::Integer)))
    }

    /// Unique text column value of row `i` of table `t`, its links resolved against
    /// `row` (the row's values so far; empty when the links do not read the row).
    fn unique_text(
        &self,
        t: usize,
        i: u64,
        format: &FormatModel,
        permutation: &Permutation,
        links: Option<&TextLinks>,
        row: &[Value],
    ) -> Value {
        let suffix = links
            .and_then(|l| l.embeds)
            .and_then(|e| self.embedded_key(t, i, e));
        let format = match links {
            Some(l) if l.reads_row() => l.format(format, row),
            _ => format,
        };
        // Past the format's own room only when an embedded key keeps values unique.
        let index = i % permutation.domain();
        Value::Str(format.generate(
            &mut self.tables[t].key_streams.at(i),
            Some((index, permutation)),
            suffix.as_deref(),
        ))
    }

    /// The value of key column `c` of row `i` of table `t` (keys are pure functions of
    /// the index).
    fn key_value(&self, t: usize, i: u64, c: usize) -> Value {
        // A table not built yet is read only while the engine is being built (a
        // fan-out reading its parent's categories, whose key into a later table of a
        // cycle is not kept).
        let Some(run) = self.tables.get(t) else {
            return Value::Null;
        };
        if let Some(rows) = &run.replay {
            return match run.column(c) {
                // A made-up unique column of a reference table.
                Some(_) => self.column_value(t, i, c),
                None => rows[i as usize][c].clone(),
            };
        }
        match &run.columns[c] {
            ColumnRun::Sequence {
                ty,
                start,
                step,
                month_day,
                per_parent_start,
                starts,
            } => {
                let (base, k) = match (per_parent_start, &run.grouping) {
                    (Some(q), Some((_, groups))) => {
                        let (g, k) = groups.parent_of(i);
                        let base = match starts.as_ref().and_then(|s| s.get(g as usize)) {
                            Some(start) => *start,
                            None => q.sample(run.group_streams.at(g).random()),
                        };
                        (base, k)
                    }
                    _ => (*start, i),
                };
                if let Some(day) = *month_day {
                    // Each value on the sequence's day, clamped per month: after February
                    // 29 comes March 31, not March 29.
                    let base = day_in_month(base as i32, day);
                    Value::Date(day_in_month(
                        add_months(base, (k as f64 * step) as i32),
                        day,
                    ))
                } else {
                    Value::from_number(base + k as f64 * step, *ty)
                }
            }
            ColumnRun::UniqueFormat {
                links: Some(links), ..
            } if links.reads_row() => self.column_value(t, i, c),
            ColumnRun::UniqueFormat {
                format,
                permutation,
                links,
            } => self.unique_text(t, i, format, permutation, links.as_ref(), &[]),
            ColumnRun::ForeignKey {
                link,
                parent_column,
            } => match self.parent_index(t, *link, i) {
                Some(p) => self.key_value(run.links[*link].parent, p, *parent_column),
                None => Value::Null,
            },
            ColumnRun::Sampled { .. }
            | ColumnRun::Text { .. }
            | ColumnRun::LinkedFormat { .. }
            | ColumnRun::Joint { .. } => {
                unreachable!("key columns have key generators")
            }
        }
    }
}

impl<'m> TableRun<'m> {
    /// A reference table's run: `rows` of its stored rows, all of them in their order or,
    /// when fewer are asked for, a seeded choice of whole rows in their order.
    fn replayed(
        stored: &[Vec<Option<String>>],
        context: &TableContext<'m, '_>,
    ) -> Result<TableRun<'m>> {
        let (model, rows, seed) = (context.model, context.rows, context.seed);
        // Columns a reference table does not keep are made up on every row.
        let mut made_up = Vec::new();
        for (c, column) in model.columns.iter().enumerate() {
            if column.is_kept() {
                continue;
            }
            match column_run(column, context)? {
                run @ (ColumnRun::Text { .. }
                | ColumnRun::LinkedFormat { .. }
                | ColumnRun::UniqueFormat { .. }
                | ColumnRun::Sampled { .. }) => made_up.push((c, run)),
                _ => {
                    return Err(Error::Schema(format!(
                        "reference table {}: column {} is neither kept nor one generation can make up; the model pack is damaged, retrain it",
                        model.name, column.name
                    ).into()));
                }
            }
        }
        if let Some(r) = stored
            .iter()
            .position(|row| row.len() != model.columns.len())
        {
            return Err(Error::Schema(format!(
                "reference row {} of table {} has {} values for {} columns; the model pack is damaged, retrain it",
                r + 1,
                model.name,
                stored[r].len(),
                model.columns.len()
            ).into()));
        }
        // Persona fakers are never kept: they are among the made-up columns.
        let persona = PersonaKeys::new(model, rows, seed);
        let n = stored.len() as u64;
        let mut chosen: Vec<u64> = if rows >= n {
            (0..n).collect()
        } else {
            let key = Streams::new(seed, "reference", &model.name).subkey(0);
            let permutation = Permutation::new(n, key);
            (0..rows).map(|k| permutation.apply(k)).collect()
        };
        chosen.sort_unstable();
        let parsed = chosen
            .into_iter()
            .map(|r| {
                model
                    .columns
                    .iter()
                    .zip(&stored[r as usize])
                    .map(|(c, text)| match text {
                        None => Ok(Value::Null),
                        Some(s) => Value::parse(s, c.logical_type).ok_or_else(|| {
                            Error::Schema(format!(
                                "reference row {} of table {}: the value of column {} does not parse as {}; the model pack is damaged, retrain it",
                                r + 1,
                                model.name,
                                c.name,
                                c.logical_type
                            ).into())
                        }),
                    })
                    .collect::<Result<Vec<Value>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TableRun {
            model,
            rows,
            replay: Some(parsed),
            made_up,
            replay_parents: Vec::new(),
            order: Vec::new(),
            full: Wanted::default(),
            single: Vec::new(),
            copula: None,
            monotone: Vec::new(),
            strata: None,
            joint: None,
            persona,
            row_streams: Streams::new(seed, "row", &model.name),
            key_streams: context.key_streams.clone(),
            group_streams: Streams::new(seed, "group-start", &model.name),
            grouping: None,
            links: Vec::new(),
            columns: Vec::new(),
        })
    }
}

/// What resolving a table's columns needs to know about the table and the run.
struct TableContext<'m, 'a> {
    model: &'m TableModel,
    parent_model: Option<&'m TableModel>,
    links: &'a [Link<'m>],
    pack: &'m ModelPack,
    plan: &'a Plan,
    key_streams: &'a Streams,
    rows: u64,
    seed: u64,
}

/// How column `c` of the context's table is generated.
fn column_run<'m>(c: &'m ColumnModel, context: &TableContext<'m, '_>) -> Result<ColumnRun<'m>> {
    let TableContext {
        model,
        parent_model,
        links,
        pack,
        plan,
        key_streams,
        rows,
        seed,
    } = *context;
    Ok(match &c.generator {
        Generator::ForeignKey { relationship } => {
            let link = links
                .iter()
                .position(|l| l.rel.name == *relationship)
                .ok_or_else(|| {
                    Error::Schema(
                        format!(
                            "column {}.{}: unknown relationship {relationship}",
                            model.name, c.name
                        )
                        .into(),
                    )
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
                        Error::Schema(
                            format!(
                                "{}: parent column {} missing from the pack",
                                rel.name, rel.parent_columns[part]
                            )
                            .into(),
                        )
                    })?;
            ColumnRun::ForeignKey {
                link,
                parent_column,
            }
        }
        Generator::Sequence {
            start,
            step,
            per_parent_start,
            ..
        } => ColumnRun::Sequence {
            ty: c.logical_type,
            start: *start,
            step: *step,
            month_day: c.generator.month_day(),
            per_parent_start: per_parent_start.as_ref(),
            starts: None, // set with the layout, which the rooms shape
        },
        Generator::UniqueFormat { format } => {
            let links = TextLinks::new(c, model, format)?;
            let capacity = links
                .as_ref()
                .map_or_else(|| format.unique_capacity(), |l| l.unique_capacity(format));
            if let Some(widest) = links.as_ref().and_then(|l| l.widest_key(model, rows)) {
                // Unique through the embedded key, which must fit its width.
                if let Some((_, width)) = links.as_ref().and_then(|l| l.embeds)
                    && widest > width
                {
                    return Err(Error::Usage(format!(
                        "column {}.{} ends with its key in {width} digits, but {rows} rows of {} need keys of {widest} digits; ask for fewer rows of {}",
                        model.name, c.name, model.name, model.name
                    ).into()));
                }
            } else if rows > capacity {
                return Err(Error::Usage(format!(
                    "column {}.{} is unique but its learned format ({}) has room for only {capacity} distinct values; ask for fewer than {rows} rows of {}",
                    model.name, c.name, format.patterns[0].0, model.name
                ).into()));
            }
            ColumnRun::UniqueFormat {
                format,
                permutation: Permutation::new(
                    capacity,
                    key_streams.subkey(crate::rng::hash64(0, &[&c.name])),
                ),
                links,
            }
        }
        Generator::Format { format } => match TextLinks::new(c, model, format)? {
            Some(links) => ColumnRun::LinkedFormat {
                model: c,
                format,
                streams: Streams::new(seed, &format!("text:{}", c.name), &model.name),
                links,
            },
            None => ColumnRun::Text {
                model: c,
                sampler: Sampler::new(&c.generator),
                streams: Streams::new(seed, &format!("text:{}", c.name), &model.name),
            },
        },
        Generator::Faker { .. } => ColumnRun::Text {
            model: c,
            sampler: Sampler::new(&c.generator),
            streams: Streams::new(seed, &format!("text:{}", c.name), &model.name),
        },
        _ => ColumnRun::Sampled {
            model: c,
            sampler: Sampler::new(&c.generator),
            streams: Streams::new(seed, &format!("column:{}", c.name), &model.name),
            dependency: match &c.depends_on {
                Some(Dependency::Copy {
                    relationship,
                    column,
                    share,
                }) => copy(context, relationship, column, *share),
                _ => resolve(c, model, parent_model),
            },
        },
    })
}

/// A copy from the parent of `relationship` (no dependency when that parent is not
/// planned with rows or has no such column).
fn copy<'m>(
    context: &TableContext<'m, '_>,
    relationship: &str,
    column: &str,
    share: f64,
) -> Dep<'m> {
    let Some(link) = context
        .links
        .iter()
        .position(|l| l.rel.name == relationship && !matches!(l.kind, LinkKind::Null))
    else {
        return Dep::None;
    };
    let parent = context
        .pack
        .table(&context.links[link].rel.parent_table)
        .ok();
    match parent.and_then(|p| p.column_index(column)) {
        Some(column) => Dep::Copy {
            link,
            column,
            share,
            grouping: matches!(context.links[link].kind, LinkKind::Grouping),
        },
        None => Dep::None,
    }
}

/// Resolves a column's dependency to the slots it reads (no dependency when the
/// column it names is not there).
fn resolve<'m>(c: &'m ColumnModel, model: &TableModel, parent: Option<&'m TableModel>) -> Dep<'m> {
    let slot = |on: &ColumnRef| -> Option<(Slot, LogicalType)> {
        if on.parent {
            let p = parent?;
            let i = p.column_index(&on.column)?;
            Some((Slot::Parent(i), p.columns[i].logical_type))
        } else {
            let i = model.column_index(&on.column)?;
            Some((Slot::Own(i), model.columns[i].logical_type))
        }
    };
    match &c.depends_on {
        Some(Dependency::Given {
            on,
            cases,
            also,
            refined,
        }) => match slot(on) {
            Some((on, on_type)) => {
                // All refining columns resolve, or the cases of `on` alone serve.
                let also: Vec<_> = also
                    .iter()
                    .map(slot)
                    .collect::<Option<_>>()
                    .unwrap_or_default();
                let mut samplers = Vec::new();
                let mut add = |case: &'m Case| {
                    samplers.push((case, Sampler::new(&case.generator)));
                    samplers.len() - 1
                };
                let cases = cases
                    .iter()
                    .map(|case| (case.value.as_str(), add(case)))
                    .collect();
                let mut by_pair: HashMap<&str, Refined, crate::rng::FastBuild> = HashMap::default();
                for case in refined.iter().filter(|_| !also.is_empty()) {
                    if let Some((a, b)) = case.value.split_once(COMBINATION_SEPARATOR) {
                        by_pair.entry(a).or_default().insert(b, add(case));
                    }
                }
                Dep::Given(Given {
                    on,
                    on_type,
                    samplers,
                    cases,
                    also,
                    refined: by_pair,
                    by_combination: None,
                })
            }
            None => Dep::None,
        },
        Some(dependency @ (Dependency::After(order) | Dependency::Before(order))) => {
            match slot(&order.on) {
                Some((on, on_type)) => Dep::Order {
                    on,
                    on_type,
                    order,
                    after: matches!(dependency, Dependency::After(_)),
                },
                None => Dep::None,
            }
        }
        // Copies are resolved with the links (see `copy`).
        Some(Dependency::Copy { .. }) | None => Dep::None,
    }
}

/// A row's positions for one column, each in `[0, 1)`: where its value falls in the
/// distribution it is drawn from (from the copula, the strata or the row index) and
/// its draw for the NULL decision (from the strata). `None` draws from the row's stream.
#[derive(Debug, Clone, Copy, Default)]
struct Positions {
    value: Option<f64>,
    null: Option<f64>,
}

/// The strata dimensions of column `c`'s value and NULL decision, after the copula's
/// `copula_width` innovations.
fn strata_dimension(copula_width: usize, c: usize) -> (usize, usize) {
    (copula_width + 2 * c, copula_width + 2 * c + 1)
}

/// The strata dimension of the joint's combination, after those of the `columns`
/// columns.
fn joint_dimension(copula_width: usize, columns: usize) -> usize {
    strata_dimension(copula_width, columns).0
}

/// Draws a value of a sampled (non-key) column, given the values already generated
/// for its row and its parent's row.
fn sample<R: RngExt>(
    model: &ColumnModel,
    sampler: &Sampler,
    dependency: &Dep,
    rng: &mut R,
    positions: Positions,
    row: Row,
) -> Value {
    let uniform = positions.value;
    let is_null = |rng: &mut R, rate: f64| positions.null.unwrap_or_else(|| rng.random()) < rate;
    match dependency {
        Dep::Given(given) => {
            if let Some((case, case_sampler)) = given.case(&row) {
                if is_null(rng, case.null_rate) {
                    return Value::Null;
                }
                let value = draw(case_sampler, model.logical_type, rng, uniform);
                return on_calendar(model, value, true);
            }
        }
        Dep::Order {
            on,
            on_type,
            order,
            after,
        } => {
            if let Some(base) = on
                .read(row.values, row.parent)
                .and_then(|v| v.as_number(*on_type))
            {
                if model.nullable && is_null(rng, model.null_rate) {
                    return Value::Null;
                }
                let base = convert_temporal(base, *on_type, model.logical_type);
                let (near, far) = order.room(base, *after);
                let u = uniform.unwrap_or_else(|| rng.random());
                let x = near + order.ratio.sample(u) * (far - near);
                let x = match model.generator {
                    // Rounded away from `on`, so the gap holds.
                    Generator::Numeric {
                        round_to: Some(r), ..
                    } if *after => (x / r).ceil() * r,
                    Generator::Numeric {
                        round_to: Some(r), ..
                    } => (x / r).floor() * r,
                    _ => x,
                };
                return on_calendar(model, Value::from_number(x, model.logical_type), *after);
            }
        }
        // A copy that did not copy draws from the column's own distribution.
        Dep::Copy { .. } | Dep::None => {}
    }
    if model.nullable && is_null(rng, model.null_rate) {
        return Value::Null;
    }
    on_calendar(model, draw(sampler, model.logical_type, rng, uniform), true)
}

/// The [`crate::model::combination_key`] of a row's `also` values (`None` when there
/// are none, or without a parent row); a short key stays off the heap.
fn also_key(
    also: &[(Slot, LogicalType)],
    row: &[Value],
    parent: Option<&[Value]>,
) -> Option<compact_str::CompactString> {
    let read = |slot: &Slot| slot.read_any(row, parent);
    if also.is_empty() || also.iter().any(|(slot, _)| read(slot).is_none()) {
        return None;
    }
    let mut key = compact_str::CompactString::default();
    let values = also
        .iter()
        .map(|(slot, ty)| read(slot).map_or("".into(), |v| text_of(v, *ty)));
    write_combination_key(&mut key, values);
    Some(key)
}

/// A date moved to the column's learned day of the month ([`ColumnModel::day_of_month`]):
/// forward, or backward when not `forward`, so an order's gap still holds.
fn on_calendar(model: &ColumnModel, value: Value, forward: bool) -> Value {
    let (Some(day), Value::Date(days)) = (model.day_of_month, &value) else {
        return value;
    };
    Value::Date(on_day_of_month(*days, day, forward))
}

/// The text a categorical value is matched by (borrowed for text values).
fn text_of(v: &Value, ty: LogicalType) -> std::borrow::Cow<'_, str> {
    match v {
        Value::Str(s) => std::borrow::Cow::Borrowed(s.as_str()),
        other => std::borrow::Cow::Owned(other.render(ty)),
    }
}

/// A value from a column's (or a case's) distribution, at position `uniform` when the
/// copula gives one.
fn draw<R: RngExt>(sampler: &Sampler, ty: LogicalType, rng: &mut R, uniform: Option<f64>) -> Value {
    match sampler.generator {
        Generator::Numeric {
            quantiles,
            round_to,
            masses,
            ..
        } => {
            // The tabulated family when there is one (same range as `quantiles`).
            let rest = crate::stats::Remainder {
                quantiles: sampler.table.as_ref().unwrap_or(quantiles),
                family: None,
            };
            let x = match uniform {
                Some(u) => crate::stats::quantile_with_masses(rest, masses, u),
                None => crate::stats::sample_with_masses(rest, masses, rng.random(), rng.random()),
            };
            let x = round_to.map_or(x, |r| (x / r).round() * r);
            Value::from_number(x, ty)
        }
        Generator::Categorical { frequencies } => {
            let u = uniform.unwrap_or_else(|| rng.random());
            Value::Str(frequencies.sample(u).into())
        }
        Generator::Boolean { p_true } => {
            Value::Bool(uniform.unwrap_or_else(|| rng.random()) < *p_true)
        }
        Generator::Format { format } => Value::Str(format.generate(rng, None, None)),
        Generator::Template { frequencies, .. } => {
            let phrase = frequencies.sample(uniform.unwrap_or_else(|| rng.random()));
            let mut text = compact_str::CompactString::from(phrase.as_str());
            if let Some(tail) = sampler.tails.get(phrase.as_str()) {
                if !phrase.is_empty() {
                    text.push(' ');
                }
                tail.generate_onto(rng, None, None, &mut text);
            }
            Value::Str(text)
        }
        Generator::Faker { provider } => match (faker::generate(*provider, rng), ty) {
            (Value::Date(d), LogicalType::Timestamp) => {
                Value::Timestamp(i64::from(d) * 86_400_000_000)
            }
            (value, _) => value,
        },
        Generator::Sequence { .. }
        | Generator::UniqueFormat { .. }
        | Generator::ForeignKey { .. } => {
            unreachable!("key generators are not sampled")
        }
    }
}
