"""Live-room bench: N signed-in voters on real websockets, a ballot opens, each votes once.

For each run it reports connect time, ballot-open fan-out (p50/p99), vote-to-ack (p50/p99),
last-vote-to-final-tally on the projector and on every phone, projector lag, server CPU and
RSS, lost and duplicated votes, and whether the final tally equals a COUNT in the database.
It also reports the CPU of the client processes and how busy the whole machine was while
voters voted: clients, servers, PostgreSQL and Redis share the same cores, so every CPU second
the load generator spends is taken from the servers it measures. The phones therefore use
picows (a websocket client whose frame parsing is compiled) on uvloop: with the `websockets`
library's asyncio client (`--client-library websockets`) the client processes needed about
twice the CPU, and at N = 20,000 nearly three times the servers' own; with the standard event
loop (`--client-loop asyncio`) the acknowledgement p99 measured is about a quarter higher, on
both servers alike (docs/performance-live.md). The same clients are then run
against `bench/reference_server.py` (plain asyncio websockets, in memory: the same protocol and
message shapes, the same connect ticket and screen link checked by signature, nothing written
anywhere; its docstring says what else it leaves out) and every figure is given as a ratio to it.

Embedded (one process, SQLite, no Redis):

    .venv/bin/python -m bench.live --voters 2000

Scale-out (PostgreSQL + Redis, two worker processes on two ports, two client processes):

    .venv/bin/python -m bench.live --voters 5000 --processes 2 --clients 2 \\
        --database-url postgres://postgres@127.0.0.1:5432/agora_bench_live --redis-url redis://127.0.0.1:6379/4

The server measured is the one the project serves with: `manage.py serve` (uvicorn; `--ws` picks
its websocket implementation).

Voters, sessions and the sitting are written straight into the bench database (sessions are
created in the database, no sign-in round trip). Each socket carries the connect ticket its live
page would have rendered (`realtime.tickets`; phones connect right after loading the page);
`--no-ticket` measures the full session check instead. The ballot is opened by a staff websocket,
through the same service as in the room. The reference server gets the same sockets: the same
session cookies and fresh tickets of the same pages (or, with `--no-ticket`, fake cookies it
trusts: it reads no session), and the same screen link. The database named by --database-url is DROPPED and
recreated (SQLite: the file var/bench_live.sqlite3 is recreated).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WINDOW = 10.0  # seconds within which every voter votes, after seeing the ballot open
ACK_RETRY = 5.0  # a vote not acknowledged after this is resent with the same vote_id
SERVER_LOGS = ROOT / "var" / "bench"  # server-<port>.log: each server's stderr

# ---------------------------------------------------------------------------------------------
# Client side: asyncio + a websocket client library, no Django (runs in its own processes)
# ---------------------------------------------------------------------------------------------


def _voted(ballot: dict) -> int:
    return (ballot.get("participation") or {}).get("voted") or 0


class _Phone:
    """What one voter's phone does with the frames it receives, whatever its websocket client."""

    def __init__(self, v: dict, cfg: dict) -> None:
        self.cfg = cfg
        self.rec: dict[str, Any] = {"id": v["id"], "errors": [], "resends": 0, "vote_id": str(uuid.uuid4())}
        self.send: Callable[[str], Awaitable[None]] | None = None
        self.vote_task: asyncio.Task | None = None

    def on_text(self, text: str, now: float) -> bool:
        """Handle one received message; True once the final tally and the ack have both arrived."""
        rec, ballot_id = self.rec, self.cfg["ballot"]
        msg = json.loads(text)
        kind = msg.get("type")
        if kind in ("state", "snapshot"):
            for b in msg.get("ballots") or []:
                if b.get("id") != ballot_id:
                    continue
                if b.get("state") == "open" and "open_at" not in rec:
                    rec["open_at"] = now
                    yes = next(o["id"] for o in b["options"] if o.get("code") == "yes")
                    self.vote_task = asyncio.get_running_loop().create_task(self.cast(yes))
                if _voted(b) >= self.cfg["expected"] and "final_at" not in rec:
                    rec["final_at"] = now
        elif kind == "vote.ack":
            if msg.get("vote_id") == rec["vote_id"] and "ack_at" not in rec:
                rec["ack_at"] = now
        elif kind == "error":
            rec["errors"].append(msg.get("code"))
        return "final_at" in rec and "ack_at" in rec

    async def cast(self, choice: int) -> None:
        """Vote once at a random moment of the window; resend with the same vote id until acknowledged."""
        rec = self.rec
        await asyncio.sleep(random.uniform(0, WINDOW))
        frame = json.dumps(
            {"type": "vote.cast", "vote_id": rec["vote_id"], "ballot": self.cfg["ballot"], "choice": choice}
        )
        rec["sent_at"] = time.time()
        await self.send(frame)
        while "ack_at" not in rec:
            await asyncio.sleep(ACK_RETRY)
            if "ack_at" not in rec:
                rec["resends"] += 1
                await self.send(frame)


