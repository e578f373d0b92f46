"""`arrivals_import_bulk`: many arrivals in one transaction, by the rules of `arrival_register`.

`arrival_register` costs ~30 queries an arrival (each lookup, each M2M set, each count cell), so
a large load through it runs at ~40 arrivals/s. This service validates and derives exactly as
`arrival_register` does (same checks, same messages, same need level, follow-up institution,
sequence, family groups, count cells; tests compare the rows both write) but resolves lookups
once per batch and writes with multi-row INSERTs (COPY on PostgreSQL, see `inserts.py`).
One audit event records the batch. Rows may create a person and, later in the same batch,
add arrivals to them (`new_person_id` / `person_id`); their sequence follows row order.

It lives in the demo app because the demo and the benchmarks need it now; it is written as a
registration service (keyword-only, actor first, one transaction) so that it can move to
`mirps.registration` unchanged. Differences from the single-row path, on purpose:
- no idempotent resubmission: a client UUID that exists already is an error for the batch;
- `payload_hash` is left empty (it guards resubmissions of single forms);
- the batch is all or nothing: any invalid row rejects it, with errors keyed `rows.<i>.<field>`.
"""

from __future__ import annotations

import functools
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from mirps.accounts.models import Institution, Site
from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.demo.inserts import insert_rows, insert_tuples, reserve_ids, uuid_value
from mirps.geo.models import Country, Municipality
from mirps.identity import services as identity_services
from mirps.identity.models import Key as IdentityKey
from mirps.identity.models import Record as IdentityRecord
from mirps.identity.scoring import Fields
from mirps.reference.models import Term
from mirps.registration import screening as rules
from mirps.registration.inputs import ArrivalInput, PersonInput, ScreeningInput
from mirps.registration.models import (
    Arrival,
    DocumentSituation,
    Ethnicity,
    FamilyGroup,
    FollowUpStatus,
    IdentityDocument,
    Modality,
    NeedLevel,
    Person,
    ReturnType,
    Screening,
    Sex,
    TravelMode,
    WGAnswer,
)
from mirps.registration.names import search_key
from mirps.registration.services import CHILD_PROTECTION, PROTECTION
from mirps.registration.validation import Errors, age_on, check_arrival_time, check_dni, check_name
from mirps.stats.services import Key, arrival_counts_add, arrival_keys

WG = ("wg_seeing", "wg_hearing", "wg_walking", "wg_cognition", "wg_selfcare", "wg_communication")


@dataclass
class ImportRow:
    """One arrival to import: for a new person (`person`) or one registered before (`person_id`)."""

    arrival: ArrivalInput
    screening: ScreeningInput
    person: PersonInput | None = None
    person_id: uuid.UUID | None = None  # in the database, or the new_person_id of an earlier row
    new_person_id: uuid.UUID | None = None  # the id to give the new person, so later rows can refer to it
    family_key: str = ""  # rows with the same key arrived together (one family group)
    client_uuid: uuid.UUID | None = None
    # When the source system registered it (historical imports); None means now.
    registered_at: datetime | None = None


@dataclass
class Lookups:
    """Reference data resolved once and reused across batches."""

    sites: dict[tuple[str, str], Site] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    department_of: dict[int, str] = field(default_factory=dict)
    terms: dict[tuple[str, str], Term] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    tz: tzinfo = UTC

    @classmethod
    def load(cls) -> Lookups:
        munis = {m.code: m for m in Municipality.objects.select_related("department")}
        return cls(
            sites={(s.kind, s.code): s for s in Site.objects.filter(active=True)},
            countries={c.iso2: c for c in Country.objects.all()},
            municipalities=munis,
            department_of={m.pk: m.department.code for m in munis.values()},
            terms={(t.vocabulary, t.code): t for t in Term.objects.filter(active=True)},
            institutions={i.code: i for i in Institution.objects.filter(code__in=[CHILD_PROTECTION, PROTECTION])},
            tz=timezone.get_current_timezone(),
        )


