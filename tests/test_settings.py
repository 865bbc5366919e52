"""Settings come from the environment: bad values stop start-up naming the variable; production is clean."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables the runner may have set (e.g. to test against PostgreSQL) that would blur these tests.
CLEARED = (
    "AGORA_ENV", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
    "CSRF_TRUSTED_ORIGINS", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "LANGUAGE_CODE",
)  # fmt: skip


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environ.update(DJANGO_SETTINGS_MODULE="backend.settings", AGORA_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120, check=False
    )


def _setup(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return _run(["-c", "import django; django.setup()"], tmp_path, **env)


def test_defaults_start(tmp_path):
    result = _setup(tmp_path)
    assert result.returncode == 0, result.stderr


def test_database_connections_are_closed_after_each_request_by_default(tmp_path):
    """Under the ASGI server a kept connection stays open with its request's thread: none are kept."""
    show = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default'])"
    result = _run(["-c", show], tmp_path, DATABASE_URL="postgres://agora@127.0.0.1:5432/agora")
    assert result.returncode == 0, result.stderr
    assert "'CONN_MAX_AGE': 0," in result.stdout


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"DATABASE_URL": "nonsense://"}, "DATABASE_URL"),
        ({"AGORA_ENV": "production", "ALLOWED_HOSTS": "agora.example.org"}, "SECRET_KEY"),
        ({"AGORA_ENV": "production", "SECRET_KEY": "short", "ALLOWED_HOSTS": "a.example.org"}, "SECRET_KEY"),
        ({"AGORA_ENV": "staging"}, "AGORA_ENV"),
        ({"SIGN_IN_MAX_FAILURES": "many"}, "SIGN_IN_MAX_FAILURES"),
        ({"SIGN_IN_LINK_MAX_AGE": "5"}, "SIGN_IN_LINK_MAX_AGE"),
        ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_TLS"),
        ({"LANGUAGE_CODE": "de"}, "LANGUAGE_CODE"),
        (
            {"DATABASE_URL": "postgres://agora@127.0.0.1:5432/agora", "DATABASE_CONN_MAX_AGE": "-1"},
            "DATABASE_CONN_MAX_AGE",
        ),
        # A check-in code must outlive its rotation (here 10 minutes for codes valid 15).
        ({"MEETINGS_CHECKIN_QR_ROTATION": "600"}, "MEETINGS_CHECKIN_QR_ROTATION"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else value,
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, env, named):
    result = _setup(tmp_path, **env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert f"{named}:" in last_line or f"{named} " in last_line


def test_check_deploy_is_clean_with_a_production_environment(tmp_path):
    key = "".join(secrets.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(60))
    result = _run(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        AGORA_ENV="production",
        SECRET_KEY=key,
        ALLOWED_HOSTS="agora.example.org",
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output
