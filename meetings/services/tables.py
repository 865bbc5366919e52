"""Writes of workshop tables: the balanced split, the rapporteur, what a table produces.

Keyword-only, the acting user first (`by`), one transaction each, an audit record per change.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core.audit import record
from core.errors import Conflict, ValidationFailed
from core.services import require as _require
from meetings import balancing
from meetings.models import Sitting, TableContribution, TableSeat, WorkshopTable
from meetings.selectors.sittings import present_user_ids, sitting_mandates
from proposals import services as proposal_services
from proposals.models import Proposal, Theme
from realtime.broadcast import broadcast_on_commit


def _announce(sitting: Sitting) -> None:
    broadcast_on_commit(f"sitting.{sitting.pk}", {"type": "tables.changed", "sitting": sitting.pk})


def tables_split(*, by: User, sitting: Sitting, tables: int | None = None, seed: int = 0) -> list[WorkshopTable]:
    """Split the members present at SITTING into balanced tables (see docs/workshop-tables.md).

    Replaces an earlier split of the sitting unless a table already contributed. TABLES forces
    the number of tables; SEED draws another split with the same guarantees.
    """
    _require(by, "meetings.manage_tables", sitting)
    if sitting.state == Sitting.State.CLOSED:
        raise Conflict(_("This sitting is closed."), code="sitting_closed")
    with transaction.atomic():
        # The lock serialises two staff members pressing "split" at once.
        sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
        if TableContribution.objects.filter(table__sitting=sitting).exists():
            raise Conflict(_("A table has already contributed: the tables can no longer be redrawn."))
        present = present_user_ids(sitting)
        mandates = {m.user_id: m for m in sitting_mandates(sitting) if m.user_id in present}
        if not mandates:
            raise ValidationFailed(_("No member is present at this sitting."))
        participants = [
            balancing.Participant(id=uid, college=m.college, gender=m.gender, territory=m.territory_id)
            for uid, m in sorted(mandates.items())
        ]
        try:
            split = balancing.balance(participants, tables=tables, seed=seed)
        except balancing.BalancingError as exc:
            raise ValidationFailed(
                _("This number of tables cannot hold the members present in tables of 8 to 12."), field="tables"
            ) from exc
        problems = balancing.check(participants, split)
        if problems:  # never expected: the algorithm guarantees these properties
            raise Conflict(_("The tables could not be balanced."), code="unbalanced")
        WorkshopTable.objects.filter(sitting=sitting).delete()
        created = []
        for table in split:
            row = WorkshopTable.objects.create(
                sitting=sitting, number=table.number, rapporteur_id=table.rapporteur.id if table.rapporteur else None
            )
            TableSeat.objects.bulk_create(TableSeat(table=row, sitting=sitting, user_id=p.id) for p in table.members)
            created.append(row)
        record(
            actor=by,
            action="meetings.tables_split",
            target=sitting,
            data={"tables": len(created), "people": len(participants), "seed": seed},
        )
        _announce(sitting)
    return created


def table_rapporteur_set(*, by: User, table: WorkshopTable, user: User) -> WorkshopTable:
    """Make USER (seated at TABLE) its rapporteur: the one who types for the table."""
    _require(by, "meetings.manage_tables", table)
    if not TableSeat.objects.filter(table=table, user=user).exists():
        raise ValidationFailed(_("The rapporteur must sit at this table."), field="rapporteur")
    with transaction.atomic():
        table = WorkshopTable.objects.select_for_update().get(pk=table.pk)
        table.rapporteur = user
        table.save(update_fields=["rapporteur"])
        record(actor=by, action="meetings.table_rapporteur_set", target=table, data={"user": user.pk})
        _announce(table.sitting)
    return table


def table_contribute(
    *, by: User, table: WorkshopTable, kind: str, title: str, body: str, theme: Theme | None = None
) -> TableContribution:
    """Record a priority or a proposal of TABLE, typed by its rapporteur on one phone.

    It becomes a published proposal (through the proposals service, the rapporteur as author)
    linked to the table and so to the sitting.
    """
    _require(by, "meetings.contribute_table", table)
    if kind not in TableContribution.Kind.values:
        raise ValidationFailed(_("Unknown kind of contribution."), field="kind")
    if theme is None:
        raise ValidationFailed(_("Choose a theme."), field="theme")
    if table.sitting.state == Sitting.State.CLOSED:
        raise Conflict(_("This sitting is closed."), code="sitting_closed")
    with transaction.atomic():
        proposal = proposal_services.proposal_create(
            by=by, title=title, body=body, kind=Proposal.Kind.PROPOSAL, themes=[theme], publish=True
        )
        contribution = TableContribution.objects.create(
            table=table, kind=kind, proposal=proposal, theme=theme, created_by=by
        )
        record(
            actor=by,
            action="meetings.table_contribute",
            target=table,
            data={"kind": kind, "proposal": proposal.pk, "theme": theme.pk},
        )
        _announce(table.sitting)
    return contribution
