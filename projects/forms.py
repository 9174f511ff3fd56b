"""Front-end forms of the projects app: for members of the association."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.validators import validate_upload
from directory.models import FieldOfActivity, Province

from .activities import (
    MAX_OCCURRENCES,
    MAX_RECURRENCE_DAYS,
    WEEKDAYS,
    count_occurrences,
    most_registrations,
)
from .blocks import PhaseStatus, milestone_errors, phase_errors
from .models import Activity, Frequency, ProjectPage, ProjectPartner, ProjectStatus, Visibility

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_UPLOAD = 10 * 1024 * 1024
# Bounds of what a person may type, so that a mistyped year or a forged number is an
# error on the form, not an overflow further down (dates, database integers).
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2100, 12, 31)
MAX_PEOPLE = 100_000_000
MAX_CAPACITY = 100_000
MAX_PHOTOS = 6  # the form's help text says so
# Activities are scheduled at most this far ahead (their dates stay computable).
MAX_SCHEDULE_AHEAD = datetime.timedelta(days=2 * 366)


class DateField(forms.DateField):
    """A date between 1900 and 2100 (Django's own messages, already translated)."""

    default_validators = [MinValueValidator(FIRST_DATE), MaxValueValidator(LAST_DATE)]


class ModelChoiceField(forms.ModelChoiceField):
    """A forged id too large for the database is an invalid choice, not a 500."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError as error:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A forged id too large for the database is an invalid choice, not a 500."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError as error:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "…"},
            ) from error


EVIDENCE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


def paragraphs(text):
    """Plain text typed by a member → the simple HTML a rich text field stores."""
    blocks = [block.strip() for block in (text or "").split("\n\n") if block.strip()]
    return "".join(f"<p>{escape(block)}</p>" for block in blocks)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=255)
    summary = forms.CharField(label=_("summary"), max_length=600, widget=forms.Textarea)
    objectives = forms.CharField(
        label=_("objectives"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Separate paragraphs with an empty line."),
    )
    status = forms.ChoiceField(label=_("status"), choices=ProjectStatus.choices)
    start_date = DateField(label=_("start date"), required=False, widget=DATE)
    end_date = DateField(label=_("end date"), required=False, widget=DATE)
    budget_mad = forms.DecimalField(
        label=_("budget (MAD)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    beneficiaries_targeted = forms.IntegerField(
        label=_("beneficiaries targeted"), required=False, min_value=0, max_value=MAX_PEOPLE
    )
    beneficiaries_reached = forms.IntegerField(
        label=_("beneficiaries reached"), required=False, min_value=0, max_value=MAX_PEOPLE
    )
    provinces = ModelMultipleChoiceField(
        label=_("prefectures and provinces"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    areas = forms.CharField(label=_("districts and communes"), max_length=255, required=False)
    fields_of_activity = ModelMultipleChoiceField(
        label=_("fields of activity"),
        queryset=FieldOfActivity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    funders = ModelMultipleChoiceField(
        label=_("funders"),
        queryset=ProjectPartner.objects.filter(kind=ProjectPartner.FUNDER),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = ModelMultipleChoiceField(
        label=_("partners"),
        queryset=ProjectPartner.objects.filter(kind=ProjectPartner.PARTNER),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    FIELDS = [
        "title",
        "summary",
        "status",
        "start_date",
        "end_date",
        "budget_mad",
        "beneficiaries_targeted",
        "beneficiaries_reached",
        "areas",
    ]
    RELATIONS = ["provinces", "fields_of_activity", "funders", "partners"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].queryset = Province.source_terms().order_by("name")
        self.fields["fields_of_activity"].queryset = FieldOfActivity.source_terms()

    @classmethod
    def initial_for(cls, page):
        from django.utils.html import strip_tags

        initial = {name: getattr(page, name) for name in cls.FIELDS}
        initial["objectives"] = "\n\n".join(
            strip_tags(part) for part in page.objectives.split("</p>") if strip_tags(part).strip()
        )
        for name in cls.RELATIONS:
            initial[name] = list(getattr(page, name).all())
        return initial

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        targeted, reached = data.get("beneficiaries_targeted"), data.get("beneficiaries_reached")
        if data.get("status") == ProjectStatus.PLANNED and reached:
            self.add_error(
                "beneficiaries_reached", _("A planned project has not reached anyone yet.")
            )
        if targeted is not None and reached is not None and reached > targeted * 10:
            self.add_error(
                "beneficiaries_reached", _("Check this number: it is ten times the target.")
            )
        return data

    def apply(self, page):
        for name in self.FIELDS:
            setattr(page, name, self.cleaned_data[name])
        page.objectives = paragraphs(self.cleaned_data["objectives"])
        for name in self.RELATIONS:
            getattr(page, name).set(self.cleaned_data[name])
        return page


class PhaseForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    status = forms.ChoiceField(label=_("status"), choices=PhaseStatus.CHOICES)
    planned_start = DateField(label=_("planned start"), required=False, widget=DATE)
    planned_end = DateField(label=_("planned end"), required=False, widget=DATE)
    actual_start = DateField(label=_("actual start"), required=False, widget=DATE)
    actual_end = DateField(label=_("actual end"), required=False, widget=DATE)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea)

    def clean(self):
        data = super().clean()
        for name, message in phase_errors(data).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    due_date = DateField(label=_("due date"), required=False, widget=DATE)
    done = forms.BooleanField(label=_("done"), required=False)
    done_on = DateField(label=_("reached on"), required=False, widget=DATE)
    evidence = forms.FileField(
        label=_("evidence"),
        required=False,
        help_text=_("Optional: a photo (JPEG, PNG, WebP) or a PDF document, 10 MB at most."),
    )

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            # The type is read from the content, not the file's name.
            self.evidence_type = validate_upload(evidence, EVIDENCE_TYPES, MAX_UPLOAD)
        return evidence

    def clean(self):
        data = super().clean()
        for name, message in milestone_errors(data).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    """Several images in one input (Django's documented recipe): a list, maybe empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressUpdateForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    published_on = DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    text = forms.CharField(label=_("text"), widget=forms.Textarea)
    phase = forms.ChoiceField(label=_("phase concerned"), required=False)
    photos = MultipleImageField(
        label=_("photos"),
        required=False,
        help_text=_("Up to 6 photos (JPEG, PNG, WebP), 10 MB each."),
    )
    photo_alt = forms.CharField(
        label=_("description of the photos"),
        max_length=200,
        required=False,
        help_text=_("For people who cannot see them."),
    )
    document = forms.FileField(label=_("document (PDF)"), required=False)

    def __init__(self, *args, phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "—")] + [(title, title) for title in phases]

    def clean_published_on(self):
        value = self.cleaned_data["published_on"]
        if value > timezone.localdate():
            raise ValidationError(_("An update cannot be dated in the future."))
        return value

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("Up to 6 photos (JPEG, PNG, WebP), 10 MB each."))
        for photo in photos:
            _check_size(photo)
        return photos

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            try:
                validate_upload(document, {"application/pdf"}, MAX_UPLOAD)
            except ValidationError as error:
                if error.code != "file_type_refused":
                    raise
                raise ValidationError(_("Send the document as a PDF file.")) from error
        return document

    def clean(self):
        data = super().clean()
        if data.get("photos") and not data.get("photo_alt"):
            self.add_error("photo_alt", _("Describe the photo in a few words."))
        return data


