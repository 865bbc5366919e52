"""schemathesis over the published OpenAPI schema, against a real server, as several roles.

Bounded: a few examples per operation and role. Every response must be free of server errors
and conform to the schema (status code documented, body matching its declared shape). The server
runs on SQLite, or, when DATABASE_URL names a PostgreSQL database, on a database of its own beside
that one (and REDIS_URL).
Figures (requests, failures) are printed at the end for docs/quality.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter

import pytest

from tests.e2e.server import BASE_DIR, LiveServer, scratch_dir

pytestmark = pytest.mark.slow

MAX_EXAMPLES = int(os.environ.get("AGORA_FUZZ_EXAMPLES", "4"))
# AGORA_FUZZ_DEBUG=1 prints each failing check in full (the value, the schema it broke).
DEBUG = bool(os.environ.get("AGORA_FUZZ_DEBUG"))
QUALITY_DIR = BASE_DIR / "var" / "quality"
# These fail the test: a server error, or a documented response whose body breaks its schema.
# The rest (a status code or content type the schema does not list) are documentation gaps,
# counted in var/quality/schemathesis.json and docs/quality.md.
HARD_FAILURES = ("Server error", "violates schema", "Response violates")
# Hard failures found and reported to the owning app, tolerated until fixed (then delete the line):
# any failure not listed here fails the test. Entries are operation labels, "GET /api/v1/meetings/".
KNOWN_FAILURES: set[str] = set()


def _server_database(create: bool) -> str | None:
    """With DATABASE_URL on PostgreSQL, the server's own database beside the test one ("<name>_server").

    CREATE makes it afresh; otherwise it is dropped. On SQLite (the default) the server has its own file.
    """
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_server"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="module")
def api_server():
    root = scratch_dir("agora-fuzz-")
    database_url = _server_database(create=True)
    server = LiveServer(
        root=root,
        database_url=database_url,
        redis_url=os.environ.get("REDIS_URL") if database_url else None,
        # Unthrottled through the rates the settings read (API_THROTTLE_*), so every request is explored.
        extra_env={"API_THROTTLE_ANON": "1000000/min", "API_THROTTLE_USER": "1000000/min"},
    )
    server.prepare(seed=True)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)
    if database_url:
        _server_database(create=False)


def _runner(operation, role, headers, base_url, session, checks, failures, counter):
    from hypothesis import HealthCheck, Phase, given, settings

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(base_url=base_url, session=session, headers=headers)
        counter["sent"] += 1
        try:
            case.validate_response(response, checks=checks)
        except BaseException as exc:
            for failure in getattr(exc, "exceptions", [exc]):
                title = getattr(failure, "title", "") or type(failure).__name__
                failures.append(f"{operation.label} as {role}: {title} ({response.status_code})")
                if DEBUG:
                    request = f"{response.request.method} {response.request.url} {response.request.headers}"
                    print(f"\n--- {operation.label} as {role}: {title}\n{str(failure)[:1500]}\n{request[:600]}")
                    print(f"body: {response.request.body!r:.300}\nanswer: {response.headers} {response.content!r:.300}")
            raise

    return run


def test_api_answers_every_generated_request_without_server_error_and_within_its_schema(api_server):
    import requests
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    cast = api_server.script("people", members=1, prefix="fuzz")
    roles = {
        "anonymous": {},
        "member": {"Authorization": f"Token {cast['members'][0]['token']}"},
        "staff": {"Authorization": f"Token {cast['staff']['token']}"},
    }
    schema = schemathesis.openapi.from_url(api_server.url + "/api/schema/")
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    session = requests.Session()
    counter = {"sent": 0}
    failures: list[str] = []
    errors: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for role, headers in roles.items():
            run = _runner(operation, role, headers, api_server.url, session, checks, failures, counter)
            before = len(failures)
            try:
                run()
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                if len(failures) == before:  # not a check failure: the generation itself broke
                    errors.append(f"{operation.label} as {role}: {type(exc).__name__}: {exc}"[:300])
    unique = sorted(set(failures))
    hard = [f for f in unique if any(marker in f for marker in HARD_FAILURES) or re.search(r"\(5\d\d\)$", f)]
    soft = Counter(f.split(": ", 1)[1] for f in unique if f not in hard)
    summary = {
        "operations": operations,
        "roles": list(roles),
        "requests": counter["sent"],
        "server_errors_or_body_violations": len(hard),
        "known": sorted(f for f in hard if f.split(" as ")[0] in KNOWN_FAILURES),
        "documentation_gaps": dict(soft),
    }
    print(f"\nschemathesis: {json.dumps(summary, ensure_ascii=False)}")
    QUALITY_DIR.mkdir(parents=True, exist_ok=True)
    (QUALITY_DIR / "schemathesis.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    assert not errors, "\n".join(errors)
    assert operations > 0 and counter["sent"] > 0
    new = [f for f in hard if f.split(" as ")[0] not in KNOWN_FAILURES]
    assert not new, "\n".join(new) + "\n\n" + api_server.log_tail(40)
