//! The Oracle source against a recorded database: the catalog rows Oracle's
//! dictionary gives for the sample bank's own `oracle_load.sql`
//! (`tests/oracle/core_catalog.json`, derived from the DDL by sqlglot in
//! `tests/oracle/oracle_sql.py`), and the sample bank's rows (`samples/*.csv`) as the
//! loaded tables, answered the way Oracle answers the queries the source sends (its
//! conversions to text, SAMPLE, FETCH FIRST, semi-joins, ORDER BY). Every query
//! issued is checked for Oracle syntax by sqlglot's Oracle dialect.

use bank_synth_core::ModelPack;
use bank_synth_core::source::SampleStrategy;
use bank_synth_core::source::hive::{HiveRequest, HiveSampler};
use bank_synth_core::source::oracle::{
    Conversion, DbError, OracleSession, Query, RowFilter, SampleQuery, Selection,
};
use bank_synth_core::train::{
    HiveSource, OracleSource, SourceKind, TrainInputs, train, train_from_both, train_from_oracle,
};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

type Row = Vec<Option<String>>;

/// A table as loaded from its CSV file: column names and rows of text (NULL = empty).
struct Loaded {
    columns: Vec<String>,
    rows: Vec<Row>,
}

/// The recorded database.
struct Recorded {
    owner: String,
    columns: Vec<Row>,
    constraints: Vec<Row>,
    tables: BTreeMap<String, Loaded>,
    /// Every query received, as SQL text.
    issued: Vec<String>,
    /// An error to answer sample queries of this table with.
    fail_sampling: Option<(String, DbError)>,
}

impl Recorded {
    fn sample_bank() -> Recorded {
        let catalog: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join("tests/oracle/core_catalog.json")).unwrap(),
        )
        .unwrap();
        let rows = |key: &str| -> Vec<Row> {
            catalog[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    r.as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c.as_str().map(str::to_string))
                        .collect()
                })
                .collect()
        };
        let mut tables = BTreeMap::new();
        for entry in std::fs::read_dir(repo().join("samples")).unwrap() {
            let path = entry.unwrap().path();
            let name = path
                .file_stem()
                .unwrap()
                .to_str()
                .unwrap()
                .to_ascii_uppercase();
            let mut reader = csv::Reader::from_path(&path).unwrap();
            let columns = reader
                .headers()
                .unwrap()
                .iter()
                .map(str::to_string)
                .collect();
            let rows = reader
                .records()
                .map(|r| {
                    r.unwrap()
                        .iter()
                        .map(|v| (!v.is_empty()).then(|| v.to_string()))
                        .collect()
                })
                .collect();
            tables.insert(name, Loaded { columns, rows });
        }
        Recorded {
            owner: catalog["owner"].as_str().unwrap().to_string(),
            columns: rows("columns"),
            constraints: rows("constraints"),
            tables,
            issued: Vec::new(),
            fail_sampling: None,
        }
    }

    fn data_type(&self, table: &str, column: &str) -> String {
        self.columns
            .iter()
            .find(|r| r[0].as_deref() == Some(table) && r[1].as_deref() == Some(column))
            .and_then(|r| r[2].clone())
            .unwrap_or_else(|| panic!("{table}.{column} is in the catalog"))
    }

    /// The rows (by position) of a selection, as the database would choose them.
    fn select(&self, s: &Selection) -> Vec<usize> {
        assert_eq!(s.owner, self.owner);
        let t = &self.tables[&s.table];
        let all: Vec<usize> = (0..t.rows.len()).collect();
        match &s.filter {
            RowFilter::All => all,
            RowFilter::Sample { percent } => all
                .into_iter()
                .filter(|&i| {
                    let h = t.rows[i]
                        .iter()
                        .flatten()
                        .fold(0xcbf2_9ce4_8422_2325u64, |h, v| {
                            v.bytes()
                                .fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
                        });
                    (h % 10_000) as f64 / 100.0 < *percent
                })
                .collect(),
            RowFilter::First { rows, order } => {
                let mut sorted = self.ordered(&s.table, all, order);
                sorted.truncate(*rows as usize);
                sorted
            }
            RowFilter::ChildOf {
                columns,
                parent_columns,
                parent,
            } => {
                let p = &self.tables[&parent.table];
                let keys: HashSet<Row> = self
                    .select(parent)
                    .into_iter()
                    .map(|i| cells(p, &p.rows[i], parent_columns))
                    .collect();
                all.into_iter()
                    .filter(|&i| keys.contains(&cells(t, &t.rows[i], columns)))
                    .collect()
            }
        }
    }

    /// `rows` ordered as Oracle orders the stored columns: numbers by value, the rest
    /// (ISO dates and text) as text.
    fn ordered(&self, table: &str, mut rows: Vec<usize>, order: &[String]) -> Vec<usize> {
        let t = &self.tables[table];
        let key = |i: usize| -> Vec<(f64, String)> {
            order
                .iter()
                .map(|c| {
                    let v = cells(t, &t.rows[i], std::slice::from_ref(c))[0]
                        .clone()
                        .unwrap_or_default();
                    if self.data_type(table, c) == "NUMBER" {
                        (v.parse().unwrap(), String::new())
                    } else {
                        (0.0, v)
                    }
                })
                .collect()
        };
        rows.sort_by(|&a, &b| key(a).partial_cmp(&key(b)).unwrap());
        rows
    }

    fn sample(&self, q: &SampleQuery) -> Vec<Row> {
        let t = &self.tables[&q.selection.table];
        let mut rows = self.select(&q.selection);
        if !matches!(q.selection.filter, RowFilter::First { .. }) {
            rows = self.ordered(&q.selection.table, rows, &q.order);
        }
        let names: Vec<String> = q.columns.iter().map(|c| c.0.clone()).collect();
        rows.into_iter()
            .map(|i| {
                cells(t, &t.rows[i], &names)
                    .into_iter()
                    .zip(&q.columns)
                    .map(|(v, (_, conversion))| v.map(|v| as_oracle_text(&v, *conversion)))
                    .collect()
            })
            .collect()
    }
}

