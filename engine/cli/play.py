"""``play``: a whole game in the terminal (``--headless``) or in the window.

Bots move by themselves; a ``human`` seat is asked at the terminal, with the
legal moves numbered.  Every event and move is printed on its own line and
the final scores with their breakdown, so a game's transcript is also a
deterministic test fixture.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, TextIO

from engine.cli import CliError, nonneg_int, positive_int
from engine.game import Game
from engine.match import Match
from engine.seats import SeatError, kinds_help, parse_seats


def scenario():
    from rules.scenario import IRAQ_2020
    return IRAQ_2020


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("play", help="play a game (window by default, --headless for the terminal)",
                       description="Play a game of Crossroads. Without --headless the game window "
                                   "opens; with it, the game runs in the terminal.")
    p.add_argument("--headless", action="store_true",
                   help="play in the terminal: bots move by themselves, human seats are prompted")
    p.add_argument("--seed", type=nonneg_int, default=1, help="random seed (a whole number >= 0; default 1)")
    p.add_argument("--seats", default="us=human",
                   help="who plays each faction, e.g. us=human,goi=random,mil=random,pro=random; "
                        f"unnamed factions are random. Seat kinds: {kinds_help()} "
                        "(default: us=human)")
    p.add_argument("--turns", type=positive_int, default=None,
                   help="length of the game in turns (default: the scenario's, 12)")
    p.add_argument("--quiet", action="store_true", help="print only the final result")
    return p


def print_outcome(game: Game, out: TextIO) -> None:
    outcome = game.outcome()
    assert outcome is not None
    out.write(f"Result: {outcome.description} Winner: {', '.join(outcome.winners)}\n")
    for faction in game.scenario.factions:
        score = outcome.scores[faction]
        out.write(f"  {faction} {game.scenario.faction_names[faction]}: {score.total} "
                  f"({', '.join(score.lines())})\n")


def ask_human(game: Game, faction: str, read: Callable[[], str], out: TextIO):
    """Prompt a human at the terminal until they pick a legal move."""
    legal = game.legal_moves()
    out.write("\n".join(game.scenario.status_lines(game.view(faction).board, faction)) + "\n")
    for i, move in enumerate(legal, 1):
        out.write(f"  {i:2d}. {move}  \u2014 {game.explain(move).summary}\n")
    while True:
        out.write(f"{faction}, your move (1-{len(legal)}, ?N to see its odds, q to quit): ")
        out.flush()
        line = read()
        if line == "":
            raise CliError("input closed: game abandoned", 1)
        text = line.strip()
        if text in ("q", "quit"):
            raise CliError("game abandoned by the player", 1)
        explain = text.startswith("?")
        number = text[1:].strip() if explain else text
        if not (number.isascii() and number.isdigit() and len(number) <= 4
                and 1 <= int(number) <= len(legal)):
            out.write(f"Please type a number from 1 to {len(legal)}.\n")
            continue
        move = legal[int(number) - 1]
        if explain:
            out.write("\n".join("    " + line for line in game.explain(move).lines()) + "\n")
            continue
        return move


def reader_of(match: Match) -> str | None:
    """Whose eyes the terminal log is for: the one human seat, or the white
    cell's (everything) when bots play alone.  With several humans at one
    terminal, only public lines are shown."""
    humans = [f for f, seat in match.seats.items() if seat.human]
    if not humans:
        return None
    return humans[0] if len(humans) == 1 else ""


def lines_for(game: Game, reader: str | None) -> tuple[str, ...]:
    if reader == "":
        return tuple(line.text for line in game.last_log if line.audience is None)
    return game.events_for(reader)


def run_headless(match: Match, out: TextIO, read: Callable[[], str], quiet: bool = False) -> int:
    game = match.game
    reader = reader_of(match)
    if not quiet:
        out.write("\n".join(lines_for(game, reader)) + "\n")
    while not game.is_over():
        faction = game.active_faction
        if match.seats[faction].human:
            move = ask_human(game, faction, read, out)
        else:
            move = match.bot_choice().move
        game.apply(move)
        if not quiet:
            out.write("\n".join(lines_for(game, reader)) + "\n")
    print_outcome(game, out)
    return 0


def run(args: argparse.Namespace) -> int:
    try:
        seats = parse_seats(args.seats, scenario().factions)
    except SeatError as err:
        raise CliError(str(err)) from None
    if not args.headless:
        from engine.cli import window
        return window.launch(args, seats)
    try:
        game = Game.new(scenario(), args.seed, args.turns)
    except ValueError as err:
        raise CliError(str(err)) from None
    match = Match(game, seats, args.seed)
    if sys.stdin is None and any(seat.human for seat in seats.values()):
        raise CliError("a human seat needs a terminal to read moves from (stdin is closed)")
    return run_headless(match, sys.stdout, sys.stdin.readline if sys.stdin else (lambda: ""),
                        args.quiet)
