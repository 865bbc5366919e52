"""Short periodic jobs that must run while the server runs, whether or not anyone watches.

A ballot's countdown is the example: when it ends, the ballot closes and its verdict is recorded,
even if no page of the sitting is open. Apps register a job in their AppConfig.ready():

    periodic.register("votes.close_due_ballots", every=1.0, run=close_due_ballots)

and `manage.py serve` runs them on one background thread of each server process
(`start_in_background()`). A job must be safe to run in several processes at once (scale-out
runs one runner per worker): it locks the rows it changes, so the second runner finds nothing to
do. A failing job is logged with its traceback and counted; it runs again at its next turn.

These are second-scale ticks inside the server, not calendar jobs (digests, reminders).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import close_old_connections, connections

logger = logging.getLogger("agora.periodic")


@dataclass
class Job:
    name: str
    every: float
    run: Callable[[], Any]
    next_at: float = 0.0
    runs: int = 0
    failures: int = 0
    last_error: str = ""
    last_duration: float = field(default=0.0)


_jobs: dict[str, Job] = {}


def register(name: str, *, every: float, run: Callable[[], Any]) -> None:
    """Run RUN every EVERY seconds in each server process (a second registration replaces the first)."""
    if every <= 0:
        raise ValueError("every must be positive")
    _jobs[name] = Job(name=name, every=every, run=run)


def jobs() -> list[Job]:
    return list(_jobs.values())


def run_due(now: float | None = None) -> list[str]:
    """Run every job whose turn has come; return the names of those that ran. Never raises."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in list(_jobs.values()):
        if job.next_at > now:
            continue
        started = time.monotonic()
        try:
            job.run()
        except Exception as exc:
            job.failures += 1
            job.last_error = f"{type(exc).__name__}: {exc}"
            logger.exception("periodic job %s failed", job.name)
        job.runs += 1
        job.last_duration = time.monotonic() - started
        job.next_at = now + job.every
        ran.append(job.name)
    return ran


class Runner(threading.Thread):
    """The background thread of one server process."""

    def __init__(self, tick: float = 0.25) -> None:
        super().__init__(name="agora-periodic", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()

    def run(self) -> None:
        logger.info("periodic jobs: %s", ", ".join(sorted(_jobs)) or "none")
        try:
            while not self.stopping.wait(self.tick):
                close_old_connections()
                run_due()
        finally:
            connections.close_all()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.join(timeout)


def start_in_background() -> Runner:
    runner = Runner()
    runner.start()
    return runner
