"""Demo cooperation data: support needs, ~150 interventions of the meeting's partners, pledges.

Illustrative: realistic in shape and order of magnitude, not real figures (except the two
announced at the meeting: the IDB migration fund of USD 100 million and the OAS MIRPS fund).
Everything goes through the services, so the demo obeys the same rules as real input.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from mirps.cooperation import services
from mirps.cooperation.models import Intervention, SupportNeed
from mirps.core.access import Actor
from mirps.geo.models import Municipality

# Heavier weight where returnees and displaced people concentrate.
DEPARTMENT_WEIGHTS = {"05": 10, "08": 9, "18": 5, "01": 4, "15": 3, "06": 3, "03": 2, "16": 2, "02": 1, "04": 1, "07": 1, "12": 1, "13": 1, "14": 1, "17": 1, "10": 1}

# implementer → (sectors it works in, possible funders)
IMPLEMENTERS: dict[str, tuple[list[str], list[str]]] = {
    "acnur": (["protection", "legal", "shelter", "cash", "institutional"], ["ue", "eeuu", "canada", "suecia", "japon", "espana"]),
    "oim": (["protection", "livelihoods", "cash", "institutional", "health"], ["eeuu", "ue", "canada", "cosude", "alemania"]),
    "unicef": (["education", "protection", "health"], ["ue", "suecia", "japon", "canada", "espana"]),
    "unfpa": (["health", "protection", "prevention"], ["canada", "suecia", "espana"]),
    "oacnudh": (["protection", "legal", "institutional"], ["ue", "alemania", "suecia"]),
    "onu-mujeres": (["prevention", "livelihoods", "protection"], ["espana", "canada", "suecia"]),
    "cruz-roja": (["health", "shelter", "cash"], ["ue", "cosude", "japon"]),
    "scalabrinianas": (["shelter", "legal", "protection"], ["eeuu", "espana"]),
    "sedh": (["protection", "institutional", "legal"], ["ue", "oea", "cosude", "bid"]),
    "dinaf": (["protection", "education"], ["eeuu", "japon", "bid"]),
    "infop": (["livelihoods"], ["bid", "alemania", "banco-mundial"]),
    "sedesol": (["livelihoods", "cash"], ["bid", "banco-mundial", "bcie"]),
    "seduc": (["education"], ["banco-mundial", "japon", "bcie"]),
    "stss": (["livelihoods"], ["bid", "alemania", "canada"]),
}
IMPLEMENTER_WEIGHTS = {"acnur": 16, "oim": 16, "unicef": 12, "unfpa": 6, "oacnudh": 5, "onu-mujeres": 6, "cruz-roja": 7, "scalabrinianas": 4, "sedh": 6, "dinaf": 4, "infop": 3, "sedesol": 3, "seduc": 2, "stss": 2}

ACTIVITIES: dict[str, list[tuple[str, str]]] = {
    "protection": [
        ("Gestión de casos de protección", "Identificación, referencia y seguimiento de casos de personas retornadas con necesidades de protección"),
        ("Atención psicosocial a personas retornadas", "Primeros auxilios psicológicos y apoyo psicosocial en centros de atención al migrante retornado"),
        ("Protección de personas desplazadas internamente", "Asistencia humanitaria y acompañamiento a familias desplazadas por violencia"),
        ("Espacios amigables para la niñez", "Espacios seguros y actividades de protección para niñas, niños y adolescentes"),
    ],
    "legal": [
        ("Asistencia legal y documentación", "Orientación legal y apoyo para la obtención de documentos de identidad"),
        ("Protección de tierras y viviendas abandonadas", "Registro de bienes abandonados por desplazamiento con el Instituto de la Propiedad"),
    ],
    "shelter": [
        ("Albergue temporal", "Alojamiento temporal y artículos no alimentarios para personas en riesgo"),
        ("Mejora de vivienda en comunidades de acogida", "Reparación de viviendas y mejoras de infraestructura comunitaria"),
    ],
    "cash": [
        ("Transferencias monetarias multipropósito", "Asistencia en efectivo a hogares retornados y desplazados en situación de vulnerabilidad"),
        ("Apoyo económico de emergencia", "Bonos de emergencia para cubrir necesidades básicas durante los primeros meses"),
    ],
    "livelihoods": [
        ("Certificación de competencias laborales", "Certificación de habilidades adquiridas en el exterior por personas retornadas"),
        ("Capital semilla y emprendimiento", "Formación en emprendimiento y capital semilla para negocios de personas retornadas"),
        ("Intermediación laboral", "Servicios de empleo y vinculación con empresas en las ventanillas municipales"),
    ],
    "education": [
        ("Reinserción escolar de niñez retornada", "Nivelación académica y reinserción escolar de niñas y niños retornados o desplazados"),
        ("Escuelas como espacios protectores", "Fortalecimiento de centros educativos como entornos seguros"),
    ],
    "health": [
        ("Salud mental y apoyo psicosocial", "Atención en salud mental para personas retornadas y desplazadas"),
        ("Salud sexual y reproductiva", "Servicios de salud sexual y reproductiva y atención a sobrevivientes de violencia"),
    ],
    "institutional": [
        ("Fortalecimiento de las UMAR", "Equipamiento y capacitación de las Unidades Municipales de Atención al Retornado"),
        ("Fortalecimiento institucional en protección", "Capacitación de servidores públicos en protección de personas desplazadas"),
    ],
    "prevention": [
        ("Prevención de la violencia basada en género", "Prevención de la violencia basada en género y rutas de atención en comunidades de riesgo"),
        ("Prevención de la violencia juvenil", "Programas de prevención y espacios comunitarios para jóvenes en riesgo"),
    ],
}

NEED_TEMPLATES = [
    ("financing", "Financiamiento para la ejecución del compromiso", "Funding to carry out the commitment"),
    ("technical", "Asistencia técnica para el diseño de protocolos", "Technical assistance to design protocols"),
    ("equipment", "Equipo informático y vehículos", "IT equipment and vehicles"),
    ("training", "Capacitación de personal técnico", "Training of technical staff"),
]

# Pledges: (partner, currency, amount, state, commitment code or None for any)
PLEDGES: list[tuple[str, str, str, str, str | None]] = [
    ("bid", "USD", "100000000", "committed", "L03"),  # the IDB migration fund announced at the meeting
    ("oea", "USD", "100000", "disbursed", "P01"),  # OAS MIRPS fund: SEDH project
    ("ue", "EUR", "5000000", "committed", "P01"),
    ("ue", "EUR", "2500000", "disbursed", "P03"),
    ("ue", "EUR", "3000000", "pledged", "P10"),
    ("suecia", "SEK", "30000000", "disbursed", "P09"),
    ("suecia", "SEK", "15000000", "pledged", "P11"),
    ("espana", "EUR", "1200000", "committed", "P08"),
    ("espana", "EUR", "800000", "disbursed", "L04"),
    ("cosude", "CHF", "2000000", "committed", "P04"),
    ("cosude", "CHF", "750000", "disbursed", "P06"),
    ("canada", "CAD", "4000000", "committed", "P07"),
    ("canada", "CAD", "1500000", "pledged", "E01"),
    ("japon", "JPY", "300000000", "disbursed", "E01"),
    ("eeuu", "USD", "12000000", "committed", "P05"),
    ("eeuu", "USD", "6000000", "disbursed", "P04"),
    ("alemania", "EUR", "3500000", "pledged", "L01"),
    ("alemania", "EUR", "1000000", "disbursed", "L02"),
    ("banco-mundial", "USD", "25000000", "pledged", "L03"),
    ("bcie", "USD", "8000000", "pledged", "L04"),
    ("acnur", "USD", "4500000", "disbursed", "P02"),
    ("acnur", "USD", "2000000", "committed", "P12"),
    ("oim", "USD", "3000000", "disbursed", "P07"),
    ("unicef", "USD", "1800000", "committed", "P08"),
    ("mexico", "MXN", "20000000", "pledged", "L02"),
    ("brasil", "BRL", "2000000", "pledged", "P13"),
]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@transaction.atomic  # one commit instead of one per record: ~3x faster on PostgreSQL
def seed_demo(*, rng: random.Random, coordinator: Any) -> dict[str, int]:
    """Create the demo cooperation data once; does nothing when interventions already exist."""
    from mirps.plan.models import Commitment

    if Intervention.objects.exists():
        return {"needs": 0, "interventions": 0, "pledges": 0}
    actor = Actor.of(coordinator)
    commitments = list(Commitment.objects.order_by("plan_id", "code"))
    by_code = {c.code: c for c in commitments}
    counts = {"needs": 0, "interventions": 0, "pledges": 0}

    # Support needs for most commitments (about 5 in 6).
    needs_by_commitment: dict[int, list[SupportNeed]] = {}
    for c in commitments:
        if rng.random() < 0.17:
            continue
        for kind, es, en in rng.sample(NEED_TEMPLATES, rng.choice([1, 2])):
            cost = Decimal(rng.randrange(50, 3000) * 1000)
            need = services.need_create(
                actor=actor, commitment=c, description_es=f"{es} ({c.code})", description_en=f"{en} ({c.code})",
                kind=kind, estimated_cost_usd=cost, priority=rng.choice(["high", "medium", "medium", "low"]),
            )
            needs_by_commitment.setdefault(c.pk, []).append(need)
            counts["needs"] += 1

    munis: dict[str, list[Municipality]] = {}
    for m in Municipality.objects.select_related("department").order_by("code"):
        munis.setdefault(m.department.code, []).append(m)
    weights = {d: w for d, w in DEPARTMENT_WEIGHTS.items() if d in munis}
    today = timezone.localdate()
    serial: dict[str, int] = {}
    for _i in range(150):
        impl = _weighted(rng, IMPLEMENTER_WEIGHTS)
        sectors, funders = IMPLEMENTERS[impl]
        sector = rng.choice(sectors)
        title, activity = rng.choice(ACTIVITIES[sector])
        dept = _weighted(rng, weights)
        chosen = rng.sample(munis[dept], min(len(munis[dept]), rng.choice([1, 1, 2, 3])))
        if rng.random() < 0.15:  # some interventions span two departments
            other = _weighted(rng, weights)
            chosen.append(rng.choice(munis[other]))
        start = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 365 * 5))
        end = start + timedelta(days=rng.choice([180, 365, 540, 730, 1095]))
        if rng.random() < 0.05:
            status = "suspended"
        elif start > today:
            status = "planned"
        elif end < today:
            status = "completed"
        else:
            status = "ongoing"
        targeted = {c: rng.randrange(0, 800) for c in services.CELLS}
        share = 0.0 if status == "planned" else (1.0 if status == "completed" else rng.uniform(0.2, 0.9))
        reached = {c: int(targeted[c] * share * rng.uniform(0.8, 1.1)) for c in services.CELLS}
        over = any(reached[c] > targeted[c] for c in services.CELLS)
        serial[impl] = serial.get(impl, 0) + 1
        linked = [c.pk for c in rng.sample(commitments, min(len(commitments), rng.choice([0, 1, 1, 2])))]
        iv = services.intervention_create(
            actor=actor,
            data=services.InterventionInput(
                code=f"{impl.upper()}-{start.year}-{serial[impl]:03d}",
                title=title,
                implementer=impl,
                funders=rng.sample(funders, rng.choice([1, 1, 2])),
                sector=sector,
                activity=activity,
                municipalities=[m.pcode for m in chosen],
                start=start,
                end=end,
                status=status,
                populations=rng.sample(["returnees", "idps", "at_risk", "host"], rng.choice([1, 2])),
                **{f"targeted_{c}": v for c, v in targeted.items()},
                **{f"reached_{c}": v for c, v in reached.items()},
                reached_note="Mayor demanda de la prevista en la comunidad" if over else "",
                budget_usd=Decimal(rng.randrange(20, 2500) * 1000),
                commitments=linked,
            ),
        )
        if rng.random() < 0.85:
            services.intervention_publish(actor=actor, intervention=iv)
        counts["interventions"] += 1

    for partner, currency, amount, state, code in PLEDGES:
        commitment = by_code.get(code or "") or (rng.choice(commitments) if commitments else None)
        if commitment is None:
            continue
        needs = needs_by_commitment.get(commitment.pk, [])
        pledge = services.pledge_create(
            actor=actor,
            partner=partner,
            commitment=commitment,
            need=needs[0] if needs and rng.random() < 0.7 else None,
            state=state,
            amount=Decimal(amount),
            currency=currency,
            date=date(2022, 9, 29) + timedelta(days=rng.randrange(0, 900)),
            note="Fondo de migración del BID" if partner == "bid" else ("Fondo MIRPS de la OEA: proyecto SEDH" if partner == "oea" else ""),
        )
        if rng.random() < 0.8:
            services.pledge_publish(actor=actor, pledge=pledge)
        counts["pledges"] += 1
    return counts
