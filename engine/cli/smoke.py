"""``smoke``: the zero-player smoke matrix (see engine/smoke.py)."""

from __future__ import annotations

import argparse
import time

from engine.cli import CliError, nonneg_int, positive_int
from engine.cli.play import scenario
from engine.seats import SeatError, parse_seats
from engine.smoke import run_matrix


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("smoke", description="Play one game per seed with bots in every chair and print how "
                                   "often each move kind and event card was used, how games ended "
                                   "and the spread of scores. Exits 1 if a move kind or card never "
                                   "appeared.")
    p.add_argument("--games", type=positive_int, default=200, help="number of games (default 200)")
    p.add_argument("--first-seed", type=nonneg_int, default=1, help="first seed (default 1)")
    p.add_argument("--seats", default="", help="seats as for play (default: all random)")
    return p


def run(args: argparse.Namespace) -> int:
    sc = scenario()
    try:
        seats = parse_seats(args.seats, sc.factions)
    except SeatError as err:
        raise CliError(str(err)) from None
    if any(s.human for s in seats.values()):
        raise CliError("the smoke matrix has no human seats")
    start = time.perf_counter()
    matrix = run_matrix(sc, range(args.first_seed, args.first_seed + args.games), seats)
    elapsed = time.perf_counter() - start
    print(f"python main.py smoke --games {args.games} --first-seed {args.first_seed}"
          f"{' --seats ' + args.seats if args.seats else ''}  ({elapsed:.1f} s)")
    print("\n".join(matrix.table(sc)))
    unused = matrix.unused_kinds(sc) + matrix.unused_cards(sc)
    if unused:
        print("NEVER USED: " + ", ".join(unused))
        return 1
    return 0
