"""A game as the window plays it: the match, its log, undo, and bots off the loop.

Nothing here imports pygame: the session is the window's model, tested on
its own.  Bots think in a worker thread on a *copy* of their generator, so
the drawing loop never waits and an undo or a new game simply drops a
stale answer; the copy's state is adopted only when the move is applied,
which keeps a windowed game identical, move for move, to the same seed and
seats played headless.
"""

from __future__ import annotations

import threading
from typing import Sequence

import attrs

from engine.ai import Choice
from engine.display import Display
from engine.game import Game, LogLine, visible
from engine.match import Match
from engine.moves import Move, Preview
from engine.rng import Rng
from engine.seats import Seat


@attrs.frozen(slots=True)
class Entry:
    """One step of the log: a move (None for the set-up) and what it caused.

    ``log`` keeps each line's audience (engine.game.LogLine), so the same
    entry reads differently to each faction; ``covert`` moves show the
    others only that a covert action was taken.
    """

    move: Move | None
    log: tuple[LogLine, ...]
    summary: str = ""
    reason: str = ""
    turn: int = 0
    by_bot: bool = False
    covert: bool = False

    @property
    def events(self) -> tuple[str, ...]:
        return visible(self.log, None)

    def seen_by(self, faction: str | None) -> bool:
        """Whether ``faction`` may know what this move was."""
        return not self.covert or faction is None or self.move is None or faction == self.move.faction


def entry_lines(scenario, entry: Entry, faction: str | None) -> list[str]:
    """The entry's lines as ``faction`` may read them, the move named in words."""
    lines = list(visible(entry.log, faction))
    if entry.move is None or not lines:
        return lines
    name = scenario.faction_names[entry.move.faction]
    raw = f"T{entry.turn} {entry.move}"
    secret = f"T{entry.turn} {entry.move.faction}: a covert action"
    if raw in lines:  # the mover (or the white cell) reads the move itself
        lines = [line for line in lines if line != secret]
        lines[lines.index(raw)] = f"T{entry.turn} {name}: {entry.summary}" + (" (covert)" if entry.covert else "")
    elif secret in lines:
        lines[lines.index(secret)] = f"T{entry.turn} {name}: a covert action"
    return lines


def make_entry(game: Game, move: Move, reason: str = "", by_bot: bool = False) -> Entry:
    """Apply ``move`` to ``game`` and describe it (summary read before the move)."""
    summary = game.explain(move).summary
    turn = game.ctx.turn
    covert = game.scenario.registry.kind(move.faction, move.kind).covert(move.args)
    game.apply(move)
    return Entry(move, tuple(game.last_log), summary, reason, turn, by_bot, covert)


