"""Demo content of the votes app: closed ballots with verdicts and a prepared election in the demo plenary.

Idempotent: does nothing once the plenary has ballots.
"""

from __future__ import annotations

import random
import uuid

from assembly.models import Gender, Mandate, User
from meetings.demo import demo_sitting, seed_speakers
from meetings.selectors.sittings import agenda
from meetings.services import agenda as agenda_services
from votes import services
from votes.models import Ballot, VoterRoll


def _vote_all(ballot: Ballot, pick) -> None:
    requests = []
    for roll in VoterRoll.objects.filter(ballot=ballot).select_related("member"):
        voter_id = roll.holder_id or roll.member_id
        requests.append(
            services.CastRequest(
                voter=User.objects.get(pk=voter_id),
                ballot=ballot,
                choice=pick(),
                vote_id=uuid.uuid4(),
                on_behalf_of=roll.member_id if roll.holder_id else None,
            )
        )
    services.votes_cast_batch(requests)


def _candidates(sitting) -> list[User]:
    """In each electing college of the demo assembly, two women and two men, the sitting co-presidents first."""
    chosen: list[User] = []
    for college in sitting.assembly.electing_colleges:
        for gender in (Gender.WOMAN, Gender.MAN):
            mandates = (
                Mandate.objects.active_on()
                .filter(assembly_id=sitting.assembly_id, college=college, gender=gender)
                .select_related("user")
                .order_by("-is_copresident", "pk")[:2]
            )
            chosen.extend(m.user for m in mandates)
    return chosen


def seed(*, stdout) -> None:
    sitting = demo_sitting()
    staff = User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    if sitting is None or staff is None or Ballot.objects.filter(sitting=sitting).exists():
        return
    rng = random.Random(2026)
    items = list(agenda(sitting))
    # Each ballot comes from its agenda item, taken up in turn; the first decides the item's proposal
    # (put to the vote when it opens, adopted or not when it closes, by the proposals service).
    agenda_services.agenda_item_make_current(by=staff, item=items[0])

    named = services.ballot_create(
        by=staff,
        sitting=sitting,
        agenda_item=items[0],
        title="Adoptez-vous la proposition d'un transport à la demande intercommunal ?",
        live_results=True,
    )
    services.ballot_open(by=staff, ballot=named)
    yes, no, abstain = (o.pk for o in named.options.order_by("position"))
    _vote_all(named, lambda: rng.choices([yes, no, abstain], weights=[7, 2, 1])[0])
    services.ballot_close(by=staff, ballot=named)

    agenda_services.agenda_item_make_current(by=staff, item=items[1])
    seed_speakers(staff=staff, item=items[1])  # the debate before the vote: a few speakers
    secret = services.ballot_create(
        by=staff,
        sitting=sitting,
        agenda_item=items[1],
        title="Faut-il demander à la Région un fonds d'amorçage pour les centres de santé ?",
        secret=True,
        majority=Ballot.Majority.ABSOLUTE,
        double_majority=True,
    )
    services.ballot_open(by=staff, ballot=secret)
    yes, no, abstain = (o.pk for o in secret.options.order_by("position"))
    _vote_all(secret, lambda: rng.choices([yes, no, abstain], weights=[6, 3, 1])[0])
    services.ballot_close(by=staff, ballot=secret)

    agenda_services.agenda_item_make_current(by=staff, item=items[2])
    ranking = services.ballot_create(
        by=staff,
        sitting=sitting,
        agenda_item=items[2],
        title="Classez les thèmes prioritaires de l'année",
        kind=Ballot.Kind.RANKING,
        options=[
            "Transition écologique et énergétique",
            "Mobilités et transports",
            "Centres de santé",
            "IA et collectivités",
        ],
    )
    services.ballot_open(by=staff, ballot=ranking)
    ids = [o.pk for o in ranking.options.order_by("position")]
    _vote_all(ranking, lambda: rng.sample(ids, len(ids)))
    services.ballot_close(by=staff, ballot=ranking)

    agenda_services.agenda_item_make_current(by=staff, item=items[3])
    # The election item: two women and two men of the elected college stand (the AdT's rules: two
    # co-presidents from the elected college, one woman and one man); prepared, for the room to elect.
    services.ballot_create(
        by=staff,
        sitting=sitting,
        agenda_item=items[3],
        title="Élection de la co-présidence",
        kind=Ballot.Kind.ELECTION,
        candidates=_candidates(sitting),
        secret=True,
    )
    stdout.write("  votes: 3 closed ballots with verdicts (one on a proposal), 1 election prepared; item 4 in progress")
