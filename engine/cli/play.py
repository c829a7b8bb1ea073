"""``play``: a whole game in the terminal (``--headless``) or in the window.

Bots move by themselves; a ``human`` seat is asked at the terminal, with the
legal moves numbered.  Every event and move is printed on its own line and
the final scores with their breakdown, so a game's transcript is also a
deterministic test fixture.

Every game is recorded (engine/record.py): autosaved in ``saves/`` after each
turn, written to ``--save PATH`` after each turn and at the end, and resumed
exactly where it stopped with ``--load PATH`` (or ``--resume``: the newest
autosave).  Quitting or Ctrl-C saves first.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, TextIO

from engine.cli import CliError, positive_int, seed_int
from engine.game import Game
from engine.match import Match
from engine.record import (Autosaver, Recorder, SaveError, clean_stale, load_match, note_entry,
                           regular_file)
from engine.seats import SeatError, format_seats, kinds_help, parse_seats

DEFAULT_SEATS = "us=human,goi=ai:normal,mil=ai:normal,pro=ai:normal"
# What a faction not named in --seats plays: its seat in the default game.
DEFAULT_SEAT_TABLE = dict(part.split("=", 1) for part in DEFAULT_SEATS.split(","))
UNDO = "undo"  # what ask_human returns when the player takes a move back


def scenario():
    from rules.scenario import IRAQ_2020
    return IRAQ_2020


def doctrine_help() -> str:
    """The doctrine seats of every faction, for --help (the scenario registers them)."""
    sc = scenario()
    return "; ".join(f"{f}: {', '.join(sc.doctrines(f))}" for f in sc.factions if sc.doctrines(f))


def add_parser(sub) -> argparse.ArgumentParser:
    doctrine_help()  # importing the scenario registers the doctrine:NAME seat kind, listed below
    p = sub.add_parser("play", description="Play a game of Crossroads. Without --headless the game window "
                                   "opens; with it, the game runs in the terminal.")
    p.add_argument("--headless", action="store_true",
                   help="play in the terminal: bots move by themselves, human seats are prompted")
    p.add_argument("--seed", type=seed_int, default=None,
                   help="random seed (a whole number >= 0; default: a fresh one for each game, printed "
                        "at the start so the game can be replayed)")
    p.add_argument("--seats", default=None,
                   help="who plays each faction, e.g. us=human,goi=ai:easy,mil=doctrine:entrench; "
                        f"a faction not named keeps its default seat ({DEFAULT_SEATS}), or with "
                        f"--load its saved seat. Seat kinds: {kinds_help()}.")
    p.add_argument("--turns", type=positive_int, default=None,
                   help="length of the game in turns (default: the scenario's, 12)")
    p.add_argument("--quiet", action="store_true", help="print only the final result")
    p.add_argument("--save", metavar="PATH",
                   help="write the game to PATH after every turn and at the end (atomically)")
    p.add_argument("--load", metavar="PATH",
                   help="resume the game saved in PATH exactly where it stopped (its seed, length "
                        "and seats; --seats may reseat factions)")
    p.add_argument("--resume", action="store_true",
                   help="resume the most recent autosave in the autosave directory")
    p.add_argument("--autosave-dir", metavar="DIR", default=default_saves(),
                   help="where to autosave after every turn, keeping each game's last five "
                        "(default: $CROSSROADS_SAVES, else saves)")
    p.add_argument("--no-autosave", action="store_true", help="do not autosave")
    p.add_argument("--pace", type=nonneg_float, default=0.0, metavar="SECONDS",
                   help="wait this long after each bot move, to watch the bots play (default 0)")
    return p


def default_saves() -> str:
    return os.environ.get("CROSSROADS_SAVES") or "saves"


def autosaver_of(args: argparse.Namespace) -> Autosaver | None:
    """The autosaver ``--autosave-dir`` / ``--no-autosave`` ask for; a path
    that is no folder, or one that cannot be made or written, is refused at
    once, not after a game that cannot be kept."""
    if args.no_autosave:
        return None
    folder = Path(args.autosave_dir)
    if folder.exists() and not folder.is_dir():
        raise CliError(f"--autosave-dir {folder}: not a folder")
    writable_folder(folder, "--autosave-dir")
    return Autosaver(folder)


def writable_folder(folder: Path, flag: str) -> None:
    """Make ``folder`` if need be; a one-line :class:`CliError` if it cannot
    be made or written in (checked before a game, not after it)."""
    import tempfile
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".crossroads-probe-"):
            pass  # made and removed: the folder takes files
    except OSError as err:
        raise CliError(f"{flag} {folder}: cannot write there: {err.strerror or err}") from None


def nonneg_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 <= value <= 60:
        raise argparse.ArgumentTypeError(f"must be from 0 to 60 seconds, got {text}")
    return value


def fresh_seed() -> int:
    """A new game's seed when none is given: from the clock, so each game differs
    (the seed is printed and saved, so any game can be replayed)."""
    return time.time_ns() // 1000 % 1_000_000


def now_iso() -> str:
    """The time a game is created, for its save header (UTC, to the second)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def print_outcome(game: Game, out: TextIO) -> None:
    outcome = game.outcome()
    assert outcome is not None
    out.write(f"Result: {outcome.description} Winner: {', '.join(outcome.winners)}\n")
    for faction in game.scenario.factions:
        score = outcome.scores[faction]
        out.write(f"  {faction} {game.scenario.faction_names[faction]}: {score.total} "
                  f"({', '.join(score.lines())})\n")


