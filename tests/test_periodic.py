"""Periodic jobs (core.periodic): each runs at its turn, a failure is logged and counted, never stops the others."""

from __future__ import annotations

import logging

import pytest

from core import periodic


@pytest.fixture(autouse=True)
def _no_registered_jobs(monkeypatch):
    monkeypatch.setattr(periodic, "_jobs", {})


def test_a_job_runs_at_once_then_every_interval():
    calls = []
    periodic.register("tests.count", every=1.0, run=lambda: calls.append(1))
    assert periodic.run_due(now=100.0) == ["tests.count"]
    assert periodic.run_due(now=100.5) == []
    assert periodic.run_due(now=101.0) == ["tests.count"]
    assert len(calls) == 2


def test_a_failing_job_is_logged_and_counted_and_the_others_still_run(caplog):
    ran = []

    def broken():
        raise RuntimeError("database gone")

    periodic.register("tests.broken", every=1.0, run=broken)
    periodic.register("tests.fine", every=1.0, run=lambda: ran.append(1))
    with caplog.at_level(logging.ERROR, logger="agora.periodic"):
        assert sorted(periodic.run_due(now=5.0)) == ["tests.broken", "tests.fine"]
    assert ran == [1]
    job = {j.name: j for j in periodic.jobs()}["tests.broken"]
    assert job.failures == 1 and job.last_error == "RuntimeError: database gone"
    assert "periodic job tests.broken failed" in caplog.text
    assert "database gone" in caplog.text  # the traceback is in the log


def test_an_interval_must_be_positive():
    with pytest.raises(ValueError):
        periodic.register("tests.never", every=0, run=lambda: None)


def test_the_background_runner_runs_the_jobs_and_stops():
    import threading

    done = threading.Event()
    periodic.register("tests.signal", every=0.05, run=done.set)
    runner = periodic.Runner(tick=0.01)
    runner.start()
    try:
        assert done.wait(5)
    finally:
        runner.stop()
    assert not runner.is_alive()
