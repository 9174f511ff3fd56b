"""Demo projects and activities (idempotent, fast).

- L'Heure Joyeuse: its youth citizen-participation project in Casablanca (Aïn
  Sebaâ–Hay Mohammadi, Aïn Chock, Nouaceur), ongoing, with phases in every state,
  two updates and recurring activities (a weekly workshop, a members-only monthly
  meeting with a cancelled date, a one-off public forum); and a completed project.
- Al Amal: a planned project and a weekly activity; a suspended project.

Dates are relative to the day the data is loaded, so the timeline always shows a
done, an in-progress, a late and a future phase, and the agenda is never empty.
"""

import datetime
import uuid

from django.utils import timezone

from wagtail.models import Locale

from accounts.models import User
from directory.models import AssociationPage, FieldOfActivity, Province
from home.translation import sync_new_page, translate_page

from . import activities as service
from .models import Activity, Frequency, ProgressUpdate, ProjectPage, ProjectPartner, Visibility

PARTNERS = [
    (
        "Union européenne – programme Moucharaka Mouwatina",
        ProjectPartner.FUNDER,
        "https://www.moucharaka.ma",
    ),
    (
        "Initiative nationale pour le développement humain (INDH)",
        ProjectPartner.FUNDER,
        "https://www.indh.ma",
    ),
    ("Préfecture d'arrondissements Aïn Sebaâ–Hay Mohammadi", ProjectPartner.PARTNER, ""),
    ("Maison des jeunes de Aïn Chock", ProjectPartner.PARTNER, ""),
]


def _d(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _milestone(title, due, done_on=None):
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "due_date": due,
            "done": bool(done_on),
            "done_on": done_on,
            "evidence_document": None,
            "evidence_image": None,
        },
    }


def _phase(title, status, planned, actual=(None, None), milestones=(), description=""):
    return {
        "type": "phase",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "status": status,
            "planned_start": planned[0],
            "planned_end": planned[1],
            "actual_start": actual[0],
            "actual_end": actual[1],
            "description": description,
            "milestones": list(milestones),
        },
    }


def youth_participation_timeline():
    """Done, in progress, delayed (late) and not started phases."""
    return [
        _phase(
            "التشخيص التشاركي في الأحياء الثلاثة",
            "done",
            (_d(-300), _d(-200)),
            (_d(-300), _d(-190)),
            [
                _milestone("استمارة لـ 600 شاب وشابة", _d(-240), _d(-245)),
                _milestone("تقرير التشخيص", _d(-200), _d(-192)),
            ],
            "Diagnostic participatif à Aïn Sebaâ–Hay Mohammadi, Aïn Chock et Nouaceur.",
        ),
        _phase(
            "تكوين الشباب في الترافع والمشاركة المواطنة",
            "in_progress",
            (_d(-180), _d(60)),
            (_d(-175), None),
            [
                _milestone("تكوين 40 منشطا", _d(-120), _d(-118)),
                _milestone("ورشات الترافع في دور الشباب", _d(20)),
                _milestone("دليل المشاركة المواطنة", _d(50)),
            ],
        ),
        _phase(
            "المنصة الرقمية jam3iatonline.ma",
            "delayed",
            (_d(-150), _d(-20)),
            (_d(-140), None),
            [_milestone("إطلاق النسخة التجريبية", _d(-30))],
        ),
        _phase(
            "عرائض ومقترحات لدى المجالس الجماعية",
            "not_started",
            (_d(70), _d(240)),
            milestones=[_milestone("إيداع عريضتين", _d(200))],
        ),
    ]


def completed_timeline():
    return [
        _phase(
            "ورشات القراءة",
            "done",
            (_d(-700), _d(-500)),
            (_d(-700), _d(-490)),
            [_milestone("20 ورشة", _d(-500), _d(-495))],
        ),
        _phase("التقييم", "done", (_d(-490), _d(-450)), (_d(-489), _d(-452))),
    ]


