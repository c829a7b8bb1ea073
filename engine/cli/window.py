"""Opening the game window (the pygame front end lives in engine/ui/)."""

from __future__ import annotations

import argparse

from engine.cli import CliError


def launch(args: argparse.Namespace, seats) -> int:
    try:
        from engine.ui import app
    except ImportError as err:  # pragma: no cover - depends on the install
        raise CliError(f"the game window is not available ({err}); try --headless", 1) from None
    try:
        return app.run(args, seats)
    except app.WindowError as err:
        raise CliError(f"{err}; try --headless to play in the terminal", 1) from None
