"""Generated demo associations: thousands of realistic profiles in seconds.

`generate_associations(n)` makes sure that the generated associations number 1 to n
exist (registration numbers GEN-00001, GEN-00002…): running it again creates nothing,
and a larger n adds only the missing ones. Each association is deterministic, drawn
by its own random generator seeded with its number:

- names: a real naming pattern of directory/data/demo_names.json ("جمعية {name} للتنمية
  المحلية" / "Association {name} pour le développement local") with one of its names,
  sometimes followed by the city; the other spellings hold the Latin-script darija
  spelling ("jam3iat al amal");
- location: a region weighted by population (the first 12 numbers cover the 12
  regions), a province of it, one of its cities, an address, coordinates near the
  province's centre with a small jitter;
- fields of activity from the pattern (the first 15 numbers cover every field), target
  groups that go with them, an Arabic short and long description built from them;
- size: about 55% small, 33% medium, 12% large (see models.size_category);
- founded 1960–2024 (mostly recent), contacts on example.org, about a third verified;
- for some associations, a generated administrator (gen-<number>@example.org, no
  usable password) and sometimes a member.

Why not `creation.create_association`: publishing a page through Wagtail (add_child,
a revision, publish, one alias per language) costs about a hundred queries, minutes
for 10,000 associations. Here the rows are written in bulk, the way Wagtail would:

- pages get treebeard materialised paths after the last child of the directory
  (`Page._get_path`), depth, url_path, locale, translation_key, live, publication dates;
  the parent's numchild is raised once;
- each source page gets a published revision (as `save_revision().publish()` leaves);
- the French and English versions are aliases (alias_of, the same translation_key and
  slug) under the directory's translation in each synchronised locale, as
  wagtail-localize's `create_aliases_for_new_page` would make them;
- many-to-many rows, users, groups and memberships are bulk inserted;
- the new pages are added to every search backend with `add_bulk`.

No signal is sent (page_published, post_save): the search index is updated here; the
admin's reference index ("usage" of snippets) is not — `manage.py
rebuild_references_index` rebuilds it if needed.
"""

import json
import random
import re
import time
import unicodedata
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, router, transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery, prefetch_related_objects
from django.db.models.base import ModelState
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Locale, Page, Revision
from wagtail.search.backends import get_search_backends

from modelcluster.models import get_serializable_data_for_fields

from accounts import roles
from accounts.models import User
from home.indexing import (
    add_items,
    copy_alias_entries,
    deferred_title_norms,
    freeze_computed_search_fields,
)

from .creation import association_index
from .listing import is_restricted
from .models import (
    AssociationPage,
    FieldOfActivity,
    Membership,
    Province,
    Region,
    TargetGroup,
    size_category,
)

NUMBER_PREFIX = "GEN-"
DATA = Path(__file__).parent / "data" / "demo_names.json"

# Rows per INSERT and per search-index call: well under SQLite's 32,766 variables.
BATCH = 400

