"""The scoring fit (benchmarks/fit_scores.py) keeps the brief's signs.

The fit may weigh a means down to nothing, but never turn a term a faction
wants into a penalty, nor a cost into a reward, however long it runs.
"""
from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
from hypothesis import given, settings, strategies as st

from rules import victory
from rules.board import FACTIONS

_PATH = pathlib.Path(__file__).resolve().parent.parent / "benchmarks" / "fit_scores.py"


def _fit():
    # A script, not a package module: loaded from its file (it puts the repo on its own path).
    spec = importlib.util.spec_from_file_location("fit_scores", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIT = _fit()


def test_todays_weights_have_the_declared_signs():
    signs = FIT.term_signs()
    for f in FACTIONS:
        for (label, weight, _), sign in zip(victory.TERMS[f], signs[f]):
            assert weight * sign >= 0, (f, label, weight)


def test_najaf_is_something_the_movement_wants():
    labels = [label for label, _, _ in victory.TERMS["pro"]]
    assert FIT.term_signs()["pro"][labels.index("Najaf's backing \u00f7 3")] == 1


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 32 - 1))
def test_a_long_walk_never_crosses_a_sign(seed):
    rng = np.random.default_rng(seed)
    signs = FIT.term_signs()
    p = FIT.params_now()
    for _ in range(400):
        p = FIT.mutate(p, rng)
        for f in FACTIONS:
            for (label, _, _), w, s in zip(victory.TERMS[f], p["w"][f], signs[f]):
                low = 0 if label in FIT.MEANS else 1
                assert low <= w * s <= 5, (f, label, w)
