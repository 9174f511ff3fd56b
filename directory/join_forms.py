"""Forms of the application to join the network (see join_views.py).

One form per step. Steps 1 to 3 are kept in the session as the raw values that were
typed, and are validated again (with the same forms) before the application is
saved: what is in a session is never trusted. Taxonomy terms are chosen by `slug`
(the same in every language) and shown with their names in the active language.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allauth.account.models import EmailAddress
from PIL import Image, UnidentifiedImageError

from accounts.models import User
from accounts.validators import validate_upload

from .models import (
    BudgetBand,
    FieldOfActivity,
    MembershipApplication,
    Province,
    Region,
    TargetGroup,
)
from .validators import normalize_moroccan_phone, validate_founding_year

RECEIPT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
RECEIPT_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
RECEIPT_MAX_PIXELS = 6000
PENDING = (MembershipApplication.Status.SUBMITTED, MembershipApplication.Status.INFO_REQUESTED)


# ---------------------------------------------------------------------------
# Choices in the active language
# ---------------------------------------------------------------------------
def term_choices(model):
    """[(slug, name in the active language)] in the taxonomy's own order."""
    names = model.localized_names()
    return [(slug, names[slug]) for slug in model.source_terms().values_list("slug", flat=True)]


def province_choices():
    """Provinces grouped by region (for <optgroup>), regions in their official order."""
    region_names = Region.localized_names()
    province_names = Province.localized_names()
    groups = {}
    for region_slug in Region.source_terms().order_by("code").values_list("slug", flat=True):
        groups[region_slug] = []
    for slug, region_slug in Province.source_terms().values_list("slug", "region__slug"):
        groups.setdefault(region_slug, []).append((slug, province_names[slug]))
    choices = [("", _("Choose a prefecture or province"))]
    for region_slug, provinces in groups.items():
        provinces.sort(key=lambda choice: choice[1])
        choices.append((region_names.get(region_slug, region_slug), provinces))
    return choices


def _ltr(attrs=None):
    """Addresses, numbers and URLs are written left to right, even on Arabic pages."""
    return {"dir": "ltr", **(attrs or {})}


