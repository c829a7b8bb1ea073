"""``host``: serve a multiplayer training exercise.

``python main.py host --port 8765 --seats us=human,goi=human,mil=ai:hard,pro=human``
starts the authoritative server on 127.0.0.1 (``--bind`` to choose), prints
one join token per human seat, one for the white cell and one for
spectators, and autosaves after every entry of the log.  The tokens are
kept next to the autosave, in ``<save>.tokens.json``, not in the save
itself; ``--load SAVE`` resumes a stopped or killed server with the same
tokens, settings and sealed orders.

``--tables N`` serves a class: N tables from one process and one port, each
its own game (seed S, S+1, …), seats, save and tokens (each token names its
table, ``t2.…``), and one white-cell token that sees every table.  The
class file (``--save``, default ``AUTOSAVE_DIR/class-DATE-seedS.json``)
lists the tables' saves, written beside it as ``NAME-t1.json`` …; ``--load
CLASSFILE`` resumes every table.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import sys
from pathlib import Path

from engine.cli import CliError, nonneg_int, positive_int, seed_int
from engine.cli.play import autosaver_of, default_saves, scenario
from engine.cli.serving import check_save_target, listen_until_stopped, resume
from engine.game import Game
from engine.net.journal import Journal, JournalError, new_key, new_tokens, tokens_path, write_private
from engine.net.protocol import SPECTATOR, WHITE
from engine.net.referee import Referee, Settings
from engine.record import clean_stale
from engine.net.server import Server
from engine.net.hub import MAX_TABLES
from engine.seats import SeatError, format_seats, kinds_help, parse_seats


def port_number(text: str) -> int:
    value = nonneg_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, got {value}")
    return value


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 1 <= value <= 86400:
        raise argparse.ArgumentTypeError("the clock runs 1 to 86400 seconds")
    return value


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("host", description="Start an exercise server: one token per human seat, one for "
                                   "the white cell (facilitator), one for spectators. The game is "
                                   "autosaved after every entry; the tokens are kept next to the "
                                   "save in SAVE.tokens.json. Stop with Ctrl-C; resume with --load.")
    p.add_argument("--port", type=port_number, default=8765, help="port (default 8765; 0: any free)")
    p.add_argument("--bind", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--seats", default="us=human,goi=human,mil=human,pro=human",
                   help=f"who plays each faction (seat kinds: {kinds_help()}); bots play on "
                        "the server; a faction not named is a human seat (default: four human seats)")
    p.add_argument("--seed", type=seed_int, default=1, help="random seed (default 1)")
    p.add_argument("--turns", type=positive_int, default=None, help="length in turns (default 12)")
    p.add_argument("--load", metavar="SAVE", help="resume the exercise autosaved in SAVE")
    p.add_argument("--save", metavar="PATH",
                   help="the exercise's save, rewritten after every entry of the log (default "
                        "AUTOSAVE_DIR/exercise-DATE-seedN.json)")
    p.add_argument("--autosave-dir", metavar="DIR", default=default_saves(),
                   help="where to autosave after every turn, as a local game does "
                        f"(default {default_saves()})")
    p.add_argument("--no-autosave", action="store_true", help="no autosaves after each turn")
    p.add_argument("--sealed", action="store_true", help="start with sealed orders")
    p.add_argument("--review", action="store_true",
                   help="start with every result held for the white cell's review")
    p.add_argument("--clock", type=seconds, default=None, help="seconds each seat has to act")
    p.add_argument("--clock-default", choices=("pass", "ai"), default="pass",
                   help="what plays for a seat whose clock ran out (default pass)")
    p.add_argument("--tables", type=table_count, default=1, metavar="N",
                   help="serve a class of N tables (1-16) on this one port, seeds SEED, SEED+1, "
                        "...; one white-cell token sees them all (default 1)")
    return p


def table_count(text: str) -> int:
    value = positive_int(text)
    if value > MAX_TABLES:
        raise argparse.ArgumentTypeError(f"at most {MAX_TABLES} tables, got {value}")
    return value


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def exercise_path(args: argparse.Namespace, created: str, seed: int) -> Path:
    """Where a new exercise is saved: ``--save``, or a dated name in the
    autosave folder; never over an existing save or token file."""
    save = Path(args.save) if args.save else \
        Path(args.autosave_dir) / f"exercise-{created.replace(':', '').replace('-', '')}-seed{seed}.json"
    if save.exists() or tokens_path(save).exists():
        raise CliError(f"{save} exists: resume it with --load, or choose another --save")
    return save


def build(args: argparse.Namespace) -> tuple[Referee, dict[str, str], Journal, Path]:
    """The referee, tokens and journal of a new or resumed exercise."""
    sc = scenario()
    check_save_target(args.save)
    autosaver = autosaver_of(args)
    if args.load or args.save:  # temporary files of a host killed mid-write
        clean_stale(Path(args.load or args.save).parent)
    if args.load:
        return _resumed(args, autosaver)
    try:
        seats = parse_seats(args.seats, sc.factions, default="human")
        game = Game.new(sc, args.seed, args.turns)
    except (SeatError, ValueError) as err:
        raise CliError(str(err)) from None
    created = _now()
    save = exercise_path(args, created, args.seed)
    settings = Settings(sealed=args.sealed, review=args.review, clock=args.clock,
                        clock_default=args.clock_default)
    roles = [f for f, s in seats.items() if s.human] + [WHITE, SPECTATOR]
    tokens = new_tokens(roles)
    try:
        journal = Journal.start(save, game, args.seed, format_seats(seats), created, autosaver,
                                key=new_key())
    except OSError as err:
        raise CliError(f"cannot write {save}: {err.strerror or err}") from None
    ref = Referee(game, seats, args.seed, journal.append, settings)
    return ref, tokens, journal, save


def _resumed(args: argparse.Namespace, autosaver) -> tuple[Referee, dict[str, str], Journal, Path]:
    """An exercise resumed from ``--load``.  A save with no token file beside
    it (a local game's) becomes a new exercise saved elsewhere (``--save``,
    or a dated name in the autosave folder): the player's file is never
    rewritten."""
    save = Path(args.load)
    local = not tokens_path(save).exists()
    if not local and args.save and Path(args.save).resolve() != save.resolve():
        raise CliError(f"{save} is an exercise's save and resumes in place: leave out --save")
    try:
        ref, tokens, journal = resume(save, autosaver, fresh_tokens=local)
    except (JournalError, SeatError) as err:
        raise CliError(str(err)) from None
    if not local:
        return ref, tokens, journal, save
    target = exercise_path(args, _now(), journal.header.seed)
    if target.resolve() == save.resolve():  # pragma: no cover - exercise_path refuses it
        raise CliError(f"{save} would be rewritten: choose another --save")
    journal.path = target
    try:
        journal.write()
    except OSError as err:
        raise CliError(f"cannot write {target}: {err.strerror or err}") from None
    print(f"{save} is a game's save, not an exercise's: it is left as it was; the exercise "
          f"continues in {target}", flush=True)
    return ref, tokens, journal, target


def persist(ref: Referee, tokens: dict[str, str], save: Path, key: bytes | None = None) -> None:
    """The host's private file: tokens, the signing key, the white cell's settings."""
    extra = {"mac_key": key.hex()} if key is not None else {}
    write_private(save, tokens, ref.settings, ref.schedule, ref.sealed, ref.sealed_round, ref.refs,
                  ref.ref_requests, **extra)


def announce(ref: Referee, tokens: dict[str, str], url: str, save: Path, out=sys.stdout) -> None:
    sc = ref.scenario
    out.write(f"Crossroads exercise: {sc.title}, seed {ref.seed}, turn {ref.game.ctx.turn}\n")
    out.write(f"Serving on {url}\n")
    out.write(f"Autosave: {save}  (tokens: {tokens_path(save)})\n")
    for role, token in tokens.items():
        label = {WHITE: "white cell", SPECTATOR: "spectators"}.get(role, f"seat {role}")
        out.write(f"  {label:<12} python main.py join {url} --token {token}\n")
    for faction, seat in ref.seats.items():
        if not seat.human:
            out.write(f"  seat {faction:<7} played on the server by {seat}\n")
    out.flush()


def _files(folder: Path) -> set[Path]:
    try:
        return {p for p in folder.iterdir() if p.is_file()}
    except OSError:
        return set()


async def serve(args: argparse.Namespace) -> int:
    from engine.cli import classroom
    if args.load and args.tables > 1 and not classroom.is_class_file(Path(args.load)):
        raise CliError(f"{args.load} is not a class file: --tables N starts a new class "
                       "(resume a single exercise without --tables)")
    if args.load and args.tables > 1:  # resuming a class: its own number of tables
        held = len(classroom.read_class_file(Path(args.load)))
        if held != args.tables:
            raise CliError(f"{args.load} is a class of {held} tables, not {args.tables}: resume "
                           "it without --tables")
    if args.tables > 1 or (args.load and classroom.is_class_file(Path(args.load))):
        return await classroom.serve(args)
    folders = {Path(args.autosave_dir)} | ({Path(args.save).parent} if args.save else set()) \
        | ({Path(args.load).parent} if args.load else set())
    before = set().union(*(_files(f) for f in folders))
    ref, tokens, journal, save = build(args)
    server = Server(ref, tokens, bind=args.bind, port=args.port, journal=journal,
                    on_change=lambda: persist(ref, tokens, save, journal.record.signing_key))
    persist(ref, tokens, save, journal.record.signing_key)

    def leave_nothing() -> None:
        """Remove the save, tokens, log and autosaves this start wrote."""
        ours = {save, tokens_path(save), save.with_name(save.stem + ".wal")}
        for path in set().union(*(_files(f) for f in folders | {save.parent})) - before:
            if path in ours or path.name.startswith(("autosave-", f".{save.name}.")):
                try:
                    path.unlink()
                except OSError:
                    pass

    await listen_until_stopped(server, args.bind, args.port,
                               lambda url: announce(ref, tokens, url, save), leave_nothing)
    journal.write()  # the whole save, the write-ahead log folded in
    print(f"Server stopped; resume with: python main.py host --load {save}", flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(serve(args))