@dataclass
class _Target:
    """What a row needs to know of its person: new (fields) or existing (birth, sex, disability)."""

    pk: uuid.UUID
    birth: date | None
    sex: str
    disability: bool
    arrivals: int  # arrivals already on the person, in the database or earlier in the batch
    key: str = ""  # the person's surname lookup key, copied onto each arrival


def arrivals_import_bulk(
    *, actor: access.Actor, rows: Sequence[ImportRow], lookups: Lookups | None = None
) -> list[Imported]:
    """Validate and register `rows` in one transaction; return the arrivals made, in row order."""
    if not actor.can(access.REGISTER):
        raise ValidationError({"reception_point": [_("You cannot register arrivals.")]})
    if not rows:
        return []
    lk = lookups or Lookups.load()
    with transaction.atomic():
        return _import(actor, rows, lk)


def _import(actor: access.Actor, rows: Sequence[ImportRow], lk: Lookups) -> list[Imported]:
    errors: dict[int, Errors] = {}
    muni_codes = set(lk.municipalities)
    refs = {r.person_id for r in rows if r.person_id is not None} - {r.new_person_id for r in rows if r.new_person_id}
    targets = _existing_targets(refs)
    clients = [r.client_uuid for r in rows if r.client_uuid is not None]
    taken = set(Arrival.objects.filter(client_uuid__in=clients).values_list("client_uuid", flat=True)) if clients else set()
    dnis: dict[str, int] = {}

    checked = []
    for i, row in enumerate(rows):
        err = Errors()
        c = _check_row(err, row, lk, actor, muni_codes)
        if row.client_uuid in taken:
            err.add("client_uuid", _("This arrival was imported before."))
        if row.person is not None and row.person_id is None:
            if c["person"]["dni"]:
                if c["person"]["dni"] in dnis:
                    err.add("dni", _("The same DNI is on row %(row)d.") % {"row": dnis[c["person"]["dni"]]})
                dnis.setdefault(c["person"]["dni"], i)
            pk = row.new_person_id or uuid.uuid4()
            p = c["person"]
            if pk in targets:
                err.add("person", _("This person id is used twice."))
            targets[pk] = _Target(pk, p["birth_date"], p["sex"], _disabled(p), 0, search_key(p["surname1"]))
            c["target"] = pk
        elif row.person_id is not None:
            if row.person_id not in targets:
                err.add("person", _("The person to attach this arrival to was not found."))
            c["target"] = row.person_id
        else:
            err.add("person", _("Choose an earlier registration or enter the person."))
        if not err.by_field and c["target"] is not None:
            t = targets[c["target"]]
            age = age_on(t.birth, c["arrival_day"]) if t.birth else None
            if row.arrival.travel_mode == TravelMode.UNACCOMPANIED_CHILD and (age is None or age >= 18):
                err.add(
                    "travel_mode",
                    _("An unaccompanied child must be under 18; this person is %(age)s at arrival.")
                    % {"age": age if age is not None else "?"},
                )
            c["age"] = age
        if err.by_field:
            errors[i] = err
        checked.append(c)
    if dnis:
        for dni in Person.objects.filter(dni__in=list(dnis)).values_list("dni", flat=True):
            errors.setdefault(dnis[dni], Errors()).add(
                "dni", _("A person with this DNI is already registered: choose them in the suggestions.")
            )
    if errors:
        raise ValidationError(
            {f"rows.{i}.{f}": msgs for i, e in sorted(errors.items()) for f, msgs in e.by_field.items()}
        )
    return _write(actor, rows, checked, targets, lk)


def _existing_targets(ids: set[uuid.UUID]) -> dict[uuid.UUID, _Target]:
    if not ids:
        return {}
    counts = dict(
        Arrival.objects.filter(person_id__in=ids).values("person_id").annotate(n=Count("pk")).values_list("person_id", "n")
    )
    out = {}
    for p in Person.objects.filter(pk__in=ids).only("pk", "birth_date", "sex", "search_surname1", *WG):
        out[p.pk] = _Target(p.pk, p.birth_date, p.sex, p.has_disability, counts.get(p.pk, 0), p.search_surname1)
    return out


