"""`{% forward_links_nav obj title %}`: the links later apps register for OBJ (core.links), for the viewer."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from core.links import links_for

register = template.Library()


@register.inclusion_tag("core/_forward_links.html", takes_context=True)
def forward_links_nav(context: template.Context, obj: Model, title: str) -> dict[str, Any]:
    """The links of OBJ as a list under TITLE (nothing at all when there is none)."""
    request = context.get("request")
    return {"links": links_for(obj, getattr(request, "user", None)), "title": title, "slug": obj._meta.model_name}
