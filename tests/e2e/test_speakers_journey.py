"""The speakers list, as the room lives it: a member asks to speak from the phone, staff give the
floor at the desk, the projector shows the name and the time left; staff end the speech. The
pages are looked at where they are used: phones of 360 × 740 and 320 px, the projector at
1920 × 1080 and 1280 × 720 (screenshots in var/e2e-shots/ when AGORA_E2E_SHOTS is set)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import run_axe
from tests.e2e.server import BASE_DIR

pytestmark = pytest.mark.slow

LIVE = 15_000  # ms: how long a live update may take to reach a page (a bound, not a measurement)
SHOTS = Path(os.environ["AGORA_E2E_SHOTS"]) if os.environ.get("AGORA_E2E_SHOTS") else None


def _shot(page, name: str) -> None:
    if SHOTS is not None:
        (BASE_DIR / SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(BASE_DIR / SHOTS / f"{name}.png"))


def _fits(page) -> None:
    """Nothing scrolls, sideways or down (the projector is never scrolled)."""
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth, innerHeight]"
    )
    assert sizes[0] <= sizes[2] and sizes[1] <= sizes[3], sizes


def _no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width <= inner, (width, inner)


def test_a_member_asks_to_speak_staff_give_the_floor_the_projector_shows_who_speaks(browsers, agora_server, cast):
    members = cast["members"]
    live = agora_server.script("debate_sitting", members=[m["id"] for m in members])
    sitting, item = live["sitting"], live["item"]
    speaker = members[0]
    name = live["names"][str(speaker["id"])]

    control = browsers.page(viewport="desktop", person=cast["staff"])
    control.goto(f"/votes/seances/{sitting}/pilotage/")
    screen = browsers.page(viewport="desktop")
    screen.set_viewport_size({"width": 1920, "height": 1080})
    screen.goto(f"/votes/seances/{sitting}/ecran/?t={live['screen_token']}")
    phone = browsers.page(viewport="phone", person=speaker)
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto(f"/votes/seances/{sitting}/")

    # The phone offers to ask for the floor on the item in progress.
    ask = phone.get_by_role("button", name="Demander la parole")
    ask.wait_for(timeout=LIVE)
    _shot(phone, "speakers-phone-360-before")
    ask.click()
    mine = phone.locator("[data-floor-mine]")
    mine.filter(has_text="Vous êtes n°\u00a01 sur la liste des orateurs.").wait_for(timeout=LIVE)
    withdraw = phone.get_by_role("button", name="Retirer ma demande")
    assert withdraw.is_visible() and not ask.is_visible()
    assert agora_server.script("speakers_state", item=item)["requests"] == [
        {"person": speaker["id"], "state": "waiting"}
    ]
    _shot(phone, "speakers-phone-360-waiting")
    _no_sideways_scroll(phone)

    # The desk sees the request, by name, and gives the floor.
    row = control.locator("[data-floor-queue-list] li", has_text=name)
    row.wait_for(timeout=LIVE)
    row.get_by_role("button", name=re.compile("^Donner la parole")).click()

    # The projector shows who speaks, big, and the time left counting down.
    scene = screen.locator("[data-scene='floor']")
    scene.locator("[data-floor-speaker]", has_text=name).wait_for(timeout=LIVE)
    clock = scene.locator("[data-floor-clock]")
    first = clock.inner_text()
    assert re.fullmatch(r"\d+:\d\d", first), first
    screen.wait_for_timeout(2100)
    assert clock.inner_text() != first, "the time left counts down"
    assert screen.locator("[data-scene='idle']").is_hidden()
    _fits(screen)
    _shot(screen, "speakers-projector-1920")
    screen.set_viewport_size({"width": 1280, "height": 720})
    _fits(screen)
    _shot(screen, "speakers-projector-1280")

    # The phone knows, and so does the desk (with its clock and the end button).
    mine.filter(has_text="Vous avez la parole.").wait_for(timeout=LIVE)
    assert not withdraw.is_visible()
    phone.set_viewport_size({"width": 320, "height": 640})
    _no_sideways_scroll(phone)
    _shot(phone, "speakers-phone-320-speaking")
    control.locator("[data-floor-speaker]", has_text=name).wait_for(timeout=LIVE)
    # The parity table's time runs with the speech (total of the sitting, by college and gender).
    control.locator("[data-parity='total']").filter(has_text=re.compile(r"^0:0[2-9]|^0:[1-5]\d")).wait_for(timeout=LIVE)
    _shot(control, "speakers-desk")
    assert agora_server.script("speakers_state", item=item)["requests"] == [
        {"person": speaker["id"], "state": "speaking"}
    ]

    # Staff end the speech: the projector goes back to the room's screen.
    control.get_by_role("button", name="Fin d’intervention").click()
    scene.wait_for(state="hidden", timeout=LIVE)
    assert agora_server.script("speakers_state", item=item)["requests"] == [{"person": speaker["id"], "state": "done"}]
    ask.wait_for(timeout=LIVE)  # they may ask again


def test_the_floor_parts_pass_the_accessibility_audit(browsers, agora_server, cast):
    members = cast["members"]
    live = agora_server.script("debate_sitting", members=[m["id"] for m in members], title="Séance auditée")
    sitting = live["sitting"]
    phone = browsers.page(viewport="phone", person=members[1], audit=True)
    phone.goto(f"/votes/seances/{sitting}/")
    phone.get_by_role("button", name="Demander la parole").click()
    phone.get_by_role("button", name="Retirer ma demande").wait_for(timeout=LIVE)
    assert run_axe(phone) == []
    desk = browsers.page(viewport="desktop", person=cast["staff"], audit=True)
    desk.goto(f"/votes/seances/{sitting}/pilotage/")
    desk.locator("[data-floor-queue-list] li").first.wait_for(timeout=LIVE)
    assert run_axe(desk) == []
