"""``host --tables N``: a class of exercises served from one process and one port.

Each table is a whole exercise (its own game, seed, seats, save, token file
and write-ahead log, exactly as ``host`` keeps for one table); the *class
file* ties them together::

    {"format": "crossroads-class", "version": 1, "created": "...",
     "tables": {"t1": "class-…-t1.json", "t2": "class-…-t2.json"}}

It holds no secret: the tokens stay in each table's private
``<save>.tokens.json`` (mode 0600), where the class's one white-cell token
is kept with the table's own.  ``host --load CLASSFILE`` reads every table
back, replays and verifies it, and serves them all again with the same
tokens.  Each table's save is an ordinary exercise save: ``replay``,
``report`` and ``host --load`` read it alone too.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path

import attrs

from engine.cli import CliError
from engine.cli.play import autosaver_of, scenario
from engine.cli.serving import check_save_target, listen_until_stopped, resume
from engine.game import Game
from engine.net.hub import Hub, table_ids, table_tokens
from engine.net.journal import Journal, JournalError, new_key, tokens_path, write_atomic
from engine.net.protocol import SPECTATOR, WHITE
from engine.net.referee import Referee, Settings
from engine.net.server import Server
from engine.record import Autosaver, SaveError, read_text
from engine.seats import SeatError, format_seats, parse_seats

CLASS_FORMAT = "crossroads-class"
CLASS_VERSION = 1


@attrs.define
class Table:
    tid: str
    referee: Referee
    tokens: dict[str, str]
    journal: Journal
    save: Path


def is_class_file(path: Path) -> bool:
    """Whether ``path`` is a class file (anything else is left to ``host``'s
    single-table checks, which say what is wrong with it)."""
    try:  # never opens a named pipe or a device (it would block): read_text refuses them
        doc = json.loads(read_text(path, 1_000_000))
    except (SaveError, ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and doc.get("format") == CLASS_FORMAT


def table_save(class_path: Path, tid: str) -> Path:
    return class_path.with_name(f"{class_path.stem}-{tid}.json")


def read_class_file(path: Path) -> dict[str, Path]:
    """The tables of a class file and their saves (:class:`CliError` if unusable)."""
    try:
        doc = json.loads(read_text(path, 1_000_000))
    except (SaveError, ValueError, RecursionError):
        raise CliError(f"{path}: not a readable class file") from None
    tables = doc.get("tables") if isinstance(doc, dict) else None
    if doc.get("version") != CLASS_VERSION or not isinstance(tables, dict) or not tables \
            or not all(isinstance(k, str) and isinstance(v, str) and "/" not in v
                       and "\\" not in v and v not in ("", ".", "..")
                       for k, v in tables.items()):
        raise CliError(f"{path}: not a class file of version {CLASS_VERSION}")
    return {tid: path.parent / name for tid, name in tables.items()}


def write_class_file(path: Path, tables: dict[str, Path], created: str) -> None:
    doc = {"format": CLASS_FORMAT, "version": CLASS_VERSION, "created": created,
           "tables": {tid: save.name for tid, save in tables.items()}}
    write_atomic(path, json.dumps(doc, indent=1) + "\n")


def _new(args: argparse.Namespace, autosaver: Autosaver | None) -> tuple[dict[str, Table], str, Path]:
    from engine.cli.host import _now
    sc = scenario()
    if args.seed + args.tables > 2**64:
        raise CliError(f"a class of {args.tables} tables plays seeds {args.seed} to "
                       f"{args.seed + args.tables - 1}: a seed is at most 2**64-1")
    try:
        seats = parse_seats(args.seats, sc.factions, default="human")
        games = [Game.new(sc, args.seed + i, args.turns) for i in range(args.tables)]
    except (SeatError, ValueError) as err:
        raise CliError(str(err)) from None
    created = _now()
    stamp = created.replace(":", "").replace("-", "")
    path = Path(args.save) if args.save else \
        Path(args.autosave_dir) / f"class-{stamp}-seed{args.seed}.json"
    ids = table_ids(args.tables)
    saves = {tid: table_save(path, tid) for tid in ids}
    for p in [path, *saves.values(), *map(tokens_path, saves.values())]:
        if p.exists():
            raise CliError(f"{p} exists: resume the class with --load, or choose another --save")
    white = f"{WHITE}.{secrets.token_urlsafe(16)}"
    roles = [f for f, s in seats.items() if s.human] + [SPECTATOR]
    tables = {}
    try:
        for i, tid in enumerate(ids):
            seed = args.seed + i
            journal = Journal.start(saves[tid], games[i], seed, format_seats(seats), created,
                                    autosaver, key=new_key())  # each table signs its save
            settings = Settings(sealed=args.sealed, review=args.review, clock=args.clock,
                                clock_default=args.clock_default)
            ref = Referee(games[i], seats, seed, journal.append, settings)
            tokens = {**table_tokens(tid, roles), WHITE: white}
            tables[tid] = Table(tid, ref, tokens, journal, saves[tid])
        write_class_file(path, saves, created)
    except OSError as err:
        raise CliError(f"cannot write the class's saves next to {path}: "
                       f"{err.strerror or err}") from None
    return tables, white, path


def _load(path: Path, autosaver: Autosaver | None) -> tuple[dict[str, Table], str, Path]:
    tables: dict[str, Table] = {}
    whites = set()
    for tid, save in read_class_file(path).items():
        try:
            ref, tokens, journal = resume(save, autosaver)
        except (JournalError, SeatError) as err:
            raise CliError(f"table {tid}: {err}") from None
        if WHITE not in tokens:
            raise CliError(f"table {tid}: {tokens_path(save)} has no white-cell token")
        whites.add(tokens[WHITE])
        tables[tid] = Table(tid, ref, tokens, journal, save)
    if len(whites) != 1:
        raise CliError(f"{path}: the tables' token files disagree on the white cell's token")
    return tables, whites.pop(), path


def build(args: argparse.Namespace) -> tuple[dict[str, Table], str, Path]:
    check_save_target(args.save)
    if args.load and args.save and Path(args.save).resolve() != Path(args.load).resolve():
        raise CliError(f"{args.load} is a class file and resumes in place: leave out --save")
    autosaver = autosaver_of(args)
    if args.load:
        return _load(Path(args.load), autosaver)
    return _new(args, autosaver)


def persist(table: Table) -> None:
    """A table's private file, as ``host`` keeps it (engine/cli/host.py persist)."""
    from engine.cli.host import persist as persist_one
    persist_one(table.referee, table.tokens, table.save, table.journal.record.signing_key)


