"""The replay viewer: any recorded game, stepped forward and back, played at a chosen speed.

Positions come from :class:`engine.ui.session.Replay`, built on a save's
:class:`engine.record.Record` (``Record.game_at``: cached states, cheap
seeking); the log shows the game up to the current position, which is
highlighted, so map, tracks and log always agree.  Undo entries of a solo
game show as moves taken back.
"""

from __future__ import annotations

import pygame

from engine.ui import theme
from engine.ui.app import Screen
from engine.ui.mapview import MapView, load_map
from engine.ui.notes import ReportJob, fit_message, note_line, report_dir
from engine.ui.paint import panel, roll_of, text_block
from engine.ui.play import log_rows, render_tracks
from engine.ui.session import Replay, entry_lines
from engine.ui.widgets import Button, Cycler, ScrollList, Slider

SPEEDS = (("0.5 moves/s", 2.0), ("1 move/s", 1.0), ("3 moves/s", 0.33), ("10 moves/s", 0.1))


class ReplayScreen(Screen):
    def __init__(self, app, replay: Replay, index: int = 0) -> None:
        super().__init__(app)
        self.replay = replay
        sc = replay.scenario
        self.index = index
        self.playing = False
        self.speed = 1
        self.next_at = 0.0
        self.map = MapView(load_map(), sc.factions, replay.presentation.piece_kinds(), app.fonts)
        views = [("", "White cell (everything)")] + [(f, sc.faction_names[f]) for f in sc.factions]
        self.viewpoint = Cycler(views, tooltip="Whose view to watch: the white cell sees every secret.",
                                on_change=lambda v: self.changed())
        self.slider = Slider(0, len(replay) - 1, index, self.seek,
                             tooltip="Drag to any move; the ticks mark the start of each turn, "
                                     "\u2605 a bookmark, \u25c6 a moment that changed the game.")
        self.slider.ticks = sorted(set(replay.turn_starts.values()))
        self.slider.marks = replay.bookmarks(None)
        self.slider.moments = sorted(replay.moments(None))
        self.resume = False      # playback goes on after a call-out is dismissed
        self.callouts_shown: list[str] = []
        turns = [(str(t), f"Turn {t}") for t in replay.turn_starts]
        self.turn_jump = Cycler(turns or [("1", "Turn 1")],
                                tooltip="Jump to the start of a turn (click the arrows, or T / Shift+T).",
                                on_change=lambda v: self.seek(self.replay.turn_starts.get(int(v), 0)))
        self.log = ScrollList(size=12)
        self.buttons = [
            Button("|\u25c0", self.first, "Home", "First position."),
            Button("\u25c0\u25c0", self.prev_turn, "PgUp", "Start of the previous turn."),
            Button("\u25c0", lambda: self.seek(self.index - 1), "\u2190", "One move back."),
            Button("Play", self.toggle_play, "Space", "Play or pause."),
            Button("\u25b6", lambda: self.seek(self.index + 1), "\u2192", "One move forward."),
            Button("\u25b6\u25b6", self.next_turn, "PgDn", "Start of the next turn."),
            Button("\u25b6|", self.last, "End", "Last position."),
        ]
        self.speed_button = Button("", self.cycle_speed, "+ / \u2212", "Playback speed.")
        self.back = Button("Back", self.app_pop, "Esc", "Leave the replay.")
        self.export_button = Button("Export report", self.export, "E",
                                    "Write the after-action review of this game as the view you "
                                    "watch sees it (the white cell: everything).")
        self.job = ReportJob()
        self.message = ""
        self.message_colour = theme.TEXT
        self.message_until = 0.0
        self._left = None
        self._left_key = None
        self._left_tips = []
        self._tracks_drawn: list = []   # (gauge, what gauge_row drew) in the window's frame
        self._log_key = None
        self.turn_jump.set(str(self.turn_of(index)))

    def app_pop(self) -> None:
        self.app.pop()

    @property
    def faction(self) -> str | None:
        return self.viewpoint.value or None

    # -- layout -----------------------------------------------------------------------
    def layout(self, size) -> None:
        w, h = size
        top = 44
        left_w = max(260, min(340, w * 23 // 100))
        right_w = max(300, min(420, w * 27 // 100))
        self.top_rect = pygame.Rect(0, 0, w, top)
        self.left_rect = pygame.Rect(4, top + 2, left_w - 6, h - top - 6)
        cx, cw = left_w, w - left_w - right_w
        narrow = cw < 640   # the speed and the turn box go on a second row
        ch = 140 if narrow else 102
        self.controls_rect = pygame.Rect(cx + 2, h - ch - 4, cw - 4, ch)
        self.map_rect = pygame.Rect(cx + 2, top + 2, cw - 4, self.controls_rect.y - top - 6)
        self.map.layout(self.map_rect)
        self.right_rect = pygame.Rect(w - right_w + 2, top + 2, right_w - 6, h - top - 6)
        r = self.right_rect
        self.move_rect = pygame.Rect(r.x, r.y, r.w, min(250, r.h // 3))
        self.log.rect = pygame.Rect(r.x, self.move_rect.bottom + 28, r.w, r.bottom - self.move_rect.bottom - 28)
        c = self.controls_rect
        self.slider.rect = pygame.Rect(c.x + 10, c.y + 6, c.w - 20, 24)
        bx = c.x + 10
        for b in self.buttons:
            b.rect = pygame.Rect(bx, c.y + 38, 44 if b.label != "Play" else 70, 34)
            bx = b.rect.right + 6
        row_x, row_y = (c.x + 10, c.y + 76) if narrow else (bx + 6, c.y + 38)
        self.speed_button.rect = pygame.Rect(row_x, row_y, 112, 34)
        self.turn_jump.rect = pygame.Rect(self.speed_button.rect.right + 10, row_y,
                                          min(150, max(110, c.right - self.speed_button.rect.right - 20)), 34)
        self.viewpoint.rect = pygame.Rect(w - 300 - 90, 6, 290, 32)
        self.export_button.rect = pygame.Rect(self.viewpoint.rect.x - 136, 7, 128, 30)
        self.export_button.size = 13
        self.message_rect = pygame.Rect(c.x + 10, c.y + (114 if narrow else 76), c.w - 20, 22)
        self.back.rect = pygame.Rect(w - 84, 7, 78, 30)
        self._left_key = None
        self._log_key = None

    # -- navigation -------------------------------------------------------------------
    def seek(self, index: int) -> None:
        self.index = max(0, min(len(self.replay) - 1, index))
        self.slider.value = self.index
        self.turn_jump.set(str(self.turn_of(self.index)))
        if self.index >= len(self.replay) - 1:
            self.playing = False

    def first(self) -> None:
        self.seek(0)

    def last(self) -> None:
        self.seek(len(self.replay) - 1)

    def turn_of(self, index: int) -> int:
        return self.replay.game(index).ctx.turn

    def prev_turn(self) -> None:
        starts = sorted(self.replay.turn_starts.values())
        earlier = [i for i in starts if i < self.index]
        self.seek(earlier[-1] if earlier else 0)

    def next_turn(self) -> None:
        starts = sorted(self.replay.turn_starts.values())
        later = [i for i in starts if i > self.index]
        self.seek(later[0] if later else len(self.replay) - 1)

    def toggle_play(self) -> None:
        if not self.playing and self.index >= len(self.replay) - 1:
            self.seek(0)
        self.playing = not self.playing
        self.next_at = self.app.now + SPEEDS[self.speed][1]

    def cycle_speed(self, delta: int = 1) -> None:
        self.speed = (self.speed + delta) % len(SPEEDS)

    def changed(self) -> None:
        self._left_key = None
        self._log_key = None
        self.slider.marks = self.replay.bookmarks(self.faction)
        self.slider.moments = sorted(self.replay.moments(self.faction))

    def next_moment(self, delta: int) -> None:
        """Jump to the next (or previous) moment that changed the game in this view."""
        marks = self.slider.moments
        if not marks:
            self.flash("No moment changed the game in this view.", theme.MUTED)
            return
        later = [i for i in marks if i > self.index] if delta > 0 else [i for i in marks if i < self.index]
        self.seek((later[0] if delta > 0 else later[-1]) if later else (marks[0] if delta > 0 else marks[-1]))

    def stop_for_moment(self) -> None:
        """Playback stops at a moment that changed the game, with its call-out; Continue
        plays on."""
        from engine.ui.news import NewsScreen, callout_rows
        found = self.replay.moments(self.faction).get(self.index)
        if not found:
            return
        self.playing = False
        self.resume = self.index < len(self.replay) - 1
        self.callouts_shown.append(found[0][0])
        game = self.replay.game(self.index)
        rows = callout_rows(found)
        entry = self.replay.entry(self.index)
        if entry.move is not None and entry.seen_by(self.faction):
            rows.append((f"After: {self.replay.scenario.faction_names[entry.move.faction]} "
                         f"\u2014 {entry.summary}", "dim", None))
        rows.append((f"Move {self.index} of {len(self.replay) - 1}, turn {game.ctx.turn}", "dim", None))
        self.app.push(NewsScreen(self.app, "callout", found[0][0], rows))

    def next_bookmark(self, delta: int) -> None:
        marks = self.replay.bookmarks(self.faction)
        if not marks:
            self.flash("No bookmarks in this view.", theme.MUTED)
            return
        later = [i for i in marks if i > self.index] if delta > 0 else [i for i in marks if i < self.index]
        self.seek((later[0] if delta > 0 else later[-1]) if later else (marks[0] if delta > 0 else marks[-1]))

    def flash(self, text: str, colour=theme.TEXT, seconds: float = 8.0) -> None:
        self.message, self.message_colour = text, colour
        self.message_until = self.app.now + seconds

    def export_stem(self) -> str:
        title = self.replay.title
        return title[:-5] if title.lower().endswith(".json") else (title or "replay")

    def export(self) -> None:
        """The report of the view being watched, written in a worker thread."""
        if self.job.busy:
            self.flash("A report is being written…", theme.MUTED, 60.0)
            return
        faction = self.faction
        out = report_dir(self.app.saves_dir, self.export_stem(), faction)
        if self.job.start(self.replay.record, out, faction, self.replay.title):
            whose = self.replay.scenario.faction_names[faction] if faction else "the white cell"
            self.flash(f"Writing the report for {whose}…", theme.MUTED, 60.0)

    def busy(self) -> bool:
        return self.playing

    def update(self, dt: float) -> None:
        done = self.job.poll()
        if done is not None:
            self.flash(done, theme.GREEN if done.startswith("Report written") else theme.VERMILLION, 12.0)
        self.export_button.enabled = not self.job.busy
        if self.resume:   # back from a call-out: play on
            self.resume = False
            self.playing = True
            self.next_at = self.app.now + SPEEDS[self.speed][1]
        if self.playing and self.app.now >= self.next_at:
            self.seek(self.index + 1)
            self.next_at = self.app.now + SPEEDS[self.speed][1]
            self.stop_for_moment()
        self.buttons[3].label = "Pause" if self.playing else "Play"
        self.speed_button.label = SPEEDS[self.speed][0]

    # -- input ------------------------------------------------------------------------
    def handle(self, event) -> bool:
        if event.type == pygame.MOUSEMOTION:   # a small map's Key tab opens under the pointer
            self.map.legend_open = self.map.folded() and self.map.legend_at(event.pos)
        for w in [*self.buttons, self.speed_button, self.back, self.export_button, self.viewpoint,
                  self.slider, self.turn_jump, self.log]:
            if w.handle(event):
                return True
        if event.type != pygame.KEYDOWN:
            return False
        k = event.key
        actions = {pygame.K_LEFT: lambda: self.seek(self.index - 1),
                   pygame.K_RIGHT: lambda: self.seek(self.index + 1),
                   pygame.K_HOME: self.first, pygame.K_END: self.last,
                   pygame.K_PAGEUP: self.prev_turn, pygame.K_PAGEDOWN: self.next_turn,
                   pygame.K_SPACE: self.toggle_play, pygame.K_ESCAPE: self.app_pop,
                   pygame.K_PLUS: lambda: self.cycle_speed(1), pygame.K_EQUALS: lambda: self.cycle_speed(1),
                   pygame.K_KP_PLUS: lambda: self.cycle_speed(1), pygame.K_MINUS: lambda: self.cycle_speed(-1),
                   pygame.K_KP_MINUS: lambda: self.cycle_speed(-1),
                   pygame.K_v: lambda: self.viewpoint.step(1),
                   pygame.K_e: self.export,
                   pygame.K_b: lambda: self.next_bookmark(-1 if event.mod & pygame.KMOD_SHIFT else 1),
                   pygame.K_m: lambda: self.next_moment(-1 if event.mod & pygame.KMOD_SHIFT else 1),
                   pygame.K_t: lambda: self.turn_jump.step(-1 if event.mod & pygame.KMOD_SHIFT else 1)}
        if k in actions:
            actions[k]()
            return True
        return False

    def tip_at(self, pos) -> str:
        for w in [*self.buttons, self.speed_button, self.back, self.export_button, self.viewpoint,
                  self.slider, self.turn_jump]:
            if w.tip_at(pos):
                return w.tip_at(pos)
        for rect, text in self._left_tips:
            if rect.collidepoint(pos):
                return text
        title = getattr(self, "title_rect", None)
        if title is not None and title.collidepoint(pos) and self.replay.title:
            return f"Replay of {self.replay.title}"
        return ""

    def help_lines(self):
        return [("\u2190 \u2192", "one move back / forward"), ("PgUp PgDn", "previous / next turn"),
                ("Home End", "first / last position"), ("Space", "play or pause"),
                ("+  \u2212", "playback speed"), ("drag the slider", "jump to any move"),
                ("T  Shift+T", "jump to the next / previous turn's start"),
                ("V", "change whose view you watch"),
                ("B  Shift+B", "jump to the next / previous bookmark (★ on the slider)"),
                ("M  Shift+M", "jump to the next / previous moment that changed the game "
                               "(\u25c6 under the slider; playing stops there)"),
                ("E", "export the report of the view you watch (white cell: all)"),
                ("Esc", "leave the replay")]

    # -- drawing ----------------------------------------------------------------------
    def draw(self, surface) -> None:
        fonts = self.app.fonts
        rp = self.replay
        game = rp.game(self.index)
        faction = self.faction
        surface.fill(theme.BG)
        display = rp.presentation.display(game.view(faction).board, faction)
        entry = rp.entry(self.index)
        lit = set(rp.presentation.places_of(entry.move)) \
            if entry.move is not None and not entry.undo and entry.seen_by(faction) else set()
        self.map.draw(surface, display, lit)
        key = (self.index, faction, self.left_rect.size)
        if key != self._left_key:
            drawn: list = []
            self._left, tips = render_tracks(fonts, display, game.active_faction, rp.scenario.factions,
                                             self.left_rect.size, drawn=drawn)
            self._left_tips = [(r.move(self.left_rect.topleft), t) for r, t in tips]
            self._tracks_drawn = [(g, {k: v.move(self.left_rect.topleft) if isinstance(v, pygame.Rect)
                                       else v for k, v in d.items()}) for g, d in drawn]
            self._left_key = key
        surface.blit(self._left, self.left_rect)
        # Top bar.
        pygame.draw.rect(surface, theme.PANEL, self.top_rect)
        # Where the replay is matters more than the file's name: the title gives way first
        # ("Replay", the name on hover), then the position in fewer words; never cut.
        titles = [f"Replay \u2014 {rp.title}", "Replay"] if rp.title else ["Replay"]
        wheres = [self.where_text(display), self.where_text(display, short=True)]
        room = self.export_button.rect.x - 36
        pairs = [(titles[0], wheres[0])] + [(titles[-1], wh) for wh in wheres]
        title, where = next(((ti, wh) for ti, wh in pairs
                             if fonts.width(ti, 16, True) + fonts.width(wh, 15) <= room), pairs[-1])
        t = fonts.text(title, 16, theme.ACCENT, True)
        self.title_rect = surface.blit(t, (12, 12))
        room = self.export_button.rect.x - 36 - t.get_width()
        self._where_shown = fonts.fit(where, room, 15)
        surface.blit(fonts.text(self._where_shown, 15, theme.TEXT), (24 + t.get_width(), 13))
        self.viewpoint.draw(surface, fonts)
        self.back.draw(surface, fonts)
        self.export_button.draw(surface, fonts)
        # Controls.
        panel(surface, self.controls_rect)
        self.slider.draw(surface, fonts)
        for b in [*self.buttons, self.speed_button]:
            b.draw(surface, fonts)
        self.turn_jump.draw(surface, fonts)
        # The current move.
        y = panel(surface, self.move_rect, "This move", fonts)
        lines = self.entry_lines(entry, faction) if entry.move is not None or self.index else \
            ["The start of the game."]
        lines = lines or [""]
        roll = roll_of(lines)
        out = [(f"\u25c6 {head}", (theme.ORANGE, True))
               for head, _ in rp.moments(faction).get(self.index, ())]
        out.append((lines[0], (theme.TEXT, True)))
        for line in lines[1:]:
            if line.startswith("\u2014 Turn"):
                break
            out.append((line.strip(), theme.TIER_COLOURS.get(roll["tier"], theme.TEXT)
                        if roll is not None and line.strip().startswith(roll["name"] + ": rolled") else theme.MUTED))
        if entry.reason and entry.seen_by(faction):
            out.append((f"Why: {entry.reason}", theme.YELLOW))
        names = rp.scenario.faction_names
        for note in rp.notes(faction).get(self.index, ()):
            out.append((note_line(note, names), theme.SKY))
        text_block(surface, fonts, out, self.move_rect, y, 13)
        # The log, in sync.
        log_key = (self.index, faction)
        if log_key != self._log_key:
            notes = rp.notes(faction)
            names = rp.scenario.faction_names
            lines, noted = [], []
            for i, e in enumerate(rp.entries_upto(self.index)):
                if not e.note:  # a note shows beside the move it is about, not where it was written
                    lines += [(line, i) for line in self.entry_lines(e, faction)]
                for note in notes.get(i, ()):
                    noted.append(len(lines))
                    lines.append((note_line(note, names), i))
            rows = log_rows(lines, highlight=self.index)
            for n in noted:
                rows[n] = (rows[n][0], theme.SKY, None)
            self.log.set_rows(rows)
            self.log._wrap(fonts)
            self.log.scroll = self.log.max_scroll()
            self._log_key = log_key
        surface.blit(fonts.text("Log", 14, theme.ACCENT, True), (self.log.rect.x + 4, self.log.rect.y - 22))
        self.log.draw(surface, fonts)
        # The status line under the controls: an export's outcome, else the bookmarks.
        m = self.message_rect
        if self.message and (self.app.now < self.message_until or self.job.busy):
            text, colour = self.message, self.message_colour
        else:
            marks = len(self.slider.marks)
            moments = len(self.slider.moments)
            text = (f"\u2605 {marks} bookmark{'s' if marks != 1 else ''} in this view (B: next, "
                    f"Shift+B: previous)  \u00b7  E: export the report") if marks else \
                "E: export the report of this view"
            if moments:
                text = f"\u25c6 {moments} moment{'s' if moments != 1 else ''} (M: next)  \u00b7  " + text
            if fonts.width(text, 13) > m.w:   # narrow: the keys, in fewer words
                parts = ([f"\u25c6 {moments} moment{'s' if moments != 1 else ''} (M)"] if moments else []) + \
                    ([f"\u2605 {marks} bookmark{'s' if marks != 1 else ''} (B)"] if marks else []) + \
                    ["E: report"]
                text = "  \u00b7  ".join(parts)
            colour = theme.MUTED
        shown = fit_message(fonts, text, m.w, 13) if text == self.message else fonts.fit(text, m.w, 13)
        t = fonts.text(shown, 13, colour)
        surface.blit(t, (m.x, m.centery - t.get_height() // 2))

    def where_text(self, display=None, short: bool = False) -> str:
        game = self.replay.game(self.index)
        if display is None:
            display = self.replay.presentation.display(game.view(self.faction).board, self.faction)
        if short:
            month, _, year = display.when.partition(" ")
            return f"Move {self.index}/{len(self.replay) - 1} \u00b7 T{game.ctx.turn} \u00b7 {month[:3]} {year}"
        return f"Move {self.index} of {len(self.replay) - 1} \u00b7 turn {game.ctx.turn} \u00b7 {display.when}"

    def entry_lines(self, entry, faction) -> list[str]:
        return entry_lines(self.replay.scenario, entry, faction)
