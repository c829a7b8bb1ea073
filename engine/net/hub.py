"""One server, several tables: a class of exercises on one port.

A seminar is rarely one table.  A :class:`Hub` listens on one port and
serves several tables, each a whole exercise of its own — its own
:class:`~engine.net.referee.Referee` (game, seed, seats), save, tokens and
:class:`~engine.net.server.Server`.  The hub does one thing: read a
connection's ``hello`` and hand it to the table its token belongs to.  A
table's token names its table (``t2.Xy…``), so a seat or a spectator is
seated at exactly one table and is only ever sent that table's frames (each
table's server builds them through :func:`engine.net.fog.frame`, as for a
single exercise).

The class's white cell has one token that sees every table.  Its
connection is attached to every table's server (eyes ``white``; every frame
says which ``table`` it is about) and each of its requests names the tables
it is for: ``"table": "t2"``, ``"t1,t3"`` or ``"all"``.  A review request
(approve, override, ruling) names exactly one table.  The request is carried
out by each named table's server in turn, under that table's lock, and
logged in that table's save like a single exercise's.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.exceptions import ConnectionClosed

from engine.net.protocol import (BURST, HELLO_TIMEOUT, RATE, WHITE, WHITE_TYPES, ProtocolError,
                                 encode, error, parse)
from engine.net.server import Conn, Server, listen

log = logging.getLogger("crossroads.net")

MAX_TABLES = 16
REVIEW = frozenset({"approve", "override", "ruling"})


def table_ids(n: int) -> list[str]:
    """The tables of a class of ``n``: ``t1`` … ``tN``."""
    return [f"t{i}" for i in range(1, n + 1)]


def table_tokens(table: str, roles: list[str]) -> dict[str, str]:
    """One unguessable token per role, each naming its table (``t2.…``)."""
    return {role: f"{table}.{secrets.token_urlsafe(16)}" for role in roles}


def table_of(token: str) -> str:
    """The table a token names ('' for a token of no table)."""
    head, dot, _ = token.partition(".")
    return head if dot else ""


class Hub:
    def __init__(self, tables: dict[str, Server], white_token: str, *, bind: str = "127.0.0.1",
                 port: int = 0, hello_timeout: float = HELLO_TIMEOUT, rate: float = RATE,
                 burst: int = BURST, ping_interval: float | None = 5.0) -> None:
        if not tables:
            raise ValueError("a hub serves at least one table")
        self.tables = dict(tables)
        self.white_token = white_token
        self.bind, self.port = bind, port
        self.hello_timeout, self.rate, self.burst = hello_timeout, rate, burst
        self.ping_interval = ping_interval
        self.white_live: ServerConnection | None = None
        self.own_incidents: list[str] = []
        self._server: Any = None

    @property
    def incidents(self) -> list[str]:
        out = list(self.own_incidents)
        for tid, server in self.tables.items():
            out += [f"{tid} {line}" for line in server.incidents]
        return out

    # -- lifecycle ----------------------------------------------------------------
    async def start(self) -> int:
        self._server = await listen(self.handler, self.bind, self.port, self.ping_interval)
        self.port = self._server.sockets[0].getsockname()[1]
        for server in self.tables.values():
            await server.prime()
        return self.port

    async def stop(self) -> None:
        for server in self.tables.values():
            await server.stop()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    # -- a connection ---------------------------------------------------------------
    def _incident(self, peer: str, what: str, level: int = logging.WARNING) -> None:
        self.own_incidents.append(f"?@{peer}: {what}")
        log.log(level, "?@%s: %s", peer, what)

    async def _refuse(self, ws: ServerConnection, peer: str, what: str, message: str,
                      reason: str, about: str | None = None) -> None:
        self._incident(peer, what)
        broadcast([ws], error(message, about))
        await ws.close(1008, reason)

    async def handler(self, ws: ServerConnection) -> None:
        peer = "%s:%s" % tuple(ws.remote_address[:2]) if ws.remote_address else "?"
        try:
            raw = await asyncio.wait_for(ws.recv(), self.hello_timeout)
        except (TimeoutError, asyncio.TimeoutError):
            await self._refuse(ws, peer, "no hello in time", "say hello with your token first",
                               "no hello")
            return
        except ConnectionClosed:
            return
        try:
            msg = parse(raw)
        except ProtocolError as err:
            await self._refuse(ws, peer, f"bad hello: {err}", str(err), "bad hello")
            return
        if msg["type"] != "hello":
            await self._refuse(ws, peer, f"{msg['type']} before hello",
                               "say hello with your token first", "no hello")
            return
        token = msg["token"]
        if secrets.compare_digest(token.encode(), self.white_token.encode()):
            await self.white_session(ws, peer, token)
            return
        server = self.tables.get(table_of(token))
        if server is None:
            await self._refuse(ws, peer, "wrong token", "unknown token", "unknown token", "hello")
            return
        await server.session(Conn(ws, "?", "", peer), raw)

    # -- the class's white cell ----------------------------------------------------------
    async def white_session(self, ws: ServerConnection, peer: str, token: str) -> None:
        if self.white_live is not None:
            await self._refuse(ws, peer, "token of white already in use by a live connection",
                               "the token of white is in use by a live connection",
                               "token in use", "hello")
            return
        self.white_live = ws
        conns = {tid: Conn(ws, WHITE, token, peer) for tid in self.tables}
        first = next(iter(self.tables.values())).referee
        broadcast([ws], encode({"type": "welcome", "role": WHITE, "faction": None,
                                "tables": list(self.tables), "scenario": first.scenario.id,
                                "title": first.scenario.title}))
        try:
            for tid, server in self.tables.items():
                await server.attach(conns[tid])
            gate = Conn(ws, WHITE, token, peer)
            async for raw in ws:
                if not gate.allow(self.rate, self.burst):
                    self._incident(peer, "flood of messages from the white cell: closed")
                    broadcast([ws], error("too many messages: closing the connection"))
                    await ws.close(1008, "flood")
                    break
                try:
                    await self._white_request(ws, conns, raw)
                except ConnectionClosed:
                    raise
                except Exception as err:  # noqa: BLE001 - one request fails, the cell stays
                    self._incident(peer, f"white cell request failed ({err!r})", logging.ERROR)
                    broadcast([ws], error("the server could not handle that request"))
        except ConnectionClosed:
            pass
        except Exception as err:  # noqa: BLE001 - logged once, in one line
            self._incident(peer, f"white cell connection failed ({err!r})", logging.ERROR)
            await ws.close(1011, "server error")
        finally:
            for tid, server in self.tables.items():
                server.detach(conns[tid])
            if self.white_live is ws:
                self.white_live = None
        log.info("white@%s left", peer)

    def targets(self, kind: str, named: str | None) -> list[str]:
        """The tables a white-cell request names; :class:`ProtocolError` if unclear."""
        ids = list(self.tables)
        if named is None:
            if len(ids) == 1:
                return ids
            raise ProtocolError(f"{kind}: name the table ({ids[0]} to {ids[-1]}) or all")
        if named.strip() == "all":
            chosen = ids
        else:
            chosen = []
            for part in named.split(","):
                part = part.strip()
                if part not in self.tables:
                    raise ProtocolError(f"{kind}: no table {part[:20]!r} "
                                        f"(tables {ids[0]} to {ids[-1]})")
                if part not in chosen:
                    chosen.append(part)
        if kind in REVIEW and len(chosen) != 1:
            raise ProtocolError(f"{kind}: review one table at a time")
        return chosen

    async def _white_request(self, ws: ServerConnection, conns: dict[str, Conn],
                             raw: Any) -> None:
        ref = None
        try:
            msg = parse(raw)
            ref = msg.get("ref")
            kind = msg["type"]
            if kind not in WHITE_TYPES:
                raise ProtocolError(f"{kind} is not allowed for white")
            if kind == "ping":
                broadcast([ws], encode({"type": "pong", **({"ref": ref} if ref else {})}))
                return
            chosen = self.targets(kind, msg.get("table"))
        except ProtocolError as err:
            self._incident(conns[next(iter(conns))].peer, f"white cell: {err}", logging.INFO)
            broadcast([ws], error(str(err), None, ref))
            return
        refused, done = [], []
        for tid in chosen:
            reason = await self.tables[tid].perform(conns[tid], kind, msg)
            if reason is None:
                done.append(tid)
            else:
                refused.append(f"{tid}: {reason}")
        if refused:
            tail = f" (done at {', '.join(done)})" if done else ""
            broadcast([ws], error("; ".join(refused) + tail, kind, ref))
        else:
            broadcast([ws], encode({"type": "ack", "about": kind, "tables": done,
                                    **({"ref": ref} if ref is not None else {})}))


class LocalClass:
    """A class of tables on a free loopback port, its event loop in a daemon
    thread: for the window's tests, the screenshots and the benchmark.

    ``LocalClass(3, seats)`` plays seeds ``seed``, ``seed + 1``, …; with
    ``folder`` each table keeps its save there (``class-tN.json``) as
    ``host --tables`` does.  Use as a context manager."""

    def __init__(self, n: int, seats: str, seed: int = 1, turns: int | None = None,
                 folder: Any = None, **settings: Any) -> None:
        import threading
        from pathlib import Path

        from engine.game import Game
        from engine.net.journal import Journal
        from engine.net.protocol import SPECTATOR
        from engine.net.referee import Referee, Settings
        from engine.seats import format_seats, parse_seats
        from rules.scenario import IRAQ_2020 as scenario

        self.seats = parse_seats(seats, scenario.factions, default="human")
        self.white = f"{WHITE}.{secrets.token_urlsafe(16)}"
        self.tokens: dict[str, dict[str, str]] = {}
        self.journals: dict[str, Journal] = {}
        servers = {}
        for i, tid in enumerate(table_ids(n)):
            game = Game.new(scenario, seed + i, turns)
            path = Path(folder) / f"class-{tid}.json" if folder is not None else None
            journal = Journal.start(path, game, seed + i, format_seats(self.seats), "2020-01-03")
            ref = Referee(game, self.seats, seed + i, journal.append, Settings(**settings))
            roles = [f for f, s in self.seats.items() if s.human] + [SPECTATOR]
            tokens = {**table_tokens(tid, roles), WHITE: self.white}
            servers[tid] = Server(ref, tokens, ping_interval=None, journal=journal, table=tid)
            self.tokens[tid], self.journals[tid] = tokens, journal
        self.hub = Hub(servers, self.white, ping_interval=None)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="crossroads-class",
                                       daemon=True)
        self.url = ""

    def call(self, coro: Any, timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __enter__(self) -> "LocalClass":
        self.thread.start()
        self.url = f"ws://127.0.0.1:{self.call(self.hub.start())}"
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.call(self.hub.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)

    def referee(self, tid: str):
        return self.hub.tables[tid].referee
