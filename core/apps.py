from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from core.ids import IdConverter


class CoreConfig(AppConfig):
    """Shared infrastructure, not a domain: errors, the journal, API plumbing, files, emails, the admin base.

    It is an app only because the journal (`AuditEvent`) is a model; it imports no domain app.
    """

    name = "core"
    verbose_name = _("journal")

    def ready(self) -> None:
        # `<id:pk>` in every urls.py: a row id, 404 past the key range (core/ids.py).
        register_converter(IdConverter, "id")
