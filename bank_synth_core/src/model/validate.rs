//! A model pack is checked once, when it is read: every name it refers to resolves and
//! every number is one generation can use. A pack is input — carried between
//! environments, edited by hand — so a damaged one is an error naming the place inside
//! the pack (`tables[2] ACCOUNTS › columns[7] BALANCE › generator › quantiles`), never a
//! panic later in generation.

use super::{
    ColumnModel, ColumnRef, Dependency, Generator, ModelPack, Order, Relationship, Role, Rule,
    TableModel,
};
use crate::format::{FormatModel, Pattern};
use crate::stats::{Frequencies, Quantiles};
use crate::value::LogicalType;
use std::collections::HashSet;

/// Numbers on a column's number line (days, seconds, microseconds, amounts) beyond
/// this are damage: no value of a supported type is that large.
const MAX_MAGNITUDE: f64 = 1e18;
/// Dates beyond ±this many days (year ≈ ±27,000) are damage.
const MAX_DAYS: f64 = 1e7;
/// A learned pattern longer than this is damage (text columns are far shorter).
const MAX_PATTERN_LENGTH: usize = 4_000;
/// A fan-out count beyond this is damage: no sample parent has that many children.
const MAX_FANOUT: u32 = 100_000_000;

/// Checks `pack`; the error names the place and what is wrong with it.
pub(super) fn validate(pack: &ModelPack) -> Result<(), String> {
    let mut names = HashSet::new();
    for (i, t) in pack.tables.iter().enumerate() {
        let place = format!("tables[{i}] {}", t.name);
        if t.name.is_empty() || !names.insert(t.name.as_str()) {
            return Err(format!("{place}: the table name is empty or used twice"));
        }
    }
    let mut names = HashSet::new();
    for (i, r) in pack.relationships.iter().enumerate() {
        let place = format!("relationships[{i}] {}", r.name);
        if !names.insert(r.name.as_str()) {
            return Err(format!("{place}: the relationship name is used twice"));
        }
        relationship(pack, r).map_err(|e| format!("{place} › {e}"))?;
    }
    for (i, t) in pack.tables.iter().enumerate() {
        table(pack, t).map_err(|e| format!("tables[{i}] {} › {e}", t.name))?;
    }
    Ok(())
}

fn find<'p>(pack: &'p ModelPack, table: &str) -> Option<&'p TableModel> {
    pack.tables.iter().find(|t| t.name == table)
}

fn relationship(pack: &ModelPack, r: &Relationship) -> Result<(), String> {
    let side = |field: &str, table: &str, columns: &[String]| {
        let t = find(pack, table).ok_or(format!("{field}: no table {table} in the pack"))?;
        if columns.is_empty() {
            return Err(format!("{field}: no columns"));
        }
        match columns.iter().find(|c| t.column(c).is_none()) {
            Some(c) => Err(format!("{field}: table {table} has no column {c}")),
            None => Ok(t),
        }
    };
    let parent = side("parent_columns", &r.parent_table, &r.parent_columns)?;
    side("child_columns", &r.child_table, &r.child_columns)?;
    if r.parent_columns.len() != r.child_columns.len() {
        return Err("parent_columns and child_columns differ in length".into());
    }
    share("null_rate", r.null_rate)?;
    fanout("fanout", &r.fanout)?;
    if let Some(by) = &r.fanout_by {
        if parent.column(&by.column).is_none() {
            return Err(format!(
                "fanout_by › column: {} has no column {}",
                parent.name, by.column
            ));
        }
        for (k, (_, f)) in by.cases.iter().enumerate() {
            fanout(&format!("fanout_by › cases[{k}]"), f)?;
        }
    }
    let known = |field: &str, name: &str| match pack.relationships.iter().any(|o| o.name == name) {
        true => Ok(()),
        false => Err(format!("{field}: no relationship {name} in the pack")),
    };
    if let Some(through) = &r.through {
        known("through › via", &through.via)?;
        known("through › then", &through.then)?;
        share("through › share", through.share)?;
    }
    if let Some(among) = &r.among_children {
        known("among_children › grouping", &among.grouping)?;
        share("among_children › share", among.share)?;
    }
    Ok(())
}

