"""Pages of questionnaires: answering (save and finish later), the staff builder, results and exports."""

from __future__ import annotations

import pytest

from questionnaires import services as qs
from questionnaires.models import AnswerSheet, Questionnaire, Respondent
from tests import factories
from tests.questionnaires.conftest import question_keys

pytestmark = pytest.mark.django_db


def test_answer_page_has_one_widget_per_kind_with_fieldsets_and_labels(member_client, questionnaire):
    html = member_client.get(f"/votes/questionnaires/{questionnaire.pk}/").content.decode()
    keys, _choices = question_keys(questionnaire)
    assert html.count("<fieldset") == 4  # scale, single, multiple, ranking; free text is a labelled textarea
    assert f'<label for="q{keys[4]}">' in html and f'<textarea id="q{keys[4]}"' in html
    assert f'type="radio" id="q{keys[0]}-5"' in html  # scale 1–5
    assert f'type="checkbox" id="q{keys[2]}-1"' in html
    assert f'<select id="q{keys[3]}_3" name="q{keys[3]}_3"' in html  # one select per place
    assert "<h2>Général</h2>" in html
    assert "style=" not in html and "<script>" not in html


def test_member_saves_and_finishes_later(member_client, member, questionnaire):
    keys, choices = question_keys(questionnaire)
    url = f"/votes/questionnaires/{questionnaire.pk}/"
    response = member_client.post(url, {f"q{keys[1]}": choices[1][1], f"q{keys[4]}": "À suivre", "action": "save"})
    assert response.status_code == 302
    assert Respondent.objects.get(user=member).draft == {keys[1]: choices[1][1], keys[4]: "À suivre"}
    html = member_client.get(url).content.decode()
    assert f'value="{choices[1][1]}" checked' in html and "À suivre</textarea>" in html
    ranking = {f"q{keys[3]}_{i + 1}": c for i, c in enumerate(choices[3])}
    response = member_client.post(
        url,
        {f"q{keys[0]}": "4", f"q{keys[1]}": choices[1][1], f"q{keys[4]}": "À suivre", **ranking, "action": "submit"},
    )
    assert response.status_code == 302
    sheet = AnswerSheet.objects.get()
    assert sheet.answers == {keys[0]: 4, keys[1]: choices[1][1], keys[3]: choices[3], keys[4]: "À suivre"}
    assert Respondent.objects.get().finished
    assert "Vous avez répondu à ce questionnaire" in member_client.get(url).content.decode()


