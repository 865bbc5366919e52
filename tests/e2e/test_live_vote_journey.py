"""The live room, as the assembly meets it: staff open a ballot, three members vote from three
phones while the projector follows live, one phone loses its network and comes back (its pending
vote is delivered once), staff close, the verdict shows everywhere."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow

LIVE = 15_000  # ms: how long a live update may take to reach a page (a bound, not a measurement)


def _phone(browsers, person, sitting):
    page = browsers.page(viewport="phone", person=person)
    page.goto(f"/votes/seances/{sitting}/")
    return page


def _vote_form(page, ballot):
    return page.locator(f"form[data-key^='cast-{ballot}-']").first


def _recorded(form, timeout: int = LIVE) -> None:
    """The page locks a vote's form, and says the vote in words, once the server acknowledged it (after commit)."""
    form.locator("input[type=radio]:disabled").first.wait_for(state="attached", timeout=timeout)
    step = form.locator("xpath=..")
    step.locator("[data-done-text]").filter(has_text=re.compile(r"^Vous avez voté\u202f: ")).wait_for(timeout=timeout)
    assert "déjà" not in step.locator("[data-done]").inner_text(), "a first vote is never « already » recorded"


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches SELECTOR (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_three_members_vote_live_one_offline_then_back_projector_follows_staff_close(browsers, agora_server, cast):
    members = cast["members"]
    live = agora_server.script("live_sitting", members=[m["id"] for m in members])
    sitting, ballot = live["sitting"], live["ballot"]

    control = browsers.page(viewport="desktop", person=cast["staff"])
    control.goto(f"/votes/seances/{sitting}/pilotage/")
    screen = browsers.page(viewport="desktop")
    screen.goto(f"/votes/seances/{sitting}/ecran/?t={live['screen_token']}")
    phones = [_phone(browsers, m, sitting) for m in members]

    # Staff open the ballot: every phone shows it, without reloading.
    control.locator(f"button[data-action='ballot.open'][data-ballot='{ballot}']").click()
    for phone in phones:
        _vote_form(phone, ballot).locator("input[type=radio]").first.wait_for(timeout=LIVE)
    screen.locator("[data-scene='ballot'] [data-title]").first.wait_for(timeout=LIVE)

    # Member 0 votes with the pointer.
    form = _vote_form(phones[0], ballot)
    form.locator("label", has_text="Pour").click()
    form.locator("button[type=submit]").click()
    _recorded(form)

    # Member 1 votes with the keyboard only.
    phone = phones[1]
    _tab_to(phone, f"form[data-key^='cast-{ballot}-'] input[type=radio]")
    phone.keyboard.press("Space")
    _tab_to(phone, f"form[data-key^='cast-{ballot}-'] button[type=submit]")
    phone.keyboard.press("Enter")
    _recorded(_vote_form(phone, ballot))

    # Member 2's network drops before they confirm: the vote waits in the outbox, then goes once.
    phone = phones[2]
    phone.context.set_offline(True)
    phone.evaluate("() => window.dispatchEvent(new Event('offline'))")
    form = _vote_form(phone, ballot)
    form.locator("label", has_text="Contre").click()
    form.locator("button[type=submit]").click()
    outbox_key = f"agora.outbox.{sitting}.{members[2]['id']}"
    phone.wait_for_timeout(1500)
    waiting = phone.evaluate(f"() => JSON.parse(localStorage.getItem('{outbox_key}') || '{{}}')")
    assert len(waiting) == 1, f"offline, the vote waits in the outbox: {waiting}"
    assert agora_server.script("ballot_state", ballot=ballot)["votes"] == 2
    phone.context.set_offline(False)
    _recorded(form, timeout=LIVE * 2)
    pending = phone.evaluate(f"() => JSON.parse(localStorage.getItem('{outbox_key}') || '{{}}')")
    assert pending == {}, pending

    # The projector followed: three voters, live.
    screen.locator("[data-participation]").filter(has_text=re.compile(r"\b3\b")).first.wait_for(timeout=LIVE)
    state = agora_server.script("ballot_state", ballot=ballot)
    assert state["votes"] == 3 and state["roll"] == 3, state

    # Staff close (and confirm it in the dialog); the verdict shows on the phones, the projector and the control page.
    control.locator(f"button[data-action='ballot.close'][data-ballot='{ballot}']").click()
    control.locator("dialog[data-dialog] [data-dialog-confirm]").click()
    for page in [*phones, screen, control]:
        page.locator(".live-verdict").first.wait_for(timeout=LIVE)
    state = agora_server.script("ballot_state", ballot=ballot)
    assert state["state"] == "closed" and state["votes"] == 3 and state["roll"] == 3 and state["verdict"], state
    # The verdict shown is the one recorded (3 present out of the demo assembly: the quorum rule decides).
    for page in [*phones, screen]:
        assert page.locator(f".live-verdict-{state['verdict']}").count() == 1
