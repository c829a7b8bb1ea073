"""A game as the window plays it: the match, its record and log, undo, and bots off the loop.

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
from engine.moves import Move, Preview
from engine.record import Autosaver, MoveEntry, NoteEntry, Record, Recorder, SaveError, note_entry
from engine.rng import Rng
from engine.seats import Seat, parse_seat
from engine.ui.saves import now_iso


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
    undo: bool = False   # a replay's undo entry: ``move`` is the move taken back
    note: bool = False   # a replay's note or bookmark entry (shown beside the move it is about)

    @property
    def events(self) -> tuple[str, ...]:
        return visible(self.log, None)

    def seen_by(self, faction: str | None) -> bool:
        """Whether ``faction`` may know what this move was."""
        return not self.covert or faction is None or self.move is None or faction == self.move.faction


def entry_lines(scenario, entry: Entry, faction: str | None) -> list[str]:
    """The entry's lines as ``faction`` may read them, the move named in words."""
    if entry.undo and entry.move is not None:
        name = scenario.faction_names[entry.move.faction]
        what = f"{name}: {entry.summary}" if entry.seen_by(faction) else f"{name}: a covert action"
        return [f"Undo: {what} is taken back"]
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


_PROCESS_MAP = None


def shared_process_map():
    """One pool of two search workers for the window's whole life."""
    global _PROCESS_MAP
    if _PROCESS_MAP is None:
        from engine.ai.parallel import ProcessMap
        _PROCESS_MAP = ProcessMap(2)
    return _PROCESS_MAP


