"""Reporting posts; the moderators' queue; what other pages show of the forums."""

import re

import pytest

from community.forums.models import PostReport

from .conftest import topic_url

pytestmark = pytest.mark.django_db


def test_a_member_reports_a_post_and_a_moderator_closes_it(client, people, forums, make_topic):
    topic = make_topic(forums["field"], people["specialist"], "Publicité déguisée")
    post = topic.first_post
    client.force_login(people["member"])
    assert client.get(f"/fr/forum/post/{post.pk}/report/").status_code == 200
    response = client.post(
        f"/fr/forum/post/{post.pk}/report/", {"reason": "C'est de la publicité."}
    )
    assert response.status_code == 302
    assert client.post(f"/fr/forum/post/{post.pk}/report/", {"reason": "Encore"}).status_code == 302
    assert PostReport.objects.filter(post=post).count() == 1
    client.force_login(people["moderator"])
    queue = client.get("/fr/forum/reports/").content.decode()
    assert "Publicité déguisée" in queue
    report = PostReport.objects.get(post=post)
    assert client.post("/fr/forum/reports/", {"report": report.pk}).status_code == 302
    report.refresh_from_db()
    assert report.resolved_by == people["moderator"]


def test_an_empty_report_is_refused(client, people, forums, make_topic):
    post = make_topic(forums["field"], people["specialist"]).first_post
    client.force_login(people["member"])
    assert client.post(f"/fr/forum/post/{post.pk}/report/", {"reason": ""}).status_code == 200
    assert not PostReport.objects.exists()


def test_private_posts_cannot_be_reported_by_outsiders(client, people, forums, make_topic):
    post = make_topic(forums["private"], people["member"]).first_post
    client.force_login(people["other_member"])
    assert client.get(f"/fr/forum/post/{post.pk}/report/").status_code == 404


def test_reports_of_private_forums_reach_their_admins_only(client, people, forums, make_topic):
    post = make_topic(forums["private"], people["member"], "Message interne").first_post
    PostReport.objects.create(post=post, reporter=people["member"], reason="hors sujet")
    client.force_login(people["admin"])
    assert "Message interne" in client.get("/fr/forum/reports/").content.decode()
    client.force_login(people["moderator"])
    assert "Message interne" not in client.get("/fr/forum/reports/").content.decode()


def test_the_home_page_shows_the_latest_public_topics(client, people, forums, make_topic):
    make_topic(forums["field"], people["member"], "Sujet public récent")
    make_topic(forums["private"], people["member"], "Sujet privé récent")
    page = client.get("/fr/").content.decode()
    assert "Sujet public récent" in page
    assert "Sujet privé récent" not in page


def test_the_association_profile_shows_its_members_topics(
    client, people, forums, make_topic, heure_joyeuse
):
    make_topic(forums["field"], people["admin"], "Notre atelier écriture")
    page = client.get(heure_joyeuse.url).content.decode()
    assert "Notre atelier écriture" in page


def test_the_dashboard_lists_followed_topics(client, people, forums, make_topic):
    topic = make_topic(forums["field"], people["admin"], "Sujet que je suis")
    topic.subscribers.add(people["member"])
    client.force_login(people["member"])
    page = client.get("/fr/my/").content.decode()
    assert "Sujet que je suis" in page
    assert topic_url(topic).split("/topic/")[1] in page


def test_every_link_of_a_post_leads_somewhere(client, people, forums, make_topic):
    """The topic page builds its post links without reversing each one: they resolve."""
    topic = make_topic(forums["field"], people["specialist"], "Liens", replies=2)
    client.force_login(people["moderator"])
    page = client.get(topic_url(topic)).content.decode()
    articles = re.findall(r'<article id="\d+" class="post".*?</article>', page, re.S)
    links = {href for block in articles for href in re.findall(r'href="([^"#]+)', block)}
    assert any("/post/update/" in link for link in links)
    assert any("/post/delete/" in link for link in links)
    assert any("/report/" in link for link in links)
    assert any("/member/profile/" in link for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_topic_links_of_a_forum_page_lead_to_the_topics(client, people, forums, make_topic):
    make_topic(forums["field"], people["specialist"], "Lien de la liste")
    page = client.get(f"/ar/forum/forum/{forums['field'].slug}-{forums['field'].pk}/")
    links = set(re.findall(r'href="([^"#]+/topic/[^"#]+)"', page.content.decode()))
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("lang, posts, topics", [("fr", "3 messages", "1 sujet"), ("ar", "3", "1")])
def test_a_member_profile_counts_posts_and_topics_in_the_visitor_language(
    client, people, forums, make_topic, lang, posts, topics
):
    author = people["specialist"]
    make_topic(forums["field"], author, "Compter", replies=0)
    for _ in range(2):
        make_topic(forums["help"], people["member"], "Autre", replies=0).posts.create(
            poster=author, subject="Re", content="Réponse", approved=True
        )
    profile = client.get(f"/{lang}/forum/member/profile/{author.pk}/")
    assert profile.status_code == 200
    header = profile.content.decode().split('class="forum-header__intro">', 1)[1].split("</p>")[0]
    assert posts in header and topics in header
    assert "Post" not in header and "Topic" not in header


@pytest.mark.parametrize("path", ["member/subscriptions/", "tracking/unread-topics/"])
def test_followed_and_unread_topics_are_listed_in_arabic(client, people, forums, make_topic, path):
    """machina titled these lists with the English word "Topics" in every language."""
    topic = make_topic(forums["field"], people["admin"], "موضوع للمتابعة")
    topic.subscribers.add(people["member"])
    client.force_login(people["member"])
    page = client.get(f"/ar/forum/{path}").content.decode()
    assert "موضوع للمتابعة" in page
    assert "Topics" not in page


def test_the_feed_names_topics_once_escaped_and_forums_in_the_visitor_language(
    client, people, forums, make_topic
):
    make_topic(forums["field"], people["admin"], "L'atelier d'écriture")
    feed = client.get("/fr/forum/feeds/topics/").content.decode()
    assert "<title>Éducation • L&#x27;atelier d&#x27;écriture</title>" in feed or (
        "<title>Éducation • L'atelier d'écriture</title>" in feed
    )