async def _with_websockets(phone: _Phone, v: dict, deadline: float, all_done: asyncio.Event) -> AsyncIterator[None]:
    """The phone on the `websockets` library's asyncio client."""
    import websockets
    from websockets.asyncio.client import connect

    ws = await connect(
        v["url"],
        additional_headers={"Cookie": v["cookie"], "Origin": v["origin"]},
        open_timeout=120,
        ping_interval=None,
        max_size=2**20,
    )
    phone.send = ws.send
    yield
    try:
        async with asyncio.timeout(deadline - time.time()):
            async for text in ws:
                if phone.on_text(text, time.time()):
                    break
    except TimeoutError:
        phone.rec["errors"].append("timeout")
    except websockets.ConnectionClosed as exc:
        phone.rec["errors"].append(f"closed {exc.rcvd.code if exc.rcvd else '?'}")
    yield
    await all_done.wait()  # phones stay connected until every voter of this process is done
    with contextlib.suppress(Exception):
        await ws.close()
    yield


async def _with_picows(phone: _Phone, v: dict, deadline: float, all_done: asyncio.Event) -> AsyncIterator[None]:
    """The phone on picows (compiled frame parsing, a callback per frame: less load-generator CPU)."""
    from picows import WSListener, WSMsgType, ws_connect

    finished = asyncio.Event()

    class Listener(WSListener):
        def on_ws_frame(self, transport, frame) -> None:
            if frame.msg_type == WSMsgType.TEXT:
                if not frame.fin:  # the server never fragments a message: say so if it ever does
                    phone.rec["errors"].append("fragmented message")
                elif phone.on_text(frame.get_payload_as_utf8_text(), time.time()):
                    finished.set()
            elif frame.msg_type == WSMsgType.CLOSE:
                phone.rec["errors"].append(f"closed {frame.get_close_code()}")
                finished.set()

        def on_ws_disconnected(self, transport) -> None:
            finished.set()

    transport, _listener = await ws_connect(
        Listener,
        v["url"],
        extra_headers={"Cookie": v["cookie"], "Origin": v["origin"]},
        websocket_handshake_timeout=120,
        max_frame_size=2**20,
    )

    async def send(text: str) -> None:
        transport.send(WSMsgType.TEXT, text.encode())

    phone.send = send
    yield
    try:
        async with asyncio.timeout(deadline - time.time()):
            await finished.wait()
    except TimeoutError:
        phone.rec["errors"].append("timeout")
    yield
    await all_done.wait()
    transport.disconnect()
    yield


CLIENTS = {"websockets": _with_websockets, "picows": _with_picows}


async def _voter(v: dict, cfg: dict, connected: asyncio.Event, counter: list, results: list) -> None:
    """One phone: connect (counted for the storm), then receive until the final tally and the ack."""
    phone = _Phone(v, cfg)
    rec = phone.rec
    steps = CLIENTS[cfg["library"]](phone, v, cfg["deadline"], cfg["all_done"])
    t0 = time.time()
    try:
        await anext(steps)  # connected
    except Exception as exc:
        rec["errors"].append(f"connect: {type(exc).__name__}: {exc}")
    else:
        rec["connect"] = time.time() - t0
        rec["connected_at"] = time.time()
        cfg.setdefault("connected_ids", set()).add(v["id"])
    counter[0] += 1
    if counter[0] >= cfg["count"]:
        connected.set()
    try:
        if "connect" in rec:
            await anext(steps)  # received until done, timed out or closed
    finally:
        if phone.vote_task is not None:
            phone.vote_task.cancel()
        results.append(rec)
        if len(results) >= cfg["count"]:
            cfg["all_done"].set()
    if "connect" in rec:
        await anext(steps)  # closed once every voter of this process is done


