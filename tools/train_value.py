"""Train the search AI's value model: each faction's chance to win.

    python tools/train_value.py [--games 4000] [--seed 1] [--workers 2]

Plays ``--games`` headless games (seeds ``--seed`` onwards), each chair
seated at random from the game's seed: the faction's first doctrine, one of
its other doctrines, the first doctrine with one move in three random, or a
random seat.  Every position at the start of a turn's actions is a row (the
features of ``rules/value.py``) labelled with whether each faction won.
Games are split by seed: four in five train, one in five is held out.  A
logistic regression per faction is fitted by full-batch gradient descent
(Adam, L2), and the held-out log loss is printed next to a baseline that
knows only each faction's base rate.  Writes ``rules/data/value_model.json``
and the training curve ``docs/value_model_training.png``.  The same
arguments give the same model, whatever ``--workers``.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402  (a dependency of matplotlib, which is installed)

from engine.ai import Decision, RandomBot  # noqa: E402
from engine.game import Game  # noqa: E402
from engine.rng import Rng  # noqa: E402
from rules import value  # noqa: E402
from rules.board import FACTIONS  # noqa: E402
from rules.doctrine import DOCTRINES, rules_legal  # noqa: E402
from rules.scenario import IRAQ_2020 as SC  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
# How a chair is seated in a training game: (kind, chance).
MIX = (("doctrine", 0.35), ("other", 0.2), ("noisy", 0.3), ("random", 0.15))
NOISE = 1 / 3


def seating(seed: int) -> dict[str, tuple[str, int]]:
    rng = Rng(1_000_003 * seed + 17)
    out = {}
    for f in FACTIONS:
        r, acc = rng.random(), 0.0
        for kind, p in MIX:
            acc += p
            if r < acc:
                break
        index = 0
        if kind == "other":
            index = 1 + rng.below(len(DOCTRINES[f]) - 1)
        out[f] = (kind, index)
    return out


def play(seed: int) -> tuple[list[list[float]], list[list[float]], dict[str, tuple[str, int]]]:
    """One game: its turn-start rows and their labels (1: the faction won)."""
    seats = seating(seed)
    game = Game.new(SC, seed, None)
    game.quiet = True
    rng = Rng(seed)
    rows: list[list[float]] = []
    seen_turn = 0
    while not game.is_over():
        ctx = game.ctx
        if ctx.turn != seen_turn:
            seen_turn = ctx.turn
            rows.append(value.features(game.board, None, ctx.last_turn - ctx.turn, ctx.last_turn))
        f = game.active_faction
        kind, index = seats[f]
        legal = game.legal_moves()
        if kind == "random" or (kind == "noisy" and rng.random() < NOISE):
            move = RandomBot().choose(Decision(SC, f, game.state, tuple(legal)), rng).move
        else:
            view = SC.view(game.board, f)
            move = DOCTRINES[f][index].decide(view, set(legal).__contains__)[0]
        game.apply(move)
    winners = game.outcome().winners
    label = [1.0 if f in winners else 0.0 for f in FACTIONS]
    return rows, [label] * len(rows), seats


def fit(x: np.ndarray, y: np.ndarray, xv: np.ndarray, yv: np.ndarray, steps: int, l2: float):
    """Per-faction logistic regression (one weight column per faction)."""
    n, k = x.shape
    w = np.zeros((k, y.shape[1]))
    b = np.log(y.mean(0) / (1 - y.mean(0)))
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
    curve = []
    for step in range(1, steps + 1):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        gw = x.T @ (p - y) / n + l2 * w
        gb = (p - y).mean(0)
        mw, vw = b1 * mw + (1 - b1) * gw, b2 * vw + (1 - b2) * gw * gw
        mb, vb = b1 * mb + (1 - b1) * gb, b2 * vb + (1 - b2) * gb * gb
        w -= lr * (mw / (1 - b1 ** step)) / (np.sqrt(vw / (1 - b2 ** step)) + eps)
        b -= lr * (mb / (1 - b1 ** step)) / (np.sqrt(vb / (1 - b2 ** step)) + eps)
        if step == 1 or step % 5 == 0:
            curve.append((step, logloss(x, y, w, b), logloss(xv, yv, w, b)))
    return w, b, curve


def logloss(x, y, w, b) -> float:
    p = np.clip(1 / (1 + np.exp(-(x @ w + b))), 1e-9, 1 - 1e-9)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1, help="first game seed (default 1)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--steps", type=int, default=600, help="gradient steps (default 600)")
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--out", default=str(ROOT / "rules" / "data" / value.MODEL_FILE))
    parser.add_argument("--curve", default=str(ROOT / "docs" / "value_model_training.png"))
    args = parser.parse_args()
    if args.games < 10 or args.workers < 1 or args.steps < 1:
        parser.exit(2, "train_value.py: error: need --games >= 10, --workers >= 1, --steps >= 1\n")
    t0 = time.perf_counter()
    seeds = list(range(args.seed, args.seed + args.games))
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        games = list(pool.map(play, seeds, chunksize=20))
    played = time.perf_counter() - t0
    held = [i % 5 == 4 for i in range(len(seeds))]
    xs = [r for (rows, _, _), h in zip(games, held) if not h for r in rows]
    ys = [r for (_, labels, _), h in zip(games, held) if not h for r in labels]
    xvs = [r for (rows, _, _), h in zip(games, held) if h for r in rows]
    yvs = [r for (_, labels, _), h in zip(games, held) if h for r in labels]
    x, y, xv, yv = (np.array(a, dtype=float) for a in (xs, ys, xvs, yvs))
    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    z, zv = (x - mean) / scale, (xv - mean) / scale
    w, b, curve = fit(z, y, zv, yv, args.steps, args.l2)
    base = y.mean(0)
    base_loss = float(-(yv * np.log(base) + (1 - yv) * np.log(1 - base)).mean())
    pv = 1 / (1 + np.exp(-(zv @ w + b)))
    late = xv[:, 0] <= 0.5  # the second half of the game
    per = {f: logloss(zv, yv[:, [i]], w[:, [i]], b[[i]])
           for i, f in enumerate(FACTIONS)}
    brier = float(((pv - yv) ** 2).mean())
    model = {
        "format": value.FORMAT,
        "version": f"{SC.id}-{SC.version}-g{args.games}-s{args.seed}",
        "features": list(value.FEATURES),
        "rules": value.rules_fingerprint(),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": {f: [round(float(v), 6) for v in w[:, i]] for i, f in enumerate(FACTIONS)},
        "bias": {f: round(float(b[i]), 6) for i, f in enumerate(FACTIONS)},
        "trained": {"command": f"python tools/train_value.py --games {args.games} --seed {args.seed}",
                    "games": args.games, "rows": int(len(x)), "held_out_rows": int(len(xv)),
                    "held_out_logloss": round(curve[-1][2], 4),
                    "base_rate_logloss": round(base_loss, 4),
                    "held_out_brier": round(brier, 4),
                    "held_out_logloss_by_faction": {f: round(v, 4) for f, v in per.items()},
                    "held_out_logloss_late": round(logloss(zv[late], yv[late], w, b), 4)},
    }
    pathlib.Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    value.load(pathlib.Path(args.out).read_text(encoding="utf-8"))  # it loads back
    plot(curve, base_loss, args)
    print(f"python tools/train_value.py --games {args.games} --seed {args.seed}   "
          f"({len(x)} rows from {args.games - sum(held)} games, {len(xv)} held out; "
          f"games {played:.0f} s, {args.workers} workers)")
    print()
    print("| | log loss (held out) |")
    print("|---|---|")
    print(f"| base rates only | {base_loss:.4f} |")
    print(f"| value model | {curve[-1][2]:.4f} |")
    for f, v in per.items():
        print(f"| value model, {f} | {v:.4f} |")
    print(f"| value model, second half of the game | {model['trained']['held_out_logloss_late']:.4f} |")
    print(f"\nBrier score (held out) {brier:.4f}; wrote {args.out} and {args.curve}")
    return 0


def plot(curve, base_loss: float, args) -> None:
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    fig = Figure(figsize=(6, 3.6), dpi=100)
    ax = fig.add_subplot()
    steps = [c[0] for c in curve]
    ax.plot(steps, [c[1] for c in curve], label="training positions")
    ax.plot(steps, [c[2] for c in curve], label="held-out games")
    ax.axhline(base_loss, color="grey", linestyle=":", label="base rates only (held out)")
    ax.set_xlabel("gradient step")
    ax.set_ylabel("log loss (who wins)")
    ax.set_title(f"Value model: {args.games} games from seed {args.seed}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.curve)


if __name__ == "__main__":
    raise SystemExit(main())
