"""Opening the game window (the pygame front end lives in engine/ui/)."""

from __future__ import annotations

import argparse

from engine.cli import CliError


def launch(args: argparse.Namespace, seats) -> int:
    try:
        from engine.ui import app
    except ImportError as err:  # pragma: no cover - depends on the install
        raise CliError(f"the game window is not available ({err}); try --headless", 1) from None
    return app.run(args, seats)


def launch_replay(args: argparse.Namespace, record) -> int:
    """Open the window's replay viewer on a loaded :class:`engine.record.Record`."""
    try:
        from engine.ui import app
    except ImportError as err:  # pragma: no cover - depends on the install
        raise CliError(f"the game window is not available ({err}); try --headless", 1) from None
    viewer = getattr(app, "replay", None)
    if viewer is None:
        raise CliError("the window's replay viewer is not built yet; use --headless", 1)
    return viewer(args, record)
