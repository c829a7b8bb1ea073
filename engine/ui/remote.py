"""The window as a network client: one seat of an exercise, played against the server.

Everything drawn comes from the frames the server sends this seat (its view,
its log lines, its legal moves); there is no local true state.  The asyncio
client (engine/net/client.py) runs in a background thread with its own event
loop; frames and one-line errors reach the drawing loop through a
thread-safe queue, and moves go the other way with
``asyncio.run_coroutine_threadsafe``, so the window never waits on the
network.  When the connection drops, the thread reconnects with the same
token (an unacknowledged move is sent again by the client, never played
twice).  The move preview is computed on the view the frame gives.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any

import pygame

from engine.display import Display
from engine.game import Game
from engine.moves import Move, Preview
from engine.net.client import Client, JoinError, JoinRefused, MoveRefused, in_words, view_of
from engine.ui import theme
from engine.ui.paint import panel, resolution_block, text_block
from engine.ui.play import SPEEDS, GameScreen
from engine.ui.widgets import Button

RETRY = (0.5, 1.0, 2.0, 4.0)   # seconds between reconnection attempts (the last repeats)
PACES = (1, 3)                 # the seat's paces: SPEEDS' "normal" and "instant"


class NetLink:
    """The client's event loop in a daemon thread; :meth:`drain` hands its news over.

    Messages on the queue: ``("state", frame, log_lines)``, ``("status", what, detail)``
    with what in connected / reconnecting / closed, and ``("error", line)``.
    """

    def __init__(self, client: Client, retry: tuple[float, ...] = RETRY) -> None:
        self.client = client
        self.retry = retry
        self.inbox: queue.Queue = queue.Queue()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="crossroads-net", daemon=True)
        self.stopping = False
        self._pump: Any = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def start(self, timeout: float = 15.0) -> dict[str, Any]:
        """Connect (in the thread) and start relaying; :class:`JoinError` if refused."""
        self.thread.start()
        try:
            welcome = asyncio.run_coroutine_threadsafe(self.client.connect(), self.loop) \
                .result(timeout)
        except TimeoutError:
            self.stop()
            raise JoinError(f"no answer from {self.client.url}") from None
        except BaseException:
            self.stop()
            raise
        self._pump = asyncio.run_coroutine_threadsafe(self._relay(), self.loop)
        return welcome

    # -- the thread's side ------------------------------------------------------------
    async def _relay(self) -> None:
        try:
            await self._relay_frames()
        except Exception as err:  # never silently: the window says the link is gone
            self.inbox.put(("status", "closed", str(err).splitlines()[0] if str(err) else repr(err)))

    async def _relay_frames(self) -> None:
        c = self.client
        seen_state: Any = None
        seen_log = -1
        seen_errors = 0
        while not self.stopping:
            c._changed.clear()
            if c.state is not seen_state or len(c.log) != seen_log:
                seen_state, seen_log = c.state, len(c.log)
                self.inbox.put(("state", c.state, list(c.log)))
            while seen_errors < len(c.errors):
                self.inbox.put(("error", str(c.errors[seen_errors].get("message", "error"))))
                seen_errors += 1
            if c.closed.is_set():
                if self.stopping:
                    return
                await self._reconnect()
                continue
            await c._changed.wait()

    async def _reconnect(self) -> None:
        attempt = 0
        detail = "the connection to the server was lost"
        while not self.stopping:
            self.inbox.put(("status", "reconnecting", detail))
            try:
                await self.client.reconnect()
            except Exception as err:  # refused, unreachable, dropped during the hello...
                detail = str(err).splitlines()[0] if str(err) else "cannot reach the server"
            else:
                self.inbox.put(("status", "connected", ""))
                return
            await asyncio.sleep(self.retry[min(attempt, len(self.retry) - 1)])
            attempt += 1

    def _send(self, coro, what: str) -> None:
        def done(fut) -> None:
            if fut.cancelled():
                return
            err = fut.exception()
            if err is None:
                self.inbox.put(("sent", what))
            elif isinstance(err, MoveRefused):
                self.inbox.put(("refused", f"Refused: {err}"))
            elif isinstance(err, (asyncio.TimeoutError, TimeoutError)):
                self.inbox.put(("refused", "No answer from the server: the move may be "
                                           "sent again when the connection is back"))
            else:
                self.inbox.put(("refused", f"Not sent: {str(err).splitlines()[0] if str(err) else err!r}"))
        asyncio.run_coroutine_threadsafe(coro, self.loop).add_done_callback(done)

    # -- the drawing loop's side ------------------------------------------------------
    def move(self, text: str, at: int | None) -> None:
        self._send(self.client.move(text, at=at), text)

    def seal(self, moves: list[str]) -> None:
        self._send(self.client.seal(moves), " ".join(moves))

    def request(self, kind: str, **fields: Any) -> None:
        """A white-cell request (engine/ui/dashboard.py)."""
        self._send(self.client.request(kind, **fields), kind)

    def drain(self, limit: int = 200) -> list[tuple]:
        out = []
        while len(out) < limit:
            try:
                out.append(self.inbox.get_nowait())
            except queue.Empty:
                break
        return out

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        self.stopping = True

        async def close() -> None:
            try:
                await self.client.close()
            except Exception:  # closing a dead connection: nothing to tell
                pass
        try:
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(3)
        except Exception:
            pass
        if self._pump is not None:
            self._pump.cancel()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(3)


class RemoteSession:
    """What the game screen reads, built only from this seat's frames."""

    undo_allowed = False
    save_error = ""
    last_autosave = None
    saved_turn = 0
    source = ""
    seed = 0

    def __init__(self, scenario, faction: str | None, role: str | None) -> None:
        self.scenario = scenario
        self.presentation = scenario.presentation()
        self.faction = faction
        self.role = role
        self.viewer = faction
        self.seats: dict = {}
        self.state: dict[str, Any] = {}
        self.lines: list[str] = []
        self.game: Game | None = None
        self.version = 0
        self._legal: list[Move] = []
        self._display: tuple[int, str | None, Display] | None = None
        self._named: dict[str, str] = {}
        self.trail: list[dict[str, int]] = []   # the seat's scores after each frame (sparklines)
        self.entries: list = []                 # GameScreen's summaries and Why? read these:
        self.states: list = []                  # an exercise seat has neither (the server narrates)
        self.why: dict = {}

    def take(self, state: dict[str, Any], lines: list[str]) -> None:
        before = self.game
        self.lines = [self.name_line(line, before) for line in lines]
        self.state = state
        self.game = Game(self.scenario, view_of(self.scenario, state)) if "board" in state else None
        self._legal = [Move.parse(m) for m in state.get("legal") or ()] \
            if "outcome" not in state else []
        self.version += 1
        if self.game is not None:
            totals = {f: sc.total for f, sc in self.scores(self.faction).items()}
            if not self.trail or self.trail[-1] != totals:
                self.trail.append(totals)

    def name_line(self, line: str, before: Game | None) -> str:
        """``T3 us:elections`` as ``T3 United States: <what it does>`` (read on the
        view before the move when the frame before it is at hand)."""
        named = self._named.get(line)
        if named is not None:
            return named
        named = in_words(self.scenario, line, before)
        if len(self._named) > 5000:
            self._named.clear()
        self._named[line] = named
        return named

    # -- read by GameScreen ---------------------------------------------------------
    @property
    def active(self) -> str | None:
        return self.game.active_faction if self.game is not None else None

    def sealed(self) -> bool:
        return bool(self.state.get("mode", {}).get("sealed"))

    def human_to_move(self) -> bool:
        return bool(self._legal)

    def hotseat(self) -> bool:
        return False

    def name(self, faction: str | None) -> str:
        return self.scenario.faction_names.get(faction, "White cell") if faction else "White cell"

    def display(self, faction: str | None) -> Display:
        cached = self._display
        if cached and cached[0] == self.version and cached[1] == faction:
            return cached[2]
        shown = self.presentation.display(self.game.board, faction)
        self._display = (self.version, faction, shown)
        return shown

    def legal(self) -> list[Move]:
        return list(self._legal)

    def scores(self, faction: str | None) -> dict:
        """Every faction's score on this seat's view (what it can see)."""
        game = self.game
        return game.scenario.score(game.board, game.ctx.termination)

    def score_trail(self, faction: str | None) -> list[dict[str, int]]:
        return self.trail

    def explain(self, move: Move) -> Preview:
        return self.game.explain(move)   # on the view: only what the seat may know

    def log_lines(self, faction: str | None) -> list[tuple[str, int]]:
        return [(line, i) for i, line in enumerate(self.lines)]

    def can_undo(self) -> bool:
        return False

    def close(self) -> None: ...

    def checkpoint_if_needed(self) -> None: ...


