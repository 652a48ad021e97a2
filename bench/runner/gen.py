#!/usr/bin/python3
"""Generate 1,000 one-op revisions for the runner benchmark.

Writes the same linear history twice under OUT: as a migrate project
(OUT/migrate/migrate.ini, OUT/migrate/migrations/versions/*.yaml) and as an
Alembic project (OUT/alembic/alembic.ini, OUT/alembic/migrations/env.py and
versions/*.py) for Debian's python3-alembic. Every hundredth revision creates
a small table (id, name); the others add a nullable integer column to the
latest table, so no table comes near a database's column limit. Each
revision's downgrade undoes its op.

Both projects read the database URL from the environment (BENCH_URL): migrate
through $MIGRATE_URL, Alembic's env.py through os.environ.

Usage: gen.py [--count N] OUT
"""
import argparse
import os
import random
import shutil

ALEMBIC_ENV = '''import os

from alembic import context
from sqlalchemy import create_engine, pool


def run_migrations_online():
    engine = create_engine(os.environ["BENCH_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''


def make_ids(count, rng):
    ids, out = set(), []
    while len(out) < count:
        i = "%012x" % rng.getrandbits(48)
        if i not in ids:
            ids.add(i)
            out.append(i)
    return out


def op_of(n):
    """(kind, table, column) of revision n."""
    table = "t%d" % (n // 100)
    if n % 100 == 0:
        return ("create_table", table, None)
    return ("add_column", table, "c%d" % n)


def write_migrate(out, ids):
    root = os.path.join(out, "migrate")
    versions = os.path.join(root, "migrations", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "migrate.ini"), "w") as f:
        f.write("[migrate]\nscript_location = %(here)s/migrations\n")
    for n, rev in enumerate(ids):
        kind, table, col = op_of(n)
        if kind == "create_table":
            up = ("  - create_table:\n"
                  "      name: %s\n"
                  "      columns:\n"
                  "        id: {type: integer, primary_key: true}\n"
                  "        name: varchar(40)\n" % table)
            down = "  - drop_table: {name: %s}\n" % table
        else:
            up = ("  - add_column:\n"
                  "      table: %s\n"
                  "      column: {name: %s, type: integer}\n" % (table, col))
            down = "  - drop_column: {table: %s, column: %s}\n" % (table, col)
        with open(os.path.join(versions, "%s_step_%d.yaml" % (rev, n)), "w") as f:
            f.write("revision: %s\n"
                    "down_revision: %s\n"
                    "branch_labels: []\n"
                    "depends_on: []\n"
                    "message: step %d\n"
                    "create_date: 2026-01-01 00:00:00.000000\n"
                    "upgrade:\n%s"
                    "downgrade:\n%s"
                    % (rev, ids[n - 1] if n else "null", n, up, down))


def write_alembic(out, ids):
    root = os.path.join(out, "alembic")
    mig = os.path.join(root, "migrations")
    versions = os.path.join(mig, "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/migrations\n")
    with open(os.path.join(mig, "env.py"), "w") as f:
        f.write(ALEMBIC_ENV)
    for n, rev in enumerate(ids):
        kind, table, col = op_of(n)
        if kind == "create_table":
            up = ("op.create_table(%r, sa.Column('id', sa.Integer(), primary_key=True), "
                  "sa.Column('name', sa.String(40)))" % table)
            down = "op.drop_table(%r)" % table
        else:
            up = "op.add_column(%r, sa.Column(%r, sa.Integer(), nullable=True))" % (table, col)
            down = "op.drop_column(%r, %r)" % (table, col)
        down_rev = repr(ids[n - 1]) if n else "None"
        with open(os.path.join(versions, "%s_step_%d.py" % (rev, n)), "w") as f:
            f.write('"""step %d\n\nRevision ID: %s\nRevises: %s\n'
                    'Create Date: 2026-01-01 00:00:00.000000\n\n"""\n'
                    "from alembic import op\n"
                    "import sqlalchemy as sa\n\n\n"
                    "revision = %r\n"
                    "down_revision = %s\n"
                    "branch_labels = None\n"
                    "depends_on = None\n\n\n"
                    "def upgrade():\n"
                    "    %s\n\n\n"
                    "def downgrade():\n"
                    "    %s\n"
                    % (n, rev, ids[n - 1] if n else "", rev, down_rev, up, down))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out")
    args = ap.parse_args()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    ids = make_ids(args.count, random.Random(args.seed))
    write_migrate(args.out, ids)
    write_alembic(args.out, ids)
    print("%d revisions in %s (head %s)" % (len(ids), args.out, ids[-1]))


if __name__ == "__main__":
    main()