fn cells(t: &Loaded, row: &Row, columns: &[String]) -> Row {
    columns
        .iter()
        .map(|c| row[t.columns.iter().position(|n| n == c).unwrap()].clone())
        .collect()
}

/// A stored value as the source's conversions print it: `TO_CHAR(n, 'TM9')` drops
/// trailing zeros and the zero before the point; dates carry midnight; timestamps
/// six fractional digits.
fn as_oracle_text(v: &str, conversion: Conversion) -> String {
    match conversion {
        Conversion::Number => {
            let mut s = v.to_string();
            if s.contains('.') {
                s = s.trim_end_matches('0').trim_end_matches('.').to_string();
            }
            if let Some(rest) = s.strip_prefix("0.") {
                s = format!(".{rest}");
            } else if let Some(rest) = s.strip_prefix("-0.") {
                s = format!("-.{rest}");
            }
            s
        }
        Conversion::Date => format!("{v} 00:00:00"),
        Conversion::Timestamp => match v.split_once('.') {
            Some((head, frac)) => format!("{head}.{frac:0<6}"),
            None => format!("{v}.000000"),
        },
        _ => v.to_string(),
    }
}

impl OracleSession for Recorded {
    fn query(&mut self, query: &Query<'_>, row: &mut dyn FnMut(Row)) -> Result<(), DbError> {
        self.issued.push(query.sql());
        let rows = match query {
            Query::Columns { owner } if *owner == self.owner => self.columns.clone(),
            Query::Constraints { owner } if *owner == self.owner => self.constraints.clone(),
            Query::Columns { .. } | Query::Constraints { .. } => Vec::new(),
            Query::Sample(q) => {
                if let Some((table, error)) = &self.fail_sampling
                    && *table == q.selection.table
                {
                    return Err(error.clone());
                }
                self.sample(q)
            }
        };
        rows.into_iter().for_each(row);
        Ok(())
    }
}

