"""Seats: who plays each faction.

A seat is written ``KIND`` or ``KIND:ARG`` — ``human``, ``random``,
``doctrine:NAME``, ``ai:easy|normal|hard`` — and a table of seats as
``us=human,goi=random,mil=ai:hard,pro=doctrine:peaceful``.  Bot kinds are
registered by the modules that define them, so the command line, the
window, the network server and the tournament all accept the same seats.
"""

from __future__ import annotations

from typing import Callable, Mapping

import attrs

from engine.ai import Bot, RandomBot
from engine.ai.mcts import LEVELS, SearchBot


class SeatError(ValueError):
    """A seat specification the engine cannot honour."""


BotFactory = Callable[[str, str], Bot]  # (faction, argument) -> bot
_BOTS: dict[str, tuple[BotFactory, str]] = {}


def register(kind: str, factory: BotFactory, usage: str) -> None:
    _BOTS[kind] = (factory, usage)


def _random(faction: str, arg: str) -> Bot:
    if arg:
        raise SeatError(f"seat {faction}=random:{arg}: 'random' takes no argument")
    return RandomBot()


def _search(faction: str, arg: str) -> Bot:
    if arg not in LEVELS:
        raise SeatError(f"unknown AI level {arg!r} for {faction} (choose from: {', '.join(LEVELS)})")
    return SearchBot.level(arg)


def _openspiel(faction: str, arg: str) -> Bot:
    """An OpenSpiel bot (engine/envs/spiel.py): needs the [rl] extra, imported only when seated."""
    try:
        from engine.envs.spiel import OpenSpielBot
    except ImportError as err:
        raise SeatError(f"seat {faction}=openspiel:{arg} needs OpenSpiel: pip install -e \".[rl]\" "
                        f"({err.name} is missing)") from None
    try:
        return OpenSpielBot.from_arg(arg)
    except ValueError as err:
        raise SeatError(f"seat {faction}=openspiel:{arg}: {err}") from None


register("random", _random, "random")
register("openspiel", _openspiel, "openspiel[:ismcts[:SIMS]]")
register("ai", _search, "ai:" + "|".join(LEVELS))
# Scenario modules register their own kinds on import (the Iraq scenario's
# rules/doctrine.py adds ``doctrine:NAME``); parsing seats always goes
# through a scenario's factions, so its kinds are known by then.


@attrs.frozen(slots=True)
class Seat:
    kind: str
    arg: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.arg}" if self.arg else self.kind

    @property
    def human(self) -> bool:
        return self.kind == "human"

    def bot(self, faction: str) -> Bot:
        if self.human:
            raise SeatError(f"seat {faction} is played by a human")
        factory, _ = _BOTS[self.kind]
        return factory(faction, self.arg)


def kinds_help() -> str:
    return ", ".join(["human"] + [usage for _, usage in _BOTS.values()])


def parse_seat(text: str, faction: str = "?") -> Seat:
    kind, _, arg = text.strip().partition(":")
    if kind == "human":
        if arg:
            raise SeatError(f"seat {faction}={text}: 'human' takes no argument")
        return Seat("human")
    if kind not in _BOTS:
        raise SeatError(f"unknown seat kind {text!r} for {faction} (choose from: {kinds_help()})")
    seat = Seat(kind, arg)
    seat.bot(faction)  # let the factory refuse a bad argument now
    return seat


def parse_seats(text: str, factions: tuple[str, ...],
                default: str | Mapping[str, str] | None = "random") -> dict[str, Seat]:
    """Parse ``f=kind,...``; factions not named get ``default``.

    ``default`` is one seat for every unnamed faction (``"random"``,
    ``"human"``), a table faction -> seat (a front end's default game, so
    ``goi=ai:easy`` changes one seat of it), or ``None``: only the named
    seats are returned (a loaded game keeps its saved seats for the rest).
    """
    seats: dict[str, Seat] = {}
    if text.strip():
        for part in text.split(","):
            faction, eq, spec = part.strip().partition("=")
            faction, spec = faction.strip(), spec.strip()
            if not eq or not faction or not spec:
                raise SeatError(f"malformed seat {part.strip()!r}: expected FACTION=KIND, "
                                f"e.g. us=human")
            if faction not in factions:
                raise SeatError(f"unknown faction {faction!r} (factions: {', '.join(factions)})")
            if faction in seats:
                raise SeatError(f"faction {faction!r} is seated twice")
            seats[faction] = parse_seat(spec, faction)
    if default is None:
        return seats
    for faction in factions:
        if faction not in seats:
            spec = default if isinstance(default, str) else default[faction]
            seats[faction] = parse_seat(spec, faction)
    return seats


def format_seats(seats: dict[str, Seat]) -> str:
    return ",".join(f"{f}={s}" for f, s in seats.items())
