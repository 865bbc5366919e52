"""Per-process fan-out of notifications, and the bridge between processes.

One `Hub` per process. Inside the process, listeners (usually one `realtime.rooms.Room` per
live topic, never one per socket) subscribe to a topic; a notification is delivered to them
on the event loop, and they fan out to their local sockets with direct sends.

Between processes the hub uses ONE Redis pub/sub subscription per process (when REDIS_URL is
set): every process publishes its notifications on one channel and hears the others'. Its own
notifications are delivered locally at once and skipped when they come back from Redis. The
channel layer of Channels is not used for fan-out: its per-recipient cost is 5–13× a direct
send, and the in-memory layer scans every channel on every receive (quadratic).

The bus is lossy by design (Redis pub/sub keeps nothing for a process that is reconnecting):
notifications only say "something changed"; truth comes from the database. When the
subscription is re-established the hub tells every listener `RESYNC`, so rooms recompute
their state from the database and nothing stays stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from django.conf import settings

logger = logging.getLogger(__name__)

Listener = Callable[[str, str], None]
"""A listener is called on the event loop with (topic, payload); it must not block."""

RESYNC = "__resync__"
"""Payload given to listeners after the cross-process bus was re-established."""

_SEPARATOR = "\n"


def bus_channel(redis_url: str) -> str:
    """The Redis pub/sub channel of this deployment.

    Pub/sub channels are shared by every database of a Redis server, so the database number
    is part of the name: two deployments (or two test runs) on different databases of the
    same server do not hear each other.
    """
    path = urlparse(redis_url).path.strip("/") or "0"
    prefix = getattr(settings, "REALTIME_BUS_PREFIX", "agora")
    return f"{prefix}:{path}:realtime"


class Hub:
    """Topic → local listeners, plus one cross-process subscription."""

    def __init__(self, redis_url: str | None = None) -> None:
        self.redis_url = redis_url
        self.origin = uuid.uuid4().hex[:16]
        self.loop: asyncio.AbstractEventLoop | None = None
        self.listeners: dict[str, set[Listener]] = {}
        self._bus_task: asyncio.Task | None = None
        self._bus_ready: asyncio.Event | None = None  # created on the loop, see _attach
        self._sync_client: Any = None
        self._sync_lock = threading.Lock()
        self.published = 0
        self.delivered = 0

    # --- subscription (event loop only) ----------------------------------------------------

    def _attach(self) -> None:
        """Bind the hub to the running loop; a new loop (tests) starts from a clean slate."""
        loop = asyncio.get_running_loop()
        if self.loop is loop:
            return
        self.loop = loop
        self.listeners = {}
        self._bus_task = None
        self._bus_ready = asyncio.Event()
        if self.redis_url:
            self._bus_task = loop.create_task(self._run_bus(), name="realtime-hub-bus")
        else:
            self._bus_ready.set()

    def subscribe(self, topic: str, listener: Listener) -> None:
        self._attach()
        self.listeners.setdefault(topic, set()).add(listener)

    def unsubscribe(self, topic: str, listener: Listener) -> None:
        listeners = self.listeners.get(topic)
        if listeners is None:
            return
        listeners.discard(listener)
        if not listeners:
            del self.listeners[topic]

    async def ready(self, timeout: float = 5.0) -> bool:
        """Wait until the cross-process subscription is live (tests, and the first connect)."""
        self._attach()
        assert self._bus_ready is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._bus_ready.wait(), timeout)
        return self._bus_ready.is_set()

    # --- publishing (any thread) ------------------------------------------------------------

    def publish(self, topic: str, payload: str) -> None:
        """Deliver PAYLOAD to TOPIC's listeners in this process and in every other one.

        Safe from any thread (services run in worker threads and publish from on_commit).
        Never raises: a notification that cannot be sent is logged; clients still converge
        because rooms recompute from the database after a bus outage.
        """
        self.published += 1
        loop = self.loop
        if loop is not None and not loop.is_closed():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                self._deliver(topic, payload)
            else:
                with contextlib.suppress(RuntimeError):  # loop closed meanwhile
                    # A fresh context: the publishing thread's context variables (asgiref's
                    # thread-sensitive markers among them) must not leak into the loop's tasks.
                    loop.call_soon_threadsafe(self._deliver, topic, payload, context=contextvars.Context())
        if self.redis_url:
            self._publish_remote(topic, payload)

    def _publish_remote(self, topic: str, payload: str) -> None:
        message = f"{self.origin}{_SEPARATOR}{topic}{_SEPARATOR}{payload}"
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._publish_sync(message)
            return
        # On the event loop: never block it on a network round trip.
        threading.Thread(target=self._publish_sync, args=(message,), daemon=True).start()

    def _publish_sync(self, message: str) -> None:
        assert self.redis_url is not None  # called only with a Redis URL (publish)
        try:
            with self._sync_lock:
                if self._sync_client is None:
                    import redis

                    self._sync_client = redis.Redis.from_url(
                        self.redis_url, socket_timeout=2, socket_connect_timeout=2, max_connections=64
                    )
            self._sync_client.publish(bus_channel(self.redis_url), message)
        except Exception:
            logger.warning("realtime: could not publish a notification to Redis", exc_info=True)

    # --- delivery (event loop) --------------------------------------------------------------

    def _deliver(self, topic: str, payload: str) -> None:
        for listener in tuple(self.listeners.get(topic, ())):
            self.delivered += 1
            try:
                listener(topic, payload)
            except Exception:
                logger.exception("realtime: listener failed on %s", topic)

    def _resync_all(self) -> None:
        for topic in tuple(self.listeners):
            self._deliver(topic, RESYNC)

    async def _run_bus(self) -> None:
        """Hold the one subscription of this process; reconnect with backoff, then resync."""
        import redis.asyncio as aioredis

        assert self.redis_url is not None  # started only with a Redis URL (start)
        channel = bus_channel(self.redis_url)
        delay = 0.2
        first = True
        assert self._bus_ready is not None
        while True:
            client = aioredis.Redis.from_url(self.redis_url, max_connections=4)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(channel)
                self._bus_ready.set()
                if not first:
                    logger.info("realtime: bus re-established, resyncing local rooms")
                    self._resync_all()
                first = False
                delay = 0.2
                task = asyncio.current_task()
                # Poll rather than `async for ... listen()`: a cancelled task must end (at
                # shutdown, and between tests) even if the client library swallows the
                # cancellation while reading.
                while task is None or not task.cancelling():
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if message is None or message.get("type") != "message":
                        continue
                    data = message["data"]
                    text = data.decode("utf-8") if isinstance(data, bytes) else data
                    origin, _, rest = text.partition(_SEPARATOR)
                    if origin == self.origin:
                        continue
                    topic, _, payload = rest.partition(_SEPARATOR)
                    self._deliver(topic, payload)
                raise asyncio.CancelledError()
            except asyncio.CancelledError:
                raise
            except Exception:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise asyncio.CancelledError() from None
                self._bus_ready.clear()
                logger.warning("realtime: bus lost, retrying in %.1fs", delay, exc_info=True)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(pubsub.aclose(), 1.0)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.aclose(), 1.0)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def stats(self) -> dict[str, int]:
        return {
            "topics": len(self.listeners),
            "listeners": sum(len(v) for v in self.listeners.values()),
            "published": self.published,
            "delivered": self.delivered,
        }


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    """The hub of this process, created on first use from settings.REDIS_URL."""
    global _hub
    if _hub is None:
        with _hub_lock:
            if _hub is None:
                _hub = Hub(getattr(settings, "REDIS_URL", "") or None)
    return _hub


def reset_hub() -> None:
    """Forget the hub (tests that change REDIS_URL)."""
    global _hub
    with _hub_lock:
        _hub = None


def publish(topic: str, payload: str) -> None:
    get_hub().publish(topic, payload)
