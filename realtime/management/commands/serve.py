"""Run the ASGI server with the project's limits (websocket message size, listen backlog).

uvicorn is started with uvloop, httptools and the sans-I/O `websockets` implementation
(measured at 5,000 sockets: a third less memory per socket and a cheaper handshake than the
legacy one), without permessage-deflate: compression is
per socket (the same frame would be compressed once per phone) and keeps a zlib context per
connection, which costs more CPU and memory than the bytes it saves on small JSON frames.
docs/performance-live.md has the measurements behind these choices.
"""

from __future__ import annotations

import gc

from django.conf import settings
from django.core.management.base import BaseCommand

from core import periodic

GC_THRESHOLD = 20_000


class Command(BaseCommand):
    help = "Serve HTTP and websockets with uvicorn (the one server of the demo, the tests, the benches and Docker)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--backlog", type=int, default=4096)
        parser.add_argument(
            "--ws",
            choices=["websockets", "websockets-sansio"],
            default="websockets-sansio",
            help="uvicorn's websocket implementation (see docs/performance-live.md)",
        )

    def handle(self, *args, host: str, port: int, backlog: int, ws: str, **options) -> None:
        max_bytes = settings.WEBSOCKET_MAX_MESSAGE_BYTES
        # The code and settings loaded so far live as long as the process: keep them out of the
        # collector's full passes, and collect the young generation less often (thousands of
        # long-lived sockets make every full pass a pause that delays acknowledgements).
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_THRESHOLD, 20, 20)
        # Ballot countdowns and other second-scale jobs run whether or not any page is open.
        periodic.start_in_background()
        import uvicorn

        self.stdout.write(f"Agora on http://{host}:{port}/ (uvicorn)")
        uvicorn.run(
            "backend.asgi:application",
            host=host,
            port=port,
            backlog=backlog,
            loop="uvloop",
            http="httptools",
            ws=ws,
            ws_max_size=max_bytes,
            ws_per_message_deflate=False,
            lifespan="off",
            log_level="warning",
            access_log=False,
        )
