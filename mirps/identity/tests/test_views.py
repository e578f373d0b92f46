"""Identity review pages: scope (a stranger gets 404 everywhere), compare, decide, split, undo, runs.

Pairs come from real registrations: a near-duplicate of an earlier person becomes a review item.
The reviewer works for SRECI (CAMR San Pedro Sula and Omoa); reviewer_dinaf for DINAF (CANFM Belén).
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from mirps.audit.models import AuditEvent
from mirps.core.testing import arrival_input, person_input, register
from mirps.identity import batch
from mirps.identity.models import Change, Decision, ModelVersion, Record, ReviewItem, Run
from mirps.identity.reasons import LABELS
from mirps.registration.models import Arrival


def _pair(world, *, surname: str, dni: str, first: str, second: str, year: int = 1995) -> ReviewItem:
    """Two registrations of what may be one person: the second is a near-duplicate (no DNI, given
    name shortened, birth month off, other destination), which the engine sends to review."""
    a = register(
        getattr(world, first),
        person=person_input(surname1=surname, dni=dni, birth_date=date(year, 3, 14)),
        arrival=arrival_input(reception_point=_SITE[first]),
    )
    b = register(
        getattr(world, second),
        person=person_input(surname1=surname, given_names="José", birth_date=date(year, 4, 14),
                            dni=None, document_situation="none"),
        arrival=arrival_input(reception_point=_SITE[second], destination="0801"),
    )
    ids = sorted([a.person_id, b.person_id], key=lambda u: u.int)
    return ReviewItem.objects.get(record_a_id=ids[0], record_b_id=ids[1])


_SITE = {"reg_sps": "camr-sps", "reg_omoa": "camr-omoa", "reg_belen": "canfm-belen"}


@pytest.fixture
def item(world) -> ReviewItem:
    """A pair inside SRECI's scope (San Pedro Sula and Omoa)."""
    return _pair(world, surname="Hernández", dni="0501199512345", first="reg_sps", second="reg_omoa")


@pytest.fixture
def item_across(world) -> ReviewItem:
    """A pair across institutions (San Pedro Sula and Belén): no reviewer may see both."""
    return _pair(world, surname="Zelaya", dni="0801198800011", first="reg_sps", second="reg_belen", year=1988)


@pytest.fixture
def item_dinaf(world) -> ReviewItem:
    return _pair(world, surname="Mejía", dni="0301197900022", first="reg_belen", second="reg_belen", year=1979)


def _same_person(item: ReviewItem) -> bool:
    a, b = Record.objects.get(pk=item.record_a_id), Record.objects.get(pk=item.record_b_id)
    return a.cluster == b.cluster


def test_queue_lists_only_pairs_inside_the_reviewers_scope(client, world, item, item_across, item_dinaf):
    client.force_login(world.reviewer)
    r = client.get(reverse("identity:queue"))
    assert r.status_code == 200
    page = r.content.decode()
    assert reverse("identity:compare", args=[item.pk]) in page
    assert reverse("identity:compare", args=[item_across.pk]) not in page
    assert reverse("identity:compare", args=[item_dinaf.pk]) not in page
    assert "Zelaya" not in page and "Mejía" not in page

    client.force_login(world.reviewer_dinaf)
    page = client.get(reverse("identity:queue")).content.decode()
    assert reverse("identity:compare", args=[item_dinaf.pk]) in page
    assert reverse("identity:compare", args=[item.pk]) not in page
    assert reverse("identity:compare", args=[item_across.pk]) not in page


def test_a_pair_across_institutions_is_counted_for_both_reviewers_and_flagged_for_the_administrator(
    client, world, item, item_across
):
    from mirps.accounts.models import Institution, Membership, Role

    for reviewer in (world.reviewer, world.reviewer_dinaf):
        client.force_login(reviewer)
        page = client.get(reverse("identity:queue")).content.decode()
        assert 'id="review-elsewhere"' in page and "1 par más" in page
        assert "Zelaya" not in page
    client.force_login(world.admin)
    page = client.get(reverse("identity:runs")).content.decode()
    assert "2 pares esperan una decisión" in page and "1 de ellos une" in page
    assert 'id="review-unreachable"' in page

    # A reviewer of both institutions can decide it: nothing is flagged, and it is in their queue.
    Membership.objects.create(user=world.reviewer, institution=Institution.objects.get(code="dinaf"),
                              role=Role.IDENTITY_REVIEWER)
    assert 'id="review-unreachable"' not in client.get(reverse("identity:runs")).content.decode()
    client.force_login(world.reviewer)
    page = client.get(reverse("identity:queue")).content.decode()
    assert reverse("identity:compare", args=[item_across.pk]) in page and 'id="review-elsewhere"' not in page


