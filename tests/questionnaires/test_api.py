"""The questionnaire API: answering, drafts, results and exports, building; bad input gets a clear French error and changes nothing."""

from __future__ import annotations

import pytest

from questionnaires import services as qs
from questionnaires.models import AnswerSheet, Respondent
from tests.questionnaires.conftest import question_keys

pytestmark = pytest.mark.django_db


def test_member_reads_saves_and_submits(member_client, questionnaire):
    keys, choices = question_keys(questionnaire)
    assert [q["id"] for q in member_client.get("/api/v1/questionnaires/").json()] == [questionnaire.pk]
    detail = member_client.get(f"/api/v1/questionnaires/{questionnaire.pk}/").json()
    assert [q["kind"] for q in detail["questions"]] == ["scale", "single", "multiple", "ranking", "text"]
    assert detail["mine"] == {"started": False, "finished": False, "draft": {}}
    response = member_client.put(
        f"/api/v1/questionnaires/{questionnaire.pk}/draft/",
        {"answers": {keys[1]: choices[1][1]}},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["draft"] == {keys[1]: choices[1][1]}
    assert member_client.get(f"/api/v1/questionnaires/{questionnaire.pk}/").json()["mine"]["started"] is True
    response = member_client.post(
        f"/api/v1/questionnaires/{questionnaire.pk}/submit/",
        {"answers": {keys[0]: 4, keys[1]: choices[1][1], keys[3]: choices[3]}},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert AnswerSheet.objects.get().answers[keys[0]] == 4


def test_a_scale_answer_of_7_is_refused_on_its_question(member_client, questionnaire):
    keys, _ = question_keys(questionnaire)
    response = member_client.post(
        f"/api/v1/questionnaires/{questionnaire.pk}/submit/", {"answers": {keys[0]: 7}}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {f"q{keys[0]}": ["Donnez un nombre de 1 à 5."]}
    assert not AnswerSheet.objects.exists() and not Respondent.objects.exists()


def test_a_ranking_with_duplicates_is_refused_on_its_question(member_client, questionnaire):
    keys, choices = question_keys(questionnaire)
    ranking = [choices[3][0], choices[3][0], choices[3][1]]
    for method, url in (("put", "draft"), ("post", "submit")):
        response = getattr(member_client, method)(
            f"/api/v1/questionnaires/{questionnaire.pk}/{url}/",
            {"answers": {keys[0]: 3, keys[3]: ranking}},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {f"q{keys[3]}": ["Une option apparaît deux fois."]}
    assert not AnswerSheet.objects.exists() and not Respondent.objects.exists()


def test_answering_twice_is_refused(member_client, member, questionnaire):
    keys, _ = question_keys(questionnaire)
    qs.answers_submit(by=member, questionnaire=questionnaire, answers={keys[0]: 2})
    response = member_client.post(
        f"/api/v1/questionnaires/{questionnaire.pk}/submit/", {"answers": {keys[0]: 5}}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "already_answered",
        "message": "Vous avez déjà répondu à ce questionnaire.",
    }
    assert AnswerSheet.objects.get().answers[keys[0]] == 2


def test_answering_a_closed_questionnaire_is_refused(member_client, staff, questionnaire):
    keys, _ = question_keys(questionnaire)
    qs.questionnaire_close(by=staff, questionnaire=questionnaire)
    response = member_client.post(
        f"/api/v1/questionnaires/{questionnaire.pk}/submit/", {"answers": {keys[0]: 5}}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Ce questionnaire n’est pas ouvert aux réponses."
    assert not AnswerSheet.objects.exists()


def test_results_and_exports_are_for_staff(staff_client, member_client, member, questionnaire):
    keys, _choices = question_keys(questionnaire)
    qs.answers_submit(by=member, questionnaire=questionnaire, answers={keys[0]: 4, keys[4]: "Très bien"})
    assert member_client.get(f"/api/v1/questionnaires/{questionnaire.pk}/results/").status_code == 403
    result = staff_client.get(f"/api/v1/questionnaires/{questionnaire.pk}/results/").json()
    assert result["answers"] == 1
    assert result["questions"][0]["rows"][3]["counts"]["all"] == 1
    assert result["questions"][4]["texts"] == ["Très bien"]
    csv = staff_client.get(f"/api/v1/questionnaires/{questionnaire.pk}/export.csv")
    assert "Très bien" in csv.content.decode("utf-8-sig")
    assert staff_client.get(f"/api/v1/questionnaires/{questionnaire.pk}/export.xlsx").content[:2] == b"PK"
    assert staff_client.get(f"/api/v1/questionnaires/{questionnaire.pk}/export.pdf").content[:4] == b"%PDF"
    assert member_client.get(f"/api/v1/questionnaires/{questionnaire.pk}/export.csv").status_code == 403


def test_staff_creates_opens_and_closes_a_questionnaire(staff_client, member_client, assembly):
    response = staff_client.post(
        "/api/v1/questionnaires/",
        {
            "assembly": assembly.pk,
            "title": "Bilan",
            "sections": ["Ateliers"],
            "questions": [{"kind": "scale", "text": "Utile ?", "required": True, "section": 0}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert member_client.get(f"/api/v1/questionnaires/{pk}/").status_code == 404  # still in preparation
    assert staff_client.post(f"/api/v1/questionnaires/{pk}/open/", {}, content_type="application/json").json()[
        "accepting"
    ]
    assert member_client.get(f"/api/v1/questionnaires/{pk}/").status_code == 200
    assert (
        staff_client.post(f"/api/v1/questionnaires/{pk}/close/", {}, content_type="application/json").json()["state"]
        == "closed"
    )
    bad = staff_client.post(
        "/api/v1/questionnaires/",
        {"assembly": assembly.pk, "title": "X", "questions": [{"kind": "single", "text": "Q", "choices": ["Seul"]}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "questions" in bad.json()["error"]["fields"]


def test_member_cannot_create_a_questionnaire(member_client, assembly):
    response = member_client.post(
        "/api/v1/questionnaires/",
        {"assembly": assembly.pk, "title": "X", "questions": [{"kind": "text", "text": "Q"}]},
        content_type="application/json",
    )
    assert response.status_code == 403
