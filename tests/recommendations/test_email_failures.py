"""A mail server failure after the commit is logged: the request succeeds, nothing is recorded twice."""

import logging

import pytest
from django.test import TestCase

from recommendations import services
from recommendations.models import RegionAnswer

pytestmark = pytest.mark.django_db


def test_answer_is_recorded_once_and_no_error_when_smtp_fails(staff, transmitted, adopted, mail_server_down, caplog):
    with caplog.at_level(logging.ERROR, logger="agora.emails"), TestCase.captureOnCommitCallbacks(execute=True):
        answer = services.answer_record(
            by=staff, recommendation=adopted, status="accepted", text="Oui", answered_on="2026-05-01"
        )
    assert RegionAnswer.objects.filter(recommendation=adopted).count() == 1 and answer.pk
    assert "Email not sent" in caplog.text


def test_reminders_survive_a_failing_mail_server(staff, transmitted, adopted, mail_server_down, caplog):
    import datetime as dt

    with caplog.at_level(logging.ERROR, logger="agora.emails"), TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send(today=dt.date(2026, 7, 2)) == [adopted]
    assert "overdue answers reminder" in caplog.text


def test_the_answer_page_redirects_when_smtp_fails(staff_client, transmitted, adopted, mail_server_down):
    data = {"status": "accepted", "text": "Oui", "answered_on": "2026-05-01", "reference": "", "expected_on": ""}
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff_client.post(f"/recommandations/{adopted.pk}/reponse/", data)
    assert response.status_code == 302
    assert RegionAnswer.objects.filter(recommendation=adopted).count() == 1
