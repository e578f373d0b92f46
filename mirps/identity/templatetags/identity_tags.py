from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f} %"


@register.filter
def index(seq: Any, k: int) -> Any:
    try:
        return seq[k]
    except (IndexError, TypeError, KeyError):
        return 0


@register.filter
def label(labels: dict[str, Any], code: str) -> Any:
    return labels.get(code, code)
