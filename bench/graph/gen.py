#!/usr/bin/python3
"""Generate revision graphs for the graph benchmark.

Writes the same history twice under OUT: as a migrate project
(OUT/migrate/migrate.ini, OUT/migrate/migrations/versions/*.yaml) and as an
Alembic project (OUT/alembic/alembic.ini, OUT/alembic/migrations/versions/*.py)
for Debian's python3-alembic. Each revision carries one small op each way, so
that files have a realistic size.

Shapes:
  linear   one chain of N revisions
  branchy  200 diamonds: a branch point, two arms, a merge (N/200 revisions
           each), one after the other; 200 branch points and 200 merge points

Usage: gen.py --shape linear|branchy --count N OUT
"""
import argparse
import os
import random
import shutil
import sys

MIGRATE_TMPL = """revision: ${revision}
down_revision: ${down_revision}
branch_labels: ${branch_labels}
depends_on: ${depends_on}
message: ${message}
create_date: ${create_date}
upgrade: ${upgrades}
downgrade: ${downgrades}
"""

ALEMBIC_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa


revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''

ALEMBIC_ENV = '''from alembic import context

def run_migrations_offline():
    context.configure(url="sqlite://", target_metadata=None, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()

run_migrations_offline()
'''


def make_graph(shape, count, rng):
    """A list of (id, [down ids]) in creation order."""
    ids = set()

    def new_id():
        while True:
            i = "%012x" % rng.getrandbits(48)
            if i not in ids:
                ids.add(i)
                return i

    revs = []
    if shape == "linear":
        prev = None
        for _ in range(count):
            r = new_id()
            revs.append((r, [prev] if prev else []))
            prev = r
        return revs
    diamonds = 200
    per = count // diamonds
    if per < 4:
        sys.exit("branchy needs at least 800 revisions")
    prev = None
    for d in range(diamonds):
        size = per if d < diamonds - 1 else count - per * (diamonds - 1)
        bp = new_id()
        revs.append((bp, [prev] if prev else []))
        arm = size - 2
        tails = []
        for a in range(2):
            n = arm // 2 if a == 0 else arm - arm // 2
            last = bp
            for _ in range(n):
                r = new_id()
                revs.append((r, [last]))
                last = r
            tails.append(last)
        merge = new_id()
        revs.append((merge, tails))
        prev = merge
    return revs


def write_migrate(out, revs):
    root = os.path.join(out, "migrate")
    versions = os.path.join(root, "migrations", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "migrate.ini"), "w") as f:
        f.write("[migrate]\nscript_location = %(here)s/migrations\n"
                "url = sqlite:///%(here)s/bench.db\n")
    with open(os.path.join(root, "migrations", "script.yaml.tmpl"), "w") as f:
        f.write(MIGRATE_TMPL)
    for n, (rev, down) in enumerate(revs):
        if not down:
            d = "null"
        elif len(down) == 1:
            d = down[0]
        else:
            d = "[" + ", ".join(down) + "]"
        with open(os.path.join(versions, "%s_step_%d.yaml" % (rev, n)), "w") as f:
            f.write("revision: %s\n"
                    "down_revision: %s\n"
                    "branch_labels: []\n"
                    "depends_on: []\n"
                    "message: step %d\n"
                    "create_date: 2026-01-01 00:00:00.000000\n"
                    "upgrade:\n"
                    "  - add_column:\n"
                    "      table: items\n"
                    "      column: {name: c%d, type: integer, nullable: true}\n"
                    "downgrade:\n"
                    "  - drop_column: {table: items, column: c%d}\n"
                    % (rev, d, n, n, n))


def write_alembic(out, revs):
    root = os.path.join(out, "alembic")
    mig = os.path.join(root, "migrations")
    versions = os.path.join(mig, "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/migrations\n"
                "sqlalchemy.url = sqlite:///%(here)s/bench.db\n")
    with open(os.path.join(mig, "script.py.mako"), "w") as f:
        f.write(ALEMBIC_MAKO)
    with open(os.path.join(mig, "env.py"), "w") as f:
        f.write(ALEMBIC_ENV)
    for n, (rev, down) in enumerate(revs):
        if not down:
            d = "None"
        elif len(down) == 1:
            d = repr(down[0])
        else:
            d = repr(tuple(down))
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
                    "    op.add_column('items', sa.Column('c%d', sa.Integer(), nullable=True))\n\n\n"
                    "def downgrade():\n"
                    "    op.drop_column('items', 'c%d')\n"
                    % (n, rev, ", ".join(down), rev, d, n, n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shape", choices=["linear", "branchy"], required=True)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out")
    args = ap.parse_args()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    revs = make_graph(args.shape, args.count, random.Random(args.seed))
    write_migrate(args.out, revs)
    write_alembic(args.out, revs)
    print("%s: %d revisions (%s) in %s" % (args.shape, len(revs), args.shape, args.out))


if __name__ == "__main__":
    main()
