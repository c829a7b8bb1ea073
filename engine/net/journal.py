"""The exercise's save and autosaves, and the host's private file of tokens.

The save is a standard Crossroads save (:mod:`engine.record`): a header,
the hash of the starting position and the log of typed entries — moves and
the white cell's entries of :mod:`engine.whitecell` — each with the state
hash after it.  Rewriting the whole file after every move is too slow for a
live exercise, so within a turn each entry is appended to a write-ahead log
next to it (``<save>.wal``, one JSON line an entry) and the save itself is
rewritten atomically when a turn ends (and an autosave written in
``saves/``, as a local game does).  A server killed at any moment loses at
most the move it was resolving; ``--load`` reads the save plus its
write-ahead log.  ``host --load SAVE`` replays and verifies it before play
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

import attrs

from engine.game import Game, LogLine
from engine.net.referee import Scheduled, Settings
from engine.record import Autosaver, Entry, NoteEntry, Record, SaveError, parse_json, read_text


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


def wal_path(save: Path) -> Path:
    return save.with_name(save.stem + ".wal")


def _wal_entries(path: Path, start: int) -> list[dict[str, Any]]:
    """Entries the write-ahead log holds past the save's ``start`` entries.

    A torn last line (the process killed while writing it) is the move in
    flight: it and anything after it are dropped."""
    try:
        text = read_text(path)
    except SaveError:  # none, or not a readable file: the save alone
        return []
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        try:
            item = parse_json(line)
            at, entry = item["at"], item["entry"]
        except (SaveError, TypeError, KeyError):
            break
        if type(at) is int and at == start + len(out) and isinstance(entry, dict):
            out.append(entry)
    return out


def tokens_path(save: Path) -> Path:
    return save.with_name(save.stem + ".tokens.json")


def new_tokens(roles: list[str]) -> dict[str, str]:
    """One unguessable token per role (128 random bits each)."""
    return {role: secrets.token_urlsafe(16) for role in roles}


def new_key() -> bytes:
    """The host's signing key (256 random bits), kept in the token file only."""
    return secrets.token_bytes(32)


def restore_key(doc: dict[str, Any]) -> bytes | None:
    """The signing key a token file keeps (None: older files had none)."""
    key = doc.get("mac_key")
    if key is None:
        return None
    if not isinstance(key, str) or len(key) != 64:
        raise JournalError("malformed token file (mac_key)")
    try:
        return bytes.fromhex(key)
    except ValueError:
        raise JournalError("malformed token file (mac_key)") from None


class Journal:
    """The record of an exercise being played, written to ``path`` as it grows."""

    def __init__(self, record: Record, path: Path | None,
                 autosaver: Autosaver | None = None) -> None:
        self.record = record
        self.path = path
        self.autosaver = autosaver
        self.tail: list[int] = []      # positions of entries not yet on disk
        self.turn_ended = False

    @classmethod
    def start(cls, path: Path | None, game: Game, seed: int, seats: str, created: str,
              autosaver: Autosaver | None = None, key: bytes | None = None) -> "Journal":
        """A new exercise's journal; with ``key`` (the host's), every save and
        autosave it writes is signed (see :meth:`Record.check_signature`)."""
        journal = cls(Record.start(game, seed, seats, created), path, autosaver)
        journal.record.signing_key = key
        journal.write()
        return journal

    @property
    def entries(self) -> list[Entry]:
        return self.record.entries

    @property
    def header(self):
        return self.record.header

    def append(self, entry: Entry, game: Game) -> None:
        """Log an entry in memory; :meth:`flush` writes it (the server flushes
        once the players have been sent the new state)."""
        before = self.record.game_at(len(self.record)).ctx.turn
        if isinstance(entry, NoteEntry) and entry.after_move < 0:  # the referee's note: here
            entry = attrs.evolve(entry, after_move=self.record.standing_moves())
        start = len(self.record)
        self.record.append(entry, game)  # and the end entry, when it ends the game
        self.tail.extend(range(start, len(self.record)))
        if game.ctx.turn != before or game.is_over():
            self.turn_ended = True

    def flush(self) -> None:
        """Make the log durable against a crash of this process.

        Within a turn each new entry is appended to ``<save>.wal`` (one JSON
        line, cheap); when a turn ends (or the game) the whole save is
        rewritten atomically, the write-ahead log emptied, and an autosave
        written like a local game's."""
        if self.turn_ended:
            self.turn_ended = False
            self.tail = []
            self.write()
            if self.autosaver is not None:
                try:
                    self.autosaver.write(self.record)
                except SaveError:  # a full disk must not stop the exercise
                    pass
            return
        if self.tail and self.path is not None:
            lines = []
            for at in self.tail:
                entry = self.record.entries[at]
                lines.append(json.dumps({"at": at, "entry": {"type": entry.type,
                                                              **attrs.asdict(entry)}},
                                        ensure_ascii=False) + "\n")
            with open(wal_path(self.path), "a", encoding="utf-8") as f:
                f.write("".join(lines))
            self.tail = []

    def write(self) -> None:
        """The whole save, atomically; then the write-ahead log is emptied."""
        if self.path is not None:
            write_atomic(self.path, self.record.to_json())
            try:
                os.unlink(wal_path(self.path))
            except FileNotFoundError:
                pass

    @classmethod
    def load(cls, path: Path, scenario=None, autosaver: Autosaver | None = None,
             key: bytes | None = None) -> tuple["Journal", Game, list[LogLine]]:
        """Read a save and replay it, checking every hash: the journal, the game
        at its end and every log line of the game so far."""
        try:
            data = parse_json(read_text(path))
            tail = []
            if isinstance(data, dict) and isinstance(data.get("log"), list):
                # Entries of the turn in play, written since the save (outside its chain).
                tail = _wal_entries(wal_path(path), len(data["log"]))
            record = Record.from_dict(data, verify=True, tail=tail)
        except SaveError as err:
            raise JournalError(f"{path}: {err}") from None
        record.signing_key = key
        if record.rebased is not None and record.rebased.lossy:
            raise JournalError(f"{path}: {record.rebased.refusal()}")
        if scenario is not None and record.scenario.id != scenario.id:
            raise JournalError(f"{path}: a save of {record.scenario.id!r}, not {scenario.id!r}")
        lines: list[LogLine] = []
        for position in range(len(record) + 1):
            lines.extend(record.game_at(position).last_log)
        return cls(record, path, autosaver), record.game_at(len(record)), lines


