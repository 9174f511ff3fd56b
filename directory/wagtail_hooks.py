from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import dashboard, history, import_admin, join_admin, specialist_admin  # noqa: F401  (their hooks register on import)
from .models import FieldOfActivity, Province, Region, TargetGroup


class FieldOfActivityViewSet(SnippetViewSet):
    model = FieldOfActivity
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "group"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "code"]


class ProvinceViewSet(SnippetViewSet):
    model = Province
    icon = "pick"
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomies")
    menu_icon = "list-ul"
    items = [FieldOfActivityViewSet, TargetGroupViewSet, RegionViewSet, ProvinceViewSet]


register_snippet(TaxonomyGroup)
