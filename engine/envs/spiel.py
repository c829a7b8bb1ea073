"""The scenario as an OpenSpiel game, ``python_crossroads`` (needs ``pip install -e ".[rl]"``).

Importing this module registers the game::

    >>> import pyspiel, engine.envs.spiel
    >>> game = pyspiel.load_game("python_crossroads", {"turns": 12})

**Players** 0..3 are the factions in the scenario's order (us, goi, mil,
pro); the player to act is the game's active faction.

**Chance is explicit.**  The engine's dice are one seeded generator carried
in the state (:mod:`engine.rng`).  The game opens with a chance node that
draws the game's seed (one of ``chance_outcomes``, default 64: the deck's
order and the first event follow from it), and before every move a chance
node draws one of ``chance_outcomes`` equally likely dice streams: the
generator is re-seeded from the current one and the outcome, and the move's
own rolls and everything automatic up to the next decision (attacks
landing, upkeep, the next event card) use that stream.  So a game is its
action history, which is how OpenSpiel's default serialisation stores it,
and a replay of the history rebuilds the state exactly.

**Actions** are numbered as in :mod:`engine.envs.actions` (the same ids as
the PettingZoo environment); ``action_to_string`` gives the move's text
(``us:strike gzone retaliatory``).

**Imperfect information.**  Everything a player is shown comes from its
faction's view (``Game.view``): the observation tensor is
:func:`rules.features.features`; the information-state tensor appends, for
each action id, how many times the player saw it played (a covert move of
another faction is seen only as "a covert action" of that faction, one
slot per faction), and the strings do the same in text.
:meth:`CrossroadsState.resample_from_infostate` draws a full state
consistent with what the player knows through the scenario's
``determinize`` (the one the project's own search uses), so OpenSpiel's
information-set MCTS can play it.

**Returns** are terminal: +1 to each faction with the top score (a tie
is a win for each tied faction), -1 to the others (general-sum).
"""

from __future__ import annotations

import numpy as np
import pyspiel

from engine.envs.actions import table
from engine.game import Game
from engine.rng import MASK64, Rng, seed_state
from engine.scenarios import get as get_scenario
from engine.state import GameState

SCENARIO_ID = "iraq-2020"
SCENARIO = get_scenario(SCENARIO_ID)
ACTIONS = table(SCENARIO)
FACTIONS: tuple[str, ...] = tuple(SCENARIO.factions)
OBS_SIZE = sum(len(s.labels) for s in SCENARIO.observation_layout())
# The information-state tensor: the observation, then what the player saw played.
INFO_SIZE = OBS_SIZE + len(ACTIONS) + len(FACTIONS)
COUNT_SCALE = 8  # a move seen 8 times or more reads 1.0
DEFAULT_TURNS = SCENARIO.default_turns
DEFAULT_CHANCE = 64
MAX_ACTIONS_PER_TURN = 3  # a bound on one faction's actions in a turn (two today)

_PARAMS = {"turns": DEFAULT_TURNS, "chance_outcomes": DEFAULT_CHANCE}


def _max_length(turns: int) -> int:
    moves = turns * len(FACTIONS) * MAX_ACTIONS_PER_TURN
    return 1 + 2 * moves  # the setup draw, then a dice stream before each move


_GAME_TYPE = pyspiel.GameType(
    short_name="python_crossroads",
    long_name="Crossroads: Iraq at the crossroads, January 2020 (Python)",
    dynamics=pyspiel.GameType.Dynamics.SEQUENTIAL,
    chance_mode=pyspiel.GameType.ChanceMode.EXPLICIT_STOCHASTIC,
    information=pyspiel.GameType.Information.IMPERFECT_INFORMATION,
    utility=pyspiel.GameType.Utility.GENERAL_SUM,
    reward_model=pyspiel.GameType.RewardModel.TERMINAL,
    max_num_players=len(FACTIONS),
    min_num_players=len(FACTIONS),
    provides_information_state_string=True,
    provides_information_state_tensor=True,
    provides_observation_string=True,
    provides_observation_tensor=True,
    parameter_specification=_PARAMS)


