"""The `expire_specialist_requests` command: 7 days without an answer."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from directory.specialists import SpecialistRequest

from .test_specialist_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

Status = SpecialistRequest.Status


def run(*args):
    out = StringIO()
    call_command("expire_specialist_requests", *args, stdout=out)
    return out.getvalue()


def test_expires_after_seven_days_and_tells_the_association(people, make_request):
    item = make_request()
    SpecialistRequest.objects.exclude(pk=item.pk).filter(
        status__in=SpecialistRequest.WAITING
    ).update(waiting_since=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23), tick=False):
        assert "0 request(s) expired" in run()
    item.refresh_from_db()
    assert item.status == Status.PENDING
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1), tick=False):
        output = run()
    item.refresh_from_db()
    assert item.status == Status.EXPIRED
    assert f"#{item.pk}" in output
    recipients = {address for message in mail.outbox for address in message.to}
    assert people["member"].email in recipients  # the requester
    assert people["admin"].email in recipients  # the association's admins
    assert people["specialist"].email in recipients  # and the specialist, for their records


def test_proposed_dates_expire_too(make_request):
    item = make_request(Status.DATES_PROPOSED, proposed_start=timezone.localdate())
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        run()
    item.refresh_from_db()
    assert item.status == Status.EXPIRED


@pytest.mark.parametrize(
    "status", [Status.ACCEPTED, Status.COMPLETED, Status.DECLINED, Status.WITHDRAWN], ids=str
)
def test_answered_requests_never_expire(status, make_request):
    item = make_request(status)
    with time_machine.travel(timezone.now() + timedelta(days=60), tick=False):
        run()
    item.refresh_from_db()
    assert item.status == status


def test_dry_run_changes_nothing(make_request):
    item = make_request(waiting_since=timezone.now() - timedelta(days=10))
    output = run("--dry-run")
    item.refresh_from_db()
    assert item.status == Status.PENDING
    assert f"#{item.pk}" in output
    assert not mail.outbox


def test_running_twice_expires_once(make_request):
    item = make_request(waiting_since=timezone.now() - timedelta(days=10))
    run()
    sent = len(mail.outbox)
    run()
    assert len(mail.outbox) == sent
    item.refresh_from_db()
    assert item.status == Status.EXPIRED