fn inputs(configs: &[&str]) -> TrainInputs {
    let mut inputs = TrainInputs::samples("CORE", repo().join("samples"));
    inputs.source = SourceKind::Oracle;
    inputs.sample_dir = None;
    let file = |name: &str| {
        configs
            .contains(&name)
            .then(|| repo().join("configs").join(format!("{name}.yaml")))
    };
    inputs.tables_file = file("tables");
    inputs.relationships_file = file("relationships");
    inputs.privacy_file = file("privacy");
    inputs
}

fn from_oracle(db: &mut Recorded, inputs: &TrainInputs) -> bank_synth_core::Result<ModelPack> {
    train_from_oracle(
        inputs,
        &mut OracleSource {
            session: db,
            database: "Oracle recorded@sample-bank".into(),
        },
    )
}

/// The pack as JSON, its provenance left out.
fn content(pack: &ModelPack) -> serde_json::Value {
    let mut v = serde_json::to_value(pack).unwrap();
    v.as_object_mut().unwrap().remove("provenance");
    v
}

fn sqlglot_check(queries: &[String]) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_string(queries).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/oracle/oracle_sql.py"))
        .arg("check")
        .arg(file.path())
        .output()
        .expect("python3 runs (pip install -r tests/requirements.txt)");
    assert!(
        out.status.success(),
        "sqlglot's Oracle dialect rejects a query:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_same_rows_train_the_same_pack_from_oracle_as_from_csv_files() {
    let all = ["tables", "relationships", "privacy"];
    let mut db = Recorded::sample_bank();
    let oracle = from_oracle(&mut db, &inputs(&all)).unwrap();
    let mut files = inputs(&all);
    files.source = SourceKind::Samples;
    files.sample_dir = Some(repo().join("samples"));
    let csv = train(&files).unwrap();
    assert_eq!(oracle.provenance.source, "oracle");
    if content(&oracle) != content(&csv) {
        let dump = |p: &ModelPack, n: &str| {
            let path = std::env::temp_dir().join(n);
            std::fs::write(&path, serde_json::to_string_pretty(&content(p)).unwrap()).unwrap();
            path
        };
        panic!(
            "the packs differ: diff {} {}",
            dump(&oracle, "oracle_pack.json").display(),
            dump(&csv, "csv_pack.json").display()
        );
    }
    // The privacy policy restricts AML_RISK_RATING: no query ever read it.
    assert!(
        db.issued.iter().all(|q| !q.contains("AML_RISK_RATING")),
        "{:#?}",
        db.issued
    );
    assert!(db.issued.iter().any(|q| q.contains("\"SSN\"")));
    sqlglot_check(&db.issued);
}

#[test]
fn the_catalog_alone_gives_the_keys_links_and_types() {
    let mut db = Recorded::sample_bank();
    let pack = from_oracle(&mut db, &inputs(&["privacy"])).unwrap();
    let mut files = inputs(&["tables", "relationships", "privacy"]);
    files.source = SourceKind::Samples;
    files.sample_dir = Some(repo().join("samples"));
    let csv = train(&files).unwrap();
    let keys = |p: &ModelPack| -> Vec<(String, Vec<String>)> {
        let mut k: Vec<_> = p
            .tables
            .iter()
            .map(|t| (t.name.clone(), t.primary_key.clone()))
            .collect();
        k.sort();
        k
    };
    assert_eq!(keys(&pack), keys(&csv));
    let links = |p: &ModelPack| {
        let mut l: Vec<_> = p
            .relationships
            .iter()
            .map(|r| {
                (
                    r.child_table.clone(),
                    r.child_columns.clone(),
                    r.parent_table.clone(),
                    r.parent_columns.clone(),
                    format!("{:?}", r.role),
                )
            })
            .collect();
        l.sort();
        l
    };
    assert_eq!(links(&pack), links(&csv));
    // Types: NUMBER(18,2) is decimal(18,2) without tables.yaml saying so; only the
    // columns tables.yaml declares as something their values are not (MCC, digits
    // declared categorical) differ.
    for a in &pack.tables {
        let b = csv.tables.iter().find(|t| t.name == a.name).unwrap();
        for (x, y) in a.columns.iter().zip(&b.columns) {
            assert_eq!(x.name, y.name);
            if x.name != "MCC" {
                assert_eq!(x.logical_type, y.logical_type, "{}.{}", a.name, x.name);
            }
        }
    }
    sqlglot_check(&db.issued);
}

