"""Oracle SQL helpers for the Oracle-source tests, built on sqlglot's Oracle dialect.

  python3 tests/oracle/oracle_sql.py record DDL.sql > catalog.json
      What Oracle's dictionary would answer to bank_synth's two catalog queries after
      DDL.sql ran in schema CORE: the rows of ALL_TAB_COLUMNS and of ALL_CONSTRAINTS /
      ALL_CONS_COLUMNS, as text cells (NULL as null), derived by sqlglot's parse of
      the DDL and Oracle's documented dictionary conventions, not by bank_synth.

  python3 tests/oracle/oracle_sql.py check QUERIES.json
      Parses every query (a JSON list of strings) with sqlglot's Oracle dialect and
      fails on any that does not parse as a SELECT; prints one line per query.
"""

import json
import re
import sys

import sqlglot
from sqlglot import exp


def oracle_type(kind: exp.DataType):
    """(DATA_TYPE, DATA_PRECISION, DATA_SCALE, CHAR_LENGTH) as ALL_TAB_COLUMNS shows them."""
    text = kind.sql(dialect="oracle")
    m = re.fullmatch(r"([A-Z0-9_ ]+?)(?:\((\d+)(?:\s*,\s*(\d+))?(?:\s+(CHAR|BYTE))?\))?", text)
    if not m:
        raise SystemExit(f"unexpected type {text}")
    name, a, b, _unit = m.groups()
    if name == "NUMBER":
        return "NUMBER", a, b if b is not None else ("0" if a else None), "0"
    if name in ("VARCHAR2", "NVARCHAR2", "CHAR", "NCHAR"):
        return name, None, None, a
    if name == "TIMESTAMP":
        # TIMESTAMP(n): DATA_TYPE keeps the fractional digits, DATA_SCALE holds them.
        digits = a or "6"
        return f"TIMESTAMP({digits})", None, digits, "0"
    if name in ("DATE", "CLOB", "BLOB", "BINARY_DOUBLE", "BINARY_FLOAT"):
        return name, None, None, "0"
    raise SystemExit(f"no dictionary convention for type {text}")


def record(path: str) -> dict:
    owner = "CORE"
    columns, constraints = [], []
    for statement in sqlglot.parse(open(path).read(), read="oracle"):
        if isinstance(statement, exp.Create):
            table = statement.this.this.name
            for e in statement.this.expressions:
                if isinstance(e, exp.ColumnDef):
                    not_null = any(
                        isinstance(c.kind, exp.NotNullColumnConstraint) for c in e.constraints
                    )
                    dtype, precision, scale, length = oracle_type(e.kind)
                    columns.append(
                        [table, e.name, dtype, precision, scale, length, "N" if not_null else "Y"]
                    )
                elif isinstance(e, exp.Constraint):
                    pk = e.find(exp.PrimaryKey)
                    for column in pk.expressions:
                        constraints.append(
                            [table, e.name, "P", column.name, None, None, None]
                        )
        elif isinstance(statement, exp.Alter):
            table = statement.this.name
            for constraint in statement.find_all(exp.Constraint):
                fk = constraint.find(exp.ForeignKey)
                reference = fk.args["reference"].this
                parent = reference.this.name
                for child, parent_column in zip(fk.expressions, reference.expressions):
                    constraints.append(
                        [table, constraint.name, "R", child.name, owner, parent, parent_column.name]
                    )
    # The catalog queries' ORDER BY: columns by table then position (the DDL's order);
    # constraints by table, type, name, then position.
    columns.sort(key=lambda r: r[0])
    order = {id(r): i for i, r in enumerate(constraints)}
    constraints.sort(key=lambda r: (r[0], r[2], r[1], order[id(r)]))
    return {"owner": owner, "columns": columns, "constraints": constraints}


def check(path: str) -> None:
    queries = json.load(open(path))
    bad = 0
    for q in queries:
        try:
            tree = sqlglot.parse_one(q, read="oracle", error_level=sqlglot.ErrorLevel.RAISE)
            ok = isinstance(tree, exp.Select)
            print(("ok     " if ok else "NOT A SELECT ") + q[:100])
            bad += not ok
        except sqlglot.errors.ParseError as e:
            print(f"INVALID {q}\n  {e}")
            bad += 1
    print(f"{len(queries)} queries, {bad} invalid")
    sys.exit(1 if bad or not queries else 0)


if __name__ == "__main__":
    if sys.argv[1] == "record":
        catalog = record(sys.argv[2])
        rows = lambda key: ",\n".join("    " + json.dumps(r) for r in catalog[key])
        print(
            f'{{\n  "owner": "{catalog["owner"]}",\n'
            f'  "columns": [\n{rows("columns")}\n  ],\n'
            f'  "constraints": [\n{rows("constraints")}\n  ]\n}}'
        )
    else:
        check(sys.argv[2])
