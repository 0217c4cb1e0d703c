"""Proves a bank_synth run's Hive output with real Spark and Hive's own Parquet reader.

Usage: python3 hive_roundtrip.py RUN_DIR

Creates a throw-away Derby metastore, runs RUN_DIR/ddl/hive_load.sql statement by
statement, then reads every table back through Hive's ParquetHiveSerDe
(spark.sql.hive.convertMetastoreParquet=false, so not Spark's native reader) and
compares it, row by row and value by value (as a multiset: part files have no order
among them), with the Oracle CSV of the same run:
row counts, no column silently NULL, identical values. Exits non-zero on any mismatch.
"""

import csv
from collections import Counter
import json
import os
import sys
import tempfile
from datetime import date, datetime
from decimal import Decimal


def statements(sql_text):
    body = "\n".join(l for l in sql_text.splitlines() if not l.strip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def normalize(value):
    """Renders a Spark value the way the Oracle CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def hive_session(app, work=None):
    """A local Spark session with Hive support that reads Hive Parquet tables through
    Hive's own ParquetHiveSerDe; with `work`, its metastore and warehouse live there,
    else in the working directory."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[1]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.sql.hive.convertMetastoreParquet", "false")
    )
    if work:
        builder = (
            builder.config("spark.sql.warehouse.dir", os.path.join(work, "warehouse"))
            .config("javax.jdo.option.ConnectionURL", f"jdbc:derby:;databaseName={work}/metastore_db;create=true")
        )
    spark = builder.enableHiveSupport().getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def compare_with_run(spark, database, manifest, run_dir):
    """Reads every table of the run `manifest` describes from `database` through Hive's
    reader and compares it with the run's Oracle CSV; prints a line per table and
    returns the failures."""
    failures = []
    for table in manifest["generation_order"]:
        name = table.lower()
        expected_rows = manifest["rows"][table]
        df = spark.table(f"`{database}`.`{name}`")
        plan = df._jdf.queryExecution().executedPlan().toString()
        if "Scan hive" not in plan or "ParquetHiveSerDe" not in plan:
            failures.append(f"{name}: not read through Hive's ParquetHiveSerDe:\n{plan}")
        rows = df.collect()
        with open(os.path.join(run_dir, "oracle", f"{name}.csv"), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            csv_rows = list(reader)
        if len(rows) != expected_rows or len(csv_rows) != expected_rows:
            failures.append(f"{name}: hive has {len(rows)} rows, csv {len(csv_rows)}, manifest {expected_rows}")
            continue
        columns = [c.upper() for c in df.columns]
        if columns != header:
            failures.append(f"{name}: hive columns {columns} != csv header {header}")
            continue
        for c, column in enumerate(columns):
            hive_non_null = sum(1 for r in rows if r[c] is not None)
            csv_non_null = sum(1 for r in csv_rows if r[c] != "")
            if hive_non_null != csv_non_null:
                failures.append(f"{name}.{column}: {hive_non_null} non-null values through Hive, {csv_non_null} in the CSV")
        # A table of several part files has no row order across them: rows are compared
        # as a multiset.
        got = Counter(tuple(normalize(v) for v in r) for r in rows)
        missing = Counter(tuple(r) for r in csv_rows) - got
        mismatches = sum(missing.values())
        for row in list(missing)[:3]:
            failures.append(f"{name}: csv row {list(row)} not read back through Hive")
        print(f"{name:<16} {len(rows):>8} rows  {len(columns):>2} columns  {mismatches} mismatching rows")
    return failures


def main(run_dir):
    run_dir = os.path.abspath(run_dir)
    with open(os.path.join(run_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    work = tempfile.mkdtemp(prefix="bank_synth_spark_")
    os.chdir(work)
    spark = hive_session("bank_synth hive round trip", work)
    with open(os.path.join(run_dir, "ddl", "hive_load.sql"), encoding="utf-8") as f:
        for stmt in statements(f.read()):
            spark.sql(stmt)
    failures = compare_with_run(spark, manifest["model_pack"]["schema"].lower(), manifest, run_dir)
    spark.stop()
    return verdict(failures, "hive round trip: every table read back through ParquetHiveSerDe, identical to the CSV")


def verdict(failures, success):
    """Prints the failures, or `success` when there are none; the exit code."""
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(success)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
