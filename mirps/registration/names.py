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


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def search_key(text: str) -> str:
    """Lookup key: folded, only letters and digits ('De la Cruz' -> 'delacruz').

    Keys made of [a-z0-9] sort the same under every collation, so a prefix becomes an index range
    on SQLite and PostgreSQL alike (LIKE 'x%' uses no index on either without special set-up).
    """
    return _NOT_ALNUM.sub("", fold(text))


def prefix_range(key: str) -> tuple[str, str]:
    """[key, key with its last character incremented): every key starting with `key`."""
    return key, key[:-1] + chr(ord(key[-1]) + 1)


def dni_digits(raw: str) -> str:
    """'0801-1990-12345' -> '0801199012345'; anything not a digit is dropped."""
    return _NOT_DIGIT.sub("", raw or "")


def dni_display(dni: str) -> str:
    return f"{dni[:4]}-{dni[4:8]}-{dni[8:]}" if len(dni) == 13 else dni
