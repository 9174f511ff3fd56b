import os
import subprocess
import sys

from django.conf import settings

import pytest

ROOT = settings.BASE_DIR


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not reach the deploy checks.
        if k
        not in (
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "k8#Zq!v2-3bTnW9x@Lr5^Yp7&Hd1*Fs4%Gj6(Mc0)Ne_Qa+Ub=Vi{Xo}Ty|Rw",
    "ALLOWED_HOSTS": "rabita.ma",
}


def test_production_passes_the_deploy_checks_with_zero_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_embedded_default_needs_no_environment():
    assert settings.DATABASES["default"]["ENGINE"] in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    )
    assert (
        settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == "wagtail.search.backends.database"
    )


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_language_has_a_complete_catalogue(language):
    """No empty or fuzzy entry in the project's catalogues (msgfmt counts them)."""
    po_file = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr
