"""Two counters register the same person at the same moment: one person or one review item."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from mirps.core.testing import arrival_input, build_world, person_input, register
from mirps.identity import services
from mirps.identity.models import Record, ReviewItem

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises write transactions (IMMEDIATE mode), so the race cannot happen there",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_registrations_of_one_person_never_make_a_silent_duplicate(monkeypatch):
    world = build_world()
    both_inserted = threading.Barrier(2, timeout=10)
    real_create = services.record_create

    def create_then_wait(**kw):
        out = real_create(**kw)
        # Both transactions now hold an uncommitted record of the same person: without the lock
        # on the blocking keys, neither would see the other.
        both_inserted.wait()
        return out

    monkeypatch.setattr(services, "record_create", create_then_wait)
    people = {}
    errors = []

    def counter(user, point):
        try:
            person = person_input(document_situation="lost", dni="")
            arrival = arrival_input(reception_point=point, arrived_at=timezone.now() - timedelta(minutes=3))
            people[point] = register(user, person=person, arrival=arrival).person_id
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=counter, args=(world.reg_sps, "camr-sps")),
               threading.Thread(target=counter, args=(world.reg_omoa, "camr-omoa"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    a, b = people["camr-sps"], people["camr-omoa"]
    assert a != b  # two Person records were typed...
    same_cluster = Record.objects.get(pk=a).cluster == Record.objects.get(pk=b).cluster
    queued = ReviewItem.objects.filter(record_a__in=[a, b], record_b__in=[a, b]).exists()
    assert same_cluster or queued  # ...and they end as one person or one review item
