"""Research interfaces' speed: environment steps per second under random play.

Run:  python benchmarks/bench_envs.py [--steps N] [--repeat R]

The PettingZoo environment (``engine.envs.pz``) is measured side by side
with PettingZoo's own classic environments (Connect Four, Tic-Tac-Toe) in
the same run, and the OpenSpiel game (``python_crossroads``) with
OpenSpiel's C++ Tic-Tac-Toe and its Python Kuhn poker; the ratio column
is Crossroads' speed over the baseline's.  A step is one ``env.step`` (a
dead agent's ``None`` step at the end included) or one ``apply_action``
(chance nodes included), with a legal action drawn at random from the
action mask, a fresh game at each end.  Each figure is the median of
``--repeat`` runs of ``--steps`` steps.  Needs ``pip install -e ".[rl]"``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402


def pz_steps_per_s(make, steps: int, seed: int) -> float:
    env = make()
    rng = np.random.default_rng(seed)
    env.reset(seed=seed)
    done = 0
    t = time.perf_counter()
    while done < steps:
        for agent in env.agent_iter():
            obs, _, term, trunc, _ = env.last()
            if term or trunc:
                env.step(None)
            else:
                legal = np.flatnonzero(obs["action_mask"])
                env.step(int(legal[rng.integers(len(legal))]))
            done += 1
            if done >= steps:
                break
        else:
            env.reset(seed=int(rng.integers(1 << 30)))
    return steps / (time.perf_counter() - t)


def spiel_steps_per_s(game, steps: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    state = game.new_initial_state()
    t = time.perf_counter()
    for _ in range(steps):
        if state.is_terminal():
            state = game.new_initial_state()
        if state.is_chance_node():
            outcomes = state.chance_outcomes()
            state.apply_action(outcomes[rng.integers(len(outcomes))][0])
        else:
            legal = state.legal_actions()
            state.apply_action(legal[rng.integers(len(legal))])
    return steps / (time.perf_counter() - t)


def median(fn, repeat: int) -> float:
    return statistics.median(fn(seed) for seed in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    import pyspiel
    from open_spiel.python.games import kuhn_poker  # noqa: F401  (registers python_kuhn_poker)
    from pettingzoo.classic import connect_four_v3, tictactoe_v3

    import engine.envs.spiel  # noqa: F401  (registers python_crossroads)
    from engine.envs.pz import env as crossroads_env

    n, r = args.steps, args.repeat
    pz = {
        "crossroads (engine.envs.pz)": median(lambda s: pz_steps_per_s(crossroads_env, n, s), r),
        "connect_four_v3": median(lambda s: pz_steps_per_s(connect_four_v3.env, n, s), r),
        "tictactoe_v3": median(lambda s: pz_steps_per_s(tictactoe_v3.env, n, s), r),
    }
    games = {
        "python_crossroads": pyspiel.load_game("python_crossroads"),
        "tic_tac_toe (C++)": pyspiel.load_game("tic_tac_toe"),
        "python_kuhn_poker": pyspiel.load_game("python_kuhn_poker"),
    }
    sp = {name: median(lambda s, g=g: spiel_steps_per_s(g, n, s), r) for name, g in games.items()}
    print(f"random play, {n} steps per run, median of {r} runs")
    print()
    print("| interface | environment | steps/s | crossroads / it |")
    print("|---|---|---:|---:|")
    for family, table in (("PettingZoo AEC", pz), ("OpenSpiel", sp)):
        ours = next(iter(table.values()))
        for name, rate in table.items():
            ratio = "-" if rate is ours else f"{ours / rate:.2f}"
            print(f"| {family} | {name} | {rate:,.0f} | {ratio} |")


if __name__ == "__main__":
    main()
