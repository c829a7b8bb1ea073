"""Fit the scoring weights of rules/victory.py to issue 14's balance targets.

Doctrine and random seats never read the score, so a game's final board
does not depend on the weights: the games are played once, each final
board is reduced to its term readings (``rules.victory.TERMS``), and a
hill climb over integer weights, handicaps and sudden-death rows scores
them again and again.  It prints the best weights found and the targets
they meet; copy them into rules/victory.py, then check them with
``benchmarks/balance.py`` on this seed range *and* another.

    nice -n 5 python benchmarks/fit_scores.py --games 200 --first-seed 1

Targets (per faction): mean win rate over the 24 doctrine combinations in
15-40%, none under 3% (the US on separation excepted); four default
doctrines in 15-40%; four random seats in 10-40%; the best doctrine gains
25+ points over a random seat in its chair.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from engine.game import Game  # noqa: E402
from engine.match import Match  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from rules import victory  # noqa: E402
from rules.board import FACTIONS, US  # noqa: E402
from rules.doctrine import DOCTRINES  # noqa: E402
from rules.scenario import IRAQ_2020 as SC  # noqa: E402

ENDINGS = ("time", victory.WAR, victory.COLLAPSE, victory.WITHDRAWN)


def readings(seats_text: str, seeds: range, start: tuple = ()) -> list[tuple[list[list[int]], int]]:
    """Each game's term readings and ending; ``start`` changes starting tracks
    (a what-if of benchmarks/levers.py, e.g. the waiver withheld)."""
    from levers import WhatIf
    sc = WhatIf(start) if start else SC
    out = []
    for seed in seeds:
        game = Game.new(sc, seed)
        match = Match(game, parse_seats(seats_text, sc.factions), seed)
        while not game.is_over():
            game.apply(match.bot_choice().move)
        b = game.board
        r = [[read(b) for _, _, read in victory.TERMS[f]] for f in FACTIONS]
        out.append((r, ENDINGS.index(game.outcome().termination)))
    return out


def _job(args):
    return readings(*args)


def collect(lines: list[str], seeds: range, workers: int) -> list[list]:
    step = max(1, len(seeds) // 4)
    jobs = [(i, (t[0], seeds[j:j + step], t[1]) if isinstance(t, tuple) else (t, seeds[j:j + step]))
            for i, t in enumerate(lines) for j in range(0, len(seeds), step)]
    res: list[list] = [[] for _ in lines]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for (i, _), r in zip(jobs, pool.map(_job, [j for _, j in jobs])):
            res[i].extend(r)
    return res


class Data:
    """Readings of many games: R[f] is (games, terms of f); E the endings; G the group."""

    def __init__(self, groups: list[list]) -> None:
        self.group = np.concatenate([np.full(len(g), i) for i, g in enumerate(groups)])
        self.ending = np.array([e for g in groups for _, e in g])
        self.R = [np.array([r[k] for g in groups for r, _ in g]) for k in range(len(FACTIONS))]
        self.ngroups = len(groups)
        self.sizes = np.bincount(self.group, minlength=self.ngroups)

    def save(self, path: str) -> None:
        np.savez(path, group=self.group, ending=self.ending, *self.R)

    @classmethod
    def load(cls, path: str) -> "Data":
        z = np.load(path, allow_pickle=False)
        d = cls.__new__(cls)
        d.group, d.ending = z["group"], z["ending"]
        d.R = [z[f"arr_{k}"] for k in range(len(FACTIONS))]
        d.ngroups = int(d.group.max()) + 1
        d.sizes = np.bincount(d.group, minlength=d.ngroups)
        return d

    def rates(self, p: dict) -> np.ndarray:
        """(groups, factions) win rates in percent."""
        cols = []
        for k, f in enumerate(FACTIONS):
            s = self.R[k] @ np.array(p["w"][f]) + p["h"][f]
            sd = np.array([0] + [p["sd"][e][f] for e in ENDINGS[1:]])
            cols.append(s + sd[self.ending])
        S = np.stack(cols, 1)
        win = S == S.max(1, keepdims=True)
        out = np.stack([np.bincount(self.group, weights=win[:, k], minlength=self.ngroups)
                        for k in range(len(FACTIONS))], 1)
        return 100 * out / self.sizes[:, None]


def params_now() -> dict:
    return {"h": dict(victory.HANDICAP),
            "w": {f: [w for _, w, _ in victory.TERMS[f]] for f in FACTIONS},
            "sd": {e: dict(victory.SUDDEN_DEATH[e]) for e in ENDINGS[1:]}}


def report(rt: np.ndarray, layout: dict) -> dict:
    m = rt[layout["matrix"]]
    sep = layout["separation"]
    out = {"mean": m.mean(0), "min": [], "default": rt[layout["default"]], "random": rt[layout["random"]],
           "short": []}
    for k, f in enumerate(FACTIONS):
        col = m[:, k] if f != US else m[[i for i in range(len(m)) if i not in sep], k]
        out["min"].append(col.min())
        out["short"].append(float((np.maximum(0, 6 - col) ** 2).sum()))
    # Withholding the energy waiver from the start (default doctrines) must
    # cost the US: a collapsed or bankrupt partner is the opposite of its goal.
    out["withheld"] = rt[layout["withheld"]][0] - rt[layout["default"]][0]
    gains = []
    base = rt[layout["random"]]
    for k, f in enumerate(FACTIONS):
        gains.append(max(rt[i][k] for i in layout["skill"][f]) - base[k])
    out["gain"] = gains
    return out


# The brief's signs, which the fit must keep: a collapse hurts the government
# and costs the US at least 6 (a sovereign, stable Iraq is its goal); the
# militias want a weak government to rule through, not none (deadlock is
# their preferred end), and the movement wants the state relegitimised, so a
# collapse is worth little either way to them; a completed withdrawal serves
# the militias, costs the government its partnership, and is something
# Washington "can live with" (0 to -8); war costs those who fight it.
SIGNS = {victory.COLLAPSE: {US: (-12, -6), "goi": (-12, -5), "mil": (-4, 4), "pro": (-4, 2)},
         victory.WITHDRAWN: {US: (-8, 0), "goi": (-8, 0), "mil": (2, 8), "pro": (-3, 1)},
         victory.WAR: {US: (-8, -1), "goi": (-8, -1), "mil": (-8, -1), "pro": (-2, 2)}}


# Means rather than ends: the issue lists the movement's ends as the election
# law, the commission, early elections and accountability, and the militias'
# as the US out, the posts and fronts, deniability and a weak or deadlocked
# government.  The movement's momentum, support and Najaf's backing, and the
# militias' cells and the Americans they harm, are the means: the fit may
# weigh them down to nothing.
MEANS = {"momentum \u00f7 2", "public support \u00f7 2", "Najaf's backing \u00f7 3",
         "US persons harmed \u00f7 2"}


# The terms each faction counts against itself; every other term is one it
# wants.  The signs are the brief's, declared here rather than read from the
# weights of the day: a term the fit has weighed down to nothing (Najaf's
# backing helps the movement but scores nothing by itself) must never come
# back as a penalty.
COSTS = {US: {"US persons harmed", "ISIS pressure \u00f7 2", "escalation \u00f7 2",
              "militia cells on the map \u00f7 3", "a bankrupt partner"},
         "goi": {"militia posts \u00f7 2", "ISIS pressure \u00f7 3"},
         "mil": {"accountability \u00f7 2"},
         "pro": {"protester casualties \u00f7 3"}}


def term_signs() -> dict[str, list[int]]:
    """Each term's sign, by faction: -1 for a cost, +1 for an end or a means."""
    return {f: [-1 if label in COSTS[f] else 1 for label, _, _ in victory.TERMS[f]] for f in FACTIONS}


