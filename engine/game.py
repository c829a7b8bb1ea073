"""The facade every front end uses: window, AI, network, replays, tests.

``Game`` wraps one immutable :class:`~engine.state.GameState` and a
:class:`Scenario`.  The only way a game changes is :meth:`Game.apply`, which
checks the move once (phase, active faction, the rule's own reasons), lets
the rule resolve it on a draft, then runs the automatic phases (resolution,
upkeep, victory check, the next turn's event) until a faction must decide or
the game is over.
"""

from __future__ import annotations

import abc
from typing import Any, Iterable, NamedTuple

import attrs

from engine import flow
from engine.checks import TIERS, Check
from engine.moves import IllegalMoveError, InvalidMoveError, Move, MoveRegistry, Preview
from engine.rng import Rng, below, seed_state
from engine.state import Context, GameState


@attrs.frozen(slots=True)
class LogLine:
    """One line of the game's log, and who may read it.

    ``audience`` None: everyone; a faction id: that faction (and the white
    cell) only.  Secret lines are how a covert action is recorded without
    telling the other players what it was.
    """

    text: str
    audience: str | None = None


def visible(lines, faction: str | None) -> tuple[str, ...]:
    """The text of ``lines`` that ``faction`` may read (None: the white cell, all)."""
    if faction is None:
        return tuple(line.text for line in lines)
    return tuple(line.text for line in lines if line.audience is None or line.audience == faction)


class Draft:
    """A scenario's mutable working copy during one step.

    The engine gives the rules a draft, the rules change it, the engine
    freezes it into the next state.  The base class owns the dice and the
    log of what happened; scenarios subclass it to hold their board.  While
    ``secret_to`` names a faction, everything logged is for its eyes only.
    """

    def __init__(self, rng: int) -> None:
        self.rng = rng
        self.lines: list[LogLine] = []
        self.secret_to: str | None = None
        # A white-cell override: the tier every check of this step returns
        # (the dice are still rolled, so the generator moves as it would have).
        self.forced_tier: str | None = None
        self.forced_used = False
        # A search's simulation reads no log: ``quiet`` skips formatting it.
        self.quiet = False

    @property
    def events(self) -> list[str]:
        """Every line's text (the white cell's log)."""
        return [line.text for line in self.lines]

    def below(self, n: int) -> int:
        k, self.rng = below(self.rng, n)
        return k

    def d6(self) -> int:
        k, self.rng = below(self.rng, 6)
        return k + 1

    def check(self, check: Check) -> str:
        """Roll ``check``, log the roll and return its tier."""
        d1, d2 = self.d6(), self.d6()
        if self.quiet and self.forced_tier is None:
            return check.resolve(d1, d2)
        self.lines.append(LogLine("  " + check.report(d1, d2), self.secret_to))
        if self.forced_tier is not None:
            self.forced_used = True
            self.lines.append(LogLine(f"  \u2192 the white cell rules it a {self.forced_tier}",
                                      self.secret_to))
            return self.forced_tier
        return check.resolve(d1, d2)

    def log(self, text: str, audience: str | None = None) -> None:
        """Log ``text``; secret to ``audience`` (or to ``secret_to``) if set."""
        if self.quiet:
            return
        self.lines.append(LogLine(text, audience or self.secret_to))

    def announce(self, text: str) -> None:
        """Log ``text`` for everyone, even in the middle of a covert action."""
        if self.quiet:
            return
        self.lines.append(LogLine(text, None))

    def freeze(self) -> Any:  # pragma: no cover - scenarios implement it
        raise NotImplementedError


@attrs.frozen(slots=True)
class Score:
    """A faction's points and the named terms that earned them."""

    total: int
    breakdown: tuple[tuple[str, int], ...]

    def lines(self) -> list[str]:
        return [f"{points:+d} {label}" for label, points in self.breakdown]


class TrackReading(NamedTuple):
    """One track as a report or a chart reads it: where it stands and what it means.

    ``steps`` names the values of an ordinal track (``("continuity", ...)``);
    ``owner`` is the faction whose resource it is, None for the shared situation.
    """

    key: str
    label: str
    value: int
    lo: int
    hi: int
    owner: str | None
    steps: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class Outcome:
    """How a game ended: termination, winners (ties share) and scores."""

    termination: str
    description: str
    winners: tuple[str, ...]
    scores: dict[str, Score]