def _disabled(p: dict[str, Any]) -> bool:
    return any(p[w] is not None and p[w] >= WGAnswer.A_LOT for w in WG)


@functools.cache
def _values(choices: Any) -> frozenset[Any]:
    return frozenset(choices.values)  # Choices.values rebuilds a list on every access


def _choice(err: Errors, name: str, value: Any, choices: Any, *, required: bool = True) -> None:
    if value in (None, "") and not required:
        return
    if value not in _values(choices):
        err.add(name, _("Choose one of the listed options."))


def _too_long(err: Errors, name: str, value: str, n: int) -> None:
    if len(value or "") > n:
        err.add(name, _("At most %(n)d characters.") % {"n": n})


def _terms(err: Errors, name: str, vocabulary: str, codes: list[str], lk: Lookups) -> list[Term]:
    codes = list(dict.fromkeys(c for c in codes if c))
    found = [lk.terms[(vocabulary, c)] for c in codes if (vocabulary, c) in lk.terms]
    missing = set(codes) - {t.code for t in found}
    if missing:
        err.add(name, _("Unknown codes: %(codes)s") % {"codes": ", ".join(sorted(missing))})
    return found


def _site(err: Errors, name: str, code: str, kind: str, lk: Lookups, *, required: bool) -> Site | None:
    if not code:
        if required:
            err.add(name, _("This field is required."))
        return None
    site = lk.sites.get((kind, code))
    if site is None:
        err.add(name, _("Unknown site: %(code)s") % {"code": code})
    return site


def _municipality(err: Errors, name: str, code: str, lk: Lookups, *, required: bool) -> Municipality | None:
    if not code:
        if required:
            err.add(name, _("This field is required."))
        return None
    m = lk.municipalities.get(code)
    if m is None:
        err.add(name, _("Unknown municipality code: %(code)s") % {"code": code})
    return m


def _check_row(err: Errors, row: ImportRow, lk: Lookups, actor: access.Actor, muni_codes: set[str]) -> dict[str, Any]:
    """The checks of `arrival_register`, in the same order with the same messages."""
    a, s = row.arrival, row.screening
    check_arrival_time(err, a.arrived_at)
    day = a.arrived_at.astimezone(lk.tz).date() if a.arrived_at and timezone.is_aware(a.arrived_at) else timezone.localdate()
    rp = _site(err, "reception_point", a.reception_point, Site.Kind.RECEPTION_POINT, lk, required=True)
    if rp is not None and rp.pk not in actor.registration_sites:
        err.add("reception_point", _("You can only register arrivals at your own reception point."))
    entry = _site(err, "entry_point", a.entry_point, Site.Kind.ENTRY_POINT, lk, required=False)
    _choice(err, "modality", a.modality, Modality)
    _choice(err, "return_type", a.return_type, ReturnType)
    _choice(err, "travel_mode", a.travel_mode, TravelMode)
    country_from = lk.countries.get((a.country_from or "").upper())
    if country_from is None:
        err.add("country_from", _("Unknown country code: %(code)s") % {"code": a.country_from})
    elif country_from.iso2 == "HN":
        err.add("country_from", _("A return comes from another country than Honduras."))
    destination = _municipality(err, "destination", a.destination, lk, required=True)
    if a.months_abroad is not None and not 0 <= a.months_abroad <= 1200:
        err.add("months_abroad", _("Give the time abroad in months (0 to 1200)."))
    if a.skill_years is not None and not 0 <= a.skill_years <= 80:
        err.add("skill_years", _("Give the years of experience (0 to 80)."))
    for f, n in (("skill_trade", 100), ("skill_certificates", 200), ("stay_address", 200)):
        _too_long(err, f, getattr(a, f), n)
    reasons = _terms(err, "reasons", Term.Vocabulary.MIGRATION_REASON, a.reasons, lk)
    needs_now = _terms(err, "immediate_needs", Term.Vocabulary.IMMEDIATE_NEED, a.immediate_needs, lk)
    violence = _terms(err, "violence_types", Term.Vocabulary.VIOLENCE_TYPE, s.violence_types, lk)
    perpetrators = _terms(err, "perpetrator_types", Term.Vocabulary.PERPETRATOR_TYPE, s.perpetrator_types, lk)
    specific = _terms(err, "specific_needs", Term.Vocabulary.SPECIFIC_NEED, s.specific_needs, lk)
    fear_place = _municipality(err, "fear_municipality", s.fear_municipality, lk, required=False)
    _too_long(err, "violence_narrative", s.violence_narrative, 4000)
    _too_long(err, "health_notes", s.health_notes, 2000)
    if s.lgbtiq not in ("", "lgbtiq", "no", "undisclosed"):
        err.add("lgbtiq", _("Choose one of the listed options."))
    if not s.consent_registration:
        err.add("consent_registration", _("Registration needs the person's consent."))
    person = None
    if row.person_id is None and row.person is not None:
        person = _check_person(err, row.person, day, lk, muni_codes)
    return {
        "arrival_day": day, "rp": rp, "entry": entry, "country_from": country_from,
        "destination": destination, "reasons": reasons, "needs_now": needs_now, "violence": violence,
        "perpetrators": perpetrators, "specific": specific, "fear_place": fear_place,
        "person": person, "target": None, "age": None,
    }


