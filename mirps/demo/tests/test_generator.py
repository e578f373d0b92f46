"""The generator alone (no database): size, order, shares, re-registrations, determinism."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from django.utils import timezone

from mirps.demo.generator import Generator, InBackground, Planned
from mirps.registration.validation import age_on

NOW = timezone.make_aware(datetime(2026, 5, 17, 11, 30))


@pytest.fixture(scope="module")
def plans() -> list[Planned]:
    return list(Generator(size=4000, seed=7, now=NOW).plans())


def _records(plans: list[Planned]) -> dict:
    out = {}
    for p in plans:
        if p.new_person is not None:
            out[p.record_id] = p.new_person
    return out


def test_given_size_makes_exactly_that_many_in_time_order_and_none_in_the_future(plans):
    assert len(plans) == 4000
    times = [p.arrival.arrived_at for p in plans]
    assert times == sorted(times)
    assert max(times) < NOW
    assert min(times) >= timezone.make_aware(datetime(2023, 6, 1))


def test_sequences_on_each_record_count_up_from_one_and_records_are_made_first(plans):
    seen: dict = {}
    for p in plans:
        if p.new_person is not None:
            assert p.record_id not in seen
        else:
            assert p.record_id in seen, "an arrival on a record that does not exist yet"
        seen[p.record_id] = seen.get(p.record_id, 0) + 1
        assert p.sequence == seen[p.record_id]


def test_about_15_percent_of_people_come_back_and_some_are_registered_twice(plans):
    per_person = Counter(p.true_id for p in plans)
    share = sum(1 for n in per_person.values() if n >= 2) / len(per_person)
    assert 0.10 <= share <= 0.20
    records_per_person: dict[int, set] = {}
    for p in plans:
        records_per_person.setdefault(p.true_id, set()).add(p.record_id)
    duplicated = sum(1 for r in records_per_person.values() if len(r) > 1)
    repeaters = sum(1 for n in per_person.values() if n >= 2)
    # The registrar finds the earlier record ~60% of the time: 25-60% of repeaters have 2+ records.
    assert 0.25 * repeaters <= duplicated <= 0.6 * repeaters


def test_a_duplicate_record_never_reuses_the_dni_of_the_first(plans):
    dnis = [p.new_person.dni for p in plans if p.new_person is not None and p.new_person.dni]
    assert len(dnis) == len(set(dnis))
    assert all(len(d) == 13 and d.isdigit() for d in dnis)


def test_unaccompanied_children_are_minors_by_the_record_they_are_registered_on(plans):
    records = _records(plans)
    uac = [p for p in plans if p.arrival.travel_mode == "unaccompanied_child"]
    assert uac
    for p in uac:
        assert age_on(records[p.record_id].birth_date, p.arrival.arrived_at.date()) < 18
        assert p.arrival.reception_point == "canfm-belen"


def test_shares_follow_the_real_statistics(plans):
    n = len(plans)
    modality = Counter(p.arrival.modality for p in plans)
    assert 0.76 <= modality["air"] / n <= 0.88
    assert modality["sea"] / n < 0.01
    returns = Counter(p.arrival.return_type for p in plans)
    assert 0.62 <= returns["deported"] / n <= 0.78
    assert all(p.arrival.modality == "air" for p in plans if p.arrival.country_from == "US")
    fear = sum(p.screening.fear_of_return for p in plans) / n
    assert 0.03 <= fear <= 0.10
    economic = sum(1 for p in plans if {"unemployment", "better_job", "low_income"} & set(p.arrival.reasons)) / n
    assert economic >= 0.7
    records = _records(plans)
    men = sum(1 for p in plans if records[p.record_id].sex == "M" and age_on(records[p.record_id].birth_date, p.arrival.arrived_at.date()) >= 18)
    assert 0.6 <= men / n <= 0.8
    cortes = sum(1 for p in plans if p.arrival.destination.startswith("05")) / n
    assert 0.12 <= cortes <= 0.30  # the largest department of destination


def test_family_members_share_time_point_and_key(plans):
    families: dict[str, list[Planned]] = {}
    for p in plans:
        if p.family_key:
            families.setdefault(p.family_key, []).append(p)
    assert families
    for members in families.values():
        assert len(members) >= 2
        assert len({m.arrival.arrived_at for m in members}) == 1
        assert {m.arrival.reception_point for m in members} == {"canfm-belen"}


def test_same_seed_same_data_other_seed_other_data():
    a = [(p.true_id, p.record_id, p.arrival.arrived_at) for p in Generator(size=300, seed=1, now=NOW).plans()]
    b = [(p.true_id, p.record_id, p.arrival.arrived_at) for p in Generator(size=300, seed=1, now=NOW).plans()]
    c = [(p.true_id, p.record_id, p.arrival.arrived_at) for p in Generator(size=300, seed=2, now=NOW).plans()]
    assert a == b and a != c


@pytest.mark.parametrize("fork", [True, False])
def test_in_background_gives_the_generators_plans_and_count_in_a_child_process_or_here(fork):
    expected = Generator(size=300, seed=3, now=NOW)
    want = [(p.true_id, p.record_id, p.arrival.arrived_at) for p in expected.plans()]
    background = InBackground(Generator(size=300, seed=3, now=NOW), chunk=64, fork=fork)
    got = [(p.true_id, p.record_id, p.arrival.arrived_at) for p in background]
    assert got == want
    assert background.next_true_id == expected.people.next_true_id > 1