#[test]
fn percent_sampling_samples_roots_in_the_database_and_keeps_whole_families() {
    let mut db = Recorded::sample_bank();
    let mut inputs = inputs(&["tables", "relationships", "privacy"]);
    inputs.sample_strategy = Some(SampleStrategy::Percent(20.0));
    let pack = from_oracle(&mut db, &inputs).unwrap();
    let samples: Vec<&String> = db.issued.iter().filter(|q| !q.contains("ALL_")).collect();
    assert_eq!(samples.len(), 7);
    // BRANCHES has no parent: SAMPLE; CUSTOMERS follows it; STATEMENT_LINES follows
    // STATEMENTS by its two-column key, through ACCOUNTS and CUSTOMERS.
    let of = |t: &str| {
        *samples
            .iter()
            .find(|q| q.contains(&format!("FROM \"CORE\".\"{t}\"")))
            .unwrap()
    };
    assert!(
        of("BRANCHES").contains("SAMPLE (20) SEED ("),
        "{}",
        of("BRANCHES")
    );
    assert!(
        of("STATEMENT_LINES").contains("WHERE (\"ACCOUNT_ID\", \"STATEMENT_MONTH\") IN (SELECT")
    );
    // Whole families: no row references a parent its family left out through the
    // foreign key it was sampled by (the grouping one); a second parent (an account's
    // branch) may be outside the sample, as with sample files.
    let grouping: Vec<&str> = pack
        .relationships
        .iter()
        .filter(|r| r.role == bank_synth_core::model::Role::Grouping)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(grouping.len(), 6, "{grouping:?}");
    let orphans: Vec<&String> = pack
        .provenance
        .warnings
        .iter()
        .filter(|w| w.contains("not in the sample") && grouping.iter().any(|g| w.starts_with(g)))
        .collect();
    assert!(orphans.is_empty(), "{orphans:#?}");
    let rows = |p: &ModelPack| p.tables.iter().map(|t| t.sample_rows).collect::<Vec<_>>();
    let full = from_oracle(&mut Recorded::sample_bank(), &{
        let mut i = inputs.clone();
        i.sample_strategy = None;
        i
    })
    .unwrap();
    for (part, all) in rows(&pack).into_iter().zip(rows(&full)) {
        assert!(part > 0 && part < all, "{part} of {all}");
    }
    sqlglot_check(&db.issued);
}

#[test]
fn rows_sampling_fetches_the_first_families_by_key() {
    let mut db = Recorded::sample_bank();
    let mut inputs = inputs(&["tables", "relationships", "privacy"]);
    inputs.sample_strategy = Some(SampleStrategy::Rows(10));
    let pack = from_oracle(&mut db, &inputs).unwrap();
    assert!(
        db.issued
            .iter()
            .any(|q| q.contains("ORDER BY \"BRANCH_ID\" FETCH FIRST 10 ROWS ONLY")),
        "{:#?}",
        db.issued
    );
    let rows = |t: &str| {
        pack.tables
            .iter()
            .find(|m| m.name == t)
            .unwrap()
            .sample_rows
    };
    assert_eq!(rows("BRANCHES"), 10);
    for t in &pack.tables {
        let all = db.tables[&t.name].rows.len() as u64;
        assert!(
            t.sample_rows > 0 && t.sample_rows < all,
            "{}: {} of {all}",
            t.name,
            t.sample_rows
        );
    }
    sqlglot_check(&db.issued);
}

