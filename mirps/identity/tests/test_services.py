"""Identity resolution at registration, in review and in batch: links, safety rules, reversibility."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation

from mirps.audit.models import AuditEvent
from mirps.core.access import Actor
from mirps.core.testing import arrival_input, person_input, register
from mirps.identity import services
from mirps.identity.batch import run_execute
from mirps.identity.models import Change, Decision, Key, Record, ReviewItem, Run
from mirps.registration.models import Arrival
from mirps.registration.selectors import person_candidates

NO_DNI = {"document_situation": "lost", "dni": ""}


POINT = {"reg_sps": "camr-sps", "reg_omoa": "camr-omoa", "reg_belen": "canfm-belen"}


def at(user, **kw):
    return arrival_input(reception_point=POINT[user.username], entry_point="" if user.username == "reg_belen" else "rvm-airport",
                         arrived_at=timezone.now() - timedelta(minutes=5), **kw)


def again(user, **person):
    """The same person typed again at a counter, as a new person (the registrar did not pick them)."""
    return register(user, person=person_input(**{**NO_DNI, **person}), arrival=at(user))


def cluster(arrival: Arrival) -> uuid.UUID:
    return Record.objects.get(pk=arrival.person_id).cluster


@pytest.fixture
def first(world):
    return register(world.reg_sps, person=person_input())


def test_a_new_person_gets_a_record_and_its_keys_in_the_registration_transaction(world, first):
    record = Record.objects.get(pk=first.person_id)
    assert record.cluster == first.person_id
    assert Key.objects.filter(record=record).count() >= 8
    again_same_person = register(world.reg_sps, person_id=first.person_id, arrival=arrival_input())
    assert Record.objects.count() == 1 and again_same_person.person_id == first.person_id


def test_a_sure_match_typed_again_is_linked_to_the_earlier_person(world, first):
    second = again(world.reg_omoa, surname1="Hernandez", surname2="Lopez")  # accents lost, no DNI
    assert second.person_id != first.person_id
    assert cluster(second) == cluster(first)
    change = Change.objects.get(kind=Change.Kind.AUTO)
    assert change.moves == [[str(second.person_id), str(second.person_id), str(first.person_id)]]
    assert AuditEvent.objects.filter(object_id=str(second.person_id), detail__op="identity_auto_link").exists()


def test_a_record_with_almost_nothing_goes_to_review_not_into_the_person(world, first):
    thin = again(world.reg_sps, surname1="Hernándes", birth_date=date(1995, 10, 30))
    assert cluster(thin) != cluster(first)
    item = ReviewItem.objects.get()
    assert {item.record_a_id, item.record_b_id} == {first.person_id, thin.person_id}
    assert item.source == ReviewItem.Source.REGISTRATION and item.status == ReviewItem.Status.OPEN


def test_same_name_and_birth_date_with_another_valid_dni_is_another_person(world, first):
    other = register(world.reg_sps, person=person_input(dni="0501199599999"))
    assert cluster(other) != cluster(first)
    assert not ReviewItem.objects.exists()


def test_a_child_is_not_linked_to_an_adult_on_a_guessed_birth_date(world):
    child = register(world.reg_sps, person=person_input(birth_date=date(2010, 6, 1), **NO_DNI), arrival=at(world.reg_sps))
    adult = again(world.reg_sps, birth_date=date(2006, 6, 1), surname2="")
    assert cluster(adult) != cluster(child)


def test_candidates_are_scored_with_reasons_and_limited_to_the_institution(world, first):
    found = person_candidates(actor=Actor.of(world.reg_omoa), given_names="Jose Luis", surname1="Lopez",
                              surname2="Hernandez", birth_date=date(1995, 3, 14))
    [card] = found.items
    assert card.person_id == first.person_id and card.probability > 0.9
    assert "surnames_swapped" in card.reasons and "same_birth_date" in card.reasons
    assert found.elsewhere == 0
    other = person_candidates(actor=Actor.of(world.reg_belen), given_names="Jose Luis", surname1="Lopez",
                              surname2="Hernandez", birth_date=date(1995, 3, 14))
    assert other.items == [] and other.elsewhere == 1


def test_day_and_month_swapped_are_recognised(world, first):
    found = person_candidates(actor=Actor.of(world.reg_sps), given_names="José Luis", surname1="Hernández",
                              surname2="López", birth_date=date(1995, 3, 14).replace(month=3, day=14))
    assert found.items[0].person_id == first.person_id
    swapped = person_candidates(actor=Actor.of(world.reg_sps), dni="", given_names="José Luis",
                                surname1="Hernández", surname2="", birth_date=date(1995, 12, 3))
    assert swapped.items == [] or swapped.items[0].probability < found.items[0].probability


def two_records(world):
    a = register(world.reg_sps, person=person_input(given_names="Ana", surname1="Paz", surname2="Mejía",
                                                    sex="F", birth_date=date(1990, 1, 2), **NO_DNI))
    b = register(world.reg_omoa, person=person_input(given_names="Ana María", surname1="Pas", surname2="",
                                                     sex="F", birth_date=date(1991, 7, 1), birth_date_estimated=True,
                                                     **NO_DNI), arrival=at(world.reg_omoa))
    return a, b


def test_merge_and_undo_keep_every_arrival_and_leave_audit_rows(world):
    a, b = two_records(world)
    arrivals = dict(Arrival.objects.values_list("pk", "person_id"))
    reviewer = Actor.of(world.reviewer)
    change = services.cluster_merge(actor=reviewer, person_a=a.person_id, person_b=b.person_id)
    assert cluster(a) == cluster(b)
    assert Decision.objects.get(active=True).kind == Decision.Kind.SAME
    assert dict(Arrival.objects.values_list("pk", "person_id")) == arrivals
    undo = services.change_undo(actor=reviewer, change_id=change.pk)
    assert cluster(a) != cluster(b) and cluster(b) == b.person_id
    assert not Decision.objects.filter(active=True).exists()
    assert undo.kind == Change.Kind.UNDO
    assert dict(Arrival.objects.values_list("pk", "person_id")) == arrivals
    ops = list(AuditEvent.objects.filter(detail__op__startswith="identity_").values_list("detail__op", flat=True))
    assert ops.count("identity_merge") == 2 and ops.count("identity_undo") == 1
    with pytest.raises(ValidationError):
        services.change_undo(actor=reviewer, change_id=change.pk)


def test_split_takes_a_record_out_and_later_batches_keep_it_apart(world):
    a, b = two_records(world)
    reviewer = Actor.of(world.reviewer)
    services.cluster_merge(actor=reviewer, person_a=a.person_id, person_b=b.person_id)
    split = services.cluster_split(actor=reviewer, person_id=b.person_id)
    assert cluster(a) != cluster(b)
    assert Decision.objects.get(active=True).kind == Decision.Kind.DIFFERENT
    run = run_execute(Run.objects.create(train=False).pk)
    assert run.status == Run.Status.DONE and cluster(a) != cluster(b)
    services.change_undo(actor=reviewer, change_id=split.pk)
    assert cluster(a) == cluster(b)
    assert Decision.objects.get(active=True).kind == Decision.Kind.SAME


def test_merge_outside_the_reviewers_scope_does_not_exist(world):
    a, _b = two_records(world)
    belen = register(world.reg_belen, person=person_input(given_names="Ana", surname1="Paz", sex="F",
                                                          birth_date=date(2012, 1, 2), **NO_DNI), arrival=at(world.reg_belen))
    with pytest.raises(Http404):
        services.cluster_merge(actor=Actor.of(world.reviewer), person_a=a.person_id, person_b=belen.person_id)
    with pytest.raises(Http404):
        services.cluster_merge(actor=Actor.of(world.reg_sps), person_a=a.person_id, person_b=belen.person_id)


def test_two_persons_with_different_valid_dnis_cannot_be_merged(world):
    a = register(world.reg_sps, person=person_input(dni="0501199511111"))
    b = register(world.reg_sps, person=person_input(dni="0801198022222", given_names="Pedro"))
    with translation.override("en"), pytest.raises(ValidationError, match="different valid DNIs"):
        services.cluster_merge(actor=Actor.of(world.reviewer), person_a=a.person_id, person_b=b.person_id)
    assert cluster(a) != cluster(b)


def test_reviewer_says_different_and_batch_never_links_them(world, first):
    thin = again(world.reg_sps, surname1="Hernándes", birth_date=date(1995, 10, 30))
    item = ReviewItem.objects.get()
    services.review_decide(actor=Actor.of(world.reviewer), item_id=item.pk, same=False)
    run_execute(Run.objects.create(train=False).pk)
    assert cluster(thin) != cluster(first)
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewItem.Status.DIFFERENT


def test_batch_links_re_registrations_and_can_be_undone(world):
    people = [("Ana", "Paz", "Mejía", date(1990, 1, 2)), ("Luis", "Cruz", "Ávila", date(1985, 5, 6)),
              ("Marta", "Reyes", "Soto", date(2000, 9, 10))]
    firsts = [register(world.reg_sps, person=person_input(given_names=g, surname1=s1, surname2=s2,
                                                           birth_date=b, sex="F", **NO_DNI)) for g, s1, s2, b in people]
    # Bulk imports skip the registration-time check: unlink the automatic links to leave it to batch.
    seconds = [again(world.reg_omoa, given_names=g, surname1=s1 + "s", surname2=s2, birth_date=b, sex="F")
               for g, s1, s2, b in people]
    for r in seconds:
        Record.objects.filter(pk=r.person_id).update(cluster=r.person_id)
    run = run_execute(Run.objects.create(train=False).pk)
    assert run.status == Run.Status.DONE and run.records == 6
    assert all(cluster(a) == cluster(b) for a, b in zip(firsts, seconds, strict=True))
    change = Change.objects.get(kind=Change.Kind.BATCH)
    with pytest.raises(Http404):
        services.change_undo(actor=Actor.of(world.reviewer), change_id=change.pk)
    undo = services.change_undo(actor=Actor.of(world.admin), change_id=change.pk)
    assert all(cluster(a) != cluster(b) for a, b in zip(firsts, seconds, strict=True))
    assert {str(r.pk): str(r.cluster) for r in Record.objects.all()} == {m[0]: m[1] for m in change.moves} | {
        str(a.person_id): str(a.person_id) for a in firsts + seconds if str(a.person_id) not in {m[0] for m in change.moves}}
    assert Run.objects.get(pk=run.pk).status == Run.Status.UNDONE
    assert len(undo.moves) == len(change.moves) >= 3


def test_the_person_page_shows_arrivals_under_linked_records_in_scope_only(world, client):
    from django.urls import reverse

    from mirps.core.testing import screening_input

    fear = screening_input(fear_of_return=True)
    first = register(world.reg_sps, person=person_input(), screening=fear)
    second = register(world.reg_omoa, person=person_input(surname1="Hernandez", surname2="Lopez", **NO_DNI),
                      arrival=at(world.reg_omoa), screening=fear)
    assert cluster(second) == cluster(first)
    # SEDH follows both arrivals up: it sees the history across both records.
    client.force_login(world.po_sedh)
    page = client.get(reverse("registration:person_detail", args=[second.person_id])).content.decode()
    assert 'id="linked-arrivals"' in page and str(first.pk) in page
    # The Omoa registrar sees only Omoa's arrival: the linked one at San Pedro Sula stays hidden.
    client.force_login(world.reg_omoa)
    page = client.get(reverse("registration:person_detail", args=[second.person_id])).content.decode()
    assert 'id="linked-arrivals"' not in page and str(first.pk) not in page


def test_weights_from_review_decisions_need_both_kinds_then_replace_the_model(world):
    from mirps.identity.models import ModelVersion

    admin = Actor.of(world.admin)
    with pytest.raises(ValidationError):
        services.model_train_from_decisions(actor=admin)
    with pytest.raises(Http404):
        services.model_train_from_decisions(actor=Actor.of(world.reviewer))
    # Ten pairs ruled the same person (typed twice, one slip) and ten ruled different people.
    names = ["Ana", "Berta", "Carla", "Diana", "Elena", "Fanny", "Gloria", "Hilda", "Irma", "Julia"]
    for k, name in enumerate(names):
        a = register(world.reg_sps, person=person_input(given_names=name, surname1="Paz", surname2="Soto", sex="F",
                                                        birth_date=date(1980 + k, 1, 2), **NO_DNI))
        b = register(world.reg_omoa, person=person_input(given_names=name, surname1="Pas", surname2="", sex="F",
                                                         birth_date=date(1980 + k, 2, 1), **NO_DNI), arrival=at(world.reg_omoa))
        c = register(world.reg_omoa, person=person_input(given_names=name + "ly", surname1="Cruz", surname2="Soto", sex="F",
                                                         birth_date=date(1960 + k, 5, 5), **NO_DNI), arrival=at(world.reg_omoa))
        x, y = sorted([a.person_id, b.person_id], key=lambda u: u.int)
        Decision.objects.create(record_a_id=x, record_b_id=y, kind=Decision.Kind.SAME, decided_by=world.reviewer)
        x, y = sorted([a.person_id, c.person_id], key=lambda u: u.int)
        Decision.objects.create(record_a_id=x, record_b_id=y, kind=Decision.Kind.DIFFERENT, decided_by=world.reviewer)
    mv = services.model_train_from_decisions(actor=admin)
    assert mv.method == ModelVersion.Method.LABELLED and mv.active
    assert mv.params["info"] == {"same": 10, "different": 10}
    assert services.current_model().method == "labelled"


def test_a_stored_model_for_other_comparison_levels_is_not_used(world):
    from mirps.identity.model import default
    from mirps.identity.models import ModelVersion

    stale = default().to_json()
    stale["fields"] = stale["fields"][:-1]
    ModelVersion.objects.create(method="em", params=stale)
    assert services.current_model().method == "default"


def test_every_change_but_a_batch_run_indexes_the_records_it_moved(world, first):
    from mirps.identity.models import ChangedRecord

    second = again(world.reg_omoa, surname1="Hernandez", surname2="Lopez")  # linked automatically
    reviewer = Actor.of(world.reviewer)
    split = services.cluster_split(actor=reviewer, person_id=second.person_id)
    undo = services.change_undo(actor=reviewer, change_id=split.pk)
    auto = Change.objects.get(kind=Change.Kind.AUTO)
    indexed = {(c, str(r)) for c, r in ChangedRecord.objects.values_list("change_id", "record_id")}
    assert indexed == {(ch.pk, m[0]) for ch in (auto, split, undo) for m in ch.moves}
    assert {r for _c, r in indexed} == {str(second.person_id)}


def test_the_migration_indexes_the_changes_made_before_it(world, first):
    import importlib

    from django.apps import apps

    from mirps.identity.models import ChangedRecord

    migration = importlib.import_module("mirps.identity.migrations.0003_changed_record")
    again(world.reg_omoa, surname1="Hernandez", surname2="Lopez")
    services.cluster_split(actor=Actor.of(world.reviewer), person_id=Change.objects.get().moves[0][0])
    Change.objects.create(kind=Change.Kind.BATCH, moves=[[str(first.person_id), str(uuid.uuid4()), str(first.person_id)]])
    Change.objects.create(kind=Change.Kind.MERGE, moves=[[str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())]])  # a deleted record
    written = set(ChangedRecord.objects.values_list("change_id", "record_id"))
    ChangedRecord.objects.all().delete()
    migration.index_existing_changes(apps, None)
    assert set(ChangedRecord.objects.values_list("change_id", "record_id")) == written and len(written) == 2
