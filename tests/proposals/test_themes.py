"""Themes: staff create them (one per name, even when two requests race) and mark the priority ones."""

import pytest

from core.errors import Conflict, PermissionDenied
from proposals import services
from proposals.models import Theme
from proposals.services import theme_set_priority


def test_staff_mark_a_theme_as_priority_and_back(staff, db):
    theme = Theme.objects.create(name="Santé", slug="sante-test", is_priority=False)
    assert theme_set_priority(by=staff, theme=theme, is_priority=True).is_priority
    assert not theme_set_priority(by=staff, theme=theme, is_priority=False).is_priority


def test_a_member_cannot_change_priority_themes(member, db):
    theme = Theme.objects.create(name="Santé", slug="sante-test", is_priority=False)
    with pytest.raises(PermissionDenied):
        theme_set_priority(by=member, theme=theme, is_priority=True)
    theme.refresh_from_db()
    assert not theme.is_priority


def test_theme_created_twice_at_once_is_a_conflict_not_a_500(staff, monkeypatch):
    services.theme_create(by=staff, name="Santé")
    # The other request checked before this one inserted: the unique slug must still answer.
    monkeypatch.setattr(
        Theme.objects, "filter", lambda **kw: Theme.objects.none() if "slug" in kw else Theme.objects.all()
    )
    with pytest.raises(Conflict):
        services.theme_create(by=staff, name="Santé")
    assert Theme.objects.count() == 1
