"""``join``: take a seat (or the white cell, or a spectator's chair) in an exercise.

``python main.py join ws://HOST:PORT --token TOKEN`` opens the game window as
that seat; ``--headless`` plays in the terminal; ``--ai LEVEL`` lets a bot
play the seat (to fill a missing team, and in tests).  With the white cell's
token, ``--headless`` gives the facilitator's console (type ``help``).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shlex
import sys
from typing import Any, Callable, TextIO

from engine.cli import CliError, seed_int
from engine.cli.play import scenario
from engine.game import Game
from engine.moves import Move
from engine.net.client import (Client, JoinError, JoinRefused, MoveRefused, in_words, play_bot,
                               view_of)
from engine.net.protocol import WHITE
from engine.rng import Rng
from engine.seats import SeatError, parse_seat

LEVELS = ("easy", "normal", "hard")


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("join", description="Join an exercise served by 'main.py host'. Without --headless "
                                   "or --ai the game window opens.")
    p.add_argument("url", help="the server's address, ws://HOST:PORT")
    p.add_argument("--token", required=True, help="the join token the host printed")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--headless", action="store_true", help="play in the terminal")
    mode.add_argument("--ai", metavar="LEVEL",
                      help="let a bot play the seat: easy, normal, hard (or any bot seat kind, "
                           "e.g. random)")
    p.add_argument("--seed", type=seed_int, default=0, help="the bot's own random seed (default 0)")
    return p


def bot_seat(level: str):
    """The bot for ``--ai LEVEL``, parsed like a seat (engine/seats.py)."""
    try:
        seat = parse_seat(f"ai:{level}" if level in LEVELS else level)
    except SeatError as err:
        raise CliError(str(err)) from None
    if seat.human:
        raise CliError("--ai needs a bot: easy, normal, hard or a bot seat kind")
    return seat


def join_error(err: JoinError) -> CliError:
    """A refusal (wrong token, token in use, another game) is the user's to
    correct: exit code 2, as for every user error; a server out of reach is 1."""
    return CliError(str(err), 2 if isinstance(err, JoinRefused) else 1)


def check_url(url: str) -> None:
    if not (url.startswith("ws://") or url.startswith("wss://")) or len(url) < 8:
        raise CliError(f"not a websocket address: {url!r} (expected ws://HOST:PORT)")


async def _join(args: argparse.Namespace) -> int:
    check_url(args.url)
    seat = bot_seat(args.ai) if args.ai else None
    client = Client(args.url, args.token)
    try:
        await client.connect()
    except JoinError as err:
        raise join_error(err) from None
    try:
        if seat is not None:
            if client.faction is None:
                raise CliError("--ai plays a seat: this token is the "
                               f"{client.role}'s")
            final = await play_bot(client, seat.bot(client.faction), Rng(args.seed), scenario(),
                                   timeout=24 * 3600)
            print_outcome(final, sys.stdout)
            return 0
        if client.role == WHITE:
            return await white_console(client, sys.stdout, _stdin_line)
        return await headless(client, sys.stdout, _stdin_line)
    except BrokenPipeError:
        raise
    except ConnectionError as err:
        raise CliError(f"connection lost: {err}", 1) from None
    finally:
        await client.close()


async def _stdin_line() -> str:
    return await asyncio.to_thread(sys.stdin.readline)


def print_outcome(state: dict[str, Any], out: TextIO) -> None:
    outcome = state["outcome"]
    out.write(f"Result: {outcome['description']} Winner: {', '.join(outcome['winners'])}\n")
    for faction, score in outcome["scores"].items():
        out.write(f"  {faction}: {score['total']} ({', '.join(score['lines'])})\n")
    out.flush()


async def headless(client: Client, out: TextIO, read: Callable[[], Any]) -> int:
    """A seat or a spectator in the terminal: the log as it comes, and on your
    turn the situation and the legal moves, numbered."""
    shown = 0
    asked = None
    while True:
        state = await client.wait_for(lambda s: len(client.log) > shown or "outcome" in s
                                      or (client.my_turn(s) and _point(s) != asked), 24 * 3600)
        sc = scenario()
        for line in client.log[shown:]:
            out.write(in_words(sc, line) + "\n")
        shown = len(client.log)
        if "outcome" in state:
            print_outcome(state, out)
            return 0
        if not client.my_turn(state) or _point(state) == asked:
            out.flush()
            continue
        asked = _point(state)
        legal = state["legal"]
        out.write("\n".join(status_lines(client, state)) + "\n")
        view = Game(sc, view_of(sc, state)) if "board" in state else None
        for i, move in enumerate(legal, 1):
            out.write(f"  {i:2d}. {move_in_words(view, move)}\n")
        sealed = state["mode"]["sealed"]
        n = max(1, state.get("capacity", 1)) if sealed else 1
        prompt = (f"{client.faction}, seal {n} order{'s' if n > 1 else ''} (numbers, "
                  f"space-separated)" if sealed else f"{client.faction}, your move (1-{len(legal)})")
        while True:
            out.write(f"{prompt}, q to quit: ")
            out.flush()
            line = await read()
            if line == "":
                raise CliError("input closed: left the exercise", 1)
            text = line.strip()
            if text in ("q", "quit"):  # leaving is not an error: the seat may rejoin
                out.write(f"Left the exercise; rejoin with: python main.py join {client.url} "
                          f"--token {client.token} --headless\n")
                out.flush()
                return 0
            picks = text.split()
            if not picks or len(picks) > n or not all(p.isdigit() and 1 <= int(p) <= len(legal)
                                                      for p in picks):
                out.write(f"Please type {'up to ' + str(n) + ' numbers' if sealed else 'a number'} "
                          f"from 1 to {len(legal)}.\n")
                continue
            try:
                if sealed:
                    await client.seal([legal[int(p) - 1] for p in picks])
                else:
                    await client.move(legal[int(picks[0]) - 1], at=state["ctx"]["moves"])
            except MoveRefused as err:
                out.write(f"Refused: {err}\n")
            break


def move_in_words(view: Game | None, move: str) -> str:
    """A legal move as the seat reads it: what it does, read on the seat's view."""
    if view is None:
        return move
    try:
        return view.explain(Move.parse(move)).summary
    except Exception:  # a move the view cannot explain: shown as sent
        return move


