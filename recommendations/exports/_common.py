"""What the formats share: translated labels, the flat row of a recommendation (reproducible ZIPs are `core.odt`'s)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _

from recommendations.document import BallotResult, RecommendationEntry, Tally

LIST_SEPARATOR = " | "


def date_label(value: dt.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def tally_text(tally: Tally) -> str:
    return _("%(label)s: %(yes)s for, %(no)s against, %(abstain)s abstaining") % {
        "label": tally.label,
        "yes": tally.yes,
        "no": tally.no,
        "abstain": tally.abstain,
    }


def ballot_text(ballot: BallotResult) -> str:
    parts = [f"{ballot.reference} — {ballot.question}", ballot.outcome_label, tally_text(ballot.total)]
    parts.extend(tally_text(tally) for tally in ballot.by_college)
    return " ; ".join(part for part in parts if part)


def adoption_text(entry: RecommendationEntry) -> str:
    adoption = entry.adoption
    if adoption is None:
        return ""
    bits = [adoption.mode_label, date_label(adoption.date), adoption.sitting]
    return ", ".join(bit for bit in bits if bit)


def columns() -> list[str]:
    """Headings of the one-row-per-recommendation formats (CSV, XLSX), in order."""
    return [
        _("Reference"),
        _("Number"),
        _("Section"),
        _("Title"),
        _("Text"),
        _("Regional policy addressed"),
        _("Themes"),
        _("Territories concerned"),
        _("Version"),
        _("Adoption"),
        _("Adoption date"),
        _("Adoption sitting"),
        _("For"),
        _("Against"),
        _("Abstaining"),
        _("Elected college (for / against / abstaining)"),
        _("Citizen college (for / against / abstaining)"),
        _("Source proposals"),
        _("Territories of the authors"),
        _("Colleges of the authors"),
        _("Ballots on the proposals"),
        _("Partners' opinions"),
        _("Key comments"),
        _("Region's answer"),
        _("Answer date"),
        _("Answer reference"),
        _("Answer text"),
        _("Address"),
    ]


def _college(ballot: BallotResult | None, key: int) -> str:
    if ballot is None or len(ballot.by_college) <= key:
        return ""
    tally = ballot.by_college[key]
    return f"{tally.yes} / {tally.no} / {tally.abstain}"


def row(entry: RecommendationEntry) -> list[str | int]:
    """One flat row for ENTRY, matching `columns()`."""
    adoption = entry.adoption
    ballot = adoption.ballot if adoption else None
    answer = entry.answer
    return [
        entry.reference,
        entry.number,
        entry.section,
        entry.title,
        entry.text,
        entry.policy,
        LIST_SEPARATOR.join(entry.themes),
        LIST_SEPARATOR.join(entry.territories),
        entry.version,
        adoption.mode_label if adoption else "",
        iso(adoption.date) if adoption else "",
        adoption.sitting if adoption else "",
        ballot.total.yes if ballot else "",
        ballot.total.no if ballot else "",
        ballot.total.abstain if ballot else "",
        _college(ballot, 0),
        _college(ballot, 1),
        LIST_SEPARATOR.join(f"{source.reference} {source.title}" for source in entry.sources),
        LIST_SEPARATOR.join(entry.source_territories),
        LIST_SEPARATOR.join(entry.source_colleges),
        LIST_SEPARATOR.join(ballot_text(item) for item in entry.ballots),
        LIST_SEPARATOR.join(f"{op.organisation} ({op.proposal_reference}): {op.text}" for op in entry.opinions),
        LIST_SEPARATOR.join(f"{c.author} ({c.proposal_reference}): {c.text}" for c in entry.comments),
        answer.status_label if answer else "",
        iso(answer.answered_on) if answer else "",
        answer.reference if answer else "",
        answer.text if answer else "",
        entry.url,
    ]
