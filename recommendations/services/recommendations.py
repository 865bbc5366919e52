"""A recommendation's life before it leaves the assembly: compile it from adopted proposals, edit
its wording (a version kept once adopted), merge or split drafts, and record its adoption.

The lineage (source proposals, the ballots that adopted them, key comments and opinions) is
set here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Assembly, Territory, User
from core import audit
from core.errors import Conflict, ValidationFailed
from core.services import clean_text, require
from meetings.models import Sitting
from proposals.models import Comment, Opinion, Proposal, Theme
from recommendations.models import Recommendation, RecommendationSource, RecommendationVersion
from recommendations.services._common import parse_date
from votes.models import Ballot, Verdict


def _clean_title(title: str) -> str:
    return clean_text(
        title,
        field="title",
        max_length=Recommendation.TITLE_MAX_LENGTH,
        required=True,
        required_message=_("A title is required."),
        too_long_message=_("The title is too long (%(max)s characters at most)."),
    )


def _clean_text(text: str) -> str:
    return clean_text(
        text,
        field="text",
        max_length=Recommendation.TEXT_MAX_LENGTH,
        required=True,
        required_message=_("A text is required."),
        too_long_message=_("The text is too long."),
    )


def _clean_policy(policy: str) -> str:
    return clean_text(
        policy,
        field="policy",
        max_length=Recommendation.POLICY_MAX_LENGTH,
        too_long_message=_("The policy reference is too long (%(max)s characters at most)."),
    )


def _check_proposals(assembly: Assembly, proposals: Sequence[Proposal]) -> list[Proposal]:
    if not proposals:
        raise ValidationFailed(_("Choose at least one adopted proposal."), field="proposals")
    unique = list({p.pk: p for p in proposals}.values())
    for proposal in unique:
        if proposal.assembly_id != assembly.pk:
            raise ValidationFailed(_("This proposal belongs to another assembly."), field="proposals")
        if proposal.status != Proposal.Status.ADOPTED:
            raise ValidationFailed(
                _("“%(title)s” has not been adopted by the assembly: only adopted proposals can be compiled.")
                % {"title": proposal.title},
                field="proposals",
                code="proposal_not_adopted",
            )
    return unique


def _adopting_ballots(proposals: Sequence[Proposal], given: Mapping[int, Ballot | None] | None) -> dict[int, Ballot]:
    """The ballot that adopted each proposal: the one GIVEN for it, else the latest closed ballot it won.

    A ballot points to its proposal (`votes.Ballot.proposal`); one query finds them all. A ballot
    given explicitly overrides the lookup, but must have adopted that proposal (or point to none).
    """
    given = given or {}
    found: dict[int, Ballot] = {}
    missing = [p.pk for p in proposals if given.get(p.pk) is None]
    if missing:
        won = (
            Ballot.objects.filter(
                proposal_id__in=missing, state=Ballot.State.CLOSED, verdict__outcome=Verdict.Outcome.ADOPTED
            )
            .select_related("sitting")
            .order_by("proposal_id", "-closed_at", "-id")
        )
        for ballot in won:
            assert ballot.proposal_id is not None  # the filter on proposal_id leaves out the others
            found.setdefault(ballot.proposal_id, ballot)
    by_id = {p.pk: p for p in proposals}
    for proposal_id, chosen in given.items():
        if chosen is None or proposal_id not in by_id:
            continue
        if chosen.proposal_id not in (None, proposal_id):
            raise ValidationFailed(_("This ballot was about another proposal."), field="ballots")
        verdict = Verdict.objects.filter(ballot=chosen).first()
        if verdict is None or verdict.outcome != Verdict.Outcome.ADOPTED:
            raise ValidationFailed(_("This ballot is not closed with an adoption."), field="ballots")
        found[proposal_id] = chosen
    for proposal_id, ballot in found.items():
        if ballot.sitting.assembly_id != by_id[proposal_id].assembly_id:
            raise ValidationFailed(_("This ballot belongs to another assembly."), field="ballots")
    return found


def _set_lineage(
    recommendation: Recommendation,
    proposals: list[Proposal],
    *,
    key_comments: Iterable[Comment],
    key_opinions: Iterable[Opinion],
    ballots: Mapping[int, Ballot | None] | None,
) -> None:
    ids = {p.pk for p in proposals}
    comments = list(key_comments)
    opinions = list(key_opinions)
    if any(c.proposal_id not in ids or c.is_hidden for c in comments):
        raise ValidationFailed(
            _("Key comments must be visible comments on the source proposals."), field="key_comments"
        )
    if any(o.proposal_id not in ids or o.is_hidden for o in opinions):
        raise ValidationFailed(_("Opinions must be visible avis on the source proposals."), field="key_opinions")
    adopting = _adopting_ballots(proposals, ballots)
    RecommendationSource.objects.filter(recommendation=recommendation).delete()
    RecommendationSource.objects.bulk_create(
        RecommendationSource(recommendation=recommendation, proposal=p, ballot=adopting.get(p.pk), position=index)
        for index, p in enumerate(proposals)
    )
    recommendation.key_comments.set(comments)
    recommendation.key_opinions.set(opinions)


@transaction.atomic
def recommendation_compile(
    *,
    by: User,
    assembly: Assembly,
    title: str,
    text: str,
    proposals: Sequence[Proposal],
    policy: str = "",
    themes: Iterable[Theme] | None = None,
    territories: Iterable[Territory] | None = None,
    key_comments: Iterable[Comment] = (),
    key_opinions: Iterable[Opinion] = (),
    ballots: Mapping[int, Ballot | None] | None = None,
) -> Recommendation:
    """Create a draft recommendation from one or more ADOPTED proposals of ASSEMBLY.

    Themes and territories default to those of the proposals. The ballot that adopted each
    proposal is found by itself (the latest closed ballot on that proposal that it won);
    BALLOTS, mapping a proposal id to a ballot, overrides that lookup.
    """
    require(by, "recommendations.compile_recommendation", assembly)
    title, text, policy = _clean_title(title), _clean_text(text), _clean_policy(policy)
    proposals = _check_proposals(assembly, proposals)
    # Lock the assembly row: two staff compiling at once must not get the same number.
    Assembly.objects.select_for_update().get(pk=assembly.pk)
    number = (Recommendation.objects.filter(assembly=assembly).aggregate(top=Max("number"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            recommendation = Recommendation.objects.create(
                assembly=assembly, number=number, title=title, text=text, policy=policy, created_by=by
            )
    except IntegrityError:
        raise Conflict(_("Another recommendation was just created; please try again.")) from None
    _set_lineage(recommendation, proposals, key_comments=key_comments, key_opinions=key_opinions, ballots=ballots)
    recommendation.themes.set(
        themes if themes is not None else Theme.objects.filter(proposals__in=proposals).distinct()
    )
    recommendation.territories.set(
        territories if territories is not None else Territory.objects.filter(proposals__in=proposals).distinct()
    )
    audit.record(
        actor=by,
        action="recommendations.recommendation_compile",
        target=recommendation,
        data={"proposals": [p.pk for p in proposals], "number": number},
    )
    return recommendation


def _snapshot(recommendation: Recommendation, *, by: User, reason: str) -> None:
    RecommendationVersion.objects.create(
        recommendation=recommendation,
        version=recommendation.version,
        title=recommendation.title,
        text=recommendation.text,
        policy=recommendation.policy,
        theme_names=[t.name for t in recommendation.themes.all()],
        territory_names=[t.name for t in recommendation.territories.all()],
        edited_by=by,
        reason=reason,
    )


@transaction.atomic
def recommendation_update(
    *,
    by: User,
    recommendation: Recommendation,
    title: str,
    text: str,
    policy: str = "",
    themes: Iterable[Theme] | None = None,
    territories: Iterable[Territory] | None = None,
    reason: str = "",
) -> Recommendation:
    """Change the wording. After adoption the previous wording is kept as a version and a reason is required."""
    require(by, "recommendations.change_recommendation", recommendation)
    title, text, policy = _clean_title(title), _clean_text(text), _clean_policy(policy)
    # Lock: two concurrent edits must not both snapshot the same version number.
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    adopted = recommendation.status != Recommendation.Status.DRAFT
    reason = clean_text(
        reason,
        field="reason",
        max_length=Recommendation.REASON_MAX_LENGTH,
        required=adopted,
        required_message=_("Say why an adopted recommendation is changed."),
    )
    if adopted:
        _snapshot(recommendation, by=by, reason=reason)
        recommendation.version += 1
    before = {"title": recommendation.title, "version": recommendation.version}
    recommendation.title, recommendation.text, recommendation.policy = title, text, policy
    recommendation.updated_at = timezone.now()
    recommendation.save()
    if themes is not None:
        recommendation.themes.set(themes)
    if territories is not None:
        recommendation.territories.set(territories)
    audit.record(
        actor=by,
        action="recommendations.recommendation_update",
        target=recommendation,
        reason=reason,
        data={"before": before, "version": recommendation.version},
    )
    return recommendation


@transaction.atomic
def recommendation_merge(
    *, by: User, recommendations: Sequence[Recommendation], title: str, text: str, policy: str = ""
) -> Recommendation:
    """Merge draft recommendations into one new draft carrying all their lineage; the drafts go."""
    if len({r.pk for r in recommendations}) < 2:
        raise ValidationFailed(_("Choose at least two recommendations to merge."), field="recommendations")
    for recommendation in recommendations:
        require(by, "recommendations.change_recommendation", recommendation)
        if recommendation.status != Recommendation.Status.DRAFT:
            raise Conflict(_("Only draft recommendations can be merged."))
    assembly = recommendations[0].assembly
    if any(r.assembly_id != assembly.pk for r in recommendations):
        raise ValidationFailed(_("These recommendations belong to different assemblies."), field="recommendations")
    ids = [r.pk for r in recommendations]
    sources = RecommendationSource.objects.filter(recommendation_id__in=ids).select_related("proposal", "ballot")
    proposals = list({s.proposal_id: s.proposal for s in sources}.values())
    ballots = {s.proposal_id: s.ballot for s in sources if s.ballot_id}
    merged = recommendation_compile(
        by=by,
        assembly=assembly,
        title=title,
        text=text,
        policy=policy,
        proposals=proposals,
        themes=Theme.objects.filter(recommendations__in=ids).distinct(),
        territories=Territory.objects.filter(recommendations__in=ids).distinct(),
        key_comments=Comment.objects.filter(key_in_recommendations__in=ids).distinct(),
        key_opinions=Opinion.objects.filter(key_in_recommendations__in=ids).distinct(),
        ballots=ballots,
    )
    for recommendation in recommendations:
        audit.record(
            actor=by,
            action="recommendations.recommendation_merge",
            target=recommendation,
            data={"into": merged.pk},
        )
    Recommendation.objects.filter(pk__in=ids).delete()
    return merged


@transaction.atomic
def recommendation_split(
    *, by: User, recommendation: Recommendation, parts: Sequence[dict[str, Any]]
) -> list[Recommendation]:
    """Split a draft into several drafts; each part is {"title", "text", "proposals"} (a subset of the sources)."""
    require(by, "recommendations.change_recommendation", recommendation)
    if recommendation.status != Recommendation.Status.DRAFT:
        raise Conflict(_("Only a draft recommendation can be split."))
    if len(parts) < 2:
        raise ValidationFailed(_("A split needs at least two parts."), field="parts")
    sources = {s.proposal_id: s for s in recommendation.sources.select_related("proposal", "ballot")}
    used: set[int] = set()
    for part in parts:
        chosen = {p.pk if hasattr(p, "pk") else int(p) for p in part.get("proposals", [])}
        if not chosen or not chosen <= set(sources):
            raise ValidationFailed(_("Each part must take some of the recommendation's proposals."), field="parts")
        used |= chosen
    if used != set(sources):
        raise ValidationFailed(_("Every source proposal must go to one of the parts."), field="parts")
    comments = list(recommendation.key_comments.all())
    opinions = list(recommendation.key_opinions.all())
    created = []
    for part in parts:
        chosen_sources = [sources[p.pk if hasattr(p, "pk") else int(p)] for p in part["proposals"]]
        ids = {s.proposal_id for s in chosen_sources}
        created.append(
            recommendation_compile(
                by=by,
                assembly=recommendation.assembly,
                title=part.get("title", ""),
                text=part.get("text", ""),
                policy=part.get("policy", recommendation.policy),
                proposals=[s.proposal for s in chosen_sources],
                key_comments=[c for c in comments if c.proposal_id in ids],
                key_opinions=[o for o in opinions if o.proposal_id in ids],
                ballots={s.proposal_id: s.ballot for s in chosen_sources if s.ballot_id},
            )
        )
    audit.record(
        actor=by,
        action="recommendations.recommendation_split",
        target=recommendation,
        data={"into": [r.pk for r in created]},
    )
    recommendation.delete()
    return created


@transaction.atomic
def recommendation_adopt(
    *,
    by: User,
    recommendation: Recommendation,
    mode: str,
    on: dt.date | str | None = None,
    sitting: Sitting | None = None,
    ballot: Ballot | None = None,
) -> Recommendation:
    """Record that the assembly adopted RECOMMENDATION, by a closed ballot it won or by consensus at a sitting."""
    require(by, "recommendations.adopt_recommendation", recommendation)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != Recommendation.Status.DRAFT:
        raise Conflict(_("This recommendation has already been adopted."))
    if mode == Recommendation.AdoptionMode.BALLOT:
        if ballot is None:
            raise ValidationFailed(_("Choose the ballot that adopted the recommendation."), field="ballot")
        verdict = Verdict.objects.filter(ballot=ballot).first()
        if verdict is None or verdict.outcome != Verdict.Outcome.ADOPTED:
            raise ValidationFailed(_("This ballot is not closed with an adoption."), field="ballot")
        if ballot.sitting.assembly_id != recommendation.assembly_id:
            raise ValidationFailed(_("This ballot belongs to another assembly."), field="ballot")
        sitting = ballot.sitting
        day = parse_date(on, field="on", required=False) or timezone.localdate(ballot.closed_at or timezone.now())
    elif mode == Recommendation.AdoptionMode.CONSENSUS:
        if sitting is None:
            raise ValidationFailed(_("Choose the sitting where the consensus was reached."), field="sitting")
        if sitting.assembly_id != recommendation.assembly_id:
            raise ValidationFailed(_("This sitting belongs to another assembly."), field="sitting")
        day = parse_date(on, field="on", required=False) or timezone.localdate(sitting.starts_at)
        ballot = None
    else:
        raise ValidationFailed(_("Adoption is by ballot or by consensus."), field="mode")
    recommendation.status = Recommendation.Status.ADOPTED
    recommendation.adoption_mode = mode
    recommendation.adopted_on = day
    recommendation.adoption_sitting = sitting
    recommendation.adoption_ballot = ballot
    recommendation.save()
    audit.record(
        actor=by,
        action="recommendations.recommendation_adopt",
        target=recommendation,
        data={"mode": mode, "on": day.isoformat(), "ballot": ballot.pk if ballot else None},
    )
    return recommendation
