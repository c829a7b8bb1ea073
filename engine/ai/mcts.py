"""Search AI: information-set Monte Carlo tree search over determinisations.

The bot sees only its faction's view.  Each iteration

1. **determinises**: asks the scenario for one full state consistent with
   the view (:meth:`engine.game.Scenario.determinize`): hidden pieces,
   unknown attackers, the deck order and the dice are sampled from the
   bot's own generator — the true state is never touched.  Only the cards a
   simulation can draw are shuffled (``draws``);
2. **selects** down one tree shared by every determinisation (single-observer
   ISMCTS, Cowling, Powley and Whitehouse 2012): a node is a sequence of
   moves; at each node only the moves legal in *this* determinisation
   compete, by UCB1 with availability counts, each faction choosing by its
   own reward (max-n), so opponents are modelled as playing for themselves.
   With **opponent models** (``model_opponents``), a rival whose seat is a
   known bot (``Decision.seats``: the seats are public) is not searched but
   played by a model of that bot — a doctrine seat by its flowchart on its
   own view of the simulated board (:meth:`~engine.game.Scenario.seat_policy`),
   a random seat at random — with a little noise (``model_noise``);
3. **expands** one untried move, then **rolls out** with the scenario's
   quick policy (:meth:`~engine.game.Scenario.rollout_move`, a doctrine bot
   for the Iraq scenario) or the rival's model for at most ``horizon``
   moves, and (``turn_end``) no further than the end of the decision's turn
   (``extra_turns`` later); each move of a rollout not played by a model is
   instead a uniformly random legal one with chance ``noise`` (one half),
   so that the rollouts do not assume every rival plays its doctrine
   perfectly.  At the root the faction's own doctrine move gets a small
   UCB bonus (``prior``, fading as ``1/sqrt(visits)``);
4. **evaluates** the final state and backs the rewards up the path.  With a
   learned **value model** (``value``; :meth:`~engine.game.Scenario.win_chances`)
   a faction's reward is its estimated chance to win from there; a finished
   game is 1 for the winners (ties share) and 0 for the others.  Without
   one, :meth:`~engine.game.Scenario.evaluate` (each faction's margin over
   the best other, in points) is squashed to a reward in [0, 1]: a blend of
   the margin itself (is the faction ahead?) and of the margin *gained
   since the decision* (the first determinisation before any move is the
   baseline), so that a faction far behind or far ahead still tells moves
   apart; a finished game is (almost) a win or a loss.

**Rollout improvement** (``improve``, the ``hard`` level) replaces the
tree: the faction's own line is the base policy — its first doctrine, or a
line the scenario gives its searches
(:meth:`~engine.game.Scenario.search_policy`; in Iraq 2020 the
government's *steward*) — and the search asks only which move *now* does
better than the line's, everything after being played by the line and the
rivals' models.  Every legal move is tried in ``screen`` sampled worlds (to
the end of the turn, valued by the model); the best ``finalists`` and the
line's move are then tried in the worlds the rest of the budget buys — the
same worlds, dice and rollout generator for every move (common random
numbers), played to the end of the game with ``whole`` (``whole_turns``:
only so many turns on, valued by the model) — and a move replaces the
line's only if its mean gain over the line's move in those worlds is more
than ``margin`` and more than ``z`` standard errors of that gain.  With a
good model of the rivals this cannot do worse than the line on average
(the policy improvement step of dynamic programming; Tesauro and Galperin
1996 used it for backgammon).  A rival seated as a search AI (``ai:…``) is
modelled, with ``ai_noise``, by the policy its own search follows: its
faction's first doctrine (a rival whose level improves on a line, such as
``ai:hard``: that line).

Chance needs no special node: each iteration draws fresh dice, so the tree
is *open loop* (a move's statistics average over its outcomes).
Simulations run in a **quiet** game (:attr:`engine.game.Game.quiet`): the
same states and dice, with no log text formatted.  Legal moves are cached
per node, keyed by what legality reads (:meth:`~engine.game.Scenario.legal_key`).

**Root parallelism**: a level searches ``trees`` independent trees, each
with its own generator and an equal share of the iterations, and adds up
their root statistics.  A front end with spare cores passes
``Decision.parallel`` (a ``map`` over worker processes) and the trees run
side by side; without it they run one after the other and give the same
move.  Levels are iteration budgets, so a seed and a level give the same
move on every machine.  A wall-clock cap (``Decision.budget_s`` or the
level's own) is a safety net honoured only when the front end hands the
bot a clock (``Decision.clock``): the core never reads the clock itself.

Nothing here knows the scenario: it uses :class:`~engine.game.Game` clones
and the scenario's optional hooks only.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import attrs

from engine.ai import Analysis, Bot, BotError, Candidate, Choice, Decision
from engine.game import Game
from engine.moves import Move
from engine.rng import Rng


@attrs.frozen(slots=True)
class Level:
    """A strength: an iteration budget, a rollout horizon, a time cap and how it evaluates."""

    name: str
    iterations: int
    horizon: int        # at most this many rollout moves after leaving the tree
    time_cap_s: float   # safety cap on one decision when a clock is given
    turn_end: bool = False  # stop the rollout when the decision's turn is over
    trees: int = 1          # independent trees (root parallelism), iterations shared out
    value: bool = False     # leaves valued by the learned win-chance model
    model_opponents: bool = False  # rivals seated as known bots are played by their models
    extra_turns: int = 0    # with turn_end: roll out this many turns further
    improve: bool = False   # rollout improvement of the own line instead of a tree
    margin: float = 0.02    # (improve) the win chance a move must add over the line's
    confirm: int = 0        # (improve) whole games played to confirm a move over the line's
    whole: bool = False     # (improve) the finalists are played to the end of the game
    screen: int = 1         # (improve) worlds each legal move is tried in before the finals
    finalists: int = 3      # (improve) moves that reach the finals with the own policy's move
    z: float = 0.0          # (improve) a move must beat the own policy's by z standard errors
    ai_noise: float | None = None  # rivals seated as search AIs: modelled by their line
                                   # with this much noise (None: not modelled)
    whole_turns: int | None = None  # (whole) finalists played this many turns on (None: to the end)


# The time caps are safety nets far above the levels' usual times (easy
# about 15 ms, normal 70 ms, hard 0.3 s on an idle core), so that a loaded
# machine does not cut a search short and change its move.
# ``easy`` looks three moves ahead on a small budget: it misses what a
# turn's upkeep and votes will do (a new player can exploit that).
# ``normal`` rolls out to the end of the turn on the projected score; it
# plays about as well as the doctrines.  ``hard`` improves on its own
# line (its first doctrine; the government's steward): it models the rivals'
# seats (a search AI by its line, one move in four random), ranks every move
# by the learned chance to win at the end of the turn in two worlds, plays
# the best four and the line's move to the end of the game in the same
# sampled worlds, and keeps the line's move unless another wins more of
# them by 2% and by a standard error (two sets of worlds, side by side when
# the front end gives it a second core).
LEVELS: dict[str, Level] = {
    "easy": Level("easy", 24, 3, 0.5),
    "normal": Level("normal", 80, 20, 2.0, turn_end=True),
    "hard": Level("hard", 160, 40, 5.0, turn_end=True, trees=2, value=True,
                  model_opponents=True, improve=True, whole=True, margin=0.02, z=1.0,
                  screen=2, finalists=4, ai_noise=0.25),
}


# The squash of a finished game's margin: nearly a win/loss step, so that a
# bot far behind does not end the game early just to lose by less.
END_SCALE = 0.5


class Node:
    """Statistics of one move sequence, for the faction that made its last move."""

    __slots__ = ("children", "visits", "reward", "avail", "legal", "wins", "margins")

    def __init__(self) -> None:
        self.children: dict[Move, Node] = {}
        self.visits = 0
        self.reward = 0.0   # sum of the mover's rewards
        self.avail = 0      # iterations in which the move was legal here
        # At the root's children only: every faction's summed reward and margin.
        self.wins: dict[str, float] = {}
        self.margins: dict[str, float] = {}
        self.legal: dict[Any, list[Move]] | None = None  # legality key -> legal moves


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


Policy = Callable[[Game, Rng], Move]
# Rollout improvement: the fewest worlds each finalist is tried in.
MIN_WORLDS = 4
# (whole) how much a finished game's margin adds to a win or a loss: only a
# tie-break.  At 0.05 a faction that rarely wins (the protest movement) chose
# among moves that all lost by how much they lost, and fell below its own
# doctrine (seeds 1001-1100: 15 games of 100 against the doctrine's 20; at
# 0.01, 21, and the other chairs kept their gains).
WHOLE_MARGIN = 0.01
# How many legality keys a node remembers (determinisations rarely repeat more).
LEGAL_CACHE = 8


@attrs.define(slots=True)
class Stats:
    """One root move's statistics, summed over iterations (and trees)."""

    visits: int = 0
    reward: float = 0.0
    wins: dict[str, float] = attrs.field(factory=dict)     # faction -> sum of its reward
    margins: dict[str, float] = attrs.field(factory=dict)  # faction -> sum of its margin (explain only)
    gain: float = 0.0   # (rollout improvement) sum of the reward minus the default move's, same worlds
    gain2: float = 0.0  # (rollout improvement) sum of the squared gains (their spread)


