"""Identity review: pairs of records that may be one person, compared and decided by a reviewer.

The same selectors and services as the review pages: only pairs whose two records are both in the
reviewer's scope exist here (404 otherwise); a pair reaching outside it is counted in `elsewhere`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool

from mirps.api.auth import actor_of
from mirps.api.schemas import ErrorOut, Input, Page, SexCode, ValidationErrorOut
from mirps.identity import selectors, services
from mirps.identity.models import ReviewItem
from mirps.identity.reasons import LABELS
from mirps.registration.names import dni_display

router = Router(tags=["identity review"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
PAGE_SIZE = 50
MAX_PAGE = 20_000

StatusCode = Literal[tuple(ReviewItem.Status.values)]


class ReviewFilterIn(Schema):
    status: Literal[(*ReviewItem.Status.values, "all")] = "open"  # type: ignore[valid-type]
    page: int = Field(1, ge=1, le=MAX_PAGE)


class RecordBrief(Schema):
    person_id: uuid.UUID
    full_name: str


class ReviewItemOut(Schema):
    id: uuid.UUID
    status: StatusCode  # type: ignore[valid-type]
    probability: float = Field(description="When the pair was queued, by the model then in force.")
    source: Literal[tuple(ReviewItem.Source.values)]  # type: ignore[valid-type]
    created_at: datetime
    record_a: RecordBrief
    record_b: RecordBrief


class ReviewPage(Page):
    items: list[ReviewItemOut]
    elsewhere: int = Field(
        description="Open pairs joining one of your records to a record outside your scope: counted, never shown."
    )


class ArrivalBrief(Schema):
    arrived_at: datetime
    reception_point: str = Field(description="Site code")
    destination: str = Field(description="Municipality code")


class SideOut(Schema):
    person_id: uuid.UUID
    given_names: str
    surname1: str
    surname2: str
    sex: SexCode  # type: ignore[valid-type]
    birth_date: date | None
    birth_date_estimated: bool
    dni: str | None
    records_in_person: int = Field(description="Records already resolved to this person (this one included).")
    arrivals: list[ArrivalBrief]


class ReasonOut(Schema):
    code: str
    label: str
    weight: float = Field(description="Evidence in bits: positive for the same person, negative against.")


class ComparisonOut(Schema):
    item: ReviewItemOut
    probability: float = Field(description="By the model in force now.")
    reasons: list[ReasonOut]
    a: SideOut
    b: SideOut


class DecisionIn(Input):
    same: StrictBool = Field(description="true: the same person (the records are merged); false: different people.")


def _item(item: ReviewItem) -> ReviewItemOut:
    a, b = item.record_a.person, item.record_b.person
    return ReviewItemOut(
        id=item.pk, status=item.status, probability=item.probability, source=item.source,
        created_at=item.created_at,
        record_a=RecordBrief(person_id=a.pk, full_name=a.full_name),
        record_b=RecordBrief(person_id=b.pk, full_name=b.full_name),
    )


def _side(side: selectors.Side) -> SideOut:
    p = side.person
    return SideOut(
        person_id=p.pk, given_names=p.given_names, surname1=p.surname1, surname2=p.surname2, sex=p.sex,
        birth_date=p.birth_date, birth_date_estimated=p.birth_date_estimated,
        dni=dni_display(p.dni) if p.dni else None, records_in_person=side.cluster_size,
        arrivals=[
            ArrivalBrief(arrived_at=a.arrived_at, reception_point=a.reception_point.code, destination=a.destination.code)
            for a in side.arrivals
        ],
    )


@router.get(
    "/identity/review",
    response={200: ReviewPage, **ERRORS},
    summary="Pairs that may be one person, within your scope (identity reviewers)",
    description="Most likely first; `status=all` lists the pairs still waiting first.",
)
def review_list(request: HttpRequest, filters: Query[ReviewFilterIn]) -> ReviewPage:
    actor = actor_of(request)
    qs = selectors.review_queue(actor=actor, status="" if filters.status == "all" else filters.status)
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    return ReviewPage(
        items=[_item(i) for i in rows[:PAGE_SIZE]], page=filters.page, page_size=PAGE_SIZE,
        has_next=len(rows) > PAGE_SIZE, elsewhere=selectors.review_elsewhere(actor=actor),
    )


@router.get(
    "/identity/review/{item_id}",
    response={200: ComparisonOut, **ERRORS},
    summary="One pair side by side, with the evidence of each field",
    description="Identity fields and arrival dates and places only, never screening data. Audited.",
)
def review_get(request: HttpRequest, item_id: uuid.UUID) -> ComparisonOut:
    cmp = selectors.review_get(actor=actor_of(request), item_id=item_id)
    return ComparisonOut(
        item=_item(cmp.item), probability=cmp.probability,
        reasons=[ReasonOut(code=code, label=str(LABELS.get(code, code)), weight=w) for code, w in cmp.reasons],
        a=_side(cmp.a), b=_side(cmp.b),
    )


@router.post(
    "/identity/review/{item_id}/decision",
    response={200: ReviewItemOut, 400: ErrorOut, **ERRORS},
    summary="Decide a pair: the same person (merge) or different people",
    description=(
        "A merge moves the whole second person into the first; it is audited and can be undone on "
        "the person's page. A pair decided already, or two records holding different valid DNIs, "
        "is refused with 422."
    ),
)
def review_decide(request: HttpRequest, item_id: uuid.UUID, body: DecisionIn) -> ReviewItemOut:
    item = services.review_decide(actor=actor_of(request), item_id=item_id, same=body.same)
    return _item(ReviewItem.objects.select_related("record_a__person", "record_b__person").get(pk=item.pk))
