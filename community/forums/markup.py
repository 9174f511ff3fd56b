"""Forum markup: Markdown rendered by markdown2, then sanitised by nh3.

machina renders posts with markdown2's safe mode and outputs the stored HTML as
safe; known payloads get through it (integration notes). `render` is our
MACHINA_MARKUP_LANGUAGE: whatever markdown2 produces, only the allow-listed tags
and attributes below survive, links may only point to http(s), mailto or relative
addresses, and every link gets rel="nofollow noopener noreferrer".
"""

import re

from django.utils.html import escape, linebreaks

import nh3
from markdown2 import markdown

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTRAS = {"break-on-newline": True, "fenced-code-blocks": None, "tables": None}


def sanitize(html):
    """Only allow-listed markup: no script, style, event handler, image, SVG or data URI."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


# markdown2's link, code-span and table patterns take time in the square of the
# number of "[" and "`" (20,000 "[" took 5 s, 20,000 "`" 10 s) or "|" (10,000 in a
# line: 2 s), and each ">" opening a line
# is one more level of recursion (a line of 1,000 ">" raised RecursionError: a 500).
# Posts beyond these bounds are not Markdown anyone writes: they are shown as text.
MARKUP_MAX_BRACKETS = 1000  # of each: "[" and "`" (1,000 take 40-55 ms)
MARKUP_MAX_PIPES = 2000
MARKUP_MAX_QUOTE_DEPTH = 20
QUOTE_DEPTH = re.compile(rf"^[ \t]*(?:>[ \t]*){{{MARKUP_MAX_QUOTE_DEPTH + 1},}}", re.M)


def plain(text):
    """Text as paragraphs, every character shown as typed."""
    return linebreaks(escape(text or ""))


def render(text, **_options):
    """Markdown → HTML safe to output as is (machina marks it safe)."""
    text = text or ""
    if (
        max(text.count("["), text.count("`")) > MARKUP_MAX_BRACKETS
        or text.count("|") > MARKUP_MAX_PIPES
        or QUOTE_DEPTH.search(text)
    ):
        return sanitize(plain(text)).strip()
    try:
        html = markdown(text, safe_mode="escape", extras=MARKDOWN_EXTRAS)
    except RecursionError:  # some other nesting markdown2 cannot follow
        html = plain(text)
    return sanitize(html).strip()


def rerender_posts(batch_size=500):
    """Render every stored post (and forum description) again with `render`.

    Posts written before our renderer hold markdown2's safe-mode HTML, which machina
    outputs as is; the data migration runs this once."""
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Post

    changed = []
    for post in Post.objects.only("pk", "content", "_content_rendered").iterator(batch_size):
        html = render(post.content.raw if post.content else "")
        if html != post._content_rendered:
            post._content_rendered = html
            changed.append(post)
    Post.objects.bulk_update(changed, ["_content_rendered"], batch_size=batch_size)
    forums = []
    for forum in Forum.objects.only("pk", "description", "_description_rendered"):
        html = render(forum.description.raw if forum.description else "")
        if html != forum._description_rendered:
            forum._description_rendered = html
            forums.append(forum)
    Forum.objects.bulk_update(forums, ["_description_rendered"])
    return len(changed)
