"""A faction's view as numbers: the observation of the research interfaces.

``engine/envs`` (PettingZoo, OpenSpiel) give a learning agent a flat vector
of numbers in [0, 1].  This module says what each number is.  The layout is
built when the module is imported, from the scenario's own vocabulary (its
tracks and their ranges, spaces, piece kinds, posts, event cards, the
fields of :class:`~rules.board.Board`), so a rule that adds a track, a
space, a card or a board field changes the layout with it and nothing here
goes stale; ``python -m engine.envs`` prints the current table.

The vector is computed from a **view** (``Game.view(faction)``), never from
the true board, so whatever the view strips (covert cells and loyalists,
the militias' arms and reserve, their attack orders, who fired an
unattributed rocket, the order of the deck) cannot reach an agent.  A number
the viewer may not know reads 0 with its ``unknown`` flag at 1.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import attrs

from engine.state import GameState
from rules.board import (FACTIONS, HOLDERS, KIND_POOL, KINDS, PIECE_NAMES, POOL, S, TOTALS, TRACKS,
                         UNKNOWN, Board, P, T)
from rules import board as _board
from rules.data import CARDS
from rules.militia import HARASSMENT, LETHAL

# Who may have fired a marked attack ("?" is an author the viewer does not know).
AUTHORS: tuple[str, ...] = ("mil", "isis", "iran", "?")
ORDER_MODES: tuple[str, ...] = (HARASSMENT, LETHAL)
# Bits of Board.flags, named by the F_* constants of rules.board.
FLAGS: tuple[tuple[str, int], ...] = tuple(sorted(
    ((name[2:].lower(), value) for name, value in vars(_board).items()
     if name.startswith("F_") and isinstance(value, int)), key=lambda nv: nv[1]))
CARD_IDS: tuple[str, ...] = tuple(sorted(CARDS))
COUNT_SCALE = 4  # attacks and orders per space are counted up to 4 (then read 1.0)
# A Board field this module does not know yet is encoded generically: an int
# as a set of bits (the board's ints are bit sets: protected, sitins, flags...),
# a tuple of ints value by value.
INT_BITS = 16


class Segment(NamedTuple):
    """A named run of the vector: where it starts, how long, what it means."""

    name: str
    start: int
    labels: tuple[str, ...]
    doc: str

    @property
    def size(self) -> int:
        return len(self.labels)


def _segments() -> tuple[Segment, ...]:
    spaces = [s.name.lower() for s in S]
    tracks = [t.name.lower() for t in T]
    parts: list[tuple[str, list[str], str]] = [
        ("me", list(FACTIONS), "one-hot: the observing faction"),
        ("active", list(FACTIONS), "one-hot: the faction to act (all 0 between decisions or at the end)"),
        ("actions_left", ["actions_left"], "actions the active faction has left this turn / 2"),
        ("turn", ["turn", "turns_left"], "turn / last turn; turns left / 24"),
        ("tracks", tracks, "each track's value, (value - lo) / (hi - lo)"),
        ("tracks_unknown", tracks, "1 where the viewer may not know the track (the militias' arms)"),
        ("pieces", [f"{s}.{PIECE_NAMES[k].replace(' ', '_')}" for s in spaces for k in range(KINDS)],
         "pieces of each kind in each space / the owner's total"),
        ("pool", list(FACTIONS), "pieces in each faction's reserve / its total"),
        ("pool_unknown", list(FACTIONS), "1 where the viewer may not know the reserve"),
        ("posts", [f"{p.name.lower()}.{h.replace(' ', '_')}" for p in P for h in HOLDERS],
         "one-hot holder of each key post (a covert loyalist looks professional to all but the militias)"),
        ("attacks", [f"{s}.{a}" for s in spaces for a in AUTHORS],
         f"attack markers in each space by author ('?': unknown to the viewer) / {COUNT_SCALE}"),
        ("attacks_lethal", spaces, f"lethal attack markers in each space / {COUNT_SCALE}"),
        ("attacks_now", spaces, f"attack markers of this turn in each space / {COUNT_SCALE}"),
        ("protected", spaces, "1 where the government protects a facility this turn"),
        ("sitins", spaces, "1 where a sit-in holds the space"),
        ("flags", [name for name, _ in FLAGS], "this turn's flags (Board.flags bits)"),
        ("card", list(CARD_IDS), "one-hot: the event card of this turn"),
        ("deck", list(CARD_IDS), "1 for each card still in the deck (its order is hidden)"),
        ("orders", [f"{s}.{m}" for s in spaces for m in ORDER_MODES],
         f"the militias' rocket orders this turn (only they see them) / {COUNT_SCALE}"),
    ]
    for name, default in _extra_fields():
        if isinstance(default, int):
            parts.append((f"board.{name}", [f"{name}.bit{i}" for i in range(INT_BITS)],
                          f"Board.{name} (no dedicated encoding yet): its {INT_BITS} low bits"))
        else:
            parts.append((f"board.{name}", [f"{name}[{i}]" for i in range(len(default))],
                          f"Board.{name} (no dedicated encoding yet): each value / 10, clipped to [0, 1]"))
    out, start = [], 0
    for name, labels, doc in parts:
        out.append(Segment(name, start, tuple(labels), doc))
        start += len(labels)
    return tuple(out)


# Board fields encoded above (``discard`` and ``turn`` follow from ``deck`` and the context).
_ENCODED = {"tracks", "pieces", "pool", "posts", "attacks", "protected", "sitins", "flags", "deck",
            "card", "discard", "turn", "orders"}


def _extra_fields() -> list[tuple[str, Any]]:
    """Board fields added by a rule since this module was written: encoded
    generically if they are numbers, else refused loudly at import."""
    from rules.scenario import IRAQ_2020  # the starting board gives each field's shape
    from engine.rng import seed_state
    start, _ = IRAQ_2020.setup(seed_state(0))
    out = []
    for field in attrs.fields(Board):
        if field.name in _ENCODED:
            continue
        value = getattr(start, field.name)
        if isinstance(value, int) or (isinstance(value, tuple) and all(isinstance(x, int) for x in value)):
            out.append((field.name, value))
        else:
            raise TypeError(f"rules/features.py: Board.{field.name} is a {type(value).__name__}; "
                            f"give it an encoding in rules/features.py")
    return out


SEGMENTS: tuple[Segment, ...] = _segments()
SEGMENT: dict[str, Segment] = {s.name: s for s in SEGMENTS}
SIZE: int = sum(s.size for s in SEGMENTS)
_EXTRA = tuple(name for name, _ in _extra_fields())

_FACTION_INDEX = {f: i for i, f in enumerate(FACTIONS)}
_SPAN = tuple(max(1, TRACKS[t].hi - TRACKS[t].lo) for t in T)
_LO = tuple(TRACKS[t].lo for t in T)
_PIECE_TOTAL = tuple(TOTALS[KIND_POOL[k]] for k in range(KINDS)) * len(S)
_AUTHOR_INDEX = {a: i for i, a in enumerate(AUTHORS)}
_CARD_INDEX = {c: i for i, c in enumerate(CARD_IDS)}
_MODE_INDEX = {m: i for i, m in enumerate(ORDER_MODES)}


def features(view: GameState, faction: str) -> list[float]:
    """The observation of ``faction`` from ``view`` (its view: ``Game.view(faction)``).

    A list of :data:`SIZE` floats in [0, 1], laid out as :data:`SEGMENTS`.
    """
    b: Board = view.board
    ctx = view.ctx
    out = [0.0] * SIZE
    seg = SEGMENT
    out[seg["me"].start + _FACTION_INDEX[faction]] = 1.0
    active = ctx.active_faction
    if active is not None:
        out[seg["active"].start + _FACTION_INDEX[active]] = 1.0
    out[seg["actions_left"].start] = min(1.0, ctx.actions_left / 2)
    i = seg["turn"].start
    out[i] = min(1.0, ctx.turn / max(1, ctx.last_turn))
    out[i + 1] = min(1.0, max(0, ctx.last_turn - ctx.turn) / 24)
    i, u = seg["tracks"].start, seg["tracks_unknown"].start
    for t, v in enumerate(b.tracks):
        if v == UNKNOWN:
            out[u + t] = 1.0
        else:
            out[i + t] = (v - _LO[t]) / _SPAN[t]
    i = seg["pieces"].start
    for k, n in enumerate(b.pieces):
        if n:
            out[i + k] = min(1.0, n / _PIECE_TOTAL[k])
    i, u = seg["pool"].start, seg["pool_unknown"].start
    for f, n in enumerate(b.pool):
        if n == UNKNOWN:
            out[u + f] = 1.0
        else:
            out[i + f] = min(1.0, n / TOTALS[f])
    i = seg["posts"].start
    for p, h in enumerate(b.posts):
        out[i + p * len(HOLDERS) + h] = 1.0
    ia, il, inow = seg["attacks"].start, seg["attacks_lethal"].start, seg["attacks_now"].start
    step = 1.0 / COUNT_SCALE
    for a in b.attacks:
        k = ia + a.space * len(AUTHORS) + _AUTHOR_INDEX.get(a.by, len(AUTHORS) - 1)
        out[k] = min(1.0, out[k] + step)
        if a.lethal:
            out[il + a.space] = min(1.0, out[il + a.space] + step)
        if a.turn == b.turn:
            out[inow + a.space] = min(1.0, out[inow + a.space] + step)
    ip, isit = seg["protected"].start, seg["sitins"].start
    for s in range(len(S)):
        if b.protected >> s & 1:
            out[ip + s] = 1.0
        if b.sitins >> s & 1:
            out[isit + s] = 1.0
    i = seg["flags"].start
    for k, (_, bit) in enumerate(FLAGS):
        if b.flags & bit:
            out[i + k] = 1.0
    if b.card is not None:
        out[seg["card"].start + _CARD_INDEX[b.card]] = 1.0
    i = seg["deck"].start
    for c in b.deck:
        out[i + _CARD_INDEX[c]] = 1.0
    i = seg["orders"].start
    for space, mode in b.orders:
        k = i + space * len(ORDER_MODES) + _MODE_INDEX[mode]
        out[k] = min(1.0, out[k] + step)
    for name in _EXTRA:
        value = getattr(b, name)
        i = seg[f"board.{name}"].start
        if isinstance(value, int):
            for k in range(INT_BITS):
                if value >> k & 1:
                    out[i + k] = 1.0
        else:
            for k, v in enumerate(value):
                out[i + k] = min(1.0, max(0.0, v / 10))
    return out


def layout_text() -> str:
    """The layout as a table: one line per segment, with its first labels."""
    lines = [f"observation: {SIZE} floats in [0, 1]", "",
             "| offset | size | segment | meaning |", "|---:|---:|---|---|"]
    for s in SEGMENTS:
        lines.append(f"| {s.start} | {s.size} | {s.name} | {s.doc} |")
    return "\n".join(lines)
