"""Real server processes: a server killed mid-ballot loses no acknowledged vote and counts none twice;
two processes sharing Redis fan out each other's changes.

These tests start `manage.py serve` on free ports with a file SQLite database seeded by
`bench.live --seed-only`, and talk to it with the `websockets` client, as phones do.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: Path, redis_url: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}}
    env.update({"DATABASE_URL": f"sqlite:///{db}", "REDIS_URL": redis_url, "DEBUG": "false", "LOG_LEVEL": "WARNING"})
    return env


def _seed(tmp_path: Path, voters: int, redis_url: str = "") -> tuple[Path, dict]:
    db = tmp_path / "live.sqlite3"
    out = tmp_path / "seed.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.live",
            "--seed-only",
            "--voters",
            str(voters),
            "--database-url",
            f"sqlite:///{db}",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        env=_env(db, redis_url),
        check=True,
        capture_output=True,
        timeout=240,
    )
    return db, json.loads(out.read_text())


def _serve(db: Path, port: int, redis_url: str = "") -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=_env(db, redis_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    end = time.time() + 60
    while time.time() < end:
        assert proc.poll() is None, "server exited"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start")


def _stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Phone:
    """A member's phone: keeps its vote until acknowledged and resends it after reconnecting."""

    def __init__(self, port: int, seed: dict, user_id: int, key: str) -> None:
        self.port = port
        self.url = f"ws://127.0.0.1:{port}/ws/v1/sittings/{seed['sitting']}/"
        self.headers = {"Cookie": f"{seed['cookie_name']}={key}", "Origin": f"http://127.0.0.1:{port}"}
        self.user_id = user_id
        self.ballot = seed["ballot"]
        self.vote_id = str(uuid.uuid4())
        self.acks: list[dict] = []
        self.states: list[dict] = []
        self.ws = None

    async def open(self) -> None:
        self.ws = await connect(self.url, additional_headers=self.headers, open_timeout=20, ping_interval=None)

    async def cast(self, choice: int) -> None:
        frame = {"type": "vote.cast", "vote_id": self.vote_id, "ballot": self.ballot, "choice": choice}
        await self.ws.send(json.dumps(frame))

    async def read(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError, Exception):
            async with asyncio.timeout(seconds):
                async for text in self.ws:
                    message = json.loads(text)
                    if message["type"] == "vote.ack":
                        self.acks.append(message)
                    elif message["type"] in ("state", "snapshot"):
                        self.states.append(message)


async def _staff_open(port: int, seed: dict) -> None:
    url = f"ws://127.0.0.1:{port}/ws/v1/sittings/{seed['sitting']}/"
    headers = {"Cookie": f"{seed['cookie_name']}={seed['staff'][1]}", "Origin": f"http://127.0.0.1:{port}"}
    async with connect(url, additional_headers=headers, open_timeout=20) as ws:
        await ws.send(json.dumps({"type": "ballot.open", "ballot": seed["ballot"], "ref": "open"}))
        async with asyncio.timeout(20):
            async for text in ws:
                message = json.loads(text)
                if message.get("ref") == "open":
                    assert message["type"] == "ok", message
                    return


def _yes_option(db: Path, ballot: int) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id FROM votes_ballotoption WHERE ballot_id=? AND code='yes'", (ballot,)).fetchone()[
            0
        ]


def _stored(db: Path, ballot: int) -> tuple[int, set[str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT vote_id FROM votes_vote WHERE ballot_id=?", (ballot,)).fetchall()
    return len(rows), {str(uuid.UUID(r[0])) if len(r[0]) == 32 else r[0] for r in rows}


async def test_server_killed_mid_ballot_loses_no_acked_vote_and_counts_none_twice(tmp_path):
    voters = 40
    db, seed = _seed(tmp_path, voters)
    port = _free_port()
    server = _serve(db, port)
    try:
        await _staff_open(port, seed)
        yes = _yes_option(db, seed["ballot"])
        phones = [Phone(port, seed, uid, key) for uid, key in seed["voters"]]
        await asyncio.gather(*(p.open() for p in phones))
        # Half the room votes and is acknowledged; the other half votes as the server dies.
        first, second = phones[: voters // 2], phones[voters // 2 :]
        await asyncio.gather(*(p.cast(yes) for p in first))
        await asyncio.gather(*(p.read(3) for p in first))
        for p in second:
            await p.cast(yes)
        server.send_signal(signal.SIGKILL)
        server.wait()
        acked_before = {p.vote_id for p in phones if p.acks}
        assert {p.vote_id for p in first} <= acked_before
        # Restart; every phone reconnects and resends what it has not seen acknowledged, and
        # a few also replay an acknowledged vote (a lost ack on the way back).
        server = _serve(db, port)
        await asyncio.gather(*(p.open() for p in phones))
        resend = [p for p in phones if not p.acks] + first[:5]
        await asyncio.gather(*(p.cast(yes) for p in resend))
        await asyncio.gather(*(p.read(4) for p in resend))
        acked = {p.vote_id for p in phones if p.acks}
        assert acked == {p.vote_id for p in phones}
        assert all(a["vote_id"] == p.vote_id for p in phones for a in p.acks)
        count, stored = _stored(db, seed["ballot"])
        assert count == voters == len(acked)
        assert stored == acked
        with sqlite3.connect(db) as conn:
            voted = conn.execute(
                "SELECT COUNT(*) FROM votes_voterroll WHERE ballot_id=? AND has_voted", (seed["ballot"],)
            ).fetchone()[0]
        assert voted == voters
    finally:
        _stop(server)


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (two processes talk through Redis)")
async def test_a_vote_on_one_process_reaches_phones_on_the_other(tmp_path):
    redis_url = os.environ["REDIS_URL"]
    db, seed = _seed(tmp_path, 4, redis_url)
    port_a, port_b = _free_port(), _free_port()
    server_a, server_b = _serve(db, port_a, redis_url), _serve(db, port_b, redis_url)
    try:
        watcher = Phone(port_b, seed, *seed["voters"][1])
        await watcher.open()
        await asyncio.sleep(0.5)  # the hub of B subscribes to Redis on the first connection
        await _staff_open(port_a, seed)  # opened on A: B's phone must hear of it
        await watcher.read(2)
        assert any(b["state"] == "open" for s in watcher.states for b in s["ballots"])
        voter = Phone(port_a, seed, *seed["voters"][0])
        await voter.open()
        await voter.cast(_yes_option(db, seed["ballot"]))
        await voter.read(1)
        assert voter.acks
        await watcher.read(2)
        voted = [b["participation"]["voted"] for s in watcher.states for b in s["ballots"] if b["participation"]]
        assert voted and voted[-1] == 1
    finally:
        _stop(server_a)
        _stop(server_b)
