"""The timeline of a project: phases, each with its milestones.

Cross-field rules live in `phase_errors()` / `milestone_errors()` so that the
Wagtail editor (the blocks' `clean()`) and the members' front-end forms give the
same errors. How much of a project is done is computed in `progress.py`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class PhaseStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    CHOICES = [
        (NOT_STARTED, _("not started")),
        (IN_PROGRESS, _("in progress")),
        (DONE, _("done")),
        (DELAYED, _("delayed")),
    ]
    LABELS = dict(CHOICES)


def milestone_errors(data, today=None):
    """{field: message} for a milestone's dates and completion."""
    today = today or timezone.localdate()
    errors = {}
    done, done_on = data.get("done"), data.get("done_on")
    if done and not done_on:
        errors["done_on"] = _("A milestone marked as done needs the date it was reached.")
    elif done_on and not done:
        errors["done"] = _("Tick “done” or remove the date it was reached.")
    if done_on and done_on > today:
        errors["done_on"] = _("The date a milestone was reached cannot be in the future.")
    return errors


def phase_errors(data):
    """{field: message} for a phase's dates and status."""
    errors = {}
    if data.get("planned_start") and data.get("planned_end"):
        if data["planned_end"] < data["planned_start"]:
            errors["planned_end"] = _("The planned end must be on or after the planned start.")
    if data.get("actual_start") and data.get("actual_end"):
        if data["actual_end"] < data["actual_start"]:
            errors["actual_end"] = _("The actual end must be on or after the actual start.")
    status = data.get("status")
    if status == PhaseStatus.DONE and not data.get("actual_end"):
        errors["actual_end"] = _("A phase marked as done needs its actual end date.")
    if status == PhaseStatus.NOT_STARTED and data.get("actual_start"):
        errors["status"] = _("A phase with an actual start date has started.")
    if data.get("actual_end") and status not in (PhaseStatus.DONE, None, ""):
        errors["status"] = _("A phase with an actual end date is done.")
    return errors


def _raise(errors):
    if errors:
        raise StructBlockValidationError(
            block_errors={name: ValidationError(message) for name, message in errors.items()}
        )


class MilestoneValue(blocks.StructValue):
    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return not self.get("done") and bool(self.get("due_date")) and self["due_date"] < today


class MilestoneBlock(blocks.StructBlock):
    """A checkpoint of a phase (a training held, a report delivered), with its proof."""

    title = blocks.CharBlock(label=_("title"), max_length=200)
    due_date = blocks.DateBlock(label=_("due date"), required=False)
    done = blocks.BooleanBlock(label=_("done"), required=False)
    done_on = blocks.DateBlock(label=_("reached on"), required=False)
    evidence_document = DocumentChooserBlock(label=_("evidence (document)"), required=False)
    evidence_image = ImageChooserBlock(label=_("evidence (image)"), required=False)

    def clean(self, value):
        value = super().clean(value)
        _raise(milestone_errors(value))
        return value

    class Meta:
        icon = "flag"
        label = _("milestone")
        value_class = MilestoneValue
        template = "projects/blocks/milestone.html"
        preview_value = {"title": "Formation des animateurs", "done": False}


class PhaseValue(blocks.StructValue):
    @property
    def status_label(self):
        return PhaseStatus.LABELS.get(self.get("status"), "")

    def milestone_counts(self):
        milestones = self.get("milestones") or []
        return sum(1 for m in milestones if m.get("done")), len(milestones)

    def is_late(self, today=None):
        """Past its planned end and not done."""
        today = today or timezone.localdate()
        end = self.get("planned_end")
        return self.get("status") == PhaseStatus.DELAYED or (
            self.get("status") != PhaseStatus.DONE and bool(end) and end < today
        )


class PhaseBlock(blocks.StructBlock):
    """A phase of a project (preparation, trainings, evaluation…): dates, status, milestones."""

    title = blocks.CharBlock(label=_("title"), max_length=200)
    status = blocks.ChoiceBlock(
        label=_("status"), choices=PhaseStatus.CHOICES, default=PhaseStatus.NOT_STARTED
    )
    planned_start = blocks.DateBlock(label=_("planned start"), required=False)
    planned_end = blocks.DateBlock(label=_("planned end"), required=False)
    actual_start = blocks.DateBlock(label=_("actual start"), required=False)
    actual_end = blocks.DateBlock(label=_("actual end"), required=False)
    description = blocks.TextBlock(label=_("description"), required=False)
    milestones = blocks.ListBlock(MilestoneBlock(), label=_("milestones"), default=[])

    def clean(self, value):
        value = super().clean(value)
        _raise(phase_errors(value))
        return value

    class Meta:
        icon = "date"
        label = _("phase")
        value_class = PhaseValue
        template = "projects/blocks/phase.html"
        preview_value = {
            "title": "Diagnostic participatif",
            "status": PhaseStatus.IN_PROGRESS,
            "planned_start": datetime.date(2026, 1, 5),
            "planned_end": datetime.date(2026, 3, 31),
            "milestones": [{"title": "Enquête auprès des jeunes", "done": False}],
        }


class TimelineBlock(blocks.StreamBlock):
    """The phases of a project, in order."""

    phase = PhaseBlock()

    class Meta:
        label = _("timeline")
