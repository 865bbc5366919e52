"""A database made before the journal moved from assembly to core keeps every journal row.

The move is state-only (core/migrations/0001_initial.py, assembly/migrations/0002): the table
keeps its name, `assembly_auditevent`. The database goes back to the state before the move, rows
are written through that state's historical model, the database goes forward, and every row is
read back through `core.models.AuditEvent`, unchanged; the content type and its permissions follow
the model (core/migrations/0002).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditEvent
from tests import factories

BEFORE_THE_MOVE = [("assembly", "0001_initial"), ("core", None)]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def test_journal_rows_of_the_previous_release_are_read_by_core():
    staff = factories.UserFactory(is_staff=True)
    permission = Permission.objects.get(content_type__app_label="core", codename="view_auditevent")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    at = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    try:
        old_apps = _migrate(BEFORE_THE_MOVE)
        assert ContentType.objects.get(pk=permission.content_type_id).app_label == "assembly"
        OldEvent = old_apps.get_model("assembly", "AuditEvent")
        made = [
            OldEvent.objects.create(
                at=at,
                actor_id=staff.pk,
                action="votes.ballot_close",
                target_type="votes.ballot",
                target_id="12",
                reason="fin du temps",
                data={"outcome": "adopted"},
            ),
            OldEvent.objects.create(
                at=at, actor_id=None, action="assembly.mandate_end", target_type="assembly.mandate", target_id="7"
            ),
        ]
        ids = [event.pk for event in made]
    finally:
        _migrate(latest)
        ContentType.objects.clear_cache()
    rows = list(
        AuditEvent.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("at", "actor_id", "action", "target_type", "target_id", "reason", "data")
    )
    assert rows == [
        (at, staff.pk, "votes.ballot_close", "votes.ballot", "12", "fin du temps", {"outcome": "adopted"}),
        (at, None, "assembly.mandate_end", "assembly.mandate", "7", "", {}),
    ]
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "core"
    assert not ContentType.objects.filter(app_label="assembly", model="auditevent").exists()
