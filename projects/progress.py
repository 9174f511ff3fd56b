"""How far a project has come, from its timeline.

Each phase weighs as much as its milestones (at least 1). A phase counts:
- done: all of its weight;
- with milestones: the share of its milestones reached;
- without milestones: half its weight when in progress, nothing when not started
  or delayed (a delayed phase is not moving).
Progress = sum of those shares / total weight, rounded down to a whole percent, and
100 only when every phase is done.

"Behind schedule" compares that progress with the time elapsed: a phase past its
planned end and not done, a milestone past its due date and not reached, or a phase
marked delayed.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .blocks import PhaseStatus


@dataclass
class Progress:
    percent: int = 0
    phases_done: int = 0
    phases: int = 0
    milestones_done: int = 0
    milestones: int = 0
    late_phases: list = field(default_factory=list)
    overdue_milestones: int = 0
    current_phase: str = ""

    @property
    def behind_schedule(self):
        return bool(self.late_phases or self.overdue_milestones)


def _get(value, name, default=None):
    return value.get(name, default) if hasattr(value, "get") else default


def compute_progress(phases, today=None):
    """`phases`: the timeline's phase values (StructValues or dicts)."""
    today = today or timezone.localdate()
    result = Progress()
    weight_total = 0.0
    weight_done = 0.0
    for phase in phases:
        status = _get(phase, "status") or PhaseStatus.NOT_STARTED
        milestones = list(_get(phase, "milestones") or [])
        reached = sum(1 for milestone in milestones if _get(milestone, "done"))
        weight = max(1, len(milestones))
        weight_total += weight
        result.phases += 1
        result.milestones += len(milestones)
        result.milestones_done += reached
        if status == PhaseStatus.DONE:
            weight_done += weight
            result.phases_done += 1
        elif milestones:
            weight_done += reached
        elif status == PhaseStatus.IN_PROGRESS:
            weight_done += weight / 2
        if status in (PhaseStatus.IN_PROGRESS, PhaseStatus.DELAYED) and not result.current_phase:
            result.current_phase = _get(phase, "title", "")
        planned_end = _get(phase, "planned_end")
        if status == PhaseStatus.DELAYED or (
            status != PhaseStatus.DONE and planned_end and planned_end < today
        ):
            result.late_phases.append(_get(phase, "title", ""))
        if status != PhaseStatus.DONE:
            result.overdue_milestones += sum(
                1
                for milestone in milestones
                if not _get(milestone, "done")
                and _get(milestone, "due_date")
                and _get(milestone, "due_date") < today
            )
    if weight_total:
        percent = int(100 * weight_done / weight_total)
        if result.phases_done < result.phases:
            percent = min(percent, 99)
        result.percent = percent
    return result


def _date(value):
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return value or None


def phases_from_raw(raw_timeline):
    """The phases of a timeline's stored JSON (`page.timeline.raw_data`) as plain dicts
    with dates, for `compute_progress` without loading the blocks (lists of projects)."""
    phases = []
    for item in raw_timeline:
        if item.get("type") != "phase":
            continue
        value = dict(item.get("value") or {})
        for name in ("planned_start", "planned_end", "actual_start", "actual_end"):
            value[name] = _date(value.get(name))
        milestones = []
        for milestone in value.get("milestones") or []:
            # List items are stored as {"type": "item", "value": …} (older data: the value).
            milestone = dict(
                milestone.get("value", milestone) if "type" in milestone else milestone
            )
            for name in ("due_date", "done_on"):
                milestone[name] = _date(milestone.get(name))
            milestones.append(milestone)
        value["milestones"] = milestones
        phases.append(value)
    return phases
