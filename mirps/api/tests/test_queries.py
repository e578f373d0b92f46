"""The number of queries per request does not grow with the rows returned (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mirps.core.testing import person_input, register, screening_input


def _queries(api, user, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(user, path, **params).status_code == 200
    return len(ctx.captured_queries)


def _register_urgent(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        register(
            world.reg_sps,
            person=person_input(dni=f"05011995{i:05d}", given_names=f"Persona {'abcdefghij'[i % 10]}"),
            screening=screening_input(fear_of_return=True, violence_types=["threat"]),
        )


@pytest.mark.parametrize(
    ("who", "path", "params"),
    [
        ("reg_sps", "/arrivals", {}),
        ("reg_sps", "/persons", {"q": "Hernández"}),
        ("po_sedh", "/follow-up", {}),
        ("po_sedh", "/arrivals", {}),
    ],
)
def test_list_queries_are_constant(world, api, who, path, params):
    _register_urgent(world, 2, 0)
    user = getattr(world, who)
    _queries(api, user, path, **params)  # first use of the token: creates it, records its use
    before = _queries(api, user, path, **params)
    _register_urgent(world, 4, 2)
    assert _queries(api, user, path, **params) == before
