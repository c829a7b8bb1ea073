"""Save files, autosaves, replays and verification.

A save is what PGN is to chess: a header, the seed and the log of what was
played.  That is the whole truth; everything else in the file is there to
check it or to seek fast::

    {"header":    {"format": "crossroads-save", "format_version": 2, "engine_version": ...,
                   "scenario": "iraq-2020", "scenario_version": "1",
                   "seed": 7, "turns": 12, "seats": "us=human,goi=random,...", "created": ...},
     "start_hash": "...",                   # the state after setup, before any move
     "log":       [{"type": "move", "move": "us:pass", "hash": "..."},   # hash after it
                   {"type": "undo", "hash": "..."}, ...],
     "snapshots": [{"turn": 1, "at": 0, "state": {...}}, ...],   # each turn's start
     "bots":      {"goi": 1234567, ...}}    # bot generators' states, to resume exactly

``docs/save-format.md`` describes every field.  Files are plain JSON, written
atomically; a damaged, foreign or tampered file is refused with a one-line
:class:`SaveError` and never written to.

Positions
    A *position* counts log entries: position 0 is the start of the game,
    position ``p`` the game after the first ``p`` entries.  While nobody
    undoes a move, position ``p`` is simply "after move ``p``".  An ``undo``
    entry takes the game back to the position before the last move still
    standing, so each position's state is the state of some earlier *push*
    position (a move), and seeking never needs more than the nearest cached
    state or snapshot on that line of play plus the moves after it.

This module is generic: it knows a scenario only through
:class:`engine.game.Scenario` and finds one by id in :mod:`engine.scenarios`.
It does the disk I/O of saves; the game itself (engine/game.py, state.py,
rules/) stays pure, and the caller passes in the time a game was created.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable

import attrs
import cattrs

from engine import ENGINE_VERSION, scenarios
from engine.game import Game, LogLine, Scenario
from engine.match import Match
from engine.moves import IllegalMoveError, InvalidMoveError, Move
from engine.rng import MASK64, Rng
from engine.seats import Seat, SeatError, format_seats, parse_seats
from engine.state import GameState
from engine.strict_json import DuplicateKeyError, unique_keys

FORMAT = "crossroads-save"
FORMAT_VERSION = 3
SEED_LIMIT = 2 ** 64           # seeds are below it: a bigger one would wrap onto another game
MAX_FILE = 32 * 1024 * 1024    # bytes a save may hold
MAX_LOG = 100_000              # entries in a log
MAX_TEXT = 500                 # characters in a free-text field (note, rationale, inject)
MAX_NAME = 200                 # characters in a name-like field (a move, a card, a tier)
MAX_TRACKS = 40                # tracks one inject or ruling may set
TRACK_LIMIT = 10_000           # |value| an inject or ruling may give a track
_MAC = re.compile(r"^[0-9a-f]{64}$")
CHAIN_SALT = b"crossroads-chain-1\0"
AUTOSAVE_KEEP = 5  # autosaves kept per game
_HASH = re.compile(r"^[0-9a-f]{32}$")


class SaveError(ValueError):
    """A save file that cannot be used, in one line a player can act on."""


class VerifyError(SaveError):
    """The log does not reproduce what the file recorded (tampered, or other rules)."""


# -- the converter: strict JSON <-> attrs ----------------------------------------
def _strict(kind: type) -> Callable[[Any, type], Any]:
    def structure(value: Any, _: type) -> Any:
        if type(value) is not kind:  # no bool for int, no "3" for 3
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value
    return structure


_conv = cattrs.Converter(forbid_extra_keys=True)
for _kind in (int, str, bool):
    _conv.register_structure_hook(_kind, _strict(_kind))


def _structure(data: Any, cls: type, where: str) -> Any:
    """``data`` as a ``cls``, or a :class:`SaveError` naming the first bad field."""
    if not isinstance(data, dict):
        raise SaveError(f"malformed save: {where} must be an object, not {_json_type(data)}")
    try:
        return _conv.structure(data, cls)
    except cattrs.BaseValidationError as err:
        problems = [_field_first(p) for p in cattrs.transform_error(err, path=where)]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SaveError(f"malformed save: {problems[0]}{more}") from None
    except (TypeError, ValueError, AttributeError, KeyError) as err:
        raise SaveError(f"malformed save: {where}: {err}") from None


def _field_first(problem: str) -> str:
    """cattrs says ``what @ where``; a player reads ``where: what`` better."""
    what, at, where = problem.rpartition(" @ ")
    return f"{where}: {what}" if at else problem


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", int: "a number",
            float: "a number", bool: "true/false", type(None): "null"}.get(type(value), "?")


def bad_text(text: str, multiline: bool = False) -> str | None:
    """Why ``text`` may not be kept in a save (control characters, a lone
    surrogate UTF-8 cannot encode), or None."""
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cs":
            return "holds text that is not valid Unicode (a lone surrogate)"
        if cat == "Cc" and not (multiline and ch in "\n\t"):
            return f"holds a control character (U+{ord(ch):04X})"
    return None


def _unencodable(value: Any, where: str, depth: int = 0) -> str | None:
    """The first string (or key) under ``value`` UTF-8 cannot encode, as a path."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if depth > 200:  # json.loads refuses deeper than that long before
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _unencodable(key, where, depth + 1) or \
                _unencodable(item, f"{where}.{key}" if where else str(key), depth + 1)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _unencodable(item, f"{where}[{i}]", depth + 1)
            if found:
                return found
    return None


def parse_json(text: str) -> Any:
    """Parse a save's (or a write-ahead log line's) JSON strictly: no NaN or
    Infinity, no key given twice (Python would keep the last one silently),
    no text UTF-8 cannot encode.  Raises :class:`SaveError`."""
    try:
        data = json.loads(text, parse_constant=_no_constant, object_pairs_hook=unique_keys)
    except DuplicateKeyError as err:
        raise SaveError(f"malformed save: the key {str(err)[:40]!r} is given twice in one "
                        f"object") from None
    except json.JSONDecodeError as err:
        raise SaveError(f"not valid JSON, truncated or damaged? ({err.msg}: line "
                        f"{err.lineno}, column {err.colno})") from None
    except ValueError as err:
        raise SaveError(f"not valid JSON: {err}") from None
    except RecursionError:
        raise SaveError("not a Crossroads save: nested too deeply") from None
    where = _unencodable(data, "")
    if where is not None:
        raise SaveError(f"malformed save: {where or 'a key'} holds text that is not valid "
                        f"Unicode (a lone surrogate)")
    return data


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value the hash chain and signature cover."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()


