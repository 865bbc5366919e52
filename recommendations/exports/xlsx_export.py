"""XLSX: one sheet with one row per recommendation (openpyxl in write-only mode: rows are not kept)."""

from __future__ import annotations

import io
import re
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from recommendations.document import DossierDocument
from recommendations.exports._common import columns, row, write_normalised_zip

# Characters XML 1.0 forbids; a cell holding one would make the file unreadable.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's limit per cell.
_CELL_MAX = 32767


def _cell_value(value: str | int) -> str | int:
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)[:_CELL_MAX]
    return value


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Recommendations")[:31])
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
            cell = WriteOnlyCell(sheet, value=_cell_value(value))
            if cell.data_type == "f":
                # Text starting with "=" is text here, never a formula a spreadsheet would run.
                cell.data_type = "s"
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
    write_normalised_zip(raw.getvalue(), fileobj, document)
