"""Demo data: the realistic assembly, deterministic and idempotent."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from assembly import demo
from assembly.models import Assembly, College, Departement, Mandate, PartnerOrganisation, Territory, User
from assembly.selectors import composition, current_copresidents, roles_of


def _counts() -> dict[str, int]:
    """Rows of every model whose table exists (every app's demo data, not only the assembly's)."""
    tables = set(connection.introspection.table_names())
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.db_table in tables}


@pytest.fixture
def seeded(db):
    demo.seed(stdout=io.StringIO())


def test_demo_assembly_is_complete_and_at_parity(seeded):
    assert Departement.objects.count() == 13
    assert Territory.objects.count() == 58
    adt = Assembly.objects.get(slug="adt")
    assert set(Assembly.objects.values_list("name", flat=True)) == {
        "Assemblée des Territoires",
        "Parlement de la Mer",
        "Parlement de la Montagne",
    }
    result = composition(adt)
    assert (result.seats, result.filled, result.vacancies) == (232, 232, 0)
    assert (result.women, result.men, result.elected, result.citizens) == (116, 116, 116, 116)
    assert result.imbalanced == []
    assert Mandate.objects.filter(is_copresident=True).count() == 2
    assert Mandate.objects.filter(end_date__isnull=False).count() == 3  # members who left, replaced
    assert Mandate.objects.filter(title="Maire de Gignac", is_copresident=True).exists()
    # The AdT's co-presidency: two members of the elected college, a woman and a man.
    copresidents = current_copresidents(adt)
    assert {c.college for c in copresidents} == {College.ELECTED} and len(copresidents) == 2
    genders = Mandate.objects.filter(user__in=[c.person for c in copresidents], assembly=adt)
    assert sorted(genders.values_list("gender", flat=True)) == ["man", "woman"]
    kinds = list(PartnerOrganisation.objects.values_list("kind", flat=True))
    assert (kinds.count("departmental_council"), kinds.count("mayors_association")) == (13, 13)
    assert (kinds.count("rural_mayors_association"), kinds.count("ceser")) == (12, 1)


def test_demo_accounts_sign_in_with_the_demo_password_and_hold_their_roles(seeded):
    def signed(email):
        user = authenticate(username=email, password=settings.AGORA_DEMO_PASSWORD)
        assert user is not None, email
        return roles_of(user, fresh=True)

    assert signed("animation@agora.test").is_staff
    assert signed("admin@agora.test").is_admin
    assert signed("membre@agora.test").is_member
    assert signed("partenaire@agora.test").is_partner


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    names = list(User.objects.order_by("email").values_list("email", "first_name", "last_name"))
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert list(User.objects.order_by("email").values_list("email", "first_name", "last_name")) == names


def test_demo_accounts_command_prints_the_sign_ins(seeded):
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    for email in ("animation@agora.test", "admin@agora.test", "membre@agora.test", "partenaire@agora.test"):
        assert email in text
    assert settings.AGORA_DEMO_PASSWORD in text


def test_the_demo_plenarys_agenda_drives_its_ballots(db):
    """Items have kinds and durations; the ballots come from them; the first decides a proposal."""
    from meetings.demo import demo_sitting

    call_command("seed_demo", stdout=io.StringIO())
    from proposals.models import Proposal
    from votes.models import Ballot

    sitting = demo_sitting()
    items = list(sitting.agenda_items.order_by("position"))
    assert [i.kind for i in items] == ["vote", "debate", "vote", "election"]
    assert all(i.planned_minutes for i in items)
    assert [i.state for i in items] == ["done", "done", "done", "current"]
    ballots = list(Ballot.objects.filter(sitting=sitting).order_by("pk"))
    assert [b.agenda_item_id for b in ballots] == [i.pk for i in items]
    first = ballots[0]
    assert first.proposal_id == items[0].proposal_id is not None
    # The debate had its speakers: two spoke in turn (the item moved on), the others still wait.
    states = list(items[1].speaker_requests.order_by("position").values_list("state", flat=True))
    assert sorted(states) == ["done", "done", "waiting", "waiting"]
    assert Proposal.objects.get(pk=first.proposal_id).status in {"adopted", "not_adopted"}
    # The prepared election: only the elected college stands (the AdT's rule set), two seats.
    election = ballots[3]
    assert election.kind == "election" and election.max_choices == 2
    assert set(election.options.values_list("code", flat=True)) == {"elected"}
    assert election.options.count() == 4


def test_the_demo_composition_page_shows_its_two_elected_copresidents(seeded, client):
    staff = User.objects.get(email="animation@agora.test")
    client.force_login(staff)
    page = client.get(reverse("assembly:composition"), {"assemblee": "adt"}).content.decode()
    for copresidency in current_copresidents(Assembly.objects.get(slug="adt")):
        assert copresidency.person.display_name in page
    assert page.count("Collège des élus ·") == 2
