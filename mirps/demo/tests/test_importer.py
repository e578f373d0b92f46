"""`arrivals_import_bulk` writes what `arrival_register` writes, keeps the counts exact, checks the same."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mirps.core.access import Actor
from mirps.core.testing import World, arrival_input, person_input, screening_input
from mirps.demo.generator import Generator, Planned
from mirps.demo.importer import ImportRow, arrivals_import_bulk
from mirps.registration.models import Arrival, FamilyGroup, IdentityDocument, Person
from mirps.registration.services import arrival_register
from mirps.stats.models import ArrivalCount
from mirps.stats.services import stats_rebuild

SITES = {"camr-sps": "reg_sps", "camr-omoa": "reg_omoa", "canfm-belen": "reg_belen"}


def _plans(size: int = 250, seed: int = 11) -> list[Planned]:
    return list(Generator(size=size, seed=seed, now=timezone.now()).plans())


def _actor(world: World, rp: str) -> Actor:
    return Actor.of(getattr(world, SITES[rp]))


def _via_service(world: World, plans: list[Planned]) -> None:
    ids: dict = {}
    groups: dict = {}
    for p in plans:
        a, _ = arrival_register(
            actor=_actor(world, p.arrival.reception_point), arrival=p.arrival, screening=p.screening,
            person=p.new_person, person_id=None if p.new_person else ids[p.record_id],
            family_group_id=groups.get(p.family_key), client_uuid=p.client_uuid,
        )
        ids.setdefault(p.record_id, a.person_id)
        if p.family_key:
            groups.setdefault(p.family_key, a.family_group_id)


def _via_import(world: World, plans: list[Planned], batch: int = 80) -> None:
    # Small batches on purpose: rows refer to persons made in earlier batches and in the same one.
    by_rp: dict[str, list[Planned]] = {}
    pending: set = set()

    def flush() -> None:
        for rp, ps in by_rp.items():
            arrivals_import_bulk(actor=_actor(world, rp), rows=[
                ImportRow(arrival=p.arrival, screening=p.screening, person=p.new_person,
                          new_person_id=p.record_id if p.new_person else None,
                          person_id=None if p.new_person else p.record_id,
                          family_key=p.family_key, client_uuid=p.client_uuid)
                for p in ps
            ])
        by_rp.clear()
        pending.clear()

    for p in plans:
        if p.record_id in pending and p.record_id not in {q.record_id for q in by_rp.get(p.arrival.reception_point, [])}:
            flush()
        by_rp.setdefault(p.arrival.reception_point, []).append(p)
        pending.add(p.record_id)
        if sum(len(v) for v in by_rp.values()) >= batch:
            flush()
    flush()


def _snapshot() -> dict[str, Any]:
    """Everything registration wrote, keyed by client UUID, without ids and timestamps."""
    skip = {"id", "created_at", "updated_at", "screened_at", "payload_hash", "arrival", "person", "family_group"}
    out = {}
    groups: dict = {}
    for a in Arrival.objects.select_related("person", "screening").prefetch_related(
        "reasons", "immediate_needs", "screening__violence_types", "screening__perpetrator_types",
        "screening__specific_needs", "person__documents",
    ):
        groups.setdefault(a.family_group_id, set()).add(a.client_uuid)
        out[a.client_uuid] = {
            "arrival": {f.attname: getattr(a, f.attname) for f in Arrival._meta.concrete_fields if f.name not in skip and f.attname not in ("person_id", "family_group_id")},
            "person": {f.attname: getattr(a.person, f.attname) for f in Person._meta.concrete_fields if f.name not in skip},
            "screening": {f.attname: getattr(a.screening, f.attname) for f in a.screening._meta.concrete_fields if f.name not in skip and f.attname != "arrival_id"},
            "reasons": sorted(t.code for t in a.reasons.all()),
            "needs": sorted(t.code for t in a.immediate_needs.all()),
            "violence": sorted(t.code for t in a.screening.violence_types.all()),
            "perpetrators": sorted(t.code for t in a.screening.perpetrator_types.all()),
            "specific": sorted(t.code for t in a.screening.specific_needs.all()),
            "documents": sorted((d.kind, d.number, d.status) for d in a.person.documents.all()),
            "person_arrivals": sorted(x.client_uuid for x in a.person.arrivals.all()),
            "group": a.family_group_id,
        }
    for row in out.values():
        row["group"] = sorted(groups[row["group"]]) if row["group"] else None
    return out


def _counts() -> set[tuple]:
    return set(ArrivalCount.objects.filter(count__gt=0).values_list("month", "reception_point_id", "dimension", "key", "count"))


def _wipe() -> None:
    from mirps.registration.models import Screening

    ArrivalCount.objects.all().delete()
    Screening.objects.all().delete()
    Arrival.objects.all().delete()
    FamilyGroup.objects.all().delete()
    IdentityDocument.objects.all().delete()
    Person.objects.all().delete()


def test_import_writes_exactly_what_the_registration_service_writes(world):
    plans = _plans()
    # The sample holds what matters: earlier records, families, documents, follow-ups.
    assert any(p.new_person is None for p in plans) and any(p.family_key for p in plans)
    assert any(p.new_person and p.new_person.documents for p in plans)
    _via_service(world, plans)
    assert Arrival.objects.exclude(need_level="none").exists() and Arrival.objects.filter(sequence=2).exists()
    expected, expected_counts = _snapshot(), _counts()
    _wipe()
    _via_import(world, plans)
    got = _snapshot()
    assert set(got) == set(expected)
    for key, row in expected.items():
        assert got[key] == row, key
    assert _counts() == expected_counts


def test_counts_after_a_bulk_import_equal_a_rebuild_and_constraints_hold(world):
    plans = _plans(size=400, seed=5)
    _via_import(world, plans, batch=150)
    live = _counts()
    assert Arrival.objects.count() == 400
    stats_rebuild()
    assert _counts() == live
    connection.check_constraints()  # foreign keys (deferred on SQLite) and checks
    assert not Arrival.objects.filter(travel_mode="unaccompanied_child", age_years__gte=18).exists()


def test_invalid_rows_reject_the_whole_batch_with_row_numbered_errors(world):
    rows = [
        ImportRow(arrival=arrival_input(), screening=screening_input(), person=person_input(dni="0501199500001")),
        ImportRow(arrival=arrival_input(destination="9999"), screening=screening_input(), person=person_input(dni="05011995123")),
        ImportRow(arrival=arrival_input(arrived_at=timezone.now() + timedelta(days=2)), screening=screening_input(consent_registration=False),
                  person=person_input(dni="0501199500002")),
        ImportRow(arrival=arrival_input(travel_mode="unaccompanied_child"), screening=screening_input(), person=person_input(dni="0501199500003")),
    ]
    with pytest.raises(ValidationError) as e:
        arrivals_import_bulk(actor=Actor.of(world.reg_sps), rows=rows)
    errors = e.value.message_dict
    assert {"rows.1.destination", "rows.1.dni", "rows.2.arrived_at", "rows.2.consent_registration", "rows.3.travel_mode"} <= set(errors)
    assert not any(k.startswith("rows.0.") for k in errors)
    assert Arrival.objects.count() == 0 and Person.objects.count() == 0


def test_same_messages_as_the_service_for_the_same_mistake(world):
    bad = {"person": person_input(dni="9901199512345"), "arrival": arrival_input(country_from="HN"), "screening": screening_input()}
    with pytest.raises(ValidationError) as service:
        arrival_register(actor=Actor.of(world.reg_sps), **bad)
    with pytest.raises(ValidationError) as bulk:
        arrivals_import_bulk(actor=Actor.of(world.reg_sps), rows=[ImportRow(**bad)])
    for field, messages in service.value.message_dict.items():
        assert bulk.value.message_dict[f"rows.0.{field}"] == messages


def test_existing_dni_other_point_and_other_role_are_refused(world):
    arrival_register(actor=Actor.of(world.reg_sps), person=person_input(), arrival=arrival_input(), screening=screening_input())
    with pytest.raises(ValidationError) as e:
        arrivals_import_bulk(actor=Actor.of(world.reg_sps), rows=[ImportRow(arrival=arrival_input(), screening=screening_input(), person=person_input())])
    assert "rows.0.dni" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        arrivals_import_bulk(actor=Actor.of(world.reg_omoa), rows=[ImportRow(arrival=arrival_input(), screening=screening_input(), person=person_input(dni="0501199500009"))])
    assert "rows.0.reception_point" in e.value.message_dict
    with pytest.raises(ValidationError):
        arrivals_import_bulk(actor=Actor.of(world.po_sedh), rows=[ImportRow(arrival=arrival_input(), screening=screening_input(), person=person_input(dni="0501199500010"))])


def test_import_writes_one_audit_event_per_batch(world):
    from mirps.audit.models import AuditEvent

    rows = [ImportRow(arrival=arrival_input(), screening=screening_input(), person=person_input(dni=f"05011995{i:05d}")) for i in range(1, 6)]
    arrivals_import_bulk(actor=Actor.of(world.reg_sps), rows=rows)
    events = AuditEvent.objects.filter(object_type="import_batch")
    assert events.count() == 1
    assert events.get().detail == {"rows": 5, "persons": 5, "reception_points": ["camr-sps"]}
