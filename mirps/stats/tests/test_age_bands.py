"""Age groups from configurable lower bounds (settings.STATS_AGE_BANDS)."""

from __future__ import annotations

from mirps.stats.builders import age_band_of, age_bands
from mirps.stats.selectors import stats_table


def test_default_bands_and_their_labels():
    bands = age_bands([0, 6, 12, 18, 30, 60])
    assert [b[2] for b in bands] == ["0-5", "6-11", "12-17", "18-29", "30-59", "60+"]
    assert [b[3] for b in bands] == ["0–5", "6–11", "12–17", "18–29", "30–59", "60+"]


def test_bucketing_edges_and_unknown():
    bands = age_bands([0, 6, 12, 18, 30, 60])
    assert [age_band_of(k, bands) for k in ("0", "5", "6", "17", "18", "29", "30", "59", "60", "104")] == [
        "0-5", "0-5", "6-11", "12-17", "18-29", "18-29", "30-59", "30-59", "60+", "60+",
    ]
    assert age_band_of("unknown", bands) == "unknown"
    assert age_band_of("-3", bands) == "unknown"


def test_bounds_are_sorted_deduplicated_and_start_at_zero():
    assert [b[2] for b in age_bands([65, 18, 18])] == ["0-17", "18-64", "65+"]


def test_custom_bands_from_settings_on_real_arrivals(world, six, settings):
    settings.STATS_AGE_BANDS = [0, 18, 65]
    settings.STATS_SMALL_CELL = 1
    t = stats_table(actor=world.actor(world.coord), filters=six.filters, name="age")
    # Ages 25, 4, 40, 15, 70, 25.
    assert {r.code: r.values[0] for r in t.rows} == {"0-17": 2, "18-64": 3, "65+": 1, "unknown": 0}
