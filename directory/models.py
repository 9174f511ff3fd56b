"""The directory of member associations, memberships and applications to join.

Memberships live here rather than in `accounts`: they point to association pages,
and `accounts` must not depend on `directory` (architecture.md, imports go one way).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from modelcluster.fields import ParentalManyToManyField

from home.indexing import LOCALE_FIELD, locale_word
from home.text import search_keys

from . import listing  # noqa: F401 (its receivers keep `listed_locale` up to date)
from .taxonomies import FieldOfActivity, Province, Region, TargetGroup
from .validators import validate_founding_year, validate_moroccan_phone

__all__ = [
    "FieldOfActivity",
    "TargetGroup",
    "Region",
    "Province",
    "AssociationIndexPage",
    "AssociationPage",
    "Membership",
    "Invitation",
    "MembershipApplication",
]


def private_storage():
    """Files only staff may read (registration receipts): outside MEDIA_ROOT,
    never served by URL, only through a staff-only view."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


# ---------------------------------------------------------------------------
# Size
# ---------------------------------------------------------------------------
class BudgetBand(models.TextChoices):
    UNDER_50K = "lt50k", _("under 50,000 MAD")
    UNDER_250K = "50k-250k", _("50,000 to 250,000 MAD")
    UNDER_1M = "250k-1m", _("250,000 to 1,000,000 MAD")
    OVER_1M = "gt1m", _("over 1,000,000 MAD")


class SizeCategory(models.TextChoices):
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


