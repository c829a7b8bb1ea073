"""Decision times of every bot, and a whole game of four ``ai:normal`` seats.

    python benchmarks/bench_ai.py [--positions 30] [--repeat 3]

Positions are taken from fixed-seed random games (every faction to move, all
phases of the game); each bot decides each position ``--repeat`` times and the
table shows the median wall-clock time per decision, the random bot being
the baseline of the same run.  Run it on an idle machine: other processes
inflate the medians.

The second table is the search's speed in iterations per second (``normal``'s
tree, 80 iterations, median over the positions), *before* — simulations that
format the log, shuffle the whole deck and list legal moves at every node, as
the search did until the quiet mode — and *after*, in the same run.  The
``hard`` rows give the seats as doctrines (the bot models them).
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time

import attrs

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from engine.ai import Decision, RandomBot  # noqa: E402
from engine.ai.mcts import LEVELS, SearchBot  # noqa: E402
from engine.game import Game  # noqa: E402
from engine.match import Match  # noqa: E402
from engine.rng import Rng  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from rules.doctrine import DOCTRINES, DoctrineBot  # noqa: E402
from rules.scenario import IRAQ_2020 as SC  # noqa: E402


def positions(n: int) -> list[Decision]:
    out: list[Decision] = []
    seed = 1
    while len(out) < n:
        game = Game.new(SC, seed)
        rng = Rng(seed)
        k = 0
        while not game.is_over() and len(out) < n:
            f = game.active_faction
            d = Decision(SC, f, game.view(f), tuple(game.legal_moves()), clock=time.perf_counter)
            if k % 5 == 0:
                out.append(d)
            game.apply(RandomBot().choose(d, rng).move)
            k += 1
        seed += 1
    return out


SEATS = (("us", "doctrine:continuity"), ("goi", "doctrine:balancing"),
         ("mil", "doctrine:entrench"), ("pro", "doctrine:peaceful"))


def median_time(make_bot, decisions: list[Decision], repeat: int) -> float:
    times = []
    for r in range(repeat):
        for i, d in enumerate(decisions):
            bot = make_bot(d.faction)
            if bot is None:
                continue
            d = attrs.evolve(d, seats=SEATS)
            t0 = time.perf_counter()
            bot.choose(d, Rng(1000 * r + i))
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def iteration_rate(decisions: list[Decision], before: bool) -> float:
    """Median iterations per second of ``normal``'s tree search."""
    rates = []
    for i, d in enumerate(decisions):
        lv = LEVELS["normal"]
        bot = SearchBot(lv.iterations, lv.horizon, turn_end=lv.turn_end, quiet=not before,
                        cache=not before, draws=None if before else 3)
        t0 = time.perf_counter()
        bot.choose(attrs.evolve(d, clock=None), Rng(i))
        rates.append(bot.last_iterations / (time.perf_counter() - t0))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--game-seed", type=int, default=1)
    args = parser.parse_args()
    decisions = positions(args.positions)
    rows = [("random (baseline)", lambda f: RandomBot())]
    for faction, doctrines in DOCTRINES.items():
        for d in doctrines:
            rows.append((f"doctrine:{d.name} ({faction})",
                         lambda f, d=d: DoctrineBot(d) if f == d.faction else None))
    for level in LEVELS:
        rows.append((f"ai:{level} ({LEVELS[level].iterations} iterations)",
                     lambda f, level=level: SearchBot.level(level)))
    print(f"python benchmarks/bench_ai.py --positions {args.positions} --repeat {args.repeat}")
    print()
    print("| bot | median ms per decision |")
    print("|---|---|")
    for name, make in rows:
        repeat = 1 if name.startswith("ai:") and "hard" in name else args.repeat
        print(f"| {name} | {1000 * median_time(make, decisions, repeat):.2f} |", flush=True)
    print()
    print("| search (normal's tree) | iterations per second (median) |")
    print("|---|---|")
    before = iteration_rate(decisions, before=True)
    after = iteration_rate(decisions, before=False)
    print(f"| before: log text, whole-deck shuffle, no legal cache | {before:.0f} |")
    print(f"| after: quiet, partial shuffle, legal cache | {after:.0f} ({after / before:.2f}x) |",
          flush=True)
    seats = parse_seats("us=ai:normal,goi=ai:normal,mil=ai:normal,pro=ai:normal", SC.factions)
    game = Game.new(SC, args.game_seed)
    match = Match(game, seats, args.game_seed, clock=time.perf_counter)
    t0 = time.perf_counter()
    while not game.is_over():
        game.apply(match.bot_choice().move)
    wall = time.perf_counter() - t0
    outcome = game.outcome()
    print()
    print(f"Full game, four ai:normal seats, seed {args.game_seed}: {wall:.1f} s wall time, "
          f"{len(game.history)} moves, {game.ctx.turn} turns, ended by {outcome.termination}, "
          f"won by {', '.join(outcome.winners)}")


if __name__ == "__main__":
    main()
