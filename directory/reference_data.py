"""Reference data of the directory, loaded by a data migration from directory/data/.

Every term is created in each content language (Arabic, French, English), the rows
of one term sharing a translation key and a slug. Running it again updates names
and adds what is missing; it never deletes.
"""

import json
import uuid
from pathlib import Path

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data"


def _read(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _upsert(model, locales, slug, names, **fields):
    """The term `slug` in every locale; returns {language_code: row}."""
    existing = {
        row.locale.language_code: row
        for row in model.objects.filter(slug=slug).select_related("locale")
    }
    key = next(iter(existing.values())).translation_key if existing else uuid.uuid4()
    rows = {}
    for code, locale in locales.items():
        values = dict(fields)
        values["name"] = names.get(code) or names[settings.LANGUAGE_CODE]
        for localized in ("description",):
            if f"{localized}_{code}" in names:
                values[localized] = names[f"{localized}_{code}"]
        row = existing.get(code)
        if row is None:
            row = model(slug=slug, locale=locale, translation_key=key)
        for name, value in values.items():
            setattr(row, name, value(code) if callable(value) else value)
        row.save()
        rows[code] = row
    return rows


def load(apps):
    Locale = apps.get_model("wagtailcore", "Locale")
    locales = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locales[code], _ = Locale.objects.get_or_create(language_code=code)

    FieldOfActivity = apps.get_model("directory", "FieldOfActivity")
    for order, item in enumerate(_read("fields.json")):
        names = {code: item[f"name_{code}"] for code in ("ar", "fr", "en")}
        names.update(
            {f"description_{code}": item[f"description_{code}"] for code in ("ar", "fr", "en")}
        )
        _upsert(
            FieldOfActivity,
            locales,
            item["slug"],
            names,
            sort_order=order,
            keywords="\n".join(item.get("darija", [])),
        )

    TargetGroup = apps.get_model("directory", "TargetGroup")
    for order, item in enumerate(_read("target_groups.json")):
        names = {code: item[f"name_{code}"] for code in ("ar", "fr", "en")}
        names.update(
            {
                f"description_{code}": item[f"description_{code}"]
                for code in ("ar", "fr", "en")
                if f"description_{code}" in item
            }
        )
        _upsert(TargetGroup, locales, item["slug"], names, sort_order=order)

    Region = apps.get_model("directory", "Region")
    Province = apps.get_model("directory", "Province")
    for region_item in _read("geography.json")["regions"]:
        names = {code: region_item[f"name_{code}"] for code in ("ar", "fr", "en")}
        regions = _upsert(
            Region,
            locales,
            _slug(region_item["name_en"]),
            names,
            code=region_item["code"],
            sort_order=int(region_item["code"]),
        )
        for item in region_item["provinces"]:
            names = {code: item[f"name_{code}"] for code in ("ar", "fr", "en")}
            _upsert(
                Province,
                locales,
                item["code"],
                names,
                kind=item["kind"],
                latitude=item["lat"],
                longitude=item["lng"],
                # Every locale's province points to its own locale's region.
                region=lambda code, regions=regions: (
                    regions.get(code) or regions[settings.LANGUAGE_CODE]
                ),
            )


def _slug(text):
    from django.utils.text import slugify

    return slugify(text)
