"""The dossier document: a plain, typed picture of a transmission dossier, ready to render.

`selectors.dossier_document` builds it from the database; every export format
(`recommendations.exports`) renders it and nothing else, so the formats carry the same
content and a test can build a document by hand. It holds only what the public pages show:
no email, no phone, no citizen's name (names appear only for elected members in named
ballots).

Entries are produced lazily (`DossierDocument.iter_entries()`), batch by batch, so that the
streaming formats (CSV, JSON) never hold the whole dossier in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# Version of the published structure (JSON Schema `recommendations/schema/dossier-1.schema.json`).
# Bump the major number when a field is removed or changes meaning, the minor one when one is added.
SCHEMA_VERSION = "1.0.0"
SCHEMA_ID = "https://agora.example/schemas/dossier-1.schema.json"


@dataclass(frozen=True)
class Tally:
    """Votes for, against, abstaining, for one group of voters (or all of them)."""

    label: str
    yes: int
    no: int
    abstain: int

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain


@dataclass(frozen=True)
class NamedVote:
    """How one elected member voted, in a named (non-secret) ballot."""

    name: str
    choice: str


@dataclass(frozen=True)
class BallotResult:
    reference: str
    question: str
    held_on: dt.date | None
    sitting: str
    outcome: str  # "adopted" or "rejected"
    outcome_label: str
    majority_rule: str
    quorum_reached: bool | None
    total: Tally
    by_college: tuple[Tally, ...] = ()
    by_gender: tuple[Tally, ...] = ()
    by_departement: tuple[Tally, ...] = ()
    named_votes: tuple[NamedVote, ...] = ()

    def summary(self) -> str:
        return f"{self.outcome_label} ({self.total.yes} / {self.total.no} / {self.total.abstain})"


@dataclass(frozen=True)
class SourceProposal:
    id: int
    reference: str
    title: str
    url: str
    territory: str
    departement: str
    college: str
    themes: tuple[str, ...]
    supports: int


@dataclass(frozen=True)
class KeyComment:
    """A comment staff selected; the author is shown by college and territory, not by name."""

    proposal_reference: str
    author: str
    text: str
    date: dt.date


@dataclass(frozen=True)
class PartnerOpinion:
    """A partner organisation's avis on a source proposal (the organisation, never the person)."""

    proposal_reference: str
    organisation: str
    text: str
    date: dt.date


@dataclass(frozen=True)
class Adoption:
    mode: str  # "ballot" or "consensus"
    mode_label: str
    date: dt.date | None
    sitting: str
    ballot: BallotResult | None = None


@dataclass(frozen=True)
class Answer:
    status: str
    status_label: str
    text: str
    answered_on: dt.date
    reference: str
    expected_on: dt.date | None


@dataclass(frozen=True)
class RecommendationEntry:
    id: int
    reference: str
    number: int
    title: str
    text: str
    policy: str
    section: str
    themes: tuple[str, ...]
    territories: tuple[str, ...]
    version: int
    url: str
    adoption: Adoption | None
    sources: tuple[SourceProposal, ...] = ()
    comments: tuple[KeyComment, ...] = ()
    opinions: tuple[PartnerOpinion, ...] = ()
    ballots: tuple[BallotResult, ...] = ()
    answer: Answer | None = None

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.text)

    @property
    def source_territories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(source.territory for source in self.sources))

    @property
    def source_colleges(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(source.college for source in self.sources if source.college))


@dataclass(frozen=True)
class SummaryLine:
    reference: str
    title: str
    section: str


@dataclass
class DossierDocument:
    id: int
    reference: str
    title: str
    assembly: str
    recipient: str
    date: dt.date
    introduction: str
    language: str
    # The one timestamp every format carries (file metadata, ZIP entries): fixed per dossier,
    # so that the same dossier always exports to the same bytes.
    generated_at: dt.datetime
    url: str
    summary: list[SummaryLine] = field(default_factory=list)
    entries_factory: Callable[[], Iterator[RecommendationEntry]] = field(default=lambda: iter(()), repr=False)

    def iter_entries(self) -> Iterator[RecommendationEntry]:
        """The recommendations in dossier order (by section, then position); fetched lazily."""
        return self.entries_factory()

    @property
    def count(self) -> int:
        return len(self.summary)

    @property
    def sections(self) -> list[tuple[str, list[SummaryLine]]]:
        grouped: dict[str, list[SummaryLine]] = {}
        for line in self.summary:
            grouped.setdefault(line.section, []).append(line)
        return list(grouped.items())

    @property
    def introduction_paragraphs(self) -> list[str]:
        return paragraphs(self.introduction)


def paragraphs(text: str) -> list[str]:
    """TEXT split on blank lines; line breaks inside a paragraph become spaces."""
    blocks = [" ".join(line.strip() for line in block.splitlines()).strip() for block in text.split("\n\n")]
    return [block for block in blocks if block]
