#!/usr/bin/env python3
"""Sample Hive tables for `bank_synth train --source hive --hive_spark`.

    spark-submit [--master ...] [--conf ...] spark/bank_synth_hive_sample.py \\
        --database core --request request.json --staging DIR

`bank_synth train` writes the request and runs this job itself (it carries a copy of this
file); run it by hand only to look at what it stages. The job reads the metastore through
Spark's catalog (tables, columns, types, partition columns, comments, storage format) and
samples the requested tables, whatever they are stored as (Parquet, ORC, Avro, text):

* a table whose parent (its first foreign key in the request, to another sampled table) is
  sampled keeps exactly the children of the parent's selection, by a left semi join, so
  every kept parent keeps all its children and fan-out is learned from whole families;
  a parent outside Hive (an Oracle table in `--source both`) is given by its sampled keys;
* any other table is sampled by the strategy: `percent:N` keeps a row when a hash of its
  key (its primary key, else every column) with a fixed seed falls in the first N% (so
  the same rows whatever the partitioning, the cluster or the run), `rows:N` takes the
  first N rows by that key, no strategy the whole table;
* with `percent:N`, a child's rows with a NULL foreign key (Hive declares no NOT NULL)
  are sampled like a table on its own; `rows:N` keeps only whole families.

Each selection is collected to the driver as Arrow (a sample, so small) and written with
pyarrow to DIR/<table>.parquet, sorted by its key, so the staging directory is the driver's local disk even
on a cluster; partition columns are columns like the others, CHAR values lose their
padding, restricted columns are never read (they are staged as NULL), and columns of types
bank_synth does not model (binary, arrays, maps, structs, intervals) are left out and
named in DIR/schema.json, which describes every table of the database.
"""

import argparse
import json
import os
import re
import sys

SEED = 20240601
MODELLED = re.compile(
    r"^(boolean|tinyint|smallint|int|integer|bigint|float|double|real|string|date|timestamp|timestamp_ntz"
    r"|decimal\(\d+,\s*\d+\)|varchar\(\d+\)|char\(\d+\))$"
)


class JobError(Exception):
    """A problem the job explains in one line."""


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", required=True, help="the Hive database to read")
    p.add_argument("--request", required=True, help="the JSON request bank_synth train wrote")
    p.add_argument("--staging", required=True, help="the local directory to write the samples to")
    return p.parse_args(argv)


def storage_format(spark, qualified):
    """parquet, orc, avro, text, … from the table's provider or Hive SerDe."""
    details = {r["col_name"].strip(): (r["data_type"] or "").strip()
               for r in spark.sql(f"DESCRIBE TABLE EXTENDED {qualified}").collect()}
    provider = details.get("Provider", "").lower()
    if provider and provider != "hive":
        return provider
    serde = (details.get("Serde Library", "") + " " + details.get("InputFormat", "")).lower()
    for word, name in [("parquet", "parquet"), ("orc", "orc"), ("avro", "avro"), ("lazysimpleserde", "text"),
                       ("opencsvserde", "csv"), ("json", "json"), ("textinputformat", "text")]:
        if word in serde:
            return name
    return serde.split(".")[-1] or "unknown"


def describe(spark, database):
    """Every table of the database: name, comment and columns (the metastore's
    listing; the storage format is read for the sampled tables only)."""
    tables = []
    for t in sorted(spark.catalog.listTables(database), key=lambda t: t.name):
        if t.tableType == "VIEW" or t.isTemporary:
            continue
        qualified = f"`{database}`.`{t.name}`"
        columns = [{
            "name": c.name,
            "type": c.dataType,
            "comment": c.description,
            "partition": bool(c.isPartition),
            "modelled": bool(MODELLED.match(c.dataType.lower())),
        } for c in spark.catalog.listColumns(t.name, database)]
        tables.append({
            "name": t.name,
            "qualified": qualified,
            "comment": t.description,
            "partition_columns": [c["name"] for c in columns if c["partition"]],
            "columns": columns,
        })
    return tables


def order_parents_first(names, follows):
    """Tables in an order where each followed parent comes before its children."""
    done, order = set(), []
    while len(order) < len(names):
        ready = [n for n in names if n not in done and (follows.get(n) is None or follows[n]["parent"] in done
                                                         or follows[n]["parent"] not in names)]
        # A cycle: take the first table left, sampled by the strategy.
        pick = ready[0] if ready else next(n for n in names if n not in done)
        if not ready:
            follows.pop(pick, None)
        done.add(pick)
        order.append(pick)
    return order


def key(frame, table, primary_keys):
    """The primary key from tables.yaml, else every column: the order of `rows:N`, the
    input of `percent:N`'s hash and the order rows are staged in."""
    return primary_keys.get(table) or list(frame.columns)


def sampled_alone(frame, table, strategy, primary_keys):
    """The rows the strategy keeps of a table sampled on its own."""
    from pyspark.sql import functions as F

    columns = key(frame, table, primary_keys)
    if strategy["kind"] == "percent":
        buckets = 1_000_000
        bucket = F.pmod(F.xxhash64(F.lit(SEED), *[F.col(c) for c in columns]), F.lit(buckets))
        return frame.filter(bucket < F.lit(strategy["value"] / 100.0 * buckets))
    return frame.orderBy(*columns).limit(int(strategy["value"]))


def selection(spark, frame, table, request, follows, selected, primary_keys):
    """The rows of `table` to stage (see the module's documentation)."""
    from functools import reduce

    from pyspark.sql import functions as F

    strategy = request.get("strategy")
    if strategy is None or (strategy["kind"] == "percent" and strategy["value"] >= 100):
        return frame
    link = follows.get(table)
    if link is None:
        return sampled_alone(frame, table, strategy, primary_keys)
    parent = link["parent"]
    if parent in selected:
        keys = selected[parent].select(*[F.col(p).alias(c) for p, c in
                                         zip(link["parent_columns"], link["child_columns"])])
    else:
        rows = [tuple(r) for r in link["outside_rows"]]
        keys = spark.createDataFrame(rows, ",".join(f"`{c}` string" for c in link["child_columns"]))
        child_types = dict(frame.dtypes)
        keys = keys.select(*[F.col(c).cast(child_types[c]).alias(c) for c in link["child_columns"]])
    children = frame.join(keys.distinct(), on=link["child_columns"], how="left_semi")
    if parent not in selected and not children.take(1) and frame.dropna(subset=link["child_columns"]).take(1):
        columns = ", ".join(c.upper() for c in link["child_columns"])
        raise JobError(f"{table}: none of the {len(rows)} sampled {parent} keys matches a {table} row by "
                       f"({columns}); check that the Hive and Oracle columns hold the same values and types")
    if strategy["kind"] == "rows":
        return children
    # Hive declares no NOT NULL: rows with no parent are sampled like a table on its own.
    no_parent = frame.filter(reduce(lambda a, b: a | b, [F.col(c).isNull() for c in link["child_columns"]]))
    return children.unionByName(sampled_alone(no_parent, table, strategy, primary_keys))


def stage(frame, path):
    """Writes `frame` (collected as Arrow on the driver) to `path` with pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyspark.sql.pandas.types import to_arrow_schema

    collect = getattr(frame, "toArrow", None)
    if collect is not None:  # Spark 4
        table = collect()
    else:
        batches = frame._collect_as_arrow()
        table = pa.Table.from_batches(batches) if batches else to_arrow_schema(frame.schema).empty_table()
    pq.write_table(table, path)
    return table.num_rows


def main(argv):
    args = parse_args(argv)
    try:
        import pyarrow  # noqa: F401  (the driver writes the samples with it)
    except ImportError:
        print("bank_synth_hive: the Spark driver's Python has no pyarrow; install it (python3 -m pip install pyarrow)",
              file=sys.stderr)
        return 2
    try:
        return sample(args)
    except JobError as e:
        print(f"bank_synth_hive: {e}", file=sys.stderr)
        return 4
    except Exception as e:  # one line bank_synth shows, the traceback stays in the log
        import traceback

        traceback.print_exc()
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        print(f"bank_synth_hive: {type(e).__name__}: {first}", file=sys.stderr)
        return 1


def sample(args):
    with open(args.request, encoding="utf-8") as f:
        request = json.load(f)
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = (SparkSession.builder.appName("bank_synth train: sample Hive tables")
             .config("spark.sql.session.timeZone", "UTC")
             .enableHiveSupport().getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    database = args.database
    if not spark.catalog.databaseExists(database):
        known = ", ".join(sorted(d.name for d in spark.catalog.listDatabases())) or "none"
        print(f"bank_synth_hive: the metastore has no database {database}; its databases: {known}", file=sys.stderr)
        return 3
    tables = describe(spark, database)
    by_upper = {t["name"].upper(): t for t in tables}
    wanted = request.get("tables")
    excluded = {n.upper() for n in request.get("exclude", [])}
    names = [n.upper() for n in wanted] if wanted is not None else [n for n in by_upper if n not in excluded]
    if any(n not in by_upper for n in names):
        # bank_synth names the missing table, with the database's tables.
        names = []
    restricted = {t.upper(): {c.upper() for c in cols} for t, cols in request.get("restricted", {}).items()}
    primary_keys = {t.upper(): [c.lower() for c in cols] for t, cols in request.get("primary_keys", {}).items()}
    outside = {(k["parent"].upper(), tuple(c.upper() for c in k["columns"])): k["rows"]
               for k in request.get("outside_parents", [])}
    follows = {}
    for r in request.get("relationships", []):
        child, parent = r["child"].upper(), r["parent"].upper()
        outside_rows = outside.get((parent, tuple(c.upper() for c in r["parent_columns"])))
        if child in names and child not in follows and child != parent and (parent in names or outside_rows):
            follows[child] = {"parent": parent,
                              "child_columns": [c.lower() for c in r["child_columns"]],
                              "parent_columns": [c.lower() for c in r["parent_columns"]],
                              "outside_rows": outside_rows if parent not in names else None}
    os.makedirs(args.staging, exist_ok=True)
    selected = {}
    for name in order_parents_first(names, follows):
        t = by_upper[name]
        t["format"] = storage_format(spark, t["qualified"])
        frame = spark.table(t["qualified"])
        columns = []
        for c in t["columns"]:
            if not c["modelled"]:
                continue
            column = F.col(f"`{c['name']}`")
            if c["name"].upper() in restricted.get(name, set()):
                column = F.lit(None).cast(c["type"])
            elif c["type"].lower().startswith("char("):
                column = F.rtrim(column)
            columns.append(column.alias(c["name"].lower()))
        frame = frame.select(*columns)
        rows = (selection(spark, frame, name, request, follows, selected, primary_keys)
                .select(*frame.columns).orderBy(*key(frame, name, primary_keys)))
        if request.get("strategy") is not None:
            # One evaluation of the sample, for the file and for the children's joins.
            rows = rows.localCheckpoint(eager=True)
        selected[name] = rows
        t["sampled_rows"] = stage(rows, os.path.join(args.staging, f"{name.lower()}.parquet"))
        t["followed"] = follows.get(name, {}).get("parent")
        print(f"bank_synth_hive: {name}: {t['sampled_rows']} rows ({t['format']})", flush=True)
    with open(os.path.join(args.staging, "schema.json"), "w", encoding="utf-8") as f:
        json.dump({"database": database, "tables": tables}, f, indent=1)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
