"""Live delivery with 50 connected users (target: p95 ≤ 1 s from send to event).

Usage: .venv/bin/python bench/messages_live.py [USERS] [ROUNDS]   (default 50 users, 3 rounds)
       REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/messages_live.py

A temporary SQLite file is migrated; USERS members and one sender are created with
sessions. Daphne (the ASGI server `make run` uses) is started on a free port of
127.0.0.1 with portal.settings.dev against that file (the in-memory channel layer,
or channels-redis when REDIS_URL is set). Every member opens a WebSocket at
/ws/messages/ with their session cookie. The sender then writes to each member in
turn through the real form (POST /ar/messages/write/<id>/), ROUNDS times, then to
all of them at once (50 concurrent POSTs: the burst); the time from the start of
each POST to the member's "message" event is the delivery time.
The WebSocket client is a minimal RFC 6455 client on asyncio streams (no dependency).
"""

import asyncio
import base64
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 1000

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import reference_loop_ms  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebSocket:
    """Just enough of RFC 6455 to receive the server's text frames."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port, path, cookie):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(secrets.token_bytes(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n"
                f"Cookie: {cookie}\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = await reader.readline()
        if b" 101 " not in status:
            raise RuntimeError(f"WebSocket refused: {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        return cls(reader, writer)

    async def receive(self):
        while True:
            head = await self.reader.readexactly(2)
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = int.from_bytes(await self.reader.readexactly(2), "big")
            elif length == 127:
                length = int.from_bytes(await self.reader.readexactly(8), "big")
            payload = await self.reader.readexactly(length)
            if opcode == 0x1:
                return json.loads(payload)
            if opcode == 0x8:
                raise ConnectionError("closed by the server")

    def close(self):
        self.writer.close()


def post_message(port, cookie, recipient_id, subject):
    import http.client

    token = secrets.token_hex(16)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "recipients": str(recipient_id),
            "subject": subject,
            "body": "Salam, this is a live delivery test.",
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        f"/ar/messages/write/{recipient_id}/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{cookie}; csrftoken={token}",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 302:
        raise RuntimeError(f"sending failed: HTTP {response.status}")


def prepare(users):
    """Migrate the temporary database; return the sender's and members' cookies."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User

    call_command("migrate", verbosity=0)
    sender = User.objects.create_user(
        "bench.sender@example.org", display_name="Sender", is_staff=True
    )
    members = Group.objects.get(name="Members")
    specialists = Group.objects.get(name="Specialists")
    sender.groups.add(specialists)
    cookies = {}
    for user in [sender] + [
        User.objects.create_user(f"bench.live{n}@example.org", display_name=f"Member {n}")
        for n in range(users)
    ]:
        if user.pk != sender.pk:
            user.groups.add(specialists, members)
        client = Client()
        client.force_login(user)
        cookies[user.pk] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return sender.pk, cookies


async def run(port, sender_id, cookies, rounds):
    members = [pk for pk in cookies if pk != sender_id]
    sockets = {pk: await WebSocket.connect(port, "/ws/messages/", cookies[pk]) for pk in members}
    print(f"{len(sockets)} WebSocket connections open")
    delays = []
    loop = asyncio.get_running_loop()
    for round_number in range(rounds):
        for pk in members:
            started = time.perf_counter()
            waiting = asyncio.ensure_future(sockets[pk].receive())
            await loop.run_in_executor(
                None, post_message, port, cookies[sender_id], pk, f"Round {round_number}"
            )
            event = await asyncio.wait_for(waiting, timeout=10)
            assert event["type"] == "message", event
            delays.append((time.perf_counter() - started) * 1000)
    burst = []

    async def one(pk):
        started = time.perf_counter()
        waiting = asyncio.ensure_future(sockets[pk].receive())
        await loop.run_in_executor(None, post_message, port, cookies[sender_id], pk, "Burst")
        event = await asyncio.wait_for(waiting, timeout=30)
        assert event["type"] == "message", event
        burst.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(one(pk) for pk in members))
    for websocket in sockets.values():
        websocket.close()
    return delays, burst


def main():
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    handle, database = tempfile.mkstemp(prefix="rabita-bench-live-", suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    os.environ.setdefault("DEBUG", "false")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    sys.path.insert(0, str(ROOT))
    port = free_port()
    server = None
    try:
        started = time.monotonic()
        sender_id, cookies = prepare(users)
        print(f"database migrated, {users} members created in {time.monotonic() - started:.1f} s")
        layer = "channels-redis" if os.environ.get("REDIS_URL") else "in-memory"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "portal.asgi:application",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"daphne on 127.0.0.1:{port}, channel layer: {layer}")
        print(f"machine speed: {reference_loop_ms():.0f} ms for a reference Python loop")
        delays, burst = asyncio.run(run(port, sender_id, cookies, rounds))
        for label, values in (("one at a time", delays), ("all at once (burst)", burst)):
            values.sort()
            p95 = values[max(0, round(0.95 * len(values)) - 1)]
            verdict = "OK" if p95 <= TARGET_MS else f"OVER the {TARGET_MS} ms target"
            print(
                f"{len(values)} messages, {label}: median {statistics.median(values):.0f} ms, "
                f"p95 {p95:.0f} ms, max {values[-1]:.0f} ms  {verdict}"
            )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        os.unlink(database)


if __name__ == "__main__":
    main()
