"""Demo specialists and requests (called from directory/demo.py's `load`).

- 30 specialists, drawn deterministically (seeded) from the demo names: number 1 is
  specialist@example.org (د. نادية العلوي, psychology and childhood, Casablanca-Settat);
  the others get an account spec-NN@example.org without a usable password. The first
  page goes through Wagtail; accounts, group memberships, the other 29 pages (published
  in Arabic with French and English aliases, like associations) and the requests are
  bulk inserted.
- requests in every state between L'Heure Joyeuse, Al Amal, a hand-written association
  and the specialists; specialist@example.org has two pending requests and published
  feedback. No e-mail is sent.

Idempotent: nothing is created again when the demo specialists exist.
"""

import copy
import json
import random
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from wagtail.models import Locale, Page, Revision
from wagtail.search.backends import get_search_backends
from wagtail_localize.models import LocaleSynchronization

from modelcluster.models import get_serializable_data_for_fields

from accounts import roles
from accounts.models import User

from .generate import _Generator
from .models import AssociationPage
from .requests import open_conversation
from .specialist_creation import create_specialist, specialist_index, unique_slug
from .specialists import (
    Language,
    Pricing,
    Skill,
    SpecialistFeedback,
    SpecialistPage,
    SpecialistRequest,
)
from .taxonomies import FieldOfActivity, Region

COUNT = 30
NAMES = Path(__file__).resolve().parent / "data" / "demo_names.json"
SPECIALIST_EMAIL = "specialist@example.org"

# What the demo headline says a specialist does, by main skill.
PROFESSIONS = {
    Skill.PROJECT_MANAGEMENT: "خبرة في تدبير المشاريع الاجتماعية",
    Skill.FUNDRAISING: "خبرة في تعبئة الموارد وإعداد طلبات التمويل",
    Skill.ACCOUNTING: "محاسبة وتدبير مالي للجمعيات",
    Skill.LEGAL: "استشارة قانونية للجمعيات",
    Skill.COMMUNICATION: "تواصل ومرافعة",
    Skill.EVALUATION: "تتبع وتقييم المشاريع",
    Skill.PSYCHOLOGY: "دعم نفسي للأطفال والأسر",
    Skill.SOCIAL_WORK: "عمل اجتماعي ومواكبة الأسر",
    Skill.DIGITAL: "أدوات رقمية وتكوين",
    Skill.TRAINING: "تكوين وتنشيط ورشات",
}
FIRST_SPECIALIST = {
    "name": "د. نادية العلوي",
    "headline": "أخصائية نفسية للأطفال، 15 سنة من الخبرة مع الجمعيات",
    "slug_hint": "nadia-el-alaoui",
    "fields_of_activity": ["childhood", "youth", "health"],
    "skills": [Skill.PSYCHOLOGY, Skill.TRAINING],
    "languages": [Language.ARABIC, Language.DARIJA, Language.FRENCH],
    "regions": ["casablanca-settat", "rabat-sale-kenitra"],
    "city": "الدار البيضاء",
    "works_remotely": True,
    "works_in_person": True,
    "hours_per_month": 12,
    "pricing": Pricing.PRO_BONO,
    "biography": (
        "<p>أخصائية نفسية إكلينيكية، تشتغل منذ 15 سنة مع جمعيات حماية الطفولة بالدار "
        "البيضاء. تؤطر ورشات لفائدة المربين حول الدعم النفسي والاجتماعي للأطفال.</p>"
    ),
    "verified": True,
}


def load(command):
    if SpecialistPage.objects.filter(user__email=SPECIALIST_EMAIL).exists():
        return
    started = time.monotonic()
    with transaction.atomic():
        specialist_index()
        pages = create_specialists()
        create_requests(pages)
    command.stdout.write(
        f"  {len(pages)} specialists with requests in every state "
        f"({time.monotonic() - started:.1f} s)"
    )


def create_specialists():
    """specialist@example.org through Wagtail (the reference), the 29 others in bulk."""
    rng = random.Random("rabita-specialists")
    names = json.loads(NAMES.read_text(encoding="utf-8"))
    fields = list(FieldOfActivity.source_terms().values_list("slug", flat=True))
    regions = list(Region.source_terms().order_by("code").values_list("slug", flat=True))
    users = _accounts()
    first = create_specialist(user=users[0], **FIRST_SPECIALIST)
    drafts = []
    for user in users[1:]:
        first_name = rng.choice(names["first_names_ar_fr"])
        last_name = rng.choice(names["last_names_ar_fr"])
        skills = rng.sample(list(Skill.values), k=rng.randint(1, 3))
        languages = [Language.ARABIC] + rng.sample(
            [
                Language.DARIJA,
                Language.FRENCH,
                Language.ENGLISH,
                Language.AMAZIGH,
                Language.SPANISH,
            ],
            k=rng.randint(1, 3),
        )
        remote = rng.random() < 0.7
        years = rng.randint(3, 25)
        wait = rng.choice([None, None, 0, 10, 30, 60])
        drafts.append(
            {
                "user": user,
                "name": f"{first_name['ar']} {last_name['ar']}",
                "slug_hint": f"{first_name['fr']} {last_name['fr']}",
                "headline": f"{PROFESSIONS[skills[0]]}، {years} سنة من الخبرة",
                "fields_of_activity": rng.sample(fields, k=rng.randint(1, 3)),
                "skills": skills,
                "languages": languages,
                "regions": rng.sample(regions, k=rng.randint(1, 3)),
                "works_remotely": remote,
                "works_in_person": not remote or rng.random() < 0.6,
                "hours_per_month": rng.choice([0, 4, 8, 10, 16, 20, 30]),
                "next_available": (
                    None if wait is None else timezone.localdate() + timedelta(days=wait)
                ),
                "pricing": rng.choice(list(Pricing.values)),
                "biography": (
                    f"<p>{PROFESSIONS[skills[0]]} منذ {years} سنة، "
                    "بشراكة مع جمعيات المجتمع المدني والمؤسسات العمومية.</p>"
                ),
                "verified": rng.random() < 0.6,
            }
        )
    # Their accounts go by their names (in messages, on the dashboard), not "spec-07".
    for draft in drafts:
        draft["user"].display_name = draft["name"]
    User.objects.bulk_update([draft["user"] for draft in drafts], ["display_name"])
    return [first, *_BulkSpecialists(rng).create(drafts)]


