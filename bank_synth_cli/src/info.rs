//! `bank_synth info`: everything a model pack holds, as terminal tables.

use crate::args::InfoArgs;
use bank_synth_core::Error;
use bank_synth_core::model::{ColumnModel, Dependency, Generator, ModelPack, TableModel};
use bank_synth_core::value::{LogicalType, Value};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;

/// The width of `info`'s lines when its output is not a terminal.
const PIPED_WIDTH: u16 = 120;

/// How `info` shows a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Terminal tables, as wide as [`Width`] says.
    Tables(Width),
    /// A JSON summary (`--json`).
    Json,
}

/// How wide `info`'s tables are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Wrapped to the terminal (`None`) or to this many columns.
    Fit(Option<u16>),
    /// Never wrapped (`--wide`).
    Full,
}

impl Layout {
    /// The layout `info`'s flags ask for.
    pub fn of(a: &InfoArgs) -> Layout {
        match (a.json, a.wide) {
            (true, _) => Layout::Json,
            (_, true) => Layout::Tables(Width::Full),
            _ if std::io::stdout().is_terminal() => Layout::Tables(Width::Fit(None)),
            _ => Layout::Tables(Width::Fit(Some(PIPED_WIDTH))),
        }
    }
}

fn new_table(width: Width, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_header(header.to_vec());
    match width {
        Width::Full => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
        Width::Fit(columns) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            if let Some(columns) = columns {
                t.set_width(columns);
            }
        }
    }
    t
}

