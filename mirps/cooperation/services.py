"""Writes of cooperation data: support needs, pledges, interventions. Validated, audited, atomic.

Who may call what (enforced here as well as in the views, see `mirps.core.access`):
- support needs: the coordinator (PLAN_MANAGE);
- pledges and interventions: a partner for its own organisation, the coordinator for any (COOP_EDIT);
- publishing: the coordinator.
Text is stored as typed: HTML or a spreadsheet formula stays plain text, escaped on screen and
neutralised in exports (`mirps.stats.exports.safe_cell`).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mirps.accounts.models import Institution, Role
from mirps.audit.services import audit_record
from mirps.cooperation.models import (
    ExchangeRate,
    Intervention,
    Pledge,
    Population,
    Sector,
    SupportNeed,
)
from mirps.core import access
from mirps.core.access import Actor
from mirps.geo.models import Department, Municipality
from mirps.plan.models import Commitment

# A pledge or budget above this (in USD) is a typing error, not a real contribution.
MAX_USD = Decimal("10000000000")  # 10 billion
MAX_PEOPLE = 10_000_000  # more than Honduras' population in one intervention cell is a typo
PARTNER_KINDS = frozenset(
    {
        Institution.Kind.UN_AGENCY,
        Institution.Kind.DONOR,
        Institution.Kind.DEV_BANK,
        Institution.Kind.NGO,
        Institution.Kind.REGIONAL,
    }
)
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
# Control characters other than tab/newline: invisible and break CSV/XML exports.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
STATE_ORDER = [Pledge.State.PLEDGED, Pledge.State.COMMITTED, Pledge.State.DISBURSED]
CELLS = ("women", "men", "girls", "boys")
CELL_LABELS = {"women": gettext_lazy("women"), "men": gettext_lazy("men"), "girls": gettext_lazy("girls"), "boys": gettext_lazy("boys")}


class Errors:
    """Collects field errors so that a form shows all of them at once."""

    def __init__(self) -> None:
        self.d: dict[str, list[str]] = {}

    def add(self, name: str, msg: str) -> None:
        self.d.setdefault(name, []).append(msg)

    def raise_if_any(self) -> None:
        if self.d:
            raise ValidationError(self.d)


def _text(errors: Errors, name: str, value: Any, *, max_length: int, required: bool = False) -> str:
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors.add(name, _("This field is required."))
    elif len(value) > max_length:
        errors.add(name, _("At most %(n)d characters.") % {"n": max_length})
    elif CONTROL_RE.search(value):
        errors.add(name, _("Control characters are not allowed."))
    return value


def _decimal(errors: Errors, name: str, value: Any, *, minimum: Decimal, strict: bool = False) -> Decimal | None:
    try:
        d = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        d = None
        errors.add(name, _("Enter a number."))
        return None
    if d is None:
        errors.add(name, _("This field is required."))
        return None
    if not d.is_finite():
        errors.add(name, _("Enter a number."))
        return None
    if (strict and d <= minimum) or (not strict and d < minimum):
        errors.add(
            name,
            _("The amount must be greater than zero.") if strict else _("The amount cannot be negative."),
        )
        return None
    if d.as_tuple().exponent < -2:  # type: ignore[operator]
        errors.add(name, _("At most two decimal places."))
        return None
    return d


def _date(errors: Errors, name: str, value: Any, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            errors.add(name, _("This field is required."))
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.add(name, _("Enter a valid date (YYYY-MM-DD)."))
            return None
    if not isinstance(value, date):
        errors.add(name, _("Enter a valid date (YYYY-MM-DD)."))
        return None
    if not (2000 <= value.year <= 2100):
        errors.add(name, _("Enter a date between 2000 and 2100."))
        return None
    return value


def _own_partner_ids(actor: Actor) -> list[int]:
    return actor.institutions_for(Role.PARTNER)


# --- exchange rates -------------------------------------------------------------------------


def rate_for(currency: str, on: date) -> ExchangeRate | None:
    """The latest rate of `currency` valid on `on` (valid_from ≤ on), or None."""
    return ExchangeRate.objects.filter(currency=currency, valid_from__lte=on).order_by("-valid_from").first()


def known_currencies() -> list[str]:
    return sorted(set(ExchangeRate.objects.values_list("currency", flat=True)))


def to_usd(amount: Decimal, rate: ExchangeRate) -> Decimal:
    return (amount * rate.usd_per_unit).quantize(Decimal("0.01"))


# --- support needs --------------------------------------------------------------------------


def _need_clean(data: dict[str, Any]) -> dict[str, Any]:
    e = Errors()
    out: dict[str, Any] = {}
    commitment = data.get("commitment")
    if isinstance(commitment, (int, str)) and commitment != "":
        commitment = Commitment.objects.filter(pk=int(commitment)).first() if str(commitment).isdigit() else None
    if not isinstance(commitment, Commitment):
        e.add("commitment", _("Choose a commitment of the plan."))
    out["commitment"] = commitment
    out["description_es"] = _text(e, "description_es", data.get("description_es"), max_length=500, required=True)
    out["description_en"] = _text(e, "description_en", data.get("description_en"), max_length=500)
    kind = data.get("kind") or ""
    if kind not in SupportNeed.Kind.values:
        e.add("kind", _("Choose a kind of support."))
    out["kind"] = kind
    priority = data.get("priority") or SupportNeed.Priority.MEDIUM
    if priority not in SupportNeed.Priority.values:
        e.add("priority", _("Choose a priority."))
    out["priority"] = priority
    cost = _decimal(e, "estimated_cost_usd", data.get("estimated_cost_usd"), minimum=Decimal(0))
    if cost is not None and cost > MAX_USD:
        e.add("estimated_cost_usd", _("The amount is too large (at most 10 billion USD)."))
    out["estimated_cost_usd"] = cost
    e.raise_if_any()
    return out


@transaction.atomic
def need_create(*, actor: Actor, **data: Any) -> SupportNeed:
    """Record a support need of a commitment. Coordinator only."""
    actor.require(access.PLAN_MANAGE)
    need = SupportNeed.objects.create(**_need_clean(data))
    audit_record(actor=actor, action="create", obj=need, detail={"commitment": need.commitment_id})
    return need


@transaction.atomic
def need_update(*, actor: Actor, need: SupportNeed, **data: Any) -> SupportNeed:
    """Change a support need. Coordinator only; the commitment can change only if no pledge points to it."""
    actor.require(access.PLAN_MANAGE)
    need = SupportNeed.objects.select_for_update().get(pk=need.pk)
    current = {k: getattr(need, k) for k in ("commitment", "description_es", "description_en", "kind", "priority", "estimated_cost_usd")}
    clean = _need_clean({**current, **data})
    if clean["commitment"].pk != need.commitment_id and need.pledges.exists():
        raise ValidationError({"commitment": [_("Pledges are linked to this need: its commitment cannot change.")]})
    changed = [k for k, v in clean.items() if getattr(need, k) != v]
    for k, v in clean.items():
        setattr(need, k, v)
    need.save()
    audit_record(actor=actor, action="update", obj=need, detail={"fields": changed})
    return need


# --- pledges --------------------------------------------------------------------------------


def _pledge_clean(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    e = Errors()
    out: dict[str, Any] = {}

    partner = data.get("partner")
    if isinstance(partner, str):
        partner = Institution.objects.filter(code=partner, active=True).first()
    if not isinstance(partner, Institution):
        e.add("partner", _("Choose the partner organisation."))
    elif not actor.can(access.PLAN_MANAGE) and partner.pk not in _own_partner_ids(actor):
        e.add("partner", _("You can record pledges only for your own organisation."))
    elif partner.kind not in PARTNER_KINDS:
        e.add("partner", _("Only a cooperation partner (donor, UN agency, bank, NGO, regional body) can pledge."))
    out["partner"] = partner

    commitment = data.get("commitment")
    if not isinstance(commitment, Commitment) and commitment not in (None, ""):
        commitment = Commitment.objects.filter(pk=int(commitment)).first() if str(commitment).isdigit() else None
    if not isinstance(commitment, Commitment):
        e.add("commitment", _("Choose a commitment of the plan."))
    out["commitment"] = commitment

    need = data.get("need")
    if need in (None, ""):
        need = None
    elif not isinstance(need, SupportNeed):
        need = SupportNeed.objects.filter(pk=int(need)).first() if str(need).isdigit() else None
        if need is None:
            e.add("need", _("Unknown support need."))
    if need is not None and isinstance(commitment, Commitment) and need.commitment_id != commitment.pk:
        e.add("need", _("This support need belongs to another commitment."))
    out["need"] = need

    state = data.get("state") or Pledge.State.PLEDGED
    if state not in Pledge.State.values:
        e.add("state", _("Choose a state: pledged, committed or disbursed."))
    out["state"] = state

    currency = str(data.get("currency") or "").strip().upper()
    pledge_date = _date(e, "date", data.get("date"))
    amount = _decimal(e, "amount", data.get("amount"), minimum=Decimal(0), strict=True)
    if not CURRENCY_RE.match(currency):
        e.add("currency", _("Enter a three-letter currency code (ISO 4217), e.g. USD."))
    elif pledge_date is not None:
        rate = rate_for(currency, pledge_date)
        if rate is None:
            if ExchangeRate.objects.filter(currency=currency).exists():
                e.add("date", _("No %(currency)s exchange rate is valid on this date.") % {"currency": currency})
            else:
                e.add(
                    "currency",
                    _("Unknown currency %(currency)s: known currencies are %(known)s.")
                    % {"currency": currency, "known": ", ".join(known_currencies())},
                )
        elif amount is not None:
            usd = to_usd(amount, rate)
            if usd > MAX_USD or amount >= Decimal("1e13"):
                e.add("amount", _("The amount is too large (at most 10 billion USD equivalent)."))
            out["amount_usd"] = usd
    out["currency"] = currency
    out["date"] = pledge_date
    out["amount"] = amount
    out["note"] = _text(e, "note", data.get("note"), max_length=500)
    e.raise_if_any()
    return out


@transaction.atomic
def pledge_create(*, actor: Actor, **data: Any) -> Pledge:
    """Record a pledge: a partner for its own organisation, the coordinator for any partner.

    The USD equivalent is fixed now from the latest exchange rate valid at the pledge date.
    """
    actor.require(access.COOP_EDIT)
    clean = _pledge_clean(actor, data)
    pledge = Pledge.objects.create(**clean, created_by=actor.user)
    audit_record(
        actor=actor, action="create", obj=pledge, detail={"partner": pledge.partner.code, "state": pledge.state}
    )
    return pledge


def _check_version(obj: Any, version: int | None) -> None:
    if version is not None and int(version) != obj.version:
        raise ValidationError(
            {"__all__": [_("Someone else changed this record meanwhile: reload the page and try again.")]}
        )


@transaction.atomic
def pledge_update(*, actor: Actor, pledge: Pledge, version: int | None = None, **data: Any) -> Pledge:
    """Change a pledge in the actor's edit scope (else 404). The state only moves forward."""
    actor.require(access.COOP_EDIT)
    pledge = Pledge.objects.select_for_update().filter(access.pledge_edit_scope(actor), pk=pledge.pk).first()
    if pledge is None:
        raise Http404
    _check_version(pledge, version)
    current = {
        "partner": pledge.partner,
        "commitment": pledge.commitment,
        "need": pledge.need,
        "state": pledge.state,
        "amount": pledge.amount,
        "currency": pledge.currency,
        "date": pledge.date,
        "note": pledge.note,
    }
    clean = _pledge_clean(actor, {**current, **data})
    if STATE_ORDER.index(clean["state"]) < STATE_ORDER.index(pledge.state):
        raise ValidationError({"state": [_("A pledge's state only moves forward: pledged → committed → disbursed.")]})
    changed = [k for k, v in clean.items() if getattr(pledge, k) != v]
    for k, v in clean.items():
        setattr(pledge, k, v)
    pledge.version += 1
    pledge.save()
    audit_record(actor=actor, action="update", obj=pledge, detail={"fields": changed})
    return pledge


