"""Identity resolution: our engine and Splink 5 on the same records; quality, time, memory.

    .venv/bin/python bench/identity.py --data febrl3
    .venv/bin/python bench/identity.py --data febrl4
    .venv/bin/python bench/identity.py --data generated --size 100000 [--seed 2026]
    .venv/bin/python bench/identity.py --data records.csv          # any file in the layout
    .venv/bin/python bench/identity.py --data generated --size 1000 --write-generated g.csv

Options: --engines ours,splink  --threshold 0.9  --runs 1  --out FILE (default
bench/results/identity-<data>-<records>.md; the table is also printed).

Each engine runs in a child process of its own (spawned, so nothing is inherited), reading the
records from a Parquet file: its wall time runs from reading that file to having a cluster
label per record (training included), and its peak memory is the child's high-water mark
(VmHWM). Quality is measured here, in the parent, against the true person of each record.
The file layout and the sources are described in bench/identity_data.py.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import inspect
import json
import logging
import multiprocessing
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness
import identity_data
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from identity_data import Dataset

ENGINES = ("ours", "splink")
ARRAYS = ("cand_i", "cand_j", "link_i", "link_j", "scored_i", "scored_j", "cluster")
DEFAULT_THRESHOLD = 0.9

DEFINITIONS = (
    "true pairs: pairs of records with the same true id. "
    "pair P/R/F1: the pairs the engine links at the threshold (ours: `res.linked`; Splink: "
    "match_probability >= threshold) against the true pairs. "
    "cluster-pairs F1: the same for every pair of records put in one cluster (the transitive "
    "closure, what counts people). "
    "cluster F1: precision = predicted clusters exactly equal to a true cluster / predicted "
    "clusters, recall = the same count / true clusters (single records are clusters too), F1 "
    "their harmonic mean. "
    "blocking recall: true pairs among the candidate pairs the engine scored / true pairs. "
    "wall s: child process, from reading the Parquet file to cluster labels, training included. "
    "peak MiB: the child's VmHWM (resident high-water mark, interpreter and libraries included)."
)


# --- metrics (pure) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def scores(hits: int, predicted: int, true: int) -> Scores:
    """Precision, recall, F1 from counts; NaN where a denominator is zero."""
    p = hits / predicted if predicted else float("nan")
    r = hits / true if true else float("nan")
    # 2TP / (predicted + true) is the harmonic mean, and 0 (not undefined) when nothing is predicted.
    f1 = 2 * hits / (predicted + true) if predicted + true else float("nan")
    return Scores(p, r, f1)


def unique(values: np.ndarray, *, counts: bool = False) -> tuple[np.ndarray, ...]:
    """Sorted distinct integers (and counts): numpy 2.5's np.unique is ~25x slower than a sort here."""
    s = np.sort(values)
    first = np.r_[True, s[1:] != s[:-1]] if len(s) else np.zeros(0, dtype=bool)
    if not counts:
        return (s[first],)
    return s[first], np.diff(np.r_[np.flatnonzero(first), len(s)])


