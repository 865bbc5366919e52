from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Realtime transport"

    def ready(self) -> None:
        from realtime import revocation

        revocation.connect_signals()
