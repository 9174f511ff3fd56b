from django.core.exceptions import ValidationError

import pytest

from directory.models import MembershipApplication, SizeCategory, size_category
from directory.validators import normalize_moroccan_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "people, budget, expected",
    [
        ((10, 0, 5), "", SizeCategory.SMALL),
        ((49, 2, 19), "50k-250k", SizeCategory.SMALL),
        ((50, 0, 0), "", SizeCategory.MEDIUM),
        ((10, 3, 0), "", SizeCategory.MEDIUM),
        ((10, 0, 0), "250k-1m", SizeCategory.MEDIUM),
        ((500, 0, 0), "", SizeCategory.LARGE),
        ((10, 20, 0), "", SizeCategory.LARGE),
        ((10, 0, 200), "", SizeCategory.LARGE),
        ((10, 0, 0), "gt1m", SizeCategory.LARGE),
    ],
)
def test_size_category_thresholds(people, budget, expected):
    assert size_category(*people, budget) == expected


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0661234567", "+212661234567"),
        ("06 61-23.45 67", "+212661234567"),
        ("+212 5 22 24 18 90", "+212522241890"),
        ("00212 7 00 11 22 33", "+212700112233"),
        ("(0522) 24 18 90", "+212522241890"),
    ],
)
def test_moroccan_phone_numbers_are_normalised(typed, stored):
    assert normalize_moroccan_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["0461234567", "+33612345678", "066123456", "phone", "06612345678"]
)
def test_other_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_moroccan_phone(typed)


def test_region_is_set_from_the_province(make_association):
    page = make_association(province="nouaceur")
    assert page.region.slug == "casablanca-settat"


def test_association_exists_in_every_language_with_a_latin_slug(make_association):
    page = make_association(name_fr="Association Tilelli pour la culture")
    urls = sorted(p.url for p in page.get_translations(inclusive=True))
    assert urls == [
        "/ar/associations/tilelli-pour-la-culture/",
        "/en/associations/tilelli-pour-la-culture/",
        "/fr/associations/tilelli-pour-la-culture/",
    ]


def test_duplicate_applications_are_detected(heure_joyeuse, make_association):
    from directory.models import Province

    casablanca = Province.source_terms().get(slug="casablanca")
    same_number = MembershipApplication(
        name_ar="x", registration_number="casa-1959-0427 ", province=casablanca
    )
    assert heure_joyeuse in same_number.possible_duplicates()
    # The same name written differently: diacritics, without the article, ta marbuta as ha.
    near_name = MembershipApplication(
        name_ar="جَمعيه ساعة فرح", registration_number="OTHER-1", province=casablanca
    )
    assert heure_joyeuse in near_name.possible_duplicates()
    elsewhere = Province.source_terms().get(slug="rabat")
    other_province = MembershipApplication(
        name_ar="جمعية ساعة الفرح", registration_number="OTHER-2", province=elsewhere
    )
    assert other_province.possible_duplicates() == []
