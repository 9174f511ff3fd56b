"""Demo conversations: a member writes to L'Heure Joyeuse and its admin answers;
the specialist and the member talk. Idempotent and fast (a handful of rows)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from postman.models import STATUS_ACCEPTED, Message

from directory.models import AssociationPage

from .models import AssociationThread

SUBJECT_ASSOCIATION = "Atelier lecture pour les enfants"
SUBJECT_SPECIALIST = "Accompagnement psychologique"


def _message(sender, recipient, subject, body, sent_at, parent=None, read=True):
    return Message.objects.create(
        sender=sender,
        recipient=recipient,
        subject=subject,
        body=body,
        sent_at=sent_at,
        read_at=sent_at + timedelta(minutes=5) if read else None,
        parent=parent,
        thread=parent.thread if parent else None,
        moderation_status=STATUS_ACCEPTED,
        moderation_date=sent_at,
    )


def load(command, options):
    users = {
        user.email: user
        for user in get_user_model().objects.filter(
            email__in=[
                "member@example.org",
                "heure.joyeuse@example.org",
                "specialist@example.org",
            ]
        )
    }
    member = users.get("member@example.org")
    admin = users.get("heure.joyeuse@example.org")
    specialist = users.get("specialist@example.org")
    association = (
        AssociationPage.objects.filter(registration_number="CASA-1959-0427").order_by("pk").first()
    )
    if member is None or admin is None or association is None:
        return
    association = association.source_page
    start = timezone.now() - timedelta(days=3)
    if not Message.objects.filter(sender=member, subject=SUBJECT_ASSOCIATION).exists():
        first = _message(
            member,
            admin,
            SUBJECT_ASSOCIATION,
            "Bonjour, notre association voudrait organiser un atelier lecture avec la "
            "vôtre à Casablanca. Seriez-vous disponibles en mai ?",
            start,
        )
        first.thread = first
        first.save(update_fields=["thread"])
        AssociationThread.objects.get_or_create(thread=first, defaults={"association": association})
        _message(
            admin,
            member,
            "Re: " + SUBJECT_ASSOCIATION,
            "مرحبا، يسعدنا ذلك. Nous pouvons accueillir l'atelier le samedi matin.",
            start + timedelta(hours=2),
            parent=first,
        )
    if (
        specialist is not None
        and not Message.objects.filter(sender=specialist, subject=SUBJECT_SPECIALIST).exists()
    ):
        first = _message(
            specialist,
            member,
            SUBJECT_SPECIALIST,
            "Bonjour, je peux animer une séance d'écoute pour les bénévoles d'Al Amal.",
            start + timedelta(days=1),
            read=False,
        )
        first.thread = first
        first.save(update_fields=["thread"])
    if options.get("verbosity", 1) > 1:
        command.stdout.write("Demo conversations ready.")
