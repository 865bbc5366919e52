"""Demo data for proposals: realistic volume and variety, seeded idempotently."""

import io

import pytest

from proposals import demo
from proposals.models import Proposal, Theme

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_realistic(settings):
    from assembly import demo as assembly_demo

    out = io.StringIO()
    assembly_demo.seed(stdout=out)
    demo.seed(stdout=out)
    count = Proposal.objects.count()
    assert count >= 140
    assert Theme.objects.filter(is_priority=True).count() == 5
    assert Proposal.objects.filter(status=Proposal.Status.ADOPTED).exists()
    assert Proposal.objects.filter(kind=Proposal.Kind.EXPERIENCE).exists()
    assert Proposal.objects.filter(opinion_count__gt=0).exists()
    demo.seed(stdout=out)
    assert Proposal.objects.count() == count
