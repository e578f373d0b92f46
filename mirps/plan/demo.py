"""Demo data of the action plan: the illustrative 26 commitments (domain.md §2.1), indicators,
semester reporting periods for 2024–2025 and two years of progress reports.

The commitments are NOT the official text (the plan is marked illustrative and every page says so).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from mirps.accounts.models import Institution, Membership, Role
from mirps.geo.models import Country
from mirps.plan.models import (
    Commitment,
    CommitmentRevision,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)

# code, title es, title en, area, pillar, institution code, co-responsible, status
COMMITMENTS: list[tuple[str, str, str, str, str, str, tuple[str, ...], str]] = [
    ("P01", "Fortalecer la DGPDIV de la SEDH", "Strengthen SEDH's directorate for internally displaced persons (DGPDIV)", "protection", "immediate", "sedh", (), "in_progress"),
    ("P02", "Reglamento de la Ley de desplazamiento interno", "Regulation of the internal displacement law", "protection", "solutions", "sedh", (), "completed"),
    ("P03", "Registro único de personas desplazadas internas", "Unique registry of internally displaced persons", "protection", "immediate", "sedh", (), "in_progress"),
    ("P04", "Modernizar el registro de personas retornadas con necesidades de protección", "Modernise the registry of returnees with protection needs", "protection", "reception", "sreci-dgphm", (), "in_progress"),
    ("P05", "Interoperabilidad del registro de retornados con países de la ruta", "Interoperability of the returnee registry with route countries", "protection", "reception", "sreci-dgphm", (), "delayed"),
    ("P06", "Red de unidades de atención remota de solicitudes", "Network of remote care units for requests", "protection", "immediate", "sedh", (), "in_progress"),
    ("P07", "Tamizaje de protección en los CAMR", "Protection screening at the CAMR", "protection", "reception", "sreci-dgphm", ("inm",), "in_progress"),
    ("P08", "Recepción diferenciada de niñez y adolescencia", "Differentiated reception of children and adolescents", "protection", "reception", "dinaf", (), "in_progress"),
    ("P09", "Formación de servidores públicos", "Training of public servants", "protection", "immediate", "sedh", ("sgjd",), "in_progress"),
    ("P10", "Fortalecer gobiernos locales (UMAR/UMAPPDEF)", "Strengthen local governments (UMAR/UMAPPDEF)", "protection", "host", "amhon", (), "in_progress"),
    ("P11", "Recuperación de espacios públicos para prevenir el desplazamiento", "Recovery of public spaces to prevent displacement", "protection", "host", "seguridad", (), "reprioritised"),
    ("P12", "Registro de bienes abandonados", "Registry of abandoned property", "protection", "solutions", "ip", (), "delayed"),
    ("P13", "Referencia de mujeres en riesgo", "Referral of women at risk", "protection", "immediate", "semujer", (), "in_progress"),
    ("P14", "Seguimiento de salud, incluido México", "Health follow-up, including Mexico", "protection", "immediate", "sesal", (), "in_progress"),
    ("P15", "Atención en salud mental", "Mental health care", "protection", "immediate", "sesal", (), "in_progress"),
    ("P16", "Encuesta de vulnerabilidad de personas retornadas", "Vulnerability survey of returnees", "protection", "reception", "inm", (), "in_progress"),
    ("P17", "Datos sobre causas del desplazamiento", "Data on the causes of displacement", "protection", "solutions", "sedh", (), "not_started"),
    ("P18", "Sistema de asilo", "Asylum system", "protection", "reception", "inm", (), "in_progress"),
    ("P19", "Documentación de personas retornadas", "Documentation of returnees", "protection", "solutions", "rnp", ("sgjd",), "completed"),
    ("P20", "Alerta temprana", "Early warning", "protection", "immediate", "seguridad", ("sedh",), "delayed"),
    ("P21", "Protocolo de asistencia humanitaria", "Humanitarian assistance protocol", "protection", "immediate", "sedh", (), "completed"),
    ("E01", "Reintegración escolar de niñez retornada y desplazada", "School reintegration of returned and displaced children", "education", "solutions", "seduc", ("unicef",), "in_progress"),
    ("L01", "Certificación de competencias de personas retornadas", "Skills certification of returnees", "livelihoods", "solutions", "infop", (), "in_progress"),
    ("L02", "Servicios de empleo", "Employment services", "livelihoods", "solutions", "stss", (), "in_progress"),
    ("L03", "Inclusión socioeconómica por medio de las UMAR", "Socio-economic inclusion through the UMAR", "livelihoods", "host", "sedesol", ("amhon",), "not_started"),
    ("L04", "Capital semilla y emprendimiento", "Seed capital and entrepreneurship", "livelihoods", "solutions", "sedesol", ("oea",), "in_progress"),
]

# Indicators computed from the registration data: code → (name es, name en, metric, target)
COMPUTED = {
    "P04": [("Personas retornadas registradas con tamizaje", "Returnees registered with screening", "arrivals_screened", 40000)],
    "P07": [("Personas retornadas con necesidades de protección identificadas", "Returnees with protection needs identified", "arrivals_with_need", 8000)],
    "P16": [("Retornos de personas ya registradas antes", "Returns of people registered before", "repeat_returns", 3000)],
    "P08": [("Niñas, niños y adolescentes no acompañados recibidos", "Unaccompanied children received", "unaccompanied_children", 1500)],
}

# Reported indicators: (name es, name en, unit, baseline, target, by_sex, by_department)
REPORTED_KINDS = [
    ("Personas atendidas", "People assisted", "personas", 0, 5000, True, True),
    ("Servidores públicos capacitados", "Public servants trained", "personas", 0, 600, True, False),
    ("Municipios con servicio instalado", "Municipalities with the service in place", "municipios", 2, 40, False, False),
    ("Avance de la hoja de ruta", "Progress of the roadmap", "%", 0, 100, False, False),
    ("Instrumentos normativos aprobados", "Regulatory instruments approved", "instrumentos", 0, 3, False, False),
]

PERIODS = [
    ("2024-S1", date(2024, 1, 1), date(2024, 6, 30), True),
    ("2024-S2", date(2024, 7, 1), date(2024, 12, 31), True),
    ("2025-S1", date(2025, 1, 1), date(2025, 6, 30), True),
    ("2025-S2", date(2025, 7, 1), date(2025, 12, 31), False),
]
# Share of the way to the target reached at the end of each closed period, by final status.
PATH = {
    "completed": (0.4, 0.8, 1.0),
    "in_progress": (0.15, 0.3, 0.45),
    "delayed": (0.05, 0.08, 0.1),
    "not_started": (0.0, 0.0, 0.0),
    "reprioritised": (0.05, 0.05, 0.05),
}
NARRATIVES = {
    "completed": "Se completaron las actividades previstas y se cumplió la meta.",
    "in_progress": "Las actividades avanzan según el plan de trabajo del semestre.",
    "delayed": "Las actividades se retrasaron por falta de financiamiento y cambios de personal.",
    "not_started": "Aún no se inician las actividades; se gestiona el financiamiento.",
    "reprioritised": "El compromiso fue repriorizado en la revisión del plan.",
}


def _focal_user(code: str) -> Any:
    m = (
        Membership.objects.filter(role=Role.FOCAL_POINT, institution__code=code, active=True)
        .select_related("user").order_by("id").first()
    )
    return m.user if m else None


def _value(ind: Indicator, share: float, rng: random.Random) -> Decimal:
    span = float(ind.target - ind.baseline)
    jitter = 1 + rng.uniform(-0.08, 0.08) if 0 < share < 1 else 1
    v = float(ind.baseline) + span * min(1.0, share * jitter)
    if ind.unit == "%":
        return Decimal(f"{v:.1f}")
    return Decimal(round(v))


@transaction.atomic
def seed_demo(*, rng: random.Random, coordinator: Any) -> dict[str, int]:
    """Create the illustrative plan once (an existing plan with the same title is left as it is)."""
    title = "Plan de Acción Nacional MIRPS Honduras"
    counts = {"plans": 0, "commitments": 0, "indicators": 0, "periods": 0, "reports": 0, "values": 0}
    if Plan.objects.filter(title_es=title).exists():
        return counts
    plan = Plan.objects.create(
        country=Country.objects.get(iso2="HN"), title_es=title, title_en="MIRPS National Action Plan Honduras",
        period_start=date(2022, 1, 1), period_end=date(2026, 12, 31), illustrative=True, published=True,
    )
    counts["plans"] = 1
    insts = {i.code: i for i in Institution.objects.all()}
    periods = [
        ReportingPeriod.objects.create(plan=plan, label=lab, start=s, end=e, closed=closed)
        for lab, s, e, closed in PERIODS
    ]
    counts["periods"] = len(periods)
    now = timezone.now()
    values: list[IndicatorValue] = []
    for code, tes, ten, area, pillar, inst, co, status in COMMITMENTS:
        start = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 540))
        end = date(2026, 12, 31) if status != "delayed" else date(2025, 6, 30)
        c = Commitment.objects.create(
            plan=plan, code=code, title_es=tes, title_en=ten, area=area, pillar=pillar, responsible=insts[inst],
            status=status, start_date=start, end_date=end, active=status != "reprioritised",
            description_es="Compromiso ilustrativo para la demostración; no es el texto oficial del plan.",
            description_en="Illustrative commitment for the demo; not the official text of the plan.",
        )
        c.co_responsible.set([insts[x] for x in co if x in insts])
        counts["commitments"] += 1
        if status == "reprioritised":
            CommitmentRevision.objects.create(
                commitment=c, plan_version=1, changed_by=coordinator, reason="Revisión de prioridades 2024",
                snapshot={"code": code, "title_es": tes, "status": "in_progress", "active": True, "version": 1},
            )
            Commitment.objects.filter(pk=c.pk).update(version=2)
            plan.version = 2
            plan.save(update_fields=["version"])
        indicators = []
        for name_es, name_en, metric, target in COMPUTED.get(code, []):
            indicators.append(Indicator.objects.create(
                commitment=c, name_es=name_es, name_en=name_en, unit="personas", baseline=0, target=target,
                target_date=date(2026, 12, 31), source="computed", metric=metric,
            ))
        for kind in rng.sample(REPORTED_KINDS, rng.randint(1, 2)):
            name_es, name_en, unit, base, target, by_sex, by_dept = kind
            indicators.append(Indicator.objects.create(
                commitment=c, name_es=name_es, name_en=name_en, unit=unit, baseline=base, target=target,
                target_date=date(2026, 12, 31), by_sex=by_sex, by_department=by_dept,
            ))
        counts["indicators"] += len(indicators)
        author = _focal_user(inst) or coordinator
        path = PATH[status]
        for i, period in enumerate(periods):
            if status == "reprioritised" and i > 0:
                break
            closed = period.closed
            if closed:
                # The first closed periods are approved; a few commitments never reported for the last one.
                if i == 2 and code in ("P12", "L03"):
                    continue
                state = ReportStatus.APPROVED
            else:
                pick = rng.random()
                if pick < 0.35:
                    state = ReportStatus.SUBMITTED
                elif pick < 0.45:
                    state = ReportStatus.RETURNED
                elif pick < 0.7:
                    state = ReportStatus.DRAFT
                else:
                    continue
            share = path[min(i, 2)] if closed else min(1.0, path[2] + 0.1)
            rep_status = status if (i == 2 or not closed) else ("in_progress" if status == "completed" else status)
            if status == "reprioritised":
                rep_status = "in_progress"
            submitted = now - timedelta(days=30 * (len(periods) - i)) if state != ReportStatus.DRAFT else None
            r = ProgressReport.objects.create(
                commitment=c, period=period, status=state, commitment_status=rep_status,
                narrative=NARRATIVES[rep_status], author=author, submitted_at=submitted,
                reviewed_by=coordinator if state in (ReportStatus.APPROVED, ReportStatus.RETURNED) else None,
                reviewed_at=submitted + timedelta(days=7) if submitted and state != ReportStatus.SUBMITTED else None,
                review_comment="Falta el desglose por sexo y la fuente de los datos." if state == ReportStatus.RETURNED else "",
            )
            counts["reports"] += 1
            for ind in indicators:
                if ind.source != "reported":
                    continue
                v = _value(ind, share, rng)
                values.append(IndicatorValue(report=r, indicator=ind, value=v, source="Registros administrativos"))
                if ind.by_sex and v > 0:
                    f = (v * Decimal(rng.choice(["0.45", "0.5", "0.55"]))).quantize(Decimal(1))
                    values += [
                        IndicatorValue(report=r, indicator=ind, breakdown="sex:F", value=f),
                        IndicatorValue(report=r, indicator=ind, breakdown="sex:M", value=v - f),
                    ]
                if ind.by_department and v > 0:
                    a = (v * Decimal("0.4")).quantize(Decimal(1))
                    b = (v * Decimal("0.3")).quantize(Decimal(1))
                    values += [
                        IndicatorValue(report=r, indicator=ind, breakdown="dept:05", value=a),  # Cortés
                        IndicatorValue(report=r, indicator=ind, breakdown="dept:08", value=b),  # Francisco Morazán
                    ]
    # One correction: P14's 2024-S1 report was corrected, so the first version is superseded.
    p14 = Commitment.objects.get(plan=plan, code="P14")
    first = ProgressReport.objects.filter(commitment=p14, period=periods[0], status=ReportStatus.APPROVED).first()
    IndicatorValue.objects.bulk_create(values)
    counts["values"] = len(values)
    if first is not None:
        ProgressReport.objects.filter(pk=first.pk).update(status=ReportStatus.SUPERSEDED)
        fix = ProgressReport.objects.create(
            commitment=p14, period=periods[0], version=2, supersedes=first, status=ReportStatus.APPROVED,
            commitment_status=first.commitment_status, narrative=first.narrative + " (Corregido: cifras validadas.)",
            author=first.author, submitted_at=now - timedelta(days=100), reviewed_by=coordinator,
            reviewed_at=now - timedelta(days=95),
        )
        copies = [
            IndicatorValue(report=fix, indicator_id=v.indicator_id, breakdown=v.breakdown, value=v.value + (1 if v.breakdown == "" else 0), source=v.source)
            for v in first.values.all()
        ]
        IndicatorValue.objects.bulk_create(copies)
        counts["reports"] += 1
        counts["values"] += len(copies)
    return counts
