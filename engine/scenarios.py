"""Scenarios by id: how a save file's ``"scenario": {"id": ...}`` finds its rules.

The engine knows no scenario; this table names where each one lives, as
``module:attribute``, and imports it only when asked, so ``engine`` never
imports ``rules`` at load time.  A new scenario adds one line here (or
calls :func:`register`).
"""

from __future__ import annotations

import importlib

_KNOWN: dict[str, str] = {
    "iraq-2020": "rules.scenario:IRAQ_2020",
}


class UnknownScenarioError(ValueError):
    """No scenario of that id is installed."""


def register(scenario_id: str, where: str) -> None:
    """Make ``scenario_id`` loadable from ``"package.module:ATTRIBUTE"``."""
    _KNOWN[scenario_id] = where


def ids() -> tuple[str, ...]:
    return tuple(_KNOWN)


def get(scenario_id: str):
    """The scenario object of ``scenario_id`` (an :class:`engine.game.Scenario`)."""
    where = _KNOWN.get(scenario_id) if isinstance(scenario_id, str) else None
    if where is None:
        raise UnknownScenarioError(f"unknown scenario {scenario_id!r} "
                                   f"(this engine knows: {', '.join(_KNOWN)})")
    module, _, name = where.partition(":")
    scenario = getattr(importlib.import_module(module), name)
    if scenario.id != scenario_id:  # pragma: no cover - a wrong table entry
        raise UnknownScenarioError(f"{where} is scenario {scenario.id!r}, not {scenario_id!r}")
    return scenario
