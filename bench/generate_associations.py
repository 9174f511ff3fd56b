"""Time `generate_associations(N)` on a fresh database (the issue's target: 10,000 in < 3 min).

Usage: .venv/bin/python bench/generate_associations.py [N]   (default 10000)

Without DATABASE_URL, a temporary SQLite file is created, migrated and deleted
afterwards. With DATABASE_URL (PostgreSQL), that database must exist and be empty;
it is migrated and left as is (drop it afterwards):

    createdb -h 127.0.0.1 -U postgres rabita_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rabita_bench \\
        .venv/bin/python bench/generate_associations.py
    dropdb -h 127.0.0.1 -U postgres rabita_bench

The test settings are used (database search backend, immediate tasks), after the base
demo site (home page, directory, demo accounts). Only the generation is timed; the
script then checks the page tree and runs the generation again, which must create
nothing.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check_tree(Page):
    """What treebeard's find_problems() checks, in one query (it runs one per page).

    Depth matches the path, every page's parent exists, numchild counts the children,
    paths are unique.
    """
    rows = list(Page.objects.values_list("path", "depth", "numchild"))
    step = Page.steplen
    paths = {path for path, _, _ in rows}
    children = {}
    problems = []
    if len(paths) != len(rows):
        problems.append("duplicate paths")
    for path, depth, _ in rows:
        if len(path) != depth * step:
            problems.append(f"{path}: depth {depth}")
        if depth > 1:
            parent = path[:-step]
            if parent not in paths:
                problems.append(f"{path}: no parent")
            children[parent] = children.get(parent, 0) + 1
    for path, _, numchild in rows:
        if children.get(path, 0) != numchild:
            problems.append(f"{path}: numchild {numchild}, {children.get(path, 0)} children")
    return problems


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        handle, temporary = tempfile.mkstemp(prefix="rabita-bench-", suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from wagtail.models import Page

    from directory.generate import generate_associations
    from directory.models import AssociationPage

    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("load_demo_data", verbosity=0)
        print(f"migrate + base demo data: {time.monotonic() - started:.1f} s")

        pages_before = Page.objects.count()
        started, cpu_started = time.monotonic(), time.process_time()
        created = generate_associations(count)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
        pages_created = Page.objects.count() - pages_before
        print(
            f"generate_associations({count}): {created} associations, "
            f"{pages_created} pages (with their aliases) in {elapsed:.1f} s "
            f"({'met' if elapsed < 180 else 'MISSED'}: < 180 s; "
            f"this process used {cpu:.1f} s of CPU, the rest is the database and other load)"
        )

        started = time.monotonic()
        problems = check_tree(Page)
        print(f"tree check: {len(problems)} problems ({time.monotonic() - started:.1f} s)")
        for problem in problems[:10]:
            print(f"    {problem}")
        started = time.monotonic()
        again = generate_associations(count)
        print(f"second run: {again} created in {time.monotonic() - started:.1f} s")
        print(f"associations in every language: {AssociationPage.objects.count()}")
    finally:
        connection.close()
        if temporary:
            for suffix in ("", "-wal", "-shm"):
                Path(temporary + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