def test_a_bad_answer_is_shown_at_its_question_and_nothing_is_stored(member_client, questionnaire):
    keys, choices = question_keys(questionnaire)
    url = f"/votes/questionnaires/{questionnaire.pk}/"
    response = member_client.post(
        url,
        {f"q{keys[0]}": "3", f"q{keys[3]}_1": choices[3][0], f"q{keys[3]}_2": choices[3][0], "action": "submit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="q{keys[3]}-error"' in html and "Une option apparaît deux fois." in html
    assert f'aria-describedby="q{keys[3]}-error"' in html
    assert f'href="#q{keys[3]}-field"' in html
    response = member_client.post(url, {f"q{keys[0]}": "7", "action": "submit"})
    assert response.status_code == 400 and "Donnez un nombre de 1 à 5." in response.content.decode()
    assert not AnswerSheet.objects.exists() and not Respondent.objects.exists()


def test_closed_questionnaire_page_accepts_no_answer(member_client, staff, questionnaire):
    keys, _ = question_keys(questionnaire)
    qs.questionnaire_close(by=staff, questionnaire=questionnaire)
    url = f"/votes/questionnaires/{questionnaire.pk}/"
    assert '<form method="post" class="questionnaire"' not in member_client.get(url).content.decode()
    response = member_client.post(url, {f"q{keys[0]}": "3", "action": "submit"})
    assert response.status_code == 400 and "pas ouvert aux réponses" in response.content.decode()
    assert not AnswerSheet.objects.exists()


def test_member_list_shows_open_questionnaires(member_client, questionnaire):
    html = member_client.get("/votes/questionnaires/").content.decode()
    assert questionnaire.title in html and "/votes/questionnaires/nouveau/" not in html


def test_staff_builds_a_questionnaire_with_sections(staff_client, assembly):
    data = {
        "assembly": assembly.pk,
        "title": "Bilan des ateliers",
        "anonymous": "on",
        "sections": "Organisation\nContenu",
        "q-TOTAL_FORMS": "6",
        "q-INITIAL_FORMS": "0",
        "q-0-kind": "scale",
        "q-0-text": "Organisation satisfaisante ?",
        "q-0-required": "on",
        "q-0-section": "1",
        "q-1-kind": "ranking",
        "q-1-text": "Vos priorités",
        "q-1-choices": "Mobilités\nSanté\nLogement",
        "q-1-section": "2",
    }
    for i in range(2, 6):
        data[f"q-{i}-kind"] = "text"
    response = staff_client.post("/votes/questionnaires/nouveau/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    q = Questionnaire.objects.get(title="Bilan des ateliers")
    assert q.state == "draft" and q.anonymous
    assert [s.title for s in q.sections.order_by("position")] == ["Organisation", "Contenu"]
    ranking = q.questions.get(kind="ranking")
    assert ranking.section.title == "Contenu" and ranking.choices.count() == 3


def test_builder_shows_the_service_error(staff_client, assembly):
    response = staff_client.post(
        "/votes/questionnaires/nouveau/",
        {"assembly": assembly.pk, "title": "Vide", "q-TOTAL_FORMS": "1", "q-INITIAL_FORMS": "0", "q-0-kind": "text"},
    )
    assert response.status_code == 200 and "Ajoutez au moins une question." in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_member_cannot_build_or_see_results(member_client, questionnaire):
    assert member_client.get("/votes/questionnaires/nouveau/").status_code == 403
    assert member_client.get(f"/votes/questionnaires/{questionnaire.pk}/resultats/").status_code == 403
    assert member_client.get(f"/votes/questionnaires/{questionnaire.pk}/export.csv").status_code == 404


def test_results_page_splits_by_college_and_gender_with_bars(staff_client, staff, assembly, questionnaire):
    keys, _choices = question_keys(questionnaire)
    woman = factories.MandateFactory(assembly=assembly, college="elected", gender="woman").user
    man = factories.MandateFactory(assembly=assembly, college="citizen", gender="man").user
    qs.answers_submit(by=woman, questionnaire=questionnaire, answers={keys[0]: 5, keys[4]: "Trop court"})
    qs.answers_submit(by=man, questionnaire=questionnaire, answers={keys[0]: 2})
    html = staff_client.get(f"/votes/questionnaires/{questionnaire.pk}/resultats/").content.decode()
    assert "2 réponses" in html
    assert 'class="bar-fill w-100"' in html and 'class="bar-fill w-50"' in html
    assert "Trop court" in html
    for fmt in ("csv", "xlsx", "pdf"):
        assert f"/votes/questionnaires/{questionnaire.pk}/export.{fmt}" in html
        assert staff_client.get(f"/votes/questionnaires/{questionnaire.pk}/export.{fmt}").status_code == 200


def test_staff_opens_and_closes_from_the_results_page(staff_client, staff, assembly):
    q = qs.questionnaire_create(by=staff, assembly=assembly, title="Q", questions=[{"kind": "text", "text": "?"}])
    staff_client.post(f"/votes/questionnaires/{q.pk}/etat/", {"action": "open"})
    assert Questionnaire.objects.get(pk=q.pk).state == "open"
    staff_client.post(f"/votes/questionnaires/{q.pk}/etat/", {"action": "close"})
    assert Questionnaire.objects.get(pk=q.pk).state == "closed"
