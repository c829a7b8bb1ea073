"""A study file, read and checked: factors, levels, cells and seeds.

The format is described in ``docs/studies.md``.  :func:`parse_study` takes
the TOML text already parsed (a dict) and the scenario object, and either
returns a :class:`Study` or raises :class:`StudyError` naming the key and
what is expected.  Every name is checked against the scenario itself
(its factions, seat kinds, doctrines, tracks, posts and endings), so the
study format follows the rules as they change.  Pure.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import attrs

from engine.game import TIME_UP, Scenario, check_start
from engine.seats import SeatError, parse_seat

MAX_SEED = 2 ** 64 - 1
TOP_KEYS = {"title", "description", "scenario", "games", "first_seed", "turns", "monthly",
            "outcome", "design", "seats", "factors", "what_if"}
FACTOR_KEYS = {"seat", "levels", "name"}
WHAT_IF_KEYS = {"start", "levels", "name"}
DESIGNS = ("crossed", "one_at_a_time")
MAX_CELLS = 10_000


class StudyError(ValueError):
    """A study file the runner cannot honour; the message names the key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key


@attrs.frozen(slots=True)
class Factor:
    name: str
    kind: str                 # "seat" or "start"
    target: str               # the faction for a seat factor; the start key (or "turns") for a what-if
    levels: tuple[Any, ...]   # seat texts, or starting values

    @property
    def column(self) -> str:
        return f"level:{self.name}"

    @property
    def baseline(self) -> Any:
        return self.levels[0]


@attrs.frozen(slots=True)
class Cell:
    """One combination of levels: what every game of the cell is played with."""

    index: int
    levels: tuple[Any, ...]                  # one per factor, in the study's factor order
    seats: tuple[tuple[str, str], ...]       # (faction, seat text) for every faction
    start: tuple[tuple[str, Any], ...]       # starting values changed
    turns: int

    def job(self, monthly: tuple[str, ...]) -> dict:
        """The plain, JSON-able description a worker plays (see engine.study.play)."""
        return {"cell": self.index, "seats": dict(self.seats), "start": [list(s) for s in self.start],
                "turns": self.turns, "monthly": list(monthly)}


@attrs.frozen(slots=True)
class Study:
    title: str
    description: str
    scenario: str
    games: int
    first_seed: int
    turns: int
    monthly: tuple[str, ...]
    outcome: str
    design: str
    seats: tuple[tuple[str, str], ...]   # fixed seats (every faction without a seat factor)
    factors: tuple[Factor, ...]
    cells: tuple[Cell, ...]

    @property
    def seeds(self) -> range:
        return range(self.first_seed, self.first_seed + self.games)

    @property
    def seat_factors(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.kind == "seat")

    @property
    def what_ifs(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.kind == "start")

    def canonical(self) -> str:
        """A stable text of everything that decides the rows (for --resume)."""
        return json.dumps({"scenario": self.scenario, "turns": self.turns, "monthly": self.monthly,
                           "seeds": [self.first_seed, self.games],
                           "cells": [[c.index, c.seats, c.start, c.turns] for c in self.cells]},
                          sort_keys=True)


def _type(key: str, value: Any, kind: type, what: str) -> Any:
    if kind is int:
        ok = type(value) is int
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise StudyError(key, f"expected {what}, got {value!r}")
    return value


def _levels(key: str, table: dict) -> list:
    if "levels" not in table:
        raise StudyError(key, "missing 'levels' (a non-empty list of levels)")
    levels = table["levels"]
    if not isinstance(levels, list) or not levels:
        raise StudyError(f"{key}.levels", f"expected a non-empty list of levels, got {levels!r}")
    if len({json.dumps(v) for v in levels}) != len(levels):
        raise StudyError(f"{key}.levels", "a level is listed twice")
    return levels


def _unknown_keys(key: str, table: dict, known: set[str]) -> None:
    for k in table:
        if k not in known:
            where = f"{key}.{k}" if key else k
            raise StudyError(where, f"unknown key (expected one of: {', '.join(sorted(known))})")


def _seat(key: str, text: Any, faction: str) -> str:
    _type(key, text, str, "a seat such as \"doctrine:NAME\", \"ai:normal\" or \"random\"")
    try:
        seat = parse_seat(text, faction)
    except SeatError as err:
        raise StudyError(key, str(err)) from None
    if seat.human:
        raise StudyError(key, "a study has no human seats (expected a bot seat: doctrine, ai, random)")
    return str(seat)


