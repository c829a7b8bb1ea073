"""The exercise's rules of play, apart from the network: who may act, when.

A :class:`Referee` owns the authoritative :class:`~engine.game.Game` of an
exercise and every change to it.  The server turns frames into calls here
and publishes the result; tests drive it directly.  Nothing here does I/O or
reads the clock: the server owns the timers and tells the referee when one
ran out.

Modes, set by the white cell at any time:

* **normal** — the active faction's seat sends its move; others wait;
* **sealed** — every faction still to act this turn seals its orders (one
  move per action) in secret; when all are in, they resolve in initiative
  order.  An order the situation no longer allows becomes a pass (its author
  is told why); the others only ever see what was played;
* **review** — a move's result is held for the white cell, who approves it,
  overrides its roll (another tier, with a written rationale) or sets tracks
  (with a rationale) before anyone else sees it.

Every change is a log entry of :mod:`engine.whitecell` handed to the
journal, so the exercise replays from its seed exactly.
"""

from __future__ import annotations

from typing import Any, Callable

import attrs

from engine import flow
from engine.ai import Bot, Decision
from engine.game import Game, LogLine
from engine.match import bot_rng
from engine.moves import IllegalMoveError, InvalidMoveError, Move
from engine.record import NOTE_MAX, WHITE_CELL, NoteEntry
from engine.rng import Rng
from engine.seats import Seat, parse_seat
from engine.whitecell import (Entry, InjectEntry, MoveEntry, OverrideEntry, PauseEntry,
                              ResumeEntry, RulingEntry, TimeoutEntry)


class Refused(ValueError):
    """A request the referee turns down; ``str()`` is the one-line reply."""


@attrs.define
class Settings:
    """What the white cell has chosen (kept in the host's private file)."""

    sealed: bool = False
    review: bool = False
    clock: float | None = None      # seconds a seat has to act; None: no clock
    clock_default: str = "pass"     # "pass", or "ai": the seat's AI plays for it
    show: str = "public"            # what spectators see: none, public, all, or a faction
    default_ai: str = "ai:normal"   # the bot that plays a human seat's default "ai"


@attrs.frozen
class Scheduled:
    """An inject the white cell set for the start of ``turn``'s actions."""

    turn: int
    card: str = ""
    text: str = ""
    effects: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "card": self.card, "text": self.text,
                "effects": dict(self.effects)}


@attrs.frozen
class Pending:
    """A move's result held for the white cell's review."""

    move: Move
    after: Game


Need = tuple[str, tuple[str, ...]]
BOT_BUDGET_S = 3.0  # wall-clock cap on a server-side bot's decision  # ("bot" | "seal-bots", factions)


