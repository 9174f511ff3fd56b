"""Import associations from a CSV or XLSX file (see directory/importing.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from directory.importing import can_import, import_associations

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import associations from a CSV or XLSX file. Rows are matched on the registration "
        "number: existing associations are updated, others created. Every row is checked; "
        "rows with errors are skipped and listed by row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8, comma or semicolon) or .xlsx file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and tell what would change, without saving anything.",
        )
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="The account recorded as the author of the revisions.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: the user's, else the site's).",
        )

    def handle(self, *args, file, dry_run, user, language, **options):
        author = None
        if user:
            author = User.objects.filter(email__iexact=user.strip()).first()
            if author is None:
                raise CommandError(
                    _("No account has the e-mail address %(email)s.") % {"email": user}
                )
            if not can_import(author):
                raise CommandError(
                    _(
                        "%(email)s may not import associations: only superusers and staff "
                        "who may add associations to the directory."
                    )
                    % {"email": author.email}
                )
        language = language or (author and author.preferred_language) or None
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": file, "error": error.strerror or error}
            ) from error

        self.interactive = self.stdout.isatty()
        self.last_shown = -1
        with translation.override(language or translation.get_language()):
            report = import_associations(
                content, path.name, user=author, dry_run=dry_run, progress=self.show_progress
            )
            if self.interactive and report.total:
                self.stdout.write("")  # end the progress bar's line
            self.print_report(report)
            if report.file_errors:
                raise CommandError(
                    _("The file could not be imported: %(reason)s")
                    % {"reason": " ".join(report.file_errors)}
                )

    def show_progress(self, done, total):
        if not total:
            return
        percent = done * 100 // total
        if self.interactive:
            filled = done * BAR_WIDTH // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {percent:3d}% {done}/{total}", ending="")
            self.stdout.flush()
        elif percent // 10 > self.last_shown or done == total:
            # Without a terminal, one line per tenth keeps logs readable.
            self.last_shown = percent // 10
            self.stdout.write(f"{percent}% {done}/{total}")

    def print_report(self, report):
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
        if report.file_errors:
            return
        self.stdout.write(report.summary())
        if report.errors:
            self.stdout.write(_("Errors:"))
            for error in report.errors:
                self.stdout.write(self.style.ERROR(f"  {error}"))
