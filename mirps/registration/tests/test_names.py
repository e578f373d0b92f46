from __future__ import annotations

import pytest

from mirps.registration.names import dni_digits, fold, prefix_range, search_key


@pytest.mark.parametrize(
    ("raw", "folded", "key"),
    [
        ("José  María", "jose maria", "josemaria"),
        ("De la Cruz", "de la cruz", "delacruz"),
        ("NÚÑEZ", "nunez", "nunez"),
        ("O'Hara-Peña", "o'hara-pena", "oharapena"),
    ],
)
def test_fold_and_search_key(raw, folded, key):
    assert fold(raw) == folded and search_key(raw) == key


def test_prefix_range_bounds_every_key_with_the_prefix():
    low, high = prefix_range("her")
    assert low <= "her" < high and low <= "hernandez" < high and not (low <= "hes" < high)


def test_dni_digits_drops_dashes_and_spaces():
    assert dni_digits("0801-1990 12345") == "0801199012345"
