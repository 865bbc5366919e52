"""Staff, on a laptop: compile a recommendation from adopted proposals, then download a
dossier ("cahier de recommandations") as PDF for the Region."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_staff_compile_a_recommendation_and_download_the_pdf_dossier(browsers, agora_server, cast):
    page = browsers.page(viewport="desktop", person=cast["staff"])
    page.goto("/recommandations/equipe/nouvelle/")
    adopted = page.locator("input[name=proposals]")
    assert adopted.count() >= 1, "the demo has adopted proposals to compile"
    adopted.first.check()
    title = "Des navettes rurales vers les marchés"
    page.fill("#id_title", title)
    page.fill("#id_text", "La Région finance des navettes à la demande entre villages et bourgs-centres.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("[role=alert], .error").count() == 0, page.locator("[role=alert], .error").all_inner_texts()
    page.goto("/recommandations/equipe/")
    assert page.get_by_text(title).count() >= 1

    dossier = agora_server.script("showcase")["dossier"]
    assert dossier, "the demo has a dossier"
    page.goto(f"/recommandations/cahiers/{dossier}/")
    link = page.locator("a[href$='/export/pdf/']").first
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    path = download.path()
    with open(path, "rb") as handle:
        head = handle.read(5)
    assert head == b"%PDF-", head
    assert download.suggested_filename.endswith(".pdf")
