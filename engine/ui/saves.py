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
    about: str          # "seed 7 · 12 turns · us=human,…" or the reason it cannot be read
    ok: bool
    autosave: bool

    @property
    def name(self) -> str:
        return self.path.name


def _about(path: Path) -> tuple[str, bool]:
    """A short description from the file's header; never trusts or writes it."""
    try:
        text = read_text(path)
        data = json.loads(text)
        version = format_version(data)
    except (SaveError, ValueError, RecursionError) as err:
        message = str(err) if isinstance(err, SaveError) else "not valid JSON"
        return message.split("\n")[0], False
    header = data.get("header") if version >= 2 else data
    if not isinstance(header, dict):
        return "malformed save: no header", False
    log = data.get("log", data.get("moves"))
    entries = len(log) if isinstance(log, list) else "?"
    seed, turns = header.get("seed", "?"), header.get("turns", "?")
    return f"seed {seed} \u00b7 {turns} turns \u00b7 {entries} log entries \u00b7 {header.get('seats', '')}", True


def list_saves(directory: str | os.PathLike) -> list[SaveInfo]:
    """The ``*.json`` files of ``directory``, newest first (autosaves and saves alike)."""
    directory = Path(directory)
    try:
        paths = [p for p in directory.glob("*.json") if p.is_file() and not p.name.startswith(".")]
    except OSError:
        return []
    stamped = []
    for p in paths:
        try:
            stamped.append((p.stat().st_mtime, p))
        except OSError:
            continue
    stamped.sort(key=lambda t: (-t[0], t[1].name))
    out = []
    for mtime, p in stamped[:MAX_LISTED]:
        about, ok = _about(p)
        out.append(SaveInfo(p, mtime, about, ok, p.name.startswith("autosave-")))
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