def _partners():
    rows = {}
    for name, kind, website in PARTNERS:
        rows[name], _created = ProjectPartner.objects.get_or_create(
            name=name, defaults={"kind": kind, "website": website}
        )
    return rows


def _project(
    association,
    slug,
    *,
    translations=None,
    provinces=(),
    fields=(),
    funders=(),
    partners=(),
    **data,
):
    existing = ProjectPage.objects.filter(
        slug=slug, locale=Locale.get_default(), association=association
    ).first()
    if existing is not None:
        return existing, False
    page = ProjectPage(slug=slug, locale=association.locale, association=association, **data)
    page.provinces = list(Province.source_terms().filter(slug__in=provinces))
    page.fields_of_activity = list(FieldOfActivity.source_terms().filter(slug__in=fields))
    page.funders = list(funders)
    page.partners = list(partners)
    association.add_child(instance=page)
    page.save_revision().publish()
    sync_new_page(page)
    for language, fields_ in (translations or {}).items():
        translate_page(page, language, **fields_)
    return page, True


def _activity(association, title, *, start, hours=2, project=None, user=None, **data):
    existing = Activity.objects.filter(association=association, event__title=title).first()
    if existing is not None:
        return existing
    activity = Activity(association=association, project=project, **data)
    return service.save_activity(
        activity,
        title=title,
        description="",
        start=start,
        end=start + datetime.timedelta(hours=hours),
        user=user,
    )


