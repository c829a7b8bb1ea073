"""Builders for tests: a board in a chosen situation, dice on demand, games
advanced by random moves, a window stepped until something shows, host
processes on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

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


# -- AI decisions on a game played by random moves ---------------------------------------
def decision(game: Game, explain: bool = False):
    """The decision the active faction's bot faces, on its own view."""
    from engine.ai import Decision
    f = game.active_faction
    return Decision(SCENARIO, f, game.view(f), tuple(game.legal_moves()), explain=explain)


def advance(seed: int, moves: int) -> Game:
    """A game of seed ``seed`` after ``moves`` random moves (fewer if it ends)."""
    from engine.ai import RandomBot
    from engine.rng import Rng
    game = Game.new(SCENARIO, seed)
    rng = Rng(seed)
    for _ in range(moves):
        if game.is_over():
            break
        game.apply(RandomBot().choose(decision(game), rng).move)
    return game


def militias_with_a_twin(seed: int) -> tuple[Game, Game]:
    """A game with the militias to move, and its twin differing only in what they
    cannot see: the deck's order and the dice."""
    from engine.ai import RandomBot
    from engine.rng import Rng
    from rules.board import MIL
    game = advance(seed, 0)
    while game.active_faction != MIL:
        game.apply(RandomBot().choose(decision(game), Rng(seed)).move)
    b = game.state.board
    twin = Game(SCENARIO, GameState(game.state.ctx, attrs.evolve(b, deck=tuple(reversed(b.deck))),
                                    game.state.rng + 1))
    return game, twin


def hide_differently(game: Game) -> Game:
    """The same position with every secret changed: covert cells moved, a
    professional-looking post made covert, unknown attackers swapped, a
    secret rocket order added, the deck reordered, the dice reseeded."""
    from rules.board import COVERT, K_COVERT, MIL, MILITIA_SITES, PROFESSIONAL, Attack, P, S
    b = game.state.board
    pieces = list(b.pieces)
    covert = sum(pieces[at(s, K_COVERT)] for s in S) or 0
    for s in S:
        pieces[at(s, K_COVERT)] = 0
    pieces[at(MILITIA_SITES[-1], K_COVERT)] = covert
    posts = list(b.posts)
    for p in P:
        if posts[p] == PROFESSIONAL:
            posts[p] = COVERT
            break
        if posts[p] == COVERT:
            posts[p] = PROFESSIONAL
            break
    attacks = tuple(Attack(a.space, "isis" if a.by == MIL else MIL, a.lethal, a.attributed, a.turn)
                    if not a.attributed else a for a in b.attacks)
    board = attrs.evolve(b, pieces=tuple(pieces), posts=tuple(posts), attacks=attacks,
                         deck=tuple(reversed(b.deck)), orders=b.orders + ((int(S.ASAD), "lethal"),))
    return Game(SCENARIO, GameState(game.state.ctx, board, game.state.rng ^ 0x5DEECE66D))


# -- the window, stepped under the dummy driver ---------------------------------------------
def step_until(app, done, seconds: float = 30.0) -> bool:
    """Step ``app`` until ``done()`` or ``seconds`` have passed; whether it is done."""
    import time
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if done():
            return True
        app.step(1)
        time.sleep(0.005)
    return done()


def bot_move(session) -> None:
    """One bot move in a window's session: its worker thinks, then it is applied."""
    session.start_bot()
    got = None
    while got is None:
        got = session.poll_bot()
    session.apply_bot(*got)


def pick_and_confirm(app, screen, prefer=lambda m: m.kind != "pass"):
    """Click a move's row in the game screen, then Confirm (real events); the move."""
    from engine.ui.drive import click
    legal = screen._legal
    move = next((m for m in legal if prefer(m)), legal[0])
    rect = screen.moves.row_rect(move)
    if rect is None:
        screen.moves.scroll_to(move)
        app.step(1)
        rect = screen.moves.row_rect(move)
    click(app, rect.center)
    assert screen.selected == move
    click(app, screen.confirm.rect.center)
    return move


# -- the network: asyncio on loopback, host processes -----------------------------------------
ROOT = Path(__file__).resolve().parents[1]


def run(coro, timeout: float = 60.0):
    """Run ``coro`` under an asyncio timeout."""
    import asyncio
    return asyncio.run(asyncio.wait_for(coro, timeout))


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_host(args: list[str], saves: Path, ready: str = "  spectators",
               ) -> tuple[subprocess.Popen, dict[str, str]]:
    """``main.py host ARGS`` in a process, autosaving in ``saves``, read until the
    line starting with ``ready``: its tokens by role (``WHITE``, a faction,
    ``SPECTATOR``; a class's by ``TABLE/ROLE`` but for its one white cell's)."""
    from engine.net.protocol import SPECTATOR, WHITE
    env = dict(os.environ, PYTHONUNBUFFERED="1", CROSSROADS_SAVES=str(saves))
    proc = subprocess.Popen([sys.executable, "main.py", "host", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tokens: dict[str, str] = {}
    table = ""
    for line in proc.stdout:
        words = line.split()
        if line.startswith("Table "):
            table = words[1].rstrip(":")
        elif "--token" in words:
            role = WHITE if words[0] == "white" else words[1] if words[0] == "seat" else SPECTATOR
            key = f"{table}/{role}" if table and role != WHITE else role
            tokens[key] = words[words.index("--token") + 1]
        if line.startswith(ready):
            break
    assert tokens, proc.stderr.read()
    return proc, tokens


def stop_host(proc: subprocess.Popen) -> str:
    """Stop a host as Ctrl-C does; what it printed after its tokens."""
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()
        out, _ = proc.communicate()
    return out


def kill_and_restart(proc: subprocess.Popen, args: list[str], saves: Path,
                     ready: str = "  spectators") -> tuple[subprocess.Popen, dict[str, str]]:
    """Kill a host as a crash would (SIGKILL), then start it again with ``args``."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    return start_host(args, saves, ready)


def refused_host(*args: str, saves: Path | None = None) -> str:
    """``main.py host ARGS --port 0`` refused as a user error: exit 2, one line on
    stderr, no traceback; that line."""
    env = dict(os.environ, **({"CROSSROADS_SAVES": str(saves)} if saves else {}))
    proc = subprocess.run([sys.executable, "main.py", "host", *map(str, args), "--port", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    return proc.stderr
