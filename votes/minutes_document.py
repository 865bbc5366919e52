"""The minutes (procès-verbal) of a sitting as one plain list of blocks (`core.blocks`).

    blocks = minutes_blocks(read_minutes(sitting))     # then core.pdf.blocks_pdf / core.odt.write_odt

`read_minutes` reads everything once (a bounded number of queries, whatever the number of
items and ballots) into `MinutesData`; the blocks are then built without the database.

The document is a sequence of sections (`SECTIONS`), each one function of `MinutesData`, and
each agenda item a sequence of parts (`ITEM_PARTS`), each one function of the data and the item.
A later section (the speakers of each item, say) is one more function in one of those tuples.

Secrecy: a secret ballot's names are never read (`current_votes` returns no person for it),
so they cannot appear; its results are the totals and, when kept, the totals by college.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assembly.models import College, Gender, Mandate
from core.blocks import Block, Heading, Paragraph, Table
from meetings.models import AgendaItem, Sitting
from meetings.selectors import sittings as meeting_selectors
from votes.models import Ballot, BallotOption, Verdict, Vote

# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass
class BallotData:
    ballot: Ballot
    options: list[BallotOption]
    verdict: Verdict | None
    # Named ballots only: (member's name, choice as stored); always empty for a secret ballot.
    named_votes: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def labels(self) -> dict[int, str]:
        return {o.pk: o.label for o in self.options}


@dataclass
class MinutesData:
    sitting: Sitting
    chairs: list[str]
    attendance: list[meeting_selectors.SheetLine]
    items: list[AgendaItem]
    ballots_by_item: dict[int | None, list[BallotData]]
    generated_at: dt.datetime

    @property
    def present(self) -> list[meeting_selectors.SheetLine]:
        return [line for line in self.attendance if line.status == line.PRESENT]

    @property
    def represented(self) -> list[meeting_selectors.SheetLine]:
        return [line for line in self.attendance if line.status == line.REPRESENTED]

    @property
    def absent(self) -> list[meeting_selectors.SheetLine]:
        return [line for line in self.attendance if line.status == line.ABSENT]

    @property
    def ballots(self) -> list[BallotData]:
        return [data for ballots in self.ballots_by_item.values() for data in ballots]


def read_minutes(sitting: Sitting, *, generated_at: dt.datetime | None = None) -> MinutesData:
    """Everything the minutes of SITTING say, read in about ten queries."""
    sitting = Sitting.objects.select_related("meeting", "assembly").get(pk=sitting.pk)
    day = timezone.localdate(sitting.starts_at)
    chairs = [
        f"{m.user.display_name} ({m.get_college_display()})"
        for m in Mandate.objects.active_on(day)
        .filter(assembly_id=sitting.assembly_id, is_copresident=True)
        .select_related("user")
        .order_by("college", "user__last_name", "user_id")
    ]
    items = list(meeting_selectors.agenda(sitting).select_related("proposal"))
    ballots = list(Ballot.objects.filter(sitting=sitting).order_by("created_at", "id"))
    ids = [b.pk for b in ballots]
    options: dict[int, list[BallotOption]] = defaultdict(list)
    for option in BallotOption.objects.filter(ballot_id__in=ids).order_by("ballot_id", "position"):
        options[option.ballot_id].append(option)
    verdicts = {v.ballot_id: v for v in Verdict.objects.filter(ballot_id__in=ids)}
    named: dict[int, list[tuple[str, Any]]] = defaultdict(list)
    named_ids = [b.pk for b in ballots if not b.secret and b.state == Ballot.State.CLOSED]
    rows = (
        Vote.objects.filter(ballot_id__in=named_ids, superseded=False, elector__isnull=False)
        .select_related("elector__member")
        .order_by("elector__member__last_name", "elector__member__first_name", "elector__member_id")
    )
    for vote in rows:
        assert vote.elector is not None  # filtered above
        named[vote.ballot_id].append((vote.elector.member.display_name, vote.choice))
    by_item: dict[int | None, list[BallotData]] = defaultdict(list)
    for ballot in ballots:
        by_item[ballot.agenda_item_id].append(
            BallotData(ballot, options[ballot.pk], verdicts.get(ballot.pk), [] if ballot.secret else named[ballot.pk])
        )
    return MinutesData(
        sitting=sitting,
        chairs=chairs,
        attendance=meeting_selectors.attendance_sheet(sitting),
        items=items,
        ballots_by_item=dict(by_item),
        generated_at=generated_at or timezone.now(),
    )


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------


def date_label(value: dt.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def time_label(value: dt.datetime | None) -> str:
    return formats.time_format(timezone.localtime(value), "H:i") if value else ""


def _choice_label(value: str, choices: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _group_label(key: str, group: str) -> str:
    """One group of a breakdown: "college: elected"."""
    if key == "results_by_college":
        name, value = _("college"), _choice_label(group, College)
    elif key == "results_by_gender":
        name, value = _("gender"), _choice_label(group, Gender)
    else:
        name, value = _("département"), group
    return _("%(group)s: %(value)s") % {"group": name, "value": value}


def choice_text(data: BallotData, choice: Any) -> str:
    """A stored choice as words: option labels, a ranking in order, a candidate's yes / no / abstain."""
    labels = data.labels
    answers = {"yes": _("for"), "no": _("against"), "abstain": _("abstaining")}
    if isinstance(choice, dict):
        return ", ".join(
            f"{labels.get(int(k), k)} : {answers.get(v, v)}" for k, v in sorted(choice.items(), key=lambda kv: kv[0])
        )
    if isinstance(choice, list):
        separator = " > " if data.ballot.kind == Ballot.Kind.RANKING else ", "
        return separator.join(labels.get(c, str(c)) for c in choice)
    return labels.get(choice, str(choice))


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def _header(data: MinutesData) -> Iterator[Block]:
    sitting, meeting = data.sitting, data.sitting.meeting
    yield Heading(_("Minutes of the sitting"), 0)
    yield Paragraph(sitting.assembly.name, "meta", _("Assembly"))
    # The sitting's title is often the meeting's: said once.
    yield Paragraph(" — ".join(dict.fromkeys([meeting.title, sitting.title])), "meta", _("Sitting"))
    yield Paragraph(date_label(timezone.localdate(sitting.starts_at)), "meta", _("Date"))
    hours = [time_label(sitting.opened_at), time_label(sitting.closed_at)]
    if all(hours):
        yield Paragraph(_("from %(start)s to %(end)s") % {"start": hours[0], "end": hours[1]}, "meta", _("Hours"))
    yield Paragraph(", ".join(bit for bit in (meeting.place, meeting.address) if bit) or "—", "meta", _("Place"))
    yield Paragraph(", ".join(data.chairs) or _("no co-president on record"), "meta", _("Chairs"))


