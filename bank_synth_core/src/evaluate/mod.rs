//! `bank_synth evaluate`: compare a generated run with real rows, with the properties
//! of SDMetrics' multi-table quality report (0.32) — Column Shapes, Column Pair
//! Trends, Cardinality, Intertable Trends and their mean — plus rule adherence,
//! primary-key uniqueness and referential integrity of the synthetic data.
//!
//! As in SDMetrics: a multi-table property is the plain mean over all detail rows of
//! all tables; pair properties average only the pairs whose real data shows a
//! relationship (|Pearson r| > 0.5 for two continuous columns, Cramér's V > 0.3
//! otherwise); continuous columns in mixed pairs are cut into 10 equal-width bins on
//! each side separately; dates compare as numbers; key, PII and free-text columns are
//! left out. Column kinds come from the real rows, not from the model (see [`kinds`]),
//! or from an SDV metadata file, so a column the model got wrong counts against it.

pub mod links;
pub mod metrics;

use crate::error::{Error, Result, Setting};
use crate::generate::{Plan, PlannedTable, Shard};
use crate::model::{ColumnModel, ModelPack, Role, TableModel};
use crate::quality::{QualityChecker, QualityReport};
use crate::source::{self, SampleTable};
use crate::value::{Value, tuple_key};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::Path;

/// One metric result.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    /// Table (or `parent → child` for inter-table pairs).
    pub table: String,
    /// Column(s) or relationship.
    pub subject: String,
    /// The SDMetrics metric.
    pub metric: &'static str,
    /// The score (absent when incomputable).
    pub score: Option<f64>,
    /// Whether it counts toward the property (the real-data threshold).
    pub counts: bool,
    /// Hidden in the Markdown report (a non-public column).
    pub masked: bool,
}

/// A property's score and details.
#[derive(Debug, Clone, Serialize)]
pub struct Property {
    /// SDMetrics' property name.
    pub name: &'static str,
    /// Mean of the counting details.
    pub score: Option<f64>,
    /// Every detail row.
    pub details: Vec<Detail>,
}

/// The evaluation of a run against real rows.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Mean of the property scores.
    pub overall: Option<f64>,
    /// Column Shapes, Column Pair Trends, Cardinality, Intertable Trends.
    pub properties: Vec<Property>,
    /// Keys, foreign keys and rules of the synthetic data.
    pub synthetic_checks: QualityReport,
    /// The links between columns found in the real rows and how the synthetic data
    /// keeps each, worst first (not part of SDMetrics' overall score).
    pub dependencies: Vec<links::Link>,
    /// The mean score of the [`Evaluation::dependencies`] between public columns.
    pub dependencies_score: Option<f64>,
    /// The mean score of those with a pii or sensitive column: training never reads such
    /// a column's values, so these links hold only where generation makes the values up
    /// together (a persona's email from its names), never from the data.
    pub private_dependencies_score: Option<f64>,
    /// The same properties for a second real sample, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// The column kinds scored, as SDV metadata (`tables.<T>.columns.<C>.sdtype`), for
    /// SDMetrics to score the same columns.
    pub metadata: serde_json::Value,
}

/// The properties of a second real sample scored against the first: the noise floor
/// of the metrics on data of this size, which no generator can be expected to beat.
#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    /// The second sample's directory.
    pub dir: String,
    /// Property names and scores, in the order of [`Evaluation::properties`].
    pub properties: Vec<(&'static str, Option<f64>)>,
    /// Their mean.
    pub overall: Option<f64>,
    /// The mean dependencies score of the second sample, public links.
    pub dependencies_score: Option<f64>,
    /// The same for links with a non-public column.
    pub private_dependencies_score: Option<f64>,
}

/// The mean scores of `links` between columns whose values are learned and of those
/// with a pii or sensitive one.
fn link_scores(links: &[links::Link]) -> (Option<f64>, Option<f64>) {
    let (private, public): (Vec<&links::Link>, Vec<&links::Link>) =
        links.iter().partition(|l| l.private);
    let score = |ls: Vec<&links::Link>| mean(&ls.iter().map(|l| l.score).collect::<Vec<_>>());
    (score(public), score(private))
}

/// A column as SDMetrics sees it.
enum Series {
    Continuous(Vec<Option<f64>>),
    Discrete(Vec<Option<String>>),
}