class CrossroadsGame(pyspiel.Game):
    """The game: a factory of initial states, and its metadata."""

    def __init__(self, params=None):
        params = {**_PARAMS, **(params or {})}
        self.turns = int(params["turns"])
        self.chance = int(params["chance_outcomes"])
        if not 1 <= self.turns <= 24:
            raise ValueError(f"turns must be 1 to 24, got {self.turns}")
        if self.chance < 1:
            raise ValueError(f"chance_outcomes must be at least 1, got {self.chance}")
        info = pyspiel.GameInfo(num_distinct_actions=len(ACTIONS), max_chance_outcomes=self.chance,
                                num_players=len(FACTIONS), min_utility=-1.0, max_utility=1.0,
                                utility_sum=None, max_game_length=_max_length(self.turns))
        super().__init__(_GAME_TYPE, info, params)

    def new_initial_state(self) -> "CrossroadsState":
        return CrossroadsState(self)

    def make_py_observer(self, iig_obs_type=None, params=None):
        if params:
            raise ValueError(f"observation parameters are not supported: {params}")
        perfect_recall = iig_obs_type is not None and iig_obs_type.perfect_recall
        return CrossroadsObserver(perfect_recall)


class CrossroadsState(pyspiel.State):
    """One position: the engine's state, whether a chance draw is due, and
    the moves played (each as its mover and as the others saw it)."""

    def __init__(self, game: CrossroadsGame):
        super().__init__(game)
        self._turns = game.turns
        self._k = game.chance
        self._gs: GameState | None = None  # None until the setup draw
        self._dice_due = False
        # (faction, action id, what the others saw: the action id, or -1 for "a covert action")
        self._seen: tuple[tuple[str, int, int], ...] = ()

    # -- the engine behind it ------------------------------------------------
    def game_of(self) -> Game:
        """The engine's game at this state (a fresh facade: cheap)."""
        if self._gs is None:
            raise ValueError("the game has not been set up yet (chance node)")
        return Game(SCENARIO, self._gs)

    @classmethod
    def from_view(cls, game: CrossroadsGame, view: GameState, faction: str, rng: Rng) -> "CrossroadsState":
        """A state consistent with ``faction``'s ``view`` (hidden things drawn from ``rng``)."""
        state = cls(game)
        state._gs = SCENARIO.determinize(view, faction, rng)
        return state

    # -- the OpenSpiel interface ----------------------------------------------
    def current_player(self) -> int:
        if self._gs is None or self._dice_due:
            return pyspiel.PlayerId.CHANCE
        active = self._gs.ctx.active_faction
        if active is None:
            return pyspiel.PlayerId.TERMINAL
        return FACTIONS.index(active)

    def is_terminal(self) -> bool:
        return self._gs is not None and not self._dice_due and self._gs.ctx.active_faction is None

    def _legal_actions(self, player: int) -> list[int]:
        return ACTIONS.legal(self.game_of())

    def chance_outcomes(self) -> list[tuple[int, float]]:
        p = 1.0 / self._k
        return [(i, p) for i in range(self._k)]

    def _apply_action(self, action: int) -> None:
        if self._gs is None:
            self._gs = Game.new(SCENARIO, int(action), self._turns).state
            self._dice_due = not self._gs.ctx.active_faction is None
            return
        if self._dice_due:
            gs = self._gs
            stream = seed_state(((gs.rng * self._k) + int(action)) & MASK64)
            self._gs = GameState(gs.ctx, gs.board, stream)
            self._dice_due = False
            return
        move = ACTIONS.move(int(action))
        game = self.game_of()
        kind = SCENARIO.registry.kind(move.faction, move.kind)
        game.apply(move)
        self._gs = game.state
        public = -1 if kind.covert(move.args) else int(action)
        self._seen = self._seen + ((move.faction, int(action), public),)
        self._dice_due = not game.is_over()

    def _action_to_string(self, player: int, action: int) -> str:
        if player == pyspiel.PlayerId.CHANCE:
            return f"seed {action}" if self._gs is None else f"dice stream {action}"
        return str(ACTIONS.move(int(action)))

    def returns(self) -> list[float]:
        if not self.is_terminal():
            return [0.0] * len(FACTIONS)
        outcome = self.game_of().outcome()
        return [1.0 if f in outcome.winners else -1.0 for f in FACTIONS]

    def resample_from_infostate(self, player_id: int, probability_sampler) -> "CrossroadsState":
        """A state the player cannot tell from this one, the rest drawn at random.

        What the player's faction cannot see (covert cells and loyalists,
        the militias' arms and reserve, unattributed authors, the deck's
        order, the dice) is drawn by the scenario's ``determinize`` from a
        generator seeded by ``probability_sampler``; the moves it saw stay,
        and another faction's covert moves are kept only as it saw them.
        """
        clone = self.clone()
        if self._gs is None:
            return clone
        faction = FACTIONS[player_id]
        seed = int(probability_sampler() * (1 << 62)) if callable(probability_sampler) else 0
        view = self.game_of().view(faction)
        gs = SCENARIO.determinize(view, faction, Rng(seed))
        clone._gs = GameState(self._gs.ctx, gs.board, gs.rng)
        clone._seen = tuple(entry if entry[0] == faction else (entry[0], entry[2], entry[2])
                            for entry in self._seen)
        return clone

    def information_state_string(self, player: int | None = None) -> str:
        return _text(self, self._player(player), history=True)

    def observation_string(self, player: int | None = None) -> str:
        return _text(self, self._player(player), history=False)

    def information_state_tensor(self, player: int | None = None) -> list[float]:
        return list(_tensor(self, self._player(player), history=True))

    def observation_tensor(self, player: int | None = None) -> list[float]:
        return list(_tensor(self, self._player(player), history=False))

    def _player(self, player: int | None) -> int:
        if player is None:
            player = self.current_player()
        if not 0 <= player < len(FACTIONS):
            raise ValueError(f"no player {player} (players are 0 to {len(FACTIONS) - 1})")
        return player

    def __str__(self) -> str:
        if self._gs is None:
            return "(before the setup draw)"
        ctx = self._gs.ctx
        head = f"turn {ctx.turn}/{ctx.last_turn} to act: {ctx.active_faction or '-'}"
        return "\n".join([head, *SCENARIO.status_lines(self._gs.board, None)])


