"""Staff pages: compile, edit, merge, split, adopt, build and transmit a dossier.

Each page: who may open it, a POST that succeeds, and a POST that fails with the service's
French message next to the field and nothing changed.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from proposals.models import Proposal
from recommendations import services
from recommendations.models import Dossier, Recommendation, RecommendationVersion
from tests import factories


@pytest.fixture
def second_draft(staff, assembly):
    proposal = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.ADOPTED, title="Des trains de nuit")
    return services.recommendation_compile(
        by=staff, assembly=assembly, title="Rouvrir les lignes de nuit", text="Des trains.", proposals=[proposal]
    )


@pytest.fixture
def draft_dossier(staff, assembly, adopted):
    return services.dossier_create(
        by=staff, assembly=assembly, title="Cahier d’été", date="2026-06-01", recipient="Région", recommendations=[]
    )


def _urls(draft, adopted) -> dict[str, str]:
    return {
        "staff": "/recommandations/equipe/",
        "compile": "/recommandations/equipe/nouvelle/",
        "merge": "/recommandations/equipe/fusionner/",
        "edit": f"/recommandations/equipe/{adopted.pk}/modifier/",
        "split": f"/recommandations/equipe/{draft.pk}/scinder/",
        "adopt": f"/recommandations/equipe/{draft.pk}/adopter/",
        "dossier_create": "/recommandations/equipe/cahiers/nouveau/",
    }


PAGES = ["staff", "compile", "merge", "edit", "split", "adopt", "dossier_create"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous_client", "login"), ("member_client", 403), ("partner_client", 403), ("staff_client", 200)],
)
def test_staff_pages_open_only_for_staff(request, page, role, expected, second_draft, adopted):
    client = request.getfixturevalue(role)
    url = _urls(second_draft, adopted)[page]
    response = client.get(url)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('assembly:sign_in')}?next={quote(url)}"
        return
    assert response.status_code == expected
    if expected == 200:
        assert "<form" in response.content.decode() or page == "staff"


@pytest.mark.parametrize("role", ["anonymous_client", "member_client", "partner_client"])
def test_only_staff_can_post_to_staff_pages(request, role, adopted_proposal, draft_dossier, second_draft, sitting):
    client = request.getfixturevalue(role)
    before = Recommendation.objects.count()
    posts = {
        "/recommandations/equipe/nouvelle/": {"proposals": [adopted_proposal.pk], "title": "T", "text": "X"},
        f"/recommandations/equipe/{second_draft.pk}/adopter/": {"mode": "consensus", "sitting": sitting.pk},
        f"/recommandations/equipe/cahiers/{draft_dossier.pk}/transmettre/": {},
        f"/recommandations/equipe/cahiers/{draft_dossier.pk}/recommandations/": {"recommendations": []},
    }
    for url, data in posts.items():
        response = client.post(url, data)
        if role == "anonymous_client":
            assert response.status_code == 302 and response["Location"].startswith(reverse("assembly:sign_in"))
        else:
            assert response.status_code == 403
    assert Recommendation.objects.count() == before
    second_draft.refresh_from_db()
    assert second_draft.status == Recommendation.Status.DRAFT
    draft_dossier.refresh_from_db()
    assert draft_dossier.status == Dossier.Status.DRAFT


# --- Compile ---------------------------------------------------------------------------------


def test_compile_page_offers_only_adopted_proposals(staff_client, assembly, adopted_proposal):
    factories.ProposalFactory(assembly=assembly, status=Proposal.Status.PUBLISHED, title="Encore en débat")
    html = staff_client.get("/recommandations/equipe/nouvelle/").content.decode()
    assert "Des cars express" in html
    assert "Encore en débat" not in html
    assert 'for="id_title"' in html  # every field has its label


def test_compile_page_creates_a_draft_with_lineage_and_the_adopting_ballot(
    staff_client, assembly, adopted_proposal, sitting
):
    ballot = factories.closed_ballot(sitting=sitting, yes=30, no=2)
    ballot.proposal = adopted_proposal
    ballot.save(update_fields=["proposal"])
    comment = factories.CommentFactory(proposal=adopted_proposal, body="Indispensable en zone rurale")
    response = staff_client.post(
        "/recommandations/equipe/nouvelle/",
        {
            "proposals": [adopted_proposal.pk],
            "title": "Des cars express partout",
            "text": "La Région crée des lignes.",
            "policy": "Plan régional des mobilités",
            "key_comments": [comment.pk],
        },
    )
    recommendation = Recommendation.objects.get(title="Des cars express partout")
    assert response.status_code == 302
    assert response["Location"] == f"/recommandations/{recommendation.pk}/"
    source = recommendation.sources.get()
    assert source.proposal == adopted_proposal and source.ballot == ballot
    assert list(recommendation.key_comments.all()) == [comment]
    assert recommendation.status == Recommendation.Status.DRAFT


def test_compile_page_shows_the_service_error_next_to_the_field_and_creates_nothing(
    staff_client, assembly, adopted_proposal
):
    response = staff_client.post(
        "/recommandations/equipe/nouvelle/", {"proposals": [], "title": "Sans proposition", "text": "Texte"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez au moins une proposition adoptée." in html
    assert 'aria-invalid="true"' in html or "field-error" in html
    assert not Recommendation.objects.exists()

    response = staff_client.post(
        "/recommandations/equipe/nouvelle/", {"proposals": [adopted_proposal.pk], "title": "é" * 301, "text": "T"}
    )
    # The form carries the service's limit, so the page refuses it before the service is called.
    assert "comporte au plus 300 caractères" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_compile_page_refuses_a_proposal_that_is_not_adopted(staff_client, assembly):
    proposal = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.PUBLISHED)
    response = staff_client.post(
        "/recommandations/equipe/nouvelle/", {"proposals": [proposal.pk], "title": "T", "text": "X"}
    )
    assert response.status_code == 400
    assert "choix valide" in response.content.decode()
    assert not Recommendation.objects.exists()


# --- Edit --------------------------------------------------------------------------------------


def _wording(recommendation, **changes):
    data = {"title": recommendation.title, "text": recommendation.text, "policy": recommendation.policy}
    data["themes"] = [t.pk for t in recommendation.themes.all()]
    data["territories"] = [t.pk for t in recommendation.territories.all()]
    return data | changes


def test_editing_an_adopted_recommendation_requires_a_reason_and_changes_nothing_without(staff_client, adopted):
    response = staff_client.post(
        f"/recommandations/equipe/{adopted.pk}/modifier/", _wording(adopted, title="Nouveau titre")
    )
    assert response.status_code == 400
    assert "Indiquez pourquoi une recommandation adoptée est modifiée." in response.content.decode()
    adopted.refresh_from_db()
    assert adopted.title == "Relier les villes moyennes" and adopted.version == 1
    assert not RecommendationVersion.objects.exists()


def test_editing_an_adopted_recommendation_keeps_the_version_shown_in_the_history(staff_client, adopted):
    response = staff_client.post(
        f"/recommandations/equipe/{adopted.pk}/modifier/",
        _wording(adopted, title="Relier toutes les villes moyennes", reason="Amendement de la commission"),
    )
    assert response.status_code == 302
    adopted.refresh_from_db()
    assert adopted.title == "Relier toutes les villes moyennes" and adopted.version == 2
    html = staff_client.get(f"/recommandations/equipe/{adopted.pk}/modifier/").content.decode()
    assert "v1 — Relier les villes moyennes" in html
    assert "Amendement de la commission" in html


# --- Merge and split -----------------------------------------------------------------------------


def test_merge_page_merges_two_drafts_with_all_their_sources(staff_client, compiled, second_draft):
    response = staff_client.post(
        "/recommandations/equipe/fusionner/",
        {"recommendations": [compiled.pk, second_draft.pk], "title": "Mobilités", "text": "Cars et trains."},
    )
    assert response.status_code == 302
    merged = Recommendation.objects.get()
    assert merged.title == "Mobilités"
    assert {s.proposal.title for s in merged.sources.all()} == {"Des cars express", "Des trains de nuit"}


def test_merge_page_refuses_a_single_draft(staff_client, compiled, second_draft):
    response = staff_client.post(
        "/recommandations/equipe/fusionner/", {"recommendations": [compiled.pk], "title": "Seule", "text": "X"}
    )
    assert response.status_code == 400
    assert "Choisissez au moins deux recommandations à fusionner." in response.content.decode()
    assert Recommendation.objects.count() == 2


def test_merge_page_offers_only_drafts(staff_client, adopted, second_draft):
    html = staff_client.get("/recommandations/equipe/fusionner/").content.decode()
    assert second_draft.title in html
    assert adopted.title not in html


@pytest.fixture
def two_source_draft(staff, assembly, adopted_proposal):
    other = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.ADOPTED, title="Des vélos")
    return services.recommendation_compile(
        by=staff, assembly=assembly, title="Mobilités douces", text="X", proposals=[adopted_proposal, other]
    ), other


def _split(client, draft, *parts):
    """Post the split page of DRAFT with PARTS, each (title, text, proposals)."""
    data = {}
    for number, (title, text, proposals) in enumerate(parts, start=1):
        data |= {f"part{number}_title": title, f"part{number}_text": text, f"part{number}_proposals": proposals}
    return client.post(f"/recommandations/equipe/{draft.pk}/scinder/", data)


def test_split_page_splits_a_draft_in_two(staff_client, two_source_draft, adopted_proposal):
    draft, other = two_source_draft
    response = _split(
        staff_client, draft, ("Cars", "Des cars.", [adopted_proposal.pk]), ("Vélos", "Des vélos.", [other.pk])
    )
    assert response.status_code == 302
    assert set(Recommendation.objects.values_list("title", flat=True)) == {"Cars", "Vélos"}


def test_split_page_refuses_a_proposal_left_out(staff_client, two_source_draft, adopted_proposal):
    draft, _other = two_source_draft
    response = _split(
        staff_client, draft, ("Cars", "Des cars.", [adopted_proposal.pk]), ("Rien", "Rien.", [adopted_proposal.pk])
    )
    assert response.status_code == 400
    assert "Chaque proposition d’origine doit aller dans l’une des parties." in response.content.decode()
    assert list(Recommendation.objects.values_list("pk", flat=True)) == [draft.pk]


# --- Adopt ---------------------------------------------------------------------------------------


def test_adopt_page_records_a_consensus_at_a_sitting(staff_client, compiled, sitting):
    response = staff_client.post(
        f"/recommandations/equipe/{compiled.pk}/adopter/",
        {"mode": "consensus", "sitting": sitting.pk, "on": "2026-03-14"},
    )
    assert response.status_code == 302
    compiled.refresh_from_db()
    assert compiled.status == Recommendation.Status.ADOPTED
    assert compiled.adoption_mode == "consensus" and str(compiled.adopted_on) == "2026-03-14"


def test_adopt_page_records_a_ballot_won(staff_client, compiled, sitting):
    ballot = factories.closed_ballot(sitting=sitting, yes=50, no=2, title="Adoptez-vous R001 ?")
    html = staff_client.get(f"/recommandations/equipe/{compiled.pk}/adopter/").content.decode()
    assert "Adoptez-vous R001 ?" in html
    response = staff_client.post(
        f"/recommandations/equipe/{compiled.pk}/adopter/", {"mode": "ballot", "ballot": ballot.pk}
    )
    assert response.status_code == 302
    compiled.refresh_from_db()
    assert compiled.adoption_ballot == ballot


def test_adopt_page_without_a_ballot_or_with_a_bad_date_changes_nothing(staff_client, compiled, sitting):
    response = staff_client.post(f"/recommandations/equipe/{compiled.pk}/adopter/", {"mode": "ballot"})
    assert response.status_code == 400
    assert "Choisissez le scrutin qui a adopté la recommandation." in response.content.decode()
    response = staff_client.post(
        f"/recommandations/equipe/{compiled.pk}/adopter/",
        {"mode": "consensus", "sitting": sitting.pk, "on": "14/03/2026"},
    )
    assert "« 14/03/2026 » n’est pas une date valide" in response.content.decode()
    compiled.refresh_from_db()
    assert compiled.status == Recommendation.Status.DRAFT


# --- Dossiers ------------------------------------------------------------------------------------


def test_dossier_page_creates_a_dossier_of_adopted_recommendations(staff_client, adopted, compiled):
    html = staff_client.get("/recommandations/equipe/cahiers/nouveau/").content.decode()
    assert "Relier les villes moyennes" in html
    response = staff_client.post(
        "/recommandations/equipe/cahiers/nouveau/",
        {
            "title": "Cahier d’automne",
            "date": "2026-10-01",
            "recipient": "Présidente de Région",
            "answer_due_on": "2026-12-31",
            "recommendations": [adopted.pk],
        },
    )
    dossier = Dossier.objects.get(title="Cahier d’automne")
    assert response.status_code == 302
    assert list(dossier.recommendations.all()) == [adopted]


def test_dossier_creation_with_a_bad_date_shows_the_message_and_creates_nothing(staff_client, adopted):
    response = staff_client.post(
        "/recommandations/equipe/cahiers/nouveau/",
        {"title": "Cahier", "date": "1er octobre", "recipient": "Région", "recommendations": [adopted.pk]},
    )
    assert response.status_code == 400
    assert "« 1er octobre » n’est pas une date valide" in response.content.decode()
    assert not Dossier.objects.exists()


def test_dossier_page_lets_staff_choose_recommendations_transmit_and_download(staff_client, draft_dossier, adopted):
    html = staff_client.get(f"/recommandations/cahiers/{draft_dossier.pk}/").content.decode()
    assert "Transmettre le cahier" in html
    assert "Ce cahier est vide" in html
    response = staff_client.post(
        f"/recommandations/equipe/cahiers/{draft_dossier.pk}/recommandations/", {"recommendations": [adopted.pk]}
    )
    assert response.status_code == 302
    response = staff_client.post(f"/recommandations/equipe/cahiers/{draft_dossier.pk}/transmettre/")
    assert response.status_code == 302
    draft_dossier.refresh_from_db()
    adopted.refresh_from_db()
    assert draft_dossier.status == Dossier.Status.TRANSMITTED
    assert adopted.status == Recommendation.Status.TRANSMITTED
    html = staff_client.get(f"/recommandations/cahiers/{draft_dossier.pk}/").content.decode()
    assert "Transmettre le cahier" not in html
    for fmt in ("pdf", "odt", "docx", "xlsx", "csv", "json"):
        assert f"/recommandations/cahiers/{draft_dossier.pk}/export/{fmt}/" in html


def test_transmitting_an_empty_dossier_is_refused_in_french(staff_client, draft_dossier):
    response = staff_client.post(f"/recommandations/equipe/cahiers/{draft_dossier.pk}/transmettre/", follow=True)
    assert "Ce cahier est vide : ajoutez d’abord des recommandations adoptées." in response.content.decode()
    draft_dossier.refresh_from_db()
    assert draft_dossier.status == Dossier.Status.DRAFT


def test_a_draft_recommendation_cannot_be_put_in_a_dossier(staff_client, draft_dossier, second_draft):
    response = staff_client.post(
        f"/recommandations/equipe/cahiers/{draft_dossier.pk}/recommandations/", {"recommendations": [second_draft.pk]}
    )
    assert response.status_code == 400
    assert "choix valide" in response.content.decode()
    assert not draft_dossier.items.exists()


def test_a_draft_dossier_page_is_staff_only(anonymous_client, member_client, partner_client, draft_dossier):
    for client in (member_client, partner_client):
        assert client.get(f"/recommandations/cahiers/{draft_dossier.pk}/").status_code == 403
    response = anonymous_client.get(f"/recommandations/cahiers/{draft_dossier.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/connexion/?next=")


def test_the_public_sees_a_transmitted_dossier_without_staff_forms(anonymous_client, transmitted):
    html = anonymous_client.get(f"/recommandations/cahiers/{transmitted.pk}/").content.decode()
    assert "Transmettre le cahier" not in html
    assert f"/recommandations/cahiers/{transmitted.pk}/export/pdf/" in html


def test_the_follow_up_page_links_to_the_staff_pages_for_staff_only(anonymous_client, member_client, staff_client):
    assert "/recommandations/equipe/" in staff_client.get("/recommandations/").content.decode()
    for client in (anonymous_client, member_client):
        assert "/recommandations/equipe/" not in client.get("/recommandations/").content.decode()
