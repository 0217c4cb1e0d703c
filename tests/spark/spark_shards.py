"""Proves the Spark entry point in Spark local mode with Hive support.

Usage: python3 spark_shards.py BANK_SYNTH MODEL_PACK CLI_RUN_DIR

Runs `spark-submit spark/bank_synth_spark.py` for the plan of CLI_RUN_DIR (a `bank_synth
generate` run: same pack, target, rows and seed) in three shards into Hive tables, with
its --check (row counts, orphans by Spark SQL joins). Then reads every table back
through Hive's ParquetHiveSerDe (not Spark's native reader) and compares it, as a
multiset of rows, value by value, with the CLI run's Oracle CSV (hive_roundtrip's
comparison). Exits non-zero on any difference.
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hive_roundtrip import compare_with_run, hive_session, verdict  # noqa: E402

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
    spark = hive_session("bank_synth spark shards check")
    failures = compare_with_run(spark, DATABASE, manifest, run_dir)
    spark.stop()
    return verdict(failures, "spark shards: every table written by Spark, read through ParquetHiveSerDe, equals the CLI run")


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
