"""The authoritative exercise server (asyncio + websockets).

One :class:`Server` serves one :class:`~engine.net.referee.Referee`.  Each
connection says ``hello`` with its token and becomes a faction's seat, the
white cell or a spectator; from then on it sends requests and receives a
``state`` frame after every change, built for its eyes by
:func:`engine.net.fog.frame` (the single choke point for what leaves).

Robustness, per connection:

* frames are limited to :data:`~engine.net.protocol.MAX_FRAME` bytes (a
  bigger one closes the connection, code 1009, as websockets does);
* every frame is checked by :func:`engine.net.protocol.parse`; a bad one
  gets a one-line ``error`` and is logged, the connection stays;
* a token bucket (:data:`RATE` a second, :data:`BURST` at once): a flood
  gets one error and the connection is closed (1008);
* a wrong token, a second hello, a token already held by a live connection
  (the second connection is refused: the live one keeps its seat; a closed
  or closing connection holds nothing, so a rejoin right after a clean close
  is accepted at once; a dropped one is noticed within the ping timeout) —
  error and close (1008);
* a connection is registered (sent states, holding its token) only once its
  welcome is sent, and forgotten in the handler's ``finally`` whatever
  happened; a send that fails for one connection is logged and the others
  still get theirs; a request that fails unexpectedly gets an error and the
  connection stays.  The spectator token is shared by any number of
  read-only connections.

Requests that change the game run one at a time under a lock, so every
other connection sees a consistent sequence of states.  Server-side bots
think in a worker thread.  The turn clock is a timer owned here; when it
runs out the referee plays the white cell's default.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from typing import Any, Callable

import attrs
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from engine.net import fog
from engine.net.protocol import (BURST, HELLO_TIMEOUT, MAX_FRAME, PLAYER_TYPES, RATE,
                                 SPECTATOR, SPECTATOR_TYPES, WHITE, WHITE_TYPES, ProtocolError,
                                 encode, error, parse)
from engine.net.referee import Referee, Refused

log = logging.getLogger("crossroads.net")


async def listen(handler: Callable[[ServerConnection], Any], bind: str, port: int,
                 ping_interval: float | None) -> Any:
    """The websocket listener with the exercise's limits (one server or a hub)."""
    return await serve(handler, bind, port, max_size=MAX_FRAME, compression=None,
                       ping_interval=ping_interval, ping_timeout=ping_interval,
                       max_queue=BURST, close_timeout=1.0,
                       logger=logging.getLogger("crossroads.net.ws"))


@attrs.define(eq=False)
class Conn:
    """One live connection and who it is."""

    ws: ServerConnection
    role: str            # a faction id, "white" or "spectator"
    token: str
    peer: str
    allowance: float = float(BURST)
    checked: float = attrs.field(factory=time.monotonic)

    def allow(self, rate: float, burst: float) -> bool:
        now = time.monotonic()
        self.allowance = min(burst, self.allowance + (now - self.checked) * rate)
        self.checked = now
        if self.allowance < 1:
            return False
        self.allowance -= 1
        return True


