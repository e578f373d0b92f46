"""Field comparisons: each slip a registrar makes lands on the level that names it."""

from datetime import date

import numpy as np
import pytest

from mirps.identity import compare
from mirps.identity.scoring import Fields, build


def level_of(field: str, a: Fields, b: Fields) -> str:
    t = build([a, b])
    levels = compare.compare(t, np.array([0]), np.array([1]))
    k = compare.FIELD_INDEX[field]
    return compare.FIELDS[k].levels[levels[0, k]]


def person(**kw) -> Fields:
    base = {"given_names": "José Luis", "surname1": "Hernández", "surname2": "López", "sex": "M",
            "birth_date": date(1990, 3, 5), "dni": "", "municipality": "0501", "arrival_date": date(2024, 1, 10)}
    base.update(kw)
    return Fields(**base)


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ({}, {}, "same_surnames"),
        ({}, {"surname1": "Hernandez", "surname2": "Lopez"}, "same_surnames"),  # accents lost
        ({}, {"surname1": "López", "surname2": "Hernández"}, "surnames_swapped"),
        ({}, {"surname2": ""}, "second_surname_missing"),
        ({}, {"surname1": "Ernandes", "surname2": "Lópes"}, "surnames_sound_alike"),
        ({}, {"surname1": "Hernándes", "surname2": "Lopéz"}, "surnames_sound_alike"),
        ({}, {"surname1": "Hernnández", "surname2": "Lópezz"}, "surnames_sound_alike"),
        ({}, {"surname1": "Hernádnez"}, "surnames_similar"),  # two letters swapped
        ({}, {"surname1": "Mejía", "surname2": "López"}, "one_surname_shared"),
        ({}, {"surname1": "Mejía", "surname2": "Cruz"}, "surnames_different"),
        ({"surname1": "de la Cruz"}, {"surname1": "Delacruz"}, "same_surnames"),  # particles glued
        ({"surname1": "de la Cruz"}, {"surname1": "Cruz"}, "same_surnames"),  # particles dropped
        ({}, {"surname1": "", "surname2": ""}, "surnames_missing"),
    ],
)
def test_surname_levels(a, b, level):
    assert level_of("surnames", person(**a), person(**b)) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ({}, {}, "same_given_names"),
        ({}, {"given_names": "Jose Luis"}, "same_given_names"),
        ({}, {"given_names": "José"}, "same_first_given_name"),  # second given name left out
        ({}, {"given_names": "Luis"}, "given_name_shared"),
        ({"given_names": "Yessenia"}, {"given_names": "Yesenia"}, "given_names_sound_alike"),
        ({"given_names": "Geovany"}, {"given_names": "Jeovany"}, "given_names_sound_alike"),
        ({"given_names": "Wilmer"}, {"given_names": "Wilmerr"}, "given_names_sound_alike"),
        ({"given_names": "Katherine"}, {"given_names": "Katerin"}, "given_names_similar"),
        ({"given_names": "María"}, {"given_names": "Carlos"}, "given_names_different"),
        ({"given_names": "María de los Ángeles"}, {"given_names": "María Ángeles"}, "same_given_names"),
    ],
)
def test_given_name_levels(a, b, level):
    assert level_of("given", person(**a), person(**b)) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (date(1990, 3, 5), date(1990, 3, 5), "same_birth_date"),
        (date(1990, 3, 5), date(1990, 5, 3), "birth_day_month_swapped"),
        (date(1990, 3, 5), date(1990, 3, 15), "birth_one_part_off"),
        (date(1990, 3, 5), date(1991, 3, 5), "birth_one_part_off"),
        (date(1990, 3, 5), date(1990, 8, 5), "birth_one_part_off"),
        (date(1990, 3, 5), date(1990, 11, 20), "same_birth_year"),
        (date(1990, 3, 5), date(1984, 3, 5), "birth_different"),
        (date(1990, 3, 5), None, "birth_missing"),
    ],
)
def test_birth_date_levels(a, b, level):
    assert level_of("birth", person(birth_date=a), person(birth_date=b)) == level


def test_an_estimated_birth_date_never_counts_as_the_same_date():
    a = person(birth_date=date(1990, 7, 1), estimated=True)
    assert level_of("birth", a, person(birth_date=date(1990, 7, 1))) == "birth_estimated_year_close"


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("0801-1990-12345", "0801199012345", "same_dni"),
        ("0801199012345", "0801199012346", "dni_one_digit_off"),
        ("0801199012345", "0801199012354", "dni_one_digit_off"),  # neighbours swapped
        ("0801199012345", "0801199099999", "dni_different"),
        ("0801199012345", "", "dni_missing"),
    ],
)
def test_dni_levels(a, b, level):
    assert level_of("dni", person(dni=a), person(dni=b)) == level


def conflicts_of(a: Fields, b: Fields) -> tuple[bool, bool]:
    from mirps.identity.model import default

    t = build([a, b])
    i, j = np.array([0]), np.array([1])
    levels = compare.compare(t, i, j)
    return bool(compare.conflicts(t, i, j, levels, default())[0]), bool(compare.hard_conflicts(t, i, j, levels)[0])


def test_two_valid_dnis_that_differ_rule_out_a_link_but_a_typing_slip_does_not():
    assert conflicts_of(person(dni="0801199012345"), person(dni="0801199099999")) == (True, True)
    assert conflicts_of(person(dni="0801199012345"), person(dni="0801199012346")) == (False, False)


def test_a_record_with_almost_nothing_never_links_automatically():
    thin = Fields(given_names="José", surname1="", sex="M")
    assert conflicts_of(person(), thin)[0]
    no_birth = person(birth_date=None)
    assert conflicts_of(person(), no_birth)[0]
    assert not conflicts_of(person(), person(dni=""))[0]


def test_a_minor_and_an_adult_do_not_link_on_a_birth_date_guess():
    child = person(birth_date=date(2008, 3, 5), arrival_date=date(2024, 1, 10))  # 15
    adult = person(birth_date=date(2005, 3, 5), given_names="José", arrival_date=date(2024, 6, 1))  # 19
    assert conflicts_of(child, adult)[0]
    # the same date of birth, a child then and an adult later: one person, no conflict
    later = person(birth_date=date(2008, 3, 5), arrival_date=date(2027, 1, 10))
    assert not conflicts_of(child, later)[0]


def test_birth_years_far_apart_never_link_automatically():
    assert conflicts_of(person(birth_date=date(1986, 3, 5)), person(birth_date=date(2022, 3, 5)))[0]
    assert not conflicts_of(person(birth_date=date(1990, 3, 5)), person(birth_date=date(1991, 3, 5)))[0]


def test_a_record_without_birth_date_takes_the_year_from_its_dni():
    no_date = person(birth_date=None, dni="0801-1990-12345")
    assert level_of("birth", no_date, person(birth_date=date(1990, 3, 5))) == "birth_estimated_year_close"
    assert level_of("birth", no_date, person(birth_date=date(1975, 3, 5))) == "birth_different"