def _attendance(data: MinutesData) -> Iterator[Block]:
    present, represented, absent = data.present, data.represented, data.absent
    yield Heading(_("Attendance"), 1)
    yield Paragraph(str(len(data.attendance)), "meta", _("Members of the assembly"))
    yield Paragraph(str(len(present)), "meta", _("Members present"))
    yield Paragraph(str(len(represented)), "meta", _("Represented by proxy"))
    yield Paragraph(str(len(absent)), "meta", _("Absent and not represented"))
    yield Paragraph(
        _("Agora does not record excused absences: absent members are listed without that distinction."), "small"
    )
    if present:
        yield Table(
            header=[_("Member"), _("College"), _("Territory")],
            rows=[[line.name, line.college, line.territory] for line in present],
            caption=_("Present members"),
        )
    if represented:
        yield Table(
            header=[_("Member"), _("College"), _("Proxy holder")],
            rows=[[line.name, line.college, line.holder_name] for line in represented],
            caption=_("Members represented by proxy"),
        )
    if absent:
        yield Table(
            header=[_("Member"), _("College"), _("Territory")],
            rows=[[line.name, line.college, line.territory] for line in absent],
            caption=_("Absent members"),
        )


def _agenda(data: MinutesData) -> Iterator[Block]:
    yield Heading(_("Agenda"), 1)
    if not data.items:
        yield Paragraph(_("The sitting had no agenda item."))
    for item in data.items:
        for part in ITEM_PARTS:
            yield from part(data, item)


def _item_summary(data: MinutesData, item: AgendaItem) -> Iterator[Block]:
    yield Heading(_("Item %(position)s: %(title)s") % {"position": item.position, "title": item.title}, 2)
    yield Paragraph(item.get_kind_display(), "meta", _("Kind"))
    if item.proposal is not None:
        yield Paragraph(
            _("no. %(number)s, “%(title)s”") % {"number": item.proposal.pk, "title": item.proposal.title},
            "meta",
            _("Proposal"),
        )
    for text in item.description.split("\n\n"):
        if text.strip():
            yield Paragraph(text.strip())


def _item_ballots(data: MinutesData, item: AgendaItem) -> Iterator[Block]:
    for ballot in data.ballots_by_item.get(item.pk, []):
        yield from ballot_blocks(ballot)


def _other_ballots(data: MinutesData) -> Iterator[Block]:
    ballots = data.ballots_by_item.get(None, [])
    if ballots:
        yield Heading(_("Ballots outside the agenda"), 1)
        for ballot in ballots:
            yield from ballot_blocks(ballot)


def _closing(data: MinutesData) -> Iterator[Block]:
    yield Heading(_("About these minutes"), 1)
    yield Paragraph(
        _(
            "Drawn up from the sitting's records on %(date)s at %(time)s. Each verdict's fingerprint (SHA-256) "
            "lets anyone holding the ballot papers recount it."
        )
        % {"date": date_label(timezone.localdate(data.generated_at)), "time": time_label(data.generated_at)},
        "small",
    )


# ---------------------------------------------------------------------------------------------
# A ballot
# ---------------------------------------------------------------------------------------------