class Quit(Exception):
    """The player typed ``q``: save and stop, exit 0, with the command that resumes."""


def status_line(game: Game, faction: str) -> str:
    """One line: turn, month, who acts and how many actions are left, every score
    (as ``faction`` can see it)."""
    ctx = game.ctx
    sc = game.scenario
    try:
        when = " " + sc.presentation().display(game.view(faction).board, faction).when
    except NotImplementedError:  # a scenario without a presentation: the turn alone
        when = ""
    scores = game.scores_seen_by(faction)
    score = " \u00b7 ".join(f"{f.upper()} {scores[f].total}" for f in sc.factions)
    left = ctx.actions_left
    return (f"T{ctx.turn}/{ctx.last_turn}{when} \u00b7 {sc.faction_names[faction]}: {left} action"
            f"{'s' if left != 1 else ''} left \u00b7 score {score}")


def move_list(game: Game, legal) -> list[str]:
    """The legal moves, numbered, grouped under their kind's title."""
    out, kind = [], None
    registry = game.scenario.registry
    for i, move in enumerate(legal, 1):
        if move.kind != kind:
            kind = move.kind
            out.append(f"  {registry.kind(move.faction, kind).title}")
        preview = game.explain(move)
        odds = ""
        if preview.check is not None:
            o = preview.check.odds()
            odds = f" ({round((o['success'] + o['partial']) * 100)}%)"
        out.append(f"    {i:2d}. {preview.summary}{odds}")
    return out


def explain_lines(game: Game, move) -> list[str]:
    """``?N``: the cost, the dice and what each outcome changes (engine/consequences.py)."""
    preview = game.explain(move)
    lines = [preview.summary, f"Cost: {preview.cost}"]
    if preview.check is not None:
        lines.append(preview.check.describe())
    for c in game.consequences(move):
        if c.tier is None:
            head = "Certain"
        else:
            dice = "impossible" if c.dice is None else (
                f"dice {c.dice[0]}" if c.dice[0] == c.dice[1] else f"dice {c.dice[0]}-{c.dice[1]}")
            head = f"{c.tier} ({dice}{', at the end of the turn' if c.later else ''})"
            if c.dice is None:
                lines.append(f"{c.tier}: impossible with these modifiers")
                continue
        lines.append(f"{head}: " + ("; ".join(c.lines) or "nothing visible changes"))
    lines.extend(preview.notes)
    return lines


def ask_human(game: Game, faction: str, read: Callable[[], str], out: TextIO,
              can_undo: bool = False, annotate: Callable[[str, bool], str] | None = None,
              show_list: bool = True, last_result: str = ""):
    """Prompt a human at the terminal until they pick a legal move.

    The list of moves is printed when ``show_list`` (the position is new to
    the player); the player's own last result and a one-line status stay
    just above the prompt.  ``l`` lists the moves again, ``s`` prints the
    whole situation, ``?N`` a move's odds and consequences.  With
    ``can_undo``, ``u`` returns :data:`UNDO`.  With ``annotate`` (a recorded
    game), ``n TEXT`` notes the last move and ``b TEXT`` bookmarks it.
    ``q`` raises :class:`Quit`.
    """
    legal = game.legal_moves()
    if show_list:
        out.write("\n".join(move_list(game, legal)) + "\n")
    if last_result:
        out.write(last_result + "\n")
    undo = ", u undo" if can_undo else ""
    note = ", n TEXT note" if annotate is not None else ""
    while True:
        out.write(status_line(game, faction) + "\n")
        out.write(f"{faction}> your move (1-{len(legal)}; ?N odds and effects, l list, s situation"
                  f"{undo}{note}, q save and quit): ")
        out.flush()
        line = read()
        if line == "":
            raise CliError("input closed: game abandoned", 1)
        text = line.strip()
        if text in ("q", "quit"):
            raise Quit()
        if text in ("l", "list"):
            out.write("\n".join(move_list(game, legal)) + "\n")
            continue
        if text in ("s", "situation"):
            out.write("\n".join(game.scenario.status_lines(game.view(faction).board, faction)) + "\n")
            continue
        if can_undo and text in ("u", "undo"):
            return UNDO
        if annotate is not None and text[:2] in ("n ", "b "):
            try:
                out.write(annotate(text[2:], text[0] == "b") + "\n")
            except ValueError as err:
                out.write(f"No note: {err}.\n")
            continue
        explain = text.startswith("?")
        number = text[1:].strip() if explain else text
        if not (number.isascii() and number.isdigit() and len(number) <= 4
                and 1 <= int(number) <= len(legal)):
            out.write(f"Please type a number from 1 to {len(legal)}.\n")
            continue
        move = legal[int(number) - 1]
        if explain:
            out.write("\n".join("    " + line.replace("\u2192 ", "") for line in explain_lines(game, move)) + "\n")
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