def _seen_by(state: CrossroadsState, faction: str) -> list[str]:
    out = []
    for mover, action, public in state._seen:
        if mover == faction or public >= 0:
            out.append(str(ACTIONS.move(action)))
        else:
            out.append(f"{mover}: a covert action")
    return out


def _text(state: CrossroadsState, player: int, history: bool) -> str:
    faction = FACTIONS[player]
    if state._gs is None:
        return f"{faction} (before the setup draw)"
    view = state.game_of().view(faction)
    ctx = view.ctx
    lines = [f"{faction} turn {ctx.turn}/{ctx.last_turn} to act: {ctx.active_faction or '-'} "
             f"actions left {ctx.actions_left} view {view.digest()}"]
    if history:
        lines += _seen_by(state, faction)
    else:
        lines += SCENARIO.status_lines(view.board, faction)
    return "\n".join(lines)


def _tensor(state: CrossroadsState, player: int, history: bool) -> np.ndarray:
    faction = FACTIONS[player]
    out = np.zeros(INFO_SIZE if history else OBS_SIZE, np.float32)
    if state._gs is None:
        out[FACTIONS.index(faction)] = 1.0  # "me": the first segment
        return out
    out[:OBS_SIZE] = SCENARIO.observation(state.game_of().view(faction), faction)
    if history:
        step = 1.0 / COUNT_SCALE
        for mover, action, public in state._seen:
            k = OBS_SIZE + (action if mover == faction or public >= 0
                            else len(ACTIONS) + FACTIONS.index(mover))
            out[k] = min(1.0, out[k] + step)
    return out


