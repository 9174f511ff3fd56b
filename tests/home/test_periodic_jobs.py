"""`manage.py run_periodic_jobs`: every app's scheduled job, run once, each one safe to
repeat; one failing job does not stop the others."""

import io

from django.core.management import CommandError, call_command

import pytest

from home.management.commands import run_periodic_jobs

pytestmark = pytest.mark.django_db


def test_every_job_is_a_real_command_and_runs():
    out = io.StringIO()
    call_command("run_periodic_jobs", stdout=out)
    assert f"{len(run_periodic_jobs.JOBS)} periodic jobs run." in out.getvalue()
    # Nothing is done twice: a second run right after finds nothing new to send.
    again = io.StringIO()
    call_command("run_periodic_jobs", stdout=again)
    assert "0 forum digest(s) sent." in again.getvalue()


def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch):
    ran = []
    real = run_periodic_jobs.call_command

    def fake(name, **kwargs):
        ran.append(name)
        if name == "send_forum_digests":
            raise RuntimeError("mail server down")
        return real(name, **kwargs)

    monkeypatch.setattr(run_periodic_jobs, "call_command", fake)
    with pytest.raises(CommandError, match="send_forum_digests"):
        call_command("run_periodic_jobs", stdout=io.StringIO())
    assert ran == run_periodic_jobs.JOBS
