#!/usr/bin/env python3
"""Generate a bank_synth run on Spark, when one machine is not enough.

    spark-submit [--master yarn | k8s://...] spark/bank_synth_spark.py \\
        --bank_synth target/release/bank_synth --model models/CORE_modelpack \\
        --target_table TRANSACTIONS --target_rows 1e9 --seed 42 \\
        --shards 2000 --database core_synth [--check]

The driver plans the run (`bank_synth stream --plan`: tables, rows, Hive types, foreign
keys). For each planned table it maps shard numbers 1..N over the executors with
`mapInArrow`: each task runs the shipped binary, `bank_synth stream --table T --shard I/N`,
which generates that slice of the table from the model pack alone and streams it as
Arrow IPC, and yields its batches. Spark then writes the table itself:

* `--database DB`: `saveAsTable` into the Hive metastore, stored as Parquet that Hive's
  own reader (ParquetHiveSerDe) reads — decimals as FIXED_LEN_BYTE_ARRAY, timestamps as
  INT96 — with the column types of `hive_load.sql`;
* `--path DIR`: Parquet files under DIR/<table>, for any storage Spark reaches.

A row is a pure function of (seed, table, row index), so the union of the shards is
exactly `bank_synth generate`'s rows for the same pack, plan and seed, and every foreign
key resolves within it. `--check` counts every table against the plan and counts orphans
of every foreign key with Spark SQL joins (it fails on a mismatch).

Timestamps are wall-clock values, as in Hive: the job sets the session time zone to UTC;
run executors with -Duser.timezone=UTC too (see the README's cluster recipe).
"""

import argparse
import json
import os
import subprocess
import sys


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bank_synth", required=True, help="the bank_synth binary to ship to the executors")
    p.add_argument("--model", required=True, help="the model pack directory")
    p.add_argument("--target_table", required=True)
    p.add_argument("--target_rows", required=True)
    p.add_argument("--include_children", action="store_true")
    p.add_argument("--seed", default="42")
    p.add_argument("--table_rows", help="TABLE:N,TABLE:N, as for bank_synth generate")
    p.add_argument("--parent_scale", default="1.0")
    p.add_argument("--shards", type=int,
                   help="the most slices a table is cut into (default: Spark's default parallelism)")
    p.add_argument("--rows_per_task", type=int, default=1_000_000,
                   help="a smaller table gets fewer slices, about this many rows each (default 1,000,000)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--database", help="write Hive tables into this database")
    where.add_argument("--path", help="write Parquet files under this directory")
    p.add_argument("--mode", default="errorifexists", choices=["errorifexists", "overwrite"],
                   help="what to do when a table already exists")
    p.add_argument("--check", action="store_true", help="check row counts and orphans after writing")
    args = p.parse_args(argv)
    if not os.path.isfile(args.bank_synth):
        p.error(f"--bank_synth {args.bank_synth} is not a file; build it with `cargo build --release -p bank_synth_cli`")
    if not os.path.isfile(os.path.join(args.model, "modelpack.json")):
        p.error(f"--model {args.model} holds no modelpack.json; pass the directory `bank_synth train --model_out` wrote")
    return args


def plan_arguments(args, model):
    """The plan's flags, the same on the driver and on every executor."""
    flags = ["--model", model, "--target_table", args.target_table, "--target_rows", args.target_rows,
             "--seed", args.seed, "--parent_scale", args.parent_scale]
    if args.include_children:
        flags.append("--include_children")
    if args.table_rows:
        flags += ["--table_rows", args.table_rows]
    return flags


