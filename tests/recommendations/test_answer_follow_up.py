"""A Region's answer with a follow-up keeps its date; a final answer with a date is refused on the field;
a follow-up date already past shows as late."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from core.errors import ValidationFailed
from recommendations import services
from recommendations.models import RegionAnswer


@pytest.mark.parametrize("status", ["partly_accepted", "under_study"])
def test_an_answer_with_a_follow_up_keeps_its_expected_date(staff, transmitted, adopted, status):
    answer = services.answer_record(
        by=staff,
        recommendation=adopted,
        status=status,
        text="Retenue pour le volet transport ; le reste à l'étude.",
        answered_on="2026-05-02",
        expected_on="2026-09-30",
    )
    answer.refresh_from_db()
    assert answer.expected_on == dt.date(2026, 9, 30)
    adopted.refresh_from_db()
    assert adopted.answer_due_on == dt.date(2026, 9, 30)


@pytest.mark.parametrize("status", ["accepted", "not_accepted"])
def test_a_final_answer_with_an_expected_date_is_refused_on_the_field(staff, transmitted, adopted, status):
    with pytest.raises(ValidationFailed) as caught:
        services.answer_record(
            by=staff,
            recommendation=adopted,
            status=status,
            text="Réponse définitive.",
            answered_on="2026-05-02",
            expected_on="2026-09-30",
        )
    assert caught.value.field == "expected_on"
    assert not RegionAnswer.objects.exists()


def test_the_database_refuses_a_date_on_a_final_answer(staff, transmitted, adopted):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionAnswer.objects.create(
            recommendation=adopted,
            status="accepted",
            text="Oui",
            answered_on=dt.date(2026, 5, 2),
            expected_on=dt.date(2026, 9, 30),
            recorded_by=staff,
        )


def test_the_api_answers_400_on_expected_on_for_a_final_answer(staff_client, transmitted, adopted):
    response = staff_client.post(
        f"/api/v1/recommendations/{adopted.pk}/answers/",
        {"status": "accepted", "text": "Oui", "answered_on": "2026-05-02", "expected_on": "2026-09-30"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "expected_on" in response.json()["error"]["fields"]


def test_a_follow_up_date_already_past_shows_as_late(staff, anonymous_client, transmitted, adopted):
    services.answer_record(
        by=staff,
        recommendation=adopted,
        status="partly_accepted",
        text="Retenue en partie.",
        answered_on="2026-05-02",
        expected_on="2026-06-30",
    )
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        assert "en retard" not in anonymous_client.get(f"/recommandations/{adopted.pk}/").content.decode()
    with time_machine.travel(dt.datetime(2026, 7, 15, 12, tzinfo=dt.UTC), tick=False):
        html = anonymous_client.get(f"/recommandations/{adopted.pk}/").content.decode()
        assert "en retard" in html
        assert "Suite attendue pour le" in html
        assert RegionAnswer.objects.get().late