def _check_person(err: Errors, p: PersonInput, day: date, lk: Lookups, muni_codes: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "given_names": check_name(err, "given_names", p.given_names, required=True, max_length=100),
        "surname1": check_name(err, "surname1", p.surname1, required=True, max_length=60),
        "surname2": check_name(err, "surname2", p.surname2, required=False, max_length=60),
    }
    _choice(err, "sex", p.sex, Sex)
    _choice(err, "document_situation", p.document_situation, DocumentSituation)
    _choice(err, "ethnicity", p.ethnicity, Ethnicity)
    for wg in WG:
        _choice(err, wg, getattr(p, wg), WGAnswer, required=False)
        out[wg] = getattr(p, wg)
    country = lk.countries.get((p.nationality or "").upper())
    if country is None:
        err.add("nationality", _("Unknown country code: %(code)s") % {"code": p.nationality})
    out["nationality"] = country
    dni = None
    if p.document_situation == DocumentSituation.DNI:
        if not p.dni:
            err.add("dni", _("Enter the DNI, or choose the situation of the document."))
        else:
            dni = check_dni(err, p.dni, muni_codes)
    elif p.dni:
        err.add("dni", _("A DNI was entered but the document situation says there is none."))
    out["dni"] = dni
    birth, estimated = p.birth_date, p.birth_date_estimated
    if birth is None and p.age_estimate is not None:
        if not 0 <= p.age_estimate <= 110:
            err.add("age_estimate", _("Give an age between 0 and 110."))
        else:
            birth = date(day.year - p.age_estimate, 7, 1)
            estimated = True
    if birth is None:
        err.add("birth_date", _("Enter the date of birth or an estimated age."))
    elif birth > timezone.localdate():
        err.add("birth_date", _("The date of birth cannot be in the future."))
    elif birth > day:
        err.add("birth_date", _("The date of birth is after the arrival."))
    elif birth < date(1900, 1, 1) or age_on(birth, day) > 110:
        err.add("birth_date", _("The date of birth is not plausible."))
    out["birth_date"], out["birth_date_estimated"] = birth, estimated
    if len(p.phone or "") > 30:
        err.add("phone", _("At most %(n)d characters.") % {"n": 30})
    if p.email and ("@" not in p.email or len(p.email) > 254):
        err.add("email", _("Enter a valid email address."))
    _too_long(err, "documents", "x" * len(p.documents), 5)
    for d in p.documents:
        _choice(err, "documents", d.kind, IdentityDocument.Kind)
        _choice(err, "documents", d.status, IdentityDocument.Status)
        _too_long(err, "documents", d.number, 40)
    out.update(
        sex=p.sex, document_situation=p.document_situation, ethnicity=p.ethnicity or Ethnicity.NONE,
        phone=(p.phone or "").strip(), email=(p.email or "").strip(), documents=p.documents,
    )
    return out


