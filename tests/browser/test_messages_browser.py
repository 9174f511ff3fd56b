"""A member writes to L'Heure Joyeuse; its admin sees the unread count change live
and replies; the member's open conversation shows the reply without a reload.

WebSocket needs an ASGI server: pytest-django's live server speaks WSGI only, so
this module starts Daphne (the server `make run` uses) in a thread on a free port
of 127.0.0.1, serving portal.asgi with static files. Its requests open their own
connections to the test database (SQLite's shared in-memory database, or the
PostgreSQL test database), which the transactional tests commit to.
"""

import socket
import threading
import time

from django.conf import settings
from django.test import Client

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN_EMAIL = "heure.joyeuse@example.org"
MEMBER_EMAIL = "member@example.org"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def asgi_server():
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server
    from twisted.internet import reactor

    from portal.asgi import application

    port = _free_port()
    server = Server(
        application=ASGIStaticFilesHandler(application),
        endpoints=build_endpoint_description_strings(host="127.0.0.1", port=port),
        signal_handlers=False,
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=5)


def _signed_in_tab(browser, base_url, email):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    context = browser.new_context(
        bypass_csp=True, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return context, tab


def _unread(tab):
    return int(tab.locator("[data-unread-count]").inner_text() or 0)


def test_live_message_to_an_association_and_reply(browser, asgi_server, demo_site, axe_violations):
    from directory.models import AssociationPage

    profile = AssociationPage.objects.get(
        registration_number="CASA-1959-0427", locale__language_code="en"
    )
    admin_context, admin = _signed_in_tab(browser, asgi_server, ADMIN_EMAIL)
    member_context, member = _signed_in_tab(browser, asgi_server, MEMBER_EMAIL)
    try:
        admin.goto(f"{asgi_server}/en/messages/inbox/")
        admin.wait_for_selector('html[data-messages-live="websocket"]')
        before = _unread(admin)
        assert axe_violations(admin) == []

        member.goto(f"{asgi_server}{profile.url}")
        member.get_by_role("link", name="Send a message to").click()
        member.fill("#id_subject", "Atelier du samedi")
        member.fill("#id_body", "Bonjour, <b>pouvons-nous</b> venir samedi ?")
        sent_at = time.monotonic()
        member.get_by_role("button", name="Send").click()
        member.wait_for_url("**/messages/sent/")

        # The admin's header changes without a reload, within a second or so.
        admin.wait_for_function(
            f"() => Number(document.querySelector('[data-unread-count]').textContent) > {before}",
            timeout=5_000,
        )
        assert time.monotonic() - sent_at < 5
        assert _unread(admin) == before + 1
        # The open inbox lists the new conversation without a reload too.
        admin.wait_for_selector(".pm__subject:has-text('Atelier du samedi')", timeout=5_000)

        # The member keeps the conversation open while the admin answers.
        member.locator(".pm__subject", has_text="Atelier du samedi").first.click()
        member.wait_for_selector('html[data-messages-live="websocket"]')

        admin.locator(".pm__subject", has_text="Atelier du samedi").first.click()
        body = admin.locator(".pm-message__body").last
        assert "<b>pouvons-nous</b>" in body.inner_text()  # escaped, shown as text
        assert axe_violations(admin) == []
        admin.fill("#id_body", "Avec plaisir, à samedi !")
        admin.get_by_role("button", name="Send").click()

        member.wait_for_selector("text=Avec plaisir, à samedi !", timeout=5_000)
        assert "L'Heure Joyeuse" in member.locator("[data-thread-messages]").inner_text()
    finally:
        admin_context.close()
        member_context.close()
