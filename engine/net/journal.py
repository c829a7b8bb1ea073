"""The exercise's autosave, and the host's private file of tokens.

The save is plain JSON in the project's save layout (a header, the hash of
the starting position and the log of typed entries, each with the state
hash after it), rewritten atomically after every entry, so a server killed
at any moment loses at most the move it was resolving.  ``--load`` replays
the log from the seed and checks every hash before play resumes.

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

from engine import ENGINE_VERSION
from engine.game import Game, Scenario
from engine.net.referee import Scheduled, Settings
from engine.whitecell import ENTRY_TYPES, Entry

FORMAT = "crossroads-save"
FORMAT_VERSION = 2


class JournalError(ValueError):
    """A save or token file that cannot be used (one line)."""


def write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` so that a crash leaves the old file or the new one."""
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
    """The log of an exercise being played, written to ``path`` as it grows."""

    def __init__(self, path: Path | None, header: dict[str, Any], start_hash: str,
                 entries: list[Entry] | None = None) -> None:
        self.path = path
        self.header = header
        self.start_hash = start_hash
        self.entries: list[Entry] = list(entries or [])

    @classmethod
    def start(cls, path: Path | None, game: Game, seed: int, seats: str, created: str) -> "Journal":
        sc = game.scenario
        header = {"format": FORMAT, "format_version": FORMAT_VERSION,
                  "engine_version": ENGINE_VERSION, "scenario": sc.id,
                  "scenario_version": sc.version, "seed": seed, "turns": game.ctx.last_turn,
                  "seats": seats, "created": created}
        journal = cls(path, header, game.state_hash())
        journal.write()
        return journal

    def append(self, entry: Entry, game: Game | None = None) -> None:
        self.entries.append(entry)
        self.write()

    def to_json(self) -> str:
        lines = ["{", f'  "header": {json.dumps(self.header, ensure_ascii=False)},',
                 f'  "start_hash": {json.dumps(self.start_hash)},', '  "log": [']
        items = [json.dumps(e.to_dict(), ensure_ascii=False) for e in self.entries]
        lines += [f"    {item}," for item in items[:-1]] + ([f"    {items[-1]}"] if items else [])
        lines += ["  ],", '  "snapshots": [],', '  "bots": {}', "}"]
        return "\n".join(lines) + "\n"

    def write(self) -> None:
        if self.path is not None:
            write_atomic(self.path, self.to_json())

    # -- reading --------------------------------------------------------------
    @classmethod
    def load(cls, path: Path, scenario: Scenario) -> tuple["Journal", Game, list]:
        """Read a save and replay it, checking every hash: the journal, the game
        at its end and every log line of the game so far."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise JournalError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
            raise JournalError(f"{path}: not a readable save ({type(err).__name__})") from None
        if not isinstance(data, dict) or not isinstance(data.get("header"), dict) \
                or data["header"].get("format") != FORMAT:
            raise JournalError(f"{path}: not a Crossroads save")
        header = data["header"]
        if header.get("scenario") != scenario.id:
            raise JournalError(f"{path}: a save of {header.get('scenario')!r}, not {scenario.id!r}")
        if not isinstance(data.get("log"), list):
            raise JournalError(f"{path}: malformed save: log must be a list")
        entries = [_entry(item, i) for i, item in enumerate(data["log"])]
        try:
            game = Game.new(scenario, header["seed"], header["turns"])
        except (KeyError, TypeError, ValueError) as err:
            raise JournalError(f"{path}: malformed header ({err})") from None
        if game.state_hash() != data.get("start_hash"):
            raise JournalError(f"{path}: the start does not match the seed")
        lines = list(game.last_log)
        for i, entry in enumerate(entries, 1):
            try:
                game = entry.play(game)
            except ValueError as err:
                raise JournalError(f"{path}: entry {i} ({entry.describe()}) cannot be "
                                   f"replayed: {err}") from None
            if game.state_hash() != entry.hash:
                raise JournalError(f"{path}: entry {i} ({entry.describe()}) does not match "
                                   f"its recorded hash")
            if entry.effect == "push":
                lines.extend(game.last_log)
        return cls(path, header, data["start_hash"], entries), game, lines


def _entry(item: Any, index: int) -> Entry:
    if not isinstance(item, dict) or item.get("type") not in ENTRY_TYPES:
        raise JournalError(f"malformed save: log[{index}] has no known type")
    cls = ENTRY_TYPES[item["type"]]
    fields = {k: v for k, v in item.items() if k != "type"}
    try:
        return cls(**fields)
    except TypeError as err:
        raise JournalError(f"malformed save: log[{index}]: {err}") from None


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
