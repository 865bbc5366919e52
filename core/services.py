"""Helpers shared by the services of every app: the rule check and bounded free texts.

A service checks its named rule with `require(by, "app.verb_thing", obj)` before anything
else, and cleans each free text with `clean_text(...)`, so that a value that is too long is a
`ValidationFailed` on its field and nothing is written.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from core.errors import PermissionDenied, ValidationFailed

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def require(user: Any, perm: str, obj: object = None, message: StrOrPromise | None = None) -> None:
    """Raise PermissionDenied unless USER holds the named rule PERM (on OBJ, when given).

    Nobody (None) holds no rule. A service that may also run for the system (a ballot's countdown
    closing it, say) says so where it is called: `if by is not None: require(by, …)`.
    """
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(message)


# Bidirectional embeddings and overrides close with PDF (U+202C), isolates with PDI (U+2069).
_BIDI_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_BIDI_ISOLATES = frozenset("\u2066\u2067\u2068")
_BIDI_CLOSERS = {"\u202c": _BIDI_EMBEDDINGS, "\u2069": _BIDI_ISOLATES}
# Invisible characters that may pad a text's ends (zero-width space and joiners, word joiner, BOM).
_INVISIBLE_EDGES = "\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad"
# Letters and symbols that draw nothing (Hangul fillers, the braille blank).
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_KEPT_CONTROLS = frozenset("\n\t")


def _balanced_bidi(line: str) -> str:
    """LINE without the bidirectional controls that are not balanced (an opener with its closer, nested).

    A lone right-to-left override (U+202E) would turn the rest of the page around it backwards;
    a balanced pair is what right-to-left text legitimately needs, so it is kept.
    """
    keep = [True] * len(line)
    stack: list[int] = []
    for index, char in enumerate(line):
        if char in _BIDI_EMBEDDINGS or char in _BIDI_ISOLATES:
            stack.append(index)
        elif char in _BIDI_CLOSERS:
            if stack and line[stack[-1]] in _BIDI_CLOSERS[char]:
                stack.pop()
            else:
                keep[index] = False
    for index in stack:
        keep[index] = False
    return "".join(char for char, kept in zip(line, keep, strict=True) if kept)


def _is_visible(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_GLYPHS


def normalise_text(value: str | None) -> str:
    """VALUE with line ends unified, control characters (but tab and new line) removed, unbalanced
    bidirectional controls removed (line by line: a paragraph ends every embedding), and its ends
    stripped of spaces and invisible characters."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in _KEPT_CONTROLS or unicodedata.category(c) != "Cc")
    value = "\n".join(_balanced_bidi(line) for line in value.split("\n"))
    return value.strip().strip(_INVISIBLE_EDGES).strip()


def has_visible_character(value: str) -> bool:
    """Whether VALUE shows anything: a letter, a digit, a punctuation mark or a symbol."""
    return any(_is_visible(char) for char in value)


def clean_text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    required_message: StrOrPromise | None = None,
    too_long_message: StrOrPromise | None = None,
) -> str:
    """VALUE normalised (`normalise_text`); ValidationFailed on FIELD if it is missing (when
    REQUIRED), shows no visible character (only zero-width spaces, a lone U+202E, a BOM…) or is
    longer than MAX_LENGTH.

    TOO_LONG_MESSAGE may use `%(max)s` and `%(length)s`. Nothing is ever cut: too long is refused.
    """
    given = bool((value or "").strip())
    value = normalise_text(value)
    if given and not has_visible_character(value):
        raise ValidationFailed(
            _("This text has no visible character: type letters, digits or punctuation."), field=field
        )
    if required and not value:
        raise ValidationFailed(required_message or _("This field is required."), field=field)
    if len(value) > max_length:
        message = too_long_message or _("This text is too long (%(max)s characters at most, %(length)s given).")
        raise ValidationFailed(message % {"max": max_length, "length": len(value)}, field=field)
    return value
