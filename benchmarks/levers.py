"""Do the levers persuade?  The measured lines of docs/fidelity.md (issue 14).

Each line plays doctrine games on the same seeds with one thing changed at
the start (a *what-if*: the energy waiver conditional, broad sanctions
threatened...) or with different seats, and prints what the brief says
should follow.  Paired seeds: the same dice and deck in both columns.

    nice -n 5 python benchmarks/levers.py --games 200 --first-seed 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import attrs

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from engine.game import Game  # noqa: E402
from engine.match import Match  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from rules.board import (CARETAKER, FACTIONS, K_US, MIL, SEPARATION, TRACK_IDS, T,  # noqa: E402
                         militia_posts, on_map)
from rules.scenario import Iraq2020  # noqa: E402


class WhatIf(Iraq2020):
    """The scenario with some starting tracks changed."""

    def __init__(self, start: tuple[tuple[str, int], ...]) -> None:
        self.start = start

    def setup(self, rng: int):
        board, rng = super().setup(rng)
        tracks = list(board.tracks)
        for name, value in self.start:
            tracks[TRACK_IDS[name]] = value
        return attrs.evolve(board, tracks=tuple(tracks)), rng


def play(args) -> dict:
    seats, start, seed = args
    sc = WhatIf(start)
    game = Game.new(sc, seed)
    match = Match(game, parse_seats(seats, sc.factions), seed)
    lethal = protect = shield = suppress = preempt = preempt_ok = leaders = condemn = 0
    separation_turn = None
    while not game.is_over():
        move = match.bot_choice().move
        key = (move.faction, move.kind)
        if key == ("mil", "rockets") and move.args[1] == "lethal":
            lethal += 1
        elif key == ("goi", "protect"):
            protect += 1
        elif key == ("goi", "crowds") and move.args[1] == "protect":
            shield += 1
        elif key == ("mil", "suppress"):
            suppress += 1
        elif key == ("us", "leadership_strike"):
            leaders += 1
        elif key == ("goi", "condemn"):
            condemn += 1
        elif key == ("us", "strike") and move.args[1] == "preemptive":
            preempt += 1
            from rules.strikes import imminent
            from rules.board import SPACE_IDS
            preempt_ok += imminent(game.board, SPACE_IDS[move.args[0]])
        game.apply(move)
        if separation_turn is None and game.board.tracks[T.POSTURE] == SEPARATION:
            separation_turn = game.ctx.turn
    b = game.board
    out = game.outcome()
    return {"ending": out.termination, "winners": out.winners,
            "scores": {f: s.total for f, s in out.scores.items()},
            "lethal": lethal, "protect": protect, "shield": shield, "suppress": suppress,
            "preempt": preempt, "preempt_ok": preempt_ok, "leaders": leaders, "condemn": condemn,
            "harmed": b.tracks[T.US_CASUALTIES] - 1, "troops": on_map(b, K_US),
            "separated": separation_turn is not None,
            "legitimacy": b.tracks[T.LEGITIMACY], "elections": b.tracks[T.ELECTORAL] >= 5,
            "deadlock": b.tracks[T.GOVERNMENT] == CARETAKER and militia_posts(b) >= 5}


def run(pool, seats: str, start=(), seeds=range(1, 201)) -> list[dict]:
    return list(pool.map(play, [(seats, tuple(start), s) for s in seeds], chunksize=20))


def mean(rows, key) -> float:
    return statistics.mean(float(r[key]) for r in rows)


def share(rows, test) -> float:
    return 100 * sum(1 for r in rows if test(r)) / max(1, len(rows))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    seeds = range(args.first_seed, args.first_seed + args.games)
    t0 = time.perf_counter()
    print(f"python benchmarks/levers.py --games {args.games} --first-seed {args.first_seed}\n")
    default = "us=doctrine:continuity,goi=doctrine:balancing,mil=doctrine:entrench,pro=doctrine:peaceful"
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        print("| lever / claim | seats | baseline | changed |")
        print("|---|---|---|---|")
        for goi in ("balancing", "tehran"):
            seats = default.replace("goi=doctrine:balancing", f"goi=doctrine:{goi}")
            a = run(pool, seats, (), seeds)
            b = run(pool, seats, (("waiver", 1),), seeds)
            print(f"| conditional waiver: government protects US sites (moves a game) | goi {goi} "
                  f"| {mean(a, 'protect'):.2f} (waiver granted) | {mean(b, 'protect'):.2f} (conditional) |")
        for goi in ("balancing", "tehran"):
            seats = (default.replace("mil=doctrine:entrench", "mil=doctrine:escalate")
                     .replace("goi=doctrine:balancing", f"goi=doctrine:{goi}"))
            a = run(pool, seats, (), seeds)
            b = run(pool, seats, (("sanctions", 2),), seeds)
            print(f"| threatened broad sanctions deter: lethal rocket orders a game | mil escalate, goi {goi} "
                  f"| {mean(a, 'lethal'):.2f} | {mean(b, 'lethal'):.2f} (threatened) |")
            print(f"| ... US persons harmed a game | mil escalate, goi {goi} "
                  f"| {mean(a, 'harmed'):.2f} | {mean(b, 'harmed'):.2f} |")
            print(f"| ... government protection of US sites a game | mil escalate, goi {goi} "
                  f"| {mean(a, 'protect'):.2f} | {mean(b, 'protect'):.2f} |")
        a = run(pool, default, (), seeds)
        b = run(pool, default, (("waiver", 0),), seeds)
        print(f"| withholding the waiver from the start: US win rate | default doctrines "
              f"| {share(a, lambda r: 'us' in r['winners']):.1f}% | "
              f"{share(b, lambda r: 'us' in r['winners']):.1f}% (withheld; collapses "
              f"{share(b, lambda r: r['ending'] == 'collapse'):.0f}%) |")
        rows = []
        for us in ("continuity", "tougher_love", "separation"):
            for mil in ("entrench", "escalate"):
                for pro in ("peaceful", "confrontational"):
                    rows += run(pool, f"us=doctrine:{us},goi=doctrine:tehran,mil=doctrine:{mil},"
                                      f"pro=doctrine:{pro}", (), seeds)
        print(f"| eviction under the Tehran-leaning government: games ending in completed withdrawal "
              f"| goi tehran, the 12 other combinations | was 57-98% per combination (before issue 14) "
              f"| {share(rows, lambda r: r['ending'] == 'withdrawal'):.1f}% |")
        collapsed = [r for r in rows if r["ending"] == "collapse"]
        if collapsed:
            print(f"| a collapse costs the US: US win rate in games ending in collapse | goi tehran, all "
                  f"| {share(rows, lambda r: 'us' in r['winners']):.1f}% (all games) "
                  f"| {share(collapsed, lambda r: 'us' in r['winners']):.1f}% ({len(collapsed)} collapses) |")
        sep = run(pool, default.replace("us=doctrine:continuity", "us=doctrine:separation"), (), seeds)
        print(f"| separation: US troops in Iraq at the end | us separation | 6.5 of 8 (before issue 14) "
              f"| {statistics.mean(r['troops'] for r in sep if r['separated']):.1f} of 8 "
              f"(in the {sum(r['separated'] for r in sep)} games that separated) |")
        pre = sum(r["preempt"] for r in sep)
        ok = sum(r["preempt_ok"] for r in sep)
        print(f"| preemptive strikes with the attack imminent at the target | us separation "
              f"| 0 of 1 (before the doctrine aimed at imminent targets only) | {ok} of {pre} |")
        print(f"| the leadership strike at Baghdad airport (games with one) | us separation "
              f"| 0 (no doctrine played it) | {sum(r['leaders'] > 0 for r in sep)} of {len(sep)} |")
        print(f"| the government shields protesters (moves a game) / militia suppressions a game "
              f"| default doctrines | 19 / - (before issue 14) | {mean(a, 'shield'):.1f} / {mean(a, 'suppress'):.1f} |")
        held = [r for r in a if r["elections"]]
        not_held = [r for r in a if not r["elections"]]
        if held and not_held:
            print(f"| early elections relegitimise: final legitimacy | default doctrines "
                  f"| {mean(not_held, 'legitimacy'):.1f} (no elections, {len(not_held)} games) "
                  f"| {mean(held, 'legitimacy'):.1f} (elections held, {len(held)} games) |")
        erratic = run(pool, "us=random,goi=doctrine:balancing,mil=random,pro=random", (), seeds)
        print(f"| the state answers strikes that shame it: condemnations a game / US leadership strikes "
              f"a game | goi balancing, three random seats | - (no such move before scenario version 4) "
              f"| {mean(erratic, 'condemn'):.2f} / {mean(erratic, 'leaders'):.2f} (collapses "
              f"{share(erratic, lambda r: r['ending'] == 'collapse'):.0f}%, government wins "
              f"{share(erratic, lambda r: 'goi' in r['winners']):.1f}%) |")
        allrows = []
        for us in ("continuity", "tougher_love", "separation"):
            for goi in ("balancing", "tehran"):
                for mil in ("entrench", "escalate"):
                    for pro in ("peaceful", "confrontational"):
                        allrows += run(pool, f"us=doctrine:{us},goi=doctrine:{goi},mil=doctrine:{mil},"
                                             f"pro=doctrine:{pro}", (), seeds)
        dead = [r for r in allrows if r["deadlock"] and r["ending"] == "time"]
        print(f"| deadlock: militia win rate in games ending on time under a caretaker with 5+ posts "
              f"held | all 24 combinations | {share(allrows, lambda r: MIL in r['winners']):.1f}% (all games) "
              f"| {share(dead, lambda r: MIL in r['winners']):.1f}% ({len(dead)} games) |")
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
