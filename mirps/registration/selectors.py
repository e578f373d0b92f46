"""Reads of persons and arrivals. Every function takes the acting user and applies the access policy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.identity import selectors as identity_selectors
from mirps.identity.scoring import Fields
from mirps.registration.models import Arrival, Person
from mirps.registration.names import dni_digits, fold, prefix_range, search_key

PAGE_SIZE = 50
CANDIDATE_LIMIT = 5


def _arrivals(actor: access.Actor) -> QuerySet[Arrival]:
    actor.require(access.ARRIVALS)
    return Arrival.objects.filter(access.arrival_scope(actor))


@dataclass
class ArrivalFilters:
    date_from: date | None = None
    date_to: date | None = None
    reception_point: int | None = None
    need_level: str = ""
    q: str = ""  # surname prefix, or DNI


def arrival_list(*, actor: access.Actor, filters: ArrivalFilters, page: int = 1) -> tuple[list[Arrival], bool]:
    """One page of arrivals in scope, newest first, and whether a next page exists.

    No total count: counting a million rows on every page view costs more than the page itself.
    """
    qs = _arrivals(actor)
    if filters.date_from:
        qs = qs.filter(arrived_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(arrived_at__date__lte=filters.date_to)
    if filters.reception_point:
        qs = qs.filter(reception_point_id=filters.reception_point)
    if filters.need_level:
        qs = qs.filter(need_level=filters.need_level)
    if filters.q:
        digits = dni_digits(filters.q)
        if len(digits) >= 4 and len(digits) == len(filters.q.replace("-", "").replace(" ", "")):
            low, high = prefix_range(digits)
            qs = qs.filter(person__dni__gte=low, person__dni__lt=high)
        elif key := search_key(fold(filters.q).split(" ")[0]):
            low, high = prefix_range(key)
            qs = qs.filter(person_key__gte=low, person_key__lt=high)
    page = max(1, page)
    start = (page - 1) * PAGE_SIZE
    # Choose the page's ids first (from an index alone), then load those rows: sorting thousands
    # of full joined rows for a common surname is what made the search slow on a million arrivals.
    ids = list(qs.order_by("-arrived_at", "-pk").values_list("pk", flat=True)[start : start + PAGE_SIZE + 1])
    rows = list(
        Arrival.objects.filter(pk__in=ids)
        .select_related("person", "reception_point", "country_from", "destination")
        .order_by("-arrived_at", "-pk")
    )
    if filters.q:
        audit_record(actor=actor, action=AuditEvent.Action.SEARCH, object_type="arrival", detail={"results": len(rows)})
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def arrival_get(*, actor: access.Actor, arrival_id: uuid.UUID) -> Arrival:
    """One arrival in scope (404 otherwise); the view is audited."""
    obj = (
        _arrivals(actor)
        .select_related(
            "person", "reception_point", "entry_point", "country_from", "destination__department",
            "follow_up_institution", "screening", "screening__fear_municipality",
        )
        .filter(pk=arrival_id)
        .first()
    )
    if obj is None:
        raise Http404
    audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=obj, detail={"sensitive": actor.sees_sensitive})
    return obj


def person_get(*, actor: access.Actor, person_id: uuid.UUID) -> Person:
    """A person with at least one arrival in scope (404 otherwise), with all their arrivals listed."""
    actor.require(access.ARRIVALS)
    visible = Arrival.objects.filter(access.arrival_scope(actor), person_id=OuterRef("pk"))
    obj = (
        Person.objects.filter(Exists(visible), pk=person_id)
        .select_related("nationality")
        .prefetch_related(
            "documents",
            Prefetch(
                "arrivals",
                queryset=Arrival.objects.select_related("reception_point", "country_from").order_by("-arrived_at"),
            ),
        )
        .first()
    )
    if obj is None:
        raise Http404
    audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=obj, detail={"sensitive": actor.sees_sensitive})
    return obj


def arrival_ids_in_scope(*, actor: access.Actor, person: Person) -> set[uuid.UUID]:
    return set(_arrivals(actor).filter(person=person).values_list("pk", flat=True))


def person_search(*, actor: access.Actor, q: str) -> list[Person]:
    """Persons in scope whose first surname starts with the term, or whose DNI starts with it."""
    actor.require(access.ARRIVALS)
    term = q.strip()
    if len(term) < 2:
        return []
    visible = Arrival.objects.filter(access.arrival_scope(actor), person_id=OuterRef("pk"))
    digits = dni_digits(term)
    if len(digits) >= 4 and len(digits) == len(term.replace("-", "").replace(" ", "")):
        low, high = prefix_range(digits)
        match = Q(dni__gte=low, dni__lt=high)
    else:
        words = [search_key(w) for w in fold(term).split(" ") if search_key(w)]
        if not words:
            return []
        low, high = prefix_range(words[0])
        match = Q(search_surname1__gte=low, search_surname1__lt=high)
        if len(words) > 1:
            match &= Q(search_given__contains=words[1])
    rows = list(Person.objects.filter(match).filter(Exists(visible)).order_by("search_surname1", "search_given")[:PAGE_SIZE])
    audit_record(actor=actor, action=AuditEvent.Action.SEARCH, object_type="person", detail={"results": len(rows)})
    return rows


@dataclass(frozen=True)
class Candidate:
    """What a registrar sees of a possible earlier registration: enough to recognise, no more."""

    person_id: uuid.UUID
    full_name: str
    birth_date: date | None
    dni_last4: str
    arrivals: int
    last_arrival: date | None
    last_reception_point: str
    reasons: tuple[str, ...]
    probability: float | None = None
    weights: tuple[float, ...] = ()


@dataclass(frozen=True)
class CandidateLookup:
    items: list[Candidate]
    elsewhere: int  # likely earlier registrations outside the registrar's scope (never shown)


def person_candidates(
    *,
    actor: access.Actor,
    dni: str = "",
    given_names: str = "",
    surname1: str = "",
    surname2: str = "",
    birth_date: date | None = None,
    sex: str = "",
) -> CandidateLookup:
    """Possible earlier registrations of the person at the counter, scored by the identity engine.

    Shown only within the registrar's scope (persons who came through their institution's reception
    points); likely matches elsewhere are counted, so the registrar knows to expect a review.
    Returns an identity card only, never screening data.
    """
    actor.require(access.IDENTITY_LOOKUP)
    fields = Fields(given_names=given_names, surname1=surname1, surname2=surname2, sex=sex,
                    birth_date=birth_date, dni=dni_digits(dni), arrival_date=timezone.localdate())
    matches, elsewhere = identity_selectors.lookup(actor=actor, fields=fields, limit=CANDIDATE_LIMIT)
    cards = _cards([m.person_id for m in matches])
    out = [
        replace(cards[m.person_id], reasons=tuple(code for code, _w in m.reasons),
                probability=m.probability, weights=tuple(w for _c, w in m.reasons))
        for m in matches if m.person_id in cards
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SEARCH,
        object_type="person",
        detail={"lookup": "candidates", "results": [str(c.person_id) for c in out], "elsewhere": elsewhere},
    )
    return CandidateLookup(out, elsewhere)


def followup_queue(*, actor: access.Actor, status: str = "open") -> QuerySet[Arrival]:
    """Arrivals with a possible or urgent need assigned to the actor's institution."""
    actor.require(access.FOLLOW_UP)
    qs = Arrival.objects.filter(access.followup_scope(actor))
    if status:
        qs = qs.filter(follow_up_status=status)
    return qs.select_related("person", "reception_point").order_by("-need_level", "-arrived_at")


