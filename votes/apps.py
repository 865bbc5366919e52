from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CLOSE_DUE_EVERY = 1.0  # seconds: a ballot closes at most about a second after its countdown ends


def close_due_ballots() -> None:
    """The countdown: close the ballots whose time is up (`votes.services.ballots_close_due`)."""
    from votes import services

    services.ballots_close_due()


class VotesConfig(AppConfig):
    name = "votes"
    verbose_name = _("votes")

    def ready(self) -> None:
        from core import periodic
        from core.home import register_panel
        from votes import links
        from votes.panels import live_sitting_panel

        links.register()

        register_panel("votes.live_sitting", order=5, template="votes/_home_panel.html", context=live_sitting_panel)
        # Run by every server process (`manage.py serve`), whether or not anyone watches the
        # sitting; safe in several processes at once (ballot_close locks the ballot row).
        periodic.register("votes.close_due_ballots", every=CLOSE_DUE_EVERY, run=close_due_ballots)
