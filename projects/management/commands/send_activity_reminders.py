"""E-mail a reminder the day before, to everyone registered (not waiting) to an
occurrence starting tomorrow (Morocco time). Run it daily (cron / task worker);
running it twice sends nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from schedule.models import Occurrence

from projects.models import Registration
from projects.notifications import send_reminder
from projects.permissions import can_see_activity


class Command(BaseCommand):
    help = "Send tomorrow's activity reminders (once per registration)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        try:
            today = (
                datetime.date.fromisoformat(options["date"])
                if options.get("date")
                else timezone.localdate()
            )
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        tomorrow = today + datetime.timedelta(days=1)
        start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
        end = start + datetime.timedelta(days=1)
        # Dates planned for tomorrow, and dates moved to tomorrow from another day.
        tomorrow_dates = Q(occurrence_start__gte=start, occurrence_start__lt=end)
        for activity_id, original_start in Occurrence.objects.filter(
            start__gte=start, start__lt=end, cancelled=False, event__activity__isnull=False
        ).values_list("event__activity", "original_start"):
            tomorrow_dates |= Q(activity_id=activity_id, occurrence_start=original_start)
        due = (
            Registration.objects.filter(
                tomorrow_dates,
                status=Registration.CONFIRMED,
                reminded_at__isnull=True,
                activity__cancelled=False,
            )
            .select_related("user", "activity__event", "activity__association")
            .order_by("pk")
        )
        sent = 0
        for registration in due:
            activity = registration.activity
            occurrence = activity.event.occurrence_set.filter(
                original_start=registration.occurrence_start
            ).first()
            if occurrence is not None and occurrence.cancelled:
                continue
            starts = occurrence.start if occurrence is not None else registration.occurrence_start
            if not start <= starts < end:
                continue  # moved to another day: reminded the day before that one
            if not can_see_activity(registration.user, activity):
                continue  # members only now, and this person is not (or no longer) one

            if send_reminder(registration, starts):
                registration.reminded_at = timezone.now()
                registration.save(update_fields=["reminded_at"])
                sent += 1
        self.stdout.write(f"{sent} reminder(s) sent for {tomorrow.isoformat()}.")