struct Table<'m> {
    model: &'m TableModel,
    real: SampleTable,
    synthetic: SampleTable,
    /// The columns scored, with their kind as the real rows show it.
    scored: Vec<Scored<'m>>,
}

/// How a column is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Numbers, dates and timestamps (KSComplement, correlations).
    Continuous,
    /// Categories and booleans (TVComplement, contingency).
    Discrete,
}

/// A scored column.
struct Scored<'m> {
    column: &'m ColumnModel,
    kind: Kind,
    /// The type of its values on both sides (the real rows').
    ty: crate::value::LogicalType,
}

/// Evaluates the run in `run_dir` against the real samples in `real_dir`; with
/// `baseline_dir`, also a second real sample against the first (see [`Baseline`]).
pub fn evaluate(
    pack: &ModelPack,
    real_dir: &Path,
    run_dir: &Path,
    baseline_dir: Option<&Path>,
    metadata: Option<&Path>,
) -> Result<Evaluation> {
    let metadata = metadata.map(Metadata::read).transpose()?;
    let mut tables = load(
        pack,
        real_dir,
        run_dir,
        &synthetic_files(run_dir).map_err(|e| e.naming(Setting::SampleDir, Setting::Synthetic))?,
        metadata.as_ref(),
    )?;
    let metadata = Metadata::of(&tables);
    let properties = properties(pack, &tables);
    let synthetic_checks = check_synthetic(pack, &tables);
    let dependencies = links::links(pack, &tables);
    let (dependencies_score, private_dependencies_score) = link_scores(&dependencies);
    let baseline = baseline_dir
        .map(|dir| baseline(pack, &mut tables, dir))
        .transpose()?;
    Ok(Evaluation {
        overall: overall(&properties),
        synthetic_checks,
        properties,
        dependencies,
        dependencies_score,
        private_dependencies_score,
        baseline,
        metadata,
    })
}

/// Scores a second real sample (a directory of `<table>.csv` or `.parquet`, like the
/// first) against the real tables already loaded, in place of the synthetic ones.
fn baseline(pack: &ModelPack, tables: &mut Vec<Table>, dir: &Path) -> Result<Baseline> {
    let files = table_files(dir).map_err(|e| e.naming(Setting::SampleDir, Setting::Baseline))?;
    tables.retain(|t| files.contains_key(&t.model.name));
    if tables.is_empty() {
        return Err(Error::Usage(crate::message![
            format!(
                "{} holds none of the evaluated tables; pass a second sample of the same tables as ",
                dir.display()
            ),
            Setting::Baseline,
        ]));
    }
    for t in tables.iter_mut() {
        let mut other = source::read_table(&t.model.name, &files, dir, &key_types(t.model, pack))?;
        as_types_of(&mut other, &t.real);
        t.synthetic = other;
    }
    let properties = properties(pack, tables);
    let (dependencies_score, private_dependencies_score) = link_scores(&links::links(pack, tables));
    Ok(Baseline {
        dir: dir.display().to_string(),
        overall: overall(&properties),
        properties: properties.iter().map(|p| (p.name, p.score)).collect(),
        dependencies_score,
        private_dependencies_score,
    })
}

/// The pack's types of a table's key columns (its primary key and both ends of its
/// foreign keys), applied when reading it so that joins match; every other column is
/// read as its values are.
fn key_types(model: &TableModel, pack: &ModelPack) -> BTreeMap<String, crate::value::LogicalType> {
    let key = |c: &ColumnModel| {
        model.primary_key.contains(&c.name)
            || pack.relationships.iter().any(|r| {
                (r.child_table == model.name && r.child_columns.contains(&c.name))
                    || (r.parent_table == model.name && r.parent_columns.contains(&c.name))
            })
    };
    model
        .columns
        .iter()
        .filter(|c| key(c))
        .map(|c| (c.name.clone(), c.logical_type))
        .collect()
}

/// Reads `other`'s columns as the types `real`'s have; values that are not of that type
/// (a date the model generated as text) become NULL, and count against it.
fn as_types_of(other: &mut SampleTable, real: &SampleTable) {
    for col in &mut other.columns {
        let Some(ty) = real.column(&col.name).map(|c| c.logical_type) else {
            continue;
        };
        if ty == col.logical_type {
            continue;
        }
        let from = col.logical_type;
        for v in &mut col.values {
            if !v.is_null() {
                *v = Value::parse(&v.render(from), ty).unwrap_or(Value::Null);
            }
        }
        col.logical_type = ty;
    }
}