/// Everything the pack at `path` holds, laid out as `layout` says.
pub fn show(path: &Path, layout: Layout) -> Result<String, Error> {
    let mut out = String::new();
    let pack = ModelPack::load(path)?;
    let width = match layout {
        Layout::Json => return Ok(json(path, &pack)),
        Layout::Tables(width) => width,
    };
    let table = |header: &[&str]| new_table(width, header);
    let p = &pack.provenance;
    let mut overview = table(&["model pack", "value"]);
    overview.add_row(vec!["path".to_string(), path.display().to_string()]);
    overview.add_row(vec!["schema".to_string(), pack.schema.clone()]);
    overview.add_row(vec![
        "format_version".to_string(),
        pack.format_version.to_string(),
    ]);
    overview.add_row(vec![
        "trained by".to_string(),
        format!("bank_synth {}", p.tool_version),
    ]);
    overview.add_row(vec!["source".to_string(), p.source.clone()]);
    overview.add_row(vec![
        "sample strategy".to_string(),
        p.sample_strategy
            .clone()
            .unwrap_or_else(|| "all rows".into()),
    ]);
    for (file, digest) in &p.config_digests {
        overview.add_row(vec![format!("{file}.yaml digest"), digest.clone()]);
    }
    let _ = writeln!(out, "{overview}");

    let mut tables = table(&[
        "table",
        "sample rows",
        "primary key",
        "columns",
        "restricted columns dropped",
        "generated as",
    ]);
    for t in &pack.tables {
        tables.add_row(vec![
            t.name.clone(),
            t.sample_rows.to_string(),
            t.primary_key.join(", "),
            t.columns.len().to_string(),
            t.restricted_columns.len().to_string(),
            match (&t.reference_rows, &t.joint) {
                _ if t.sample_rows == 0 => "empty: no sample rows, none generated".to_string(),
                (Some(rows), _) => {
                    let made_up: Vec<&str> = t
                        .columns
                        .iter()
                        .filter(|c| !c.is_kept())
                        .map(|c| c.name.as_str())
                        .collect();
                    if made_up.is_empty() {
                        format!("reference table: its {} rows replayed", rows.len())
                    } else {
                        format!(
                            "reference table: its {} rows replayed, {} made up",
                            rows.len(),
                            made_up.join(", ")
                        )
                    }
                }
                (None, Some(joint)) => format!(
                    "modelled; {} drawn together from {} observed combinations",
                    joint.columns.join(", "),
                    joint.combinations.items.len()
                ),
                (None, None) => "modelled".to_string(),
            },
        ]);
    }
    let _ = writeln!(out, "\n{tables}");

    let mut rels = table(&[
        "relationship",
        "child → parent",
        "columns",
        "role",
        "null rate",
        "children per parent",
    ]);
    for r in &pack.relationships {
        let dist: Vec<String> = r
            .fanout
            .items
            .iter()
            .take(6)
            .map(|(n, p)| format!("{n}: {:.0}%", p * 100.0))
            .collect();
        rels.add_row(vec![
            r.name.clone(),
            format!("{} → {}", r.child_table, r.parent_table),
            format!(
                "({}) → ({})",
                r.child_columns.join(", "),
                r.parent_columns.join(", ")
            ),
            role_text(r),
            format!("{:.3}", r.null_rate),
            format!(
                "mean {:.2}; {}{}",
                r.fanout.mean(),
                dist.join(", "),
                if r.fanout.items.len() > 6 {
                    ", …"
                } else {
                    ""
                }
            ),
        ]);
    }
    let _ = writeln!(out, "\n{rels}");

    for t in &pack.tables {
        let mut cols = table(&[
            "column",
            "type",
            "null rate",
            "privacy",
            "model",
            "depends on",
            "summary",
        ]);
        for c in &t.columns {
            let depends = depends_text(c, t);
            cols.add_row(vec![
                c.name.clone(),
                c.logical_type.to_string(),
                format!("{:.3}", c.null_rate),
                c.privacy.to_string(),
                c.generator.kind().to_string(),
                depends,
                summary(c),
            ]);
        }
        let _ = writeln!(out, "\n{} columns\n{cols}", t.name);
    }

    let mut rules = table(&[
        "table",
        "rule id (tables.yaml: disabled_rules)",
        "meaning",
        "enforced by",
    ]);
    for t in &pack.tables {
        for r in &t.rules {
            let how = match r.kind {
                bank_synth_core::model::RuleKind::NotBefore => {
                    "a place in the room after it (gap and range kept)"
                }
                bank_synth_core::model::RuleKind::NotAfter => {
                    "a place in the room before it (gap and range kept)"
                }
                _ if !r.also.is_empty() => "one distribution per combination",
                _ => "one distribution per category",
            };
            rules.add_row(vec![t.name.clone(), r.id(), r.describe(), how.to_string()]);
        }
    }
    let _ = writeln!(out, "\nlearned rules (held on every sample row)\n{rules}");

    let mut privacy = table(&["table", "column", "level", "decision"]);
    for t in &pack.tables {
        for d in &t.privacy_decisions {
            privacy.add_row(vec![
                t.name.clone(),
                d.column.clone(),
                d.level.to_string(),
                d.decision.clone(),
            ]);
        }
    }
    let _ = writeln!(out, "\nprivacy decisions\n{privacy}");
    if !p.warnings.is_empty() {
        let mut warnings = table(&["training warnings"]);
        for w in &p.warnings {
            warnings.add_row(vec![w.clone()]);
        }
        let _ = writeln!(out, "\n{warnings}");
    }
    Ok(out)
}

