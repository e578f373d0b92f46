"""Persons: search in scope, identity lookup for registrars, one person with their returns."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic.json_schema import SkipJsonSchema

from mirps.api.auth import actor_of
from mirps.api.schemas import (
    ONE_LINE,
    CandidateList,
    ErrorOut,
    IsoDate,
    PersonDetail,
    PersonList,
    PersonOut,
    PersonSensitiveOut,
    ValidationErrorOut,
)
from mirps.registration import selectors

router = Router(tags=["persons"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class CandidateQueryIn(Schema):
    dni: str = Field("", max_length=20, pattern=ONE_LINE)
    given_names: str = Field("", max_length=100, pattern=ONE_LINE)
    surname1: str = Field("", max_length=60, pattern=ONE_LINE)
    surname2: str = Field("", max_length=60, pattern=ONE_LINE)
    birth_date: IsoDate | SkipJsonSchema[None] = None
    sex: str = Field("", pattern="^(F|M)?$")


@router.get("/persons", response={200: PersonList, **ERRORS}, summary="Persons in your scope")
def person_search(
    request: HttpRequest,
    q: str = Query(..., min_length=2, max_length=100, pattern=ONE_LINE, description="First surname [given name], or DNI digits."),
) -> PersonList:
    return PersonList(items=selectors.person_search(actor=actor_of(request), q=q))


# Declared before /persons/{person_id} so that "candidates" is not read as an id.
@router.get(
    "/persons/candidates",
    response={200: CandidateList, **ERRORS},
    summary="Earlier registrations of the person at the counter (registrars)",
    description=(
        "Scored by the identity engine (probability and the reasons behind it); shown within your "
        "institution's records only, likely matches elsewhere are counted in `elsewhere`. "
        "Returns an identity card only, never screening data."
    ),
)
def person_candidates(request: HttpRequest, lookup: Query[CandidateQueryIn]) -> CandidateList:
    found = selectors.person_candidates(actor=actor_of(request), **lookup.model_dump())
    return CandidateList(items=found.items, elsewhere=found.elsewhere)


@router.get("/persons/{person_id}", response={200: PersonDetail, **ERRORS}, summary="One person with their returns")
def person_get(request: HttpRequest, person_id: uuid.UUID) -> PersonOut:
    actor = actor_of(request)
    person = selectors.person_get(actor=actor, person_id=person_id)
    in_scope = selectors.arrival_ids_in_scope(actor=actor, person=person)
    for arrival in person.arrivals.all():  # prefetched by the selector: these are the listed objects
        arrival.in_scope = arrival.pk in in_scope
    schema = PersonSensitiveOut if actor.sees_sensitive else PersonOut
    return schema.from_orm(person)