#[test]
fn database_errors_name_the_database_the_table_and_what_to_do() {
    let mut db = Recorded::sample_bank();
    db.fail_sampling = Some((
        "ACCOUNTS".into(),
        DbError::from_message("ORA-01031: insufficient privileges"),
    ));
    let e = from_oracle(&mut db, &inputs(&["privacy"]))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(
            "Oracle recorded@sample-bank: sampling table CORE.ACCOUNTS failed (ORA-01031"
        ),
        "{e}"
    );
    assert!(e.contains("grant"), "{e}");

    let mut db = Recorded::sample_bank();
    db.fail_sampling = Some((
        "CARDS".into(),
        DbError::from_message("ORA-00942: table or view does not exist"),
    ));
    let e = from_oracle(&mut db, &inputs(&[])).unwrap_err().to_string();
    assert!(e.contains("CORE.CARDS") && e.contains("SELECT"), "{e}");

    // A schema this user sees no table of.
    let mut other = inputs(&[]);
    other.schema = "HR".into();
    let e = from_oracle(&mut Recorded::sample_bank(), &other)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("schema HR has no table this user can see"),
        "{e}"
    );

    // A table the schema does not have, with a did-you-mean.
    let mut asked = inputs(&[]);
    asked.tables = Some(vec!["CUSTOMER".into()]);
    let e = from_oracle(&mut Recorded::sample_bank(), &asked)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("CUSTOMER") && e.contains("CUSTOMERS") && e.contains("schema CORE"),
        "{e}"
    );
}

#[test]
fn the_pack_holds_no_value_of_a_restricted_or_pii_column() {
    let mut db = Recorded::sample_bank();
    let pack = from_oracle(&mut db, &inputs(&["tables", "relationships", "privacy"])).unwrap();
    let json = serde_json::to_string(&pack).unwrap();
    let customers = &db.tables["CUSTOMERS"];
    for column in ["SSN", "EMAIL", "FIRST_NAME", "LAST_NAME"] {
        let i = customers.columns.iter().position(|c| c == column).unwrap();
        let leaked = customers
            .rows
            .iter()
            .filter_map(|r| r[i].as_deref())
            .find(|v| json.contains(&format!("\"{v}\"")));
        assert_eq!(leaked, None, "a {column} value reached the pack");
    }
}

/// The Hive side of `--source both`, standing in for the Spark job: it stages the
/// sample files of the tables asked for (whole, so the pack can be compared with the
/// CSV-trained one) with a `schema.json` naming `hive_tables`, and keeps each request.
struct StagedLake {
    dir: tempfile::TempDir,
    hive_tables: Vec<&'static str>,
    requests: Vec<HiveRequest>,
}

impl HiveSampler for StagedLake {
    fn sample(&mut self, request: &HiveRequest) -> bank_synth_core::Result<PathBuf> {
        self.requests.push(request.clone());
        let staging = self.dir.path().join("samples");
        std::fs::create_dir_all(&staging).unwrap();
        let mut tables = Vec::new();
        for t in &self.hive_tables {
            let name = t.to_ascii_lowercase();
            let source = repo().join("samples").join(format!("{name}.csv"));
            let header = std::fs::read_to_string(&source).unwrap();
            let columns: Vec<serde_json::Value> = header
                .lines()
                .next()
                .unwrap()
                .split(',')
                .map(|c| serde_json::json!({"name": c.to_ascii_lowercase(), "type": "string", "modelled": true}))
                .collect();
            let wanted = match &request.tables {
                Some(list) => list.iter().any(|l| l == t),
                None => !request.exclude.iter().any(|e| e == t),
            };
            if wanted {
                std::fs::copy(&source, staging.join(format!("{name}.csv"))).unwrap();
            }
            tables.push(serde_json::json!({"name": name, "format": "orc", "columns": columns}));
        }
        let schema = serde_json::json!({"database": request.database, "tables": tables});
        std::fs::write(staging.join("schema.json"), schema.to_string()).unwrap();
        Ok(staging)
    }
}