/// A one-line description of a column model; values of non-public columns are masked.
fn summary(c: &ColumnModel) -> String {
    if c.privacy.masked_in_reports()
        && matches!(
            c.generator,
            Generator::Numeric { .. } | Generator::Categorical { .. }
        )
    {
        return "masked".into();
    }
    let show = |x: f64| match c.logical_type {
        LogicalType::Date
        | LogicalType::Timestamp
        | LogicalType::Decimal { .. }
        | LogicalType::Integer => Value::from_number(x, c.logical_type).render(c.logical_type),
        _ => format!("{x:.4}"),
    };
    match &c.generator {
        Generator::Numeric {
            quantiles,
            masses,
            family,
            ..
        } => {
            let exact: Vec<String> = masses
                .iter()
                .take(8)
                .map(|(v, p)| format!("{} {:.0}%", show(*v), p * 100.0))
                .collect();
            let covered: f64 = masses.iter().map(|(_, p)| p).sum();
            let range = format!(
                "min {} · median {} · max {}",
                show(quantiles.min()),
                show(quantiles.median()),
                show(quantiles.max())
            );
            let range = match family {
                Some(f) => format!("{} on {range}", family_name(f)),
                None => range,
            };
            match (exact.is_empty(), covered > 0.999) {
                (true, _) => range,
                (false, true) => format!(
                    "exact values: {}{}",
                    exact.join(", "),
                    if masses.len() > 8 { ", …" } else { "" }
                ),
                (false, false) => format!("exact: {}; other values: {range}", exact.join(", ")),
            }
        }
        Generator::Template { frequencies, tails } => format!(
            "phrases: {}; {} with a generated tail",
            top_values(frequencies),
            tails.len()
        ),
        Generator::Categorical { frequencies } => top_values(frequencies),
        Generator::Boolean { p_true } => format!("true {:.0}%", p_true * 100.0),
        Generator::Sequence {
            start,
            step,
            months,
            per_parent_start,
            room,
            ..
        } => format!(
            "{} + {}{}{}{}",
            show(*start),
            step,
            if *months { " month(s)" } else { "" },
            if per_parent_start.is_some() {
                " per parent"
            } else {
                ""
            },
            match room {
                Some(room) => format!(
                    ", within {}{}",
                    if c.privacy.masked_in_reports() {
                        "its range".to_string()
                    } else {
                        format!("{}..{}", show(room.lower), show(room.upper))
                    },
                    room.after
                        .as_ref()
                        .map(|a| format!(" from parent.{a}"))
                        .unwrap_or_default()
                ),
                None => String::new(),
            }
        ),
        Generator::UniqueFormat { format } | Generator::Format { format } => {
            let patterns: Vec<String> = format
                .patterns
                .iter()
                .take(3)
                .map(|(p, _)| p.to_string())
                .collect();
            format!(
                "{}{}",
                patterns.join(" | "),
                format
                    .checksum
                    .map(|c| format!(" + {c:?} check digits"))
                    .unwrap_or_default()
            )
        }
        Generator::ForeignKey { relationship } => relationship.clone(),
        Generator::Faker { provider } => provider.to_string(),
    }
}

/// A family with its parameters, briefly.
fn family_name(f: &bank_synth_core::fit::Family) -> String {
    use bank_synth_core::fit::Family;
    match f {
        Family::Normal { mean, sd } => format!("normal(μ {mean:.4}, σ {sd:.4})"),
        Family::LogNormal { mu, sigma } => format!("log-normal(μ {mu:.3}, σ {sigma:.3})"),
        Family::Gamma { shape, rate } => format!("gamma(k {shape:.3}, rate {rate:.4})"),
        Family::Beta { alpha, beta, .. } => format!("beta(α {alpha:.3}, β {beta:.3})"),
        Family::Exponential { rate, .. } => format!("exponential(rate {rate:.4})"),
        Family::Uniform { .. } => "uniform".to_string(),
    }
}

/// A learned minimum gap in words (` + 18.0 years`), empty when there is none.
fn gap_text(gap: f64, ty: LogicalType, sign: char) -> String {
    let days = match ty {
        LogicalType::Date => gap,
        LogicalType::Timestamp => gap / 86_400.0,
        _ => return String::new(),
    };
    if gap <= 0.0 {
        String::new()
    } else if days >= 365.0 {
        format!(" {sign} {:.1} years", days / 365.25)
    } else if days >= 1.0 {
        format!(" {sign} {days:.0} days")
    } else {
        format!(" {sign} {:.0} s", days * 86_400.0)
    }
}

/// The five most common values with their shares, and how many there are.
fn top_values(frequencies: &bank_synth_core::stats::Frequencies<String>) -> String {
    let top: Vec<String> = frequencies
        .items
        .iter()
        .take(5)
        .map(|(v, p)| format!("{v} {:.0}%", p * 100.0))
        .collect();
    format!(
        "{}{}",
        top.join(", "),
        if frequencies.items.len() > 5 {
            format!(", … ({} values)", frequencies.items.len())
        } else {
            String::new()
        }
    )
}