class _BulkSpecialists(_Generator):
    """Specialists' pages written in bulk, the way Wagtail would (see generate.py, whose
    tree placement and INSERT helpers this reuses): published source pages with their
    revision, synchronised aliases under the directory's translations, terms and the
    search index. Through Wagtail, each page costs about 0.3 s (three page saves, a
    revision, two aliases, six index updates); here the 29 take a few hundredths."""

    def __init__(self, rng):  # noqa: D107 — none of the association generator's data
        self.rng = rng
        self.now = timezone.now()
        self.db = router.db_for_write(Page)
        self.connection = connections[self.db]
        self.stdout = None

    def create(self, drafts):
        index = specialist_index()
        default = Locale.get_default()
        content_type = ContentType.objects.get_for_model(SpecialistPage)
        page_content_type = ContentType.objects.get_for_model(Page)
        taken = set(index.get_children().values_list("slug", flat=True))
        field_ids = dict(FieldOfActivity.source_terms().values_list("slug", "pk"))
        region_ids = dict(Region.source_terms().values_list("slug", "pk"))
        sources = []
        for draft in drafts:
            slug = unique_slug(index, draft.pop("slug_hint"), taken)
            taken.add(slug)
            draft["fields"] = [field_ids[slug] for slug in draft.pop("fields_of_activity")]
            draft["region_ids"] = [region_ids[slug] for slug in draft.pop("regions")]
            published = self.now - timedelta(days=self.rng.randint(1, 400))
            sources.append(
                SpecialistPage(
                    title=draft["name"],
                    draft_title=draft["name"],
                    slug=slug,
                    locale_id=default.pk,
                    translation_key=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                    content_type_id=content_type.pk,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    latest_revision_created_at=published,
                    **{
                        key: value
                        for key, value in draft.items()
                        if key not in ("fields", "region_ids")
                    },
                )
            )
        self.write(sources, index, drafts)
        revisions = []
        for page, draft in zip(sources, drafts, strict=True):
            content = get_serializable_data_for_fields(page)
            content.update(
                fields_of_activity=draft["fields"],
                regions=draft["region_ids"],
                wagtail_admin_comments=[],
            )
            revisions.append(
                Revision(
                    content_type_id=content_type.pk,
                    base_content_type_id=page_content_type.pk,
                    object_id=str(page.pk),
                    created_at=page.last_published_at,
                    object_str=page.title,
                    content=content,
                )
            )
        for page, revision in zip(sources, Revision.objects.bulk_create(revisions), strict=True):
            Page.objects.filter(pk=page.pk).update(
                latest_revision_id=revision.pk, live_revision_id=revision.pk
            )
        aliases = []
        synchronised = LocaleSynchronization.objects.filter(sync_from=default).values("locale_id")
        for parent in index.get_translations().filter(locale_id__in=synchronised):
            pages = []
            for source in sources:
                alias = copy.copy(source)
                alias.__dict__.update(
                    id=None,
                    page_ptr_id=None,
                    locale_id=parent.locale_id,
                    alias_of_id=source.pk,
                    latest_revision_id=None,
                    live_revision_id=None,
                )
                alias._state = ModelState()
                pages.append(alias)
            self.write(pages, parent, drafts)
            aliases += pages
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(SpecialistPage, sources + aliases)
        return sources

    def write(self, pages, parent, drafts):
        self.place(pages, parent)
        self.insert(
            Page,
            pages,
            [f for f in Page._meta.local_concrete_fields if not f.primary_key],
            returning=True,
        )
        self.insert(SpecialistPage, pages, list(SpecialistPage._meta.local_concrete_fields))
        for name, key, column in (
            ("fields_of_activity", "fields", "fieldofactivity_id"),
            ("regions", "region_ids", "region_id"),
        ):
            through = SpecialistPage._meta.get_field(name).remote_field.through
            through.objects.bulk_create(
                [
                    through(specialistpage_id=page.pk, **{column: term_id})
                    for page, draft in zip(pages, drafts, strict=True)
                    for term_id in draft[key]
                ]
            )


