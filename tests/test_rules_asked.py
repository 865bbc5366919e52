"""A rule exists because a page, an API or a consumer asks it: every declared rule is named in the code
that checks it (outside rules.py, predicates and tests), and every rule the code asks is declared."""

from __future__ import annotations

import re
from pathlib import Path

import rules

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "assembly", "proposals", "meetings", "questionnaires", "votes", "recommendations", "realtime"]
# Names asked by pages that build the perm name from a list (proposals/views.py asks
# f"proposals.{name}" for each name it lists): the bare name, quoted, counts as asking.
DYNAMIC_PREFIXES = {"proposals"}
# Rules the hot path asks through the rule's own predicate, on data it already read (a vote batch
# checks hundreds of voters at once; has_perm would cost ~200x more). A test pins each equal to
# has_perm: tests/votes/test_rules.py.
ASKED_THROUGH_THEIR_PREDICATE = {"votes.cast_ballot": "casting_right("}


def _project_rules() -> set[str]:
    return {name for name in rules.permissions.permissions if name.split(".")[0] in APPS}


def _code_text() -> str:
    texts = []
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix not in {".py", ".html"} or "migrations" in path.parts:
                continue
            if path.name in {"rules.py", "predicates.py"}:
                continue
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_every_declared_rule_is_asked_somewhere():
    code = _code_text()
    unasked = []
    for name in sorted(_project_rules()):
        app, bare = name.split(".", 1)
        asked = f'"{name}"' in code or f"'{name}'" in code
        if not asked and name in ASKED_THROUGH_THEIR_PREDICATE:
            asked = ASKED_THROUGH_THEIR_PREDICATE[name] in code
        if not asked and app in DYNAMIC_PREFIXES:
            asked = f'"{bare}"' in code
        if not asked:
            unasked.append(name)
    assert not unasked, f"rules declared and never asked: {unasked}"


def test_every_rule_the_code_asks_is_declared():
    code = _code_text()
    asked = set(re.findall(r'has_perm\(\s*"([a-z_]+\.[a-z_]+)"', code))
    asked |= set(re.findall(r'require\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', code))
    missing = sorted(name for name in asked - _project_rules() if name.split(".")[0] in APPS)
    assert not missing, f"rules asked and never declared: {missing}"