def _outcome_names(sc: Scenario) -> dict[str, set[str]]:
    return {"score": set(sc.factions), "win": set(sc.factions), "track": set(sc.tracks()),
            "ending": set(_endings(sc))}


def _endings(sc: Scenario) -> tuple[str, ...]:
    """The scenario's endings, ``time`` first (from its termination table, if it has one)."""
    found = [TIME_UP]
    for name in ("time", "war", "collapse", "withdrawal"):
        try:
            sc.describe_termination(name)
        except (KeyError, ValueError):
            continue
        if name not in found:
            found.append(name)
    return tuple(found)


def check_outcome(key: str, text: Any, sc: Scenario) -> str:
    _type(key, text, str, "an outcome such as \"score:us\", \"win:us\", \"track:NAME\", "
                          "\"ending:NAME\" or \"turn\"")
    if text == "turn":
        return text
    kind, _, name = text.partition(":")
    names = _outcome_names(sc)
    if kind not in names:
        raise StudyError(key, f"unknown outcome {text!r} (expected score:FACTION, win:FACTION, "
                              f"track:NAME, ending:NAME or turn)")
    if name not in names[kind]:
        raise StudyError(key, f"unknown {kind} {name!r} in {text!r} (choose from: "
                              f"{', '.join(sorted(names[kind]))})")
    return text


