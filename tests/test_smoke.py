def test_home_page_renders_in_french(anonymous_client, db):
    response = anonymous_client.get("/")
    assert response.status_code == 200
    assert b'lang="fr"' in response.content


def test_member_fixture_is_a_member(member):
    from assembly.selectors import roles_of

    assert roles_of(member).is_member


def test_every_page_title_names_the_page_then_the_site(anonymous_client, db):
    """RGAA 8.6: a relevant page title. The page's own title, a separator, then the site."""
    import pathlib
    import re

    response = anonymous_client.get("/")
    assert "<title>Bienvenue · Agora</title>" in response.content.decode()
    # Every page built on base.html gives its own title (none would read " · Agora").
    root = pathlib.Path(__file__).resolve().parent.parent
    templates = [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]
    assert len(templates) > 40
    for template in templates:
        text = template.read_text(encoding="utf-8")
        if re.search(r'{% extends "base.html" %}', text):
            assert "{% block title %}" in text, template
