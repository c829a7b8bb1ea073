"""The exercise client: an asyncio API for bots, tests, the terminal and the window.

::

    client = Client("ws://127.0.0.1:8765", token)
    await client.connect()                      # JoinError if the token is refused
    await client.wait_for(lambda s: s.get("legal"))
    await client.move(client.state["legal"][0])  # MoveRefused with the reason
    await client.close()

The client keeps the latest ``state`` frame (:attr:`state`), every log
line it was shown (:attr:`log`), and errors the server sent unasked
(:attr:`errors`).  A move or sealed orders stay in :attr:`outbox` until the
server acknowledges them, so after :meth:`reconnect` (same token) an
unacknowledged one is sent again; the server ignores a ``ref`` it already
accepted, so nothing is played twice.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import secrets
from typing import Any, Callable

import cattrs
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidURI

from engine.ai import Bot, Decision
from engine.moves import Move
from engine.net.protocol import MAX_SERVER_FRAME, VERSION
from engine.rng import Rng, seed_state
from engine.state import Context, GameState

# websockets >= 15 reads proxy settings from the environment: never for loopback exercises.
_CONNECT_KW: dict[str, Any] = {"proxy": None} if "proxy" in inspect.signature(connect).parameters \
    else {}


class JoinError(ConnectionError):
    """The server refused to seat this client, or could not be reached (one line)."""


class JoinRefused(JoinError):
    """The server answered and refused: a wrong token, one already in use, another
    game (the user's error to correct, exit code 2; unreachable is 1)."""


class MoveRefused(ValueError):
    """The server refused a request; ``str()`` is its one-line reason."""


class Client:
    def __init__(self, url: str, token: str, *, keep_frames: bool = False,
                 open_timeout: float = 5.0) -> None:
        self.url, self.token = url, token
        self.keep_frames = keep_frames
        self.open_timeout = open_timeout
        self.ws: ClientConnection | None = None
        self.welcome: dict[str, Any] = {}
        self.state: dict[str, Any] = {}
        self.log: list[str] = []
        self.tables: dict[str, dict[str, Any]] = {}    # a class's white cell: latest frame by table
        self.table_logs: dict[str, list[str]] = {}     # ... and each table's log lines
        self.errors: list[dict[str, Any]] = []
        self.frames: list[str] = []
        self.outbox: dict[str, Any] | None = None   # the request not yet acknowledged
        self._refs = itertools.count(1)
        # Refs unique to this client: a restarted client's first move is not
        # taken for the last move of the one before it (the server refuses a
        # ref reused for another move).
        self._session = secrets.token_hex(4)
        self._waiters: dict[str, asyncio.Future] = {}
        self._changed = asyncio.Event()
        self._reader: asyncio.Task | None = None
        self.closed = asyncio.Event()

    # -- who we are -----------------------------------------------------------------
    @property
    def role(self) -> str | None:
        return self.welcome.get("role")

    @property
    def faction(self) -> str | None:
        return self.welcome.get("faction")

    # -- connecting -----------------------------------------------------------------
    async def connect(self) -> dict[str, Any]:
        try:
            self.ws = await connect(self.url, max_size=MAX_SERVER_FRAME, compression=None,
                                    open_timeout=self.open_timeout, **_CONNECT_KW)
        except InvalidURI:
            raise JoinError(f"not a websocket address: {self.url!r} (expected ws://HOST:PORT)") \
                from None
        except (OSError, asyncio.TimeoutError, TimeoutError) as err:
            raise JoinError(f"cannot reach {self.url}: {getattr(err, 'strerror', None) or err}") \
                from None
        except Exception as err:  # handshake refused, bad status...
            raise JoinError(f"cannot join {self.url}: {err}") from None
        self.closed.clear()
        await self.ws.send(json.dumps({"v": VERSION, "type": "hello", "token": self.token}))
        try:
            raw = await asyncio.wait_for(self.ws.recv(), self.open_timeout)
        except ConnectionClosed:
            raise JoinError("the server closed the connection") from None
        first = json.loads(raw)
        if self.keep_frames:
            self.frames.append(raw)
        if first.get("type") == "error":
            await self.ws.close()
            raise JoinRefused(first.get("message", "refused"))
        if first.get("type") != "welcome":
            raise JoinError(f"unexpected first frame {first.get('type')!r}")
        self.welcome = first
        self._take_state(first)
        self._reader = asyncio.get_running_loop().create_task(self._read())
        return first

    async def reconnect(self) -> dict[str, Any]:
        """Join again with the same token; resend an unacknowledged request."""
        await self.drop()
        self.log = []
        self.table_logs = {}
        welcome = await self.connect()
        pending = self.outbox
        if pending is not None:
            if welcome.get("last_ref") == pending.get("ref"):
                self._settle(pending["ref"], {"type": "ack", "ref": pending["ref"]})
            else:
                await self._raw_send(pending)
        return welcome

    async def drop(self) -> None:
        """Lose the connection abruptly (no close handshake): a network failure."""
        if self.ws is not None:
            self.ws.transport.abort()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 2)
            except (asyncio.TimeoutError, TimeoutError, asyncio.CancelledError):
                self._reader.cancel()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 2)
            except (asyncio.TimeoutError, TimeoutError, asyncio.CancelledError):
                self._reader.cancel()

    # -- receiving ------------------------------------------------------------------
    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                if self.keep_frames:
                    self.frames.append(raw)
                msg = json.loads(raw)
                kind = msg.get("type")
                if kind == "state":
                    self._take_state(msg)
                elif kind in ("ack", "error", "pong"):
                    ref = msg.get("ref")
                    if ref is not None and ref in self._waiters:
                        self._settle(ref, msg)
                    elif kind == "error":
                        self.errors.append(msg)
                self._changed.set()
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()
            self._changed.set()

    def _take_state(self, msg: dict[str, Any]) -> None:
        self.state = msg
        self.log.extend(msg.get("log", ()))
        table = msg.get("table")
        if table is not None:
            self.tables[table] = msg
            self.table_logs.setdefault(table, []).extend(msg.get("log", ()))
        self._changed.set()

    def _settle(self, ref: str, msg: dict[str, Any]) -> None:
        if self.outbox is not None and self.outbox.get("ref") == ref:
            self.outbox = None
        waiter = self._waiters.pop(ref, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(msg)

    async def wait_for(self, predicate: Callable[[dict[str, Any]], Any],
                       timeout: float = 10.0) -> dict[str, Any]:
        """Wait until the latest state satisfies ``predicate``; return it."""
        async def watch() -> dict[str, Any]:
            while True:
                self._changed.clear()
                if self.state and predicate(self.state):
                    return self.state
                if self.closed.is_set():
                    raise ConnectionError("the connection is closed")
                await self._changed.wait()
        return await asyncio.wait_for(watch(), timeout)

    # -- sending --------------------------------------------------------------------
    async def _raw_send(self, payload: dict[str, Any]) -> None:
        if self.ws is None:
            raise ConnectionError("not connected")
        await self.ws.send(json.dumps(payload))

    async def request(self, kind: str, timeout: float = 10.0, keep: bool = False,
                      **fields: Any) -> dict[str, Any]:
        """Send a request and wait for its ``ack``; :class:`MoveRefused` on error.

        With ``keep``, the request stays in :attr:`outbox` until acknowledged
        (resent by :meth:`reconnect`)."""
        ref = f"{kind}-{self._session}-{next(self._refs)}"
        payload = {"v": VERSION, "type": kind, **fields, "ref": ref}
        waiter = asyncio.get_running_loop().create_future()
        self._waiters[ref] = waiter
        if keep:
            self.outbox = payload
        try:
            await self._raw_send(payload)
        except ConnectionClosed:
            if not keep:
                raise
        reply = await asyncio.wait_for(waiter, timeout)
        if reply.get("type") == "error":
            if self.outbox is payload:
                self.outbox = None
            raise MoveRefused(reply.get("message", "refused"))
        return reply

    async def move(self, text: str, at: int | None = None, timeout: float = 10.0) -> None:
        fields: dict[str, Any] = {"move": text}
        if at is not None:
            fields["at"] = at
        await self.request("move", timeout, keep=True, **fields)

    async def seal(self, moves: list[str], timeout: float = 10.0) -> None:
        await self.request("seal", timeout, keep=True, moves=list(moves))

    async def send_raw(self, text: str | bytes) -> None:
        """Send any frame as is (tests of bad traffic)."""
        assert self.ws is not None
        await self.ws.send(text)

    async def wait_tables(self, predicate: Callable[[dict[str, dict[str, Any]]], Any],
                          timeout: float = 10.0) -> dict[str, dict[str, Any]]:
        """Wait until the latest frames of every table satisfy ``predicate``."""
        await self.wait_for(lambda s: predicate(self.tables), timeout)
        return self.tables

    # -- helpers for bots -----------------------------------------------------------
    def my_turn(self, state: dict[str, Any] | None = None) -> bool:
        state = self.state if state is None else state
        return bool(state.get("legal")) and "outcome" not in state

    def view(self, scenario) -> GameState:
        """The faction's view rebuilt from the latest frame (what a bot reasons on)."""
        return view_of(scenario, self.state)


_board_types: dict[str, type] = {}


def view_of(scenario, state: dict[str, Any]) -> GameState:
    """A :class:`GameState` from a frame's ``ctx`` and ``board`` (rng unknown: 0)."""
    cls = getattr(scenario, "board_type", None) or _board_types.get(scenario.id)
    if cls is None:
        cls = _board_types[scenario.id] = type(scenario.setup(seed_state(0))[0])
    c = state["ctx"]
    order = tuple(c["order"])
    active = order.index(c["active"]) if c["active"] in order else len(order)
    ctx = Context(c["turn"], c["last_turn"], c["phase"], order, active, c["actions_left"],
                  c["paused_from"], c["termination"], c["moves"])
    return GameState(ctx, cattrs.structure(state["board"], cls), 0)


def in_words(scenario, line: str, before=None) -> str:
    """A log line ``T3 us:elections`` as ``T3 United States: <what it does>``: the
    move's summary read on ``before`` (a Game on the view just before the move)
    when it is at hand, else the move kind's title; any other line as sent."""
    head, sep, text = line.partition(" ")
    if not (sep and head[:1] == "T" and head[1:].isdigit() and ":" in text and " " != text[:1]):
        return line
    faction, _, rest = text.partition(":")
    name = scenario.faction_names.get(faction)
    if name is None:
        return line
    if rest == " a covert action":
        return f"{head} {name}: a covert action"
    try:
        move = Move.parse(text)
        what = scenario.registry.kind(move.faction, move.kind).title
        if before is not None:
            what = before.explain(move).summary
        return f"{head} {name}: {what}"
    except Exception:  # not a move line after all: shown as sent
        return line


async def play_bot(client: Client, bot: Bot, rng: Rng, scenario, timeout: float = 60.0,
                   think: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Play ``client``'s seat with ``bot`` until the game ends; return the last state.

    The bot sees only what the server sent this seat (its view and legal moves)."""
    last = None
    while True:
        state = await client.wait_for(
            lambda s: "outcome" in s or (client.my_turn(s) and _point(s) != last), timeout)
        if "outcome" in state:
            return state
        last = _point(state)
        legal = tuple(Move.parse(m) for m in state["legal"])
        decision = Decision(scenario, client.faction, view_of(scenario, state), legal)
        sealed = state["mode"]["sealed"]
        try:
            if sealed:
                n = max(1, state.get("capacity", 1))
                await client.seal([str(bot.choose(decision, rng).move) for _ in range(n)])
            else:
                await client.move(str(bot.choose(decision, rng).move), at=state["ctx"]["moves"])
        except MoveRefused:
            continue  # the game moved on (a clock, a ruling): look again


def _point(state: dict[str, Any]) -> tuple:
    c = state["ctx"]
    return (c["moves"], c["turn"], c["phase"], state["mode"]["sealed"],
            tuple(state.get("orders") or ()))
