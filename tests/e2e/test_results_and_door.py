"""The results archive on a phone, and the door's check-in code on the room screen, looked at in a browser.

Screenshots go to $AGORA_SCREENSHOTS when set, else to the test's temporary folder.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import ContextFactory, run_axe

SIZES = {
    "360": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
    "320": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
    "projector": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1},
    "projector-1280": {"viewport": {"width": 1280, "height": 720}, "device_scale_factor": 1},
}


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("AGORA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browsers: ContextFactory, size: str, *, person: dict | None = None, audit: bool = False):
    context = browsers.browser.new_context(
        base_url=browsers.server.url, locale="fr-FR", bypass_csp=audit, **SIZES[size]
    )
    context.set_default_timeout(10_000)
    cookies = [{"name": "django_language", "value": "fr", "url": browsers.server.url}]
    if person is not None:
        cookies.append({"name": "sessionid", "value": person["session"], "url": browsers.server.url})
    context.add_cookies(cookies)
    context.on("page", browsers._watch)
    browsers.contexts.append(context)
    return context.new_page()


def _no_sideways_scroll(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.fixture(scope="module")
def results(agora_server) -> dict:
    return agora_server.script("results_sitting")


@pytest.mark.parametrize("size", ["360", "320", "desktop"])
def test_the_public_reads_a_closed_plenary_s_results(browsers, results, size, tmp_path):
    page = _page(browsers, size, audit=size == "360")
    page.goto("/votes/resultats/")
    link = page.get_by_role("link", name="Plénière de printemps").first
    link.click()
    page.wait_for_url(f"**/votes/resultats/seances/{results['sitting']}/")
    heading = page.get_by_role("heading", level=1)
    assert "Résultats\u202f: Plénière de printemps" in heading.text_content()
    first = page.locator("article.result").first
    assert "schéma régional des mobilités" in first.text_content()
    assert "N°\u00a0" in first.text_content() and "Adopté" in first.text_content()
    # The counts table fits the phone: nothing scrolls sideways, the figures are in view once scrolled to.
    table = first.locator("table")
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    _no_sideways_scroll(page)
    assert page.locator("article.result").count() == 3
    page.screenshot(path=str(_shots(tmp_path) / f"results-{size}.png"), full_page=True)
    if size == "360":
        assert run_axe(page) == []


def _inside(page, locator) -> dict:
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"]
    return box


@pytest.fixture(scope="module")
def door_sitting(agora_server, cast) -> dict:
    return agora_server.script("live_sitting", members=[m["id"] for m in cast["members"]], title="Séance de la porte")


def test_the_room_screen_at_1280_holds_both_codes_without_scrolling(browsers, door_sitting, tmp_path):
    page = _page(browsers, "projector-1280")
    page.goto(f"/votes/seances/{door_sitting['sitting']}/ecran/?t={door_sitting['screen_token']}")
    page.locator("[data-checkin-qr] svg").wait_for(state="visible")
    assert _inside(page, page.locator("[data-checkin-qr] svg"))["width"] >= 150
    assert _inside(page, page.locator(".pj-qr svg"))["width"] >= 150  # the code to join the sitting
    assert page.evaluate("() => document.documentElement.scrollHeight") <= 720
    page.screenshot(path=str(_shots(tmp_path) / "projector-door-1280.png"))


def test_the_room_screen_shows_the_door_code_between_items_and_renews_it(browsers, door_sitting, tmp_path):
    page = _page(browsers, "projector")
    page.clock.install()
    page.goto(f"/votes/seances/{door_sitting['sitting']}/ecran/?t={door_sitting['screen_token']}")
    door = page.locator("[data-checkin-qr]")
    door.locator("svg").wait_for(state="visible")
    assert _inside(page, door.locator("svg"))["width"] >= 200, "readable from the back of the room"
    assert _inside(page, page.locator(".pj-qr svg"))["width"] >= 200
    assert "Émargez" in door.inner_text()
    assert page.evaluate("() => document.documentElement.scrollHeight") <= 1080  # the screen never scrolls
    first = door.locator("svg path").get_attribute("d")
    page.screenshot(path=str(_shots(tmp_path) / "projector-door-1920.png"))
    # A minute later (the default rotation) the page has drawn a fresh code (signed a second later at least).
    time.sleep(1.1)
    page.clock.run_for(61_000)
    page.wait_for_function("() => document.querySelector('[data-checkin-qr]').dataset.drawnAt")
    assert door.locator("svg").is_visible()
    assert door.locator("svg path").get_attribute("d") != first


@pytest.mark.parametrize("size", ["360", "desktop"])
def test_the_staff_sitting_page_shows_the_door_code(browsers, agora_server, cast, size, tmp_path):
    live = agora_server.script("live_sitting", members=[], title="Séance de l’accueil")
    page = _page(browsers, size, person=cast["staff"], audit=size == "360")
    page.goto(f"/reunions/gestion/seances/{live['sitting']}/")
    code = page.locator("[data-checkin-qr-image] svg")
    code.scroll_into_view_if_needed()
    box = code.bounding_box()
    assert box is not None and box["width"] >= 200 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert "/emargement/?t=" in page.locator("[data-checkin-qr-url]").text_content()
    _no_sideways_scroll(page)
    page.screenshot(path=str(_shots(tmp_path) / f"staff-door-{size}.png"))
    if size == "360":
        assert run_axe(page) == []
