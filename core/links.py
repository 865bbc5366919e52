"""Forward links: what later apps know about an earlier app's object, without the earlier app importing them.

A proposal's page links to the ballot that decided it, the recommendation compiled from it and the
Region's answer; but `proposals` may not import `votes` or `recommendations`. A later app registers a
provider for a model in its AppConfig.ready():

    from core.links import register_link_provider
    register_link_provider("proposals.Proposal", "votes.ballots", order=10, provider=proposal_ballot_links)

`provider(obj, user)` returns the links USER may follow from OBJ (an empty list to show none); a
page shows them with `{% load core_links %}{% forward_links_nav obj _("Title") %}`, code asks `links_for`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Link:
    """One link: what it is (`label`, e.g. "Ballot"), what it points to (`text`), where (`url`)."""

    label: str
    text: str
    url: str


Provider = Callable[[Any, Any], list[Link]]


@dataclass(frozen=True)
class _Registered:
    name: str
    order: int
    provider: Provider


_providers: dict[str, dict[str, _Registered]] = {}


def register_link_provider(model: str, name: str, *, order: int, provider: Provider) -> None:
    """Register PROVIDER for MODEL ("app_label.ModelName"); NAME replaces an earlier provider of the same name."""
    _providers.setdefault(model, {})[name] = _Registered(name=name, order=order, provider=provider)


def links_for(obj: Model, user: Any) -> list[Link]:
    """The links USER may follow from OBJ, provider by provider in order."""
    registered = _providers.get(obj._meta.label, {})
    links: list[Link] = []
    for entry in sorted(registered.values(), key=lambda r: (r.order, r.name)):
        links.extend(entry.provider(obj, user))
    return links
