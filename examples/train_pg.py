"""Train a small policy-gradient agent in one chair against the doctrine bots.

Run:  python examples/train_pg.py [--faction us] [--games 1200] [--out examples/learning_curve.png]

Needs ``pip install -e ".[rl]"`` (PettingZoo) and numpy; runs on the CPU in
a few minutes.  The agent is a linear softmax policy over the PettingZoo
environment's action mask (``engine.envs.pz``): logits = W . observation + b,
illegal actions masked out.  It learns by REINFORCE with a running-mean
baseline from the environment's rewards with ``shaped=True`` (a tenth of
the change in its score margin after each step, then +1 for a win, -1 for
a loss).  The three other chairs are the project's doctrine bots (each
faction's first doctrine), so the agent learns against competent,
scripted opponents.

Before and after training it plays ``--eval`` games against three random
seats (the engine's RandomBot) on fixed seeds and prints its win rate
there; the learning curve (win rate against the doctrines per batch,
smoothed, and the evaluation points) is saved as a PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from engine.ai import Decision  # noqa: E402
from engine.envs.pz import env as make_env  # noqa: E402
from engine.rng import Rng  # noqa: E402
from engine.seats import parse_seat  # noqa: E402


class LinearPolicy:
    """Softmax over the faction's actions; W and b start at zero (uniform play)."""

    def __init__(self, n_obs: int, span: tuple[int, int]) -> None:
        self.lo, self.hi = span
        self.W = np.zeros((self.hi - self.lo, n_obs))
        self.b = np.zeros(self.hi - self.lo)

    def probs(self, obs: np.ndarray, mask: np.ndarray) -> np.ndarray:
        legal = mask[self.lo:self.hi].astype(bool)
        logits = self.W @ obs + self.b
        logits = np.where(legal, logits, -np.inf)
        p = np.exp(logits - logits[legal].max())
        return p / p.sum()

    def act(self, obs, mask, rng: np.random.Generator, greedy: bool = False) -> tuple[int, np.ndarray]:
        p = self.probs(obs, mask)
        k = int(p.argmax()) if greedy else int(rng.choice(len(p), p=p))
        return self.lo + k, p


def play(env, policy: LinearPolicy, faction: str, others: dict, seed: int,
         rng: np.random.Generator, trace: list | None = None) -> tuple[float, bool]:
    """One game; the agent's decisions go to ``trace``; returns (return, won)."""
    env.reset(seed=seed)
    bot_rngs = {f: Rng(seed * 16 + i + 1) for i, f in enumerate(env.possible_agents)}
    total = 0.0
    for agent in env.agent_iter():
        obs, reward, term, trunc, info = env.last()
        if agent == faction:
            total += reward
        if term or trunc:
            env.step(None)
            continue
        if agent == faction:
            action, p = policy.act(obs["observation"], obs["action_mask"], rng)
            if trace is not None:
                trace.append((obs["observation"], p, action - policy.lo))
        else:
            game = env.game
            decision = Decision(game.scenario, agent, game.view(agent), tuple(game.legal_moves()))
            action = env.actions.action(others[agent].choose(decision, bot_rngs[agent]).move)
        env.step(action)
    return total, faction in env.game.outcome().winners


def win_rate(policy, faction, seat: str, games: int, first_seed: int, rng) -> float:
    env = make_env()
    others = {f: parse_seat(seat, f).bot(f) for f in env.possible_agents if f != faction}
    return float(np.mean([play(env, policy, faction, others, first_seed + i, rng)[1] for i in range(games)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faction", default="us", choices=("us", "goi", "mil", "pro"))
    parser.add_argument("--games", type=int, default=1200, help="training games (default 1200)")
    parser.add_argument("--batch", type=int, default=20, help="games per update (default 20)")
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate (default 0.1)")
    parser.add_argument("--eval", type=int, default=200, help="games against random seats before/after")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "learning_curve.png"))
    args = parser.parse_args()
    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    env = make_env(shaped=True)
    faction = args.faction
    policy = LinearPolicy(env.obs_size, env.actions.spans[faction])
    doctrines = {f: parse_seat("doctrine", f).bot(f) for f in env.possible_agents if f != faction}
    eval_seed = 1_000_000  # evaluation seeds, never trained on
    before = win_rate(policy, faction, "random", args.eval, eval_seed, np.random.default_rng(0))
    print(f"{faction} before training: {100 * before:.1f}% wins against 3 random seats ({args.eval} games)")

    baseline, curve = 0.0, []
    seed = args.seed * 100_000
    for batch in range(args.games // args.batch):
        gW, gb, wins = np.zeros_like(policy.W), np.zeros_like(policy.b), 0
        for _ in range(args.batch):
            trace: list = []
            ret, won = play(env, policy, faction, doctrines, seed, rng, trace)
            seed += 1
            wins += won
            advantage = ret - baseline
            baseline += 0.05 * (ret - baseline)
            for obs, p, k in trace:
                grad = -p
                grad[k] += 1.0  # d log p_k / d logits
                gW += advantage * np.outer(grad, obs)
                gb += advantage * grad
        policy.W += args.lr * gW / args.batch
        policy.b += args.lr * gb / args.batch
        curve.append(wins / args.batch)
        if batch % 10 == 9:
            print(f"  {(batch + 1) * args.batch:5d} games: {100 * np.mean(curve[-10:]):5.1f}% wins "
                  f"against the doctrines (last {10 * args.batch})", flush=True)
    after = win_rate(policy, faction, "random", args.eval, eval_seed, np.random.default_rng(0))
    print(f"{faction} after training:  {100 * after:.1f}% wins against 3 random seats ({args.eval} games)")
    elapsed = time.perf_counter() - start
    print(f"({args.games} training games, {elapsed:.0f} s)")
    plot(curve, args, before, after, faction)


def plot(curve, args, before: float, after: float, faction: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = (np.arange(len(curve)) + 1) * args.batch
    window = min(10, len(curve))
    smooth = np.convolve(curve, np.ones(window) / window, mode="valid")
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    ax.plot(x, curve, color="#bbbbbb", lw=0.8, label=f"per batch of {args.batch} games")
    ax.plot(x[window - 1:], smooth, color="#1f5fa8", lw=2, label=f"moving mean of {window} batches")
    ax.scatter([0, x[-1]], [before, after], color="#c0392b", zorder=3,
               label=f"vs 3 random seats ({args.eval} games): {100 * before:.0f}% \u2192 {100 * after:.0f}%")
    ax.set_xlabel("training games")
    ax.set_ylabel("win rate")
    ax.set_ylim(0, 1)
    ax.set_title(f"Linear policy gradient in the {faction} chair against the doctrine bots")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out)
    print(f"learning curve: {args.out}")


if __name__ == "__main__":
    main()
