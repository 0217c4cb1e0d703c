//! Dependencies between columns and the business rules they carry.
//!
//! Each column may depend on one other column, of its own row or of its grouping
//! parent's row:
//! * `after`: a date or timestamp that is never before another one on every sample
//!   row (OPEN_DATE ≥ the customer's CREATED_AT) is generated as a share of the room
//!   between that column and its own maximum — so the rule holds on every row;
//! * `given`: a column whose NULL rate and distribution change with a categorical
//!   column gets one distribution per category (AMOUNT by TXN_TYPE, MCC by CHANNEL,
//!   REGION by CITY). When the sign, the presence or the value of the column is a
//!   function of the category on every sample row, that is a rule, and the per-case
//!   distributions enforce it on every generated row.
//!
//! Dependencies form a forest (one parent per column, no cycles within a row), chosen
//! greedily: rules first, then the strongest association (correlation ratio η² for
//! numbers, uncertainty coefficient for categories).

use super::chance::{
    MAX_RULE_CHANCE_LN, Tally, Units, binary_rule, pure_chance_ln, pure_share, rule_chance_ln,
};
use crate::model::{
    Case, ColumnModel, ColumnRef, Copula, Dependency, Generator, Order, Rule, RuleKind, TableModel,
    combination_key,
};
use crate::source::SampleTable;
use crate::stats::{Frequencies, Quantiles};
use crate::value::{LogicalType, Value, convert_temporal};
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor};
use std::collections::{BTreeMap, HashMap};

/// A categorical column must have this many distinct values at most to condition on.
const MAX_CONDITION_VALUES: usize = 50;
/// A case needs this many sample rows to get its own distribution (rule cases always do).
const MIN_CASE_ROWS: usize = 5;
/// Weaker associations than this are not modelled.
const MIN_ASSOCIATION: f64 = 0.05;
/// An order rule needs this many sample rows with both values.
const MIN_ORDER_ROWS: usize = 20;
/// An association is modelled only when independence would explain it with at most
/// this probability (a G-test for categories, an F-test for numbers): on a few dozen
/// rows, a column with many values "explains" any other by chance alone.
const MAX_ASSOCIATION_P: f64 = 1e-3;

/// A column rises with the key when the Spearman correlation of their ranks is at
/// least this, on at least [`MIN_ORDER_ROWS`] rows.
const MIN_MONOTONE_RHO: f64 = 0.99;

/// The grouping parent of a table, joined to its sample rows.
pub(crate) struct ParentView<'a> {
    pub model: &'a TableModel,
    pub sample: &'a SampleTable,
    /// For each child sample row, the parent sample row it references.
    pub row_of: Vec<Option<usize>>,
}

/// Is `rule` in tables.yaml's `disabled_rules` (ids match case-insensitively)?
pub(super) fn switched_off(disabled: &[String], rule: &Rule) -> bool {
    let id = rule.id();
    disabled.iter().any(|d| d.eq_ignore_ascii_case(&id))
}

/// The dependency chosen per column, the rules it carries and the rules' further
/// conditions.
type Chosen = BTreeMap<String, (Dependency, Vec<RuleKind>, Vec<ColumnRef>)>;

/// A column's values on the sample rows, seen from the child table.
struct Source<'a> {
    reference: ColumnRef,
    model: &'a ColumnModel,
    values: Vec<Option<&'a Value>>,
    /// The values' labels, for categories and templates.
    labels: Labels,
}

impl<'a> Source<'a> {
    fn new(reference: ColumnRef, model: &'a ColumnModel, values: Vec<Option<&'a Value>>) -> Self {
        let labels = if model.is_category() || matches!(model.generator, Generator::Template { .. })
        {
            Labels::of(&values, model)
        } else {
            Labels::default()
        };
        Source {
            reference,
            model,
            values,
            labels,
        }
    }

    /// The label of row `r`'s value (NULL's is the empty text), `None` when the row has
    /// no such value (no parent row).
    fn label_id(&self, r: usize) -> Option<u32> {
        self.labels
            .ids
            .get(r)
            .copied()
            .filter(|&id| id != Labels::NONE)
    }
}

/// A column's values as interned [`label`]s, computed once: rendering every value
/// again for every candidate pair of columns was most of the training time.
#[derive(Default)]
struct Labels {
    /// Per row, an index into `names` or [`Labels::NONE`].
    ids: Vec<u32>,
    names: Vec<String>,
}

impl Labels {
    const NONE: u32 = u32::MAX;

