"""The countdown: a ballot whose time is up is closed, with its verdict, whether or not anyone watches.

`services.ballots_close_due` is run every second by each server process (the periodic job
`votes.close_due_ballots`, core/periodic.py); tests/votes/test_countdown_process.py runs it in
real server processes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from core import periodic
from core.errors import DomainError
from core.models import AuditEvent
from tests import factories
from votes import services
from votes.models import Ballot, Verdict
from votes.services import ballots as ballot_services
from votes.services import verdicts as verdict_services


def _later(seconds: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_ballots_close_due_closes_the_ballots_whose_countdown_is_over_and_leaves_the_others(
    open_ballot, sitting, staff
):
    due = open_ballot(duration_seconds=60)
    running = open_ballot(duration_seconds=120)
    endless = open_ballot()  # no countdown
    draft = factories.BallotFactory(sitting=sitting, duration_seconds=10)
    cancelled = services.ballot_cancel(by=staff, ballot=open_ballot(duration_seconds=10))

    verdicts = services.ballots_close_due(now=_later(61))

    assert [v.ballot_id for v in verdicts] == [due.pk]
    states = dict(Ballot.objects.values_list("pk", "state"))
    assert states[due.pk] == Ballot.State.CLOSED
    assert Verdict.objects.get(ballot=due).votes_cast == 0
    assert states[running.pk] == states[endless.pk] == Ballot.State.OPEN
    assert states[draft.pk] == Ballot.State.DRAFT
    assert states[cancelled.pk] == Ballot.State.CANCELLED
    assert list(Verdict.objects.values_list("ballot_id", flat=True)) == [due.pk]
    closing = AuditEvent.objects.get(action="votes.ballot_close")
    assert closing.actor is None  # the countdown, not a person


def test_a_due_ballot_closed_meanwhile_is_skipped_without_error(open_ballot, staff, monkeypatch):
    ballot = open_ballot(duration_seconds=60)
    real_close = ballot_services.ballot_close

    def staff_closes_it_first(*, by, ballot):
        real_close(by=staff, ballot=ballot)  # staff press "close" as the countdown ends
        return real_close(by=by, ballot=ballot)

    monkeypatch.setattr(ballot_services, "ballot_close", staff_closes_it_first)
    assert services.ballots_close_due(now=_later(61)) == []
    assert Verdict.objects.filter(ballot=ballot).count() == 1


def test_a_ballot_that_fails_to_close_does_not_stop_the_others_and_its_failure_is_raised(open_ballot, monkeypatch):
    broken = open_ballot(duration_seconds=30)
    fine = open_ballot(duration_seconds=60)
    real_compute = verdict_services.compute_verdict

    def compute(ballot):
        if ballot.pk == broken.pk:
            raise RuntimeError("verdict failed")
        return real_compute(ballot)

    monkeypatch.setattr(ballot_services, "compute_verdict", compute)
    with pytest.raises(ExceptionGroup) as info:
        services.ballots_close_due(now=_later(61))

    (error,) = info.value.exceptions
    assert isinstance(error, RuntimeError)
    assert f"while closing ballot {broken.pk}, whose countdown is over" in error.__notes__
    assert Ballot.objects.get(pk=fine.pk).state == Ballot.State.CLOSED
    assert Ballot.objects.get(pk=broken.pk).state == Ballot.State.OPEN  # rolled back: tried again next turn
    assert not Verdict.objects.filter(ballot=broken).exists()


def _votes_job(monkeypatch) -> periodic.Job:
    """The votes app's registered job, alone in the registry (a fresh copy: no turn taken yet)."""
    registered = {job.name: job for job in periodic.jobs()}["votes.close_due_ballots"]
    job = dataclasses.replace(registered, next_at=0.0, runs=0, failures=0, last_error="")
    monkeypatch.setattr(periodic, "_jobs", {job.name: job})
    return job


def test_the_countdown_is_a_periodic_job_that_closes_due_ballots(open_ballot, monkeypatch):
    job = _votes_job(monkeypatch)
    assert job.every == 1.0
    ballot = open_ballot(duration_seconds=60)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))

    assert periodic.run_due(now=1000.0) == ["votes.close_due_ballots"]

    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.CLOSED
    assert Verdict.objects.filter(ballot=ballot).exists()
    assert job.failures == 0


def test_a_failing_countdown_is_logged_with_its_traceback_and_counted(open_ballot, monkeypatch, caplog):
    job = _votes_job(monkeypatch)
    ballot = open_ballot(duration_seconds=60)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))

    def compute(ballot):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ballot_services, "compute_verdict", compute)
    with caplog.at_level(logging.ERROR, logger="agora.periodic"):
        periodic.run_due(now=1000.0)

    assert job.failures == 1
    assert "periodic job votes.close_due_ballots failed" in caplog.text
    assert "RuntimeError: database gone" in caplog.text  # the traceback of the ballot's failure
    assert f"while closing ballot {ballot.pk}" in caplog.text
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.OPEN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_closing_the_same_due_ballot_at_once_close_it_once(open_ballot, monkeypatch):
    """Scale-out: each worker process runs the countdown. Both find the ballot due; the row lock
    of `ballot_close` makes the second wait, find it closed, and skip it: one verdict, one record."""
    if connection.vendor != "postgresql":
        pytest.skip("two runners at once need a database server with row locks; run with DATABASE_URL on PostgreSQL")
    ballot = open_ballot(duration_seconds=60)
    both_found_it_due = threading.Barrier(2, timeout=10)
    real_close, real_compute = ballot_services.ballot_close, ballot_services.compute_verdict

    def close_together(*, by, ballot):
        both_found_it_due.wait()
        return real_close(by=by, ballot=ballot)

    def slow_compute(ballot):
        verdict = real_compute(ballot)
        threading.Event().wait(0.5)  # hold the lock while the other runner arrives
        return verdict

    monkeypatch.setattr(ballot_services, "ballot_close", close_together)
    monkeypatch.setattr(ballot_services, "compute_verdict", slow_compute)
    results: list = []

    def runner() -> None:
        try:
            results.append(services.ballots_close_due(now=_later(61)))
        except BaseException as exc:  # noqa: BLE001 (asserted below)
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(len(r) for r in results) == [0, 1], results  # one closed it, the other skipped it
    assert Verdict.objects.filter(ballot=ballot).count() == 1
    assert AuditEvent.objects.filter(action="votes.ballot_close").count() == 1
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.CLOSED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_concurrent_closes_gets_ballot_closed(open_ballot, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("two closes at once need a database server with row locks; run with DATABASE_URL on PostgreSQL")
    ballot = open_ballot(duration_seconds=60)
    start = threading.Barrier(2, timeout=10)
    real_compute = ballot_services.compute_verdict

    def slow_compute(ballot):
        verdict = real_compute(ballot)
        threading.Event().wait(0.5)
        return verdict

    monkeypatch.setattr(ballot_services, "compute_verdict", slow_compute)
    outcomes: list = []

    def close() -> None:
        start.wait()
        try:
            outcomes.append(services.ballot_close(by=None, ballot=ballot.pk))
        except DomainError as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    errors = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(outcomes) == 2 and len(errors) == 1
    assert isinstance(errors[0], services.BallotClosed)
    assert Verdict.objects.filter(ballot=ballot).count() == 1