async def _run_voters(cfg: dict, conn) -> None:
    connected = asyncio.Event()
    counter = [0]
    results: list = []
    cfg["count"] = len(cfg["voters"])
    cfg["all_done"] = asyncio.Event()
    tasks = []
    for v in cfg["voters"]:
        tasks.append(asyncio.create_task(_voter(v, cfg, connected, counter, results)))
        await asyncio.sleep(0)  # let connections start as a storm, but not in one tick
    await connected.wait()
    conn.send(("connected", time.time(), len(cfg.get("connected_ids", ()))))
    # The final tally every phone waits for is the number of voters connected in all processes.
    _kind, expected = await asyncio.get_running_loop().run_in_executor(None, conn.recv)
    cfg["expected"] = expected
    await asyncio.gather(*tasks, return_exceptions=True)
    conn.send(("results", results))


def _worker(cfg: dict, conn) -> None:
    if cfg.get("loop") == "uvloop":
        import uvloop

        uvloop.run(_run_voters(cfg, conn))
    else:
        asyncio.run(_run_voters(cfg, conn))


async def _watch(url: str, headers: dict, ballot_id: int, expected: int, deadline: float, store: dict) -> None:
    """The projector (or staff) socket: records (time, voted) of every frame."""
    from websockets.asyncio.client import connect

    frames = store.setdefault("frames", [])
    async with connect(url, additional_headers=headers, open_timeout=60, ping_interval=None, max_size=2**22) as ws:
        store["ws"] = ws
        store["ready"].set()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(deadline - time.time()):
                async for text in ws:
                    now = time.time()
                    msg = json.loads(text)
                    store.setdefault("messages", []).append(msg.get("type"))
                    if msg.get("type") in ("ok", "error"):
                        store.setdefault("replies", []).append((now, msg))
                    for b in msg.get("ballots") or []:
                        if b.get("id") == ballot_id:
                            frames.append((now, _voted(b), b.get("state")))
                            if _voted(b) >= store.get("expected", expected) and "final_at" not in store:
                                store["final_at"] = now
                    if store.get("stop"):
                        break


# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def _proc(pid: int) -> dict:
    """CPU seconds (user+system) and RSS in KB of PID, from /proc."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = 0
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return {"cpu": cpu, "rss_kb": rss}


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


async def _scenario(
    *,
    n: int,
    ports: list[int],
    pids: list[int],
    clients: int,
    voters: list[dict],
    screen_url: str,
    staff: dict,
    ballot_id: int,
    open_message: dict,
    screen_origin: str | None = None,
    client_loop: str = "asyncio",
    client_library: str = "picows",
) -> dict:
    """Connect N voters (in CLIENTS processes), open the ballot, let everyone vote, measure."""
    ctx = mp.get_context("spawn")
    start = time.time()
    deadline = start + 120 + n / 100
    hold_until = deadline
    before = {pid: _proc(pid) for pid in pids}
    # The projector connects first, as in the room.
    screen: dict = {"ready": asyncio.Event()}
    screen_task = asyncio.create_task(
        _watch(screen_url, {"Origin": screen_origin or staff["origin"]}, ballot_id, n, deadline, screen)
    )
    control: dict = {"ready": asyncio.Event()}
    control_task = asyncio.create_task(
        _watch(staff["url"], {"Cookie": staff["cookie"], "Origin": staff["origin"]}, ballot_id, n, deadline, control)
    )
    await asyncio.wait_for(screen["ready"].wait(), 60)
    await asyncio.wait_for(control["ready"].wait(), 60)
    pipes, procs = [], []
    t_connect = time.time()
    for i in range(clients):
        share = voters[i::clients]
        parent, child = ctx.Pipe()
        cfg = {
            "voters": share,
            "ballot": ballot_id,
            "expected": n,
            "deadline": deadline,
            "hold_until": hold_until,
            "loop": client_loop,
            "library": client_library,
        }
        p = ctx.Process(target=_worker, args=(cfg, child), daemon=True)
        p.start()
        pipes.append(parent)
        procs.append(p)
    loop = asyncio.get_running_loop()
    connected_at = []
    connected_total = 0
    for parent in pipes:
        kind, t, count = await loop.run_in_executor(None, parent.recv)
        assert kind == "connected"
        connected_at.append(t)
        connected_total += count
    for parent in pipes:
        parent.send(("expected", connected_total))
    screen["expected"] = connected_total
    all_connected = max(connected_at) - t_connect
    await asyncio.sleep(1.0)  # let the servers settle before measuring memory
    after_connect = {pid: _proc(pid) for pid in pids}
    clients_before = [_proc(p.pid) for p in procs]
    machine_before = _machine_cpu()
    t_open = time.time()
    await control["ws"].send(json.dumps(open_message))
    results: list = []
    for parent in pipes:
        kind, part = await loop.run_in_executor(None, parent.recv)
        assert kind == "results"
        results.extend(part)
    # Give the projector a moment to see the final tally if it has not yet.
    for _ in range(50):
        if "final_at" in screen:
            break
        await asyncio.sleep(0.1)
    end = time.time()
    after = {pid: _proc(pid) for pid in pids}
    clients_after = [_proc(p.pid) for p in procs]
    machine_after = _machine_cpu()
    screen["stop"] = control["stop"] = True
    for p in procs:
        p.terminate()
    screen_task.cancel()
    control_task.cancel()
    with contextlib.suppress(BaseException):
        await asyncio.gather(screen_task, control_task)

    connects = [r["connect"] for r in results if "connect" in r]
    opens = [r["open_at"] - t_open for r in results if "open_at" in r]
    acks = [r["ack_at"] - r["sent_at"] for r in results if "ack_at" in r and "sent_at" in r]
    last_vote = max((r["sent_at"] for r in results if "sent_at" in r), default=t_open)
    finals = [r["final_at"] - last_vote for r in results if "final_at" in r]
    ack_times = sorted(r["ack_at"] for r in results if "ack_at" in r)
    frames = screen.get("frames", [])
    lags = []
    j = 0
    for k, t_ack in enumerate(ack_times, start=1):
        while j < len(frames) and frames[j][1] < k:
            j += 1
        if j < len(frames):
            lags.append(max(0.0, frames[j][0] - t_ack))
    errors: dict[str, int] = {}
    for r in results:
        for e in r["errors"]:
            errors[str(e)] = errors.get(str(e), 0) + 1
    cpu_connect = sum(after_connect[p]["cpu"] - before[p]["cpu"] for p in pids)
    cpu_vote = sum(after[p]["cpu"] - after_connect[p]["cpu"] for p in pids)
    rss_before = sum(before[p]["rss_kb"] for p in pids)
    rss_connected = sum(after_connect[p]["rss_kb"] for p in pids)
    rss_after = sum(after[p]["rss_kb"] for p in pids)
    return {
        "voters": n,
        "connected": len(connects),
        "all_connected_s": round(all_connected, 3),
        "connect_p50_s": _pct(connects, 50),
        "connect_p99_s": _pct(connects, 99),
        "open_seen": len(opens),
        "open_p50_s": _pct(opens, 50),
        "open_p99_s": _pct(opens, 99),
        "acked": len(acks),
        "ack_p50_s": _pct(acks, 50),
        "ack_p99_s": _pct(acks, 99),
        "ack_max_s": max(acks) if acks else None,
        "resends": sum(r["resends"] for r in results),
        "phones_final": len(finals),
        "phone_final_p50_s": _pct(finals, 50),
        "phone_final_max_s": max(finals) if finals else None,
        "projector_final_s": (screen["final_at"] - last_vote) if "final_at" in screen else None,
        "projector_lag_p50_s": _pct(lags, 50),
        "projector_lag_p99_s": _pct(lags, 99),
        "projector_frames": len(frames),
        "server_cpu_connect_s": round(cpu_connect, 2),
        "server_cpu_vote_s": round(cpu_vote, 2),
        "server_cpu_vote_pct": round(100 * cpu_vote / max(end - t_open, 1e-9), 1),
        # The clients and the rest of the machine share its cores with the servers.
        "client_cpu_vote_s": round(
            sum(a["cpu"] - b["cpu"] for a, b in zip(clients_after, clients_before, strict=True)), 2
        ),
        "machine_busy_vote_pct": round(
            100 * (machine_after[0] - machine_before[0]) / max(machine_after[1] - machine_before[1], 1e-9), 1
        ),
        "server_rss_before_mb": round(rss_before / 1024, 1),
        "server_rss_connected_mb": round(rss_connected / 1024, 1),
        "server_rss_after_mb": round(rss_after / 1024, 1),
        "server_kb_per_voter": round((rss_connected - rss_before) / max(n, 1), 1),
        "errors": errors,
        "vote_ids": {r["vote_id"]: r["id"] for r in results if "ack_at" in r},
    }


# ---------------------------------------------------------------------------------------------
# Server side: database, data, processes (Django)
# ---------------------------------------------------------------------------------------------


def _prepare_database(database_url: str) -> None:
    if database_url.startswith("postgres"):
        from urllib.parse import urlparse

        import psycopg

        parsed = urlparse(database_url)
        name = parsed.path.strip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif database_url.startswith("sqlite"):
        path = Path(database_url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()


def _seed(n: int) -> dict:
    """N members present at an open sitting, a prepared yes/no named ballot, a staff user, sessions."""
    import datetime as dt

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core import signing
    from django.utils import timezone

    from assembly import models as am
    from meetings import models as mm
    from votes import services as vs

    today = timezone.localdate()
    dep, _ = am.Departement.objects.get_or_create(code="34", defaults={"name": "Hérault"})
    assembly = am.Assembly.objects.create(
        name="Assemblée (bench)",
        short_name="Bench",
        slug=f"bench-{uuid.uuid4().hex[:6]}",
        mandate_start=dt.date(2022, 1, 1),
        mandate_end=dt.date(2028, 12, 31),
    )
    territory = am.Territory.objects.create(
        name=f"Territoire bench {assembly.slug}", slug=assembly.slug, kind=am.Territory.Kind.PAYS, departement=dep
    )
    staff = am.User.objects.create(email=f"staff-{assembly.slug}@bench.test", first_name="Staff", is_staff=True)
    staff.set_unusable_password()
    staff.save()
    users = am.User.objects.bulk_create(
        [am.User(email=f"v{i}-{assembly.slug}@bench.test", first_name=f"V{i}", password="!bench") for i in range(n)],
        batch_size=1000,
    )
    if users[0].pk is None:  # backends that do not return ids
        users = list(am.User.objects.filter(email__endswith=f"-{assembly.slug}@bench.test").order_by("pk"))
    am.Mandate.objects.bulk_create(
        [
            am.Mandate(
                user=u,
                assembly=assembly,
                territory=territory,
                college=am.College.ELECTED if i % 2 else am.College.CITIZEN,
                gender=am.Gender.WOMAN if (i // 2) % 2 else am.Gender.MAN,
                title="",
                start_date=today - dt.timedelta(days=30),
            )
            for i, u in enumerate(users)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    meeting = mm.Meeting.objects.create(assembly=assembly, title="Plénière (bench)", date=today, place="Montpellier")
    sitting = mm.Sitting.objects.create(
        meeting=meeting,
        assembly=assembly,
        title="Séance (bench)",
        starts_at=now,
        state=mm.Sitting.State.OPEN,
        opened_at=now,
    )
    mm.Attendance.objects.bulk_create(
        [mm.Attendance(sitting=sitting, user=u, method="staff", checked_in_at=now) for u in users], batch_size=1000
    )
    ballot = vs.ballot_create(by=staff, sitting=sitting, title="Adopter la proposition ?", kind="yes_no")
    backend = "django.contrib.auth.backends.ModelBackend"
    sessions, keys = [], []
    expire = now + dt.timedelta(days=1)
    store = SessionStore()
    for u in [staff, *users]:
        key = uuid.uuid4().hex
        data = {"_auth_user_id": str(u.pk), "_auth_user_backend": backend, "_auth_user_hash": u.get_session_auth_hash()}
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys.append((u.pk, key))
    Session.objects.bulk_create(sessions, batch_size=1000)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Planner statistics for the rows just written, as autovacuum would gather them on a
        # live database: without them PostgreSQL scans all 20,000 mandates for each vote batch.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from votes.live.access import screen_token

    return {
        "sitting": sitting.pk,
        "ballot": ballot.pk,
        "staff": keys[0],
        "voters": keys[1:],
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "screen_token": screen_token(sitting=sitting),
        "tickets": _issue_tickets(sitting.pk, keys, staff_id=staff.pk),
        "_signing": signing.__name__,
    }


def _issue_tickets(sitting_id: int, keys: list[tuple[int, str]], *, staff_id: int) -> dict[int, str]:
    """The connect ticket each live page would render now, by user id (phones connect right after loading it).

    Valid 120 seconds (`realtime.tickets`): issued again for each server the bench runs.
    """
    from realtime import tickets

    path = f"/ws/v1/sittings/{sitting_id}/"
    return {
        uid: tickets.issue(session_key=key, user_id=uid, path=path, grant="staff" if uid == staff_id else "phone")
        for uid, key in keys
    }


def _check_database(ballot_id: int, acked: dict[str, int]) -> dict:
    from django.db.models import Count

    from votes.models import Vote, VoterRoll

    rows = Vote.objects.filter(ballot_id=ballot_id)
    count = rows.count()
    stored_ids = {str(v) for v in rows.values_list("vote_id", flat=True)}
    per_elector = rows.exclude(elector=None).values("elector").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "db_count": count,
        "roll_has_voted": VoterRoll.objects.filter(ballot_id=ballot_id, has_voted=True).count(),
        "lost": len(set(acked) - stored_ids),
        "unacked_but_stored": len(stored_ids - set(acked)),
        "duplicated": per_elector + max(0, count - len(stored_ids)),
        "tally_equals_count": count == len(acked) and not set(acked) ^ stored_ids,
    }


def _start_servers(
    processes: int, env: dict, ws: str = "websockets-sansio"
) -> tuple[list[subprocess.Popen], list[int]]:
    procs, ports = [], []
    for _ in range(processes):
        port = _free_port()
        cmd = [PYTHON, "manage.py", "serve", "--port", str(port), "--host", "127.0.0.1", "--ws", ws]
        # The server's warnings go to a file: a pipe nobody reads would fill up and stop the
        # server at its next write.
        log = SERVER_LOGS / f"server-{port}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as stderr:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        proc.log = log  # type: ignore[attr-defined]
        procs.append(proc)
        ports.append(port)
    for proc, port in zip(procs, ports, strict=True):
        _wait_port(port, proc)
    if os.environ.get("BENCH_PROFILE"):
        # BENCH_PROFILE=<seconds>: py-spy samples each server from start (connect storm included).
        out = ROOT / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        for proc in list(procs):
            spy = [str(Path(PYTHON).parent / "py-spy"), "record", "--pid", str(proc.pid), "--format", "raw"]
            spy += ["--duration", os.environ["BENCH_PROFILE"], "-o", str(out / f"profile-{proc.pid}.txt")]
            subprocess.Popen(spy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return procs, ports


def _server_logs(procs: list[subprocess.Popen]) -> None:
    """Say where each server's warnings are, and how many lines they have."""
    for proc in procs:
        log = getattr(proc, "log", None)
        if log is not None and log.exists():
            lines = log.read_text(errors="replace").splitlines()
            print(f"server log {log.relative_to(ROOT)}: {len(lines)} lines", flush=True)


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _run_django(args, seed: dict, env: dict) -> dict:
    procs, ports = _start_servers(args.processes, env, args.ws)
    try:
        time.sleep(1.0)
        cookie = seed["cookie_name"]
        # Tickets of pages loaded now, as the reference run gets (each is valid 120 seconds).
        every = [seed["staff"], *seed["voters"]]
        passes = {} if args.no_ticket else _issue_tickets(seed["sitting"], every, staff_id=seed["staff"][0])

        def ticket(uid: int) -> str:
            return f"?ticket={passes[uid]}" if uid in passes else ""

        voters = [
            {
                "id": uid,
                "url": f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/v1/sittings/{seed['sitting']}/{ticket(uid)}",
                "cookie": f"{cookie}={key}",
                "origin": f"http://127.0.0.1:{ports[i % len(ports)]}",
            }
            for i, (uid, key) in enumerate(seed["voters"])
        ]
        staff = {
            "url": f"ws://127.0.0.1:{ports[0]}/ws/v1/sittings/{seed['sitting']}/{ticket(seed['staff'][0])}",
            "cookie": f"{cookie}={seed['staff'][1]}",
            "origin": f"http://127.0.0.1:{ports[0]}",
        }
        # The projector watches the last process, so in scale-out it hears votes cast on the others.
        screen_port = ports[-1]
        screen = f"ws://127.0.0.1:{screen_port}/ws/v1/sittings/{seed['sitting']}/?screen={seed['screen_token']}"
        result = asyncio.run(
            _scenario(
                n=len(voters),
                ports=ports,
                pids=[p.pid for p in procs],
                clients=args.clients,
                voters=voters,
                screen_url=screen,
                screen_origin=f"http://127.0.0.1:{screen_port}",
                staff=staff,
                ballot_id=seed["ballot"],
                open_message={"type": "ballot.open", "ballot": seed["ballot"], "ref": "open"},
                client_loop=args.client_loop,
                client_library=args.client_library,
            )
        )
    finally:
        _stop(procs)
        _server_logs(procs)
    return result


