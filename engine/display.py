"""What a front end draws, as plain values: the scenario's *presentation*.

The window knows nothing of Iraq.  A scenario describes a board as a
:class:`Display` — gauges grouped in sections, places with their control and
pieces, the current card — and says which places a move concerns and how a
move's events read to a given faction.  The front end turns those values
into pixels; the scenario decides what they say.

A presentation only ever receives a board already passed through
``Game.view(faction)``, so whatever it shows, that faction may see; the log
is read through ``engine.game.visible`` (each line carries its audience).
"""

from __future__ import annotations

from typing import Any

import attrs

from engine.moves import Move


@attrs.frozen(slots=True)
class Gauge:
    """A number on a track: ``value`` between ``lo`` and ``hi``."""

    key: str
    label: str
    value: int
    lo: int
    hi: int
    text: str                       # the value as a player reads it
    steps: tuple[str, ...] = ()     # names of an ordinal track's values
    hint: str = ""                  # one sentence for the tooltip
    bad: bool = False               # high values hurt the owner (drawn warm)


@attrs.frozen(slots=True)
class Section:
    title: str
    faction: str | None             # owner of the resources, None for the shared situation
    gauges: tuple[Gauge, ...]


@attrs.frozen(slots=True)
class Piece:
    kind: str
    faction: str
    label: str
    count: int
    covert: bool = False            # shown only to those who may see it


@attrs.frozen(slots=True)
class Badge:
    kind: str                       # attack, sitin, protected...
    mark: str                       # one or two characters drawn on the marker
    text: str                       # the tooltip


@attrs.frozen(slots=True)
class Place:
    id: str
    name: str
    control: str                    # one of Display.controls' ids
    pieces: tuple[Piece, ...] = ()
    badges: tuple[Badge, ...] = ()
    notes: tuple[str, ...] = ()     # extra tooltip lines (a post and its holder...)
    caption: str = ""               # a short second line on the map (who holds the place)


@attrs.frozen(slots=True)
class Card:
    title: str
    date: str
    text: str


@attrs.frozen(slots=True)
class Display:
    when: str                                   # "March 2020"
    sections: tuple[Section, ...]
    places: tuple[Place, ...]
    posts: tuple[tuple[str, str, str], ...]     # (name, holder as read, control id)
    card: Card | None
    controls: tuple[tuple[str, str], ...]       # (id, legend label), friendliest first


class Presentation:
    """The hooks a front end calls; a scenario subclasses it."""

    def display(self, board: Any, faction: str | None) -> Display:  # pragma: no cover
        raise NotImplementedError

    def places_of(self, move: Move) -> tuple[str, ...]:
        """Ids of the places ``move`` acts on (for the map's highlight and filter)."""
        return ()

    def piece_kinds(self) -> tuple[tuple[str, str, str, bool], ...]:
        """Every kind of piece: (kind, owner faction, label, covert), for the legend."""
        return ()