def status_lines(client: Client, state: dict[str, Any]) -> list[str]:
    """The situation in words, rendered here from the view the server sent."""
    if "board" not in state:
        return ["(the white cell shows nothing now)"]
    sc = scenario()
    return sc.status_lines(view_of(sc, state).board, client.faction)


def _point(state: dict[str, Any]) -> tuple:
    c = state.get("ctx", {})
    return (c.get("moves"), c.get("turn"), c.get("phase"), tuple(state.get("orders") or ()))


WHITE_HELP = """white cell commands:
  pause | resume
  clock SECONDS [pass|ai] | clock off
  inject CARD [TURN]                  a deck card, now or at the start of TURN's actions
  event "TEXT" TRACK=+N ... [@TURN]   a custom inject (track deltas)
  review on|off | approve ["RATIONALE"]
  override TIER "RATIONALE"           the held result becomes TIER (backfire, fail, partial, success)
  ruling TRACK=N ... "RATIONALE"      set tracks (approves a held result first)
  sealed on|off
  show none|public|all|FACTION        what spectators see
  status | help | quit
  in a class (host --tables N), begin a command with its tables:
    t2 pause | t1,t3 inject CARD | all clock 60 | t2 override fail "..." | status"""


TABLES = re.compile(r"^(all|t\d+(,t\d+)*)$")