def mutate(p: dict, rng: np.random.Generator) -> dict:
    """One or two small steps from ``p``: a handicap, a weight or a
    sudden-death entry moved by one.  A weight stays on its term's side
    (``term_signs``), at most 5; an end keeps at least 1, a means may reach 0."""
    q = copy.deepcopy(p)
    signs = term_signs()
    for _ in range(rng.integers(1, 3)):
        kind = rng.choice(["h", "w", "w", "sd"])
        f = FACTIONS[rng.integers(len(FACTIONS))]
        if kind == "h":
            q["h"][f] += int(rng.choice([-1, 1]))
        elif kind == "w":
            i = rng.integers(len(q["w"][f]))
            nw = q["w"][f][i] + int(rng.choice([-1, 1]))
            low = 0 if victory.TERMS[f][i][0] in MEANS else 1
            if low <= nw * signs[f][i] <= 5:   # every end the brief names keeps a weight
                q["w"][f][i] = nw
        else:
            e = ENDINGS[1 + rng.integers(3)]
            q["sd"][e][f] += int(rng.choice([-1, 1]))
    return q


def allowed(q: dict) -> bool:
    labels = [label for label, _, _ in victory.TERMS["mil"]]
    w = q["w"]["mil"]
    # Deadlock under a caretaker is the militias' preferred end: worth at least a pending nominee,
    # and more than a token (the issue: "deadlock ... is worth +1").
    deadlock = w[labels.index("deadlock under a caretaker")]
    if deadlock < w[labels.index("a nominee not yet confirmed")] or deadlock < 3:
        return False
    # Early elections are the movement's end (the election law "to enact their demands").
    pro = [label for label, _, _ in victory.TERMS["pro"]]
    if q["w"]["pro"][pro.index("early elections held")] < 3:
        return False
    # "Secure U.S. persons": harm to them costs the US more than a token.
    us = [label for label, _, _ in victory.TERMS[US]]
    if q["w"][US][us.index("US persons harmed")] > -2:
        return False
    # A bankrupt partner costs Washington more than a token.
    if q["w"][US][us.index("a bankrupt partner")] > -2:
        return False
    return all(lo <= q["sd"][e][f] <= hi for e, row in SIGNS.items() for f, (lo, hi) in row.items())


