"""Send the daily forum digests: `manage.py send_forum_digests` (cron or task worker,
once a day). Each person who chose the daily digest gets one e-mail with the posts
written since the last one in the topics and forums they follow."""

from django.core.management.base import BaseCommand

from community.forums.notifications import send_digests


class Command(BaseCommand):
    help = "Send the daily digest of new forum posts to the people who asked for it."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} forum digest(s) sent.")
