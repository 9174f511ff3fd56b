"""The forums in a real browser: a member starts a topic in Arabic, another replies
in French, the first is told by e-mail; payloads never run; axe-core on the index
and a topic, in Arabic (right to left)."""

from urllib.parse import quote, unquote

from django.core import mail

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "demo-pass-2026"


def education_forum():
    from community.forums.models import ForumOrigin
    from directory.taxonomies import FieldOfActivity

    key = FieldOfActivity.source_terms().get(slug="education").translation_key
    return ForumOrigin.objects.get(kind="field", key=str(key)).forum


def log_in(tab, email, lang, next_path):
    # Forum addresses hold Arabic slugs: percent-encoded in the browser's URL.
    next_path = quote(unquote(next_path))
    tab.goto(f"{tab.base_url}/{lang}/accounts/login/?next={next_path}")
    tab.fill('input[name="login"]', email)
    tab.fill('input[name="password"]', PASSWORD)
    tab.locator('form [type="submit"]').last.click()
    tab.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert unquote(tab.url).endswith(unquote(next_path))


def watch_dialogs(tab):
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def test_a_topic_in_arabic_a_reply_in_french_and_the_notification(page, browser, live_server):
    forum = education_forum()
    forum_path = f"/ar/forum/forum/{forum.slug}-{forum.pk}/"
    log_in(page, "heure.joyeuse@example.org", "ar", forum_path)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("a[href$='topic/create/']").first.click()
    page.fill("[name=subject]", "تبادل التجارب حول القراءة للأطفال")
    page.fill("[name=content]", "نبحث عن أفكار لتشجيع **القراءة** في المكتبات الصغيرة.")
    page.locator("form.post-form button[type=submit]:not([name=preview])").click()
    page.wait_for_url("**/topic/**")
    assert "تبادل التجارب حول القراءة للأطفال" in page.locator("h1").inner_text()
    topic_url = page.url
    # Whoever starts a topic follows it.
    assert page.locator(".forum-header__actions a[href*='/unsubscribe/']").count() == 1

    context = browser.new_context(locale="fr-FR")
    other = context.new_page()
    other.base_url = live_server.url
    mail.outbox.clear()
    path = topic_url.replace(live_server.url, "").replace("/ar/", "/fr/", 1)
    log_in(other, "member@example.org", "fr", path)
    other.locator(".forum-header__actions a[href*='post/create']").click()
    other.fill("[name=content]", "Bonjour ! Nous organisons un **club de lecture** chaque samedi.")
    other.locator("form.post-form button[type=submit]:not([name=preview])").click()
    other.wait_for_url("**/topic/**")
    assert "club de lecture" in other.content()
    context.close()

    to_first = [m for m in mail.outbox if m.to == ["heure.joyeuse@example.org"]]
    assert len(to_first) == 1
    assert "club de lecture" in to_first[0].body
    assert "/ar/forum/" in to_first[0].body  # her language: Arabic


PAYLOADS = "\n\n".join(
    [
        '<img src=x onerror="alert(1)">',
        "[click me](javascript&#58;alert(2))",
        "[click me too](javascript:alert(3))",
        "<x| onmouseover=alert(4)>hover</x|>",
        "<svg onload=alert(5)></svg>",
        "<script>alert(6)</script>",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)",
        '<a href="#" onclick="alert(8)">onclick</a>',
    ]
)


def test_no_dialog_fires_with_xss_payloads(page):
    forum = education_forum()
    forum_path = f"/fr/forum/forum/{forum.slug}-{forum.pk}/topic/create/"
    dialogs = watch_dialogs(page)
    log_in(page, "member@example.org", "fr", forum_path)
    page.fill("[name=subject]", "Charges utiles")
    page.fill("[name=content]", PAYLOADS)
    page.locator("button[name=preview]").click()
    page.wait_for_selector(".post--preview")
    page.locator("form.post-form button[type=submit]:not([name=preview])").click()
    page.wait_for_url("**/topic/**")
    for link in page.locator(".post__content a").all():
        link.hover()
        link.click(modifiers=["Alt"], no_wait_after=True)
    page.locator(".post__content").first.hover()
    page.wait_for_timeout(300)
    assert dialogs == []


@pytest.mark.parametrize("kind", ["index", "topic"])
def test_axe_finds_no_serious_violation_in_arabic(page, axe_violations, kind):
    from machina.apps.forum_conversation.models import Topic

    if kind == "index":
        page.goto(page.base_url + "/ar/forum/")
    else:
        topic = Topic.objects.filter(forum=education_forum()).first()
        page.goto(
            f"{page.base_url}/ar/forum/forum/{topic.forum.slug}-{topic.forum_id}/topic/{topic.slug}-{topic.pk}/"
        )
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert axe_violations(page) == []
