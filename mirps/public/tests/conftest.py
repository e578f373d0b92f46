from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mirps.accounts.models import Institution
from mirps.cooperation.models import Intervention
from mirps.geo.models import Country, Municipality
from mirps.plan.models import (
    Commitment,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressReport,
    ReportingPeriod,
)


def make_intervention(code: str, implementer: str, munis: list[str], budget: str, *, author, published: bool = True, **kw: Any) -> Intervention:
    base = {
        "code": code, "title": f"Intervención {code}", "implementer": Institution.objects.get(code=implementer),
        "sector": "protection", "activity": "Atención", "start": date(2023, 1, 1), "status": "ongoing",
        "populations": ["returnees"], "budget_usd": Decimal(budget), "published": published, "created_by": author,
    }  # fmt: skip
    base.update(kw)
    iv = Intervention.objects.create(**base)
    iv.municipalities.set(Municipality.objects.filter(code__in=munis))
    return iv


@pytest.fixture
def public_data(world) -> dict[str, Any]:
    hn = Country.objects.get(iso2="HN")
    plan = Plan.objects.create(
        country=hn, title_es="Plan MIRPS Honduras", title_en="MIRPS Plan Honduras", period_start=date(2022, 1, 1),
        period_end=date(2026, 12, 31), published=True, illustrative=True,
    )  # fmt: skip
    sesal = Institution.objects.get(code="sesal")
    p01 = Commitment.objects.create(plan=plan, code="P01", title_es="Compromiso P01", title_en="Commitment P01", area="protection", pillar="reception", responsible=sesal, status="in_progress")
    e01 = Commitment.objects.create(plan=plan, code="E01", title_es="Compromiso E01", title_en="Commitment E01", area="education", pillar="solutions", responsible=sesal, status="completed")
    ind = Indicator.objects.create(commitment=p01, name_es="Personas", name_en="People", unit="people", baseline=0, target=100, target_date=date(2026, 12, 31))
    period = ReportingPeriod.objects.create(plan=plan, label="2023", start=date(2023, 1, 1), end=date(2023, 12, 31))
    report = ProgressReport.objects.create(commitment=p01, period=period, author=world.focal, status="approved", commitment_status="in_progress", narrative="Narrativa interna del informe")
    IndicatorValue.objects.create(report=report, indicator=ind, value=Decimal(40))
    hidden_plan = Plan.objects.create(
        country=hn, title_es="Plan borrador secreto", title_en="Secret draft plan", period_start=date(2027, 1, 1),
        period_end=date(2030, 12, 31), published=False,
    )  # fmt: skip
    hidden_c = Commitment.objects.create(plan=hidden_plan, code="X99", title_es="Compromiso borrador X99", title_en="Draft commitment X99", area="protection", pillar="reception", responsible=sesal)
    pub1 = make_intervention("IV-PUB-1", "acnur", ["0501", "0801"], "1000", author=world.partner, title="Albergue temporal San Pedro")
    pub1.commitments.add(p01)
    pub2 = make_intervention("IV-PUB-2", "oim", ["0502"], "300.01", author=world.coord, title="Reintegración Choloma", sector="livelihoods")
    secret = make_intervention("IV-SECRET", "acnur", ["1801"], "5000", author=world.partner, published=False, title="Intervención confidencial Yoro")
    secret.commitments.add(hidden_c)
    return {"plan": plan, "p01": p01, "e01": e01, "hidden_plan": hidden_plan, "hidden_c": hidden_c, "pub1": pub1, "pub2": pub2, "secret": secret}