def servers_of(tables: dict[str, Table], **kw) -> dict[str, Server]:
    return {tid: Server(t.referee, t.tokens, journal=t.journal, table=tid,
                        on_change=lambda t=t: persist(t), **kw) for tid, t in tables.items()}


def announce(tables: dict[str, Table], white: str, url: str, path: Path, out=sys.stdout) -> None:
    first = next(iter(tables.values())).referee
    out.write(f"Crossroads class: {len(tables)} tables of {first.scenario.title}\n")
    out.write(f"Serving on {url}\n")
    out.write(f"Class file: {path}  (resume every table with: python main.py host --load {path})\n")
    out.write(f"  {'white cell':<12} python main.py join {url} --token {white}   (every table)\n")
    for tid, t in tables.items():
        ref = t.referee
        out.write(f"Table {tid}: seed {ref.seed}, turn {ref.game.ctx.turn}, save {t.save}\n")
        for role, token in t.tokens.items():
            if role == WHITE:
                continue
            label = "spectators" if role == SPECTATOR else f"seat {role}"
            out.write(f"  {label:<12} python main.py join {url} --token {token}\n")
        for faction, seat in ref.seats.items():
            if not seat.human:
                out.write(f"  seat {faction:<7} played on the server by {seat}\n")
    out.write("Class ready.\n")
    out.flush()


async def serve(args: argparse.Namespace) -> int:
    tables, white, path = build(args)
    hub = Hub(servers_of(tables), white, bind=args.bind, port=args.port)
    for t in tables.values():
        persist(t)
    await listen_until_stopped(hub, args.bind, args.port,
                               lambda url: announce(tables, white, url, path))
    for t in tables.values():
        t.journal.write()  # each whole save, its write-ahead log folded in
    print(f"Server stopped; resume every table with: python main.py host --load {path}",
          flush=True)
    return 0
