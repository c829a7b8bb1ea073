"""``tournament``: many headless games on every core, and who won them.

Each game's seed is ``first_seed + i``.  With ``--rotate SEAT`` the seat
goes round the chairs, the others taken from ``--others``: one line per
chair, each on the same seeds, so a chair's line compares directly with the
same seeds under other seats.  Bots get their generators from the
game's seed and their chair (:func:`engine.match.bot_rng`), so a line of the
table replays exactly.

**Win rate** in a chair is the share of games in which that faction ends
with the top score; a tie counts as a win for every tied faction.  The 95%
interval is Wilson's score interval for a binomial proportion.  Decision
time is the mean wall-clock time of that chair's bot per move.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, TextIO

import attrs

from engine.cli import CliError, nonneg_int, positive_int
from engine.cli.play import scenario
from engine.game import Game
from engine.match import Match
from engine.seats import SeatError, Seat, format_seats, parse_seat, parse_seats
from engine.stats import wilson


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("tournament", description="Play N headless games with the given seats on several processes and "
                                   "print, per faction, the win rate (ties count as wins for every tied "
                                   "faction), its 95% Wilson interval, the mean score and the mean "
                                   "decision time.")
    p.add_argument("--games", type=positive_int, default=100, help="games per line (default 100)")
    p.add_argument("--seats", default="",
                   help="seats as for play, e.g. us=ai:hard (unnamed factions: --others)")
    p.add_argument("--others", default="random",
                   help="seat of every faction not named in --seats (default random; "
                        "'doctrine' is each faction's first doctrine)")
    p.add_argument("--rotate", default=None, metavar="SEAT",
                   help="put SEAT in each chair in turn (the others from --others), one line per "
                        "chair; replaces --seats")
    p.add_argument("--first-seed", type=nonneg_int, default=1, help="first seed (default 1)")
    p.add_argument("--workers", type=positive_int, default=2, help="processes (default 2)")
    p.add_argument("--turns", type=positive_int, default=None, help="game length in turns")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return p


@attrs.frozen(slots=True)
class GameResult:
    seed: int
    winners: tuple[str, ...]
    scores: dict[str, int]
    termination: str
    think: dict[str, float]   # total decision seconds per faction
    moves: dict[str, int]     # decisions per faction


def play_game(seats_text: str, seed: int, turns: int | None) -> GameResult:
    """One headless game (runs in a worker process)."""
    sc = scenario()
    seats = parse_seats(seats_text, sc.factions)
    game = Game.new(sc, seed, turns)
    match = Match(game, seats, seed, clock=time.perf_counter)
    think = dict.fromkeys(sc.factions, 0.0)
    moves = dict.fromkeys(sc.factions, 0)
    while not game.is_over():
        faction = game.active_faction
        t0 = time.perf_counter()
        move = match.bot_choice().move
        think[faction] += time.perf_counter() - t0
        moves[faction] += 1
        game.apply(move)
    outcome = game.outcome()
    return GameResult(seed, outcome.winners, {f: s.total for f, s in outcome.scores.items()},
                      outcome.termination, think, moves)


@attrs.define
class Line:
    """The results of one seating over many seeds."""

    seats: dict[str, Seat]
    results: list[GameResult] = attrs.field(factory=list)

    def rows(self, factions: Iterable[str]) -> list[str]:
        n = len(self.results)
        out = []
        for f in factions:
            wins = sum(f in r.winners for r in self.results)
            lo, hi = wilson(wins, n)
            score = statistics.mean(r.scores[f] for r in self.results) if n else 0.0
            moves = sum(r.moves[f] for r in self.results)
            think = sum(r.think[f] for r in self.results) / moves * 1000 if moves else 0.0
            out.append(f"| {f:4s} | {str(self.seats[f]):22s} | {100 * wins / max(n, 1):5.1f}% "
                       f"| {100 * lo:4.1f}\u2013{100 * hi:4.1f}% | {score:6.1f} | {think:9.1f} |")
        return out


def table(line: Line, factions: tuple[str, ...]) -> list[str]:
    endings: dict[str, int] = {}
    for r in line.results:
        endings[r.termination] = endings.get(r.termination, 0) + 1
    head = [f"{len(line.results)} games, seats {format_seats(line.seats)}; endings: "
            + ", ".join(f"{k} {v}" for k, v in sorted(endings.items(), key=lambda kv: -kv[1])),
            "",
            "| chair | seat | win rate | 95% CI | mean score | ms/decision |",
            "|---|---|---|---|---|---|"]
    return head + line.rows(factions)


class Progress:
    """A one-line text progress bar on a terminal stream."""

    def __init__(self, total: int, out: TextIO | None) -> None:
        self.total, self.done, self.out = total, 0, out
        self.start = time.perf_counter()

    def step(self) -> None:
        self.done += 1
        if self.out is None:
            return
        width = 30
        filled = width * self.done // self.total
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        self.out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                       f"games  {elapsed:5.0f}s elapsed, ~{eta:4.0f}s left")
        if self.done == self.total:
            self.out.write("\n")
        self.out.flush()


def named(seats: dict[str, Seat], sc) -> dict[str, Seat]:
    """Bare ``doctrine`` seats spelled out with the doctrine they stand for."""
    return {f: Seat(s.kind, sc.doctrines(f)[0]) if s.kind == "doctrine" and not s.arg else s
            for f, s in seats.items()}


def seatings(args: argparse.Namespace, sc) -> list[dict[str, Seat]]:
    factions = sc.factions
    if args.rotate is not None:
        if args.seats:
            raise CliError("give either --seats or --rotate, not both")
        lines = []
        for f in factions:
            seats = {g: parse_seat(args.others, g) for g in factions}
            seats[f] = parse_seat(args.rotate, f)
            lines.append(named(seats, sc))
        return lines
    return [named(parse_seats(args.seats, factions, default=args.others), sc)]


def run(args: argparse.Namespace) -> int:
    sc = scenario()
    try:
        lines = [Line(s) for s in seatings(args, sc)]
    except SeatError as err:
        raise CliError(str(err)) from None
    if any(s.human for line in lines for s in line.seats.values()):
        raise CliError("a tournament has no human seats")
    try:  # the length, checked here as a game checks it: not in a worker, as a traceback
        Game.new(sc, args.first_seed, args.turns)
    except ValueError as err:
        raise CliError(str(err)) from None
    seeds = range(args.first_seed, args.first_seed + args.games)
    jobs = [(i, format_seats(line.seats), seed) for i, line in enumerate(lines) for seed in seeds]
    progress = Progress(len(jobs), None if args.no_progress else sys.stderr)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [(i, pool.submit(play_game, text, seed, args.turns)) for i, text, seed in jobs]
        for i, fut in futures:
            lines[i].results.append(fut.result())
            progress.step()
    elapsed = time.perf_counter() - start
    command = ["python main.py tournament", f"--games {args.games}"]
    if args.rotate is not None:
        command.append(f"--rotate {args.rotate}")
    elif args.seats:
        command.append(f"--seats {args.seats}")
    if args.others != "random":
        command.append(f"--others {args.others}")
    if args.first_seed != 1:
        command.append(f"--first-seed {args.first_seed}")
    if args.turns:
        command.append(f"--turns {args.turns}")
    print(" ".join(command) + f"   ({len(jobs)} games, {elapsed:.0f} s, {args.workers} workers)")
    for line in lines:
        print()
        print("\n".join(table(line, sc.factions)))
    return 0