def size_category(members=0, staff=0, volunteers=0, budget_band=""):
    """The size of an association, from its people and its budget.

    - large: 500 members or more, or 20 staff or more, or 200 volunteers or more,
      or an annual budget over 1,000,000 MAD;
    - small: fewer than 50 members, at most 2 staff, fewer than 20 volunteers and a
      budget under 250,000 MAD (or unknown);
    - medium: everything in between.
    """
    members, staff, volunteers = members or 0, staff or 0, volunteers or 0
    if members >= 500 or staff >= 20 or volunteers >= 200 or budget_band == BudgetBand.OVER_1M:
        return SizeCategory.LARGE
    if (
        members < 50
        and staff <= 2
        and volunteers < 20
        and budget_band in ("", BudgetBand.UNDER_50K, BudgetBand.UNDER_250K)
    ):
        return SizeCategory.SMALL
    return SizeCategory.MEDIUM


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------
class AssociationIndexPage(RoutablePageMixin, Page):
    """The directory of associations (/associations/), with its map and statistics."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["directory.AssociationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("directory of associations")

    @path("")
    def directory(self, request):
        from .browse import directory_view

        return directory_view(request, self)

    @path("map/")
    def map(self, request):
        from .browse import map_view

        return map_view(request, self)

    @path("statistics/")
    def statistics(self, request):
        from .browse import statistics_view

        return statistics_view(request, self)


class AssociationPageQuerySet(PageQuerySet):
    def listed(self, locale):
        """The associations the public directory of `locale` shows: live, public."""
        return self.filter(listed_locale=locale)


AssociationPageManager = PageManager.from_queryset(AssociationPageQuerySet)


class AssociationPage(Page):
    """A member association's public profile.

    Data fields (names, location, size, contacts…) are the same in every language;
    the short and long descriptions are translated.
    """

    # Names: both official names are shown and searchable whatever the language.
    name_ar = models.CharField(_("official name in Arabic"), max_length=255)
    name_fr = models.CharField(_("official name in French"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    other_spellings = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "One per line: Latin-script Moroccan Arabic (e.g. jam3iat sa3at lfarah), "
            "former names, common abbreviations."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    short_description = models.CharField(_("short description"), max_length=300, blank=True)
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h3"]
    )

    fields_of_activity = ParentalManyToManyField(
        FieldOfActivity, verbose_name=_("fields of activity"), blank=True, related_name="+"
    )
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="+"
    )

    # Location
    province = models.ForeignKey(
        Province,
        verbose_name=_("prefecture or province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("Set from the province."),
    )
    city = models.CharField(_("city or commune"), max_length=120, blank=True)
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(36.5)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-17.5), MaxValueValidator(-0.9)],
    )

    # Size
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("paid staff"), null=True, blank=True)
    volunteers_count = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    budget_band = models.CharField(
        _("annual budget"), max_length=10, choices=BudgetBand.choices, blank=True
    )
    size_category = models.CharField(
        _("size"), max_length=10, choices=SizeCategory.choices, editable=False, default="small"
    )
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[validate_founding_year]
    )

    # Legal identity
    registration_number = models.CharField(
        _("registration receipt number"),
        max_length=60,
        blank=True,
        help_text=_("The number of the final receipt (récépissé définitif) of the declaration."),
    )
    registration_date = models.DateField(_("registration receipt date"), null=True, blank=True)
    public_utility = models.BooleanField(_("recognised of public utility"), default=False)

    # Contacts
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[validate_moroccan_phone]
    )
    website = models.URLField(_("website"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)

    # Set by staff only (see wagtail_hooks: the panel is limited to editors).
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Staff checked the registration receipt and the contacts."),
    )
    # The locale whose public directory lists this page (live, no view restriction),
    # NULL otherwise: kept up to date by listing.py, read by `listed()`.
    listed_locale = models.ForeignKey(
        Locale,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the indexes below start with it
    )

    objects = AssociationPageManager()

    # The text fields above are data: synchronised, not translated.
    override_translatable_fields = [
        SynchronizedField(name)
        for name in (
            "name_ar",
            "name_fr",
            "acronym",
            "other_spellings",
            "province",
            "region",
            "city",
            "address",
            "registration_number",
            "phone",
        )
    ]

    content_panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_fr")]),
                FieldRowPanel([FieldPanel("acronym"), FieldPanel("founded_year")]),
                FieldPanel("other_spellings"),
                FieldPanel("logo"),
            ],
            heading=_("Identity"),
        ),
        FieldPanel("short_description"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("fields_of_activity"), FieldPanel("target_groups")],
            heading=_("Activity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("province"),
                FieldPanel("city"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Location"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("members_count"),
                        FieldPanel("staff_count"),
                        FieldPanel("volunteers_count"),
                    ]
                ),
                FieldPanel("budget_band"),
            ],
            heading=_("Size"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("registration_number"), FieldPanel("registration_date")]),
                FieldPanel("public_utility"),
                FieldPanel("verified", permission="directory.verify_association"),
            ],
            heading=_("Legal identity"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("website"),
                FieldRowPanel([FieldPanel("facebook_url"), FieldPanel("instagram_url")]),
                FieldRowPanel([FieldPanel("linkedin_url"), FieldPanel("youtube_url")]),
            ],
            heading=_("Contacts"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("name_ar", boost=3),
        index.SearchField("name_fr", boost=3),
        index.SearchField("acronym", boost=3),
        index.SearchField("other_spellings", boost=2),
        index.SearchField("short_description"),
        index.SearchField("description"),
        index.SearchField("city"),
        index.SearchField("search_text", boost=2),
        index.AutocompleteField("name_ar"),
        index.AutocompleteField("name_fr"),
        index.AutocompleteField("acronym"),
        index.AutocompleteField("search_text"),
        index.SearchField("search_subjects"),
        # Last, so that an alias's copied entry can swap it (home.indexing).
        index.SearchField(LOCALE_FIELD),
        index.AutocompleteField(LOCALE_FIELD),
        index.FilterField("region"),
        index.FilterField("province"),
        index.FilterField("size_category"),
        index.FilterField("verified"),
        index.FilterField("listed_locale"),
    ]

    parent_page_types = ["directory.AssociationIndexPage"]
    # Projects live under their association (projects/ owns the page type).
    subpage_types = ["projects.ProjectPage"]

    # Only this long without an update before the profile says it may be out of date.
    OUT_OF_DATE_AFTER = timedelta(days=365)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        permissions = [("verify_association", "Can mark an association as verified")]
        indexes = [
            models.Index(fields=["size_category"]),
            models.Index(fields=["registration_number"]),
            # The directory's filters and facet counts read this index alone
            # (PostgreSQL's index-only scans): page rows are wide with descriptions.
            models.Index(
                fields=[
                    "listed_locale",
                    "region",
                    "province",
                    "size_category",
                    "verified",
                    "page_ptr",
                ],
                name="directory_listing_idx",
            ),
            # A search's matches, by id: whether each is listed, and its facets'
            # values, from this index alone (search/associations.py).
            models.Index(
                fields=[
                    "page_ptr",
                    "listed_locale",
                    "region",
                    "province",
                    "size_category",
                    "verified",
                ],
                name="directory_search_idx",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.province_id:
            self.region_id = Province.objects.values_list("region_id", flat=True).get(
                pk=self.province_id
            )
        self.size_category = size_category(
            self.members_count, self.staff_count, self.volunteers_count, self.budget_band
        )
        if self.phone:
            from .validators import normalize_moroccan_phone

            self.phone = normalize_moroccan_phone(self.phone)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.title:
            self.title = self.name_ar

    @property
    def display_name(self):
        """The official name in the interface language (Arabic, otherwise French)."""
        if (get_language() or "ar").startswith("ar"):
            return self.name_ar or self.name_fr
        return self.name_fr or self.name_ar

    @property
    def other_name(self):
        """The official name in the other script, shown under the display name."""
        other = self.name_fr if self.display_name == self.name_ar else self.name_ar
        return other if other != self.display_name else ""

    @cached_property
    def source_page(self):
        """This association in the default locale (memberships point there)."""
        if self.locale_id == Locale.get_default().pk:
            return self
        return AssociationPage.objects.get(
            translation_key=self.translation_key, locale=Locale.get_default()
        )

    @property
    def last_updated(self):
        return self.last_published_at or self.latest_revision_created_at

    @property
    def may_be_out_of_date(self):
        updated = self.last_updated
        return bool(updated) and timezone.now() - updated > self.OUT_OF_DATE_AFTER

    @property
    def coordinates(self):
        """(latitude, longitude): the association's own, or its province's."""
        if self.latitude is not None and self.longitude is not None:
            return float(self.latitude), float(self.longitude), True
        return float(self.province.latitude), float(self.province.longitude), False

    def search_text(self):
        """Folded names and cross-script keys (home.text.search_keys), indexed so that
        every backend matches every spelling: with or without diacritics, accents or
        article, in Arabic script or Latin-script Moroccan Arabic."""
        return search_keys(
            self.name_ar, self.name_fr, self.acronym, self.other_spellings, self.city
        )

    def search_subjects(self):
        """Its fields of activity and its province, named in every language and
        folded, so that "santé Fès" or "صحة فاس" finds the health associations of
        Fès. Searched, not suggested (not an autocomplete field) and not ranked on."""
        fields = FieldOfActivity.search_keys_by_id()
        keys = [fields.get(pk, "") for pk in self._field_ids()]
        keys.append(Province.search_keys_by_id().get(self.province_id, ""))
        return " ".join(key for key in keys if key)

    def _field_ids(self):
        """Its fields of activity. An alias holds its source's, and Wagtail indexes an
        alias it saves before writing the alias's own: they are read from the source
        then (but not in a rebuild, which prefetches them)."""
        prefetched = "fields_of_activity" in getattr(self, "_prefetched_objects_cache", {})
        if self.alias_of_id and not prefetched:
            through = AssociationPage.fields_of_activity.through.objects
            source_fields = through.filter(associationpage_id=self.alias_of_id)
            # In the terms' order, as the page's own below.
            return FieldOfActivity.objects.filter(
                pk__in=source_fields.values("fieldofactivity_id")
            ).values_list("pk", flat=True)
        return [term.pk for term in self.fields_of_activity.all()]

    @classmethod
    def get_indexed_objects(cls):
        # search_subjects() reads each association's fields: one query per chunk.
        return super().get_indexed_objects().prefetch_related("fields_of_activity")

    def search_locale(self):
        """A word naming the page's locale, indexed (home.indexing.locale_word)."""
        return locale_word(self.locale_id)

    def other_spelling_list(self):
        return [line.strip() for line in self.other_spellings.splitlines() if line.strip()]


