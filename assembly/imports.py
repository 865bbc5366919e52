"""Reading a members file (CSV or XLSX) into checked rows, before anything is written.

`read_members_file` turns the bytes into `MemberRow`s and a list of `Problem`s, one per bad
row, each with its line number (the header is line 1) and a French-translatable reason.
`members_import` in `assembly.services` refuses the whole file if there is any problem.

Headers and values are matched loosely: case, accents, spaces and punctuation are ignored,
and French and English names are both accepted ("Collège", "college"; "élue", "citoyen").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from assembly.models import College, Gender, Territory
from core import tabular

MAX_ROWS = 2000
# Columns read from a workbook: every known column fits many times over.
MAX_COLUMNS = 50

_C = TypeVar("_C", bound=str)


def normalise(text: object) -> str:
    """Lower case, no accents, words separated by one space: "Collège " -> "college"."""
    value = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9@.+]+", " ", value.lower()).split())


@dataclass(frozen=True)
class Column:
    """A column of the members file: the field it fills, the header the help shows in French and
    in English (both accepted), and other headers accepted for it (matched after `normalise`)."""

    field: str
    french: str
    english: str
    aliases: tuple[str, ...] = ()


# The one list of accepted headers: the reader matches them, the import form's help lists them.
COLUMNS: tuple[Column, ...] = (
    Column("last_name", "Nom", "Last name", ("lastname", "surname", "family name", "nom de famille")),
    Column("first_name", "Prénom", "First name", ("firstname", "given name")),
    Column(
        "name",
        "Nom complet",
        "Full name",
        ("name", "nom et prenom", "prenom et nom", "prenom nom", "nom prenom"),
    ),
    Column(
        "email",
        "E-mail",
        "Email",
        ("mail", "courriel", "adresse email", "adresse e mail", "adresse electronique"),
    ),
    Column("phone", "Téléphone", "Phone", ("tel", "mobile", "portable", "numero de telephone")),
    Column("territory", "Territoire", "Territory", ("perimetre", "perimetre de contrat territorial")),
    Column("college", "Collège", "College"),
    Column("gender", "Genre", "Gender", ("sexe",)),
    Column(
        "title",
        "Intitulé du mandat",
        "Mandate title",
        ("mandate", "title", "titre", "titre du mandat", "intitule", "mandat", "fonction", "qualite"),
    ),
    Column(
        "start_date",
        "Date de début",
        "Start date",
        ("start", "debut", "date d entree", "date de debut du mandat"),
    ),
)

HEADERS: dict[str, str] = {
    normalise(name): column.field for column in COLUMNS for name in (column.french, column.english, *column.aliases)
}


def columns_help() -> str:
    """The import form's help: every column by its French and English header, as the reader accepts them."""
    columns = ", ".join(f"“{column.french}” / “{column.english}”" for column in COLUMNS)
    return _(
        "One member per line, under a line of column headers, in French or English: %(columns)s. "
        "“%(last_name)s” (or “%(name)s”), “%(email)s”, “%(territory)s”, “%(college)s” (élu or citoyen) "
        "and “%(gender)s” (F or H) are required; dates as DD/MM/YYYY."
    ) % {"columns": columns, **{column.field: column.french for column in COLUMNS}}


COLLEGES = {
    **dict.fromkeys(["elu", "elue", "elus", "elues", "elected", "college des elus", "e"], College.ELECTED),
    **dict.fromkeys(
        ["citoyen", "citoyenne", "citoyens", "citoyennes", "citizen", "citizens", "college des citoyens", "c"],
        College.CITIZEN,
    ),
}
GENDERS = {
    **dict.fromkeys(["f", "femme", "woman", "w", "female", "mme", "madame"], Gender.WOMAN),
    **dict.fromkeys(["h", "homme", "man", "m", "male", "m.", "monsieur"], Gender.MAN),
}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"]
PHONE = re.compile(r"^\+?[0-9 ().-]{6,32}$")


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class MemberRow:
    line: int
    first_name: str
    last_name: str
    email: str
    phone: str
    territory_name: str
    college: str
    gender: str
    title: str
    start_date: dt.date | None
    territory: Territory | None = None  # set by the service once the name is matched


