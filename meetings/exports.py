"""Exports of a meeting's registrations (CSV, a printable PDF sign-in sheet) and of a sitting's
attendance sheet (who was present, represented by whom, absent: CSV and PDF)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core import blocks, pdf
from core.tabular import csv_bytes
from meetings.models import Meeting, Sitting
from meetings.selectors.sittings import SheetLine


def _row(entry: dict) -> list[str]:
    user, mandate = entry["user"], entry["mandate"]
    return [
        user.last_name,
        user.first_name,
        mandate.get_college_display() if mandate else "",
        str(mandate.territory) if mandate else "",
    ]


def registrations_csv(meeting: Meeting, entries: list[dict]) -> bytes:
    header = [_("Last name"), _("First name"), _("Email"), _("College"), _("Territory"), _("Registered at")]
    rows = []
    for entry in entries:
        row = _row(entry)
        rows.append([row[0], row[1], entry["user"].email, row[2], row[3], entry["registration"].created_at.isoformat()])
    # Shared policy (core.tabular): BOM, ";", names that look like formulas are neutralised.
    return csv_bytes(header, rows)


def sign_in_sheet_pdf(meeting: Meeting, entries: list[dict]) -> bytes:
    """An A4 sign-in sheet ("feuille d'émargement"): one line per registered person, a blank signature cell."""
    # Shared PDF set-up (core.pdf): bundled fonts, every value escaped, reproducible bytes.
    styles = pdf.styles()
    story = [
        pdf.para(_("Sign-in sheet"), styles["Title"]),
        pdf.para(f"{meeting.title} — {meeting.date:%d/%m/%Y}", styles["Heading2"]),
    ]
    if meeting.place:
        story.append(pdf.para(meeting.place, styles["Normal"]))
    story.append(Spacer(1, 6 * mm))
    data = [[pdf.para(label, styles["Normal"]) for label in (_("Name"), _("College"), _("Territory"), _("Signature"))]]
    for entry in entries:
        row = _row(entry)
        data.append([pdf.para(f"{row[0]} {row[1]}", styles["Normal"]), row[2], pdf.para(row[3], styles["Normal"]), ""])
    table = Table(
        data, colWidths=[55 * mm, 25 * mm, 60 * mm, 40 * mm], repeatRows=1, rowHeights=[None] + [12 * mm] * len(entries)
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
            ]
        )
    )
    story.append(table)
    return pdf.build(story, title=_("Sign-in sheet"))


def _status(line: SheetLine) -> str:
    if line.status == SheetLine.PRESENT:
        return pgettext("attendance sheet", "present")
    if line.status == SheetLine.REPRESENTED:
        return pgettext("attendance sheet", "represented")
    return _("absent")


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def attendance_sheet_csv(lines: list[SheetLine]) -> bytes:
    """One row per member: status, proxy holder, check-in and check-out times, proxies held."""
    header = [
        _("Last name"),
        _("First name"),
        _("College"),
        _("Territory"),
        pgettext("attendance sheet", "Status"),
        _("Represented by"),
        _("Checked in at"),
        _("Checked out at"),
        _("Represents"),
    ]
    rows = [
        [
            line.last_name,
            line.first_name,
            line.college,
            line.territory,
            _status(line),
            line.holder_name,
            timezone.localtime(line.checked_in_at).isoformat() if line.checked_in_at else "",
            timezone.localtime(line.checked_out_at).isoformat() if line.checked_out_at else "",
            ", ".join(line.holds),
        ]
        for line in lines
    ]
    return csv_bytes(header, rows)


def attendance_sheet_pdf(sitting: Sitting, lines: list[SheetLine]) -> bytes:
    """The attendance sheet of SITTING as an A4 PDF (the blocks of `core.blocks`, reproducible)."""
    counts = {
        status: sum(1 for line in lines if line.status == status)
        for status in (SheetLine.PRESENT, SheetLine.REPRESENTED, SheetLine.ABSENT)
    }
    title = _("Attendance sheet")
    document: list[blocks.Block] = [
        blocks.Heading(title, 0),
        blocks.Paragraph(" — ".join(dict.fromkeys([sitting.meeting.title, sitting.title])), "meta", _("Sitting")),
        blocks.Paragraph(formats.date_format(timezone.localdate(sitting.starts_at), "j F Y"), "meta", _("Date")),
        blocks.Paragraph(str(counts[SheetLine.PRESENT]), "meta", _("Members present")),
        blocks.Paragraph(str(counts[SheetLine.REPRESENTED]), "meta", _("Represented by proxy")),
        blocks.Paragraph(str(counts[SheetLine.ABSENT]), "meta", _("Absent and not represented")),
        blocks.Table(
            header=[
                _("Member"),
                _("College"),
                pgettext("attendance sheet", "Status"),
                _("Represented by"),
                _("Hours"),
                _("Represents"),
            ],
            rows=[
                [
                    line.name,
                    line.college,
                    _status(line),
                    line.holder_name,
                    "–".join(bit for bit in (_local(line.checked_in_at), _local(line.checked_out_at)) if bit),
                    ", ".join(line.holds),
                ]
                for line in lines
            ],
        ),
    ]
    return pdf.blocks_pdf(document, title=f"{title} — {sitting.title}")