@dataclass(slots=True)
class Imported:
    """What the caller learns of each imported arrival (row order)."""

    pk: uuid.UUID
    person_id: uuid.UUID
    sequence: int
    arrived_at: datetime
    reception_point_id: int
    modality: str
    age_years: int | None
    need_level: str
    return_type: str
    travel_mode: str
    follow_up_institution_id: int | None


def _write(
    actor: access.Actor, rows: Sequence[ImportRow], checked: list[dict[str, Any]],
    targets: dict[uuid.UUID, _Target], lk: Lookups,
) -> list[Imported]:
    # Rows are built as dicts and inserted by `inserts`: model instances cost ~100 us each to
    # build and bulk_create ~1 ms an arrival to compile, the bulk of a million-row load.
    user_id = actor.user.pk
    now = timezone.now()
    persons: list[dict[str, Any]] = []
    identity_fields: dict[uuid.UUID, Fields] = {}
    documents: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    arrivals: list[dict[str, Any]] = []
    screenings: list[dict[str, Any]] = []
    out: list[Imported] = []
    screening_ids = iter(reserve_ids(Screening, len(rows)))
    deltas: Counter[Key] = Counter()
    links: dict[tuple[type[models.Model], str], list[tuple[Any, int]]] = {
        (Arrival, "reasons"): [], (Arrival, "immediate_needs"): [], (Screening, "violence_types"): [],
        (Screening, "perpetrator_types"): [], (Screening, "specific_needs"): [],
    }

    for i, (row, c) in enumerate(zip(rows, checked, strict=True)):
        at = row.registered_at or now
        t = targets[c["target"]]
        p = c["person"]
        if p is not None:
            persons.append({
                "id": t.pk, "given_names": p["given_names"], "surname1": p["surname1"], "surname2": p["surname2"],
                "search_surname1": search_key(p["surname1"]), "search_given": search_key(p["given_names"]), "sex": p["sex"],
                "birth_date": p["birth_date"], "birth_date_estimated": p["birth_date_estimated"],
                "nationality_id": p["nationality"].pk, "document_situation": p["document_situation"], "dni": p["dni"],
                "ethnicity": p["ethnicity"], "phone": p["phone"], "email": p["email"], "created_at": at,
                "updated_at": at, "created_by_id": user_id, "version": 1, **{w: p[w] for w in WG},
            })
            identity_fields[t.pk] = Fields(
                given_names=p["given_names"], surname1=p["surname1"], surname2=p["surname2"], sex=p["sex"],
                birth_date=p["birth_date"], dni=p["dni"] or "", municipality=c["destination"].code,
                arrival_date=timezone.localdate(row.arrival.arrived_at), estimated=p["birth_date_estimated"],
            )
            seen = set()
            for d in p["documents"]:
                key = (d.kind, d.number.strip())
                if key not in seen:  # as the service's get_or_create: one row per kind and number
                    seen.add(key)
                    documents.append({"person_id": t.pk, "kind": d.kind, "number": key[1], "status": d.status})
        t.arrivals += 1
        age = c["age"]
        a, s = row.arrival, row.screening
        level, reason_codes = rules.assess(rules.ScreeningFacts(
            age_years=age,
            unaccompanied_child=a.travel_mode == TravelMode.UNACCOMPANIED_CHILD,
            fear_of_return=s.fear_of_return,
            violence=frozenset(x.code for x in c["violence"]),
            perpetrators=frozenset(x.code for x in c["perpetrators"]),
            displaced_before=s.displaced_before,
            specific_needs=frozenset(x.code for x in c["specific"]),
            sgbv_disclosed=s.sgbv_disclosed,
            disability=t.disability,
        ))
        follow_up = None
        if level != NeedLevel.NONE:
            follow_up = lk.institutions[CHILD_PROTECTION if age is not None and age < 18 else PROTECTION].pk
        group_id = None
        if a.travel_mode == TravelMode.FAMILY_UNIT:
            # As the service: a family unit belongs to a group (here one per family key).
            key = row.family_key or f"row-{i}"
            if key not in groups:
                groups[key] = {"id": uuid.uuid4(), "created_by_id": user_id, "reception_point_id": c["rp"].pk, "created_at": at}
            group_id = groups[key]["id"]
        done = Imported(
            pk=uuid.uuid4(), person_id=t.pk, sequence=t.arrivals, arrived_at=a.arrived_at,
            reception_point_id=c["rp"].pk, modality=a.modality, age_years=age, need_level=level,
            return_type=a.return_type, travel_mode=a.travel_mode, follow_up_institution_id=follow_up,
        )
        out.append(done)
        arrivals.append({
            "id": done.pk, "client_uuid": row.client_uuid or uuid.uuid4(), "payload_hash": "",
            "person_id": t.pk, "person_key": t.key, "sequence": done.sequence, "arrived_at": a.arrived_at,
            "reception_point_id": done.reception_point_id, "entry_point_id": c["entry"].pk if c["entry"] else None,
            "modality": a.modality, "country_from_id": c["country_from"].pk, "return_type": a.return_type,
            "travel_mode": a.travel_mode, "family_group_id": group_id, "months_abroad": a.months_abroad,
            "destination_id": c["destination"].pk, "skill_trade": a.skill_trade.strip(), "skill_years": a.skill_years,
            "skill_certificates": a.skill_certificates.strip(), "stay_address": a.stay_address.strip(),
            "age_years": age, "need_level": level, "follow_up_institution_id": follow_up,
            "follow_up_status": FollowUpStatus.OPEN if follow_up else FollowUpStatus.NONE,
            "registered_by_id": user_id, "created_at": at, "updated_at": at, "version": 1,
        })
        screening_id = next(screening_ids)
        screenings.append({
            "id": screening_id, "arrival_id": done.pk, "fear_of_return": s.fear_of_return,
            "fear_municipality_id": c["fear_place"].pk if c["fear_place"] else None,
            "violence_narrative": s.violence_narrative.strip(), "displaced_before": s.displaced_before,
            "health_notes": s.health_notes.strip(), "sgbv_disclosed": s.sgbv_disclosed, "lgbtiq": s.lgbtiq,
            "consent_registration": s.consent_registration, "consent_referral": s.consent_referral,
            "consent_international": s.consent_international, "need_level": level,
            "need_reasons": reason_codes, "screened_by_id": user_id, "screened_at": at,
        })
        for (model, name), terms in (
            ((Arrival, "reasons"), c["reasons"]), ((Arrival, "immediate_needs"), c["needs_now"]),
            ((Screening, "violence_types"), c["violence"]), ((Screening, "perpetrator_types"), c["perpetrators"]),
            ((Screening, "specific_needs"), c["specific"]),
        ):
            owner = done.pk if model is Arrival else screening_id
            links[(model, name)].extend((owner, term.pk) for term in terms)
        for k in arrival_keys(
            arrival=done, sex=t.sex, department_code=lk.department_of[c["destination"].pk],  # type: ignore[arg-type]
            country_iso2=c["country_from"].iso2, reason_codes=[x.code for x in c["reasons"]],
        ):
            deltas[k] += 1

    insert_rows(Person, persons)
    identity_rows, identity_keys = identity_services.records_rows(
        person_ids=[p["id"] for p in persons], fields=[identity_fields[p["id"]] for p in persons]
    )
    insert_rows(IdentityRecord, identity_rows)
    insert_tuples(IdentityKey._meta.db_table, ["record_id", "key"], ((uuid_value(pid), k) for pid, k in identity_keys))
    insert_rows(IdentityDocument, documents)
    insert_rows(FamilyGroup, list(groups.values()))
    insert_rows(Arrival, arrivals)
    insert_rows(Screening, screenings)
    for (model, name), pairs in links.items():
        through = getattr(model, name).through
        if model is Arrival:
            insert_tuples(through._meta.db_table, ["arrival_id", "term_id"], ((uuid_value(o), t) for o, t in pairs))
        else:
            insert_tuples(through._meta.db_table, ["screening_id", "term_id"], pairs)
    arrival_counts_add(deltas)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, object_type="import_batch",
        detail={"rows": len(out), "persons": len(persons), "reception_points": sorted({c["rp"].code for c in checked})},
    )
    return out
