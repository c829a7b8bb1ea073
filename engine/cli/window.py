"""Opening the game window (the pygame front end lives in engine/ui/)."""

from __future__ import annotations

import argparse

from engine.cli import CliError


def launch(args: argparse.Namespace, seats) -> int:
    try:
        from engine.ui import app
    except ImportError as err:  # pragma: no cover - depends on the install
        raise CliError(f"the game window is not available ({err}); try --headless", 1) from None
    if getattr(args, "load", None) is not None and not getattr(app, "RESUMES_SAVES", False):
        # Never open a new game when the player asked for a saved one.
        raise CliError("the window cannot resume a save yet; add --headless", 1)
    try:
        return app.run(args, seats)
    except app.WindowError as err:
        raise CliError(f"{err}; try --headless to play in the terminal", 1) from None


def launch_replay(args: argparse.Namespace, record, start: int = 0) -> int:
    """Open the window's replay viewer on a loaded :class:`engine.record.Record`,
    at log position ``start``."""
    try:
        from engine.ui import app
    except ImportError as err:  # pragma: no cover - depends on the install
        raise CliError(f"the game window is not available ({err}); try --headless", 1) from None
    viewer = getattr(app, "replay", None)
    if viewer is None:
        raise CliError("the window's replay viewer cannot open a save file yet; use --headless", 1)
    return viewer(args, record, start)
