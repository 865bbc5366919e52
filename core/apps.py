from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared infrastructure, not a domain: errors, the journal, API plumbing, files, emails, the admin base.

    It is an app only because the journal (`AuditEvent`) is a model; it imports no domain app.
    """

    name = "core"
    verbose_name = _("journal")
