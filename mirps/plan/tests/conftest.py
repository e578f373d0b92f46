from __future__ import annotations

from datetime import date

import pytest

from mirps.core.testing import make_user
from mirps.plan.tests.factories import make_commitment, make_indicator, make_period, make_plan


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pw(world):
    """A plan with a SESAL commitment (reported on by `focal`) and a SEDH one (by `focal_sedh`)."""
    plan = make_plan(illustrative=True)
    p14 = make_commitment(plan, "P14", "sesal", end_date=date(2030, 1, 1))
    p01 = make_commitment(plan, "P01", "sedh", end_date=date(2023, 1, 1))
    ind = make_indicator(p14, "0", "100", by_sex=True, by_department=True)
    ind_pct = make_indicator(p14, "10", "50", unit="%")
    ind_sedh = make_indicator(p01, "0", "20")
    closed = make_period(plan, "2024-S1", date(2024, 1, 1), date(2024, 6, 30), closed=True)
    open_ = make_period(plan, "2024-S2", date(2024, 7, 1), date(2024, 12, 31))
    world.extra["focal_sedh"] = make_user("focal_sedh", "focal_point", "sedh")
    return {
        "plan": plan, "p14": p14, "p01": p01, "ind": ind, "ind_pct": ind_pct, "ind_sedh": ind_sedh,
        "closed": closed, "open": open_,
    }
