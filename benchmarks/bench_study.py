"""Study throughput: games per second per worker with doctrine seats, and the speed-up 1 -> 2 workers.

Run:  python benchmarks/bench_study.py [--games N] [--repeat R] [--cluster]

A study of four doctrine seats (the US over its three paths) is run with
1 worker (in this process), 2 local worker processes and, with
``--cluster``, a local Dask cluster of 2 processes; each R times, and the
table prints medians.  The baseline is the 1-worker rate of the same run, so
the speed-up travels across machines; the target (issue 12) is at least
1.7x on 2 workers.  Rows, the report and SQLite are left out (``out=None``):
this measures playing, which is what a long study spends its time on.

The machine's load is printed before and after: on a shared 2-core machine
the speed-up is capped by the other processes' use of the second core.  The
CPU time per game (this process and its worker processes) shows whether
the parallel runs do extra work: if it is the same for 1 and 2 workers, the
speed-up on an idle machine is close to 2x.  The Dask figures include
starting the LocalCluster (a few seconds) in every run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from engine.study import run_study  # noqa: E402

STUDY = {"title": "bench", "seats": {"goi": "doctrine:balancing", "mil": "doctrine:entrench",
                                     "pro": "doctrine:peaceful"},
         "factors": [{"seat": "us", "levels": ["doctrine:continuity", "doctrine:tougher_love",
                                               "doctrine:separation"]}]}


def _cpu() -> float:
    t = os.times()  # this process and its finished (waited-for) children: the workers
    return t.user + t.system + t.children_user + t.children_system


def rate(games: int, workers: int, cluster: str | None) -> tuple[float, float]:
    """(games per second of wall-clock time, CPU milliseconds per game)."""
    t, c = time.perf_counter(), _cpu()
    rows = run_study(STUDY, games=games, workers=workers, cluster=cluster)
    elapsed, cpu = time.perf_counter() - t, _cpu() - c
    assert len(rows) == 3 * games
    return len(rows) / elapsed, 1000 * cpu / len(rows)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--games", type=int, default=100, help="games per cell (3 cells; default 100)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--cluster", action="store_true", help="also a local Dask cluster of 2 processes")
    args = p.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    setups = [("1 worker (this process)", 1, None), ("2 local processes", 2, None)]
    if args.cluster:
        setups.append(("Dask LocalCluster, 2 processes", 2, "local"))
    results = {}
    for label, workers, cluster in setups:
        runs = [rate(args.games, workers, cluster) for _ in range(args.repeat)]
        results[label] = (statistics.median(r for r, _ in runs), statistics.median(c for _, c in runs))
    base = results[setups[0][0]][0]
    print(f"\n{3 * args.games} games per run (doctrine seats, 12 turns), median of {args.repeat}\n")
    print("| backend | games/s | games/s per worker | speed-up vs 1 worker | CPU ms per game |")
    print("|---|---|---|---|---|")
    for label, workers, _ in setups:
        r, cpu = results[label]
        print(f"| {label} | {r:.1f} | {r / workers:.1f} | {r / base:.2f}x | {cpu:.1f} |")
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
