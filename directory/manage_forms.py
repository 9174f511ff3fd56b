"""Forms of the association admins' pages: the profile edit form and the invitation form."""

import html
import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

import nh3

from accounts.validators import AVATAR_TYPES, validate_avatar

from .invitations import account_for
from .models import (
    AssociationPage,
    FieldOfActivity,
    Invitation,
    Membership,
    Province,
    Region,
    TargetGroup,
)
from .validators import normalize_moroccan_phone

# The rich text features of AssociationPage.description, as HTML an admin may type.
DESCRIPTION_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ol", "ul", "li", "h3"}
DESCRIPTION_MAX_LENGTH = 20_000
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
# Typed text counts as HTML only when it uses one of the tags the editor knows.
_KNOWN_TAG = re.compile(r"</?(?:" + "|".join(sorted(DESCRIPTION_TAGS)) + r")\b[^>]*>", re.I)
_BLOCK_TAG = re.compile(r"^<(?:p|ol|ul|h3)\b", re.I)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_BREAK = re.compile(r"<br\s*/?>")


def description_to_text(value):
    """Stored rich text → what the textarea shows.

    Paragraphs without formatting become plain text (an empty line between
    paragraphs); richer HTML is shown as HTML, which the form accepts back.
    """
    value = (value or "").strip()
    if not value:
        return ""
    tags = {match.group(0).lower() for match in _TAG.finditer(value)}
    plain = tags <= {"<p>", "</p>", "<br>", "<br/>", "<br />"}
    if plain and not _PARAGRAPH.sub("", value).strip():
        paragraphs = [_BREAK.sub("\n", p).strip() for p in _PARAGRAPH.findall(value)]
        return "\n\n".join(html.unescape(p) for p in paragraphs if p)
    return value


