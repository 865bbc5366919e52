from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    name = "votes"
    verbose_name = _("votes")

    def ready(self) -> None:
        from core.home import register_panel
        from votes.panels import live_sitting_panel

        register_panel("votes.live_sitting", order=5, template="votes/_home_panel.html", context=live_sitting_panel)
