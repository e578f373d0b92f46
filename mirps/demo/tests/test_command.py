"""`manage.py demo`: users of every role, consistent arrivals, exact counts, truth, stories."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from mirps.accounts.models import Membership, Role, User
from mirps.audit.models import AuditEvent
from mirps.demo.models import ArrivalTruth, PersonTruth
from mirps.demo.stories import RETURNING_DNI
from mirps.demo.users import DEMO_USERS, PASSWORD
from mirps.registration.models import Arrival, Person
from mirps.stats.models import ArrivalCount
from mirps.stats.services import stats_rebuild

pytestmark = pytest.mark.django_db
STORY_ARRIVALS = 6  # a returning man, a mother and two children, an urgent adult, a lone child


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo() -> str:
    return run("--if-empty", "--size", "300", "--seed", "3")


def test_demo_creates_a_user_for_every_role_and_prints_them_all(demo):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for d in DEMO_USERS:
        assert d.username in demo
        assert User.objects.get(username=d.username).check_password(PASSWORD)
    for role in Role.values:
        assert role in demo
    assert PASSWORD in demo and len(PASSWORD) >= 12
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert "DNI 0501-1990-01234" in demo


def test_demo_arrivals_are_consistent(demo):
    assert Arrival.objects.count() == 300 + STORY_ARRIVALS
    now = timezone.now()
    assert not Arrival.objects.filter(arrived_at__gt=now).exists()
    assert not Arrival.objects.filter(travel_mode="unaccompanied_child", age_years__gte=18).exists()
    assert Arrival.objects.filter(travel_mode="unaccompanied_child").exists()
    for pid in Person.objects.annotate(n=Count("arrivals")).filter(n__gt=1).values_list("pk", flat=True):
        seqs = list(Arrival.objects.filter(person_id=pid).order_by("arrived_at").values_list("sequence", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
    for a in Arrival.objects.select_related("person")[:100]:
        birth = a.person.birth_date
        day = timezone.localtime(a.arrived_at).date()
        assert a.age_years == day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    connection.check_constraints()


def test_demo_truth_covers_every_record_and_arrival_and_people_come_back(demo):
    assert set(PersonTruth.objects.values_list("person_id", flat=True)) == set(Person.objects.values_list("pk", flat=True))
    assert set(ArrivalTruth.objects.values_list("arrival_id", flat=True)) == set(Arrival.objects.values_list("pk", flat=True))
    per_person = Counter(ArrivalTruth.objects.values_list("true_id", flat=True))
    share = sum(1 for n in per_person.values() if n >= 2) / len(per_person)
    assert 0.06 <= share <= 0.26
    # Some returning people were registered again as a new record (what identity resolution fixes).
    records = Counter(PersonTruth.objects.values_list("true_id", flat=True))
    assert any(n > 1 for n in records.values())


def test_demo_counts_equal_a_rebuild(demo):
    live = set(ArrivalCount.objects.filter(count__gt=0).values_list("month", "reception_point_id", "dimension", "key", "count"))
    assert sum(c[4] for c in live if c[2] == "total") == 300 + STORY_ARRIVALS
    stats_rebuild()
    assert set(ArrivalCount.objects.filter(count__gt=0).values_list("month", "reception_point_id", "dimension", "key", "count")) == live


def test_demo_stories_are_in_place(demo):
    returning = Person.objects.get(dni=RETURNING_DNI)
    assert returning.arrivals.count() == 1
    assert Arrival.objects.filter(follow_up_institution__code="sedh", need_level="urgent", follow_up_status="open",
                                  person__surname1="Maradiaga").exists()
    assert Arrival.objects.filter(follow_up_institution__code="dinaf", travel_mode="unaccompanied_child",
                                  follow_up_status="open", person__surname1="Martínez", person__given_names="Brayan Alexis").exists()
    family = Arrival.objects.get(person__dni="0801199312077").family_group
    assert family.arrivals.count() == 3
    # Recent arrivals and the stories went through the registration service, the rest in audited batches.
    assert AuditEvent.objects.filter(object_type="arrival", action="create").count() >= STORY_ARRIVALS
    assert AuditEvent.objects.filter(object_type="import_batch").exists()


def test_if_empty_twice_adds_nothing_and_still_prints_the_users(demo):
    before = (Arrival.objects.count(), Person.objects.count(), User.objects.count())
    again = run("--if-empty")
    assert (Arrival.objects.count(), Person.objects.count(), User.objects.count()) == before
    assert "no data generated" in again
    for d in DEMO_USERS:
        assert d.username in again


def test_without_if_empty_a_database_with_arrivals_is_refused(demo):
    with pytest.raises(CommandError):
        run("--size", "10")
