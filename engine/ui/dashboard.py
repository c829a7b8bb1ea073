"""The white cell's window: every table at a glance, one in full, the controls.

``join URL --token WHITE`` opens this screen instead of a seat's map.  On a
class (``host --tables N``) it shows every table; on a single exercise, its
one table.  Everything drawn comes from the white cell's frames (each table's
true state: the white cell sees everything); every control is a request to
the server, which logs it in that table's save with its rationale, exactly
as the console's commands (``join --headless``) are.

* Left, one card per table: turn and month, who is to act and for how long,
  the scores as they stand, and alerts — a result held for review, a pause,
  a withdrawal motion, an attack that harmed US persons.  Click a card (or
  press 1–9) to open that table on the right.
* Right, the chosen table in full: what it waits for, seats and modes, the
  held result, the situation and its latest log lines.
* Below, the controls.  *Target* chooses whether pause, resume, the clock,
  sealed orders, review, what spectators see and injects go to the chosen
  table or to all; a review (approve, override, ruling) is always for the
  chosen table.  The text field holds a custom event's text or the
  rationale an override and a ruling demand.

The network runs in :class:`engine.ui.remote.NetLink`'s thread; this screen
only reads what it relays and sends requests through it.
"""

from __future__ import annotations

import calendar
from typing import Any

import pygame

from engine.net.client import in_words, view_of
from engine.ui import theme
from engine.ui.app import Screen
from engine.ui.paint import panel, text_block
from engine.ui.remote import NetLink
from engine.ui.widgets import Button, Cycler, edit_line

CLOCKS = (("off", "Clock: off"), ("60", "Clock: 1 min"), ("120", "Clock: 2 min"),
          ("300", "Clock: 5 min"), ("900", "Clock: 15 min"))
SHOWS = (("public", "Spectators: public"), ("none", "Spectators: nothing"),
         ("all", "Spectators: everything"))
WHEN = (("0", "Now"), ("1", "Next turn"), ("2", "In 2 turns"), ("3", "In 3 turns"))
TIERS = ("fail", "backfire", "partial", "success")
TEXT_LIMIT = 300


def month_of(turn: int) -> str:
    return f"{calendar.month_name[(turn - 1) % 12 + 1]} {2020 + (turn - 1) // 12}"


def mmss(seconds: float) -> str:
    s = max(0, int(seconds + 0.5))
    return f"{s // 60}:{s % 60:02d}"