@transaction.atomic
def pledge_set_state(*, actor: Actor, pledge: Pledge, state: str) -> Pledge:
    """Move a pledge forward: pledged → committed → disbursed (never back)."""
    actor.require(access.COOP_EDIT)
    locked = Pledge.objects.select_for_update().filter(access.pledge_edit_scope(actor), pk=pledge.pk).first()
    if locked is None:
        raise Http404
    if state not in Pledge.State.values:
        raise ValidationError({"state": [_("Choose a state: pledged, committed or disbursed.")]})
    if STATE_ORDER.index(state) <= STATE_ORDER.index(locked.state):
        raise ValidationError({"state": [_("A pledge's state only moves forward: pledged → committed → disbursed.")]})
    before = locked.state
    locked.state = state
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at"])
    audit_record(actor=actor, action="update", obj=locked, detail={"state": [before, state]})
    return locked


@transaction.atomic
def pledge_publish(*, actor: Actor, pledge: Pledge, published: bool = True) -> Pledge:
    """Show (or hide) a pledge on the public page. Coordinator only."""
    actor.require(access.PLAN_MANAGE)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    pledge.published = published
    pledge.save(update_fields=["published", "updated_at"])
    audit_record(actor=actor, action="update", obj=pledge, detail={"published": published})
    return pledge


