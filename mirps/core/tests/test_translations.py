"""The Spanish catalogue: complete, placeholders kept, compiled, and really shown in the UI.

One catalogue serves the whole project (locale/es/LC_MESSAGES/django.po): the .po is read with a
small parser here, the .mo through the standard library's gettext, and the pages through Django.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file, the header included; obsolete (`#~`) entries are left out."""
    entries: list[Entry] = []
    cur: Entry | None = None
    target: tuple[str, int] | None = None
    flags: set[str] = set()
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            cur, target, flags = None, None, set()
        elif line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            continue
        elif m := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line):
            keyword, index, text = m.group(1), m.group(2), _unquote(m.group(3))
            if keyword in ("msgctxt", "msgid") and (cur is None or cur.msgstr):
                cur, flags = Entry(line=n, flags=flags), set()
                entries.append(cur)
            assert cur is not None, f"django.po:{n}: {raw}"
            target = ("msgstr", int(index or 0)) if keyword == "msgstr" else (keyword, 0)
            if keyword == "msgstr":
                cur.msgstr[target[1]] = text
            else:
                setattr(cur, keyword, text)
        else:
            assert line.startswith('"') and cur is not None and target is not None, (
                f"django.po:{n}: {raw}"
            )
            if target[0] == "msgstr":
                cur.msgstr[target[1]] += _unquote(line)
            else:
                setattr(cur, target[0], getattr(cur, target[0]) + _unquote(line))
    return entries


ENTRIES = parse_po(PO)
HEADER = next(e for e in ENTRIES if e.msgid == "" and e.msgctxt is None)
MESSAGES = [e for e in ENTRIES if e is not HEADER]
NPLURALS = int(re.search(r"nplurals\s*=\s*(\d+)", HEADER.msgstr[0]).group(1))  # type: ignore[union-attr]

# %(name)s, %s, %d, %5.2f ... and %% (not a placeholder); "% u" (space flag) also counts, as in
# gettext's own python-format check.
PY_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[diouxXeEfFgGcrsa%])"
)
BRACE = re.compile(
    r"\{\{\s*[\w.]+\s*\}\}|\{(?:[A-Za-z_]\w*|\d+)(?:[.\[][^{}]*)?(?:![rsa])?(?::[^{}]*)?\}"
)
MARKUP = re.compile(r"&#?\w+;|</?[A-Za-z][^<>]*>")


def python_placeholders(text: str) -> tuple[Counter[str], int]:
    """Named placeholders (with their conversion) and the number of positional ones."""
    named: Counter[str] = Counter()
    positional = 0
    for m in PY_FORMAT.finditer(text):
        if m.group("conv") == "%":
            continue
        if m.group("name") is not None:
            named[f"%({m.group('name')}){m.group('conv')}"] += 1
        else:
            positional += 1
    return named, positional


def _edges(text: str) -> tuple[str, str]:
    """Leading and trailing whitespace (newlines included)."""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def test_the_whole_project_has_one_catalogue():
    others = [p for p in (LOCALE.parent / "mirps").rglob("*.po") if ".venv" not in p.parts]
    assert others == [], "per-app catalogues split makemessages' output: merge them into locale/"
    assert MO.exists()


def test_the_catalogue_is_spanish_with_three_plural_forms():
    assert "Language: es\n" in HEADER.msgstr[0]
    assert "charset=UTF-8" in HEADER.msgstr[0]
    assert NPLURALS == 3  # Django's Spanish: one, many (millions), other
    assert len(MESSAGES) > 400


def test_every_entry_is_translated_and_not_fuzzy():
    problems = []
    for e in ENTRIES:
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy: {e.where}")
        if e is HEADER:
            continue
        forms = NPLURALS if e.msgid_plural is not None else 1
        if sorted(e.msgstr) != list(range(forms)):
            problems.append(f"forms {sorted(e.msgstr)} instead of {forms}: {e.where}")
        if not all(s.strip() for s in e.msgstr.values()):
            problems.append(f"untranslated: {e.where}")
    assert problems == []


def test_placeholders_and_markup_are_kept():
    problems = []
    for e in MESSAGES:
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for i, s in sorted(e.msgstr.items()):
            src = sources[min(i, len(sources) - 1)]
            if "python-format" in e.flags:
                # Each form is formatted with the same dict, so all of msgid's names must be there.
                want = python_placeholders(sources[0])[0] | python_placeholders(sources[-1])[0]
                got, got_pos = python_placeholders(s)
                if set(got) != set(want) or got_pos != python_placeholders(src)[1]:
                    problems.append(f"python placeholders {dict(got)} vs {dict(want)}: {e.where}")
            if Counter(BRACE.findall(s)) != Counter(BRACE.findall(src)):
                problems.append(f"brace placeholders {BRACE.findall(s)}: {e.where}")
            if Counter(MARKUP.findall(s)) != Counter(MARKUP.findall(src)):
                problems.append(f"markup or entities {MARKUP.findall(s)}: {e.where}")
            if _edges(s) != _edges(src):
                problems.append(f"leading/trailing whitespace differs: {e.where}")
    assert problems == []


def test_compiled_catalogue_is_up_to_date():
    with MO.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    assert mo.info().get("plural-forms") == re.search(
        r"Plural-Forms: (.*)\n", HEADER.msgstr[0]
    ).group(1)  # type: ignore[union-attr]
    stale = []
    for e in MESSAGES:
        if e.msgid_plural is None:
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None else mo.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append(e.where)
            continue
        for n in (1, 2, 1_000_000):
            if e.msgctxt is not None:
                got = mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
            else:
                got = mo.ngettext(e.msgid, e.msgid_plural, n)
            if got != e.msgstr[mo.plural(n)]:  # type: ignore[attr-defined]
                stale.append(f"n={n} {e.where}")
    assert stale == [], "run ./dev manage compilemessages --ignore=.venv"


# Messages the API once had in its own catalogue (mirps/api/locale), now in the project's.
API_MESSAGES = {
    "Not found.": "No encontrado.",
    "Unknown field.": "Campo desconocido.",
    "This field is required.": "Este campo es obligatorio.",
    "Send a valid API token: Authorization: Bearer <token>.": (
        "Envíe un token de API válido: Authorization: Bearer <token>."
    ),
}


def test_api_messages_come_from_the_project_catalogue():
    # Looked up through a variable, so that makemessages does not list this file as a source.
    for msgid, spanish in API_MESSAGES.items():
        with translation.override("es"):
            assert translation.gettext(msgid) == spanish
        with translation.override("en"):
            assert translation.gettext(msgid) == msgid


@pytest.mark.django_db
def test_pages_are_spanish_by_default_and_switch_to_english(client, world):
    client.force_login(world.reg_sps)
    url = reverse("registration:register")
    assert url == "/registration/register/"

    es = client.get(url, headers={"Accept-Language": "es"})
    assert es.status_code == 200
    page = es.content.decode()
    assert '<html lang="es">' in page
    for text in (
        "Registrar llegada",
        "Cerrar sesión",
        "Tamizaje de protección",
        "Primer apellido",
        "Consentimiento",
    ):
        assert text in page, text
    assert "Register arrival" not in page
    assert ">English</button>" in page  # the switch keeps its own language's name

    r = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert r.status_code == 302

    en = client.get(
        url, headers={"Accept-Language": "es"}
    )  # the chosen language beats the browser's
    page = en.content.decode()
    assert '<html lang="en">' in page
    for text in ("Register arrival", "Sign out", "Protection screening", "First surname"):
        assert text in page, text
    assert "Registrar llegada" not in page
    assert ">Español</button>" in page