# ---------------------------------------------------------------------------
# Memberships and invitations
# ---------------------------------------------------------------------------
class MembershipQuerySet(models.QuerySet):
    def for_association(self, page):
        """Memberships of an association, whatever locale `page` is in."""
        return self.filter(association__translation_key=page.translation_key)

    def admins(self):
        return self.filter(role=Membership.ADMIN)


class Membership(models.Model):
    """A person acting for an association: its administrator or a member."""

    ADMIN = "admin"
    MEMBER = "member"
    ROLE_CHOICES = [(ADMIN, _("administrator")), (MEMBER, _("member"))]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text=_("Always the association's page in the default language."),
    )
    role = models.CharField(_("role"), max_length=10, choices=ROLE_CHOICES, default=MEMBER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association"], name="one_membership_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.association} ({self.get_role_display()})"

    @property
    def is_admin(self):
        return self.role == self.ADMIN


def _invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation by e-mail to join an association; the link is single-use and expires."""

    VALID_FOR = timedelta(days=14)

    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.ROLE_CHOICES, default=Membership.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.association}"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = timezone.now() + self.VALID_FOR
        super().save(*args, **kwargs)

    @property
    def is_usable(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


# ---------------------------------------------------------------------------
# Applications to join the network
# ---------------------------------------------------------------------------
class MembershipApplication(models.Model):
    """An association's application to join the network, reviewed by staff."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        INFO_REQUESTED = "info_requested", _("more information requested")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="association_applications",
    )
    applicant_position = models.CharField(
        _("position in the association"), max_length=120, blank=True
    )

    # The association, as declared by the applicant.
    name_ar = models.CharField(_("official name in Arabic"), max_length=255)
    name_fr = models.CharField(_("official name in French"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    short_description = models.CharField(_("short description"), max_length=300)
    fields_of_activity = models.ManyToManyField(
        FieldOfActivity, verbose_name=_("fields of activity"), related_name="+"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="+"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("prefecture or province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    city = models.CharField(_("city or commune"), max_length=120)
    address = models.TextField(_("address"), blank=True)
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("paid staff"), null=True, blank=True)
    volunteers_count = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    budget_band = models.CharField(
        _("annual budget"), max_length=10, choices=BudgetBand.choices, blank=True
    )
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[validate_founding_year]
    )
    registration_number = models.CharField(_("registration receipt number"), max_length=60)
    registration_date = models.DateField(_("registration receipt date"), null=True, blank=True)
    registration_receipt = models.FileField(
        _("registration receipt (PDF or image)"),
        storage=private_storage,
        upload_to="receipts/%Y/%m/",
    )
    email = models.EmailField(_("association's e-mail"))
    phone = models.CharField(_("phone"), max_length=20, validators=[validate_moroccan_phone])
    website = models.URLField(_("website"), blank=True)

    # Review
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewer_message = models.TextField(
        _("message to the applicant"),
        blank=True,
        help_text=_("The reason of a rejection, or the information you need."),
    )
    applicant_answer = models.TextField(_("the applicant's last answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.name_ar

    def possible_duplicates(self):
        """Associations that may be this one: same receipt number, or a near-identical
        name in the same province (compared without diacritics, case or articles)."""
        source = AssociationPage.objects.filter(locale=Locale.get_default())
        same_number = Q(registration_number__iexact=self.registration_number.strip())
        matches = list(source.filter(same_number)) if self.registration_number.strip() else []
        wanted = {_name_key(self.name_ar), _name_key(self.name_fr)} - {""}
        for page in source.filter(province__slug=self.province.slug).exclude(
            pk__in=[m.pk for m in matches]
        ):
            if wanted & {_name_key(page.name_ar), _name_key(page.name_fr)}:
                matches.append(page)
        return matches


ARTICLES = {
    "l",
    "la",
    "le",
    "les",
    "de",
    "des",
    "du",
    "d",
    "et",
    "و",
    "association",
    "assoc",
    "جمعيه",
}


def _name_key(name):
    """A name reduced to compare spellings: no diacritics, case, punctuation, articles,
    alef or ta marbuta variants."""
    from home.text import clean_query

    words = []
    for word in clean_query(name or "").split():
        word = word.translate(str.maketrans({"ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"}))
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        if word not in ARTICLES:
            words.append(word)
    return " ".join(words)


# Specialists of the social sector (directory/specialists.py), imported so that Django
# registers their models with this app.
from .specialists import (  # noqa: E402
    SpecialistApplication,
    SpecialistFeedback,
    SpecialistIndexPage,
    SpecialistPage,
    SpecialistRequest,
)

__all__ += [
    "SpecialistIndexPage",
    "SpecialistPage",
    "SpecialistApplication",
    "SpecialistRequest",
    "SpecialistFeedback",
]
