"""A plenary rehearsed at the size of the room, looked at the way people see it.

A real server (as `make demo` serves it) holds the demo assembly's roll of 232 members, 120 of
them present and five represented, and six ballots on the agenda (one of them with a text of
4,000 characters). About 120 phones vote over plain websockets while real browser pages look on:
two members' phones (360 × 740, and 320 × 640 driven by the keyboard alone), the room projector
at 1920 × 1080 and at 1280 × 720, and the staff desk at 1366 × 768. At each step the test checks
what is INSIDE each viewport (bounding boxes, no scrolling on the projector) and the words shown,
in French, and saves a screenshot per page and step: into $AGORA_SCREENSHOTS when set (`make
screenshots` sets docs/screenshots/plenary), else into the test's temporary folder.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import AXE_JS, ContextFactory, run_axe
from tests.e2e.crowd import Crowd
from tests.e2e.server import BASE_DIR, LiveServer, in_ci, scratch_dir

pytestmark = pytest.mark.slow

LIVE = 15_000  # ms: how long a live update may take to reach a page (a bound, not a measurement)
NNBSP = "\u202f"  # French: the narrow no-break space before : ; ? ! and inside « »

SIZES = {
    "phone-360": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "phone-320": {
        "viewport": {"width": 320, "height": 640},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "projector-1920": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1},
    "projector-1280": {"viewport": {"width": 1280, "height": 720}, "device_scale_factor": 1},
    "desk-1366": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
}


@pytest.fixture(scope="module")
def plenary_server():
    """A server of its own: the demo assembly's roll stays at its 232 members (no test cast added)."""
    server = LiveServer(root=scratch_dir("agora-plenary-"))
    server.prepare(seed=True)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: $AGORA_SCREENSHOTS (relative to the project), else a temporary folder.

    The rehearsal's own earlier pictures there are removed first (a renamed step leaves none behind)."""
    folder = os.environ.get("AGORA_SCREENSHOTS")
    path = (BASE_DIR / folder) if folder and not os.path.isabs(folder) else Path(folder or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    for old in [*path.glob("[0-9][0-9]-*.png"), *path.glob("failed-*.png")]:
        old.unlink()
    return path


class Room:
    """The pages of the rehearsal and what the test asserts about them."""

    def __init__(self, browser, server: LiveServer, shots: Path) -> None:
        self.server = server
        self.shots = shots
        self.factory = ContextFactory(browser, server)
        self.pages: dict[str, object] = {}

    def open(self, name: str, size: str, path: str, person: dict | None = None):
        context = self.factory.browser.new_context(base_url=self.server.url, locale="fr-FR", **SIZES[size])
        context.set_default_timeout(LIVE)
        cookies = [{"name": "django_language", "value": "fr", "url": self.server.url}]
        if person is not None:
            cookies.append({"name": "sessionid", "value": person["session"], "url": self.server.url})
        context.add_cookies(cookies)
        context.on("page", self.factory._watch)
        self.factory.contexts.append(context)
        page = context.new_page()
        page.goto(path)
        page.locator("[data-connection]").filter(has_text="Connecté").wait_for()
        self.pages[name] = page
        return page

    def audit(self, size: str, path: str, person: dict | None = None, before=None) -> list[dict]:
        """axe-core's serious and critical WCAG 2.1 A/AA violations on a page as it is now (a context
        of its own: axe is injected, so its CSP is relaxed). Skipped where axe-core is not installed,
        never in CI."""
        if not AXE_JS.exists() and not in_ci():
            return []
        context = self.factory.browser.new_context(
            base_url=self.server.url, locale="fr-FR", bypass_csp=True, **SIZES[size]
        )
        try:
            cookies = [{"name": "django_language", "value": "fr", "url": self.server.url}]
            if person is not None:
                cookies.append({"name": "sessionid", "value": person["session"], "url": self.server.url})
            context.add_cookies(cookies)
            page = context.new_page()
            page.goto(path)
            page.locator("[data-connection]").filter(has_text="Connecté").wait_for(timeout=LIVE)
            page.wait_for_timeout(500)
            if before is not None:
                before(page)
            return run_axe(page)
        finally:
            context.close()

    def shoot(self, step: str, *names: str) -> None:
        for name in names:
            page = self.pages[name]
            page.wait_for_timeout(150)  # let a frame paint
            path = self.shots / f"{step}-{name}.png"
            page.screenshot(path=str(path))
            if os.environ.get("AGORA_SCREENSHOTS"):
                compact(path)

    def close(self) -> None:
        self.factory.close()
        assert not self.factory.problems, "\n".join(self.factory.problems)


def compact(path: Path) -> None:
    """256 colours are plenty for these flat pages: the pictures kept in the repository weigh a third."""
    from PIL import Image

    with Image.open(path) as image:
        flat = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    flat.save(path, optimize=True)


# --- what is on the screen ------------------------------------------------------------------------


def inside(page, locator, what: str) -> None:
    """LOCATOR is fully inside PAGE's viewport, the page not scrolled."""
    locator.first.wait_for(state="visible")
    assert page.evaluate("() => window.scrollY") == 0, f"{what}: the page was scrolled"
    size = page.viewport_size
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box is not None, f"{what} #{i}: not rendered"
        assert box["x"] >= 0 and box["y"] >= 0, f"{what} #{i} starts outside the viewport: {box}"
        assert box["x"] + box["width"] <= size["width"] + 0.5, f"{what} #{i} overflows to the right: {box} {size}"
        assert box["y"] + box["height"] <= size["height"] + 0.5, f"{what} #{i} is below the fold: {box} {size}"


def no_scroll(page) -> None:
    height, inner = page.evaluate("() => [document.scrollingElement.scrollHeight, window.innerHeight]")
    assert height <= inner, f"the projector scrolls: {height} > {inner}"


def squeeze(text: str) -> str:
    """Runs of ordinary white space as one space; the no-break spaces of French typography stay."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def text_of(locator) -> str:
    return squeeze(locator.first.inner_text())


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches SELECTOR (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused_text(page) -> str:
    return squeeze(page.evaluate("() => document.activeElement.innerText || ''"))


def ballot(page, ballot_id: int):
    return page.locator(f"section[data-ballot='{ballot_id}']")


def step(page, ballot_id: int, member: int):
    return page.locator(f"[data-step='{ballot_id}-{member}']")


def outbox(page, sitting: int, member: int) -> dict:
    return page.evaluate(f"() => JSON.parse(localStorage.getItem('agora.outbox.{sitting}.{member}') || '{{}}')")


def row(desk, ballot_id: int):
    return desk.locator(f"tr[data-ballot-row='{ballot_id}']")


def actions_of(desk, ballot_id: int) -> list[str]:
    return row(desk, ballot_id).locator("button[data-action]").evaluate_all("(bs) => bs.map((b) => b.dataset.action)")


def confirm_on_desk(room: Room, ballot_id: int, action: str, shot: str | None = None) -> None:
    """Staff press close (or cancel): a real dialog asks first; the keyboard confirms it."""
    desk = room.pages["desk"]
    row(desk, ballot_id).locator(f"button[data-action='{action}']").click()
    dialog = desk.locator("dialog[data-dialog]")
    dialog.wait_for(state="visible")
    assert desk.evaluate("() => document.querySelector('dialog[data-dialog]').open")
    assert desk.evaluate("() => document.activeElement.matches('[data-dialog-back]')"), "focus starts on « go back »"
    if shot:
        room.shoot(shot, "desk")
    desk.keyboard.press("Tab")
    assert desk.evaluate("() => document.activeElement.matches('[data-dialog-confirm]')")
    desk.keyboard.press("Enter")
    dialog.wait_for(state="hidden")


def until(page, locator, pattern: str) -> None:
    locator.filter(has_text=re.compile(pattern)).first.wait_for()


# --- the rehearsal --------------------------------------------------------------------------------


def test_a_plenary_of_120_with_two_phones_two_projectors_and_the_staff_desk(browser, plenary_server, shots):
    server = plenary_server
    plenary = server.script("plenary")
    sitting = plenary["sitting"]
    assert plenary["members"] == 232 and len(plenary["present"]) == 120, plenary["members"]
    assert plenary["electorate"] == 125, "120 present and 5 represented"
    holder = next(p for p in plenary["present"] if p["proxy_for"])  # phone A holds a proxy
    plain = next(p for p in plenary["present"] if not p["proxy_for"])  # phone B does not
    crowd_people = [p for p in plenary["present"] if p["id"] not in (holder["id"], plain["id"])]
    crowd = Crowd(ws_url=server.ws_url, origin=server.url, sitting=sitting, people=crowd_people)
    crowd.start()

    room = Room(browser, server, shots)
    try:
        screen = f"/votes/seances/{sitting}/ecran/?t={plenary['screen_token']}"
        room.open("projector-1920", "projector-1920", screen)
        room.open("projector-1280", "projector-1280", screen)
        room.open("desk", "desk-1366", f"/votes/seances/{sitting}/pilotage/", plenary["staff"])
        room.open("phone-360", "phone-360", f"/votes/seances/{sitting}/", holder)
        room.open("phone-320", "phone-320", f"/votes/seances/{sitting}/", plain)
        try:
            Rehearsal(room, plenary, crowd, holder, plain).run()
        except Exception:
            room.shoot("failed", *room.pages)  # what each page showed when the rehearsal stopped
            raise
    finally:
        crowd.stop()
        room.close()


class Rehearsal:
    """The steps of the sitting, in order; each checks what the pages show, then takes its pictures."""

    def __init__(self, room: Room, plenary: dict, crowd: Crowd, holder: dict, plain: dict) -> None:
        self.room, self.plenary, self.crowd, self.holder, self.plain = room, plenary, crowd, holder, plain
        self.giver = holder["proxy_for"]
        self.electorate = plenary["electorate"]  # 120 present + 5 represented
        self.rng = random.Random(2027)
        self.named_pick: dict[int, str] = {}

    def run(self) -> None:
        for name in STEPS:
            getattr(self, name)()

    @property
    def screens(self) -> tuple:
        return (self.room.pages["projector-1920"], self.room.pages["projector-1280"])

    def waiting(self) -> None:
        # 1. Before the first ballot: the sitting, its agenda and the code to join, on one screen.
        room = self.room
        ids = self.plenary["ballots"]
        desk = self.room.pages["desk"]
        phone = self.room.pages["phone-360"]
        screens = self.screens
        for screen in screens:
            inside(screen, screen.locator("#pj-idle-title"), "sitting title")
            inside(screen, screen.locator(".pj-qr svg"), "QR code")
            no_scroll(screen)
            assert "Rejoignez la séance sur votre téléphone" in text_of(screen.locator(".pj-join-text"))
        assert "Aucun scrutin n’est ouvert" in text_of(phone.locator("[data-empty]"))
        for ballot_id in ids.values():
            assert actions_of(desk, ballot_id) == ["ballot.open", "ballot.cancel"], "a prepared ballot: open or cancel"
            assert text_of(row(desk, ballot_id).locator("[data-row-state]")) == "Préparé"
        until(desk, desk.locator("[data-quorum]"), "Quorum atteint")
        assert f"Membres présents{NNBSP}: 120" in text_of(desk.locator("[data-quorum-detail]"))
        assert f"Total{NNBSP}: 125 sur 232 membres" in text_of(desk.locator("[data-quorum-detail]"))
        room.shoot("01-waiting", "projector-1920", "projector-1280", "phone-360", "desk")

    def open_named(self) -> None:
        # 2. Staff open the named yes/no ballot (results live): every page shows it at once.
        room = self.room
        giver = self.giver
        holder = self.holder
        electorate = self.electorate
        ids = self.plenary["ballots"]
        desk = self.room.pages["desk"]
        phone = self.room.pages["phone-360"]
        keys = self.room.pages["phone-320"]
        screens = self.screens
        named = ids["named"]
        row(desk, named).locator("button[data-action='ballot.open']").click()
        until(desk, row(desk, named).locator("[data-row-state]"), "^Ouvert$")
        desk.wait_for_function(
            f"() => document.querySelectorAll(\"tr[data-ballot-row='{named}'] button[data-action]\").length === 3"
        )
        assert actions_of(desk, named) == ["ballot.extend", "ballot.close", "ballot.cancel"]
        for page, size in ((phone, "360 × 740"), (keys, "320 × 640")):
            section = ballot(page, named)
            inside(page, section.locator("h2"), f"the question on the {size} phone")
            inside(page, section.locator(".live-option:visible"), f"the options on the {size} phone")
            labels = section.locator(".live-option:visible").all_inner_texts()
            assert [label.strip() for label in labels] == ["Pour", "Contre", "Abstention"], labels
            assert f"0 sur {electorate} a voté" in text_of(section.locator("[data-participation]"))
        # The proxy is a separate step, after one's own vote: announced, not yet shown.
        until(
            phone,
            step(phone, named, holder["id"]).locator("[data-help]"),
            f"puis pour {giver['name']} \\(procuration\\)",
        )
        assert step(phone, named, giver["id"]).is_hidden()
        for screen in screens:
            until(screen, screen.locator("[data-participation]"), f"0 sur {electorate} a voté")
            inside(screen, screen.locator("#pj-question"), "the question on the projector")
            inside(screen, screen.locator("[data-countdown]"), "the countdown")
            inside(screen, screen.locator("[data-participation]"), "participation")
            no_scroll(screen)
        until(desk, desk.locator("[data-non-voters-title]"), f"^{electorate} n’ont pas encore voté$")
        room.shoot("02-open", "phone-360", "phone-320", "projector-1920", "projector-1280", "desk")

    def vote_named(self) -> None:
        # 3. Phone A votes with the pointer, then for the member it represents (its second step).
        named = self.plenary["ballots"]["named"]
        room = self.room
        crowd = self.crowd
        giver = self.giver
        holder = self.holder
        plain = self.plain
        electorate = self.electorate
        sitting = self.plenary["sitting"]
        desk = self.room.pages["desk"]
        phone = self.room.pages["phone-360"]
        keys = self.room.pages["phone-320"]
        screens = self.screens
        own = step(phone, named, holder["id"])
        own.locator(".live-option", has_text="Pour").click()
        assert text_of(own.locator("[data-confirm-text]")) == f"Vous avez choisi{NNBSP}: Pour"
        inside(phone, own.locator("[data-submit]"), "the confirm button")
        own.locator("[data-submit]").click()
        until(phone, own.locator("[data-done-text]"), f"^✓?\\s*Vous avez voté{NNBSP}: Pour$")
        assert phone.evaluate("() => document.activeElement.matches('[data-done]')"), "focus moves to the confirmation"
        assert "déjà" not in focused_text(phone)
        assert f"Votez maintenant pour {giver['name']} (procuration)" in focused_text(phone)
        proxy = step(phone, named, giver["id"])
        proxy.wait_for(state="visible")
        assert text_of(proxy.locator("legend")) == f"Voter pour {giver['name']} (procuration)"
        room.shoot("03-own-vote-done", "phone-360")
        proxy.locator(".live-option", has_text="Contre").click()
        proxy.locator("[data-submit]").click()
        until(phone, proxy.locator("[data-done-text]"), f"Vous avez voté pour {giver['name']}{NNBSP}: Contre")

        # Phone B votes with the keyboard only: to the radios, down to « Abstention », confirm.
        tab_to(keys, f"form[data-key='cast-{named}-{plain['id']}'] input[type=radio]")
        keys.keyboard.press("ArrowDown")
        keys.keyboard.press("ArrowDown")
        tab_to(keys, f"form[data-key='cast-{named}-{plain['id']}'] button[type=submit]")
        keys.keyboard.press("Enter")
        until(keys, step(keys, named, plain["id"]).locator("[data-done-text]"), f"Vous avez voté{NNBSP}: Abstention")
        assert keys.evaluate("() => document.activeElement.matches('[data-done]')")

        # What a screen reader meets, as the room is now: the phone's second step, the projector, the
        # desk with its close dialog open.
        def open_close_dialog(page):
            row(page, named).locator("button[data-action='ballot.close']").click()
            page.locator("dialog[data-dialog]").wait_for(state="visible")

        found = {
            "phone": room.audit("phone-360", f"/votes/seances/{sitting}/", holder),
            "projector": room.audit("projector-1920", room.pages["projector-1920"].url),
            "desk": room.audit(
                "desk-1366", f"/votes/seances/{sitting}/pilotage/", self.plenary["staff"], open_close_dialog
            ),
        }
        assert not any(found.values()), found

        # Most of the room votes; the projector shows participation and bars, the desk who is missing.
        voters = crowd.members
        late = {m.id for m in voters[-30:]}
        for m in voters:
            self.named_pick[m.id] = self.rng.choices(["yes", "no", "abstain"], weights=[7, 2, 1])[0]
            if m.proxy_for:
                self.named_pick[m.proxy_for] = self.rng.choices(["yes", "no", "abstain"], weights=[7, 2, 1])[0]
        options = dict(zip(["yes", "no", "abstain"], self.plenary["options"]["named"], strict=True))
        crowd.vote(named, lambda member: options[self.named_pick[member]], only=lambda m: m.id not in late)
        voted = 3 + sum(1 + bool(m.proxy_for) for m in voters if m.id not in late)
        for screen in screens:
            until(screen, screen.locator("[data-participation]"), f"^{voted} sur {electorate} ont voté$")
            bars = screen.locator(".pj-bar")
            assert bars.count() == 3
            assert [text_of(bars.nth(i).locator(".pj-bar-label")) for i in range(3)] == ["Pour", "Contre", "Abstention"]
            colours = bars.locator(".pj-bar-fill").evaluate_all(
                "(els) => els.map((e) => getComputedStyle(e).backgroundImage + getComputedStyle(e).backgroundColor)"
            )
            assert len(set(colours)) == 3, f"three distinct bar colours: {colours}"
            inside(screen, bars, "the result bars")
            no_scroll(screen)
        until(desk, desk.locator("[data-non-voters-title]"), f"^{electorate - voted} n’ont pas encore voté$")
        names = desk.locator("[data-non-voters] li")
        assert names.count() == electorate - voted
        room.shoot("03-voting", "projector-1920", "projector-1280", "desk")
        crowd.vote(named, lambda member: options[self.named_pick[member]], only=lambda m: m.id in late)
        until(desk, desk.locator("[data-non-voters-title]"), "^Tout le monde a voté.$")

    def close_named(self) -> None:
        # 4. Staff close (after the dialog): the verdict, large, with its counts and its reason.
        named = self.plenary["ballots"]["named"]
        room = self.room
        giver = self.giver
        desk = self.room.pages["desk"]
        phone = self.room.pages["phone-360"]
        screens = self.screens
        confirm_on_desk(room, named, "ballot.close", shot="04-close-dialog")
        until(desk, row(desk, named).locator("[data-row-state]"), "^Clos · Adopté$")
        assert actions_of(desk, named) == [], "a closed ballot offers no action"
        yes = 1 + sum(1 for v in self.named_pick.values() if v == "yes")
        no = 1 + sum(1 for v in self.named_pick.values() if v == "no")
        abstain = 1 + sum(1 for v in self.named_pick.values() if v == "abstain")
        for screen in screens:
            until(screen, screen.locator("[data-outcome]"), "^Adopté$")
            inside(screen, screen.locator("[data-outcome]"), "the verdict")
            inside(screen, screen.locator("#pj-question"), "the question under its verdict")
            inside(screen, screen.locator(".pj-bar"), "the counts under the verdict")
            reason = text_of(screen.locator("[data-reason]"))
            assert reason.startswith(f"{yes} pour, {no} contre, {abstain} abstentions — majorité simple atteinte"), (
                reason
            )
            no_scroll(screen)
        past = phone.locator(f"[data-past='{named}']")
        past.wait_for()
        assert text_of(past.locator(".live-past-outcome")).startswith(f"Adopté{NNBSP}: {yes} pour, {no} contre")
        assert f"Votre vote{NNBSP}: Pour" in text_of(past)
        assert f"Votre vote pour {giver['name']}{NNBSP}: Contre" in text_of(past)
        room.shoot("05-verdict", "projector-1920", "projector-1280", "phone-360", "desk")

    def secret_with_proxy_and_drop(self) -> None:
        # 5. A secret ballot: the proxy holder votes twice, one phone loses its network and comes back.
        room = self.room
        crowd = self.crowd
        giver = self.giver
        holder = self.holder
        plain = self.plain
        electorate = self.electorate
        sitting = self.plenary["sitting"]
        ids = self.plenary["ballots"]
        desk = self.room.pages["desk"]
        phone = self.room.pages["phone-360"]
        keys = self.room.pages["phone-320"]
        screens = self.screens
        secret = ids["secret"]
        row(desk, secret).locator("button[data-action='ballot.open']").click()
        ballot(phone, secret).wait_for()
        ballot(keys, secret).wait_for()
        inside(keys, ballot(keys, secret).locator(".live-option"), "the secret ballot's options at 320 × 640")
        keys.context.set_offline(True)
        keys.evaluate("() => window.dispatchEvent(new Event('offline'))")
        tab_to(keys, f"form[data-key='cast-{secret}-{plain['id']}'] input[type=radio]")
        keys.keyboard.press("Space")
        tab_to(keys, f"form[data-key='cast-{secret}-{plain['id']}'] button[type=submit]")
        keys.keyboard.press("Enter")
        keys.wait_for_timeout(1500)
        assert len(outbox(keys, sitting, plain["id"])) == 1, "offline, the vote waits in the phone's outbox"
        status = text_of(step(keys, secret, plain["id"]).locator("[data-status]"))
        assert status == f"En attente de la connexion{NNBSP}: votre vote partira dès son retour.", status
        assert text_of(keys.locator("[data-connection]")) == "Connexion perdue, reconnexion…"
        room.shoot("06-offline", "phone-320")
        own = step(phone, secret, holder["id"])
        own.locator(".live-option", has_text="Contre").click()
        own.locator("[data-submit]").click()
        until(phone, own.locator("[data-done-text]"), f"Vous avez voté{NNBSP}: Contre")
        proxy = step(phone, secret, giver["id"])
        proxy.wait_for(state="visible")
        room.shoot("06-proxy-step", "phone-360")
        proxy.locator(".live-option", has_text="Pour").click()
        proxy.locator("[data-submit]").click()
        until(phone, proxy.locator("[data-done-text]"), f"Vous avez voté pour {giver['name']}{NNBSP}: Pour")
        keys.context.set_offline(False)
        keys.evaluate("() => window.dispatchEvent(new Event('online'))")
        until(keys, step(keys, secret, plain["id"]).locator("[data-done-text]"), f"Vous avez voté{NNBSP}: Pour")
        assert outbox(keys, sitting, plain["id"]) == {}
        secret_options = dict(zip(["yes", "no", "abstain"], self.plenary["options"]["secret"], strict=True))
        crowd.vote(secret, lambda member: secret_options["yes" if member % 3 else "no"])
        for screen in screens:
            until(screen, screen.locator("[data-participation]"), f"^{electorate} sur {electorate} ont voté$")
            assert screen.locator(".pj-bar").count() == 0, "a secret ballot shows no result before it closes"
            assert "Résultats à la clôture du scrutin" in text_of(screen.locator("[data-note]"))
        assert room.server.script("ballot_state", ballot=secret)["votes"] == electorate, "the offline vote counted once"
        room.shoot("06-secret", "projector-1920")
        confirm_on_desk(room, secret, "ballot.close")
        for screen in screens:
            until(screen, screen.locator("[data-outcome]"), "^(Adopté|Rejeté)$")
            inside(screen, screen.locator("[data-outcome]"), "the secret ballot's verdict")
            no_scroll(screen)
        past = phone.locator(f"[data-past='{secret}']")
        past.wait_for()
        assert f"Votre vote{NNBSP}: Contre" in text_of(
            past
        ) and f"Votre vote pour {giver['name']}{NNBSP}: Pour" in text_of(past)

    def ranking(self) -> None:
        # 6. A ranking: phone B orders it with the keyboard; the projector shows the order at close.
        room = self.room
        crowd = self.crowd
        giver = self.giver
        holder = self.holder
        plain = self.plain
        ids = self.plenary["ballots"]
        desk = self.room.pages["desk"]
        phone = self.room.pages["phone-360"]
        keys = self.room.pages["phone-320"]
        screens = self.screens
        ranking = ids["ranking"]
        row(desk, ranking).locator("button[data-action='ballot.open']").click()
        section = ballot(keys, ranking)
        section.wait_for()
        inside(keys, section.locator(".live-rank"), "the ranking's options at 320 × 640")
        room.shoot("07-ranking", "phone-320")
        tab_to(keys, f"form[data-key='cast-{ranking}-{plain['id']}'] li:nth-child(2) [data-move='up']")
        keys.keyboard.press("Enter")
        tab_to(keys, f"form[data-key='cast-{ranking}-{plain['id']}'] button[type=submit]")
        keys.keyboard.press("Enter")
        until(
            keys, step(keys, ranking, plain["id"]).locator("[data-done-text]"), f"Vous avez voté{NNBSP}: 1\\. Mobilités"
        )
        rank_ids = self.plenary["options"]["ranking"]
        order = [rank_ids[1], rank_ids[0], rank_ids[2], rank_ids[3]]
        crowd.vote(ranking, lambda member: order if member % 4 else list(reversed(order)))
        own = step(phone, ranking, holder["id"])
        own.locator("[data-submit]").click()
        until(phone, own.locator("[data-done-text]"), "Vous avez voté")
        proxy = step(phone, ranking, giver["id"])
        proxy.locator("[data-submit]").click()
        until(phone, proxy.locator("[data-done-text]"), "Vous avez voté pour")
        confirm_on_desk(room, ranking, "ballot.close")
        for screen in screens:
            until(screen, screen.locator("[data-outcome]"), "^Classement$")
            ranks = screen.locator(".pj-rank-label")
            assert text_of(ranks.nth(0)) == "Mobilités et transports"
            inside(screen, screen.locator(".pj-rank"), "the ranking's order")
            no_scroll(screen)
        room.shoot("07-ranking-result", "projector-1920", "projector-1280")

    def long_text_and_tie(self) -> None:
        # 7. A text of 4,000 characters: the question and the options stay in view; a 1–1 tie of the
        room = self.room
        crowd = self.crowd
        giver = self.giver
        holder = self.holder
        plain = self.plain
        ids = self.plenary["ballots"]
        desk = self.room.pages["desk"]
        phone = self.room.pages["phone-360"]
        keys = self.room.pages["phone-320"]
        screens = self.screens
        # room (as many for as against) is rejected, and the phone says why, in words.
        long = ids["long"]
        row(desk, long).locator("button[data-action='ballot.open']").click()
        for page in (phone, keys):
            section = ballot(page, long)
            section.wait_for()
            inside(page, section.locator("h2"), "the question above its long text")
            inside(page, section.locator(".live-option:visible"), "the options under a 4,000-character text")
        for screen in screens:
            until(screen, screen.locator("#pj-question"), "schéma régional des mobilités")
            inside(screen, screen.locator("#pj-question"), "the question of a long text")
            no_scroll(screen)
        room.shoot("08-long-text", "phone-320", "projector-1280")
        long_options = dict(zip(["yes", "no", "abstain"], self.plenary["options"]["long"], strict=True))
        sides = {}
        for i, m in enumerate(crowd.members):  # half for, half against; phones A and B add one each
            sides[m.id] = "yes" if i % 2 else "no"
            if m.proxy_for:
                sides[m.proxy_for] = "abstain"
        crowd.vote(long, lambda member: long_options[sides[member]])
        step(phone, long, holder["id"]).locator(".live-option", has_text="Pour").click()
        step(phone, long, holder["id"]).locator("[data-submit]").click()
        step(phone, long, giver["id"]).locator(".live-option", has_text="Abstention").click()
        step(phone, long, giver["id"]).locator("[data-submit]").click()
        tab_to(keys, f"form[data-key='cast-{long}-{plain['id']}'] input[type=radio]")
        keys.keyboard.press("ArrowDown")
        tab_to(keys, f"form[data-key='cast-{long}-{plain['id']}'] button[type=submit]")
        keys.keyboard.press("Enter")
        until(keys, step(keys, long, plain["id"]).locator("[data-done-text]"), "Contre")
        until(phone, step(phone, long, giver["id"]).locator("[data-done-text]"), "Abstention")
        confirm_on_desk(room, long, "ballot.close")
        tie = sum(1 for v in sides.values() if v == "yes") + 1
        assert tie == sum(1 for v in sides.values() if v == "no") + 1
        expected = f"Rejeté{NNBSP}: {tie} pour, {tie} contre"
        past = phone.locator(f"[data-past='{long}']")
        past.wait_for()
        line = text_of(past.locator(".live-past-outcome"))
        assert line.startswith(expected) and line.endswith("la majorité simple demande plus de pour que de contre"), (
            line
        )
        colour = past.locator(".live-outcome-label").evaluate("(e) => getComputedStyle(e).color")
        assert colour == "rgb(27, 31, 36)", (
            f"a rejected text is a result, written in ink, not an error in red: {colour}"
        )
        for screen in screens:
            until(screen, screen.locator("[data-outcome]"), "^Rejeté$")
            inside(screen, screen.locator("[data-outcome]"), "the tie's verdict")
            assert "la majorité simple demande plus de pour que de contre" in text_of(screen.locator("[data-reason]"))
            no_scroll(screen)
        room.shoot("09-tie", "phone-360", "phone-320", "projector-1920", "projector-1280")

    def candidates(self) -> None:
        # 8. Candidates (secret): yes, no or abstain for each; the projector says which one is validated.
        room = self.room
        crowd = self.crowd
        giver = self.giver
        holder = self.holder
        plain = self.plain
        ids = self.plenary["ballots"]
        desk = self.room.pages["desk"]
        phone = self.room.pages["phone-360"]
        keys = self.room.pages["phone-320"]
        screens = self.screens
        candidates = ids["candidates"]
        row(desk, candidates).locator("button[data-action='ballot.open']").click()
        first, second = self.plenary["options"]["candidates"]
        section = ballot(phone, candidates)
        section.wait_for()
        inside(phone, section.locator("h2"), "the candidates' question")
        room.shoot("10-candidates", "phone-360")
        crowd.vote(candidates, lambda member: {str(first): "yes", str(second): "no" if member % 3 else "yes"})
        for page, member in ((phone, holder["id"]), (phone, giver["id"]), (keys, plain["id"])):
            form = step(page, candidates, member)
            form.locator(f"[data-candidate='{first}'] .live-option", has_text="Oui").click()
            form.locator(f"[data-candidate='{second}'] .live-option", has_text="Abstention").click()
            form.locator("[data-submit]").click()
            until(page, form.locator("[data-done-text]"), "Candidature du collège des élus")
        confirm_on_desk(room, candidates, "ballot.close")
        for screen in screens:
            until(screen, screen.locator("[data-outcome]"), "^Résultat$")
            rows = screen.locator(".pj-candidate")
            assert "majorité atteinte" in text_of(rows.nth(0)) and "majorité non atteinte" in text_of(rows.nth(1))
            inside(screen, rows, "each candidate's outcome")
            no_scroll(screen)
        room.shoot("10-candidates-result", "projector-1920")

    def cancel_a_draft(self) -> None:
        # 9. A prepared ballot cancelled (after the dialog): no action left; the room keeps its result.
        room = self.room
        ids = self.plenary["ballots"]
        projector = self.room.pages["projector-1920"]
        desk = self.room.pages["desk"]
        single = ids["single"]
        confirm_on_desk(room, single, "ballot.cancel")
        until(desk, row(desk, single).locator("[data-row-state]"), "^Annulé$")
        assert actions_of(desk, single) == []
        projector.wait_for_timeout(1000)
        assert text_of(projector.locator("[data-outcome]")) == "Résultat", "a draft cancelled never reaches the room"
        room.shoot("11-desk-after", "desk")


STEPS = [
    "waiting",
    "open_named",
    "vote_named",
    "close_named",
    "secret_with_proxy_and_drop",
    "ranking",
    "long_text_and_tie",
    "candidates",
    "cancel_a_draft",
]
