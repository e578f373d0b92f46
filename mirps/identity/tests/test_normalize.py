"""Normalisation of Honduran names and DNIs: the hard cases registrars produce."""

import pytest

from mirps.identity import normalize as nz


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("José  María", "jose maria"),
        ("PEÑA", "pena"),
        ("D'Vicente", "dvicente"),
        ("Ruiz-Tagle", "ruiz tagle"),
        (" \tÁngel ", "angel"),
        ("", ""),
    ],
)
def test_fold_removes_accents_case_and_extra_spaces(text, folded):
    assert nz.fold(text) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("de la Cruz", "Delacruz"),  # particles kept apart or glued
        ("De La Cruz", "de la cruz"),
        ("del Cid", "Delcid"),
    ],
)
def test_glued_form_is_the_same_with_or_without_spaces_between_particles(a, b):
    assert nz.name(a).glued == nz.name(b).glued


@pytest.mark.parametrize(
    ("a", "b"),
    [("de la Cruz", "Cruz"), ("de los Santos", "Santos"), ("María de los Ángeles", "María Ángeles")],
)
def test_core_form_drops_the_particles(a, b):
    assert nz.name(a).core == nz.name(b).core


def test_tokens_of_a_compound_given_name_leave_particles_out():
    assert nz.name("María de los Ángeles").tokens == ("maria", "angeles")
    assert nz.name("José Luis").first == "jose"
    assert nz.name("").first == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Velásquez", "Belasquez"),  # b/v
        ("Velásquez", "Velazques"),  # s/z, qu
        ("Cecilia", "Sesilia"),  # c before e/i
        ("Hernández", "Ernandez"),  # silent h
        ("Yolanda", "Llolanda"),  # y/ll
        ("Yesenia", "Iesenia"),  # y/i
        ("Geovany", "Jeovany"),  # g/j before e/i
        ("Quiroz", "Kiroz"),  # qu/k
        ("Carlos", "Karlos"),  # c/k
        ("Carrillo", "Cariyo"),  # rr/r, ll/y
        ("Guillermo", "Gillermo"),  # silent u of gu
        ("Mirna", "Mirnna"),  # doubled letter
    ],
)
def test_spanish_sound_alikes_share_a_phonetic_key(a, b):
    assert nz.phonetic_name(a) == nz.phonetic_name(b)


@pytest.mark.parametrize(("a", "b"), [("Mejía", "Medina"), ("Castro", "Cruz"), ("Ana", "Anabel"), ("Gómez", "Gámez")])
def test_different_names_keep_different_keys(a, b):
    assert nz.phonetic_name(a) != nz.phonetic_name(b)


@pytest.mark.parametrize(
    ("raw", "digits", "valid", "municipality", "year"),
    [
        ("0801-1990-12345", "0801199012345", True, "0801", 1990),
        ("0801199012345", "0801199012345", True, "0801", 1990),
        (" 0801 1990 12345 ", "0801199012345", True, "0801", 1990),
        ("1901199012345", "1901199012345", False, "", 0),  # no department 19
        ("0800199012345", "0800199012345", False, "", 0),  # municipality 00
        ("0801189912345", "0801189912345", False, "", 0),  # year before 1900
        ("080119901234", "080119901234", False, "", 0),  # 12 digits
        ("", "", False, "", 0),
    ],
)
def test_dni_is_normalised_and_its_parts_read_when_valid(raw, digits, valid, municipality, year):
    d = nz.dni(raw)
    assert (d.digits, d.valid, d.municipality, d.year) == (digits, valid, municipality, year)