def chain_of(header: dict[str, Any], start_hash: str, log: Iterable[dict[str, Any]],
             bots: dict[str, int]) -> str:
    """The head of the save's hash chain: SHA-256 over the header (seed, seats,
    created...), the start hash, each log entry in turn (moves, white-cell
    entries, notes with their text, author and audience, the end entry) and
    last the bots' generator states.  Any change to any of them changes it."""
    link = hashlib.sha256(CHAIN_SALT + canonical(header) + b"\0" + start_hash.encode()).digest()
    for item in log:
        link = hashlib.sha256(link + canonical(item)).digest()
    return hashlib.sha256(link + b"bots\0" + canonical(bots)).hexdigest()


def sign(key: bytes, chain: str) -> str:
    """The host's keyed MAC (HMAC-SHA256) of a chain head."""
    return hmac.new(key, chain.encode(), hashlib.sha256).hexdigest()


def read_key(path: str | os.PathLike) -> bytes:
    """A signing key from ``path``: the host's token file (``mac_key``) or a
    file holding the key as 64 hex digits.  Raises :class:`SaveError`."""
    text = read_text(path, limit=1024 * 1024)
    try:
        doc = json.loads(text)
    except ValueError:
        doc = text.strip()
    if isinstance(doc, dict):
        doc = doc.get("mac_key")
    if not isinstance(doc, str) or not _MAC.match(doc.strip()):
        raise SaveError("not a signing key (the host's token file, or 64 hex digits)")
    return bytes.fromhex(doc.strip())


# -- the parts of a save ---------------------------------------------------------
@attrs.frozen(slots=True)
class Header:
    """What the game is: enough, with the log, to rebuild every position."""

    format: str
    format_version: int
    engine_version: str
    scenario: str
    scenario_version: str
    seed: int
    turns: int
    seats: str
    created: str  # ISO 8601, given by the caller: the engine reads no clock


@attrs.frozen(slots=True)
class Entry:
    """A log entry: what happened, and the state hash after it.

    ``effect`` says what it does to the line of play: ``push`` a new state
    (:meth:`play` makes it), ``pop`` back to the state before the last push,
    or ``keep`` the state (a note).  Later kinds (white-cell injects,
    overrides, players' notes) subclass it and call :func:`register_entry`.
    """

    type: ClassVar[str] = ""
    effect: ClassVar[str] = "keep"
    hash: str

    def play(self, game: Game) -> Game:  # pragma: no cover - push entries override it
        raise NotImplementedError

    def describe(self) -> str:
        return self.type


@attrs.frozen(slots=True)
class MoveEntry(Entry):
    type: ClassVar[str] = "move"
    effect: ClassVar[str] = "push"
    move: str = ""

    def play(self, game: Game) -> Game:
        after = game.clone()
        after.apply(Move.parse(self.move))
        return after

    def describe(self) -> str:
        return self.move


@attrs.frozen(slots=True)
class UndoEntry(Entry):
    """Takes back the last move still standing (a solo player's undo)."""

    type: ClassVar[str] = "undo"
    effect: ClassVar[str] = "pop"

    def describe(self) -> str:
        return "undo"


WHITE_CELL = "white"  # the facilitator, as the author of a note
NOTE_MAX = 500  # characters in a note


@attrs.frozen(slots=True)
class NoteEntry(Entry):
    """A player's or the white cell's note on a move, or a bookmark: keeps the state.

    ``after_move`` names the move it is about, counting the moves standing
    on the line of play (1: the first move; 0: before any move).  ``author``
    is a faction id or ``"white"``; ``audience`` None lets everyone read it,
    a faction id keeps it to that faction (and the white cell), ``"white"``
    to the white cell.  Notes show
    in the after-action review (:mod:`engine.report`) and in replays.
    """

    type: ClassVar[str] = "note"
    effect: ClassVar[str] = "keep"
    after_move: int = 0
    author: str = WHITE_CELL
    text: str = ""
    audience: str | None = None
    bookmark: bool = False

    def describe(self) -> str:
        what = "Bookmark" if self.bookmark else "Note"
        return f"{what} by {self.author} on move {self.after_move}: {self.text}"

    def problem(self, scenario: Scenario, moves: int | None = None) -> str | None:
        """Why this note does not fit the game (``moves``: moves standing), or None."""
        if self.author != WHITE_CELL and self.author not in scenario.factions:
            return (f"unknown author {self.author!r} (a faction: {', '.join(scenario.factions)}, "
                    f"or {WHITE_CELL!r})")
        if self.audience is not None and self.audience != WHITE_CELL \
                and self.audience not in scenario.factions:
            return f"unknown audience {self.audience!r}"
        text = self.text.strip()
        if not text or "\n" in text or "\r" in text or len(text) > NOTE_MAX:
            return f"a note is one line of 1 to {NOTE_MAX} characters"
        why = bad_text(self.text)
        if why is not None:
            return f"the note's text {why}"
        if self.after_move < 0 or (moves is not None and self.after_move > moves):
            top = "" if moves is None else f" 0..{moves}"
            return f"no move {self.after_move} to note (moves{top or ' from 0'})"
        return None


def note_entry(record: "Record", after_move: int, author: str, text: str, *,
               public: bool = False, bookmark: bool = False) -> NoteEntry:
    """A note for the end of ``record``, checked; raises :class:`ValueError` (one line).

    A note is for its author's eyes (a faction's notes are the white cell's
    to read too) unless ``public``, when every seat reads it.
    """
    audience = None if public else author
    entry = NoteEntry(record.hash_at(len(record)), after_move, author, text.strip(), audience,
                      bookmark)
    problem = entry.problem(record.scenario, record.standing_moves())
    if problem is not None:
        raise ValueError(problem)
    return entry


ENTRY_TYPES: dict[str, type[Entry]] = {}


def register_entry(cls: type[Entry]) -> type[Entry]:
    if cls.effect not in ("push", "pop", "keep"):
        raise ValueError(f"entry type {cls.type!r}: effect must be push, pop or keep")
    ENTRY_TYPES[cls.type] = cls
    return cls


@attrs.frozen(slots=True)
class EndEntry(Entry):
    """The game is over: logged right after the entry that ended it, so a log
    cut short of its end no longer looks like a finished game's."""

    type: ClassVar[str] = "end"
    effect: ClassVar[str] = "keep"

    def describe(self) -> str:
        return "the game is over"


register_entry(MoveEntry)
register_entry(UndoEntry)
register_entry(NoteEntry)
register_entry(EndEntry)


@attrs.frozen(slots=True)
class Snapshot:
    """The whole state at the start of a turn (position ``at``), for seeking."""

    turn: int
    at: int
    state: GameState