    fn of(values: &[Option<&Value>], model: &ColumnModel) -> Labels {
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut names = Vec::new();
        let ids = values
            .iter()
            .map(|v| match v {
                None => Labels::NONE,
                Some(v) => *index.entry(label(v, model)).or_insert_with_key(|name| {
                    names.push(name.clone());
                    names.len() as u32 - 1
                }),
            })
            .collect();
        Labels { ids, names }
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// Learns the dependencies and rules of `model` from its `sample`.
pub(crate) fn learn(
    model: &mut TableModel,
    sample: &SampleTable,
    parent: Option<&ParentView>,
    disabled: &[String],
) {
    let rows = sample.rows();
    let own: Vec<Source> = model
        .columns
        .iter()
        .filter_map(|c| {
            let col = sample.column(&c.name)?;
            let reference = ColumnRef {
                parent: false,
                column: c.name.clone(),
            };
            Some(Source::new(
                reference,
                c,
                col.values.iter().map(Some).collect(),
            ))
        })
        .collect();
    let inherited: Vec<Source> = parent
        .map(|p| {
            p.model
                .columns
                .iter()
                .filter_map(|c| {
                    let col = p.sample.column(&c.name)?;
                    let reference = ColumnRef {
                        parent: true,
                        column: c.name.clone(),
                    };
                    let values = (0..rows)
                        .map(|r| p.row_of[r].map(|pr| &col.values[pr]))
                        .collect();
                    Some(Source::new(reference, c, values))
                })
                .collect()
        })
        .unwrap_or_default();
    let sources: Vec<&Source> = own.iter().chain(&inherited).collect();
    let units = Units::new(parent.map(|p| p.row_of.as_slice()));

    let mut chosen: Chosen = BTreeMap::new();
    let dependents = own.iter().filter(|s| s.model.is_learned());

    let mut candidates: Vec<Candidate> = Vec::new();
    for c in dependents {
        for k in &sources {
            if k.reference == c.reference {
                continue;
            }
            for kind in [RuleKind::NotBefore, RuleKind::NotAfter] {
                let after = kind == RuleKind::NotBefore;
                let Some(gap) = order_gap(c, k, rows, after) else {
                    continue;
                };
                let rule = Rule {
                    kind: kind.clone(),
                    column: c.reference.column.clone(),
                    on: k.reference.clone(),
                    also: Vec::new(),
                };
                if !switched_off(disabled, &rule) {
                    candidates.push((2, 1.0 - gap, c, k, vec![kind]));
                }
            }
            if let Some((score, rules, coverage)) = association(c, k, rows, &units) {
                let rules: Vec<RuleKind> = rules
                    .into_iter()
                    .filter(|kind| {
                        let rule = Rule {
                            kind: kind.clone(),
                            column: c.reference.column.clone(),
                            on: k.reference.clone(),
                            also: Vec::new(),
                        };
                        !switched_off(disabled, &rule)
                    })
                    .collect();
                if !rules.is_empty() {
                    // The rule covering most rows wins (an iff over a one-way rule).
                    candidates.push((1, coverage + score * 1e-3, c, k, rules));
                } else if score >= MIN_ASSOCIATION {
                    candidates.push((0, score, c, k, rules));
                }
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then_with(|| a.2.reference.cmp(&b.2.reference))
            .then_with(|| a.3.reference.cmp(&b.3.reference))
    });
    // Rules first — of one condition, then of several — and only then the plain
    // associations, so no weak link takes a condition a rule needs.
    let associations = candidates.split_off(candidates.partition_point(|c| c.0 > 0));
    for candidate in candidates {
        choose(candidate, rows, &mut chosen);
    }
    combination_rules(&own, &sources, (rows, &units), &mut chosen, disabled);
    for candidate in associations {
        choose(candidate, rows, &mut chosen);
    }
    refine(&own, &sources, rows, &mut chosen);

    for column in &mut model.columns {
        if let Some((dependency, rules, also)) = chosen.remove(&column.name) {
            let on = dependency
                .reads()
                .next()
                .expect("a dependency reads a column")
                .clone();
            model.rules.extend(rules.into_iter().map(|kind| Rule {
                kind,
                column: column.name.clone(),
                on: on.clone(),
                also: also.clone(),
            }));
            column.depends_on = Some(dependency);
        }
    }
    super::rooms::learn_rooms(model, sample, parent, disabled);
    mark_monotone(model, sample);
    model.joint = super::joint::learn_joint(model, sample);
    model.copula = learn_copula(model, sample, parent);
}

/// A dependency to consider: (priority — 2 order rules, 1 category rules, 0 plain
/// associations —, score, dependent, the column it depends on, its rules).
type Candidate<'s> = (u8, f64, &'s Source<'s>, &'s Source<'s>, Vec<RuleKind>);

/// Takes `candidate` as its column's dependency unless the column has one already or
/// it would close a cycle within the row.
fn choose(candidate: Candidate, rows: usize, chosen: &mut Chosen) {
    let (priority, _, c, k, rules) = candidate;
    let name = &c.reference.column;
    if chosen.contains_key(name)
        || (!k.reference.parent && creates_cycle(chosen, name, &k.reference.column))
    {
        return;
    }
    let dependency = if priority == 2 {
        let order = order(c, k, rows, rules.contains(&RuleKind::NotBefore));
        if rules.contains(&RuleKind::NotBefore) {
            Dependency::After(order)
        } else {
            Dependency::Before(order)
        }
    } else {
        given(c, k, rows, !rules.is_empty())
    };
    if matches!(&dependency, Dependency::Given { cases, .. } if cases.len() < 2) {
        return; // one case is the marginal again
    }
    chosen.insert(name.clone(), (dependency, rules, Vec::new()));
}

/// Marks the numeric columns that rise with the table's sequence key
/// ([`ColumnModel::monotone`]).
fn mark_monotone(model: &mut TableModel, sample: &SampleTable) {
    let [key] = model.primary_key.as_slice() else {
        return;
    };
    let Some(key_model) = model.column(key) else {
        return;
    };
    if !matches!(
        key_model.generator,
        Generator::Sequence {
            per_parent_start: None,
            ..
        }
    ) {
        return;
    }
    let key_type = key_model.logical_type;
    let Some(key_values) = sample.column(key) else {
        return;
    };
    for c in &mut model.columns {
        if !matches!(c.generator, Generator::Numeric { .. }) || !c.privacy.keeps_values() {
            continue;
        }
        let Some(values) = sample.column(&c.name) else {
            continue;
        };
        let pairs: Vec<(f64, f64)> = key_values
            .values
            .iter()
            .zip(&values.values)
            .filter_map(|(k, v)| Some((k.as_number(key_type)?, v.as_number(c.logical_type)?)))
            .collect();
        if pairs.len() < MIN_ORDER_ROWS {
            continue;
        }
        let (ks, vs): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
        c.monotone = crate::stats::pearson(&mid_ranks(&ks), &mid_ranks(&vs)) >= MIN_MONOTONE_RHO;
    }
}

/// The mid-rank of each value (ties share the mean of their ranks).
fn mid_ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut ranks = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let j = (i..order.len())
            .find(|&j| xs[order[j]] != xs[order[i]])
            .unwrap_or(order.len());
        for &r in &order[i..j] {
            ranks[r] = (i + j - 1) as f64 / 2.0;
        }
        i = j;
    }
    ranks
}

/// Learns a Gaussian copula over the modelled columns: each value's position within
/// the distribution it is drawn from in generation (its category's case, the ratio of
/// an `after` column, or the marginal) becomes a normal score, and the scores'
/// correlation matrix is kept as its Cholesky factor. `None` when no two columns are
/// correlated beyond ±0.05.
fn learn_copula(
    model: &TableModel,
    sample: &SampleTable,
    parent: Option<&ParentView>,
) -> Option<Copula> {
    let rows = sample.rows();
    let columns: Vec<&ColumnModel> = model
        .columns
        .iter()
        .filter(|c| c.is_learned() && !matches!(c.generator, Generator::Template { .. }))
        // The joint draws its columns together, from no position.
        .filter(|c| {
            !model
                .joint
                .as_ref()
                .is_some_and(|j| j.columns.contains(&c.name))
        })
        .collect();
    if columns.len() < 2 || rows < 3 {
        return None;
    }
    let value_of = |on: &ColumnRef, r: usize| -> Option<(Value, LogicalType)> {
        if on.parent {
            let p = parent?;
            let col = p.sample.column(&on.column)?;
            let ty = p.model.column(&on.column)?.logical_type;
            Some((col.values[p.row_of[r]?].clone(), ty))
        } else {
            let ty = model.column(&on.column)?.logical_type;
            Some((sample.column(&on.column)?.values[r].clone(), ty))
        }
    };
    let scores: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| {
            let values = &sample
                .column(&c.name)
                .expect("modelled columns are sampled")
                .values;
            // (group, position value or category) per row; the group names the
            // distribution the row's value is drawn from.
            let mut groups: BTreeMap<String, Vec<(usize, Position)>> = BTreeMap::new();
            for (r, v) in values.iter().enumerate() {
                if v.is_null() {
                    continue;
                }
                let (group, position) = match &c.depends_on {
                    Some(dependency @ Dependency::Given { on, also, .. }) => {
                        let text = |on: &ColumnRef| {
                            value_of(on, r)
                                .filter(|(v, _)| !v.is_null())
                                .map(|(v, ty)| v.render(ty))
                        };
                        // A NULL refining value is the empty text, as its label.
                        let also_key = also
                            .iter()
                            .map(|on| value_of(on, r).map(|(v, ty)| v.render(ty)))
                            .collect::<Option<Vec<String>>>()
                            .filter(|texts| !texts.is_empty())
                            .map(combination_key);
                        // The group names the case the row's value is drawn from.
                        let group = text(on)
                            .and_then(|k| dependency.case(&k, also_key.as_deref()))
                            .map(|case| case.value.clone())
                            .unwrap_or_default();
                        (group, Position::of(v, c.logical_type))
                    }
                    Some(dependency @ (Dependency::After(order) | Dependency::Before(order))) => {
                        let Some((base, ty)) = value_of(&order.on, r) else {
                            continue;
                        };
                        let (Some(x), Some(b)) = (v.as_number(c.logical_type), base.as_number(ty))
                        else {
                            continue;
                        };
                        let b = convert_temporal(b, ty, c.logical_type);
                        let after = matches!(dependency, Dependency::After(_));
                        let (near, far) = order.room(b, after);
                        let ratio = if far != near {
                            ((x - near) / (far - near)).clamp(0.0, 1.0)
                        } else {
                            0.0
                        };
                        (String::new(), Position::Number(ratio))
                    }
                    Some(Dependency::Copy { .. }) | None => {
                        (String::new(), Position::of(v, c.logical_type))
                    }
                };
                groups.entry(group).or_default().push((r, position));
            }
            let mut z = vec![0.0; rows];
            for (group, members) in groups {
                let generator = match &c.depends_on {
                    Some(Dependency::Given { cases, refined, .. }) => cases
                        .iter()
                        .chain(refined)
                        .find(|case| case.value == group)
                        .map_or(&c.generator, |case| &case.generator),
                    _ => &c.generator,
                };
                for (r, u) in positions(&members, generator) {
                    z[r] = crate::stats::normal_quantile(u);
                }
            }
            z
        })
        .collect();
    let k = columns.len();
    let mut matrix = vec![vec![0.0; k]; k];
    let mut strongest: f64 = 0.0;
    for i in 0..k {
        matrix[i][i] = 1.0;
        for j in 0..i {
            let r = crate::stats::pearson(&scores[i], &scores[j]);
            matrix[i][j] = r;
            matrix[j][i] = r;
            strongest = strongest.max(r.abs());
        }
    }
    (strongest > 0.05).then(|| Copula {
        columns: columns.iter().map(|c| c.name.clone()).collect(),
        cholesky: crate::stats::cholesky(&matrix),
    })
}

