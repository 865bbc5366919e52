"""axe-core, in Chromium, on every key page type, in French and in English, phone viewport:
no serious or critical WCAG 2.1 A/AA violation. Results go to var/quality/axe.json."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import run_axe
from tests.e2e.pages import key_pages, person
from tests.e2e.server import BASE_DIR

pytestmark = pytest.mark.slow


def test_no_serious_or_critical_accessibility_violation_on_any_key_page(browsers, agora_server, cast):
    pages = key_pages(agora_server, cast)
    report: dict[str, list] = {}
    for language in ("fr", "en"):
        contexts = {}
        for name, who, path in pages:
            if who not in contexts:
                contexts[who] = browsers.new(viewport="phone", person=person(cast, who), language=language, audit=True)
            page = contexts[who].new_page()
            response = page.goto(path)
            assert response.status == 200, f"{path} as {who}: {response.status}"
            page.wait_for_load_state("networkidle")
            report[f"{name} [{language}]"] = run_axe(page)
            page.close()
    out = BASE_DIR / "var" / "quality"
    out.mkdir(parents=True, exist_ok=True)
    (out / "axe.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    found = {key: v for key, v in report.items() if v}
    print(f"\naxe: {len(report)} pages audited, {sum(len(v) for v in found.values())} serious/critical violations")
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)
