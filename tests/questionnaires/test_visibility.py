"""One rule, `questionnaires.view_questionnaire`, decides who sees a questionnaire's questions, on the page and in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.services import calendar as cal
from questionnaires import services as qs
from tests.questionnaires.conftest import questionnaire_open_to_members

pytestmark = pytest.mark.django_db


def _statuses(client, q) -> tuple[int, int]:
    page = client.get(reverse("questionnaires:questionnaire_answer", args=[q.pk]))
    api = client.get(f"/api/v1/questionnaires/{q.pk}/")
    return page.status_code, api.status_code


def test_meeting_questionnaire_is_hidden_from_members_outside_its_audience(
    member_client, member, staff, staff_client, assembly, future_meeting
):
    q = questionnaire_open_to_members(staff, assembly, meeting=future_meeting)
    assert _statuses(member_client, q) == (404, 404)
    assert not member.has_perm("questionnaires.view_questionnaire", q)
    cal.registration_register(by=member, meeting=future_meeting)
    assert _statuses(member_client, q) == (200, 200)
    assert _statuses(staff_client, q) == (200, 200)


def test_partner_and_draft_questionnaires_are_hidden(partner_client, member_client, staff, staff_client, assembly):
    q = questionnaire_open_to_members(staff, assembly)
    assert _statuses(partner_client, q) == (404, 404)
    assert _statuses(member_client, q) == (200, 200)
    draft = qs.questionnaire_create(
        by=staff, assembly=assembly, title="Brouillon", questions=[{"kind": "text", "text": "Avis"}]
    )
    assert _statuses(member_client, draft) == (404, 404)
    assert _statuses(staff_client, draft) == (200, 200)