/// The recorded database holding only `tables` (and the constraints between them).
fn oracle_with(tables: &[&str]) -> Recorded {
    let mut db = Recorded::sample_bank();
    let kept = |t: &Option<String>| tables.contains(&t.as_deref().unwrap_or_default());
    db.columns.retain(|r| kept(&r[0]));
    db.constraints
        .retain(|r| kept(&r[0]) && (r[5].is_none() || kept(&r[5])));
    db.tables.retain(|t, _| tables.contains(&t.as_str()));
    db
}

fn from_both(
    db: &mut Recorded,
    lake: &mut StagedLake,
    inputs: &TrainInputs,
) -> bank_synth_core::Result<ModelPack> {
    train_from_both(
        inputs,
        &mut OracleSource {
            session: db,
            database: "Oracle recorded@sample-bank".into(),
        },
        &mut HiveSource {
            sampler: lake,
            database: "core_lake".into(),
        },
    )
}

#[test]
fn oracle_tables_and_hive_tables_train_one_pack() {
    let oracle_tables = ["BRANCHES", "CUSTOMERS", "ACCOUNTS", "CARDS"];
    let hive_tables = vec!["TRANSACTIONS", "STATEMENTS", "STATEMENT_LINES"];
    let all = ["tables", "relationships", "privacy"];
    let mut db = oracle_with(&oracle_tables);
    let mut lake = StagedLake {
        dir: tempfile::tempdir().unwrap(),
        hive_tables: hive_tables.clone(),
        requests: Vec::new(),
    };
    let mut both = inputs(&all);
    both.source = SourceKind::Both;
    let pack = from_both(&mut db, &mut lake, &both).unwrap();
    assert_eq!(pack.provenance.source, "both");
    // Hive was asked for the tables Oracle does not have, in tables.yaml's order, and
    // never for the restricted column.
    let request = &lake.requests[0];
    assert_eq!(request.database, "core_lake");
    assert_eq!(
        request.tables.as_deref(),
        Some(
            &hive_tables
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()[..]
        )
    );
    assert_eq!(request.restricted["CUSTOMERS"], ["AML_RISK_RATING"]);
    // The same rows train the same pack as the seven CSV files: keys and links
    // within Oracle from its constraints, across the two from relationships.yaml.
    let mut files = inputs(&all);
    files.source = SourceKind::Samples;
    files.sample_dir = Some(repo().join("samples"));
    assert!(
        content(&pack) == content(&train(&files).unwrap()),
        "the packs differ"
    );
    sqlglot_check(&db.issued);

    // Sampled, the Hive children of Oracle's sampled accounts are asked for by key.
    let mut db = oracle_with(&oracle_tables);
    let mut sampled = inputs(&all);
    sampled.source = SourceKind::Both;
    sampled.sample_strategy = Some(SampleStrategy::Percent(20.0));
    let pack = from_both(&mut db, &mut lake, &sampled).unwrap();
    let request = &lake.requests[1];
    assert_eq!(
        request.exclude,
        ["ACCOUNTS", "BRANCHES", "CARDS", "CUSTOMERS"]
    );
    let [accounts] = &request.outside_parents[..] else {
        panic!("one outside parent: {:?}", request.outside_parents);
    };
    assert_eq!(accounts.parent, "ACCOUNTS");
    assert_eq!(accounts.columns, ["ACCOUNT_ID"]);
    let all_accounts = Recorded::sample_bank().tables["ACCOUNTS"].rows.len();
    let sampled_accounts = pack.table("ACCOUNTS").unwrap().sample_rows as usize;
    assert_eq!(accounts.rows.len(), sampled_accounts);
    assert!(
        sampled_accounts < all_accounts,
        "{sampled_accounts} of {all_accounts}"
    );
    let known: HashSet<String> = Recorded::sample_bank().tables["ACCOUNTS"]
        .rows
        .iter()
        .map(|r| r[0].clone().unwrap())
        .collect();
    assert!(accounts.rows.iter().all(|k| known.contains(&k[0])));
}
