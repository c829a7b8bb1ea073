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
   for the Iraq scenario) for at most ``horizon`` moves;
4. **evaluates** the final state with :meth:`~engine.game.Scenario.evaluate`
   (each faction's margin over the best other), squashed to a reward in
   [0, 1], and backs the rewards up the path.

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
    horizon: int        # rollout moves after leaving the tree
    time_cap_s: float   # safety cap on one decision when a clock is given


LEVELS: dict[str, Level] = {
    "easy": Level("easy", 24, 3, 0.18),
    "normal": Level("normal", 80, 4, 0.95),
    "hard": Level("hard", 200, 5, 2.9),
}


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
                 scale: float = 2.0, time_cap_s: float | None = None, name: str = "search") -> None:
        if iterations < 1:
            raise ValueError(f"iterations must be at least 1, got {iterations}")
        self.iterations = iterations
        self.horizon = horizon
        self.exploration = exploration
        self.scale = scale
        self.time_cap_s = time_cap_s
        self.name = name
        self.last_iterations = 0

    @classmethod
    def level(cls, name: str) -> "SearchBot":
        lv = LEVELS[name]
        return cls(lv.iterations, lv.horizon, time_cap_s=lv.time_cap_s, name=f"ai:{name}")

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
        for done in range(1, self.iterations + 1):
            self._iterate(decision, root, rng)
            if clock is not None and clock() - start >= limit:
                break
        self.last_iterations = done
        return self._verdict(decision, root, done)

    def _limit(self, decision: Decision) -> float | None:
        caps = [c for c in (decision.budget_s, self.time_cap_s) if c is not None]
        return min(caps) if caps else None

    def _iterate(self, decision: Decision, root: Node, rng: Rng) -> None:
        scenario = decision.scenario
        state = scenario.determinize(decision.view, decision.faction, rng)
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
            for m in moves:
                child = children[m]
                score = child.reward / child.visits + c * math.sqrt(math.log(child.avail) / child.visits)
                if score > best_score:
                    best, best_score = m, score
            game.apply(best)
            node = children[best]
            path.append((node, mover))
        for _ in range(self.horizon):
            if game.is_over():
                break
            game.apply(self._rollout_move(game, rng))
        values = scenario.evaluate(game.state)
        scale = self.scale
        rewards = {f: squash(v, scale) for f, v in values.items()}
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