class Referee:
    def __init__(self, game: Game, seats: dict[str, Seat], seed: int,
                 record: Callable[[Entry, Game], None] | None = None,
                 settings: Settings | None = None) -> None:
        self.game = game
        self.seats = dict(seats)
        self.seed = seed
        self.settings = settings or Settings()
        self.schedule: list[Scheduled] = []
        self.sealed: dict[str, list[str]] = {}     # this round's orders, by faction
        self.sealed_round: tuple[int, int] | None = None  # (turn, moves) the round began at
        self.pending: Pending | None = None
        self.refs: dict[str, str] = {}             # last move ref accepted, by faction
        self.ref_requests: dict[str, str] = {}     # ... and the request it was for
        self.log: list[LogLine] = list(game.last_log)
        self.version = 0                           # bumped by every change
        self.private_version = 0                   # bumped when the host's private file changes
        self._record = record
        factions = game.scenario.factions
        self.bots: dict[str, Bot] = {f: s.bot(f) for f, s in self.seats.items() if not s.human}
        self.rngs: dict[str, Rng] = {f: bot_rng(seed, factions.index(f)) for f in factions}

    # -- reading --------------------------------------------------------------
    @property
    def scenario(self):
        return self.game.scenario

    def is_bot(self, faction: str) -> bool:
        return faction in self.bots

    def waiting_for(self) -> tuple[str, ...]:
        """The factions whose seats the game waits on now (empty: none)."""
        game = self.game
        if game.is_over() or game.ctx.phase != flow.ACTIONS or self.pending is not None:
            return ()
        if self.settings.sealed:
            return self.to_seal()
        return (game.active_faction,) if game.active_faction else ()

    def to_seal(self) -> tuple[str, ...]:
        """Factions still to seal orders for this round."""
        ctx = self.game.ctx
        if ctx.phase != flow.ACTIONS or not self.settings.sealed:
            return ()
        self._new_round_if_needed()
        remaining = ctx.order[ctx.active:]
        return tuple(f for f in remaining if f not in self.sealed)

    def awaiting(self) -> str:
        """What the game waits for, in words anyone may read."""
        game = self.game
        if game.is_over():
            return "the game is over"
        if game.ctx.phase == flow.PAUSED:
            return "paused by the white cell"
        if self.pending is not None:
            return "the white cell's review of the last result"
        waiting = self.waiting_for()
        if self.settings.sealed:
            return "sealed orders from " + ", ".join(waiting) if waiting else "resolving orders"
        return f"{waiting[0]} to act" if waiting else ""

    def sealing_legal(self, faction: str) -> list[Move]:
        """Moves ``faction`` may seal now: judged on its own view, so they tell
        it nothing it may not see."""
        view = self.game.view(faction)
        return self.scenario.registry.legal(view.board, faction)

    def capacity(self, faction: str) -> int:
        ctx = self.game.ctx
        if ctx.active_faction == faction:
            return ctx.actions_left
        return self.scenario.capacity(self.game.board, faction)

    # -- seats ------------------------------------------------------------------
    def _seen(self, faction: str, ref: str | None, request: str) -> bool:
        """Whether ``ref`` was already accepted for this very ``request`` (a
        client resending after a reconnect: it gets its original answer).
        The same ``ref`` with another request is refused: it is not played,
        and not acknowledged as if it were."""
        if ref is None or self.refs.get(faction) != ref:
            return False
        if self.ref_requests.get(faction, request) != request:
            raise Refused(f"ref {ref!r} was already used for another request: "
                          f"send a new ref")
        return True

    def _accept_ref(self, faction: str, ref: str | None, request: str) -> None:
        if ref is not None:
            self.refs[faction] = ref
            self.ref_requests[faction] = request
            self.private_version += 1

    def move(self, faction: str, text: str, ref: str | None = None, at: int | None = None) -> bool:
        """``faction``'s seat sends a move.  Returns False when ``ref`` was
        already accepted for the same move (a client resending after a
        reconnect); raises :class:`Refused` when it was used for another."""
        request = f"move {text} at {at}"
        if self._seen(faction, ref, request):
            return False
        game = self.game
        if self.settings.sealed:
            raise Refused("orders are sealed this turn: send them with 'seal'")
        if self.pending is not None:
            raise Refused("wait: the white cell is reviewing the last result")
        move = self._parse(faction, text)
        if at is not None and at != game.ctx.moves:
            raise Refused("the game has moved on since you chose that move")
        self._check_legal(faction, move)
        self._resolve(move)  # raises Refused before anything changes
        self._accept_ref(faction, ref, request)
        return True

    def seal(self, faction: str, texts: list[str], ref: str | None = None) -> bool:
        request = "seal " + " | ".join(texts)
        if self._seen(faction, ref, request):
            return False
        if not self.settings.sealed:
            raise Refused("orders are not sealed now: send a 'move' on your turn")
        if faction not in self.to_seal():
            if faction in self.sealed:
                raise Refused("your orders for this turn are already sealed")
            raise Refused("you have no action left this turn")
        moves = [self._parse(faction, t) for t in texts]
        if not 1 <= len(moves) <= max(1, self.capacity(faction)):
            raise Refused(f"seal 1 to {max(1, self.capacity(faction))} orders")
        legal = self.sealing_legal(faction)
        for move in moves:
            if move not in legal:
                reasons = self.scenario.registry.refusals(self.game.view(faction).board, move)
                raise Refused(f"order {move} refused: " + "; ".join(reasons or ["not allowed now"]))
        self.sealed[faction] = [str(m) for m in moves]
        self._accept_ref(faction, ref, request)
        self.version += 1
        self.private_version += 1
        return True

    def _parse(self, faction: str, text: str) -> Move:
        try:
            move = self.game.parse(text)
        except InvalidMoveError as err:
            raise Refused(str(err)) from None
        if move.faction != faction:
            raise Refused(f"you play {faction}: you cannot move for {move.faction}")
        return move

    def _check_legal(self, faction: str, move: Move) -> None:
        game = self.game
        if game.ctx.phase != flow.ACTIONS or game.active_faction != faction:
            reasons = game.refusals(move)  # turn-machine reasons only: no secrets
            raise Refused("; ".join(reasons) or "not your turn")
        if game.refusals(move):
            # The reasons a player reads are judged on what it may see.
            reasons = self.scenario.registry.refusals(game.view(faction).board, move)
            raise Refused(f"illegal move {move}: " + "; ".join(reasons or ["refused by the rules"]))

    # -- bots -------------------------------------------------------------------
    def decision(self, faction: str, sealed: bool = False) -> tuple[Bot, Decision, Rng]:
        """What a bot needs to choose for ``faction`` (the seat's, or the default AI)."""
        bot = self.bots.get(faction) or parse_seat(self.settings.default_ai, faction).bot(faction)
        legal = self.sealing_legal(faction) if sealed else self.game.legal_moves()
        return bot, Decision(self.scenario, faction, self.game.view(faction), tuple(legal),
                             BOT_BUDGET_S), self.rngs[faction]

    def choose_now(self, faction: str, sealed: bool = False) -> Move:
        bot, decision, rng = self.decision(faction, sealed)
        return bot.choose(decision, rng).move

    def bot_move(self, faction: str, move: Move, at: int) -> None:
        """A server-side bot's move, chosen when the game was at move ``at``."""
        if self.game.ctx.moves != at or self.game.active_faction != faction or self.pending:
            return  # the game moved on while it thought
        self._resolve(move)

    def bot_seal(self, faction: str, moves: list[Move]) -> None:
        if faction in self.to_seal():
            self.sealed[faction] = [str(m) for m in moves]
            self.version += 1
            self.private_version += 1

    # -- the turn runs on ---------------------------------------------------------
    def advance(self) -> Need | None:
        """Play what needs no seat: injects now due, sealed orders once all are
        in.  Returns what the server must ask a bot for, or None to wait."""
        while True:
            game = self.game
            if game.is_over() or game.ctx.phase != flow.ACTIONS or self.pending is not None:
                return None
            due = [s for s in self.schedule if s.turn <= game.ctx.turn]
            if due:
                item = due[0]
                self.schedule.remove(item)
                self.private_version += 1
                try:
                    self._inject(item.card or None, item.text, item.effects)
                except Refused as err:
                    self.log.append(LogLine(f"Scheduled inject dropped: {err}", "white"))
                continue
            if self.settings.sealed:
                missing = self.to_seal()
                bots = tuple(f for f in missing if self.is_bot(f))
                if bots:
                    return ("seal-bots", bots)
                if missing:
                    return None
                self._resolve_next_order()
                continue
            faction = game.active_faction
            if faction is not None and self.is_bot(faction):
                return ("bot", (faction,))
            return None

    def _new_round_if_needed(self) -> None:
        ctx = self.game.ctx
        if self.sealed_round is None or self.sealed_round[0] != ctx.turn:
            self.sealed_round = (ctx.turn, ctx.moves)
            self.sealed = {}
            self.private_version += 1

    def _resolve_next_order(self) -> None:
        faction = self.game.active_faction
        orders = self.sealed.get(faction, [])
        move = None
        while orders and move is None:
            text = orders.pop(0)
            self.private_version += 1
            candidate = Move.parse(text)
            if not self.game.refusals(candidate):
                move = candidate
            else:
                self.log.append(LogLine(f"Your sealed order {text} is no longer allowed: "
                                        f"it is dropped", faction))
        if move is None:
            move = self.default_move(faction, "pass")
        self._resolve(move)

    def default_move(self, faction: str, default: str) -> Move:
        """The move played for a seat that did not act: a pass when the rules
        have one and ``default`` is "pass", else the seat's AI."""
        if default == "pass":
            passing = Move(faction, "pass")
            if passing in self.game.legal_moves():
                return passing
        return self.choose_now(faction)

    def timeout(self) -> None:
        """The clock ran out on the seats the game waits for."""
        waiting = self.waiting_for()
        default = self.settings.clock_default
        for faction in waiting:
            if self.is_bot(faction):
                continue
            self._note(TimeoutEntry("", faction=faction, default=default))
            self.log.append(LogLine(f"{faction}'s time is up: the white cell's default "
                                    f"({default}) plays for it"))
            if self.settings.sealed:
                if default == "ai":
                    orders = [self.choose_now(faction, sealed=True)]
                else:
                    orders = [Move(faction, "pass")]
                self.sealed[faction] = [str(m) for m in orders]
                self.private_version += 1
            else:
                self._resolve(self.default_move(faction, default))

    # -- resolving -----------------------------------------------------------------
    def _resolve(self, move: Move) -> None:
        if self.settings.review:
            after = self.game.clone()
            try:
                after.apply(move)
            except IllegalMoveError as err:
                raise Refused(str(err)) from None
            self.pending = Pending(move, after)
            self.version += 1
            return
        after = self.game.clone()
        try:
            after.apply(move)
        except IllegalMoveError as err:
            raise Refused(str(err)) from None
        self._commit(MoveEntry("", move=str(move)), after)

    def _commit(self, entry: Entry, after: Game) -> None:
        self.game = after
        self.log.extend(after.last_log)
        self.version += 1
        if self._record is not None:
            self._record(attrs.evolve(entry, hash=after.state_hash()), after)

    def _note(self, entry: Entry) -> None:
        self.version += 1
        if self._record is not None:
            self._record(attrs.evolve(entry, hash=self.game.state_hash()), self.game)

    # -- the white cell ----------------------------------------------------------
    def approve(self, rationale: str = "") -> None:
        """Let the held result stand; a rationale is logged as the white cell's
        note (before the move, naming it: the move may end the game)."""
        pending = self._pending()
        rationale = rationale.strip()
        if rationale:
            note = NoteEntry("", after_move=-1, author=WHITE_CELL, text=f"Approved {pending.move}: "
                             f"{rationale}"[:NOTE_MAX], audience=WHITE_CELL)
            why = attrs.evolve(note, after_move=0).problem(self.scenario)
            if why is not None:
                raise Refused(f"approve: {why}")
            self._note(note)
        self.pending = None
        self._commit(MoveEntry("", move=str(pending.move)), pending.after)

    def override(self, tier: str, rationale: str) -> None:
        pending = self._pending()
        after = self.game.clone()
        try:
            after.apply_ruled(pending.move, tier, rationale)
        except ValueError as err:
            raise Refused(str(err)) from None
        self.pending = None
        self._commit(OverrideEntry("", move=str(pending.move), tier=tier,
                                   rationale=rationale.strip()), after)

    def ruling(self, values: dict[str, int], rationale: str) -> None:
        """Set tracks (approving a held result first)."""
        base = self.pending.after if self.pending is not None else self.game
        after = base.clone()
        try:
            after.set_tracks(tuple(values.items()), rationale)
        except ValueError as err:
            raise Refused(str(err)) from None
        if self.pending is not None:
            self.approve()
        self._commit(RulingEntry("", values=dict(values), rationale=rationale.strip()), after)

    def _pending(self) -> Pending:
        if self.pending is None:
            raise Refused("there is no result awaiting review")
        return self.pending

    def pause(self) -> None:
        if self.pending is not None:
            raise Refused("review the held result before pausing")
        after = self.game.clone()
        try:
            after.pause()
        except flow.FlowError as err:
            raise Refused(str(err)) from None
        self._commit(PauseEntry(""), after)

    def resume(self) -> None:
        after = self.game.clone()
        try:
            after.resume()
        except flow.FlowError as err:
            raise Refused(str(err)) from None
        self._commit(ResumeEntry(""), after)

    def inject(self, card: str | None, text: str, effects: dict[str, int],
               turn: int | None = None) -> None:
        effects_t = tuple(effects.items())
        reasons = self.game.inject_refusals(card, text, effects_t)
        reasons = [r for r in reasons if not r.startswith("not during")]
        if turn is not None and turn > self.game.ctx.turn:
            if card is not None:
                reasons = [r for r in reasons if not r.startswith("no card")]
                if card not in self.scenario.event_ids():
                    reasons.append(f"no card {card!r}")
            if reasons:
                raise Refused("inject refused: " + "; ".join(reasons))
            if turn > self.game.ctx.last_turn:
                raise Refused(f"the game ends at turn {self.game.ctx.last_turn}")
            self.schedule.append(Scheduled(turn, card or "", text, effects_t))
            self.schedule.sort(key=lambda s: s.turn)
            self.version += 1
            self.private_version += 1
            return
        if self.pending is not None:
            raise Refused("review the held result before injecting")
        self._inject(card, text, effects_t)

    def _inject(self, card: str | None, text: str, effects: tuple[tuple[str, int], ...]) -> None:
        after = self.game.clone()
        try:
            after.inject(card, text, effects)
        except ValueError as err:
            raise Refused(str(err)) from None
        self._commit(InjectEntry("", card=card or "", text=text, effects=dict(effects)), after)

    def set_clock(self, seconds: float | None, default: str = "pass") -> None:
        if seconds is not None and not 0.1 <= seconds <= 24 * 3600:
            raise Refused("the clock runs 0.1 second to 24 hours, or null for none")
        if default not in ("pass", "ai"):
            raise Refused("the clock's default is 'pass' or 'ai'")
        self.settings.clock, self.settings.clock_default = seconds, default
        self.version += 1
        self.private_version += 1

    def set_review(self, on: bool) -> None:
        if not on and self.pending is not None:
            raise Refused("approve or override the held result first")
        self.settings.review = on
        self.version += 1
        self.private_version += 1

    def set_sealed(self, on: bool) -> None:
        if on == self.settings.sealed:
            return
        self.settings.sealed = on
        self.sealed, self.sealed_round = {}, None
        self.version += 1
        self.private_version += 1

    def show(self, what: str) -> None:
        if what not in ("none", "public", "all") and what not in self.scenario.factions:
            raise Refused(f"show none, public, all or a faction ({', '.join(self.scenario.factions)})")
        self.settings.show = what
        self.version += 1
        self.private_version += 1