def text_to_description(text):
    """What the admin typed → rich text HTML.

    Plain text: escaped, an empty line starts a new paragraph, a line break stays a
    line break. Text with HTML tags: cleaned down to the editor's features (nh3).
    """
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if _KNOWN_TAG.search(text):
        cleaned = nh3.clean(
            text,
            tags=DESCRIPTION_TAGS,
            attributes={"a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            link_rel=None,
        ).strip()
        if cleaned and not _BLOCK_TAG.match(cleaned):
            cleaned = f"<p>{cleaned}</p>"
        return cleaned
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(
        "<p>{}</p>".format("<br/>".join(escape(line.strip()) for line in p.split("\n")))
        for p in paragraphs
    )


class TermsField(forms.ModelMultipleChoiceField):
    """Checkboxes of taxonomy terms (default-locale rows), named in the active language."""

    def __init__(self, model, **kwargs):
        self.model = model
        self.names = {}
        # The default locale's terms are set per form (the locale is read from the database).
        super().__init__(
            model.objects.none(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            **kwargs,
        )

    def label_from_instance(self, obj):
        return self.names.get(obj.slug, obj.name)


def grouped_provinces():
    """Select choices: prefectures and provinces in optgroups by region, in the active language."""
    region_names = Region.localized_names()
    province_names = Province.localized_names()
    regions = list(Region.source_terms().order_by("code").values_list("pk", "slug"))
    provinces = {}
    for pk, slug, region_id in Province.source_terms().values_list("pk", "slug", "region_id"):
        provinces.setdefault(region_id, []).append((pk, province_names.get(slug, slug)))
    choices = [("", _("Choose a prefecture or province"))]
    for region_id, slug in regions:
        options = sorted(provinces.get(region_id, []), key=lambda choice: choice[1])
        if options:
            choices.append((region_names.get(slug, slug), options))
    return choices


URL_ATTRS = {"dir": "ltr", "inputmode": "url", "placeholder": "https://"}


class AssociationEditForm(forms.ModelForm):
    """The association's profile as its admins edit it on the site (no "verified")."""

    description = forms.CharField(
        label=_("description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_(
            "Leave an empty line between paragraphs. Simple formatting in HTML is "
            "accepted: bold, italic, links, lists and subheadings (h3)."
        ),
    )
    fields_of_activity = TermsField(FieldOfActivity, label=_("fields of activity"))
    target_groups = TermsField(TargetGroup, label=_("target groups"))
    logo_file = forms.FileField(
        label=_("new logo"),
        required=False,
        validators=[validate_avatar],
        widget=forms.FileInput(attrs={"accept": ",".join(sorted(AVATAR_TYPES))}),
        help_text=_("A JPEG, PNG, WebP or GIF image of at most 2 MB."),
    )
    remove_logo = forms.BooleanField(label=_("remove the current logo"), required=False)
    website = forms.URLField(
        label=_("website"), required=False, assume_scheme="https", widget=forms.URLInput(URL_ATTRS)
    )
    facebook_url = forms.URLField(
        label=_("Facebook page"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(URL_ATTRS),
    )
    instagram_url = forms.URLField(
        label=_("Instagram"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(URL_ATTRS),
    )
    linkedin_url = forms.URLField(
        label=_("LinkedIn"), required=False, assume_scheme="https", widget=forms.URLInput(URL_ATTRS)
    )
    youtube_url = forms.URLField(
        label=_("YouTube"), required=False, assume_scheme="https", widget=forms.URLInput(URL_ATTRS)
    )
    # The revision the form was filled from: a newer one means someone else saved meanwhile.
    latest_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    fieldsets = [
        (
            _("Identity"),
            ["name_ar", "name_fr", "acronym", "other_spellings", "logo_file", "remove_logo"],
        ),
        (_("Presentation"), ["short_description", "description"]),
        (_("Activity"), ["fields_of_activity", "target_groups"]),
        (_("Location"), ["province", "city", "address", "latitude", "longitude"]),
        (_("Size"), ["members_count", "staff_count", "volunteers_count", "budget_band"]),
        (
            _("Legal identity"),
            ["founded_year", "registration_number", "registration_date", "public_utility"],
        ),
        (
            _("Contacts"),
            [
                "email",
                "phone",
                "website",
                "facebook_url",
                "instagram_url",
                "linkedin_url",
                "youtube_url",
            ],
        ),
    ]

    class Meta:
        model = AssociationPage
        fields = [
            "name_ar",
            "name_fr",
            "acronym",
            "other_spellings",
            "short_description",
            "description",
            "province",
            "city",
            "address",
            "latitude",
            "longitude",
            "members_count",
            "staff_count",
            "volunteers_count",
            "budget_band",
            "founded_year",
            "registration_number",
            "registration_date",
            "public_utility",
            "email",
            "phone",
            "website",
            "facebook_url",
            "instagram_url",
            "linkedin_url",
            "youtube_url",
        ]
        widgets = {
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "name_fr": forms.TextInput(attrs={"dir": "ltr", "lang": "fr"}),
            "other_spellings": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "short_description": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "address": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "latitude": forms.NumberInput(attrs={"step": "0.00001", "dir": "ltr"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001", "dir": "ltr"}),
            "registration_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "email": forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
            "phone": forms.TextInput(
                attrs={"type": "tel", "dir": "ltr", "autocomplete": "tel", "inputmode": "tel"}
            ),
            "registration_number": forms.TextInput(attrs={"dir": "ltr"}),
        }
        help_texts = {
            "latitude": _("Optional. Without coordinates the map shows the province."),
            "phone": _("A Moroccan number, e.g. 0522 12 34 56 or +212 661 23 45 67."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        # Pages point to the default-locale terms; the queryset validates, the
        # grouped choices (set after it) only render.
        self.fields["province"].queryset = Province.source_terms()
        self.fields["province"].choices = grouped_provinces()
        for name, model in (
            ("fields_of_activity", FieldOfActivity),
            ("target_groups", TargetGroup),
        ):
            self.fields[name].queryset = model.source_terms().order_by("sort_order", "slug")
            self.fields[name].names = model.localized_names()
            # Also when bound: `changed_data` compares with it.
            self.initial[name] = [term.pk for term in getattr(page, name).all()]
        self.initial["description"] = description_to_text(page.description)
        self.initial["latest_revision"] = page.latest_revision_id
        if not page.logo_id:
            del self.fields["remove_logo"]
        self.fields["short_description"].widget.attrs["maxlength"] = 300

    def visible_fieldsets(self):
        """[(legend, [bound fields])] for the template."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]

    def clean_description(self):
        return text_to_description(self.cleaned_data["description"])

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        return normalize_moroccan_phone(phone) if phone else ""

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Enter both the latitude and the longitude, or neither."),
            )
        if cleaned.get("logo_file") and cleaned.get("remove_logo"):
            self.add_error("remove_logo", _("Either upload a new logo or remove it, not both."))
        return cleaned

    def changed_fields(self):
        """Names of the profile fields the user changed (for the history)."""
        ignored = {"latest_revision", "remove_logo", "logo_file"}
        names = [name for name in self.changed_data if name not in ignored]
        if self.cleaned_data.get("logo_file") or self.cleaned_data.get("remove_logo"):
            names.append("logo")
        return names

    def apply_relations(self, page):
        """Set the many-to-many choices on the (unsaved) draft, and the derived fields
        its save() would compute, so that the revision holds them."""
        from .models import size_category

        page.fields_of_activity = list(self.cleaned_data["fields_of_activity"])
        page.target_groups = list(self.cleaned_data["target_groups"])
        page.region_id = self.cleaned_data["province"].region_id
        page.size_category = size_category(
            page.members_count, page.staff_count, page.volunteers_count, page.budget_band
        )
        if self.cleaned_data.get("remove_logo"):
            page.logo = None


class InvitationForm(forms.Form):
    """Invite someone by e-mail to act for the association."""

    # Invitations are e-mails sent on the association's behalf: a daily cap keeps an
    # account taken over from spamming through the portal.
    MAX_PER_DAY = 30

    email = forms.EmailField(
        label=_("e-mail address"),
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("role"), choices=Membership.ROLE_CHOICES, initial=Membership.MEMBER
    )

    def __init__(self, *args, association, **kwargs):
        self.association = association
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        since = timezone.now() - timedelta(days=1)
        sent = Invitation.objects.filter(association=self.association, created_at__gte=since)
        if sent.count() >= self.MAX_PER_DAY:
            raise ValidationError(
                _("You sent %(count)s invitations today, the daily limit. Try again tomorrow."),
                code="too_many_invitations",
                params={"count": self.MAX_PER_DAY},
            )
        return cleaned

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        person = account_for(email)
        if (
            person is not None
            and Membership.objects.for_association(self.association).filter(user=person).exists()
        ):
            raise ValidationError(
                _("This person already acts for the association."), code="already_member"
            )
        pending = [
            invitation
            for invitation in Invitation.objects.filter(
                association=self.association, email__iexact=email
            )
            if invitation.is_usable
        ]
        if pending:
            raise ValidationError(
                _(
                    "An invitation to this address is still pending. Withdraw it first "
                    "to send a new one."
                ),
                code="already_invited",
            )
        return email