/// Where a value sits in its distribution: a number (ranked) or a category.
enum Position {
    Number(f64),
    Category(String),
}

impl Position {
    fn of(v: &Value, ty: LogicalType) -> Position {
        match v {
            Value::Str(s) => Position::Category(s.to_string()),
            Value::Bool(b) => Position::Category(b.to_string()),
            other => Position::Number(other.as_number(ty).unwrap_or(0.0)),
        }
    }
}

/// The uniform position (0..1) of each member within `generator`'s distribution:
/// mid-ranks for numbers, the middle of the category's interval for categories (in the
/// order generation draws them).
fn positions(members: &[(usize, Position)], generator: &Generator) -> Vec<(usize, f64)> {
    let mut numbers: Vec<(usize, f64)> = members
        .iter()
        .filter_map(|(r, p)| match p {
            Position::Number(x) => Some((*r, *x)),
            Position::Category(_) => None,
        })
        .collect();
    let mut out = Vec::with_capacity(members.len());
    if !numbers.is_empty() {
        numbers.sort_by(|a, b| a.1.total_cmp(&b.1));
        let m = numbers.len() as f64;
        let mut i = 0;
        while i < numbers.len() {
            let j = (i..numbers.len())
                .find(|&j| numbers[j].1 != numbers[i].1)
                .unwrap_or(numbers.len());
            let mid_rank = (i + j) as f64 / 2.0; // mean of ranks i..j-1, plus ½
            for (r, _) in &numbers[i..j] {
                out.push((*r, mid_rank / m));
            }
            i = j;
        }
    }
    let intervals: Vec<(String, f64)> = match generator {
        Generator::Categorical { frequencies } => frequencies.items.clone(),
        Generator::Boolean { p_true } => {
            vec![("true".into(), *p_true), ("false".into(), 1.0 - p_true)]
        }
        _ => Vec::new(),
    };
    for (r, p) in members {
        if let Position::Category(c) = p {
            let mut start = 0.0;
            let mut u = 0.5;
            for (value, p) in &intervals {
                if value == c {
                    u = start + p / 2.0;
                    break;
                }
                start += p;
            }
            out.push((*r, u));
        }
    }
    out
}

