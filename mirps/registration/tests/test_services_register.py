from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mirps.audit.models import AuditEvent
from mirps.core.testing import arrival_input, person_input, register, screening_input
from mirps.registration.models import Arrival, Person
from mirps.registration.services import Conflict
from mirps.stats.models import ArrivalCount


def test_register_new_person_creates_person_arrival_screening_counts_and_audit(world):
    a = register(world.reg_sps, person=person_input())
    assert a.sequence == 1 and a.need_level == "none" and a.follow_up_institution is None
    assert a.person.dni == "0501199512345"
    assert a.screening.consent_registration
    assert ArrivalCount.objects.get(dimension="total").count == 1
    assert AuditEvent.objects.filter(action="create", object_type="arrival", object_id=str(a.pk)).exists()
    assert AuditEvent.objects.filter(action="create", object_type="person", object_id=str(a.person_id)).exists()


def test_second_arrival_attached_to_same_person_gets_sequence_two(world):
    first = register(world.reg_sps, person=person_input())
    second = register(world.reg_omoa, person_id=first.person_id, arrival=arrival_input(reception_point="camr-omoa", modality="land", country_from="MX"))
    assert second.sequence == 2 and Person.objects.count() == 1
    assert ArrivalCount.objects.get(dimension="sequence", key="2").count == 1


def test_dni_of_wrong_length_is_rejected_with_message(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(dni="05011995123"))
    assert "13" in str(e.value.message_dict["dni"])
    assert Person.objects.count() == 0


def test_dni_with_unknown_municipality_is_rejected(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(dni="9901199512345"))
    assert "9901" in str(e.value.message_dict["dni"])


def test_birth_date_in_future_and_after_arrival_rejected(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(birth_date=timezone.localdate() + timedelta(days=3)))
    assert "birth_date" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        register(
            world.reg_sps,
            person=person_input(birth_date=date(2024, 5, 1)),
            arrival=arrival_input(arrived_at=timezone.make_aware(timezone.datetime(2024, 1, 1, 10))),
        )
    assert "birth_date" in e.value.message_dict


def test_arrival_in_future_rejected(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(), arrival=arrival_input(arrived_at=timezone.now() + timedelta(days=1)))
    assert "arrived_at" in e.value.message_dict


def test_unknown_municipality_and_country_rejected(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(), arrival=arrival_input(destination="9999", country_from="ZZ"))
    assert {"destination", "country_from"} <= set(e.value.message_dict)


def test_adult_marked_unaccompanied_child_rejected_and_nothing_saved(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(), arrival=arrival_input(travel_mode="unaccompanied_child"))
    assert "travel_mode" in e.value.message_dict
    assert Person.objects.count() == 0 and Arrival.objects.count() == 0 and ArrivalCount.objects.count() == 0


def test_unaccompanied_child_aged_18_rejected(world):
    day = timezone.localdate()
    eighteen = date(day.year - 18, 1, 1)
    with pytest.raises(ValidationError):
        register(world.reg_belen, person=person_input(birth_date=eighteen, document_situation="none", dni=""),
                 arrival=arrival_input(reception_point="canfm-belen", travel_mode="unaccompanied_child"))


def test_unaccompanied_child_is_urgent_and_goes_to_dinaf(world):
    child = person_input(birth_date=date(timezone.localdate().year - 15, 2, 1), document_situation="none", dni="")
    a = register(world.reg_belen, person=child, arrival=arrival_input(reception_point="canfm-belen", travel_mode="unaccompanied_child"))
    assert a.need_level == "urgent" and a.follow_up_institution.code == "dinaf"
    assert "unaccompanied_child" in a.screening.need_reasons
    assert a.family_group_id is None  # travelling alone: no one-member family group


def test_fear_with_gang_threat_is_urgent_and_goes_to_sedh(world):
    a = register(world.reg_sps, person=person_input(), screening=screening_input(
        fear_of_return=True, violence_types=["threat"], perpetrator_types=["gang"]))
    assert a.need_level == "urgent" and a.follow_up_institution.code == "sedh"
    assert a.follow_up_status == "open"


def test_registrar_cannot_register_at_another_reception_point(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(), arrival=arrival_input(reception_point="camr-omoa"))
    assert "reception_point" in e.value.message_dict


def test_protection_officer_cannot_register(world):
    with pytest.raises(ValidationError):
        register(world.po_sedh, person=person_input())


def test_resubmission_with_same_client_uuid_returns_same_arrival(world):
    import uuid

    cu = uuid.uuid4()
    p, ar, sc = person_input(), arrival_input(), screening_input()
    a1 = register(world.reg_sps, person=p, arrival=ar, screening=sc, client_uuid=cu)
    a2 = register(world.reg_sps, person=p, arrival=ar, screening=sc, client_uuid=cu)
    assert a1.pk == a2.pk and Arrival.objects.count() == 1
    assert ArrivalCount.objects.get(dimension="total").count == 1
    with pytest.raises(Conflict):
        register(world.reg_sps, person=person_input(given_names="Otro"), arrival=ar, screening=sc, client_uuid=cu)


def test_duplicate_dni_for_new_person_is_rejected_with_suggestion_message(world):
    register(world.reg_sps, person=person_input())
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(given_names="Pedro"))
    assert "dni" in e.value.message_dict
    assert Arrival.objects.count() == 1


def test_html_and_formulas_in_names_rejected_or_kept_as_text(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(given_names="<script>alert(1)</script>"))
    assert "given_names" in e.value.message_dict
    with pytest.raises(ValidationError):
        register(world.reg_sps, person=person_input(surname1="=HYPERLINK(\"http://x\")"))


def test_oversized_name_rejected(world):
    with pytest.raises(ValidationError) as e:
        register(world.reg_sps, person=person_input(given_names="a" * 500))
    assert "given_names" in e.value.message_dict


def test_estimated_age_sets_estimated_birth_date(world):
    a = register(world.reg_sps, person=person_input(birth_date=None, age_estimate=30, document_situation="lost", dni=""))
    assert a.person.birth_date_estimated and a.age_years in (29, 30)
