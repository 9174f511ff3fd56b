"""Server time of an inbox holding 1,000 messages (target: < 100 ms, constant queries).

Usage: .venv/bin/python bench/messages_inbox.py [N]   (default 1000)

Without DATABASE_URL, a temporary SQLite file is created, migrated and deleted
afterwards (with DATABASE_URL, an empty database that is migrated and left as is).
N messages reach one member: 60 % in conversations with 20 people (5 messages
each: 3 received, 2 answered), the rest single messages. Each page is requested through Django's test client:
3 warm-up requests, 30 timed ones (median and 95th percentile of the whole request),
then one more to count the queries, which is compared with the same page holding
a single message.
"""

import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REQUESTS, WARM_UP, measure, prepare_database  # noqa: E402

TARGET_MS = 100
PAGES = [
    ("inbox by conversation", "/ar/messages/inbox/"),
    ("inbox by message", "/ar/messages/inbox/m/"),
    ("inbox by conversation, page 2", "/fr/messages/inbox/?page=2"),
    ("sent", "/ar/messages/sent/"),
    ("a conversation of 5 messages", None),
    # For comparison on a busy machine: a plain content page (header, footer, no list).
    ("reference: the About page", "/ar/about/"),
]


def create_messages(member, others, count):
    from django.utils import timezone

    from postman.models import STATUS_ACCEPTED, Message

    now = timezone.now()
    threaded = int(count * 0.6) // 3
    made = 0
    first_thread = None
    for number in range(threaded):
        other = others[number % len(others)]
        root = Message.objects.create(
            sender=other,
            recipient=member,
            subject=f"Conversation {number}",
            body="Salam, " * 20,
            sent_at=now - timedelta(minutes=count - made),
            moderation_status=STATUS_ACCEPTED,
        )
        root.thread = root
        root.save(update_fields=["thread"])
        first_thread = first_thread or root
        batch = []
        for reply in range(4):
            sender, recipient = (member, other) if reply % 2 == 0 else (other, member)
            batch.append(
                Message(
                    sender=sender,
                    recipient=recipient,
                    subject=f"Re: Conversation {number}",
                    body="Merci, " * 20,
                    thread=root,
                    parent=root,
                    sent_at=now - timedelta(minutes=count - made - 1, seconds=-reply),
                    moderation_status=STATUS_ACCEPTED,
                    read_at=now,
                )
            )
        Message.objects.bulk_create(batch)
        made += 3
    Message.objects.bulk_create(
        Message(
            sender=others[number % len(others)],
            recipient=member,
            subject=f"Message {number}",
            body="Bonjour, " * 20,
            sent_at=now - timedelta(seconds=number),
            moderation_status=STATUS_ACCEPTED,
            read_at=now if number % 3 else None,
        )
        for number in range(count - made)
    )
    return Message.objects.count(), first_thread


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with prepare_database():
        from django.test import Client

        from accounts.models import User

        member = User.objects.create_user("bench.member@example.org", display_name="Bench")
        others = [
            User.objects.create_user(f"bench{n}@example.org", display_name=f"Person {n}")
            for n in range(20)
        ]
        client = Client(HTTP_ACCEPT_LANGUAGE="ar")
        client.force_login(member)
        baseline = {}
        single = Client(HTTP_ACCEPT_LANGUAGE="ar")
        lonely = User.objects.create_user("bench.single@example.org")
        single.force_login(lonely)
        from postman.models import STATUS_ACCEPTED, Message

        lonely_root = Message.objects.create(
            sender=others[0], recipient=lonely, subject="One", moderation_status=STATUS_ACCEPTED
        )
        lonely_root.thread = lonely_root
        lonely_root.save()
        started = time.monotonic()
        total, thread = create_messages(member, others, count)
        print(
            f"{Message.objects.filter(recipient=member).count()} messages received by the "
            f"member, {total} in all, created in {time.monotonic() - started:.1f} s"
        )
        for name, url in PAGES:
            url = url or f"/ar/messages/view/t/{thread.pk}/"
            lonely_url = url if "view/t" not in url else f"/ar/messages/view/t/{lonely_root.pk}/"
            baseline[name] = measure(single, lonely_url.replace("?page=2", ""))[2]

        print(f"{REQUESTS} requests each, after {WARM_UP} warm-up requests:")
        for position, (name, url) in enumerate(PAGES):
            url = url or f"/ar/messages/view/t/{thread.pk}/"
            median, p95, queries, _response = measure(client, url)
            verdict = ""
            if position == 0:
                verdict = "  OK" if p95 < TARGET_MS else f"  OVER the {TARGET_MS} ms target"
            print(
                f"  {name:32} median {median:6.1f} ms  p95 {p95:6.1f} ms  "
                f"{queries} queries (1 message: {baseline[name]}){verdict}"
            )


if __name__ == "__main__":
    main()