def parse_study(data: dict, sc: Scenario, games: int | None = None,
                first_seed: int | None = None, default_title: str = "Study") -> Study:
    """Check ``data`` (a parsed study file) against ``sc``; ``games`` and
    ``first_seed`` override the file's."""
    if not isinstance(data, dict):
        raise StudyError("", "expected a TOML table at the top")
    _unknown_keys("", data, TOP_KEYS)
    title = _type("title", data.get("title", default_title), str, "a string")
    description = _type("description", data.get("description", ""), str, "a string")
    scenario_id = _type("scenario", data.get("scenario", sc.id), str, "a scenario id")
    if scenario_id != sc.id:
        raise StudyError("scenario", f"unknown scenario {scenario_id!r} (expected {sc.id!r})")
    if games is None:
        games = _type("games", data.get("games", 100), int, "a whole number of games per cell")
    if games < 1:
        raise StudyError("games", f"expected at least 1 game per cell, got {games}")
    if first_seed is None:
        first_seed = _type("first_seed", data.get("first_seed", 1), int, "a whole number")
    if first_seed < 0 or first_seed + games - 1 > MAX_SEED:
        raise StudyError("first_seed", f"seeds {first_seed}\u2026{first_seed + games - 1} leave the range "
                                       f"0\u2026{MAX_SEED} (2^64\u22121)")
    turns = _type("turns", data.get("turns", sc.default_turns), int, "a whole number of turns")
    if not 1 <= turns <= 24:
        raise StudyError("turns", f"expected 1 to 24 turns, got {turns}")
    tracks = sc.tracks()
    monthly = _type("monthly", data.get("monthly", []), list, "a list of track names")
    for i, name in enumerate(monthly):
        if not isinstance(name, str) or name not in tracks:  # a list here is unhashable
            raise StudyError(f"monthly[{i}]", f"unknown track {name!r} (choose from: {', '.join(tracks)})")
    outcome = check_outcome("outcome", data.get("outcome", f"score:{sc.factions[0]}"), sc)
    design = _type("design", data.get("design", "crossed"), str, "a string")
    if design not in DESIGNS:
        raise StudyError("design", f"unknown design {design!r} (expected {' or '.join(DESIGNS)})")

    factors: list[Factor] = []
    names: set[str] = set()

    def add(factor: Factor, key: str) -> None:
        if factor.name in names:
            raise StudyError(f"{key}.name", f"two factors are named {factor.name!r}")
        names.add(factor.name)
        factors.append(factor)

    raw_factors = _type("factors", data.get("factors", []), list, "an array of tables [[factors]]")
    varied: set[str] = set()
    for i, table in enumerate(raw_factors):
        key = f"factors[{i}]"
        _type(key, table, dict, "a table with seat and levels")
        _unknown_keys(key, table, FACTOR_KEYS)
        if "seat" not in table:
            raise StudyError(key, f"missing 'seat' (a faction: {', '.join(sc.factions)})")
        faction = table["seat"]
        if faction not in sc.factions:
            raise StudyError(f"{key}.seat", f"unknown faction {faction!r} (choose from: "
                                            f"{', '.join(sc.factions)})")
        if faction in varied:
            raise StudyError(f"{key}.seat", f"faction {faction!r} is varied by two factors")
        varied.add(faction)
        levels = tuple(_seat(f"{key}.levels[{j}]", v, faction)
                       for j, v in enumerate(_levels(key, table)))
        name = _type(f"{key}.name", table.get("name", faction), str, "a string")
        add(Factor(name, "seat", faction, levels), key)

    raw_seats = _type("seats", data.get("seats", {}), dict, "a table FACTION = \"SEAT\"")
    fixed: dict[str, str] = {}
    for faction, text in raw_seats.items():
        if faction not in sc.factions:
            raise StudyError(f"seats.{faction}", f"unknown faction {faction!r} (choose from: "
                                                 f"{', '.join(sc.factions)})")
        if faction in varied:
            raise StudyError(f"seats.{faction}", "this faction is varied by a factor; "
                                                 "give its seat in the factor's levels only")
        fixed[faction] = _seat(f"seats.{faction}", text, faction)
    for faction in sc.factions:
        if faction not in varied and faction not in fixed:
            fixed[faction] = _seat("seats", "doctrine", faction)

    options = sc.start_options()
    raw_what_if = _type("what_if", data.get("what_if", []), list, "an array of tables [[what_if]]")
    for i, table in enumerate(raw_what_if):
        key = f"what_if[{i}]"
        _type(key, table, dict, "a table with start and levels")
        _unknown_keys(key, table, WHAT_IF_KEYS)
        if "start" not in table:
            raise StudyError(key, "missing 'start' (track:NAME, post:NAME or turns)")
        target = table["start"]
        if not isinstance(target, str) or (target != "turns" and target not in options):
            kinds = sorted({k.partition(":")[0] for k in options})
            raise StudyError(f"{key}.start", f"unknown starting value {target!r} (expected turns or "
                                             f"{', '.join(k + ':NAME' for k in kinds)}; names: "
                                             f"{', '.join(k.partition(':')[2] for k in options)})")
        if any(f.kind == "start" and f.target == target for f in factors):
            raise StudyError(f"{key}.start", f"{target!r} is varied by two what-if factors")
        levels = _levels(key, table)
        for j, value in enumerate(levels):
            lkey = f"{key}.levels[{j}]"
            if target == "turns":
                if type(value) is not int or not 1 <= value <= 24:
                    raise StudyError(lkey, f"expected a game length of 1 to 24 turns, got {value!r}")
            else:
                try:
                    check_start(sc, ((target, value),))
                except ValueError as err:
                    raise StudyError(lkey, str(err)) from None
        name = _type(f"{key}.name", table.get("name", target), str, "a string")
        add(Factor(name, "start", target, tuple(levels)), key)

    seat_factors = [f for f in factors if f.kind == "seat"]
    what_ifs = [f for f in factors if f.kind == "start"]
    seat_combos = list(itertools.product(*[f.levels for f in seat_factors]))
    if design == "crossed" or not what_ifs:
        start_combos = list(itertools.product(*[f.levels for f in what_ifs]))
    else:
        base = tuple(f.baseline for f in what_ifs)
        start_combos = [base]
        for k, f in enumerate(what_ifs):
            for level in f.levels[1:]:
                start_combos.append(base[:k] + (level,) + base[k + 1:])
    if len(seat_combos) * len(start_combos) > MAX_CELLS:
        raise StudyError("factors", f"{len(seat_combos) * len(start_combos)} cells; at most "
                                    f"{MAX_CELLS} (fewer levels, or design = \"one_at_a_time\")")
    order = seat_factors + what_ifs
    cells = []
    for s_levels in seat_combos:
        for w_levels in start_combos:
            chosen = dict(zip([f.name for f in order], s_levels + w_levels))
            seats = dict(fixed)
            seats.update({f.target: chosen[f.name] for f in seat_factors})
            start = tuple((f.target, chosen[f.name]) for f in what_ifs
                          if f.target != "turns")
            cell_turns = next((chosen[f.name] for f in what_ifs if f.target == "turns"), turns)
            cells.append(Cell(len(cells), tuple(chosen[f.name] for f in factors),
                              tuple((f, seats[f]) for f in sc.factions), start, cell_turns))
    return Study(title, description, sc.id, games, first_seed, turns, tuple(monthly), outcome, design,
                 tuple(sorted(fixed.items(), key=lambda kv: sc.factions.index(kv[0]))),
                 tuple(factors), tuple(cells))