def ballot_blocks(data: BallotData) -> Iterator[Block]:
    ballot, verdict = data.ballot, data.verdict
    yield Heading(_("Ballot no. %(number)s: %(question)s") % {"number": ballot.pk, "question": ballot.title}, 3)
    yield Paragraph(ballot.get_kind_display(), "meta", _("Kind"))
    rule = ballot.get_majority_display()
    if ballot.double_majority:
        rule = _("%(rule)s, in each college too (double majority)") % {"rule": rule}
    yield Paragraph(rule, "meta", _("Majority rule"))
    yield Paragraph(_("secret") if ballot.secret else _("named"), "meta", _("Ballot"))
    if ballot.state != Ballot.State.CLOSED or verdict is None:
        yield Paragraph(ballot.get_state_display(), "meta", _("State"))
        yield Paragraph(_("Not put to the vote to the end: no result."), "small")
        return
    yield Paragraph(
        _("members: %(members)s, present: %(present)s, represented by proxy: %(represented)s — quorum %(reached)s")
        % {
            "members": verdict.members_count,
            "present": verdict.present_count,
            "represented": verdict.represented_count,
            "reached": _("reached") if verdict.quorum_reached else _("not reached"),
        },
        "meta",
        _("Quorum at the opening"),
    )
    yield Paragraph(
        _("votes cast: %(cast)s, electors: %(electorate)s")
        % {"cast": verdict.votes_cast, "electorate": verdict.electorate},
        "meta",
        _("Participation"),
    )
    yield results_table(data, verdict)
    yield Paragraph(_verdict_text(data, verdict), "meta", _("Verdict"))
    yield Paragraph(verdict.fingerprint, "small", _("Fingerprint (SHA-256)"))
    yield from _names(data)


# Up to this many options, one column per option; beyond, one row per group and option.
WIDE_OPTIONS_MAX = 5


def results_table(data: BallotData, verdict: Verdict) -> Table:
    """The counts of VERDICT in one table: all voters, then each public breakdown (college; on a named
    ballot also gender and département), as stored in the verdict."""
    groups: list[tuple[str, dict[str, Any]]] = [(_("All voters"), verdict.counts)]
    for key in ("results_by_college", "results_by_gender", "results_by_departement"):
        for group, counts in sorted((verdict.breakdown.get(key) or {}).items()):
            if group:
                groups.append((_group_label(key, group), counts))
    options = data.options
    if data.ballot.kind == Ballot.Kind.CANDIDATES:
        rows = []
        for name, counts in groups:
            for option in options:
                answers = (counts.get("candidates") or {}).get(str(option.pk)) or {}
                rows.append([name, option.label, *(str(answers.get(a, 0)) for a in ("yes", "no", "abstain"))])
        return Table([_("Voters"), _("Candidate"), _("For"), _("Against"), _("Abstaining")], rows, _("Results"))
    ranking = data.ballot.kind == Ballot.Kind.RANKING
    caption = _("First preferences") if ranking else _("Results")
    if len(options) > WIDE_OPTIONS_MAX:
        rows = [
            [name, option.label, str((counts.get("options") or {}).get(str(option.pk), 0))]
            for name, counts in groups
            for option in options
        ]
        if ranking:
            borda = verdict.counts.get("borda") or {}
            rows += [[_("Borda points"), o.label, str(borda.get(str(o.pk), 0))] for o in options]
        return Table([_("Voters"), _("Option"), _("Votes")], rows, caption)
    rows = [[name, *(str((c.get("options") or {}).get(str(o.pk), 0)) for o in options)] for name, c in groups]
    if ranking:
        borda = verdict.counts.get("borda") or {}
        rows.append([_("Borda points"), *(str(borda.get(str(o.pk), 0)) for o in options)])
    return Table([_("Voters"), *(o.label for o in options)], rows, caption)


def _verdict_text(data: BallotData, verdict: Verdict) -> str:
    text = verdict.get_outcome_display()
    winners = [data.labels.get(w, str(w)) for w in (verdict.results or {}).get("winners") or []]
    if winners:
        text += " — " + ngettext("chosen: %(names)s", "chosen: %(names)s", len(winners)) % {"names": ", ".join(winners)}
    return text


def _names(data: BallotData) -> Iterator[Block]:
    if data.ballot.secret:
        yield Paragraph(_("Secret ballot: the minutes name no voter."), "small")
        return
    if data.named_votes:
        yield Table(
            header=[_("Member"), _("Vote")],
            rows=[[name, choice_text(data, choice)] for name, choice in data.named_votes],
            caption=_("Named votes"),
        )


Section = Callable[[MinutesData], Iterator[Block]]
ItemPart = Callable[[MinutesData, AgendaItem], Iterator[Block]]

SECTIONS: Sequence[Section] = (_header, _attendance, _agenda, _other_ballots, _closing)
ITEM_PARTS: Sequence[ItemPart] = (_item_summary, _item_ballots)


def minutes_blocks(data: MinutesData) -> list[Block]:
    """The minutes as blocks, section after section (`SECTIONS`)."""
    return [block for section in SECTIONS for block in section(data)]


def minutes_title(data: MinutesData) -> str:
    return _("Minutes — %(sitting)s, %(date)s") % {
        "sitting": data.sitting.title,
        "date": date_label(timezone.localdate(data.sitting.starts_at)),
    }
