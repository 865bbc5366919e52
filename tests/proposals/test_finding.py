"""Finding proposals: filters, search, ordering, pagination, visibility, bounded query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from proposals.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/proposals/"


@pytest.fixture
def catalogue(assembly, theme):
    health = factories.ThemeFactory(name="Centres de santé")
    gers = factories.TerritoryFactory(
        name="PETR Pays d'Armagnac", departement=factories.DepartementFactory(code="32", name="Gers")
    )
    now = timezone.now()
    bus = factories.ProposalFactory(
        assembly=assembly,
        title="Transport à la demande",
        body="Des navettes vers la gare",
        themes=[theme],
        support_count=5,
        comment_count=1,
        published_at=now - dt.timedelta(days=3),
    )
    clinic = factories.ProposalFactory(
        assembly=assembly,
        title="Centre de santé intercommunal",
        body="Médecins salariés",
        themes=[health],
        territory=gers,
        author_college="citizen",
        comment_count=9,
        opinion_count=1,
        kind=Proposal.Kind.EXPERIENCE,
        published_at=now - dt.timedelta(days=1),
    )
    adopted = factories.ProposalFactory(
        assembly=assembly,
        title="Cantines locales",
        body="Produits du territoire",
        themes=[theme],
        status=Proposal.Status.ADOPTED,
        published_at=now - dt.timedelta(days=30),
    )
    draft = factories.ProposalFactory(assembly=assembly, title="Brouillon secret", status=Proposal.Status.DRAFT)
    return {"bus": bus, "clinic": clinic, "adopted": adopted, "draft": draft, "gers": gers, "health": health}


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_public_sees_published_never_drafts(anonymous_client, catalogue):
    ids = _ids(anonymous_client.get(API))
    assert catalogue["draft"].pk not in ids and len(ids) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=centres-de-sante", ["clinic"]),
        ("departement=32", ["clinic"]),
        ("status=adopted", ["adopted"]),
        ("kind=experience", ["clinic"]),
        ("college=citizen", ["clinic"]),
        ("has_opinion=true", ["clinic"]),
        ("q=navettes", ["bus"]),
        ("q=santé", ["clinic"]),
        ("ordering=supported", ["bus", "clinic", "adopted"]),
        ("ordering=discussed", ["clinic", "bus", "adopted"]),
        ("ordering=newest", ["clinic", "bus", "adopted"]),
    ],
)
def test_filters_search_and_ordering(anonymous_client, catalogue, query, expected):
    ids = _ids(anonymous_client.get(f"{API}?{query}"))
    if query.startswith("ordering"):
        assert ids == [catalogue[name].pk for name in expected]
    else:
        assert sorted(ids) == sorted(catalogue[name].pk for name in expected)


def test_territory_and_date_filters(anonymous_client, catalogue):
    assert _ids(anonymous_client.get(f"{API}?territory={catalogue['gers'].pk}")) == [catalogue["clinic"].pk]
    since = (timezone.now() - dt.timedelta(days=2)).date().isoformat()
    assert _ids(anonymous_client.get(f"{API}?published_after={since}")) == [catalogue["clinic"].pk]


def test_list_page_filters_and_paginates(anonymous_client, catalogue):
    page = anonymous_client.get("/propositions/?q=santé").content.decode()
    assert "Centre de santé intercommunal" in page and "Transport à la demande" not in page
    assert "Brouillon secret" not in anonymous_client.get("/propositions/").content.decode()


def _make(assembly, theme, n):
    author = factories.MandateFactory(assembly=assembly).user
    factories.ProposalFactory.create_batch(n, assembly=assembly, author=author, themes=[theme])


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("client_name", ["anonymous_client", "member_client"])
def test_query_count_does_not_grow_with_page_size(request, assembly, theme, client_name):
    client = request.getfixturevalue(client_name)
    _make(assembly, theme, 5)
    # The page shows 20 rows: 5 rows, then 20 rows (filters rendered in both).
    small_page = _queries(client, "/propositions/")
    _make(assembly, theme, 45)
    large_page = _queries(client, "/propositions/")
    assert large_page == small_page <= 12
    small_api = _queries(client, f"{API}?page_size=5")
    large_api = _queries(client, f"{API}?page_size=50")
    assert large_api == small_api <= 8