class DashboardScreen(Screen):
    """The facilitator's dashboard (see the module's docstring)."""

    def __init__(self, app, link: NetLink, scenario=None) -> None:
        super().__init__(app)
        self.link = link
        self.scenario = scenario or app.scenario
        welcome = link.client.welcome
        self.multi = bool(welcome.get("tables"))
        self.ids: list[str] = list(welcome.get("tables") or ["t1"])
        self.tables: dict[str, dict[str, Any]] = {}
        self.logs: dict[str, list[str]] = {}
        self.received: dict[str, float] = {}
        self.alerts: dict[str, dict[str, int]] = {}   # table -> alert -> turn raised
        self.harm: dict[str, int] = {}                # US persons harmed, last seen
        self.since: dict[str, tuple[Any, float]] = {}  # what a table waits for, since when
        self.selected = self.ids[0]
        self.text = ""
        self.focus = False
        self.message = ""
        self.message_colour = theme.MUTED
        self.sent: list[str] = []                     # requests the server accepted
        self.connection = "connected"
        self._scores: dict[str, tuple[Any, dict[str, int]]] = {}
        # The moments that changed each table's game (a vote's result, a new government...):
        # (turn, headline, lines), newest last; the card flags them, the detail lists them.
        self.moments: dict[str, list[tuple[int, str, list[str]]]] = {}
        self.cards: dict[str, pygame.Rect] = {}
        self._build()

    # -- controls -----------------------------------------------------------------------
    def _build(self) -> None:
        sc = self.scenario
        self.target = Cycler([("one", "Target: this table"), ("all", "Target: all tables")],
                             tooltip="Pause, clock, modes and injects go to the chosen table, "
                                     "or to every table")
        if not self.multi:
            self.target.options = [("one", "Target: the table")]
        self.clock = Cycler(CLOCKS, tooltip="The time each seat has to act")
        self.show = Cycler(SHOWS, tooltip="What spectators are shown")
        self.card = Cycler([(c, c) for c in sc.event_ids()], tooltip="A card of the deck")
        self.when = Cycler(WHEN, tooltip="Now, or at the start of a later turn's actions")
        tracks = [(k, label) for k, label in
                  ((t.key, t.label) for t in sc.track_table(sc.setup(0)[0]))]
        self.track = Cycler(tracks, tooltip="The track a custom event or a ruling changes")
        self.delta = Cycler([(str(d), f"{d:+d}") for d in (-2, -1, 1, 2)], 1,
                            tooltip="A custom event's change to the track")
        self.value = Cycler([(str(v), f"= {v}") for v in range(0, 11)], 5,
                            tooltip="A ruling's new value for the track")
        self.tier = Cycler([(t, f"Tier: {t}") for t in TIERS], tooltip="An override's tier")
        self.buttons = {
            "pause": Button("Pause", lambda: self.send("pause"), "", "Pause the target"),
            "resume": Button("Resume", lambda: self.send("resume"), "", "Resume the target"),
            "clock": Button("Set clock", self.set_clock, "", "Apply the clock to the target"),
            "sealed": Button("Sealed orders", self.toggle_sealed, "",
                             "Sealed orders on or off at the target"),
            "review": Button("Review", self.toggle_review, "",
                             "Hold every result for the white cell's review"),
            "show": Button("Show", self.set_show, "", "Apply what spectators see"),
            "inject": Button("Inject card", self.inject_card, "", "Play the card at the target"),
            "event": Button("Inject event", self.inject_event, "",
                            "A custom event: the text field's words and the track change"),
            "approve": Button("Approve", self.approve, "",
                              "Let the held result stand (rationale required)"),
            "override": Button("Override", self.override, "",
                               "The held result becomes the chosen tier (rationale required)"),
            "ruling": Button("Ruling", self.ruling, "",
                             "Set the track to the value (rationale required)"),
        }

    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        self.size = size
        self.top_h = 34
        b = self.buttons
        groups = [[(self.target, 200), (b["pause"], 80), (b["resume"], 84), (self.clock, 160),
                   (b["clock"], 96), (b["sealed"], 128), (b["review"], 86), (self.show, 210),
                   (b["show"], 64)],
                  [(self.card, 230), (self.when, 130), (b["inject"], 110),
                   (self.track, 250), (self.delta, 80), (b["event"], 120),
                   (self.value, 80), (b["ruling"], 80)],
                  [(b["approve"], 96), (self.tier, 170), (b["override"], 100)]]
        rh, gap = 32, 8
        x0, right = 18, w - 18
        # Each group starts a row and wraps where the window is too narrow
        # (at 960 wide the first two take two rows each); the text field
        # leads the last row with the width its three buttons leave.
        field_w = max(200, min(560, right - x0 - sum(wd + gap for _, wd in groups[2])))
        placed: list[tuple[Any, int, int, int]] = []   # widget, row, x, width
        rows = 0
        for i, group in enumerate(groups):
            x = x0 + (field_w + gap if i == 2 else 0)
            for widget, width in group:
                if x + width > right and x > x0:
                    rows, x = rows + 1, x0
                placed.append((widget, rows, x, width))
                x += width + gap
            rows += 1
        controls_h = 28 + rows * (rh + gap) + 2
        body_h = h - self.top_h - controls_h - 16
        n = max(1, len(self.ids))
        card_h = min(132, (body_h - 6 * (n - 1)) // n)
        self.card_w = min(440, max(320, w // 3))
        self.cards = {tid: pygame.Rect(8, self.top_h + 6 + i * (card_h + 6), self.card_w, card_h)
                      for i, tid in enumerate(self.ids)}
        self.detail = pygame.Rect(self.card_w + 16, self.top_h + 6, w - self.card_w - 24, body_h)
        self.controls = pygame.Rect(8, h - controls_h - 4, w - 16, controls_h)
        y0 = self.controls.y + 28
        for widget, r, x, width in placed:
            widget.rect = pygame.Rect(x, y0 + r * (rh + gap), width, rh)
        field_row = next(r for widget, r, _, _ in placed if widget is b["approve"])
        self.field = pygame.Rect(x0, y0 + field_row * (rh + gap), field_w, rh)

    def widgets(self) -> list[Any]:
        return [self.target, self.clock, self.show, self.card, self.when, self.track,
                self.delta, self.value, self.tier, *self.buttons.values()]

    # -- requests -----------------------------------------------------------------------
    def targets(self) -> str | None:
        if not self.multi:
            return None
        return "all" if self.target.value == "all" else self.selected

    def send(self, kind: str, one_table: bool = False, **fields: Any) -> None:
        table = self.selected if one_table and self.multi else self.targets()
        if table is not None:
            fields["table"] = table
        where = f" at {table}" if table and table != "all" else " at every table" if table else ""
        self.say(f"Sent: {kind}{where}\u2026")
        self.link.request(kind, **fields)

    def say(self, text: str, colour=theme.MUTED) -> None:
        self.message, self.message_colour = text, colour

    def frame(self, tid: str | None = None) -> dict[str, Any]:
        return self.tables.get(tid or self.selected, {})

    def set_clock(self) -> None:
        value = self.clock.value
        self.send("clock", seconds=None if value == "off" else float(value))

    def toggle_sealed(self) -> None:
        self.send("sealed", on=not self.frame().get("mode", {}).get("sealed", False))

    def toggle_review(self) -> None:
        self.send("review", on=not self.frame().get("mode", {}).get("review", False))

    def set_show(self) -> None:
        self.send("show", spectators=self.show.value)

    def _turn(self, extra: int) -> dict[str, int]:
        if extra <= 0:
            return {}
        return {"turn": self.frame().get("ctx", {}).get("turn", 1) + extra}

    def inject_card(self) -> None:
        self.send("inject", card=self.card.value, **self._turn(int(self.when.value)))

    def inject_event(self) -> None:
        text = self.text.strip()
        if not text:
            self.say("Write the event's text in the text field first.", theme.VERMILLION)
            self.focus = True
            return
        self.send("inject", text=text, effects={self.track.value: int(self.delta.value)},
                  **self._turn(int(self.when.value)))
        self.text = ""

    def _rationale(self) -> str | None:
        text = self.text.strip()
        if not text:
            self.say("A rationale is required: write it in the text field.", theme.VERMILLION)
            self.focus = True
            return None
        return text

    def approve(self) -> None:
        rationale = self._rationale()
        if rationale is not None:
            self.send("approve", one_table=True, rationale=rationale)
            self.text = ""

    def override(self) -> None:
        rationale = self._rationale()
        if rationale is not None:
            self.send("override", one_table=True, tier=self.tier.value, rationale=rationale)
            self.text = ""

    def ruling(self) -> None:
        rationale = self._rationale()
        if rationale is not None:
            self.send("ruling", one_table=True, values={self.track.value: int(self.value.value)},
                      rationale=rationale)
            self.text = ""

    # -- input ----------------------------------------------------------------------------
    def handle(self, event) -> bool:
        if event.type == pygame.KEYDOWN:
            if self.focus:
                if event.key in (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_TAB):
                    self.focus = False
                    return True
                edited = edit_line(event, self.text, TEXT_LIMIT)
                if edited is not None:
                    self.text = edited
                return True
            if pygame.K_1 <= event.key <= pygame.K_9:
                index = event.key - pygame.K_1
                if index < len(self.ids):
                    self.selected = self.ids[index]
                return True
            if event.key == pygame.K_F10:
                self.app.running = False
                return True
            return False
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            if self.field.collidepoint(event.pos):
                self.focus = True
                return True
            for tid, rect in self.cards.items():
                if rect.collidepoint(event.pos):
                    self.selected = tid
                    self.focus = False
                    return True
        for widget in self.widgets():
            if widget.handle(event):
                if event.type == pygame.MOUSEBUTTONUP:
                    self.focus = False
                return True
        return False

    def tip_at(self, pos) -> str:
        for widget in self.widgets():
            tip = widget.tip_at(pos)
            if tip:
                return tip
        return ""

    def help_lines(self) -> list[tuple[str, str]]:
        return [("1-9", "open table 1-9 in full"), ("click the field", "type an event or a "
                 "rationale"), ("Esc / Enter", "leave the field"), ("F10", "leave")]

    # -- the network's news ---------------------------------------------------------------
    def update(self, dt: float) -> None:
        client = self.link.client
        for msg in self.link.drain():
            kind = msg[0]
            if kind == "state":
                if self.multi:
                    tables = dict(client.tables)
                    logs = {k: list(v) for k, v in dict(client.table_logs).items()}
                else:
                    tables, logs = {"t1": msg[1]}, {"t1": list(msg[2])}
                for tid, frame in tables.items():
                    if self.tables.get(tid) is not frame:
                        self.received[tid] = self.app.now
                        self._watch(tid, frame)
                        seen = self.logs.get(tid, [])
                        self._moments(tid, self.tables.get(tid), frame, logs.get(tid, [])[len(seen):])
                self.tables, self.logs = tables, logs
            elif kind == "status":
                self.connection = msg[1]
                if msg[1] != "connected":
                    self.say(f"Connection: {msg[1]} {msg[2]}", theme.VERMILLION)
            elif kind in ("error", "refused"):
                self.say(msg[1], theme.VERMILLION)
            elif kind == "sent":
                self.sent.append(msg[1])
                self.say(f"Done: {msg[1]}", theme.GREEN)

    def _watch(self, tid: str, frame: dict[str, Any]) -> None:
        """Alerts from the table's tracks as they change."""
        if "board" not in frame:
            return
        waiting = (frame["ctx"]["moves"], frame.get("awaiting"))
        if self.since.get(tid, (None,))[0] != waiting:
            self.since[tid] = (waiting, self.app.now)
        turn = frame["ctx"]["turn"]
        values = self.track_values(frame)
        alerts = self.alerts.setdefault(tid, {})
        harmed = values.get("us_casualties", 0)
        if tid in self.harm and harmed > self.harm[tid]:
            alerts["attack on US persons"] = turn
        self.harm[tid] = harmed
        for alert, since in list(alerts.items()):
            if turn > since + 1:
                del alerts[alert]

    def _moments(self, tid: str, before: dict[str, Any] | None, frame: dict[str, Any],
                 lines: list[str]) -> None:
        """The moments between a table's last frame and this one (the white cell sees the
        true game): kept for the table and said in the message line, without stopping."""
        if before is None or self.board(before) is None or self.board(frame) is None or not lines:
            return
        found = self.scenario.moments(self.board(before), self.board(frame), tuple(lines))
        if not found:
            return
        turn = frame["ctx"]["turn"]
        kept = self.moments.setdefault(tid, [])
        kept += [(turn, head, body) for head, body in found]
        del kept[:-8]
        where = f"Table {tid}: " if self.multi else ""
        self.say(where + "; ".join(head for head, _ in found), theme.YELLOW)

    def track_values(self, frame: dict[str, Any]) -> dict[str, int]:
        board = self.board(frame)
        return {t.key: t.value for t in self.scenario.track_table(board)} if board else {}

    def board(self, frame: dict[str, Any]) -> Any:
        if "board" not in frame:
            return None
        key = id(frame)
        cached = self._scores.get(key)
        if cached is None:
            board = view_of(self.scenario, frame).board
            scores = {f: s.total for f, s in self.scenario.score(board, None).items()}
            if len(self._scores) > 64:
                self._scores.clear()
            cached = self._scores[key] = (board, scores)
        return cached[0]

    def scores(self, frame: dict[str, Any]) -> dict[str, int]:
        if "outcome" in frame:
            return {f: s["total"] for f, s in frame["outcome"]["scores"].items()}
        if self.board(frame) is None:
            return {}
        return self._scores[id(frame)][1]

    def alert_list(self, tid: str) -> list[str]:
        frame = self.frame(tid)
        if "ctx" not in frame:
            return []
        out = []
        if "review" in frame:
            out.append("result held for review")
        if frame["ctx"]["phase"] == "paused":
            out.append("paused")
        values = self.track_values(frame)
        if values.get("withdrawal", 0) >= 1:
            out.append(("withdrawal motion passed", "withdrawal ordered",
                        "US withdrawal completed")[min(values["withdrawal"], 3) - 1])
        elif values.get("motion", 0):
            out.append("withdrawal vote tabled")
        out += list(self.alerts.get(tid, {}))
        turn = frame["ctx"]["turn"]
        out += [head for when, head, _ in self.moments.get(tid, []) if turn <= when + 1][-2:]
        if "outcome" in frame:
            out.append("game over")
        return out

    def clock_left(self, tid: str) -> float | None:
        left = self.frame(tid).get("clock_left")
        if left is None:
            return None
        return max(0.0, left - (self.app.now - self.received.get(tid, self.app.now)))

    # -- drawing ------------------------------------------------------------------------------
    def draw(self, surface) -> None:
        fonts = self.app.fonts
        surface.fill(theme.BG)
        title = (f"White cell \u2014 {len(self.ids)} tables" if self.multi
                 else "White cell") + f" \u2014 {self.link.client.url}"
        surface.blit(fonts.text(title, 17, theme.ACCENT, True), (12, 8))
        conn = fonts.text(self.connection, 13, theme.GREEN if self.connection == "connected"
                          else theme.VERMILLION, True)
        surface.blit(conn, (surface.get_width() - conn.get_width() - 12, 10))
        for tid in self.ids:
            self.draw_card(surface, tid)
        self.draw_detail(surface)
        self.draw_controls(surface)

    def draw_card(self, surface, tid: str) -> None:
        fonts = self.app.fonts
        rect = self.cards[tid]
        frame = self.frame(tid)
        selected = tid == self.selected
        pygame.draw.rect(surface, theme.PANEL_HI if selected else theme.PANEL, rect, border_radius=6)
        pygame.draw.rect(surface, theme.SELECT if selected else theme.LINE, rect,
                         2 if selected else 1, border_radius=6)
        x, y = rect.x + 10, rect.y + 6
        if "ctx" not in frame:
            surface.blit(fonts.text(f"Table {tid}: waiting for its state", 14, theme.MUTED),
                         (x, y))
            return
        ctx = frame["ctx"]
        head = f"{tid}  \u00b7  Turn {ctx['turn']} of {ctx['last_turn']}  \u00b7  {month_of(ctx['turn'])}"
        surface.blit(fonts.text(head, 15, theme.TEXT, True), (x, y))
        y += 22
        wait = frame.get("awaiting") or ctx["phase"]
        left = self.clock_left(tid)
        if left is not None:
            wait += f"  \u00b7  {mmss(left)} left"
        elif tid in self.since and "outcome" not in frame:
            wait += f"  \u00b7  for {mmss(self.app.now - self.since[tid][1])}"
        surface.blit(fonts.text(fonts.fit(wait, rect.w - 20, 13), 13, theme.MUTED), (x, y))
        y += 20
        scores = self.scores(frame)
        sx = x
        for i, faction in enumerate(self.scenario.factions):
            if faction not in scores:
                continue
            colour = theme.faction_colour(i)
            pygame.draw.rect(surface, colour, (sx, y + 3, 10, 10))
            label = fonts.text(f"{faction} {scores[faction]}", 13, theme.TEXT, True)
            surface.blit(label, (sx + 14, y))
            sx += 14 + label.get_width() + 14
        y += 20
        for alert in self.alert_list(tid):
            if y + 16 > rect.bottom - 2:
                break
            colour = theme.ORANGE if alert in ("paused", "game over") else theme.VERMILLION
            surface.blit(fonts.text(f"\u25b2 {alert}", 13, colour, True), (x, y))
            y += 17

    def draw_detail(self, surface) -> None:
        fonts = self.app.fonts
        rect = self.detail
        frame = self.frame()
        y = panel(surface, rect, f"Table {self.selected} in full", fonts)
        if "ctx" not in frame:
            return
        ctx = frame["ctx"]
        mode = frame.get("mode", {})
        modes = ", ".join(m for m, on in (("sealed orders", mode.get("sealed")),
                                          ("review", mode.get("review"))) if on) or "open play"
        clock = "no clock" if not mode.get("clock") else f"clock {int(mode['clock'])} s " \
            f"(then {mode.get('clock_default', 'pass')})"
        lines: list[tuple[str, object]] = [
            (f"Turn {ctx['turn']} ({month_of(ctx['turn'])}), {ctx['phase']}: "
             f"{frame.get('awaiting', '')}", (theme.TEXT, True)),
            (f"Seats: " + ", ".join(f"{f}={s}" for f, s in frame.get("seats", {}).items()),
             theme.MUTED),
            (f"Mode: {modes}; {clock}; spectators see {frame.get('show', 'public')}",
             theme.MUTED)]
        if mode.get("sealed") and "sealed" in frame:
            orders = frame.get("orders") or {}
            lines.append(("Sealed orders in: " + (", ".join(
                f"{f} ({'; '.join(o)})" for f, o in orders.items()) or "none yet")
                + "; waiting for " + (", ".join(frame["sealed"]["waiting"]) or "nobody"),
                theme.MUTED))
        if frame.get("schedule"):
            lines.append(("Scheduled: " + "; ".join(
                f"turn {s['turn']}: {s['card'] or s['text']}" for s in frame["schedule"]),
                theme.MUTED))
        if "review" in frame:
            held = in_words(self.scenario, f"T{ctx['turn']} {frame['review']['move']}")
            lines.append((f"HELD FOR REVIEW: {held.partition(' ')[2]}", (theme.ORANGE, True)))
            lines += [(f"  {in_words(self.scenario, line)}", theme.ORANGE)
                      for line in frame["review"]["lines"][:6]]
        if "outcome" in frame:
            lines.append((f"Over: {frame['outcome']['description']}", (theme.ORANGE, True)))
        for when, head, body in self.moments.get(self.selected, [])[-2:]:
            lines.append((f"Turn {when}: {head}", (theme.YELLOW, True)))
            lines += [(f"  {line}", theme.YELLOW) for line in body[:3]]
        y = text_block(surface, fonts, lines, rect, y, 13) + 6
        board = self.board(frame)
        if board is not None:
            status = self.scenario.status_lines(board, None)
            half = pygame.Rect(rect.x, y, rect.w, (rect.bottom - y) // 2)
            y = text_block(surface, fonts, [(s, theme.TEXT) for s in status[:7]], half, y, 12) + 6
        surface.blit(fonts.text("Latest", 13, theme.ACCENT, True), (rect.x + 10, y))
        y += 18
        lh = fonts.height(12)
        shown = self.latest(self.selected, max(0, (rect.bottom - y - 4) // lh))
        text_block(surface, fonts, [(line, theme.MUTED) for line in shown], rect, y, 12)

    def latest(self, tid: str, room: int) -> list[str]:
        """The table's last ``room`` log lines, moves named in words."""
        log = [line for line in self.logs.get(tid, []) if line.strip()]
        return [in_words(self.scenario, line) for line in log[-room:]] if room else []

    def draw_controls(self, surface) -> None:
        fonts = self.app.fonts
        y = panel(surface, self.controls, "Controls", fonts)
        held = "review" in self.frame()
        mode = self.frame().get("mode", {})
        self.buttons["sealed"].active = bool(mode.get("sealed"))
        self.buttons["review"].active = bool(mode.get("review"))
        for name in ("approve", "override"):
            self.buttons[name].enabled = held
        for widget in self.widgets():
            widget.draw(surface, fonts)
        f = self.field
        pygame.draw.rect(surface, theme.BG, f, border_radius=5)
        pygame.draw.rect(surface, theme.SELECT if self.focus else theme.LINE, f,
                         2 if self.focus else 1, border_radius=5)
        shown = self.text + ("\u258f" if self.focus and int(self.app.now * 2) % 2 == 0 else "")
        if not shown:
            t = fonts.text("Event text or rationale (click to type)", 14, theme.DIM)
        else:
            while len(shown) > 2 and fonts.width(shown, 14) > f.w - 16:
                shown = "\u2026" + shown[2:]
            t = fonts.text(shown, 14, theme.TEXT)
        surface.blit(t, (f.x + 8, f.centery - t.get_height() // 2))
        if self.message:
            m = fonts.text(fonts.fit(self.message, self.controls.w - 200, 13), 13,
                           self.message_colour, True)
            surface.blit(m, (self.controls.x + 110, self.controls.y + 7))

    def closed(self) -> None:
        self.link.stop()


def take_shot(path, size=(1280, 800)) -> None:
    """The dashboard of a class of three tables on loopback, for ``main.py
    screenshot``: table 1 holds a result for review, table 2 is paused,
    table 3 runs a clock with an inject scheduled."""
    import time

    from engine.net.client import Client
    from engine.net.hub import LocalClass
    from engine.ui.remote import open_remote

    with LocalClass(3, "us=human,goi=ai:easy,mil=random,pro=random", seed=7) as cls:
        async def setup() -> None:
            white = Client(cls.url, cls.white)
            await white.connect()
            await white.request("review", on=True, table="t1")
            ref = cls.referee("t1")
            contested = next(str(m) for m in ref.game.legal_moves()
                             if ref.game.explain(m).check is not None)
            us = Client(cls.url, cls.tokens["t1"]["us"])
            await us.connect()
            await us.move(contested)
            await us.close()
            await white.request("pause", table="t2")
            await white.request("clock", seconds=300, table="t3")
            card = cls.referee("t3").game.board.deck[0]  # a card still in t3's deck
            await white.request("inject", card=card, turn=3, table="t3")
            await white.request("inject", text="Power cuts in Basra",
                                effects={"economy": -1}, table="t2,t3")
            await white.close()
        cls.call(setup())
        app = open_remote(Client(cls.url, cls.white), size)
        try:
            screen = app.top
            end = time.monotonic() + 20
            while time.monotonic() < end and not (
                    len(screen.tables) == 3 and "review" in screen.tables.get("t1", {})):
                app.step(1)
                time.sleep(0.01)
            screen.selected = "t1"
            screen.text = "The strike's evidence was thin"
            app.step(2)
            pygame.image.save(app.screen, str(path))
        finally:
            app.close()