fn creates_cycle(chosen: &Chosen, dependent: &str, on: &str) -> bool {
    let mut stack = vec![on.to_string()];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(current) = stack.pop() {
        if current == dependent {
            return true;
        }
        if seen.insert(current.clone())
            && let Some((d, _, _)) = chosen.get(&current)
        {
            stack.extend(d.reads().filter(|r| !r.parent).map(|r| r.column.clone()));
        }
    }
    false
}

/// For two temporal columns ordered on every sample row (`c ≥ k` when `after`, else
/// `c ≤ k`): the mean gap as a share of c's range (small = tight). `k` must be a column
/// whose values may be learned from.
fn order_gap(c: &Source, k: &Source, rows: usize, after: bool) -> Option<f64> {
    let (ct, kt) = (c.model.logical_type, k.model.logical_type);
    if !ct.is_temporal() || !kt.is_temporal() || !k.model.privacy.keeps_values() {
        return None;
    }
    let pairs = ordered_pairs(c, k, rows);
    let mut gap = 0.0;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &(cv, base) in &pairs {
        let d = if after { cv - base } else { base - cv };
        if d < 0.0 {
            return None;
        }
        gap += d;
        lo = lo.min(cv);
        hi = hi.max(cv);
    }
    let range = hi - lo;
    (pairs.len() >= MIN_ORDER_ROWS && range > 0.0 && gap > 0.0)
        .then(|| (gap / pairs.len() as f64 / range).min(1.0))
}

/// `(c, k)` on the rows with both, `k` converted to c's number line.
fn ordered_pairs(c: &Source, k: &Source, rows: usize) -> Vec<(f64, f64)> {
    let (ct, kt) = (c.model.logical_type, k.model.logical_type);
    (0..rows)
        .filter_map(|r| {
            let cv = c.values[r]?.as_number(ct)?;
            let kv = k.values[r]?.as_number(kt)?;
            Some((cv, convert_temporal(kv, kt, ct)))
        })
        .collect()
}

/// The order model of `c` relative to `k` (see [`Order`]): the gaps, the column's own
/// range and each sample value's position in the room they leave.
fn order(c: &Source, k: &Source, rows: usize, after: bool) -> Order {
    let ct = c.model.logical_type;
    let own: Vec<f64> = (0..rows)
        .filter_map(|r| c.values[r]?.as_number(ct))
        .collect();
    let lower = own.iter().copied().fold(f64::INFINITY, f64::min);
    let upper = own.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pairs = ordered_pairs(c, k, rows);
    let gaps = pairs
        .iter()
        .map(|&(cv, base)| if after { cv - base } else { base - cv });
    let min_gap = gaps.clone().fold(f64::INFINITY, f64::min).max(0.0);
    let max_gap = gaps.fold(0.0, f64::max);
    let mut order = Order {
        on: k.reference.clone(),
        ratio: Quantiles { points: vec![0.0] },
        min_gap,
        max_gap: (max_gap <= 0.5 * (upper - lower)).then_some(max_gap),
        lower,
        upper,
    };
    let ratios: Vec<f64> = pairs
        .iter()
        .map(|&(cv, base)| {
            let (near, far) = order.room(base, after);
            if far != near {
                ((cv - near) / (far - near)).clamp(0.0, 1.0)
            } else {
                0.0
            }
        })
        .collect();
    if let Some(ratio) = Quantiles::fit(&ratios) {
        order.ratio = ratio;
    }
    order
}

/// The label a categorical or template value is counted under: its text, or its
/// template's leading phrase.
fn label(v: &Value, model: &ColumnModel) -> String {
    match (&model.generator, v) {
        (Generator::Template { .. }, Value::Str(s)) => {
            crate::model::template_parts(s, false).0.to_string()
        }
        _ => v.render(model.logical_type),
    }
}

/// How strongly `k` (a category) explains `c`, the rules it carries — each only when
/// chance alone would not explain it ([`MAX_ASSOCIATION_P`], [`MAX_RULE_CHANCE_LN`]) —
/// and the share of rows in the rules' pure categories.
fn association(
    c: &Source,
    k: &Source,
    rows: usize,
    units: &Units,
) -> Option<(f64, Vec<RuleKind>, f64)> {
    if !k.model.is_category() {
        return None;
    }
    // The rows of each of k's labels.
    let mut groups: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for r in 0..rows {
        if let Some(kv) = k.label_id(r) {
            groups.entry(kv).or_default().push(r);
        }
    }
    if groups.len() < 2 || groups.len() > MAX_CONDITION_VALUES {
        return None;
    }
    let value = |r: &usize| c.values[*r].filter(|v| !v.is_null());
    let clustered = k.reference.parent;
    let mut rules = Vec::new();
    let presence: Vec<Tally> = groups
        .values()
        .map(|g| units.tally(clustered, g, |r| Some(value(&r).is_some())))
        .collect();
    let mut coverage: f64 = 0.0;
    if binary_rule(&presence) {
        rules.push(RuleKind::Presence);
        coverage = coverage.max(pure_share(&presence));
    }
    let ty = c.model.logical_type;
    let (score, p) = if matches!(c.model.generator, Generator::Numeric { .. }) {
        let number = |r: &usize| value(r).and_then(|v| v.as_number(ty));
        let per_group: Vec<Vec<f64>> = groups
            .values()
            .map(|g| g.iter().filter_map(number).collect())
            .collect();
        let signs: Vec<Tally> = groups
            .values()
            .map(|g| units.tally(clustered, g, |r| number(&r).map(|x| x >= 0.0)))
            .collect();
        if binary_rule(&signs) {
            rules.push(RuleKind::Sign);
            coverage = coverage.max(pure_share(&signs));
        }
        correlation_ratio(&per_group)
    } else {
        let fit = uncertainty_coefficient(&groups, c, (units, clustered));
        // A template's phrase may follow a category, but its tail is free: no rule.
        let template = matches!(c.model.generator, Generator::Template { .. });
        if fit.determined && !template && fit.chance_ln <= MAX_RULE_CHANCE_LN {
            rules.push(RuleKind::Determined);
            coverage = 1.0;
        }
        (fit.u, fit.p)
    };
    if rules.is_empty() && p > MAX_ASSOCIATION_P {
        return None;
    }
    Some((score, rules, coverage))
}

