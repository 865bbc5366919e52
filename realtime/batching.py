"""Group commit: an asyncio queue per process drained into one batched call in a writer thread.

`database_sync_to_async` runs every database call on one shared thread: one transaction per
vote tops out around 580 votes/s here. The writer instead takes everything that queued while
the previous batch was being written and hands it to one function (one transaction, one
multi-row insert), so the throughput grows with the load and each caller still gets its own
result only after the batch committed.

The batch function receives a list of items and returns one result per item, in order; a
result may be an exception instance (a per-item refusal), which is returned, not raised. If
the function itself raises, every caller of that batch gets the exception raised.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections

from realtime.db import with_connection

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class BatchWriter(Generic[T, R]):
    def __init__(
        self,
        function: Callable[[list[T]], list[R]],
        *,
        max_batch: int = 500,
        linger: float = 0.0,
        name: str = "writer",
    ) -> None:
        self.function = function
        self.max_batch = max_batch
        self.linger = linger
        self.name = name
        # One dedicated thread: its own database connection, never queued behind reads.
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"realtime-{name}")
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: asyncio.Queue | None = None
        self.task: asyncio.Task | None = None
        self.batches = 0
        self.items = 0
        self.largest = 0

    def _attach(self) -> asyncio.Queue:
        loop = asyncio.get_running_loop()
        if self.loop is not loop or self.queue is None:
            self.loop = loop
            self.queue = asyncio.Queue()
            self.task = loop.create_task(self._drain(), name=f"realtime-{self.name}")
        return self.queue

    async def submit(self, item: T) -> R:
        """Queue ITEM; return its result once its batch has committed."""
        future = asyncio.get_running_loop().create_future()
        self._attach().put_nowait((item, future))
        return await future

    def _run(self, items: list[T]) -> list[R]:
        return with_connection(lambda: self.function(items))

    async def _drain(self) -> None:
        queue = self.queue
        assert queue is not None
        loop = asyncio.get_running_loop()
        while True:
            batch = [await queue.get()]
            if self.linger and queue.qsize() + 1 < self.max_batch:
                # Let the batch fill for a moment: a batch costs a fixed dozen statements, so at
                # a few hundred items a second, batches of one would keep the thread (and the
                # GIL) busy for nothing.
                await asyncio.sleep(self.linger)
            while len(batch) < self.max_batch and not queue.empty():
                batch.append(queue.get_nowait())
            items = [item for item, _ in batch]
            try:
                results = await loop.run_in_executor(self.executor, self._run, items)
                if len(results) != len(items):
                    raise RuntimeError(f"{self.name}: {len(items)} items but {len(results)} results")
            except Exception as exc:
                logger.exception("realtime: batch of %d failed in %s", len(items), self.name)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.batches += 1
            self.items += len(items)
            self.largest = max(self.largest, len(items))
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    def close_connections(self) -> None:
        """Close the writer thread's database connections (tests, before the database is dropped)."""
        self.executor.submit(connections.close_all).result()

    def stats(self) -> dict[str, Any]:
        return {"batches": self.batches, "items": self.items, "largest": self.largest}
