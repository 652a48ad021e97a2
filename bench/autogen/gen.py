#!/usr/bin/python3
"""Generate one schema three ways for the autogenerate benchmark.

Writes into DIR:

  models/part_NNN.yaml   the schema as migrate model files, 100 tables each
  bench_models.py        the same schema as SQLAlchemy Core tables on one
                         MetaData (`metadata`), for Alembic's env.py
  schema.sql             the same schema as PostgreSQL DDL, to make a database
                         that both tools find in sync with their models (one
                         transaction per 500 tables)

N tables (default 1,000) of 5 to 10 columns: an autoincrementing integer
primary key, varchar, text, integer, bigint, numeric, boolean, date and
timestamptz columns, NOT NULL columns, server defaults (numbers, booleans,
strings, now()), foreign keys to earlier tables (some ON DELETE CASCADE) with
an index each, and some unique constraints and plain indexes. Every index and
constraint is named the same in the three forms. The same N gives the same
schema (fixed seed).

Usage: gen.py --tables N DIR
"""
import argparse
import os
import random

# (model type, SQLAlchemy type, SQL type, default kinds that fit)
TYPES = [
    ("varchar(%d)", "String(%d)", "varchar(%d)", ["string"]),
    ("text", "Text()", "text", []),
    ("integer", "Integer()", "integer", ["zero"]),
    ("bigint", "BigInteger()", "bigint", ["zero"]),
    ("numeric(12,2)", "Numeric(12, 2)", "numeric(12,2)", ["zero"]),
    ("boolean", "Boolean()", "boolean", ["false", "true"]),
    ("date", "Date()", "date", []),
    ("timestamptz", "DateTime(timezone=True)", "timestamp with time zone", ["now"]),
]

# default kind -> (model YAML value, SQLAlchemy server_default, SQL)
DEFAULTS = {
    "zero": ('"0"', 'text("0")', "0"),
    "false": ('"false"', 'text("false")', "false"),
    "true": ('"true"', 'text("true")', "true"),
    "string": ("\"''\"", "text(\"''\")", "''"),
    "now": ("now()", 'text("now()")', "now()"),
}


class Column:
    def __init__(self, name, mtype, satype, sqltype, nullable, default, fk=None):
        self.name = name
        self.mtype = mtype
        self.satype = satype
        self.sqltype = sqltype
        self.nullable = nullable
        self.default = default
        self.fk = fk  # (table, on_delete or None)


class Table:
    def __init__(self, name):
        self.name = name
        self.columns = []
        self.indexes = []  # (name, [columns])
        self.uniques = []  # (name, [columns])


def make_table(r, i):
    t = Table("t%05d" % i)
    ncols = r.randint(5, 10)
    refs = []
    if i >= 10:
        for _ in range(r.choice([0, 1, 1, 2])):
            target = r.randrange(0, i)
            if target not in refs:
                refs.append(target)
    for target in refs:
        ondelete = r.choice([None, None, "cascade"])
        name = "t%05d_id" % target
        t.columns.append(Column(name, "integer", "Integer()", "integer", False, None,
                                ("t%05d" % target, ondelete)))
        t.indexes.append(("ix_%s_%s" % (t.name, name), [name]))
    while len(t.columns) + 1 < ncols:
        k = len(t.columns) + 1
        mtype, satype, sqltype, kinds = r.choice(TYPES)
        if "%d" in mtype:
            n = r.choice([20, 50, 100, 255])
            mtype, satype, sqltype = mtype % n, satype % n, sqltype % n
        default = r.choice(kinds) if kinds and r.random() < 0.5 else None
        nullable = r.random() >= 0.4
        t.columns.append(Column("c%d" % k, mtype, satype, sqltype, nullable, default))
    plain = [c for c in t.columns if c.fk is None]
    if plain and r.random() < 0.1:
        c = r.choice(plain)
        if c.mtype.startswith("varchar") or c.mtype in ("integer", "bigint"):
            t.uniques.append(("uq_%s_%s" % (t.name, c.name), [c.name]))
    if plain and r.random() < 0.3:
        c = r.choice(plain)
        if c.mtype != "text":
            t.indexes.append(("ix_%s_%s" % (t.name, c.name), [c.name]))
    return t


