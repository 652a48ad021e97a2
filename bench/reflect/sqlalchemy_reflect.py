#!/usr/bin/python3
"""Reflect a PostgreSQL database with SQLAlchemy's MetaData.reflect (the
comparison for `migrate reflect` in bench/reflect/run.sh).

Prints the number of tables, columns, indexes and foreign keys found and the
number of statements sent. Run with Debian's /usr/bin/python3 and its
python3-sqlalchemy and python3-psycopg2.

Usage: sqlalchemy_reflect.py URL
"""
import sys
import warnings

import sqlalchemy as sa


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sqlalchemy_reflect.py URL")
    url = sys.argv[1]
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    engine = sa.create_engine(url)
    statements = 0

    @sa.event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        nonlocal statements
        statements += 1

    meta = sa.MetaData()
    with warnings.catch_warnings():
        # "Skipped unsupported reflection of expression-based index": one a
        # table for the generated expression indexes, which it leaves out
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        meta.reflect(bind=engine)
    columns = sum(len(t.columns) for t in meta.tables.values())
    indexes = sum(len(t.indexes) for t in meta.tables.values())
    fks = sum(len(t.foreign_key_constraints) for t in meta.tables.values())
    print("%d tables, %d columns, %d indexes, %d foreign keys, %d statements"
          % (len(meta.tables), columns, indexes, fks, statements))


if __name__ == "__main__":
    main()