/// η², the share of the variance of the numbers explained by the groups, and the
/// F-test's p-value of it.
fn correlation_ratio(per_group: &[Vec<f64>]) -> (f64, f64) {
    let Some(v) = variance_split(per_group) else {
        return (0.0, 1.0);
    };
    let eta = (1.0 - v.within / v.total).clamp(0.0, 1.0);
    let (df1, df2) = (v.groups - 1.0, v.n - v.groups);
    let p = if df1 < 1.0 || df2 < 1.0 {
        1.0
    } else if v.within <= 0.0 {
        0.0
    } else {
        let f = ((v.total - v.within) / df1) / (v.within / df2);
        FisherSnedecor::new(df1, df2).map_or(1.0, |d| d.sf(f))
    };
    (eta, p)
}

/// ε², the share of variance explained by the groups adjusted for their number (as
/// adjusted R² is): many small groups explain some variance by chance alone.
fn epsilon_squared(groups: &[Vec<f64>]) -> f64 {
    match variance_split(groups) {
        Some(v) if v.n > v.groups + 1.0 => {
            1.0 - (v.within / (v.n - v.groups)) / (v.total / (v.n - 1.0))
        }
        _ => 0.0,
    }
}

/// Sums of squares of grouped numbers.
struct VarianceSplit {
    /// Around the overall mean.
    total: f64,
    /// Around each group's mean.
    within: f64,
    /// How many numbers.
    n: f64,
    /// How many non-empty groups.
    groups: f64,
}

/// `None` when there are fewer than two numbers or they are all equal.
fn variance_split(groups: &[Vec<f64>]) -> Option<VarianceSplit> {
    let n = groups.iter().map(Vec::len).sum::<usize>() as f64;
    if n < 2.0 {
        return None;
    }
    let mean = groups.iter().flatten().sum::<f64>() / n;
    let total: f64 = groups.iter().flatten().map(|x| (x - mean).powi(2)).sum();
    if total <= 0.0 {
        return None;
    }
    let non_empty = groups.iter().filter(|g| !g.is_empty());
    let within: f64 = non_empty
        .clone()
        .map(|g| {
            let m = g.iter().sum::<f64>() / g.len() as f64;
            g.iter().map(|x| (x - m).powi(2)).sum::<f64>()
        })
        .sum();
    Some(VarianceSplit {
        total,
        within,
        n,
        groups: non_empty.count() as f64,
    })
}

/// How well a category explains a categorical column.
struct CategoryFit {
    /// Theil's U(c | k) over non-NULL values.
    u: f64,
    /// The G-test's p-value of the association.
    p: f64,
    /// k determines c exactly on every sample row.
    determined: bool,
    /// `ln` of the chance that a c independent of k would look determined.
    chance_ln: f64,
}

/// `groups` are the rows of each value of the condition; `units` tell how many pieces
/// of evidence a group's rows are.
fn uncertainty_coefficient(
    groups: &BTreeMap<u32, Vec<usize>>,
    c: &Source,
    (units, clustered): (&Units, bool),
) -> CategoryFit {
    let entropy = |counts: &BTreeMap<u32, usize>| {
        let n: usize = counts.values().sum();
        counts
            .values()
            .map(|&c| {
                let p = c as f64 / n as f64;
                -p * p.ln()
            })
            .sum::<f64>()
    };
    let mut overall: BTreeMap<u32, usize> = BTreeMap::new();
    let mut conditional = 0.0;
    let mut n = 0usize;
    let mut determined = true;
    let mut sizes = Vec::new();
    for g in groups.values() {
        let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
        let mut labelled = Vec::new();
        for &r in g {
            if c.values[r].is_some_and(|v| !v.is_null())
                && let Some(id) = c.label_id(r)
            {
                *counts.entry(id).or_default() += 1;
                *overall.entry(id).or_default() += 1;
                labelled.push(r);
            }
        }
        let m: usize = counts.values().sum();
        determined &= counts.len() <= 1;
        if m > 0 {
            conditional += m as f64 * entropy(&counts);
            n += m;
            sizes.push(units.count(clustered, labelled));
        }
    }
    let h = entropy(&overall);
    if n == 0 || h <= 0.0 {
        return CategoryFit {
            u: 0.0,
            p: 1.0,
            determined: false,
            chance_ln: 0.0,
        };
    }
    let u = (1.0 - conditional / n as f64 / h).clamp(0.0, 1.0);
    let g_statistic = 2.0 * (n as f64 * h - conditional);
    let df = ((sizes.len() - 1) * (overall.len() - 1)) as f64;
    let p = if df < 1.0 {
        1.0
    } else {
        ChiSquared::new(df).map_or(1.0, |d| d.sf(g_statistic))
    };
    let shares: Vec<f64> = overall.values().map(|&c| c as f64 / n as f64).collect();
    let chance_ln = sizes
        .iter()
        .map(|&m| {
            shares
                .iter()
                .map(|s| s.powi(m as i32))
                .sum::<f64>()
                .max(f64::MIN_POSITIVE)
                .ln()
        })
        .sum();
    CategoryFit {
        u,
        p,
        determined: determined && overall.len() > 1,
        chance_ln,
    }
}

fn given(c: &Source, k: &Source, rows: usize, rule: bool) -> Dependency {
    Dependency::Given {
        on: k.reference.clone(),
        cases: cases_by(c, k, rows, rule),
        also: Vec::new(),
        refined: Vec::new(),
    }
}

/// `c`'s case for each of `k`'s labels — all of them for a rule, else those with
/// [`MIN_CASE_ROWS`] rows.
fn cases_by(c: &Source, k: &Source, rows: usize, rule: bool) -> Vec<Case> {
    let mut groups: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for r in 0..rows {
        if let (Some(kv), Some(v)) = (k.label_id(r), c.values[r]) {
            groups.entry(k.labels.name(kv)).or_default().push(v);
        }
    }
    groups
        .into_iter()
        .filter(|(_, values)| rule || values.len() >= MIN_CASE_ROWS)
        .map(|(value, values)| case(c.model, value.to_string(), &values))
        .collect()
}