def test_queue_filters_by_status(client, world, item):
    client.force_login(world.reviewer)
    link = reverse("identity:compare", args=[item.pk])
    assert link not in client.get(reverse("identity:queue"), {"status": "same"}).content.decode()
    assert link in client.get(reverse("identity:queue"), {"status": "all"}).content.decode()
    assert client.get(reverse("identity:queue"), {"status": "nonsense", "page": "x"}).status_code == 200


def _urls(item: ReviewItem, change: Change, run: Run) -> list[tuple[str, str, set[str]]]:
    """(method, url, users for whom the page exists) of every identity URL. The pair and the
    change are SRECI's; a POST by an allowed user acts, so those are tested on their own below."""
    reviewer, admin = {"reviewer"}, {"admin"}
    return [
        ("get", reverse("identity:queue"), {"reviewer", "reviewer_dinaf"}),
        ("get", reverse("identity:compare", args=[item.pk]), reviewer),
        ("post", reverse("identity:decide", args=[item.pk]), reviewer),
        ("get", reverse("identity:cluster", args=[item.record_a_id]), reviewer),
        ("post", reverse("identity:split", args=[item.record_a_id]), reviewer),
        ("post", reverse("identity:undo", args=[change.pk]), reviewer),
        ("get", reverse("identity:runs"), admin),
        ("get", reverse("identity:run_progress", args=[run.pk]), admin),
        ("post", reverse("identity:run_start"), admin),
        ("post", reverse("identity:thresholds"), admin),
        ("post", reverse("identity:train_from_decisions"), admin),
    ]


def test_every_identity_url_is_404_for_everyone_else(client, world, item):
    """The access matrix of identity: every user of the world × every URL (core's matrix leaves
    identity to this test)."""
    change = Change.objects.create(kind=Change.Kind.MERGE, moves=[[str(item.record_b_id), str(item.record_b_id), str(item.record_a_id)]])
    run = Run.objects.create(started_by=world.admin)

    def state() -> tuple:
        return (
            list(ReviewItem.objects.values_list("status", flat=True)), Change.objects.count(), Run.objects.count(),
            ModelVersion.objects.count(), sorted(map(str, Record.objects.values_list("cluster", flat=True))),
        )

    before = state()
    data = {"same": "1", "train": "on", "auto_threshold": "0.9", "review_threshold": "0.5"}
    for name, user in world.all_users().items():
        client.force_login(user)
        for method, url, allowed in _urls(item, change, run):
            if method == "post":
                if name not in allowed:
                    assert client.post(url, data).status_code == 404, (name, url)
                continue
            expected = 200 if name in allowed else 404
            r = client.get(url)
            assert r.status_code == expected, (name, url)
            if name == "reviewer_dinaf" and expected == 200:
                assert str(item.pk) not in r.content.decode()  # the queue exists, without this pair
    assert state() == before

    client.logout()
    for method, url, _allowed in _urls(item, change, run):
        r = getattr(client, method)(url, data if method == "post" else {})
        assert r.status_code == 302 and reverse("accounts:login") in r["Location"], url
    assert state() == before


def test_nav_shows_identity_links_per_capability(client, world):
    client.force_login(world.reviewer)
    page = client.get(reverse("identity:queue")).content.decode()
    assert f'href="{reverse("identity:queue")}"' in page and f'href="{reverse("identity:runs")}"' not in page
    client.force_login(world.admin)
    page = client.get(reverse("identity:runs")).content.decode()
    assert f'href="{reverse("identity:runs")}"' in page and f'href="{reverse("identity:queue")}"' not in page
    client.force_login(world.reg_sps)
    page = client.get(reverse("registration:arrival_list")).content.decode()
    assert "/identity/" not in page


