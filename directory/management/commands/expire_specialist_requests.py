"""Expire requests to specialists left unanswered for 7 days (run it daily, e.g. cron).

The association is told by e-mail and in its inbox (directory/requests.py).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from directory.requests import expire_overdue
from directory.specialists import SpecialistRequest


class Command(BaseCommand):
    help = "Expire requests to specialists left unanswered for 7 days and tell the associations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the requests that would expire, without changing anything.",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        if dry_run:
            overdue = SpecialistRequest.objects.filter(
                status__in=SpecialistRequest.WAITING,
                waiting_since__lte=now - SpecialistRequest.ANSWER_WITHIN,
            ).select_related("association", "specialist")
            for item in overdue:
                self.stdout.write(f"  would expire #{item.pk}: {item}")
            self.stdout.write(f"{len(overdue)} request(s) would expire.")
            return
        expired = expire_overdue(now)
        for item in expired:
            self.stdout.write(f"  expired #{item.pk}: {item}")
        self.stdout.write(self.style.SUCCESS(f"{len(expired)} request(s) expired."))
