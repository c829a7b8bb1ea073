"""Builders for rule tests: a board in a chosen situation, dice on demand."""

from __future__ import annotations

import attrs

from engine import flow
from engine.game import Game
from engine.moves import Move
from engine.rng import seed_state
from engine.state import Context, GameState
from rules.board import KINDS, POOL, TRACK_IDS, Board, IraqDraft, at
from rules.scenario import IRAQ_2020

SCENARIO = IRAQ_2020


def start_board(seed: int = 1) -> Board:
    board, _ = SCENARIO.setup(seed_state(seed))
    return board


def with_tracks(board: Board, **values: int) -> Board:
    tracks = list(board.tracks)
    for name, value in values.items():
        tracks[TRACK_IDS[name]] = value
    return attrs.evolve(board, tracks=tuple(tracks))


def with_pieces(board: Board, space: int, kind: int, n: int) -> Board:
    """Set the count of ``kind`` at ``space``, taking from / returning to the pool."""
    pieces = list(board.pieces)
    pool = list(board.pool)
    delta = n - pieces[at(space, kind)]
    pieces[at(space, kind)] = n
    pool[(0, 1, 2, 2, 3)[kind]] -= delta
    assert min(pool) >= 0, "not enough pieces in the pool"
    return attrs.evolve(board, pieces=tuple(pieces), pool=tuple(pool))


def with_post(board: Board, post: int, holder: int) -> Board:
    posts = list(board.posts)
    posts[post] = holder
    return attrs.evolve(board, posts=tuple(posts))


class LoadedDice(IraqDraft):
    """A draft whose dice come from a list, in order."""

    def __init__(self, board: Board, dice) -> None:
        super().__init__(board, 0)
        self._dice = list(dice)

    def d6(self) -> int:
        return self._dice.pop(0)

    def below(self, n: int) -> int:
        return 0


def resolve(board: Board, text: str, dice=(3, 4)) -> tuple[Board, list[str]]:
    """Resolve move ``text`` on ``board`` with the given dice; check it is legal first."""
    move = Move.parse(text)
    reasons = SCENARIO.registry.refusals(board, move)
    assert not reasons, f"{text} refused: {reasons}"
    draft = LoadedDice(board, dice)
    SCENARIO.registry.kind(move.faction, move.kind).resolve(draft, move.args)
    new_board, _ = draft.freeze()
    return new_board, draft.events


def refusals(board: Board, text: str) -> list[str]:
    return SCENARIO.registry.refusals(board, Move.parse(text))


def game_at(board: Board, faction: str, actions: int = 2, turn: int = 1) -> Game:
    """A game in the action phase with ``faction`` to move on ``board``."""
    order = (faction,) + tuple(f for f in SCENARIO.factions if f != faction)
    ctx = Context(turn=turn, phase=flow.ACTIONS, order=order, active=0, actions_left=actions)
    return Game(SCENARIO, GameState(ctx, attrs.evolve(board, turn=turn), seed_state(1)))


def total_pieces(board: Board) -> tuple[int, int, int, int]:
    totals = list(board.pool)
    for i, n in enumerate(board.pieces):
        totals[(0, 1, 2, 2, 3)[i % KINDS]] += n
    return tuple(totals)


__all__ = ["POOL"]


def dice_for(board: Board, text: str, tier: str) -> tuple[int, int]:
    """Two dice that give ``tier`` for the check of move ``text`` on ``board``."""
    move = Move.parse(text)
    check = SCENARIO.registry.kind(move.faction, move.kind).preview(board, move.args).check
    for d1 in range(1, 7):
        for d2 in range(1, 7):
            if check.resolve(d1, d2) == tier:
                return (d1, d2)
    raise AssertionError(f"no roll gives {tier} for {text} ({check.describe()})")


def resolve_tier(board: Board, text: str, tier: str) -> tuple[Board, list[str]]:
    return resolve(board, text, dice_for(board, text, tier))
