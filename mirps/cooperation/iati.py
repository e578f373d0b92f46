"""Interventions as an IATI activity file, version 2.03.

Choices (the IATI standard leaves them to the publisher):
- reporting-org: the MIRPS national coordination of Honduras, ref `XM-MIRPS-HN`, type 10
  (government); each activity's iati-identifier is `XM-MIRPS-HN-<intervention code>`.
- participating-org: role 1 (Funding) for each funder, 4 (Implementing) for the implementer,
  2 (Accountable) for the government coordinator (SRECI). Organisation type from the
  institution's kind (government 10, municipality 11, donor country 10, UN agency and banks and
  regional bodies 40, NGO 22). `ref` is our institution code prefixed `XM-MIRPS-`.
- activity-status: planned 1, ongoing 2, completed 4 (closed), suspended 6.
- activity-date: 1 planned start (always), 2 actual start (when ongoing, completed or suspended),
  3 planned end (when an end date is known), 4 actual end (when completed).
- recipient-country HN, 100 %.
- location: one per municipality. IATI has no vocabulary for OCHA P-codes, so the P-code is the
  location's `ref` and its name is the narrative; `administrative` (vocabulary A4, ISO country,
  level 0) says "HN", location-class 1 (administrative region), feature-designation ADM2.
- sector: two vocabularies, each at 100 %: 1 (OECD DAC 5-digit purpose code mapped from our
  sector, see DAC) and 99 (our own sector code, with its name).
- budget: one original budget (type 1, status 1) over the whole intervention (start → end, or one
  year when open-ended) with its USD value.
- transaction: the pledges of the intervention's funders to the commitments the intervention is
  linked to, type 2 (outgoing commitment) for committed pledges and 3 (disbursement) for
  disbursed ones, in USD on the pledge date. A pledge funds a whole commitment, so it appears in
  every activity linked to that commitment and funded by that partner: do not add transactions
  across activities.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

from django.db.models import QuerySet
from django.utils import timezone

from mirps.accounts.models import Institution
from mirps.audit.services import audit_record
from mirps.cooperation.models import Intervention, Pledge, Sector
from mirps.core.access import Actor

REPORTING_REF = "XM-MIRPS-HN"
COORDINATOR_CODE = "sreci-dgphm"
ORG_PREFIX = "XM-MIRPS-"

STATUS = {"planned": "1", "ongoing": "2", "completed": "4", "suspended": "6"}
ORG_TYPE = {
    Institution.Kind.GOVERNMENT: "10",
    Institution.Kind.MUNICIPALITY: "11",
    Institution.Kind.DONOR: "10",
    Institution.Kind.UN_AGENCY: "40",
    Institution.Kind.DEV_BANK: "40",
    Institution.Kind.REGIONAL: "40",
    Institution.Kind.NGO: "22",
}
# Our sectors → OECD DAC CRS 5-digit purpose codes.
DAC = {
    Sector.PROTECTION: "15160",  # Human rights
    Sector.EDUCATION: "11220",  # Primary education
    Sector.LIVELIHOODS: "16020",  # Employment creation
    Sector.HEALTH: "12220",  # Basic health care
    Sector.SHELTER: "16040",  # Low-cost housing
    Sector.CASH: "72010",  # Material relief assistance and services
    Sector.LEGAL: "15130",  # Legal and judicial development
    Sector.INSTITUTIONAL: "15110",  # Public sector policy and administrative management
    Sector.PREVENTION: "15220",  # Civilian peace-building, conflict prevention and resolution
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _narrative(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    ET.SubElement(el, "narrative").text = text
    return el


def _org(parent: ET.Element, tag: str, inst: Institution, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {"ref": ORG_PREFIX + inst.code, **attrs, "type": ORG_TYPE.get(inst.kind, "90")})
    ET.SubElement(el, "narrative").text = inst.name_es
    return el


def activity(iv: Intervention, *, coordinator: Institution | None, pledges: list[Pledge]) -> ET.Element:
    a = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": iv.updated_at.replace(microsecond=0).isoformat(),
            XML_LANG: "es",
            "default-currency": "USD",
        },
    )
    ET.SubElement(a, "iati-identifier").text = f"{REPORTING_REF}-{iv.code}"
    rep = ET.SubElement(a, "reporting-org", {"ref": REPORTING_REF, "type": "10"})
    ET.SubElement(rep, "narrative").text = "Equipo Técnico Nacional MIRPS Honduras"
    _narrative(a, "title", iv.title)
    _narrative(a, "description", iv.activity, type="1")
    for f in sorted(iv.funders.all(), key=lambda i: i.code):
        _org(a, "participating-org", f, role="1")
    if coordinator is not None:
        _org(a, "participating-org", coordinator, role="2")
    _org(a, "participating-org", iv.implementer, role="4")
    ET.SubElement(a, "activity-status", {"code": STATUS[iv.status]})
    ET.SubElement(a, "activity-date", {"type": "1", "iso-date": iv.start.isoformat()})
    if iv.status != Intervention.Status.PLANNED:
        ET.SubElement(a, "activity-date", {"type": "2", "iso-date": iv.start.isoformat()})
    if iv.end:
        ET.SubElement(a, "activity-date", {"type": "3", "iso-date": iv.end.isoformat()})
        if iv.status == Intervention.Status.COMPLETED:
            ET.SubElement(a, "activity-date", {"type": "4", "iso-date": iv.end.isoformat()})
    ET.SubElement(a, "recipient-country", {"code": "HN", "percentage": "100"})
    for m in sorted(iv.municipalities.all(), key=lambda m: m.pcode):
        loc = ET.SubElement(a, "location", {"ref": m.pcode})
        _narrative(loc, "name", f"{m.name}, {m.department.name}")
        ET.SubElement(loc, "administrative", {"vocabulary": "A4", "level": "0", "code": "HN"})
        ET.SubElement(loc, "location-class", {"code": "1"})
        ET.SubElement(loc, "feature-designation", {"code": "ADM2"})
    ET.SubElement(a, "sector", {"vocabulary": "1", "code": DAC[iv.sector], "percentage": "100"})
    _narrative(a, "sector", str(Sector(iv.sector).label), vocabulary="99", code=iv.sector, percentage="100")
    end = iv.end or (iv.start + timedelta(days=364))
    budget = ET.SubElement(a, "budget", {"type": "1", "status": "1"})
    ET.SubElement(budget, "period-start", {"iso-date": iv.start.isoformat()})
    ET.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
    ET.SubElement(budget, "value", {"currency": "USD", "value-date": iv.start.isoformat()}).text = f"{iv.budget_usd:.2f}"
    for p in pledges:
        code = "2" if p.state == Pledge.State.COMMITTED else "3"
        t = ET.SubElement(a, "transaction", {"ref": str(p.pk)})
        ET.SubElement(t, "transaction-type", {"code": code})
        ET.SubElement(t, "transaction-date", {"iso-date": p.date.isoformat()})
        ET.SubElement(t, "value", {"currency": "USD", "value-date": p.date.isoformat()}).text = f"{p.amount_usd:.2f}"
        _narrative(t, "description", f"{p.commitment.code}: {p.get_state_display()}")
        _org(t, "provider-org", p.partner)
    return a


def _pledges_by_intervention(ivs: list[Intervention], published_only: bool) -> dict[Any, list[Pledge]]:
    commitment_ids = {c.pk for iv in ivs for c in iv.commitments.all()}
    qs = Pledge.objects.filter(
        commitment_id__in=commitment_ids, state__in=[Pledge.State.COMMITTED, Pledge.State.DISBURSED]
    ).select_related("partner", "commitment").order_by("date", "pk")
    if published_only:
        qs = qs.filter(published=True)
    pledges = list(qs)
    out: dict[Any, list[Pledge]] = {}
    for iv in ivs:
        funders = {f.pk for f in iv.funders.all()}
        commitments = {c.pk for c in iv.commitments.all()}
        out[iv.pk] = [p for p in pledges if p.partner_id in funders and p.commitment_id in commitments]
    return out


def document(qs: QuerySet[Intervention], *, published_only: bool) -> ET.Element:
    ivs = list(
        qs.select_related("implementer").prefetch_related("funders", "municipalities__department", "commitments").order_by("code")
    )
    coordinator = Institution.objects.filter(code=COORDINATOR_CODE).first()
    pledges = _pledges_by_intervention(ivs, published_only)
    root = ET.Element(
        "iati-activities",
        {"version": "2.03", "generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
    )
    for iv in ivs:
        root.append(activity(iv, coordinator=coordinator, pledges=pledges[iv.pk]))
    return root


def export(*, actor: Actor | None, qs: QuerySet[Intervention], published_only: bool) -> bytes:
    """The IATI 2.03 XML of the interventions (published pledges only when `published_only`)."""
    root = document(qs, published_only=published_only)
    if actor is not None:
        audit_record(actor=actor, action="export", object_type="intervention", detail={"format": "iati", "rows": len(root)})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