GAIN_AIM = 33   # the issue asks 25+: aim higher, so that the gain holds on seeds the fit never saw
# The issue asks at most 40% of four random seats.  A 400-game line moves by
# about 2.5 points from one seed range to the next, so aim 5 under it, and
# weigh a miss three times: fitted at 37, the militias took 41% on two ranges.
RANDOM_AIM = 35
# Likewise the four default doctrines (15-40%): fitted at 36, the US took 41-42%
# of the default game on seeds the fit never saw.
DEFAULT_AIM = 35


def penalty(r: dict) -> float:
    pen = 0.0
    for k in range(len(FACTIONS)):
        pen += max(0, 19 - r["mean"][k]) ** 2 + max(0, r["mean"][k] - 36) ** 2
        pen += 3 * r["short"][k]
        pen += 3 * (max(0, 19 - r["default"][k]) ** 2 + max(0, r["default"][k] - DEFAULT_AIM) ** 2)
        pen += max(0, 13 - r["random"][k]) ** 2 + 3 * max(0, r["random"][k] - RANDOM_AIM) ** 2
        pen += max(0, GAIN_AIM - r["gain"][k]) ** 2
    pen += max(0, r["withheld"] + 5) ** 2
    return pen


def show(r: dict) -> str:
    return "\n".join(f"  {name:8s} " + "  ".join(f"{f} {v:5.1f}" for f, v in zip(FACTIONS, r[name]))
                     for name in ("mean", "min", "default", "random", "gain")) + \
        f"\n  US win rate, waiver withheld minus granted: {r['withheld']:+.1f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=4000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--search-seed", type=int, default=None,
                    help="seed of the hill climb (default: --first-seed); restarts try others")
    ap.add_argument("--check", action="store_true", help="only report the current weights")
    ap.add_argument("--write", action="store_true", help="write the best weights into rules/victory.py")
    ap.add_argument("--cache", default="", help="an .npz file to keep the readings in (reused if present)")
    ap.add_argument("--also", action="append", default=[],
                    help="the cache of another seed range (same design): the fit must hold on it too")
    args = ap.parse_args()
    t0 = time.perf_counter()
    names = {f: [d.name for d in DOCTRINES[f]] for f in FACTIONS}
    combos = list(itertools.product(*(names[f] for f in FACTIONS)))
    lines = [",".join(f"{f}=doctrine:{d}" for f, d in zip(FACTIONS, c)) for c in combos]
    layout = {"matrix": list(range(len(combos))),
              "separation": [i for i, c in enumerate(combos) if c[0] == "separation"]}
    lines.append(",".join(f"{f}=doctrine" for f in FACTIONS))
    layout["default"] = len(lines) - 1
    lines.append(",".join(f"{f}=random" for f in FACTIONS))
    layout["random"] = len(lines) - 1
    layout["skill"] = {}
    for f in FACTIONS:
        layout["skill"][f] = []
        for d in names[f]:
            lines.append(",".join(f"{g}=doctrine:{d}" if g == f else f"{g}=random" for g in FACTIONS))
            layout["skill"][f].append(len(lines) - 1)
    lines.append((",".join(f"{f}=doctrine" for f in FACTIONS), (("waiver", 0),)))
    layout["withheld"] = len(lines) - 1
    if args.cache and os.path.exists(args.cache):
        data = Data.load(args.cache)
    else:
        groups = collect(lines, range(args.first_seed, args.first_seed + args.games), args.workers)
        data = Data(groups)
        if args.cache:
            data.save(args.cache)
    print(f"{len(data.ending)} games played in {time.perf_counter() - t0:.0f} s")
    datasets = [data] + [Data.load(path) for path in args.also]

    def evaluate(q):
        reps = [report(d.rates(q), layout) for d in datasets]
        return sum(penalty(r) for r in reps), reps

    def shows(reps):
        return "\n".join(show(r) for r in reps)

    p = params_now()
    best_pen, best = evaluate(p)
    print(f"current weights: penalty {best_pen:.1f}\n{shows(best)}")
    if args.check:
        return 0
    rng = np.random.default_rng(args.first_seed if args.search_seed is None else args.search_seed)
    wrong = [f"{f}: {label} {w}" for f in FACTIONS
             for (label, _, _), w, s in zip(victory.TERMS[f], p["w"][f], term_signs()[f]) if w * s < 0]
    if wrong:
        print("error: weights against the brief's signs (COSTS): " + "; ".join(wrong), file=sys.stderr)
        return 2
    best_p, cur_pen = copy.deepcopy(p), best_pen
    for it in range(args.iterations):
        q = mutate(p, rng)
        if not allowed(q):
            continue
        pen, r = evaluate(q)
        temp = max(1e-3, 30 * (1 - it / args.iterations))  # simulated annealing: early on, accept some worse
        if pen <= cur_pen or rng.random() < np.exp((cur_pen - pen) / temp):
            p, cur_pen = q, pen
            if pen < best_pen:
                best_p, best, best_pen = copy.deepcopy(q), r, pen
    p = best_p
    print(f"\nbest: penalty {best_pen:.1f}\n{shows(best)}")
    rt = data.rates(p)
    for i, c in enumerate(combos):
        print("  " + "/".join(c) + ": " + " ".join(f"{v:3.0f}" for v in rt[i]))
    print(f"HANDICAP = {p['h']}")
    print("SUDDEN_DEATH = {" + ", ".join(f"{e!r}: {p['sd'][e]}" for e in ENDINGS[1:]) + "}")
    for f in FACTIONS:
        print(f"{f}: " + ", ".join(f"{label} {w}" for (label, _, _), w in zip(victory.TERMS[f], p["w"][f])))
    if args.write:
        write(p)
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


