"""Text safe for XML-based formats (ODT, DOCX): characters XML 1.0 forbids are dropped."""

import re

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _ILLEGAL.sub("", text)