# Share of Morocco's population by region (2014 census, rounded): where associations are.
REGION_WEIGHTS = {
    "01": 10.5,
    "02": 6.8,
    "03": 12.4,
    "04": 13.5,
    "05": 7.4,
    "06": 20.3,
    "07": 13.4,
    "08": 4.8,
    "09": 7.9,
    "10": 1.3,
    "11": 1.1,
    "12": 0.4,
}
# Landline prefixes by region (05 + two digits).
AREA_CODES = {
    "01": "39",
    "02": "36",
    "03": "35",
    "04": "37",
    "05": "23",
    "06": "22",
    "07": "24",
    "08": "35",
    "09": "28",
    "10": "28",
    "11": "28",
    "12": "28",
}
# The kind of organisation (first word of the Arabic name): darija spelling, and
# whether the word is masculine (verbs agree with it in the description).
KINDS = {
    "جمعية": ("jam3iat", False),
    "مؤسسة": ("mo2assasat", False),
    "شبكة": ("chabakat", False),
    "منتدى": ("montada", True),
    "فضاء": ("fada2", True),
    "نادي": ("nadi", True),
}
# Target groups an association of each field most often works with.
GROUPS_BY_FIELD = {
    "education": ["students", "children"],
    "health": ["precarious-families", "elderly"],
    "women-rights": ["women"],
    "youth": ["youth", "students"],
    "childhood": ["children"],
    "disability": ["people-with-disabilities"],
    "elderly": ["elderly"],
    "environment": ["rural-population", "youth"],
    "culture-heritage": ["youth"],
    "human-rights": ["women", "migrants-refugees"],
    "rural-development": ["rural-population", "women"],
    "social-economy": ["women", "unemployed"],
    "sport": ["youth", "children"],
    "digital-inclusion": ["youth", "unemployed", "students"],
    "humanitarian-aid": ["precarious-families", "migrants-refugees"],
}
# What associations of each field do, for the long description.
ACTIVITIES = {
    "education": "دروس الدعم المدرسي ومحاربة الأمية والتعليم الأولي",
    "health": "حملات التوعية الصحية والقوافل الطبية ومواكبة المرضى",
    "women-rights": "الاستماع للنساء ضحايا العنف وتوجيههن والتحسيس بالمساواة",
    "youth": "الأندية الشبابية والتكوين في المهارات الحياتية والمشاركة المواطنة",
    "childhood": "حماية الأطفال في وضعية صعبة والأنشطة التربوية والترفيهية",
    "disability": "التربية الخاصة والترويض وإدماج الأشخاص في وضعية إعاقة",
    "elderly": "رعاية الأشخاص المسنين وزياراتهم ومرافقتهم",
    "environment": "التشجير وحملات النظافة والتربية البيئية",
    "culture-heritage": "المهرجانات المحلية وورشات الفنون والمحافظة على التراث",
    "human-rights": "التربية على حقوق الإنسان ومواكبة الترافع المحلي",
    "rural-development": "فك العزلة والتزويد بالماء الصالح للشرب والمشاريع القروية",
    "social-economy": "التعاونيات والأنشطة المدرة للدخل والتكوين المهني",
    "sport": "المدارس الرياضية والدوريات المحلية",
    "digital-inclusion": "التكوين في المعلوميات والولوج إلى الخدمات الرقمية",
    "humanitarian-aid": "توزيع المساعدات الغذائية والتدخل عند الكوارث",
}
STREETS = [
    "شارع محمد الخامس",
    "شارع الحسن الثاني",
    "زنقة المسيرة",
    "شارع الجيش الملكي",
    "زنقة الأندلس",
    "شارع الزرقطوني",
    "زنقة فلسطين",
    "شارع المقاومة",
    "زنقة الوحدة",
    "شارع للا الياقوت",
]
FRENCH_SMALL_WORDS = {"pour", "de", "des", "du", "la", "le", "les", "et", "l", "d", "aux", "au"}


def registration_number(number):
    return f"{NUMBER_PREFIX}{number:05d}"


def generate_associations(n, stdout=None):
    """Make sure generated associations 1…n exist; return how many were created."""
    started = time.monotonic()
    with transaction.atomic():
        created = _Generator(stdout).run(n)
    if created and connection.vendor == "postgresql":
        # Thousands of rows written at once: fresh statistics, or PostgreSQL plans
        # the directory's and the search's queries for the tables as they were.
        # VACUUM (outside a transaction only) also marks the new rows visible to
        # the index-only scans of the directory's counts, as autovacuum would later.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            if not connection.in_atomic_block:
                cursor.execute(f"VACUUM {AssociationPage._meta.db_table}")
    if stdout is not None and created:
        stdout.write(f"  generated {created} associations in {time.monotonic() - started:.1f} s")
    return created