def waiting_words(session: RemoteSession, awaiting: str) -> str:
    """The server's ``awaiting`` with faction ids named."""
    names = session.scenario.faction_names
    if awaiting.endswith(" to act"):
        who = awaiting[:-len(" to act")]
        return f"waiting for the {names.get(who, who)}"
    if awaiting.startswith("sealed orders from "):
        ids = awaiting[len("sealed orders from "):].split(", ")
        return "waiting for sealed orders: " + ", ".join(names.get(i, i) for i in ids)
    return awaiting


class RemoteScreen(GameScreen):
    """The game screen of one seat of an exercise (see the module's docstring)."""

    def __init__(self, app, link: NetLink, session: RemoteSession) -> None:
        self.link = link
        self.connection = "connected"
        self.connection_detail = ""
        self.reconnections = 0              # times the connection was lost (and sought again)
        self.sent: str | None = None        # the move sent, until the server's next frame
        self.sent_at: tuple | None = None
        self.mark = 0                       # log lines before our last move
        self.news: list[str] = []           # the lines of the latest frame that had any
        self.mine = False                   # ``news`` follow our own move
        # Call-outs and turn summaries (engine/ui/news.py), read from this seat's frames
        # only: its view before and after, and the log lines it was sent.
        self.moments: list[tuple[str, list[str]]] = []   # found in frames not yet shown
        self.last_mine: tuple[int, dict[str, int]] | None = None  # log length, scores before our move
        self._was_my_turn = False
        super().__init__(app, session)
        # The pace, as in the solo window (SPEEDS): "normal" stops for call-outs and summaries,
        # "instant" never stops; the server sets how fast its bots move.  ``stops`` overrides it.
        self.stops = None
        self.pace = Button("Pace: normal", self.cycle_speed, "+ / \u2212",
                           "Pace: normal stops the window for the moments that change the game and "
                           "sums up the others' moves when your turn comes back; instant never stops. "
                           "The server sets how fast the AI moves.")
        self.bar = [
            self.pace,
            Button("Help", lambda: setattr(app, "show_help", True), "F1", "Keyboard shortcuts."),
            Button("Leave", self.to_menu, "F10", "Leave the exercise (join again with the same "
                                                 "token to come back)."),
        ]

    # -- who is looking ---------------------------------------------------------------
    def viewer(self) -> str | None:
        return self.session.faction

    def my_turn(self) -> bool:
        s = self.session
        return s.game is not None and s.human_to_move() and self.sent is None \
            and self.connection == "connected"

    def point(self) -> tuple:
        st = self.session.state
        c = st.get("ctx", {})
        return (c.get("moves"), c.get("turn"), c.get("phase"), tuple(st.get("orders") or ()),
                bool(st.get("mode", {}).get("sealed")))

    # -- the network's news -------------------------------------------------------------
    def update(self, dt: float) -> None:
        s = self.session
        for msg in self.link.drain():
            kind = msg[0]
            if kind == "state":
                before = len(s.lines)
                seen = s.game
                s.take(msg[1], msg[2])
                lines = s.lines
                if seen is not None and s.game is not None and len(lines) > before:
                    # the moments between two views of this seat, from the lines it was sent
                    self.moments += s.scenario.moments(seen.board, s.game.board, tuple(lines[before:]))
                if len(lines) > before and s.version > 1:  # the welcome's log is in the log panel
                    self.news = lines[before:]
                    self.mine = self.sent is not None or (self.mine and self.sent_at is not None)
                if self.sent is not None and self.point() != self.sent_at:
                    self.news = lines[self.mark:] if len(lines) > self.mark else self.news
                    self.mine = True
                    self.sent = None
                    self.sent_at = None
                self._left_key = None
            elif kind == "status":
                if msg[1] == "reconnecting" and self.connection == "connected":
                    self.reconnections += 1
                self.connection, self.connection_detail = msg[1], msg[2]
                if msg[1] == "connected":
                    self.flash("Connected again.")
            elif kind == "error":
                self.flash(msg[1], 6.0)
            elif kind == "refused":
                self.sent = None
                self.sent_at = None
                self.flash(msg[1], 6.0)
        if s.game is not None:
            self.refresh()
            self.tell_news()

    # -- call-outs and summaries, from this seat's frames -------------------------------
    def tell_news(self) -> None:
        """Stop for the moments the frames brought (a vote's result, a new government...),
        and greet the seat's turn with what happened since its last move."""
        from engine.ui.news import NewsScreen, callout_rows
        found, self.moments = self.moments, []
        mine = self.my_turn()
        due, self._was_my_turn = mine and not self._was_my_turn, mine
        if not self.stopping():
            return
        if found:
            top = self.app.top
            if isinstance(top, NewsScreen) and top.live is self and top.kind == "callout":
                top.add(callout_rows(found, "Then: "))
            else:
                self.callouts_shown.append(found[0][0])
                self.app.push(NewsScreen(self.app, "callout", found[0][0], callout_rows(found),
                                         live=self))
        if due:
            self.summarise()

    def summarise(self) -> None:
        from engine.ui.news import NewsScreen, line_rows, score_rows
        s = self.session
        if self.last_mine is None or s.faction is None:
            return   # the first turn: nothing of ours to measure from
        start, old = self.last_mine
        lines = s.lines[start:]
        me = f" {s.name(s.faction)}:"
        # our own move's lines first (the resolution panel showed them), then the others'
        skip = next((i for i, line in enumerate(lines) if line.startswith("T") and me in line), None)
        if skip is not None:
            skip += 1
            while skip < len(lines) and lines[skip].startswith("  "):
                skip += 1
            lines = lines[skip:]
        if not any(line.startswith("T") and ":" in line and me not in line for line in lines):
            return   # nobody else moved
        rows = line_rows(lines)
        if s.trail:
            rows += score_rows(s.scenario, old, s.trail[-1])
        title = f"Turn {s.game.ctx.turn} \u2014 your move, {s.name(s.faction)}"
        self.summaries_shown += 1
        top = self.app.top
        if isinstance(top, NewsScreen) and top.live is self:
            top.add([(title, "header", None)] + rows)
            return
        self.app.push(NewsScreen(self.app, "summary", title, rows,
                                 s.scenario.factions.index(s.faction), live=self))

    def refresh(self) -> None:
        key = (self.session.version, self.sent, self.connection, self.filter)
        if key == getattr(self, "_remote_seen", None):
            return
        self._remote_seen = key
        self._seen = -1
        super().refresh()
        if not self._legal:
            self.moves.set_rows([(self.waiting_text(), "dim", None)], {})

    def waiting_text(self) -> str:
        s = self.session
        st = s.state
        if "outcome" in st:
            return "The game is over."
        if self.connection == "reconnecting":
            return "Reconnecting to the server\u2026"
        if self.connection != "connected":
            return "Disconnected from the server."
        if self.sent is not None:
            return f"Sent {self.sent}: waiting for the server\u2026"
        awaiting = st.get("awaiting") or ""
        if "paused" in awaiting:
            return "The white cell has paused the game."
        return (waiting_words(s, awaiting) or "waiting for the other seats").capitalize() + "\u2026"

    def status_text(self) -> tuple[str, tuple[int, int, int]]:
        """The connection and what the game waits for, in words, and a colour."""
        st = self.session.state
        if self.connection == "reconnecting":
            return "Reconnecting\u2026 (" + self.connection_detail + ")", theme.ORANGE
        if self.connection != "connected":
            return f"Disconnected ({self.connection_detail}): leave and join again", theme.ORANGE
        if "outcome" in st:
            return "Connected \u00b7 game over", theme.MUTED
        awaiting = st.get("awaiting") or ""
        if "paused" in awaiting:
            return "Connected \u00b7 paused by the white cell", theme.YELLOW
        if self.sent is not None:
            return "Connected \u00b7 move sent, waiting for the server", theme.MUTED
        clock = st.get("clock_left")
        tail = f" \u00b7 clock {int(clock)} s" if clock is not None else ""
        if self.my_turn():
            return f"Connected \u00b7 your move{tail}", theme.GREEN
        return f"Connected \u00b7 {waiting_words(self.session, awaiting) or 'waiting'}{tail}", \
            theme.MUTED

    # -- actions ------------------------------------------------------------------------
    def play_selected(self) -> None:
        move = self.selected
        s = self.session
        if move is None or not self.my_turn():
            return
        self.clear_selection()
        self.filter = None
        self.sent = str(move)
        self.sent_at = self.point()
        self.mark = len(s.lines)
        self.last_mine = (len(s.lines), dict(s.trail[-1]) if s.trail else {})
        self._was_my_turn = False   # the turn coming back is news, even in the same batch of frames
        if s.sealed():
            self.link.seal([str(move)])
        else:
            self.link.move(str(move), s.state["ctx"]["moves"])

    def toggle_pause(self) -> None:
        self.flash("Only the white cell pauses an exercise.")

    def toggle_why(self) -> None: ...

    def cycle_speed(self, delta: int | None = None) -> None:
        """+ goes to "instant", \u2212 back to "normal"; the button toggles."""
        normal, instant = PACES
        if delta is None:
            self.speed = instant if self.speed != instant else normal
        else:
            self.speed = instant if delta > 0 else normal
        self.pace.label = f"Pace: {SPEEDS[self.speed][0]}"
        self.pace.active = self.speed == instant

    def stopping(self) -> bool:
        """Whether news stops the window: the pace (the test speed does not turn it off)."""
        if self.stops is not None:
            return self.stops
        return SPEEDS[self.speed][1] > 0

    def undo(self) -> None:
        self.flash("Undo is off in exercises.")

    def save(self) -> None:
        self.flash("The server keeps the exercise's save.")

    def load(self) -> None:
        self.flash("The server keeps the exercise's save.")

    def to_menu(self) -> None:
        self.app.quit(0)

    def closed(self) -> None:
        self.link.stop()

    def help_lines(self):
        return [("\u2191 \u2193", "choose a move in the list"),
                ("Enter", "preview the first move / send the previewed move to the server"),
                ("Esc", "cancel the preview, then clear the map filter"),
                ("click a space", "show only the moves that act there (click again: all)"),
                ("+  \u2212", "pace: instant (no call-outs or summaries) / normal"),
                ("PgUp PgDn, wheel", "scroll the log"),
                ("F10", "leave the exercise")]

    def tip_at(self, pos) -> str:
        if self.session.game is None:
            return "".join(b.tip_at(pos) for b in self.bar)
        return super().tip_at(pos)

    # -- drawing ------------------------------------------------------------------------
    def draw(self, surface) -> None:
        if self.session.game is None:
            surface.fill(theme.BG)
            self.draw_bare(surface)
            return
        super().draw(surface)

    def draw_bare(self, surface) -> None:
        fonts = self.app.fonts
        pygame.draw.rect(surface, theme.PANEL, self.top_rect)
        text, colour = self.status_text()
        t = fonts.text(text, 14, colour, True)
        surface.blit(t, (12, (self.top_h - t.get_height()) // 2))
        for b in self.bar:
            b.draw(surface, fonts)
        w, h = surface.get_size()
        t = fonts.text("The white cell shows nothing now.", 20, theme.MUTED)
        surface.blit(t, t.get_rect(center=(w // 2, h // 2)))

    def draw_top(self, surface, display) -> None:
        fonts = self.app.fonts
        s = self.session
        ctx = s.game.ctx
        pygame.draw.rect(surface, theme.PANEL, self.top_rect)
        pygame.draw.line(surface, theme.LINE, (0, self.top_h - 1), (self.top_rect.w, self.top_h - 1))
        who = s.name(s.faction) if s.faction else (s.role or "spectator").capitalize()
        head = f"{who} \u00b7 Turn {ctx.turn} of {ctx.last_turn} \u00b7 {display.when}"
        t = fonts.text(fonts.fit(head, self.top_rect.w * 45 // 100, 16, True), 16, theme.TEXT, True)
        surface.blit(t, (12, (self.top_h - t.get_height()) // 2))
        x = 24 + t.get_width()
        text, colour = self.status_text()
        dot = (x + 6, self.top_h // 2)
        pygame.draw.circle(surface, colour, dot, 5)
        limit = self.bar[0].rect.x - x - 24
        if limit > 40:
            st = fonts.text(fonts.fit(text, limit, 13), 13, colour)
            surface.blit(st, (x + 16, (self.top_h - st.get_height()) // 2))
        for b in self.bar:
            b.draw(surface, fonts)

    def draw_result(self, surface, rect) -> None:
        fonts = self.app.fonts
        s = self.session
        outcome = s.state.get("outcome")
        if outcome is not None:
            y = panel(surface, rect, "Game over", fonts)
            out = [(outcome["description"], (theme.TEXT, True)),
                   ("Winner: " + ", ".join(s.name(w) for w in outcome["winners"]), theme.ACCENT)]
            for faction, score in outcome["scores"].items():
                out.append((f"{s.name(faction)}: {score['total']}", theme.TEXT))
            text_block(surface, fonts, out, rect, y, 13)
            return
        lines = self.news
        if not lines:
            y = panel(surface, rect, "Resolution", fonts)
            hint = ("Choose a move in the list above; the preview shows the cost, the odds and "
                    "every modifier as your side sees them. Confirm sends it to the server."
                    if self.my_turn() else "The server's news appear here as they come.")
            text_block(surface, fonts, [(hint, theme.MUTED)], rect, y, 13)
            return
        y = panel(surface, rect, "Resolution \u2014 your move" if self.mine else "Latest news", fonts)
        y, out = resolution_block(surface, fonts, rect, y, lines)
        text_block(surface, fonts, out, rect, y, 13)


def open_remote(client: Client, size: tuple[int, int] | None = None, scenario=None, **options):
    """Connect ``client`` (in the network thread) and open the window on its seat.

    :class:`JoinError` if the server refuses; returns the :class:`App`
    (tests step it; :func:`engine.ui.app.run_remote` runs it); ``options`` go to the
    App (the screenshots' ``bot_delay=0.0, inline_bots=True``)."""
    from engine.ui.app import DEFAULT_SIZE, App, WindowError
    if scenario is None:
        from rules.scenario import IRAQ_2020 as scenario
    link = NetLink(client)
    welcome = link.start(2 * client.open_timeout + 5)
    if welcome.get("scenario") not in (None, scenario.id):
        link.stop()
        raise JoinRefused(f"this exercise plays {welcome.get('scenario')!r}, "
                        f"not {scenario.id!r}")
    try:
        app = App(size or DEFAULT_SIZE, scenario=scenario, autosave=False, **options)
    except pygame.error as err:
        link.stop()
        pygame.quit()
        raise WindowError(f"cannot open the game window ({err})") from None
    pygame.display.set_caption(f"Crossroads \u2014 exercise at {client.url} \u2014 "
                               f"{scenario.faction_names.get(client.faction, client.role or '')}")
    session = RemoteSession(scenario, client.faction, client.role)
    if client.role == "white":  # the facilitator's dashboard, one table or a class
        from engine.ui.dashboard import DashboardScreen
        screen = DashboardScreen(app, link, scenario)
    else:
        screen = RemoteScreen(app, link, session)
    app.replace(screen)
    screen.update(0.0)
    return app