@attrs.frozen(slots=True)
class TreeResult:
    """What one tree hands back: root statistics by move and its iteration count."""

    stats: dict[Move, Stats]
    iterations: int
    base: dict[str, float]         # each faction's margin at the decision (first determinisation)
    base_win: dict[str, float]     # each faction's reward at the decision (value model), or empty
    default: Move | None = None    # (rollout improvement) the faction's own policy's move


class SearchBot(Bot):
    """ISMCTS with rollouts and an evaluation; see the module docstring."""

    def __init__(self, iterations: int, horizon: int = 10, *, exploration: float = 0.7,
                 scale: float = 2.0, relative: float = 0.6, relative_scale: float = 2.0,
                 time_cap_s: float | None = None, name: str = "search", noise: float = 0.5,
                 prior: float = 0.2, turn_end: bool = False, trees: int = 1, value: bool = False,
                 model_opponents: bool = False, model_noise: float = 0.1,
                 extra_turns: int = 0, draws: int | None = 3, improve: bool = False,
                 margin: float = 0.02, confirm: int = 0, whole: bool = False, quiet: bool = True,
                 cache: bool = True, screen: int = 1, finalists: int = 3, z: float = 0.0,
                 ai_noise: float | None = None, whole_turns: int | None = None) -> None:
        if iterations < 1:
            raise ValueError(f"iterations must be at least 1, got {iterations}")
        if trees < 1 or trees > iterations:
            raise ValueError(f"trees must be 1 to {iterations}, got {trees}")
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
        self.extra_turns = extra_turns
        self.trees = trees
        self.value = value
        self.model_opponents = model_opponents
        self.model_noise = model_noise
        self.draws = draws      # cards of the deck a determinisation shuffles (None: all)
        self.improve = improve  # rollout improvement of the own policy instead of a tree
        self.margin = margin    # (improve) how much better than the own policy's move a move must look
        self.confirm = confirm  # (improve) whole games that must confirm a move over the own policy's
        self.whole = whole      # (improve) the finalists are played to the end of the game
        self.quiet = quiet      # simulate in quiet games (no log text); False: as before (benchmarks)
        self.cache = cache      # cache legal moves per node
        self.screen = screen
        self.finalists = finalists
        self.z = z
        self.ai_noise = ai_noise
        self.whole_turns = whole_turns
        self.name = name
        self.last_iterations = 0

    @classmethod
    def level(cls, name: str, iterations: int | None = None) -> "SearchBot":
        """The bot of level ``name`` (``iterations``: another budget, for tests)."""
        lv = LEVELS[name]
        return cls(iterations or lv.iterations, lv.horizon, time_cap_s=lv.time_cap_s, name=f"ai:{name}",
                   turn_end=lv.turn_end, trees=lv.trees, value=lv.value,
                   model_opponents=lv.model_opponents, extra_turns=lv.extra_turns,
                   improve=lv.improve, margin=lv.margin, confirm=lv.confirm, whole=lv.whole,
                   screen=lv.screen, finalists=lv.finalists, z=lv.z, ai_noise=lv.ai_noise,
                   whole_turns=lv.whole_turns)

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
        share = [self.iterations // self.trees + (k < self.iterations % self.trees)
                 for k in range(self.trees)]
        seeds = [rng.spawn().state for _ in range(self.trees)]
        if decision.parallel is not None and self.trees > 1:
            alone = attrs.evolve(decision, parallel=None)
            results = list(decision.parallel(_search_tree, [(self, alone, s, n)
                                                            for s, n in zip(seeds, share)]))
        else:
            results = [self._search(decision, Rng.from_state(s), n) for s, n in zip(seeds, share)]
        merged: dict[Move, Stats] = {}
        for result in results:
            for move, st in result.stats.items():
                total = merged.setdefault(move, Stats())
                total.visits += st.visits
                total.reward += st.reward
                total.gain += st.gain
                total.gain2 += st.gain2
                for f, v in st.wins.items():
                    total.wins[f] = total.wins.get(f, 0.0) + v
                for f, v in st.margins.items():
                    total.margins[f] = total.margins.get(f, 0.0) + v
        done = sum(r.iterations for r in results)
        self.last_iterations = done
        choice = self._verdict(decision, merged, done, results[0])
        default = results[0].default
        if self.confirm and default is not None and choice.move != default:
            if not self._confirmed(decision, choice.move, default, rng):
                choice = self._verdict(decision, merged, done, results[0], forced=default)
        return choice

    def _confirmed(self, decision: Decision, move: Move, default: Move, rng: Rng) -> bool:
        """Does ``move`` win more whole games than ``default`` in the same worlds?

        ``confirm`` sampled worlds, each played to the end twice (common
        random numbers) by the modelled rivals and the own policy: the
        learned value's choice is kept only if it wins a game the own
        policy's move loses more often than the reverse."""
        scenario = decision.scenario
        me = decision.faction
        models = self._models(decision)
        own = scenario.search_policy(me)
        score = 0.0
        for _ in range(self.confirm):
            state = scenario.determinize(decision.view, me, rng, draws=None)
            seed = rng.spawn().state
            a, _ = self._simulate(decision, state, seed, move, own, models, 10 ** 6, {}, whole=True)
            b, _ = self._simulate(decision, state, seed, default, own, models, 10 ** 6, {}, whole=True)
            score += a[me] - b[me]
        return score > 0

    def _search(self, decision: Decision, rng: Rng, iterations: int) -> TreeResult:
        if self.improve:
            return self._improve(decision, rng, iterations)
        return self._tree(decision, rng, iterations)

    def _improve(self, decision: Decision, rng: Rng, budget: int) -> TreeResult:
        """Rollout improvement of the faction's own policy (``improve``).

        Every candidate move is tried in the same sampled worlds (common
        random numbers: the same determinisation, dice and rollout
        generator), played on to the end of the turn by the modelled rivals
        and the faction's own policy, and valued; after each round the
        worse half of the candidates is dropped (sequential halving), the
        own policy's move always kept.  ``budget`` counts simulations.
        """
        scenario = decision.scenario
        me = decision.faction
        limit = self._limit(decision)
        clock = decision.clock if limit is not None else None
        start = clock() if clock is not None else 0.0
        models = self._models(decision)
        own = scenario.search_policy(me)
        candidates = list(decision.legal)
        stats: dict[Move, Stats] = {m: Stats() for m in candidates}
        base: dict[str, Any] = {}
        default: Move | None = None
        stop_turn = decision.view.ctx.turn + 1 + self.extra_turns
        # Two rounds: every candidate in ``screen`` worlds, then the best
        # ``finalists`` and the own policy's move in the worlds the rest of
        # the budget buys.
        finals = min(self.finalists + 1, len(candidates))
        first = self.screen if len(candidates) > finals else 0
        schedule = (first, max(MIN_WORLDS, (budget - first * len(candidates)) // finals))
        whole_stop = (10 ** 6 if self.whole_turns is None
                      else decision.view.ctx.turn + 1 + self.whole_turns)
        done = 0
        for stage, worlds in enumerate(schedule):
            whole = self.whole and stage == 1  # the finalists: whole games
            for _ in range(worlds):
                state = scenario.determinize(decision.view, me, rng, draws=None if whole else self.draws)
                seed = rng.spawn().state
                if not base:
                    margins = scenario.evaluate(state)
                    base.update(margins)
                    base["factions"] = tuple(margins)
                    base["win"] = (scenario.win_chances(state) or {}) if self.value else {}
                    if own is not None:  # exactly what the own policy would play now
                        default = own(decision.view.board, rng, set(decision.legal).__contains__)
                    if default not in stats:
                        default = None
                order = [default] + [m for m in candidates if m != default] if default else candidates
                reference = None
                for move in order:
                    rewards, values = self._simulate(decision, state, seed, move, own, models,
                                                     whole_stop if whole else stop_turn, base,
                                                     whole=whole)
                    mine = rewards[me]
                    if whole and values is not None:  # a win is a win; the margin breaks ties
                        mine += WHOLE_MARGIN * math.tanh(values[me] / 10)
                    st = stats[move]
                    st.visits += 1
                    st.reward += mine
                    for f, v in rewards.items():
                        st.wins[f] = st.wins.get(f, 0.0) + v
                    if values is not None:
                        for f, v in values.items():
                            st.margins[f] = st.margins.get(f, 0.0) + v
                    if reference is None and move == default:
                        reference = mine
                    if reference is not None:
                        st.gain += mine - reference
                        st.gain2 += (mine - reference) ** 2
                    done += 1
                if clock is not None and clock() - start >= limit:
                    break
            if clock is not None and clock() - start >= limit:
                break
            if stage == 0 and len(candidates) > finals:
                ranked = sorted(candidates, key=lambda m: -(stats[m].gain if default else
                                                            stats[m].reward) / max(1, stats[m].visits))
                keep = ranked[:self.finalists]
                if default is not None and default not in keep:
                    keep.append(default)
                candidates = [m for m in candidates if m in keep]
                for m in candidates:  # the finals start afresh: the same worlds for every finalist
                    stats[m] = Stats()
        kept = {m: st for m, st in stats.items() if st.visits}
        return TreeResult(kept, done, {f: v for f, v in base.items() if f in base.get("factions", ())},
                          dict(base.get("win", {})), default)

    def _simulate(self, decision: Decision, state: Any, seed: int, move: Move, own: Any,
                  models: dict[str, Policy], stop_turn: int, base: dict[str, Any],
                  whole: bool = False):
        """Play ``move`` in one sampled world and on to ``stop_turn`` (``whole``:
        to the end of the game); its rewards."""
        game = Game(decision.scenario, state, quiet=self.quiet)
        rng = Rng.from_state(seed)
        game.apply(move)
        me = decision.faction
        for _ in range(10 ** 4 if whole else self.horizon):
            if game.is_over() or game.state.ctx.turn >= stop_turn:
                break
            mover = game.active_faction
            model = models.get(mover)
            if model is not None:
                game.apply(model(game, rng))
            elif mover == me and own is not None:
                game.apply(own(game.board, rng))
            elif self.noise and rng.random() < self.noise:
                legal = game.legal_moves()
                game.apply(legal[rng.below(len(legal))])
            else:
                game.apply(self._rollout_move(game, rng))
        values = decision.scenario.evaluate(game.state) if decision.explain or whole else None
        return self._rewards(game, base), values

    def _limit(self, decision: Decision) -> float | None:
        caps = [c for c in (decision.budget_s, self.time_cap_s) if c is not None]
        return min(caps) if caps else None

    def _tree(self, decision: Decision, rng: Rng, iterations: int) -> TreeResult:
        """One tree of ``iterations`` simulations (fewer if the clock runs out)."""
        limit = self._limit(decision)
        clock = decision.clock if limit is not None else None
        start = clock() if clock is not None else 0.0
        root = Node()
        base: dict[str, Any] = {}
        models = self._models(decision)
        done = 0
        for done in range(1, iterations + 1):
            self._iterate(decision, root, rng, base, models)
            if clock is not None and clock() - start >= limit:
                break
        stats = {m: Stats(n.visits, n.reward, dict(n.wins), dict(n.margins))
                 for m, n in root.children.items() if n.visits}
        return TreeResult(stats, done, {f: v for f, v in base.items() if f in base.get("factions", ())},
                          dict(base.get("win", {})))

    def _models(self, decision: Decision) -> dict[str, Policy]:
        """Policies of the rivals whose seats are known bots (``model_opponents``)."""
        if not self.model_opponents:
            return {}
        scenario = decision.scenario
        models: dict[str, Policy] = {}
        for faction, seat in decision.seats:
            if faction == decision.faction:
                continue
            if seat == "random":
                models[faction] = _random_move
                continue
            policy = scenario.seat_policy(faction, seat)
            if policy is not None:
                models[faction] = _noisy(policy, self.model_noise)
            elif seat.startswith("ai:") and self.ai_noise is not None:
                # A search AI plays near the line its own search follows.
                level = LEVELS.get(seat.partition(":")[2])
                policy = (scenario.search_policy(faction) if level is not None and level.improve
                          else scenario.seat_policy(faction, "doctrine"))
                if policy is not None:
                    models[faction] = _noisy(policy, self.ai_noise)
        return models

    def _legal(self, game: Game, node: Node) -> list[Move]:
        key = game.scenario.legal_key(game.board)
        if key is None:
            return game.legal_moves()
        cache = node.legal
        if cache is None:
            cache = node.legal = {}
        moves = cache.get(key)
        if moves is None:
            moves = game.legal_moves()
            if len(cache) >= LEGAL_CACHE:
                cache.pop(next(iter(cache)))
            cache[key] = moves
        return moves

    def _iterate(self, decision: Decision, root: Node, rng: Rng, base: dict[str, Any],
                 models: dict[str, Policy]) -> None:
        scenario = decision.scenario
        state = scenario.determinize(decision.view, decision.faction, rng, draws=self.draws)
        if not base:  # the baseline: the first determinisation before any move
            margins = scenario.evaluate(state)
            base.update(margins)
            base["factions"] = tuple(margins)
            if self.value:
                base["win"] = scenario.win_chances(state) or {}
            base["prior"] = (scenario.rollout_move(state.board, decision.faction, rng)
                             if self.prior else None)
        game = Game(scenario, state, quiet=self.quiet)
        stop_turn = decision.view.ctx.turn + 1 + self.extra_turns if self.turn_end else None
        node = root
        path: list[tuple[Node, str]] = []
        c = self.exploration
        expanded = False
        while not game.is_over() and (stop_turn is None or game.state.ctx.turn < stop_turn):
            mover = game.active_faction
            model = models.get(mover)
            if model is not None:  # a modelled rival: not searched, played by its model
                game.apply(model(game, rng))
                continue
            moves = decision.legal if node is root else (self._legal(game, node) if self.cache
                                                         else game.legal_moves())
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
                expanded = True
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
        if expanded:
            for _ in range(self.horizon):
                if game.is_over() or (stop_turn is not None and game.state.ctx.turn >= stop_turn):
                    break
                model = models.get(game.active_faction)
                if model is not None:
                    game.apply(model(game, rng))
                elif self.noise and rng.random() < self.noise:
                    legal = game.legal_moves()
                    game.apply(legal[rng.below(len(legal))])
                else:
                    game.apply(self._rollout_move(game, rng))
        rewards = self._rewards(game, base)
        values = scenario.evaluate(game.state) if decision.explain else None
        for child, mover in path:
            child.visits += 1
            child.reward += rewards[mover]
        if path:  # the root move's statistics for every faction (explanations)
            first = path[0][0]
            wins = first.wins
            for f, r in rewards.items():
                wins[f] = wins.get(f, 0.0) + r
            if values is not None:
                margins = first.margins
                for f, v in values.items():
                    margins[f] = margins.get(f, 0.0) + v

    def _rewards(self, game: Game, base: dict[str, Any]) -> dict[str, float]:
        scenario = game.scenario
        if self.value:
            chances = scenario.win_chances(game.state)
            if chances is not None:
                return chances
        values = scenario.evaluate(game.state)
        if game.is_over():  # a finished game is won or lost, however narrowly
            return {f: squash(v, END_SCALE) for f, v in values.items()}
        scale, w, rscale = self.scale, self.relative, self.relative_scale
        return {f: (1 - w) * squash(v, scale) + w * squash(v - base[f] - 0.5, rscale)
                for f, v in values.items()}

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

    def _verdict(self, decision: Decision, stats: dict[Move, Stats], iterations: int,
                 first: TreeResult, forced: Move | None = None) -> Choice:
        if self.improve:
            # The most tried moves (the last round's) by their gain over the
            # own policy's move in the same worlds; that move unless beaten by
            # more than the margin.
            most = max(st.visits for st in stats.values())
            default = first.default
            ranked = sorted(
                ((stats[m], i, m) for i, m in enumerate(decision.legal) if m in stats),
                key=lambda t: (t[0].visits * 2 < most,
                               -(t[0].gain if default is not None else t[0].reward) / t[0].visits, t[1]))
            if default is not None and default in stats:
                top = ranked[0][0]
                gain = top.gain / top.visits - stats[default].gain / stats[default].visits
                spread = math.sqrt(max(0.0, top.gain2 / top.visits - (top.gain / top.visits) ** 2)
                                   / max(1, top.visits - 1))
                if gain <= self.margin or gain <= self.z * spread or forced == default:
                    ranked.sort(key=lambda t: t[2] != default)
        else:
            ranked = sorted(
                ((stats[m], i, m) for i, m in enumerate(decision.legal) if m in stats),
                key=lambda t: (-t[0].visits, -t[0].reward / t[0].visits, t[1]))
        if not ranked:
            raise BotError("search ended without trying a move")
        st, _, move = ranked[0]
        what = "chance to win" if self.value and first.base_win else "expected"
        reason = (f"{self.name}: best of {len(decision.legal)} moves after {iterations} simulations "
                  f"({st.visits} visits, {100 * st.reward / st.visits:.0f}% {what})")
        candidates: tuple[Candidate, ...] = ()
        analysis = None
        if decision.explain:
            candidates = tuple(self._candidate(decision, s, m, first) for s, _, m in ranked[:5])
            analysis = Analysis(
                evaluation="win chance" if self.value and first.base_win else "projected margin",
                iterations=iterations, trees=self.trees,
                before=tuple(sorted((first.base_win or first.base).items())),
                margins_before=tuple(sorted(first.base.items())))
        return Choice(move, reason, candidates, analysis)

    def _candidate(self, decision: Decision, st: Stats, move: Move, first: TreeResult) -> Candidate:
        summary = _summary(decision.scenario, decision.view.board, move)
        n = st.visits
        mine = decision.faction
        margins = {f: v / n for f, v in st.margins.items()}
        wins = {f: v / n for f, v in st.wins.items()}
        changes = tuple(sorted((f, margins[f] - first.base[f]) for f in margins if f in first.base))
        if self.value and first.base_win:
            words = (f"{summary}: {n} simulations, {100 * wins.get(mine, 0):.0f}% chance to win "
                     f"(now {100 * first.base_win.get(mine, 0):.0f}%)")
        else:
            words = (f"{summary}: {n} simulations, ends {margins.get(mine, 0.0):+.1f} points "
                     f"against the best rival on average")
        score = wins.get(mine, 0.0) if self.improve else st.reward / n  # in [0, 1]
        return Candidate(move, score, words, visits=n, values=tuple(sorted(wins.items())),
                         changes=changes, summary=summary)


def _search_tree(args: tuple[SearchBot, Decision, int, int]) -> TreeResult:
    """One tree in a worker process (``Decision.parallel``)."""
    bot, decision, seed, iterations = args
    return bot._search(decision, Rng.from_state(seed), iterations)


def _random_move(game: Game, rng: Rng) -> Move:
    """A random seat's move: a random kind, then random arguments (as RandomBot)."""
    legal = game.legal_moves()
    starts = [i for i in range(len(legal)) if i == 0 or legal[i].kind != legal[i - 1].kind]
    group = rng.below(len(starts))
    start = starts[group]
    end = starts[group + 1] if group + 1 < len(starts) else len(legal)
    return legal[start + rng.below(end - start)]


def _noisy(policy: Callable[[Any, Rng], Move], noise: float) -> Policy:
    def play(game: Game, rng: Rng) -> Move:
        if noise and rng.random() < noise:
            legal = game.legal_moves()
            return legal[rng.below(len(legal))]
        return policy(game.board, rng)
    return play


def _summary(scenario: Any, board: Any, move: Move) -> str:
    try:
        return scenario.registry.kind(move.faction, move.kind).preview(board, move.args).summary
    except Exception as err:  # an explanation must not hide a rules bug
        raise BotError(f"cannot describe {move}: {err}") from err
