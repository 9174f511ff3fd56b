"""Projects of the associations, their progress updates, and their activities.

- ProjectPage lives under its AssociationPage; its timeline is a StreamField of
  phases (blocks.py) and its progress is computed on save (progress.py), stored so
  that lists filter and sort without reading the timeline.
- Activities are django-scheduler events (one calendar per association) extended by
  `Activity` (place, project, visibility, capacity); members register to one
  occurrence at a time (`Registration`), with a waiting list.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from modelcluster.fields import ParentalManyToManyField

from directory.models import AssociationPage, FieldOfActivity, Province

from .blocks import TimelineBlock
from .progress import compute_progress, phases_from_raw


# ---------------------------------------------------------------------------
# Funders and partners
# ---------------------------------------------------------------------------
class ProjectPartner(models.Model):
    """A funder or partner of projects (the European Union, a ministry, a commune…)."""

    FUNDER = "funder"
    PARTNER = "partner"
    KIND_CHOICES = [(FUNDER, _("funder")), (PARTNER, _("partner"))]

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES, default=PARTNER)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("funder or partner")
        verbose_name_plural = _("funders and partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------
# Project pages
# ---------------------------------------------------------------------------
class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    SUSPENDED = "suspended", _("suspended")


class ProjectPage(Page):
    """A project of an association: what it wants to change, where, with whom, and
    how far it has come (its timeline of phases and milestones)."""

    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association"),
        on_delete=models.SET_NULL,
        related_name="projects",
        editable=False,
        null=True,
        help_text=_("The association's page in the default language (set from the parent)."),
    )
    summary = models.TextField(_("summary"), max_length=600)
    objectives = RichTextField(_("objectives"), blank=True, features=["bold", "italic", "ul", "ol"])
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_mad = models.DecimalField(
        _("budget (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    funders = ParentalManyToManyField(
        ProjectPartner,
        verbose_name=_("funders"),
        blank=True,
        related_name="funded_projects",
        limit_choices_to={"kind": ProjectPartner.FUNDER},
    )
    partners = ParentalManyToManyField(
        ProjectPartner,
        verbose_name=_("partners"),
        blank=True,
        related_name="partner_projects",
        limit_choices_to={"kind": ProjectPartner.PARTNER},
    )
    beneficiaries_targeted = models.PositiveIntegerField(
        _("beneficiaries targeted"), null=True, blank=True
    )
    beneficiaries_reached = models.PositiveIntegerField(
        _("beneficiaries reached"), null=True, blank=True
    )
    provinces = ParentalManyToManyField(
        Province, verbose_name=_("prefectures and provinces"), blank=True, related_name="+"
    )
    areas = models.CharField(
        _("districts and communes"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Aïn Sebaâ–Hay Mohammadi, Aïn Chock"),
    )
    fields_of_activity = ParentalManyToManyField(
        FieldOfActivity, verbose_name=_("fields of activity"), blank=True, related_name="+"
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    timeline = StreamField(TimelineBlock(), verbose_name=_("timeline"), blank=True)

    # Computed from the timeline on save (progress.py).
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    behind_schedule = models.BooleanField(_("behind schedule"), default=False, editable=False)

    override_translatable_fields = [
        SynchronizedField(name)
        for name in (
            "association",
            "status",
            "start_date",
            "end_date",
            "budget_mad",
            "funders",
            "partners",
            "beneficiaries_targeted",
            "beneficiaries_reached",
            "provinces",
            "areas",
            "fields_of_activity",
            "cover_image",
        )
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("budget_mad"),
                FieldRowPanel(
                    [FieldPanel("beneficiaries_targeted"), FieldPanel("beneficiaries_reached")]
                ),
            ],
            heading=_("Status and figures"),
        ),
        MultiFieldPanel(
            [FieldPanel("provinces"), FieldPanel("areas"), FieldPanel("fields_of_activity")],
            heading=_("Where and what"),
        ),
        MultiFieldPanel(
            [FieldPanel("funders"), FieldPanel("partners")], heading=_("Funders and partners")
        ),
        FieldPanel("timeline"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("areas"),
        index.FilterField("status"),
        index.FilterField("association"),
    ]

    parent_page_types = ["directory.AssociationPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date must be on or after the start date.")}
            )

    def save(self, *args, **kwargs):
        result = self.compute_progress()
        self.progress = result.percent
        self.behind_schedule = result.behind_schedule
        if self.association_id is None and self.path:
            parent = self.get_parent()
            if parent is not None:
                self.association = (
                    AssociationPage.objects.filter(
                        translation_key=parent.translation_key, locale=Locale.get_default()
                    )
                    .only("pk")
                    .first()
                )
        return super().save(*args, **kwargs)

    def compute_progress(self, today=None):
        return compute_progress([child.value for child in self.timeline], today=today)

    @cached_property
    def progress_detail(self):
        return self.compute_progress()

    @cached_property
    def is_behind_schedule(self):
        """Behind schedule today (the stored flag dates from the last save: a
        milestone falls overdue without anyone saving the project)."""
        return compute_progress(phases_from_raw(self.timeline.raw_data)).behind_schedule

    @cached_property
    def source_page(self):
        if self.locale_id == Locale.get_default().pk:
            return self
        return ProjectPage.objects.get(
            translation_key=self.translation_key, locale=Locale.get_default()
        )

    def get_context(self, request, *args, **kwargs):
        from .views import project_context

        context = super().get_context(request, *args, **kwargs)
        context.update(project_context(request, self))
        return context


# ---------------------------------------------------------------------------
# Progress updates
# ---------------------------------------------------------------------------
class ProgressUpdate(models.Model):
    """A dated news item about a project, written by a member of its association."""

    project = models.ForeignKey(
        ProjectPage,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="updates",
        help_text=_("The project's page in the default language."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    published_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    phase = models.CharField(_("phase"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-published_on", "-created_at"]

    def __str__(self):
        return self.title

    @property
    def photos(self):
        """Every photo of the update, the lead one first (prefetch `more_photos`)."""
        lead = [self.photo] if self.photo_id else []
        return lead + [extra.image for extra in self.more_photos.all()]


class ProgressUpdatePhoto(models.Model):
    """A further photo of a progress update (the first one is `ProgressUpdate.photo`)."""

    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        on_delete=models.CASCADE,
        related_name="more_photos",
    )
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.image.title


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------
class Visibility(models.TextChoices):
    PUBLIC = "public", _("everyone")
    MEMBERS = "members", _("members of the association only")


class Frequency(models.TextChoices):
    NONE = "none", _("does not repeat")
    DAILY = "daily", _("every day")
    WEEKLY = "weekly", _("every week, on the chosen days")
    MONTHLY = "monthly", _("every month, on the same date")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public activities, plus members-only ones of the user's associations.

        Staff see everything; nobody else ever gets a members-only activity."""
        from directory.permissions import is_staff

        if user is not None and is_staff(user):
            return self
        public = Q(visibility=Visibility.PUBLIC)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        from directory.models import Membership

        mine = Membership.objects.filter(user=user).values("association_id")
        return self.filter(public | Q(association_id__in=mine))

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def overlapping(self, start, end):
        """Activities that may have an occurrence between `start` and `end`."""
        return self.filter(event__start__lt=end).filter(
            Q(event__rule__isnull=True, event__end__gt=start)
            | Q(event__rule__isnull=False, event__end_recurring_period__gte=start)
        )


