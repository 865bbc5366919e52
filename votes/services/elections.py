"""Elections of people: the candidates of an election ballot, and the proclamation of those elected.

An election ballot (`Ballot.Kind.ELECTION`) has one option per candidate: a member of the
sitting's assembly with a mandate running today in one of the assembly's electing colleges
(`Assembly.copresidency_colleges`; the AdT: the elected college), never a partner nor a person
without a seat. The option's label shows the candidate's name and college; its code is the
college, which the choice check (`choices`) and the tally (`votes.tally.election_winners`) read.
Each electing college elects the assembly's `copresidents_per_college` (the AdT: two); a tie for
the last seat leaves that college's seats empty.

Once the ballot is closed, staff proclaim the result (`election_proclaim`), once: a
`Proclamation` is stored and the elected become the co-presidency through
`assembly.services.copresidency_replace`, which ends every current co-presidency of the assembly
(the new co-presidency replaces the old one as a whole) and checks the seats and the parity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assembly import services as assembly_services
from assembly.models import College, Mandate, User
from assembly.selectors import roles_of
from core import audit
from core.errors import Conflict, NotFound, ValidationFailed
from core.services import require
from meetings.models import Sitting
from votes.models import Ballot, BallotOption, Proclamation, Verdict
from votes.services._common import pk_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The college as its name reads after a person's ("Claire Martin — Collège des élus").
COLLEGE_NAMES: dict[str, StrOrPromise] = {
    College.ELECTED: gettext_lazy("Elected college"),
    College.CITIZEN: gettext_lazy("Citizen college"),
}


def college_name(college: str) -> str:
    return str(COLLEGE_NAMES.get(college, college))


@dataclass(frozen=True)
class Candidate:
    """A member who stands, with the mandate that makes them eligible."""

    person: User
    mandate: Mandate

    @property
    def college(self) -> str:
        return self.mandate.college

    @property
    def label(self) -> str:
        return f"{self.person.display_name} — {college_name(self.mandate.college)}"


def election_candidates(*, sitting: Sitting, candidates: Sequence[User | int]) -> list[Candidate]:
    """Check CANDIDATES stand in SITTING's assembly: each a member with a mandate running today.

    Returned by college (elected, then citizens), each college in the order given.

    Refused (`ValidationFailed` on `candidates`): none given, the same person twice, a partner
    (`candidate_partner`), a person with no running mandate of the assembly (`candidate_not_member`),
    a member of a college that does not elect the co-presidency (`candidate_not_eligible`).
    """
    assembly = sitting.assembly
    ids = [pk_of(c, "candidates") for c in candidates]
    if not ids:
        raise ValidationFailed(_("Choose at least one candidate."), field="candidates", code="no_candidates")
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("A candidate appears twice."), field="candidates")
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    mandates = {
        m.user_id: m
        for m in Mandate.objects.active_on(timezone.localdate()).filter(
            assembly_id=sitting.assembly_id, user_id__in=ids
        )
    }
    out = []
    for pk in ids:
        person = people.get(pk)
        if person is None:
            raise ValidationFailed(_("This person does not exist."), field="candidates", code="candidate_not_member")
        mandate = mandates.get(pk)
        if mandate is None:
            if sitting.assembly_id in roles_of(person, fresh=True).partner_of:
                raise ValidationFailed(
                    _("%(name)s is a partner: partners do not stand for election.") % {"name": person.display_name},
                    field="candidates",
                    code="candidate_partner",
                )
            raise ValidationFailed(
                _("%(name)s is not a member of this assembly: only members stand for election.")
                % {"name": person.display_name},
                field="candidates",
                code="candidate_not_member",
            )
        if mandate.college not in assembly.electing_colleges:
            raise ValidationFailed(
                _("%(name)s sits in the %(college)s, which does not elect the co-presidency of this assembly.")
                % {"name": person.display_name, "college": college_name(mandate.college)},
                field="candidates",
                code="candidate_not_eligible",
            )
        out.append(Candidate(person=person, mandate=mandate))
    # By college, the elected first (the assembly's order), then in the order given.
    out.sort(key=lambda c: College.values.index(c.college) if c.college in College.values else len(College.values))
    return out


def election_options(ballot: Ballot, candidates: Sequence[Candidate]) -> None:
    """Store one option per candidate, in the order given (inside `ballot_create`'s transaction)."""
    BallotOption.objects.bulk_create(
        BallotOption(
            ballot=ballot,
            position=i,
            label=c.label[: BallotOption.LABEL_MAX_LENGTH],
            code=c.college,
            candidate=c.person,
        )
        for i, c in enumerate(candidates, start=1)
    )


def _lock(ballot: Ballot | int) -> Ballot:
    # Proclaiming locks the ballot row: two staff pressing "proclaim" at once give one proclamation.
    try:
        return Ballot.objects.select_for_update().select_related("sitting__assembly").get(pk=pk_of(ballot, "ballot"))
    except Ballot.DoesNotExist as exc:
        raise NotFound(_("This ballot does not exist.")) from exc


def election_proclaim(*, by: User, ballot: Ballot | int) -> Proclamation:
    """Proclaim those a closed election BALLOT elected: they replace the assembly's co-presidency.

    Refused: not an election (`not_an_election`), not closed (`ballot_not_closed`), already
    proclaimed (`already_proclaimed`), no quorum (`no_quorum`), a tie in a college
    (`election_tied`: vote again), nobody elected (`nobody_elected`), or the assembly's rule set
    not met (`parity_not_met`, `copresidency_full`). Nothing changes when refused.
    """
    require(by, "votes.proclaim_election", ballot)
    with transaction.atomic():
        ballot = _lock(ballot)
        if ballot.kind != Ballot.Kind.ELECTION:
            raise Conflict(_("This ballot is not an election."), code="not_an_election")
        if ballot.state != Ballot.State.CLOSED:
            raise Conflict(_("An election is proclaimed once its ballot is closed."), code="ballot_not_closed")
        if Proclamation.objects.filter(ballot=ballot).exists():
            raise Conflict(_("This election has already been proclaimed."), code="already_proclaimed")
        verdict = Verdict.objects.get(ballot=ballot)
        if verdict.outcome == Verdict.Outcome.NO_QUORUM:
            raise Conflict(_("The quorum was not reached: nobody is elected."), code="no_quorum")
        tied = verdict.results.get("tied") or []
        if tied:
            raise Conflict(
                _("A tie for the seat (%(colleges)s): nobody is elected there; vote again.")
                % {"colleges": ", ".join(college_name(c) for c in tied)},
                code="election_tied",
            )
        winners = [int(o) for o in verdict.results.get("winners") or []]
        if not winners:
            raise Conflict(_("Nobody is elected."), code="nobody_elected")
        options = {
            o.pk: o for o in BallotOption.objects.filter(ballot=ballot, pk__in=winners).select_related("candidate")
        }
        elected = [options[o] for o in winners if o in options and options[o].candidate_id]
        # The elected replace the whole current co-presidency; the seats and the parity are checked there.
        assembly_services.copresidency_replace(
            by=by,
            assembly=ballot.sitting.assembly,
            people=[o.candidate for o in elected if o.candidate is not None],
            ballot_ref=f"ballot:{ballot.pk}",
        )
        try:
            with transaction.atomic():
                proclamation = Proclamation.objects.create(
                    ballot=ballot,
                    proclaimed_by=by,
                    elected=[{"person": o.candidate_id, "college": o.code, "option": o.pk} for o in elected],
                )
        except IntegrityError as exc:
            raise Conflict(_("This election has already been proclaimed."), code="already_proclaimed") from exc
        audit.record(actor=by, action="votes.election_proclaim", target=ballot, data={"elected": proclamation.elected})
    return proclamation
