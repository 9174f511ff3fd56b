"""Progress computed from the timeline, and the timeline's validation."""

import datetime

from django.core.exceptions import ValidationError

import pytest

from projects.blocks import MilestoneBlock, PhaseBlock
from projects.progress import compute_progress

TODAY = datetime.date(2026, 6, 1)


def ms(done=False, due=None):
    return {"title": "m", "done": done, "done_on": TODAY if done else None, "due_date": due}


@pytest.mark.parametrize(
    "phases, percent",
    [
        ([], 0),
        ([{"status": "not_started", "milestones": []}], 0),
        ([{"status": "in_progress", "milestones": []}], 50),
        ([{"status": "delayed", "milestones": []}], 0),
        ([{"status": "done", "milestones": []}], 100),
        # 1 of 4 milestones reached in the only phase
        ([{"status": "in_progress", "milestones": [ms(True), ms(), ms(), ms()]}], 25),
        # a done phase (2) + 1 of 2 reached: 3 / 4
        (
            [
                {"status": "done", "milestones": [ms(True), ms(True)]},
                {"status": "in_progress", "milestones": [ms(True), ms()]},
            ],
            75,
        ),
        # all milestones reached but the phase is not marked done: never 100
        ([{"status": "in_progress", "milestones": [ms(True), ms(True)]}], 99),
        # done + not started without milestones: 1 / 2
        ([{"status": "done", "milestones": []}, {"status": "not_started", "milestones": []}], 50),
    ],
    ids=[
        "empty",
        "not-started",
        "in-progress",
        "delayed",
        "done",
        "quarter",
        "mixed",
        "cap-99",
        "half",
    ],
)
def test_progress_percent(phases, percent):
    for index, phase in enumerate(phases):
        phase.setdefault("title", f"phase {index}")
    assert compute_progress(phases, today=TODAY).percent == percent


def test_delays_make_a_project_behind_schedule():
    on_time = [{"title": "a", "status": "in_progress", "planned_end": TODAY, "milestones": []}]
    assert not compute_progress(on_time, today=TODAY).behind_schedule
    late = [
        {
            "title": "a",
            "status": "in_progress",
            "planned_end": TODAY - datetime.timedelta(1),
            "milestones": [],
        }
    ]
    result = compute_progress(late, today=TODAY)
    assert result.behind_schedule and result.late_phases == ["a"]
    overdue = [
        {
            "title": "b",
            "status": "in_progress",
            "milestones": [ms(due=TODAY - datetime.timedelta(1))],
        }
    ]
    assert compute_progress(overdue, today=TODAY).overdue_milestones == 1
    assert compute_progress(
        [{"title": "c", "status": "delayed", "milestones": []}], today=TODAY
    ).behind_schedule


def test_current_phase_is_the_first_in_progress():
    phases = [
        {"title": "one", "status": "done", "milestones": []},
        {"title": "two", "status": "in_progress", "milestones": []},
        {"title": "three", "status": "in_progress", "milestones": []},
    ]
    assert compute_progress(phases, today=TODAY).current_phase == "two"


def test_saving_a_project_stores_its_progress(project):
    # fixture: a done phase (2 milestones) + 1 of 2 reached → 75 %
    assert project.progress == 75
    assert project.progress_detail.milestones_done == 3


@pytest.mark.parametrize(
    "value, field",
    [
        (
            {"planned_start": datetime.date(2026, 3, 1), "planned_end": datetime.date(2026, 2, 1)},
            "planned_end",
        ),
        (
            {
                "actual_start": datetime.date(2026, 3, 1),
                "actual_end": datetime.date(2026, 2, 1),
                "status": "done",
            },
            "actual_end",
        ),
        ({"status": "done"}, "actual_end"),
        ({"status": "not_started", "actual_start": datetime.date(2026, 3, 1)}, "status"),
    ],
    ids=[
        "planned-end-before-start",
        "actual-end-before-start",
        "done-without-end",
        "not-started-but-started",
    ],
)
def test_phase_block_validation(value, field):
    block = PhaseBlock()
    data = {"title": "Phase", "status": "in_progress", "milestones": []}
    data.update(value)
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python({**block.get_prep_value(block.to_python({})), **_prep(data)}))
    assert field in error.value.block_errors


def _prep(data):
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in data.items()
    }


@pytest.mark.parametrize(
    "value, field",
    [
        ({"done": True}, "done_on"),
        ({"done": False, "done_on": "2026-01-01"}, "done"),
        ({"done": True, "done_on": "2999-01-01"}, "done_on"),
    ],
    ids=["done-without-date", "date-without-done", "future-date"],
)
def test_milestone_block_validation(value, field):
    block = MilestoneBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python({"title": "Milestone", **value}))
    assert field in error.value.block_errors


def test_a_valid_phase_passes():
    block = PhaseBlock()
    value = block.to_python(
        {
            "title": "Phase",
            "status": "done",
            "actual_start": "2026-01-01",
            "actual_end": "2026-02-01",
            "milestones": [],
        }
    )
    assert block.clean(value)["title"] == "Phase"
