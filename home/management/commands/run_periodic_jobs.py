"""Run the portal's periodic jobs once: `manage.py run_periodic_jobs`.

Production runs it from cron (every 15 minutes, see the README); `make cron` runs it
by hand. Each job is an app's management command, safe to run at any time and as
often as wanted (each one knows what it already did): activity reminders the day
before, forum digests, delayed message notifications, expiry of unanswered requests
to specialists. A failing job is reported and does not stop the others.
"""

import logging

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger(__name__)

JOBS = [
    "send_activity_reminders",
    "send_forum_digests",
    "send_message_notifications",
    "expire_specialist_requests",
]


class Command(BaseCommand):
    help = "Run every periodic job once (reminders, digests, notifications, expiries)."

    def handle(self, *args, **options):
        available = get_commands()
        failed = []
        for name in JOBS:
            if name not in available:
                raise CommandError(f"periodic job {name!r} is not a management command")
            try:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
            except Exception:
                logger.exception("periodic job %s failed", name)
                failed.append(name)
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS(f"{len(JOBS)} periodic jobs run."))
