"""Identity review through the API: the reviewer's queue, one pair side by side, the decision."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from mirps.audit.models import AuditEvent
from mirps.core.testing import arrival_input, person_input, register
from mirps.identity.models import Change, Record, ReviewItem


def _pair(world, *, first: str, second: str, site: str, surname: str, dni: str, year: int = 1995) -> ReviewItem:
    """A person, then the same person typed again elsewhere with slips: a pair the engine queues."""
    a = register(getattr(world, first),
                 person=person_input(surname1=surname, surname2="Paz", dni=dni, birth_date=date(year, 3, 14)))
    b = register(
        getattr(world, second),
        person=person_input(surname1=surname, surname2="Paz", given_names="José", birth_date=date(year, 4, 14),
                            dni="", document_situation="none"),
        arrival=arrival_input(reception_point=site, entry_point="" if site == "canfm-belen" else "rvm-airport",
                              destination="0801"),
    )
    ids = sorted([a.person_id, b.person_id], key=lambda u: u.int)
    return ReviewItem.objects.get(record_a_id=ids[0], record_b_id=ids[1])


@pytest.fixture
def item(world) -> ReviewItem:
    return _pair(world, first="reg_sps", second="reg_omoa", site="camr-omoa", surname="Hernández", dni="0501199512345")


@pytest.fixture
def item_across(world) -> ReviewItem:
    return _pair(world, first="reg_sps", second="reg_belen", site="canfm-belen", surname="Zelaya", dni="0801198800011", year=1988)


def test_reviewer_lists_compares_and_merges_a_pair(world, api, item):
    page = api.get(world.reviewer, "/identity/review").json()
    assert [i["id"] for i in page["items"]] == [str(item.pk)] and page["elsewhere"] == 0
    assert {page["items"][0]["record_a"]["person_id"], page["items"][0]["record_b"]["person_id"]} == {
        str(item.record_a_id), str(item.record_b_id)}

    cmp = api.get(world.reviewer, f"/identity/review/{item.pk}").json()
    assert cmp["item"]["status"] == "open" and 0 < cmp["probability"] < 1
    codes = {r["code"]: r for r in cmp["reasons"]}
    assert codes["same_surnames"]["weight"] > 0 and codes["same_surnames"]["label"] == "mismos apellidos"
    sides = {cmp["a"]["person_id"]: cmp["a"], cmp["b"]["person_id"]: cmp["b"]}
    assert {s["dni"] for s in sides.values()} == {"0501-1995-12345", None}
    assert all(len(s["arrivals"]) == 1 and s["records_in_person"] == 1 for s in sides.values())
    assert "fear_of_return" not in str(cmp) and "screening" not in str(cmp)
    viewed = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_type="person", detail__view="identity_review")
    assert {e.object_id for e in viewed} == {str(item.record_a_id), str(item.record_b_id)}

    r = api.post(world.reviewer, f"/identity/review/{item.pk}/decision", {"same": True})
    assert r.status_code == 200 and r.json()["status"] == "same"
    a, b = Record.objects.get(pk=item.record_a_id), Record.objects.get(pk=item.record_b_id)
    assert a.cluster == b.cluster and Change.objects.filter(kind=Change.Kind.MERGE).count() == 1
    again = api.post(world.reviewer, f"/identity/review/{item.pk}/decision", {"same": False})
    assert again.status_code == 422 and again.json()["detail"][0]["msg"] == "Este par ya se decidió."
    assert api.get(world.reviewer, "/identity/review").json()["items"] == []
    assert [i["id"] for i in api.get(world.reviewer, "/identity/review", status="same").json()["items"]] == [str(item.pk)]


def test_reviewer_says_different_people(world, api, item):
    r = api.post(world.reviewer, f"/identity/review/{item.pk}/decision", {"same": False})
    assert r.status_code == 200 and r.json()["status"] == "different"
    assert Record.objects.get(pk=item.record_a_id).cluster != Record.objects.get(pk=item.record_b_id).cluster


@pytest.mark.parametrize("body", [{}, {"same": "yes"}, {"same": 1}, {"same": True, "note": "x"}, None])
def test_a_decision_without_a_clear_answer_is_refused_and_changes_nothing(world, api, item, body):
    r = api.post(world.reviewer, f"/identity/review/{item.pk}/decision", body)
    assert r.status_code in (400, 422), r.content
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN and not Change.objects.exists()


def test_a_pair_outside_the_reviewers_scope_does_not_exist_and_is_only_counted(world, api, item, item_across):
    for reviewer in (world.reviewer, world.reviewer_dinaf):
        page = api.get(reviewer, "/identity/review", status="all").json()
        assert str(item_across.pk) not in [i["id"] for i in page["items"]] and page["elsewhere"] == 1
        assert api.get(reviewer, f"/identity/review/{item_across.pk}").status_code == 404
        r = api.post(reviewer, f"/identity/review/{item_across.pk}/decision", {"same": True})
        assert r.status_code == 404
    unknown = api.get(world.reviewer, f"/identity/review/{uuid.uuid4()}")
    hidden = api.get(world.reviewer, f"/identity/review/{item_across.pk}")
    assert (unknown.status_code, unknown.json()) == (hidden.status_code, hidden.json())
    assert api.get(world.reviewer_dinaf, f"/identity/review/{item.pk}").status_code == 404
    item_across.refresh_from_db()
    assert item_across.status == ReviewItem.Status.OPEN


def test_registrars_have_no_review_queue(world, api, item):
    assert api.get(world.reg_sps, "/identity/review").status_code == 404
    assert api.get(world.reg_sps, f"/identity/review/{item.pk}").status_code == 404
