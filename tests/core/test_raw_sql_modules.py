"""Plain SQL lives only in `*_sql.py` modules (each pinned to its ORM equivalent by a test) and in
migrations; everywhere else the code goes through the ORM."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "assembly", "proposals", "meetings", "questionnaires", "votes", "recommendations", "realtime"]
RAW = re.compile(r"\.cursor\(|\bRawSQL\(|\.raw\(|\.extra\(|\bexecute\(")


def test_plain_sql_is_only_in_sql_modules_and_migrations():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name.endswith("_sql.py") or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if RAW.search(line) and not line.lstrip().startswith("#"):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "plain SQL outside *_sql.py:\n" + "\n".join(offenders)


def test_every_sql_module_has_its_pinning_test():
    modules = [p for app in APPS for p in (ROOT / app).rglob("*_sql.py")]
    assert len(modules) >= 5
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    for module in modules:
        dotted = ".".join(module.relative_to(ROOT).with_suffix("").parts)
        package, name = dotted.rsplit(".", 1)
        imported = re.search(rf"from {re.escape(package)} import [^\n]*\b{name}\b", tests)
        assert f"from {dotted} import" in tests or imported, f"no test imports {dotted}"
