"""Arrivals: list, read, register. Same selectors and services as the registration pages."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic.json_schema import SkipJsonSchema

from mirps.accounts.models import Site
from mirps.api.auth import actor_of
from mirps.api.errors import field_error, registration_errors
from mirps.api.schemas import (
    ONE_LINE,
    ArrivalDetail,
    ArrivalOut,
    ArrivalPage,
    ArrivalSensitiveOut,
    ErrorOut,
    IsoDate,
    NeedLevelCode,
    RegistrationIn,
    ValidationErrorOut,
)
from mirps.core import access
from mirps.core.access import Actor
from mirps.registration import selectors, services
from mirps.registration.inputs import ArrivalInput, DocumentInput, PersonInput, ScreeningInput
from mirps.registration.models import Arrival

router = Router(tags=["arrivals"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
MAX_PAGE = 20_000  # 1 000 000 rows deep: beyond that, filter by date


class ArrivalFilterIn(Schema):
    # SkipJsonSchema: a query parameter is absent or a string, never JSON null.
    date_from: IsoDate | SkipJsonSchema[None] = None
    date_to: IsoDate | SkipJsonSchema[None] = None
    reception_point: str = Field("", max_length=40, pattern=ONE_LINE, description="Site code.")
    need_level: NeedLevelCode | SkipJsonSchema[None] = None
    q: str = Field("", max_length=100, pattern=ONE_LINE, description="First surname or DNI, from the start.")
    page: int = Field(1, ge=1, le=MAX_PAGE)


def arrival_detail(actor: Actor, arrival: Arrival) -> ArrivalOut:
    """The arrival in the shape the actor may see: sensitive fields only with the SENSITIVE capability."""
    schema = ArrivalSensitiveOut if actor.sees_sensitive else ArrivalOut
    return schema.from_orm(arrival)


@router.get("/arrivals", response={200: ArrivalPage, **ERRORS}, summary="Arrivals in your scope, newest first")
def arrival_list(request: HttpRequest, filters: Query[ArrivalFilterIn]) -> ArrivalPage:
    site_id = None
    if filters.reception_point:
        site_id = Site.objects.filter(code=filters.reception_point).values_list("pk", flat=True).first()
        if site_id is None:
            raise NinjaValidationError(
                [
                    field_error(
                        ("query", "reception_point"),
                        _("Unknown site: %(code)s") % {"code": filters.reception_point},
                        "invalid",
                    )
                ]
            )
    rows, has_next = selectors.arrival_list(
        actor=actor_of(request),
        filters=selectors.ArrivalFilters(
            date_from=filters.date_from,
            date_to=filters.date_to,
            reception_point=site_id,
            need_level=filters.need_level or "",
            q=filters.q,
        ),
        page=filters.page,
    )
    return ArrivalPage(items=rows, page=filters.page, page_size=selectors.PAGE_SIZE, has_next=has_next)


@router.get("/arrivals/{arrival_id}", response={200: ArrivalDetail, **ERRORS}, summary="One arrival")
def arrival_get(request: HttpRequest, arrival_id: uuid.UUID) -> ArrivalOut:
    actor = actor_of(request)
    return arrival_detail(actor, selectors.arrival_get(actor=actor, arrival_id=arrival_id))


@router.post(
    "/arrivals",
    response={200: ArrivalDetail, 201: ArrivalDetail, 400: ErrorOut, 409: ErrorOut, **ERRORS},
    summary="Register an arrival (idempotent on client_uuid)",
    description=(
        "201 with the new arrival; 200 with the same arrival when the same registration is sent "
        "again with the same client_uuid; 409 when that client_uuid was used with other content."
    ),
)
def arrival_register(request: HttpRequest, payload: RegistrationIn) -> Status[ArrivalOut]:
    actor = actor_of(request)
    # Roles that cannot register do not see this endpoint at all, as with the registration page.
    actor.require(access.REGISTER)
    if payload.person is not None and payload.person_id is not None:
        raise NinjaValidationError(
            [field_error(("body", "payload", "person"), _("Give either person_id or person, not both."), "invalid")]
        )
    person = None
    if payload.person is not None:
        documents = [DocumentInput(**d.model_dump()) for d in payload.person.documents]
        person = PersonInput(**payload.person.model_dump(exclude={"documents"}), documents=documents)
    try:
        arrival, created = services.arrival_register(
            actor=actor,
            client_uuid=payload.client_uuid,
            person=person,
            person_id=payload.person_id,
            family_group_id=payload.family_group_id,
            arrival=ArrivalInput(**payload.arrival.model_dump()),
            screening=ScreeningInput(**payload.screening.model_dump()),
        )
    except ValidationError as exc:
        raise registration_errors(exc) from None
    # The service has audited the registration; the answer echoes what the caller just sent.
    return Status(201 if created else 200, arrival_detail(actor, arrival))
