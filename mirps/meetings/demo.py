"""Demo data: the 29 September 2022 meeting of the MIRPS National Coordination Group and its six
agreements (from the meeting's minutes, /work/shared/docs/seed-meeting.md; Spanish translated)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from mirps.accounts.models import Institution
from mirps.meetings.models import Agreement, FollowUpNote, Meeting

MEETING_DATE = date(2022, 9, 29)
TITLE_ES = "Reunión del Grupo Nacional de Coordinación MIRPS: presentación del Plan de Acción de Honduras"
TITLE_EN = "MIRPS National Coordination Group meeting: presenting Honduras' Action Plan"

# Annex 1 (attendance list), as seeded institution codes.
PARTICIPANTS = (
    "sreci-dgphm", "inm", "dinaf", "seduc", "stss", "semujer", "sesal", "coneanfo",
    "acnur", "oacnudh", "unicef", "unfpa", "oim",
    "ue", "brasil", "eeuu", "canada", "chile", "espana", "japon", "mexico", "francia", "alemania", "suecia", "cosude",
    "bid", "banco-mundial", "bcie",
)  # fmt: skip

# (Spanish, English original, responsible organisations, due date, status, follow-up notes)
AGREEMENTS: tuple[tuple[str, str, tuple[str, ...], date, str, tuple[str, ...]], ...] = (
    (
        "Vincular al G16 con la mesa de trabajo del MIRPS y las instituciones del Estado que conforman "
        "el MIRPS, para tener mejores resultados.",
        "Link the G16 with the MIRPS working group and the state institutions that make up the MIRPS, "
        "to have better results.",
        ("sreci-dgphm", "acnur"), date(2022, 12, 15), Agreement.Status.DONE,
        (
            "Se invitó a los puntos focales del G16 a la mesa técnica MIRPS del 24 de noviembre de 2022.",
            "La mesa técnica se reúne cada trimestre con participación de la cooperación.",
        ),
    ),
    (
        "Enviar una carta al Congreso Nacional para solicitar la aprobación de la ley de desplazamiento interno.",
        "Send a letter to Congress to ask them to pass the law on internal displacement.",
        ("sreci-dgphm", "sedh"), date(2022, 10, 31), Agreement.Status.DONE,
        ("Carta enviada a la Junta Directiva del Congreso Nacional el 14 de octubre de 2022.",),
    ),
    (
        "Dar seguimiento, a través del ACNUR y ONU Mujeres, a la Secretaría de la Mujer.",
        "Follow up through UNHCR and UN WOMEN to the Women's Secretariat.",
        ("acnur", "onu-mujeres", "semujer"), date(2022, 11, 30), Agreement.Status.IN_PROGRESS,
        ("Primera reunión de trabajo con SEMUJER realizada; pendiente la hoja de ruta conjunta.",),
    ),
    (
        "Mapear dónde están las intervenciones.",
        "Map where the interventions are.",
        ("sreci-dgphm", "acnur", "oim"), date(2023, 3, 31), Agreement.Status.IN_PROGRESS,
        ("El mapa de intervenciones por departamento está disponible en el sistema mirps.",),
    ),
    (
        "Hacer más visible en los territorios el apoyo con el que contamos.",
        "Make the support we have more visible in the areas.",
        ("sreci-dgphm", "ue", "eeuu"), date(2023, 6, 30), Agreement.Status.PENDING,
        (),
    ),
    (
        "Aclarar las plataformas de seguimiento de la cooperación internacional.",
        "Clarify the platforms for monitoring international cooperation.",
        ("sreci-dgphm", "bid"), date(2023, 3, 31), Agreement.Status.PENDING,
        (),
    ),
)


@transaction.atomic
def seed_demo(*, rng: random.Random, coordinator) -> dict[str, int]:
    """Create the meeting once; a second call finds it and creates nothing."""
    if Meeting.objects.filter(date=MEETING_DATE, title_es=TITLE_ES).exists():
        return {"meetings": 0, "agreements": 0, "notes": 0}
    orgs = {i.code: i for i in Institution.objects.filter(code__in={*PARTICIPANTS, *(c for a in AGREEMENTS for c in a[2])})}
    meeting = Meeting.objects.create(date=MEETING_DATE, title_es=TITLE_ES, title_en=TITLE_EN, published=True)
    meeting.participants.set([orgs[c] for c in PARTICIPANTS if c in orgs])
    notes = 0
    for number, (text_es, text_en, responsible, due, status, texts) in enumerate(AGREEMENTS, start=1):
        agreement = Agreement.objects.create(
            meeting=meeting, number=number, text_es=text_es, text_en=text_en, due_date=due, status=status
        )
        agreement.responsible.set([orgs[c] for c in responsible if c in orgs])
        when = MEETING_DATE
        for text in texts:
            when = when + timedelta(days=rng.randint(10, 60))
            note = FollowUpNote.objects.create(agreement=agreement, text=text, author=coordinator)
            # Notes are dated after the meeting, not at the time the demo runs.
            stamp = datetime(when.year, when.month, when.day, 10, tzinfo=timezone.get_current_timezone())
            FollowUpNote.objects.filter(pk=note.pk).update(created_at=stamp)
            notes += 1
    return {"meetings": 1, "agreements": len(AGREEMENTS), "notes": notes}