class Activity(models.Model):
    """An activity of an association (a workshop, a meeting, a training), on its calendar.

    The date, recurrence and title live on the django-scheduler Event; this adds
    what the portal needs."""

    event = models.OneToOneField(
        "schedule.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="activity"
    )
    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    project = models.ForeignKey(
        ProjectPage,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    place = models.CharField(_("place"), max_length=255)
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # The recurrence as members chose it (the scheduler's Rule is derived from it,
    # and the iCalendar RRULE too).
    frequency = models.CharField(
        _("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.NONE
    )
    weekdays = models.CharField(_("days of the week"), max_length=30, blank=True)
    repeat_until = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Bumped under lock by every registration: serialises them on every database.
    registration_version = models.PositiveIntegerField(default=0, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["visibility", "association"])]

    def __str__(self):
        return self.event.title

    def get_absolute_url(self):
        return reverse("projects:activity", args=[self.pk])

    @property
    def title(self):
        return self.event.title

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC


class Registration(models.Model):
    """A person's place (or place on the waiting list) at one occurrence of an activity."""

    CONFIRMED = "confirmed"
    WAITING = "waiting"
    STATUS_CHOICES = [(CONFIRMED, _("registered")), (WAITING, _("on the waiting list"))]

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="registrations"
    )
    occurrence_start = models.DateTimeField(
        _("occurrence"), help_text=_("The original start of the occurrence.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="activity_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES)
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "occurrence_start", "user"], name="one_registration_per_person"
            )
        ]
        indexes = [models.Index(fields=["activity", "occurrence_start", "status"])]

    def __str__(self):
        return f"{self.user} – {self.activity} ({self.occurrence_start:%Y-%m-%d %H:%M})"
