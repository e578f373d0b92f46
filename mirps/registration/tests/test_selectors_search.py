from __future__ import annotations

import pytest

from mirps.core.testing import person_input, register
from mirps.registration import selectors


@pytest.mark.parametrize("sparse_limit", [0, 2000])
def test_arrival_list_search_gives_same_rows_on_both_plans(world, monkeypatch, sparse_limit):
    monkeypatch.setattr(selectors, "SPARSE_MATCH", sparse_limit)
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
