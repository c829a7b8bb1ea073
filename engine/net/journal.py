"""The exercise's save and autosaves, and the host's private file of tokens.

The save is a standard Crossroads save (:mod:`engine.record`): a header,
the hash of the starting position and the log of typed entries — moves and
the white cell's entries of :mod:`engine.whitecell` — each with the state
hash after it.  The server rewrites it atomically after every entry, so a
server killed at any moment loses at most the move it was resolving; at
the end of each turn it also writes an autosave in ``saves/``, as a local
game does.  ``host --load SAVE`` replays and verifies it before play
resumes, and ``replay --verify SAVE`` checks it like any other save.

The tokens are *not* in the save, which may be shared after the exercise:
they sit next to it, in ``<save>.tokens.json`` (mode 0600), with the white
cell's settings, its schedule of injects and the orders sealed this turn,
so a restarted server resumes with the same tokens and nothing lost.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from engine.game import Game, LogLine
from engine.net.referee import Scheduled, Settings
from engine.record import Autosaver, Entry, Record, SaveError, load


class JournalError(ValueError):
    """A save or token file that cannot be used (one line)."""


def write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` so that a crash of this process leaves the old file or
    the new one (no fsync: this runs after every entry; the turn's autosave
    is fsynced by :mod:`engine.record`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def tokens_path(save: Path) -> Path:
    return save.with_name(save.stem + ".tokens.json")


def new_tokens(roles: list[str]) -> dict[str, str]:
    """One unguessable token per role (128 random bits each)."""
    return {role: secrets.token_urlsafe(16) for role in roles}


class Journal:
    """The record of an exercise being played, written to ``path`` as it grows."""

    def __init__(self, record: Record, path: Path | None,
                 autosaver: Autosaver | None = None) -> None:
        self.record = record
        self.path = path
        self.autosaver = autosaver

    @classmethod
    def start(cls, path: Path | None, game: Game, seed: int, seats: str, created: str,
              autosaver: Autosaver | None = None) -> "Journal":
        journal = cls(Record.start(game, seed, seats, created), path, autosaver)
        journal.write()
        return journal

    @property
    def entries(self) -> list[Entry]:
        return self.record.entries

    @property
    def header(self):
        return self.record.header

    def append(self, entry: Entry, game: Game) -> None:
        before = self.record.game_at(len(self.record)).ctx.turn if self.autosaver else None
        self.record.append(entry, game)
        self.write()
        if self.autosaver is not None and (game.ctx.turn != before or game.is_over()):
            try:
                self.autosaver.write(self.record)
            except SaveError:  # a full disk must not stop the exercise: the save is written
                pass

    def write(self) -> None:
        if self.path is not None:
            write_atomic(self.path, self.record.to_json())

    @classmethod
    def load(cls, path: Path, scenario=None,
             autosaver: Autosaver | None = None) -> tuple["Journal", Game, list[LogLine]]:
        """Read a save and replay it, checking every hash: the journal, the game
        at its end and every log line of the game so far."""
        try:
            record = load(path, verify=True)
        except SaveError as err:
            raise JournalError(f"{path}: {err}") from None
        if scenario is not None and record.scenario.id != scenario.id:
            raise JournalError(f"{path}: a save of {record.scenario.id!r}, not {scenario.id!r}")
        lines: list[LogLine] = []
        for position in range(len(record) + 1):
            lines.extend(record.game_at(position).last_log)
        return cls(record, path, autosaver), record.game_at(len(record)), lines


# -- the host's private file ----------------------------------------------------
def write_private(save: Path, tokens: dict[str, str], settings: Settings,
                  schedule: list[Scheduled], sealed: dict[str, list[str]],
                  sealed_round: tuple[int, int] | None, refs: dict[str, str]) -> None:
    doc = {"tokens": tokens,
           "settings": {"sealed": settings.sealed, "review": settings.review,
                        "clock": settings.clock, "clock_default": settings.clock_default,
                        "show": settings.show, "default_ai": settings.default_ai},
           "schedule": [s.to_dict() for s in schedule],
           "sealed": sealed, "sealed_round": list(sealed_round) if sealed_round else None,
           "refs": refs}
    write_atomic(tokens_path(save), json.dumps(doc, indent=1) + "\n", mode=0o600)


def read_private(save: Path) -> dict[str, Any]:
    path = tokens_path(save)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JournalError(f"{path}: no token file next to the save (the host keeps its "
                           f"tokens there)") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise JournalError(f"{path}: not a readable token file") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("tokens"), dict):
        raise JournalError(f"{path}: not a token file")
    return doc


def restore(doc: dict[str, Any]) -> tuple[Settings, list[Scheduled], dict, tuple | None, dict]:
    try:
        settings = Settings(**doc.get("settings", {}))
        schedule = [Scheduled(s["turn"], s.get("card", ""), s.get("text", ""),
                              tuple(s.get("effects", {}).items())) for s in doc.get("schedule", [])]
        sealed = {f: list(o) for f, o in (doc.get("sealed") or {}).items()}
        rnd = doc.get("sealed_round")
        return settings, schedule, sealed, tuple(rnd) if rnd else None, dict(doc.get("refs") or {})
    except (TypeError, KeyError, AttributeError) as err:
        raise JournalError(f"malformed token file ({err})") from None
