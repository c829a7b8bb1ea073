"""``screenshot``: save PNGs of the window's screens (menu, game with a preview,
hand-over, end, replay) without showing a window."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from engine.cli import CliError, seed_int


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("screenshot", description="Play short scripted games in an off-screen window and save PNGs "
                                   "of every screen (17 files, 01_menu.png to 17_exercise_seat.png): the menu, the "
                                   "map with a move preview, the hot-seat hand-over, the end screen, "
                                   "the replay, the saves list, the save box, the exported report, "
                                   "a bookmark and its note, the white cell's dashboard, the "
                                   "tutorial, a briefing, a turn summary, a call-out, the game "
                                   "at 960x640, the replay stopped at a call-out and an exercise "
                                   "seat's window (on a loopback server).")
    p.add_argument("--out", required=True, help="directory for the PNG files (created if missing)")
    p.add_argument("--seed", type=seed_int, default=7, help="seed of the games shown (default 7)")
    p.add_argument("--size", default="1280x800", help="window size WIDTHxHEIGHT (default 1280x800)")
    return p


def parse_size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    if not sep or not w.isdigit() or not h.isdigit() or not (640 <= int(w) <= 7680 and 480 <= int(h) <= 4320):
        raise CliError(f"bad --size {text!r}: expected WIDTHxHEIGHT, e.g. 1280x800 (at least 640x480)")
    return int(w), int(h)


def run(args: argparse.Namespace) -> int:
    size = parse_size(args.size)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out {out} exists and is not a directory")
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    try:
        from engine.ui import shots
    except ImportError as err:  # pragma: no cover - depends on the install
        raise CliError(f"the game window is not available ({err})", 1) from None
    try:
        paths = shots.take(out, size, args.seed)
    except OSError as err:
        raise CliError(f"cannot write screenshots to {out}: {err}", 1) from None
    for path in paths:
        print(path)
    return 0
