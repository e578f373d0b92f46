"""People and re-migration (`stats/remigration.py`) against hand-worked arrivals (see `five`)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from mirps.accounts.models import Site
from mirps.audit.models import AuditEvent
from mirps.core.testing import World, arrival_input, aware, person_input, register
from mirps.identity.models import Change, Record
from mirps.identity.services import record_create
from mirps.registration.models import Arrival, Person, Sex
from mirps.stats import remigration
from mirps.stats.remigration import PeopleFilters, people_counts, people_get, window_complete
from mirps.stats.selectors import StatsFilters, stats_table
from mirps.stats.tables import Context
from mirps.stats.tests.test_disclosure import derivable_small

# Windows complete on this day: 6 months for cohorts up to Aug 2025, 12 up to Feb 2025, 24 none.
TODAY = date(2026, 3, 1)
PERIOD = PeopleFilters(month_from=date(2025, 1, 1), month_to=date(2025, 12, 1))
DASH = "—"


@dataclass
class Five:
    persons: dict[str, Person]  # by key: p1, p2, p3a, p3b, p4, p5
    arrivals: list[Arrival]


def record_of(person: Person) -> Record:
    """The person's identity record (registration may already create it)."""
    r = Record.objects.filter(person=person).first()
    if r is None:
        first = person.arrivals.order_by("arrived_at").first()
        r, _keys = record_create(
            person=person,
            arrival_day=first.arrived_at.date() if first else None,
            municipality=first.destination.code if first else "",
        )
    return r


def merge(a: Person, b: Person) -> None:
    """Make b's cluster a's, as a reviewer's merge does."""
    ra, rb = record_of(a), record_of(b)
    moved = list(Record.objects.filter(cluster=rb.cluster).values_list("pk", flat=True))
    Record.objects.filter(cluster=rb.cluster).update(cluster=ra.cluster)
    Change.objects.create(kind=Change.Kind.MERGE, moves=[[str(p), str(rb.cluster), str(ra.cluster)] for p in moved])


def born(age_on_jan_2025: int) -> date:
    return date(2025 - age_on_jan_2025, 1, 1)


@pytest.fixture
def five(world: World) -> Five:
    """Five humans on six Person records, all at CAMR San Pedro Sula, 10:00 local time:

    | who | records | sex | age  | destination    | arrivals                          |
    | P1  | 1       | F   | 25   | 0501 Cortés    | 2025-01-10, 2025-05-10            |
    | P2  | 1       | F   | 40   | 0801 F.Morazán | 2025-01-10, 2025-09-10 (8 months) |
    | P3  | 2 (A,B) | M   | 15   | 0101 Atlántida | A 2025-02-10, B 2025-03-10        |
    | P4  | 1       | M   | 70   | 0501 Cortés    | 2025-01-10                        |
    | P5  | 1       | M   | 30   | 0501 Cortés    | 2024-12-10 (age 29), 2025-01-20   |

    P3's two records are merged into one person (identity cluster).
    """
    sps = {"reception_point": "camr-sps", "modality": "air", "entry_point": "rvm-airport"}
    people = {
        "p1": ("Ana", "Reyes", "F", 25, "0501"), "p2": ("Berta", "Mejía", "F", 40, "0801"),
        "p3a": ("Carlos", "Zelaya", "M", 15, "0101"), "p3b": ("Karlos", "Celaya", "M", 15, "0101"),
        "p4": ("Diego", "Flores", "M", 70, "0501"), "p5": ("Ernesto", "Bonilla", "M", 30, "0501"),
    }  # fmt: skip
    plan = [
        ("p1", (2025, 1, 10)), ("p2", (2025, 1, 10)), ("p3a", (2025, 2, 10)), ("p3b", (2025, 3, 10)),
        ("p4", (2025, 1, 10)), ("p5", (2024, 12, 10)), ("p5", (2025, 1, 20)), ("p1", (2025, 5, 10)),
        ("p2", (2025, 9, 10)),
    ]  # fmt: skip
    persons: dict[str, Person] = {}
    arrivals = []
    for key, (y, m, d) in sorted(plan, key=lambda p: p[1]):
        name, surname, sex, age, dest = people[key]
        arrival = arrival_input(arrived_at=aware(y, m, d), destination=dest, **sps)
        if key in persons:
            a = register(world.reg_sps, person_id=persons[key].pk, arrival=arrival)
        else:
            pi = person_input(
                given_names=name,
                surname1=surname,
                sex=sex,
                birth_date=born(age),
                document_situation="none",
                dni="",
            )
            a = register(world.reg_sps, person=pi, arrival=arrival)
            persons[key] = a.person
        arrivals.append(a)
    for p in persons.values():
        record_of(p)
    merge(persons["p3a"], persons["p3b"])
    # The fixture's own premises.
    assert sorted(a.age_years for a in arrivals) == [15, 15, 25, 25, 29, 30, 40, 40, 70]
    assert Record.objects.values("cluster").distinct().count() == 5
    return Five(persons, arrivals)