# ---------------------------------------------------------------------------
# Step 1: the association
# ---------------------------------------------------------------------------
class AssociationForm(forms.Form):
    """Step 1: who the association is, what it does, where and how big it is."""

    name_ar = forms.CharField(
        label=_("Official name in Arabic"),
        max_length=255,
        help_text=_("As written on the registration receipt."),
        widget=forms.TextInput(attrs={"lang": "ar", "dir": "rtl", "autocomplete": "off"}),
    )
    name_fr = forms.CharField(
        label=_("Official name in French"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"lang": "fr", "dir": "ltr", "autocomplete": "off"}),
    )
    acronym = forms.CharField(label=_("Acronym"), max_length=30, required=False)
    short_description = forms.CharField(
        label=_("Short description"),
        max_length=300,
        help_text=_("In one or two sentences: what the association does (300 characters)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fields_of_activity = forms.MultipleChoiceField(
        label=_("Fields of activity"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one field of activity.")},
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), widget=forms.CheckboxSelectMultiple, required=False
    )
    province = forms.ChoiceField(label=_("Prefecture or province"))
    city = forms.CharField(label=_("City or commune"), max_length=120)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    members_count = forms.IntegerField(
        label=_("Members"), required=False, min_value=0, max_value=10_000_000
    )
    staff_count = forms.IntegerField(
        label=_("Paid staff"), required=False, min_value=0, max_value=1_000_000
    )
    volunteers_count = forms.IntegerField(
        label=_("Volunteers"), required=False, min_value=0, max_value=10_000_000
    )
    budget_band = forms.ChoiceField(
        label=_("Annual budget"),
        required=False,
        choices=[("", _("I don't know / prefer not to say"))] + list(BudgetBand.choices),
    )
    founded_year = forms.IntegerField(
        label=_("Year founded"),
        required=False,
        validators=[validate_founding_year],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_of_activity"].choices = term_choices(FieldOfActivity)
        self.fields["target_groups"].choices = term_choices(TargetGroup)
        self.fields["province"].choices = province_choices()
        self.fields["founded_year"].widget.attrs.update(min=1900, max=timezone.now().year)

    def clean_name_ar(self):
        name = " ".join(self.cleaned_data["name_ar"].split())
        if not any("\u0600" <= char <= "\u06ff" for char in name):
            raise ValidationError(
                _("Write the Arabic name in Arabic letters, as on the registration receipt."),
                code="not_arabic",
            )
        return name

    def clean_name_fr(self):
        return " ".join(self.cleaned_data["name_fr"].split())


# ---------------------------------------------------------------------------
# Step 2: legal identity and contacts
# ---------------------------------------------------------------------------
class LegalForm(forms.Form):
    """Step 2: the registration receipt's number and date, and how to reach the association."""

    registration_number = forms.CharField(
        label=_("Registration receipt number"),
        max_length=60,
        help_text=_("The number of the final receipt (récépissé définitif) of the declaration."),
        widget=forms.TextInput(attrs=_ltr({"autocomplete": "off"})),
    )
    registration_date = forms.DateField(
        label=_("Registration receipt date"),
        required=False,
        widget=forms.DateInput(attrs=_ltr({"type": "date"}), format="%Y-%m-%d"),
    )
    email = forms.EmailField(
        label=_("The association's e-mail"),
        widget=forms.EmailInput(attrs=_ltr({"autocomplete": "email"})),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=_("A Moroccan number, e.g. 0522 12 34 56 or 0661 23 45 67."),
        widget=forms.TextInput(attrs=_ltr({"type": "tel", "autocomplete": "tel"})),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs=_ltr({"autocomplete": "url"})),
    )

    def __init__(self, *args, application=None, **kwargs):
        # `application`: the one being corrected, which does not count as a duplicate.
        self.application = application
        super().__init__(*args, **kwargs)

    def clean_registration_number(self):
        number = " ".join(self.cleaned_data["registration_number"].split())
        pending = MembershipApplication.objects.filter(
            registration_number__iexact=number, status__in=PENDING
        )
        if self.application is not None:
            pending = pending.exclude(pk=self.application.pk)
        if pending.exists():
            raise ValidationError(
                _(
                    "An application for the association with this registration number is "
                    "already being reviewed. We will contact the person who sent it."
                ),
                code="already_pending",
            )
        return number

    def clean_registration_date(self):
        date = self.cleaned_data["registration_date"]
        if date and not (1900 <= date.year and date <= timezone.localdate()):
            raise ValidationError(
                _("Enter a date between 1900 and today."), code="invalid_registration_date"
            )
        return date

    def clean_phone(self):
        return normalize_moroccan_phone(self.cleaned_data["phone"])


# ---------------------------------------------------------------------------
# Step 3: the applicant
# ---------------------------------------------------------------------------
class ApplicantForm(forms.Form):
    """Step 3 for a signed-in person: their position, and that they act for the association."""

    position = forms.CharField(
        label=_("Your position in the association"),
        max_length=120,
        help_text=_("For example: president, secretary general, treasurer."),
    )
    confirm = forms.BooleanField(
        label=_("I am a member of this association's board, or it asked me to apply for it."),
        error_messages={"required": _("Please confirm that you may apply for this association.")},
    )


class NewAccountForm(ApplicantForm):
    """Step 3 without an account: create one here (the address is verified by e-mail).

    The password is never kept in the session: only its hash, which becomes the
    account's password when the application is sent. Coming back to this step, the
    password fields may be left empty to keep the one chosen before.
    """

    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("You will log in with it; we send you a link to confirm it."),
        widget=forms.EmailInput(attrs=_ltr({"autocomplete": "email"})),
    )
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("How other members see you in forums and messages."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the e-mails we send you."),
    )

    field_order = [
        "email",
        "display_name",
        "password1",
        "password2",
        "preferred_language",
        "position",
        "confirm",
    ]

    def __init__(self, *args, password_hash=None, **kwargs):
        self.password_hash = password_hash
        super().__init__(*args, **kwargs)
        if password_hash:
            self.fields["password1"].help_text = _(
                "Leave both password fields empty to keep the password you chose."
            )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if (
            User.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        ):
            raise ValidationError(
                _(
                    "An account already exists with this address. Log in first, then "
                    "continue your application."
                ),
                code="account_exists",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if not first and not second and self.password_hash:
            try:
                identify_hasher(self.password_hash)
            except ValueError:
                self.add_error("password1", _("Choose a password."))
            else:
                cleaned["password_hash"] = self.password_hash
            return cleaned
        if not first:
            self.add_error("password1", _("Choose a password."))
        elif first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        else:
            person = User(email=cleaned.get("email", ""), display_name=cleaned.get("display_name"))
            try:
                password_validation.validate_password(first, person)
            except ValidationError as error:
                self.add_error("password1", error)
            else:
                cleaned["password_hash"] = make_password(first)
        return cleaned


# ---------------------------------------------------------------------------
# Step 4: the registration receipt
# ---------------------------------------------------------------------------
def validate_receipt(uploaded_file):
    """A real PDF, JPEG or PNG (read from its content), at most 5 MB, images at most
    6000 pixels per side. Returns the MIME type."""
    mime = validate_upload(uploaded_file, RECEIPT_TYPES, RECEIPT_MAX_BYTES)
    if mime == "application/pdf":
        # A PDF ends with %%EOF (possibly followed by a few bytes): a cut upload does not.
        uploaded_file.seek(max(uploaded_file.size - 2048, 0))
        tail = uploaded_file.read()
        uploaded_file.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError(_("This PDF file is incomplete or damaged."), code="bad_pdf")
    if mime.startswith("image/"):
        try:
            uploaded_file.seek(0)
            with Image.open(uploaded_file) as image:
                width, height = image.size
                image.verify()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
            raise ValidationError(_("This image could not be read."), code="bad_image") from error
        finally:
            uploaded_file.seek(0)
        if max(width, height) > RECEIPT_MAX_PIXELS:
            raise ValidationError(
                _("The image is too large: at most %(max)s pixels per side."),
                code="image_too_large",
                params={"max": RECEIPT_MAX_PIXELS},
            )
    return mime


class ReceiptForm(forms.Form):
    """Step 4: the scan of the registration receipt, and the confirmation."""

    receipt = forms.FileField(
        label=_("Registration receipt"),
        help_text=_("A PDF, JPEG or PNG file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this information is accurate."),
        error_messages={"required": _("Please confirm that the information is accurate.")},
    )

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if receipt:
            self.receipt_mime = validate_receipt(receipt)
        return receipt


# ---------------------------------------------------------------------------
# The applicant's answer to a request for more information
# ---------------------------------------------------------------------------
class AnswerForm(forms.Form):
    """What the applicant adds when staff asked for more information."""

    position = forms.CharField(label=_("Your position in the association"), max_length=120)
    receipt = forms.FileField(
        label=_("A new registration receipt"),
        required=False,
        help_text=_("Only if you were asked for it: a PDF, JPEG or PNG file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(
        label=_("Your answer to the team"),
        required=False,
        max_length=2000,
        help_text=_("Sent by e-mail to the team reviewing your application."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        self.receipt_mime = validate_receipt(receipt) if receipt else None
        return receipt


def application_initial(application):
    """The values of steps 1 and 2 for an existing application (to correct it)."""
    initial = {
        name: getattr(application, name)
        for name in list(AssociationForm.base_fields) + list(LegalForm.base_fields)
        if name not in ("fields_of_activity", "target_groups", "province")
    }
    initial["province"] = application.province.slug
    initial["fields_of_activity"] = [term.slug for term in application.fields_of_activity.all()]
    initial["target_groups"] = [term.slug for term in application.target_groups.all()]
    initial["position"] = application.applicant_position
    return initial


def association_values(cleaned):
    """Model values of steps 1 and 2 (without the many-to-many fields)."""
    values = {
        name: cleaned[name]
        for name in list(AssociationForm.base_fields) + list(LegalForm.base_fields)
        if name not in ("fields_of_activity", "target_groups", "province")
    }
    for name in ("name_fr", "acronym", "address", "budget_band", "website"):
        values[name] = values[name] or ""
    values["province"] = Province.source_terms().get(slug=cleaned["province"])
    return values


def set_terms(application, cleaned):
    application.fields_of_activity.set(
        FieldOfActivity.source_terms().filter(slug__in=cleaned["fields_of_activity"])
    )
    application.target_groups.set(
        TargetGroup.source_terms().filter(slug__in=cleaned["target_groups"])
    )
