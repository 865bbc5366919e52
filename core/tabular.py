"""CSV and XLSX writing shared by every export: one delimiter, one BOM policy, one formula guard.

Policy: CSV is UTF-8 with a byte-order mark, ";" between cells and CRLF line ends (what
spreadsheet software set up for French opens correctly). Every text cell that a spreadsheet
would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading
apostrophe, in CSV and XLSX alike: members' and partners' texts never run in the Region's
spreadsheets.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _csv import Writer

    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

DELIMITER = ";"
BOM = "\ufeff"
LINE_END = "\r\n"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids; an XLSX cell holding one would make the file unreadable.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Excel's limit per cell.
XLSX_CELL_MAX = 32767


def cell_safe(value: Any) -> Any:
    """VALUE as a spreadsheet shows it as text: formulas are neutralised, numbers and None are kept."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xlsx_value(value: Any) -> Any:
    """A cell value for XLSX: guarded, without XML-illegal characters, within Excel's length limit."""
    value = cell_safe(value)
    if isinstance(value, str):
        value = _XML_ILLEGAL.sub("", value)[:XLSX_CELL_MAX]
    return value


def csv_writer(buffer: io.StringIO) -> Writer:
    return csv.writer(buffer, delimiter=DELIMITER, lineterminator=LINE_END)


def csv_stream(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file, chunk by chunk (one per row), the BOM first."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate(0)
        return data

    writer.writerow([cell_safe(value) for value in header])
    yield BOM.encode() + flush()
    for row in rows:
        writer.writerow([cell_safe(value) for value in row])
        yield flush()


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    return b"".join(csv_stream(header, rows))


def xlsx_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """A one-sheet workbook (write-only mode: rows are not kept in memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(title))
    bold = Font(bold=True)
    heading = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=xlsx_value(value))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def text_cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    """A write-only cell whose text is always text (never a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=xlsx_value(value))
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def sheet_title(title: str) -> str:
    """A worksheet title Excel accepts: 31 characters at most, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Sheet"


__all__ = [
    "BOM",
    "CSV_CONTENT_TYPE",
    "DELIMITER",
    "XLSX_CONTENT_TYPE",
    "cell_safe",
    "csv_bytes",
    "csv_stream",
    "csv_writer",
    "sheet_title",
    "text_cell",
    "xlsx_bytes",
    "xlsx_value",
]
