"""The window's door to save files (engine/record.py).

Everything the window does with files goes through these few functions:
listing the saves of a directory (newest first), checking a file name typed
in the window, saving a game under it, loading a game to play on or a
record to replay.  Errors are :class:`engine.record.SaveError` in one line;
loading only ever reads a file.  Nothing here imports pygame.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import attrs

from engine.cli.play import default_saves, now_iso  # the same as headless play
from engine.record import (Autosaver, Record, Recorder, SaveError, format_version, load,
                           load_match, read_text, save)

__all__ = ["SaveInfo", "available", "default_saves", "now_iso", "list_saves", "check_name",
           "save_as", "load_game", "load_record", "autosaver_in"]

NAME_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,59}$")
MAX_LISTED = 200


def available() -> bool:
    return True


@attrs.frozen(slots=True)
class SaveInfo:
    """One file of the saves directory, as the file list shows it."""

    path: Path
    mtime: float
    about: str          # what the game is (turn, month, who moves, or who won), or why it cannot be read
    ok: bool
    autosave: bool
    game: str = ""      # which game it belongs to (its seed and creation time): autosaves group by it
    older: int = 0      # autosaves of the same game hidden under this newest one

    @property
    def name(self) -> str:
        return self.path.name


def describe(record: Record) -> str:
    """What a save is: where the game stands (turn, month, who is to move) or how it
    ended (who won, the scores), and its seed and seats."""
    game = record.game_at(len(record.entries))
    sc = game.scenario
    ctx = game.ctx
    try:
        when = " (" + sc.presentation().display(game.view(None).board, None).when + ")"
    except NotImplementedError:
        when = ""
    h = record.header
    seats = str(h.seats) if isinstance(h.seats, str) else ",".join(f"{f}={s}" for f, s in dict(h.seats).items())
    if game.is_over():
        outcome = game.outcome()
        won = " and ".join(sc.faction_names[f] for f in outcome.winners)
        scores = " \u00b7 ".join(f"{f.upper()} {outcome.scores[f].total}" for f in sc.factions)
        state = f"finished: {won} won ({scores})"
    else:
        state = f"turn {ctx.turn} of {ctx.last_turn}{when}, {sc.faction_names[game.active_faction]} to move"
    return f"{state} \u00b7 seed {h.seed} \u00b7 {seats}"


def _about(path: Path) -> tuple[str, bool, bool, str]:
    """(description, readable, a Crossroads save at all, which game) from the file,
    never trusting or writing it."""
    try:
        text = read_text(path)
        data = json.loads(text)
    except (SaveError, ValueError, RecursionError) as err:
        message = str(err) if isinstance(err, SaveError) else "not valid JSON"
        return message.split("\n")[0], False, True, ""
    try:
        format_version(data)
    except SaveError as err:
        foreign = str(err).startswith("not a Crossroads save")
        return str(err).split("\n")[0], False, not foreign, ""
    try:
        record = Record.from_json(text, False)
        h = record.header
        return describe(record), True, True, f"{h.seed}@{h.created}"
    except (SaveError, ValueError, KeyError, TypeError, IndexError) as err:
        return str(err).split("\n")[0] or type(err).__name__, False, True, ""


def list_saves(directory: str | os.PathLike, every_autosave: bool = False) -> list[SaveInfo]:
    """The saves of ``directory``, newest first, each said by what it is.

    Only Crossroads saves are listed (a damaged one says why): a host's
    ``*.tokens.json`` and any other JSON are left out.  A game's autosaves
    show as its newest one, with how many older ones it hides, unless
    ``every_autosave``.
    """
    directory = Path(directory)
    try:
        paths = [p for p in directory.glob("*.json") if p.is_file() and not p.name.startswith(".")
                 and not p.name.endswith(".tokens.json")]
    except OSError:
        return []
    stamped = []
    for p in paths:
        try:
            stamped.append((p.stat().st_mtime, p))
        except OSError:
            continue
    stamped.sort(key=lambda t: (-t[0], t[1].name))
    out: list[SaveInfo] = []
    newest: dict[str, int] = {}   # game -> index in out of its newest autosave
    for mtime, p in stamped[:MAX_LISTED]:
        about, ok, ours, game = _about(p)
        if not ours:
            continue
        autosave = p.name.startswith("autosave-")
        if autosave and game and not every_autosave and game in newest:
            i = newest[game]
            out[i] = attrs.evolve(out[i], older=out[i].older + 1)
            continue
        if autosave and game:
            newest.setdefault(game, len(out))
        out.append(SaveInfo(p, mtime, about, ok, autosave, game))
    return out


def check_name(text: str) -> str:
    """The file name for ``text`` typed in the save box (``.json`` added), or a SaveError."""
    name = text.strip()
    if not name:
        raise SaveError("type a name for the save file")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise SaveError("a name only, without folders: the file goes in the saves folder")
    if not NAME_CHARS.match(name):
        raise SaveError("use letters, digits, spaces, '-', '_' and '.' (at most 60), "
                        "starting with a letter or digit")
    if not name.lower().endswith(".json"):
        name += ".json"
    return name


def save_as(recorder: Recorder, directory: str | os.PathLike, name: str,
            overwrite: bool = False) -> Path:
    """Write the recorder's game to ``directory/name`` atomically; return the path.

    An existing file is replaced only with ``overwrite``, and only if it is
    itself a Crossroads save (never some other file that happens to be there).
    """
    path = Path(directory) / check_name(name)
    if path.is_dir():
        raise SaveError(f"{path.name} is a folder")
    if path.exists():
        if not overwrite:
            raise FileExistsError(str(path))
        try:
            format_version(json.loads(read_text(path)))
        except (SaveError, ValueError, RecursionError):
            raise SaveError(f"{path.name} exists and is not a Crossroads save: "
                            f"choose another name") from None
    recorder.sync_bots()
    save(recorder.record, path)
    return path


def autosaver_in(directory: str | os.PathLike | None) -> Autosaver | None:
    return Autosaver(directory) if directory is not None else None


def load_game(path: str | os.PathLike, autosave_dir: str | os.PathLike | None) -> Recorder:
    """A saved game to play on, verified move by move; autosaves go on in ``autosave_dir``."""
    match, record = load_match(path)
    return Recorder(match, record, None, autosaver_in(autosave_dir))


def load_record(path: str | os.PathLike) -> Record:
    """A saved game to replay, verified (so every position's log is rebuilt)."""
    return load(path, verify=True)


def new_recorder(scenario, seats, seed: int, turns: int | None,
                 autosave_dir: str | os.PathLike | None, save_path=None) -> Recorder:
    """A new game, recorded and autosaved after every turn as headless play does."""
    return Recorder.new(scenario, seed, turns, seats, now_iso(), save_path=save_path,
                        autosaver=autosaver_in(autosave_dir))


def short_path(path: Path) -> str:
    """``saves/name.json`` rather than an absolute path, when it is under the working folder."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def default_dir() -> str:
    return default_saves()
