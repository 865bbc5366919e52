def test_healthz_reports_database_and_cache(anonymous_client, db):
    response = anonymous_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_healthz_is_unhealthy_when_the_cache_fails(anonymous_client, db, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(cache, "set", broken)
    response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"
