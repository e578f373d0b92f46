"""Property-based fuzzing of every operation with schemathesis, in-process against the WSGI app.

Valid and invalid requests generated from the OpenAPI schema, sent as a registrar with a real
token: no answer may be a 5xx, every answer must match the documented status codes and schemas,
and invalid input must be refused. Deterministic (fixed seed, derandomized) and small, so the run
is the same everywhere and takes seconds.

The WSGI handler runs in the test's thread, so it shares the test's database connection and sees
the rows the test created inside its transaction (SQLite and PostgreSQL alike); no transactional
test is needed, which would flush the reference data the migrations loaded.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from mirps.core.testing import World, arrival_input, person_input, register, screening_input
from mirps.identity.models import ReviewItem

CONFIG = {
    "seed": 20240611,
    "generation": {
        "mode": "all",  # valid and invalid requests
        "max-examples": 30,
        "deterministic": True,
        "database": "none",
        # Unknown query parameters are ignored, as most HTTP APIs do (the JSON body refuses them).
        "allow-extra-parameters": False,
        # The token is sent by the test (below), not generated from the security scheme.
        "with-security-parameters": False,
    },
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        # Schema-valid input may still break a business rule (unknown municipality, another site):
        # a 422 or 404 for it is correct, so "valid data must be accepted" does not apply here.
        "positive_data_acceptance": {"enabled": False},
    },
}


@pytest.fixture
def same_connection() -> Iterator[None]:
    # WSGIHandler closes "old" connections around each request; inside the test's transaction that
    # would close it. Django's test client disconnects the same receiver for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(world: World, same_connection: None) -> dict[str, str]:
    """Rows for the endpoints to find; returns ids to aim some generated requests at."""
    plain = register(world.reg_sps, person=person_input())
    register(  # a child alone: urgent, DINAF follows up
        world.reg_sps,
        person=person_input(given_names="Kevin", dni="", document_situation="none", birth_date=date(2012, 5, 1)),
        arrival=arrival_input(travel_mode="unaccompanied_child"),
        screening=screening_input(fear_of_return=True, violence_types=["threat"]),
    )
    urgent = register(  # an adult at risk: urgent, SEDH follows up
        world.reg_sps,
        person=person_input(given_names="Rosa", sex="F", dni="0501198800001", birth_date=date(1988, 1, 2)),
        screening=screening_input(fear_of_return=True, violence_types=["extortion"], violence_narrative="…"),
    )
    again = register(  # the first person typed again at Omoa, slips and all: a pair to review
        world.reg_omoa,
        person=person_input(given_names="José", birth_date=date(1995, 4, 14), dni="", document_situation="none"),
        arrival=arrival_input(reception_point="camr-omoa", destination="0801"),
    )
    item = ReviewItem.objects.get(record_a_id__in=[plain.person_id, again.person_id],
                                  record_b_id__in=[plain.person_id, again.person_id])
    return {"registrar": str(plain.pk), "officer": str(urgent.pk), "person_id": str(plain.person_id),
            "reviewer": str(item.pk)}


@pytest.fixture
def tokens(world: World, api) -> dict[str, str]:
    return {"registrar": api.token(world.reg_sps), "officer": api.token(world.po_sedh),
            "reviewer": api.token(world.reviewer)}


# Loaded at collection: the schema endpoint needs no database. (schemathesis.pytest.from_fixture
# would load it per test, but its lazy loader does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", WSGIHandler(), config=SchemathesisConfig.from_dict(CONFIG)
)


@schema.parametrize()
# The seeded rows and tokens are shared by all examples of an operation, on purpose: examples
# may add rows (registrations), which the next ones then see.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_fuzz(case, seeded, tokens):
    # The follow-up queue is the protection officer's, identity review the reviewer's; everything
    # else is called as the registrar.
    who = "officer" if "/follow-up" in case.path else "reviewer" if "/identity/" in case.path else "registrar"
    # Random UUIDs never name a record: half of the well-formed ones are pointed at seeded rows,
    # so that answers about real records are checked against the schema too.
    for name, value in (case.path_parameters or {}).items():
        if _is_uuid(value) and value[0] in "02468ace":
            case.path_parameters[name] = seeded["person_id" if name == "person_id" else who]
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[who]}"})


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)