def _accounts():
    """specialist@example.org (a demo account) and spec-02…spec-30, in bulk."""
    first = User.objects.get(email=SPECIALIST_EMAIL)
    emails = [f"spec-{number:02d}@example.org" for number in range(2, COUNT + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(email=email, password=password, display_name=email.split("@")[0])
            for email in emails
            if email not in existing
        ]
    )
    others = list(User.objects.filter(email__in=emails).order_by("email"))
    group = Group.objects.get(name=roles.SPECIALISTS)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in others],
        ignore_conflicts=True,
    )
    return [first, *others]


def create_requests(pages):
    default = Locale.get_default()
    heure = AssociationPage.objects.get(registration_number="CASA-1959-0427", locale=default)
    amal = AssociationPage.objects.get(registration_number="HAOUZ-2004-0113", locale=default)
    third = AssociationPage.objects.filter(registration_number="DEMO-005", locale=default).first()
    third = third or amal
    heure_admin = User.objects.get(email="heure.joyeuse@example.org")
    amal_member = User.objects.get(email="member@example.org")
    now = timezone.now()
    today = timezone.localdate()
    need = {
        "childhood": "نحتاج إلى تأطير فريق المربين حول الدعم النفسي للأطفال في وضعية صعبة.",
        "rural-development": "نود إعداد دراسة جدوى لمشروع تعاونية نسائية لتثمين المنتجات المحلية.",
        "youth": "نبحث عن مواكبة لإعداد ملف طلب تمويل لمشروع إدماج الشباب.",
        "education": "نحتاج إلى تقييم برنامج الدعم المدرسي الذي أطلقناه هذه السنة.",
    }
    fields = {term.slug: term for term in FieldOfActivity.source_terms()}
    S = SpecialistRequest.Status
    # (association, requester, specialist number, status, days ago, field)
    plan = [
        (amal, amal_member, 1, S.PENDING, 2, "rural-development"),
        (third, None, 1, S.PENDING, 5, "education"),
        (heure, heure_admin, 1, S.COMPLETED, 60, "childhood"),
        (heure, heure_admin, 2, S.DATES_PROPOSED, 3, "youth"),
        (heure, heure_admin, 3, S.ACCEPTED, 12, "childhood"),
        (amal, amal_member, 4, S.DECLINED, 20, "rural-development"),
        (amal, amal_member, 5, S.COMPLETED, 45, "rural-development"),
        (heure, heure_admin, 6, S.EXPIRED, 15, "youth"),
        (amal, amal_member, 7, S.WITHDRAWN, 9, "education"),
        (heure, heure_admin, 8, S.COMPLETED, 90, "education"),
    ]
    rows = []
    for association, requester, number, status, days, field in plan:
        created = now - timedelta(days=days)
        row = SpecialistRequest(
            association=association,
            specialist=pages[number - 1],
            requested_by=requester,
            status=status,
            need=need[field],
            field=fields.get(field),
            expected_format=SpecialistRequest.Format.TRAINING
            if field == "childhood"
            else SpecialistRequest.Format.ADVICE,
            preferred_start=(created + timedelta(days=14)).date(),
            preferred_end=(created + timedelta(days=30)).date(),
            urgency=SpecialistRequest.Urgency.NORMAL,
            created_at=created,
            waiting_since=created,
        )
        if status == S.DATES_PROPOSED:
            row.proposed_start = today + timedelta(days=20)
            row.proposed_end = today + timedelta(days=27)
            row.specialist_message = (
                "لست متاحا في التواريخ المقترحة، لكن يمكنني المساعدة بعد أسبوعين."
            )
            row.waiting_since = now - timedelta(days=1)
        if status == S.DECLINED:
            row.specialist_message = (
                "لا أشتغل في هذا المجال، أنصحكم بالتواصل مع متخصص في التنمية القروية."
            )
        if status in (S.ACCEPTED, S.COMPLETED):
            row.accepted_at = created + timedelta(days=1)
        if status in (S.COMPLETED, S.DECLINED, S.EXPIRED, S.WITHDRAWN):
            row.closed_at = created + timedelta(days=8 if status == S.EXPIRED else 3)
        rows.append(row)
    created_rows = SpecialistRequest.objects.bulk_create(rows)
    feedback = [
        SpecialistFeedback(
            request=created_rows[2],
            author=heure_admin,
            rating=5,
            comment="تأطير ممتاز ومفيد جدا لفريق المربين، شكرا جزيلا.",
            status=SpecialistFeedback.Status.APPROVED,
            moderated_at=now - timedelta(days=50),
        ),
        SpecialistFeedback(
            request=created_rows[6],
            author=amal_member,
            rating=4,
            comment="Accompagnement sérieux, l'étude nous a beaucoup aidés.",
        ),
    ]
    SpecialistFeedback.objects.bulk_create(feedback)
    # The accepted request has its conversation, as if accepted on the site.
    for row in created_rows:
        if row.status == S.ACCEPTED:
            open_conversation(row)
    return created_rows
