"""What a returnee tells the registrar: reasons, needs, the protection screening, a trade.

The shares follow domain.md: economic reasons ~90%, family ~15%, violence ~5-6%; fear of return
~6%, violence mostly by gangs; a few specific needs (UNHCR codes of §3.1).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from mirps.demo import figures
from mirps.demo.names import pick_weighted
from mirps.demo.places import Municipality, Places
from mirps.registration.inputs import ArrivalInput, PersonInput, ScreeningInput

if TYPE_CHECKING:
    from mirps.demo.generator import Trip
    from mirps.demo.people import Human

VIOLENCE = (("threat", 45.0), ("extortion", 30.0), ("recruitment", 9.0), ("homicide_relative", 8.0),
            ("injury", 7.0), ("domestic", 6.0), ("sexual", 2.5), ("kidnapping", 2.0),
            ("dispossession", 3.0), ("mobility", 5.0), ("discrimination", 2.5), ("other", 2.0))
PERPETRATORS = (("gang", 60.0), ("organised_crime", 20.0), ("unknown", 10.0), ("state_agent", 3.0),
                ("other", 2.0))
TRADES = (("Construcción", 30.0), ("Agricultura", 14.0), ("Jardinería y paisajismo", 8.0),
          ("Cocina y restaurantes", 9.0), ("Limpieza", 7.0), ("Techado", 5.0), ("Pintura", 4.0),
          ("Mecánica automotriz", 4.0), ("Soldadura", 3.0), ("Carpintería", 3.0),
          ("Electricidad", 2.5), ("Procesamiento de carne", 2.5), ("Bodega y carga", 3.0),
          ("Conductor", 2.0), ("Cuidado de personas", 2.0), ("Costura", 1.0))
CERTIFICATES = ("OSHA 10", "Licencia de conducir", "Curso de soldadura (INFOP)",
                "Manipulación de alimentos", "Montacargas", "OSHA 30")
HEALTH = {"SM-CI": "Enfermedad crónica (diabetes o hipertensión); necesita su medicamento.",
          "SM-OT": "Refiere dolor y malestar; se recomienda control médico.",
          "SM-MI": "Ansiedad y dificultad para dormir; se recomienda apoyo psicológico.",
          "SM-DP": "Embarazo con controles pendientes."}
NARRATIVE = "Refiere {violence} por parte de {who} en su colonia antes de salir del país."
VIOLENCE_ES = {"threat": "amenazas", "extortion": "extorsión", "recruitment": "intento de reclutamiento",
               "homicide_relative": "el asesinato de un familiar", "injury": "agresiones",
               "domestic": "violencia en el hogar", "sexual": "violencia sexual",
               "kidnapping": "secuestro de un familiar", "dispossession": "despojo de su vivienda",
               "mobility": "restricciones para moverse entre colonias", "discrimination": "discriminación",
               "other": "violencia"}
WHO_ES = {"gang": "una pandilla", "organised_crime": "el crimen organizado", "family": "un familiar",
          "state_agent": "agentes del Estado", "unknown": "desconocidos", "other": "otras personas"}


class Screener:
    def __init__(self, rng: random.Random, places: Places) -> None:
        self.rng = rng
        self.places = places

    def arrival_and_screening(
        self, h: Human, trip: Trip, *, age: int, role: str, single: bool, parent: Human | None,
        destination: Municipality, person: PersonInput, travel_mode: str, reception_point: str,
    ) -> tuple[ArrivalInput, ScreeningInput]:
        rng = self.rng
        reasons = self._reasons(role, age)
        fear, violence, perpetrators = self._violence(h, age, reasons)
        needs = self._specific_needs(h, age, role, single, travel_mode, person, violence)
        adult = age >= 18
        arrival = ArrivalInput(
            arrived_at=trip.when,
            reception_point=reception_point,
            modality=trip.modality,
            country_from=trip.country,
            return_type=trip.return_type,
            travel_mode=travel_mode,
            destination=destination.code,
            entry_point=trip.entry_point,
            months_abroad=self._months_abroad(trip.country, age),
            reasons=reasons,
            immediate_needs=self._immediate(person, fear, needs),
            stay_address=self.places.address(rng, destination) if rng.random() < 0.75 else "",
        )
        if adult and rng.random() < 0.55:
            arrival.skill_trade = pick_weighted(rng, TRADES)
            arrival.skill_years = rng.randint(1, max(1, min(age - 16, 25)))
            if rng.random() < 0.1:
                arrival.skill_certificates = rng.choice(CERTIFICATES)
        sgbv = rng.random() < (0.012 if h.sex == "F" else 0.001)
        screening = ScreeningInput(
            fear_of_return=fear,
            fear_municipality=destination.code if fear and rng.random() < 0.8 else "",
            violence_types=violence,
            perpetrator_types=perpetrators,
            violence_narrative=NARRATIVE.format(
                violence=VIOLENCE_ES[violence[0]], who=WHO_ES[perpetrators[0]] if perpetrators else "desconocidos"
            ) if violence and rng.random() < 0.7 else "",
            displaced_before=rng.random() < (0.3 if violence else 0.005),
            specific_needs=needs,
            health_notes=next((HEALTH[n] for n in needs if n in HEALTH), ""),
            sgbv_disclosed=sgbv,
            lgbtiq=pick_weighted(rng, (("", 40.0), ("no", 55.0), ("lgbtiq", 1.5), ("undisclosed", 3.5))) if adult else "",
            consent_registration=True,
            consent_referral=rng.random() < (0.85 if (fear or violence or needs or sgbv) else 0.5),
            consent_international=rng.random() < 0.35,
        )
        return arrival, screening

    def _reasons(self, role: str, age: int) -> list[str]:
        rng = self.rng
        if role == "child" and age < 13 and rng.random() < 0.4:
            return ["family"]
        if role == "uac" or (role == "return" and age < 18):
            return [pick_weighted(rng, (("family", 45.0), ("better_job", 35.0), ("violence", 15.0), ("studies", 5.0)))]
        out = []
        if rng.random() < figures.ECONOMIC_ANY:
            out = [code for code, p in figures.ECONOMIC if rng.random() < p] or ["unemployment"]
        out += [code for code, p in figures.OTHER_REASONS if rng.random() < p]
        if role == "parent" and "family" not in out and rng.random() < 0.3:
            out.append("family")
        return out or ["unemployment"]

    def _violence(self, h: Human, age: int, reasons: list[str]) -> tuple[bool, list[str], list[str]]:
        rng = self.rng
        if "violence" in reasons:
            fear = rng.random() < 0.55
            suffered = True
        else:
            fear = rng.random() < 0.035
            suffered = fear or rng.random() < 0.02
        if not suffered or age < 5:
            return fear and age >= 5, [], []
        kinds = {pick_weighted(rng, VIOLENCE) for _i in range(rng.choice((1, 1, 2)))}
        if "recruitment" in kinds and (h.sex == "F" or age > 30):
            kinds.discard("recruitment")
            kinds.add("threat")
        if "domestic" in kinds or "sexual" in kinds:
            who = {"family"} if rng.random() < 0.7 else {pick_weighted(rng, PERPETRATORS)}
        else:
            who = {pick_weighted(rng, PERPETRATORS) for _i in range(rng.choice((1, 1, 1, 2)))}
        return fear, sorted(kinds), sorted(who)

    def _specific_needs(
        self, h: Human, age: int, role: str, single: bool, travel_mode: str, person: PersonInput,
        violence: list[str],
    ) -> list[str]:
        rng = self.rng
        out: set[str] = set()
        if travel_mode == "unaccompanied_child" and rng.random() < 0.9:
            out.add("SC-UC")
        if role == "parent" and single and rng.random() < 0.35:
            out.add("SP-PT")
        if role == "parent" and h.sex == "F" and rng.random() < 0.08:
            out.add("WR-LC")
        if role == "adult" and h.sex == "F" and rng.random() < 0.04:
            out.add("WR-SF")
        if 7 <= age < 18 and rng.random() < 0.08:
            out.add("CR-NE")
        if h.sex == "F" and 16 <= age <= 40 and rng.random() < 0.01:
            out.add("SM-DP")
        for code, p in (("SM-CI", 0.02), ("SM-OT", 0.01), ("SM-MI", 0.005), ("DS-PM", 0.003)):
            if rng.random() < p:
                out.add(code)
        if person.document_situation != "dni" and not person.documents and age >= 18 and rng.random() < 0.05:
            out.add("LP-ND")
        if violence:
            if rng.random() < 0.15:
                out.add("TR-WV")
            if rng.random() < 0.05:
                out.add("LP-AN")
        return sorted(out)

    def _months_abroad(self, country: str, age: int) -> int | None:
        rng = self.rng
        if rng.random() < 0.08:
            return None  # not asked or not known
        if country == "US":
            months = int(rng.lognormvariate(3.3, 0.9))  # median ~27 months, a long tail of years
        elif country in ("MX", "GT"):
            months = int(rng.expovariate(1 / 1.5))  # caught on the way north
        else:
            months = rng.randint(3, 60)
        return max(0, min(months, age * 12, 480))

    def _immediate(self, person: PersonInput, fear: bool, needs: list[str]) -> list[str]:
        rng = self.rng
        out = [code for code, p in (("transport", 0.65), ("food", 0.55), ("call", 0.45), ("legal", 0.03))
               if rng.random() < p]
        if person.document_situation != "dni" and rng.random() < 0.4:
            out.append("documents")
        if rng.random() < (0.3 if fear else 0.04):
            out.append("shelter")
        if rng.random() < (0.4 if fear else 0.05):
            out.append("psychosocial")
        if any(n.startswith(("SM-", "DS-")) for n in needs) or rng.random() < 0.06:
            out.append("health")
        return out
