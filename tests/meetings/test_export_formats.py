"""Every export answers only its own formats: any other is 404, never another format's file."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import QuestionnaireFactory

# Every route that takes an export format, with the formats it serves. A new export route joins this list.
EXPORT_ROUTES = {
    "calendrier/<id:pk>/inscrits.<str:fmt>",
    "cahiers/<id:pk>/export/<str:fmt>/",
    "dossiers/<id:pk>/export/<str:fmt>/",
    "<id:pk>/export.<str:fmt>",
    "questionnaires/<id:pk>/export.<str:fmt>",
    "gestion/seances/<id:sitting_id>/emargement.<str:fmt>",
    "proces-verbaux/<id:pk>/<str:fmt>/",
}


def _routes(patterns, found):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _routes(pattern.url_patterns, found)
        elif isinstance(pattern, URLPattern) and "fmt" in pattern.pattern.converters:
            found.add(str(pattern.pattern))
    return found


def test_every_export_route_is_covered_here():
    assert _routes(get_resolver().url_patterns, set()) == EXPORT_ROUTES


@pytest.mark.parametrize("fmt", ["xlsx", "foo", "ics", "PDF", "csv.pdf"])
def test_registrations_export_answers_404_for_an_unknown_format(staff_client, future_meeting, fmt):
    response = staff_client.get(f"/reunions/calendrier/{future_meeting.pk}/inscrits.{fmt}")
    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_registrations_export_serves_its_formats(staff_client, future_meeting, fmt):
    response = staff_client.get(f"/reunions/calendrier/{future_meeting.pk}/inscrits.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


@pytest.mark.parametrize(
    "url", ["/votes/questionnaires/{pk}/export.foo", "/api/v1/questionnaires/{pk}/export.ics"], ids=["page", "api"]
)
def test_questionnaire_export_answers_404_for_an_unknown_format(staff_client, assembly, url):
    questionnaire = QuestionnaireFactory(assembly=assembly)
    assert staff_client.get(url.format(pk=questionnaire.pk)).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "foo", "PDF", "csv.pdf"])
def test_attendance_sheet_answers_404_for_an_unknown_format(staff_client, sitting, fmt):
    response = staff_client.get(f"/votes/gestion/seances/{sitting.pk}/emargement.{fmt}")
    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")
