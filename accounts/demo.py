"""Demo accounts (architecture.md); password demo-pass-2026."""

from django.contrib.auth.models import Group

from allauth.account.models import EmailAddress

from . import roles
from .models import User

DEMO_PASSWORD = "demo-pass-2026"

DEMO_ACCOUNTS = [
    # e-mail, display name, language, roles, superuser
    ("admin@example.org", "مدير المنصة", "ar", [], True),
    ("editor@example.org", "Salma Bennani", "fr", [roles.EDITORS], False),
    ("moderator@example.org", "يوسف الإدريسي", "ar", [roles.MODERATORS], False),
    ("heure.joyeuse@example.org", "أميمة مهيجي", "ar", [roles.MEMBERS], False),
    ("member@example.org", "Karim Tazi", "fr", [roles.MEMBERS], False),
    ("specialist@example.org", "د. نادية العلوي", "ar", [roles.SPECIALISTS], False),
]


def ensure_user(email, display_name, language, role_names=(), superuser=False):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"display_name": display_name, "preferred_language": language},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    user.is_superuser = superuser
    user.is_staff = superuser
    user.save()
    for name in role_names:
        user.groups.add(Group.objects.get(name=name))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load(command, options):
    for email, name, language, role_names, superuser in DEMO_ACCOUNTS:
        ensure_user(email, name, language, role_names, superuser)
    command.stdout.write(f"  {len(DEMO_ACCOUNTS)} demo accounts (password {DEMO_PASSWORD})")
