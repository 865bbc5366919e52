"""Every environment variable a test or a bench sets is read by something: a variable nobody reads
(the fuzz test once set AGORA_THROTTLE_OFF, read by nothing, and ran throttled) proves nothing."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
NAME = r"[A-Z][A-Z0-9_]{2,}"
# Where tests and benches set variables for a process they start or for themselves.
SETTERS = [
    re.compile(r"extra_env=\{([^}]*)\}", re.S),  # LiveServer(extra_env={...})
    re.compile(r"env\.update\(\s*\{([^}]*)\}", re.S),  # a child process's environment
    re.compile(rf"(?:environ|env)\[\"({NAME})\"\]\s*=[^=]"),
    re.compile(rf"setenv\(\s*\"({NAME})\""),
]
# Read by Python, Django or the libraries themselves, not by the project's code.
READ_OUTSIDE = {"PYTHONUNBUFFERED", "PYTHONPATH", "DJANGO_SETTINGS_MODULE"}
# A read: env_str("X"), os.environ.get("X"), os.getenv("X"), os.environ["X"] (not followed by "=").
READERS = re.compile(rf"(?:env_\w+\(|environ\.get\(|getenv\()\s*\"({NAME})\"|environ\[\"({NAME})\"\](?!\s*=[^=])")


def _python_files(*folders: str):
    for folder in folders:
        yield from (BASE_DIR / folder).rglob("*.py")


def _set_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for path in _python_files("tests", "bench"):
        text = path.read_text(encoding="utf-8")
        for pattern in SETTERS:
            for match in pattern.finditer(text):
                for name in re.findall(rf"\"({NAME})\"\s*:", match.group(1)) or [match.group(1)]:
                    if re.fullmatch(NAME, name):
                        names.setdefault(name, str(path.relative_to(BASE_DIR)))
    return names


def _read_names() -> set[str]:
    apps = ["assembly", "proposals", "meetings", "questionnaires", "votes", "recommendations", "realtime"]
    folders = ["backend", "core", "tests", "bench", "scripts", *apps]
    found: set[str] = set()
    for path in _python_files(*folders):
        found.update(name for pair in READERS.findall(path.read_text(encoding="utf-8")) for name in pair if name)
    return found


def test_the_scan_finds_what_the_tests_set():
    names = _set_names()
    assert {"AGORA_VAR_DIR", "LOG_LEVEL", "API_THROTTLE_ANON", "SITE_URL"} <= set(names)


def test_every_variable_set_by_a_test_or_a_bench_is_read():
    read = _read_names() | READ_OUTSIDE
    unread = {name: where for name, where in _set_names().items() if name not in read}
    assert unread == {}, f"set but read by nothing: {unread}"