# --- interventions --------------------------------------------------------------------------


@dataclass
class InterventionInput:
    """What a form, the API or an import row gives for an intervention (raw, validated by the service).

    `municipalities` are P-codes ("HN0501") or INE codes ("0501"); `department`, when given, is the
    department the user chose (INE code or P-code) and every municipality must lie in it.
    """

    title: str = ""
    implementer: str = ""  # institution code
    sector: str = ""
    activity: str = ""
    start: Any = None
    end: Any = None
    status: str = Intervention.Status.PLANNED
    code: str = ""
    funders: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    department: str = ""
    populations: list[str] = field(default_factory=list)
    targeted_women: Any = 0
    targeted_men: Any = 0
    targeted_girls: Any = 0
    targeted_boys: Any = 0
    reached_women: Any = 0
    reached_men: Any = 0
    reached_girls: Any = 0
    reached_boys: Any = 0
    reached_note: str = ""
    budget_usd: Any = 0
    commitments: list[Any] = field(default_factory=list)


def intervention_input_of(iv: Intervention) -> InterventionInput:
    """The current values of an intervention as an input (for edit forms and round trips)."""
    return InterventionInput(
        code=iv.code,
        title=iv.title,
        implementer=iv.implementer.code,
        sector=iv.sector,
        activity=iv.activity,
        start=iv.start,
        end=iv.end,
        status=iv.status,
        funders=sorted(f.code for f in iv.funders.all()),
        municipalities=sorted(m.pcode for m in iv.municipalities.all()),
        populations=list(iv.populations),
        **{f"{k}_{c}": getattr(iv, f"{k}_{c}") for k in ("targeted", "reached") for c in CELLS},
        reached_note=iv.reached_note,
        budget_usd=iv.budget_usd,
        commitments=sorted(c.pk for c in iv.commitments.all()),
    )


