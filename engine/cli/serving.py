"""What ``host`` (one exercise) and ``host --tables N`` (a class) share: a
table read back from its save and token file, the checks of the files named
on the command line, and the server's life from listening to shutdown."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Callable

from engine.cli import CliError
from engine.cli.play import scenario
from engine.net.journal import (Journal, new_key, new_tokens, read_private, restore, restore_key,
                                restore_requests)
from engine.net.protocol import SPECTATOR, WHITE
from engine.net.referee import Referee
from engine.record import Autosaver, SaveError, regular_file
from engine.seats import parse_seats


def check_save_target(path: str | None, flag: str = "--save") -> None:
    """A file to write the exercise to: a directory, named pipe or device is
    refused in one line (``play --save`` says the same)."""
    if path is None:
        return
    try:
        regular_file(path)
    except SaveError as err:
        raise CliError(f"{flag} {path}: {err}") from None


def resume(save: Path, autosaver: Autosaver | None,
           fresh_tokens: bool = False) -> tuple[Referee, dict[str, str], Journal]:
    """A table's referee, tokens and journal, replayed and verified from
    ``save`` and its token file (with ``fresh_tokens``: new tokens instead,
    for a save that has none).  :class:`JournalError` or :class:`SeatError`
    (one line) when either file is unusable."""
    sc = scenario()
    journal, game, lines = Journal.load(save, sc, autosaver)
    seats = parse_seats(journal.header.seats, sc.factions)
    if fresh_tokens:
        doc = {"tokens": new_tokens([f for f, s in seats.items() if s.human] + [WHITE, SPECTATOR])}
    else:
        doc = read_private(save)
    settings, schedule, sealed, sealed_round, refs = restore(doc)
    requests = restore_requests(doc)
    # The record is signed from now on (an older file had no key: a new one).
    journal.record.signing_key = restore_key(doc) or new_key()
    tokens = {str(k): str(v) for k, v in doc["tokens"].items()}
    ref = Referee(game, seats, journal.header.seed, journal.append, settings)
    ref.schedule, ref.sealed, ref.sealed_round, ref.refs = schedule, sealed, sealed_round, refs
    ref.ref_requests = requests
    ref.log = lines
    return ref, tokens, journal


async def listen_until_stopped(server, bind: str, port: int, announce: Callable[[str], None],
                               on_fail: Callable[[], None] = lambda: None) -> None:
    """Start ``server`` (a :class:`Server` or a :class:`Hub`), ``announce``
    its address, serve until SIGINT or SIGTERM, then stop it.  If it cannot
    listen, ``on_fail`` tidies up and a one-line :class:`CliError` says why."""
    try:
        bound = await server.start()
    except OSError as err:
        on_fail()
        raise CliError(f"cannot listen on {bind}:{port}: {err.strerror or err}") from None
    host = f"[{bind}]" if ":" in bind else bind
    announce(f"ws://{host}:{bound}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - not on this platform
            pass
    await stop.wait()
    await server.stop()