/// Presence and sign rules that only two or three categories decide together (MCC is
/// set for ATM and POS payments and for online debits, never for online credits): for a
/// column with no such rule on one category, the pair of categories whose combinations
/// make the least likely rule by chance, extended by a third category when that makes
/// more rows follow the rule; each condition of it must make a rule alone or make pure,
/// beyond chance, rows the others leave mixed (rows of one parent count once under a
/// parent's column). The
/// column's dependency becomes those categories' — every combination seen has a case
/// of its own — and carries the rule.
fn combination_rules(
    own: &[Source],
    sources: &[&Source],
    (rows, units): (usize, &Units),
    chosen: &mut Chosen,
    disabled: &[String],
) {
    let evidence = (rows, units, disabled);
    let categories: Vec<&Source> = sources
        .iter()
        .copied()
        .filter(|k| k.model.is_category())
        .collect();
    for c in own.iter().filter(|c| c.model.is_learned()) {
        let name = &c.reference.column;
        // The rows a rule on one category already covers: a pair must cover more.
        let single = match chosen.get(name) {
            Some((dependency, rules, _))
                if rules
                    .iter()
                    .any(|r| matches!(r, RuleKind::Presence | RuleKind::Sign)) =>
            {
                let on = dependency
                    .reads()
                    .next()
                    .expect("a dependency reads a column");
                sources
                    .iter()
                    .find(|k| k.reference == *on)
                    .and_then(|k| combination_rule(c, vec![k], evidence))
                    .map_or(1.0, |rule| rule.coverage)
            }
            _ => 0.0,
        };
        if single >= 1.0 {
            continue;
        }
        let usable: Vec<&Source> = categories
            .iter()
            .copied()
            .filter(|k| {
                k.reference != c.reference
                    && (k.reference.parent || !creates_cycle(chosen, name, &k.reference.column))
            })
            .collect();
        let alone: Vec<&ColumnRef> = usable
            .iter()
            .filter(|k| combination_rule(c, vec![k], evidence).is_some())
            .map(|k| &k.reference)
            .collect();
        let alone = |k: &ColumnRef| alone.contains(&k);
        let mut best: Option<CombinationRule> = None;
        for (a, ka) in usable.iter().enumerate() {
            for kb in &usable[a + 1..] {
                let Some(found) = combination_rule(c, vec![ka, kb], evidence) else {
                    continue;
                };
                if found.coverage > single
                    && found.every_condition_counts(alone)
                    && best.as_ref().is_none_or(|b| found.chance < b.chance)
                {
                    best = Some(found);
                }
            }
        }
        if let Some(pair) = best.take_if(|pair| pair.coverage < 1.0) {
            let third = usable
                .iter()
                .filter(|k| !pair.conditions.iter().any(|p| p.reference == k.reference))
                .filter_map(|k| {
                    let mut conditions = pair.conditions.clone();
                    conditions.push(k);
                    combination_rule(c, conditions, evidence)
                })
                .filter(|t| t.coverage > pair.coverage && t.every_condition_counts(alone))
                .min_by(|a, b| a.chance.total_cmp(&b.chance));
            best = Some(third.unwrap_or(pair));
        }
        let Some(found) = best else {
            continue;
        };
        // A pair or a triple: `on` first.
        let (on, rest) = (found.conditions[0], &found.conditions[1..]);
        let rows_of = (0..rows).filter_map(|r| Some((combination_of(&found.conditions, r)?, r)));
        let refined = values_by_combination(c, &found.conditions, rows_of)
            .into_iter()
            .map(|(value, values)| case(c.model, value, &values))
            .collect();
        let also: Vec<ColumnRef> = rest.iter().map(|k| k.reference.clone()).collect();
        let dependency = Dependency::Given {
            on: on.reference.clone(),
            cases: cases_by(c, on, rows, true),
            also: also.clone(),
            refined,
        };
        chosen.insert(name.clone(), (dependency, found.kinds, also));
    }
}

/// At most this many categories decide a rule, or a distribution, together.
const MAX_CONDITIONS: usize = 3;

/// Row `r`'s labels of `conditions` (at most [`MAX_CONDITIONS`]; unused slots 0),
/// `None` when the row lacks one (no parent row).
fn combination_of(conditions: &[&Source], r: usize) -> Option<[u32; MAX_CONDITIONS]> {
    let mut key = [0; MAX_CONDITIONS];
    for (slot, k) in key.iter_mut().zip(conditions) {
        *slot = k.label_id(r)?;
    }
    Some(key)
}

/// Per combination of condition labels: the tallies of presence and of sign.
type Outcomes = BTreeMap<[u32; MAX_CONDITIONS], [Tally; 2]>;

/// A presence or sign rule that several categories decide together.
struct CombinationRule<'s> {
    /// The deciding categories, the rule's `on` first.
    conditions: Vec<&'s Source<'s>>,
    /// `ln` of the chance that independent values follow it (the lowest of its kinds).
    chance: f64,
    /// The share of rows in combinations that decide the value.
    coverage: f64,
    kinds: Vec<RuleKind>,
    outcomes: Outcomes,
}

impl CombinationRule<'_> {
    /// Does every condition count: make a rule of its own (`alone`), or make pure,
    /// beyond chance, parts of the combinations the others leave mixed? A condition
    /// that only splits off a few rows — or none — is not part of the rule.
    fn every_condition_counts(&self, alone: impl Fn(&ColumnRef) -> bool) -> bool {
        (0..self.conditions.len()).all(|i| {
            alone(&self.conditions[i].reference) || self.split_chance_ln(i) <= MAX_RULE_CHANCE_LN
        })
    }

    /// `ln` of the chance that condition `i` would make pure, by chance alone, the parts
    /// of the combinations the other conditions leave mixed (each part at its
    /// combination's own share): the evidence that condition `i` adds.
    fn split_chance_ln(&self, i: usize) -> f64 {
        self.kinds
            .iter()
            .map(|kind| {
                let outcome = |g: &[Tally; 2]| match kind {
                    RuleKind::Presence => g[0],
                    _ => g[1],
                };
                let mut coarse: BTreeMap<[u32; MAX_CONDITIONS], Vec<Tally>> = BTreeMap::new();
                for (key, g) in &self.outcomes {
                    let mut others = *key;
                    others[i] = u32::MAX;
                    coarse.entry(others).or_default().push(outcome(g));
                }
                coarse
                    .values()
                    .filter_map(|parts| {
                        let yes: usize = parts.iter().map(|g| g.yes).sum();
                        let rows: usize = parts.iter().map(|g| g.rows).sum();
                        if yes == 0 || yes == rows {
                            return None; // pure without condition i
                        }
                        Some(pure_chance_ln(parts, yes as f64 / rows as f64))
                    })
                    .sum::<f64>()
            })
            .fold(0.0, f64::min)
    }
}

