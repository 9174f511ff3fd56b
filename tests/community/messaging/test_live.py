"""WebSocket consumer (channels' communicator) and the events the notifier pushes."""

from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from community.messaging import notifier
from community.messaging.routing import websocket_urlpatterns

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def communicator_for(user):
    app = URLRouter(websocket_urlpatterns)
    communicator = WebsocketCommunicator(app, "/ws/messages/")
    communicator.scope["user"] = user if user is not None else AnonymousUser()
    return communicator


def run(coroutine_function, *args):
    with override_settings(CHANNEL_LAYERS=IN_MEMORY):
        return async_to_sync(coroutine_function)(*args)


def test_anonymous_connection_is_refused():
    run(anonymous_is_refused)


async def anonymous_is_refused():
    communicator = communicator_for(None)
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401


def test_a_user_receives_only_their_own_events(people):
    run(only_own_events, people)


async def only_own_events(people):
    member, other = people["member"], people["specialist"]
    mine, theirs = communicator_for(member), communicator_for(other)
    assert (await mine.connect())[0]
    assert (await theirs.connect())[0]
    await get_channel_layer().group_send(
        notifier.group_name(member.pk),
        {"type": "messages.event", "payload": {"type": "unread", "unread_count": 3}},
    )
    assert await mine.receive_json_from(timeout=1) == {"type": "unread", "unread_count": 3}
    assert await theirs.receive_nothing(timeout=0.2)
    # Bad frames are ignored, pings answered.
    await mine.send_to(text_data="not json")
    await mine.send_json_to({"type": "ping"})
    assert await mine.receive_json_from(timeout=1) == {"type": "pong"}
    await mine.disconnect()
    await theirs.disconnect()


def test_a_new_message_is_pushed_to_its_recipient(people, django_capture_on_commit_callbacks):
    run(pushed_to_recipient, people, django_capture_on_commit_callbacks)


async def pushed_to_recipient(people, capture):
    member, admin, outsider = people["member"], people["admin"], people["specialist"]
    to_admin, to_outsider = communicator_for(admin), communicator_for(outsider)
    await to_admin.connect()
    await to_outsider.connect()

    def send():
        from django.test import Client

        client = Client()
        client.force_login(member)
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(pk=member.pk).update(date_joined="2020-01-01T00:00:00Z")
        with capture(execute=True):
            return client.post(
                "/en/messages/write/",
                {"recipients": str(admin.pk), "subject": "Live", "body": "Now"},
            )

    response = await sync_to_async(send)()
    assert response.status_code == 302
    event = await to_admin.receive_json_from(timeout=1)
    assert event["type"] == "message"
    assert event["unread_count"] == 1
    assert "body" not in event and "subject" not in event  # no content on the wire
    assert await to_outsider.receive_nothing(timeout=0.2)
    await to_admin.disconnect()
    await to_outsider.disconnect()


def test_asgi_application_routes_the_consumer():
    from portal.asgi import websocket_urlpatterns as routes

    assert any(str(route.pattern) == "ws/messages/" for route in routes)