def _int(e: Errors, name: str, value: Any) -> int:
    if value in (None, ""):
        return 0
    try:
        n = int(str(value).strip())
    except ValueError:
        e.add(name, _("Enter a whole number."))
        return 0
    if n < 0:
        e.add(name, _("The number of people cannot be negative."))
        return 0
    if n > MAX_PEOPLE:
        e.add(name, _("The number of people is too large."))
        return 0
    return n


def municipalities_resolve(codes: list[str]) -> tuple[list[Municipality], list[str]]:
    """Municipalities for P-codes ("HN0501") or INE codes ("0501"); second: the unknown codes."""
    wanted = [str(c).strip().upper() for c in codes if str(c).strip()]
    found: dict[str, Municipality] = {}
    if wanted:
        for m in Municipality.objects.filter(Q(pcode__in=wanted) | Q(code__in=wanted)).select_related("department"):
            found[m.pcode] = found[m.code] = m
    out: list[Municipality] = []
    unknown: list[str] = []
    for c in wanted:
        m = found.get(c)
        if m is None:
            unknown.append(c)
        elif m not in out:
            out.append(m)
    return out, unknown


def _intervention_clean(actor: Actor, data: InterventionInput, existing: Intervention | None) -> dict[str, Any]:
    e = Errors()
    out: dict[str, Any] = {}

    code = _text(e, "code", data.code, max_length=40)
    if code and not CODE_RE.match(code):
        e.add("code", _("Use letters, digits, '.', '_' or '-' only (at most 40)."))
    elif code and Intervention.objects.filter(code=code).exclude(pk=getattr(existing, "pk", None)).exists():
        e.add("code", _("Another intervention already has this code."))
    out["code"] = code
    out["title"] = _text(e, "title", data.title, max_length=300, required=True)
    out["activity"] = _text(e, "activity", data.activity, max_length=500, required=True)

    implementer = Institution.objects.filter(code=(data.implementer or "").strip(), active=True).first()
    if implementer is None:
        e.add("implementer", _("Choose the implementing organisation."))
    elif not actor.can(access.PLAN_MANAGE) and implementer.pk not in _own_partner_ids(actor):
        e.add("implementer", _("You can record interventions only for your own organisation."))
    out["implementer"] = implementer

    funder_codes = sorted({str(c).strip() for c in data.funders if str(c).strip()})
    funders = list(Institution.objects.filter(code__in=funder_codes, active=True))
    if missing := sorted(set(funder_codes) - {f.code for f in funders}):
        e.add("funders", _("Unknown organisation: %(codes)s.") % {"codes": ", ".join(missing)})
    out["funders"] = funders

    if data.sector not in Sector.values:
        e.add("sector", _("Choose a sector."))
    out["sector"] = data.sector
    if data.status not in Intervention.Status.values:
        e.add("status", _("Choose a status: planned, ongoing, completed or suspended."))
    out["status"] = data.status

    pops = [str(p).strip() for p in data.populations if str(p).strip()]
    if not pops:
        e.add("populations", _("Choose at least one target population."))
    elif bad := [p for p in pops if p not in Population.values]:
        e.add("populations", _("Unknown target population: %(values)s.") % {"values": ", ".join(bad)})
    out["populations"] = list(dict.fromkeys(pops))

    start = _date(e, "start", data.start)
    end = _date(e, "end", data.end, required=False)
    if start and end and end < start:
        e.add("end", _("The end date cannot be before the start date."))
    out["start"], out["end"] = start, end

    munis, unknown = municipalities_resolve(list(data.municipalities))
    if unknown:
        e.add("municipalities", _("Unknown municipality P-code: %(codes)s.") % {"codes": ", ".join(unknown)})
    elif not munis:
        e.add("municipalities", _("Choose at least one municipality."))
    dep_code = (data.department or "").strip().upper()
    if dep_code:
        dep = Department.objects.filter(code=dep_code).first() or Department.objects.filter(pcode=dep_code).first()
        if dep is None:
            e.add("department", _("Unknown department: %(code)s.") % {"code": dep_code})
        elif outside := [m for m in munis if m.department_id != dep.pk]:
            e.add(
                "municipalities",
                _("%(names)s is not in the department %(department)s.")
                % {"names": ", ".join(f"{m.name} ({m.pcode})" for m in outside), "department": dep.name},
            )
    out["municipalities"] = munis

    for kind in ("targeted", "reached"):
        for c in CELLS:
            out[f"{kind}_{c}"] = _int(e, f"{kind}_{c}", getattr(data, f"{kind}_{c}"))
    out["reached_note"] = _text(e, "reached_note", data.reached_note, max_length=500)
    cell_errors = any(f"{k}_{c}" in e.d for k in ("targeted", "reached") for c in CELLS)
    above = [] if cell_errors else [c for c in CELLS if out[f"reached_{c}"] > out[f"targeted_{c}"]]
    total_above = sum(out[f"reached_{c}"] for c in CELLS) > sum(out[f"targeted_{c}"] for c in CELLS)
    if not cell_errors and (above or total_above) and not out["reached_note"]:
        e.add(
            "reached_note",
            _("More people were reached than targeted (%(cells)s): explain why in the note.")
            % {"cells": ", ".join(str(CELL_LABELS[c]) for c in above) or _("total")},
        )

    budget = _decimal(e, "budget_usd", data.budget_usd if data.budget_usd not in (None, "") else 0, minimum=Decimal(0))
    if budget is not None and budget > MAX_USD:
        e.add("budget_usd", _("The amount is too large (at most 10 billion USD)."))
    out["budget_usd"] = budget

    ids = []
    for c in data.commitments:
        if str(c).strip().isdigit():
            ids.append(int(str(c).strip()))
        elif str(c).strip():
            e.add("commitments", _("Unknown commitment: %(codes)s.") % {"codes": str(c)[:40]})
    commitments = list(Commitment.objects.filter(pk__in=ids))
    if len(commitments) != len(set(ids)):
        e.add("commitments", _("Unknown commitment: %(codes)s.") % {"codes": ", ".join(
            str(i) for i in sorted(set(ids) - {c.pk for c in commitments}))})
    out["commitments"] = commitments
    e.raise_if_any()
    return out


