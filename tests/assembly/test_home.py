"""Home page: a public welcome for visitors, the member's assembly and the registered panels."""

from __future__ import annotations

import pytest

from core import home


@pytest.fixture
def panel(tmp_path, settings):
    """A panel registered the way a later app registers one, removed afterwards."""
    (tmp_path / "panel_test.html").write_text(
        '<section class="card" id="test-panel">{{ label }} {{ user.email }}</section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    calls = []

    def context(request):
        calls.append(request.user)
        return {"label": "Séance en cours"} if request.user.is_authenticated else None

    home.register_panel("tests.live", order=10, template="panel_test.html", context=context)
    yield calls
    home._panels.pop("tests.live", None)


def test_anonymous_visitors_get_a_public_welcome_with_a_sign_in_link(anonymous_client, assembly):
    body = anonymous_client.get("/").content.decode()
    assert "<h1>Assemblée des Territoires</h1>" in body
    assert "232 membres, à parité femmes-hommes" in body
    assert "58 périmètres" in body
    assert 'href="/connexion/"' in body


def test_member_home_shows_their_assembly_and_mandate(member_client, member):
    mandate = member.mandates.get()
    body = member_client.get("/").content.decode()
    assert f"Bonjour {member.first_name}" in body
    assert mandate.assembly.name in body
    assert mandate.territory.name in body
    assert "Collège des élus" in body


def test_member_home_renders_registered_panels(member_client, panel):
    body = member_client.get("/").content.decode()
    assert '<section class="card" id="test-panel">Séance en cours' in body
    assert len(panel) == 1


def test_a_panel_returning_none_is_hidden(former_member_client, settings, tmp_path):
    home.register_panel("tests.hidden", order=5, template="missing.html", context=lambda request: None)
    try:
        body = former_member_client.get("/").content.decode()
    finally:
        home._panels.pop("tests.hidden", None)
    assert "Votre mandat a pris fin" in body


def test_staff_home_links_to_the_staff_pages(staff_client):
    body = staff_client.get("/").content.decode()
    for url in ("/composition/", "/membres/", "/membres/inviter/", "/membres/importer/"):
        assert f'href="{url}"' in body


def test_partner_home_says_partners_do_not_vote(partner_client):
    assert "vous ne votez pas" in partner_client.get("/").content.decode()
