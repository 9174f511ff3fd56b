from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    """Thematic forums: machina kept in sync with the fields of activity, safe markup."""

    name = "community.forums"
    label = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from . import signals  # noqa: F401 — connects the receivers