@dataclass
class ReadResult:
    rows: list[MemberRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_date(value: object) -> dt.date | None:
    """A date from an XLSX cell or a text in one of DATE_FORMATS; None if empty; ValueError if bad."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table_from_csv(content: bytes) -> tuple[list[tuple[int, list[object]]], str | None]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        return [], _("The file cannot be read as text (use UTF-8).")
    if "\x00" in text:
        return [], _("This is not a CSV file.")
    sample = text[:4096]
    dialect: type[csv.Dialect] | csv.Dialect
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        if sample.count(";") > sample.count(","):
            dialect = csv.excel()
            dialect.delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    table: list[tuple[int, list[object]]] = []
    try:
        for row in reader:
            table.append((reader.line_num, list(row)))
    except csv.Error as exc:
        return table, _("The file is not valid CSV near line %(line)s (%(error)s).") % {
            "line": reader.line_num,
            "error": exc,
        }
    return table, None


def _table_from_xlsx(content: bytes) -> tuple[list[tuple[int, list[object]]], str | None]:
    try:
        # The header line and MAX_ROWS members, plus one more to tell the file is too long.
        return tabular.xlsx_rows(content, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS), None
    except tabular.UnreadableWorkbook as exc:
        return [], str(exc)


def read_members_file(*, file_name: str, content: bytes) -> ReadResult:
    """Read and check every line of a members file; nothing touches the database here."""
    result = ReadResult()
    is_xlsx = file_name.lower().endswith(".xlsx") or content[:2] == b"PK"
    table, error = _table_from_xlsx(content) if is_xlsx else _table_from_csv(content)
    if error:
        result.problems.append(Problem(table[-1][0] if table else 1, error))
        return result
    # Skip blank lines before the header.
    while table and not any(_cell(v) for v in table[0][1]):
        table.pop(0)
    if not table:
        result.problems.append(Problem(1, _("The file is empty.")))
        return result
    header_line, header = table[0]
    columns = _read_header(header_line, header, result.problems)
    if result.problems:
        return result

    body = [(line, row) for line, row in table[1:] if any(_cell(v) for v in row)]
    if not body:
        result.problems.append(Problem(header_line, _("The file has no member rows.")))
        return result
    if len(body) > MAX_ROWS:
        result.problems.append(
            Problem(header_line, _("Too many rows: at most %(max)s members per file.") % {"max": MAX_ROWS})
        )
        return result
    _check_body(body, columns, result, width=len(header) if not is_xlsx else None)
    return result


def _read_header(header_line: int, header: list[object], problems: list[Problem]) -> dict[int, str]:
    """The field each column holds (by column index); a problem for each column repeated, missing or unknown."""
    columns: dict[int, str] = {}
    unknown = []
    for index, title in enumerate(header):
        key = normalise(title)
        if not key:
            continue
        target = HEADERS.get(key)
        if target is None:
            unknown.append(_cell(title))
        elif target in columns.values():
            problems.append(
                Problem(header_line, _("The column “%(column)s” appears twice.") % {"column": _cell(title)})
            )
        else:
            columns[index] = target
    present = set(columns.values())
    has_name = "name" in present or "last_name" in present
    missing = [
        label
        for label, ok in [
            (_("name"), has_name),
            (_("email"), "email" in present),
            (_("territory"), "territory" in present),
            (_("college"), "college" in present),
            (_("gender"), "gender" in present),
        ]
        if not ok
    ]
    if missing:
        problems.append(
            Problem(header_line, _("Missing columns: %(columns)s.") % {"columns": ", ".join(str(m) for m in missing)})
        )
    if unknown:
        problems.append(Problem(header_line, _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}))
    return columns


def _check_body(
    body: list[tuple[int, list[object]]], columns: dict[int, str], result: ReadResult, *, width: int | None
) -> None:
    """Check each member row into RESULT; WIDTH, when given (CSV), is the number of fields every line must have."""
    seen_emails: dict[str, int] = {}
    for line, row in body:
        if width is not None and len(row) != width:
            result.problems.append(
                Problem(
                    line,
                    _("Malformed line: %(found)s fields instead of %(expected)s.")
                    % {"found": len(row), "expected": width},
                )
            )
            continue
        values = {target: row[index] if index < len(row) else None for index, target in columns.items()}
        problems = _check_row(line, values, seen_emails)
        if isinstance(problems, MemberRow):
            result.rows.append(problems)
        else:
            result.problems.extend(problems)


def _check_row(line: int, values: dict[str, object], seen_emails: dict[str, int]) -> MemberRow | list[Problem]:
    problems: list[Problem] = []

    def bad(message: str) -> None:
        problems.append(Problem(line, message))

    first_name, last_name = _person_names(values)
    if not last_name:
        bad(_("the name is missing."))
    elif len(first_name) > 100 or len(last_name) > 100:
        bad(_("the name is too long."))

    email = _cell(values.get("email")).lower()
    _check_email(email, line, seen_emails, bad)

    phone = _cell(values.get("phone"))
    if phone and not PHONE.match(phone):
        bad(_("“%(phone)s” is not a valid phone number.") % {"phone": phone})

    territory = _cell(values.get("territory"))
    if not territory:
        bad(_("the territory is missing."))

    college = _choice(
        values.get("college"),
        COLLEGES,
        bad,
        missing=_("the college is missing."),
        unknown=_("unknown college “%(value)s” (expected élu or citoyen)."),
    )
    gender = _choice(
        values.get("gender"),
        GENDERS,
        bad,
        missing=_("the gender is missing."),
        unknown=_("unknown gender “%(value)s” (expected F or H)."),
    )

    title = _cell(values.get("title"))
    if len(title) > 200:
        bad(_("the mandate title is too long (200 characters at most)."))

    start_date = None
    try:
        start_date = parse_date(values.get("start_date"))
    except ValueError:
        bad(
            _("“%(value)s” is not a date (expected DD/MM/YYYY or YYYY-MM-DD).")
            % {"value": _cell(values.get("start_date"))}
        )

    if problems:
        return problems
    assert college is not None and gender is not None  # a missing or unknown one is a problem above
    return MemberRow(
        line=line,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        territory_name=territory,
        college=college,
        gender=gender,
        title=title,
        start_date=start_date,
    )


def _person_names(values: dict[str, object]) -> tuple[str, str]:
    """(first name, last name), from their own columns or split from a full name."""
    first_name = _cell(values.get("first_name"))
    last_name = _cell(values.get("last_name"))
    full_name = _cell(values.get("name"))
    if full_name and not (first_name or last_name):
        first_name, _space, last_name = full_name.partition(" ")
        if not last_name:
            first_name, last_name = "", first_name
    elif last_name and "first_name" not in values and " " in last_name:
        # A lone "Nom" column holding "Prénom Nom".
        first_name, _space, last_name = last_name.partition(" ")
    return first_name, last_name


def _check_email(email: str, line: int, seen_emails: dict[str, int], bad: Callable[[str], None]) -> None:
    """Refuse an EMAIL that is missing, invalid or already on an earlier line; remember it otherwise."""
    if not email:
        bad(_("the email is missing."))
        return
    try:
        validate_email(email)
    except ValidationError:
        bad(_("“%(email)s” is not a valid email address.") % {"email": email})
        return
    if email in seen_emails:
        bad(_("the email %(email)s already appears on line %(line)s.") % {"email": email, "line": seen_emails[email]})
    else:
        seen_emails[email] = line


def _choice(
    value: object, choices: dict[str, _C], bad: Callable[[str], None], *, missing: str, unknown: str
) -> _C | None:
    """The choice a cell names (loosely matched); None, with a problem, if it is empty or unknown."""
    raw = _cell(value)
    choice = choices.get(normalise(raw))
    if not raw:
        bad(missing)
    elif choice is None:
        bad(unknown % {"value": raw})
    return choice
