from __future__ import annotations

from mirps.core.testing import arrival_input, person_input, register
from mirps.registration import selectors


def test_arrival_list_search_by_surname_prefix_and_dni_prefix(world):
    a = register(world.reg_sps, person=person_input(surname1="De la Cruz", dni="0501199500001"))
    b = register(world.reg_sps, person=person_input(surname1="Delgado", dni="0501199500002"))
    register(world.reg_sps, person=person_input(surname1="Martínez", dni="0501199500003"))
    actor = world.actor(world.reg_sps)

    def found(q: str) -> set:
        rows, _next = selectors.arrival_list(actor=actor, filters=selectors.ArrivalFilters(q=q))
        return {r.pk for r in rows}

    assert found("del") == {a.pk, b.pk}
    assert found("De la") == {a.pk, b.pk}
    assert found("delacruz") == {a.pk}
    assert found("0501-1995-0000") == {a.pk, b.pk} | found("martinez")
    assert found("zz") == set()


def test_person_search_matches_without_accents_and_spaces(world):
    p = register(world.reg_sps, person=person_input(surname1="Núñez Del Río", dni="0501199500004")).person
    actor = world.actor(world.reg_sps)
    assert [x.pk for x in selectors.person_search(actor=actor, q="nunezdel")] == [p.pk]
    assert [x.pk for x in selectors.person_search(actor=actor, q="NÚÑEZ")] == [p.pk]


def test_arrival_carries_the_surname_key_of_its_person(world):
    a = register(world.reg_sps, person=person_input(surname1="De la Cruz", dni="0501199500005"))
    b = register(world.reg_omoa, person_id=a.person_id, arrival=arrival_input(reception_point="camr-omoa"))
    assert a.person_key == b.person_key == a.person.search_surname1 == "delacruz"
