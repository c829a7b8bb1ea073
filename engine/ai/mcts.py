"""Search AI: information-set Monte Carlo tree search over determinisations.

The bot sees only its faction's view.  Each iteration

1. **determinises**: asks the scenario for one full state consistent with
   the view (:meth:`engine.game.Scenario.determinize`): hidden pieces,
   unknown attackers, the deck order and the dice are sampled from the
   bot's own generator — the true state is never touched;
2. **selects** down one tree shared by every determinisation (single-observer
   ISMCTS, Cowling, Powley and Whitehouse 2012): a node is a sequence of
   moves; at each node only the moves legal in *this* determinisation
   compete, by UCB1 with availability counts, each faction choosing by its
   own reward (max-n), so opponents are modelled as playing for themselves;
3. **expands** one untried move, then **rolls out** with the scenario's
   quick policy (:meth:`~engine.game.Scenario.rollout_move`, a doctrine bot
   for the Iraq scenario) for at most ``horizon`` moves, and (``turn_end``)
   no further than the end of the decision's turn; each rollout move
   is instead a uniformly random legal one with chance ``noise`` (one half),
   so that the rollouts do not assume every rival plays its doctrine
   perfectly.  At the root the faction's own doctrine move gets a small
   UCB bonus (``prior``, fading as ``1/sqrt(visits)``);
4. **evaluates** the final state with :meth:`~engine.game.Scenario.evaluate`
   (each faction's margin over the best other), squashed to a reward in
   [0, 1], and backs the rewards up the path.  The reward blends two
   squashes: of the margin itself (is the faction ahead?) and of the margin
   *gained since the decision* (the margin of the first determinisation
   before any move is the baseline).  A faction far behind or far ahead
   would otherwise see every move saturate at 0 or 1 and search blindly.
   A finished game is scored (almost) as a win or a loss instead: ending
   the game while behind is a loss, however much the margin improved.

Chance needs no special node: each iteration draws fresh dice, so the tree
is *open loop* (a move's statistics average over its outcomes).

Levels are iteration budgets, so a seed and a level give the same move on
every machine.  A wall-clock cap (``Decision.budget_s`` or the level's own)
is a safety net honoured only when the front end hands the bot a clock
(``Decision.clock``): the core never reads the clock itself.

Nothing here knows the scenario: it uses :class:`~engine.game.Game` clones
and the scenario's optional hooks only.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from engine.ai import Bot, BotError, Candidate, Choice, Decision
from engine.game import Game
from engine.moves import Move
from engine.rng import Rng


@attrs.frozen(slots=True)
class Level:
    """A strength: an iteration budget, a rollout horizon and a time cap."""

    name: str
    iterations: int
    horizon: int        # at most this many rollout moves after leaving the tree
    time_cap_s: float   # safety cap on one decision when a clock is given
    turn_end: bool = False  # stop the rollout when the decision's turn is over


# ``normal`` and ``hard`` roll out to the end of the turn (its votes, attacks
# and upkeep are where most points move), which costs no more than a fixed
# horizon of 8 moves and plays at least as well.  More iterations did not
# help ``hard`` against random seats (see the README): its strength is
# bounded by the evaluation, not by the budget.
LEVELS: dict[str, Level] = {
    "easy": Level("easy", 24, 3, 0.18),
    "normal": Level("normal", 80, 20, 0.95, turn_end=True),
    "hard": Level("hard", 200, 30, 2.9, turn_end=True),
}


# The squash of a finished game's margin: nearly a win/loss step, so that a
# bot far behind does not end the game early just to lose by less.
END_SCALE = 0.5


class Node:
    """Statistics of one move sequence, for the faction that made its last move."""

    __slots__ = ("children", "visits", "reward", "margin", "avail")

    def __init__(self) -> None:
        self.children: dict[Move, Node] = {}
        self.visits = 0
        self.reward = 0.0   # sum of the mover's rewards
        self.margin = 0.0   # sum of the mover's evaluation margins (for explanations)
        self.avail = 0      # iterations in which the move was legal here


def squash(margin: float, scale: float) -> float:
    """A margin in points as a reward in (0, 1); 0.5 is a narrow loss.

    Ties count as wins, so the midpoint sits half a point below zero.
    """
    x = (margin + 0.5) / scale
    if x > 30:
        return 1.0
    if x < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


class SearchBot(Bot):
    """ISMCTS with rollouts and an evaluation; see the module docstring."""

    def __init__(self, iterations: int, horizon: int = 10, *, exploration: float = 0.7,
                 scale: float = 2.0, relative: float = 0.6, relative_scale: float = 2.0,
                 time_cap_s: float | None = None, name: str = "search", noise: float = 0.5,
                 prior: float = 0.2, turn_end: bool = False) -> None:
        if iterations < 1:
            raise ValueError(f"iterations must be at least 1, got {iterations}")
        self.iterations = iterations
        self.horizon = horizon
        self.exploration = exploration
        self.scale = scale
        self.relative = relative            # weight of the gain since the decision in a reward
        self.relative_scale = relative_scale
        self.noise = noise      # chance that a rollout move is a uniformly random legal move
        self.prior = prior      # UCB bonus of the faction's own rollout (doctrine) move at the root
        self.time_cap_s = time_cap_s
        self.turn_end = turn_end  # roll out to the end of the decision's turn (at most horizon moves)
        self.name = name
        self.last_iterations = 0

    @classmethod
    def level(cls, name: str) -> "SearchBot":
        lv = LEVELS[name]
        return cls(lv.iterations, lv.horizon, time_cap_s=lv.time_cap_s, name=f"ai:{name}",
                   turn_end=lv.turn_end)

    # -- the decision -------------------------------------------------------
    def choose(self, decision: Decision, rng: Rng) -> Choice:
        legal = decision.legal
        if not legal:
            raise BotError(f"{decision.faction} has no legal move")
        if decision.view.ctx.active_faction != decision.faction:
            raise BotError(f"it is not {decision.faction}'s turn in its view")
        if len(legal) == 1 and not decision.explain:
            self.last_iterations = 0
            return Choice(legal[0], "the only legal move")
        limit = self._limit(decision)
        clock = decision.clock if limit is not None else None
        start = clock() if clock is not None else 0.0
        root = Node()
        done = 0
        base: dict[str, Any] = {}
        for done in range(1, self.iterations + 1):
            self._iterate(decision, root, rng, base)
            if clock is not None and clock() - start >= limit:
                break
        self.last_iterations = done
        return self._verdict(decision, root, done)

    def _limit(self, decision: Decision) -> float | None:
        caps = [c for c in (decision.budget_s, self.time_cap_s) if c is not None]
        return min(caps) if caps else None

    def _iterate(self, decision: Decision, root: Node, rng: Rng, base: dict[str, float]) -> None:
        scenario = decision.scenario
        state = scenario.determinize(decision.view, decision.faction, rng)
        if not base:  # the baseline: the first determinisation before any move
            base.update(scenario.evaluate(state))
            base["prior"] = (scenario.rollout_move(state.board, decision.faction, rng)
                             if self.prior else None)
        game = Game(scenario, state)
        node = root
        path: list[tuple[Node, str]] = []
        c = self.exploration
        while not game.is_over():
            mover = game.active_faction
            moves = decision.legal if node is root else game.legal_moves()
            children = node.children
            untried = []
            for m in moves:
                child = children.get(m)
                if child is None:
                    untried.append(m)
                else:
                    child.avail += 1
            if untried:
                move = untried[rng.below(len(untried))]
                child = children[move] = Node()
                child.avail = 1
                game.apply(move)
                path.append((child, mover))
                break
            best, best_score = None, -1.0
            favourite = base["prior"] if node is root else None
            for m in moves:
                child = children[m]
                score = child.reward / child.visits + c * math.sqrt(math.log(child.avail) / child.visits)
                if m == favourite:
                    score += self.prior / math.sqrt(child.visits)
                if score > best_score:
                    best, best_score = m, score
            game.apply(best)
            node = children[best]
            path.append((node, mover))
        stop_turn = decision.view.ctx.turn + 1 if self.turn_end else None
        for _ in range(self.horizon):
            if game.is_over() or (stop_turn is not None and game.state.ctx.turn >= stop_turn):
                break
            if self.noise and rng.random() < self.noise:
                legal = game.legal_moves()
                game.apply(legal[rng.below(len(legal))])
            else:
                game.apply(self._rollout_move(game, rng))
        values = scenario.evaluate(game.state)
        if game.is_over():  # a finished game is won or lost, however narrowly
            rewards = {f: squash(v, END_SCALE) for f, v in values.items()}
        else:
            scale, w, rscale = self.scale, self.relative, self.relative_scale
            rewards = {f: (1 - w) * squash(v, scale) + w * squash(v - base[f] - 0.5, rscale)
                       for f, v in values.items()}
        for child, mover in path:
            child.visits += 1
            child.reward += rewards[mover]
            child.margin += values[mover]

    @staticmethod
    def _rollout_move(game: Game, rng: Rng) -> Move:
        faction = game.active_faction
        move = game.scenario.rollout_move(game.board, faction, rng)
        if move is None:
            legal = game.legal_moves()
            if not legal:
                raise BotError(f"rollout: {faction} has no legal move")
            move = legal[rng.below(len(legal))]
        return move

    def _verdict(self, decision: Decision, root: Node, iterations: int) -> Choice:
        ranked = sorted(
            ((root.children[m], i, m) for i, m in enumerate(decision.legal) if m in root.children),
            key=lambda t: (-t[0].visits, -t[0].reward / t[0].visits, t[1]))
        if not ranked:
            raise BotError("search ended without trying a move")
        node, _, move = ranked[0]
        reason = (f"{self.name}: best of {len(decision.legal)} moves after {iterations} simulations "
                  f"({node.visits} visits, {100 * node.reward / node.visits:.0f}% expected)")
        candidates: tuple[Candidate, ...] = ()
        if decision.explain:
            candidates = tuple(self._candidate(decision, n, m) for n, _, m in ranked[:5])
        return Choice(move, reason, candidates)

    @staticmethod
    def _candidate(decision: Decision, node: Node, move: Move) -> Candidate:
        summary = _summary(decision.scenario, decision.view.board, move)
        margin = node.margin / node.visits
        return Candidate(move, node.reward / node.visits,
                         f"{summary}: {node.visits} simulations, ends {margin:+.1f} points "
                         f"against the best rival on average")


def _summary(scenario: Any, board: Any, move: Move) -> str:
    try:
        return scenario.registry.kind(move.faction, move.kind).preview(board, move.args).summary
    except Exception as err:  # an explanation must not hide a rules bug
        raise BotError(f"cannot describe {move}: {err}") from err

