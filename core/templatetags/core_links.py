"""`{% forward_links obj as links %}`: the links later apps register for OBJ (core.links), for the viewer."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from core.links import Link, links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def forward_links(context: template.Context, obj: Model) -> list[Link]:
    request = context.get("request")
    return links_for(obj, getattr(request, "user", None))


@register.inclusion_tag("core/_forward_links.html", takes_context=True)
def forward_links_nav(context: template.Context, obj: Model, title: str) -> dict[str, Any]:
    """The links of OBJ as a titled list (nothing when there is none)."""
    request = context.get("request")
    return {"links": links_for(obj, getattr(request, "user", None)), "title": title, "slug": obj._meta.model_name}
