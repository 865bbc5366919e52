"""Chaos during a live ballot: 200 simulated phones vote over websockets while the server is
killed with SIGKILL and restarted (and, in the scale-out configuration, while Redis restarts).
The final tally must equal the acknowledged votes exactly: none lost, none counted twice.

Each voter follows the protocol's client contract (docs/realtime-protocol.md): one vote id,
resent until acknowledged. Results are written to var/quality/chaos-*.json for docs/quality.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import time

import pytest

from tests.chaos.voters import Voter, vote_until_acked
from tests.e2e.server import BASE_DIR, LiveServer, free_port, scratch_dir

pytestmark = pytest.mark.slow

VOTERS = int(os.environ.get("AGORA_CHAOS_VOTERS", "200"))
QUALITY_DIR = BASE_DIR / "var" / "quality"


def _prepare(server: LiveServer) -> tuple[dict, dict, list[Voter]]:
    server.prepare(seed=True)
    cast = server.script("crowd", members=VOTERS, prefix="chaos")
    members = cast["members"]
    live = server.script("live_sitting", members=[m["id"] for m in members], title="Séance sous contrainte")
    opened = server.script("open_ballot", ballot=live["ballot"], staff=cast["staff"]["id"])
    options = opened["options"]
    voters = [
        Voter(session=m["session"], choice=options["yes"] if i % 3 else options["no"]) for i, m in enumerate(members)
    ]
    return cast, live, voters


async def _run(server: LiveServer, live: dict, voters: list[Voter], disrupt) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 120
    url = f"{server.ws_url}/ws/v1/sittings/{live['sitting']}/"

    async def arrive():
        # Phones join over ~8 seconds, as a room does; the disruption falls in the middle.
        tasks = []
        for voter in voters:
            tasks.append(
                asyncio.create_task(
                    vote_until_acked(voter, ws_url=url, origin=server.url, ballot=live["ballot"], deadline=deadline)
                )
            )
            await asyncio.sleep(8 / len(voters))
        await asyncio.gather(*tasks)

    crowd = asyncio.create_task(arrive())
    while sum(v.acked for v in voters) < len(voters) // 3 and loop.time() < deadline:
        await asyncio.sleep(0.02)
    await disrupt()
    await crowd


def _report(name: str, server: LiveServer, live: dict, voters: list[Voter], extra: dict) -> dict:
    state = server.script("ballot_state", ballot=live["ballot"])
    acked = sum(v.acked for v in voters)
    result = {
        "voters": len(voters),
        "acknowledged": acked,
        "replayed_acks": sum(v.replayed for v in voters),
        "refused": sorted({v.refused for v in voters if v.refused}),
        "sends": sum(v.sends for v in voters),
        "connections": sum(v.connects for v in voters),
        "tally_votes": state["votes"],
        "tally_roll": state["roll"],
        "lost": max(0, acked - state["votes"]),
        "duplicated": max(0, state["votes"] - acked),
        **extra,
    }
    QUALITY_DIR.mkdir(parents=True, exist_ok=True)
    (QUALITY_DIR / f"chaos-{name}.json").write_text(json.dumps(result, indent=2))
    print(f"\nchaos {name}: {json.dumps(result)}")
    return result


def _assert_exact(result: dict) -> None:
    assert result["acknowledged"] == result["voters"], result
    assert result["tally_votes"] == result["acknowledged"], result
    assert result["tally_roll"] == result["acknowledged"], result
    assert not result["refused"], result


def test_server_killed_and_restarted_during_a_live_ballot_loses_and_duplicates_no_vote():
    server = LiveServer(root=scratch_dir("agora-chaos-"))
    try:
        _cast, live, voters = _prepare(server)
        server.start()
        kills = {}

        async def kill_and_restart():
            kills["acked_before_kill"] = sum(v.acked for v in voters)
            server.kill()
            await asyncio.sleep(1.0)
            await asyncio.to_thread(server.start)

        asyncio.run(_run(server, live, voters, kill_and_restart))
        result = _report("server-kill", server, live, voters, {"acked_before_kill": kills["acked_before_kill"]})
        _assert_exact(result)
        assert result["connections"] > result["voters"], "the kill must have cut live connections"
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


def _redis_server_cmd(port: int, folder) -> list[str]:
    # The machine's own Redis start command, on a private port so no one else's Redis is touched.
    return [
        "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
        "--dir", str(folder), "--daemonize", "no",
    ]  # fmt: skip


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="scale-out chaos runs with REDIS_URL set")
def test_redis_restarted_during_a_live_ballot_loses_and_duplicates_no_vote():
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        pytest.skip("redis-server not installed")
    folder = scratch_dir("agora-chaos-redis-")
    port = free_port()
    redis = subprocess.Popen(_redis_server_cmd(port, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = LiveServer(root=folder / "server", redis_url=f"redis://127.0.0.1:{port}/0")
    folder.joinpath("server").mkdir()
    try:
        _wait_redis(port)
        _cast, live, voters = _prepare(server)
        server.start()
        restarts = {}

        async def restart_redis():
            nonlocal redis
            restarts["acked_before_restart"] = sum(v.acked for v in voters)
            subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False, capture_output=True)
            redis.wait(timeout=10)
            await asyncio.sleep(1.0)
            redis = subprocess.Popen(
                _redis_server_cmd(port, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            await asyncio.to_thread(_wait_redis, port)

        asyncio.run(_run(server, live, voters, restart_redis))
        result = _report("redis-restart", server, live, voters, restarts)
        _assert_exact(result)
    finally:
        server.stop()
        with contextlib.suppress(Exception):
            subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False, capture_output=True)
            redis.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_redis(port: int) -> None:
    for _ in range(100):
        done = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, check=False)
        if done.stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    raise RuntimeError("private redis-server did not start")
