"""Spanish and Honduran name normalisation and identity-number parsing for record linkage.

Every function here is pure and cached: the batch calls them millions of times on few distinct
names (a country has a few thousand surnames), so the cache does most of the work.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Particles of compound names: kept apart ("de la Cruz"), glued ("Delacruz") or dropped ("Cruz").
PARTICLES = frozenset({"de", "del", "la", "las", "los", "lo", "y", "e", "da", "do", "dos", "san", "santa", "van", "von", "mc"})
_NOT_LETTER = re.compile(r"[^a-z ]")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, accents and ñ-tilde removed, only letters and single spaces: 'José  María' -> 'jose maria'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = _NOT_LETTER.sub(" ", plain.replace("-", " ").replace("'", ""))
    return _SPACES.sub(" ", plain).strip()


@dataclass(frozen=True, slots=True)
class Name:
    """A name in the forms the comparisons use.

    `glued` keeps the particles and removes the spaces ('de la Cruz' and 'Delacruz' -> 'delacruz');
    `core` drops the particles ('de la Cruz' -> 'cruz'); `tokens` are the words without particles.
    """

    glued: str
    core: str
    tokens: tuple[str, ...]

    @property
    def first(self) -> str:
        return self.tokens[0] if self.tokens else ""


_EMPTY = Name("", "", ())


@functools.lru_cache(maxsize=200_000)
def name(text: str) -> Name:
    words = fold(text).split()
    if not words:
        return _EMPTY
    tokens = tuple(w for w in words if w not in PARTICLES) or tuple(words)
    return Name(glued="".join(words), core="".join(tokens), tokens=tokens)


# Spanish spelling confusions, applied in order on a folded word. Why these: they are the pairs of
# letters that sound alike in Central American Spanish, where a registrar writes what they hear.
_PHONETIC_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"ph", "f"),
        (r"ch", "X"),  # keep 'ch' apart before the silent h goes
        (r"sh", "X"),
        (r"h", ""),  # silent h: Hernández / Ernandez
        (r"qu(?=[ei])", "k"),
        (r"gu(?=[ei])", "g"),  # Guillermo / Gillermo (the u is silent)
        (r"g(?=[ei])", "j"),  # Jeovany / Geovany
        (r"c(?=[ei])", "s"),  # Cecilia / Sesilia
        (r"[cqk]", "k"),
        (r"[zx]", "s"),  # Velázquez / Velasques; Ximena-style x as s
        (r"w", "gu"),  # Wilmer / Guilmer
        (r"gu(?=[aeiou])", "b"),  # ...and both sound like a soft b/w
        (r"v", "b"),
        (r"ll", "y"),
        (r"y", "i"),
        (r"nb", "mb"),
        (r"(.)\1+", r"\1"),  # double letters: Carrillo / Carillo, Mirna / Mirnna
    )
)


@functools.lru_cache(maxsize=200_000)
def phonetic(word: str) -> str:
    """A sound key for one folded word: 'velasquez', 'velazques' and 'belasquez' give the same key."""
    out = word
    for pattern, repl in _PHONETIC_RULES:
        out = pattern.sub(repl, out)
    return out.lower()


@functools.lru_cache(maxsize=200_000)
def phonetic_name(text: str) -> str:
    """Sound key of a whole name: particles dropped, words' keys joined."""
    return "".join(phonetic(t) for t in name(text).tokens)


_NOT_DIGIT = re.compile(r"[^0-9A-Za-z]")


@dataclass(frozen=True, slots=True)
class Dni:
    """An identity number as typed, normalised.

    `digits` has dashes and spaces removed. A Honduran DNI is `valid` when it has 13 digits whose
    first four are a municipality code (department 01–18) and the next four a plausible year of
    birth registration; its parts then say where and when the birth was registered.
    """

    digits: str
    valid: bool
    municipality: str = ""
    year: int = 0


_NO_DNI = Dni("", False)


@functools.lru_cache(maxsize=500_000)
def dni(raw: str) -> Dni:
    digits = _NOT_DIGIT.sub("", raw or "").upper()
    if not digits:
        return _NO_DNI
    if len(digits) == 13 and digits.isdigit():
        dept, year = int(digits[:2]), int(digits[4:8])
        if 1 <= dept <= 18 and digits[2:4] != "00" and 1900 <= year <= 2100:
            return Dni(digits, True, digits[:4], year)
    return Dni(digits, False)