fn fanout(field: &str, f: &Frequencies<u32>) -> Result<(), String> {
    frequencies(field, f)?;
    match f.items.iter().find(|(n, _)| *n > MAX_FANOUT) {
        Some((n, _)) => Err(format!("{field}: {n} children per parent is out of range")),
        None => Ok(()),
    }
}

fn table(pack: &ModelPack, t: &TableModel) -> Result<(), String> {
    let mut names = HashSet::new();
    for c in &t.columns {
        if c.name.is_empty() || !names.insert(c.name.as_str()) {
            return Err(format!(
                "columns: column name `{}` is empty or used twice",
                c.name
            ));
        }
    }
    if let Some(k) = t.primary_key.iter().find(|k| t.column(k).is_none()) {
        return Err(format!("primary_key: no column {k}"));
    }
    let grouping = pack
        .relationships
        .iter()
        .find(|r| r.child_table == t.name && r.role == Role::Grouping)
        .and_then(|r| find(pack, &r.parent_table));
    let context = Context {
        pack,
        table: t,
        grouping,
    };
    for (i, c) in t.columns.iter().enumerate() {
        context
            .column(c)
            .map_err(|e| format!("columns[{i}] {} › {e}", c.name))?;
    }
    for (i, r) in t.rules.iter().enumerate() {
        context.rule(r).map_err(|e| format!("rules[{i}] › {e}"))?;
    }
    if let Some(copula) = &t.copula {
        context.columns("copula › columns", &copula.columns)?;
        let n = copula.columns.len();
        // Lower-triangular: row k holds k + 1 numbers.
        let triangular = copula.cholesky.len() == n
            && copula
                .cholesky
                .iter()
                .enumerate()
                .all(|(k, row)| row.len() == k + 1);
        if !triangular {
            return Err(format!(
                "copula › cholesky: not the lower-triangular {n}×{n} factor of its {n} columns"
            ));
        }
        if copula.cholesky.iter().flatten().any(|x| !x.is_finite()) {
            return Err("copula › cholesky: a number is not finite".into());
        }
    }
    if let Some(joint) = &t.joint {
        context.columns("joint › columns", &joint.columns)?;
        frequencies("joint › combinations", &joint.combinations)?;
        if let Some(k) = joint
            .combinations
            .items
            .iter()
            .position(|(values, _)| values.len() != joint.columns.len())
        {
            return Err(format!(
                "joint › combinations[{k}]: not one value per column of the joint"
            ));
        }
    }
    if let Some(rows) = &t.reference_rows
        && let Some(k) = rows.iter().position(|r| r.len() != t.columns.len())
    {
        return Err(format!(
            "reference_rows[{k}]: {} values for {} columns",
            rows[k].len(),
            t.columns.len()
        ));
    }
    Ok(())
}

/// What the references of one table's columns resolve against.
struct Context<'p> {
    pack: &'p ModelPack,
    table: &'p TableModel,
    /// The table's grouping parent, which `parent.X` references name.
    grouping: Option<&'p TableModel>,
}

