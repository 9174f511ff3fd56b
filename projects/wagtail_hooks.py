from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ProjectPartner
from .sections import association_section, dashboard_panel, home_section

hooks.register("rabita_association_sections", association_section)
hooks.register("rabita_home_sections", home_section)
hooks.register("rabita_dashboard_panels", dashboard_panel)


class ProjectPartnerViewSet(SnippetViewSet):
    model = ProjectPartner
    icon = "group"
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]


register_snippet(ProjectPartnerViewSet)
