"""Template tags of the directory's public pages."""

from django import template

from directory.profile import profile_context

register = template.Library()


@register.simple_tag(takes_context=True)
def association_profile(context, page):
    """`{% association_profile page as profile %}`: see directory.profile.profile_context."""
    return profile_context(context["request"], page)


@register.simple_tag(takes_context=True)
def association_section(context, section):
    """Render a section of the `rabita_association_sections` hook inside the profile.

    Its template sees the page's context, `section` and the entries of its `context`.
    """
    section_template = context.template.engine.get_template(section["template"])
    with context.push(section=section, **section.get("context", {})):
        return section_template.render(context)