/// The presence and sign rules of `c` over the combinations of `conditions`, when some
/// hold beyond chance (and are not switched off).
fn combination_rule<'s>(
    c: &Source,
    conditions: Vec<&'s Source<'s>>,
    (rows, units, disabled): (usize, &Units, &[String]),
) -> Option<CombinationRule<'s>> {
    let numeric = matches!(c.model.generator, Generator::Numeric { .. });
    let ty = c.model.logical_type;
    let mut rows_of: CombinationRows = BTreeMap::new();
    for r in 0..rows {
        if let Some(key) = combination_of(&conditions, r) {
            rows_of.entry(key).or_default().push(r);
        }
    }
    if rows_of.len() > MAX_CONDITION_VALUES {
        return None;
    }
    let clustered = conditions.iter().any(|k| k.reference.parent);
    let value = |r: usize| c.values[r].filter(|v| !v.is_null());
    let groups: Outcomes = rows_of
        .into_iter()
        .map(|(key, members)| {
            let presence = units.tally(clustered, &members, |r| Some(value(r).is_some()));
            let sign = units.tally(clustered, &members, |r| {
                let x = value(r).and_then(|v| v.as_number(ty)).filter(|_| numeric)?;
                Some(x >= 0.0)
            });
            (key, [presence, sign])
        })
        .collect();
    let presence: Vec<Tally> = groups.values().map(|g| g[0]).collect();
    let signs: Vec<Tally> = groups.values().map(|g| g[1]).collect();
    let (on, also) = conditions.split_first()?;
    let found: Vec<(RuleKind, f64, f64)> = [
        (RuleKind::Presence, rule_chance_ln(&presence), &presence),
        (
            RuleKind::Sign,
            numeric.then(|| rule_chance_ln(&signs)).flatten(),
            &signs,
        ),
    ]
    .into_iter()
    .filter_map(|(kind, chance, groups)| Some((kind, chance?, pure_share(groups))))
    .filter(|(kind, ..)| {
        let rule = Rule {
            kind: kind.clone(),
            column: c.reference.column.clone(),
            on: on.reference.clone(),
            also: also.iter().map(|k| k.reference.clone()).collect(),
        };
        !switched_off(disabled, &rule)
    })
    .collect();
    Some(CombinationRule {
        chance: found
            .iter()
            .map(|(_, chance, _)| *chance)
            .reduce(f64::min)?,
        coverage: found.iter().map(|(.., share)| *share).fold(0.0, f64::max),
        kinds: found.into_iter().map(|(kind, ..)| kind).collect(),
        conditions,
        outcomes: groups,
    })
}

/// Refines columns conditioned on one category by a second one and then a third, each
/// when it explains clearly more than the categories before it (numbers: ε² of ranks;
/// categories and template phrases: information): a transaction's amount by its type
/// (which carries the sign rule) and its channel, its description by its channel, its
/// merchant code and its type. Combinations with too few sample rows draw from the
/// longest prefix of them that has enough (see [`Dependency::case`]).
fn refine(own: &[Source], sources: &[&Source], rows: usize, chosen: &mut Chosen) {
    for c in own {
        let name = &c.reference.column;
        let Some((Dependency::Given { on, also, .. }, _, _)) = chosen.get(name) else {
            continue;
        };
        if !also.is_empty() {
            continue; // a rule's combinations are its own
        }
        let Some(k) = sources.iter().find(|s| s.reference == *on) else {
            continue;
        };
        let mut conditions: Vec<&Source> = vec![k];
        let mut refined: Vec<Case> = Vec::new();
        while conditions.len() < MAX_CONDITIONS {
            let best = sources
                .iter()
                .filter(|k2| {
                    k2.reference != c.reference
                        && !conditions.iter().any(|k| k.reference == k2.reference)
                        && k2.model.is_category()
                        && (k2.reference.parent
                            || !creates_cycle(chosen, name, &k2.reference.column))
                })
                .filter_map(|k2| {
                    let (gain, groups) = refinement_gain(c, &conditions, k2, rows)?;
                    (gain >= MIN_ASSOCIATION).then_some((gain, *k2, groups))
                })
                .max_by(|a, b| {
                    a.0.total_cmp(&b.0)
                        .then_with(|| b.1.reference.cmp(&a.1.reference))
                });
            let Some((_, k2, groups)) = best else {
                break;
            };
            conditions.push(k2);
            refined.extend(
                groups
                    .into_iter()
                    .map(|(value, values)| case(c.model, value, &values)),
            );
        }
        if let Some((
            Dependency::Given {
                also,
                refined: cases,
                ..
            },
            _,
            _,
        )) = chosen.get_mut(name)
        {
            *also = conditions[1..]
                .iter()
                .map(|k| k.reference.clone())
                .collect();
            *cases = refined;
        }
    }
}

/// Rows by the labels of up to [`MAX_CONDITIONS`] conditions.
type CombinationRows = BTreeMap<[u32; MAX_CONDITIONS], Vec<usize>>;

/// How much more of `c`'s variance `conditions` and `next` explain together than
/// `conditions` alone, on the rows of combinations with enough rows for a case of
/// their own; and those combinations' values, by [`combination_key`].
#[allow(clippy::type_complexity)]
fn refinement_gain<'a>(
    c: &Source<'a>,
    conditions: &[&Source],
    next: &Source,
    rows: usize,
) -> Option<(f64, BTreeMap<String, Vec<&'a Value>>)> {
    let all: Vec<&Source> = conditions.iter().copied().chain([next]).collect();
    let mut combinations = CombinationRows::new();
    for r in 0..rows {
        if let Some(key) = combination_of(&all, r) {
            combinations.entry(key).or_default().push(r);
        }
    }
    combinations.retain(|_, rows| rows.len() >= MIN_CASE_ROWS);
    let last = conditions.len();
    let distinct_next: std::collections::BTreeSet<u32> =
        combinations.keys().map(|key| key[last]).collect();
    if distinct_next.len() < 2 || distinct_next.len() > MAX_CONDITION_VALUES {
        return None;
    }
    let gain = if matches!(c.model.generator, Generator::Numeric { .. }) {
        rank_gain(&combinations, last, c)
    } else {
        label_gain(&combinations, last, c)
    };
    let rows_of = combinations
        .into_iter()
        .flat_map(|(key, rows)| rows.into_iter().map(move |r| (key, r)));
    Some((gain, values_by_combination(c, &all, rows_of)))
}