def _cards(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, Candidate]:
    """Identity cards of several persons in two queries (the lookup shows up to five)."""
    if not person_ids:
        return {}
    arrivals: dict[uuid.UUID, list[Arrival]] = {}
    for a in Arrival.objects.filter(person_id__in=person_ids).select_related("reception_point").order_by("arrived_at"):
        arrivals.setdefault(a.person_id, []).append(a)
    out = {}
    for p in Person.objects.filter(pk__in=person_ids):
        mine = arrivals.get(p.pk, [])
        last = mine[-1] if mine else None
        out[p.pk] = Candidate(
            person_id=p.pk, full_name=p.full_name, birth_date=p.birth_date, dni_last4=(p.dni or "")[-4:],
            arrivals=len(mine), last_arrival=timezone.localdate(last.arrived_at) if last else None,
            last_reception_point=last.reception_point.label if last else "", reasons=(),
        )
    return out


def person_cards(*, actor: access.Actor, person_ids: list[uuid.UUID]) -> list[Candidate]:
    """Identity cards of persons a registrar chose in the lookup (to attach a new arrival)."""
    actor.require(access.IDENTITY_LOOKUP)
    cards = list(_cards(person_ids[:CANDIDATE_LIMIT]).values())
    for c in cards:
        audit_record(actor=actor, action=AuditEvent.Action.VIEW, object_type="person", object_id=str(c.person_id), detail={"view": "card"})
    return cards
