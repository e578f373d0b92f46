"""The real figures the synthetic data reproduces (shared/docs/domain.md §4), as weights.

Volumes are scaled down to the requested size; what is kept is the SHAPE: the monthly curve,
the country mix of each year, modality, sex and age, departments, return types and reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Real returnees per month by year (domain.md §4.1-4.2): 2023 56,172 (INM); 2024 37,419 to
# 12 Dec; 2025 H1 19,725; 2026 5,211 from 1 Jan to 11 Feb (~124 a day).
MONTHLY_BY_YEAR = {2023: 4_680, 2024: 3_220, 2025: 3_290, 2026: 3_720}
# Seasonality seen in the 2015-2020 monthly series: a January peak, a December trough.
SEASON = (1.08, 0.96, 1.02, 1.0, 1.04, 1.0, 1.0, 1.02, 0.98, 1.0, 0.97, 0.88)


def month_weight(month: date) -> float:
    year = min(max(month.year, min(MONTHLY_BY_YEAR)), max(MONTHLY_BY_YEAR))
    return MONTHLY_BY_YEAR[year] * SEASON[month.month - 1]


@dataclass(frozen=True)
class YearMix:
    """Shares of one year: countries returned from, and adult men / women / boys / girls."""

    countries: tuple[tuple[str, float], ...]
    men: float
    women: float
    boys: float
    girls: float


_OTHERS_2024 = (("ES", 1.1), ("BZ", 0.3), ("NI", 0.2), ("CR", 0.15), ("SV", 0.1), ("CA", 0.1), ("CO", 0.05))
_OTHERS_2025 = (("ES", 0.5), ("BZ", 0.2), ("NI", 0.1), ("CR", 0.1), ("SV", 0.05), ("CA", 0.05))
YEARS = {
    # 2023: US 39,347, MX 15,115, CA (Central America) 1,256; minors 27.6%; 30,362 M, 10,291 F.
    2023: YearMix((("US", 70.0), ("MX", 27.0), ("GT", 1.5), *_OTHERS_2025), 0.55, 0.18, 0.16, 0.11),
    # 2024: US 20,765 (55%), GT 10,325 (28%), MX 5,408 (15%), Europe/South America 766.
    2024: YearMix((("US", 55.0), ("GT", 28.0), ("MX", 15.0), *_OTHERS_2024), 0.61, 0.16, 0.14, 0.09),
    # 2025 H1: US 68%, GT 16%, MX 15%; 14,376 M, 2,331 F, 2,043 boys, 975 girls.
    2025: YearMix((("US", 68.0), ("GT", 16.0), ("MX", 15.0), *_OTHERS_2025), 0.71, 0.14, 0.10, 0.05),
    # 2026: same country mix; fewer women and girls (4,176 M, 534 F, 423 boys, 78 girls to 11 Feb).
    2026: YearMix((("US", 68.0), ("GT", 16.0), ("MX", 15.0), *_OTHERS_2025), 0.76, 0.12, 0.085, 0.035),
}


def year_mix(year: int) -> YearMix:
    return YEARS[min(max(year, min(YEARS)), max(YEARS))]


# Share of air returns per country (the rest by land, or by sea for Belize). Overall this gives
# ~82% air / ~18% land / <0.5% sea as in 2023-2024 (air 45,863 / land 10,263 / sea 46 in 2023).
AIR_SHARE = {"US": 1.0, "ES": 1.0, "CA": 1.0, "CO": 1.0, "MX": 0.55, "GT": 0.45, "BZ": 0.0,
             "NI": 0.0, "CR": 0.0, "SV": 0.0}
SEA_SHARE = {"BZ": 0.6}  # Belize returns come by boat to Puerto Cortés / Omoa

# Entry points by modality (May 2025: 2,608 by Ramón Villeda Morales airport, 169 Corinto,
# 4 El Florido, 2 blind spots; Agua Caliente is the other main border post).
ENTRY_AIR = (("rvm-airport", 97.0), ("palmerola", 3.0))
ENTRY_LAND = (("corinto", 78.0), ("agua-caliente", 12.0), ("el-florido", 4.0), ("punto-ciego", 6.0))
ENTRY_SEA = (("puerto-cortes", 1.0),)
# Countries south of Honduras: entry at a southern post that has no site code yet.
ENTRY_UNKNOWN = frozenset({"NI", "CR", "SV"})

# Return type per country (2025 H1: 13,772 deported, 5,168 assisted, 785 voluntary = 70/26/4).
RETURN_TYPES = {
    "US": (("deported", 76.0), ("assisted", 22.0), ("voluntary", 2.0)),
    "MX": (("deported", 60.0), ("assisted", 34.0), ("voluntary", 6.0)),
    "GT": (("deported", 60.0), ("assisted", 34.0), ("voluntary", 6.0)),
}
RETURN_TYPES_OTHER = (("deported", 40.0), ("assisted", 40.0), ("voluntary", 20.0))

# Department of residence of returnees (SIAMIR, Jan-Feb 2021, n=3,411), by INE code.
DEPARTMENTS = (
    ("05", 714), ("08", 448), ("18", 391), ("03", 271), ("16", 217), ("04", 194), ("01", 194),
    ("13", 162), ("02", 152), ("15", 142), ("06", 117), ("07", 102), ("10", 91), ("17", 82),
    ("14", 68), ("12", 43), ("11", 21), ("09", 2),
)
# Within a department people go mostly to the cities; these weigh more than other municipalities.
MUNICIPALITY_PULL = {
    "0501": 40, "0502": 14, "0511": 8, "0506": 6, "0512": 5, "0801": 45, "1804": 14, "1807": 6,
    "1801": 4, "0101": 12, "0107": 5, "0301": 10, "0318": 8, "1601": 5, "1618": 4, "0401": 6,
    "0413": 3, "0209": 6, "0201": 3, "1501": 6, "1503": 6, "0601": 10, "0703": 8, "1001": 5,
    "1709": 4, "1701": 3, "1401": 3, "1208": 3, "1101": 4, "0901": 2, "1301": 3,
}
SEAT_PULL = 3.0  # the head town (xx01) of a department
OTHER_PULL = 1.0

# Indigenous and Afro-Honduran peoples by department where they mostly live.
ETHNICITY_BY_DEPARTMENT = {
    "10": (("lenca", 30.0),), "13": (("lenca", 35.0),), "12": (("lenca", 25.0),),
    "04": (("chorti", 4.0),), "01": (("garifuna", 8.0),), "02": (("garifuna", 6.0), ("pech", 1.0)),
    "09": (("miskitu", 70.0), ("tawahka", 2.0)), "11": (("afro_english", 20.0), ("garifuna", 5.0)),
    "18": (("tolupan", 2.0),), "15": (("pech", 1.0), ("nahua", 1.0)),
}

# Age groups of adults (2025 H1: 21-30 7,692; 31-40 5,652; 41-50 2,546) as (from, to, weight).
ADULT_AGES = ((18, 20, 9.0), (21, 30, 44.0), (31, 40, 30.0), (41, 50, 12.0), (51, 60, 4.0), (61, 75, 1.0))
# Children (DINAF since 2014): 62% aged 13-17, 19% 0-6, 19% 7-12; unaccompanied are mostly teens.
UAC_AGES = ((7, 12, 12.0), (13, 17, 88.0))
FAMILY_CHILD_AGES = ((0, 6, 30.0), (7, 12, 30.0), (13, 17, 40.0))
UAC_SHARE_OF_MINORS = 0.36  # SIAMIR 2020: 2,298 unaccompanied of 6,316 minors

# Reasons for migrating (multi-answer). INE/IOM: unemployment 52%, better job 51.5%, low income 36%.
ECONOMIC = (("unemployment", 0.52), ("better_job", 0.5), ("low_income", 0.36))
ECONOMIC_ANY = 0.90
OTHER_REASONS = (("family", 0.15), ("violence", 0.055), ("health", 0.02), ("studies", 0.01),
                 ("disaster", 0.02), ("other", 0.01))

DNI_SITUATION_ADULT = (("dni", 60.0), ("lost", 18.0), ("expired", 10.0), ("none", 12.0))
REPEAT_SHARE_TARGET = 0.15  # people with two or more returns in three years
