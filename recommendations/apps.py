from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("recommendations")

    def ready(self) -> None:
        from recommendations import links

        links.register()
