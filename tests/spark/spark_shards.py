"""Proves the Spark entry point in Spark local mode with Hive support.

Usage: python3 spark_shards.py BANK_SYNTH MODEL_PACK CLI_RUN_DIR

Runs `spark-submit spark/bank_synth_spark.py` for the plan of CLI_RUN_DIR (a `bank_synth
generate` run: same pack, target, rows and seed) in three shards into Hive tables, with
its --check (row counts, orphans by Spark SQL joins). Then reads every table back
through Hive's ParquetHiveSerDe (not Spark's native reader) and compares it, as a
multiset of rows, value by value, with the CLI run's Oracle CSV. Exits non-zero on any
difference.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hive_roundtrip import normalize  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATABASE = "core_synth"


def main(binary, pack, run_dir):
    with open(os.path.join(run_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    parameters = manifest["parameters"]
    work = tempfile.mkdtemp(prefix="bank_synth_spark_shards_")
    command = [
        "spark-submit", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
        "--driver-java-options", "-Duser.timezone=UTC",
        os.path.join(REPO, "spark", "bank_synth_spark.py"),
        "--bank_synth", binary, "--model", pack,
        "--target_table", parameters["target_table"],
        "--target_rows", str(parameters["target_rows"]),
        "--seed", str(manifest["seed"]),
        "--shards", "3", "--rows_per_task", "1000", "--database", DATABASE, "--check",
        "--parent_scale", str(parameters["parent_scale"]),
    ]
    if parameters["include_children"]:
        command.append("--include_children")
    job = subprocess.run(command, cwd=work, capture_output=True, text=True)
    print(job.stdout)
    if job.returncode != 0:
        print(job.stderr[-5000:])
        print(f"FAILED: spark-submit exited with {job.returncode}")
        return 1
    if "check: every table has its planned rows and no foreign key is orphaned" not in job.stdout:
        print("FAILED: the job's check did not pass")
        return 1

    os.chdir(work)  # the job's metastore_db and spark-warehouse
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("bank_synth spark shards check")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.sql.hive.convertMetastoreParquet", "false")
        .enableHiveSupport()
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    failures = []
    for table in manifest["generation_order"]:
        name = table.lower()
        df = spark.table(f"`{DATABASE}`.`{name}`")
        plan = df._jdf.queryExecution().executedPlan().toString()
        if "Scan hive" not in plan or "ParquetHiveSerDe" not in plan:
            failures.append(f"{name}: not read through Hive's ParquetHiveSerDe:\n{plan}")
        rows = sorted(tuple(normalize(v) for v in r) for r in df.collect())
        with open(os.path.join(run_dir, "oracle", f"{name}.csv"), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            expected = sorted(tuple(r) for r in reader)
        if [c.upper() for c in df.columns] != header:
            failures.append(f"{name}: columns {df.columns} != the CLI's {header}")
        if rows != expected:
            got = set(rows)
            missing = [r for r in expected if r not in got][:3]
            failures.append(f"{name}: {len(rows)} rows through Spark, {len(expected)} from the CLI; "
                            f"e.g. missing {missing}")
        print(f"{name:<16} {len(rows):>8} rows, the CLI's: {rows == expected}")
    spark.stop()
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("spark shards: every table written by Spark, read through ParquetHiveSerDe, equals the CLI run")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
