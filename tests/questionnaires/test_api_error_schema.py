"""Questionnaire creation refuses bad input in the one error shape, as the published schema declares it."""

from __future__ import annotations

import pytest

from questionnaires.models import Questionnaire
from tests.assembly.openapi import assert_conforms

pytestmark = pytest.mark.django_db


def test_errors_of_nested_questions_are_documented_by_the_error_schema(staff_client, assembly):
    response = staff_client.post(
        "/api/v1/questionnaires/",
        {
            "assembly": assembly.pk,
            "title": "Évaluation de la plénière",
            "questions": [{"kind": "text", "text": "Qu’avez-vous retenu ?"}, {"kind": "nope", "text": ""}],
            "sections": ["x" * 201],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    # Nested like the input: by position in a list, then by field of the question.
    assert set(fields["questions"]["1"]) == {"kind", "text"}
    assert list(fields["sections"]) == ["0"]
    assert_conforms(response, "/api/v1/questionnaires/", "post")
    assert not Questionnaire.objects.exists()
