"""Files from the window: the list of saves (to load or to replay) and the save box.

The list shows the saves of the saves folder (``$CROSSROADS_SAVES``, else
``saves/``), newest first, each by what it is (turn, month, who is to move,
or who won); a game's autosaves under its newest one (A shows them all); a
host's token files and other JSON are not listed (engine/ui/saves.py).  A file that cannot be
used says why in one line, in the window; a file is only ever read here,
except the one the player names in the save box.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pygame

from engine.record import SaveError
from engine.ui import saves, theme
from engine.ui.app import Screen
from engine.ui.paint import panel
from engine.ui.widgets import Button, ScrollList, draw_entry, edit_line, entry_box

TITLES = {"load": "Load a game", "replay": "Replay a save"}


def one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text


class FileScreen(Screen):
    """The saves folder as a list; Enter (or a second click) opens the chosen file."""

    def __init__(self, app, mode: str) -> None:
        super().__init__(app)
        if mode not in TITLES:
            raise ValueError(f"mode must be load or replay, not {mode!r}")
        self.mode = mode
        self.directory = Path(app.saves_dir)
        self.files: list[saves.SaveInfo] = []
        self.message = ""
        self.list = ScrollList(size=14, on_select=self.select)
        self.open_button = Button("Open" if mode == "load" else "Replay", self.open_selected, "Enter",
                                  "Open the chosen file.", primary=True)
        self.back = Button("Back", self.app_pop, "Esc", "Back without opening a file.")
        self.refresh_button = Button("Refresh", self.refresh, "F5", "Read the folder again.")
        self.selected: int | None = None
        self.every_autosave = False   # A: every autosave, not only each game's newest
        self.refresh()

    def app_pop(self) -> None:
        self.app.pop()

    def refresh(self) -> None:
        self.files = saves.list_saves(self.directory, self.every_autosave)
        rows = []
        for i, f in enumerate(self.files):
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(f.mtime))
            if f.autosave:
                older = f" (+{f.older} older autosave{'s' if f.older != 1 else ''}: A shows them)" if f.older else ""
                title = f"Autosave, {stamp}{older}"
            else:
                title = f"{f.name}   \u00b7 saved {stamp}"
            rows.append((title, "item" if f.ok else theme.ORANGE, i))
            rows.append(("   " + f.about, "dim", i))
        if not rows:
            rows.append((f"No saves in {saves.short_path(self.directory)}/ yet: games autosave there "
                         f"after every turn.", "dim", None))
        self.list.set_rows(rows)
        self.selected = 0 if self.files else None
        self.list.selected = self.selected
        self.open_button.enabled = bool(self.files)

    # -- layout -----------------------------------------------------------------------
    def layout(self, size) -> None:
        w, h = size
        self.panel = pygame.Rect(0, 0, min(980, w - 60), h - 60)
        self.panel.center = (w // 2, h // 2)
        p = self.panel
        self.list.rect = pygame.Rect(p.x + 20, p.y + 76, p.w - 40, p.h - 76 - 92)
        self.open_button.rect = pygame.Rect(p.right - 20 - 150, p.bottom - 56, 150, 40)
        self.back.rect = pygame.Rect(self.open_button.rect.x - 12 - 110, p.bottom - 56, 110, 40)
        self.refresh_button.rect = pygame.Rect(p.x + 20, p.bottom - 56, 110, 40)

    # -- actions ----------------------------------------------------------------------
    def select(self, index) -> None:
        if index is None:
            return
        if index == self.selected:
            self.open_selected()
            return
        self.selected = index
        self.message = ""

    def move(self, delta: int) -> None:
        if not self.files:
            return
        i = 0 if self.selected is None else max(0, min(len(self.files) - 1, self.selected + delta))
        self.selected = i
        self.list.selected = i
        self.list._dirty = True
        self.list.scroll_to(i)
        self.message = ""

    def open_selected(self) -> None:
        if self.selected is None or not self.files:
            return
        self.open(self.files[self.selected].path)

    def open(self, path: Path) -> None:
        """Load ``path``; a bad file is one line in the window, and the file is left as it was."""
        try:
            if self.mode == "load":
                recorder = saves.load_game(path, self.app.autosave_dir)
            else:
                record = saves.load_record(path)
        except SaveError as err:
            self.message = f"{path.name}: {one_line(err)}"
            return
        except (OSError, ValueError, MemoryError, RecursionError) as err:  # never a crash
            self.message = f"{path.name}: cannot be opened ({one_line(err)})"
            return
        if self.mode == "load":
            self.app.open_game(recorder, str(path))
        else:
            from engine.ui.replay import ReplayScreen
            from engine.ui.session import Replay
            self.app.replace(ReplayScreen(self.app, Replay(record, title=path.name)))

    # -- events -----------------------------------------------------------------------
    def handle(self, event) -> bool:
        for b in (self.open_button, self.back, self.refresh_button):
            if b.handle(event):
                return True
        if self.list.handle(event):
            return True
        if event.type != pygame.KEYDOWN:
            return False
        k = event.key
        if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.open_selected()
        elif k == pygame.K_ESCAPE:
            self.app_pop()
        elif k == pygame.K_DOWN:
            self.move(1)
        elif k == pygame.K_UP:
            self.move(-1)
        elif k == pygame.K_HOME:
            self.move(-10 ** 6)
        elif k == pygame.K_END:
            self.move(10 ** 6)
        elif k == pygame.K_F5:
            self.refresh()
        elif k == pygame.K_a:
            self.every_autosave = not self.every_autosave
            self.refresh()
        else:
            return False
        return True

    def tip_at(self, pos) -> str:
        for b in (self.open_button, self.back, self.refresh_button):
            if b.tip_at(pos):
                return b.tip_at(pos)
        return ""

    def help_lines(self):
        return [("\u2191 \u2193, click", "choose a file"), ("Enter, click again", "open it"),
                ("F5", "read the folder again"), ("A", "every autosave / each game's newest only"),
                ("Esc", "back")]

    # -- drawing ----------------------------------------------------------------------
    def draw(self, surface) -> None:
        fonts = self.app.fonts
        surface.fill(theme.BG)
        p = self.panel
        panel(surface, p)
        surface.blit(fonts.text(TITLES[self.mode], 22, theme.ACCENT, True), (p.x + 20, p.y + 14))
        where = f"Saves and autosaves in {saves.short_path(self.directory)}/, newest first"
        surface.blit(fonts.text(fonts.fit(where, p.w - 40, 14), 14, theme.MUTED), (p.x + 20, p.y + 48))
        self.list.selected = self.selected
        self.list.draw(surface, fonts)
        if self.message:
            t = fonts.text(fonts.fit(self.message, p.w - 40, 14), 14, theme.VERMILLION, True)
            surface.blit(t, (p.x + 20, self.list.rect.bottom + 8))
        for b in (self.refresh_button, self.back, self.open_button):
            b.draw(surface, fonts)


class SaveScreen(Screen):
    """A box over the game: type a file name, Enter saves it in the saves folder."""

    opaque = False

    def __init__(self, app, recorder, default_name: str, on_saved: Callable[[Path], None]) -> None:
        super().__init__(app)
        self.recorder = recorder
        self.directory = Path(app.saves_dir)
        self.text = default_name
        self.on_saved = on_saved
        self.message = ""
        self.confirm_replace = ""  # the name the player was warned about
        self.save_button = Button("Save", self.save, "Enter", "Write the game to this file.", primary=True)
        self.cancel = Button("Cancel", self.app_pop, "Esc", "Close without saving.")
        self.field = pygame.Rect(0, 0, 0, 0)

    def app_pop(self) -> None:
        self.app.pop()

    def layout(self, size) -> None:
        self.box, self.field = entry_box(size, 620)
        b = self.box
        self.save_button.rect = pygame.Rect(b.right - 20 - 120, b.bottom - 54, 120, 38)
        self.cancel.rect = pygame.Rect(self.save_button.rect.x - 12 - 110, b.bottom - 54, 110, 38)

    def save(self) -> None:
        try:
            name = saves.check_name(self.text)
            path = saves.save_as(self.recorder, self.directory, name,
                                 overwrite=self.confirm_replace == name)
        except FileExistsError:
            self.confirm_replace = saves.check_name(self.text)
            self.message = f"{self.confirm_replace} exists: Save again to replace it."
            return
        except SaveError as err:
            self.message = one_line(err)
            return
        self.app.pop()
        self.on_saved(path)

    def handle(self, event) -> bool:
        if self.save_button.handle(event) or self.cancel.handle(event):
            return True
        if event.type == pygame.KEYDOWN:
            k = event.key
            if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.save()
            elif k == pygame.K_ESCAPE:
                self.app_pop()
            elif (text := edit_line(event, self.text, 60)) is not None:
                self.text = text
                self.edited()
        return True  # a modal box: nothing reaches the game below

    def edited(self) -> None:
        self.confirm_replace = ""
        self.message = ""

    def tip_at(self, pos) -> str:
        return self.save_button.tip_at(pos) or self.cancel.tip_at(pos)

    def help_lines(self):
        return [("letters, digits", "type the file name"), ("Enter", "save"), ("Esc", "cancel")]

    def draw(self, surface) -> None:
        fonts = self.app.fonts
        where = f"File name, in {saves.short_path(self.directory)}/ (.json is added)"
        draw_entry(surface, fonts, self.app.now, self.box, self.field, "Save the game", where,
                   self.text, self.message, bold=True)
        self.cancel.draw(surface, fonts)
        self.save_button.draw(surface, fonts)
