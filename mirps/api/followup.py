"""The protection follow-up queue of the officer's institution."""

from __future__ import annotations

import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from mirps.api.auth import actor_of
from mirps.api.schemas import ArrivalPage, ErrorOut, FollowUpOut, ValidationErrorOut
from mirps.registration import selectors, services

router = Router(tags=["follow-up"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
MAX_PAGE = 20_000


class QueueFilterIn(Schema):
    status: Literal["open", "taken", "closed", "all"] = "open"
    page: int = Field(1, ge=1, le=MAX_PAGE)


@router.get(
    "/follow-up",
    response={200: ArrivalPage, **ERRORS},
    summary="Arrivals with a protection need for your institution, urgent first",
)
def followup_queue(request: HttpRequest, filters: Query[QueueFilterIn]) -> ArrivalPage:
    qs = selectors.followup_queue(
        actor=actor_of(request), status="" if filters.status == "all" else filters.status
    ).select_related("country_from", "destination")  # listed with each row
    size = selectors.PAGE_SIZE
    start = (filters.page - 1) * size
    rows = list(qs[start : start + size + 1])
    return ArrivalPage(items=rows[:size], page=filters.page, page_size=size, has_next=len(rows) > size)


@router.post(
    "/follow-up/{arrival_id}/take",
    response={200: FollowUpOut, **ERRORS},
    summary="Take an arrival from your institution's queue",
    description="Taking an arrival already taken changes nothing and answers the same.",
)
def followup_take(request: HttpRequest, arrival_id: uuid.UUID) -> FollowUpOut:
    # The answer is the new state only: reading the arrival is GET /arrivals/{id}, audited there.
    return FollowUpOut.from_orm(services.followup_take(actor=actor_of(request), arrival_id=arrival_id))
