"""The harness itself: the server answers, people are signed in, the browser renders with the CSP on."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_home_page_renders_in_a_real_browser_for_a_signed_in_member(browsers, cast):
    page = browsers.page(viewport="phone", person=cast["members"][0])
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    # The session set by the harness is honoured: the sign-out button is offered.
    assert page.locator("form[action*='deconnexion'] button").count() == 1


def test_language_cookie_switches_pages_to_english(browsers):
    page = browsers.page(viewport="desktop", language="en")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
