"""The scenario's data file, read once and checked against the vocabulary.

``rules/data/scenario.toml`` holds the setup and the event deck.  It is
package data, read at import (never during play), and every name in it is
checked here so that a typo fails at once rather than in turn eight.
"""

from __future__ import annotations

import tomllib
from importlib import resources

from rules.board import FACTIONS, POST_IDS, SPACE_IDS, TRACK_IDS

PIECE_IDS = {"us": 0, "goi": 1, "mil": 2, "covert": 3, "pro": 4}
HOLDER_IDS = {"professional": 0, "loyalist": 1, "covert": 2}
BLOCK_KEYS = {"effects", "set", "place", "remove", "post", "attack"}
CARD_KEYS = BLOCK_KEYS | {"id", "title", "date", "when", "period", "text", "order", "condition",
                          "then", "otherwise"}
# The start state holds what happened up to this day; every card comes after it.
START_DATE = "2020-01-02"


class ScenarioDataError(ValueError):
    """The scenario file names something the rules do not know."""


def _check_block(where: str, block: dict) -> None:
    for key in block:
        if key not in BLOCK_KEYS:
            raise ScenarioDataError(f"{where}: unknown key {key!r}")
    for key in ("effects", "set"):
        for name in block.get(key, {}):
            if name not in TRACK_IDS:
                raise ScenarioDataError(f"{where}: unknown track {name!r}")
    for key in ("place", "remove"):
        for item in block.get(key, []):
            if item.get("piece") not in PIECE_IDS or item.get("space") not in SPACE_IDS:
                raise ScenarioDataError(f"{where}: bad {key} {item!r}")
    if "post" in block:
        post = block["post"]
        if post.get("post") not in POST_IDS or post.get("holder") not in HOLDER_IDS:
            raise ScenarioDataError(f"{where}: bad post {post!r}")
    if "attack" in block:
        attack = block["attack"]
        if attack.get("space") not in SPACE_IDS or attack.get("by") not in ("mil", "isis", "iran"):
            raise ScenarioDataError(f"{where}: bad attack {attack!r}")


def check(data: dict) -> dict:
    setup = data["setup"]
    for name in setup["tracks"]:
        if name not in TRACK_IDS:
            raise ScenarioDataError(f"setup: unknown track {name!r}")
    missing = set(TRACK_IDS) - set(setup["tracks"])
    if missing:
        raise ScenarioDataError(f"setup: no starting value for {sorted(missing)}")
    for space, kinds in setup["pieces"].items():
        if space not in SPACE_IDS or any(k not in PIECE_IDS for k in kinds):
            raise ScenarioDataError(f"setup: bad pieces at {space!r}")
    if set(setup["posts"]) != set(POST_IDS) or any(h not in HOLDER_IDS for h in setup["posts"].values()):
        raise ScenarioDataError("setup: every post needs a holder")
    periods = data["periods"]
    for i, period in enumerate(periods):
        if period["first"] > period["last"] or (i and period["first"] != periods[i - 1]["last"] + 1):
            raise ScenarioDataError(f"period {i + 1}: its turns must follow the previous period's")
    history = {event["id"] for event in data.get("history", [])}
    seen = set()
    for card in data["cards"]:
        where = f"card {card.get('id')!r}"
        if card["id"] in seen:
            raise ScenarioDataError(f"{where}: duplicate id")
        seen.add(card["id"])
        if card["id"] in history:
            raise ScenarioDataError(f"{where}: the start state already holds this event")
        period = card.get("period")
        if type(period) is not int or not 1 <= period <= len(periods):
            raise ScenarioDataError(f"{where}: period must be 1 to {len(periods)}")
        when = card.get("when", "")
        first, last = periods[period - 1]["first"], periods[period - 1]["last"]
        if when <= START_DATE or not first <= card_month(card) <= last:
            raise ScenarioDataError(f"{where}: dated {when!r}, outside its period")
        if sorted(card["order"]) != sorted(FACTIONS):
            raise ScenarioDataError(f"{where}: order must list each faction once")
        for key in card:
            if key not in CARD_KEYS:
                raise ScenarioDataError(f"{where}: unknown key {key!r}")
        _check_block(where, {k: v for k, v in card.items() if k in BLOCK_KEYS})
        if "condition" in card:
            cond = card["condition"]
            if cond.get("track") not in TRACK_IDS or not ({"at_least", "at_most"} & set(cond)):
                raise ScenarioDataError(f"{where}: bad condition {cond!r}")
        for key in ("then", "otherwise"):
            if key in card:
                _check_block(f"{where} {key}", card[key])
    for i, period in enumerate(periods, 1):
        n = sum(1 for card in data["cards"] if card["period"] == i)
        if n < period["last"] - period["first"] + 1:
            raise ScenarioDataError(f"period {i}: {n} cards for {period['last'] - period['first'] + 1} turns")
    return data


def card_month(card: dict) -> int:
    """The turn (month of 2020) a card's ``when`` falls in."""
    year, month = card["when"].split("-")[:2]
    return (int(year) - 2020) * 12 + int(month)


def load() -> dict:
    text = resources.files("rules").joinpath("data/scenario.toml").read_text(encoding="utf-8")
    return check(tomllib.loads(text))


DATA = load()
CARDS: dict[str, dict] = {card["id"]: card for card in DATA["cards"]}
PERIODS: tuple[dict, ...] = tuple(DATA["periods"])
HISTORY: tuple[dict, ...] = tuple(DATA.get("history", ()))


def period_of(turn: int) -> int:
    """The deck period (1, 2, ...) of ``turn``; turns past the last period, 0."""
    for i, period in enumerate(PERIODS, 1):
        if period["first"] <= turn <= period["last"]:
            return i
    return 0
