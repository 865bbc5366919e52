"""Real server processes close a ballot when its countdown ends, with no page of the sitting open.

Each test starts `manage.py serve` (tests/e2e/server.py's LiveServer: a file SQLite database of
its own), opens a ballot with the shortest countdown the services allow over the REST API, and
opens no websocket: the ballot must be closed, with its verdict, within a few seconds of the
end of its countdown (the periodic job `votes.close_due_ballots` of each server process).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import LiveServer, scratch_dir
from votes.services.ballots import DURATION_SECONDS_MIN

pytestmark = pytest.mark.slow

LATE_AT_MOST = 5.0  # seconds after the countdown ends (the job runs every second; the machine is shared)


def _api(server: LiveServer, token: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        server.url + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _open_with_the_shortest_countdown(server: LiveServer, room: dict) -> dt.datetime:
    opened = _api(
        server, room["token"], f"/api/v1/ballots/{room['ballot']}/open/", {"duration_seconds": DURATION_SECONDS_MIN}
    )
    assert opened["state"] == "open", opened
    closes_at = _at(opened["closes_at"])
    assert (closes_at - _at(opened["opened_at"])).total_seconds() == DURATION_SECONDS_MIN
    return closes_at


def _wait_closed(server: LiveServer, room: dict, closes_at: dt.datetime) -> dict:
    """The ballot as the API shows it once closed; fails if it is not closed LATE_AT_MOST after CLOSES_AT."""
    deadline = closes_at.timestamp() + LATE_AT_MOST
    while True:
        snapshot = _api(server, room["token"], f"/api/v1/ballots/{room['ballot']}/")
        if snapshot["state"] != "open" or time.time() > deadline:
            return snapshot
        time.sleep(0.2)


def _closings(db: Path, ballot: int) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT COUNT(*) FROM assembly_auditevent WHERE action = 'votes.ballot_close' AND target_id = ?",
            (str(ballot),),
        ).fetchone()[0]


@pytest.fixture
def server() -> Iterator[LiveServer]:
    root = scratch_dir("agora-countdown-")
    first = LiveServer(root=root)
    first.prepare(seed=False)
    yield first
    first.stop()
    shutil.rmtree(root, ignore_errors=True)


def _room(server: LiveServer) -> dict:
    """A sitting in session with three members present, a prepared yes/no ballot, and a staff API token."""
    cast = server.script("people", members=3)
    room = server.script("live_sitting", members=[m["id"] for m in cast["members"]])
    return {"ballot": room["ballot"], "token": cast["staff"]["token"]}


def test_a_ballot_nobody_watches_is_closed_with_its_verdict_when_its_countdown_ends(server):
    room = _room(server)
    server.start()
    closes_at = _open_with_the_shortest_countdown(server, room)

    closed = _wait_closed(server, room, closes_at)

    assert closed["state"] == "closed", f"still {closed['state']} {LATE_AT_MOST} s after its countdown ended"
    late = (_at(closed["closed_at"]) - closes_at).total_seconds()
    assert 0 <= late <= LATE_AT_MOST
    assert closed["verdict"] is not None
    assert closed["verdict"]["votes_cast"] == 0
    assert closed["verdict"]["electorate"] == 3
    assert _closings(server.root / "var" / "agora.sqlite3", room["ballot"]) == 1
    assert "failed" not in server.log_tail()  # no failure logged (periodic job … failed)


def test_two_server_processes_on_one_database_close_a_due_ballot_once(server):
    """Scale-out: every worker process runs the countdown; the ballot is closed once, by one of them."""
    room = _room(server)
    db = server.root / "var" / "agora.sqlite3"
    second_root = scratch_dir("agora-countdown-b-")
    second = LiveServer(root=second_root, database_url=f"sqlite:///{db}")
    server.start()
    second.start()
    try:
        closes_at = _open_with_the_shortest_countdown(second, room)

        closed = _wait_closed(server, room, closes_at)

        assert closed["state"] == "closed"
        assert closed["verdict"] is not None
        time.sleep(2.0)  # both runners have had their turns since
        assert _closings(db, room["ballot"]) == 1
        for process in (server, second):
            assert "failed" not in process.log_tail()
    finally:
        second.stop()
        shutil.rmtree(second_root, ignore_errors=True)
