"""Writes of the registration domain. Each service is one transaction, validated and audited."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mirps.accounts.models import Institution, Site
from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.geo.models import Country, Municipality
from mirps.identity import services as identity_services
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
    RegistrationDraft,
    ReturnType,
    Screening,
    Sex,
    TravelMode,
    WGAnswer,
)
from mirps.registration.names import search_key
from mirps.registration.validation import (
    Errors,
    age_on,
    check_arrival_time,
    check_dni,
    check_name,
)
from mirps.stats.services import arrival_counts_apply

CHILD_PROTECTION = "dinaf"  # competent institution for children
PROTECTION = "sedh"  # competent institution for adults with protection needs


class Conflict(Exception):
    """The same client UUID was sent again with different content."""


def _payload_hash(*parts: Any) -> str:
    blob = json.dumps([asdict(p) if hasattr(p, "__dataclass_fields__") else p for p in parts], default=str, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _terms(errors: Errors, field: str, vocabulary: str, codes: list[str]) -> list[Term]:
    codes = list(dict.fromkeys(c for c in codes if c))
    found = list(Term.objects.filter(vocabulary=vocabulary, code__in=codes, active=True))
    missing = set(codes) - {t.code for t in found}
    if missing:
        errors.add(field, _("Unknown codes: %(codes)s") % {"codes": ", ".join(sorted(missing))})
    return found


def _choice(errors: Errors, field: str, value: Any, choices: Any, *, required: bool = True) -> None:
    if value in (None, "") and not required:
        return
    if value not in choices.values:
        errors.add(field, _("Choose one of the listed options."))


def _validate_person(errors: Errors, p: PersonInput, arrival_day: date) -> dict[str, Any]:
    """Validated person fields ready for the model, or errors added."""
    out: dict[str, Any] = {
        "given_names": check_name(errors, "given_names", p.given_names, required=True, max_length=100),
        "surname1": check_name(errors, "surname1", p.surname1, required=True, max_length=60),
        "surname2": check_name(errors, "surname2", p.surname2, required=False, max_length=60),
    }
    _choice(errors, "sex", p.sex, Sex)
    _choice(errors, "document_situation", p.document_situation, DocumentSituation)
    _choice(errors, "ethnicity", p.ethnicity, Ethnicity)
    for wg in ("wg_seeing", "wg_hearing", "wg_walking", "wg_cognition", "wg_selfcare", "wg_communication"):
        _choice(errors, wg, getattr(p, wg), WGAnswer, required=False)
        out[wg] = getattr(p, wg)
    country = Country.objects.filter(iso2=(p.nationality or "").upper()).first()
    if country is None:
        errors.add("nationality", _("Unknown country code: %(code)s") % {"code": p.nationality})
    out["nationality"] = country
    dni = None
    if p.document_situation == DocumentSituation.DNI:
        if not p.dni:
            errors.add("dni", _("Enter the DNI, or choose the situation of the document."))
        else:
            codes = set(Municipality.objects.values_list("code", flat=True))
            dni = check_dni(errors, p.dni, codes)
    elif p.dni:
        errors.add("dni", _("A DNI was entered but the document situation says there is none."))
    out["dni"] = dni
    birth = p.birth_date
    estimated = p.birth_date_estimated
    if birth is None and p.age_estimate is not None:
        if not 0 <= p.age_estimate <= 110:
            errors.add("age_estimate", _("Give an age between 0 and 110."))
        else:
            birth = date(arrival_day.year - p.age_estimate, 7, 1)
            estimated = True
    if birth is None:
        errors.add("birth_date", _("Enter the date of birth or an estimated age."))
    else:
        if birth > timezone.localdate():
            errors.add("birth_date", _("The date of birth cannot be in the future."))
        elif birth > arrival_day:
            errors.add("birth_date", _("The date of birth is after the arrival."))
        elif birth < date(1900, 1, 1) or age_on(birth, arrival_day) > 110:
            errors.add("birth_date", _("The date of birth is not plausible."))
    out["birth_date"] = birth
    out["birth_date_estimated"] = estimated
    if len(p.phone or "") > 30:
        errors.add("phone", _("At most %(n)d characters.") % {"n": 30})
    if p.email and ("@" not in p.email or len(p.email) > 254):
        errors.add("email", _("Enter a valid email address."))
    out.update(
        sex=p.sex,
        document_situation=p.document_situation,
        ethnicity=p.ethnicity or Ethnicity.NONE,
        phone=(p.phone or "").strip(),
        email=(p.email or "").strip(),
    )
    return out


def _site(errors: Errors, field: str, code: str, kind: str, *, required: bool) -> Site | None:
    if not code:
        if required:
            errors.add(field, _("This field is required."))
        return None
    site = Site.objects.filter(code=code, kind=kind, active=True).first()
    if site is None:
        errors.add(field, _("Unknown site: %(code)s") % {"code": code})
    return site


def _municipality(errors: Errors, field: str, code: str, *, required: bool) -> Municipality | None:
    if not code:
        if required:
            errors.add(field, _("This field is required."))
        return None
    m = Municipality.objects.filter(code=code).first()
    if m is None:
        errors.add(field, _("Unknown municipality code: %(code)s") % {"code": code})
    return m


def _too_long(errors: Errors, field: str, value: str, n: int) -> None:
    if len(value or "") > n:
        errors.add(field, _("At most %(n)d characters.") % {"n": n})


@transaction.atomic
def arrival_register(
    *,
    actor: access.Actor,
    arrival: ArrivalInput,
    screening: ScreeningInput,
    person: PersonInput | None = None,
    person_id: uuid.UUID | None = None,
    family_group_id: uuid.UUID | None = None,
    client_uuid: uuid.UUID | None = None,
    draft_id: uuid.UUID | None = None,
) -> tuple[Arrival, bool]:
    """Register one arrival with its screening, for a new person or one registered before.

    Idempotent on `client_uuid`: the same submission returns the same arrival (created=False);
    the same UUID with other content raises Conflict. Only registrars, at their own reception
    point. Returns (arrival, created).
    """
    if not actor.can(access.REGISTER):
        raise ValidationError({"reception_point": [_("You cannot register arrivals.")]})
    client_uuid = client_uuid or uuid.uuid4()
    digest = _payload_hash(arrival, screening, person, str(person_id), str(family_group_id))
    existing = Arrival.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        if existing.payload_hash != digest or existing.registered_by_id != actor.user.pk:
            raise Conflict
        return existing, False

    errors = Errors()
    check_arrival_time(errors, arrival.arrived_at)
    # Only a checked time is converted: an absurd one (year 1 or 9999) would overflow.
    arrival_day = timezone.localdate(arrival.arrived_at) if not errors.by_field else timezone.localdate()

    rp = _site(errors, "reception_point", arrival.reception_point, Site.Kind.RECEPTION_POINT, required=True)
    if rp is not None and rp.pk not in actor.registration_sites:
        errors.add("reception_point", _("You can only register arrivals at your own reception point."))
    entry = _site(errors, "entry_point", arrival.entry_point, Site.Kind.ENTRY_POINT, required=False)
    _choice(errors, "modality", arrival.modality, Modality)
    _choice(errors, "return_type", arrival.return_type, ReturnType)
    _choice(errors, "travel_mode", arrival.travel_mode, TravelMode)
    country_from = Country.objects.filter(iso2=(arrival.country_from or "").upper()).first()
    if country_from is None:
        errors.add("country_from", _("Unknown country code: %(code)s") % {"code": arrival.country_from})
    elif country_from.iso2 == "HN":
        errors.add("country_from", _("A return comes from another country than Honduras."))
    destination = _municipality(errors, "destination", arrival.destination, required=True)
    if arrival.months_abroad is not None and not 0 <= arrival.months_abroad <= 1200:
        errors.add("months_abroad", _("Give the time abroad in months (0 to 1200)."))
    if arrival.skill_years is not None and not 0 <= arrival.skill_years <= 80:
        errors.add("skill_years", _("Give the years of experience (0 to 80)."))
    for f, n in (("skill_trade", 100), ("skill_certificates", 200), ("stay_address", 200)):
        _too_long(errors, f, getattr(arrival, f), n)
    reasons = _terms(errors, "reasons", Term.Vocabulary.MIGRATION_REASON, arrival.reasons)
    needs_now = _terms(errors, "immediate_needs", Term.Vocabulary.IMMEDIATE_NEED, arrival.immediate_needs)

    violence = _terms(errors, "violence_types", Term.Vocabulary.VIOLENCE_TYPE, screening.violence_types)
    perpetrators = _terms(errors, "perpetrator_types", Term.Vocabulary.PERPETRATOR_TYPE, screening.perpetrator_types)
    specific = _terms(errors, "specific_needs", Term.Vocabulary.SPECIFIC_NEED, screening.specific_needs)
    fear_place = _municipality(errors, "fear_municipality", screening.fear_municipality, required=False)
    _too_long(errors, "violence_narrative", screening.violence_narrative, 4000)
    _too_long(errors, "health_notes", screening.health_notes, 2000)
    if screening.lgbtiq not in ("", "lgbtiq", "no", "undisclosed"):
        errors.add("lgbtiq", _("Choose one of the listed options."))
    if not screening.consent_registration:
        errors.add("consent_registration", _("Registration needs the person's consent."))

    target: Person | None = None
    person_fields: dict[str, Any] = {}
    if person_id is not None:
        target = Person.objects.select_for_update().filter(pk=person_id).first()
        if target is None:
            errors.add("person", _("The person to attach this arrival to was not found."))
    elif person is not None:
        person_fields = _validate_person(errors, person, arrival_day)
        _too_long(errors, "documents", "x" * len(person.documents), 5)
        for d in person.documents:
            _choice(errors, "documents", d.kind, IdentityDocument.Kind)
            _choice(errors, "documents", d.status, IdentityDocument.Status)
            _too_long(errors, "documents", d.number, 40)
    else:
        errors.add("person", _("Choose an earlier registration or enter the person."))

    group = None
    if family_group_id is not None:
        group = FamilyGroup.objects.filter(pk=family_group_id).first()
        if group is None or (rp is not None and group.reception_point_id != rp.pk):
            errors.add("family_group", _("This family group does not exist at your reception point."))
    errors.raise_if_any()

    birth = target.birth_date if target is not None else person_fields["birth_date"]
    age = age_on(birth, arrival_day) if birth else None
    if arrival.travel_mode == TravelMode.UNACCOMPANIED_CHILD and (age is None or age >= 18):
        errors.add(
            "travel_mode",
            _("An unaccompanied child must be under 18; this person is %(age)s at arrival.")
            % {"age": age if age is not None else "?"},
        )
    errors.raise_if_any()

    if target is None:
        target = _person_create(actor=actor, fields=person_fields, documents=person.documents if person else [])
    else:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=target, detail={"op": "attach_arrival"})
    sequence = target.arrivals.count() + 1

    disability = target.has_disability
    facts = rules.ScreeningFacts(
        age_years=age,
        unaccompanied_child=arrival.travel_mode == TravelMode.UNACCOMPANIED_CHILD,
        fear_of_return=screening.fear_of_return,
        violence=frozenset(t.code for t in violence),
        perpetrators=frozenset(t.code for t in perpetrators),
        displaced_before=screening.displaced_before,
        specific_needs=frozenset(t.code for t in specific),
        sgbv_disclosed=screening.sgbv_disclosed,
        disability=disability,
    )
    level, reasons_codes = rules.assess(facts)
    follow_up = None
    if level != NeedLevel.NONE:
        code = CHILD_PROTECTION if age is not None and age < 18 else PROTECTION
        follow_up = Institution.objects.get(code=code)

    if group is None and arrival.travel_mode == TravelMode.FAMILY_UNIT and rp is not None:
        group = FamilyGroup.objects.create(created_by=actor.user, reception_point=rp)

    try:
        with transaction.atomic():
            obj = Arrival.objects.create(
                client_uuid=client_uuid,
                person=target,
                person_key=target.search_surname1,
                sequence=sequence,
                arrived_at=arrival.arrived_at,
                reception_point=rp,
                entry_point=entry,
                modality=arrival.modality,
                country_from=country_from,
                return_type=arrival.return_type,
                travel_mode=arrival.travel_mode,
                family_group=group,
                months_abroad=arrival.months_abroad,
                destination=destination,
                skill_trade=arrival.skill_trade.strip(),
                skill_years=arrival.skill_years,
                skill_certificates=arrival.skill_certificates.strip(),
                stay_address=arrival.stay_address.strip(),
                age_years=age,
                need_level=level,
                follow_up_institution=follow_up,
                follow_up_status=FollowUpStatus.OPEN if follow_up else FollowUpStatus.NONE,
                registered_by=actor.user,
                payload_hash=digest,
            )
    except IntegrityError:
        # Lost a race: the same client UUID was committed by a concurrent request.
        again = Arrival.objects.filter(client_uuid=client_uuid).first()
        if again is not None and again.payload_hash == digest:
            return again, False
        raise Conflict from None
    obj.reasons.set(reasons)
    obj.immediate_needs.set(needs_now)
    sc = Screening.objects.create(
        arrival=obj,
        fear_of_return=screening.fear_of_return,
        fear_municipality=fear_place,
        violence_narrative=screening.violence_narrative.strip(),
        displaced_before=screening.displaced_before,
        health_notes=screening.health_notes.strip(),
        sgbv_disclosed=screening.sgbv_disclosed,
        lgbtiq=screening.lgbtiq,
        consent_registration=screening.consent_registration,
        consent_referral=screening.consent_referral,
        consent_international=screening.consent_international,
        need_level=level,
        need_reasons=reasons_codes,
        screened_by=actor.user,
    )
    sc.violence_types.set(violence)
    sc.perpetrator_types.set(perpetrators)
    sc.specific_needs.set(specific)
    arrival_counts_apply(arrival=obj, target_person=target, reason_codes=[t.code for t in reasons], sign=+1)
    if person_id is None:
        # A new Person record: the identity engine indexes it and checks it against the registry
        # in this same transaction (a sure match is linked, an unsure one goes to review).
        identity_services.record_register(
            actor=actor, person=target, arrival_day=arrival_day, municipality=destination.code if destination else ""
        )
    if draft_id is not None:
        RegistrationDraft.objects.filter(pk=draft_id, author=actor.user).delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=obj,
        detail={"person": str(target.pk), "need_level": level, "sequence": sequence},
    )
    return obj, True


def _person_create(*, actor: access.Actor, fields: dict[str, Any], documents: list[Any]) -> Person:
    try:
        with transaction.atomic():
            p = Person.objects.create(
                **fields,
                search_surname1=search_key(fields["surname1"]),
                search_given=search_key(fields["given_names"]),
                created_by=actor.user,
            )
    except IntegrityError:
        raise ValidationError(
            {"dni": [_("A person with this DNI is already registered: choose them in the suggestions.")]}
        ) from None
    for d in documents:
        IdentityDocument.objects.get_or_create(person=p, kind=d.kind, number=d.number.strip(), defaults={"status": d.status})
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=p)
    return p


@transaction.atomic
def followup_take(*, actor: access.Actor, arrival_id: uuid.UUID) -> Arrival:
    """A protection officer takes an arrival from their institution's queue."""
    obj = Arrival.objects.select_for_update().filter(access.followup_scope(actor), pk=arrival_id).first()
    if obj is None:
        raise Http404
    if obj.follow_up_status == FollowUpStatus.OPEN:
        obj.follow_up_status = FollowUpStatus.TAKEN
        obj.version += 1
        obj.save(update_fields=["follow_up_status", "version", "updated_at"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=obj, detail={"follow_up_status": "taken"})
    return obj


@transaction.atomic
def draft_save(*, actor: access.Actor, draft_id: uuid.UUID | None, data: dict[str, Any]) -> RegistrationDraft:
    """Keep an unfinished registration form for its author (only the author can read it back)."""
    sites = actor.registration_sites
    if not sites:
        raise ValidationError(_("You cannot register arrivals."))
    clean = {k: v for k, v in data.items() if k != "csrfmiddlewaretoken" and len(str(v)) <= 4000}
    draft = None
    if draft_id is not None:
        draft = RegistrationDraft.objects.filter(pk=draft_id, author=actor.user).first()
    if draft is None:
        draft = RegistrationDraft(author=actor.user, site_id=sites[0])
    draft.data = clean
    draft.save()
    return draft


def drafts_prune(*, older_than_days: int = 7) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    n, _x = RegistrationDraft.objects.filter(updated_at__lt=cutoff).delete()
    return n