def write(p: dict) -> None:
    """Put the weights ``p`` into rules/victory.py (handicaps, sudden death, term weights)."""
    import re
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rules", "victory.py")
    src = open(path, encoding="utf-8").read()
    names = {"us": "US", "goi": "GOI", "mil": "MIL", "pro": "PRO"}
    low = min(p["h"].values())   # only differences matter: the lowest handicap is 0
    p = {**p, "h": {f: h - low for f, h in p["h"].items()}}
    src = re.sub(r"HANDICAP = \{[^}]*\}", "HANDICAP = {" + ", ".join(
        f"{names[f]}: {p['h'][f]}" for f in FACTIONS) + "}", src)
    for e, const in ((victory.WAR, "WAR"), (victory.COLLAPSE, "COLLAPSE"), (victory.WITHDRAWN, "WITHDRAWN")):
        src = re.sub(rf"    {const}: \{{[^}}]*\}}", f"    {const}: {{" + ", ".join(
            f"{names[f]}: {p['sd'][e][f]}" for f in FACTIONS) + "}", src)
    for f in FACTIONS:
        start = src.index(f"    {names[f]}: [\n")
        end = src.index("    ],", start)
        block = src[start:end]
        for (label, _, _), w in zip(victory.TERMS[f], p["w"][f]):
            lit = "".join(c if ord(c) < 128 else f"\\u{ord(c):04x}" for c in label)
            i = block.index(f'("{lit}", ')
            j = block.index(",", i + len(lit) + 4)
            block = block[:i] + f'("{lit}", {w}' + block[j:]
        src = src[:start] + block + src[end:]
    open(path, "w", encoding="utf-8").write(src)
    print(f"wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())
