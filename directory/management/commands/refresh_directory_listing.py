"""Recompute which associations the public directory lists (`listed_locale`).

Saves, publications, view restrictions and moves keep it up to date by themselves
(directory/listing.py); run this after changing pages outside Wagtail (SQL, a
restored backup of some tables) or after loading data with signals off.
"""

from django.core.management.base import BaseCommand
from django.db.models import Count

from directory.listing import refresh_listing
from directory.models import AssociationPage


class Command(BaseCommand):
    help = "Recompute which associations the public directory lists, in every language."

    def handle(self, *args, **options):
        refresh_listing()
        rows = (
            AssociationPage.objects.exclude(listed_locale=None)
            .order_by("listed_locale__language_code")
            .values_list("listed_locale__language_code")
            .annotate(count=Count("pk"))
        )
        for language, count in rows:
            self.stdout.write(f"  {language}: {count} associations listed")
        hidden = AssociationPage.objects.filter(listed_locale=None).count()
        self.stdout.write(self.style.SUCCESS(f"Listing refreshed; {hidden} pages not listed."))
