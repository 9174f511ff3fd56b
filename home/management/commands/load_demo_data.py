"""Build the demo site in code, idempotently: `manage.py load_demo_data`.

Each app may ship a `demo` module with `add_arguments(parser)` and
`load(command, options)`; they run in APPS order, after the shared base.
"""

import time
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import connection, transaction

APPS = [
    "home",
    "accounts",
    "directory",
    "projects",
    "search",
    "community.forums",
    "community.messaging",
]
# accounts before directory: associations need their administrators.


def demo_modules():
    for app in APPS:
        try:
            yield import_module(f"{app}.demo")
        except ModuleNotFoundError as error:
            if error.name not in (app, f"{app}.demo"):
                raise


class Command(BaseCommand):
    help = "Load the demo site (pages, documents, demo accounts). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo home page already exists.",
        )
        for module in demo_modules():
            if hasattr(module, "add_arguments"):
                module.add_arguments(parser)

    def handle(self, *args, **options):
        from home.models import HomePage

        if options["if_empty"] and HomePage.objects.exists():
            self.stdout.write("Demo data already loaded.")
            return
        for module in demo_modules():
            started = time.monotonic()
            with transaction.atomic():
                module.load(self, options)
            if options["verbosity"] > 1:
                app = module.__name__.removesuffix(".demo")
                self.stdout.write(f"{app}: {time.monotonic() - started:.1f} s")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Thousands of rows were just written: the directory's counts read its
            # covering index alone only once VACUUM has marked the pages all-visible
            # (autovacuum does it later, if it runs), and the planner needs fresh
            # statistics. With 10,000 associations, counting the listed ones took
            # 35 ms (a sequential scan) before, 2 ms after. (VACUUM cannot run
            # inside a transaction: not in tests.)
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            if options["verbosity"] > 1:
                self.stdout.write(f"VACUUM (ANALYZE): {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
