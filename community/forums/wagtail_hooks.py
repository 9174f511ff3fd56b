from wagtail import hooks

from .sections import association_section, dashboard_panel, home_section

hooks.register("rabita_home_sections", home_section)
hooks.register("rabita_association_sections", association_section)
hooks.register("rabita_dashboard_panels", dashboard_panel)