def pair_keys(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Unordered pairs of record indices as sorted unique int64 keys lo*n+hi (self-pairs dropped)."""
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    keep = lo != hi
    return unique(lo[keep] * n + hi[keep])[0]


def true_pairs(labels: np.ndarray) -> np.ndarray:
    """Keys (as `pair_keys`) of every pair of records sharing a label."""
    labels = np.asarray(labels)
    n = len(labels)
    order = np.argsort(labels, kind="stable")
    s = labels[order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]]) if n else np.empty(0, np.int64)
    ends = np.repeat(np.r_[starts[1:], n], np.diff(np.r_[starts, n]))  # end of each position's group
    pos = np.arange(n)
    out = []
    d = 1
    # Pair each sorted position with the one d places on while both are in the same group.
    while True:
        pos = pos[pos + d < ends[pos]]
        if not len(pos):
            break
        out.append((order[pos], order[pos + d]))
        d += 1
    if not out:
        return np.empty(0, dtype=np.int64)
    return pair_keys(np.concatenate([a for a, _b in out]), np.concatenate([b for _a, b in out]), n)


def pair_scores(predicted: np.ndarray, truth: np.ndarray) -> Scores:
    """Scores of predicted pair keys against true pair keys (both sorted unique, as `pair_keys`)."""
    hits = np.intersect1d(predicted, truth, assume_unique=True).size
    return scores(hits, predicted.size, truth.size)


def blocking_recall(candidates: np.ndarray, truth: np.ndarray) -> float:
    """Share of the true pairs found among the candidate pairs (keys as `pair_keys`)."""
    if not truth.size:
        return float("nan")
    return np.intersect1d(candidates, truth, assume_unique=True).size / truth.size


def _contingency(predicted: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cells (pred cluster, true cluster, records in both) and the sizes of both clusterings."""
    p = pd.factorize(np.asarray(predicted))[0].astype(np.int64)
    t = pd.factorize(np.asarray(truth))[0].astype(np.int64)
    width = int(t.max(initial=-1)) + 1
    cells, counts = unique(p * width + t, counts=True)
    return cells // width, cells % width, counts, np.bincount(p), np.bincount(t)


def cluster_pair_scores(predicted: np.ndarray, truth: np.ndarray) -> Scores:
    """Pairwise scores of the pairs implied by two clusterings, counted without listing pairs."""
    _cp, _ct, n_ij, a, b = _contingency(predicted, truth)
    pairs = lambda k: int((k * (k - 1) // 2).sum())  # noqa: E731
    return scores(pairs(n_ij), pairs(a), pairs(b))


def cluster_scores(predicted: np.ndarray, truth: np.ndarray) -> Scores:
    """Exact-cluster scores: a predicted cluster counts only if it equals a true cluster."""
    cp, ct, n_ij, a, b = _contingency(predicted, truth)
    exact = int(((n_ij == a[cp]) & (n_ij == b[ct])).sum())
    return scores(exact, len(a), len(b))


# --- the engines, each in a child process --------------------------------------------------------


@dataclass
class Output:
    """What an engine gives back: record-index pairs, labels, and its own measurements."""

    candidates: np.ndarray  # pair keys scored (blocking)
    linked: np.ndarray  # pair keys linked at the threshold
    scored: np.ndarray  # pair keys with probability >= the default threshold (to compare like with like)
    cluster: np.ndarray  # label per record
    wall: float
    peak_mib: float
    timings: dict[str, float] = field(default_factory=dict)
    note: str = ""


def _peak_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _child(engine: str, data: str, out: str, threshold: float | None, seed: int) -> None:
    """Runs in the spawned process: one engine on the Parquet file, results to `out`.npz/.json."""
    try:
        start = time.perf_counter()
        table = pq.read_table(data)
        read = time.perf_counter() - start
        run = _ours if engine == "ours" else _splink
        res = run(table, threshold, seed, start)
        res["timings"] = {"read": read, **res["timings"]}
        np.savez(out + ".npz", **{k: res.pop(k) for k in ARRAYS})
        Path(out + ".json").write_text(json.dumps(res))
    except BaseException:
        Path(out + ".json").write_text(json.dumps({"error": traceback.format_exc()}))
        raise


def _ours(table: pa.Table, threshold: float | None, seed: int, start: float) -> dict[str, Any]:
    from mirps.identity.engine import Records, resolve

    cols = table.to_pydict()
    recs = Records(
        given_names=cols["given_names"], surname1=cols["surname1"], surname2=cols["surname2"],
        sex=cols["sex"], birth_date=cols["birth_date"], dni=cols["dni"],
        municipality=cols["municipality"], arrival_date=cols["arrival_date"],
        estimated=cols["birth_date_estimated"],
    )
    # The contract has no threshold: the engine links by its own rule unless it takes one.
    takes = "threshold" in inspect.signature(resolve).parameters
    res = resolve(recs, threshold=threshold) if takes and threshold is not None else resolve(recs)
    cluster = np.asarray(res.cluster, dtype=np.int64)
    wall = time.perf_counter() - start
    peak = _peak_mib()
    linked = np.asarray(res.linked, dtype=bool)
    note = "links: the engine's own decision (res.linked)"
    if threshold is not None and not takes:
        note = f"links: probability >= {threshold} (resolve() takes no threshold; clusters are the engine's)"
        linked = np.asarray(res.probability) >= threshold
    pi, pj = np.asarray(res.pair_i, dtype=np.int64), np.asarray(res.pair_j, dtype=np.int64)
    scored = np.asarray(res.probability) >= DEFAULT_THRESHOLD
    return {
        "cand_i": pi, "cand_j": pj, "link_i": pi[linked], "link_j": pj[linked],
        "scored_i": pi[scored], "scored_j": pj[scored], "cluster": cluster,
        "wall": wall, "peak_mib": peak, "timings": {k: float(v) for k, v in dict(res.timings).items()},
        "note": note,
    }


def splink_settings(frame: pd.DataFrame) -> Any:
    """A standard Splink model for these columns (comparisons only for columns that hold data)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def present(c: str) -> bool:
        return bool(frame[c].notna().mean() > 0.01)

    comparisons = [
        cl.JaroWinklerAtThresholds("given_names", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("surname1", [0.92, 0.8]).configure(term_frequency_adjustments=True),
    ]
    if present("surname2"):
        comparisons.append(cl.JaroWinklerAtThresholds("surname2", [0.92, 0.8]))
    if present("birth_date"):
        comparisons.append(cl.DateOfBirthComparison("birth_date", input_is_string=False))
    if present("dni"):
        comparisons.append(cl.LevenshteinAtThresholds("dni", [1, 2]))
    if present("municipality"):
        comparisons.append(cl.ExactMatch("municipality"))
    if present("sex"):
        comparisons.append(cl.ExactMatch("sex"))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("dni"),
            block_on("surname1", "birth_date"),
            block_on("given_names", "birth_date"),
            block_on("given_names", "surname1"),
            # a second surname, a year of birth: the usual extra passes for Spanish names
            block_on("surname2", "birth_date"),
            block_on("surname1", "surname2"),
            block_on("given_names", "year(birth_date)"),
        ],
        comparisons=comparisons,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _splink(table: pa.Table, threshold: float | None, seed: int, start: float) -> dict[str, Any]:
    from splink import DuckDBAPI, Linker, block_on

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    t = {}
    mark = time.perf_counter()
    frame = table.to_pandas()
    frame.insert(0, "unique_id", np.arange(len(frame), dtype=np.int64))
    # The usual cleaning before Splink: names lowercased, accents and extra spaces removed (our
    # engine does its own); without it a dropped accent breaks every exact blocking rule.
    for c in ("given_names", "surname1", "surname2"):
        frame[c] = (
            frame[c].str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
            .str.lower().str.split().str.join(" ")
        )
    # Splink treats NULL as missing; an empty string would be compared (and match) as a value.
    for c in identity_data.TEXT_COLUMNS:
        frame[c] = frame[c].mask(frame[c] == "", None)
    db_api = DuckDBAPI()
    # Quiet: its warnings about levels unseen in small data would bury the table.
    linker = Linker(db_api.register(frame, table_name="records"), splink_settings(frame), log_level=logging.ERROR)
    t["prepare"] = time.perf_counter() - mark
    mark = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("dni"), block_on("given_names", "surname1", "birth_date")], recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_names", "surname1"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    t["train"] = time.perf_counter() - mark
    mark = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    t["predict"] = time.perf_counter() - mark
    mark = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    got = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchnumpy()
    cluster = np.empty(len(frame), dtype=np.int64)
    cluster[got["unique_id"]] = got["cluster_id"]
    t["cluster"] = time.perf_counter() - mark
    wall = time.perf_counter() - start
    peak = _peak_mib()
    # Not timed: the pairs its prediction blocking rules generated (cached by predict()).
    links = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchnumpy()
    scored = links["match_probability"] >= DEFAULT_THRESHOLD  # all of them unless --threshold is higher
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    cand = blocked.as_duckdbpyrelation().select("join_key_l, join_key_r").fetchnumpy()
    return {
        "cand_i": cand["join_key_l"], "cand_j": cand["join_key_r"],
        "link_i": links["unique_id_l"], "link_j": links["unique_id_r"],
        "scored_i": links["unique_id_l"][scored], "scored_j": links["unique_id_r"][scored], "cluster": cluster,
        "wall": wall, "peak_mib": peak, "timings": t,
        "note": (
            f"names lowercased without accents; links: match_probability >= {threshold}; "
            "candidates: compute_blocked_pairs_for_predict()"
        ),
    }


def run_engine(engine: str, data: Path, n: int, workdir: Path, threshold: float | None, seed: int) -> Output:
    """Run one engine on the Parquet file `data` in a spawned child and collect its output."""
    out = workdir / f"{engine}-{time.monotonic_ns()}"
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=_child, args=(engine, str(data), str(out), threshold, seed))
    child.start()
    child.join()
    meta_path = Path(str(out) + ".json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if "error" in meta or child.exitcode != 0:
        raise RuntimeError(f"{engine} failed (exit code {child.exitcode}):\n{meta.get('error', '')}")
    with np.load(str(out) + ".npz") as arrays:
        return Output(
            candidates=pair_keys(arrays["cand_i"], arrays["cand_j"], n),
            linked=pair_keys(arrays["link_i"], arrays["link_j"], n),
            scored=pair_keys(arrays["scored_i"], arrays["scored_j"], n),
            cluster=arrays["cluster"], wall=meta["wall"], peak_mib=meta["peak_mib"],
            timings=meta["timings"], note=meta["note"],
        )


def write_parquet(ds: Dataset, path: Path) -> None:
    """The records as the children read them (no truth: engines never see it)."""
    frame = ds.frame
    columns = {
        c: pa.array(list(frame[c]), type=pa.date32()) if c in identity_data.DATE_COLUMNS else pa.array(frame[c].tolist())
        for c in identity_data.LAYOUT
    }
    pq.write_table(pa.table(columns), path)


# --- one benchmark -------------------------------------------------------------------------------


@dataclass
class Result:
    engine: str
    runs: list[Output]
    quality: dict[str, float]  # medians over runs; empty without truth

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)


def quality(out: Output, truth: np.ndarray, truth_pairs: np.ndarray) -> dict[str, float]:
    pair = pair_scores(out.linked, truth_pairs)
    scored = pair_scores(out.scored, truth_pairs)
    return {
        "scored P": scored.precision, "scored R": scored.recall, "scored F1": scored.f1,
        "pair P": pair.precision, "pair R": pair.recall, "pair F1": pair.f1,
        "cluster-pairs F1": cluster_pair_scores(out.cluster, truth).f1,
        "cluster F1": cluster_scores(out.cluster, truth).f1,
        "blocking recall": blocking_recall(out.candidates, truth_pairs),
    }


def measure(
    ds: Dataset, engines: list[str], truth_pairs: np.ndarray | None, *, threshold: float | None, runs: int, seed: int,
) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-identity-") as tmp:
        data = Path(tmp) / "records.parquet"
        write_parquet(ds, data)
        for engine in engines:
            outs = [run_engine(engine, data, len(ds), Path(tmp), threshold, seed) for _r in range(runs)]
            q: dict[str, float] = {}
            if ds.truth is not None and truth_pairs is not None:
                per_run = [quality(o, ds.truth, truth_pairs) for o in outs]
                q = {k: statistics.median(r[k] for r in per_run) for k in per_run[0]}
            results.append(Result(engine, outs, q))
    return results


def _num(x: float, digits: int = 4) -> str:
    return "n/a" if x != x else f"{x:.{digits}f}"  # NaN: undefined (nothing predicted, or no truth)


def report(
    ds: Dataset, results: list[Result], truth_pairs: np.ndarray | None, *, threshold: float | None, runs: int,
) -> str:
    name = ds.name
    n_true = len(truth_pairs) if truth_pairs is not None else 0
    if ds.truth is not None:
        header = ("data", "records", "true pairs", "engine", "pair P", "pair R", "pair F1",
                  "cluster-pairs F1", "cluster F1", "blocking recall", "wall s", "peak MiB")
        rows = [
            (name, f"{len(ds):,}", f"{n_true:,}", r.engine, *(_num(r.quality[k]) for k in (
                "pair P", "pair R", "pair F1", "cluster-pairs F1", "cluster F1", "blocking recall")),
             f"{r.median('wall'):.2f}", f"{r.median('peak_mib'):,.0f}")
            for r in results
        ]
    else:
        header = ("data", "records", "engine", "candidate pairs", "linked pairs", "clusters", "wall s", "peak MiB")
        rows = [
            (name, f"{len(ds):,}", r.engine, f"{len(r.runs[0].candidates):,}", f"{len(r.runs[0].linked):,}",
             f"{len(np.unique(r.runs[0].cluster)):,}", f"{r.median('wall'):.2f}", f"{r.median('peak_mib'):,.0f}")
            for r in results
        ]
    by = {r.engine: r for r in results}
    facts: dict[str, str] = {"data": ds.note}
    if ds.rejected:
        facts["rows left out"] = f"{len(ds.rejected):,} (unreadable dates or no name; listed above)"
    if threshold is not None:
        facts["threshold"] = f"{threshold} match probability"
    else:
        facts["threshold"] = f"Splink {DEFAULT_THRESHOLD} match probability; ours links by its own rule (--threshold to set both)"
    facts["runs"] = f"{runs} (medians)"
    people = ", ".join(f"{r.engine} {len(np.unique(r.runs[0].cluster)):,}" for r in results)
    truth_people = f"; truth {len(np.unique(ds.truth)):,}" if ds.truth is not None else ""
    facts["people found (clusters)"] = people + truth_people
    facts["candidate pairs scored"] = ", ".join(f"{r.engine} {len(r.runs[0].candidates):,}" for r in results)
    if ds.truth is not None and threshold is None:
        facts[f"pairs at probability >= {DEFAULT_THRESHOLD} (both engines, like with like)"] = "; ".join(
            f"{r.engine} P {_num(r.quality['scored P'])} R {_num(r.quality['scored R'])} F1 {_num(r.quality['scored F1'])}"
            for r in results
        )
    for r in results:
        stages = ", ".join(f"{k} {statistics.median(o.timings.get(k, 0.0) for o in r.runs):.2f}" for k in r.runs[0].timings)
        facts[f"{r.engine} stages (s)"] = f"{stages}; {r.runs[0].note}"
    if "ours" in by and "splink" in by:
        facts["time ours / Splink"] = f"{by['ours'].median('wall') / by['splink'].median('wall'):.2f} (target <= 0.5)"
        facts["peak memory ours / Splink"] = f"{by['ours'].median('peak_mib') / by['splink'].median('peak_mib'):.2f}"
    facts["definitions"] = DEFINITIONS
    facts.update(harness.machine())
    facts["versions"] = ", ".join(f"{p} {_version(p)}" for p in ("splink", "duckdb", "numpy", "rapidfuzz", "pandas", "pyarrow"))
    return harness.table(f"Identity resolution: {name}", header, rows, facts)


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


# --- command line --------------------------------------------------------------------------------


def load(data: str, size: int, seed: int) -> Dataset:
    if data == "febrl3":
        return identity_data.febrl3()
    if data == "febrl4":
        return identity_data.febrl4()
    if data == "generated":
        return identity_data.generated(size, seed)
    path = Path(data)
    if not path.exists():
        raise SystemExit(f"--data must be febrl3, febrl4, generated or an existing .csv/.parquet file, not {data!r}")
    return identity_data.read_records(path)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="febrl3, febrl4, generated, or a records file (.csv/.parquet)")
    p.add_argument("--size", type=int, default=100_000, help="records to generate with --data generated (default 100000)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--engines", default="ours,splink", help="comma-separated: ours, splink (default both)")
    p.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                   help=f"match probability to link at (default {DEFAULT_THRESHOLD} for Splink; our engine's own rule)")
    p.add_argument("--runs", type=int, default=1, help="runs of each engine; the table shows medians")
    p.add_argument("--out", default="", help="append the table to this file (default bench/results/identity-<data>-<records>.md)")
    p.add_argument("--write-generated", default="", metavar="FILE",
                   help="write the --data generated records (with true_id) to FILE (.csv/.parquet) and stop")
    args = p.parse_args(argv)
    if str(harness.ROOT) not in sys.path:
        sys.path.insert(0, str(harness.ROOT))  # the children import mirps from here too
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if unknown := [e for e in engines if e not in ENGINES]:
        raise SystemExit(f"--engines: unknown {', '.join(unknown)}; choose from {', '.join(ENGINES)}")

    t = time.perf_counter()
    ds = load(args.data, args.size, args.seed)
    print(f"{ds.name}: {len(ds):,} records loaded in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if ds.rejected:
        print(f"{len(ds.rejected):,} rows left out (listed under the table)", file=sys.stderr)
    if args.write_generated:
        if args.data != "generated":
            raise SystemExit("--write-generated goes with --data generated")
        identity_data.write_records(ds, Path(args.write_generated))
        print(f"wrote {args.write_generated}; measure it with --data {args.write_generated}", file=sys.stderr)
        return

    truth_pairs = true_pairs(ds.truth) if ds.truth is not None else None
    results = measure(ds, engines, truth_pairs, threshold=args.threshold, runs=args.runs, seed=args.seed)
    text = report(ds, results, truth_pairs, threshold=args.threshold, runs=args.runs)
    if ds.rejected:
        text += f"\n{len(ds.rejected):,} rows left out:\n" + "".join(f"- {line}\n" for line in ds.rejected[:50])
        if len(ds.rejected) > 50:
            text += f"- ... and {len(ds.rejected) - 50:,} more\n"
    print(text)
    out = Path(args.out) if args.out else harness.ROOT / "bench" / "results" / f"identity-{Path(ds.name).stem}-{len(ds)}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as f:
        f.write(text + "\n")
    print(f"appended to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
