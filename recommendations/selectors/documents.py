"""What a recommendation's detail page and a dossier's document show: the lineage of each
recommendation (source proposals, key comments and opinions, the ballots and their results by
college, gender and département, the Region's answer).

`dossier_document` fetches recommendations in batches of BATCH_SIZE with a fixed number of
queries per batch, so a 200-recommendation dossier costs a few dozen queries and never
holds more than one batch of rows at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Choices, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import College, Departement, Gender, Mandate
from recommendations import document as d
from recommendations.models import Dossier, DossierItem, Recommendation, RecommendationSource, RegionAnswer
from votes.models import Ballot, BallotOption, Verdict, Vote

if TYPE_CHECKING:
    from proposals.models import Comment, Opinion


BATCH_SIZE = 50


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def recommendation_url(pk: int) -> str:
    return _absolute(reverse("recommendations:detail", kwargs={"pk": pk}))


def proposal_url(pk: int) -> str:
    try:
        return _absolute(reverse("proposals:detail", kwargs={"pk": pk}))
    except NoReverseMatch:
        return _absolute(f"/propositions/{pk}/")


def proposal_reference(pk: int) -> str:
    return f"P-{pk}"


# --- Ballots ----------------------------------------------------------------------------------


def _ync(options: Mapping[str, int] | None, codes: dict[int, str]) -> tuple[int, int, int]:
    found = {"yes": 0, "no": 0, "abstain": 0}
    for option_id, count in (options or {}).items():
        code = codes.get(int(option_id), "")
        if code in found:
            found[code] += int(count)
    return found["yes"], found["no"], found["abstain"]


def _group_labels() -> dict[str, dict[str, str]]:
    return {
        "results_by_college": {College.ELECTED: _("Elected college"), College.CITIZEN: _("Citizen college")},
        "results_by_gender": {Gender.WOMAN: _("Women"), Gender.MAN: _("Men")},
    }


# Elected before citizens, women before men: the order the assembly's reports use.
_GROUP_ORDER = {College.ELECTED: 0, College.CITIZEN: 1, Gender.WOMAN: 0, Gender.MAN: 1}


def _label(choices: type[Choices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def ballot_result(
    ballot: Ballot,
    verdict: Verdict,
    codes: dict[int, str],
    labels: dict[int, str],
    departements: dict[str, str],
    named: Sequence[tuple[str, object]] = (),
) -> d.BallotResult:
    """The published result of a closed BALLOT: totals, by college, gender and département."""
    breakdown = verdict.breakdown or {}

    names = _group_labels()

    def tallies(key: str, label: Callable[[str], str]) -> tuple[d.Tally, ...]:
        groups = sorted((breakdown.get(key) or {}).items(), key=lambda item: (_GROUP_ORDER.get(item[0], 9), item[0]))
        return tuple(
            d.Tally(names.get(key, {}).get(group) or label(group), *_ync(values.get("options", {}), codes))
            for group, values in groups
            if group
        )

    def choice_label(choice: object) -> str:
        if isinstance(choice, int):
            return labels.get(choice, str(choice))
        if isinstance(choice, list) and choice and isinstance(choice[0], int):
            return ", ".join(labels.get(c, str(c)) for c in choice)
        return str(choice)

    closed = ballot.closed_at or verdict.computed_at
    return d.BallotResult(
        reference=_("Ballot no. %(number)s") % {"number": ballot.pk},
        question=ballot.title,
        held_on=timezone.localdate(closed) if closed else None,
        sitting=ballot.sitting.title,
        outcome=verdict.outcome,
        outcome_label=_label(Verdict.Outcome, verdict.outcome),
        majority_rule=_label(Ballot.Majority, verdict.majority),
        quorum_reached=verdict.quorum_reached,
        total=d.Tally(_("All voters"), *_ync(verdict.counts.get("options", {}), codes)),
        by_college=tallies("results_by_college", lambda g: _label(College, g)),
        by_gender=tallies("results_by_gender", lambda g: _label(Gender, g)),
        by_departement=tallies("results_by_departement", lambda g: f"{g} {departements.get(g, '')}".strip()),
        named_votes=tuple(d.NamedVote(name, choice_label(choice)) for name, choice in named),
    )


def _ballot_results(ballot_ids: set[int]) -> dict[int, d.BallotResult]:
    """Results of the closed ballots among BALLOT_IDS, in four queries."""
    if not ballot_ids:
        return {}
    ballots = {
        b.pk: b
        for b in Ballot.objects.filter(pk__in=ballot_ids, verdict__isnull=False).select_related("sitting", "verdict")
    }
    codes: dict[int, str] = {}
    labels: dict[int, str] = {}
    for option_id, code, label in BallotOption.objects.filter(ballot_id__in=ballots).values_list("id", "code", "label"):
        codes[option_id] = code
        labels[option_id] = label
    named: dict[int, list[tuple[str, object]]] = defaultdict(list)
    # Names only for elected members, only in named ballots (what the public pages show).
    votes = (
        Vote.objects.filter(
            ballot_id__in=[pk for pk, b in ballots.items() if not b.secret],
            superseded=False,
            elector__college=College.ELECTED,
        )
        .select_related("elector__member")
        .order_by("elector__member__last_name", "elector__member__first_name", "id")
    )
    for vote in votes:
        assert vote.elector is not None  # the filter on the elector's college leaves out votes without one
        named[vote.ballot_id].append((vote.elector.member.display_name, vote.choice))
    departements = dict(Departement.objects.values_list("code", "name"))
    return {
        pk: ballot_result(ballot, ballot.verdict, codes, labels, departements, named.get(pk, ()))
        for pk, ballot in ballots.items()
    }


# --- Recommendations ----------------------------------------------------------------------------


def _author_labels(users: set[int], assembly_id: int) -> dict[int, str]:
    """Commenters as the public sees them in a dossier: college and territory, never a name."""
    labels: dict[int, str] = {}
    mandates = (
        Mandate.objects.filter(user_id__in=users, assembly_id=assembly_id)
        .select_related("territory")
        .order_by("user_id", "-start_date")
    )
    for mandate in mandates:
        labels.setdefault(
            mandate.user_id,
            _("Member, %(college)s college, %(territory)s")
            % {"college": mandate.get_college_display(), "territory": mandate.territory.name},
        )
    return labels


def _section_of(recommendation: Recommendation) -> str:
    themes = sorted(recommendation.themes.all(), key=lambda t: (t.position, t.name))
    return themes[0].name if themes else _("Other recommendations")


def _batch_queryset(ids: Sequence[int]) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(pk__in=ids)
        .prefetch_related(
            "themes",
            "territories",
            Prefetch(
                "sources",
                queryset=RecommendationSource.objects.select_related(
                    "proposal__territory__departement"
                ).prefetch_related("proposal__themes"),
            ),
            Prefetch("key_comments", queryset=_comments_queryset()),
            Prefetch("key_opinions", queryset=_opinions_queryset()),
            Prefetch("answers", queryset=RegionAnswer.objects.order_by("-answered_on", "-id")),
        )
        .select_related("adoption_sitting")
    )


def _comments_queryset() -> QuerySet[Comment]:
    from proposals.models import Comment

    return Comment.objects.filter(is_hidden=False).order_by("created_at", "id")


def _opinions_queryset() -> QuerySet[Opinion]:
    from proposals.models import Opinion

    return Opinion.objects.filter(is_hidden=False).select_related("organisation").order_by("created_at", "id")


def current_answer(recommendation: Recommendation) -> RegionAnswer | None:
    answers = list(recommendation.answers.all())
    return answers[0] if answers else None


def _entries(recommendations: Sequence[Recommendation]) -> list[d.RecommendationEntry]:
    ballot_ids = {r.adoption_ballot_id for r in recommendations if r.adoption_ballot_id}
    for recommendation in recommendations:
        ballot_ids |= {s.ballot_id for s in recommendation.sources.all() if s.ballot_id}
    results = _ballot_results(ballot_ids)
    authors: dict[int, set[int]] = defaultdict(set)
    for recommendation in recommendations:
        authors[recommendation.assembly_id] |= {c.author_id for c in recommendation.key_comments.all()}
    labels: dict[int, str] = {}
    for assembly_id, users in authors.items():
        labels |= _author_labels(users, assembly_id)
    entries = []
    for r in recommendations:
        answer = current_answer(r)
        adoption = None
        if r.adoption_mode:
            adoption = d.Adoption(
                mode=r.adoption_mode,
                mode_label=str(r.get_adoption_mode_display()),
                date=r.adopted_on,
                sitting=r.adoption_sitting.title if r.adoption_sitting else "",
                ballot=results.get(r.adoption_ballot_id) if r.adoption_ballot_id else None,
            )
        sources = list(r.sources.all())
        entries.append(
            d.RecommendationEntry(
                id=r.pk,
                reference=r.reference,
                number=r.number,
                title=r.title,
                text=r.text,
                policy=r.policy,
                section=_section_of(r),
                themes=tuple(t.name for t in sorted(r.themes.all(), key=lambda t: (t.position, t.name))),
                territories=tuple(sorted(t.name for t in r.territories.all())),
                version=r.version,
                url=recommendation_url(r.pk),
                adoption=adoption,
                sources=tuple(
                    d.SourceProposal(
                        id=s.proposal_id,
                        reference=proposal_reference(s.proposal_id),
                        title=s.proposal.title,
                        url=proposal_url(s.proposal_id),
                        territory=s.proposal.territory.name,
                        departement=str(s.proposal.territory.departement),
                        college=_label(College, s.proposal.author_college) if s.proposal.author_college else "",
                        themes=tuple(t.name for t in s.proposal.themes.all()),
                        supports=s.proposal.support_count,
                    )
                    for s in sources
                ),
                comments=tuple(
                    d.KeyComment(
                        proposal_reference=proposal_reference(c.proposal_id),
                        author=labels.get(c.author_id, _("Participant")),
                        text=c.body,
                        date=timezone.localdate(c.created_at),
                    )
                    for c in r.key_comments.all()
                ),
                opinions=tuple(
                    d.PartnerOpinion(
                        proposal_reference=proposal_reference(o.proposal_id),
                        organisation=o.organisation.name,
                        text=o.body,
                        date=timezone.localdate(o.created_at),
                    )
                    for o in r.key_opinions.all()
                ),
                ballots=tuple(results[s.ballot_id] for s in sources if s.ballot_id in results),
                answer=(
                    d.Answer(
                        status=answer.status,
                        status_label=str(answer.get_status_display()),
                        text=answer.text,
                        answered_on=answer.answered_on,
                        reference=answer.reference,
                        expected_on=answer.expected_on,
                    )
                    if answer
                    else None
                ),
            )
        )
    return entries


def recommendation_entry(recommendation: Recommendation) -> d.RecommendationEntry:
    """The full lineage of one recommendation (the public detail page shows it)."""
    return _entries(list(_batch_queryset([recommendation.pk])))[0]


def iter_entries(ids: Sequence[int], batch_size: int = BATCH_SIZE) -> Iterator[d.RecommendationEntry]:
    """Entries for IDS in that order, fetched batch by batch."""
    for start in range(0, len(ids), batch_size):
        chunk = list(ids[start : start + batch_size])
        found = {r.pk: r for r in _batch_queryset(chunk)}
        yield from _entries([found[pk] for pk in chunk if pk in found])


# --- Dossiers -----------------------------------------------------------------------------------


def dossier_order(dossier: Dossier) -> list[tuple[int, d.SummaryLine]]:
    """(id, summary line) of the dossier's recommendations: by section (theme order), then position."""
    items = list(
        DossierItem.objects.filter(dossier=dossier)
        .order_by("position", "id")
        .values_list("recommendation_id", "recommendation__number", "recommendation__title")
    )
    themes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    through = Recommendation.themes.through
    for rec_id, position, name in through.objects.filter(recommendation_id__in=[i[0] for i in items]).values_list(
        "recommendation_id", "theme__position", "theme__name"
    ):
        themes[rec_id].append((position, name))
    other = _("Other recommendations")
    keyed = []
    for index, (rec_id, number, title) in enumerate(items):
        first = min(themes[rec_id]) if themes[rec_id] else (10**6, other)
        keyed.append(((first[0], first[1], index), rec_id, d.SummaryLine(f"R{number:03d}", title, first[1])))
    keyed.sort(key=lambda row: row[0])
    return [(rec_id, line) for _key, rec_id, line in keyed]


def dossier_document(dossier: Dossier) -> d.DossierDocument:
    """The dossier as a `DossierDocument` (entries fetched lazily, in batches)."""
    order = dossier_order(dossier)
    ids = [rec_id for rec_id, _line in order]
    moment = dossier.transmitted_at or dt.datetime.combine(dossier.date, dt.time(0, 0), tzinfo=dt.UTC)
    return d.DossierDocument(
        id=dossier.pk,
        reference=dossier.reference,
        title=dossier.title,
        assembly=dossier.assembly.name,
        recipient=dossier.recipient,
        date=dossier.date,
        introduction=dossier.introduction,
        language=settings.LANGUAGE_CODE,
        generated_at=moment.astimezone(dt.UTC).replace(microsecond=0),
        url=_absolute(reverse("recommendations:dossier", kwargs={"pk": dossier.pk})),
        summary=[line for _rec_id, line in order],
        entries_factory=lambda: iter_entries(ids),
    )
