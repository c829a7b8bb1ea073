"""The scenario as a PettingZoo AEC environment (needs ``pip install -e ".[rl]"``).

    >>> from engine.envs.pz import env
    >>> e = env()
    >>> e.reset(seed=1)
    >>> for agent in e.agent_iter():
    ...     obs, reward, termination, truncation, info = e.last()
    ...     mask = obs["action_mask"]
    ...     e.step(None if termination or truncation else e.action_space(agent).sample(mask))

**Agents** are the four factions, ``us``, ``goi``, ``mil``, ``pro``.  The
agent to act is the game's active faction: the initiative order changes
from turn to turn and a faction may act twice, so do not assume a cycle.

**Actions** are one ``Discrete(N)`` space per agent, the same numbering for
all (:mod:`engine.envs.actions`: every move of every kind's domain, faction
by faction, ``N`` = 215 for the current rules).  The observation's
``action_mask`` marks the acting agent's legal moves (all zeros for the
others).  An illegal action raises :class:`engine.moves.IllegalMoveError`.

**Observations** are dicts ``{"observation": float32[M], "action_mask":
int8[N]}``.  The vector is the agent's faction view only
(``Game.view(faction)``, then :func:`rules.features.features`; layout in
:data:`rules.features.SEGMENTS`, printed by ``python -m engine.envs``), so
nothing another faction hides reaches it.

**Rewards** come at the end: +1 to each faction with the top score (a tie
is a win for each tied faction), -1 to the others.  ``shaped=True`` adds, after every
step, a tenth of the change in each faction's margin (its score minus the
best other score, computed on the true board) — off by default.

**Seeding**: ``reset(seed=s)`` plays the game of seed ``s`` (the engine's
own seed: the same seed and actions give the same game, bit for bit);
without a seed the environment draws one from its generator.

**Rendering** shows what the white cell sees: ``render_mode="ansi"``
returns the situation as text, ``"human"`` prints it, ``"rgb_array"``
returns the window's map (800 x 560 pixels, drawn off-screen by
:mod:`engine.ui.frames`) as a (560, 800, 3) uint8 array.
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces
from gymnasium.utils import seeding
from pettingzoo import AECEnv

from engine.envs.actions import table
from engine.game import Game
from engine.moves import IllegalMoveError
from engine.scenarios import get as get_scenario

SCENARIO_ID = "iraq-2020"


def env(**kwargs) -> "CrossroadsEnv":
    """The environment (keyword arguments as :class:`CrossroadsEnv`)."""
    return CrossroadsEnv(**kwargs)


class CrossroadsEnv(AECEnv):
    metadata = {"render_modes": ["ansi", "human", "rgb_array"], "name": "crossroads_iraq2020_v0",
                "is_parallelizable": False}

    def __init__(self, render_mode: str | None = None, turns: int | None = None,
                 shaped: bool = False, scenario_id: str = SCENARIO_ID) -> None:
        super().__init__()
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}, not {render_mode!r}")
        self.scenario = get_scenario(scenario_id)
        self.actions = table(self.scenario)
        self.render_mode = render_mode
        self.turns = turns
        self.shaped = shaped
        self.possible_agents = list(self.scenario.factions)
        self.obs_size = sum(len(s.labels) for s in self.scenario.observation_layout())
        n = len(self.actions)
        self.action_spaces = {a: spaces.Discrete(n) for a in self.possible_agents}
        self.observation_spaces = {
            a: spaces.Dict({
                "observation": spaces.Box(0.0, 1.0, (self.obs_size,), np.float32),
                "action_mask": spaces.Box(0, 1, (n,), np.int8),
            }) for a in self.possible_agents}
        self.np_random, _ = seeding.np_random(None)
        self.game: Game | None = None
        self._frames = None  # engine.ui.frames.MapFrames, made on the first rgb_array render

    def observation_space(self, agent):
        return self.observation_spaces[agent]

    def action_space(self, agent):
        return self.action_spaces[agent]

    # -- the AEC cycle ---------------------------------------------------------
    def reset(self, seed: int | None = None, options: dict | None = None) -> None:
        if seed is not None:
            self.np_random, _ = seeding.np_random(seed)
            game_seed = int(seed)
        else:
            game_seed = int(self.np_random.integers(0, 2 ** 31))
        self.game = Game.new(self.scenario, game_seed, self.turns)
        self.agents = self.possible_agents[:]
        self.rewards = dict.fromkeys(self.agents, 0.0)
        self._cumulative_rewards = dict.fromkeys(self.agents, 0.0)
        self.terminations = dict.fromkeys(self.agents, False)
        self.truncations = dict.fromkeys(self.agents, False)
        self.infos = {a: {} for a in self.agents}
        self._margins = self._margin() if self.shaped else None
        self._settle()

    def observe(self, agent: str) -> dict:
        game = self.game
        vector = np.asarray(self.scenario.observation(game.view(agent), agent), dtype=np.float32)
        mask = np.zeros(len(self.actions), np.int8)
        if agent == game.active_faction:
            mask[self.actions.legal(game)] = 1
        return {"observation": vector, "action_mask": mask}

    def step(self, action) -> None:
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            return
        move = self.actions.move(int(action))
        if move.faction != agent:
            raise IllegalMoveError(move, [f"action {int(action)} is a move of {move.faction}, not {agent}"])
        self._cumulative_rewards[agent] = 0.0
        self.game.apply(move)
        self._clear_rewards()
        if self.shaped:
            margins = self._margin()
            for a in self.agents:
                self.rewards[a] = (margins[a] - self._margins[a]) / 10
            self._margins = margins
        self._settle()
        self._accumulate_rewards()
        if self.render_mode == "human":
            self.render()

    def _settle(self) -> None:
        """Select the active faction, or end the game for every agent."""
        game = self.game
        if game.is_over():
            outcome = game.outcome()
            for a in self.agents:
                self.rewards[a] = self.rewards.get(a, 0.0) + (1.0 if a in outcome.winners else -1.0)
                self.terminations[a] = True
                self.infos[a] = {"winners": outcome.winners, "termination": outcome.termination,
                                 "score": outcome.scores[a].total}
            if self.agent_selection_missing():
                self.agent_selection = self.agents[0]
        else:
            self.agent_selection = game.active_faction

    def agent_selection_missing(self) -> bool:
        return getattr(self, "agent_selection", None) not in self.agents

    def _margin(self) -> dict[str, float]:
        totals = {f: s.total for f, s in self.game.scores().items()}
        return {f: v - max(w for g, w in totals.items() if g != f) for f, v in totals.items()}

    # -- looking at it ---------------------------------------------------------
    def render(self) -> str | None:
        if self.render_mode is None:
            return None
        game = self.game
        if self.render_mode == "rgb_array":
            if self._frames is None:
                from engine.ui.frames import MapFrames  # pygame, only for pictures
                self._frames = MapFrames(self.scenario)
            return self._frames.frame(game.board)
        lines = [f"turn {game.ctx.turn}/{game.ctx.last_turn}, to act: {game.active_faction or '-'}"]
        lines += self.scenario.status_lines(game.board, None)
        if game.is_over():
            outcome = game.outcome()
            lines.append(f"game over ({outcome.termination}): winners {', '.join(outcome.winners)}")
        text = "\n".join(lines)
        if self.render_mode == "human":
            print(text)
            return None
        return text

    def close(self) -> None:
        pass
