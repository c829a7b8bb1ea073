"""The game screen: map, tracks, legal moves, preview, resolution, log; and the hand-over.

What is drawn always comes from ``game.view(faction)`` of the seat whose
turn it is, or of the last human seat while bots play; the log is narrated
for that same faction.  Bots' moves are applied one by one at the chosen
speed; their one-line reasons appear on request (W).
"""

from __future__ import annotations

import pygame

from engine.moves import Move
from engine.ui import preview as preview_text
from engine.ui import saves, scorebox, theme
from engine.ui.app import Screen
from engine.ui.mapview import MapView, load_map
from engine.ui.paint import (faction_chip, gauge_row, odds_bar, panel, resolution_block,
                             section_height, text_block, tier_legend)
from engine.ui.session import Entry, Session
from engine.ui.widgets import Button, ScrollList

SPEEDS = (("slow", 2.0), ("normal", 1.0), ("fast", 0.35), ("instant", 0.0))
ROW_H = 16


def log_rows(lines, highlight: int | None = None):
    """Style each log line for a ScrollList (header, event, move, detail)."""
    rows = []
    for text, index in lines:
        if text.startswith("\u2014 Turn"):
            style = "header"
        elif index == highlight:
            style = theme.SELECT
        elif text.startswith("Event:"):
            style = theme.YELLOW
        elif text.startswith("Game over") or text.startswith("Parliament votes"):
            style = theme.ORANGE
        elif text.startswith("  "):
            style = "dim"
        else:
            style = "item"
        rows.append((text, style, None))
    return rows


def render_tracks(fonts, display, acting, factions, size, card: bool = True, drawn: list | None = None):
    """The left panel: sections of gauges, then the event card (unless ``card`` is
    False: the game screen then shows it in a strip over the log); returns (surface, tips).
    ``drawn`` collects each track shown: (gauge, what gauge_row drew, in the surface's frame)."""
    rect = pygame.Rect((0, 0), size)
    surf = pygame.Surface(size)
    surf.fill(theme.BG)
    local = surf.get_rect()
    tips = []
    card_h = 150 if display.card and card else 0
    avail = local.h - card_h - 8
    y = 0
    skipped = []
    for section in display.sections:
        need = section_height(fonts, section, ROW_H, local.w - 20)
        if y + need > avail:
            skipped.append(section)
            continue
        box = pygame.Rect(0, y, local.w, need - 4)
        active = section.faction is not None and section.faction == acting
        pygame.draw.rect(surf, theme.PANEL, box, border_radius=6)
        pygame.draw.rect(surf, theme.ACCENT if active else theme.LINE, box, 2 if active else 1, border_radius=6)
        tx = 10
        if section.faction is not None:
            idx = factions.index(section.faction)
            faction_chip(surf, fonts, idx, (14, y + 11), 6)
            tx = 26
        title = section.title + ("  \u2014 acting" if active else "")
        surf.blit(fonts.text(fonts.fit(title, local.w - tx - 8, 13, True), 13,
                             theme.ACCENT if active or section.faction is None else theme.TEXT, True),
                  (tx, y + 3))
        gy = y + fonts.height(13, True) + 4
        for g in section.gauges:
            row = pygame.Rect(10, gy, local.w - 20, ROW_H)
            shown = gauge_row(surf, fonts, g, row)
            if drawn is not None:
                drawn.append((g, shown))
            tip = f"{g.label}: {g.text}" + (f" (range {g.lo}\u2013{g.hi})" if not g.steps else "")
            if g.hint:
                tip += "\n" + g.hint
            tips.append((pygame.Rect(row.x, row.y, row.w, ROW_H * shown["lines"]).move(rect.topleft), tip))
            gy += ROW_H * shown["lines"]
        y += need
    if skipped:   # named whole, on as many lines as it takes
        text = "More on hover: " + ", ".join(sec.title.split(":")[0] for sec in skipped)
        top = y
        for line in fonts.wrap(text, local.w - 10, 12):
            t = fonts.text(line, 12, theme.MUTED)
            surf.blit(t, (6, y))
            y += t.get_height()
        tip = "\n".join(f"{sec.title}\n" + "\n".join(f"  {g.label}: {g.text}" for g in sec.gauges)
                        for sec in skipped)
        tips.append((pygame.Rect(rect.x, rect.y + top, rect.w, y - top), tip))
    if display.card and card:
        box = pygame.Rect(0, local.h - card_h, local.w, card_h)
        pygame.draw.rect(surf, (48, 46, 36), box, border_radius=6)
        pygame.draw.rect(surf, theme.YELLOW, box, 2, border_radius=6)
        surf.blit(fonts.text("Event card", 12, theme.YELLOW, True), (box.x + 10, box.y + 6))
        date = fonts.text(display.card.date, 12, theme.MUTED)
        surf.blit(date, (box.right - date.get_width() - 10, box.y + 6))
        yy = box.y + 24
        for line in fonts.wrap(display.card.title, box.w - 20, 14, True):
            surf.blit(fonts.text(line, 14, theme.TEXT, True), (box.x + 10, yy))
            yy += fonts.height(14, True)
        lines = fonts.wrap(display.card.text, box.w - 20, 12)
        lh = fonts.height(12)
        room = (box.bottom - 6 - yy) // lh
        for i, line in enumerate(lines[:room]):
            if i == room - 1 and len(lines) > room:
                line = fonts.fit(line + " \u2026", box.w - 20, 12)
            surf.blit(fonts.text(line, 12, theme.MUTED), (box.x + 10, yy))
            yy += lh
        tips.append((box.move(rect.topleft), f"{display.card.title} ({display.card.date})\n{display.card.text}"))
    return surf, tips



