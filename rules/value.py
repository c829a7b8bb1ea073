"""A learned value model: each faction's chance to win from a position.

``rules/data/value_model.json`` holds a small logistic model per faction
(weights over the features below), fitted by ``tools/train_value.py`` on
positions of recorded games (each chair played by a doctrine, a noisy
doctrine or a random seat) with the game's final result as the label.  It
is data: read once at import (package data, like the scenario file), never
trained during play.  The search AI (``engine/ai/mcts.py``, levels that ask
for it) calls :func:`win_chances` at the leaves of its rollouts.

The features read only the board a search evaluates (one of its own
determinisations, never the truth): every track scaled to its range, the
pieces on the map, the posts held by loyalists, each faction's score, its
projected score (:mod:`rules.evaluate`) and its margin over the best rival,
and how much of the game is left.  A model whose feature list does not
match the rules' (a track added since it was trained) is not used:
:data:`MODEL` is then None and the search falls back to the projected
score — ``tests/test_value.py`` fails until the model is retrained.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
from importlib import resources

from rules.board import FACTIONS, KINDS, TOTALS, TRACKS, COVERT, LOYALIST, POOL, K_COVERT, K_MIL, K_PRO, K_US, K_GOI
from rules.evaluate import projected
from rules.victory import scores

FORMAT = 1
MODEL_FILE = "value_model.json"

_KINDS = (("us", K_US, TOTALS[POOL["us"]]), ("goi", K_GOI, TOTALS[POOL["goi"]]),
          ("mil", K_MIL, TOTALS[POOL["mil"]]), ("covert", K_COVERT, TOTALS[POOL["mil"]]),
          ("pro", K_PRO, TOTALS[POOL["pro"]]))
_TRACKS = tuple((t.name.lower(), int(t), spec.lo, float(spec.hi - spec.lo) or 1.0)
                for t, spec in TRACKS.items())


def feature_names() -> list[str]:
    names = ["turns_left"]
    names += [f"track:{name}" for name, *_ in _TRACKS]
    names += [f"pieces:{name}" for name, *_ in _KINDS]
    names += ["posts:loyal"]
    for f in FACTIONS:
        names += [f"score:{f}", f"projected:{f}", f"margin:{f}", f"margin_late:{f}"]
    return names


FEATURES = tuple(feature_names())


def rules_fingerprint() -> str:
    """A short digest of what decides who wins (the scoring terms' weights, the
    handicaps, the sudden-death table): a model trained under other
    scoring is stale (``tests/test_search.py`` fails until it is retrained)."""
    from rules.victory import HANDICAP, SUDDEN_DEATH, TERMS
    text = repr((sorted(HANDICAP.items()), sorted((k, sorted(v.items())) for k, v in SUDDEN_DEATH.items()),
                 sorted((f, [(label, weight) for label, weight, _ in terms]) for f, terms in TERMS.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def features(board, termination: str | None, turns_left: int, last_turn: int = 12) -> list[float]:
    """The model's inputs for ``board`` (a full board: a determinisation or the truth)."""
    left = turns_left / max(1, last_turn)
    x = [left]
    tracks = board.tracks
    x += [(tracks[i] - lo) / span for _, i, lo, span in _TRACKS]
    pieces = board.pieces
    x += [sum(pieces[k::KINDS]) / total for _, k, total in _KINDS]
    x.append(sum(1 for h in board.posts if h == LOYALIST or h == COVERT) / len(board.posts))
    now = scores(board, termination)
    score = {f: float(s.total) for f, s in now.items()}
    proj = projected(board, termination, turns_left, now)
    for f in FACTIONS:
        best = max(v for g, v in proj.items() if g != f)
        margin = (proj[f] - best) / 10.0
        x += [score[f] / 30.0, proj[f] / 30.0, margin, margin * (1.0 - left)]
    return x


class ValueModel:
    """Per-faction logistic regression over :data:`FEATURES`."""

    def __init__(self, data: dict) -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"value model format {data.get('format')!r}, expected {FORMAT}")
        if tuple(data["features"]) != FEATURES:
            raise ValueError("value model features do not match the rules' (retrain it: "
                             "python tools/train_value.py)")
        self.version = str(data["version"])
        self.rules = str(data.get("rules", ""))  # rules_fingerprint() when trained
        self.info = dict(data.get("trained", {}))
        self.mean = [float(v) for v in data["mean"]]
        self.scale = [float(v) or 1.0 for v in data["scale"]]
        self.weights = {f: [float(w) for w in data["weights"][f]] for f in FACTIONS}
        self.bias = {f: float(data["bias"][f]) for f in FACTIONS}
        for f in FACTIONS:
            if len(self.weights[f]) != len(FEATURES):
                raise ValueError(f"value model: {len(self.weights[f])} weights for {f}, "
                                 f"expected {len(FEATURES)}")
        # The standardisation folded into the weights: one dot product per faction.
        self._raw = [(f, self.bias[f] - sum(w * m / s for w, m, s in zip(self.weights[f], self.mean,
                                                                       self.scale)),
                      [w / s for w, s in zip(self.weights[f], self.scale)]) for f in FACTIONS]

    def predict(self, x: list[float]) -> dict[str, float]:
        out = {}
        for f, bias, weights in self._raw:
            a = bias + sum(map(operator.mul, weights, x))
            out[f] = 1.0 / (1.0 + math.exp(-a)) if a > -30 else 0.0
        return out


def load(text: str) -> ValueModel:
    return ValueModel(json.loads(text))


def _packaged() -> ValueModel | None:
    try:
        text = resources.files("rules").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return load(text)
    except (ValueError, KeyError, TypeError):
        return None  # stale or damaged: the search falls back to the projected score


MODEL: ValueModel | None = _packaged()


def win_chances(board, termination: str | None, turns_left: int, last_turn: int = 12,
                model: ValueModel | None = None) -> dict[str, float] | None:
    """Each faction's chance to win from ``board``; a finished game is 1 or 0.

    None when no model is available."""
    if termination is not None:
        final = {f: s.total for f, s in scores(board, termination).items()}
        top = max(final.values())
        return {f: 1.0 if v >= top else 0.0 for f, v in final.items()}
    model = model or MODEL
    if model is None:
        return None
    return model.predict(features(board, termination, turns_left, last_turn))
