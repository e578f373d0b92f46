"""The batch engine's safety rules, on hand-made records (the default weights, no training)."""

from datetime import date

import numpy as np

from mirps.identity.engine import Records, resolve
from mirps.identity.model import default

BASE = {"given_names": "José Luis", "surname1": "Hernández", "surname2": "López", "sex": "M",
        "birth_date": date(1990, 3, 5), "dni": "", "municipality": "0501", "arrival_date": date(2024, 1, 10),
        "estimated": False}


def records(*rows: dict) -> Records:
    full = [{**BASE, **r} for r in rows]
    return Records(**{k: [r[k] for r in full] for k in BASE})


def pair(res, a: int, b: int) -> int:
    return int(np.flatnonzero((res.pair_i == min(a, b)) & (res.pair_j == max(a, b)))[0])


def test_a_re_registration_with_slips_is_linked():
    res = resolve(records({}, {"surname1": "Hernandez", "surname2": "Lopez", "birth_date": date(1990, 5, 3)}), model=default())
    assert res.cluster[0] == res.cluster[1] and res.linked.all()


def test_a_record_with_almost_nothing_is_only_offered_for_review():
    res = resolve(records({}, {"birth_date": None}), model=default())
    assert res.cluster[0] != res.cluster[1]
    k = pair(res, 0, 1)
    assert res.probability[k] >= default().review_threshold and res.review[k] and not res.linked[k]


def test_same_name_and_birth_date_with_two_valid_dnis_are_two_people_not_even_a_review():
    res = resolve(records({"dni": "0501199012345"}, {"dni": "0801199054321"}), model=default())
    assert res.cluster[0] != res.cluster[1]
    assert not res.review[pair(res, 0, 1)]


def test_a_record_between_two_people_with_different_dnis_joins_at_most_one():
    res = resolve(records({"dni": "0501199012345"}, {}, {"dni": "0801199054321"}), model=default())
    assert res.cluster[0] != res.cluster[2]
    assert res.cluster[1] in (res.cluster[0], res.cluster[2])


def test_reviewers_rulings_bind_the_batch():
    apart = resolve(records({}, {"surname1": "Hernandez"}), model=default(), cannot_link=[(0, 1)])
    assert apart.cluster[0] != apart.cluster[1]
    together = resolve(records({}, {"given_names": "Pedro", "surname1": "Cruz", "birth_date": date(1970, 1, 1)}),
                       model=default(), must_link=[(0, 1)])
    assert together.cluster[0] == together.cluster[1]


def test_training_by_em_returns_a_usable_model_with_term_frequencies():
    names = ["Ana", "Berta", "Carla", "Diana", "Elena", "Fanny", "Gloria", "Hilda", "Irma", "Julia"] * 30
    rows = [{"given_names": n, "surname1": s, "birth_date": date(1960 + k % 40, 1 + k % 12, 1 + k % 28), "sex": "F"}
            for k, (n, s) in enumerate(zip(names, ["Paz", "Cruz", "Soto", "Reyes", "Mejía"] * 60, strict=False))]
    rows += [{**r, "surname2": "", "given_names": r["given_names"] + "a"} for r in rows[:40]]
    res = resolve(records(*rows))
    assert res.model.method == "em" and 0 < res.model.prior < 1
    assert res.model.tf["given"] and res.model.tf["surname"]
    assert res.cluster[0] == res.cluster[300]  # the first record and its re-registration
