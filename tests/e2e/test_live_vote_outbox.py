"""The phone's outbox forgets a vote only on a final answer: an answer it does not know (a code
the protocol does not list, as a server of a later version might send; over the HTTP fallback, a
proxy's error page) keeps the vote, tells the member it is not recorded yet, and sends it again
until the server acknowledges it."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.slow

LIVE = 15_000  # ms: how long a live update may take to reach a page (a bound, not a measurement)


def test_an_unknown_refusal_keeps_the_vote_tells_the_member_and_sends_it_again(browsers, agora_server, cast):
    member = cast["members"][0]
    live = agora_server.script("live_sitting", members=[member["id"]], title="Séance de la boîte d'envoi")
    sitting, ballot = live["sitting"], live["ballot"]
    agora_server.script("open_ballot", ballot=ballot, staff=cast["staff"]["id"])

    # Between the phone and the server: the first vote sent is answered with an unknown code
    # (never forwarded); everything else goes through untouched.
    intercepted: list[dict] = []

    def between(ws) -> None:
        server = ws.connect_to_server()

        def from_phone(message) -> None:
            data = json.loads(message)
            if data.get("type") == "vote.cast" and not intercepted:
                intercepted.append(data)
                refusal = {"type": "error", "code": "not_a_code_of_v1", "message": "Panne.", "ref": data["vote_id"]}
                ws.send(json.dumps(refusal))
                return
            server.send(message)

        ws.on_message(from_phone)

    phone = browsers.page(viewport="phone", person=member)
    phone.route_web_socket(re.compile(r"/ws/v1/sittings/"), between)
    phone.goto(f"/votes/seances/{sitting}/")
    form = phone.locator(f"form[data-key^='cast-{ballot}-']").first
    form.locator("input[type=radio]").first.wait_for(timeout=LIVE)
    form.locator("label", has_text="Pour").click()
    form.locator("button[type=submit]").click()

    # Refused with a code it does not know: kept, and the member is told (in the live status).
    status = form.locator("[data-status]")
    status.filter(has_text="pas encore enregistré").wait_for(timeout=LIVE)
    assert status.get_attribute("role") == "status"
    outbox_key = f"agora.outbox.{sitting}.{member['id']}"
    kept = phone.evaluate(f"() => JSON.parse(localStorage.getItem('{outbox_key}') || '{{}}')")
    assert list(kept) == [intercepted[0]["vote_id"]], kept
    assert agora_server.script("ballot_state", ballot=ballot)["votes"] == 0

    # Sent again by itself, with the same vote id: recorded once, and the outbox is empty.
    step = form.locator("xpath=..")
    step.locator("[data-done-text]").filter(has_text=re.compile(r"^Vous avez voté\u202f: ")).wait_for(timeout=LIVE)
    assert phone.evaluate(f"() => JSON.parse(localStorage.getItem('{outbox_key}') || '{{}}')") == {}
    state = agora_server.script("ballot_state", ballot=ballot)
    assert state["votes"] == 1 and state["roll"] == 1, state


def test_over_the_http_fallback_an_answer_that_is_not_json_keeps_the_vote(browsers, agora_server, cast):
    member = cast["members"][1]
    live = agora_server.script("live_sitting", members=[member["id"]], title="Séance sans websocket")
    sitting, ballot = live["sitting"], live["ballot"]
    agora_server.script("open_ballot", ballot=ballot, staff=cast["staff"]["id"])

    phone = browsers.page(viewport="phone", person=member)
    # A venue network that blocks websockets: the page polls and posts its votes.
    phone.add_init_script("delete window.WebSocket;")
    # The first vote posted meets a proxy's error page (502, HTML); the next ones reach the server.
    failed: list[str] = []

    def vote_url(route) -> None:
        if not failed:
            failed.append(route.request.post_data or "")
            route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")
            return
        route.continue_()

    phone.route(re.compile(rf"/votes/seances/{sitting}/vote$"), vote_url)
    phone.goto(f"/votes/seances/{sitting}/")
    form = phone.locator(f"form[data-key^='cast-{ballot}-']").first
    form.locator("input[type=radio]").first.wait_for(timeout=LIVE)
    form.locator("label", has_text="Contre").click()
    form.locator("button[type=submit]").click()

    form.locator("[data-status]").filter(has_text="pas encore enregistré").wait_for(timeout=LIVE)
    outbox_key = f"agora.outbox.{sitting}.{member['id']}"
    kept = phone.evaluate(f"() => JSON.parse(localStorage.getItem('{outbox_key}') || '{{}}')")
    assert list(kept) == [json.loads(failed[0])["vote_id"]], kept

    step = form.locator("xpath=..")
    step.locator("[data-done-text]").filter(has_text=re.compile(r"^Vous avez voté\u202f: ")).wait_for(timeout=LIVE)
    assert phone.evaluate(f"() => JSON.parse(localStorage.getItem('{outbox_key}') || '{{}}')") == {}
    state = agora_server.script("ballot_state", ballot=ballot)
    assert state["votes"] == 1 and state["roll"] == 1, state
