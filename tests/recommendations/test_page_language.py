"""French punctuation belongs to the French catalogue (English pages show "Status:", never "Status :"),
and links to proposals are reversed, not written by hand."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse, set_script_prefix

from recommendations import services
from recommendations.models import Recommendation
from tests import factories
from tests.shared.documents import html_text


@pytest.fixture
def answered(staff, transmitted, adopted, adopted_proposal):
    factories.CommentFactory(proposal=adopted_proposal, body="Un avis précis")
    services.answer_record(by=staff, recommendation=adopted, status="accepted", text="Oui", answered_on="2026-05-01")
    services.recommendation_update(
        by=staff,
        recommendation=adopted,
        title="Relier les villes",
        text=adopted.text,
        policy="PRM",
        reason="Commission",
    )
    return Recommendation.objects.get(pk=adopted.pk)


def _get(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


PAGES = [
    lambda r: "/recommandations/",
    lambda r: f"/recommandations/{r.pk}/",
    lambda r: f"/recommandations/equipe/{r.pk}/modifier/",
]


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_english_pages_have_no_space_before_a_colon(staff_client, answered, page):
    html = _get(staff_client, PAGES[page](answered), "en")
    assert '<html lang="en"' in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert not re.search(r"\w :", html_text(main)), re.findall(r".{30}\w :.{20}", html_text(main))


def test_french_pages_keep_the_space_before_a_colon(staff_client, answered):
    text = html_text(_get(staff_client, "/recommandations/", "fr"))
    assert "Suite donnée par la Région : " in text
    assert "Issue des propositions : " in text
    text = html_text(_get(staff_client, f"/recommandations/{answered.pk}/", "fr"))
    assert "Politique régionale concernée : PRM" in text
    assert "Adoptée par l’assemblée : " in text
    text = html_text(_get(staff_client, f"/recommandations/equipe/{answered.pk}/modifier/", "fr"))
    assert "Statut : " in text and "Motif : Commission" in text


def test_english_labels_read_naturally(staff_client, answered):
    text = html_text(_get(staff_client, "/recommandations/", "en"))
    assert "Region's answer: " in text or "Region&#x27;s answer: " in text
    assert "From the proposals: " in text


def test_the_follow_up_links_to_proposals_by_their_route(anonymous_client, answered, adopted_proposal):
    # Served under a prefix (SCRIPT_NAME), a reversed link carries it; a path written by hand would not.
    set_script_prefix("/agora/")
    try:
        html = anonymous_client.get("/recommandations/").content.decode()
    finally:
        set_script_prefix("/")
    assert f'href="/agora{reverse("proposals:detail", args=[adopted_proposal.pk])}"' in html
