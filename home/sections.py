"""Sections of the home page contributed by the other apps.

An app registers a function with the `rabita_home_sections` Wagtail hook; it
receives the request and the home page and returns a dict with `template`,
`order` and its context, or None when it has nothing to show.
"""

from wagtail import hooks


def home_sections(request, page):
    sections = []
    for section_for in hooks.get_hooks("rabita_home_sections"):
        section = section_for(request, page)
        if section:
            sections.append(section)
    return sorted(sections, key=lambda section: section.get("order", 100))
