"""Specialists of the social sector: their pages, applications, requests and feedback.

The models are imported into directory/models.py (one app, one models module for
Django); their behaviour lives in specialist_* modules and requests.py.

    SpecialistIndexPage /<lang>/specialists/      the directory (specialist_views.directory)
    └── SpecialistPage  /<lang>/specialists/<slug>/  a profile, linked to a user account

Like associations, specialist pages are created in the default (Arabic) locale with
synchronised French and English aliases: the data fields (specialties, languages,
regions, availability…) are the same everywhere, the headline and the biography are
translated. Requests, feedback and applications point to default-locale pages.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from modelcluster.fields import ParentalManyToManyField

from home.text import search_keys

from .models import AssociationPage, private_storage
from .taxonomies import FieldOfActivity, Region


# ---------------------------------------------------------------------------
# Choices
# ---------------------------------------------------------------------------
class Skill(models.TextChoices):
    """Professional skills, beside the fields of activity shared with associations."""

    PROJECT_MANAGEMENT = "project-management", _("project management")
    FUNDRAISING = "fundraising", _("fundraising")
    ACCOUNTING = "accounting", _("accounting and finance")
    LEGAL = "legal", _("legal advice")
    COMMUNICATION = "communication", _("communication")
    EVALUATION = "evaluation", _("monitoring and evaluation")
    PSYCHOLOGY = "psychology", _("psychology")
    SOCIAL_WORK = "social-work", _("social work")
    DIGITAL = "digital", _("digital tools")
    TRAINING = "training", _("training and facilitation")


class Language(models.TextChoices):
    """Languages a specialist works in (codes of ISO 639)."""

    ARABIC = "ar", _("Arabic")
    DARIJA = "ary", _("Moroccan Arabic (Darija)")
    AMAZIGH = "zgh", _("Amazigh")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class Pricing(models.TextChoices):
    PRO_BONO = "pro-bono", _("pro bono")
    PAID = "paid", _("paid")
    BOTH = "both", _("pro bono or paid")


class ChoiceListField(models.CharField):
    """Several values of a fixed list of choices, stored as ",ar,fr," in one column.

    The delimiters make `__contains=",ar,"` an exact filter on every database, and a
    facet count over all values a single aggregate query (filters in
    specialist_views). In Python the value is a list; forms tick checkboxes.
    """

    def __init__(self, *args, choice_list=None, **kwargs):
        self.choice_list = choice_list
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choice_list"] = self.choice_list
        if kwargs.get("max_length") == 255:
            del kwargs["max_length"]
        kwargs.pop("blank", None)
        kwargs.pop("default", None)
        return name, path, args, kwargs

    @staticmethod
    def split(value):
        if value is None:
            return []
        if isinstance(value, (list, tuple)):
            return [str(item) for item in value if item]
        return [item for item in str(value).split(",") if item]

    def from_db_value(self, value, expression, connection):
        return self.split(value)

    def to_python(self, value):
        return self.split(value)

    def get_prep_value(self, value):
        if isinstance(value, (list, tuple)):
            items = self.split(value)
            return f",{','.join(items)}," if items else ""
        # A lookup value (",ar," for `__contains`) goes through unchanged.
        return super().get_prep_value(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        allowed = {choice for choice, _label in (self.choice_list or [])}
        for item in value or []:
            if allowed and item not in allowed:
                raise forms.ValidationError(
                    _("“%(value)s” is not one of the choices."), params={"value": item}
                )
        if not value and not self.blank:
            raise forms.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.choice_list or [],
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
            **{key: value for key, value in kwargs.items() if key in ("initial",)},
        )


def choice_labels(choices, values):
    """Labels of `values` in the order of `choices` (unknown values are skipped)."""
    labels = dict(choices)
    return [labels[value] for value in labels if value in (values or [])]


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------
class SpecialistIndexPage(Page):
    """The directory of specialists (/specialists/).

    The list itself is served by specialist_views.directory at the same address (a
    Django view that knows the filters); this page gives it a title, an introduction
    in each language and a place in the page tree for the profiles."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["directory.SpecialistPage"]
    max_count_per_parent = 1
    template = "directory/specialists/specialist_index_page.html"

    class Meta:
        verbose_name = _("directory of specialists")

    def serve(self, request, *args, **kwargs):
        from .specialist_views import directory_for_index

        return directory_for_index(request, self)