@attrs.frozen(slots=True)
class Summary:
    """What :meth:`Record.verify` found, for the one-line report."""

    scenario: str
    seed: int
    entries: int
    moves: int
    undos: int
    turn: int
    snapshots: int
    outcome: str | None  # "description Winner: ..." once the game is over

    def line(self) -> str:
        undone = f" ({self.undos} undone)" if self.undos else ""
        end = f"game over at turn {self.turn}: {self.outcome}" if self.outcome else \
            f"in progress at turn {self.turn}"
        snapshots = f"{self.snapshots} snapshot{'' if self.snapshots == 1 else 's'}"
        return (f"{self.scenario}, seed {self.seed}: {self.moves} moves{undone}, "
                f"{self.entries} hashes and {snapshots} match; {end}")


# -- the record ------------------------------------------------------------------
class Record:
    """A recorded game: header, log, snapshots; rebuilds any position.

    Build one with :meth:`start` and feed it moves with :meth:`apply` (or
    :meth:`undo`) while playing, or read one with :func:`load`.  Then
    :meth:`game_at` / :meth:`game_at_turn` give a :class:`Game` at any
    position; every state computed is cached, so stepping forward or back is
    one move (or none).
    """

    def __init__(self, scenario: Scenario, header: Header, start_hash: str,
                 entries: Iterable[Entry] = (), snapshots: Iterable[Snapshot] = (),
                 bots: dict[str, int] | None = None) -> None:
        self.scenario = scenario
        self.header = header
        self.start_hash = start_hash
        self.entries: list[Entry] = []
        self.snapshots: list[Snapshot] = list(snapshots)
        self.bots: dict[str, int] = dict(bots or {})
        # _tops[p]: the push position (or 0) whose state is the state at p;
        # _parent[q]: the position a push at q was played from.
        self._tops: list[int] = [0]
        self._stack: list[int] = [0]
        self._parent: dict[int, int] = {}
        self._games: dict[int, Game] = {}
        self._verified = False
        self.legacy = False                 # read from a format without a hash chain
        self.signing_key: bytes | None = None  # the host's key: saves carry a MAC
        self.mac: str | None = None         # the MAC the file carried, if any
        # Loaded from an older version of the scenario (see rebase_scenario): how
        # many of its moves the current rules replayed.  None for a current save.
        self.rebased: Rebased | None = None
        for entry in entries:
            self._append(entry)

    # -- making one ---------------------------------------------------------
    @classmethod
    def start(cls, game: Game, seed: int, seats: dict[str, Seat] | str, created: str) -> "Record":
        """A record of ``game``, which must be fresh from :meth:`Game.new`."""
        if game.history or game.ctx.moves:
            raise ValueError("a record starts from a new game")
        sc = game.scenario
        header = Header(FORMAT, FORMAT_VERSION, ENGINE_VERSION, sc.id, sc.version, seed,
                        game.ctx.last_turn, seats if isinstance(seats, str) else format_seats(seats),
                        created)
        record = cls(sc, header, game.state_hash())
        record._games[0] = game.clone()
        record.snapshots.append(Snapshot(game.ctx.turn, 0, game.state))
        record._verified = True
        return record

    def apply(self, game: Game, move: Move) -> tuple[str, ...]:
        """Play ``move`` on ``game`` (the game at the end of this record) and log it."""
        top = self._tops[-1]
        cached = self._games.get(top)
        if cached is None or (cached.state is not game.state and cached.state != game.state):
            raise ValueError("the game is not at the end of this record")
        turn = game.ctx.turn
        events = game.apply(move)  # raises IllegalMoveError, nothing logged
        self._append(MoveEntry(game.state_hash(), str(move)))
        self._games[len(self.entries)] = game.clone()
        if game.ctx.turn != turn:
            self.snapshots.append(Snapshot(game.ctx.turn, len(self.entries), game.state))
        self._end_if_over(game)
        return events

    def _end_if_over(self, game: Game) -> None:
        if game.is_over():
            self._append(EndEntry(game.state_hash()))

    def append(self, entry: Entry, game: Game) -> None:
        """Log ``entry``, already played by the caller: ``game`` is the game after
        it (how the exercise server logs the white cell's entries).  A ``push``
        entry whose hash is not ``game``'s is refused."""
        if entry.effect == "pop":
            raise ValueError("use undo() to take a move back")
        if entry.hash != game.state_hash():
            raise ValueError(f"entry {entry.describe()}: its hash is not the game's")
        if isinstance(entry, EndEntry):
            raise ValueError("the end entry is logged by the record itself")
        before = self._games.get(self._tops[-1])
        self._append(entry)
        if entry.effect == "push":
            self._games[len(self.entries)] = game.clone()
            if before is not None and game.ctx.turn != before.ctx.turn:
                self.snapshots.append(Snapshot(game.ctx.turn, len(self.entries), game.state))
            self._end_if_over(game)

    def undo(self) -> Game:
        """Take back the last move still standing; return the game as it was before it.

        The undo is logged (the log keeps the move it took back), so a replay
        shows both; the caller replaces its game with the one returned.
        """
        if len(self._stack) < 2:
            raise ValueError("there is no move to undo")
        before = self._game_of(self._stack[-2])
        self._append(UndoEntry(before.state_hash()))
        return self.game_at(len(self.entries))

    def can_undo(self) -> bool:
        return len(self._stack) > 1

    def standing_moves(self) -> int:
        """How many moves stand on the line of play now (undone ones do not)."""
        return len(self._stack) - 1

    def annotate(self, entry: Entry) -> None:
        """Log an entry that keeps the state (a note, a bookmark) at the end."""
        if entry.effect != "keep":
            raise ValueError(f"{entry.type} entries change the game: they are not annotations")
        if entry.hash != self.hash_at(len(self.entries)):
            raise ValueError("an annotation carries the hash of the state it was written in")
        self._append(entry)

    def _append(self, entry: Entry) -> None:
        position = len(self.entries) + 1
        if entry.effect == "push":
            self._parent[position] = self._stack[-1]
            self._stack.append(position)
        elif entry.effect == "pop":
            if len(self._stack) < 2:
                raise SaveError(f"log entry {position}: undo with no move left to undo")
            self._stack.pop()
        self.entries.append(entry)
        self._tops.append(self._stack[-1])

    # -- reading ------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entries)

    @property
    def seed(self) -> int:
        return self.header.seed

    @property
    def moves(self) -> list[str]:
        """The text of every move entry, in log order (undone ones included)."""
        return [e.move for e in self.entries if isinstance(e, MoveEntry)]

    @property
    def hashes(self) -> list[str]:
        """The state hash after each entry."""
        return [e.hash for e in self.entries]

    def hash_at(self, position: int) -> str:
        return self.start_hash if position == 0 else self.entries[position - 1].hash

    def seats(self) -> dict[str, Seat]:
        return parse_seats(self.header.seats, self.scenario.factions)

    def snapshot_at_turn(self, turn: int) -> Snapshot | None:
        """The latest snapshot of ``turn``'s start (an undo may have crossed it)."""
        found = [s for s in self.snapshots if s.turn == turn]
        return found[-1] if found else None

    def turn_starts(self) -> dict[int, int]:
        """Turn -> the position where it starts."""
        return {s.turn: s.at for s in self.snapshots}

    def _check_position(self, position: int) -> int:
        if not isinstance(position, int) or isinstance(position, bool):
            raise TypeError(f"a position is an int, not {type(position).__name__}")
        if not 0 <= position <= len(self.entries):
            raise IndexError(f"position {position} is outside 0..{len(self.entries)}")
        return position

    def game_at(self, position: int) -> Game:
        """The game after the first ``position`` entries (0: the start).

        Its ``last_log`` is what the entry at ``position`` made happen.
        The result is the caller's to play on: it shares nothing mutable.
        """
        position = self._check_position(position)
        top = self._tops[position]
        game = self._game_of(top).clone()
        if position != top:
            entry = self.entries[position - 1]
            if entry.effect == "pop":
                taken = self.entries[self._last_push_before(position) - 1]
                text = taken.describe()
                lines = (LogLine(f"Undo: {text} is taken back"),)
                if isinstance(taken, MoveEntry):
                    move = Move.parse(taken.move)
                    public = game.public_move(move)
                    if public != text:  # a covert move stays covert while it is taken back
                        lines = (LogLine(f"Undo: {public} is taken back"),
                                 LogLine(f"Undo: {text} is taken back", move.faction))
                game.last_log = lines
            else:
                # A note is read by its audience only (None: everyone).
                game.last_log = (LogLine(entry.describe(), getattr(entry, "audience", None)),)
        return game

    def game_at_turn(self, turn: int) -> Game:
        """The game at the start of ``turn`` (its event played, the first faction to act)."""
        snap = self.snapshot_at_turn(turn)
        if snap is None:
            have = sorted({s.turn for s in self.snapshots})
            span = f"turns {have[0]}-{have[-1]}" if have else "no turns"
            raise IndexError(f"turn {turn} is not in this game ({span} recorded)")
        return self.game_at(snap.at)

    def _last_push_before(self, position: int) -> int:
        """The push that the pop entry at ``position`` took back."""
        return self._tops[position - 1]

    def _game_of(self, push: int) -> Game:
        """The game at a push position (or 0), from the nearest cache or snapshot."""
        game = self._games.get(push)
        if game is not None:
            return game
        if push == 0:
            game = self._games[0] = Game.new(self.scenario, self.header.seed, self.header.turns)
            return game
        chain = [push]
        base = self._parent.get(push, 0)
        snaps = {self._tops[s.at]: s for s in self.snapshots}
        while base not in self._games and base != 0 and base not in snaps:
            chain.append(base)
            base = self._parent[base]
        if base in self._games:
            game = self._games[base]
        elif base == 0:
            game = Game.new(self.scenario, self.header.seed, self.header.turns)
            self._games[0] = game
        else:
            game = Game(self.scenario, snaps[base].state, self._history_of(base))
            self._games[base] = game
        for position in reversed(chain):
            game = self._play(position, game)
            self._games[position] = game
        return game

    def _history_of(self, push: int) -> tuple[Move, ...]:
        moves = []
        while push:
            entry = self.entries[push - 1]
            if isinstance(entry, MoveEntry):
                moves.append(Move.parse(entry.move))
            push = self._parent[push]
        return tuple(reversed(moves))

    def _play(self, position: int, game: Game) -> Game:
        entry = self.entries[position - 1]
        try:
            return entry.play(game)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as err:
            # Every kind of entry fails the same way: a move, and the white
            # cell's pause, resume, inject, override and ruling (FlowError and
            # the game's ValueErrors) alike.
            raise VerifyError(f"entry {position} ({entry.describe()[:80]}) cannot be "
                              f"replayed: {str(err).splitlines()[0] if str(err) else err!r}"
                              ) from None

    # -- verifying ----------------------------------------------------------
    def verify(self) -> Summary:
        """Re-simulate the whole log from the seed and check every hash.

        Trusts nothing cached or snapshotted: raises :class:`VerifyError`
        naming the first entry whose state differs from the recorded hash.
        """
        game = Game.new(self.scenario, self.header.seed, self.header.turns)
        if game.state_hash() != self.start_hash:
            raise VerifyError("the starting position does not match the seed: "
                              "the header was changed, or the save comes from other rules")
        games = {0: game}
        stack = [0]
        for position, entry in enumerate(self.entries, 1):
            if entry.effect == "push":
                game = self._play(position, games[stack[-1]])
                games[position] = game
                stack.append(position)
            elif entry.effect == "pop":
                stack.pop()
            if games[stack[-1]].state_hash() != entry.hash:
                raise VerifyError(f"move {position} ({entry.describe()[:80]}): the state does "
                                  f"not match the recorded hash (the log was changed, or the "
                                  f"save comes from other rules)")
            if isinstance(entry, EndEntry):
                if not games[stack[-1]].is_over():
                    raise VerifyError(f"entry {position}: an end entry where the game is not "
                                      f"over (the log was changed)")
        final = games[stack[-1]]
        if final.is_over() and not self.legacy and \
                not any(isinstance(e, EndEntry) for e in self.entries[stack[-1]:]):
            raise VerifyError("the game is over but the log has no end entry: moves were cut "
                              "off or the log was edited")
        for snap in self.snapshots:
            if not 0 <= snap.at <= len(self.entries):
                raise VerifyError(f"the snapshot of turn {snap.turn} is at position {snap.at}, "
                                  f"outside the log")
            real = games[self._tops[snap.at]].state
            if snap.state.digest() != real.digest() or snap.turn != real.ctx.turn:
                raise VerifyError(f"the snapshot of turn {snap.turn} (position {snap.at}) "
                                  f"does not match the log")
        self._games = games
        self._verified = True
        return self.summary()

    def rebuild_snapshots(self) -> None:
        """Snapshot each turn's start from the replayed log (older formats had none).

        As while recording: position 0, then every move that began a new turn.
        """
        start = self._game_of(0).state
        snaps = [Snapshot(start.ctx.turn, 0, start)]
        for position, entry in enumerate(self.entries, 1):
            if entry.effect == "push":
                state = self._game_of(position).state
                if state.ctx.turn != self._game_of(self._parent[position]).ctx.turn:
                    snaps.append(Snapshot(state.ctx.turn, position, state))
        self.snapshots = snaps

    def summary(self) -> Summary:
        game = self.game_at(len(self.entries))
        outcome = game.outcome()
        text = None
        if outcome is not None:
            text = f"{outcome.description} Winner: {', '.join(outcome.winners)}"
        moves = sum(1 for e in self.entries if e.effect == "push")
        undos = sum(1 for e in self.entries if e.effect == "pop")
        return Summary(self.header.scenario, self.header.seed, len(self.entries), moves, undos,
                       game.ctx.turn, len(self.snapshots), text)

    # -- JSON ---------------------------------------------------------------
    def _finish_legacy(self) -> None:
        """A save of a format without end entries is written with its end entry."""
        if not self.legacy:
            return
        if not self._verified:
            self.verify()
        game = self.game_at(len(self.entries))
        if game.is_over() and not any(isinstance(e, EndEntry)
                                      for e in self.entries[self._tops[-1]:]):
            self._append(EndEntry(game.state_hash()))
        self.legacy = False

    def log_dicts(self) -> list[dict[str, Any]]:
        log = []
        for e in self.entries:
            fields = _conv.unstructure(e)
            del fields["hash"]
            log.append({"type": e.type, **fields, "hash": e.hash})
        return log

    def chain(self) -> str:
        """The head of this record's hash chain (see :func:`chain_of`)."""
        return chain_of(_conv.unstructure(self.header), self.start_hash, self.log_dicts(),
                        self.bots)

    def check_signature(self, key: bytes) -> None:
        """Raise :class:`VerifyError` unless the file carried the MAC ``key`` makes."""
        if self.mac is None:
            raise VerifyError("the save is not signed: it cannot be checked against this key")
        if not hmac.compare_digest(self.mac, sign(key, self.chain())):
            raise VerifyError("the signature does not match: the record was changed after the "
                              "host signed it, or the key is not the host's")

    def to_dict(self) -> dict[str, Any]:
        self._finish_legacy()
        header = _conv.unstructure(self.header)
        header["format_version"] = FORMAT_VERSION
        log = self.log_dicts()
        chain = chain_of(header, self.start_hash, log, self.bots)
        doc = {
            "header": header,
            "start_hash": self.start_hash,
            "log": log,
            "snapshots": [{"turn": s.turn, "at": s.at, "state": _conv.unstructure(s.state)}
                          for s in self.snapshots],
            "bots": dict(self.bots),
            "chain": chain,
        }
        if self.signing_key is not None:
            doc["mac"] = sign(self.signing_key, chain)
        return doc

    def to_json(self) -> str:
        """The save file's text: the header spelt out, one log entry and one snapshot a line."""
        doc = self.to_dict()

        def one(value: Any) -> str:
            return json.dumps(value, ensure_ascii=False)

        header = json.dumps(doc["header"], ensure_ascii=False, indent=2).replace("\n", "\n  ")
        lines = ["{", f'  "header": {header},', f'  "start_hash": {one(doc["start_hash"])},']
        for key in ("log", "snapshots"):
            items = doc[key]
            if not items:
                lines.append(f'  "{key}": [],')
                continue
            lines.append(f'  "{key}": [')
            lines += [f"    {one(item)}," for item in items[:-1]]
            lines += [f"    {one(items[-1])}", "  ],"]
        lines += [f'  "bots": {one(doc["bots"])},', f'  "chain": {one(doc["chain"])}']
        if "mac" in doc:
            lines[-1] += ","
            lines.append(f'  "mac": {one(doc["mac"])}')
        lines.append("}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_dict(cls, data: Any, verify: bool = True,
                  tail: Iterable[Any] = ()) -> "Record":
        """Validate, migrate and rebuild a record; see :func:`load`.

        Everything is checked against the format before anything is replayed:
        types, ranges and lengths of every field, notes about moves that
        exist, then the hash chain.  ``tail``: log entries from outside the
        chain (an exercise's write-ahead log), validated alike and appended."""
        data = migrate(data)
        legacy = data.pop("_migrated_from", None) is not None
        keys = {"header", "start_hash", "log", "snapshots", "bots", "chain"}
        for key in sorted(keys):
            if key not in data:
                raise SaveError(f"malformed save: required field missing: {key}")
        extra = sorted(set(data) - keys - {"mac"})
        if extra:
            raise SaveError(f"malformed save: unknown field {extra[0]!r:.40}")
        header = _structure(data["header"], Header, "header")
        _check_header(header)
        try:
            scenario = scenarios.get(header.scenario)
        except scenarios.UnknownScenarioError as err:
            raise SaveError(str(err)[:200]) from None
        rebase = (header.scenario_version != scenario.version
                  and header.scenario_version in scenario.rebases_from)
        if header.scenario_version != scenario.version and not rebase:
            raise SaveError(f"the save is for {header.scenario} version {header.scenario_version}, "
                            f"this engine plays version {scenario.version}")
        try:
            parse_seats(header.seats, scenario.factions)
        except SeatError as err:
            raise SaveError(f"malformed save: header.seats: {err}") from None
        start_hash = _hash(data["start_hash"], "start_hash")
        record = cls(scenario, header, start_hash, bots=_bots(data["bots"], scenario))
        record.legacy = legacy
        log = data["log"]
        if not isinstance(log, list):
            raise SaveError(f"malformed save: log must be a list, not {_json_type(log)}")
        tail = list(tail)
        if len(log) + len(tail) > MAX_LOG:
            raise SaveError(f"malformed save: the log holds more than {MAX_LOG} entries")
        for i, item in enumerate(log, 1):
            record._append(_entry(item, i, scenario, record.standing_moves()))
        if not legacy:
            chain = data["chain"]
            if not isinstance(chain, str) or not _MAC.match(chain):
                raise SaveError("malformed save: chain must be 64 hex digits")
            if "mac" in data:
                if not isinstance(data["mac"], str) or not _MAC.match(data["mac"]):
                    raise SaveError("malformed save: mac must be 64 hex digits")
                record.mac = data["mac"]
            if not hmac.compare_digest(chain, record.chain()):
                raise VerifyError("the hash chain does not match: the header, seats, log, "
                                  "notes or bots' states were changed after it was written")
        elif data["chain"] is not None or "mac" in data:
            raise SaveError("malformed save: a format-2 save has no chain or mac")
        if rebase:  # an older version of the scenario: its log replayed under these rules
            total = sum(1 for e in record.entries if e.effect == "push")
            rebased = cls.from_dict(rebase_scenario(data, scenario, header), verify)
            kept = sum(1 for e in rebased.entries if e.effect == "push")
            rebased.rebased = Rebased(header.scenario_version, scenario.version, kept, total)
            return rebased
        for i, item in enumerate(tail, len(log) + 1):
            record._append(_entry(item, i, scenario, record.standing_moves()))
        if not isinstance(data["snapshots"], list):
            raise SaveError("malformed save: snapshots must be a list, "
                            f"not {_json_type(data['snapshots'])}")
        if len(data["snapshots"]) > len(record) + 1:
            raise SaveError("malformed save: more snapshots than positions in the log")
        # Verifying checks the snapshots after the log, so the first error names a move.
        record.snapshots = [_snapshot(item, i, record, check=not verify)
                            for i, item in enumerate(data["snapshots"])]
        if verify:
            record.verify()
            if not record.snapshots:
                record.rebuild_snapshots()
        return record

    @classmethod
    def from_json(cls, text: str, verify: bool = True) -> "Record":
        if not text.strip():
            raise SaveError("the file is empty")
        return cls.from_dict(parse_json(text), verify)