/// Text columns with at most this many distinct values (or at most one per two rows)
/// are scored as categories; others are names or free text and are left out.
const MIN_CATEGORY_VALUES: usize = 10;

/// The columns scored and their kinds: from `metadata` when given, else from the real
/// rows — numbers, dates and timestamps are continuous, booleans and text with few
/// distinct values discrete — leaving out keys and pii or sensitive columns (their
/// synthetic values are fakes by design).
fn kinds<'m>(
    model: &'m TableModel,
    pack: &ModelPack,
    real: &SampleTable,
    metadata: Option<&Metadata>,
) -> Vec<Scored<'m>> {
    let keys = key_types(model, pack);
    model
        .columns
        .iter()
        .filter(|c| !keys.contains_key(&c.name))
        .filter(|c| {
            matches!(
                c.privacy,
                crate::privacy::PrivacyLevel::Public | crate::privacy::PrivacyLevel::Internal
            )
        })
        .filter_map(|c| {
            let col = real.column(&c.name)?;
            let ty = col.logical_type;
            let kind = match metadata {
                Some(m) => m.kind(&model.name, &c.name)?,
                None => match ty {
                    crate::value::LogicalType::Boolean => Kind::Discrete,
                    t if t.is_string() => {
                        let values: Vec<&str> = col.strings().collect();
                        let distinct: std::collections::HashSet<&str> =
                            values.iter().copied().collect();
                        if distinct.len() <= MIN_CATEGORY_VALUES.max(values.len() / 2) {
                            Kind::Discrete
                        } else {
                            return None;
                        }
                    }
                    _ => Kind::Continuous,
                },
            };
            Some(Scored {
                column: c,
                kind,
                ty,
            })
        })
        .collect()
}

/// Column kinds in SDV's metadata format (as SDMetrics takes it).
#[derive(Debug, Clone)]
struct Metadata(serde_json::Value);

impl Metadata {
    /// Reads an SDV metadata file (`{"tables": {T: {"columns": {C: {"sdtype": …}}}}}`).
    fn read(path: &Path) -> Result<Metadata> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Sample {
            path: path.to_path_buf(),
            line: Some(e.line() as u64),
            message: format!("not an SDV metadata file ({e}); it is the JSON SDMetrics takes: {{\"tables\": {{TABLE: {{\"columns\": {{COLUMN: {{\"sdtype\": \"numerical\"}}}}}}}}}}").into(),
        })?;
        if !value["tables"].is_object() {
            return Err(Error::Sample {
                path: path.to_path_buf(),
                line: None,
                message: "an SDV metadata file needs a `tables` object, with `columns` and their `sdtype` per table".into(),
            });
        }
        Ok(Metadata(value))
    }

    /// The kind of a column (names matched case-insensitively); `None` when the file
    /// leaves it out or gives it an sdtype that is not scored (id, pii, text, …).
    fn kind(&self, table: &str, column: &str) -> Option<Kind> {
        let find = |v: &serde_json::Value, name: &str| -> Option<serde_json::Value> {
            v.as_object()?
                .iter()
                .find(|(k, _)| crate::model::canonical(k) == name)
                .map(|(_, v)| v.clone())
        };
        let t = find(&self.0["tables"], table)?;
        let c = find(&t["columns"], column)?;
        match c["sdtype"].as_str()? {
            "numerical" | "datetime" => Some(Kind::Continuous),
            "categorical" | "boolean" => Some(Kind::Discrete),
            _ => None,
        }
    }

    /// The metadata of what was scored: every column of the evaluated tables, scored
    /// ones with their sdtype and the others as `id`.
    fn of(tables: &[Table]) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for t in tables {
            let mut columns = serde_json::Map::new();
            for c in &t.model.columns {
                let sdtype = match t.scored.iter().find(|s| s.column.name == c.name) {
                    Some(s) if s.kind == Kind::Discrete => {
                        if s.ty == crate::value::LogicalType::Boolean {
                            "boolean"
                        } else {
                            "categorical"
                        }
                    }
                    Some(s)
                        if matches!(
                            s.ty,
                            crate::value::LogicalType::Date | crate::value::LogicalType::Timestamp
                        ) =>
                    {
                        "datetime"
                    }
                    Some(_) => "numerical",
                    None => "id",
                };
                columns.insert(c.name.clone(), serde_json::json!({ "sdtype": sdtype }));
            }
            out.insert(
                t.model.name.clone(),
                serde_json::json!({ "columns": columns }),
            );
        }
        serde_json::json!({ "tables": out })
    }
}

