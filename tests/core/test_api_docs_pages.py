"""Swagger UI and ReDoc come from the project's static files, with scripts from the site only."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_api_docs_pages_load_nothing_from_elsewhere(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    for outside in ("cdn.jsdelivr.net", "googleapis", "cdn.redoc.ly", "unpkg.com"):
        assert outside not in html
    assert "<script>" not in html  # no inline script: the CSP allows scripts from the site only
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp or csp.endswith("script-src 'self'")


def test_swagger_ui_start_up_script_is_a_file_of_the_site(client, db):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