def read_plan(args):
    out = subprocess.run([args.bank_synth, "-q", "stream", "--plan", *plan_arguments(args, args.model)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr.strip() or f"bank_synth stream --plan failed ({out.returncode})")
    return json.loads(out.stdout)


def ddl_schema(table):
    return ", ".join(f"`{c['name']}` {c['type']}" for c in table["columns"])


def shard_generator(binary_name, pack_name, plan_flags, table, shards, arrow_schema):
    """The mapInArrow function of one table: shard numbers in, that table's rows out."""

    def generate(batches):
        import tempfile

        import pyarrow as pa
        import pyarrow.ipc as ipc
        from pyspark import SparkFiles

        binary = SparkFiles.get(binary_name)
        os.chmod(binary, 0o755)
        model = SparkFiles.get(pack_name)
        flags = [model if f == "{model}" else f for f in plan_flags]
        for batch in batches:
            for shard in batch.column(0).to_pylist():
                command = [binary, "-q", "stream", *flags, "--table", table, "--shard", f"{shard}/{shards}"]
                # stderr goes to a file: a pipe read only at the end could fill and stall.
                with tempfile.TemporaryFile() as errors:
                    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
                    try:
                        try:
                            for rows in ipc.open_stream(proc.stdout):
                                columns = [rows.column(i).cast(f.type) for i, f in enumerate(arrow_schema)]
                                yield pa.RecordBatch.from_arrays(columns, schema=arrow_schema)
                        except pa.ArrowInvalid as e:
                            broken = e  # a stream cut short: the process says why
                        else:
                            broken = None
                        code = proc.wait()
                        if code != 0 or broken is not None:
                            errors.seek(0)
                            why = errors.read().decode(errors="replace").strip() or str(broken)
                            raise RuntimeError(f"{' '.join(command)} failed ({code}): {why}")
                    finally:
                        if proc.poll() is None:
                            proc.kill()  # Spark stopped reading: the task was cancelled
                            proc.wait()

    return generate


def main(argv):
    args = parse_args(argv)
    from pyspark.sql import SparkSession
    from pyspark.sql.pandas.types import to_arrow_schema

    spark = SparkSession.builder.appName("bank_synth generate").enableHiveSupport().getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    master = spark.sparkContext.master
    executor_options = spark.sparkContext.getConf().get("spark.executor.extraJavaOptions", "")
    if args.database and not master.startswith("local") and "-Duser.timezone=UTC" not in executor_options:
        print("warning: Hive's Parquet writer stores timestamps in the executors' time zone; "
              "run with --conf spark.executor.extraJavaOptions=-Duser.timezone=UTC so that they "
              "keep their wall-clock values", file=sys.stderr, flush=True)
    # Hive 2.3's Parquet reader needs decimals as FIXED_LEN_BYTE_ARRAY and INT96 timestamps.
    spark.conf.set("spark.sql.parquet.writeLegacyFormat", "true")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "INT96")
    plan = read_plan(args)
    shards = args.shards or spark.sparkContext.defaultParallelism
    pack_name = os.path.basename(os.path.normpath(args.model))
    binary_name = os.path.basename(args.bank_synth)
    spark.sparkContext.addFile(os.path.abspath(args.bank_synth))
    spark.sparkContext.addFile(os.path.abspath(args.model), recursive=True)
    flags = plan_arguments(args, "{model}")
    if args.database:
        spark.sql(f"CREATE DATABASE IF NOT EXISTS `{args.database}`")
    for table in plan["tables"]:
        name = table["name"]
        schema = spark.createDataFrame([], ddl_schema(table)).schema
        # Tables are sliced independently: a small one needs no more tasks than rows.
        slices = max(1, min(shards, -(-table["rows"] // args.rows_per_task)))
        numbers = spark.range(1, slices + 1, numPartitions=slices).toDF("shard")
        rows = numbers.mapInArrow(
            shard_generator(binary_name, pack_name, flags, name, slices, to_arrow_schema(schema)), schema)
        if args.database:
            (rows.write.mode(args.mode).format("hive").option("fileFormat", "parquet")
             .saveAsTable(f"`{args.database}`.`{name}`"))
        else:
            rows.write.mode(args.mode).parquet(os.path.join(args.path, name))
        print(f"{name}: {table['rows']} rows in {slices} shards", flush=True)
    if args.check and not check(spark, args, plan):
        sys.exit(1)


def check(spark, args, plan):
    """Row counts against the plan and orphans per foreign key; True when all hold."""

    def read(name):
        if args.database:
            return spark.table(f"`{args.database}`.`{name}`")
        return spark.read.parquet(os.path.join(args.path, name))

    ok = True
    for table in plan["tables"]:
        count = read(table["name"]).count()
        if count != table["rows"]:
            print(f"check: {table['name']} has {count} rows, the plan {table['rows']}", flush=True)
            ok = False
    for fk in plan["foreign_keys"]:
        child, parent = read(fk["child_table"]).alias("c"), read(fk["parent_table"]).alias("p")
        present = " AND ".join(f"c.`{c}` IS NOT NULL" for c in fk["child_columns"])
        on = [child[f"`{c}`"] == parent[f"`{p}`"] for c, p in zip(fk["child_columns"], fk["parent_columns"])]
        orphans = child.where(present).join(parent, on, "left_anti").count()
        print(f"check: {fk['name']} {fk['child_table']} -> {fk['parent_table']}: {orphans} orphans", flush=True)
        ok = ok and orphans == 0
    print("check: " + ("every table has its planned rows and no foreign key is orphaned" if ok else "FAILED"),
          flush=True)
    return ok


if __name__ == "__main__":
    main(sys.argv[1:])