@pytest.fixture
def no_suppression(settings):
    settings.STATS_SMALL_CELL = 1  # every count published: the arithmetic apart from disclosure


def values(table) -> dict[str, tuple]:
    return {r.code: r.values for r in table.all_rows}


def board(world, who="coord", filters=PERIOD, today=TODAY):
    return people_get(actor=world.actor(getattr(world, who)), filters=filters, today=today)


def nonzero(table) -> dict[str, tuple]:
    return {code: v for code, v in values(table).items() if any(x not in (0, DASH) for x in v)}


# --- the numbers ---------------------------------------------------------------------------------


def test_people_per_month_count_a_merged_person_once(world, five, no_suppression):
    t = board(world).tables["people"]
    # arrivals, people, first arrival ever, had arrived before
    assert nonzero(t) == {
        "2025-01": (4, 4, 3, 1),  # P1 P2 P4 new; P5 came in Dec 2024
        "2025-02": (1, 1, 1, 0),  # P3 (record A)
        "2025-03": (1, 1, 0, 1),  # P3 again (record B, merged): not a first arrival
        "2025-05": (1, 1, 0, 1),
        "2025-09": (1, 1, 0, 1),
        "total": (8, 5, 4, 1),  # 5 people in the period, P5 had arrived before it
    }
    assert len(t.rows) == 12


def test_headline_numbers(world, five, no_suppression):
    with translation.override("en"):
        b = board(world)
    assert b.summary == [
        ("arrivals-total", "Arrivals", "8"),
        ("people-total", "People (persons resolved)", "5"),
        ("records-total", "Person records", "6"),
        ("arrivals-per-person", "Arrivals per person", "1.60"),
    ]


def test_merging_two_records_drops_the_person_count_by_one(world, five, no_suppression):
    assert board(world).summary[1][2] == "5"
    merge(five.persons["p1"], five.persons["p4"])  # a (wrong) merge: two humans become one person
    b = board(world)
    assert b.summary[1][2] == "4"
    assert b.summary[2][2] == "6"  # records do not change
    assert values(b.tables["people"])["2025-01"] == (4, 3, 2, 1)
    # Without any identity record a Person record is a person of its own.
    Record.objects.all().delete()
    cache.clear()  # deleting identity records is no service's doing: nothing marks the counts stale
    assert board(world).summary[1][2] == "6"


def test_cohort_shares_within_6_12_24_months_and_incomplete_windows(world, five, no_suppression):
    t = board(world).tables["cohort"]
    # people, % within 6, % within 12, % within 24
    rows = values(t)
    assert rows["2025-01"] == (
        4,
        25.0,
        50.0,
        DASH,
    )  # P1 back in May (4 months); P2 in Sep (8): 12 only
    assert rows["2025-02"] == (1, 100.0, 100.0, DASH)  # P3 back in March under another record
    assert rows["2025-03"] == (
        1,
        0.0,
        DASH,
        DASH,
    )  # 12-month window ends Mar 2026: not over on TODAY
    assert rows["2025-05"] == (1, 0.0, DASH, DASH)
    assert rows["2025-04"] == (0, DASH, DASH, DASH)  # nobody: no share
    assert rows["2025-08"] == (0, DASH, DASH, DASH)
    assert rows["2025-09"] == (1, DASH, DASH, DASH)  # 6-month window ends Mar 2026
    assert "total" not in rows
    assert "—" in t.note


