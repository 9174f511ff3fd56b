"""Forms of the specialists: applying, requesting, answering, leaving feedback.

Taxonomy terms are chosen by slug (the same in every language) and named in the
active language, as in the association's application (join_forms).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .join_forms import NewAccountForm, term_choices, validate_receipt
from .requests import clean_dates
from .specialists import (
    Language,
    Pricing,
    Skill,
    SpecialistApplication,
    SpecialistFeedback,
    SpecialistPage,
    SpecialistRequest,
)
from .taxonomies import FieldOfActivity, Region

CV_MAX_BYTES = 5 * 1024 * 1024


def _date_input():
    return forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


# ---------------------------------------------------------------------------
# Applying to be listed
# ---------------------------------------------------------------------------
def validate_cv(uploaded_file):
    """A real, complete PDF of at most 5 MB (read from its content, not its name)."""
    mime = validate_receipt(uploaded_file)
    if mime != "application/pdf":
        raise ValidationError(_("Send your CV as a PDF file."), code="cv_not_pdf")
    return mime


class SpecialistAccountForm(NewAccountForm):
    """A visitor without an account creates one with the application (its address is
    confirmed by e-mail), like an association's applicant does when joining."""

    position = None
    confirm = None
    prefix = "account"


class SpecialistApplicationForm(forms.ModelForm):
    fields_of_activity = forms.MultipleChoiceField(
        label=_("Fields of activity"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one field of activity.")},
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions you can work in"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one skill.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    cv = forms.FileField(
        label=_("Your CV"),
        help_text=_("A PDF file of at most 5 MB. Only the team reviewing applications reads it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this information is accurate."),
        error_messages={"required": _("Please confirm that the information is accurate.")},
    )

    class Meta:
        model = SpecialistApplication
        fields = [
            "name",
            "headline",
            "fields_of_activity",
            "skills",
            "languages",
            "regions",
            "city",
            "works_remotely",
            "works_in_person",
            "hours_per_month",
            "pricing",
            "biography",
            "cv",
        ]
        widgets = {"biography": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "headline": _("One line: your profession and experience."),
            "biography": _("Your experience with associations, in a few paragraphs."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_of_activity"].choices = term_choices(FieldOfActivity)
        self.fields["regions"].choices = term_choices(Region)
        self.fields["hours_per_month"].widget.attrs.update(min=0, max=200)
        self.fields["pricing"].choices = Pricing.choices

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv:
            validate_cv(cv)
        return cv

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("works_remotely") and not cleaned.get("works_in_person"):
            raise ValidationError(
                _("Say whether you work remotely, in person, or both."), code="no_format"
            )
        return cleaned


def application_terms(form):
    """The terms the applicant ticked, as rows of the default locale."""
    return (
        list(
            FieldOfActivity.source_terms().filter(slug__in=form.cleaned_data["fields_of_activity"])
        ),
        list(Region.source_terms().filter(slug__in=form.cleaned_data["regions"])),
    )


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------
class RequestForm(forms.Form):
    """An association's member asks the specialist for help."""

    association = forms.ChoiceField(label=_("For the association"))
    need = forms.CharField(
        label=_("What do you need?"),
        max_length=3000,
        help_text=_("Describe the situation and what you expect from the specialist."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    field = forms.ChoiceField(label=_("Field of activity"), required=False)
    expected_format = forms.ChoiceField(
        label=_("Expected format"), choices=SpecialistRequest.Format.choices
    )
    preferred_start = forms.DateField(label=_("Preferred from"), widget=_date_input())
    preferred_end = forms.DateField(
        label=_("Preferred until"), required=False, widget=_date_input()
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=SpecialistRequest.Urgency.choices,
        initial=SpecialistRequest.Urgency.NORMAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, associations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = {str(page.pk): page for page in associations}
        self.fields["association"].choices = [
            (str(page.pk), page.display_name) for page in associations
        ]
        self.fields["field"].choices = [("", _("Not specific to one field"))] + term_choices(
            FieldOfActivity
        )

    def clean_association(self):
        return self.associations[self.cleaned_data["association"]]

    def clean_field(self):
        slug = self.cleaned_data.get("field")
        if not slug:
            return None
        return FieldOfActivity.source_terms().get(slug=slug)

    def clean(self):
        cleaned = super().clean()
        try:
            clean_dates(cleaned.get("preferred_start"), cleaned.get("preferred_end"))
        except ValidationError as error:
            self.add_error("preferred_end" if error.code == "order" else "preferred_start", error)
        return cleaned

    def request_data(self):
        data = {
            name: self.cleaned_data[name]
            for name in (
                "need",
                "field",
                "expected_format",
                "preferred_start",
                "preferred_end",
                "urgency",
            )
        }
        data["need"] = data["need"].strip()
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline? (sent to the association)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you decline the request.")},
    )


class ProposeDatesForm(forms.Form):
    start = forms.DateField(label=_("I am available from"), widget=_date_input())
    end = forms.DateField(label=_("until"), required=False, widget=_date_input())
    message = forms.CharField(
        label=_("Message to the association"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        try:
            clean_dates(cleaned.get("start"), cleaned.get("end"))
        except ValidationError as error:
            self.add_error("end" if error.code == "order" else "start", error)
        return cleaned


class AvailabilityForm(forms.ModelForm):
    """What a listed specialist keeps up to date themself (staff edit the rest)."""

    class Meta:
        model = SpecialistPage
        fields = ["hours_per_month", "next_available", "works_remotely", "works_in_person"]
        widgets = {"next_available": _date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours_per_month"].widget.attrs.update(min=0, max=200)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("works_remotely") and not cleaned.get("works_in_person"):
            raise ValidationError(
                _("Say whether you work remotely, in person, or both."), code="no_format"
            )
        return cleaned


class FeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(value, str(value)) for value in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5: excellent, 1: poor."),
    )

    class Meta:
        model = SpecialistFeedback
        fields = ["rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"comment": _("Shown on the specialist's profile after moderation.")}