def default_name(session: Session) -> str:
    """What the save box offers: the file the game came from, else seed and turn."""
    from pathlib import Path
    source = Path(session.source).name if session.source else ""
    if source and not source.startswith("autosave-"):
        return source[:-5] if source.endswith(".json") else source
    return f"crossroads-seed{session.seed}-turn{session.game.ctx.turn:02d}"


class GameScreen(Screen):
    def __init__(self, app, session: Session) -> None:
        super().__init__(app)
        self.session = session
        sc = session.scenario
        self.map = MapView(load_map(), sc.factions, session.presentation.piece_kinds(), app.fonts)
        self.selected: Move | None = None
        self.hover_move: Move | None = None
        self.filter: str | None = None
        self.hover_space: str | None = None
        self.last: Entry | None = None
        self.paused = False
        self.speed = 1
        self.show_why = False
        self.confirmed: str | None = None if session.hotseat() else session.viewer
        worker = getattr(session, "worker", None)   # a network seat's bots are the server's
        if worker is not None:
            worker.inline = app.inline_bots
        self.next_bot_at = 0.0
        self.pending = None
        self.ended = False
        self.end_at: float | None = None
        self.message = ""
        self.message_until = 0.0
        self._shown_error = ""
        self._seen = -1
        self._legal: list[Move] = []
        self._previews: dict[Move, object] = {}
        self._left: pygame.Surface | None = None
        self._left_key = None
        self._left_tips: list[tuple[pygame.Rect, str]] = []
        self._tracks_drawn: list = []   # (gauge, what gauge_row drew) in the window's frame
        self._score_rows: list[tuple[pygame.Rect, str, str, int]] = []
        self.chips: list[tuple[pygame.Rect, str]] = []
        self.moves = ScrollList(size=13, on_select=self.choose, on_hover=self.hovered)
        self.log = ScrollList(size=12, stick_to_end=True)
        self.preview_list = ScrollList(size=12)   # the preview's outcomes, scrolling
        self.stops: bool | None = None            # None: by the pace (see stopping())
        self.callouts_shown: list[str] = []
        self.summaries_shown = 0
        self._summarised = (len(session.entries), session.active)  # nothing to summarise on opening
        self._preview_of: tuple | None = None
        self.confirm = Button("Confirm", self.play_selected, "Enter", "Play this move.", primary=True)
        self.cancel = Button("Cancel", self.clear_selection, "Esc", "Back to the list of moves.")
        self.bar = [
            Button("Pause", self.toggle_pause, "Space", "Pause or resume the AI's moves."),
            Button("Speed", self.cycle_speed, "+ / \u2212", "How fast the AI's moves follow each other."),
            Button("Why?", self.toggle_why, "W", "Why the AI chose its move: the moves it weighed, what it "
                                                 "expects each to change, then its numbers."),
            Button("Undo", self.undo, "Ctrl+Z", "Take back your last move (solo games); "
                                                "the save records the undo."),
            Button("Save", self.save, "Ctrl+S", "Save the game to a file in the saves folder. "
                                                "It also autosaves after every turn."),
            Button("Load", self.load, "Ctrl+O", "Load a saved game or an autosave."),
            Button("Help", lambda: setattr(app, "show_help", True), "F1", "Keyboard shortcuts."),
            Button("Menu", self.to_menu, "F10", "Back to the main menu (this game is left)."),
        ]

    def briefing_board(self, faction: str):
        """The board a briefing reads: the game as the player at the screen sees it."""
        return self.session.game.view(self.viewer()).board

    # -- who is looking -------------------------------------------------------------
    def viewer(self) -> str | None:
        s = self.session
        if s.human_to_move():
            return s.active
        return s.viewer

    def my_turn(self) -> bool:
        s = self.session
        return s.human_to_move() and (not s.hotseat() or self.confirmed == s.active)

    # -- layout ---------------------------------------------------------------------
    def layout(self, size) -> None:
        w, h = size
        self.top_h = 44
        left_w = max(260, min(340, w * 23 // 100))
        right_w = max(320, min(430, w * 28 // 100))
        log_h = max(130, min(260, h * 23 // 100))
        self.top_rect = pygame.Rect(0, 0, w, self.top_h)
        # The score heads the right column, over the moves: the left one keeps its room
        # for the tracks, the factions and parliament.
        score_h = scorebox.height(self.app.fonts, self.session.scenario.factions)
        self.score_rect = pygame.Rect(w - right_w + 2, self.top_h + 2, right_w - 6, score_h)
        self.left_rect = pygame.Rect(4, self.top_h + 2, left_w - 6, h - self.top_h - 6)
        self.right_rect = pygame.Rect(w - right_w + 2, self.score_rect.bottom + 4, right_w - 6,
                                      h - self.score_rect.bottom - 8)
        cx, cw = left_w, w - left_w - right_w
        # A short window shows the event card in a strip over the log, so the left column
        # keeps room for every section (parliament included) at 1280x800.
        self.card_inline = h < 960
        strip = 26 if self.card_inline else 0
        self.map_rect = pygame.Rect(cx + 2, self.top_h + 2, cw - 4, h - self.top_h - log_h - 8 - strip)
        self.card_rect = pygame.Rect(cx + 2, self.map_rect.bottom + 4, cw - 4, strip - 4) if strip else \
            pygame.Rect(0, 0, 0, 0)
        self.log_rect = pygame.Rect(cx + 2, self.map_rect.bottom + 4 + strip, cw - 4,
                                    h - self.map_rect.bottom - 8 - strip)
        self.map.layout(self.map_rect)
        r = self.right_rect
        moves_h = (r.h - 30) * 46 // 100
        self.moves_title = pygame.Rect(r.x, r.y, r.w, 26)
        self.moves.rect = pygame.Rect(r.x, r.y + 26, r.w, moves_h)
        self.preview_rect = pygame.Rect(r.x, self.moves.rect.bottom + 6, r.w, r.bottom - self.moves.rect.bottom - 6)
        bw = (r.w - 30) // 2
        self.confirm.rect = pygame.Rect(r.x + 10, r.bottom - 46, bw, 38)
        self.cancel.rect = pygame.Rect(r.x + 20 + bw, r.bottom - 46, bw, 38)
        self.log.rect = pygame.Rect(self.log_rect.x, self.log_rect.y + 22, self.log_rect.w, self.log_rect.h - 22)
        self.compact = w < 1240   # the top bar's narrow form (960..1239 pixels)
        x = w - 6
        for b in reversed(self.bar):
            if self.compact:
                bw = max(48, self.app.fonts.width(b.label, 12, True) + 14)
                if b.label.startswith(("Speed", "Pace")):
                    bw = self.app.fonts.width("Speed: instant", 12, True) + 14
            else:
                bw = max(58, self.app.fonts.width(b.label, 13, True) + 20)
                if b.label.startswith(("Speed", "Pace")):
                    bw = 118
            x -= bw + 4
            b.rect = pygame.Rect(x, 7, bw, 30)
            b.size = 12 if self.compact else 13
        self._left_key = None
        self._seen = -1

    # -- refreshing from the session ----------------------------------------------------
    def refresh(self) -> None:
        s = self.session
        if self._seen == (s.version, self.viewer(), self.filter, self.confirmed):
            return
        self._seen = (s.version, self.viewer(), self.filter, self.confirmed)
        legal = s.legal() if self.my_turn() else []
        self._legal = legal
        self._previews = {m: s.explain(m) for m in legal}
        if self.selected not in self._previews:
            self.selected = None
        rows, tips = [], {}
        shown = [m for m in legal if self.filter is None or self.filter in s.presentation.places_of(m)]
        if self.filter is not None:
            place = self.place_name(self.filter)
            rows.append((f"At {place} ({len(shown)}) \u2014 Esc shows all", theme.SELECT, None))
        if shown and any(self._previews[m].check is not None for m in shown):
            rows.append(("% = chance of at least a partial success; hover a move for its details",
                         "dim", None))
        kinds = {}
        for m in shown:
            kinds.setdefault(m.kind, []).append(m)
        for kind, group in kinds.items():
            title = s.scenario.registry.kind(group[0].faction, kind).title
            rows.append((f"{title}" + (f" ({len(group)})" if len(group) > 1 else ""), "header", None))
            for m in group:
                p = self._previews[m]
                text = p.summary
                if p.check is not None:
                    odds = p.check.odds()
                    text += f"  \u2014 {round((odds['success'] + odds['partial']) * 100)}%"
                rows.append((text, "item", m))
                tips[m] = "\n".join(p.lines())
        if not legal:
            if s.game.is_over():
                rows.append(("The game is over.", "dim", None))
            elif s.human_to_move():
                rows.append(("Waiting for the hand-over.", "dim", None))
            else:
                rows.append((f"{s.name(s.active)} (AI) is deciding\u2026", "dim", None))
        self.moves.set_rows(rows, tips)
        self.moves.selected = self.selected
        self.log.set_rows(log_rows(s.log_lines(self.viewer())))

    def place_name(self, pid: str) -> str:
        for p in self.session.display(self.viewer()).places:
            if p.id == pid:
                return p.name
        return pid

    # -- actions ----------------------------------------------------------------------
    def choose(self, move) -> None:
        if isinstance(move, Move) and move in self._previews:
            self.selected = move
            self.moves.selected = move

    def hovered(self, move) -> None:
        self.hover_move = move if isinstance(move, Move) else None

    def clear_selection(self) -> None:
        self.selected = None
        self.moves.selected = None
        self.moves._dirty = True

    def play_selected(self) -> None:
        move = self.selected
        if move is None or not self.my_turn():
            return
        self.clear_selection()
        self.filter = None
        self.last = self.session.apply(move)
        self.next_bot_at = self.app.now + self.delay()
        self.stop_for_moments()

    def delay(self) -> float:
        if self.app.bot_delay is not None:
            return self.app.bot_delay
        return SPEEDS[self.speed][1]

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        self.bar[0].label = "Resume" if self.paused else "Pause"
        self.bar[0].active = self.paused

    def cycle_speed(self, delta: int = 1) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))

    def toggle_why(self) -> None:
        self.show_why = not self.show_why
        self.bar[2].active = self.show_why

    def undo(self) -> None:
        if self.session.undo():
            self.pending = None
            self.clear_selection()
            self.last = None
            self.flash("Your last move was taken back (the save records the undo).")
        elif not self.session.undo_allowed:
            self.flash("Undo is for solo games only.")
        else:
            self.flash("Nothing to undo yet.")

    def save(self) -> None:
        from engine.ui.files import SaveScreen
        self.app.push(SaveScreen(self.app, self.session.recorder, default_name(self.session),
                                 lambda path: self.flash(f"Saved to {saves.short_path(path)}", 4.0)))

    def note_author(self) -> str | None:
        """Who a note written now is by: the solo player, or the hot-seat player at the screen."""
        s = self.session
        if len(s.humans) == 1:
            return s.humans[0]
        return self.confirmed if self.confirmed in s.humans else None

    def note(self, bookmark: bool = False) -> None:
        """The note box (N) or the bookmark box (B): on the player's last move, into the save."""
        from engine.ui.notes import NoteBox
        s = self.session
        author = self.note_author()
        if author is None:
            self.flash("Notes are for the players' seats: no player at the screen.")
            return
        after = s.last_move_of(author)
        what = "Bookmark" if bookmark else "Note"
        title = f"{what} on move {after}" + (" (your last move)" if after and any(
            m.faction == author for m in s.game.history) else "")

        def submit(text: str, public: bool) -> str | None:
            try:
                s.add_note(author, text, bookmark, public)
            except ValueError as err:
                return str(err).splitlines()[0]
            self.flash(f"{what} on move {after} saved: see it in the replay and report.", 4.0)
            return None
        self.app.push(NoteBox(self.app, title, submit, bookmark))

    def load(self) -> None:
        from engine.ui.files import FileScreen
        self.app.push(FileScreen(self.app, "load"))

    def to_menu(self) -> None:
        from engine.ui.menu import MenuScreen
        self.app.reset_to(MenuScreen)

    def flash(self, text: str, seconds: float = 3.0) -> None:
        self.message = text
        self.message_until = self.app.now + seconds

    def closed(self) -> None:
        self.session.close()
        self.session.checkpoint_if_needed()  # a game left unfinished is saved, as headless

    # -- turn summaries and call-outs (engine/ui/news.py) ------------------------------
    def stopping(self) -> bool:
        """Whether the game stops for call-outs and summaries: off at the "instant" pace
        and at the test speed (unless ``self.stops`` is set)."""
        if self.stops is not None:
            return self.stops
        return self.app.bot_delay is None and SPEEDS[self.speed][1] > 0

    def stop_for_moments(self) -> None:
        from engine.ui.news import NewsScreen, callouts
        s = self.session
        if not self.stopping():
            return
        viewer = self.confirmed if s.hotseat() else s.viewer
        found = callouts(s, len(s.entries) - 1, viewer)
        if not found:
            return
        rows = []
        for i, (head, lines) in enumerate(found):
            if i:
                rows.append((head, "header", None))
            rows += [(line, theme.TEXT, None) for line in lines]
        entry = s.entries[-1]
        if entry.move is not None and entry.seen_by(viewer):
            rows.append((f"After: {s.name(entry.move.faction)} — {entry.summary}", "dim", None))
        self.callouts_shown.append(found[0][0])
        self.app.push(NewsScreen(self.app, "callout", found[0][0], rows))

    def summarise_if_due(self) -> None:
        """When a human's turn comes back after others moved: what happened since."""
        from engine.ui.news import NewsScreen, summary_rows
        s = self.session
        mark = (len(s.entries), s.active)
        if self._summarised == mark:
            return
        self._summarised = mark
        if not self.stopping():
            return
        me = s.active
        start = None
        for i in range(len(s.entries) - 1, 0, -1):
            move = s.entries[i].move
            if move is not None and move.faction == me:
                start = i + 1
                break
        if start is None or start >= len(s.entries):
            return
        if all(e.move is not None and e.move.faction == me for e in s.entries[start:]):
            return
        rows = summary_rows(s, start, me)
        ctx = s.game.ctx
        title = f"Turn {ctx.turn} — your move, {s.name(me)}"
        self.summaries_shown += 1
        self.app.push(NewsScreen(self.app, "summary", title, rows, s.scenario.factions.index(me)))

    # -- the turn machine -------------------------------------------------------------
    def busy(self) -> bool:
        """Bots to play, or the end screen to open: keep the full frame rate."""
        s = self.session
        if self.message and self.app.now < self.message_until:
            return True   # a flash message goes when its time is up
        if s.game.is_over():
            return not self.ended
        return not s.human_to_move() and not self.paused

    def update(self, dt: float) -> None:
        s = self.session
        if s.save_error and s.save_error != self._shown_error:
            self.flash(s.save_error, 6.0)
        self._shown_error = s.save_error
        if s.game.is_over():
            if self.end_at is None:
                self.end_at = self.app.now + min(1.5, self.delay() * 1.5)
            if self.app.now >= self.end_at and not self.ended:
                self.ended = True
                from engine.ui.end import EndScreen
                self.app.push(EndScreen(self.app, s))
            self.refresh()
            return
        if s.human_to_move():
            if s.hotseat() and self.confirmed != s.active:
                self.refresh()
                if self.app.now >= self.next_bot_at:
                    self.app.push(HandoverScreen(self.app, self, s.active))
                return
            if self.my_turn():
                self.summarise_if_due()
        elif not self.paused:
            if self.pending is None and not s.worker.busy:
                s.start_bot()
                self.pending = "thinking"
            if self.pending == "thinking":
                got = s.poll_bot()
                if got is not None:
                    self.pending = got
            if isinstance(self.pending, tuple) and self.app.now >= self.next_bot_at:
                choice, state = self.pending
                self.pending = None
                self.last = s.apply_bot(choice, state)
                self.next_bot_at = self.app.now + self.delay()
                self.stop_for_moments()
                if self.app.top is self and self.my_turn():
                    self.summarise_if_due()
        self.refresh()

    def handover_done(self, faction: str) -> None:
        self.confirmed = faction
        self.session.viewer = faction
        self.last = None
        self._seen = -1

    # -- input ------------------------------------------------------------------------
    def handle(self, event) -> bool:
        for b in self.bar:
            if b.handle(event):
                return True
        if self.selected is not None:
            if self.confirm.handle(event) or self.cancel.handle(event) or self.preview_list.handle(event):
                return True
        if self.moves.handle(event) or self.log.handle(event):
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            for rect, _, faction, _ in self._score_rows:
                if rect.collidepoint(event.pos):
                    self.app.open_briefing(faction)
                    return True
            for rect, faction in self.chips:
                if rect.collidepoint(event.pos):
                    self.app.open_briefing(faction)
                    return True
        if event.type == pygame.MOUSEMOTION:
            self.hover_space = self.map.space_at(event.pos) if self.map_rect.collidepoint(event.pos) else None
            self.map.legend_open = self.map.folded() and self.map.legend_at(event.pos)
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.map_rect.collidepoint(event.pos):
            space = self.map.space_at(event.pos)
            self.filter = None if space == self.filter else space
            return True
        if event.type == pygame.KEYDOWN:
            return self.key(event)
        return False

    def key(self, event) -> bool:
        k, ctrl = event.key, event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if ctrl and k == pygame.K_z:
            self.undo()
        elif ctrl and k == pygame.K_s:
            self.save()
        elif ctrl and k == pygame.K_o:
            self.load()
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.selected is not None:
                self.play_selected()
            else:
                self.moves.move_selection(1)
        elif k == pygame.K_ESCAPE:
            if self.selected is not None:
                self.clear_selection()
            elif self.filter is not None:
                self.filter = None
        elif k == pygame.K_DOWN:
            self.moves.move_selection(1)
        elif k == pygame.K_UP:
            self.moves.move_selection(-1)
        elif k == pygame.K_SPACE:
            self.toggle_pause()
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.cycle_speed(1)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.cycle_speed(-1)
        elif k == pygame.K_w:
            self.toggle_why()
        elif k == pygame.K_u:
            self.undo()
        elif k == pygame.K_n:
            self.note()
        elif k == pygame.K_b:
            self.note(bookmark=True)
        elif k == pygame.K_PAGEUP:
            self.log.scroll_by(-self.log.visible_rows())
        elif k == pygame.K_PAGEDOWN:
            self.log.scroll_by(self.log.visible_rows())
        elif k == pygame.K_F10:
            self.to_menu()
        else:
            return False
        return True

    def help_lines(self):
        return [("\u2191 \u2193", "choose a move in the list"),
                ("Enter", "preview the first move / confirm the previewed move"),
                ("Esc", "cancel the preview, then clear the map filter"),
                ("click a space", "show only the moves that act there (click again: all)"),
                ("Space", "pause or resume the AI"),
                ("+  \u2212", "AI speed: slow, normal, fast, instant"),
                ("W", "show the AI's reason for each move"),
                ("Ctrl+Z or U", "undo your last move (solo games)"),
                ("N  /  B", "a note / a bookmark on your last move"),
                ("Ctrl+S  Ctrl+O", "save  /  load"),
                ("PgUp PgDn, wheel", "scroll the log"),
                ("F10", "back to the main menu")]

    def tip_at(self, pos) -> str:
        for b in self.bar + ([self.confirm, self.cancel] if self.selected else []):
            tip = b.tip_at(pos)
            if tip:
                return tip
        tip = self.moves.tip_at(pos)
        if tip:
            return tip
        for rect, text in self._left_tips:
            if rect.collidepoint(pos):
                return text
        for rect, text, _, _ in self._score_rows:
            if rect.collidepoint(pos):
                return text
        if self.card_inline and self.card_rect.collidepoint(pos):
            card = self.session.display(self.viewer()).card
            if card is not None:
                return f"{card.title} ({card.date})\n{card.text}"
        for rect, faction in self.chips:
            if rect.collidepoint(pos):
                order = self.session.game.ctx.order
                score = self.session.scores(self.viewer())[faction].total
                return (f"{self.session.name(faction)}: {score} points; acts {order.index(faction) + 1} of "
                        f"{len(order)} this month (the event card sets the order). Click for its briefing.")
        if self.map_rect.collidepoint(pos):
            sid = self.map.space_at(pos)
            if sid:
                for p in self.session.display(self.viewer()).places:
                    if p.id == sid:
                        pieces = ", ".join(f"{x.count} {x.label}" for x in p.pieces) or "no pieces"
                        controls = dict(self.session.display(self.viewer()).controls)
                        lines = [p.name, f"Security: {controls.get(p.control, p.control)}", pieces]
                        lines += list(p.notes) + [b.text for b in p.badges]
                        n = sum(1 for m in self._legal if sid in self.session.presentation.places_of(m))
                        if n:
                            lines.append(f"{n} of your moves act here: click to list them.")
                        return "\n".join(lines)
        return ""

    # -- drawing ----------------------------------------------------------------------
    def draw(self, surface) -> None:
        s = self.session
        viewer = self.viewer()
        surface.fill(theme.BG)
        if s.hotseat() and s.human_to_move() and self.confirmed != s.active:
            viewer = self.confirmed  # the previous player's view until the hand-over
        display = s.display(viewer)
        highlight = set()
        for m in (self.hover_move, self.selected):
            if m is not None:
                highlight.update(s.presentation.places_of(m))
        last = self.last
        if last is not None and last.move is not None and last.by_bot and not s.human_to_move() \
                and last.seen_by(viewer):
            highlight.update(s.presentation.places_of(last.move))
        self.map.draw(surface, display, highlight, self.filter, self.hover_space)
        self.draw_top(surface, display)
        self._score_rows = scorebox.draw(surface, self.app.fonts, self.score_rect, s, viewer)
        self.draw_left(surface, display)
        if self.card_inline and display.card:
            self.draw_card_strip(surface, display.card)
        self.draw_right(surface)
        panel(surface, self.log_rect)
        head = self.app.fonts.text(f"Log \u2014 as the {s.name(viewer)} sees it", 13, theme.ACCENT, True)
        surface.blit(head, (self.log_rect.x + 8, self.log_rect.y + 3))
        self.log.draw(surface, self.app.fonts)
        if s.last_autosave is not None and s.saved_turn:
            # beside the title, in the room it leaves (short when narrow), never over it
            room = self.log_rect.w - head.get_width() - 32
            note = f"autosaved at the start of turn {s.saved_turn}"
            if self.app.fonts.width(note, 12) > room:
                note = f"autosaved T{s.saved_turn}"
            if self.app.fonts.width(note, 12) <= room:
                t = self.app.fonts.text(note, 12, theme.DIM)
                surface.blit(t, (self.log_rect.right - t.get_width() - 8, self.log_rect.y + 4))
        if self.message and self.app.now < self.message_until:
            text = self.app.fonts.fit(self.message, self.map_rect.w - 40, 14, True)
            t = self.app.fonts.text(text, 14, theme.INK, True)
            r = t.get_rect(midtop=(self.map_rect.centerx, self.map_rect.y + 8)).inflate(20, 10)
            pygame.draw.rect(surface, theme.YELLOW, r, border_radius=6)
            surface.blit(t, t.get_rect(center=r.center))

    def status_options(self) -> list[str]:
        """The top bar's status, in fewer and fewer words (the bar takes the first that fits)."""
        s = self.session
        ctx = s.game.ctx
        if s.game.is_over():
            return ["Game over"]
        if not s.active:
            return [""]
        who = "you" if s.human_to_move() else "AI"
        n = ctx.actions_left
        left = f"{n} action{'s' if n != 1 else ''} left"
        short = s.active.upper()
        tail = ""
        if not s.human_to_move():
            tail = " \u00b7 paused" if self.paused else (" \u00b7 thinking\u2026" if self.pending == "thinking" else "")
        out = [f"{s.name(s.active)} ({who}) \u2014 {left}{tail}", f"{short} ({who}): {left}{tail}",
               f"{short} ({who}): {n} left{tail}", f"{short} ({who}): {left}", f"{short} ({who}): {n} left",
               f"{short}: {n} left"]
        return list(dict.fromkeys(out))

    def draw_top(self, surface, display) -> None:
        fonts = self.app.fonts
        s = self.session
        ctx = s.game.ctx
        pygame.draw.rect(surface, theme.PANEL, self.top_rect)
        pygame.draw.line(surface, theme.LINE, (0, self.top_h - 1), (self.top_rect.w, self.top_h - 1))
        turn = f"T{ctx.turn}/{ctx.last_turn}" if self.compact else f"Turn {ctx.turn} of {ctx.last_turn}"
        month, _, year = display.when.partition(" ")
        heads = [f"{turn} \u00b7 {display.when}", f"{turn} \u00b7 {month[:3]} {year}".rstrip()]
        statuses = self.status_options()
        self._status_options = statuses
        # The most the bar can say: the whole status beside the whole date, else fewer words,
        # then the month shortened ("Sep 2020") before the last, barest status; never cut.
        pairs = [(heads[0], st) for st in statuses[:-1]] + [(heads[1], st) for st in statuses]
        chips_w = sum(fonts.width(f.upper(), 13, True) + (22 if self.compact else 30) + 4 for f in ctx.order)
        room = self.bar[0].rect.x - 24 - chips_w - 20
        head, status = next(((h, st) for h, st in pairs
                             if fonts.width(h, 16, True) + fonts.width(st, 13) <= room), pairs[-1])
        t = fonts.text(head, 16, theme.TEXT, True)
        surface.blit(t, (12, (self.top_h - t.get_height()) // 2))
        self.head_rect = pygame.Rect(12, (self.top_h - t.get_height()) // 2, t.get_width(), t.get_height())
        x = 24 + t.get_width()
        factions = s.scenario.factions
        self.chips = []
        for i, f in enumerate(ctx.order):
            idx = factions.index(f)
            active = i == ctx.active and not s.game.is_over()
            done = i < ctx.active
            label = f.upper()
            lt = fonts.text(label, 13, theme.TEXT if active else (theme.DIM if done else theme.MUTED), True)
            box = pygame.Rect(x, 8, lt.get_width() + (22 if self.compact else 30), 28)
            if active:
                pygame.draw.rect(surface, theme.PANEL_HI, box, border_radius=5)
                pygame.draw.rect(surface, theme.ACCENT, box, 2, border_radius=5)
            faction_chip(surface, fonts, idx, (box.x + 10, box.centery), 6)
            surface.blit(lt, (box.right - lt.get_width() - 5, box.centery - lt.get_height() // 2))
            self.chips.append((box, f))
            x = box.right + 4
        limit = self.bar[0].rect.x - x - 12
        self.status_rect = pygame.Rect(0, 0, 0, 0)
        self._status_shown = ""
        if status and limit > 40:
            self._status_shown = fonts.fit(status, limit, 13)
            st = fonts.text(self._status_shown, 13, theme.ACCENT if s.human_to_move() else theme.MUTED)
            surface.blit(st, (x + 8, (self.top_h - st.get_height()) // 2))
            self.status_rect = pygame.Rect(x + 8, (self.top_h - st.get_height()) // 2, st.get_width(),
                                           st.get_height())
        self.bar[1].label = f"Speed: {SPEEDS[self.speed][0]}" if self.app.bot_delay is None else "Speed: test"
        self.bar[3].enabled = s.can_undo() and not s.game.is_over()
        for b in self.bar:
            b.draw(surface, fonts)

    def draw_card_strip(self, surface, card) -> None:
        key = (card, self.card_rect.size)
        if getattr(self, "_strip_key", None) != key:
            self._strip_key = key
            self._strip = pygame.Surface(self.card_rect.size)
            self._strip.fill(theme.BG)
            self.render_card_strip(self._strip, card, self._strip.get_rect())
        surface.blit(self._strip, self.card_rect)

    def render_card_strip(self, surface, card, r) -> None:
        fonts = self.app.fonts
        pygame.draw.rect(surface, (48, 46, 36), r, border_radius=5)
        pygame.draw.rect(surface, theme.YELLOW, r, 1, border_radius=5)
        head = fonts.text("Event card", 12, theme.YELLOW, True)
        surface.blit(head, (r.x + 8, r.centery - head.get_height() // 2))
        x = r.x + 16 + head.get_width()
        text = fonts.fit(f"{card.title} ({card.date}) \u2014 {card.text}", r.right - x - 8, 12)
        t = fonts.text(text, 12, theme.TEXT)
        surface.blit(t, (x, r.centery - t.get_height() // 2))

    def draw_left(self, surface, display) -> None:
        key = (display, self.session.active, self.left_rect.size)
        if key != self._left_key or self._left is None:
            self._left = self.render_left(display)
            self._left_key = key
        surface.blit(self._left, self.left_rect)

    def render_left(self, display) -> pygame.Surface:
        drawn: list = []
        surf, tips = render_tracks(self.app.fonts, display, self.session.active,
                                   self.session.scenario.factions, self.left_rect.size, not self.card_inline,
                                   drawn)
        self._left_tips = [(r.move(self.left_rect.topleft), t) for r, t in tips]
        self._tracks_drawn = [(g, {k: v.move(self.left_rect.topleft) if isinstance(v, pygame.Rect) else v
                                   for k, v in d.items()}) for g, d in drawn]
        return surf

    def draw_right(self, surface) -> None:
        fonts = self.app.fonts
        s = self.session
        title = "Your moves" if self.my_turn() else "Moves"
        if self.my_turn():
            left = s.game.ctx.actions_left
            title = f"Your moves \u2014 {left} action{'s' if left != 1 else ''} left"
        surface.blit(fonts.text(fonts.fit(title, self.moves_title.w - 10, 15, True), 15, theme.ACCENT, True),
                     (self.moves_title.x + 4, self.moves_title.y + 3))
        self.moves.draw(surface, fonts)
        rect = self.preview_rect
        if self.selected is not None and self.selected in self._previews:
            self.draw_preview(surface, rect, self.selected)
        else:
            self.draw_result(surface, rect)

    def draw_preview(self, surface, rect, move: Move) -> None:
        fonts = self.app.fonts
        s = self.session
        p = self._previews[move]
        kind = s.scenario.registry.kind(move.faction, move.kind)
        key = (move, s.version, rect.size)
        if getattr(self, "_head_key", None) != key:   # the fixed part, drawn once per move
            self._head_key = key
            head = pygame.Surface(rect.size)
            head.fill(theme.BG)
            local = head.get_rect()
            title = f"Preview \u2014 {kind.title}"   # the move's kind, when it fits whole
            y = panel(head, local, title if fonts.width(title, 14, True) <= rect.w - 20 else "Preview", fonts)
            body = pygame.Rect(0, 0, rect.w, self.confirm.rect.y - rect.y - 4)
            y = text_block(head, fonts, [(p.summary, (theme.TEXT, True)), (f"Cost: {p.cost}", theme.TEXT)],
                           body, y, 13)
            if p.check is not None:
                y = text_block(head, fonts, [(preview_text.roll_line(p.check), theme.MUTED)], body, y, 12)
                bar = pygame.Rect(10, y + 2, rect.w - 20, 18)
                odds_bar(head, fonts, bar, p.check.odds())
                y = bar.bottom + 4
            self._head, self._head_y = head, y
        surface.blit(self._head, rect)
        y = rect.y + self._head_y
        body = pygame.Rect(rect.x, rect.y, rect.w, self.confirm.rect.y - rect.y - 4)
        if self._preview_of != (move, s.version):
            self._preview_of = (move, s.version)
            self.preview_list.set_rows(preview_text.rows(p, s.game.consequences(move)))
            self.preview_list.scroll = 0
        self.preview_list.rect = pygame.Rect(rect.x + 4, y, rect.w - 8, max(20, body.bottom - y))
        self.preview_list.draw(surface, fonts)
        self.confirm.draw(surface, fonts)
        self.cancel.draw(surface, fonts)

    def draw_result(self, surface, rect) -> None:
        fonts = self.app.fonts
        s = self.session
        entry = self.last
        viewer = self.viewer()
        if entry is None or entry.move is None:
            y = panel(surface, rect, "Resolution", fonts)
            if self.my_turn():
                hint = ["Choose a move in the list above, or click a space on the map to see the moves "
                        "that act there. The preview shows the cost, the odds and every modifier before "
                        "you confirm."]
            elif s.game.is_over():
                hint = ["The game is over."]
            else:
                hint = [f"{s.name(s.active)} is playing." if s.active else ""]
            text_block(surface, fonts, [(h, theme.MUTED) for h in hint], rect, y, 13)
            return
        who = s.name(entry.move.faction)
        y = panel(surface, rect, f"Resolution \u2014 {who}" + (" (AI)" if entry.by_bot else ""), fonts)
        y, out = resolution_block(surface, fonts, rect, y, s.entry_lines(entry, viewer))
        if entry.by_bot and entry.reason and entry.seen_by(viewer):
            if self.show_why:
                why = s.why.get(s.entries.index(entry)) if entry in s.entries else None
                lines = why.lines() if why is not None else [f"Why: {entry.reason}"]
                out += [(line, theme.YELLOW if i == 0 else theme.TEXT if not line.startswith("The numbers")
                         else theme.MUTED) for i, line in enumerate(lines)]
            else:
                out.append(("Press W to see why the AI chose this.", theme.DIM))
        text_block(surface, fonts, out, rect, y, 13)


class HandoverScreen(Screen):
    """Between two human players: the board is hidden until the next one confirms."""

    def __init__(self, app, game_screen: GameScreen, faction: str) -> None:
        super().__init__(app)
        self.game_screen = game_screen
        self.faction = faction
        self.ready = Button("I am ready", self.done, "Enter", "Show the board to this player.", primary=True,
                            size=18)

    def layout(self, size) -> None:
        w, h = size
        self.ready.rect = pygame.Rect(w // 2 - 110, h // 2 + 80, 220, 52)

    def done(self) -> None:
        self.app.pop()
        self.game_screen.handover_done(self.faction)

    def handle(self, event) -> bool:
        if self.ready.handle(event):
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.done()
            return True
        return False

    def tip_at(self, pos) -> str:
        return self.ready.tip_at(pos)

    def help_lines(self):
        return [("Enter or Space", "the named player is at the screen: show the board")]

    def draw(self, surface) -> None:
        fonts = self.app.fonts
        s = self.game_screen.session
        w, h = surface.get_size()
        surface.fill((16, 19, 25))
        idx = s.scenario.factions.index(self.faction)
        faction_chip(surface, fonts, idx, (w // 2, h // 2 - 120), 22)
        t = fonts.text("Hand over the screen", 20, theme.MUTED)
        surface.blit(t, t.get_rect(center=(w // 2, h // 2 - 70)))
        t = fonts.text(f"to the {s.name(self.faction)}", 34, theme.TEXT, True)
        surface.blit(t, t.get_rect(center=(w // 2, h // 2 - 30)))
        ctx = s.game.ctx
        note = (f"Turn {ctx.turn} of {ctx.last_turn}. The board is hidden so that no one sees another "
                f"side's secrets. Other players, please look away.")
        y = h // 2 + 10
        for line in fonts.wrap(note, 560, 15):
            t = fonts.text(line, 15, theme.MUTED)
            surface.blit(t, t.get_rect(center=(w // 2, y)))
            y += fonts.height(15)
        self.ready.draw(surface, fonts)
