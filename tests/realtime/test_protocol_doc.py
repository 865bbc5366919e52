"""docs/realtime-protocol.md lists everything the live room sends and accepts.

The code is read, not run: every message type the server sends (`"type": "<name>"`), every
message type it accepts (the consumers' `handlers`), every error code it sends (`send_error`,
`ProtocolError`, and the codes of the domain errors the room's commands raise), and every close
code (`CLOSE_*`) must appear in the matching table of the document. A new one without its line
in the document fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from core import errors as core_errors
from realtime import consumers as realtime_consumers
from votes.live.consumers import SittingConsumer
from votes.services import errors as vote_errors

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "realtime-protocol.md"
ROOM_CODE = [*sorted((ROOT / "realtime").glob("*.py")), *sorted((ROOT / "votes" / "live").glob("*.py"))]
# What the room's commands call (votes.live.commands → votes.services): the domain errors they raise.
# The room never proclaims an election nor draws up minutes: those modules are the staff pages' and
# the REST API's (a test below checks that votes.live does not call them).
NOT_CALLED_BY_THE_ROOM = {"elections.py", "minutes.py"}
SERVICE_CODE = sorted(p for p in (ROOT / "votes" / "services").glob("*.py") if p.name not in NOT_CALLED_BY_THE_ROOM)

# Domain error codes of votes.services that no message of the room can cause.
NOT_FROM_THE_ROOM = {
    "sitting_closed": "ballot_create only: ballots are prepared on the staff pages and the REST API",
    "proposal_needs_yes_no": "ballot_create only: ballots are prepared on the staff pages and the REST API",
    "agenda_item_other_sitting": "ballot_create only: ballots are prepared on the staff pages and the REST API",
    "not_enough_priorities": "priorities_ballot_open only: the staff page and the REST API",
}
# Domain error codes of earlier apps' services that the room's commands reach (not scanned above).
FROM_EARLIER_APPS = {
    "proposal_not_votable": "ballot_open puts the ballot's proposal to the vote: proposals.services.proposal_check_votable",
}
# ASGI messages between the consumer and the server, not protocol messages.
ASGI_TYPE = re.compile(r"^(websocket|http|lifespan)\.")


def _source(paths: list[Path]) -> str:
    return "\n".join(path.read_text() for path in paths)


def _section(title: str) -> str:
    """The text of the document's section TITLE (a `##` or `###` heading), up to the next `##` heading."""
    text = DOC.read_text()
    match = re.search(rf"^#{{2,3}} {re.escape(title)}\s*$(.*?)(?=^## )", text, flags=re.M | re.S)
    assert match, f"docs/realtime-protocol.md has no section {title!r}"
    return match.group(1)


def _first_column(section: str) -> set[str]:
    """The backquoted names (or bare numbers) in the first cell of every row of the section's tables."""
    names: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cell = line.split("|")[1]
        names.update(re.findall(r"`([^`]+)`", cell) or re.findall(r"\b(\d{4})\b", cell))
    return names


# --- what the code sends and accepts ---------------------------------------------------------


def sent_types() -> set[str]:
    found = set(re.findall(r'"type":\s*"([a-z_.]+)"', _source(ROOM_CODE)))
    return {name for name in found if not ASGI_TYPE.match(name)}


def accepted_types() -> set[str]:
    return set(SittingConsumer.handlers)


def _error_classes() -> dict[str, type]:
    classes = {}
    for module in (core_errors, vote_errors):
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, core_errors.DomainError):
                classes[name] = value
    return classes


def domain_codes() -> set[str]:
    """The codes of the domain errors made in votes.services: each error class called, with its `code=`."""
    classes = _error_classes()
    codes: set[str] = set()
    for path in SERVICE_CODE:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes):
                continue
            given = [k.value for k in node.keywords if k.arg == "code"]
            if given and isinstance(given[0], ast.Constant):
                codes.add(given[0].value)
            else:
                codes.add(classes[node.func.id].code)
    return codes


def sent_error_codes() -> set[str]:
    source = _source(ROOM_CODE)
    codes = set(re.findall(r'(?:send_error|ProtocolError)\(\s*"([a-z_]+)"', source))
    return codes | (domain_codes() - set(NOT_FROM_THE_ROOM)) | set(FROM_EARLIER_APPS)


def close_codes() -> set[str]:
    return {str(value) for name, value in vars(realtime_consumers).items() if name.startswith("CLOSE_")}


# --- the checks ------------------------------------------------------------------------------


def test_the_scan_finds_what_the_room_is_known_to_send():
    """Guards the scan itself: if these are not found, the checks below prove nothing."""
    assert {"hello", "snapshot", "state", "vote.ack", "ok", "pong", "error"} <= sent_types()
    assert {"vote.cast", "ballot.open", "resync", "ping"} <= accepted_types()
    assert {"unauthenticated", "signed_out", "rate_limited", "unavailable", "forbidden"} <= sent_error_codes()
    assert {"ballot_closed", "already_voted", "cast_failed", "ballot_not_draft", "invalid"} <= sent_error_codes()
    assert {"1000", "4401", "4403", "4404", "4429"} <= close_codes()
    assert set(NOT_FROM_THE_ROOM) <= domain_codes()  # the exceptions name codes that exist


def test_every_message_type_the_server_sends_is_documented():
    documented = _first_column(_section("Server → client"))
    assert sent_types() - documented == set()


def test_every_message_type_the_server_accepts_is_documented():
    documented = _first_column(_section("Client → server"))
    assert accepted_types() - documented == set()


def test_every_error_code_the_server_sends_is_documented():
    documented = _first_column(_section("Error codes (`error.code`)"))
    assert sent_error_codes() - documented == set()


def test_every_close_code_is_documented():
    documented = _first_column(_section("Close codes"))
    assert close_codes() - documented == set()
    assert {"1006", "1009", "1012"} <= documented  # the server's (uvicorn's) and the browser's own


def test_the_documented_error_codes_are_all_sent():
    """The other way round: a code left in the document after the code stopped sending it misleads clients."""
    documented = _first_column(_section("Error codes (`error.code`)"))
    assert documented - sent_error_codes() == set()


def test_the_room_calls_neither_the_elections_nor_the_minutes_services():
    source = _source(ROOM_CODE)
    for module in NOT_CALLED_BY_THE_ROOM:
        name = module.removesuffix(".py")
        assert not re.search(rf"services\.{name}\b|services import {name}\b", source), name
    assert not re.search(r"election_(proclaim|candidates)|minutes_(generate|adopt|upload_edited)", source)
