"""Panels of the member home page, contributed by later apps without assembly importing them.

A later app registers a panel in its AppConfig.ready():

    from core.home import register_panel
    register_panel("proposals.recent", order=20, template="proposals/_home_panel.html",
                   context=recent_proposals_panel)

`context(request)` returns the template context, or None to hide the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]


_panels: dict[str, Panel] = {}


def register_panel(
    name: str, *, order: int, template: str, context: Callable[[HttpRequest], dict[str, Any] | None]
) -> None:
    _panels[name] = Panel(name=name, order=order, template=template, context=context)


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
    """The panels to show REQUEST's user, in order, each with its context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            shown.append((panel, context))
    return shown
