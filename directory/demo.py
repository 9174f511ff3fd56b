"""Demo data of the directory: L'Heure Joyeuse, the demo members' association and
28 hand-written associations across the 12 regions (data/demo_associations.json),
with their French descriptions; the search relevance set is written against them.

`load_demo_data --associations N` adds generated associations (see generate.py).
"""

import json
from pathlib import Path

from accounts.models import User
from home.translation import translate_page

from . import specialist_demo
from .creation import association_index, create_association
from .models import AssociationPage, Membership

HEURE_JOYEUSE = {
    "name_ar": "جمعية ساعة الفرح",
    "name_fr": "Association L'Heure Joyeuse",
    "acronym": "AHJ",
    "other_spellings": "jam3iat sa3at lfarah\nsa3at al farah\nsaat el farah\nL'Heure Joyeuse",
    "short_description": "جمعية تعمل منذ 1959 على حماية الطفولة وإدماج الشباب بالأحياء الهامشية للدار البيضاء.",
    "description": "<p>أطلقت الجمعية المنصة الرقمية jam3iatonline.ma لفائدة جمعيات المجتمع المدني، في إطار مشروع «مشاركة مواطنة لشباب الأحياء الهامشية بالدار البيضاء» (عين السبع-الحي المحمدي، عين الشق، النواصر) ضمن برنامج «مشاركة مواطنة» الممول من الاتحاد الأوروبي.</p>",
    "province": "casablanca",
    "city": "الدار البيضاء",
    "address": "عين السبع، الدار البيضاء",
    "latitude": "33.60450",
    "longitude": "-7.53270",
    "fields_of_activity": ["youth", "human-rights", "childhood"],
    "target_groups": ["youth", "women", "children"],
    "members_count": 320,
    "staff_count": 24,
    "volunteers_count": 150,
    "budget_band": "gt1m",
    "founded_year": 1959,
    "registration_number": "CASA-1959-0427",
    "public_utility": True,
    "email": "contact@heurejoyeuse.ma",
    "phone": "0522 24 18 90",
    "website": "https://www.heurejoyeuse.ma",
    "verified": True,
}

MEMBER_ASSOCIATION = {
    "name_ar": "جمعية الأمل للتنمية والتعاون",
    "name_fr": "Association Al Amal pour le développement et la coopération",
    "other_spellings": "jam3iat al amal\nal amal tanmia",
    "short_description": "تنمية محلية ودعم الأنشطة المدرة للدخل لفائدة النساء القرويات بإقليم الحوز.",
    "province": "al-haouz",
    "city": "تحناوت",
    "fields_of_activity": ["rural-development", "social-economy", "women-rights"],
    "target_groups": ["women", "rural-population"],
    "members_count": 85,
    "staff_count": 3,
    "volunteers_count": 40,
    "budget_band": "50k-250k",
    "founded_year": 2004,
    "registration_number": "HAOUZ-2004-0113",
    "email": "contact@alamal-haouz.ma",
    "phone": "0524 48 21 33",
}


def add_arguments(parser):
    parser.add_argument(
        "--associations",
        type=int,
        default=0,
        help="Also generate this many realistic associations (idempotent by number).",
    )


def ensure(data, email, role):
    page = AssociationPage.objects.filter(registration_number=data["registration_number"]).first()
    if page is None:
        page = create_association(**data)
    user = User.objects.get(email=email)
    Membership.objects.get_or_create(
        user=user, association=page.source_page, defaults={"role": role}
    )
    return page


def ensure_curated():
    """The hand-written associations, each with its French translation."""
    path = Path(__file__).resolve().parent / "data" / "demo_associations.json"
    for data in json.loads(path.read_text(encoding="utf-8")):
        if AssociationPage.objects.filter(registration_number=data["registration_number"]).exists():
            continue
        description_fr = data.pop("short_description_fr")
        page = create_association(**data)
        translate_page(page, "fr", title=data["name_fr"], short_description=description_fr)


def load(command, options):
    association_index()
    ensure(HEURE_JOYEUSE, "heure.joyeuse@example.org", Membership.ADMIN)
    ensure(MEMBER_ASSOCIATION, "member@example.org", Membership.MEMBER)
    ensure_curated()
    specialist_demo.load(command)
    count = options.get("associations") or 0
    if count:
        from .generate import generate_associations

        created = generate_associations(count, stdout=command.stdout)
        command.stdout.write(f"  {created} generated associations")
    command.stdout.write("  directory with L'Heure Joyeuse and the demo members' association")
