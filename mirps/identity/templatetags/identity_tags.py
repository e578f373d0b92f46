from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return ""
    return "<1 %" if value < 0.01 else ">99 %" if value > 0.99 and value < 1 else f"{value * 100:.0f} %"


@register.filter
def index(seq: Any, k: int) -> Any:
    try:
        return seq[k]
    except (IndexError, TypeError, KeyError):
        return 0


@register.filter
def label(labels: dict[str, Any], code: str) -> Any:
    return labels.get(code, code)
