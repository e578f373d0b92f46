"""The demo plan: 26 illustrative commitments, reports for two years, pages render."""

from __future__ import annotations

import random
import time

from django.urls import reverse

from mirps.plan import progress
from mirps.plan.demo import seed_demo
from mirps.plan.models import Commitment, Plan, ProgressReport, ReportStatus


def test_seed_demo(client, world):
    t = time.monotonic()
    counts = seed_demo(rng=random.Random(7), coordinator=world.coord)
    assert time.monotonic() - t < 10
    assert counts["commitments"] == 26 and counts["periods"] == 4 and counts["reports"] > 60
    plan = Plan.objects.get()
    assert plan.illustrative and plan.published and plan.version == 2
    areas = [c.area for c in Commitment.objects.all()]
    assert (areas.count("protection"), areas.count("education"), areas.count("livelihoods")) == (21, 1, 4)
    # One approved report per commitment and period at most; the P14 correction superseded v1.
    assert ProgressReport.objects.filter(status=ReportStatus.SUPERSEDED).count() == 1
    assert ProgressReport.objects.filter(commitment__code="P14", author=world.focal).exists()
    share = progress.implementation_share(plan=plan)[None]
    assert share.value is not None and 0 < share.value < 1 and share.commitments == 25
    assert seed_demo(rng=random.Random(7), coordinator=world.coord)["commitments"] == 0  # once only
    client.force_login(world.coord)
    for url in (reverse("plan:dashboard"), reverse("plan:commitment_list"), reverse("plan:review_queue"),
                reverse("plan:commitment_detail", args=[Commitment.objects.get(code="P04").pk]), reverse("plan:export")):
        assert client.get(url).status_code == 200, url
