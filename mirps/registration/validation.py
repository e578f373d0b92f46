"""Checks on registration input that give a clear, translated message for each bad field."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mirps.registration.names import dni_digits

# Text that a spreadsheet would run as a formula is kept as text; names must still look like names.
_NAME_OK = re.compile(r"^[^\x00-\x1f<>{}\[\]=+@|\\^~`$%#*;0-9]+$")
EARLIEST_ARRIVAL = date(2000, 1, 1)
CLOCK_SKEW = timedelta(minutes=10)


class Errors:
    """Collects field errors and raises them together, so the form shows every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def check_name(errors: Errors, field: str, value: str, *, required: bool, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors.add(field, _("This field is required."))
        return value
    if len(value) > max_length:
        errors.add(field, _("At most %(n)d characters.") % {"n": max_length})
    elif not _NAME_OK.match(value):
        errors.add(field, _("Use letters, spaces, apostrophes and hyphens only."))
    return value


def check_dni(errors: Errors, raw: str, municipality_codes: set[str]) -> str:
    """13 digits: INE municipality (4) that must exist, year (4), sequence (5)."""
    digits = dni_digits(raw)
    if len(digits) != 13 or len(digits) != len(re.sub(r"[\s-]", "", raw)):
        errors.add("dni", _("A DNI has 13 digits (0000-0000-00000)."))
        return digits
    if digits[:4] not in municipality_codes:
        errors.add("dni", _("The DNI starts with %(code)s, which is not a Honduran municipality code.") % {"code": digits[:4]})
    year = int(digits[4:8])
    if not 1900 <= year <= timezone.localdate().year:
        errors.add("dni", _("The year in the DNI (%(year)d) is not possible.") % {"year": year})
    return digits


def check_arrival_time(errors: Errors, arrived_at: datetime | None) -> None:
    if arrived_at is None:
        errors.add("arrived_at", _("This field is required."))
        return
    if timezone.is_naive(arrived_at):
        errors.add("arrived_at", _("Give the time with its time zone."))
        return
    if arrived_at > timezone.now() + CLOCK_SKEW:
        errors.add("arrived_at", _("The arrival cannot be in the future."))
    if arrived_at.date() < EARLIEST_ARRIVAL:
        errors.add("arrived_at", _("The arrival date is too far in the past."))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