/// The pack's tables found both among the real files and the other side's.
fn load<'m>(
    pack: &'m ModelPack,
    real_dir: &Path,
    other_dir: &Path,
    other_files: &BTreeMap<String, std::path::PathBuf>,
    metadata: Option<&Metadata>,
) -> Result<Vec<Table<'m>>> {
    let real_files = table_files(real_dir)?;
    let mut tables = Vec::new();
    for model in &pack.tables {
        if !(real_files.contains_key(&model.name) && other_files.contains_key(&model.name)) {
            continue;
        }
        let keys = key_types(model, pack);
        let real = source::read_table(&model.name, &real_files, real_dir, &keys)?;
        let mut synthetic = source::read_table(&model.name, other_files, other_dir, &keys)?;
        as_types_of(&mut synthetic, &real);
        tables.push(Table {
            model,
            scored: kinds(model, pack, &real, metadata),
            real,
            synthetic,
        });
    }
    if tables.is_empty() {
        return Err(Error::Usage(
            format!(
                "no table is both in {} and in {}; pass the sample directory the pack was trained on and a run directory",
                real_dir.display(),
                other_dir.display()
            )
            .into(),
        ));
    }
    Ok(tables)
}

fn properties(pack: &ModelPack, tables: &[Table]) -> Vec<Property> {
    vec![
        column_shapes(tables),
        column_pair_trends(tables),
        cardinality(pack, tables),
        intertable_trends(pack, tables),
    ]
}

fn overall(properties: &[Property]) -> Option<f64> {
    let scores: Vec<f64> = properties.iter().filter_map(|p| p.score).collect();
    mean(&scores)
}

/// The tables of a directory of real rows: sample files, or a run's own layout (its
/// `oracle/` CSVs or `hive/<table>/` Parquet files).
fn table_files(dir: &Path) -> Result<BTreeMap<String, std::path::PathBuf>> {
    if dir.join("oracle").is_dir() || dir.join("hive").is_dir() {
        synthetic_files(dir)
    } else {
        source::sample_files(dir)
    }
}

