"""Template tags of the assembly pages."""

from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, panel, panel_context: dict) -> str:
    """Render a home panel (see `core.home`) with its own context, plus the request's (safe HTML)."""
    request = context.get("request")
    return get_template(panel.template).render({**panel_context, "panel": panel}, request)