def test_second_arrival_8_months_later_is_within_12_not_6(world, five, no_suppression):
    only_p2 = replace(PERIOD, month_to=date(2025, 1, 1), department="08")
    assert values(board(world, filters=only_p2).tables["cohort"])["2025-01"] == (
        1,
        0.0,
        100.0,
        DASH,
    )
    # Once two years have passed, the 24-month window is complete too.
    later = board(world, filters=only_p2, today=date(2027, 2, 1))
    assert values(later.tables["cohort"])["2025-01"] == (1, 0.0, 100.0, 100.0)


def test_window_complete_once_the_last_month_is_over():
    assert window_complete(date(2025, 1, 1), 6, date(2025, 8, 1))
    assert not window_complete(date(2025, 1, 1), 6, date(2025, 7, 31))
    assert window_complete(date(2025, 1, 1), 12, date(2026, 2, 1))
    assert not window_complete(date(2025, 1, 1), 24, date(2027, 1, 31))


def test_breakdown_by_sex_pools_the_complete_months(world, five, no_suppression):
    # per window: people, % again (6, 12, 24)
    t = board(world).tables["sex"]
    assert values(t) == {
        # 6: P1 Jan+May, P2 Jan; 12: P1 Jan, P2 Jan
        "F": (3, 33.3, 2, 100.0, 0, DASH),
        # 6: P4 Jan, P5 Jan, P3 Feb (back in Mar), P3 Mar; 12: P4, P5, P3 Feb
        "M": (4, 25.0, 3, 33.3, 0, DASH),
        "total": (7, 28.6, 5, 60.0, 0, DASH),
    }


def test_breakdown_by_age_group_at_the_cohort_arrival(world, five, no_suppression):
    with translation.override("en"):
        t = board(world).tables["age"]
    assert [r.label for r in t.rows] == ["0–5", "6–11", "12–17", "18–29", "30–59", "60+", "Unknown"]
    assert nonzero(t) == {
        "12-17": (2, 50.0, 1, 100.0, 0, DASH),  # P3 Feb (back), P3 Mar
        "18-29": (2, 50.0, 1, 100.0, 0, DASH),  # P1 Jan (back), P1 May
        "30-59": (2, 0.0, 2, 50.0, 0, DASH),  # P2, and P5 aged 30 in January (29 in December)
        "60+": (1, 0.0, 1, 0.0, 0, DASH),
        "total": (7, 28.6, 5, 60.0, 0, DASH),
    }


def test_breakdown_by_destination_department(world, five, no_suppression):
    t = board(world).tables["department"]
    assert len(t.rows) == 18
    assert nonzero(t) == {
        "01": (2, 50.0, 1, 100.0, 0, DASH),
        "05": (4, 25.0, 3, 33.3, 0, DASH),
        "08": (1, 0.0, 1, 100.0, 0, DASH),
        "total": (7, 28.6, 5, 60.0, 0, DASH),
    }