class SpecialistPage(Page):
    """A specialist of the social sector: their public profile.

    Created when staff approve an application (or by staff in the admin). The user
    account it belongs to receives the requests of associations. Data fields are
    synchronised across languages; the headline and biography are translated.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="specialist_pages",
        help_text=_("The person who receives the requests of associations."),
    )
    name = models.CharField(_("name"), max_length=120)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    headline = models.CharField(
        _("headline"),
        max_length=160,
        blank=True,
        help_text=_("One line: profession and experience, e.g. “Social worker, 12 years”."),
    )
    fields_of_activity = ParentalManyToManyField(
        FieldOfActivity, verbose_name=_("fields of activity"), blank=True, related_name="+"
    )
    skills = ChoiceListField(_("skills"), choice_list=Skill.choices)
    languages = ChoiceListField(_("languages spoken"), choice_list=Language.choices)
    regions = ParentalManyToManyField(
        Region, verbose_name=_("regions served"), blank=True, related_name="+"
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    works_remotely = models.BooleanField(_("works remotely"), default=True)
    works_in_person = models.BooleanField(_("works in person"), default=True)
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours available per month"),
        default=0,
        validators=[MaxValueValidator(200)],
    )
    next_available = models.DateField(
        _("next available date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when available now."),
    )
    pricing = models.CharField(
        _("pro bono or paid"), max_length=10, choices=Pricing.choices, default=Pricing.BOTH
    )
    biography = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link", "ul"])
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Staff checked the specialist's identity and qualifications."),
    )

    override_translatable_fields = [
        SynchronizedField(name)
        for name in ("name", "skills", "languages", "city", "pricing", "user", "photo")
    ]

    content_panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("name"),
                FieldPanel("headline"),
                FieldPanel("photo"),
                FieldPanel("user", permission="directory.verify_specialist"),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldPanel("fields_of_activity"), FieldPanel("skills"), FieldPanel("languages")],
            heading=_("Specialties"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("regions"),
                FieldPanel("city"),
                FieldRowPanel([FieldPanel("works_remotely"), FieldPanel("works_in_person")]),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("hours_per_month"), FieldPanel("next_available")]),
                FieldPanel("pricing"),
            ],
            heading=_("Availability"),
        ),
        FieldPanel("biography"),
        FieldPanel("verified", permission="directory.verify_specialist"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("name", boost=3),
        index.SearchField("headline", boost=2),
        index.SearchField("biography"),
        index.SearchField("city"),
        index.SearchField("search_text", boost=2),
        index.AutocompleteField("name"),
        index.FilterField("verified"),
    ]

    parent_page_types = ["directory.SpecialistIndexPage"]
    subpage_types = []
    template = "directory/specialists/specialist_page.html"

    class Meta:
        verbose_name = _("specialist")
        verbose_name_plural = _("specialists")
        permissions = [("verify_specialist", "Can verify a specialist and link their account")]

    def clean(self):
        super().clean()
        if not self.title:
            self.title = self.name

    def get_context(self, request, *args, **kwargs):
        from .specialist_views import profile_context

        context = super().get_context(request, *args, **kwargs)
        context["profile"] = profile_context(request, self)
        return context

    @cached_property
    def source_page(self):
        """This specialist in the default locale (requests point there)."""
        if self.locale_id == Locale.get_default().pk:
            return self
        return SpecialistPage.objects.get(
            translation_key=self.translation_key, locale=Locale.get_default()
        )

    @property
    def skill_labels(self):
        return choice_labels(Skill.choices, self.skills)

    @property
    def language_labels(self):
        return choice_labels(Language.choices, self.languages)

    def available_now(self, today=None):
        today = today or timezone.localdate()
        return self.hours_per_month > 0 and (
            self.next_available is None or self.next_available <= today
        )

    def _term_slugs(self, relation, slug_path):
        """The slugs of its fields of activity or regions. An alias holds its source's,
        and Wagtail indexes an alias it saves before writing the alias's own (as for
        AssociationPage._field_ids): they are read from the source then."""
        prefetched = relation in getattr(self, "_prefetched_objects_cache", {})
        if self.alias_of_id and not prefetched:
            through = getattr(SpecialistPage, relation).through.objects
            return list(
                through.filter(specialistpage_id=self.alias_of_id).values_list(slug_path, flat=True)
            )
        return [term.slug for term in getattr(self, relation).all()]

    def search_text(self):
        """Folded name, city, fields of activity, regions served, skills and languages
        in every interface language, so that a search for “comptabilité”, “accounting”
        or “محاسبة”, “enfance” or “الطفولة”, “Casablanca” or “الدار البيضاء” finds the
        specialist on any page language. The slug is the name in Latin letters when
        there is one (“nadia-el-alaoui” for “نادية العلوي”): “Nadia” finds her too."""
        from django.utils import translation

        words = [self.name, self.city]
        if self.slug and not self.slug.startswith("specialist"):
            words.append(self.slug.replace("-", " "))
        slugs = self._term_slugs("fields_of_activity", "fieldofactivity__slug")
        words += FieldOfActivity.objects.filter(slug__in=slugs).values_list("name", flat=True)
        slugs = self._term_slugs("regions", "region__slug")
        words += Region.objects.filter(slug__in=slugs).values_list("name", flat=True)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                words += [str(label) for label in self.skill_labels]
                words += [str(label) for label in self.language_labels]
        # The words as written too: the site search looks for other pages than
        # associations with the query unfolded ("الشرق", not "شرق").
        return " ".join([search_keys(*words), *(str(word) for word in words if word)])


# ---------------------------------------------------------------------------
# Applications to become a listed specialist
# ---------------------------------------------------------------------------
class SpecialistApplication(models.Model):
    """A person's application to be listed as a specialist, reviewed by staff."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="specialist_applications",
    )
    name = models.CharField(_("name"), max_length=120)
    headline = models.CharField(_("headline"), max_length=160)
    fields_of_activity = models.ManyToManyField(
        FieldOfActivity, verbose_name=_("fields of activity"), related_name="+"
    )
    skills = ChoiceListField(_("skills"), choice_list=Skill.choices)
    languages = ChoiceListField(_("languages spoken"), choice_list=Language.choices)
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions served"), blank=True, related_name="+"
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    works_remotely = models.BooleanField(_("works remotely"), default=True)
    works_in_person = models.BooleanField(_("works in person"), default=True)
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours available per month"), default=0, validators=[MaxValueValidator(200)]
    )
    pricing = models.CharField(
        _("pro bono or paid"), max_length=10, choices=Pricing.choices, default=Pricing.BOTH
    )
    biography = models.TextField(_("biography"), max_length=4000)
    cv = models.FileField(_("CV (PDF)"), storage=private_storage, upload_to="cv/%Y/%m/")

    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewer_message = models.TextField(_("message to the applicant"), blank=True)
    page = models.ForeignKey(
        SpecialistPage,
        verbose_name=_("specialist page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("specialist application")
        verbose_name_plural = _("specialist applications")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status="submitted"),
                name="one_pending_specialist_application",
            )
        ]

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------
# Requests and feedback
# ---------------------------------------------------------------------------
class SpecialistRequest(models.Model):
    """An association's request to a specialist. Its life is in directory/requests.py."""

    class Status(models.TextChoices):
        # In context: alone, "accepted" and "withdrawn" are the dates of an invitation
        # in the catalogues ("acceptée le", "تاريخ القبول"), not a request's state.
        PENDING = "pending", _("waiting for the specialist")
        DATES_PROPOSED = "dates_proposed", _("other dates proposed")
        ACCEPTED = "accepted", pgettext_lazy("specialist request status", "accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("specialist request status", "withdrawn")
        COMPLETED = "completed", _("completed")
        EXPIRED = "expired", _("expired")

    OPEN = (Status.PENDING, Status.DATES_PROPOSED, Status.ACCEPTED)
    # Waiting for an answer: expires after this long without one.
    WAITING = (Status.PENDING, Status.DATES_PROPOSED)
    ANSWER_WITHIN = timedelta(days=7)

    class Format(models.TextChoices):
        ADVICE = "advice", _("advice by phone or video call")
        MEETING = "meeting", _("a meeting in person")
        TRAINING = "training", _("a training session for the team")
        REVIEW = "review", _("a review of a document")
        SUPPORT = "support", _("support over several weeks")

    class Urgency(models.TextChoices):
        LOW = "low", _("not urgent")
        NORMAL = "normal", _("within a few weeks")
        HIGH = "high", _("urgent")

    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="specialist_requests",
        help_text=_("Always the association's page in the default language."),
    )
    specialist = models.ForeignKey(
        SpecialistPage,
        verbose_name=_("specialist"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    need = models.TextField(_("need"), max_length=3000)
    field = models.ForeignKey(
        FieldOfActivity,
        verbose_name=_("field of activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    expected_format = models.CharField(
        _("expected format"), max_length=20, choices=Format.choices, default=Format.ADVICE
    )
    preferred_start = models.DateField(_("preferred from"))
    preferred_end = models.DateField(_("preferred until"), null=True, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    proposed_start = models.DateField(_("proposed from"), null=True, blank=True)
    proposed_end = models.DateField(_("proposed until"), null=True, blank=True)
    specialist_message = models.TextField(
        _("message from the specialist"), blank=True, max_length=2000
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    waiting_since = models.DateTimeField(
        _("waiting for an answer since"), default=timezone.now, db_index=True
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The messages' thread opened on acceptance (community.messaging answers the
    # acceptance signal with it); a number, not a key: directory never imports messaging.
    conversation_thread = models.PositiveBigIntegerField(
        _("conversation"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("request to a specialist")
        verbose_name_plural = _("requests to specialists")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "specialist"],
                condition=Q(status__in=["pending", "dates_proposed", "accepted"]),
                name="one_open_request_per_association_and_specialist",
            ),
            models.CheckConstraint(
                condition=Q(preferred_end__isnull=True)
                | Q(preferred_end__gte=models.F("preferred_start")),
                name="specialist_request_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "waiting_since"])]

    def __str__(self):
        return f"{self.association} → {self.specialist} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def expires_at(self):
        if self.status not in self.WAITING:
            return None
        return self.waiting_since + self.ANSWER_WITHIN


class SpecialistFeedback(models.Model):
    """An association's rating of a completed request: shown on the specialist's
    profile once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        APPROVED = "approved", _("published")
        REJECTED = "rejected", _("not published")

    request = models.OneToOneField(
        SpecialistRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback on a specialist")
        verbose_name_plural = _("feedback on specialists")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.rating}/5 – {self.request}"