class _Generator:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.started = time.monotonic()
        self.now = timezone.now()
        self.data = json.loads(DATA.read_text(encoding="utf-8"))
        self.db = router.db_for_write(Page)
        self.connection = connections[self.db]

    def say(self, message):
        if self.stdout is not None:
            elapsed = time.monotonic() - self.started
            self.stdout.write(f"  {message} ({elapsed:.1f} s)")

    # ------------------------------------------------------------------ setup
    def load_reference(self):
        self.default_locale = Locale.get_default()
        self.index = association_index()
        # The directory in every synchronised locale: aliases go under these.
        synchronised = set()
        try:
            from wagtail_localize.models import LocaleSynchronization

            synchronised = set(
                LocaleSynchronization.objects.filter(sync_from=self.default_locale).values_list(
                    "locale_id", flat=True
                )
            )
        except ImportError:  # pragma: no cover - wagtail-localize is installed
            pass
        self.alias_parents = [
            page
            for page in self.index.get_translations().select_related("locale")
            if page.locale_id in synchronised
        ]
        self.parents = [self.index, *self.alias_parents]
        # What `AssociationPage.save()` would store (listing.py): the locale of the
        # directory under which a page is, unless a view restriction hides it.
        self.listed_locale = {
            parent.pk: None if is_restricted(parent) else parent.locale_id
            for parent in self.parents
        }

        self.regions = list(Region.source_terms().order_by("code"))
        provinces = list(Province.source_terms().order_by("slug"))
        self.provinces_by_region = {region.pk: [] for region in self.regions}
        for province in provinces:
            self.provinces_by_region.setdefault(province.region_id, []).append(province)
        self.region_code = {region.pk: region.code for region in self.regions}
        self.fields = list(FieldOfActivity.source_terms().order_by("sort_order", "slug"))
        self.groups = list(TargetGroup.source_terms().order_by("sort_order", "slug"))
        self.field_by_slug = {term.slug: term for term in self.fields}
        self.group_by_slug = {term.slug: term for term in self.groups}

        self.cities = {}
        for city in self.data["cities"]:
            self.cities.setdefault(city["province"], []).append(city)
        self.content_type = ContentType.objects.get_for_model(AssociationPage)
        self.page_content_type = ContentType.objects.get_for_model(Page)

    # ------------------------------------------------------------------ run
    def run(self, n):
        if n <= 0:
            return 0
        self.load_reference()
        existing = set(
            AssociationPage.objects.filter(
                locale=self.default_locale, registration_number__startswith=NUMBER_PREFIX
            ).values_list("registration_number", flat=True)
        )
        numbers = [i for i in range(1, n + 1) if registration_number(i) not in existing]
        if not numbers:
            return 0
        self.say(f"generating {len(numbers)} associations…")
        children = Q()
        for parent in self.parents:
            children |= Q(path__startswith=parent.path, depth=parent.depth + 1)
        self.taken_slugs = set(Page.objects.filter(children).values_list("slug", flat=True))
        drafts = [self.draft(number) for number in numbers]
        self.say("drafted")
        sources = self.create_sources(drafts)
        self.create_revisions(sources, drafts)
        self.say("pages and revisions written")
        aliases = self.create_aliases(sources, drafts)
        self.say("aliases written")
        self.create_people(sources, drafts)
        self.say("administrators and members written")
        self.update_search_index(sources, aliases)
        self.say("search index updated")
        return len(sources)

    # ------------------------------------------------------------------ drafting
    def draft(self, number):
        """Everything about association `number`, before it touches the database."""
        rng = random.Random(f"rabita-association-{number}")
        region = self.pick_region(rng, number)
        province = self.pick_province(rng, region)
        pattern, fields = self.pick_pattern_and_fields(rng, number)
        name = rng.choice(self.data["names"])
        city = self.pick_city(rng, province)
        name_ar = pattern["ar"].format(name=name["ar"])
        name_fr = pattern["fr"].format(name=name["fr"])
        if rng.random() < 0.35:
            name_ar = f"{name_ar} ب{city['ar']}"
            name_fr = f"{name_fr} {_french_of(city['fr'])}"
        kind = name_ar.split()[0]
        kind_darija, masculine = KINDS.get(kind, ("", False))
        spellings = [f"{kind_darija} {name['darija']}".strip(), name["darija"]]
        acronym = _acronym(name_fr) if rng.random() < 0.35 else ""

        groups = self.pick_groups(rng, fields)
        members, staff, volunteers, budget = _size(rng)
        founded = 2024 - int(rng.triangular(0, 64, 10))
        slug = self.unique_slug(name_fr)
        label = slug[:40].strip("-") or f"association-{number}"
        latitude, longitude = _near(rng, province)
        last_published = self.now - timedelta(
            days=rng.randint(1, 700), minutes=rng.randint(0, 1440)
        )
        first_published = last_published - timedelta(days=rng.randint(0, 1500))
        region_code = self.region_code[region.pk]

        if rng.random() < 0.6:
            phone = f"+212{rng.choice('67')}{rng.randint(0, 99_999_999):08d}"
        else:
            phone = f"+2125{AREA_CODES[region_code]}{rng.randint(0, 999_999):06d}"
        short, long = self.descriptions(kind, masculine, fields, groups, city, founded)

        page = AssociationPage(
            # Page
            title=name_ar,
            draft_title=name_ar,
            slug=slug,
            locale_id=self.default_locale.pk,
            translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            content_type_id=self.content_type.pk,
            live=True,
            listed_locale_id=self.listed_locale[self.index.pk],
            has_unpublished_changes=False,
            first_published_at=first_published,
            last_published_at=last_published,
            latest_revision_created_at=last_published,
            show_in_menus=False,
            # Association
            name_ar=name_ar,
            name_fr=name_fr,
            acronym=acronym,
            other_spellings="\n".join(spellings),
            short_description=short,
            description=long,
            province_id=province.pk,
            region_id=region.pk,
            city=city["ar"],
            address=self.address(rng, province, city),
            latitude=latitude,
            longitude=longitude,
            members_count=members,
            staff_count=staff,
            volunteers_count=volunteers,
            budget_band=budget,
            size_category=size_category(members, staff, volunteers, budget),
            founded_year=founded,
            registration_number=registration_number(number),
            registration_date=date(founded, rng.randint(1, 12), rng.randint(1, 28)),
            public_utility=founded < 2005 and members >= 300 and rng.random() < 0.3,
            email=f"contact@{label}.example.org",
            phone=phone,
            website=f"https://{label}.example.org/" if rng.random() < 0.35 else "",
            facebook_url=(
                f"https://www.facebook.com/rabita.demo.{number}" if rng.random() < 0.5 else ""
            ),
            instagram_url=(
                f"https://www.instagram.com/rabita.demo.{number}" if rng.random() < 0.2 else ""
            ),
            youtube_url=(
                f"https://www.youtube.com/@rabita.demo.{number}" if rng.random() < 0.05 else ""
            ),
            verified=rng.random() < 0.35,
        )
        return {
            "number": number,
            "rng": rng,
            "page": page,
            "fields": [term.pk for term in fields],
            "groups": [term.pk for term in groups],
        }

    def pick_region(self, rng, number):
        if number <= len(self.regions):  # the first ones cover every region
            return self.regions[number - 1]
        weights = [REGION_WEIGHTS.get(region.code, 1) for region in self.regions]
        return rng.choices(self.regions, weights=weights)[0]

    def pick_province(self, rng, region):
        provinces = self.provinces_by_region[region.pk]
        # Prefectures are the big cities: twice the associations of a province.
        weights = [2 if p.kind == Province.PREFECTURE else 1 for p in provinces]
        return rng.choices(provinces, weights=weights)[0]

    def pick_pattern_and_fields(self, rng, number):
        patterns = self.data["patterns"]
        required = None
        if number <= len(self.fields):  # the first ones cover every field
            required = self.fields[number - 1].slug
            matching = [p for p in patterns if required in p["fields"]]
            patterns = matching or patterns
        pattern = rng.choice(patterns)
        slugs = [slug for slug in pattern["fields"] if slug in self.field_by_slug]
        if required and required not in slugs:
            slugs.append(required)
        if rng.random() < 0.3:
            extra = rng.choice(self.fields).slug
            if extra not in slugs:
                slugs.append(extra)
        if not slugs:
            slugs = [rng.choice(self.fields).slug]
        return pattern, [self.field_by_slug[slug] for slug in slugs]

    def pick_groups(self, rng, fields):
        likely = []
        for field in fields:
            for slug in GROUPS_BY_FIELD.get(field.slug, []):
                if slug in self.group_by_slug and slug not in likely:
                    likely.append(slug)
        if not likely:
            return [rng.choice(self.groups)] if self.groups else []
        chosen = rng.sample(likely, k=rng.randint(1, min(3, len(likely))))
        return [self.group_by_slug[slug] for slug in chosen]

    def pick_city(self, rng, province):
        cities = self.cities.get(province.slug)
        if cities:
            return rng.choice(cities)
        return {"ar": province.name, "fr": province.slug.replace("-", " ").title()}

    def address(self, rng, province, city):
        if province.slug == "casablanca" and self.data.get("neighbourhoods_casablanca"):
            neighbourhood = rng.choice(self.data["neighbourhoods_casablanca"])
            return f"{rng.choice(STREETS)}، رقم {rng.randint(1, 250)}، {neighbourhood['ar']}، {city['ar']}"
        if rng.random() < 0.25:
            return f"دار الشباب، {city['ar']}"
        return f"{rng.choice(STREETS)}، رقم {rng.randint(1, 250)}، {city['ar']}"

    def descriptions(self, kind, masculine, fields, groups, city, founded):
        """Arabic descriptions, as lists after colons (names stay in the nominative)."""
        active, was_founded, works, its = (
            ("ينشط", "تأسس", "يعمل", "ه") if masculine else ("تنشط", "تأسست", "تعمل", "ها")
        )
        short = f"{kind} {active} ب{city['ar']}، {was_founded} سنة {founded}."
        short += f" مجالات عمل{its}: {_arabic_list([term.name for term in fields])}."
        if groups:
            short += f" الفئات المستهدفة: {_arabic_list([term.name for term in groups])}."
        activities = [ACTIVITIES[term.slug] for term in fields if term.slug in ACTIVITIES]
        long = f"<p>من أنشطت{its}: {_arabic_list(activities)}.</p>" if activities else ""
        long += (
            f"<p>{works} بشراكة مع الجماعة الترابية والمصالح اللاممركزة للدولة "
            f"وجمعيات الشبكة ب{city['ar']}.</p>"
        )
        return short[:300], long

    def unique_slug(self, name_fr):
        base = slugify(re.sub(r"^(association|assoc\.?)\s+", "", name_fr, flags=re.I))
        base = base[:60].strip("-") or "association"
        slug, number = base, 2
        while slug in self.taken_slugs:
            slug, number = f"{base}-{number}", number + 1
        self.taken_slugs.add(slug)
        return slug

    # ------------------------------------------------------------------ writing
    def insert(self, model, objs, fields, returning=False):
        """Bulk INSERT of `objs` into `model`'s own table; sets ids when `returning`.

        `bulk_create` refuses multi-table inherited models (AssociationPage), so the
        Page rows and the AssociationPage rows are inserted separately, as Django's
        own `save()` does, but many rows at a time.
        """
        queryset = model._base_manager.using(self.db)
        size = max(1, min(BATCH, self.connection.ops.bulk_batch_size(fields, objs)))
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            rows = queryset._insert(
                chunk, fields=fields, returning_fields=[model._meta.pk] if returning else None
            )
            if returning:
                for obj, row in zip(chunk, rows, strict=True):
                    obj.id = obj.page_ptr_id = row[0]

    def next_step(self, parent):
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        if last is None:
            return 1
        return int(last[-Page.steplen :], len(Page.alphabet)) + 1

    def place(self, pages, parent):
        """Give `pages` tree positions after the last child of `parent`."""
        step = self.next_step(parent)
        depth = parent.depth + 1
        for offset, page in enumerate(pages):
            page.path = Page._get_path(parent.path, depth, step + offset)
            page.depth = depth
            page.numchild = 0
            page.url_path = f"{parent.url_path}{page.slug}/"
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))

    def create_pages(self, pages):
        page_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
        association_fields = list(AssociationPage._meta.local_concrete_fields)
        self.insert(Page, pages, page_fields, returning=True)
        self.insert(AssociationPage, pages, association_fields)

    def create_terms(self, pages, drafts):
        for name, key in (("fields_of_activity", "fields"), ("target_groups", "groups")):
            field = AssociationPage._meta.get_field(name)
            through = field.remote_field.through
            page_column = f"{field.m2m_field_name()}_id"
            term_column = f"{field.m2m_reverse_field_name()}_id"
            rows = [
                through(**{page_column: page.pk, term_column: term_pk})
                for page, draft in zip(pages, drafts, strict=True)
                for term_pk in draft[key]
            ]
            through.objects.using(self.db).bulk_create(rows, batch_size=BATCH)

    def create_sources(self, drafts):
        pages = [draft["page"] for draft in drafts]
        self.place(pages, self.index)
        self.create_pages(pages)
        self.create_terms(pages, drafts)
        return pages

    def create_revisions(self, pages, drafts):
        """One published revision per source page, as save_revision().publish() leaves."""
        revisions = []
        for page, draft in zip(pages, drafts, strict=True):
            content = get_serializable_data_for_fields(page)
            content.update(
                {
                    "fields_of_activity": draft["fields"],
                    "target_groups": draft["groups"],
                    "wagtail_admin_comments": [],
                }
            )
            revisions.append(
                Revision(
                    content_type_id=self.content_type.pk,
                    base_content_type_id=self.page_content_type.pk,
                    object_id=str(page.pk),
                    created_at=page.last_published_at,
                    object_str=page.title,
                    content=content,
                )
            )
        Revision.objects.using(self.db).bulk_create(revisions, batch_size=BATCH)
        # Point each page to its revision: one UPDATE per batch with a subquery (the
        # revision of the page), cheaper than bulk_update's CASE over every row.
        revision = (
            Revision.objects.filter(
                base_content_type_id=self.page_content_type.pk,
                object_id=Cast(OuterRef("pk"), CharField()),
            )
            .order_by("-pk")
            .values("pk")[:1]
        )
        for start in range(0, len(pages), BATCH):
            ids = [page.pk for page in pages[start : start + BATCH]]
            Page.objects.using(self.db).filter(pk__in=ids).update(
                latest_revision_id=Subquery(revision), live_revision_id=Subquery(revision)
            )
        for page, revision_row in zip(pages, revisions, strict=True):
            page.latest_revision_id = page.live_revision_id = revision_row.pk

    def create_aliases(self, sources, drafts):
        """The French and English versions: aliases until someone translates them."""
        copied = [
            f.attname
            for f in AssociationPage._meta.concrete_fields
            if f.attname
            not in {
                "id",
                "page_ptr_id",
                "path",
                "depth",
                "numchild",
                "url_path",
                "locale_id",
                "latest_revision_id",
                "live_revision_id",
                "alias_of_id",
            }
        ]
        aliases = []
        for parent in self.alias_parents:
            pages = []
            for source in sources:
                # Built without Model.__init__ (20,000 of them): same fields as the source.
                alias = AssociationPage.__new__(AssociationPage)
                alias.__dict__.update({name: source.__dict__[name] for name in copied})
                alias.__dict__.update(
                    _state=ModelState(),
                    id=None,
                    page_ptr_id=None,
                    locale_id=parent.locale_id,
                    listed_locale_id=self.listed_locale[parent.pk],
                    alias_of_id=source.pk,
                    draft_title=source.title,
                    latest_revision_id=None,
                    live_revision_id=None,
                )
                pages.append(alias)
            self.place(pages, parent)
            self.create_pages(pages)
            self.create_terms(pages, drafts)
            aliases.extend(pages)
        return aliases

    def create_people(self, pages, drafts):
        """A generated administrator for about 30% of the associations, a member for 10%."""
        first_names = self.data["first_names_ar_fr"]
        last_names = self.data["last_names_ar_fr"]
        wanted = []  # (email, user fields, page, role)
        for page, draft in zip(pages, drafts, strict=True):
            rng = draft["rng"]
            roles_here = []
            if rng.random() < 0.3:
                roles_here.append((f"gen-{draft['number']}@example.org", Membership.ADMIN))
            if rng.random() < 0.1:
                roles_here.append((f"gen-{draft['number']}-member@example.org", Membership.MEMBER))
            for email, role in roles_here:
                first, last = rng.choice(first_names), rng.choice(last_names)
                language = "ar" if rng.random() < 0.6 else "fr"
                script = "ar" if language == "ar" else "fr"
                fields = {
                    "first_name": first["fr"],
                    "last_name": last["fr"],
                    "display_name": f"{first[script]} {last[script]}",
                    "preferred_language": language,
                }
                wanted.append((email, fields, page, role))
        if not wanted:
            return
        emails = [email for email, *_ in wanted]
        existing = {}
        for start in range(0, len(emails), BATCH):
            existing.update(
                User.objects.filter(email__in=emails[start : start + BATCH]).values_list(
                    "email", "pk"
                )
            )
        # One unusable password for all: make_password(None) is "!" + random text.
        password = make_password(None)
        new_users = [
            User(email=email, password=password, date_joined=self.now, is_active=True, **fields)
            for email, fields, _page, _role in wanted
            if email not in existing
        ]
        User.objects.using(self.db).bulk_create(new_users, batch_size=BATCH)
        existing.update({user.email: user.pk for user in new_users})

        group = Group.objects.filter(name=roles.MEMBERS).first()
        if group is not None:
            through = User.groups.through
            User.groups.through.objects.using(self.db).bulk_create(
                [through(user_id=user.pk, group_id=group.pk) for user in new_users],
                batch_size=BATCH,
            )
        Membership.objects.using(self.db).bulk_create(
            [
                Membership(user_id=existing[email], association_id=page.pk, role=role)
                for email, _fields, page, role in wanted
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    def update_search_index(self, sources, aliases):
        """Add the new pages to every search backend, as saving them would have.

        modelsearch reads each search field once per pass (title, body, autocomplete):
        a computed field (a method such as `search_text`) would run three times per
        page. It is computed once per association and shared with its aliases, which
        hold the same data. On the database backends, an alias's entry is a copy of
        its source's, made in SQL (home.indexing.copy_alias_entries).
        """
        for start in range(0, len(sources), BATCH):  # for search_subjects()
            prefetch_related_objects(sources[start : start + BATCH], "fields_of_activity")
        # Sources first: each alias takes its source's values.
        freeze_computed_search_fields(AssociationPage, sources + aliases, share_translations=True)
        for backend in get_search_backends(with_auto_update=True):
            index = backend.get_index_for_model(AssociationPage)
            # Before the aliases: they copy their source's entry, title norm included.
            with deferred_title_norms(index, refresh=True):
                for start in range(0, len(sources), BATCH):
                    add_items(index, AssociationPage, sources[start : start + BATCH])
            if not copy_alias_entries(index, AssociationPage, [alias.pk for alias in aliases]):
                for start in range(0, len(aliases), BATCH):
                    backend.add_bulk(AssociationPage, aliases[start : start + BATCH])


# ---------------------------------------------------------------------- helpers
def _size(rng):
    """(members, staff, volunteers, budget band) for a small, medium or large association."""
    kind = rng.choices(["small", "medium", "large"], weights=[55, 33, 12])[0]
    if kind == "small":
        members = rng.randint(7, 49)
        staff = rng.choice([None, 0, 0, 0, 1, 2])
        volunteers = rng.choice([None, rng.randint(0, 19)])
        budget = rng.choices(["", "lt50k", "50k-250k"], weights=[15, 60, 25])[0]
    elif kind == "medium":
        members = rng.randint(50, 499)
        staff = rng.randint(0, 12)
        volunteers = rng.randint(5, 150)
        budget = rng.choices(["lt50k", "50k-250k", "250k-1m"], weights=[15, 50, 35])[0]
    else:
        members = rng.randint(500, 5000)
        staff = rng.randint(5, 80)
        volunteers = rng.randint(40, 800)
        budget = rng.choices(["250k-1m", "gt1m"], weights=[40, 60])[0]
    return members, staff, volunteers, budget


def _near(rng, province):
    """Coordinates near the province's centre (a few kilometres), within Morocco's bounds."""
    latitude = float(province.latitude) + rng.uniform(-0.08, 0.08)
    longitude = float(province.longitude) + rng.uniform(-0.08, 0.08)
    latitude = min(max(latitude, 20.0), 36.5)
    longitude = min(max(longitude, -17.5), -0.9)
    return Decimal(f"{latitude:.5f}"), Decimal(f"{longitude:.5f}")


def _arabic_list(items):
    """'أ، ب وج': Arabic enumerations attach the last و to the word."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return "، ".join(items[:-1]) + " و" + items[-1]


def _french_of(city):
    """'de Tanger', "d'Agadir"."""
    plain = unicodedata.normalize("NFKD", city)[:1].lower()
    return f"d'{city}" if plain in "aeiouyh" else f"de {city}"


def _acronym(name_fr):
    """Initials of the significant words: 'Association Al Amal pour le développement' → 'AAAD'."""
    words = re.findall(r"[^\W\d_]+", name_fr)
    letters = [
        unicodedata.normalize("NFKD", word)[0].upper()
        for word in words
        if word.lower() not in FRENCH_SMALL_WORDS
    ]
    return "".join(letters)[:8]
