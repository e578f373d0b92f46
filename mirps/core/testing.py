"""The shared test world: three institutions, a user of each role, and a way to register arrivals.

SRECI runs CAMR San Pedro Sula and CAMR Omoa; DINAF runs CANFM Belén and protects children; SEDH
protects adults. A user of one is a stranger to the others' records (healthchecks' Alice/Bob/Charlie).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from mirps.accounts.models import Institution, Membership, Role, Site, User
from mirps.core.access import Actor
from mirps.registration.inputs import ArrivalInput, PersonInput, ScreeningInput
from mirps.registration.models import Arrival
from mirps.registration.services import arrival_register

PASSWORD = "correct horse battery staple 42"


def make_user(username: str, role: str, institution: str, site: str | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(
        user=user,
        institution=Institution.objects.get(code=institution),
        role=role,
        site=Site.objects.get(code=site) if site else None,
    )
    return user


@dataclass
class World:
    reg_sps: User
    reg_omoa: User
    reg_belen: User
    po_sedh: User
    po_dinaf: User
    po_sesal: User
    remote: User
    focal: User
    partner: User
    coord: User
    admin: User
    reviewer: User
    reviewer_dinaf: User
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, user: User) -> Actor:
        return Actor.of(user)

    def all_users(self) -> dict[str, User]:
        return {k: v for k, v in vars(self).items() if isinstance(v, User)}


def build_world() -> World:
    return World(
        reg_sps=make_user("reg_sps", Role.REGISTRAR, "sreci-dgphm", "camr-sps"),
        reg_omoa=make_user("reg_omoa", Role.REGISTRAR, "sreci-dgphm", "camr-omoa"),
        reg_belen=make_user("reg_belen", Role.REGISTRAR, "dinaf", "canfm-belen"),
        po_sedh=make_user("po_sedh", Role.PROTECTION_OFFICER, "sedh"),
        po_dinaf=make_user("po_dinaf", Role.PROTECTION_OFFICER, "dinaf"),
        po_sesal=make_user("po_sesal", Role.PROTECTION_OFFICER, "sesal"),
        remote=make_user("remote", Role.REMOTE_OPERATOR, "sedh", "uar-sps"),
        focal=make_user("focal", Role.FOCAL_POINT, "sesal"),
        partner=make_user("partner", Role.PARTNER, "acnur"),
        coord=make_user("coord", Role.COORDINATOR, "sreci-dgphm"),
        admin=make_user("admin", Role.ADMINISTRATOR, "sreci-dgphm"),
        reviewer=make_user("reviewer", Role.IDENTITY_REVIEWER, "sreci-dgphm"),
        reviewer_dinaf=make_user("reviewer_dinaf", Role.IDENTITY_REVIEWER, "dinaf"),
    )


def person_input(**kw: Any) -> PersonInput:
    base = PersonInput(
        given_names="José Luis",
        surname1="Hernández",
        surname2="López",
        sex="M",
        birth_date=date(1995, 3, 14),
        document_situation="dni",
        dni="0501199512345",
        phone="+504 9999-0000",
    )
    return replace(base, **kw)


def arrival_input(**kw: Any) -> ArrivalInput:
    base = ArrivalInput(
        arrived_at=timezone.now() - timedelta(hours=1),
        reception_point="camr-sps",
        entry_point="rvm-airport",
        modality="air",
        country_from="US",
        return_type="deported",
        travel_mode="alone",
        destination="0501",
        reasons=["unemployment"],
        stay_address="Colonia Rivera Hernández, casa 12",
    )
    return replace(base, **kw)


def screening_input(**kw: Any) -> ScreeningInput:
    return replace(ScreeningInput(consent_registration=True), **kw)


def register(
    user: User,
    *,
    person: PersonInput | None = None,
    person_id: uuid.UUID | None = None,
    arrival: ArrivalInput | None = None,
    screening: ScreeningInput | None = None,
    **kw: Any,
) -> Arrival:
    obj, _created = arrival_register(
        actor=Actor.of(user),
        person=person if person_id is None else None,
        person_id=person_id,
        arrival=arrival or arrival_input(),
        screening=screening or screening_input(),
        **kw,
    )
    return obj


def aware(y: int, m: int, d: int, h: int = 10) -> datetime:
    return timezone.make_aware(datetime(y, m, d, h))


def url_names(prefix: str = "") -> set[str]:
    """Every named URL of the project ("namespace:name"), those starting with `prefix` when given:
    the access-matrix tests compare it with their matrices so that a new page cannot go unlisted."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: Any, ns: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}{p.name}"

    return {n for n in walk(get_resolver().url_patterns) if n.startswith(prefix)}