/// The run's tables: Oracle CSVs, else Hive Parquet files.
fn synthetic_files(run_dir: &Path) -> Result<BTreeMap<String, std::path::PathBuf>> {
    let oracle = run_dir.join("oracle");
    if oracle.is_dir() {
        return source::sample_files(&oracle);
    }
    let hive = run_dir.join("hive");
    let entries = std::fs::read_dir(&hive).map_err(|e| Error::Sample {
        path: run_dir.to_path_buf(),
        line: None,
        message: format!("not a bank_synth run: no oracle/ or hive/ directory ({e}); pass the run's directory, output/<run_id>").into(),
    })?;
    let mut files = BTreeMap::new();
    for e in entries {
        let dir = e.map_err(|e| Error::io(&hive, e))?.path();
        let found = source::sample_files(&dir)?;
        if found.len() > 1 {
            return Err(Error::Sample {
                path: dir,
                line: None,
                message: format!(
                    "this table is written in {} part files, and a run is evaluated one file per table: evaluate its Oracle CSV (generate with the oracle format) or a run with a larger part size",
                    found.len()
                )
                .into(),
            });
        }
        files.extend(found);
    }
    Ok(files)
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn property(name: &'static str, details: Vec<Detail>) -> Property {
    let counting: Vec<f64> = details
        .iter()
        .filter(|d| d.counts)
        .filter_map(|d| d.score)
        .collect();
    Property {
        name,
        score: mean(&counting),
        details,
    }
}

fn series(sample: &SampleTable, column: &Scored, rows: Option<&[usize]>) -> Series {
    let empty = Vec::new();
    let values = sample
        .column(&column.column.name)
        .map_or(&empty, |c| &c.values);
    let pick = |f: &dyn Fn(&Value) -> Option<String>| -> Vec<Option<String>> {
        match rows {
            Some(rows) => rows.iter().map(|&r| values.get(r).and_then(f)).collect(),
            None => values.iter().map(f).collect(),
        }
    };
    if column.kind == Kind::Continuous {
        let number = |v: &Value| v.as_number(column.ty);
        Series::Continuous(match rows {
            Some(rows) => rows
                .iter()
                .map(|&r| values.get(r).and_then(number))
                .collect(),
            None => values.iter().map(number).collect(),
        })
    } else {
        Series::Discrete(pick(&|v: &Value| {
            (!v.is_null()).then(|| v.render(column.ty))
        }))
    }
}

fn column_shapes(tables: &[Table]) -> Property {
    let mut details = Vec::new();
    for t in tables {
        for c in &t.scored {
            let (metric, score) = match (series(&t.real, c, None), series(&t.synthetic, c, None)) {
                (Series::Continuous(r), Series::Continuous(s)) => {
                    let (r, s): (Vec<f64>, Vec<f64>) = (
                        r.into_iter().flatten().collect(),
                        s.into_iter().flatten().collect(),
                    );
                    ("KSComplement", metrics::ks_complement(&r, &s))
                }
                (Series::Discrete(r), Series::Discrete(s)) => {
                    let r: Vec<&str> = r.iter().flatten().map(String::as_str).collect();
                    let s: Vec<&str> = s.iter().flatten().map(String::as_str).collect();
                    ("TVComplement", metrics::tv_complement(&r, &s))
                }
                _ => unreachable!("both sides have the pack's column kind"),
            };
            details.push(Detail {
                table: t.model.name.clone(),
                subject: c.column.name.clone(),
                metric,
                score,
                counts: true,
                masked: c.column.privacy.masked_in_reports(),
            });
        }
    }
    property("Column Shapes", details)
}

/// The score of one pair, SDMetrics' way.
fn pair(
    table: String,
    (a, b): (&Scored, &Scored),
    real: (Series, Series),
    synthetic: (Series, Series),
) -> Detail {
    let discrete = |s: Series| match s {
        Series::Continuous(v) => metrics::discretize(&v),
        Series::Discrete(v) => v,
    };
    let (metric, result) = match (real, synthetic) {
        (
            (Series::Continuous(r1), Series::Continuous(r2)),
            (Series::Continuous(s1), Series::Continuous(s2)),
        ) => (
            "CorrelationSimilarity",
            metrics::correlation_similarity((&r1, &r2), (&s1, &s2)),
        ),
        ((r1, r2), (s1, s2)) => {
            let (r1, r2, s1, s2) = (discrete(r1), discrete(r2), discrete(s1), discrete(s2));
            (
                "ContingencySimilarity",
                metrics::contingency_similarity((&r1, &r2), (&s1, &s2)),
            )
        }
    };
    Detail {
        table,
        subject: format!("{} × {}", a.column.name, b.column.name),
        metric,
        score: result.map(|(s, _)| s),
        counts: result.is_some_and(|(_, counts)| counts),
        masked: a.column.privacy.masked_in_reports() || b.column.privacy.masked_in_reports(),
    }
}

fn column_pair_trends(tables: &[Table]) -> Property {
    let mut details = Vec::new();
    for t in tables {
        let columns: Vec<&Scored> = t.scored.iter().collect();
        for (i, a) in columns.iter().enumerate() {
            for b in &columns[i + 1..] {
                details.push(pair(
                    t.model.name.clone(),
                    (a, b),
                    (series(&t.real, a, None), series(&t.real, b, None)),
                    (series(&t.synthetic, a, None), series(&t.synthetic, b, None)),
                ));
            }
        }
    }
    property("Column Pair Trends", details)
}

/// The relationships SDMetrics can express: between two different tables.
fn relationships<'a, 'm>(
    pack: &'m ModelPack,
    tables: &'a [Table<'m>],
) -> impl Iterator<Item = (&'m crate::model::Relationship, &'a Table<'m>, &'a Table<'m>)> {
    pack.relationships.iter().filter_map(move |r| {
        let parent = tables.iter().find(|t| t.model.name == r.parent_table)?;
        let child = tables.iter().find(|t| t.model.name == r.child_table)?;
        (r.role != Role::SelfReference).then_some((r, parent, child))
    })
}

