"""``replay``: show, check and step through a saved game.

``replay PATH --headless`` prints the game again, entry by entry, as it is
re-simulated from the seed; ``--verify`` checks every recorded hash and
prints ``OK`` and a one-line summary, with or without ``--headless``
(``--key FILE`` also checks the host's signature); ``--to turn:5`` or
``--to move:40`` prints the situation there.  Every command verifies the
whole log first.  Without ``--headless`` (or ``--verify``) the window's
replay viewer opens, at ``--to`` if given.  A bad file is one line on stderr and exit code 2; the file is
only ever read.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TextIO

from engine.cli import CliError
from engine.record import Record, SaveError, load, read_key

_TO = re.compile(r"^(turn|move):(\d{1,6})$")


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("replay", description="Replay a saved game. With --headless the game is printed "
                                   "again as it is re-simulated from its seed; --verify checks "
                                   "every recorded state hash; --to shows one position. "
                                   "Without --headless the replay viewer opens in the window.")
    p.add_argument("path", metavar="PATH", help="a save file (from play --save or saves/)")
    p.add_argument("--headless", action="store_true", help="print to the terminal, no window")
    p.add_argument("--verify", action="store_true",
                   help="re-simulate the whole log from the seed, check every hash and print "
                        "OK with a one-line summary (in the terminal, as with --headless)")
    p.add_argument("--key", metavar="FILE",
                   help="check the host's signature of an exercise record with the key in FILE "
                        "(the exercise's token file, SAVE.tokens.json): a record changed after "
                        "the host wrote it is refused, even with its hashes recomputed")
    p.add_argument("--to", metavar="turn:N|move:N", type=position_spec,
                   help="print the situation at the start of turn N, or after the first N "
                        "entries of the log (move:0 is the start)")
    return p


def position_spec(text: str) -> tuple[str, int]:
    m = _TO.match(text.strip())
    if m is None:
        raise argparse.ArgumentTypeError(f"expected turn:N or move:N, got {text!r}")
    return m.group(1), int(m.group(2))


def run(args: argparse.Namespace) -> int:
    # Always verified: a position shown with --to is the log's, replayed and
    # checked hash for hash, never a tampered file's word (issue 11).
    try:
        key = read_key(args.key) if args.key else None
    except SaveError as err:
        raise CliError(f"--key {args.key}: {err}") from None
    try:
        record = load(args.path, verify=True)
        if key is not None:
            record.check_signature(key)
    except SaveError as err:
        raise CliError(f"{args.path}: {err}") from None
    if record.rebased is not None and not (args.verify and record.rebased.lossy):
        # an older scenario's save: say what was kept
        print(f"main.py replay: note: {args.path}: {record.rebased.line()}", file=sys.stderr)
    if not args.headless and not args.verify:  # the viewer, at --to (a bad one is one line)
        from engine.cli import window
        start = position_of(record, *args.to) if args.to is not None else 0
        return window.launch_replay(args, record, start)
    out = sys.stdout
    if args.verify:
        if record.rebased is not None and record.rebased.lossy:
            raise CliError(f"{args.path}: {record.rebased.line()}; its own hashes "
                           "cannot be checked under these rules")
        signed = "; signed with the host's key" if key is not None else ""
        out.write(f"OK: {record.summary().line()}{signed}\n")
    if args.to is not None:
        try:
            print_position(record, *args.to, out)
        except SaveError as err:
            raise CliError(f"{args.path}: {err}") from None
    if not args.verify and args.to is None:
        print_transcript(record, out)
    return 0


def position_of(record: Record, unit: str, n: int) -> int:
    """The log position of ``turn:N`` or ``move:N``; a :class:`CliError` if absent."""
    if unit == "move":
        if n > len(record):
            raise CliError(f"--to move:{n}: the log has {len(record)} entries (move:0 to "
                           f"move:{len(record)})")
        return n
    starts = record.turn_starts()
    if n not in starts:
        span = f"turns {min(starts)}-{max(starts)}" if starts else "no turns"
        raise CliError(f"--to turn:{n}: not in this game ({span} recorded)")
    return starts[n]


def print_position(record: Record, unit: str, n: int, out: TextIO) -> None:
    position = position_of(record, unit, n)
    game = record.game_at(position)
    ctx = game.ctx
    if game.is_over():
        where = f"game over ({game.outcome().description})"
    elif game.active_faction is not None:
        where = f"{ctx.phase}, {game.active_faction} to move"
    else:
        where = ctx.phase
    last = f"; last: {record.entries[position - 1].describe()}" if position else ""
    out.write(f"Position {position} of {len(record)}: turn {ctx.turn}, {where}{last}\n")
    out.write("\n".join(game.scenario.status_lines(game.board, None)) + "\n")


def print_transcript(record: Record, out: TextIO) -> None:
    h = record.header
    out.write(f"Replay of {h.scenario} v{h.scenario_version}, seed {h.seed}, {h.turns} turns, "
              f"seats {h.seats}, created {h.created}\n")
    for position in range(len(record) + 1):
        out.write("\n".join(record.game_at(position).last_events) + "\n")
    game = record.game_at(len(record))
    if game.is_over():
        from engine.cli.play import print_outcome
        print_outcome(game, out)
    else:
        out.write(f"(the game stops here: turn {game.ctx.turn}, {game.active_faction} to move)\n")