impl Context<'_> {
    fn columns(&self, field: &str, columns: &[String]) -> Result<(), String> {
        match columns.iter().find(|c| self.table.column(c).is_none()) {
            Some(c) => Err(format!("{field}: no column {c}")),
            None => Ok(()),
        }
    }

    /// The relationship `name` from this table to a parent.
    fn relationship_from(&self, name: &str) -> Result<&Relationship, String> {
        self.pack
            .relationships
            .iter()
            .find(|r| r.name == name && r.child_table == self.table.name)
            .ok_or(format!("no relationship {name} from {}", self.table.name))
    }

    fn reference(&self, field: &str, r: &ColumnRef) -> Result<(), String> {
        let owner = if r.parent {
            self.grouping.ok_or(format!(
                "{field}: parent.{} but the table has no grouping parent",
                r.column
            ))?
        } else {
            self.table
        };
        match owner.column(&r.column) {
            Some(_) => Ok(()),
            None => Err(format!(
                "{field}: {} has no column {}",
                owner.name, r.column
            )),
        }
    }

    fn rule(&self, r: &Rule) -> Result<(), String> {
        self.columns("column", std::slice::from_ref(&r.column))?;
        self.reference("on", &r.on)?;
        for (k, also) in r.also.iter().enumerate() {
            self.reference(&format!("also[{k}]"), also)?;
        }
        Ok(())
    }

    fn column(&self, c: &ColumnModel) -> Result<(), String> {
        share("null_rate", c.null_rate)?;
        if c.day_of_month.is_some_and(|d| !(1..=31).contains(&d)) {
            return Err("day_of_month: not a day of a month (1 to 31)".into());
        }
        if let Some(e) = &c.embeds {
            self.columns("embeds › column", std::slice::from_ref(&e.column))?;
            if !(1..=38).contains(&e.width) {
                return Err(format!(
                    "embeds › width: {} digits is out of range",
                    e.width
                ));
            }
        }
        if let Some(p) = &c.prefix_by {
            self.columns("prefix_by › column", std::slice::from_ref(&p.column))?;
        }
        self.generator("generator", &c.generator, c.logical_type)?;
        if let Generator::ForeignKey { relationship } = &c.generator
            && !self
                .relationship_from(relationship)?
                .child_columns
                .contains(&c.name)
        {
            return Err(format!(
                "generator › relationship: {relationship} does not hold this column"
            ));
        }
        if let Some(d) = &c.depends_on {
            self.dependency(d, c)
                .map_err(|e| format!("depends_on › {e}"))?;
        }
        Ok(())
    }

    fn generator(&self, field: &str, g: &Generator, ty: LogicalType) -> Result<(), String> {
        let limit = if ty == LogicalType::Date {
            MAX_DAYS
        } else {
            MAX_MAGNITUDE
        };
        let number = |name: &str, x: f64| {
            if x.is_finite() && x.abs() <= limit {
                Ok(())
            } else {
                Err(format!("{field} › {name}: {x} is out of range"))
            }
        };
        match g {
            Generator::Sequence {
                start,
                step,
                day,
                per_parent_start,
                room,
                ..
            } => {
                number("start", *start)?;
                number("step", *step)?;
                if day.is_some_and(|d| !(1..=31).contains(&d)) {
                    return Err(format!("{field} › day: not a day of a month (1 to 31)"));
                }
                if let Some(q) = per_parent_start {
                    quantiles(&format!("{field} › per_parent_start"), q, limit)?;
                }
                if let Some(room) = room {
                    number("room › lower", room.lower)?;
                    number("room › upper", room.upper)?;
                    number("room › min_gap", room.min_gap)?;
                    if room.lower > room.upper {
                        return Err(format!("{field} › room: lower is above upper"));
                    }
                    if let Some(after) = &room.after {
                        let parent = ColumnRef {
                            parent: true,
                            column: after.clone(),
                        };
                        self.reference(&format!("{field} › room › after"), &parent)?;
                    }
                }
            }
            Generator::UniqueFormat { format } | Generator::Format { format } => {
                self::format(&format!("{field} › format"), format)?;
            }
            Generator::ForeignKey { relationship } => {
                self.relationship_from(relationship)
                    .map_err(|e| format!("{field} › relationship: {e}"))?;
            }
            Generator::Numeric {
                quantiles: q,
                round_to,
                masses,
                family,
            } => {
                quantiles(&format!("{field} › quantiles"), q, limit)?;
                if round_to.is_some_and(|r| !(r.is_finite() && r > 0.0)) {
                    return Err(format!("{field} › round_to: not a positive number"));
                }
                let mut total = 0.0;
                for (k, &(x, p)) in masses.iter().enumerate() {
                    number(&format!("masses[{k}]"), x)?;
                    share(&format!("{field} › masses[{k}]"), p)?;
                    total += p;
                }
                if total > 1.0 + 1e-6 {
                    return Err(format!("{field} › masses: probabilities above 1 in all"));
                }
                if let Some(f) = family
                    && !f.is_valid()
                {
                    return Err(format!("{field} › family: parameters out of range"));
                }
            }
            Generator::Categorical { frequencies: f } => {
                frequencies(&format!("{field} › frequencies"), f)?;
            }
            Generator::Boolean { p_true } => share(&format!("{field} › p_true"), *p_true)?,
            Generator::Template {
                frequencies: f,
                tails,
            } => {
                frequencies(&format!("{field} › frequencies"), f)?;
                for (k, (_, tail)) in tails.iter().enumerate() {
                    self::format(&format!("{field} › tails[{k}]"), tail)?;
                }
            }
            Generator::Faker { provider } => {
                if crate::faker::provider(provider).is_none() {
                    return Err(format!(
                        "{field} › provider: `{provider}` is not a faker provider bank_synth knows"
                    ));
                }
            }
        }
        Ok(())
    }

    fn dependency(&self, d: &Dependency, c: &ColumnModel) -> Result<(), String> {
        match d {
            Dependency::Given {
                on,
                cases,
                also,
                refined,
            } => {
                self.reference("on", on)?;
                for (k, also) in also.iter().enumerate() {
                    self.reference(&format!("also[{k}]"), also)?;
                }
                for (field, cases) in [("cases", cases), ("refined", refined)] {
                    for (k, case) in cases.iter().enumerate() {
                        let place = format!("{field}[{k}]");
                        share(&format!("{place} › null_rate"), case.null_rate)?;
                        self.generator(
                            &format!("{place} › generator"),
                            &case.generator,
                            c.logical_type,
                        )?;
                    }
                }
                Ok(())
            }
            Dependency::After(order) | Dependency::Before(order) => self.order(order),
            Dependency::Copy {
                relationship,
                column,
                share: s,
            } => {
                share("share", *s)?;
                let r = self
                    .relationship_from(relationship)
                    .map_err(|e| format!("relationship: {e}"))?;
                let parent = find(self.pack, &r.parent_table).ok_or("relationship: no parent")?;
                match parent.column(column) {
                    Some(_) => Ok(()),
                    None => Err(format!("column: {} has no column {column}", parent.name)),
                }
            }
        }
    }

    fn order(&self, o: &Order) -> Result<(), String> {
        self.reference("on", &o.on)?;
        quantiles("ratio", &o.ratio, 1.0)?;
        if o.ratio.points.iter().any(|p| !(0.0..=1.0).contains(p)) {
            return Err("ratio: positions outside 0 to 1".into());
        }
        let in_range = |x: f64| x.is_finite() && x.abs() <= MAX_MAGNITUDE;
        if !in_range(o.min_gap) || !in_range(o.lower) || !in_range(o.upper) {
            return Err("min_gap, lower or upper: out of range".into());
        }
        if o.max_gap.is_some_and(|g| !in_range(g)) {
            return Err("max_gap: out of range".into());
        }
        if o.lower > o.upper {
            return Err("lower is above upper".into());
        }
        Ok(())
    }
}

