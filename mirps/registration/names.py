"""Name and identity-number normalisation for lookup (issue 4 replaces the matching itself)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"[^0-9]")


def fold(text: str) -> str:
    """Lower-case, accents removed, spacing collapsed: 'José  María' -> 'jose maria'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip().lower()


def dni_digits(raw: str) -> str:
    """'0801-1990-12345' -> '0801199012345'; anything not a digit is dropped."""
    return _NOT_DIGIT.sub("", raw or "")


def dni_display(dni: str) -> str:
    return f"{dni[:4]}-{dni[4:8]}-{dni[8:]}" if len(dni) == 13 else dni
