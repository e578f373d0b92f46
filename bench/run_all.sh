#!/usr/bin/env bash
# The whole benchmark matrix: 100k and 1M arrivals x SQLite and PostgreSQL.
# Creates each dataset that is missing (1M takes tens of minutes), then runs load, reads and
# dashboard on it. Results go to bench/results/<bench>-<size>-<db>.md (git-ignored).
# Long: not run in CI. Usage: bench/run_all.sh [sizes...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(100000 1000000); fi
mkdir -p bench/results var/bench

exists() {  # size db
  if [ "$2" = sqlite ]; then
    [ -f "var/bench/mirps-$1.sqlite3" ]
  else
    psql "${BENCH_PG:-postgres://postgres@127.0.0.1:5432}/postgres" -tAc \
      "select 1 from pg_database where datname='mirps_bench_$1'" | grep -q 1
  fi
}

for size in "${SIZES[@]}"; do
  for db in sqlite postgres; do
    if ! exists "$size" "$db"; then
      echo "== creating dataset $size on $db"
      $PY bench/dataset.py --size "$size" --db "$db" | tee "bench/results/dataset-$size-$db.md"
    fi
    for b in load reads dashboard; do
      echo "== $b $size $db"
      $PY "bench/$b.py" --size "$size" --db "$db" | tee "bench/results/$b-$size-$db.md"
    done
  done
done