def _at(days, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _next_weekday(weekday, hour):
    today = timezone.localdate()
    ahead = (weekday - today.weekday()) % 7 or 7
    return _at(ahead, hour)


def load(command, options):
    default = Locale.get_default()
    heure = AssociationPage.objects.filter(
        registration_number="CASA-1959-0427", locale=default
    ).first()
    amal = AssociationPage.objects.filter(
        registration_number="HAOUZ-2004-0113", locale=default
    ).first()
    if heure is None or amal is None:
        command.stdout.write("  projects: the directory demo data is missing, skipped")
        return
    for association in (heure, amal):
        service.calendar_for(association)
    partners = _partners()
    admin = User.objects.filter(email="heure.joyeuse@example.org").first()
    member = User.objects.filter(email="member@example.org").first()

    youth, created = _project(
        heure,
        "youth-citizen-participation",
        title="مشاركة مواطنة لشباب الأحياء الهامشية بالدار البيضاء",
        summary=(
            "تعزيز مشاركة الشباب في الحياة العامة المحلية بعمالات عين السبع-الحي المحمدي "
            "وعين الشق والنواصر: تكوين، ترافع، ومنصة رقمية لجمعيات المجتمع المدني."
        ),
        objectives="<ul><li>تكوين 600 شاب وشابة</li><li>إيداع عرائض لدى المجالس الجماعية</li></ul>",
        status="ongoing",
        start_date=timezone.localdate() - datetime.timedelta(days=300),
        end_date=timezone.localdate() + datetime.timedelta(days=240),
        budget_mad=1850000,
        beneficiaries_targeted=600,
        beneficiaries_reached=410,
        provinces=["casablanca", "nouaceur"],
        areas="عين السبع-الحي المحمدي، عين الشق، النواصر",
        fields=["youth", "human-rights"],
        funders=[partners[PARTNERS[0][0]]],
        partners=[partners[PARTNERS[2][0]], partners[PARTNERS[3][0]]],
        timeline=youth_participation_timeline(),
        translations={
            "fr": {
                "title": "Participation citoyenne des jeunes des quartiers périphériques de Casablanca",
                "summary": (
                    "Renforcer la participation des jeunes à la vie publique locale à Aïn "
                    "Sebaâ–Hay Mohammadi, Aïn Chock et Nouaceur : formation, plaidoyer et une "
                    "plateforme numérique pour les associations."
                ),
            }
        },
    )
    _project(
        heure,
        "reading-workshops",
        title="ورشات القراءة في المدارس",
        summary="ورشات قراءة أسبوعية لأطفال المدارس العمومية بالحي المحمدي.",
        status="completed",
        start_date=timezone.localdate() - datetime.timedelta(days=700),
        end_date=timezone.localdate() - datetime.timedelta(days=450),
        budget_mad=120000,
        beneficiaries_targeted=300,
        beneficiaries_reached=340,
        provinces=["casablanca"],
        fields=["childhood", "education"],
        timeline=completed_timeline(),
    )
    amal_project, _created = _project(
        amal,
        "argan-cooperative",
        title="تعاونية نسائية لتثمين الأركان",
        summary="مواكبة 45 امرأة قروية لإنشاء تعاونية لتثمين الأركان بإقليم الحوز.",
        status="planned",
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=400),
        budget_mad=380000,
        beneficiaries_targeted=45,
        provinces=["al-haouz"],
        fields=["social-economy", "women-rights"],
        funders=[partners[PARTNERS[1][0]]],
        timeline=[
            _phase("دراسة الجدوى", "not_started", (_d(30), _d(90))),
            _phase("التكوين والتأسيس", "not_started", (_d(90), _d(400))),
        ],
    )
    _project(
        amal,
        "water-points",
        title="نقط الماء في الدواوير",
        summary="تجهيز نقط للماء الصالح للشرب في ثلاثة دواوير؛ المشروع متوقف في انتظار الترخيص.",
        status="suspended",
        provinces=["al-haouz"],
        fields=["rural-development"],
        timeline=[_phase("الدراسة التقنية", "delayed", (_d(-200), _d(-60)), (_d(-200), None))],
    )

    if created:
        ProgressUpdate.objects.create(
            project=youth,
            author=admin,
            title="40 منشطا جاهزون لتأطير ورشات الترافع",
            text="اختتمت الدورة التكوينية للمنشطين بدار الشباب عين الشق.",
            phase="تكوين الشباب في الترافع والمشاركة المواطنة",
            published_on=timezone.localdate() - datetime.timedelta(days=110),
        )
        ProgressUpdate.objects.create(
            project=youth,
            author=admin,
            title="Lancement de la version test de jam3iatonline.ma",
            text="La plateforme est en test auprès de 12 associations de Casablanca.",
            phase="المنصة الرقمية jam3iatonline.ma",
            published_on=timezone.localdate() - datetime.timedelta(days=12),
        )

    workshop = _activity(
        heure,
        "ورشة الترافع الأسبوعية",
        start=_next_weekday(2, 18),
        project=youth,
        user=admin,
        place="دار الشباب عين الشق",
        capacity=25,
        frequency=Frequency.WEEKLY,
        weekdays="WE",
        repeat_until=timezone.localdate() + datetime.timedelta(days=120),
    )
    meeting = _activity(
        heure,
        "اجتماع المكتب الشهري",
        start=_at(5, 19),
        user=admin,
        place="مقر الجمعية، عين السبع",
        visibility=Visibility.MEMBERS,
        frequency=Frequency.MONTHLY,
        repeat_until=timezone.localdate() + datetime.timedelta(days=200),
    )
    _activity(
        heure,
        "Forum des jeunes de Nouaceur",
        start=_at(21, 10),
        hours=5,
        project=youth,
        user=admin,
        place="Complexe culturel, Nouaceur",
        capacity=150,
    )
    _activity(
        amal,
        "لقاء تحسيسي مع النساء القرويات",
        start=_next_weekday(5, 10),
        project=amal_project,
        user=member,
        place="دار الجمعية، تحناوت",
        capacity=30,
        frequency=Frequency.WEEKLY,
        weekdays="SA",
        repeat_until=timezone.localdate() + datetime.timedelta(days=60),
    )
    # One cancelled date of the monthly meeting (the second one).
    if not meeting.event.occurrence_set.exists():
        dates = service.upcoming(meeting, count=2)
        if len(dates) == 2:
            dates[1].occurrence.cancel()
    if member is not None and workshop is not None and not workshop.registrations.exists():
        first = service.upcoming(workshop, count=1)
        if first:
            service.register(workshop.pk, first[0].occurrence, member)
    command.stdout.write("  projects and activities of L'Heure Joyeuse and Al Amal")
