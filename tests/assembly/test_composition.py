"""Composition of an assembly: seats filled, vacancies, parity per territory and overall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assembly.models import College, Gender
from assembly.selectors import composition
from tests import factories

E, C, W, M = College.ELECTED, College.CITIZEN, Gender.WOMAN, Gender.MAN


@pytest.fixture
def constructed(assembly):
    """Three territories of 4 seats: one complete, one with 3 women, one nearly empty."""
    full = factories.TerritoryFactory(name="A Complet")
    women = factories.TerritoryFactory(name="B Trois femmes")
    empty = factories.TerritoryFactory(name="C Presque vide")
    for college, gender in [(E, W), (E, M), (C, W), (C, M)]:
        factories.MandateFactory(assembly=assembly, territory=full, college=college, gender=gender)
    for college, gender in [(E, W), (E, W), (C, W)]:
        factories.MandateFactory(assembly=assembly, territory=women, college=college, gender=gender)
    factories.MandateFactory(assembly=assembly, territory=empty, college=C, gender=M)
    # Not counted: an ended mandate, a future one, one in another assembly.
    factories.MandateFactory(assembly=assembly, territory=empty, ended=True)
    factories.MandateFactory(
        assembly=assembly, territory=empty, start_date=timezone.localdate() + dt.timedelta(days=10)
    )
    other = factories.AssemblyFactory(slug="pmer", name="Parlement de la Mer", short_name="PMer")
    factories.MandateFactory(assembly=other, territory=empty, college=E, gender=W)
    return assembly


def test_composition_figures_per_territory_and_overall(constructed, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        result = composition(constructed)
        rows = {row.territory.name: row for row in result.territories}
    full, women, empty = rows["A Complet"], rows["B Trois femmes"], rows["C Presque vide"]
    assert (full.filled, full.vacancies, full.women, full.men, full.elected, full.citizens) == (4, 0, 2, 2, 2, 2)
    assert full.balanced
    assert (women.filled, women.vacancies, women.women, women.men, women.elected, women.citizens) == (3, 1, 3, 0, 2, 1)
    assert not women.balanced
    assert women.gender_gap == 3
    assert women.problems == ["trop de femmes (3/2)"]
    assert (empty.filled, empty.vacancies, empty.women, empty.men, empty.elected, empty.citizens) == (1, 3, 0, 1, 0, 1)
    assert empty.balanced
    assert (result.seats, result.filled, result.vacancies) == (12, 8, 4)
    assert (result.women, result.men, result.elected, result.citizens) == (5, 3, 4, 4)
    assert [row.territory.name for row in result.imbalanced] == ["B Trois femmes"]


def test_composition_on_a_past_day_counts_the_mandates_of_that_day(assembly):
    territory = factories.TerritoryFactory(name="Passé")
    factories.MandateFactory(assembly=assembly, territory=territory, ended=True)
    day = timezone.localdate() - dt.timedelta(days=100)
    assert composition(assembly, day).filled == 1
    assert composition(assembly).filled == 0


def test_composition_page_is_an_accessible_table_in_french(staff_client, constructed):
    response = staff_client.get("/composition/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<caption" in body and "Sièges et parité par territoire" in body
    assert '<th scope="col"' in body and '<th scope="row">B Trois femmes</th>' in body
    assert 'class="table-wrap"' in body
    assert "trop de femmes (3/2)" in body
    assert response.context["composition"].vacancies == 4


@pytest.mark.parametrize(
    "client_name", ["member_client", "copresident_client", "partner_client", "former_member_client"]
)
def test_composition_page_is_for_staff(request, client_name):
    assert request.getfixturevalue(client_name).get("/composition/").status_code == 403


def test_composition_page_asks_anonymous_visitors_to_sign_in(anonymous_client, db):
    response = anonymous_client.get("/composition/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
