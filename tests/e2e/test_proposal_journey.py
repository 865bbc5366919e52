"""A member, on a phone: signs in with the emailed link, writes a proposal with a photo, another
member comments and supports it — in a real browser against a real server."""

from __future__ import annotations

import re

import pytest

from tests.e2e.server import mail_text

pytestmark = pytest.mark.slow


def a_photo(path) -> str:
    """A real PNG (the server checks the file's content, not its name)."""
    from PIL import Image

    Image.new("RGB", (64, 48), (30, 120, 200)).save(path, "PNG")
    return str(path)


def sign_in_by_link(page, server, email: str) -> None:
    page.goto("/connexion/lien/")
    page.fill("input[name=email]", email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    messages = server.mails_to(email)
    assert messages, f"no sign-in email sent to {email}"
    links = re.findall(r"https?://[^\s\"<>]+/connexion/lien/[^\s\"<>]+", mail_text(messages[-1]))
    assert links, mail_text(messages[-1])
    page.goto(links[0])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_member_signs_in_by_link_and_publishes_a_proposal_others_comment_and_support(
    browsers, agora_server, cast, viewport, tmp_path
):
    author = cast["members"][0]
    page = browsers.page(viewport=viewport)
    sign_in_by_link(page, agora_server, author["email"])
    assert page.locator("form[action*='deconnexion'] button").count() == 1, "not signed in after the link"

    page.goto("/propositions/nouvelle/")
    title = f"Navette des marchés ({viewport})"
    page.fill("#id_title", title)
    page.fill("#id_body", "Relier les villages au marché du samedi par une navette à la demande.")
    page.locator("input[name=themes]").first.check()
    page.set_input_files("#id_file", a_photo(tmp_path / "marche.png"))
    page.locator("button[name=publish]").click()
    page.wait_for_load_state()
    assert re.search(r"/propositions/\d+/$", page.url), page.locator("[role=alert]").all_inner_texts()
    detail_url = page.url
    assert page.locator("h1").inner_text().strip() == title
    assert page.locator("main").get_by_text("marche.png").count() >= 1 or page.locator("main img").count() >= 1

    # Another member, in another browser context, comments and supports.
    other = browsers.page(viewport=viewport, person=cast["members"][1])
    other.goto(detail_url)
    other.fill("#comment-body", "Bonne idée : à étendre au transport scolaire.")
    other.locator("#comment-body").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    other.wait_for_load_state()
    assert other.locator("main").get_by_text("Bonne idée : à étendre au transport scolaire.").count() == 1
    support = other.locator("form[action$='/support/'] button")
    support.click()
    other.wait_for_load_state()
    assert other.locator(".support-count").inner_text().strip().startswith("1")
    assert other.locator("form[action$='/unsupport/'] button[aria-pressed=true]").count() == 1

    # The author sees both.
    page.reload()
    assert page.locator(".support-count").inner_text().strip().startswith("1")
    assert page.locator("main").get_by_text("Bonne idée : à étendre au transport scolaire.").count() == 1