def intervention_validate(*, actor: Actor, data: InterventionInput, existing: Intervention | None) -> dict[str, Any]:
    """Validate without saving (the import's row-by-row report); raises ValidationError."""
    return _intervention_clean(actor, data, existing)


def _new_code(implementer: Institution, start: date) -> str:
    return f"{implementer.code.upper()[:12]}-{start.year}-{secrets.token_hex(3).upper()}"


M2M = ("funders", "municipalities", "commitments")


@transaction.atomic
def intervention_create(*, actor: Actor, data: InterventionInput) -> Intervention:
    """Record an intervention: a partner for its own organisation, the coordinator for any.

    Unpublished until the coordinator publishes it. Without a code, one is generated.
    """
    actor.require(access.COOP_EDIT)
    clean = _intervention_clean(actor, data, None)
    rel = {k: clean.pop(k) for k in M2M}
    if not clean["code"]:
        clean["code"] = _new_code(clean["implementer"], clean["start"])
    iv = Intervention.objects.create(**clean, created_by=actor.user)
    for k, v in rel.items():
        getattr(iv, k).set(v)
    audit_record(actor=actor, action="create", obj=iv, detail={"code": iv.code, "implementer": iv.implementer.code})
    return iv


@transaction.atomic
def intervention_update(
    *, actor: Actor, intervention: Intervention, data: InterventionInput, version: int | None = None
) -> Intervention:
    """Change an intervention in the actor's edit scope (else 404)."""
    actor.require(access.COOP_EDIT)
    iv = Intervention.objects.select_for_update().filter(access.intervention_edit_scope(actor), pk=intervention.pk).first()
    if iv is None:
        raise Http404
    _check_version(iv, version)
    clean = _intervention_clean(actor, data, iv)
    rel = {k: clean.pop(k) for k in M2M}
    if not clean["code"]:
        clean["code"] = iv.code
    changed = [k for k, v in clean.items() if getattr(iv, k) != v]
    changed += [k for k, v in rel.items() if {o.pk for o in getattr(iv, k).all()} != {o.pk for o in v}]
    for k, v in clean.items():
        setattr(iv, k, v)
    iv.version += 1
    iv.save()
    for k, v in rel.items():
        getattr(iv, k).set(v)
    audit_record(actor=actor, action="update", obj=iv, detail={"fields": changed})
    return iv


@transaction.atomic
def intervention_publish(*, actor: Actor, intervention: Intervention, published: bool = True) -> Intervention:
    """Show (or hide) an intervention on the public page and map. Coordinator only."""
    actor.require(access.PLAN_MANAGE)
    iv = Intervention.objects.select_for_update().get(pk=intervention.pk)
    iv.published = published
    iv.save(update_fields=["published", "updated_at"])
    audit_record(actor=actor, action="update", obj=iv, detail={"published": published})
    return iv
