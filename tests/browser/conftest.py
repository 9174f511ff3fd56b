"""Real-browser tests: Playwright for Python driving Debian's Chromium.

Without Chromium they are skipped with the reason printed; under CI (the CI
variable set) a missing browser is an error, so they always run there.

`make test` runs them in a pytest process of their own (`-m browser`): between
tests the database is restored from its migrated state (serialized rollback), which
Django does not do reliably once other tests and Playwright share the process.
"""

import os
import shutil
from pathlib import Path

from django.core.management import call_command

import pytest

# Playwright's sync API runs an event loop in this thread; the live server and
# fixtures still use the ORM synchronously from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(config, items):
    problems = []
    if not os.path.exists(CHROMIUM):
        problems.append(
            "Chromium is not installed (apt-get install chromium, or `make browser-deps`)"
        )
    if not AXE.exists():
        problems.append("axe-core is missing (npm ci)")
    if not problems:
        return
    reason = "browser tests skipped: " + "; ".join(problems)
    if os.environ.get("CI"):
        raise pytest.UsageError(reason.replace("skipped", "required under CI but cannot run"))
    config.issue_config_time_warning(pytest.PytestWarning(reason), stacklevel=2)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the browser tests' database is a file, not shared-cache memory: the
    live servers (HTTP and, for live messages, Daphne) write from their own threads,
    and shared-cache tables lock without waiting ("database table is locked"), where
    a file in WAL mode lets readers through and makes writers wait their turn."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("browser-db") / "rabita-browser.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session", autouse=True)
def restorable_locales():
    """Browser tests restore the migrated database between tests (serialized
    rollback). wagtail-localize's post_save receiver on LocaleSynchronization does
    not skip raw saves and fails during that restore, so it is disconnected for
    these tests, which never change locale settings."""
    from django.db.models.signals import post_save

    from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

    post_save.disconnect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
    yield
    post_save.connect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db):
    """The demo site for a browser test.

    Browser tests run in transactions flushed afterwards and restored from a
    serialized snapshot. The first one makes sure the demo data is complete and
    takes that snapshot, so the following tests start from the whole demo site
    without loading it again.
    """
    from django.db import connection

    if not getattr(connection, "_rabita_demo_snapshot", False):
        call_command("load_demo_data", verbosity=0)
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        connection._rabita_demo_snapshot = True


@pytest.fixture
def page(browser, live_server, demo_site):
    # axe-core is injected as an inline script: let it past our strict CSP.
    context = browser.new_context(
        bypass_csp=True, locale="ar-MA", viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.base_url = live_server.url
    yield tab
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core on the current page; return serious and critical violations."""

    def run(tab):
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run