def white_request(text: str) -> tuple[str, dict[str, Any]] | None:
    """Parse one white-cell console line into a request (None: not a request).

    A first word naming tables (``t2``, ``t1,t3``, ``all``) sends the request
    to those tables of a class."""
    words = shlex.split(text)
    if words and TABLES.match(words[0]) and len(words) > 1:
        request = white_request(shlex.join(words[1:]))
        if request is not None:
            request[1]["table"] = words[0]
        return request
    if not words:
        return None
    cmd, rest = words[0], words[1:]

    def number(text: str, what: str, kind=int):
        try:
            value = kind(text)
        except ValueError:
            raise ValueError(f"{cmd}: expected {what}, got {text!r} (type help)") from None
        if value != value or value in (float("inf"), float("-inf")):  # nan, inf
            raise ValueError(f"{cmd}: expected {what}, got {text!r} (type help)")
        return value

    def pairs(items: list[str], signed: bool) -> dict[str, int]:
        out = {}
        for item in items:
            name, eq, value = item.partition("=")
            if not eq:
                raise ValueError(f"expected TRACK=NUMBER, got {item!r}")
            out[name] = number(value, f"a whole number for {name}")
        return out

    if cmd in ("pause", "resume", "approve") and not rest:
        return cmd, {}
    if cmd == "approve" and len(rest) == 1:
        return "approve", {"rationale": rest[0]}
    if cmd == "clock" and rest:
        if rest[0] == "off":
            return "clock", {"seconds": None}
        return "clock", {"seconds": number(rest[0], "SECONDS (a number) or off", float), "default": rest[1] if len(rest) > 1 else "pass"}
    if cmd in ("review", "sealed") and rest in (["on"], ["off"]):
        return cmd, {"on": rest[0] == "on"}
    if cmd == "inject" and rest:
        fields: dict[str, Any] = {"card": rest[0]}
        if len(rest) > 1:
            fields["turn"] = number(rest[1], "a turn number")
        return "inject", fields
    if cmd == "event" and len(rest) >= 2:
        fields = {"text": rest[0]}
        effects = [r for r in rest[1:] if not r.startswith("@")]
        fields["effects"] = pairs(effects, True)
        turns = [r for r in rest[1:] if r.startswith("@")]
        if turns:
            fields["turn"] = number(turns[0][1:], "@TURN (a turn number)")
        return "inject", fields
    if cmd == "override" and len(rest) == 2:
        return "override", {"tier": rest[0], "rationale": rest[1]}
    if cmd == "ruling" and len(rest) >= 2:
        return "ruling", {"values": pairs(rest[:-1], False), "rationale": rest[-1]}
    if cmd == "show" and len(rest) == 1:
        return "show", {"spectators": rest[0]}
    raise ValueError(f"unknown command {text!r} (type help)")


async def white_console(client: Client, out: TextIO, read: Callable[[], Any]) -> int:
    """The facilitator's console: the whole log as it comes, and commands."""
    shown = 0
    seen: dict[str, int] = {}

    def news() -> None:  # a class's lines say which table they come from
        nonlocal shown
        if client.tables:
            for tid, lines in list(client.table_logs.items()):
                for text in lines[seen.get(tid, 0):]:
                    out.write(f"[{tid}] {text}\n")
                seen[tid] = len(lines)
        else:
            for text in client.log[shown:]:
                out.write(text + "\n")
            shown = len(client.log)
    if client.welcome.get("tables"):  # a class: wait for every table's first frame
        await client.wait_tables(lambda t: len(t) == len(client.welcome["tables"]))
    news()
    out.write(WHITE_HELP + "\n")
    while True:
        out.write("white> ")
        out.flush()
        line = await read()
        news()
        if line == "":
            return 0
        text = line.strip()
        if text in ("quit", "q"):
            return 0
        if text == "help":
            out.write(WHITE_HELP + "\n")
            continue
        if text == "status" and client.tables:
            for tid, state in sorted(client.tables.items(), key=lambda kv: int(kv[0][1:])):
                ctx = state.get("ctx", {})
                out.write(f"{tid}: turn {ctx.get('turn')}, {state.get('awaiting')}"
                          + (" [held for review]" if "review" in state else "") + "\n")
            continue
        if text == "status":
            state = client.state
            out.write("\n".join(status_lines(client, state)) + "\n")
            out.write(f"awaiting: {state.get('awaiting')}\n")
            if "review" in state:
                out.write("held for review: " + " / ".join(state["review"]["lines"]) + "\n")
            continue
        try:
            request = white_request(text)
        except ValueError as err:
            out.write(f"{err}\n")
            continue
        if request is None:
            continue
        try:
            await client.request(request[0], **request[1])
            out.write("ok\n")
        except MoveRefused as err:
            out.write(f"refused: {err}\n")


def window(args: argparse.Namespace) -> int:
    """The game window as the seat: it runs the client in its own thread."""
    check_url(args.url)
    try:
        from engine.ui import app
        run_remote = app.run_remote
    except (ImportError, AttributeError) as err:
        raise CliError(f"the game window is not available ({err}): use --headless or "
                       "--ai LEVEL", 1) from None
    try:
        return run_remote(Client(args.url, args.token))
    except JoinError as err:
        raise join_error(err) from None
    except app.WindowError as err:
        raise CliError(f"{err}; try --headless to play in the terminal", 1) from None


def run(args: argparse.Namespace) -> int:
    if not args.headless and not args.ai:
        return window(args)
    return asyncio.run(_join(args))
