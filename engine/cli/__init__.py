"""Command-line front ends.  Each module offers ``add_parser(subparsers)``
and ``run(args) -> int``; ``main.py`` wires them together.

This package may print and read the terminal; the core (engine/, rules/)
never does.
"""

from __future__ import annotations

import argparse
import unicodedata


def one_line(message: str, limit: int = 600) -> str:
    """``message`` safe to print as one line: control characters, line
    separators and lone surrogates (from a hostile file) escaped, cut short."""
    out = []
    for ch in str(message):
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    text = "".join(out)
    return text if len(text) <= limit else text[:limit - 3] + "..."


class CliError(Exception):
    """A user error to report in one line with a non-zero exit code."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(one_line(message))
        self.code = code


def nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def seed_int(text: str) -> int:
    """A seed: a whole number from 0 to 2**64-1 (what a save can hold)."""
    value = nonneg_int(text)
    if value >= 2**64:
        raise argparse.ArgumentTypeError(f"a seed is 0 to 2**64-1, got {text[:30]}")
    return value


def positive_int(text: str) -> int:
    value = nonneg_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