/// A probability or share.
fn share(field: &str, p: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(format!("{field}: {p} is not between 0 and 1"))
    }
}

fn frequencies<T>(field: &str, f: &Frequencies<T>) -> Result<(), String> {
    if f.items.is_empty() {
        return Err(format!("{field}: no values"));
    }
    if f.items.iter().any(|(_, p)| !(p.is_finite() && *p >= 0.0)) {
        return Err(format!(
            "{field}: a probability is not a non-negative number"
        ));
    }
    if f.items.iter().map(|(_, p)| p).sum::<f64>() <= 0.0 {
        return Err(format!("{field}: the probabilities add up to 0"));
    }
    Ok(())
}

fn quantiles(field: &str, q: &Quantiles, limit: f64) -> Result<(), String> {
    if q.points.is_empty() {
        return Err(format!("{field}: no points"));
    }
    if q.points
        .iter()
        .any(|x| !(x.is_finite() && x.abs() <= limit))
    {
        return Err(format!("{field}: a point is out of range"));
    }
    if q.points.windows(2).any(|w| w[0] > w[1]) {
        return Err(format!("{field}: the points are not in order"));
    }
    Ok(())
}

fn format(field: &str, f: &FormatModel) -> Result<(), String> {
    if f.patterns.is_empty() {
        return Err(format!("{field}: no patterns"));
    }
    if f.patterns.iter().any(|(p, w): &(Pattern, f64)| {
        p.0.len() > MAX_PATTERN_LENGTH || !(w.is_finite() && *w >= 0.0)
    }) {
        return Err(format!(
            "{field}: a pattern is too long or its weight is not a non-negative number"
        ));
    }
    Ok(())
}