def _run_reference(args, seed: dict) -> dict:
    """The same scenario against bench/reference_server.py, with the same sockets as Agora's."""
    from django.conf import settings

    port = _free_port()
    cmd = [
        PYTHON,
        "-m",
        "bench.reference_server",
        "--port",
        str(port),
        "--sitting",
        str(seed["sitting"]),
        "--ballot",
        str(seed["ballot"]),
        "--voters",
        str(len(seed["voters"])),
        "--cookie-name",
        seed["cookie_name"],
    ]
    # The reference checks tickets and the screen link with the key that signed them.
    env = {**os.environ, "REFERENCE_SECRET_KEY": settings.SECRET_KEY}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_port(port, proc)
        url = f"ws://127.0.0.1:{port}/ws/v1/sittings/{seed['sitting']}/"
        origin = f"http://127.0.0.1:{port}"
        cookie = seed["cookie_name"]
        staff_id, staff_key = seed["staff"]
        if args.no_ticket:  # the reference reads no session: fake cookies it trusts
            voters = [
                {"id": uid, "url": url, "cookie": f"{cookie}=m{uid}", "origin": origin} for uid, _ in seed["voters"]
            ]
            staff = {"url": url, "cookie": f"{cookie}=staff", "origin": origin}
        else:  # fresh tickets: the ones of the seed may be older than their 120 seconds by now
            passes = _issue_tickets(seed["sitting"], [seed["staff"], *seed["voters"]], staff_id=staff_id)
            voters = [
                {"id": uid, "url": f"{url}?ticket={passes[uid]}", "cookie": f"{cookie}={key}", "origin": origin}
                for uid, key in seed["voters"]
            ]
            staff = {"url": f"{url}?ticket={passes[staff_id]}", "cookie": f"{cookie}={staff_key}", "origin": origin}
        return asyncio.run(
            _scenario(
                n=len(voters),
                ports=[port],
                pids=[proc.pid],
                clients=args.clients,
                voters=voters,
                screen_url=f"{url}?screen={seed['screen_token']}",
                staff=staff,
                ballot_id=seed["ballot"],
                open_message={"type": "ballot.open", "ballot": seed["ballot"], "ref": "open"},
                client_loop=args.client_loop,
                client_library=args.client_library,
            )
        )
    finally:
        _stop([proc])


