"""Small-cell suppression: the one place that decides which numbers the dashboard may publish.

A count of 1 to 4 arrivals can point to a person (four children from one village returned from
Spain this month), so for anyone who does not already see the names behind it the count is
published as "<5". Tables, charts, exports and totals all pass through `suppress` or `protect`.

A published total gives back a single hidden member by subtraction (women "<5", men 250, all
253), so `protect` also hides the smallest other member of such a group ("x"). This protects
each table on its own; it cannot stop differencing across periods asked for separately.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence

from django.conf import settings

NOT_SHOWN = "—"  # a percentage computed on counts too small to publish
HIDDEN = "x"  # a count hidden only so that a small one cannot be worked out from a total


def threshold() -> int:
    return int(settings.STATS_SMALL_CELL)


def suppressed_label() -> str:
    return f"<{threshold()}"


def is_small(value: int) -> bool:
    """Zero is published: an empty cell reveals nobody."""
    return 0 < value < threshold()


def suppress(value: int, exact: bool) -> int | str:
    """The published form of one count: the number, or "<5" for a small count when not exact."""
    if exact or not is_small(value):
        return value
    return suppressed_label()


def percent(numerator: int, denominator: int, exact: bool) -> float | str:
    """Share in percent (one decimal), or "—" when it would be computed on unpublishable counts.

    A share of a small count reveals the count (3 of 40 is 7.5 %), so when suppressing, both
    numerator and denominator must reach the threshold. A zero share is published like a zero
    count: it reveals nobody.
    """
    if denominator <= 0:
        return NOT_SHOWN
    if not exact and numerator != 0 and (numerator < threshold() or denominator < threshold()):
        return NOT_SHOWN
    return round(100 * numerator / denominator, 1)


def protect[K: Hashable](
    values: Mapping[K, int],
    groups: Iterable[tuple[Sequence[K], K | None]],
    exact: bool,
    soft_totals: Collection[K] = (),
    fixed: Mapping[K, int | str] | None = None,
) -> dict[K, int | str]:
    """Publish related counts: "<5" for small ones, then "x" wherever a sum would reveal one.

    `groups` lists (members, total): the members add up to the total, a key of `values`, or
    None when the sum is published elsewhere (a tile, a percentage). A group with exactly one
    hidden count (member or total) gives it back by subtraction, so another one is hidden:
    the smallest non-zero member that does not leave a lone hidden count in another group;
    failing that, the total when it is one of `soft_totals` (shown in this table only).
    `fixed` counts were published by another table and keep their published form. A
    heuristic, not an optimal cell suppression; the property test attacks it by subtraction.
    """
    if exact:
        return dict(values)
    fixed = fixed or {}
    small = {k for k, n in values.items() if k not in fixed and is_small(n)}
    hidden = small | {k for k, v in fixed.items() if isinstance(v, str)}
    groups = [(list(members), total) for members, total in groups]
    groups_of: dict[K, list[int]] = defaultdict(list)
    for i, (members, total) in enumerate(groups):
        for k in [*members, total]:
            if k is not None:
                groups_of[k].append(i)

    def elements(i: int) -> list[K]:
        members, total = groups[i]
        return [*members, total] if total is not None else members

    def movable(k: K) -> bool:
        return k not in hidden and k not in fixed and values[k] > 0

    def partnered(candidate: K, i: int) -> bool:
        # Hiding a count whose other group then has it as its only hidden count, with nothing
        # else there to hide, hides nothing: that group's sum gives it back.
        for j in groups_of[candidate]:
            if j == i or any(k in hidden for k in elements(j)):
                continue
            members, total = groups[j]
            others = [k for k in members if k != candidate and movable(k)]
            if not others and not (
                total is not None and total != candidate and total in soft_totals and movable(total)
            ):
                return False
        return True

    # Worklist: hiding a count only concerns the groups it belongs to.
    pending = deque(range(len(groups)))
    queued = set(pending)
    while pending:
        i = pending.popleft()
        queued.discard(i)
        members, total = groups[i]
        if sum(k in hidden for k in elements(i)) != 1:
            continue
        candidates = sorted((k for k in members if movable(k)), key=lambda k: (values[k], str(k)))
        pick = next((k for k in candidates if partnered(k, i)), None)
        if pick is None and total is not None and total in soft_totals and movable(total):
            pick = total
        if pick is None and candidates:
            pick = candidates[0]
        if pick is None and total is not None and movable(total):
            pick = total
        if pick is None:
            continue
        hidden.add(pick)
        for j in groups_of[pick]:
            if j not in queued:
                pending.append(j)
                queued.add(j)
    out: dict[K, int | str] = {}
    for k, n in values.items():
        if k in fixed:
            out[k] = fixed[k]
        elif k in hidden:
            out[k] = suppressed_label() if k in small else HIDDEN
        else:
            out[k] = n
    return out


def share(num: int | str, den: int | str, n: int, d: int, exact: bool) -> float | str:
    """The percentage of two published counts (exact n of d), never of a hidden one."""
    if isinstance(num, str) or isinstance(den, str):
        return NOT_SHOWN
    return percent(n, d, exact)


class Labels:
    """What a page says about suppressed cells (mixed into the dashboard and the people page)."""

    @property
    def small_label(self) -> str:
        return suppressed_label()

    @property
    def hidden_label(self) -> str:
        return HIDDEN

    @property
    def small_max(self) -> int:
        return threshold() - 1