/// `c`'s values of `rows_of` (row, its labels of `conditions`) by the
/// [`combination_key`] of the labels' names.
fn values_by_combination<'a>(
    c: &Source<'a>,
    conditions: &[&Source],
    rows_of: impl Iterator<Item = ([u32; MAX_CONDITIONS], usize)>,
) -> BTreeMap<String, Vec<&'a Value>> {
    let mut by_key: BTreeMap<[u32; MAX_CONDITIONS], Vec<&'a Value>> = BTreeMap::new();
    for (key, r) in rows_of {
        by_key.entry(key).or_default().extend(c.values[r]);
    }
    by_key
        .into_iter()
        .map(|(key, values)| {
            let names = conditions.iter().zip(key).map(|(k, id)| k.labels.name(id));
            (combination_key(names), values)
        })
        .collect()
}

/// The combinations' gain in explained variance of ranks (ε²) over their first `last`
/// labels alone.
fn rank_gain(combinations: &CombinationRows, last: usize, c: &Source) -> f64 {
    let ty = c.model.logical_type;
    let number = |r: &usize| c.values[*r].and_then(|v| v.as_number(ty));
    // Ranks, not values: a few extreme amounts in a small group would otherwise look
    // like an effect.
    let mut all: Vec<f64> = combinations.values().flatten().filter_map(number).collect();
    all.sort_by(f64::total_cmp);
    let rank = |x: f64| {
        let below = all.partition_point(|v| *v < x);
        let equal = all[below..].partition_point(|v| *v <= x);
        below as f64 + (equal as f64 + 1.0) / 2.0
    };
    let mut coarse: BTreeMap<&[u32], Vec<f64>> = BTreeMap::new();
    let mut fine: Vec<Vec<f64>> = Vec::new();
    for (key, rows) in combinations {
        let ranks: Vec<f64> = rows.iter().filter_map(number).map(rank).collect();
        coarse.entry(&key[..last]).or_default().extend(&ranks);
        fine.push(ranks);
    }
    let coarse: Vec<Vec<f64>> = coarse.into_values().collect();
    epsilon_squared(&fine) - epsilon_squared(&coarse)
}

/// The combinations' gain in information about the labels (categories, template
/// phrases) over their first `last` labels alone, as a share of the labels' entropy.
/// Entropies carry the Miller–Madow correction, so splitting into more, smaller groups
/// gains nothing by chance alone.
fn label_gain(combinations: &CombinationRows, last: usize, c: &Source) -> f64 {
    // Σ over groups of n·H (corrected), and the total count.
    let conditional = |groups: &mut dyn Iterator<Item = Vec<usize>>| -> (f64, usize) {
        let (mut sum, mut n) = (0.0, 0usize);
        for g in groups {
            let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
            for &r in &g {
                if c.values[r].is_some_and(|v| !v.is_null())
                    && let Some(id) = c.label_id(r)
                {
                    *counts.entry(id).or_default() += 1;
                }
            }
            let m: usize = counts.values().sum();
            if m == 0 {
                continue;
            }
            let h: f64 = counts
                .values()
                .map(|&c| {
                    let p = c as f64 / m as f64;
                    -p * p.ln()
                })
                .sum::<f64>()
                + (counts.len() as f64 - 1.0) / (2.0 * m as f64);
            sum += m as f64 * h;
            n += m;
        }
        (sum, n)
    };
    let mut coarse: BTreeMap<&[u32], Vec<usize>> = BTreeMap::new();
    for (key, rows) in combinations {
        coarse
            .entry(&key[..last])
            .or_default()
            .extend(rows.iter().copied());
    }
    let (before, n) = conditional(&mut coarse.values().cloned());
    let (after, _) = conditional(&mut combinations.values().cloned());
    let (overall, _) = conditional(&mut std::iter::once(
        combinations.values().flatten().copied().collect(),
    ));
    if n == 0 || overall <= 0.0 {
        return 0.0;
    }
    (before - after) / overall
}

/// The case `value` of a column: the NULL share and distribution of its rows' `values`.
fn case(model: &ColumnModel, value: String, values: &[&Value]) -> Case {
    Case {
        value,
        null_rate: values.iter().filter(|v| v.is_null()).count() as f64 / values.len() as f64,
        generator: fit_case(model, values),
    }
}

/// The column's kind of distribution, fitted on one case's values.
fn fit_case(model: &ColumnModel, values: &[&Value]) -> Generator {
    let ty = model.logical_type;
    let present: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
    match &model.generator {
        Generator::Numeric {
            round_to,
            quantiles,
            masses,
            family,
        } => {
            let xs: Vec<f64> = present.iter().filter_map(|v| v.as_number(ty)).collect();
            let (quantiles, masses, family) = crate::stats::fit_with_masses(&xs)
                .unwrap_or_else(|| (quantiles.clone(), masses.clone(), family.clone()));
            Generator::Numeric {
                quantiles,
                round_to: *round_to,
                masses,
                family,
            }
        }
        Generator::Categorical { frequencies } => {
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for v in &present {
                *counts.entry(v.render(ty)).or_default() += 1;
            }
            Generator::Categorical {
                frequencies: Frequencies::from_counts(counts)
                    .unwrap_or_else(|| frequencies.clone()),
            }
        }
        Generator::Template { frequencies, tails } => {
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for v in &present {
                *counts.entry(label(v, model)).or_default() += 1;
            }
            let tails = tails
                .iter()
                .filter(|(phrase, _)| counts.contains_key(phrase))
                .cloned()
                .collect();
            Generator::Template {
                frequencies: Frequencies::from_counts(counts)
                    .unwrap_or_else(|| frequencies.clone()),
                tails,
            }
        }
        Generator::Boolean { p_true } => {
            let trues = present
                .iter()
                .filter(|v| matches!(v, Value::Bool(true)))
                .count();
            Generator::Boolean {
                p_true: if present.is_empty() {
                    *p_true
                } else {
                    trues as f64 / present.len() as f64
                },
            }
        }
        other => other.clone(),
    }
}
