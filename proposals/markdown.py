"""The Markdown subset of proposals and comments, rendered then sanitised.

markdown-it-py renders CommonMark with raw HTML disabled; nh3 then keeps only a small set of
tags, links with http(s)/mailto targets, and adds rel="nofollow noopener noreferrer". Script,
style, event handlers and javascript: links never reach a page.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")

# Raw HTML is not part of the subset: it is removed from the source before rendering (script and
# style with their content), so that it neither runs nor shows up as text.
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<!--.*?-->", re.DOTALL)

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render(text: str) -> str:
    """Safe HTML for TEXT (Markdown). Headings are demoted so that the page keeps its outline."""
    html = _md.render(strip_html(text or ""))
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    html = html.replace("<h5>", "<h4>").replace("</h5>", "</h4>").replace("<h6>", "<h4>").replace("</h6>", "</h4>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def strip_html(text: str) -> str:
    return _TAG.sub("", _SCRIPT_OR_STYLE.sub("", text))
