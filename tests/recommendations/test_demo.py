"""Demo data for recommendations: one transmitted dossier with answers, seeded idempotently."""

from recommendations import demo
from recommendations.models import Dossier, RegionAnswer
from tests import factories


class _Out:
    def write(self, text):
        pass


def test_demo_seed_is_idempotent(assembly):
    from proposals.models import Proposal

    for _ in range(3):
        factories.ProposalFactory(assembly=assembly, status=Proposal.Status.ADOPTED)
    demo.seed(stdout=_Out())
    demo.seed(stdout=_Out())
    assert Dossier.objects.filter(status="transmitted").count() == 1
    assert RegionAnswer.objects.count() == 3
