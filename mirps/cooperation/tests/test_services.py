"""Cooperation services: every bad input of issue 3 gets a clear message and saves nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from mirps.audit.models import AuditEvent
from mirps.cooperation import services
from mirps.cooperation.models import Intervention, Pledge, SupportNeed
from mirps.cooperation.tests.conftest import actor, make_iv
from mirps.plan.models import Commitment

pytestmark = pytest.mark.django_db


def errors_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


def pledge_kw(plan, **kw):
    base = {
        "partner": "acnur",
        "commitment": plan.commitments.get(code="P01"),
        "amount": Decimal("1000"),
        "currency": "USD",
        "date": date(2023, 5, 1),
    }
    base.update(kw)
    return base


# --- pledges


def test_pledge_usd_equivalent_uses_latest_rate_valid_at_date(coop, plan):
    from mirps.cooperation.models import ExchangeRate

    ExchangeRate.objects.create(currency="EUR", usd_per_unit=Decimal("1.05"), valid_from=date(2023, 1, 1))
    p_old = services.pledge_create(actor=actor(coop.coord), **pledge_kw(plan, partner="ue", currency="eur", date=date(2022, 6, 1)))
    p_new = services.pledge_create(actor=actor(coop.coord), **pledge_kw(plan, partner="ue", currency="EUR", date=date(2023, 6, 1)))
    assert p_old.currency == "EUR"
    assert p_old.amount_usd == Decimal("1130.00")
    assert p_new.amount_usd == Decimal("1050.00")
    assert AuditEvent.objects.filter(object_type="pledge", action="create").count() == 2


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"amount": Decimal("-5")}, "amount", "greater than zero"),
        ({"amount": Decimal("0")}, "amount", "greater than zero"),
        ({"amount": "abc"}, "amount", "number"),
        ({"amount": Decimal("20000000000")}, "amount", "too large"),
        ({"amount": Decimal("1.001")}, "amount", "decimal"),
        ({"currency": "XYZ"}, "currency", "Unknown currency XYZ"),
        ({"currency": "dollars"}, "currency", "three-letter"),
        ({"date": date(2021, 1, 1)}, "date", "No USD exchange rate"),
        ({"date": "not a date"}, "date", "valid date"),
        ({"partner": "sedh"}, "partner", "cooperation partner"),
        ({"partner": "nope"}, "partner", "partner organisation"),
        ({"commitment": None}, "commitment", "commitment"),
        ({"note": "a\x00b"}, "note", "Control characters"),
    ],
)
def test_pledge_bad_input(coop, plan, kw, field, words):
    with pytest.raises(ValidationError) as exc:
        services.pledge_create(actor=actor(coop.coord), **pledge_kw(plan, **kw))
    assert any(words in m for m in errors_of(exc)[field]), errors_of(exc)
    assert not Pledge.objects.exists()


def test_absurd_amount_in_small_currency_is_fine_until_10bn_usd(coop, plan):
    # 100 billion JPY ≈ 870 million USD: large but plausible.
    p = services.pledge_create(actor=actor(coop.coord), **pledge_kw(plan, partner="japon", currency="JPY", amount=Decimal("100000000000")))
    assert p.amount_usd == Decimal("870000000.00")


def test_need_must_belong_to_pledge_commitment(coop, plan):
    other = plan.commitments.get(code="P02")
    need = services.need_create(actor=actor(coop.coord), commitment=other, description_es="Equipo", kind="equipment", estimated_cost_usd="500")
    with pytest.raises(ValidationError) as exc:
        services.pledge_create(actor=actor(coop.coord), **pledge_kw(plan, need=need))
    assert "another commitment" in errors_of(exc)["need"][0]


def test_partner_pledges_only_for_own_organisation(coop, plan):
    services.pledge_create(actor=actor(coop.partner), **pledge_kw(plan, partner="acnur"))
    with pytest.raises(ValidationError) as exc:
        services.pledge_create(actor=actor(coop.partner), **pledge_kw(plan, partner="oim"))
    assert "own organisation" in errors_of(exc)["partner"][0]


def test_pledge_state_moves_forward_only(coop, plan):
    p = services.pledge_create(actor=actor(coop.partner), **pledge_kw(plan))
    p = services.pledge_set_state(actor=actor(coop.partner), pledge=p, state="committed")
    p = services.pledge_set_state(actor=actor(coop.partner), pledge=p, state="disbursed")
    assert p.state == "disbursed"
    with pytest.raises(ValidationError):
        services.pledge_set_state(actor=actor(coop.partner), pledge=p, state="pledged")
    with pytest.raises(ValidationError):
        services.pledge_update(actor=actor(coop.partner), pledge=p, state="committed")


def test_stranger_partner_cannot_touch_pledge(coop, plan):
    p = services.pledge_create(actor=actor(coop.partner), **pledge_kw(plan))
    with pytest.raises(Http404):
        services.pledge_update(actor=actor(coop.extra["partner_oim"]), pledge=p, note="x")
    with pytest.raises(Http404):
        services.pledge_set_state(actor=actor(coop.extra["partner_oim"]), pledge=p, state="committed")
    with pytest.raises(Http404):
        services.pledge_create(actor=actor(coop.focal), **pledge_kw(plan))
    with pytest.raises(Http404):
        services.pledge_publish(actor=actor(coop.partner), pledge=p)
    assert services.pledge_publish(actor=actor(coop.coord), pledge=p).published


def test_pledge_update_version_conflict(coop, plan):
    p = services.pledge_create(actor=actor(coop.partner), **pledge_kw(plan))
    services.pledge_update(actor=actor(coop.partner), pledge=p, version=1, note="first")
    with pytest.raises(ValidationError) as exc:
        services.pledge_update(actor=actor(coop.partner), pledge=p, version=1, note="second")
    assert "Someone else" in errors_of(exc)["__all__"][0]


# --- needs


def test_need_create_and_bad_input(coop, plan):
    c = plan.commitments.get(code="P01")
    need = services.need_create(actor=actor(coop.coord), commitment=c, description_es="Fondos", kind="financing", estimated_cost_usd="1000.50", priority="high")
    assert need.estimated_cost_usd == Decimal("1000.50")
    with pytest.raises(ValidationError) as exc:
        services.need_create(actor=actor(coop.coord), commitment=c, description_es="", kind="money", estimated_cost_usd="-1")
    assert set(errors_of(exc)) == {"description_es", "kind", "estimated_cost_usd"}
    with pytest.raises(Http404):
        services.need_create(actor=actor(coop.partner), commitment=c, description_es="x", kind="financing", estimated_cost_usd="1")
    need = services.need_update(actor=actor(coop.coord), need=need, estimated_cost_usd="2000")
    assert need.estimated_cost_usd == Decimal("2000")
    assert SupportNeed.objects.count() == 1


# --- interventions


def test_intervention_create_with_pcodes_and_ine_codes(coop, plan):
    c = plan.commitments.get(code="P01")
    iv = make_iv(coop.partner, municipalities=["HN0501", "0801", "hn0501"], commitments=[c.pk], funders=["ue", "suecia"])
    assert sorted(m.pcode for m in iv.municipalities.all()) == ["HN0501", "HN0801"]
    assert sorted(f.code for f in iv.funders.all()) == ["suecia", "ue"]
    assert iv.code.startswith("ACNUR-2023-")
    assert not iv.published
    assert AuditEvent.objects.filter(object_type="intervention", action="create").count() == 1


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"end": date(2022, 12, 31)}, "end", "before the start"),
        ({"reached_women": 11}, "reached_note", "More people were reached"),
        ({"targeted_women": 5, "targeted_men": 5, "reached_women": 5, "reached_men": 5, "reached_girls": 1}, "reached_note", "girls"),
        ({"municipalities": ["HN9999"]}, "municipalities", "Unknown municipality P-code: HN9999"),
        ({"municipalities": []}, "municipalities", "at least one"),
        ({"municipalities": ["HN0501", "HN0801"], "department": "05"}, "municipalities", "not in the department"),
        ({"department": "99"}, "department", "Unknown department"),
        ({"budget_usd": Decimal("-1")}, "budget_usd", "negative"),
        ({"budget_usd": Decimal("99999999999")}, "budget_usd", "too large"),
        ({"populations": ["aliens"]}, "populations", "Unknown target population"),
        ({"populations": []}, "populations", "at least one"),
        ({"sector": "space"}, "sector", "sector"),
        ({"status": "dreaming"}, "status", "status"),
        ({"title": ""}, "title", "required"),
        ({"title": "x" * 301}, "title", "300"),
        ({"targeted_men": -3}, "targeted_men", "negative"),
        ({"targeted_men": "many"}, "targeted_men", "whole number"),
        ({"implementer": "oim"}, "implementer", "own organisation"),
        ({"funders": ["ue", "atlantis"]}, "funders", "atlantis"),
        ({"commitments": [999999]}, "commitments", "999999"),
        ({"code": "bad code!"}, "code", "letters"),
    ],
)
def test_intervention_bad_input(coop, plan, kw, field, words):
    with pytest.raises(ValidationError) as exc:
        make_iv(coop.partner, **kw)
    assert any(words in m for m in errors_of(exc)[field]), errors_of(exc)
    assert not Intervention.objects.exists()


def test_reached_above_target_with_note_is_accepted(coop, plan):
    iv = make_iv(coop.partner, reached_women=15, reached_note="Más mujeres acudieron a las sesiones")
    assert iv.reached == 20


def test_html_and_formulas_are_stored_as_text(coop, plan):
    iv = make_iv(coop.partner, title="<script>alert(1)</script>", activity="=HYPERLINK(\"http://x\")")
    iv.refresh_from_db()
    assert iv.title == "<script>alert(1)</script>"
    assert iv.activity.startswith("=HYPERLINK")


def test_municipality_in_chosen_department_is_accepted(coop, plan):
    iv = make_iv(coop.partner, municipalities=["HN0501", "HN0502"], department="HN05")
    assert iv.municipalities.count() == 2


def test_intervention_update_scope_and_version(coop, plan):
    iv = make_iv(coop.partner)
    data = services.intervention_input_of(iv)
    data.title = "Nuevo título"
    iv = services.intervention_update(actor=actor(coop.partner), intervention=iv, data=data, version=1)
    assert iv.title == "Nuevo título" and iv.version == 2
    with pytest.raises(ValidationError):
        services.intervention_update(actor=actor(coop.partner), intervention=iv, data=data, version=1)
    with pytest.raises(Http404):
        services.intervention_update(actor=actor(coop.extra["partner_oim"]), intervention=iv, data=data)
    # The coordinator may edit any, and publish.
    services.intervention_update(actor=actor(coop.coord), intervention=iv, data=data)
    assert services.intervention_publish(actor=actor(coop.coord), intervention=iv).published
    with pytest.raises(Http404):
        services.intervention_publish(actor=actor(coop.partner), intervention=iv)


def test_duplicate_code_refused(coop, plan):
    make_iv(coop.partner, code="ACNUR-001")
    with pytest.raises(ValidationError) as exc:
        make_iv(coop.partner, code="ACNUR-001")
    assert "already" in errors_of(exc)["code"][0]


def test_commitments_exist(plan):
    assert Commitment.objects.count() == 4