fn keys(sample: &SampleTable, columns: &[String]) -> Vec<Option<String>> {
    let cols: Vec<&Vec<Value>> = columns
        .iter()
        .filter_map(|c| sample.column(c).map(|c| &c.values))
        .collect();
    (0..sample.rows())
        .map(|r| tuple_key(cols.iter().map(|c| &c[r])))
        .collect()
}

fn cardinality(pack: &ModelPack, tables: &[Table]) -> Property {
    let counts =
        |parent: &SampleTable, child: &SampleTable, rel: &crate::model::Relationship| -> Vec<f64> {
            let mut per_parent: HashMap<String, f64> = HashMap::new();
            for k in keys(child, &rel.child_columns).into_iter().flatten() {
                *per_parent.entry(k).or_default() += 1.0;
            }
            keys(parent, &rel.parent_columns)
                .into_iter()
                .map(|k| k.and_then(|k| per_parent.get(&k).copied()).unwrap_or(0.0))
                .collect()
        };
    let details = relationships(pack, tables)
        .map(|(rel, parent, child)| Detail {
            table: format!("{} → {}", rel.child_table, rel.parent_table),
            subject: rel.name.clone(),
            metric: "CardinalityShapeSimilarity",
            score: metrics::ks_complement(
                &counts(&parent.real, &child.real, rel),
                &counts(&parent.synthetic, &child.synthetic, rel),
            ),
            counts: true,
            masked: false,
        })
        .collect();
    property("Cardinality", details)
}

/// For each child row with a parent (inner join), the parent's row.
fn join(
    parent: &SampleTable,
    child: &SampleTable,
    rel: &crate::model::Relationship,
) -> (Vec<usize>, Vec<usize>) {
    let index: HashMap<String, usize> = keys(parent, &rel.parent_columns)
        .into_iter()
        .enumerate()
        .filter_map(|(r, k)| Some((k?, r)))
        .collect();
    keys(child, &rel.child_columns)
        .into_iter()
        .enumerate()
        .filter_map(|(r, k)| Some((r, *index.get(&k?)?)))
        .unzip()
}

fn intertable_trends(pack: &ModelPack, tables: &[Table]) -> Property {
    let mut details = Vec::new();
    for (rel, parent, child) in relationships(pack, tables) {
        let (real_child, real_parent) = join(&parent.real, &child.real, rel);
        let (syn_child, syn_parent) = join(&parent.synthetic, &child.synthetic, rel);
        for a in &parent.scored {
            for b in &child.scored {
                details.push(pair(
                    format!("{} → {}", rel.child_table, rel.parent_table),
                    (a, b),
                    (
                        series(&parent.real, a, Some(&real_parent)),
                        series(&child.real, b, Some(&real_child)),
                    ),
                    (
                        series(&parent.synthetic, a, Some(&syn_parent)),
                        series(&child.synthetic, b, Some(&syn_child)),
                    ),
                ));
            }
        }
    }
    property("Intertable Trends", details)
}

