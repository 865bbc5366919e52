"""The dossier as a sequence of the plain blocks of `core.blocks` (headings, paragraphs, lists, tables).

ODT (`core.odt`) and DOCX render these blocks, so both carry exactly the same content; the PDF is
typeset from the HTML template `recommendations/export/dossier.html`, which follows the
same outline: cover, summary, introduction, one section per theme, annexes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.blocks import Block, Bullets, Heading, PageBreak, Paragraph, Table
from recommendations.document import (
    SCHEMA_VERSION,
    Answer,
    BallotResult,
    DossierDocument,
    RecommendationEntry,
    paragraphs,
)
from recommendations.exports._common import date_label


def result_table(ballot: BallotResult) -> Table:
    """The results of BALLOT: all voters, then by college and by gender."""
    rows = [[ballot.total.label, str(ballot.total.yes), str(ballot.total.no), str(ballot.total.abstain)]]
    for tally in (*ballot.by_college, *ballot.by_gender):
        rows.append([tally.label, str(tally.yes), str(tally.no), str(tally.abstain)])
    return Table(
        header=[_("Voters"), _("For"), _("Against"), _("Abstaining")], rows=rows, caption=ballot_caption(ballot)
    )


def ballot_caption(ballot: BallotResult) -> str:
    bits = [ballot.reference, ballot.question, ballot.sitting, date_label(ballot.held_on), ballot.outcome_label]
    if ballot.majority_rule:
        bits.append(ballot.majority_rule)
    return " — ".join(bit for bit in bits if bit)


def source_line(entry_source) -> str:
    return _("%(reference)s “%(title)s” — %(territory)s (%(departement)s), %(college)s, %(supports)s supports") % {
        "reference": entry_source.reference,
        "title": entry_source.title,
        "territory": entry_source.territory,
        "departement": entry_source.departement,
        "college": entry_source.college,
        "supports": entry_source.supports,
    }


def entry_blocks(entry: RecommendationEntry) -> Iterator[Block]:
    yield from _statement_blocks(entry)
    yield from _lineage_blocks(entry)
    if entry.answer:
        yield from _answer_blocks(entry.answer)


def _statement_blocks(entry: RecommendationEntry) -> Iterator[Block]:
    """The recommendation itself: title, what it concerns, its text, its adoption, its version."""
    yield Heading(f"{entry.reference} — {entry.title}", 2)
    if entry.themes:
        yield Paragraph(", ".join(entry.themes), "meta", _("Themes"))
    if entry.territories:
        yield Paragraph(", ".join(entry.territories), "meta", _("Territories concerned"))
    if entry.policy:
        yield Paragraph(entry.policy, "meta", _("Regional policy addressed"))
    for text in entry.paragraphs:
        yield Paragraph(text)
    if entry.adoption:
        adoption = entry.adoption
        bits = [adoption.mode_label, date_label(adoption.date), adoption.sitting]
        yield Paragraph(", ".join(bit for bit in bits if bit), "meta", _("Adopted by the assembly"))
        if adoption.ballot:
            yield result_table(adoption.ballot)
    if entry.version > 1:
        yield Paragraph(str(entry.version), "small", _("Version"))


def _lineage_blocks(entry: RecommendationEntry) -> Iterator[Block]:
    """Where the recommendation comes from: proposals, ballots, key comments, partners' opinions."""
    yield Heading(_("Lineage"), 3)
    if entry.sources:
        yield Paragraph("", "meta", _("Source proposals"))
        yield Bullets([source_line(source) for source in entry.sources])
    for ballot in entry.ballots:
        yield result_table(ballot)
    if entry.comments:
        yield Paragraph("", "meta", _("Key comments"))
        yield Bullets([f"{c.author} ({c.proposal_reference}, {date_label(c.date)}) : {c.text}" for c in entry.comments])
    if entry.opinions:
        yield Paragraph("", "meta", _("Partners' opinions"))
        yield Bullets(
            [f"{o.organisation} ({o.proposal_reference}, {date_label(o.date)}) : {o.text}" for o in entry.opinions]
        )


def _answer_blocks(answer: Answer) -> Iterator[Block]:
    yield Heading(_("Region's answer"), 3)
    yield Paragraph(f"{answer.status_label}, {date_label(answer.answered_on)}", "meta", _("Status"))
    if answer.reference:
        yield Paragraph(answer.reference, "meta", _("Reference"))
    for text in paragraphs(answer.text):
        yield Paragraph(text, "quote")


@dataclass
class Annexes:
    departements: list[list[str]] = field(default_factory=list)
    named: list[list[str]] = field(default_factory=list)

    def collect(self, entry: RecommendationEntry) -> None:
        ballot = entry.adoption.ballot if entry.adoption else None
        if ballot is None:
            return
        for tally in ballot.by_departement:
            self.departements.append([entry.reference, tally.label, str(tally.yes), str(tally.no), str(tally.abstain)])
        for vote in ballot.named_votes:
            self.named.append([entry.reference, vote.name, vote.choice])


def document_blocks(document: DossierDocument) -> Iterator[Block]:
    # Cover
    yield Heading(document.title, 0)
    yield Paragraph(document.assembly, "meta")
    yield Paragraph(document.recipient, "meta", _("Transmitted to"))
    yield Paragraph(date_label(document.date), "meta", _("Date"))
    yield Paragraph(document.reference, "meta", _("Reference"))
    yield Paragraph(_("%(count)s recommendations") % {"count": document.count}, "meta")
    yield PageBreak()
    # Summary
    yield Heading(_("Summary"), 1)
    for section, lines in document.sections:
        yield Heading(section, 3)
        yield Bullets([f"{line.reference} — {line.title}" for line in lines])
    if document.introduction_paragraphs:
        yield Heading(_("Introduction"), 1)
        for text in document.introduction_paragraphs:
            yield Paragraph(text)
    # One section per theme
    annexes = Annexes()
    current = None
    for entry in document.iter_entries():
        if entry.section != current:
            current = entry.section
            yield PageBreak()
            yield Heading(current, 1)
        yield from entry_blocks(entry)
        annexes.collect(entry)
    # Annexes
    yield PageBreak()
    yield Heading(_("Annexes"), 1)
    yield Heading(_("Votes by département"), 2)
    if annexes.departements:
        yield Table(
            header=[_("Recommendation"), _("Département"), _("For"), _("Against"), _("Abstaining")],
            rows=annexes.departements,
        )
    else:
        yield Paragraph(_("No ballot with a breakdown by département."), "small")
    if annexes.named:
        yield Heading(_("Named votes of elected members"), 2)
        yield Table(header=[_("Recommendation"), _("Member"), _("Vote")], rows=annexes.named)
    yield Heading(_("About this dossier"), 2)
    yield Paragraph(
        _(
            "Drawn up from the public records of the assembly. Open data: the same content is published as JSON "
            "(schema version %(version)s) and CSV."
        )
        % {"version": SCHEMA_VERSION},
        "small",
    )
    yield Paragraph(document.url, "small")