def test_filters_sex_age_group_department_and_reception_point(world, five, no_suppression):
    women = board(world, filters=replace(PERIOD, sex="F"))
    assert women.summary[0][2] == "4" and women.summary[1][2] == "2"
    assert values(women.tables["cohort"])["2025-01"] == (2, 50.0, 100.0, DASH)
    teens = board(world, filters=replace(PERIOD, age_band="12-17"))
    assert nonzero(teens.tables["people"])["total"] == (2, 1, 1, 0)
    # P5 is 30 in January: in the group, and had arrived before (in December, at 29).
    thirty = board(world, filters=replace(PERIOD, age_band="30-59"))
    assert values(thirty.tables["people"])["2025-01"] == (2, 2, 1, 1)
    assert values(thirty.tables["cohort"])["2025-01"] == (2, 0.0, 50.0, DASH)
    assert (
        values(board(world, filters=replace(PERIOD, age_band="unknown")).tables["people"])["total"][
            0
        ]
        == 0
    )
    cortes = board(world, filters=replace(PERIOD, department="05"))
    assert nonzero(cortes.tables["people"]) == {
        "2025-01": (3, 3, 2, 1),
        "2025-05": (1, 1, 0, 1),
        "total": (4, 3, 2, 1),
    }
    omoa = Site.objects.get(code="camr-omoa")
    assert board(world, filters=replace(PERIOD, reception_point_id=omoa.pk)).summary[0][2] == "0"


def test_month_follows_the_local_time_zone_like_the_dashboard(world, no_suppression):
    # 23:30 on 31 January in Tegucigalpa is 1 February in UTC: a January arrival.
    a = register(
        world.reg_sps,
        person=person_input(document_situation="none", dni=""),
        arrival=arrival_input(arrived_at=aware(2025, 1, 31, 23).replace(minute=30)),
    )
    register(
        world.reg_sps, person_id=a.person_id, arrival=arrival_input(arrived_at=aware(2025, 3, 1, 0))
    )
    groups = people_counts(filters=replace(PERIOD, month_to=date(2025, 3, 1))).groups
    assert {(g.month, g.arrivals) for g in groups} == {(date(2025, 1, 1), 1), (date(2025, 3, 1), 1)}
    dash = stats_table(
        actor=world.actor(world.coord),
        filters=StatsFilters(date(2025, 1, 1), date(2025, 3, 1)),
        name="need",
    )
    assert [r.values[0] for r in dash.rows] == [1, 0, 1]


def test_arrivals_per_month_match_the_dashboard(world, five):
    # Same period and reception point: the same published arrivals, suppression included.
    actor = world.actor(world.partner)
    dash = stats_table(
        actor=actor, filters=StatsFilters(PERIOD.month_from, PERIOD.month_to), name="need"
    )
    mine = people_get(actor=actor, filters=PERIOD, today=TODAY).tables["people"]
    assert [r.values[0] for r in mine.all_rows] == [r.values[0] for r in dash.all_rows]


def test_one_query_for_the_counts(world, five, django_assert_max_num_queries):
    actor = world.actor(world.coord)
    with django_assert_max_num_queries(4):  # the version (2), the counts, the department names
        people_get(actor=actor, filters=PERIOD, today=TODAY)


# --- disclosure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["partner", "coord", "po_sedh", "reg_omoa"])
def test_small_cells_are_suppressed_for_those_who_see_no_names(world, five, who):
    b = board(world, who=who)
    assert not b.exact
    assert values(b.tables["people"])["2025-01"] == ("<5", "<5", "<5", "<5")
    assert values(b.tables["people"])["total"] == (8, 5, "<5", "<5")
    assert [s[2] for s in b.summary] == ["8", "5", "6", "1,60"]
    assert values(b.tables["cohort"])["2025-01"] == ("<5", DASH, DASH, DASH)
    assert values(b.tables["sex"]) == {
        "F": ("<5", DASH, "<5", DASH, 0, DASH),
        "M": ("<5", DASH, "<5", DASH, 0, DASH),
        "total": (7, DASH, 5, DASH, 0, DASH),  # 2 of 7 again: a small numerator
    }
    for t in b.tables.values():
        for row in t.all_rows:
            assert not [
                v
                for v, c in zip(row.values, t.columns, strict=True)
                if c.kind == "count" and v in (1, 2, 3, 4)
            ]