class BotWorker:
    """Runs one bot decision at a time in a daemon thread.

    ``inline`` decides on the caller's thread instead: the window's frames then
    do not depend on how the threads were scheduled (tests and ``--screenshots``
    use it; a bot's choice is the same either way, only its timing differs).
    """

    def __init__(self, inline: bool = False) -> None:
        self._lock = threading.Lock()
        self._result: tuple[int, Choice | BaseException, int] | None = None
        self._token = 0
        self.busy = False
        self.inline = inline

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

        if self.inline:
            work()
        else:
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
    """One game in the window: who sits where, the log, undo, the recording.

    Every move goes through an :class:`engine.record.Recorder`, as in headless
    play: it is logged, and the game is saved (``--save``) and autosaved when
    a turn ends.  An undo is an ``undo`` entry of the record, so the save and
    the window always agree.
    """

    def __init__(self, scenario, seats: dict[str, Seat], seed: int, turns: int | None = None,
                 undo_allowed: bool | None = None, *, recorder: Recorder | None = None,
                 autosave_dir=None, source: str = "") -> None:
        if recorder is None:
            recorder = Recorder.new(scenario, seed, turns, seats, now_iso(),
                                    autosaver=Autosaver(autosave_dir) if autosave_dir is not None else None)
        self.recorder = recorder
        self.scenario = scenario
        self.presentation = scenario.presentation()
        header = recorder.record.header
        self.seed = header.seed
        self.turns = header.turns
        self.match = recorder.match
        self.seats = dict(self.match.seats)
        if any(s.kind == "ai" and s.arg == "hard" for s in self.seats.values()):
            self.match.parallel = shared_process_map()  # hard searches its trees on both cores
        self.source = source      # the file the game was loaded from, if any
        self.states: list = []     # the game after each entry (for the score over time)
        self.entries: list[Entry] = self._entries_of(self.game)
        self.humans = tuple(f for f in scenario.factions if self.seats[f].human)
        # Undo: solo games only (one human), unless the caller says otherwise.
        self.undo_allowed = len(self.humans) == 1 if undo_allowed is None else undo_allowed
        self._rngs: dict[int, dict[str, int]] = {}   # bots' generators when a human moved
        self.undos = 0
        self.reasons: dict[int, str] = {}            # record position -> the bot's reason
        self.save_error = ""                          # the last autosave failure, if any
        self.saved_turn = 0                           # the turn of the last autosave
        self._checkpointed = len(recorder.record)
        self.viewer: str | None = self.humans[0] if self.humans else None
        self.worker = BotWorker()
        self.version = 0          # bumped whenever the game changes
        self._display: tuple[int, str | None, Display] | None = None
        self._lines: dict[str | None, tuple[int, list]] = {}
        self._scores: dict = {}
        self._trails: dict = {}
        self.why: dict[int, object] = {}      # entry index -> the bot's Explanation

    @classmethod
    def of_recorder(cls, recorder: Recorder, source: str = "") -> "Session":
        return cls(recorder.game.scenario, recorder.match.seats, recorder.record.header.seed,
                   recorder=recorder, source=source)

    def _entries_of(self, game: Game) -> list[Entry]:
        """The log of the moves standing, replayed from the seed (a loaded game's log)."""
        replay = Game.new(self.scenario, self.seed, self.turns)
        entries = [Entry(None, tuple(replay.last_log), turn=replay.ctx.turn)]
        self.states = [replay.state]
        for move in game.history:
            by_bot = not self.match.seats[move.faction].human
            entries.append(make_entry(replay, move, by_bot=by_bot))
            self.states.append(replay.state)
        return entries

    # -- reading ------------------------------------------------------------
    @property
    def game(self) -> Game:
        return self.match.game

    @property
    def record(self) -> Record:
        return self.recorder.record

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

    def scores(self, faction: str | None) -> dict:
        """Every faction's score now, as ``faction`` can see it (engine Game.scores_seen_by)."""
        cached = self._scores.get(faction)
        if cached and cached[0] == self.version:
            return cached[1]
        shown = self.game.scores_seen_by(faction)
        self._scores[faction] = (self.version, shown)
        return shown

    def score_trail(self, faction: str | None) -> list[dict[str, int]]:
        """The totals after each move so far, as ``faction`` sees them (the sparklines)."""
        cached = self._trails.get(faction)
        if cached and cached[0] == self.version:
            return cached[1]
        sc = self.scenario
        trail = []
        for state in self.states:
            board = state.board if faction is None else sc.view(state.board, faction)
            trail.append({f: s.total for f, s in sc.score(board, state.ctx.termination).items()})
        self._trails[faction] = (self.version, trail)
        return trail

    @property
    def last_autosave(self):
        return self.recorder.last_autosave

    # -- playing ------------------------------------------------------------
    def apply(self, move: Move, reason: str = "", by_bot: bool = False) -> Entry:
        """Play ``move`` for the active faction (refused moves raise, state untouched).

        The move is recorded; when it ends a turn the game is saved and
        autosaved.  A save that fails leaves the move standing and sets
        :attr:`save_error` for the window to show.
        """
        game = self.game
        summary = game.explain(move).summary
        turn = game.ctx.turn
        covert = game.scenario.registry.kind(move.faction, move.kind).covert(move.args)
        rngs = {f: r.state for f, r in self.match.rngs.items()}
        before = len(game.history)
        record = self.record
        checkpoints = len(record.snapshots)
        try:
            self.recorder.apply(move)
            if len(record.snapshots) != checkpoints or self.game.is_over():
                self._checkpointed = len(record)
                self.saved_turn = self.game.ctx.turn
                self.save_error = ""
        except SaveError as err:  # the move stands; the game goes on unsaved
            self.save_error = f"Not saved: {err}"
        if not by_bot:
            self._rngs[before] = rngs
        if reason:
            self.reasons[len(record)] = reason
        entry = Entry(move, tuple(self.game.last_log), summary, reason, turn, by_bot, covert)
        self.entries.append(entry)
        self.states.append(self.game.state)
        self.version += 1
        return entry

    def _undo_point(self) -> int:
        """How many moves to take back to undo the last human move (0: none)."""
        humans = set(self.humans)
        for back, move in enumerate(reversed(self.game.history), 1):
            if move.faction in humans:
                return back
        return 0

    def can_undo(self) -> bool:
        return self.undo_allowed and self._undo_point() > 0

    def undo(self) -> bool:
        """Take back the human's last move (and the bots' replies to it), as undo entries."""
        if not self.can_undo():
            return False
        self.worker.cancel()
        back = self._undo_point()
        target = len(self.game.history) - back
        for _ in range(back):
            self.recorder.undo()
        rngs = self._rngs.get(target)
        for key in [k for k in self._rngs if k >= target]:
            del self._rngs[key]
        if rngs is not None:  # the bots answer the replayed position as they did
            for faction, state in rngs.items():
                self.match.rngs[faction].state = state
        del self.entries[target + 1:]
        del self.states[target + 1:]
        self.undos += 1
        self.version += 1
        return True

    def last_move_of(self, faction: str) -> int:
        """The move ``faction`` played last, counted on the line of play (1: the first
        move); the current position when it has not moved yet."""
        history = self.game.history
        for back, move in enumerate(reversed(history)):
            if move.faction == faction:
                return self.record.standing_moves() - back
        return self.record.standing_moves()

    def add_note(self, author: str, text: str, bookmark: bool = False, public: bool = False) -> int:
        """Attach a note (or a bookmark) to ``author``'s last move, as a ``note`` entry of the
        record (:func:`engine.record.note_entry`); the save is written at once.  Returns the
        move noted; a note that does not fit raises ``ValueError`` (one line)."""
        record = self.record
        after = self.last_move_of(author)
        record.annotate(note_entry(record, after, author, text, public=public, bookmark=bookmark))
        try:
            self.recorder.checkpoint()
            self._checkpointed = len(record)
        except SaveError as err:  # the note stands in the record; the file is written later
            self.save_error = f"Not saved: {err}"
        self.version += 1
        return after

    def start_bot(self) -> None:
        """Ask the active bot for its move, in the worker thread."""
        faction = self.active
        bot = self.match.bots[faction]
        self.worker.start(bot, self.match.decision(faction, explain=True), self.match.rngs[faction].state)

    def poll_bot(self) -> tuple[Choice, int] | None:
        return self.worker.poll()

    def apply_bot(self, choice: Choice, rng_state: int) -> Entry:
        from engine.ai.explain import explain
        faction = self.active
        self.match.rngs[faction].state = rng_state
        why = explain(self.scenario, self.game.view(faction).board, faction, choice)
        entry = self.apply(choice.move, choice.reason, by_bot=True)
        self.why[len(self.entries) - 1] = why   # the Why? panel (engine/ai/explain.py)
        return entry

    def moves(self) -> tuple[Move, ...]:
        return tuple(e.move for e in self.entries if e.move is not None)

    def checkpoint_if_needed(self) -> None:
        """Save a game left unfinished since its last save (as headless play does on quit)."""
        if self.game.is_over() or len(self.record) == self._checkpointed:
            return
        try:
            self.recorder.checkpoint()
            self._checkpointed = len(self.record)
        except SaveError as err:
            self.save_error = f"Not saved: {err}"

    def close(self) -> None:
        self.worker.cancel()


