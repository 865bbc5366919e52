"""A database made under the previous co-presidency rule (one per college) moves to the rule sets.

The database goes back to assembly 0004 (one current co-presidency per college, rows only for the
first flagged co-president of a college), rows are written through that state's models, and the
database goes forward: an assembly whose flagged co-presidents are all elected members takes the
AdT's rule set (two from the elected college) and both of them get their co-presidency row; an
assembly with a flagged citizen keeps one per college in both colleges.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assembly.models import Assembly, Copresidency
from tests import factories

BEFORE = [("assembly", "0004_copresidency_from_mandates")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def test_flagged_copresidents_become_rows_under_the_assemblys_rule_set():
    territory = factories.TerritoryFactory()
    people = [factories.UserFactory() for _ in range(4)]
    try:
        old = _migrate(BEFORE)
        OldAssembly = old.get_model("assembly", "Assembly")
        OldMandate = old.get_model("assembly", "Mandate")
        OldCopresidency = old.get_model("assembly", "Copresidency")
        start = dt.date(2024, 3, 19)
        dates = {"mandate_start": dt.date(2022, 1, 1), "mandate_end": dt.date(2028, 12, 31)}
        adt = OldAssembly.objects.create(name="AdT", short_name="AdT", slug="adt-m", **dates)
        other = OldAssembly.objects.create(name="Autre", short_name="Au", slug="autre-m", **dates)
        seats = [(adt, people[0], "elected", "woman"), (adt, people[1], "elected", "man")]
        seats += [(other, people[2], "elected", "woman"), (other, people[3], "citizen", "man")]
        for assembly, person, college, gender in seats:
            OldMandate.objects.create(
                user_id=person.pk,
                assembly=assembly,
                territory_id=territory.pk,
                college=college,
                gender=gender,
                start_date=start,
                is_copresident=True,
            )
        # What 0004 left: the first flagged of the elected college only.
        OldCopresidency.objects.create(assembly=adt, person_id=people[0].pk, college="elected", started_on=start)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    adt, other = Assembly.objects.get(slug="adt-m"), Assembly.objects.get(slug="autre-m")
    assert (adt.copresidency_colleges, adt.copresidents_per_college) == ("elected", 2)
    assert (other.copresidency_colleges, other.copresidents_per_college) == ("both", 1)
    current = Copresidency.objects.filter(ended_on__isnull=True)
    assert {(c.assembly_id, c.person_id, c.college) for c in current} == {
        (adt.pk, people[0].pk, "elected"),
        (adt.pk, people[1].pk, "elected"),
        (other.pk, people[2].pk, "elected"),
        (other.pk, people[3].pk, "citizen"),
    }
