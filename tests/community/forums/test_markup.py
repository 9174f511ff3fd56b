"""Posts are Markdown sanitised by nh3: no executable markup, stored or served."""

import re
import time
from html.parser import HTMLParser

import pytest
from machina.apps.forum_conversation.models import Post

from community.forums.markup import render

from .conftest import forum_url, topic_url

# markdown2 safe-mode bypasses, javascript: links, event handlers, SVG, data URIs…
PAYLOADS = {
    "img-onerror": '<img src=x onerror="alert(1)">',
    "md-img-onerror": '![x](x" onerror="alert(1))',
    "entity-javascript": "[click](javascript&#58;alert(1))",
    "javascript-link": "[click](javascript:alert(document.cookie))",
    "javascript-spaces": "[click]( javascript:alert(1) )",
    "javascript-case": "[click](JaVaScRiPt:alert(1))",
    "x-pipe-on": "<x| onmouseover=alert(1)>hover</x|>",
    "script": "<script>alert(1)</script>",
    "svg-onload": "<svg onload=alert(1)><circle r=1></svg>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "data-uri": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data-img": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "style": "<style>body{display:none}</style>",
    "a-onclick": '<a href="#" onclick="alert(1)">x</a>',
    "autolink": "<javascript:alert(1)>",
    "reference-link": "[x][1]\n\n[1]: javascript:alert(1)",
    "html-comment": "<!-- --><script>alert(1)</script> -->",
    "fenced-code": "```\n<script>alert(1)</script>\n```",
    "vbscript": "[x](vbscript:msgbox(1))",
    "object": '<object data="javascript:alert(1)"></object>',
    "form": '<form action="javascript:alert(1)"><button>x</button></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "math": "<math><mtext><script>alert(1)</script></mtext></math>",
    "title-attr-breakout": '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
}
DANGEROUS_TAGS = {
    "script", "svg", "iframe", "object", "embed", "style", "img", "form", "meta", "math",
    "base", "link", "frame", "video", "audio", "source", "input", "button",
}  # fmt: skip
SAFE_SCHEMES = ("http:", "https:", "mailto:")
POST_CONTENT = re.compile(r'<div class="post__content" dir="auto">(.*?)</div>', re.S)


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "data", "formaction", "xlink:href"):
                if ":" in value.split("/")[0] and not value.startswith(SAFE_SCHEMES):
                    self.problems.append(f"{tag}[{name}={value}]")


def posts_html(page):
    """The posts of a served page (what people wrote), without the page's own forms."""
    blocks = POST_CONTENT.findall(page)
    assert blocks
    return "".join(blocks)


def assert_inert(html):
    """No executable markup: dangerous tags, event handlers or unsafe URL schemes."""
    parser = TagCollector()
    parser.feed(html)
    assert not parser.problems, (parser.problems, html)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_rendered_markup_is_inert(payload):
    assert_inert(render(payload))


def test_markdown_still_works():
    html = render("**gras** et *italique*\n\n- un\n- deux\n\n[lien](https://rabita.ma)")
    assert "<strong>gras</strong>" in html and "<em>italique</em>" in html
    assert "<li>un</li>" in html
    assert 'href="https://rabita.ma"' in html and 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_stored_and_served_posts_are_inert(client, people, forums, topic_form, payload):
    client.force_login(people["member"])
    response = client.post(
        forum_url(forums["field"], "topic/create/"), topic_form(subject="XSS", content=payload)
    )
    assert response.status_code == 302, response.content.decode()[:500]
    post = Post.objects.filter(poster=people["member"]).latest("created")
    assert_inert(post._content_rendered)
    page = client.get(topic_url(post.topic)).content.decode()
    assert_inert(posts_html(page))
    # the preview is rendered by the same function
    preview = client.post(
        forum_url(forums["field"], "topic/create/"),
        topic_form(subject="XSS", content=payload, preview="1"),
    )
    assert_inert(posts_html(preview.content.decode()))
    assert payload not in page  # never served raw


@pytest.mark.django_db
def test_existing_posts_are_rendered_again_safely(forums, people, make_topic):
    """Posts stored before our renderer: the data migration's re-render."""
    from community.forums.markup import rerender_posts

    topic = make_topic(forums["field"], people["member"], content="ok")
    Post.objects.filter(topic=topic).update(_content_rendered='<img src=x onerror="alert(1)">')
    rerender_posts()
    assert_inert(Post.objects.get(topic=topic)._content_rendered)


# Broken markup a post may hold (20,000 characters, the longest allowed): markdown2
# took 5-10 s on the first three and raised RecursionError (a 500) on the last.
HOSTILE = {
    "brackets": "[" * 20_000,
    "backticks": "`" * 20_000,
    "nested-links": "[a](" * 5_000,
    "table-pipes": "|a" * 9_999 + "\n|-|\n",
    "nested-quotes": ">" * 20_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_broken_markup_renders_at_once_as_text(text):
    started = time.perf_counter()
    html = render(text)
    assert time.perf_counter() - started < 1
    assert html.startswith("<p>") and html.count("<") < 10  # shown as text
    assert_inert(html)


@pytest.mark.django_db
def test_deeply_nested_quotes_are_posted_not_a_server_error(client, people, forums, topic_form):
    client.force_login(people["member"])
    url = forum_url(forums["field"], "topic/create/")
    response = client.post(url, topic_form(subject="Citations", content="> " * 3000 + "fin"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "fin</p>" in page


def test_ordinary_long_posts_are_still_markdown():
    text = "Un [lien](https://rabita.ma), du `code` et **du gras**. " * 300
    html = render(text[:20_000])
    assert html.count("<a ") == 300 and html.count("<code>") == 300
