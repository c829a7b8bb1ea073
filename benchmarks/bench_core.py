"""Core speed: legal_moves(), apply(), clone(), state_hash() and a full game.

Run:  python benchmarks/bench_core.py [--games N]

Prints medians.  The baseline, measured in the same run, is the cost of
building one attrs frozen value with ``attrs.evolve`` — the floor of any
state change in an immutable design — so the ratios travel across machines.
Targets on the 2-core development machine (issue 2): a full 12-turn random
game at most 10 ms, apply() at most 50 µs, clone() at most 5 µs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import attrs  # noqa: E402

from engine.game import Game  # noqa: E402
from engine.match import Match  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from rules.scenario import IRAQ_2020  # noqa: E402


def median_us(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - t)
    return statistics.median(samples) / 1000


def full_game(seed: int) -> Game:
    game = Game.new(IRAQ_2020, seed)
    match = Match(game, parse_seats("", IRAQ_2020.factions), seed)
    while not game.is_over():
        game.apply(match.bot_choice().move)
    return game


def mid_game(seed: int = 7, moves: int = 30) -> Game:
    game = Game.new(IRAQ_2020, seed)
    match = Match(game, parse_seats("", IRAQ_2020.factions), seed)
    for _ in range(moves):
        if game.is_over():
            break
        game.apply(match.bot_choice().move)
    return game


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=200)
    args = parser.parse_args()

    game = mid_game()
    ctx = game.state.ctx
    baseline = median_us(lambda: attrs.evolve(ctx, moves=ctx.moves + 1), 20000)
    clone = median_us(game.clone, 20000)
    digest = median_us(game.state_hash, 2000)

    # apply() and legal_moves(), timed on every move of real random games
    # (a move that ends a turn also runs resolution, upkeep and the next event).
    apply_samples, legal_samples, games, full_len = [], [], [], []
    for seed in range(1, args.games + 1):
        g = Game.new(IRAQ_2020, seed)
        match = Match(g, parse_seats("", IRAQ_2020.factions), seed)
        t0 = time.perf_counter_ns()
        while not g.is_over():
            t = time.perf_counter_ns()
            g.legal_moves()
            legal_samples.append(time.perf_counter_ns() - t)
            move = match.bot_choice().move
            t = time.perf_counter_ns()
            g.apply(move)
            apply_samples.append(time.perf_counter_ns() - t)
        games.append((time.perf_counter_ns() - t0) / 1e6)
    for seed in range(1, args.games + 1):
        t = time.perf_counter_ns()
        g = full_game(seed)
        elapsed = (time.perf_counter_ns() - t) / 1e6
        if g.ctx.termination == "time":
            full_len.append(elapsed)
    games = [ms for ms in games]
    apply_us = statistics.median(apply_samples) / 1000
    legal = statistics.median(legal_samples) / 1000

    rows = [
        ("attrs.evolve (baseline)", f"{baseline:8.2f} µs", "1.0", ""),
        ("legal_moves()", f"{legal:8.2f} µs", f"{legal / baseline:.0f}", ""),
        ("apply()", f"{apply_us:8.2f} µs", f"{apply_us / baseline:.0f}", "≤ 50 µs"),
        ("clone()", f"{clone:8.2f} µs", f"{clone / baseline:.1f}", "≤ 5 µs"),
        ("state_hash()", f"{digest:8.2f} µs", f"{digest / baseline:.0f}", ""),
        (f"random game (timed moves), {len(games)}", f"{statistics.median(games):8.2f} ms",
         f"{statistics.median(games) * 1000 / baseline:.0f}", "≤ 10 ms"),
        (f"random game to turn 12 ({len(full_len)})",
         f"{statistics.median(full_len) if full_len else float('nan'):8.2f} ms",
         f"{(statistics.median(full_len) if full_len else 0) * 1000 / baseline:.0f}", "≤ 10 ms"),
    ]
    print(f"python benchmarks/bench_core.py --games {args.games}   (medians; ratio to the baseline)")
    print(f"{'measure':32s} {'median':>12s} {'ratio':>7s}  target")
    for name, value, ratio, target in rows:
        print(f"{name:32s} {value:>12s} {ratio:>7s}  {target}")


if __name__ == "__main__":
    main()