class Replay:
    """Every position of a recorded game (:class:`engine.record.Record`).

    Position ``i`` is the game after the first ``i`` log entries, built by
    ``Record.game_at`` (cached states: seeking is a lookup, or a few moves
    from the nearest snapshot); the log entry of each position is made on
    demand and kept.  Undo entries show as "taken back".
    """

    def __init__(self, record: Record, reasons: dict[int, str] | None = None, title: str = "") -> None:
        self.record = record
        self.scenario = record.scenario
        self.presentation = self.scenario.presentation()
        self.title = title
        self.seats = record.seats()
        self.reasons = dict(reasons or {})
        self._games: dict[int, Game] = {}
        self._entries: dict[int, Entry] = {}
        self._notes: dict[str | None, dict[int, list]] = {}
        self._moments: dict[str | None, tuple[int, dict]] = {}
        # Turn -> the position where it starts (its event played), for jumps and the slider.
        self.turn_starts: dict[int, int] = dict(sorted(record.turn_starts().items()))

    def __len__(self) -> int:
        return len(self.record) + 1

    def game(self, index: int) -> Game:
        game = self._games.get(index)
        if game is None:
            game = self._games[index] = self.record.game_at(index)
        return game

    def entry(self, index: int) -> Entry:
        entry = self._entries.get(index)
        if entry is None:
            entry = self._entries[index] = self._make_entry(index)
        return entry

    def entries_upto(self, index: int) -> list[Entry]:
        return [self.entry(i) for i in range(index + 1)]

    def moments(self, faction: str | None) -> dict[int, list[tuple[str, list[str]]]]:
        """The moments that changed the game (a withdrawal vote's result, a new government,
        a change of posture...) by position, as ``faction`` saw them (None: the white cell):
        read from its views before and after each move and the lines it read
        (``Scenario.moments``, as the window's call-outs)."""
        cached = self._moments.get(faction)
        if cached is not None and cached[0] == len(self.record):
            return cached[1]
        found: dict[int, list[tuple[str, list[str]]]] = {}
        for i in range(1, len(self)):
            entry = self.entry(i)
            if entry.undo or entry.note:
                continue
            before, after = self.game(i - 1).view(faction).board, self.game(i).view(faction).board
            got = self.scenario.moments(before, after, tuple(entry_lines(self.scenario, entry, faction)))
            if got:
                found[i] = got
        self._moments[faction] = (len(self.record), found)
        return found

    def line_positions(self) -> list[int]:
        """Position of each move standing on the line of play (index 0: the start)."""
        stack = [0]
        for position, entry in enumerate(self.record.entries, 1):
            if entry.effect == "push":
                stack.append(position)
            elif entry.effect == "pop":
                stack.pop()
        return stack

    def notes(self, faction: str | None) -> dict[int, list]:
        """The notes and bookmarks ``faction`` may read (None: the white cell, all), by the
        position of the move they are about (as the after-action review places them:
        ``engine.report.export.notes_by_move``)."""
        cached = self._notes.get(faction)
        if cached is None or cached[0] != len(self.record):
            from engine.report.export import notes_by_move
            line = self.line_positions()
            out: dict[int, list] = {}
            for after, items in sorted(notes_by_move(self.record, faction).items()):
                items = [a for a in items if a.kind in ("note", "bookmark")]
                if items:
                    out.setdefault(line[max(0, min(after, len(line) - 1))], []).extend(items)
            cached = self._notes[faction] = (len(self.record), out)
        return cached[1]

    def bookmarks(self, faction: str | None) -> list[int]:
        """Positions of the moves ``faction`` may see bookmarked."""
        return sorted(i for i, items in self.notes(faction).items()
                      if any(a.kind == "bookmark" for a in items))

    def _make_entry(self, index: int) -> Entry:
        game = self.game(index)
        if index == 0:
            return Entry(None, tuple(game.last_log), turn=game.ctx.turn)
        item = self.record.entries[index - 1]
        registry = self.scenario.registry
        if isinstance(item, MoveEntry):
            move = Move.parse(item.move)
            before = self.game(index - 1)   # a move is played from the position before it
            return Entry(move, tuple(game.last_log), before.explain(move).summary,
                         self.reasons.get(index, ""), before.ctx.turn,
                         not self.seats[move.faction].human,
                         registry.kind(move.faction, move.kind).covert(move.args))
        if item.effect == "pop":
            undone = self.game(index - 1).history[-1]
            return Entry(undone, (), game.explain(undone).summary, "", game.ctx.turn, False,
                         registry.kind(undone.faction, undone.kind).covert(undone.args), undo=True)
        if isinstance(item, NoteEntry):  # its own audience: a private note stays private
            what = "Bookmark" if item.bookmark else "Note"
            text = f"{what} written on move {item.after_move} (shown beside it)"
            return Entry(None, (LogLine(text, item.audience),), turn=game.ctx.turn, note=True)
        return Entry(None, tuple(game.last_log), turn=game.ctx.turn)

    @classmethod
    def of_moves(cls, scenario, seed: int, turns: int | None, moves: Sequence[Move],
                 seats: dict[str, Seat] | None = None, title: str = "") -> "Replay":
        """A replay of ``moves`` played from ``seed`` (recorded here, not read from a file)."""
        game = Game.new(scenario, seed, turns)
        seats = seats or {f: parse_seat("random", f) for f in scenario.factions}
        record = Record.start(game, seed, seats, "")
        for move in moves:
            record.apply(game, move)
        return cls(record, title=title)

    @classmethod
    def of_session(cls, session: Session) -> "Replay":
        return cls(session.record, session.reasons,
                   f"seed {session.seed}, {session.turns} turns")

    of = of_session
