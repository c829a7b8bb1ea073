"""Balance of the scenario's scoring for competent play (issue 14's targets).

Prints four tables, each from real zero-player games:

* **matrix** — every combination of the factions' doctrines (3 x 2 x 2 x 2
  = 24), ``--games`` each: per faction the mean win rate over the
  combinations and the worst combination;
* **default** — the four first doctrines, ``--default-games`` games;
* **random** — four random seats;
* **skill** — each doctrine in its chair against three random seats, and
  its gain over a random seat in the same chair.

Ties count as wins for every tied faction (as in ``main.py tournament``).
Seeds are ``--first-seed`` onward, the same seeds for every line.

    nice -n 5 python benchmarks/balance.py --games 200 --first-seed 1
    nice -n 5 python benchmarks/balance.py --games 200 --first-seed 100001   # second range
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from engine.game import Game  # noqa: E402
from engine.match import Match  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from rules.board import FACTIONS, US  # noqa: E402
from rules.doctrine import DOCTRINES  # noqa: E402
from rules.scenario import IRAQ_2020 as SC  # noqa: E402


def play(seats_text: str, seed: int) -> tuple[tuple[str, ...], str, dict[str, int]]:
    game = Game.new(SC, seed)
    match = Match(game, parse_seats(seats_text, SC.factions), seed)
    while not game.is_over():
        game.apply(match.bot_choice().move)
    out = game.outcome()
    return out.winners, out.termination, {f: s.total for f, s in out.scores.items()}


def _chunk(args: tuple[str, range]) -> list[tuple[tuple[str, ...], str, dict[str, int]]]:
    text, seeds = args
    return [play(text, s) for s in seeds]


def run_lines(lines: list[str], seeds: range, workers: int) -> list[list]:
    step = max(1, len(seeds) // 4)
    jobs = [(i, (text, seeds[j:j + step])) for i, text in enumerate(lines)
            for j in range(0, len(seeds), step)]
    results: list[list] = [[] for _ in lines]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for (i, _), res in zip(jobs, pool.map(_chunk, [j for _, j in jobs])):
            results[i].extend(res)
    return results


def rates(results: list) -> dict[str, float]:
    n = len(results)
    return {f: 100 * sum(f in w for w, _, _ in results) / n for f in FACTIONS}


def endings(results: list) -> str:
    """How the games ended, most common first."""
    return ", ".join(f"{k} {v}" for k, v in Counter(t for _, t, _ in results).most_common())


def table_head(*columns: str) -> None:
    """A Markdown table's header row and rule."""
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))


def seats_text(names: dict[str, str]) -> str:
    return ",".join(f"{f}={v}" for f, v in names.items())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--games", type=int, default=200, help="games per doctrine combination")
    p.add_argument("--default-games", type=int, default=400)
    p.add_argument("--random-games", type=int, default=400)
    p.add_argument("--skill-games", type=int, default=400)
    p.add_argument("--first-seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--only", default="", help="comma list of tables (matrix,default,random,skill)")
    args = p.parse_args()
    only = set(args.only.split(",")) if args.only else {"matrix", "default", "random", "skill"}
    start = time.perf_counter()
    names = {f: [d.name for d in DOCTRINES[f]] for f in FACTIONS}
    print(f"python benchmarks/balance.py --games {args.games} --first-seed {args.first_seed}"
          f" (default {args.default_games}, random {args.random_games}, skill {args.skill_games})")
    if "matrix" in only:
        combos = list(itertools.product(*(names[f] for f in FACTIONS)))
        texts = [seats_text({f: f"doctrine:{d}" for f, d in zip(FACTIONS, c)}) for c in combos]
        seeds = range(args.first_seed, args.first_seed + args.games)
        res = run_lines(texts, seeds, args.workers)
        print(f"\nMatrix: {len(combos)} doctrine combinations x {args.games} games\n")
        table_head(*FACTIONS, *(f"{f} wins" for f in FACTIONS), "endings")
        per = {f: [] for f in FACTIONS}
        for c, r in zip(combos, res):
            rt = rates(r)
            for f in FACTIONS:
                per[f].append((rt[f], c))
            print("| " + " | ".join(c) + " | " + " | ".join(f"{rt[f]:.0f}%" for f in FACTIONS)
                  + " | " + endings(r) + " |")
        print()
        table_head("faction", "mean win rate", "worst combination", "worst (outside US separation)")
        for f in FACTIONS:
            mean = statistics.mean(r for r, _ in per[f])
            worst = min(per[f])
            kept = [x for x in per[f] if not (f == US and x[1][0] == "separation")]
            w2 = min(kept)
            print(f"| {f} | {mean:.1f}% | {worst[0]:.1f}% ({'/'.join(worst[1])}) "
                  f"| {w2[0]:.1f}% ({'/'.join(w2[1])}) |")
    if "default" in only:
        seeds = range(args.first_seed, args.first_seed + args.default_games)
        (r,) = run_lines([seats_text({f: "doctrine" for f in FACTIONS})], seeds, args.workers)
        rt = rates(r)
        print(f"\nDefault doctrines, {len(r)} games: "
              + ", ".join(f"{f} {rt[f]:.1f}%" for f in FACTIONS)
              + "; mean scores " + ", ".join(f"{f} {statistics.mean(s[f] for _, _, s in r):.1f}"
                                            for f in FACTIONS)
              + "; endings " + endings(r))
    if "random" in only or "skill" in only:
        seeds = range(args.first_seed, args.first_seed + args.random_games)
        (r,) = run_lines([seats_text({f: "random" for f in FACTIONS})], seeds, args.workers)
        base = rates(r)
        print(f"\nFour random seats, {len(r)} games: "
              + ", ".join(f"{f} {base[f]:.1f}%" for f in FACTIONS) + "; endings " + endings(r))
    if "skill" in only:
        seeds = range(args.first_seed, args.first_seed + args.skill_games)
        lines = [(f, d) for f in FACTIONS for d in names[f]]
        texts = [seats_text({g: (f"doctrine:{d}" if g == f else "random") for g in FACTIONS})
                 for f, d in lines]
        res = run_lines(texts, seeds, args.workers)
        print(f"\nSkill: one doctrine against three random seats, {args.skill_games} games\n")
        table_head("chair", "doctrine", "win rate", "gain over a random seat")
        for (f, d), r in zip(lines, res):
            rt = rates(r)
            print(f"| {f} | {d} | {rt[f]:.1f}% | {rt[f] - base[f]:+.1f} |")
    print(f"\n({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