def lines_for(game: Game, reader: str | None, move=None, summary: str = "",
              turn: int = 0) -> tuple[str, ...]:
    """What ``reader`` reads of the last step; with ``move``, the move's own line in
    words (``T3 Iraqi government: Appoint a loyalist...``) instead of its code."""
    if reader == "":
        lines = [line.text for line in game.last_log if line.audience is None]
    else:
        lines = list(game.events_for(reader))
    if move is not None:
        name = game.scenario.faction_names[move.faction]
        raw, covert = f"T{turn} {move}", f"T{turn} {move.faction}: a covert action"
        if raw in lines:
            lines = [line for line in lines if line != covert]
            lines[lines.index(raw)] = f"T{turn} {name}: {summary}"
        elif covert in lines:
            lines[lines.index(covert)] = f"T{turn} {name}: a covert action"
    return tuple(lines)


def run_headless(match: Match, out: TextIO, read: Callable[[], str], quiet: bool = False,
                 recorder: Recorder | None = None, pace: float = 0.0,
                 sleep: Callable[[float], None] = time.sleep) -> int:
    """Play ``match`` to its end; with a ``recorder``, log, save and allow undo."""
    reader = reader_of(match)
    if not quiet:
        out.write("\n".join(lines_for(match.game, reader)) + "\n")
    save_error: SaveError | None = None
    shown: tuple | None = None       # the position whose move list the player last saw
    last_result: dict[str, str] = {}  # each human's own last move and its result, kept by the prompt
    while not match.game.is_over():
        game = match.game
        faction = game.active_faction
        human = match.seats[faction].human
        if human:
            position = (len(game.history), faction)
            move = ask_human(game, faction, read, out,
                             can_undo=recorder is not None and _undo_point(recorder, faction) > 0,
                             annotate=None if recorder is None else _annotator(recorder, faction),
                             show_list=shown != position, last_result=last_result.get(faction, ""))
            shown = position
            if move == UNDO:
                _undo_to(recorder, faction, out)
                shown = None
                continue
        else:
            move = match.bot_choice().move
        summary = game.explain(move).summary
        turn = game.ctx.turn
        before = _seen_board(game, reader)
        if recorder is None:
            game.apply(move)
        else:
            try:
                recorder.apply(move)
                save_error = None
            except SaveError as err:  # the move stands; the game goes on unsaved
                save_error = err
                print(f"main.py play: warning: {err}", file=sys.stderr)
        told = lines_for(game, reader, move, summary, turn)
        if not quiet:
            out.write("\n".join(told) + "\n")
            # call-outs: the moments that change the game (Scenario.moments), set apart
            for headline, _ in game.scenario.moments(before, _seen_board(game, reader), told):
                out.write(f"*** {headline} ***\n")
        if human:
            result = [line.strip() for line in told[1:] if line.startswith("  ")][:3]
            last_result[faction] = (f"Your last move (T{turn}): {summary}"
                                    + (" \u2014 " + "; ".join(result) if result else ""))
        if pace and not human:
            sleep(pace)
    print_outcome(match.game, out)
    if save_error is not None:
        raise CliError(f"the game ended but could not be saved: {save_error}")
    if recorder is not None and recorder.save_path is not None and not quiet:
        out.write(f"Saved to {recorder.save_path}\n")
    return 0


def _seen_board(game: Game, reader: str | None):
    """The board as the terminal's reader sees it (several humans: the public view)."""
    return game.public_view().board if reader == "" else game.view(reader).board