class CrossroadsObserver:
    """OpenSpiel's observer: ``tensor`` and ``dict`` filled by ``set_from``."""

    def __init__(self, perfect_recall: bool) -> None:
        self.history = perfect_recall
        self.tensor = np.zeros(INFO_SIZE if perfect_recall else OBS_SIZE, np.float32)
        self.dict = {"observation": self.tensor[:OBS_SIZE]}
        if perfect_recall:
            self.dict["seen"] = self.tensor[OBS_SIZE:]

    def set_from(self, state: CrossroadsState, player: int) -> None:
        self.tensor[:] = _tensor(state, player, self.history)

    def string_from(self, state: CrossroadsState, player: int) -> str:
        return _text(state, player, self.history)


pyspiel.register_game(_GAME_TYPE, CrossroadsGame)


# -- an OpenSpiel bot in a Crossroads seat ---------------------------------------
from engine.ai import Bot, BotError, Choice, Decision  # noqa: E402  (after the game's registration)

BOT_KINDS = ("ismcts",)
DEFAULT_SIMULATIONS = 40


class OpenSpielBot(Bot):
    """OpenSpiel's information-set MCTS (``open_spiel.python.algorithms.ismcts``)
    with random rollouts, playing one faction of a Crossroads game.

    The seat ``openspiel:ismcts`` (or ``openspiel:ismcts:SIMS``) builds it.
    It gets what every bot gets, the faction's view and the legal moves:
    the root is one state drawn from the view (:meth:`CrossroadsState.from_view`),
    and every simulation resamples a world through
    :meth:`CrossroadsState.resample_from_infostate`.  Its generator is numpy's,
    seeded from the seat's own generator, so a seed replays the same game.
    """

    name = "openspiel:ismcts"

    def __init__(self, simulations: int = DEFAULT_SIMULATIONS, uct_c: float = 2.0) -> None:
        if simulations < 1:
            raise ValueError("ISMCTS needs at least one simulation")
        self.simulations = simulations
        self.uct_c = uct_c
        self._games: dict[int, CrossroadsGame] = {}

    @classmethod
    def from_arg(cls, arg: str) -> "OpenSpielBot":
        """``ismcts`` or ``ismcts:SIMS`` (empty: ``ismcts``); raises ValueError otherwise."""
        algo, _, sims = (arg or BOT_KINDS[0]).partition(":")
        if algo not in BOT_KINDS:
            raise ValueError(f"unknown OpenSpiel bot {algo!r} (choose from: {', '.join(BOT_KINDS)})")
        if not sims:
            return cls()
        if not sims.isdigit() or not 1 <= int(sims) <= 100000:
            raise ValueError(f"simulations must be a whole number from 1 to 100000, not {sims!r}")
        return cls(int(sims))

    def choose(self, decision: Decision, rng: Rng) -> Choice:
        from open_spiel.python.algorithms import ismcts, mcts

        if not decision.legal:
            raise BotError(f"{decision.faction} has no legal move")
        turns = decision.view.ctx.last_turn
        game = self._games.get(turns)
        if game is None:
            game = self._games[turns] = pyspiel.load_game("python_crossroads", {"turns": turns})
        randomness = np.random.RandomState(rng.below(1 << 31))
        root = CrossroadsState.from_view(game, decision.view, decision.faction, rng)
        bot = ismcts.ISMCTSBot(game, mcts.RandomRolloutEvaluator(1, randomness), self.uct_c,
                               self.simulations, random_state=randomness,
                               allow_inconsistent_action_sets=True)
        bot.set_resampler(lambda state, player: state.resample_from_infostate(player, randomness.uniform))
        move = ACTIONS.move(int(bot.step(root)))
        if move not in decision.legal:
            raise BotError(f"OpenSpiel ISMCTS chose {move}, which is not legal for {decision.faction}")
        return Choice(move, f"OpenSpiel ISMCTS, {self.simulations} simulations with random rollouts")
