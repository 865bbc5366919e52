"""A members workbook that inflates far past any real file is refused at once, before parsing;
the import form's help names exactly the headers the reader accepts."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from assembly import services
from assembly.forms import ImportForm
from assembly.imports import COLUMNS, HEADERS, normalise
from assembly.models import Mandate, User
from core import tabular
from tests import factories


@pytest.fixture
def territories(assembly):
    gignac = factories.TerritoryFactory(name="Pays Cœur d'Hérault", slug="pays-coeur-d-herault")
    assembly.territories.add(gignac)
    return [gignac]


def _workbook(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_HEADER = ["Nom", "Prénom", "E-mail", "Territoire", "Collège", "Genre", "Intitulé du mandat"]
GOOD_ROW = ["Cabrol", "Hélène", "helene@example.org", "Pays Cœur d'Hérault", "élue", "F", "Maire de Gignac"]


def _bomb(inflated_mb: int) -> bytes:
    """A real workbook whose sheet is padded with INFLATED_MB megabytes of blank XML that deflate to almost nothing."""
    good = zipfile.ZipFile(io.BytesIO(_workbook(GOOD_HEADER, GOOD_ROW)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            data = good.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            sheet = zipfile.ZipInfo(info.filename)
            sheet.compress_type = zipfile.ZIP_DEFLATED
            with bomb.open(sheet, "w", force_zip64=True) as member:
                member.write(head)
                padding = b" " * (1024 * 1024)
                for _ in range(inflated_mb):
                    member.write(padding)
                member.write(b"</sheetData>" + tail)
    return out.getvalue()


def test_a_zip_bomb_workbook_is_refused_fast_with_a_clear_message(staff, assembly, territories):
    content = _bomb(60)
    assert len(content) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(services.ImportRejected) as caught:
        services.members_import(by=staff, assembly=assembly, file_name="membres.xlsx", content=content)
    assert time.monotonic() - started < 2
    message = str(caught.value.problems[0])
    assert "dépasse 25 Mo une fois décompressé" in message
    assert not User.objects.filter(email="helene@example.org").exists()
    assert not Mandate.objects.exists()


def test_a_workbook_compressed_beyond_any_real_ratio_is_refused(staff, assembly, territories):
    content = _bomb(8)  # under the size limit, but 8 MB of blanks from a few kilobytes
    with pytest.raises(services.ImportRejected) as caught:
        services.members_import(by=staff, assembly=assembly, file_name="membres.xlsx", content=content)
    assert "une fois décompressé" in str(caught.value.problems[0])
    assert not Mandate.objects.exists()


def test_an_ordinary_workbook_passes_the_archive_check(staff, assembly, territories):
    rows = [[f"Nom{n}", "Prénom", f"p{n}@example.org", "Pays Cœur d'Hérault", "élue", "F", ""] for n in range(2000)]
    tabular.xlsx_archive_check(_workbook(GOOD_HEADER, *rows))


def test_the_import_help_lists_exactly_the_headers_the_reader_accepts():
    help_text = str(ImportForm().fields["file"].help_text)
    for column in COLUMNS:
        assert f"“{column.french}”" in help_text
        assert HEADERS[normalise(column.french)] == column.field
        assert HEADERS[normalise(column.english)] == column.field


def test_a_workbook_with_the_headers_of_the_help_is_imported(staff, assembly, territories):
    mandates = services.members_import(
        by=staff, assembly=assembly, file_name="membres.xlsx", content=_workbook(GOOD_HEADER, GOOD_ROW)
    )
    assert [m.title for m in mandates] == ["Maire de Gignac"]


def test_the_import_page_shows_the_generated_help(staff_client, assembly):
    body = staff_client.get("/membres/importer/").content.decode()
    assert "Intitulé du mandat" in body
    assert "Date de début" in body


def test_the_import_page_answers_a_zip_bomb_at_once(staff_client, assembly, territories):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("membres.xlsx", _bomb(60))
    started = time.monotonic()
    response = staff_client.post("/membres/importer/", {"file": upload})
    assert time.monotonic() - started < 3
    assert response.status_code == 400
    assert "dépasse 25 Mo une fois décompressé" in response.content.decode()
    assert not Mandate.objects.exists()
