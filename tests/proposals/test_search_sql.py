"""proposals/search_sql.py's full-text match (the stored, weighted search document) finds what the
ORM's SearchVector / SearchQuery find, French stemming and web-search syntax, on random texts.
PostgreSQL only: elsewhere the search is the ORM's icontains (proposals.selectors.search)."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from proposals.models import Proposal
from proposals.search_sql import full_text_match
from tests import factories

pytestmark = pytest.mark.django_db

WORDS = ["mobilité", "mobilités", "transport", "santé", "centres", "logement", "énergie", "rural", "bourgs", "vélo"]
QUERIES = ["mobilité", "transports ruraux", '"centres de santé"', "logement -énergie", "vélo or bourgs", "santé"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only")
@pytest.mark.parametrize("seed", [1, 2])
def test_the_full_text_match_finds_what_the_orm_search_finds(seed):
    from django.contrib.postgres.search import SearchQuery, SearchVector

    rng = random.Random(seed)
    for _ in range(25):
        factories.ProposalFactory(
            title=" ".join(rng.sample(WORDS, 3)).capitalize(), body=" ".join(rng.choices(WORDS, k=12)) + "."
        )
    vector = SearchVector("title", "body", config="french")
    for text in QUERIES:
        raw = set(Proposal.objects.alias(m=full_text_match(text)).filter(m=True).values_list("pk", flat=True))
        orm = set(
            Proposal.objects.annotate(v=vector)
            .filter(v=SearchQuery(text, config="french", search_type="websearch"))
            .values_list("pk", flat=True)
        )
        assert raw == orm, text
