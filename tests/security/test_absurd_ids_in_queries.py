"""An id past the key range in a list's filter (query string) is an invalid filter, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ABSURD = str(10**20)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/proposals/?territory={ABSURD}",
        f"/api/v1/proposals/?departement={ABSURD}",
        f"/api/v1/recommendations/?theme={ABSURD}",
        f"/api/v1/recommendations/?territory={ABSURD}",
    ],
)
def test_a_list_filtered_by_an_absurd_id_answers_without_a_server_error(member_client, url):
    response = member_client.get(url)
    assert response.status_code in (200, 400), (url, response.status_code)


@pytest.mark.parametrize(
    "path", [f"/api/v1/proposals/{ABSURD}/", "/api/v1/no-such-thing/", f"/api/v1/ballots/{2**63}/votes/"]
)
def test_an_api_address_no_route_matches_is_a_404_in_the_api_error_shape(member_client, path):
    response = member_client.post(path, "{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
