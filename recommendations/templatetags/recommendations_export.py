"""Template helpers shared by the PDF template and the pages (same wording as the ODT/DOCX blocks)."""

from django import template

from recommendations.exports._common import tally_text as _tally_text
from recommendations.exports.blocks import ballot_caption as _ballot_caption
from recommendations.exports.blocks import source_line as _source_line

register = template.Library()


@register.simple_tag
def ballot_caption(ballot) -> str:
    return _ballot_caption(ballot)


@register.simple_tag
def source_line(source) -> str:
    return _source_line(source)


@register.simple_tag
def tally_line(tally) -> str:
    return _tally_text(tally)