/// A relationship's role, with the other path a second parent follows (a diamond or a
/// loop through the row's own children) and in what share of rows.
fn role_text(r: &bank_synth_core::model::Relationship) -> String {
    let role = format!("{:?}", r.role).to_lowercase();
    match (&r.through, &r.among_children) {
        (Some(t), _) => format!(
            "{role}; via {} then {} in {:.0}%",
            t.via,
            t.then,
            t.share * 100.0
        ),
        (None, Some(a)) => format!(
            "{role}; one of the row's own children ({}) in {:.0}%",
            a.grouping,
            a.share * 100.0
        ),
        (None, None) => role,
    }
}

/// How a format column follows other columns of its row: its leading characters by
/// category, a key at its end.
fn text_links(c: &ColumnModel, table: &TableModel) -> String {
    let prefix = c.prefix_by.as_ref().map(|p| {
        let masked = table
            .column(&p.column)
            .is_none_or(|k| k.privacy.masked_in_reports());
        if masked {
            // The categories of a masked column are not shown.
            return format!("starts by {} ({} categories)", p.column, p.prefixes.len());
        }
        let cases: Vec<String> = p
            .prefixes
            .iter()
            .map(|(v, x)| format!("{v}: {x}…"))
            .collect();
        format!("starts by {} ({})", p.column, cases.join(", "))
    });
    let suffix = c
        .embeds
        .as_ref()
        .map(|e| format!("ends with {} ({} digits)", e.column, e.width));
    prefix
        .into_iter()
        .chain(suffix)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The pack's structure as JSON: what `info` shows, without the learned distributions
/// (of the statistics, only the mean children per parent).
fn json(path: &Path, pack: &ModelPack) -> String {
    use serde_json::json;
    let p = &pack.provenance;
    let tables: Vec<_> = pack
        .tables
        .iter()
        .map(|t| {
            let columns: Vec<_> = t
                .columns
                .iter()
                .map(|c| {
                    json!({
                        "name": c.name,
                        "type": c.logical_type.to_string(),
                        "nullable": c.nullable,
                        "privacy": c.privacy.to_string(),
                        "model": c.generator.kind(),
                        "depends_on": depends_text(c, t),
                    })
                })
                .collect();
            json!({
                "name": t.name,
                "sample_rows": t.sample_rows,
                "primary_key": t.primary_key,
                "columns": columns,
                "restricted_columns": t.restricted_columns,
                "rules": t.rules.iter().map(|r| r.id()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let relationships: Vec<_> = pack
        .relationships
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "child_table": r.child_table,
                "child_columns": r.child_columns,
                "parent_table": r.parent_table,
                "parent_columns": r.parent_columns,
                "role": role_text(r),
                "children_per_parent": r.fanout.mean(),
            })
        })
        .collect();
    let summary = json!({
        "path": path.display().to_string(),
        "schema": pack.schema,
        "format_version": pack.format_version,
        "trained_by": format!("bank_synth {}", p.tool_version),
        "source": p.source,
        "sample_strategy": p.sample_strategy,
        "config_digests": p.config_digests,
        "tables": tables,
        "relationships": relationships,
        "warnings": p.warnings,
    });
    serde_json::to_string_pretty(&summary).expect("JSON values serialize") + "\n"
}

/// What a column's values follow, in words.
fn depends_text(c: &ColumnModel, t: &TableModel) -> String {
    match &c.depends_on {
        Some(Dependency::Given {
            on,
            cases,
            also,
            refined,
        }) if !also.is_empty() => format!(
            "{on} ({} cases), refined by {} ({} combinations)",
            cases.len(),
            also.iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(" and "),
            refined.len()
        ),
        Some(Dependency::Given { on, cases, .. }) => {
            format!("{on} ({} cases)", cases.len())
        }
        Some(Dependency::After(o)) => {
            format!("after {}{}", o.on, gap_text(o.min_gap, c.logical_type, '+'))
        }
        Some(Dependency::Copy {
            relationship,
            column,
            share,
        }) => format!("copies {column} via {relationship} ({:.0}%)", share * 100.0),
        Some(Dependency::Before(o)) => {
            format!(
                "before {}{}",
                o.on,
                gap_text(o.min_gap, c.logical_type, '−')
            )
        }
        None => text_links(c, t),
    }
}
