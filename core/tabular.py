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
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

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


# Reading an uploaded XLSX: an XLSX is a zip archive, and a small one may inflate to gigabytes
# (a "zip bomb") that openpyxl would parse for minutes. The archive is checked before parsing:
# its declared sizes, then the bytes it really inflates to (a member that lies about its size
# inflates no further than the limit), then the sheet is read with its rows and columns capped.
# A real members file of 2,000 rows is under 1 MB once inflated, at a ratio under 20.
XLSX_INFLATED_MAX = 25 * 1024 * 1024
XLSX_RATIO_MAX = 100
XLSX_MEMBERS_MAX = 200
_RATIO_FLOOR = 1024 * 1024  # small members may compress very well; the ratio counts past 1 MB


class UnreadableWorkbook(Exception):
    """An uploaded XLSX that is refused before or while parsing; its message is for the person."""


def xlsx_archive_check(content: bytes) -> None:
    """Raise UnreadableWorkbook unless CONTENT is a zip archive that inflates to a reasonable size.

    Checks the declared uncompressed size of every member, the total and the compression ratio,
    then inflates each member in chunks, stopping as soon as the real size passes the limit.
    """
    too_big = _(
        "This workbook inflates to more than %(max)s MB once unzipped: it is not a members file. "
        "Save the sheet alone as a new XLSX or CSV file and send that."
    ) % {"max": XLSX_INFLATED_MAX // (1024 * 1024)}
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableWorkbook(_("The file cannot be read as an XLSX workbook.")) from exc
    with archive:
        members = archive.infolist()
        if len(members) > XLSX_MEMBERS_MAX:
            raise UnreadableWorkbook(_("The file cannot be read as an XLSX workbook."))
        declared = sum(info.file_size for info in members)
        compressed = sum(info.compress_size for info in members)
        if declared > XLSX_INFLATED_MAX or declared > _RATIO_FLOOR + XLSX_RATIO_MAX * max(compressed, 1):
            raise UnreadableWorkbook(too_big)
        inflated = 0
        try:
            for info in members:
                with archive.open(info) as member:
                    while chunk := member.read(64 * 1024):
                        inflated += len(chunk)
                        if inflated > XLSX_INFLATED_MAX:
                            raise UnreadableWorkbook(too_big)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
            raise UnreadableWorkbook(_("The file cannot be read as an XLSX workbook.")) from exc


def xlsx_rows(content: bytes, *, max_rows: int, max_columns: int) -> list[tuple[int, list[Any]]]:
    """The first sheet of the XLSX in CONTENT as (line number, values), at most MAX_ROWS lines
    (one more is read, so that the caller can tell the file is too long) of MAX_COLUMNS cells.

    Raises UnreadableWorkbook if the archive fails `xlsx_archive_check` or openpyxl cannot read it.
    """
    from openpyxl import load_workbook

    xlsx_archive_check(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableWorkbook(_("The file cannot be read as an XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        table: list[tuple[int, list[Any]]] = []
        for number, row in enumerate(sheet.iter_rows(max_col=max_columns, values_only=True), start=1):
            table.append((number, list(row)))
            if number > max_rows:
                break
        return table
    except Exception as exc:
        raise UnreadableWorkbook(_("The file cannot be read as an XLSX workbook.")) from exc
    finally:
        workbook.close()
