"""Browser fixtures: a real server process, Debian's Chromium driven by Playwright, axe-core.

Nothing is downloaded at test time: Chromium comes from apt (scripts/install-browser.sh), the
Playwright driver from its PyPI wheel, axe-core from the npm registry into var/browser-tools/.
Without Chromium the browser tests are skipped on a developer's machine and FAIL in CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import BASE_DIR, LiveServer, in_ci, scratch_dir

CHROMIUM = os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("AGORA_AXE_JS", BASE_DIR / "var/browser-tools/node_modules/axe-core/axe.min.js"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def _require(path: Path | str, what: str) -> None:
    if Path(path).exists():
        return
    message = f"{what} not found at {path}: run `make browser` (scripts/install-browser.sh)"
    if in_ci():
        pytest.fail(message + " — browser tests never skip in CI", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def agora_server() -> Iterator[LiveServer]:
    """One seeded server for the whole browser session (file SQLite, in-process realtime hub)."""
    root = scratch_dir("agora-e2e-")
    server = LiveServer(root=root)
    server.prepare(seed=True)
    server.start()
    yield server
    server.stop()
    if os.environ.get("AGORA_E2E_KEEP"):
        print(f"e2e server state kept in {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def cast(agora_server: LiveServer) -> dict:
    """Signed-in people: staff, admin, partner, former member, co-president, three members."""
    return agora_server.script("people", members=3, prefix="e2e")


@pytest.fixture(scope="package")
def browser():
    # Package scope, not session: Playwright's sync API keeps an event loop running in the main
    # thread while it is open, which would break every asyncio test collected after tests/e2e.
    _require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives each run a fresh, empty temporary profile (user-data-dir).
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ContextFactory:
    """Makes browser contexts (one per person) and checks none logged a CSP violation or JS error."""

    def __init__(self, browser, server: LiveServer) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list = []
        self.problems: list[str] = []

    def new(self, *, viewport: str = "phone", person: dict | None = None, language: str = "fr", audit: bool = False):
        context = self.browser.new_context(
            base_url=self.server.url,
            locale="fr-FR" if language == "fr" else "en-GB",
            # axe is injected as a script: only audit contexts relax the CSP to allow it.
            bypass_csp=audit,
            **VIEWPORTS[viewport],
        )
        context.set_default_timeout(10_000)
        cookies = [{"name": "django_language", "value": language, "url": self.server.url}]
        if person is not None:
            cookies.append({"name": "sessionid", "value": person["session"], "url": self.server.url})
        context.add_cookies(cookies)
        context.on("page", self._watch)
        self.contexts.append(context)
        return context

    def page(self, **kwargs):
        return self.new(**kwargs).new_page()

    def _watch(self, page) -> None:
        def on_console(message) -> None:
            text = message.text
            if message.type == "error" and ("Content Security Policy" in text or "Content-Security-Policy" in text):
                self.problems.append(f"CSP violation on {page.url}: {text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsers(browser, agora_server) -> Iterator[ContextFactory]:
    factory = ContextFactory(browser, agora_server)
    yield factory
    factory.close()
    assert not factory.problems, "\n".join(factory.problems)


def run_axe(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on PAGE (needs an audit context)."""
    _require(AXE_JS, "axe-core")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await window.axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", "") if v["nodes"] else "",
        }
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
