"""Template helpers for the portal's layout."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from wagtail.models import Locale, Page

from home.text import normalize, skeleton

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in every language: the page's translation when it has one."""
    request = context["request"]
    page = context.get("page")
    translations = {}
    if isinstance(page, Page):
        translations = {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True).live().select_related("locale")
        }
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
        else:
            url = translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return {"links": links}


@register.simple_tag
def content_locale(page):
    """Language and direction of a page's content (not of the interface).

    An alias page (not yet translated) shows its source page's text, so it takes
    the source's language.
    """
    source = getattr(page, "alias_of", None) or page
    locale = getattr(source, "locale", None) or Locale.get_active()
    return {"lang": locale.language_code, "dir": "rtl" if locale.is_bidi else "ltr"}


@register.filter
def highlight(text, query):
    """`text` with the words matching `query` (in any spelling) wrapped in <mark>."""
    text = str(text or "")
    wanted = set(normalize(query or "").split()) | set(skeleton(query or "").split())
    if not wanted:
        return escape(text)
    pieces = []
    for word in text.split(" "):
        folded = normalize(word)
        matched = folded and (folded in wanted or skeleton(word) in wanted)
        pieces.append(f"<mark>{escape(word)}</mark>" if matched else escape(word))
    return mark_safe(" ".join(pieces))