def yaml_table(t):
    out = ["  %s:" % t.name, "    columns:", "      id: {type: integer, primary_key: true}"]
    for c in t.columns:
        attrs = ["type: %s" % (('"%s"' % c.mtype) if "," in c.mtype else c.mtype)]
        if not c.nullable:
            attrs.append("nullable: false")
        if c.default:
            attrs.append("default: %s" % DEFAULTS[c.default][0])
        if c.fk:
            attrs.append("references: %s.id" % c.fk[0])
            if c.fk[1]:
                attrs.append("on_delete: %s" % c.fk[1])
        out.append("      %s: {%s}" % (c.name, ", ".join(attrs)))
    if t.indexes:
        out.append("    indexes:")
        for name, cols in t.indexes:
            out.append("      - {name: %s, columns: [%s]}" % (name, ", ".join(cols)))
    if t.uniques:
        out.append("    unique:")
        for name, cols in t.uniques:
            out.append("      - {name: %s, columns: [%s]}" % (name, ", ".join(cols)))
    return "\n".join(out)


def sa_table(t):
    out = ["Table(", '    "%s", metadata,' % t.name,
           '    Column("id", Integer(), primary_key=True),']
    for c in t.columns:
        args = ['"%s"' % c.name, c.satype]
        if c.fk:
            fk = 'ForeignKey("%s.id", name="%s_%s_fkey"' % (c.fk[0], t.name, c.name)
            if c.fk[1]:
                fk += ', ondelete="%s"' % c.fk[1].upper()
            args.append(fk + ")")
        args.append("nullable=%s" % c.nullable)
        if c.default:
            args.append("server_default=%s" % DEFAULTS[c.default][1])
        out.append("    Column(%s)," % ", ".join(args))
    for name, cols in t.indexes:
        out.append('    Index("%s", %s),' % (name, ", ".join('"%s"' % x for x in cols)))
    for name, cols in t.uniques:
        out.append('    UniqueConstraint(%s, name="%s"),'
                   % (", ".join('"%s"' % x for x in cols), name))
    out.append(")")
    return "\n".join(out)


def sql_table(t):
    cols = ["id serial PRIMARY KEY"]
    for c in t.columns:
        s = "%s %s" % (c.name, c.sqltype)
        if c.default:
            s += " DEFAULT " + DEFAULTS[c.default][2]
        if not c.nullable:
            s += " NOT NULL"
        cols.append(s)
    for name, ccols in t.uniques:
        cols.append("CONSTRAINT %s UNIQUE (%s)" % (name, ", ".join(ccols)))
    for c in t.columns:
        if c.fk:
            s = "CONSTRAINT %s_%s_fkey FOREIGN KEY (%s) REFERENCES %s (id)" % (
                t.name, c.name, c.name, c.fk[0])
            if c.fk[1]:
                s += " ON DELETE " + c.fk[1].upper()
            cols.append(s)
    out = ["CREATE TABLE %s (\n  %s\n);" % (t.name, ",\n  ".join(cols))]
    for name, icols in t.indexes:
        out.append("CREATE INDEX %s ON %s (%s);" % (name, t.name, ", ".join(icols)))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description="Generate a schema for the autogenerate benchmark")
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("dir")
    args = ap.parse_args()
    r = random.Random(1000)
    tables = [make_table(r, i) for i in range(args.tables)]

    models = os.path.join(args.dir, "models")
    os.makedirs(models, exist_ok=True)
    for part in range(0, len(tables), 100):
        with open(os.path.join(models, "part_%03d.yaml" % (part // 100)), "w") as f:
            f.write("tables:\n")
            f.write("\n".join(yaml_table(t) for t in tables[part:part + 100]))
            f.write("\n")

    with open(os.path.join(args.dir, "bench_models.py"), "w") as f:
        f.write('"""%d generated tables (bench/autogen/gen.py)."""\n' % len(tables))
        f.write("from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, "
                "ForeignKey, Index,\n    Integer, MetaData, Numeric, String, Table, Text, "
                "UniqueConstraint, text)\n\n")
        f.write("metadata = MetaData()\n\n")
        f.write("\n".join(sa_table(t) for t in tables))
        f.write("\n")

    # One transaction per 500 tables: one for all 5,000 would need more locks
    # than PostgreSQL's default max_locks_per_transaction allows.
    with open(os.path.join(args.dir, "schema.sql"), "w") as f:
        for part in range(0, len(tables), 500):
            f.write("BEGIN;\n")
            f.write("\n".join(sql_table(t) for t in tables[part:part + 500]))
            f.write("\nCOMMIT;\n")


if __name__ == "__main__":
    main()
