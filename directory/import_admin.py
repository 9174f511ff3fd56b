"""Wagtail admin: bulk import of associations.

Staff upload a CSV or XLSX file; the import runs as a background task
(django-tasks: inline with the immediate backend, in the worker in production)
and its progress and final report live in the cache under the import's id, so
any app server can show them. The uploaded bytes wait in the cache too, until the
task has read them: in production the cache is Redis, shared by app servers and
the worker (with the local-memory cache a separate worker would not see them).
"""

import logging
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from django_tasks import task
from django_tasks.base import TaskResultStatus

from .importing import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ImportFileError,
    ImportReport,
    can_import,
    detect_format,
)
from .importing import import_associations as run_importer
from .models import AssociationIndexPage

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
JOB_TIMEOUT = 24 * 60 * 60  # the report stays readable for a day
FILE_TIMEOUT = 60 * 60  # a queued file waits an hour for the worker at most


# ---------------------------------------------------------------------------
# Jobs in the cache
# ---------------------------------------------------------------------------
def _job_key(import_id):
    return f"directory:import:{import_id}"


def _file_key(import_id):
    return f"directory:import:{import_id}:file"


def get_job(import_id):
    return cache.get(_job_key(import_id))


def _save_job(import_id, job):
    cache.set(_job_key(import_id), job, JOB_TIMEOUT)


def start_import(content, filename, *, user, dry_run):
    """Store the file and the job, enqueue the task; returns the import id."""
    import_id = str(uuid.uuid4())
    _save_job(
        import_id,
        {
            "user_id": user.pk,
            "filename": filename,
            "dry_run": dry_run,
            "language": translation.get_language(),
            "status": "queued",
            "done": 0,
            "total": 0,
            "started_at": timezone.now().isoformat(),
            "report": None,
        },
    )
    cache.set(_file_key(import_id), content, FILE_TIMEOUT)
    try:
        result = run_import.enqueue(import_id)
    except Exception:
        logger.exception("Could not enqueue the import %s", import_id)
        _fail(import_id)
    else:
        if result.status == TaskResultStatus.FAILED:
            _fail(import_id)  # the immediate backend keeps the exception in the result
    return import_id


def _fail(import_id):
    job = get_job(import_id)
    if job is not None and job["status"] != "done":
        job["status"] = "failed"
        _save_job(import_id, job)
    cache.delete(_file_key(import_id))


@task()
def run_import(import_id):
    """Run a queued import, keeping its progress and report in the cache."""
    job = get_job(import_id)
    if job is None:
        return
    content = cache.get(_file_key(import_id))
    if content is None:
        _fail(import_id)
        return
    job["status"] = "running"
    _save_job(import_id, job)
    step = {"last": -1}

    def progress(done, total):
        # About a hundred cache writes per import, whatever its size.
        if done == total or done - step["last"] >= max(1, total // 100):
            step["last"] = done
            job.update(done=done, total=total)
            _save_job(import_id, job)

    try:
        with translation.override(job["language"]):
            report = run_importer(
                content,
                job["filename"],
                user=get_user_model().objects.filter(pk=job["user_id"]).first(),
                dry_run=job["dry_run"],
                progress=progress,
            )
    except Exception:
        logger.exception("Import %s failed", import_id)
        _fail(import_id)
        return
    job.update(status="done", report=report.as_dict())
    _save_job(import_id, job)
    cache.delete(_file_key(import_id))


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------
class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx, first sheet) or a CSV file in UTF-8 (comma or "
            "semicolon), 10 MB at most."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run"),
        required=False,
        help_text=gettext_lazy("Check the file and see what would change, without saving."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is too big (%(size)s MB): 10 MB at most.")
                % {"size": round(upload.size / 1024 / 1024, 1)}
            )
        content = upload.read()
        try:
            detect_format(content)
        except ImportFileError as error:
            raise ValidationError(str(error)) from error
        self.content = content
        return upload


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """The upload form, with the list of columns the file may have."""

    form_class = ImportForm
    template_name = "directory/admin/import.html"
    page_title = gettext_lazy("Import associations")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("directory_import"),
            form_is_multipart=True,
            submit_button_label=_("Import"),
            submit_button_active_label=_("Importing…"),
            columns=[
                {"name": name, "aliases": aliases[1:], "required": name in REQUIRED_COLUMNS}
                for name, aliases in COLUMNS.items()
            ],
            media=context["form"].media,
        )
        return context

    def form_valid(self, form):
        import_id = start_import(
            form.content,
            form.cleaned_data["file"].name,
            user=self.request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("directory_import_results", import_id=import_id)


def _own_job(request, import_id):
    """The job if it exists and is the user's (superusers see every job), else None."""
    job = get_job(import_id)
    if job is None or (job["user_id"] != request.user.pk and not request.user.is_superuser):
        return None
    return job


def _percent(job):
    if job["status"] == "done":
        return 100
    return job["done"] * 100 // job["total"] if job["total"] else 0


class ImportResultsView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """The progress of an import, then its report."""

    template_name = "directory/admin/import_results.html"
    page_title = gettext_lazy("Import associations")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("directory_import"), "label": self.get_page_title()},
            {"url": "", "label": _("Report")},
        ]

    def get_page_subtitle(self):
        return self.job["filename"] if self.job else ""

    def get(self, request, import_id):
        self.job = _own_job(request, import_id)
        if self.job is None:
            # 410 rather than 404: LocaleMiddleware redirects any 404 outside the
            # language prefixes to /<lang>/…, a public page.
            return TemplateResponse(
                request,
                "directory/admin/import_gone.html",
                self.get_gone_context(),
                status=410,
            )
        return super().get(request, import_id=import_id)

    def get_gone_context(self):
        return {
            "page_title": self.get_page_title(),
            "header_title": self.get_page_title(),
            "header_icon": self.get_header_icon(),
            "breadcrumbs_items": self.breadcrumbs_items
            + [{"url": reverse("directory_import"), "label": self.get_page_title()}],
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        report = ImportReport.from_dict(job["report"]) if job["report"] else None
        index = AssociationIndexPage.objects.filter(locale=Locale.get_default()).first()
        context.update(
            job=job,
            report=report,
            percent=_percent(job),
            import_id=kwargs["import_id"],
            status_url=reverse("directory_import_status", args=[kwargs["import_id"]]),
            directory_url=reverse("wagtailadmin_explore", args=[index.pk]) if index else "",
        )
        return context


def import_status(request, import_id):
    """JSON for import-progress.js: {status, done, total, percent}."""
    if not can_import(request.user):
        raise PermissionDenied
    job = _own_job(request, import_id)
    if job is None:
        return JsonResponse({"status": "unknown"}, status=410)
    return JsonResponse(
        {
            "status": job["status"],
            "done": job["done"],
            "total": job["total"],
            "percent": _percent(job),
        }
    )


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("directory/import/", ImportView.as_view(), name="directory_import"),
        path(
            "directory/import/<uuid:import_id>/",
            ImportResultsView.as_view(),
            name="directory_import_results",
        ),
        path(
            "directory/import/<uuid:import_id>/status/",
            import_status,
            name="directory_import_status",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        gettext_lazy("Import associations"),
        reverse("directory_import"),
        name="import-associations",
        icon_name="upload",
        order=850,
    )
