"""XLSX: one sheet with one row per recommendation (openpyxl in write-only mode: rows are not kept)."""

from __future__ import annotations

import io
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from core.odt import write_normalised_zip
from core.tabular import sheet_title, text_cell
from recommendations.document import DossierDocument
from recommendations.exports._common import columns, row


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(_("Recommendations")))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for title in columns():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    wrap = Alignment(wrap_text=True, vertical="top")
    for entry in document.iter_entries():
        cells = []
        for value in row(entry):
            # Text is text here (formula guard of core.tabular), never a formula to run.
            cell = text_cell(sheet, value)
            cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
    properties = workbook.properties
    properties.title = document.title
    properties.creator = document.assembly
    properties.lastModifiedBy = document.assembly
    stamp = document.generated_at.replace(tzinfo=None)
    properties.created = stamp
    properties.modified = stamp
    raw = io.BytesIO()
    # ExcelWriter directly: `Workbook.save` would stamp "modified" with the current time.
    with ZipFile(raw, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    write_normalised_zip(raw.getvalue(), fileobj, moment=document.generated_at)