def _check_header(header: Header) -> None:
    """Ranges and lengths the types alone do not say."""
    if not 0 <= header.seed < SEED_LIMIT:
        raise SaveError(f"malformed save: header.seed must be 0 to 2**64-1 "
                        f"(not {str(header.seed)[:30]})")
    if not 1 <= header.turns <= 24:
        raise SaveError(f"malformed save: header.turns must be 1 to 24 ({str(header.turns)[:30]})")
    for name, limit in (("engine_version", 40), ("scenario", 60), ("scenario_version", 20),
                        ("seats", 400), ("created", 40)):
        _check_text(getattr(header, name), f"header.{name}", limit)


def _check_text(value: str, where: str, limit: int) -> None:
    """A string of a save: at most ``limit`` characters, no control characters."""
    if len(value) > limit:
        raise SaveError(f"malformed save: {where} is too long ({len(value)} "
                        f"characters, at most {limit})")
    why = bad_text(value)
    if why is not None:
        raise SaveError(f"malformed save: {where} {why}")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a save may hold")


def _hash(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _HASH.match(value):
        raise SaveError(f"malformed save: {where} must be a state hash (32 hex digits), "
                        f"not {value!r:.40}")
    return value


def _bots(value: Any, scenario: Scenario) -> dict[str, int]:
    if not isinstance(value, dict):
        raise SaveError(f"malformed save: bots must be an object, not {_json_type(value)}")
    for faction, state in value.items():
        if faction not in scenario.factions:
            raise SaveError(f"malformed save: bots: unknown faction {faction!r}")
        if type(state) is not int or not 0 <= state <= MASK64:
            raise SaveError(f"malformed save: bots.{faction} must be a generator state "
                            f"(an integer from 0 to 2**64-1)")
    return dict(value)


def _entry(item: Any, position: int, scenario: Scenario, moves: int | None = None) -> Entry:
    """One log entry, checked: its type, fields, lengths, and what it names
    (a move of a known faction and kind, a note about a move that stands:
    ``moves`` is how many stand before it)."""
    where = f"log[{position - 1}]"
    if not isinstance(item, dict):
        raise SaveError(f"malformed save: {where} must be an object, not {_json_type(item)}")
    kind = item.get("type")
    cls = ENTRY_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise SaveError(f"malformed save: {where} has an unknown type {kind!r:.40}")
    entry = _structure({k: v for k, v in item.items() if k != "type"}, cls, where)
    _hash(entry.hash, f"{where}.hash")
    for field in attrs.fields(type(entry)):
        value = getattr(entry, field.name)
        if isinstance(value, str):
            free = field.name in ("text", "rationale")
            _check_text(value, f"{where}.{field.name}", MAX_TEXT if free else MAX_NAME)
        elif isinstance(value, dict):
            if len(value) > MAX_TRACKS or not all(
                    len(k) <= 40 and bad_text(k) is None and -TRACK_LIMIT <= v <= TRACK_LIMIT
                    for k, v in value.items()):
                raise SaveError(f"malformed save: {where}.{field.name} must map at most "
                                f"{MAX_TRACKS} track names to whole numbers within "
                                f"+-{TRACK_LIMIT}")
    if isinstance(entry, (MoveEntry,)) or getattr(entry, "move", None):
        try:
            move = Move.parse(entry.move)
            if move.faction not in scenario.factions:
                raise InvalidMoveError(f"unknown faction {move.faction!r}")
            scenario.registry.kind(move.faction, move.kind)
        except InvalidMoveError as err:
            raise SaveError(f"malformed save: move {position}: {str(err)[:200]}") from None
    if isinstance(entry, NoteEntry):
        problem = entry.problem(scenario, moves)
        if problem is not None:
            raise SaveError(f"malformed save: {where} (note): {problem}")
    faction = getattr(entry, "faction", None)
    if isinstance(faction, str) and faction not in scenario.factions:
        raise SaveError(f"malformed save: {where}.faction: unknown faction {faction[:40]!r}")
    if kind == "timeout" and getattr(entry, "default", None) not in ("pass", "ai"):
        raise SaveError(f"malformed save: {where}.default must be 'pass' or 'ai'")
    return entry


def _snapshot(item: Any, index: int, record: Record, check: bool = True) -> Snapshot:
    where = f"snapshots[{index}]"
    if not isinstance(item, dict) or set(item) != {"turn", "at", "state"}:
        raise SaveError(f"malformed save: {where} must be an object with turn, at and state")
    turn, at = item["turn"], item["at"]
    if type(turn) is not int or type(at) is not int or not 0 <= at <= len(record):
        raise SaveError(f"malformed save: {where}: turn and at must be whole numbers, "
                        f"at within the log")
    state = _structure(item["state"], GameState, f"{where}.state")
    board = _structure(state.board, record.scenario.board_type, f"{where}.state.board")
    state = attrs.evolve(state, board=board)
    # A snapshot only ever speeds up seeking; one that disagrees with the log is refused.
    if check and (state.digest() != record.hash_at(record._tops[at]) or state.ctx.turn != turn):
        raise VerifyError(f"the snapshot of turn {turn} (position {at}) does not match the log")
    return Snapshot(turn, at, state)


# -- migrations: older formats load through explicit steps -------------------------
def migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 (engine 0.1) kept a flat header, parallel ``moves`` and ``hashes``
    lists, and neither snapshots nor bot generators."""
    header_keys = ("seed", "turns", "seats", "created")
    known = {"format", "version", "engine", "scenario", "scenario_version", "setup_hash",
             "moves", "hashes", *header_keys}
    missing = [k for k in sorted(known) if k not in data]
    if missing:
        raise SaveError(f"malformed format-1 save: required field missing: {missing[0]}")
    extra = sorted(set(data) - known)
    if extra:
        raise SaveError(f"malformed format-1 save: unknown field {extra[0]!r}")
    moves, hashes = data["moves"], data["hashes"]
    if not isinstance(moves, list) or not isinstance(hashes, list) or len(moves) != len(hashes):
        raise SaveError("malformed format-1 save: moves and hashes must be lists of equal length")
    header = {"format": FORMAT, "format_version": 2, "engine_version": data["engine"],
              "scenario": data["scenario"], "scenario_version": data["scenario_version"],
              **{k: data[k] for k in header_keys}}
    return {"header": header, "start_hash": data["setup_hash"],
            "log": [{"type": "move", "move": m, "hash": h} for m, h in zip(moves, hashes)],
            "snapshots": [], "bots": {}}


@attrs.frozen
class Rebased:
    """What loading a save of an older scenario version kept."""

    old_version: str
    new_version: str
    kept: int    # moves the current rules replayed
    total: int   # moves the save held

    @property
    def lossy(self) -> bool:
        return self.kept < self.total

    def line(self) -> str:
        return (f"made under scenario version {self.old_version}: {self.kept} of its "
                f"{self.total} moves replay under version {self.new_version}"
                + ("; the game resumes after them" if self.lossy else ""))

    def refusal(self) -> str:
        """Why a command must not write the file back (it would drop moves)."""
        return (f"{self.line()}; rewriting the file would lose the other "
                f"{self.total - self.kept}, so it is left as it is (continue it with "
                f"play --load, which saves a new file)")


def rebase_scenario(data: dict[str, Any], scenario: Scenario, header: "Header") -> dict[str, Any]:
    """A save of an older version of the scenario, replayed under the current rules.

    The old rules are gone, so the old hashes cannot be checked: the log is
    replayed from the seed under the current rules and hashed afresh.  Moves,
    undos and notes carry over until the first move the current rules refuse;
    the game resumes from there.
    """
    game = Game.new(scenario, header.seed, header.turns)
    record = Record.start(game, header.seed, header.seats, header.created)
    if not isinstance(data["log"], list):
        raise SaveError(f"malformed save: log must be a list, not {_json_type(data['log'])}")
    for i, item in enumerate(data["log"], 1):
        entry = _entry(item, i, scenario)
        if entry.effect == "push":
            try:
                after = entry.play(game)
            except (IllegalMoveError, InvalidMoveError, ValueError):
                break
            record.append(attrs.evolve(entry, hash=after.state_hash()), after)
            game = after
        elif entry.effect == "pop":
            if not record.can_undo():
                break
            game = record.undo()
        else:
            record.annotate(attrs.evolve(entry, hash=record.hash_at(len(record))))
    record.bots = _bots(data["bots"], scenario)
    out = record.to_dict()  # chained anew over the replayed log
    out["snapshots"] = []
    return out


def migrate_2_to_3(data: dict[str, Any]) -> dict[str, Any]:
    """Format 2 had no hash chain, no signature and no end entry: its log
    loads as it is (``legacy``: the replay is its only check), the end entry
    is added when it is next written."""
    if not isinstance(data.get("header"), dict):
        raise SaveError("malformed save: header must be an object")
    if "chain" in data or "mac" in data:
        raise SaveError("malformed save: a format-2 save has no chain or mac")
    return {**data, "header": {**data["header"], "format_version": 3}, "chain": None,
            "_migrated_from": 2}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: migrate_1_to_2,
                                                                     2: migrate_2_to_3}


def format_version(data: Any) -> int:
    """The format version of a parsed save (any version this module has known)."""
    if not isinstance(data, dict):
        raise SaveError(f"not a Crossroads save: the file holds {_json_type(data)}, not an object")
    header = data.get("header")
    if isinstance(header, dict) and header.get("format") == FORMAT:
        version = header.get("format_version")
    elif data.get("format") == FORMAT:  # format 1 kept its header flat
        version = data.get("version")
    else:
        raise SaveError(f'not a Crossroads save: no "format": "{FORMAT}" header')
    if type(version) is not int or version < 1:
        raise SaveError(f"malformed save: the format version must be a whole number >= 1, "
                        f"not {version!r:.20}")
    return version


def migrate(data: Any) -> dict[str, Any]:
    """Bring a parsed save of any known format version to :data:`FORMAT_VERSION`."""
    version = format_version(data)
    if version > FORMAT_VERSION:
        raise SaveError(f"save format {version} is newer than this engine reads "
                        f"(format {FORMAT_VERSION}, engine {ENGINE_VERSION}): update Crossroads")
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


# -- files ------------------------------------------------------------------------
def regular_file(path: str | os.PathLike) -> os.stat_result | None:
    """``path``'s stat when it is a regular file, None when it does not exist;
    a :class:`SaveError` for anything else (a directory, a named pipe, a
    device, a socket), which is never opened: a pipe would block forever."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise SaveError(f"cannot read it: {err.strerror or err}") from None
    if stat.S_ISDIR(st.st_mode):
        raise SaveError("is a directory, not a save file")
    if not stat.S_ISREG(st.st_mode):
        what = ("a named pipe" if stat.S_ISFIFO(st.st_mode) else
                "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise SaveError(f"is {what}, not a save file")
    return st


def read_text(path: str | os.PathLike, limit: int = MAX_FILE) -> str:
    """A save file's text, or a one-line :class:`SaveError`; never writes."""
    path = Path(path)
    st = regular_file(path)
    if st is None:
        raise SaveError("no such file")
    if st.st_size > limit:
        raise SaveError(f"too big for a save ({st.st_size} bytes, at most {limit})")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a pipe never blocks
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the stat
                raise SaveError("is not a regular file, not a save file")
            raw = f.read(limit + 1)
    except FileNotFoundError:
        raise SaveError("no such file") from None
    except IsADirectoryError:
        raise SaveError("is a directory, not a save file") from None
    except OSError as err:
        raise SaveError(f"cannot read it: {err.strerror or err}") from None
    if len(raw) > limit:
        raise SaveError(f"too big for a save (more than {limit} bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError("not a Crossroads save: the file is not UTF-8 text") from None


def load(path: str | os.PathLike, verify: bool = True) -> Record:
    """Read and check a save file.

    With ``verify`` (the default) the whole log is replayed from the seed
    and every hash checked; without it, the file is only validated and
    snapshots are checked against the log's hashes, which is enough to seek
    quickly (the replay viewer) but not to trust the log.  Errors are
    :class:`SaveError` with a one-line message (the path is the caller's
    to add).
    """
    return Record.from_json(read_text(path), verify)


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old file or the new one.

    A temporary file in the same directory is written, flushed and fsynced,
    then renamed over ``path``, and the directory fsynced so the rename
    survives a power cut.
    """
    path = Path(path)
    directory = path.parent
    try:
        regular_file(path)  # a directory, pipe or device is never written over
    except SaveError as err:
        raise SaveError(f"cannot write {path}: it {err}") from None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise SaveError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise SaveError(f"cannot write {path}: {err.strerror or err}") from None
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def save(record: Record, path: str | os.PathLike) -> None:
    write_atomic(path, record.to_json())


STALE_TMP_S = 60.0  # a temporary file older than this was left by a killed writer


def clean_stale(directory: str | os.PathLike, now: float | None = None) -> list[Path]:
    """Remove the temporary files :func:`write_atomic` leaves when killed
    mid-write (``.NAME.json.XXXX.tmp`` older than :data:`STALE_TMP_S`: a
    writer alive now is never older); return what was removed."""
    import time
    now = time.time() if now is None else now
    removed = []
    try:
        candidates = list(Path(directory).glob(".*.json.*.tmp"))
    except OSError:
        return removed
    for path in candidates:
        try:
            st = path.lstat()
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_TMP_S:
                path.unlink()
                removed.append(path)
        except OSError:  # pragma: no cover - someone else removed it
            pass
    return removed


class Autosaver:
    """Keeps the last few autosaves of each game in a directory.

    A game's autosaves share a name built from its header (created time,
    scenario, seed) and a random tag of this autosaver, so two games of the
    same seed started in the same second never share (nor prune) each
    other's files; each adds its turn and position, so they sort in the order
    they were made: ``autosave-20200103T091500Z-iraq-2020-seed7-1f3a9c2e-t05-p0031.json``.
    Stale temporary files of killed writes are removed when one is made.
    """

    def __init__(self, directory: str | os.PathLike = "saves", keep: int = AUTOSAVE_KEEP,
                 tag: str | None = None) -> None:
        if keep < 1:
            raise ValueError("keep at least one autosave")
        self.directory = Path(directory)
        self.keep = keep
        self.tag = tag if tag is not None else secrets.token_hex(4)
        clean_stale(self.directory)

    def stem(self, header: Header) -> str:
        stamp = re.sub(r"[^0-9A-Za-z]", "", header.created.split("+")[0])[:16] or "undated"
        scenario = re.sub(r"[^0-9A-Za-z_-]", "", header.scenario)
        return f"autosave-{stamp}-{scenario}-seed{header.seed}-{self.tag}"

    def path_for(self, record: Record) -> Path:
        turn = record.game_at(len(record)).ctx.turn
        return self.directory / f"{self.stem(record.header)}-t{turn:02d}-p{len(record):04d}.json"

    def write(self, record: Record) -> Path:
        path = self.path_for(record)
        save(record, path)
        self.prune(record.header)
        return path

    def saves_of(self, header: Header) -> list[Path]:
        """This game's autosaves, oldest position first."""
        pattern = re.compile(re.escape(self.stem(header)) + r"-t\d+-p(\d+)\.json$")
        found = []
        for path in self.directory.glob(self.stem(header) + "-t*-p*.json"):
            m = pattern.search(path.name)
            if m:
                found.append((int(m.group(1)), path.name, path))
        return [p for _, _, p in sorted(found)]

    def prune(self, header: Header) -> None:
        for path in self.saves_of(header)[:-self.keep]:
            try:
                path.unlink()
            except OSError:  # pragma: no cover - someone else removed it
                pass

    def latest(self) -> Path | None:
        """The most recently written autosave in the directory, of any game."""
        paths = [p for p in self.directory.glob("autosave-*.json") if p.is_file()]
        return max(paths, key=lambda p: (p.stat().st_mtime_ns, p.name)) if paths else None


# -- playing a recorded match -----------------------------------------------------
def match_from(record: Record, seats: dict[str, Seat] | None = None) -> Match:
    """A match at the end of ``record``, bots' generators as they were saved.

    Bots seated as when the game was saved continue exactly as they would
    have; a seat that changed (``seats``, which may name only some factions:
    the others keep their saved seats) starts a fresh generator.
    """
    saved = record.seats()
    seats = {f: (seats or {}).get(f, seat) for f, seat in saved.items()}
    game = record.game_at(len(record))
    match = Match(game, seats, record.header.seed)
    for faction in match.rngs:
        if faction in record.bots and saved[faction] == seats[faction]:
            match.rngs[faction] = Rng.from_state(record.bots[faction])
    return match


def load_match(path: str | os.PathLike, seats: dict[str, Seat] | None = None) -> tuple[Match, Record]:
    """Load, verify and resume a save: the match where it stopped, and its record."""
    record = load(path, verify=True)
    return match_from(record, seats), record


class Recorder:
    """A match being played and recorded: what the terminal and the window drive.

    :meth:`apply` plays and logs a move; when a turn ends (or the game), the
    record is written to ``save_path`` and autosaved, atomically.
    """

    def __init__(self, match: Match, record: Record, save_path: str | os.PathLike | None = None,
                 autosaver: Autosaver | None = None) -> None:
        self.match = match
        self.record = record
        self.save_path = Path(save_path) if save_path is not None else None
        self.autosaver = autosaver
        self.last_autosave: Path | None = None

    @classmethod
    def new(cls, scenario: Scenario, seed: int, turns: int | None, seats: dict[str, Seat],
            created: str, **kwargs: Any) -> "Recorder":
        game = Game.new(scenario, seed, turns)
        return cls(Match(game, seats, seed), Record.start(game, seed, seats, created), **kwargs)

    @property
    def game(self) -> Game:
        return self.match.game

    def apply(self, move: Move) -> tuple[str, ...]:
        turn = self.game.ctx.turn
        events = self.record.apply(self.game, move)
        if self.game.ctx.turn != turn or self.game.is_over():
            self.checkpoint()
        return events

    def undo(self) -> Game:
        """Take back the last move: the match's game goes back one move."""
        self.match.game = self.record.undo()
        return self.match.game

    def sync_bots(self) -> None:
        self.record.bots = {f: r.state for f, r in self.match.rngs.items()}

    def checkpoint(self) -> list[Path]:
        """Write the save file and an autosave now; return the paths written."""
        self.sync_bots()
        written = []
        if self.save_path is not None:
            save(self.record, self.save_path)
            written.append(self.save_path)
        if self.autosaver is not None:
            self.last_autosave = self.autosaver.write(self.record)
            written.append(self.last_autosave)
        return written


# The white cell's entry types (pause, inject, override...) register themselves.
from engine import whitecell as _whitecell  # noqa: E402,F401
