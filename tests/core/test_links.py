"""core.links: later apps register what an earlier app's page links to; providers run in order."""

from __future__ import annotations

import pytest

from core import links
from core.links import Link, links_for, register_link_provider


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(links, "_providers", {})


def test_providers_run_in_order_and_a_name_replaces_its_earlier_provider(registry, db):
    from assembly.models import Departement

    herault = Departement(code="34", name="Hérault")
    register_link_provider("assembly.Departement", "b", order=20, provider=lambda o, u: [Link("B", o.name, "/b")])
    register_link_provider("assembly.Departement", "a", order=10, provider=lambda o, u: [Link("A", "old", "/a")])
    register_link_provider("assembly.Departement", "a", order=10, provider=lambda o, u: [Link("A", "new", "/a")])
    assert [(link.label, link.text) for link in links_for(herault, None)] == [("A", "new"), ("B", "Hérault")]


def test_a_model_without_provider_has_no_link(registry, db):
    from assembly.models import Departement

    assert links_for(Departement(code="09", name="Ariège"), None) == []
