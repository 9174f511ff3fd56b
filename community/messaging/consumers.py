"""Live delivery: one WebSocket per open page, in its user's group only."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .notifier import group_name


class MessagesConsumer(AsyncJsonWebsocketConsumer):
    """Pushes the events of community/messaging/notifier.py to their user.

    Anonymous connections are refused (closed before being accepted); a user
    joins only their own group, so nobody receives another person's events."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = group_name(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs):
        # The client only listens; a ping keeps proxies from closing the connection.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def messages_event(self, event):
        await self.send_json(event["payload"])