/// Keys, foreign keys and rules of the synthetic tables, through the same checks as
/// `generate`'s quality report.
fn check_synthetic(pack: &ModelPack, tables: &[Table]) -> QualityReport {
    let names: Vec<String> = tables.iter().map(|t| t.model.name.clone()).collect();
    let order = crate::schema::generation_order(&names, &pack.relationships).unwrap_or(names);
    let plan = Plan {
        seed: 0,
        target: order[0].clone(),
        include_children: false,
        parent_scale: 1.0,
        tables: order
            .iter()
            .map(|n| PlannedTable {
                name: n.clone(),
                rows: tables
                    .iter()
                    .find(|t| t.model.name == *n)
                    .map_or(0, |t| t.synthetic.rows() as u64),
            })
            .collect(),
    };
    let mut checker = QualityChecker::new(pack, &plan, Shard::WHOLE);
    for (i, name) in order.iter().enumerate() {
        let t = tables
            .iter()
            .find(|t| t.model.name == *name)
            .expect("planned from the tables");
        let columns: Vec<Option<&Vec<Value>>> = t
            .model
            .columns
            .iter()
            .map(|c| t.synthetic.column(&c.name).map(|c| &c.values))
            .collect();
        let rows: crate::generate::Chunk = (0..t.synthetic.rows())
            .map(|r| {
                columns
                    .iter()
                    .map(|c| c.map_or(Value::Null, |v| v[r].clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        checker.observe(i, &rows);
        checker.finish_table(i);
    }
    checker.report()
}

impl Evaluation {
    /// The evaluation for people: properties, then the worst details first, with
    /// non-public columns masked.
    pub fn to_markdown(&self) -> String {
        let mut md = String::from("# Evaluation against real rows\n\n");
        let show = |s: Option<f64>| s.map_or("n/a".to_string(), |s| format!("{s:.3}"));
        match &self.baseline {
            None => {
                let _ = writeln!(md, "| property | score |\n|---|---:|");
                for p in &self.properties {
                    let _ = writeln!(md, "| {} | {} |", p.name, show(p.score));
                }
                let _ = writeln!(
                    md,
                    "| **overall** | **{}** |\n| dependencies (not in overall) | {} |\n| links with a pii or sensitive column (not learned) | {} |\n",
                    show(self.overall),
                    show(self.dependencies_score),
                    show(self.private_dependencies_score)
                );
            }
            Some(b) => {
                let _ = writeln!(md, "| property | score | real vs real |\n|---|---:|---:|");
                for (p, (_, floor)) in self.properties.iter().zip(&b.properties) {
                    let _ = writeln!(md, "| {} | {} | {} |", p.name, show(p.score), show(*floor));
                }
                let _ = writeln!(
                    md,
                    "| **overall** | **{}** | **{}** |\n| dependencies (not in overall) | {} | {} |\n| links with a pii or sensitive column (not learned) | {} | {} |\n\n\"real vs real\" scores the second real sample ({}) against the first: the noise floor of these metrics on data of this size.\n",
                    show(self.overall),
                    show(b.overall),
                    show(self.dependencies_score),
                    show(b.dependencies_score),
                    show(self.private_dependencies_score),
                    show(b.private_dependencies_score),
                    b.dir
                );
            }
        }
        let c = &self.synthetic_checks;
        let broken: u64 = c.rules.iter().map(|r| r.violations).sum();
        let _ = writeln!(
            md,
            "Synthetic data: primary keys {}, foreign keys {}, {} learned rules with {broken} violations.\n",
            if c.tables.iter().all(|t| t.duplicate_keys == 0) {
                "unique"
            } else {
                "DUPLICATED"
            },
            if c.foreign_keys.iter().all(|f| f.orphans == 0) {
                "without orphans"
            } else {
                "WITH ORPHANS"
            },
            c.rules.len()
        );
        for p in &self.properties {
            let mut rows: Vec<&Detail> = p
                .details
                .iter()
                .filter(|d| d.counts && d.score.is_some())
                .collect();
            rows.sort_by(|a, b| a.score.unwrap_or(1.0).total_cmp(&b.score.unwrap_or(1.0)));
            let _ = writeln!(
                md,
                "## {} — worst first ({} of {} details count)\n\n| table | subject | metric | score |\n|---|---|---|---:|",
                p.name,
                rows.len(),
                p.details.len()
            );
            for d in rows.iter().take(15) {
                let subject = if d.masked {
                    "masked (not public)"
                } else {
                    d.subject.as_str()
                };
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} |",
                    d.table,
                    subject,
                    d.metric,
                    show(d.score)
                );
            }
            md.push('\n');
        }
        let _ = writeln!(
            md,
            "## Dependencies — links found in the real rows, worst kept first ({})\n\nLinks with a non-public column are listed masked; those with a pii or sensitive column are scored apart: training never reads that column's values, so they hold only where generation makes the values up together.\n\n| table | link | subject | real | synthetic | score |\n|---|---|---|---:|---:|---:|",
            self.dependencies.len()
        );
        for l in self.dependencies.iter().take(25) {
            let subject = if l.masked {
                "masked (not public)"
            } else {
                l.subject.as_str()
            };
            let _ = writeln!(
                md,
                "| {} | {} | {subject} | {:.3} | {:.3} | {:.3} |",
                l.table, l.kind, l.real, l.other, l.score
            );
        }
        md
    }
}
