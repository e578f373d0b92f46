"""The protection-need rule applied at arrival. Pure functions: no database, easy to test.

Urgent: the person may be at risk right now and protection staff must see them today.
Possible: something in the screening suggests a protection need to be assessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Violence that, together with fear of return, makes the need urgent.
SERIOUS_VIOLENCE = frozenset(
    {"threat", "extortion", "recruitment", "homicide_relative", "injury", "sexual", "kidnapping", "dispossession"}
)
# Specific-needs codes (UNHCR) that are urgent on their own.
URGENT_NEED_PREFIXES = ("SV-", "TR-")
URGENT_NEED_CODES = frozenset({"SC-UC", "SC-SC", "CR-AF", "LP-RR", "LP-IH", "LP-AN", "SM-CC", "WR-WR"})


@dataclass(frozen=True)
class ScreeningFacts:
    age_years: int | None
    unaccompanied_child: bool
    fear_of_return: bool
    violence: frozenset[str]
    perpetrators: frozenset[str]
    displaced_before: bool
    specific_needs: frozenset[str]
    sgbv_disclosed: bool
    disability: bool


def assess(f: ScreeningFacts) -> tuple[str, list[str]]:
    """Return the need level ('none', 'possible', 'urgent') and the reason codes behind it."""
    urgent: list[str] = []
    possible: list[str] = []
    if f.unaccompanied_child:
        urgent.append("unaccompanied_child")
    serious = sorted(f.violence & SERIOUS_VIOLENCE)
    if f.fear_of_return and serious:
        urgent.extend(f"fear_with:{v}" for v in serious)
    elif f.fear_of_return:
        possible.append("fear_of_return")
    elif f.violence:
        possible.append("violence_suffered")
    if f.sgbv_disclosed:
        urgent.append("sgbv")
    for code in sorted(f.specific_needs):
        if code.startswith(URGENT_NEED_PREFIXES) or code in URGENT_NEED_CODES:
            urgent.append(f"need:{code}")
        else:
            possible.append(f"need:{code}")
    if f.displaced_before:
        possible.append("displaced_before")
    if f.disability:
        possible.append("disability")
    if f.age_years is not None and f.age_years < 18 and not f.unaccompanied_child and (urgent or possible):
        possible.append("child")
    if urgent:
        return "urgent", urgent + possible
    if possible:
        return "possible", possible
    return "none", []


def describe(reasons: Iterable[str], labels: dict[str, str], perpetrators: Iterable[str] = ()) -> list[str]:
    """Reason codes as sentences in the active language; `labels` maps term codes to labels."""
    by = ", ".join(labels.get(p, p) for p in perpetrators)
    out = []
    for r in reasons:
        kind, _sep, arg = r.partition(":")
        if kind == "unaccompanied_child":
            out.append(_("Unaccompanied child"))
        elif kind == "fear_with":
            text = _("Fear of return after %(violence)s") % {"violence": labels.get(arg, arg).lower()}
            out.append(text + (" " + _("by %(who)s") % {"who": by.lower()} if by else ""))
        elif kind == "fear_of_return":
            out.append(_("Fear of return"))
        elif kind == "violence_suffered":
            out.append(_("Violence suffered before leaving"))
        elif kind == "sgbv":
            out.append(_("Sexual or gender-based violence disclosed"))
        elif kind == "need":
            out.append(_("Specific need: %(need)s") % {"need": f"{arg} {labels.get(arg, '')}".strip()})
        elif kind == "displaced_before":
            out.append(_("Displaced inside Honduras before leaving"))
        elif kind == "disability":
            out.append(_("Disability (Washington Group)"))
        elif kind == "child":
            out.append(_("Child"))
        else:
            out.append(r)
    return out