class BotWorker:
    """Runs one bot decision at a time in a daemon thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._result: tuple[int, Choice | BaseException, int] | None = None
        self._token = 0
        self.busy = False

    def start(self, bot, decision, rng_state: int) -> int:
        with self._lock:
            self._token += 1
            token = self._token
            self._result = None
            self.busy = True

        def work() -> None:
            rng = Rng.from_state(rng_state)
            try:
                outcome: Choice | BaseException = bot.choose(decision, rng)
            except BaseException as err:  # reported on the drawing thread
                outcome = err
            with self._lock:
                if token == self._token:
                    self._result = (token, outcome, rng.state)
                    self.busy = False

        threading.Thread(target=work, name="crossroads-bot", daemon=True).start()
        return token

    def cancel(self) -> None:
        with self._lock:
            self._token += 1
            self._result = None
            self.busy = False

    def poll(self):
        """``(choice, rng_state)`` once the current decision is made, else None."""
        with self._lock:
            result, self._result = self._result, None
        if result is None:
            return None
        _, outcome, state = result
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome, state


class Session:
    """One game in the window: who sits where, the log, undo snapshots."""

    def __init__(self, scenario, seats: dict[str, Seat], seed: int, turns: int | None = None,
                 undo_allowed: bool | None = None) -> None:
        self.scenario = scenario
        self.presentation = scenario.presentation()
        self.seed = seed
        self.turns = turns if turns is not None else scenario.default_turns
        self.seats = dict(seats)
        self.game = Game.new(scenario, seed, self.turns)
        self.match = Match(self.game, self.seats, seed)
        self.entries: list[Entry] = [Entry(None, tuple(self.game.last_log), turn=self.game.ctx.turn)]
        self.humans = tuple(f for f in scenario.factions if self.seats[f].human)
        # Undo: solo games only (one human), unless the caller says otherwise.
        self.undo_allowed = len(self.humans) == 1 if undo_allowed is None else undo_allowed
        self._undo: list[tuple[Game, dict[str, int], int]] = []
        self.undos = 0
        self.viewer: str | None = self.humans[0] if self.humans else None
        self.worker = BotWorker()
        self.version = 0          # bumped whenever the game changes
        self._display: tuple[int, str | None, Display] | None = None
        self._lines: dict[str | None, tuple[int, list]] = {}

    # -- reading ------------------------------------------------------------
    @property
    def active(self) -> str | None:
        return self.game.active_faction

    def human_to_move(self) -> bool:
        return self.match.human_to_move()

    def hotseat(self) -> bool:
        return len(self.humans) > 1

    def name(self, faction: str | None) -> str:
        return self.scenario.faction_names.get(faction, "White cell") if faction else "White cell"

    def display(self, faction: str | None) -> Display:
        cached = self._display
        if cached and cached[0] == self.version and cached[1] == faction:
            return cached[2]
        shown = self.presentation.display(self.game.view(faction).board, faction)
        self._display = (self.version, faction, shown)
        return shown

    def legal(self) -> list[Move]:
        return self.game.legal_moves() if self.human_to_move() else []

    def explain(self, move: Move) -> Preview:
        return self.game.explain(move)

    def entry_lines(self, entry: Entry, faction: str | None) -> list[str]:
        return entry_lines(self.scenario, entry, faction)

    def log_lines(self, faction: str | None) -> list[tuple[str, int]]:
        """Every line of the log for ``faction``, with the index of its entry."""
        cached = self._lines.get(faction)
        if cached and cached[0] == len(self.entries) and cached[1] == self.version:
            return cached[2]
        out = [(line, i) for i, e in enumerate(self.entries) for line in self.entry_lines(e, faction)]
        self._lines[faction] = (len(self.entries), self.version, out)
        return out

    # -- playing ------------------------------------------------------------
    def apply(self, move: Move, reason: str = "", by_bot: bool = False) -> Entry:
        """Play ``move`` for the active faction (refused moves raise, state untouched)."""
        game = self.game
        if not by_bot and self.undo_allowed:
            self._undo.append((game.clone(), {f: r.state for f, r in self.match.rngs.items()},
                               len(self.entries)))
        entry = make_entry(game, move, reason, by_bot)
        self.entries.append(entry)
        self.version += 1
        return entry

    def can_undo(self) -> bool:
        return self.undo_allowed and bool(self._undo)

    def undo(self) -> bool:
        """Take back the human's last move (and the bots' replies to it)."""
        if not self.can_undo():
            return False
        self.worker.cancel()
        game, rngs, n = self._undo.pop()
        self.game = game
        self.match.game = game
        for faction, state in rngs.items():
            self.match.rngs[faction].state = state
        del self.entries[n:]
        self.undos += 1
        self.version += 1
        return True

    def start_bot(self) -> None:
        """Ask the active bot for its move, in the worker thread."""
        faction = self.active
        bot = self.match.bots[faction]
        self.worker.start(bot, self.match.decision(faction), self.match.rngs[faction].state)

    def poll_bot(self) -> tuple[Choice, int] | None:
        return self.worker.poll()

    def apply_bot(self, choice: Choice, rng_state: int) -> Entry:
        self.match.rngs[self.active].state = rng_state
        return self.apply(choice.move, choice.reason, by_bot=True)

    def moves(self) -> tuple[Move, ...]:
        return tuple(e.move for e in self.entries if e.move is not None)

    def close(self) -> None:
        self.worker.cancel()


class Replay:
    """Every position of a recorded game, rebuilt by replaying its moves.

    ``source`` needs ``scenario``, ``seed``, ``turns`` and ``moves``; the
    positions are kept (states are immutable, so this costs little) and
    stepping back and forth is a lookup.
    """

    def __init__(self, scenario, seed: int, turns: int, moves: Sequence[Move],
                 reasons: Sequence[str] = (), title: str = "") -> None:
        self.scenario = scenario
        self.presentation = scenario.presentation()
        self.title = title
        game = Game.new(scenario, seed, turns)
        self.games = [game.clone()]
        self.entries = [Entry(None, tuple(game.last_log), turn=game.ctx.turn)]
        for i, move in enumerate(moves):
            self.entries.append(make_entry(game, move, reasons[i] if i < len(reasons) else ""))
            self.games.append(game.clone())
        # First move index of each turn, for the slider's ticks and turn jumps.
        self.turn_starts: dict[int, int] = {}
        for i, e in enumerate(self.entries):
            if e.move is not None:
                self.turn_starts.setdefault(e.turn, i)

    def __len__(self) -> int:
        return len(self.games)

    @classmethod
    def of(cls, session: Session) -> "Replay":
        moves = session.moves()
        reasons = [e.reason for e in session.entries if e.move is not None]
        return cls(session.scenario, session.seed, session.turns, moves, reasons,
                   f"seed {session.seed}, {session.turns} turns")