class Server:
    def __init__(self, referee: Referee, tokens: dict[str, str], *, bind: str = "127.0.0.1",
                 port: int = 0, on_change: Callable[[], None] | None = None,
                 hello_timeout: float = HELLO_TIMEOUT, rate: float = RATE,
                 burst: int = BURST, ping_interval: float | None = 5.0,
                 journal: Any = None, table: str | None = None) -> None:
        self.referee = referee
        self.table = table                  # this game's table id when one server runs several
        self.journal = journal              # flushed to disk after each change is published
        self.tokens = dict(tokens)          # role -> token
        self._roles = {token: role for role, token in self.tokens.items()}
        self.bind, self.port = bind, port
        self.on_change = on_change          # persist what the referee keeps (private file)
        self.hello_timeout, self.rate, self.burst = hello_timeout, rate, burst
        self.ping_interval = ping_interval
        self.conns: set[Conn] = set()
        self.live: dict[str, Conn] = {}     # token -> the connection holding it (not spectators)
        self.lock = asyncio.Lock()
        self.mark = len(referee.log)        # log lines already published
        self.published = -1                 # referee.version last published
        self.tap: Callable[[Conn, str], None] | None = None  # sees every frame sent (tests)
        self.incidents: list[str] = []
        self._server: Any = None
        self._clock: asyncio.Task | None = None
        self._clock_key: Any = None
        self._deadline: float | None = None
        self._saved = -1

    # -- lifecycle ----------------------------------------------------------------
    async def start(self) -> int:
        self._server = await listen(self.handler, self.bind, self.port, self.ping_interval)
        self.port = self._server.sockets[0].getsockname()[1]
        await self.prime()
        return self.port

    async def prime(self) -> None:
        """Let the game run on to the first point a person must act (bots,
        due injects); a :class:`~engine.net.hub.Hub` calls this for each table."""
        async with self.lock:
            await self.pump()

    async def stop(self) -> None:
        if self._clock is not None:
            self._clock.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def serve_forever(self) -> None:
        await self._server.serve_forever()

    # -- sending (everything about the game goes through fog.frame) ----------------
    def _send(self, conns: list[Conn], text: str) -> None:
        """Queue ``text`` to each connection; a failure on one (closed, its
        buffer full, the test tap raising) is logged and never stops the others."""
        for conn in conns:
            try:
                if self.tap is not None:
                    self.tap(conn, text)
                broadcast([conn.ws], text, raise_exceptions=True)
            except Exception as err:  # noqa: BLE001 - one bad connection, not the exercise
                self.incident(conn, f"could not send to it ({type(err).__name__})",
                              logging.INFO)

    def eyes_of(self, conn: Conn) -> str:
        if conn.role == SPECTATOR:
            show = self.referee.settings.show
            return fog.ALL if show == "all" else show
        return conn.role

    def _clock_extra(self) -> dict[str, Any]:
        left = None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
        out: dict[str, Any] = {"clock_left": None if left is None else round(left, 1)}
        if self.table is not None:
            out["table"] = self.table   # every frame about a game names its table
        return out

    def publish(self) -> None:
        """Send every connection the state for its eyes and the new log lines."""
        ref = self.referee
        if ref.version == self.published and self.mark == len(ref.log):
            return
        lines = ref.log[self.mark:]
        self.mark, self.published = len(ref.log), ref.version
        groups: dict[str, list[Conn]] = {}
        for conn in self.conns:
            groups.setdefault(self.eyes_of(conn), []).append(conn)
        extra = self._clock_extra()
        for eyes, conns in groups.items():
            try:
                text = encode(fog.frame(ref, eyes, lines, extra=extra))
            except Exception as err:  # noqa: BLE001 - the other eyes still get theirs
                self.incident(None, f"could not build the state for {eyes} ({err!r})",
                              logging.ERROR)
                continue
            self._send(conns, text)

    def _reply(self, conn: Conn, payload: dict[str, Any]) -> None:
        self._send([conn], encode(payload))

    def _error(self, conn: Conn, message: str, about: str | None = None,
               ref: str | None = None) -> None:
        self._send([conn], error(message, about, ref))

    def incident(self, conn: Conn | None, what: str, level: int = logging.WARNING) -> None:
        who = f"{conn.role}@{conn.peer}" if conn else "?"
        self.incidents.append(f"{who}: {what}")
        log.log(level, "%s: %s", who, what)

    # -- a connection ---------------------------------------------------------------
    async def handler(self, ws: ServerConnection) -> None:
        """Serve one connection: its hello, then :meth:`session`."""
        peer = "%s:%s" % tuple(ws.remote_address[:2]) if ws.remote_address else "?"
        anon = Conn(ws, "?", "", peer)
        try:
            raw = await asyncio.wait_for(ws.recv(), self.hello_timeout)
        except (TimeoutError, asyncio.TimeoutError):
            self.incident(anon, "no hello in time")
            self._error(anon, "say hello with your token first")
            await ws.close(1008, "no hello")
            return
        except ConnectionClosed:
            return
        await self.session(anon, raw)

    async def session(self, anon: Conn, raw: Any) -> None:
        """A connection from its ``hello`` frame on (a hub hands it over here).
        It is registered (sent states, holding its token) only once its
        welcome was sent, and whatever happens while it is served, the
        ``finally`` leaves nothing of it behind."""
        ws = anon.ws
        conn: Conn | None = None
        try:
            conn = await self._hello(anon, raw)
            if conn is None:
                return
            async for raw in ws:
                if not conn.allow(self.rate, self.burst):
                    self.incident(conn, "flood of messages: connection closed")
                    self._error(conn, "too many messages: closing the connection")
                    await ws.close(1008, "flood")
                    break
                try:
                    await self._request(conn, raw)
                except ConnectionClosed:
                    raise
                except Exception as err:  # noqa: BLE001 - one request fails, the seat stays
                    self.incident(conn, f"request failed ({err!r})", logging.ERROR)
                    self._error(conn, "the server could not handle that request")
        except ConnectionClosed:
            pass  # how it closed is logged below
        except Exception as err:  # noqa: BLE001 - logged once, in one line
            self.incident(conn or anon, f"connection failed ({err!r})", logging.ERROR)
            await ws.close(1011, "server error")
        finally:
            if conn is not None:
                self._forget(conn)
                code = ws.close_code
                close_sent = ws.protocol.close_sent
                if code == 1009 or close_sent is not None and close_sent.code == 1009:
                    self.incident(conn, "frame too large: connection closed")
                elif code not in (1000, 1001, 1008, None):
                    self.incident(conn, f"connection lost (code {code})", logging.INFO)

    def _forget(self, conn: Conn) -> None:
        self.conns.discard(conn)
        if self.live.get(conn.token) is conn:
            del self.live[conn.token]

    def _holder(self, token: str) -> Conn | None:
        """The live connection holding ``token``; one already closing (a clean
        close whose handler still waits for the lock) no longer holds it."""
        holder = self.live.get(token)
        if holder is not None and holder.ws.state is not State.OPEN:
            self._forget(holder)
            return None
        return holder

    async def _hello(self, anon: Conn, raw: Any) -> Conn | None:
        ws = anon.ws
        try:
            msg = parse(raw)
        except ProtocolError as err:
            self.incident(anon, f"bad hello: {err}")
            self._error(anon, str(err))
            await ws.close(1008, "bad hello")
            return None
        if msg["type"] != "hello":
            self.incident(anon, f"{msg['type']} before hello")
            self._error(anon, "say hello with your token first")
            await ws.close(1008, "no hello")
            return None
        role = None
        given = msg["token"].encode("utf-8")  # parse() let no unencodable text through
        for token, who in self._roles.items():
            if secrets.compare_digest(token.encode("utf-8"), given):
                role = who
        if role is None:
            self.incident(anon, "wrong token")
            self._error(anon, "unknown token", "hello")
            await ws.close(1008, "unknown token")
            return None
        token = msg["token"]
        conn = Conn(ws, role, token, anon.peer)
        async with self.lock:
            if role != SPECTATOR and self._holder(token) is not None:
                refused = f"the token of {role} is in use by a live connection"
            else:
                refused = None
                self.publish()  # nothing pending: the welcome and later frames line up
                ref = self.referee
                extra = {"role": "seat" if role in ref.scenario.factions else role,
                         "faction": role if role in ref.scenario.factions else None,
                         "scenario": ref.scenario.id, "title": ref.scenario.title,
                         **self._clock_extra()}
                welcome = encode(fog.frame(ref, self.eyes_of(conn), ref.log[:self.mark],
                                           "welcome", extra))
                try:
                    if self.tap is not None:
                        self.tap(conn, welcome)
                    broadcast([ws], welcome, raise_exceptions=True)  # queued, never blocks
                except Exception as err:  # noqa: BLE001 - gone, or failing: not seated
                    self.incident(conn, f"could not welcome it ({type(err).__name__})",
                                  logging.INFO)
                    await ws.close(1011, "welcome failed")
                    return None
                # Registered only now, the welcome sent, still under the lock.
                self.conns.add(conn)
                if role != SPECTATOR:
                    self.live[token] = conn
        if refused is not None:
            self.incident(anon, f"token of {role} already in use by a live connection")
            self._error(anon, refused, "hello")
            await ws.close(1008, "token in use")
            return None
        log.info("%s@%s joined", role, anon.peer)
        return conn

    async def attach(self, conn: Conn) -> None:
        """Add a connection a hub admitted (the class's white cell): it is sent
        this table's whole visible log now and every frame after."""
        async with self.lock:
            self.publish()
            self.conns.add(conn)
            ref = self.referee
            extra = {"role": conn.role, "faction": None, "scenario": ref.scenario.id,
                     "title": ref.scenario.title, **self._clock_extra()}
            self._send([conn], encode(fog.frame(ref, self.eyes_of(conn), ref.log[:self.mark],
                                                "state", extra)))

    def detach(self, conn: Conn) -> None:
        self.conns.discard(conn)

    async def _request(self, conn: Conn, raw: Any) -> None:
        try:
            msg = parse(raw)
        except ProtocolError as err:
            self.incident(conn, f"bad frame: {err}")
            self._error(conn, str(err))
            return
        kind = msg["type"]
        ref = msg.get("ref")
        allowed = (WHITE_TYPES if conn.role == WHITE else
                   SPECTATOR_TYPES if conn.role == SPECTATOR else PLAYER_TYPES)
        if kind not in allowed:
            self.incident(conn, f"{kind} is not allowed for {conn.role}")
            self._error(conn, f"{kind} is not allowed for "
                              f"{'a seat' if conn.role not in (WHITE, SPECTATOR) else conn.role}",
                        kind, ref)
            return
        if kind == "ping":
            self._reply(conn, {"type": "pong", **({"ref": ref} if ref else {})})
            return
        if msg.get("table") not in (None, "all", self.table or "t1"):
            self._error(conn, f"no table {msg['table']!r} here", kind, ref)
            return
        await self.perform(conn, kind, msg, reply=True)

    async def perform(self, conn: Conn, kind: str, msg: dict[str, Any],
                      reply: bool = False) -> str | None:
        """Carry out a checked request under the lock; the refusal, or None."""
        ref = msg.get("ref")
        async with self.lock:
            refused = None
            try:
                self._dispatch(conn, kind, msg)
            except Refused as err:
                level = logging.WARNING if "cannot move for" in str(err) else logging.INFO
                self.incident(conn, f"{kind} refused: {err}", level)
                refused = str(err)
                if reply:
                    self._error(conn, refused, kind, ref)
            else:
                if reply:
                    self._reply(conn, {"type": "ack", "about": kind,
                                       **({"ref": ref} if ref is not None else {})})
            await self.pump()
        return refused

    def _dispatch(self, conn: Conn, kind: str, msg: dict[str, Any]) -> None:
        ref = self.referee
        if kind == "move":
            ref.move(conn.role, msg["move"], msg.get("ref"), msg.get("at"))
        elif kind == "seal":
            ref.seal(conn.role, msg["moves"], msg.get("ref"))
        elif kind == "pause":
            ref.pause()
        elif kind == "resume":
            ref.resume()
        elif kind == "clock":
            ref.set_clock(msg["seconds"], msg.get("default", "pass"))
            self._clock_key = None  # re-arm with the new setting
        elif kind == "inject":
            ref.inject(msg.get("card"), msg.get("text", ""), msg.get("effects", {}),
                       msg.get("turn"))
        elif kind == "review":
            ref.set_review(msg["on"])
        elif kind == "approve":
            ref.approve(msg.get("rationale", ""))
        elif kind == "override":
            ref.override(msg["tier"], msg["rationale"])
        elif kind == "ruling":
            ref.ruling(msg["values"], msg["rationale"])
        elif kind == "sealed":
            ref.set_sealed(msg["on"])
        elif kind == "show":
            ref.show(msg["spectators"])
        else:  # pragma: no cover - parse() knows every type
            raise Refused(f"unknown request {kind}")

    # -- the game runs on -------------------------------------------------------------
    async def pump(self) -> None:
        """Publish, then let bots and due injects play until a person must act.

        Called with the lock held."""
        ref = self.referee
        self.publish()
        for _ in range(10_000):
            need = ref.advance()
            self.publish()
            if need is None:
                break
            kind, factions = need
            for faction in factions:
                sealed = kind == "seal-bots"
                at = ref.game.ctx.moves
                bot, decision, rng = ref.decision(faction, sealed)
                try:
                    if sealed:
                        moves = [(await asyncio.to_thread(bot.choose, decision, rng)).move
                                 for _ in range(max(1, ref.capacity(faction)))]
                        ref.bot_seal(faction, moves)
                    else:
                        choice = await asyncio.to_thread(bot.choose, decision, rng)
                        ref.bot_move(faction, choice.move, at)
                except Exception as err:  # a bot must fail loudly, the exercise must go on
                    self.incident(None, f"the bot of {faction} failed ({err!r}): it passes",
                                  logging.ERROR)
                    if sealed:
                        ref.bot_seal(faction, [ref.default_move(faction, "pass")])
                    else:
                        ref.bot_move(faction, ref.default_move(faction, "pass"), at)
            self.publish()
        if self.on_change is not None and ref.private_version != self._saved:
            self._saved = ref.private_version
            self.on_change()
        if self.journal is not None:
            self.journal.flush()  # after the players were sent the state
        self._arm_clock()

    def _arm_clock(self) -> None:
        ref = self.referee
        ctx = ref.game.ctx
        waiting = tuple(f for f in ref.waiting_for() if not ref.is_bot(f))
        seconds = ref.settings.clock
        key = (ctx.moves, ctx.phase, ctx.turn, ref.settings.sealed, seconds, waiting
               if not ref.settings.sealed else ())
        if key == self._clock_key and self._clock is not None and not self._clock.done():
            return
        if self._clock is not None:
            self._clock.cancel()
            self._clock = None
        self._clock_key = key
        self._deadline = None
        if seconds and waiting:
            self._deadline = time.monotonic() + seconds
            self._clock = asyncio.get_running_loop().create_task(self._expire(key, seconds))

    async def _expire(self, key: Any, seconds: float) -> None:
        await asyncio.sleep(seconds)
        async with self.lock:
            if key != self._clock_key:
                return
            self._clock_key = None
            self._clock = None
            self._deadline = None
            self.incident(None, "the clock ran out", logging.INFO)
            self.referee.timeout()
            await self.pump()
