"""A document of plain blocks (core.blocks) rendered to PDF (core.pdf.blocks_pdf) and ODT (core.odt.write_odt)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from defusedxml import ElementTree

from core import odt, pdf
from core.blocks import Bullets, Heading, PageBreak, Paragraph, Table
from tests.shared.documents import pdf_text

MOMENT = dt.datetime(2026, 3, 2, 10, 0)
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

BLOCKS = [
    Heading("Procès-verbal <b>& co</b>", 0),
    Paragraph("Hôtel de Région", "meta", "Lieu"),
    Paragraph("Texte avec un caractère interdit\x01 en XML."),
    Bullets(["premier", "second"]),
    Table(["Votants", "Pour", "Contre"], [["Ensemble des votants", "12", "3"], ["x" * 120, "1", "2"]], "Résultats"),
    PageBreak(),
    Heading("Annexe", 1),
]


def _odt() -> bytes:
    out = io.BytesIO()
    odt.write_odt(BLOCKS, out, title="PV", language="fr", creator="Assemblée", moment=MOMENT)
    return out.getvalue()


def test_the_same_blocks_give_the_same_bytes():
    assert pdf.blocks_pdf(BLOCKS, title="PV") == pdf.blocks_pdf(BLOCKS, title="PV")
    assert _odt() == _odt()


def test_pdf_shows_markup_as_text_and_every_cell():
    text = " ".join(pdf_text(pdf.blocks_pdf(BLOCKS, title="PV")).split())
    assert "Procès-verbal <b>& co</b>" in text
    assert "Lieu : Hôtel de Région" in text
    assert "Ensemble des votants 12 3" in text
    assert "Annexe" in text
    assert "Texte avec un caractère interdit en XML." in text


def test_odt_opens_with_its_text_and_without_xml_illegal_characters():
    with zipfile.ZipFile(io.BytesIO(_odt())) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("content.xml").date_time == (2026, 3, 2, 10, 0, 0)
        root = ElementTree.fromstring(archive.read("content.xml"))
    text = "\n".join("".join(el.itertext()) for el in root.iter() if el.tag in (f"{{{TEXT_NS}}}p", f"{{{TEXT_NS}}}h"))
    assert "Procès-verbal <b>& co</b>" in text
    assert "Texte avec un caractère interdit en XML." in text
    assert "Ensemble des votants" in text and "12" in text
