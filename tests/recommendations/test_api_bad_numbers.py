"""Numbers out of range in the recommendations API are refused on their field, never a server error."""

from __future__ import annotations

import pytest

from recommendations.models import Recommendation
from tests.assembly.openapi import assert_conforms

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "-5", "99999", "1e30"])
def test_a_year_out_of_range_is_a_bad_request_on_its_field(anonymous_client, year):
    response = anonymous_client.get("/api/v1/recommendations/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()["error"]["fields"]
    assert_conforms(response, "/api/v1/recommendations/")


def test_a_year_in_range_filters(anonymous_client):
    response = anonymous_client.get("/api/v1/recommendations/", {"year": "2024"})
    assert response.status_code == 200


@pytest.mark.parametrize("field", ["proposals", "key_comments", "key_opinions"])
def test_compiling_with_an_id_past_the_key_range_is_refused_on_its_field(staff_client, field):
    body = {"title": "Des bus le dimanche", "text": "…", "proposals": [1], field: [2**64]}
    response = staff_client.post("/api/v1/recommendations/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert_conforms(response, "/api/v1/recommendations/", "post")
    assert not Recommendation.objects.exists()