class Scenario(abc.ABC):
    """What a scenario provides; the engine calls nothing else."""

    id: str
    version: str
    title: str
    factions: tuple[str, ...]
    faction_names: dict[str, str]
    default_turns: int
    registry: MoveRegistry
    board_type: type  # the attrs class of the board: saves rebuild snapshots with it
    # Older versions of the scenario whose saves load by replaying their moves
    # under the current rules (engine/record.py: rebase_scenario).
    rebases_from: tuple[str, ...] = ()

    @abc.abstractmethod
    def setup(self, rng: int) -> tuple[Any, int]:
        """The starting board and the generator state after setting up."""

    @abc.abstractmethod
    def draft(self, board: Any, rng: int) -> Draft: ...

    @abc.abstractmethod
    def begin_turn(self, draft: Draft, turn: int) -> tuple[str, ...]:
        """Event phase: draw and apply the turn's event; return initiative order."""

    @abc.abstractmethod
    def capacity(self, board: Any, faction: str) -> int:
        """How many actions ``faction`` takes this turn (at least one)."""

    @abc.abstractmethod
    def resolution(self, draft: Draft) -> None: ...

    @abc.abstractmethod
    def upkeep(self, draft: Draft, turn: int) -> None: ...

    @abc.abstractmethod
    def sudden_death(self, board: Any, end_of_turn: bool = False) -> str | None:
        """A termination id if the game ends now, else None.

        Checked after every move and event, and with ``end_of_turn`` at the
        victory check (some endings only count once upkeep has run).
        """

    @abc.abstractmethod
    def score(self, board: Any, termination: str | None) -> dict[str, Score]: ...

    @abc.abstractmethod
    def describe_termination(self, termination: str) -> str: ...

    @abc.abstractmethod
    def view(self, board: Any, faction: str | None) -> Any:
        """The board as ``faction`` may see it (None: the white cell's view)."""

    def event_ids(self) -> tuple[str, ...]:
        """Every event card of the scenario (for coverage checks)."""
        return ()

    def events_played(self, board: Any) -> tuple[str, ...]:
        """The event cards drawn so far in this game."""
        return ()

    def describe_change(self, before: Any, after: Any, faction: str | None) -> list[str]:
        """What changed on the board besides the tracks (pieces, posts...), in
        words, as ``faction`` may see it; the preview's consequences use it
        (engine/consequences.py).  Default: nothing."""
        return []

    def briefing(self, board: Any, faction: str) -> list[tuple[str, str]]:
        """``faction``'s briefing on ``board`` (its view): (heading, paragraph)
        sections saying what it wants, how it scores, its moves.  Default: none."""
        return []

    def moments(self, before: Any, after: Any, lines: tuple[str, ...]) -> list[tuple[str, list[str]]]:
        """The moments that change the game between two boards of one view (a
        vote's result, a new government...): (headline, lines) for a call-out
        that stops the window; ``lines`` is what that view read of the step.
        Default: none."""
        return []

    def status_lines(self, board: Any, faction: str | None) -> list[str]:
        """The situation in plain text, for a terminal player."""
        return []

    # -- optional hooks for the after-action review (engine/report) ----------
    def track_table(self, board: Any) -> list[TrackReading]:
        """Every track of ``board`` (a view) with its label, range and owner."""
        return []

    def band_track(self) -> str | None:
        """The key of the ordinal track a report draws as a band across its
        timeline (the scenario's central question), or None."""
        return None

    def turn_banner(self, turn: int) -> str | None:
        """The log line that opens ``turn``, where a report starts the turn's section."""
        return None

    def public_view(self, board: Any) -> Any:
        """The board as an outsider sees it: every faction's secrets stripped."""
        raise NotImplementedError(f"{self.id} has no public view")

    # -- what-if studies: starting values a study may change ---------------
    def start_options(self) -> dict[str, tuple[int, int] | tuple[str, ...]]:
        """Starting values :meth:`with_start` may change: key -> (lowest, highest)
        for a number, or the allowed names (e.g. ``"track:waiver": (0, 2)``,
        ``"post:airspace": ("professional", "loyalist", "covert")``)."""
        return {}

    def with_start(self, board: Any, start: tuple[tuple[str, Any], ...]) -> Any:
        """``board`` (a fresh setup) with the starting values ``start`` put in
        place; already checked against :meth:`start_options`.  Pure."""
        raise NotImplementedError(f"{self.id} has no what-if starting values")

    # -- the white cell's hooks: what an inject or a ruling may change -----
    def tracks(self) -> dict[str, tuple[int, int]]:
        """Track name -> (lowest, highest): what injects and rulings may move."""
        return {}

    def inject_cards(self, board: Any) -> tuple[str, ...]:
        """Event cards the white cell may inject now (default: none)."""
        return ()

    def inject(self, draft: Draft, card: str | None, text: str,
               effects: tuple[tuple[str, int], ...]) -> None:
        """Play event ``card`` out of turn, or a custom event (``text`` and track
        deltas), on ``draft``.  Called only once :meth:`Game.inject` has checked it."""
        raise NotImplementedError(f"{self.id} has no injects")

    def set_tracks(self, draft: Draft, values: tuple[tuple[str, int], ...]) -> None:
        """Set tracks to ``values`` (a white-cell ruling); already checked."""
        raise NotImplementedError(f"{self.id} has no rulings on tracks")

    # -- optional hooks for the search AI (engine/ai/mcts.py) ---------------
    def determinize(self, view: GameState, faction: str, rng: Rng,
                    draws: int | None = None) -> GameState:
        """One full state consistent with ``view``, what ``faction`` sees.

        Everything the faction cannot see is sampled from ``rng`` (the bot's
        own generator), never read from the true state.  ``draws``: how many
        cards a simulation may draw from a hidden deck (None: any), so that
        only those need shuffling.  The default suits a scenario whose only
        secret is the dice: it keeps the board and draws a fresh generator
        state.
        """
        return GameState(view.ctx, view.board, rng.spawn().state)

    def win_chances(self, state: GameState) -> dict[str, float] | None:
        """Each faction's chance to win from ``state`` (a full state), or None
        when the scenario has no value model.  A finished game: 1 or 0."""
        return None

    def seat_policy(self, faction: str, seat: str) -> "Any | None":
        """How the bot in ``faction``'s ``seat`` (a seat text) plays, as a
        function ``(full board, Rng) -> Move`` that sees what that faction
        would see, or None when the scenario cannot model that seat."""
        return None

    def search_policy(self, faction: str) -> "Any | None":
        """The line a search that improves on one (``ai:hard``) follows for
        its own later moves in ``faction``'s chair, in :meth:`seat_policy`'s
        form; by default the faction's first doctrine."""
        return self.seat_policy(faction, "doctrine")

    def legal_key(self, board: Any) -> Any:
        """A hashable of everything legality reads on ``board`` (None: no
        caching): boards with equal keys have the same legal moves."""
        return None

    def evaluate(self, state: GameState) -> dict[str, float]:
        """Each faction's standing, in points: its score minus the best other.

        Zero or more means on top (the winner is the top score, ties share).
        Scenarios may refine it with what the score formula does not yet
        show (risks of a sudden death, resources in hand); search only
        compares values.
        """
        return margins({f: s.total for f, s in self.score(state.board, state.ctx.termination).items()})

    def rollout_move(self, board: Any, faction: str, rng: Rng) -> "Move | None":
        """A quick, legal, plausible move for ``faction`` on a full ``board``,
        used to play search rollouts; None lets the search pick at random."""
        return None

    # -- optional hooks for the research interfaces (engine/envs) -------------
    def observation_layout(self) -> tuple:
        """The named runs of :meth:`observation`'s vector: ``(name, start,
        labels, doc)`` tuples, in order."""
        raise NotImplementedError(f"scenario {self.id} has no numeric observation")

    def observation(self, view: GameState, faction: str) -> list[float]:
        """``faction``'s view (``Game.view(faction)``) as a flat list of floats in
        [0, 1], laid out as :meth:`observation_layout` says."""
        raise NotImplementedError(f"scenario {self.id} has no numeric observation")

    def doctrines(self, faction: str) -> tuple[str, ...]:
        """Names of the scripted doctrines available to ``faction`` (best first)."""
        return ()

    def presentation(self) -> Any:
        """What a graphical front end draws (an :class:`engine.display.Presentation`)."""
        raise NotImplementedError(f"scenario {self.id} has no presentation for the window")


