"""Re-take the screenshots of each key screen, phone (390×844) and desktop (1280×800), into docs/screenshots/.

Usage: make screenshots   (or .venv/bin/python -m scripts.screenshots)
Starts its own seeded server on a free port, drives Debian's Chromium, stops everything after.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.e2e.pages import key_pages, person
from tests.e2e.server import BASE_DIR, LiveServer, scratch_dir

OUT = BASE_DIR / "docs" / "screenshots"


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: run `make browser`", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    server = LiveServer(root=scratch_dir("agora-shots-"))
    server.prepare(seed=True)
    cast = server.script("people", members=3, prefix="shots")
    server.start()
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        pages = key_pages(server, cast)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for viewport in ("phone", "desktop"):
                contexts = {}
                for name, who, path in pages:
                    if who not in contexts:
                        context = browser.new_context(base_url=server.url, locale="fr-FR", **VIEWPORTS[viewport])
                        cookies = [{"name": "django_language", "value": "fr", "url": server.url}]
                        if who is not None:
                            cookies.append(
                                {"name": "sessionid", "value": person(cast, who)["session"], "url": server.url}
                            )
                        context.add_cookies(cookies)
                        contexts[who] = context
                    page = contexts[who].new_page()
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)  # live pages: let the first snapshot render
                    target = OUT / f"{name}-{viewport}.png"
                    page.screenshot(path=str(target), full_page=viewport == "desktop")
                    print(target.relative_to(BASE_DIR))
                    page.close()
                for context in contexts.values():
                    context.close()
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
