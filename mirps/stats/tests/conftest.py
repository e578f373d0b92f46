"""Six arrivals with known answers, registered through the real service (see `six`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from mirps.core.testing import World, arrival_input, aware, person_input, register, screening_input
from mirps.registration.models import Arrival
from mirps.stats.selectors import StatsFilters, add_months


@dataclass
class Six:
    older: date  # first day of the earlier month
    recent: date  # first day of the later month
    filters: StatsFilters
    arrivals: list[Arrival]


NAMES = ["Ana", "Berta", "Carla", "Diego", "Ernesto", "Fabiola"]


def _person(i: int, sex: str, birth: date):
    return person_input(
        given_names=NAMES[i - 1], sex=sex, birth_date=birth, document_situation="none", dni=""
    )


@pytest.fixture
def six(world: World) -> Six:
    """Given six arrivals over two months at two reception points:

    | # | point | month  | from | modality | sex | age | need     | destination   | reasons                   | return |
    | 1 | SPS   | older  | US   | air      | M   | 25  | none     | 0501 Cortés   | unemployment              | 1st    |
    | 2 | SPS   | older  | US   | air      | F   | 4   | possible | 0801 F.Morazán| unemployment, family      | 1st    |
    | 3 | SPS   | recent | MX   | air      | F   | 40  | urgent   | 0501 Cortés   | violence                  | 1st    |
    | 4 | Omoa  | recent | MX   | land     | M   | 15  | urgent   | 0101 Atlántida| family                    | 1st    |
    | 5 | Omoa  | recent | GT   | land     | M   | 70  | none     | 0501 Cortés   | (none)                    | 1st    |
    | 6 | SPS   | recent | US   | air      | M   | 25  | none     | 0501 Cortés   | unemployment              | 2nd (of #1) |
    """
    this = timezone.localdate().replace(day=1)
    older, recent = add_months(this, -2), add_months(this, -1)

    def at(m: date):
        return aware(m.year, m.month, 10)

    def born(years: int) -> date:
        # Birthday on the first of the older month: the age is the same in both months.
        return date(older.year - years, older.month, 1)

    sps = {"reception_point": "camr-sps", "modality": "air", "entry_point": "rvm-airport"}
    omoa = {"reception_point": "camr-omoa", "modality": "land", "entry_point": "corinto"}
    a1 = register(
        world.reg_sps,
        person=_person(1, "M", born(25)),
        arrival=arrival_input(arrived_at=at(older), country_from="US", destination="0501", reasons=["unemployment"], **sps),
    )
    a2 = register(
        world.reg_sps,
        person=_person(2, "F", born(4)),
        arrival=arrival_input(
            arrived_at=at(older), country_from="US", destination="0801", travel_mode="family_unit",
            reasons=["unemployment", "family"], **sps,
        ),
        screening=screening_input(fear_of_return=True),
    )
    a3 = register(
        world.reg_sps,
        person=_person(3, "F", born(40)),
        arrival=arrival_input(arrived_at=at(recent), country_from="MX", destination="0501", reasons=["violence"], **sps),
        screening=screening_input(fear_of_return=True, violence_types=["threat"]),
    )
    a4 = register(
        world.reg_omoa,
        person=_person(4, "M", born(15)),
        arrival=arrival_input(
            arrived_at=at(recent), country_from="MX", destination="0101",
            travel_mode="unaccompanied_child", reasons=["family"], **omoa,
        ),
    )
    a5 = register(
        world.reg_omoa,
        person=_person(5, "M", born(70)),
        arrival=arrival_input(arrived_at=at(recent), country_from="GT", destination="0501", reasons=[], **omoa),
    )
    a6 = register(
        world.reg_sps,
        person_id=a1.person_id,
        arrival=arrival_input(arrived_at=at(recent), country_from="US", destination="0501", reasons=["unemployment"], **sps),
    )
    arrivals = [a1, a2, a3, a4, a5, a6]
    # The fixture's own premises, so a changed screening rule fails here and not in every table.
    assert [a.need_level for a in arrivals] == ["none", "possible", "urgent", "urgent", "none", "none"]
    assert [a.age_years for a in arrivals] == [25, 4, 40, 15, 70, 25]
    assert a6.sequence == 2
    return Six(older, recent, StatsFilters(month_from=older, month_to=recent), arrivals)