TIME_UP = "time"


def check_start(scenario: Scenario, start: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
    """``start`` if every (key, value) is one the scenario offers; else ValueError."""
    options = scenario.start_options()
    for key, value in start:
        if key not in options:
            raise ValueError(f"unknown starting value {key!r} (choose from: {', '.join(options)})")
        allowed = options[key]
        if allowed and isinstance(allowed[0], int) and not isinstance(allowed[0], bool):
            lo, hi = allowed
            if type(value) is not int or not lo <= value <= hi:
                raise ValueError(f"{key} must be a whole number from {lo} to {hi}, got {value!r}")
        elif value not in allowed:
            raise ValueError(f"{key} must be one of {', '.join(map(str, allowed))}, got {value!r}")
    return start


def margins(totals: dict[str, float]) -> dict[str, float]:
    """Each faction's total minus the best total of the others."""
    out = {}
    for f, v in totals.items():
        best = max((w for g, w in totals.items() if g != f), default=v)
        out[f] = v - best
    return out


class Game:
    """One game in progress; cheap to clone, deterministic to replay."""

    __slots__ = ("scenario", "_state", "_history", "last_log", "quiet")

    def __init__(self, scenario: Scenario, state: GameState,
                 history: tuple[Move, ...] = (), quiet: bool = False) -> None:
        self.scenario = scenario
        self._state = state
        self._history = history
        self.last_log: tuple[LogLine, ...] = ()
        # A search's simulation: moves log nothing (same states, same dice).
        self.quiet = quiet

    # -- creation ---------------------------------------------------------
    @classmethod
    def new(cls, scenario: Scenario, seed: int, turns: int | None = None,
            start: Iterable[tuple[str, Any]] = ()) -> "Game":
        """A new game.  ``start``: starting values to change, as (key, value)
        pairs of :meth:`Scenario.start_options` (a what-if study's levels)."""
        if not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        turns = scenario.default_turns if turns is None else turns
        if not 1 <= turns <= 24:
            raise ValueError(f"length must be 1 to 24 turns, got {turns}")
        board, rng = scenario.setup(seed_state(seed))
        start = tuple(start)
        if start:
            board = scenario.with_start(board, check_start(scenario, start))
        state = GameState(Context(last_turn=turns), board, rng)
        draft = scenario.draft(board, rng)
        draft.log(f"{scenario.title} \u2014 seed {seed}, {turns} turns")
        ctx = cls._next_turn(scenario, state.ctx, draft, flow.step(flow.SETUP, "begin"))
        board, rng = draft.freeze()
        game = cls(scenario, GameState(ctx, board, rng))
        game.last_log = tuple(draft.lines)
        return game

    # -- reading ----------------------------------------------------------
    @property
    def state(self) -> GameState:
        return self._state

    @property
    def history(self) -> tuple[Move, ...]:
        return self._history

    @property
    def ctx(self) -> Context:
        return self._state.ctx

    @property
    def board(self) -> Any:
        return self._state.board

    @property
    def active_faction(self) -> str | None:
        return self._state.ctx.active_faction

    def legal_moves(self) -> list[Move]:
        """Legal moves of the active faction, in a stable order."""
        faction = self._state.ctx.active_faction
        if faction is None:
            return []
        return self.scenario.registry.legal(self._state.board, faction)

    def refusals(self, move: Move) -> list[str]:
        """Every reason ``move`` is illegal now; empty if it is legal."""
        ctx = self._state.ctx
        if ctx.phase == flow.GAME_OVER:
            return ["the game is over"]
        if ctx.phase == flow.PAUSED:
            return ["the game is paused by the white cell"]
        if move.faction not in self.scenario.factions:
            return [f"unknown faction {move.faction!r}"]
        active = ctx.active_faction
        if move.faction != active:
            return [f"it is {active}'s action, not {move.faction}'s"]
        return self.scenario.registry.refusals(self._state.board, move)

    def parse(self, text: str) -> Move:
        """Parse a move's text, checking faction and kind exist."""
        move = Move.parse(text)
        if move.faction not in self.scenario.factions:
            raise InvalidMoveError(f"unknown faction {move.faction!r} in {text!r}")
        self.scenario.registry.kind(move.faction, move.kind)
        return move

    def explain(self, move: Move, viewer: str | None = "mover") -> Preview:
        """Cost, odds and modifiers of ``move``, in words.

        Computed on what ``viewer`` may see — by default the faction making
        the move, so a preview never betrays what that faction cannot know;
        ``viewer=None`` gives the white cell's (true) preview.
        """
        kind = self.scenario.registry.kind(move.faction, move.kind)
        if move.args not in kind.domain:
            raise InvalidMoveError(f"{move.faction}:{move.kind} does not take {' '.join(move.args)!r}")
        who = move.faction if viewer == "mover" else viewer
        board = self._state.board if who is None else self.scenario.view(self._state.board, who)
        return kind.preview(board, move.args)

    def consequences(self, move: Move, viewer: str | None = "mover") -> list:
        """What each outcome of ``move`` would change, resolved by the rules on
        the viewer's board (engine/consequences.py); best tier first."""
        from engine.consequences import consequences
        who = move.faction if viewer == "mover" else viewer
        board = self._state.board if who is None else self.scenario.view(self._state.board, who)
        return consequences(self.scenario, board, move, who)

    def public_view(self) -> GameState:
        """What a spectator outside every faction may see."""
        return GameState(self._state.ctx, self.scenario.public_view(self._state.board), 0)

    def view(self, faction: str | None) -> GameState:
        """What ``faction`` may see: hidden things stripped, dice unknown."""
        if faction is not None and faction not in self.scenario.factions:
            raise ValueError(f"unknown faction {faction!r}")
        return GameState(self._state.ctx, self.scenario.view(self._state.board, faction), 0)

    def clone(self) -> "Game":
        twin = Game.__new__(Game)
        twin.scenario = self.scenario
        twin._state = self._state
        twin._history = self._history
        twin.last_log = self.last_log
        twin.quiet = self.quiet
        return twin

    def state_hash(self) -> str:
        return self._state.digest()

    def is_over(self) -> bool:
        return self._state.ctx.phase == flow.GAME_OVER

    def scores(self) -> dict[str, Score]:
        return self.scenario.score(self._state.board, self._state.ctx.termination)

    def scores_seen_by(self, faction: str | None) -> dict[str, Score]:
        """Every faction's score as ``faction`` can work it out from its own
        view (secret posts and hidden pieces count as it sees them); the
        white cell (None) reads the true :meth:`scores`."""
        if faction is None:
            return self.scores()
        return self.scenario.score(self.scenario.view(self._state.board, faction), self._state.ctx.termination)

    def outcome(self) -> Outcome | None:
        ctx = self._state.ctx
        if ctx.phase != flow.GAME_OVER:
            return None
        scores = self.scores()
        best = max(s.total for s in scores.values())
        winners = tuple(f for f in self.scenario.factions if scores[f].total == best)
        term = ctx.termination or TIME_UP
        return Outcome(term, self.scenario.describe_termination(term), winners, scores)

    # -- changing ---------------------------------------------------------
    @property
    def last_events(self) -> tuple[str, ...]:
        """Every line logged by the last step (the white cell's view)."""
        return visible(self.last_log, None)

    def events_for(self, faction: str | None) -> tuple[str, ...]:
        """The lines of the last step that ``faction`` may read."""
        return visible(self.last_log, faction)

    def public_move(self, move: Move) -> str:
        """``move`` as the other factions see it: a covert action says nothing."""
        kind = self.scenario.registry.kind(move.faction, move.kind)
        return f"{move.faction}: a covert action" if kind.covert(move.args) else str(move)

    def apply(self, move: Move) -> tuple[str, ...]:
        """Play ``move`` for the active faction; return what happened.

        The lines returned are the white cell's (all of them); see
        :meth:`events_for` for what each faction may read.  Raises
        :class:`IllegalMoveError` (state untouched) when refused.
        """
        return self._apply(move)

    def _apply(self, move: Move, tier: str | None = None, rationale: str = "") -> tuple[str, ...]:
        reasons = self.refusals(move)
        if reasons:
            raise IllegalMoveError(move, reasons)
        scenario = self.scenario
        state = self._state
        draft = scenario.draft(state.board, state.rng)
        kind = scenario.registry.kind(move.faction, move.kind)
        if self.quiet and tier is None:
            draft.quiet = True
        elif kind.covert(move.args):
            draft.log(f"T{state.ctx.turn} {move.faction}: a covert action")
            draft.secret_to = move.faction
        if not draft.quiet:
            draft.log(f"T{state.ctx.turn} {move}")
        if tier is not None:
            draft.log(f"  White cell override: {rationale}")
            draft.forced_tier = tier
        kind.resolve(draft, move.args)
        if tier is not None and not draft.forced_used:
            raise ValueError(f"{move} rolls no dice: there is no result to override "
                             f"(set tracks instead)")
        draft.forced_tier = None
        draft.secret_to = None
        ctx = self._after_action(scenario, state.ctx, draft)
        board, rng = draft.freeze()
        self._state = GameState(ctx, board, rng)
        self._history = self._history + (move,)
        self.last_log = tuple(draft.lines)
        return self.last_events

    def apply_ruled(self, move: Move, tier: str, rationale: str) -> tuple[str, ...]:
        """Play ``move`` with the white cell's ruling: every check of its own
        resolution gives ``tier`` whatever the dice say, and the rationale is
        logged (for the mover's eyes only when the move is covert).

        The dice are still rolled, so the game goes on exactly as a replay of
        the same ruling will.  Refused (:class:`IllegalMoveError`, state
        untouched) like :meth:`apply`, and with :class:`ValueError` when the
        move rolls no dice or the tier or rationale is not valid.
        """
        if tier not in TIERS:
            raise ValueError(f"unknown tier {tier!r} (choose from: {', '.join(TIERS)})")
        rationale = _rationale(rationale)
        twin = self.clone()
        twin._apply(move, tier, rationale)
        self._state, self._history, self.last_log = twin._state, twin._history, twin.last_log
        return self.last_events

    def inject(self, card: str | None = None, text: str = "",
               effects: Iterable[tuple[str, int]] = ()) -> tuple[str, ...]:
        """The white cell injects an event now: a card of the deck (``card``) or
        a custom one (``text`` and track deltas).  Everyone reads it.  A sudden
        death it causes ends the game at once.  Raises :class:`ValueError`
        (state untouched) when the scenario refuses it."""
        effects = tuple(effects)
        reasons = self.inject_refusals(card, text, effects)
        if reasons:
            raise ValueError("inject refused: " + "; ".join(reasons))
        draft = self.scenario.draft(self._state.board, self._state.rng)
        self.scenario.inject(draft, card, text, effects)
        self._commit_ruling(draft)
        return self.last_events

    def inject_refusals(self, card: str | None, text: str,
                        effects: tuple[tuple[str, int], ...]) -> list[str]:
        """Why an inject would be refused now (empty: it is allowed)."""
        reasons = self._ruling_refusals()
        if card is not None:
            if text or effects:
                reasons.append("inject a card or a custom event, not both")
            elif card not in self.scenario.inject_cards(self._state.board):
                reasons.append(f"no card {card!r} to inject (the deck's remaining cards only)")
            return reasons
        if not isinstance(text, str) or not text.strip() or len(text) > 500:
            reasons.append("a custom inject needs a text of 1 to 500 characters")
        if not effects:
            reasons.append("a custom inject needs at least one track effect")
        tracks = self.scenario.tracks()
        for name, delta in effects:
            if name not in tracks:
                reasons.append(f"unknown track {name!r}")
                continue
            lo, hi = tracks[name]
            if type(delta) is not int or delta == 0 or abs(delta) > hi - lo:
                reasons.append(f"{name}: a change must be a whole number from "
                               f"-{hi - lo} to +{hi - lo}, not 0")
        if len({name for name, _ in effects}) != len(effects):
            reasons.append("each track at most once")
        return reasons

    def set_tracks(self, values: Iterable[tuple[str, int]], rationale: str) -> tuple[str, ...]:
        """A white-cell ruling: set tracks to ``values`` and log why.  Everyone
        reads it.  Raises :class:`ValueError` (state untouched) if refused."""
        values = tuple(values)
        rationale = _rationale(rationale)
        reasons = self._ruling_refusals()
        tracks = self.scenario.tracks()
        if not values:
            reasons.append("a ruling sets at least one track")
        for name, value in values:
            if name not in tracks:
                reasons.append(f"unknown track {name!r}")
            elif type(value) is not int or not tracks[name][0] <= value <= tracks[name][1]:
                reasons.append(f"{name} must be a whole number from {tracks[name][0]} "
                               f"to {tracks[name][1]}")
        if len({name for name, _ in values}) != len(values):
            reasons.append("each track at most once")
        if reasons:
            raise ValueError("ruling refused: " + "; ".join(reasons))
        draft = self.scenario.draft(self._state.board, self._state.rng)
        draft.log(f"White cell ruling: {rationale}")
        self.scenario.set_tracks(draft, values)
        self._commit_ruling(draft)
        return self.last_events

    def _ruling_refusals(self) -> list[str]:
        phase = self._state.ctx.phase
        if phase == flow.GAME_OVER:
            return ["the game is over"]
        if phase not in (flow.ACTIONS, flow.PAUSED):
            return [f"not during {phase}"]
        return []

    def _commit_ruling(self, draft: Draft) -> None:
        """Freeze a white-cell change; a sudden death it caused ends the game."""
        ctx = self._state.ctx
        ending = self.scenario.sudden_death(draft)
        if ending is not None:
            if ctx.phase == flow.PAUSED:
                ctx = attrs.evolve(ctx, phase=ctx.paused_from or flow.ACTIONS, paused_from=None)
            ctx = self._end(ctx, draft, ending)
        board, rng = draft.freeze()
        self._state = GameState(ctx, board, rng)
        self.last_log = tuple(draft.lines)

    def pause(self) -> None:
        ctx = self._state.ctx
        phase = flow.step(ctx.phase, "pause")
        self._state = attrs.evolve(self._state, ctx=attrs.evolve(ctx, phase=phase, paused_from=ctx.phase))
        self.last_log = (LogLine("The white cell pauses the game."),)

    def resume(self) -> None:
        ctx = self._state.ctx
        if ctx.phase != flow.PAUSED:
            raise flow.FlowError(f"cannot resume during {ctx.phase}")
        phase = flow.step(ctx.phase, "resume", ctx.paused_from or flow.EVENT)
        self._state = attrs.evolve(self._state, ctx=attrs.evolve(ctx, phase=phase, paused_from=None))
        self.last_log = (LogLine("The white cell resumes the game."),)

    # -- the automatic part of the turn -------------------------------------
    @staticmethod
    def _end(ctx: Context, draft: Draft, termination: str) -> Context:
        """Victory check found an ending: the game is over."""
        phase = ctx.phase
        if phase != flow.VICTORY:
            phase = flow.step(phase, "sudden_death")
        draft.log(f"Game over: {termination}")
        return attrs.evolve(ctx, phase=flow.step(phase, "end"), termination=termination,
                            actions_left=0)

    @classmethod
    def _after_action(cls, scenario: Scenario, ctx: Context, draft: Draft) -> Context:
        moves = ctx.moves + 1
        ending = scenario.sudden_death(draft)
        if ending is not None:
            return cls._end(attrs.evolve(ctx, moves=moves), draft, ending)
        left = ctx.actions_left - 1
        # The two common cases build the context directly: this is the hot path.
        if left > 0:
            return Context(ctx.turn, ctx.last_turn, ctx.phase, ctx.order, ctx.active, left,
                           ctx.paused_from, ctx.termination, moves)
        active = ctx.active + 1
        if active < len(ctx.order):
            return Context(ctx.turn, ctx.last_turn, flow.step(ctx.phase, "next_faction"), ctx.order,
                           active, scenario.capacity(draft, ctx.order[active]), ctx.paused_from,
                           ctx.termination, moves)
        ctx = attrs.evolve(ctx, phase=flow.step(ctx.phase, "close_actions"), moves=moves,
                           active=active, actions_left=0)
        scenario.resolution(draft)
        ctx = attrs.evolve(ctx, phase=flow.step(ctx.phase, "resolve"))
        scenario.upkeep(draft, ctx.turn)
        ctx = attrs.evolve(ctx, phase=flow.step(ctx.phase, "upkeep_done"))
        ending = scenario.sudden_death(draft, end_of_turn=True)
        if ending is None and ctx.turn >= ctx.last_turn:
            ending = TIME_UP
        if ending is not None:
            return cls._end(ctx, draft, ending)
        return cls._next_turn(scenario, ctx, draft, flow.step(ctx.phase, "next_turn"))

    @classmethod
    def _next_turn(cls, scenario: Scenario, ctx: Context, draft: Draft, phase: str) -> Context:
        turn = ctx.turn + 1
        order = scenario.begin_turn(draft, turn)
        ending = scenario.sudden_death(draft)
        ctx = attrs.evolve(ctx, phase=phase, turn=turn)
        if ending is not None:
            return cls._end(ctx, draft, ending)
        return attrs.evolve(ctx, phase=flow.step(phase, "open_actions"), order=order, active=0,
                            actions_left=scenario.capacity(draft, order[0]))


def _rationale(text: str) -> str:
    """A white cell's written reason: one line of 1 to 500 characters."""
    if not isinstance(text, str) or not text.strip() or len(text) > 500 or "\n" in text:
        raise ValueError("a ruling needs a written rationale: one line of 1 to 500 characters")
    return text.strip()
