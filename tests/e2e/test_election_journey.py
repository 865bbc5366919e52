"""Electing the co-presidency, as the assembly does it: staff prepare an election on the election item
(picking members who stand, by college), open it from the desk, four members vote from their phones
(one candidate per college), staff close and proclaim; the composition page shows the new co-presidents.
The phone's ballot is looked at at 360 and 320 px wide: every candidate's name and college in view, no
sideways scroll."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow

LIVE = 15_000  # ms: how long a live update may take to reach a page (a bound, not a measurement)


def _fits(page, width: int) -> None:
    """Nothing on PAGE is wider than WIDTH: no sideways scroll on a narrow phone."""
    scroll = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways at {width} px: {scroll}"


def test_staff_prepare_an_election_members_vote_staff_proclaim_the_composition_shows_them(
    browsers, agora_server, cast, tmp_path
):
    setup = agora_server.script("election_sitting", staff=cast["staff"]["id"])
    members = setup["members"]  # elected woman, citizen woman, elected man, citizen man
    sitting = setup["sitting"]

    # Staff prepare the election on the election item, candidates picked by name under their college.
    staff = browsers.page(viewport="desktop", person=cast["staff"])
    staff.goto(f"/votes/gestion/seances/{sitting}/scrutins/")
    staff.get_by_label("Question").fill("Élection de la co-présidence")
    staff.locator("select[name=agenda_item]").select_option(str(setup["item"]))
    staff.locator("select[name=kind]").select_option("election")
    candidates = staff.locator("#id_candidates")
    assert "Collège des élus" in candidates.inner_text() and "Collège des citoyens" in candidates.inner_text()
    for member in members:
        candidates.get_by_label(member["name"], exact=True).check()
    staff.get_by_role("button", name="Préparer").click()
    staff.get_by_text("Scrutin préparé.").wait_for()
    state = agora_server.script("election_state", sitting=sitting)
    ballot, options = state["ballot"], state["options"]
    assert state["state"] == "draft" and len(options) == 4, state

    # The desk opens it; every phone shows the candidates by name and college.
    desk = browsers.page(viewport="desktop", person=cast["staff"])
    desk.goto(f"/votes/seances/{sitting}/pilotage/")
    row = desk.locator(f"tr[data-ballot-row='{ballot}']")
    assert row.locator("[data-proclaim-form]").is_hidden(), "nothing to proclaim before the close"
    row.locator("button[data-action='ballot.open']").click()
    row.locator("[data-row-state]").filter(has_text=re.compile("^Ouvert")).wait_for(timeout=LIVE)
    phones = []
    for member in members:
        phone = browsers.page(viewport="phone", person=member)
        phone.goto(f"/votes/seances/{sitting}/")
        phone.locator(f"form[data-key^='cast-{ballot}-'] input[type=checkbox]").first.wait_for(timeout=LIVE)
        phones.append(phone)
    first = phones[0]
    form = first.locator(f"form[data-key^='cast-{ballot}-']").first
    legends = form.locator("fieldset.live-college legend").all_inner_texts()
    assert legends == ["Collège des élus", "Collège des citoyens"], legends
    for member in members:
        assert form.locator(".live-option-text", has_text=member["name"]).count() == 1
    assert "Collège des" in form.locator(".live-option-text").first.inner_text()
    for width in (360, 320):
        first.set_viewport_size({"width": width, "height": 720})
        first.wait_for_timeout(200)
        _fits(first, width)
        first.screenshot(path=str(tmp_path / f"election-phone-{width}.png"), full_page=True)

    # One candidate per college: ticking a second one in a college is not possible.
    ew, cw, em, cm = members
    form.locator("label", has_text=ew["name"]).click()
    assert form.locator(f"input[value='{options[str(em['id'])]}']").is_disabled(), "one seat in the elected college"
    form.locator("label", has_text=cm["name"]).click()
    form.locator("[data-submit]").click()
    first.locator("[data-done-text]").filter(has_text=re.compile("Vous avez voté")).first.wait_for(timeout=LIVE)
    picks = [(ew, cm), (ew, cw), (em, cm)]
    for phone, (elected, citizen) in zip(phones[1:], picks, strict=True):
        form = phone.locator(f"form[data-key^='cast-{ballot}-']").first
        form.locator("label", has_text=elected["name"]).click()
        form.locator("label", has_text=citizen["name"]).click()
        form.locator("[data-submit]").click()
        phone.locator("[data-done-text]").filter(has_text=re.compile("Vous avez voté")).first.wait_for(timeout=LIVE)

    # Staff close (confirmed in the dialog): the proclaim button appears on the desk, live.
    row.locator("button[data-action='ballot.close']").click()
    desk.locator("dialog[data-dialog] [data-dialog-confirm]").click()
    proclaim = row.locator("[data-proclaim]")
    proclaim.wait_for(state="visible", timeout=LIVE)
    state = agora_server.script("election_state", sitting=sitting)
    assert state["state"] == "closed" and state["results"]["tied"] == [], state
    assert state["copresidents"] == [], "nobody is co-president before the proclamation"
    proclaim.click()
    desk.get_by_text(re.compile("2 coprésident")).first.wait_for()
    assert desk.locator(f"tr[data-ballot-row='{ballot}']").get_by_text("Proclamé").count() == 1
    state = agora_server.script("election_state", sitting=sitting)
    assert state["copresidents"] == [["citizen", cm["id"]], ["elected", ew["id"]]], state

    # The composition shows the new co-presidents by name.
    staff.goto(f"/composition/?assemblee={setup['assembly']}")
    shown = staff.locator("[data-copresidents]").inner_text()
    assert ew["name"] in shown and cm["name"] in shown, shown
    assert em["name"] not in shown and cw["name"] not in shown, shown
