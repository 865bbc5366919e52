"""ASGI entry point: HTTP through Django, websockets through each app's routes.

Composes websocket routes as `backend/urls.py` composes URLs; unknown websocket paths
are refused by the catch-all route of `realtime`.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from realtime.routing import websocket_application  # noqa: E402
from votes.routing import websocket_urlpatterns as votes_routes  # noqa: E402

websocket_urlpatterns: list = [*votes_routes]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_application(websocket_urlpatterns),
    }
)