# -- the host's private file ----------------------------------------------------
def write_private(save: Path, tokens: dict[str, str], settings: Settings,
                  schedule: list[Scheduled], sealed: dict[str, list[str]],
                  sealed_round: tuple[int, int] | None, refs: dict[str, str],
                  ref_requests: dict[str, str] | None = None, **extra: Any) -> None:
    doc = {"tokens": tokens,
           "settings": {"sealed": settings.sealed, "review": settings.review,
                        "clock": settings.clock, "clock_default": settings.clock_default,
                        "show": settings.show, "default_ai": settings.default_ai},
           "schedule": [s.to_dict() for s in schedule],
           "sealed": sealed, "sealed_round": list(sealed_round) if sealed_round else None,
           "refs": refs, "ref_requests": ref_requests or {}, **extra}
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
        rnd = tuple(rnd) if rnd else None
        refs = dict(doc.get("refs") or {})
    except (TypeError, KeyError, AttributeError, ValueError) as err:
        # One line whatever the file holds: a key may carry a newline.
        raise JournalError(f"malformed token file ({' '.join(str(err).split())[:200]})") from None
    # The types too: a wrong one would surface later, mid-exercise, as a traceback.
    _typed(type(settings.sealed) is bool and type(settings.review) is bool, "settings.sealed/review")
    _typed(settings.clock is None or (type(settings.clock) in (int, float)
                                      and 0.1 <= settings.clock <= 86400), "settings.clock")
    _typed(settings.clock_default in ("pass", "ai"), "settings.clock_default")
    _typed(isinstance(settings.show, str) and isinstance(settings.default_ai, str),
           "settings.show/default_ai")
    _typed(all(type(s.turn) is int and isinstance(s.card, str) and isinstance(s.text, str)
               and all(isinstance(k, str) and type(v) is int for k, v in s.effects)
               for s in schedule), "schedule")
    _typed(all(isinstance(f, str) and all(isinstance(m, str) for m in o) for f, o in sealed.items()),
           "sealed")
    _typed(rnd is None or (len(rnd) == 2 and all(type(n) is int for n in rnd)), "sealed_round")
    _typed(all(isinstance(k, str) and isinstance(v, str) for k, v in refs.items()), "refs")
    return settings, schedule, sealed, rnd, refs


def _typed(ok: bool, what: str) -> None:
    if not ok:
        raise JournalError(f"malformed token file ({what})")


def restore_requests(doc: dict[str, Any]) -> dict[str, str]:
    """What each faction's last accepted ``ref`` was for (older files: nothing)."""
    requests = doc.get("ref_requests") or {}
    if not isinstance(requests, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                 for k, v in requests.items()):
        raise JournalError("malformed token file (ref_requests)")
    return dict(requests)