def _check_size(upload):
    if upload and upload.size > MAX_UPLOAD:
        raise ValidationError(_("The file is too large (10 MB at most)."))
    return upload


class ActivityForm(forms.ModelForm):
    title = forms.CharField(label=_("title"), max_length=255)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea)
    start = forms.DateTimeField(label=_("starts"), widget=DATETIME)
    end = forms.DateTimeField(label=_("ends"), widget=DATETIME)
    capacity = forms.IntegerField(
        label=_("places"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("Leave empty for no limit."),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("days of the week"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("MO", _("Monday")),
            ("TU", _("Tuesday")),
            ("WE", _("Wednesday")),
            ("TH", _("Thursday")),
            ("FR", _("Friday")),
            ("SA", _("Saturday")),
            ("SU", _("Sunday")),
        ],
        help_text=_("For an activity repeated every week."),
    )

    class Meta:
        model = Activity
        fields = ["place", "project", "visibility", "capacity", "frequency", "repeat_until"]
        widgets = {"repeat_until": DATE}
        help_texts = {"repeat_until": _("Required for a repeated activity.")}
        field_classes = {"project": ModelChoiceField}

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["project"].queryset = ProjectPage.objects.filter(
            association=association, locale_id=association.locale_id
        ).order_by("title")
        self.fields["project"].required = False
        self.fields["visibility"].initial = Visibility.PUBLIC
        self.fields["frequency"].initial = Frequency.NONE
        if self.instance.pk:
            event = self.instance.event
            self.initial.update(
                {
                    "title": event.title,
                    "description": event.description,
                    "start": timezone.localtime(event.start),
                    "end": timezone.localtime(event.end),
                    "weekdays": [day for day in self.instance.weekdays.split(",") if day],
                }
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        if start and end and end - start > datetime.timedelta(days=7):
            self.add_error("end", _("An activity lasts a week at most; repeat it instead."))
        if start and not self.instance.pk and start < timezone.now():
            self.add_error("start", _("The start is in the past."))
        elif start and start > timezone.now() + MAX_SCHEDULE_AHEAD:
            self.add_error("start", _("Activities are scheduled two years ahead at most."))
        self._clean_recurrence(data)
        capacity = data.get("capacity")
        if self.instance.pk and capacity is not None:
            registered = most_registrations(self.instance)
            if capacity < registered:
                self.add_error(
                    "capacity",
                    ngettext(
                        "%(count)d person is already registered: the capacity cannot be lower.",
                        "%(count)d people are already registered: the capacity cannot be lower.",
                        registered,
                    )
                    % {"count": registered},
                )
        return data

    def _clean_recurrence(self, data):
        frequency = data.get("frequency") or Frequency.NONE
        until, start, end = data.get("repeat_until"), data.get("start"), data.get("end")
        days = data.get("weekdays") or []
        if frequency == Frequency.NONE:
            data["repeat_until"] = None
            data["weekdays"] = []
            return
        if frequency == Frequency.WEEKLY and not days:
            self.add_error("weekdays", _("Choose the days of the week it takes place."))
            return
        if until is None:
            if "repeat_until" not in self.errors:
                self.add_error("repeat_until", _("A repeated activity needs an end date."))
            return
        if start is None or end is None:
            return
        first_day = timezone.localtime(start).date()
        if until < first_day:
            self.add_error("repeat_until", _("The repetition must end after the first date."))
            return
        if (until - first_day).days > MAX_RECURRENCE_DAYS:
            self.add_error(
                "repeat_until", _("A repetition may last one year at most; create it again later.")
            )
            return
        count = count_occurrences(start, end, frequency, days, until)
        if count > MAX_OCCURRENCES:
            self.add_error(
                "repeat_until",
                _("This makes %(count)d dates; %(max)d at most.")
                % {"count": count, "max": MAX_OCCURRENCES},
            )

    def save(self, commit=True):
        activity = super().save(commit=False)
        activity.association = self.association
        activity.weekdays = ",".join(
            day for day in WEEKDAYS if day in (self.cleaned_data.get("weekdays") or [])
        )
        return activity


class OccurrenceMoveForm(forms.Form):
    start = forms.DateTimeField(label=_("new start"), widget=DATETIME)
    end = forms.DateTimeField(label=_("new end"), widget=DATETIME)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and start < timezone.now():
            self.add_error("start", _("The start is in the past."))
        elif start and start > timezone.now() + MAX_SCHEDULE_AHEAD:
            self.add_error("start", _("Activities are scheduled two years ahead at most."))
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        elif start and end and end - start > datetime.timedelta(days=7):
            self.add_error("end", _("An activity lasts a week at most."))
        return data


class AgendaFilterForm(forms.Form):
    """Filters of the agenda and the projects index (all optional, all GET)."""

    region = forms.ChoiceField(label=_("region"), required=False)
    field = forms.ChoiceField(label=_("field of activity"), required=False)
    # A select of the associations with activities; any other slug (a profile's link)
    # is still taken, and added to the choices so that the select shows it.
    association = forms.CharField(label=_("association"), required=False, widget=forms.Select)
    project = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=10**18 - 1
    )
    start = DateField(label=_("from"), required=False, widget=DATE)
    end = DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, *args, regions=(), fields=(), associations=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["region"].choices = everything + list(regions)
        self.fields["field"].choices = everything + list(fields)
        self.fields["association"].widget.choices = everything + list(associations)

    def clean(self):
        data = super().clean()
        # Without a start the agenda starts today: the same limits apply to the end.
        start = data.get("start") or timezone.localdate()
        end = data.get("end")
        if "start" in self.errors or not end:
            return data
        if end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        elif (end - start).days > 366:
            self.add_error("end", _("Choose at most one year."))
        return data