def test_compare_shows_both_sides_the_reasons_and_the_differences(client, world, item):
    client.force_login(world.reviewer)
    r = client.get(reverse("identity:compare", args=[item.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    a, b = item.record_a.person, item.record_b.person
    assert a.given_names in page and b.given_names in page
    full = a if a.dni else b
    assert f"{full.dni[:4]}-{full.dni[4:8]}-{full.dni[8:]}" in page  # the DNI in full, for the reviewer
    with translation.override("es"):
        labels = [str(LABELS[code]) for code in ("same_surnames", "birth_one_part_off")]
    for label in labels:
        assert label in page
    assert 'class="reason-for"' in page and 'class="differs"' in page
    assert reverse("identity:cluster", args=[a.pk]) in page and reverse("identity:cluster", args=[b.pk]) in page
    assert reverse("identity:decide", args=[item.pk]) in page
    assert AuditEvent.objects.filter(actor=world.reviewer, action="view", object_id=str(a.pk)).exists()


def test_decide_same_merges_the_two_records(client, world, item):
    client.force_login(world.reviewer)
    r = client.post(reverse("identity:decide", args=[item.pk]), {"same": "1"})
    assert r.status_code == 302 and r["Location"] == reverse("identity:compare", args=[item.pk])
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.SAME and item.decided_by == world.reviewer
    assert _same_person(item)
    assert AuditEvent.objects.filter(actor=world.reviewer, detail__op="identity_merge").exists()
    page = client.get(r["Location"]).content.decode()
    assert 'id="decide"' not in page  # decided: no buttons any more

    # Deciding again is refused with a message, not an error page.
    r = client.post(reverse("identity:decide", args=[item.pk]), {"same": "0"}, follow=True)
    assert r.status_code == 200 and b"msg-error" in r.content
    assert not Decision.objects.filter(kind=Decision.Kind.DIFFERENT).exists()


def test_decide_different_records_a_decision(client, world, item):
    client.force_login(world.reviewer)
    r = client.post(reverse("identity:decide", args=[item.pk]), {"same": "0"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DIFFERENT
    assert not _same_person(item)
    d = Decision.objects.get(record_a_id=item.record_a_id, record_b_id=item.record_b_id, active=True)
    assert d.kind == Decision.Kind.DIFFERENT and d.decided_by == world.reviewer


def test_decide_without_a_choice_changes_nothing(client, world, item):
    client.force_login(world.reviewer)
    r = client.post(reverse("identity:decide", args=[item.pk]), {"same": "maybe"}, follow=True)
    assert r.status_code == 200 and b"msg-error" in r.content
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN and not Decision.objects.exists()


def test_split_and_undo_round_trip(client, world, item):
    arrivals = dict(Arrival.objects.values_list("pk", "person_id"))
    client.force_login(world.reviewer)
    client.post(reverse("identity:decide", args=[item.pk]), {"same": "1"})
    assert _same_person(item)

    page = client.get(reverse("identity:cluster", args=[item.record_a_id])).content.decode()
    assert page.count('class="split"') == 2 and item.record_b.person.given_names in page

    r = client.post(reverse("identity:split", args=[item.record_b_id]))
    assert r.status_code == 302 and r["Location"] == reverse("identity:cluster", args=[item.record_b_id])
    assert not _same_person(item)
    split = Change.objects.get(kind=Change.Kind.SPLIT)

    page = client.get(r["Location"]).content.decode()
    undo_url = reverse("identity:undo", args=[split.pk])
    assert undo_url in page
    r = client.post(undo_url, {"next": r["Location"]})
    assert r.status_code == 302 and r["Location"] == reverse("identity:cluster", args=[item.record_b_id])
    assert _same_person(item)
    split.refresh_from_db()
    assert split.undone_by is not None

    # Undoing twice is refused with a message; an unsafe `next` is ignored.
    r = client.post(undo_url, {"next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == reverse("identity:queue")
    assert b"msg-error" in client.get(r["Location"]).content

    # Then undo the merge itself: back to two people.
    merge = Change.objects.get(kind=Change.Kind.MERGE)
    r = client.post(reverse("identity:undo", args=[merge.pk]))
    assert r.status_code == 302
    assert not _same_person(item)
    # Arrivals never moved: each still belongs to the Person it was registered for.
    assert dict(Arrival.objects.values_list("pk", "person_id")) == arrivals


def test_undo_merge_reopens_the_pair(client, world, item):
    client.force_login(world.reviewer)
    client.post(reverse("identity:decide", args=[item.pk]), {"same": "1"})
    merge = Change.objects.get(kind=Change.Kind.MERGE)
    client.post(reverse("identity:undo", args=[merge.pk]))
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN and not _same_person(item)
    assert reverse("identity:compare", args=[item.pk]) in client.get(reverse("identity:queue")).content.decode()


def test_undo_split_then_undo_merge_reopens_the_pair(client, world, item):
    """Undoing the split brings back the merge's decision, so undoing the merge reopens the pair."""
    client.force_login(world.reviewer)
    client.post(reverse("identity:decide", args=[item.pk]), {"same": "1"})
    client.post(reverse("identity:split", args=[item.record_b_id]))
    client.post(reverse("identity:undo", args=[Change.objects.get(kind=Change.Kind.SPLIT).pk]))
    assert Decision.objects.filter(kind=Decision.Kind.SAME, active=True).exists()
    client.post(reverse("identity:undo", args=[Change.objects.get(kind=Change.Kind.MERGE).pk]))
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN


def test_cluster_page_lists_a_merge_however_many_changes_came_after(client, world, item):
    """The page once scanned only the latest 500 changes: an automatic link or a merge of last
    year dropped out of it, and with it the button to undo it."""
    client.force_login(world.reviewer)
    client.post(reverse("identity:decide", args=[item.pk]), {"same": "1"})
    merge = Change.objects.get(kind=Change.Kind.MERGE)
    other = register(world.reg_sps, person=person_input(surname1="Ordóñez", dni="0501197700777"))
    for _ in range(600):  # later reviewers' changes to someone else
        Change.objects.create(kind=Change.Kind.SPLIT, moves=[[str(other.person_id), str(uuid.uuid4()), str(uuid.uuid4())]])
    page = client.get(reverse("identity:cluster", args=[item.record_a_id])).content.decode()
    assert reverse("identity:undo", args=[merge.pk]) in page
    assert '<td class="num">1</td>' in page  # the records it moved, counted without loading them


def test_split_of_a_person_of_its_own_is_a_message(client, world, item):
    client.force_login(world.reviewer)
    r = client.post(reverse("identity:split", args=[item.record_a_id]), follow=True)
    assert r.status_code == 200 and b"msg-error" in r.content
    assert not Change.objects.filter(kind=Change.Kind.SPLIT).exists()


def test_cluster_counts_records_outside_scope(client, world, item_across):
    """A reviewer of DINAF may not merge across institutions, but sees that more records exist."""
    a, b = item_across.record_a_id, item_across.record_b_id
    Record.objects.filter(pk=b).update(cluster=Record.objects.get(pk=a).cluster)
    client.force_login(world.reviewer)
    in_sreci = a if Arrival.objects.filter(person_id=a, reception_point__code="camr-sps").exists() else b
    page = client.get(reverse("identity:cluster", args=[in_sreci])).content.decode()
    assert 'id="hidden-records"' in page
    assert "Belén" not in page and "canfm" not in page


@pytest.mark.parametrize(
    "auto, review",
    [("0.3", "0.5"), ("abc", "0.5"), ("1.5", "0.5"), ("0.9", "0"), ("", ""), ("nan", "0.4")],
)
def test_bad_thresholds_show_an_error_and_save_nothing(client, world, auto, review):
    client.force_login(world.admin)
    before = ModelVersion.objects.count()
    r = client.post(reverse("identity:thresholds"), {"auto_threshold": auto, "review_threshold": review})
    assert r.status_code == 200
    assert b"errorlist" in r.content
    assert ModelVersion.objects.count() == before


def test_thresholds_are_saved(client, world):
    client.force_login(world.admin)
    r = client.post(reverse("identity:thresholds"), {"auto_threshold": "0.97", "review_threshold": "0.5"})
    assert r.status_code == 302
    mv = ModelVersion.objects.get(active=True)
    assert (mv.auto_threshold, mv.review_threshold) == (0.97, 0.5)
    page = client.get(reverse("identity:runs")).content.decode()
    assert 'value="0.97"' in page


def test_runs_page_starts_a_run_and_polls_its_progress(client, world, monkeypatch):
    spawned: list[int] = []
    monkeypatch.setattr(batch, "_spawn", spawned.append)
    client.force_login(world.admin)
    r = client.post(reverse("identity:run_start"), {"train": "on"})
    assert r.status_code == 302 and r["Location"] == reverse("identity:runs")
    run = Run.objects.get()
    assert run.train and run.status == Run.Status.QUEUED and run.started_by == world.admin

    page = client.get(reverse("identity:runs")).content.decode()
    progress = reverse("identity:run_progress", args=[run.pk])
    assert f'hx-get="{progress}"' in page and 'hx-trigger="every 2s"' in page

    # A second run while one is queued is refused with a message.
    r = client.post(reverse("identity:run_start"), {}, follow=True)
    assert b"msg-error" in r.content and Run.objects.count() == 1

    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING, stage="scoring", progress=0.5)
    r = client.get(progress)
    assert r.status_code == 200 and b'value="0.5"' in r.content and b"every 2s" in r.content

    Run.objects.filter(pk=run.pk).update(status=Run.Status.DONE, progress=1.0, records=3, timings={"score": 0.25})
    change = Change.objects.create(kind=Change.Kind.BATCH, moves=[], run=run)
    r = client.get(progress)
    assert b"every 2s" not in r.content
    assert reverse("identity:undo", args=[change.pk]).encode() in r.content


def test_administrator_undoes_a_run(client, world, item):
    run = Run.objects.create(started_by=world.admin, status=Run.Status.DONE, progress=1.0)
    a, b = item.record_a_id, item.record_b_id
    target = Record.objects.get(pk=a).cluster
    change = Change.objects.create(kind=Change.Kind.BATCH, run=run, moves=[[str(b), str(Record.objects.get(pk=b).cluster), str(target)]])
    Record.objects.filter(pk=b).update(cluster=target)
    client.force_login(world.admin)
    r = client.post(reverse("identity:undo", args=[change.pk]), {"next": reverse("identity:runs")})
    assert r.status_code == 302 and r["Location"] == reverse("identity:runs")
    assert not _same_person(item)
    page = client.get(reverse("identity:runs")).content.decode()
    assert f'id="run-{run.pk}"' in page and reverse("identity:undo", args=[change.pk]) not in page


def test_unknown_ids_are_404(client, world):
    client.force_login(world.reviewer)
    assert client.get(reverse("identity:compare", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("identity:cluster", args=[uuid.uuid4()])).status_code == 404
    assert client.post(reverse("identity:undo", args=[uuid.uuid4()])).status_code == 404


def test_reviewer_cannot_decide_a_pair_reaching_outside_their_scope(client, world, item_across):
    for user in (world.reviewer, world.reviewer_dinaf):
        client.force_login(user)
        assert client.get(reverse("identity:compare", args=[item_across.pk])).status_code == 404
        assert client.post(reverse("identity:decide", args=[item_across.pk]), {"same": "1"}).status_code == 404
    item_across.refresh_from_db()
    assert item_across.status == ReviewItem.Status.OPEN and not _same_person(item_across)


def test_undo_of_a_merge_does_not_exist_for_anyone_but_reviewers_in_scope(client, world, item):
    client.force_login(world.reviewer)
    client.post(reverse("identity:decide", args=[item.pk]), {"same": "1"})
    merge = Change.objects.get(kind=Change.Kind.MERGE)
    for user in (world.reg_sps, world.coord, world.partner, world.po_sedh, world.admin, world.reviewer_dinaf):
        client.force_login(user)
        assert client.post(reverse("identity:undo", args=[merge.pk])).status_code == 404, user.username
    merge.refresh_from_db()
    assert merge.undone_by is None
