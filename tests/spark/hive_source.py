"""Creates Hive tables from the sample bank, for `train --source hive --hive_spark`.

Usage: python3 hive_source.py PLAN_JSON SAMPLES_DIR WORK_DIR DATABASE
       python3 hive_source.py --job WORK_DIR DATABASE SAMPLES_DIR

PLAN_JSON is `bank_synth stream --plan` of a pack trained from SAMPLES_DIR: it gives each
table's Hive column types, those `generate` writes. In Spark local mode with Hive support,
with its metastore and warehouse in WORK_DIR, the script creates DATABASE and one Hive
table per sample file, loaded with the file's rows cast to those types:

* BRANCHES, CUSTOMERS and CARDS STORED AS ORC, the others STORED AS PARQUET;
* TRANSACTIONS PARTITIONED BY (channel), so its channel column comes last in Hive;
* BRANCHES with one more column, `tags array<string>`, of a type bank_synth does not
  model, and a table comment.

With --job (a second process: Derby lets one JVM at a time open the metastore) it runs
the sampling job itself (spark/bank_synth_hive_sample.py, with spark-submit) with
`percent:50` on CUSTOMERS with SSN restricted, and on TRANSACTIONS below 100 ACCOUNTS
given by key (as `--source both` hands over an Oracle parent's sample), and checks that
the staged CUSTOMERS hold no SSN value and the staged TRANSACTIONS are exactly those of
the 100 accounts in the sample file.

It also writes WORK_DIR/reference/<table>.csv: the sample files with their columns in the
Hive tables' order (TRANSACTIONS' channel last), every value as in the sample, so a pack
trained from them is the one the Hive tables should give.
"""

import csv
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hive_roundtrip import hive_session  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORC = {"branches", "customers", "cards"}
PARTITIONED = {"transactions": "channel"}


def hive_columns(table):
    """The table's columns in Hive's order: partition columns last."""
    part = PARTITIONED.get(table["name"])
    columns = [c for c in table["columns"] if c["name"] != part]
    return columns + [c for c in table["columns"] if c["name"] == part]


def write_reference(table, samples, out):
    with open(os.path.join(samples, f"{table['name']}.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    order = [c["name"].upper() for c in hive_columns(table)]
    with open(os.path.join(out, f"{table['name']}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(order)
        for r in rows:
            w.writerow([r[c] for c in order])


def main(plan_path, samples, work, database):
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    reference = os.path.join(work, "reference")
    os.makedirs(reference, exist_ok=True)
    spark = hive_session("bank_synth hive source tables", work)
    spark.sql("SET hive.exec.dynamic.partition.mode=nonstrict")
    spark.sql(f"CREATE DATABASE {database}")
    for table in plan["tables"]:
        name = table["name"]
        write_reference(table, samples, reference)
        raw = spark.read.option("header", "true").csv(os.path.join(samples, f"{name}.csv"))
        raw.createOrReplaceTempView(f"raw_{name}")
        part = PARTITIONED.get(name)
        columns = [c for c in hive_columns(table) if c["name"] != part]
        ddl = ", ".join(f"`{c['name']}` {c['type']}" for c in columns)
        extra, comment = "", ""
        if name == "branches":
            ddl += ", `tags` array<string>"
            extra = ", array(region, city) AS tags"
            comment = " COMMENT 'bank branches'"
        partition = f" PARTITIONED BY (`{part}` STRING)" if part else ""
        stored = "ORC" if name in ORC else "PARQUET"
        spark.sql(f"CREATE TABLE {database}.{name} ({ddl}){comment}{partition} STORED AS {stored}")
        select = ", ".join(
            f"CAST(NULLIF(`{c['name'].upper()}`, '') AS {c['type']}) AS `{c['name']}`" for c in columns)
        if part:
            select += f", NULLIF(`{part.upper()}`, '') AS `{part}`"
        into = f" PARTITION (`{part}`)" if part else ""
        spark.sql(f"INSERT OVERWRITE TABLE {database}.{name}{into} SELECT {select}{extra} FROM raw_{name}")
        print(f"{database}.{name}: {spark.table(f'{database}.{name}').count()} rows, {stored}"
              f"{', partitioned by ' + part if part else ''}")
    spark.stop()
    return 0


def check_the_job_alone(work, database, samples):
    """Runs the sampling job with a request of its own: CUSTOMERS with SSN restricted,
    and TRANSACTIONS below 100 ACCOUNTS given by key, as `--source both` hands over an
    Oracle parent's sample."""
    import pyarrow.parquet as pq

    with open(os.path.join(samples, "accounts.csv"), newline="", encoding="utf-8") as f:
        keys = [r["ACCOUNT_ID"] for r in csv.DictReader(f)][:100]
    with open(os.path.join(samples, "transactions.csv"), newline="", encoding="utf-8") as f:
        expected = sum(1 for r in csv.DictReader(f) if r["ACCOUNT_ID"] in set(keys))
    request = os.path.join(work, "request.json")
    with open(request, "w", encoding="utf-8") as f:
        json.dump({
            "tables": ["CUSTOMERS", "TRANSACTIONS"],
            "strategy": {"kind": "percent", "value": 50},
            "restricted": {"CUSTOMERS": ["SSN"]},
            "relationships": [{"child": "TRANSACTIONS", "child_columns": ["ACCOUNT_ID"],
                               "parent": "ACCOUNTS", "parent_columns": ["ACCOUNT_ID"]}],
            "outside_parents": [{"parent": "ACCOUNTS", "columns": ["ACCOUNT_ID"], "rows": [[k] for k in keys]}],
        }, f)
    staging = os.path.join(work, "staged")
    job = subprocess.run([
        "spark-submit", "--master", "local[1]", "--conf", "spark.ui.enabled=false",
        "--conf", f"spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName={work}/metastore_db",
        "--conf", f"spark.sql.warehouse.dir={work}/warehouse",
        os.path.join(REPO, "spark", "bank_synth_hive_sample.py"),
        "--database", database, "--request", request, "--staging", staging,
    ], cwd=work, capture_output=True, text=True)
    if job.returncode != 0:
        print(job.stderr[-3000:])
        print(f"FAILED: the sampling job exited with {job.returncode}")
        return 1
    customers = pq.read_table(os.path.join(staging, "customers.parquet"))
    if not 0 < customers.num_rows < 1000 or customers.column("ssn").null_count != customers.num_rows \
            or customers.column("first_name").null_count != 0:
        print("FAILED: the staged CUSTOMERS holds SSN values, lost other columns or is not a sample")
        return 1
    print(f"restricted columns staged as NULL: {customers.num_rows} of 1000 CUSTOMERS rows, no SSN read")
    accounts = pq.read_table(os.path.join(staging, "transactions.parquet")).column("account_id").to_pylist()
    if len(accounts) != expected or any(str(a) not in keys for a in accounts):
        print(f"FAILED: {len(accounts)} TRANSACTIONS staged below the 100 ACCOUNTS keys, {expected} in the sample")
        return 1
    print(f"outside parents: the {expected} TRANSACTIONS rows of 100 ACCOUNTS keys, as in the sample")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--job":
        sys.exit(check_the_job_alone(*sys.argv[2:]))
    sys.exit(main(*sys.argv[1:]))
