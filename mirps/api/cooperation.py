"""Cooperation: interventions (who does what where), pledges and funding. Same selectors and services as the pages."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import StrictInt
from pydantic.json_schema import SkipJsonSchema

from mirps.api.auth import actor_of
from mirps.api.errors import service_errors
from mirps.api.schemas import ONE_LINE, ErrorOut, Input, IsoDate, ValidationErrorOut
from mirps.cooperation import funding, selectors, services
from mirps.cooperation.models import Intervention, Pledge, Population, Sector
from mirps.core import access
from mirps.plan.models import Plan

router = Router(tags=["cooperation"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
PAGE_SIZE = 100

SectorCode = Literal[tuple(Sector.values)]  # type: ignore[valid-type]
StatusCode = Literal[tuple(Intervention.Status.values)]  # type: ignore[valid-type]
PopulationCode = Literal[tuple(Population.values)]  # type: ignore[valid-type]
PledgeStateCode = Literal[tuple(Pledge.State.values)]  # type: ignore[valid-type]
Code = Annotated[str, Field(max_length=40, pattern=ONE_LINE)]
Money = Annotated[Decimal, Field(ge=0, le=10_000_000_000, max_digits=14, decimal_places=2)]
People = Annotated[StrictInt, Field(ge=0, le=services.MAX_PEOPLE)]


class InterventionFilterIn(Schema):
    sector: SectorCode | SkipJsonSchema[None] = None
    partner: str = Field("", max_length=40, pattern=ONE_LINE, description="Institution code (implementer or funder).")
    status: StatusCode | SkipJsonSchema[None] = None
    commitment: int | SkipJsonSchema[None] = Field(None, ge=1, le=2_147_483_647, description="Commitment id.")
    population: PopulationCode | SkipJsonSchema[None] = None
    department: str = Field("", max_length=2, pattern=ONE_LINE, description="Department INE code, e.g. 05.")
    page: int = Field(1, ge=1, le=10_000)


class PeopleOut(Schema):
    women: int
    men: int
    girls: int
    boys: int


class InterventionOut(Schema):
    id: uuid.UUID
    code: str
    title: str
    implementer: str
    funders: list[str]
    sector: str
    activity: str
    municipalities: list[str] = Field(description="P-codes")
    start: date
    end: date | None
    status: str
    populations: list[str]
    targeted: PeopleOut
    reached: PeopleOut
    reached_note: str
    budget_usd: Decimal
    commitments: list[str] = Field(description="Commitment codes")
    published: bool
    version: int


class InterventionPage(Schema):
    items: list[InterventionOut]
    page: int
    page_size: int
    has_next: bool


class InterventionIn(Input):
    code: str = Field("", max_length=40, pattern=ONE_LINE, description="Empty: generated.")
    title: str = Field(max_length=300, pattern=ONE_LINE)
    implementer: Code = Field(description="Institution code")
    funders: Annotated[list[Code], Field(max_length=50)] = []
    sector: SectorCode
    activity: str = Field(max_length=500, pattern=ONE_LINE)
    municipalities: Annotated[list[Annotated[str, Field(max_length=6, pattern=ONE_LINE)]], Field(min_length=1, max_length=300)]
    department: str = Field("", max_length=4, pattern=ONE_LINE, description="When given, every municipality must be in it.")
    start: IsoDate
    end: IsoDate | None = None
    status: StatusCode = "planned"
    populations: Annotated[list[PopulationCode], Field(min_length=1, max_length=4)]
    targeted_women: People = 0
    targeted_men: People = 0
    targeted_girls: People = 0
    targeted_boys: People = 0
    reached_women: People = 0
    reached_men: People = 0
    reached_girls: People = 0
    reached_boys: People = 0
    reached_note: str = Field("", max_length=500, pattern=ONE_LINE)
    budget_usd: Money = Decimal(0)
    commitments: Annotated[list[Annotated[StrictInt, Field(ge=1, le=2_147_483_647)]], Field(max_length=50)] = []


class InterventionUpdateIn(InterventionIn):
    version: StrictInt = Field(ge=1, le=2_147_483_647, description="The version you read; 422 if it changed.")


class PledgeOut(Schema):
    id: uuid.UUID
    partner: str
    commitment: str
    need: int | None
    state: str
    amount: Decimal
    currency: str
    amount_usd: Decimal
    date: date
    note: str
    published: bool


class PledgeFilterIn(Schema):
    partner: str = Field("", max_length=40, pattern=ONE_LINE, description="Institution code.")


class PledgeList(Schema):
    items: list[PledgeOut]


class PledgeIn(Input):
    partner: Code
    commitment: Annotated[StrictInt, Field(ge=1, le=2_147_483_647)]
    need: Annotated[StrictInt, Field(ge=1, le=2_147_483_647)] | None = None
    state: PledgeStateCode = "pledged"
    amount: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]
    currency: str = Field(min_length=3, max_length=3, pattern=ONE_LINE)
    date: IsoDate
    note: str = Field("", max_length=500, pattern=ONE_LINE)


class FundingRow(Schema):
    commitment: str
    area: str
    needed: Decimal
    pledged: Decimal
    committed: Decimal
    disbursed: Decimal
    gap: Decimal


class FundingOut(Schema):
    plan: str
    rule: str
    commitments: list[FundingRow]


def _people(iv: Intervention, kind: str) -> PeopleOut:
    return PeopleOut(**{c: getattr(iv, f"{kind}_{c}") for c in services.CELLS})


def intervention_out(iv: Intervention) -> InterventionOut:
    return InterventionOut(
        id=iv.pk,
        code=iv.code,
        title=iv.title,
        implementer=iv.implementer.code,
        funders=sorted(f.code for f in iv.funders.all()),
        sector=iv.sector,
        activity=iv.activity,
        municipalities=sorted(m.pcode for m in iv.municipalities.all()),
        start=iv.start,
        end=iv.end,
        status=iv.status,
        populations=list(iv.populations),
        targeted=_people(iv, "targeted"),
        reached=_people(iv, "reached"),
        reached_note=iv.reached_note,
        budget_usd=iv.budget_usd,
        commitments=sorted(c.code for c in iv.commitments.all()),
        published=iv.published,
        version=iv.version,
    )


def _where(prefix: str = "body") -> dict[str, tuple[str, ...]]:
    names = [*InterventionUpdateIn.model_fields, *PledgeIn.model_fields]
    return {n: (prefix, "payload", n) for n in names}


def _invalid(exc: ValidationError) -> NinjaValidationError:
    return NinjaValidationError(service_errors(exc, _where()))


def _input(payload: InterventionIn) -> services.InterventionInput:
    data = payload.model_dump(exclude={"version"})
    return services.InterventionInput(**data)


@router.get(
    "/cooperation/interventions",
    response={200: InterventionPage, **ERRORS},
    summary="Interventions (who does what where), with the map's filters",
)
def intervention_list(request: HttpRequest, filters: Query[InterventionFilterIn]) -> InterventionPage:
    actor = actor_of(request)
    actor.require(access.PLAN)
    qs = selectors.interventions_filtered(
        actor_or_none=actor,
        published_only=False,
        sector=filters.sector,
        partner=filters.partner,
        status=filters.status,
        commitment=filters.commitment,
        population=filters.population,
        department=filters.department,
    ).prefetch_related("funders", "municipalities", "commitments")
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    return InterventionPage(
        items=[intervention_out(iv) for iv in rows[:PAGE_SIZE]],
        page=filters.page,
        page_size=PAGE_SIZE,
        has_next=len(rows) > PAGE_SIZE,
    )


@router.get("/cooperation/interventions/{intervention_id}", response={200: InterventionOut, **ERRORS}, summary="One intervention")
def intervention_get(request: HttpRequest, intervention_id: uuid.UUID) -> InterventionOut:
    actor = actor_of(request)
    actor.require(access.PLAN)
    return intervention_out(selectors.intervention_get(actor_or_none=actor, intervention_id=intervention_id))


@router.post(
    "/cooperation/interventions",
    response={201: InterventionOut, 400: ErrorOut, **ERRORS},
    summary="Record an intervention (partner: own organisation; coordinator: any)",
)
def intervention_create(request: HttpRequest, payload: InterventionIn) -> Status[InterventionOut]:
    actor = actor_of(request)
    actor.require(access.COOP_EDIT)
    try:
        iv = services.intervention_create(actor=actor, data=_input(payload))
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, intervention_out(selectors.intervention_get(actor_or_none=actor, intervention_id=iv.pk)))


@router.put(
    "/cooperation/interventions/{intervention_id}",
    response={200: InterventionOut, 400: ErrorOut, **ERRORS},
    summary="Change an intervention of your organisation (coordinator: any)",
)
def intervention_update(request: HttpRequest, intervention_id: uuid.UUID, payload: InterventionUpdateIn) -> InterventionOut:
    actor = actor_of(request)
    iv = selectors.intervention_get_for_edit(actor=actor, intervention_id=intervention_id)
    try:
        iv = services.intervention_update(actor=actor, intervention=iv, data=_input(payload), version=payload.version)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return intervention_out(selectors.intervention_get(actor_or_none=actor, intervention_id=iv.pk))


def pledge_out(p: Pledge) -> PledgeOut:
    return PledgeOut(
        id=p.pk,
        partner=p.partner.code,
        commitment=p.commitment.code,
        need=p.need_id,
        state=p.state,
        amount=p.amount,
        currency=p.currency,
        amount_usd=p.amount_usd,
        date=p.date,
        note=p.note,
        published=p.published,
    )


@router.get("/cooperation/pledges", response={200: PledgeList, **ERRORS}, summary="Pledges, newest first")
def pledge_list(request: HttpRequest, filters: Query[PledgeFilterIn]) -> PledgeList:
    actor = actor_of(request)
    actor.require(access.PLAN)
    qs = selectors.pledges_visible(actor_or_none=actor)
    if filters.partner:
        qs = qs.filter(partner__code=filters.partner)
    return PledgeList(items=[pledge_out(p) for p in qs.order_by("-date", "pk")[:1000]])


@router.post(
    "/cooperation/pledges",
    response={201: PledgeOut, 400: ErrorOut, **ERRORS},
    summary="Record a pledge (partner: own organisation; coordinator: any). USD from the rate valid on its date.",
)
def pledge_create(request: HttpRequest, payload: PledgeIn) -> Status[PledgeOut]:
    actor = actor_of(request)
    actor.require(access.COOP_EDIT)
    try:
        pledge = services.pledge_create(actor=actor, **payload.model_dump())
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, pledge_out(pledge))


@router.get("/cooperation/funding", response={200: FundingOut, **ERRORS}, summary="Needed vs pledged vs disbursed by commitment")
def funding_get(request: HttpRequest) -> FundingOut:
    actor = actor_of(request)
    actor.require(access.PLAN)
    plan = Plan.objects.order_by("-period_start", "-version").first()
    rows: list[dict[str, Any]] = funding.funding_by_commitment(plan=plan) if plan else []
    return FundingOut(
        plan=plan.title if plan else "",
        rule=str(funding.RULE),
        commitments=[FundingRow(commitment=r["code"], **{k: r[k] for k in FundingRow.model_fields if k != "commitment"}) for r in rows],
    )

