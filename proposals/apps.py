from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("proposals")

    def ready(self) -> None:
        from core.home import register_panel
        from proposals import rules  # noqa: F401  (registers the named rules)
        from proposals.views import home_panel

        register_panel("proposals.recent", order=20, template="proposals/_home_panel.html", context=home_panel)
