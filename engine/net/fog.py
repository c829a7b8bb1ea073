"""The fog of war: the one place where what a connection may see is built.

Every frame about the game that leaves the server is made by :func:`frame`
from a pair of *eyes*: a faction (a seat), ``"white"`` (the white cell),
``"public"`` (spectators by default: no faction's secrets), ``"all"``
(spectators shown the true game, without the white cell's controls) or
``"none"`` (spectators shown nothing).  A faction's frame is built only from
``game.view(faction)``, the log lines that faction may read, its own sealed
orders and legal moves; nothing else about the game is reachable from here.
``tests/test_net.py`` reads the bytes of every frame sent to each faction
against the true secrets of that moment.
"""

from __future__ import annotations

from typing import Any

import attrs

from engine.game import LogLine
from engine.net.protocol import WHITE
from engine.net.referee import Referee

PUBLIC, ALL, NONE = "public", "all", "none"


def visible_lines(lines: list[LogLine] | tuple[LogLine, ...], eyes: str) -> list[str]:
    """The texts of ``lines`` that ``eyes`` may read.

    A line for ``"white"`` (the white cell's notes) is read only by it; a
    line for a faction only by that faction and the white cell.
    """
    if eyes in (WHITE, ALL):
        return [line.text for line in lines if eyes == WHITE or line.audience != WHITE]
    if eyes in (PUBLIC, NONE):
        return [line.text for line in lines if line.audience is None] if eyes == PUBLIC else []
    return [line.text for line in lines if line.audience is None or line.audience == eyes]


def _plain(value: Any) -> Any:
    """An attrs board as JSON-ready values (tuples are written as lists)."""
    cls = type(value)
    if attrs.has(cls):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(cls)}
    if isinstance(value, tuple) and value and attrs.has(type(value[0])):
        return [_plain(v) for v in value]
    return value


def frame(ref: Referee, eyes: str, log: list[LogLine], kind: str = "state",
          extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The frame ``eyes`` receive: the game as they may see it, and ``log``
    (the lines since the last frame, or the whole log for a welcome)
    filtered for them."""
    game = ref.game
    out: dict[str, Any] = {"type": kind, "eyes": eyes}
    if extra:
        out.update(extra)
    if eyes == NONE:
        out["shown"] = NONE
        return out
    ctx = game.ctx
    scenario = game.scenario
    if eyes in (WHITE, ALL):
        view = game.state
    elif eyes == PUBLIC:
        view = game.public_view()
    else:
        view = game.view(eyes)
    out["ctx"] = {"turn": ctx.turn, "last_turn": ctx.last_turn, "phase": ctx.phase,
                  "order": list(ctx.order), "active": game.active_faction,
                  "actions_left": ctx.actions_left, "moves": ctx.moves,
                  "paused_from": ctx.paused_from, "termination": ctx.termination}
    out["board"] = _plain(view.board)
    out["log"] = visible_lines(log, eyes)
    out["awaiting"] = ref.awaiting()
    settings = ref.settings
    out["mode"] = {"sealed": settings.sealed, "review": settings.review, "clock": settings.clock,
                   "clock_default": settings.clock_default}
    if settings.sealed:
        out["sealed"] = {"waiting": list(ref.to_seal()), "in": sorted(ref.sealed)}
    outcome = game.outcome()
    if outcome is not None:
        out["outcome"] = {"termination": outcome.termination, "description": outcome.description,
                          "winners": list(outcome.winners),
                          "scores": {f: {"total": s.total, "lines": s.lines()}
                                     for f, s in outcome.scores.items()}}
    if eyes in scenario.factions:
        out["you"] = eyes
        out["legal"] = _legal(ref, eyes)
        out["capacity"] = ref.capacity(eyes)
        out["orders"] = list(ref.sealed.get(eyes, []))
        out["last_ref"] = ref.refs.get(eyes)
    elif eyes == WHITE:
        out["hash"] = game.state_hash()
        out["orders"] = {f: list(o) for f, o in ref.sealed.items()}
        out["schedule"] = [s.to_dict() for s in ref.schedule]
        out["show"] = settings.show
        out["seats"] = {f: str(s) for f, s in ref.seats.items()}
        out["cards"] = list(scenario.inject_cards(game.board))
        out["tracks"] = {name: list(r) for name, r in scenario.tracks().items()}
        if ref.pending is not None:
            out["review"] = {"move": str(ref.pending.move),
                             "lines": [line.text for line in ref.pending.after.last_log]}
    return out


def _legal(ref: Referee, faction: str) -> list[str]:
    """The moves ``faction`` may send now (sealed: the orders it may seal)."""
    if ref.settings.sealed:
        return [str(m) for m in ref.sealing_legal(faction)] if faction in ref.to_seal() else []
    if ref.pending is None and ref.game.active_faction == faction:
        return [str(m) for m in ref.game.legal_moves()]
    return []
