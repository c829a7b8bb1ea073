"""Command-line front ends.  Each module offers ``add_parser(subparsers)``
and ``run(args) -> int``; ``main.py`` wires them together.

This package may print and read the terminal; the core (engine/, rules/)
never does.
"""

from __future__ import annotations

import argparse


class CliError(Exception):
    """A user error to report in one line with a non-zero exit code."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def positive_int(text: str) -> int:
    value = nonneg_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