def test_registrar_on_own_reception_point_sees_exact_counts(world, five):
    sps = Site.objects.get(code="camr-sps")
    b = board(world, who="reg_sps", filters=replace(PERIOD, reception_point_id=sps.pk))
    assert b.exact
    assert values(b.tables["people"])["2025-01"] == (4, 4, 3, 1)
    assert values(b.tables["cohort"])["2025-01"] == (4, 25.0, 50.0, DASH)


def test_a_lone_small_month_is_not_given_away_by_the_pooled_total(world, five, settings):
    # Women, counts of 1 small: people per month Jan 2, May 1 (complete 6-month windows: Jan..Aug).
    # The pooled base of the breakdowns (3) minus January would give May back: one more is hidden.
    settings.STATS_SMALL_CELL = 2
    b = board(world, who="partner", filters=replace(PERIOD, sex="F"))
    cohort = {code: v[0] for code, v in values(b.tables["cohort"]).items()}
    assert cohort["2025-05"] == "<2"
    pooled = values(b.tables["sex"])["total"]
    for w, months in ((0, [f"2025-0{m}" for m in range(1, 9)]), (2, ["2025-01", "2025-02"])):
        hidden = [c for c in [*(cohort[m] for m in months), pooled[w]] if isinstance(c, str)]
        assert len(hidden) != 1, (w, cohort, pooled)
    # The monthly table publishes those people exactly as the cohort table does.
    assert {r.code: r.values[1] for r in b.tables["people"].rows} == cohort


P_MONTHS = [date(2025, m, 1) for m in range(1, 7)]
# A person: sex, age group, department, and the months of their arrivals (-2: before the
# period, 6+: after it); uneven weights give the large, small and empty cells of real data.
a_person = st.tuples(
    st.sampled_from("FFFFM"),
    st.sampled_from(["18-29"] * 4 + ["0-5", "60+", "unknown"]),
    st.sampled_from(["05"] * 4 + ["01", "08"]),
    st.lists(st.sampled_from([0, 0, 1, 2, 2, 3, 4, 5, -2, -1, 6, 9, 20]), min_size=1, max_size=4),
)


def counts_of(persons: list[tuple]) -> remigration.Counts:
    """What `people_counts` returns for these people, unfiltered (the definitions, by hand)."""
    acc: dict[tuple, list[int]] = {}
    for sex, band, dept, months in persons:
        months = sorted(months)
        seen, in_period = set(), False
        for i, idx in enumerate(months):
            if not 0 <= idx < len(P_MONTHS):
                continue
            g = acc.setdefault((idx, sex, band, dept), [0] * 8)
            g[0] += 1
            if idx not in seen:
                seen.add(idx)
                nxt = months[i + 1] if i + 1 < len(months) else None
                g[1] += 1
                g[2] += months[0] == idx
                for k, w in enumerate(remigration.WINDOWS):
                    g[3 + k] += nxt is not None and nxt <= idx + w
            if not in_period:
                in_period = True
                g[6] += 1
                g[7] += months[0] >= 0
    groups = [
        remigration.Group(
            P_MONTHS[idx], sex, band, dept, v[0], v[1], v[2], tuple(v[3:6]), v[6], v[7]
        )
        for (idx, sex, band, dept), v in acc.items()
    ]
    return remigration.Counts(
        groups, records=sum(1 for p in persons if any(0 <= m < 6 for m in p[3]))
    )


