"""The public follow-up page, dossier downloads, and the recommendations API (compile, edit, answer)."""

import json

import pytest

from recommendations.models import Recommendation, RegionAnswer
from tests import factories


def test_public_follow_up_page_lists_adopted_recommendations_with_answer_and_lineage(
    anonymous_client, adopted, compiled
):
    draft = factories.RecommendationFactory(assembly=adopted.assembly, title="Brouillon secret")
    response = anonymous_client.get("/recommandations/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Relier les villes moyennes" in html
    assert "Des cars express" in html  # lineage back to the proposal
    assert "En attente de la réponse de la Région" in html
    assert draft.title not in html


def test_follow_up_page_filters_by_status_theme_and_year(anonymous_client, staff, transmitted, adopted):
    from recommendations import services

    services.answer_record(by=staff, recommendation=adopted, status="accepted", text="Oui", answered_on="2026-05-01")
    theme = adopted.themes.first()
    assert "Relier" in anonymous_client.get("/recommandations/?answer=accepted").content.decode()
    assert "Relier" not in anonymous_client.get("/recommandations/?answer=not_accepted").content.decode()
    assert "Relier" in anonymous_client.get(f"/recommandations/?theme={theme.slug}").content.decode()
    year = adopted.adopted_on.year
    assert "Relier" not in anonymous_client.get(f"/recommandations/?year={year - 1}").content.decode()


def test_detail_page_shows_ballot_results_by_college(anonymous_client, adopted):
    html = anonymous_client.get(f"/recommandations/{adopted.pk}/").content.decode()
    assert "Collège" in html or "élus" in html
    assert "Ensemble des votants" in html


def test_a_draft_is_not_public(anonymous_client, member_client, compiled):
    response = anonymous_client.get(f"/recommandations/{compiled.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/connexion/?next=")
    assert member_client.get(f"/recommandations/{compiled.pk}/").status_code == 403


@pytest.mark.parametrize("fmt", ["pdf", "odt", "docx", "xlsx", "csv", "json"])
def test_anyone_downloads_a_transmitted_dossier(anonymous_client, transmitted, fmt):
    response = anonymous_client.get(f"/recommandations/cahiers/{transmitted.pk}/export/{fmt}/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert len(body) > 100
    assert transmitted.reference in response["Content-Disposition"]


def test_the_json_export_carries_no_contact_details(anonymous_client, transmitted, adopted):
    response = anonymous_client.get(f"/api/v1/dossiers/{transmitted.pk}/export/json/")
    body = b"".join(response.streaming_content).decode()
    data = json.loads(body)
    assert data["recommendations"][0]["sources"][0]["title"] == "Des cars express"
    assert "@" not in body  # no email address anywhere


def test_exporting_an_empty_dossier_is_a_clear_error(staff_client, staff, assembly):
    from recommendations import services

    dossier = services.dossier_create(by=staff, assembly=assembly, title="Vide", date="2026-04-01", recipient="Région")
    response = staff_client.get(f"/api/v1/dossiers/{dossier.pk}/export/pdf/")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "empty_dossier"


def test_a_draft_dossier_is_not_exported_for_the_public(anonymous_client, staff, assembly, adopted):
    from recommendations import services

    dossier = services.dossier_create(
        by=staff, assembly=assembly, title="Projet", date="2026-04-01", recipient="Région", recommendations=[adopted]
    )
    assert anonymous_client.get(f"/api/v1/dossiers/{dossier.pk}/export/csv/").status_code == 403


def test_api_compile_refuses_a_proposal_that_is_not_adopted(staff_client, assembly):
    proposal = factories.ProposalFactory(assembly=assembly)
    response = staff_client.post(
        "/api/v1/recommendations/",
        {"title": "T", "text": "X", "proposals": [proposal.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "proposal_not_adopted"
    assert not Recommendation.objects.exists()


def test_staff_compile_through_the_api_with_the_source_proposals(staff_client, adopted_proposal):
    response = staff_client.post(
        "/api/v1/recommendations/",
        {"title": "Titre", "text": "Texte", "proposals": [adopted_proposal.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["source_proposals"] == [adopted_proposal.pk]


def test_api_edit_by_a_member_is_refused(member_client, adopted):
    response = member_client.put(
        f"/api/v1/recommendations/{adopted.pk}/", {"title": "X", "text": "Y"}, content_type="application/json"
    )
    assert response.status_code == 403
    adopted.refresh_from_db()
    assert adopted.title == "Relier les villes moyennes"


def test_the_api_refuses_an_answer_date_in_the_wrong_format(staff_client, transmitted, adopted):
    response = staff_client.post(
        f"/api/v1/recommendations/{adopted.pk}/answers/",
        {"status": "accepted", "text": "Oui", "answered_on": "01/05/2026"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "answered_on" in response.json()["error"]["fields"]
    assert not RegionAnswer.objects.exists()


def test_an_api_answer_to_a_never_transmitted_recommendation_is_a_conflict(staff_client, adopted):
    response = staff_client.post(
        f"/api/v1/recommendations/{adopted.pk}/answers/",
        {"status": "accepted", "text": "Oui", "answered_on": "2026-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_transmitted"


def test_the_recommendations_endpoints_are_in_the_openapi_schema(anonymous_client):
    schema = anonymous_client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/recommendations/",
        "/api/v1/recommendations/{id}/answers/",
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{id}/export/{fmt}/",
    ):
        assert path in schema["paths"], path


@pytest.mark.parametrize("url", ["/recommandations/cahiers/{pk}/export/{fmt}/", "/api/v1/dossiers/{pk}/export/{fmt}/"])
@pytest.mark.parametrize("fmt", ["foo", "ics", "PDF"])
def test_a_dossier_export_in_an_unknown_format_is_404(anonymous_client, transmitted, url, fmt):
    assert anonymous_client.get(url.format(pk=transmitted.pk, fmt=fmt)).status_code == 404
