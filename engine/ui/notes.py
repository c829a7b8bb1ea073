"""Reports and notes from the window.

:class:`ReportJob` writes an after-action review (``engine.report.export``)
in a worker thread, so the drawing loop never waits on matplotlib; the
screen polls it and shows one line (the path, or why it failed).
:class:`NoteBox` is the small text box of a note or a bookmark.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Callable

import pygame

from engine.record import NOTE_MAX
from engine.ui import saves
from engine.ui.app import Screen
from engine.ui.files import one_line
from engine.ui.widgets import Button, draw_entry, edit_line, entry_box


def report_dir(saves_dir, stem: str, faction: str | None) -> Path:
    """``saves/reports/<stem>-<faction or white>/``: where the window writes a report."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "game"
    if safe.lower().endswith(".json"):
        safe = safe[:-5]
    return Path(saves_dir) / "reports" / f"{safe}-{faction or 'white'}"


def note_line(annotation, names: dict[str, str]) -> str:
    """One line for a note or bookmark in the replay viewer."""
    mark = "\u2605 Bookmark" if annotation.kind == "bookmark" else "\u270e Note"
    who = "white cell" if annotation.author in (None, "white") else names.get(annotation.author,
                                                                            annotation.author)
    return f"{mark} ({who}): {annotation.text}"


def fit_message(fonts, text: str, width: int, size: int = 13) -> str:
    """A one-line message cut to ``width``: a path loses its middle, so the file name shows."""
    if fonts.width(text, size) <= width or ": " not in text:
        return fonts.fit(text, width, size)
    head, path = text.split(": ", 1)
    while len(path) > 12 and fonts.width(f"{head}: \u2026{path}", size) > width:
        path = path[1:]
    return fonts.fit(f"{head}: \u2026{path}", width, size)


class ReportJob:
    """One report export at a time, in a daemon thread; the window polls it each frame."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._result: tuple[bool, str] | None = None
        self.busy = False

    def start(self, record, out_dir: Path, faction: str | None, label: str = "") -> bool:
        """Start writing ``record``'s report for ``faction`` (None: the white cell's) into
        ``out_dir``; False if one is already being written."""
        if self.busy:
            return False
        try:
            from engine.report.export import source_from_record
            # Read on the drawing thread: the worker never touches a record that may grow.
            source = source_from_record(record, label)
        except Exception as err:  # noqa: BLE001 - one line for the player, never a traceback
            self._result = (False, one_line(err))
            return True
        self.busy = True

        def work() -> None:
            try:
                from engine.report.export import export_report
                path = export_report(source, out_dir, faction)
                result = (True, saves.short_path(path))
            except BaseException as err:  # noqa: BLE001 - reported on the drawing thread
                result = (False, one_line(err))
            with self._lock:
                self._result = result
                self.busy = False

        threading.Thread(target=work, name="crossroads-report", daemon=True).start()
        return True

    def poll(self) -> str | None:
        """The one-line message once the report is written (or failed), else None."""
        with self._lock:
            result, self._result = self._result, None
        if result is None:
            return None
        ok, text = result
        return f"Report written: {text}" if ok else f"Report not written: {text}"


class NoteBox(Screen):
    """A box over the game: type a note (or a bookmark's label); Enter records it."""

    opaque = False

    def __init__(self, app, title: str, on_submit: Callable[[str, bool], str | None],
                 bookmark: bool = False) -> None:
        super().__init__(app)
        self.title = title
        self.on_submit = on_submit   # (text, public) -> an error line, or None when recorded
        self.bookmark = bookmark
        self.text = ""
        self.public = False
        self.message = ""
        self.ok = Button("Bookmark" if bookmark else "Add note", self.submit, "Enter",
                         "Record it in the game's save.", primary=True)
        self.cancel = Button("Cancel", self.app_pop, "Esc", "Close without recording anything.")
        self.share = Button("", self.toggle_public, "Tab",
                            "Private: only you (and the white cell) read it; public: every seat.")
        self.field = pygame.Rect(0, 0, 0, 0)

    def app_pop(self) -> None:
        self.app.pop()

    def toggle_public(self) -> None:
        self.public = not self.public

    def layout(self, size) -> None:
        self.box, self.field = entry_box(size, 640)
        b = self.box
        self.ok.rect = pygame.Rect(b.right - 20 - 130, b.bottom - 54, 130, 38)
        self.cancel.rect = pygame.Rect(self.ok.rect.x - 12 - 110, b.bottom - 54, 110, 38)
        self.share.rect = pygame.Rect(b.x + 20, b.bottom - 54, 150, 38)

    def submit(self) -> None:
        if not self.text.strip():
            self.message = "Type a few words first (Esc cancels)."
            return
        problem = self.on_submit(self.text, self.public)
        if problem:
            self.message = problem
            return
        self.app.pop()

    def handle(self, event) -> bool:
        if self.ok.handle(event) or self.cancel.handle(event) or self.share.handle(event):
            return True
        if event.type == pygame.KEYDOWN:
            k = event.key
            if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.submit()
            elif k == pygame.K_ESCAPE:
                self.app_pop()
            elif k == pygame.K_TAB:
                self.toggle_public()
            elif (text := edit_line(event, self.text, NOTE_MAX)) is not None:
                self.text = text
                self.message = ""
        return True  # a modal box: nothing reaches the game below

    def update(self, dt: float) -> None:
        self.share.label = "Public (all)" if self.public else "Private (you)"
        self.share.active = self.public

    def tip_at(self, pos) -> str:
        return self.ok.tip_at(pos) or self.cancel.tip_at(pos) or self.share.tip_at(pos)

    def help_lines(self):
        return [("letters, digits", "type the note (one line)"), ("Tab", "private or public"),
                ("Enter", "record it"), ("Esc", "cancel")]

    def draw(self, surface) -> None:
        fonts = self.app.fonts
        draw_entry(surface, fonts, self.app.now, self.box, self.field, self.title,
                   "Saved with the game; shown in its replay and its report.", self.text, self.message)
        self.share.label = "Public (all)" if self.public else "Private (you)"
        for button in (self.share, self.cancel, self.ok):
            button.draw(surface, fonts)