@hsettings(max_examples=150, deadline=None)
@given(
    persons=st.lists(a_person, max_size=60),
    today=st.sampled_from([date(2025, 9, 1), date(2026, 1, 15), date(2027, 6, 1)]),
)
def test_property_no_small_count_is_published_or_derivable(persons, today):
    ctx = Context(months=P_MONTHS, exact=False, departments={"01": "A", "05": "C", "08": "F"})
    b = remigration.people_board(counts_of(persons), ctx, today=today)
    t = b.tables
    for table in t.values():
        for row in table.all_rows:
            counts = [
                v for v, c in zip(row.values, table.columns, strict=True) if c.kind == "count"
            ]
            assert not [v for v in counts if isinstance(v, int) and 0 < v < 5], (table.name, row)
    assert not [text for _id, _label, text in b.summary if text in {"1", "2", "3", "4"}]
    # Every published count by reference, and every sum an attacker can use.
    pub: dict = {}
    sums: list = []
    for r in t["people"].all_rows:
        pub.update(
            {
                (name, r.code): v
                for name, v in zip(("arrivals", "people", "first", "before"), r.values, strict=True)
            }
        )
        sums.append(([("first", r.code), ("before", r.code)], ("people", r.code)))
    codes = [r.code for r in t["people"].rows]
    sums.append(([("arrivals", c) for c in codes], ("arrivals", "total")))
    sums.append(([("first", c) for c in codes], ("first", "total")))
    assert [r.values[0] for r in t["cohort"].rows] == [pub[("people", c)] for c in codes]
    for i, w in enumerate(remigration.WINDOWS):
        done = [c for c, m in zip(codes, P_MONTHS, strict=True) if window_complete(m, w, today)]
        for dim in ("sex", "age", "department"):
            pub.update({(dim, w, r.code): r.values[2 * i] for r in t[dim].all_rows})
            sums.append(([(dim, w, r.code) for r in t[dim].rows], (dim, w, "total")))
            sums.append(([("people", c) for c in done], (dim, w, "total")))
            for r in t[dim].all_rows:  # a share is never shown beside a hidden base
                if isinstance(r.values[2 * i], str):
                    assert r.values[2 * i + 1] == DASH
    assert derivable_small(pub, sums) == {}


def test_user_without_stats_gets_404(world, five):
    nobody = get_user_model().objects.create_user(username="nobody", password="x" * 20)
    with pytest.raises(Http404):
        people_get(actor=world.actor(nobody), filters=PERIOD)


# --- the page and its downloads ------------------------------------------------------------------


def q(filters: PeopleFilters = PERIOD) -> dict[str, str]:
    return filters.as_query()


def test_page_shows_aggregates_only(client, world, five):
    client.force_login(world.partner)
    r = client.get(reverse("stats:people"), q())
    assert r.status_code == 200
    html = r.content.decode()
    assert re.search(r'id="people-total"[^>]*>\s*5\s*<', html)
    for name in (
        "Ana",
        "Berta",
        "Carlos",
        "Karlos",
        "Diego",
        "Ernesto",
        "Reyes",
        "Mejía",
        "Zelaya",
        "Celaya",
        "Bonilla",
        "López",
    ):
        assert name not in html
    for p in five.persons.values():
        assert str(p.pk) not in html and p.pk.hex not in html
    for a in five.arrivals:
        assert str(a.pk) not in html
    assert ' style="' not in html
    for name in remigration.TABLES:
        assert f"/stats/people/{name}.csv?" in html and f"/stats/people/{name}.xlsx?" in html
    assert "/stats/table/" not in html and "<canvas" not in html  # the dashboard's downloads and charts


def test_page_filters_and_default_period(client, world, five):
    client.force_login(world.coord)
    r = client.get(reverse("stats:people"))
    assert r.status_code == 200
    f = r.context["filters"]
    assert (f.month_to.year * 12 + f.month_to.month) - (
        f.month_from.year * 12 + f.month_from.month
    ) == 35
    r = client.get(
        reverse("stats:people"), {**q(), "sex": "F", "age_band": "30-59", "department": "08"}
    )
    assert r.context["filters"] == replace(PERIOD, sex="F", age_band="30-59", department="08")
    r = client.get(reverse("stats:people"), {**q(), "department": "99"})
    assert r.context["form"].errors and r.context["filters"] == PeopleFilters.default()


def test_dashboard_links_to_the_people_page(client, world):
    client.force_login(world.coord)
    assert reverse("stats:people") in client.get(reverse("stats:dashboard")).content.decode()


def test_registrar_page_defaults_to_own_point_with_exact_counts(client, world, five):
    client.force_login(world.reg_sps)
    r = client.get(reverse("stats:people"), q())
    assert (
        r.context["board"].exact
        and r.context["filters"].reception_point_id == Site.objects.get(code="camr-sps").pk
    )