def _annotator(recorder: Recorder, faction: str) -> Callable[[str, bool], str]:
    """``n TEXT`` / ``b TEXT`` at the prompt: a note (private to ``faction``) on the last move."""
    def annotate(text: str, bookmark: bool) -> str:
        record = recorder.record
        after = record.standing_moves()
        record.annotate(note_entry(record, after, faction, text, bookmark=bookmark))
        what = "Bookmark" if bookmark else "Note"
        return f"{what} on move {after} recorded (saved with the game, shown in its report)."
    return annotate


def _undo_point(recorder: Recorder, faction: str) -> int:
    """How many moves to take back to undo ``faction``'s last move (0: none to undo)."""
    history = recorder.game.history
    for back, move in enumerate(reversed(history), 1):
        if move.faction == faction:
            return back
    return 0


def _undo_to(recorder: Recorder, faction: str, out: TextIO) -> None:
    for _ in range(_undo_point(recorder, faction)):
        game = recorder.game
        taken = game.history[-1]
        # Another faction's covert move stays covert while it is taken back.
        text = str(taken) if taken.faction == faction else game.public_move(taken)
        recorder.undo()
        out.write(f"Undo: {text} is taken back\n")


def start(args: argparse.Namespace) -> Recorder:
    """The recorder of the game to play: a new one, or one loaded from a save."""
    sc = scenario()
    loading = args.load is not None or args.resume
    if args.load is not None and args.resume:
        raise CliError("use --load PATH or --resume, not both")
    if loading and (args.seed is not None or args.turns is not None):
        raise CliError("a loaded game keeps its own seed and length: drop --seed and --turns")
    if args.save is not None:
        try:  # a directory, named pipe or device is refused without being opened
            regular_file(args.save)
        except SaveError as err:
            raise CliError(f"--save {args.save}: {err}") from None
        writable_folder(Path(args.save).parent, f"--save {args.save}:")
        clean_stale(Path(args.save).parent)
    seats = None
    if args.seats is not None or not loading:
        # Unnamed factions keep the default game's seats (or, loading, their saved seats).
        try:
            seats = parse_seats(args.seats or "", sc.factions,
                                default=None if loading else DEFAULT_SEAT_TABLE)
        except SeatError as err:
            raise CliError(str(err)) from None
    autosaver = autosaver_of(args)
    if not loading:
        seed = fresh_seed() if args.seed is None else args.seed
        try:
            return Recorder.new(sc, seed, args.turns, seats, now_iso(),
                                save_path=args.save, autosaver=autosaver)
        except ValueError as err:
            raise CliError(str(err)) from None
    path = args.load
    if path is None:
        latest = Autosaver(args.autosave_dir).latest()
        if latest is None:
            raise CliError(f"--resume: no autosave in {args.autosave_dir}/")
        path = str(latest)
    try:
        match, record = load_match(path, seats)
    except SaveError as err:
        raise CliError(f"{path}: {err}") from None
    args.load = path
    return Recorder(match, record, args.save, autosaver)


def run(args: argparse.Namespace) -> int:
    recorder = start(args)
    # The window reads the game to play from here (new, or loaded from args.load).
    args.recorder = recorder
    match = recorder.match
    if not args.headless:
        from engine.cli import window
        return window.launch(args, match.seats)
    out = sys.stdout
    if args.load is not None and not args.quiet:
        game = match.game
        state = "game over" if game.is_over() else f"{game.active_faction} to move"
        out.write(f"Resumed {args.load}: turn {game.ctx.turn}, {len(game.history)} moves "
                  f"played, {state}\n")
    if args.load is None and not args.quiet:
        seats = match.seats
        out.write(f"Seats: {format_seats({f: seats[f] for f in match.game.scenario.factions})}\n")
    try:
        if sys.stdin is None and any(seat.human for seat in match.seats.values()):
            raise CliError("a human seat needs a terminal to read moves from (stdin is closed)")
        read = sys.stdin.readline if sys.stdin is not None else (lambda: "")
        return run_headless(match, out, read, args.quiet, recorder, args.pace)
    except Quit:
        newline = "" if sys.stdin is not None and sys.stdin.isatty() else "\n"  # piped input echoes nothing
        out.write(f"{newline}Game left{_saved(recorder)}.\n")
        return 0
    except CliError as err:
        raise CliError(f"{err}{_saved(recorder)}", err.code) from None
    except KeyboardInterrupt:
        raise CliError(f"interrupted{_saved(recorder)}", 130) from None


def _saved(recorder: Recorder) -> str:
    """Save a game cut short; say where, with the command that resumes it."""
    if recorder.game.is_over():
        return ""
    try:
        paths = recorder.checkpoint()
    except SaveError as err:
        return f" (and not saved: {err})"
    if not paths:
        return " (not saved: autosave is off)"
    return f" (saved; resume with: python main.py play --headless --load {paths[0]})"