RATIO_KEYS = [
    "all_connected_s",
    "connect_p99_s",
    "open_p50_s",
    "open_p99_s",
    "ack_p50_s",
    "ack_p99_s",
    "phone_final_max_s",
    "projector_final_s",
    "projector_lag_p99_s",
    "server_cpu_connect_s",
    "server_cpu_vote_s",
    "server_rss_connected_mb",
    "server_kb_per_voter",
]


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    return str(value)


def _report(name: str, django: dict, reference: dict | None, db: dict) -> str:
    lines = [f"### {name}", "", "| figure | Agora | reference | ratio |", "|---|---:|---:|---:|"]
    for key, value in django.items():
        if key in {"vote_ids", "errors"}:
            continue
        ref = reference.get(key) if reference else None
        ratio = ""
        if key in RATIO_KEYS and isinstance(value, int | float) and isinstance(ref, int | float) and ref:
            ratio = f"{value / ref:.1f}×"
        unit_s = key.endswith("_s") and isinstance(value, float)
        shown = _fmt(value) if unit_s else str(value)
        shown_ref = (_fmt(ref) if key.endswith("_s") and isinstance(ref, float) else str(ref)) if reference else ""
        lines.append(f"| {key} | {shown} | {shown_ref} | {ratio} |")
    lines.append(f"| errors | {django['errors'] or 'none'} | {reference['errors'] if reference else ''} | |")
    for key, value in db.items():
        lines.append(f"| {key} | {value} | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Live-room bench (see module docstring).")
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument(
        "--ws",
        choices=["websockets", "websockets-sansio"],
        default="websockets-sansio",
        help="uvicorn's websocket implementation",
    )
    parser.add_argument("--processes", type=int, default=1, help="server worker processes (needs Redis when > 1)")
    parser.add_argument("--clients", type=int, default=1, help="client processes")
    parser.add_argument(
        "--client-library", choices=sorted(CLIENTS), default="picows", help="websocket client of the phones"
    )
    parser.add_argument(
        "--client-loop",
        choices=["asyncio", "uvloop"],
        default="uvloop",
        help="event loop of the client processes (uvloop: the load generator adds less delay of its own)",
    )
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench_live.sqlite3'}")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument(
        "--no-ticket", action="store_true", help="connect without the live page's ticket (full session check)"
    )
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument("--seed-only", action="store_true", help="prepare and seed the database, write --json, stop")
    args = parser.parse_args()
    if args.processes > 1 and not args.redis_url:
        parser.error("--processes > 1 needs --redis-url (processes talk through Redis)")

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ.update({k: v for k, v in env.items() if k in {"DATABASE_URL", "REDIS_URL", "LOG_LEVEL", "DEBUG"}})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    sys.path.insert(0, str(ROOT))
    _prepare_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t = time.time()
    seed = _seed(args.voters)
    print(f"seeded {args.voters} voters in {time.time() - t:.1f}s", flush=True)
    if args.seed_only:
        if args.json:
            Path(args.json).write_text(json.dumps(seed))
        return
    from django.db import connections

    connections.close_all()
    layer = "Redis pub/sub" if args.redis_url else "in-process"
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    server = f"uvicorn (ws={args.ws})"
    connect = "session check" if args.no_ticket else "connect ticket"
    name = f"{server}, {args.processes} process(es), {database}, {layer}, {connect}, N={args.voters}"
    print(f"running: {name}", flush=True)
    django_result = _run_django(args, seed, env)
    db = _check_database(seed["ballot"], django_result["vote_ids"])
    reference = None
    if not args.no_reference:
        print("running: reference server", flush=True)
        reference = _run_reference(args, seed)
    report = _report(name, django_result, reference, db)
    print(report)
    if args.json:
        django_result.pop("vote_ids", None)
        if reference:
            reference.pop("vote_ids", None)
        Path(args.json).write_text(
            json.dumps({"name": name, "agora": django_result, "reference": reference, "database": db}, indent=2)
        )


if __name__ == "__main__":
    main()