def test_page_and_downloads_refuse_users_without_stats(client, world):
    nobody = get_user_model().objects.create_user(username="nobody", password="x" * 20)
    client.force_login(nobody)
    assert client.get(reverse("stats:people")).status_code == 404
    assert (
        client.get(
            reverse("stats:people_export", kwargs={"name": "cohort", "fmt": "csv"})
        ).status_code
        == 404
    )
    client.logout()
    r = client.get(reverse("stats:people"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_unknown_table_or_format_is_404(client, world):
    client.force_login(world.coord)
    assert client.get("/stats/people/person.csv").status_code == 404
    assert client.get("/stats/people/cohort.json").status_code == 404


@pytest.mark.parametrize("name", remigration.TABLES)
def test_csv_has_the_numbers_of_the_page_and_is_audited(client, world, five, name):
    client.force_login(world.partner)
    r = client.get(reverse("stats:people_export", kwargs={"name": name, "fmt": "csv"}), q())
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert f"mirps-people-{name}-2025-01-2025-12.csv" in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    t = people_get(actor=world.actor(world.partner), filters=PERIOD).tables[name]
    assert [row[0] for row in rows[1:]] == [row.code for row in t.all_rows]
    assert [row[2:] for row in rows[1:]] == [[str(v) for v in row.values] for row in t.all_rows]
    ev = AuditEvent.objects.get(action="export", object_type="stats_table")
    assert ev.detail == {"table": f"people.{name}", "format": "csv", "filters": q()}


def test_xlsx_has_the_numbers_of_the_page(client, world, five, settings):
    settings.STATS_SMALL_CELL = 1
    client.force_login(world.coord)
    f = replace(PERIOD, sex="M")
    r = client.get(reverse("stats:people_export", kwargs={"name": "cohort", "fmt": "xlsx"}), q(f))
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = [list(row) for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    t = people_get(actor=world.actor(world.coord), filters=f).tables["cohort"]
    assert [row[2:] for row in rows] == [list(row.values) for row in t.all_rows]
    assert rows[0][2] == 2  # January: P4 and P5
    about = dict(wb.worksheets[1].iter_rows(values_only=True))
    assert str(dict(Sex.choices)["M"]) in about.values()
    for sheet in wb.worksheets:
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_people_counts_are_cached_until_an_arrival_or_a_merge(world, django_assert_max_num_queries):
    from mirps.accounts.models import Site
    from mirps.core.testing import person_input, register
    from mirps.identity import services as identity_services
    from mirps.stats.remigration import PeopleFilters, people_get

    actor = world.actor(world.reg_sps)  # exact numbers on their own reception point
    today = timezone.localdate()
    filters = PeopleFilters(month_from=today.replace(day=1), month_to=today.replace(day=1),
                            reception_point_id=Site.objects.get(code="camr-sps").pk)
    a = register(world.reg_sps, person=person_input(dni="0501199511111"))
    b = register(world.reg_sps, person=person_input(dni="0501199522222", given_names="Pedro", birth_date=date(1980, 1, 1)))

    def people() -> str:
        return {k: v for k, _label, v in people_get(actor=actor, filters=filters).summary}["people-total"]

    assert people() == "2"
    with django_assert_max_num_queries(3):  # the version (2 queries) and the department names
        assert people() == "2"
    c = register(world.reg_sps, person=person_input(document_situation="lost", dni="", given_names="Luis",
                                                    birth_date=date(1970, 1, 1)))
    assert people() == "3"  # a new arrival is seen at once
    identity_services.cluster_merge(actor=world.actor(world.reviewer), person_a=a.person_id, person_b=c.person_id)
    assert people() == "2"  # so is a merge
    assert b.person_id


def test_counts_brought_forward_after_new_arrivals_equal_a_full_count(world, monkeypatch):
    """After each registration the kept counts are brought forward by recounting only the new
    arrivals' persons; after a reviewer's merge the whole statement runs again. Either way the
    result must be what the whole statement gives."""
    from mirps.identity import services as identity_services
    from mirps.stats.remigration import _cached_counts

    full_runs = []
    real = remigration.people_counts

    def spy(**kw):
        if kw.get("persons") is None:
            full_runs.append(kw["filters"])
        return real(**kw)

    monkeypatch.setattr(remigration, "people_counts", spy)
    this_month = timezone.localdate().replace(day=1)
    views = [
        PeopleFilters.default(),
        PeopleFilters(month_from=this_month, month_to=this_month, sex="F"),
        PeopleFilters(month_from=date(2025, 1, 1), month_to=this_month,
                      reception_point_id=Site.objects.get(code="camr-omoa").pk, age_band="18-29"),
    ]

    def as_dict(counts):
        return {(g.month, g.sex, g.band, g.department): g for g in counts.groups}, counts.records

    def check(*, full: bool) -> None:
        full_runs.clear()
        for f in views:
            kept = _cached_counts(f)
            assert as_dict(kept) == as_dict(real(filters=f)), f
        assert bool(full_runs) == full

    for f in views:
        _cached_counts(f)
    old = register(world.reg_sps, person=person_input(given_names="Ana", sex="F", birth_date=date(2000, 5, 5),
                                                      dni="0501200000555"),
                   arrival=arrival_input(arrived_at=aware(2024, 6, 3)))
    check(full=False)
    register(world.reg_omoa, person_id=old.person_id, arrival=arrival_input(reception_point="camr-omoa"))
    check(full=False)  # she came back: her first arrival's re-migration counts change
    retyped = register(world.reg_omoa, person=person_input(given_names="Ana", sex="F", birth_date=date(2000, 5, 5),
                                                           document_situation="lost", dni=""),
                       arrival=arrival_input(reception_point="camr-omoa"))
    assert Record.objects.get(pk=retyped.person_id).cluster == old.person_id  # linked automatically
    check(full=False)
    register(world.reg_sps, person=person_input(given_names="Marta", surname1="Cruz", sex="F",
                                                birth_date=date(2001, 1, 2), dni="0501200100666"),
             arrival=arrival_input(arrived_at=aware(2025, 2, 10)))  # registered late, long after
    check(full=False)
    other = register(world.reg_omoa, person=person_input(given_names="Pedro", surname1="Zúniga", surname2="Paz",
                                                         birth_date=date(1980, 7, 7), document_situation="lost", dni=""),
                     arrival=arrival_input(reception_point="camr-omoa"))
    check(full=False)
    identity_services.cluster_merge(actor=world.actor(world.reviewer), person_a=old.person_id,
                                    person_b=other.person_id)
    check(full=True)  # a merge moves arrivals counted before: everything is counted again
    register(world.reg_omoa, person_id=other.person_id, arrival=arrival_input(reception_point="camr-omoa"))
    check(full=False)


def test_an_arrival_committed_while_counts_are_brought_forward_is_not_counted_twice(world, monkeypatch):
    from mirps.stats.remigration import _cached_counts

    real = remigration.people_counts
    f = PeopleFilters.default()
    first = register(world.reg_sps, person=person_input(), arrival=arrival_input(arrived_at=aware(2024, 6, 3)))
    _cached_counts(f)
    register(world.reg_sps, person_id=first.person_id)
    landed = []

    def meanwhile(**kw):
        if kw.get("persons") is not None and not landed:  # another counter registers her again now
            landed.append(register(world.reg_omoa, person_id=first.person_id,
                                   arrival=arrival_input(reception_point="camr-omoa")))
        return real(**kw)

    monkeypatch.setattr(remigration, "people_counts", meanwhile)
    _cached_counts(f)
    monkeypatch.setattr(remigration, "people_counts", real)
    assert landed
    kept = _cached_counts(f)
    whole = real(filters=f)
    assert sorted(kept.groups) == sorted(whole.groups) and kept.records == whole.records
