"""Crossroads — the one entry point.

``python main.py`` opens the game window; ``python main.py COMMAND --help``
describes each command.  Every user error ends with a one-line message and
a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Each command is a module of engine/cli with add_parser() and run().
COMMANDS = ("play", "replay", "smoke", "tournament", "screenshot", "host", "join", "report", "note")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + error
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict]:
    """The parser of every command, or — when ``only`` names one — of that
    command alone, so that a command does not pay for importing the others
    (the network library, the process pool...)."""
    parser = Parser(prog="main.py", description="Crossroads: a turn-based wargame engine. "
                    "Scenario: Iraq at the crossroads, January 2020. "
                    "Without a command, the game window opens.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    modules = {}
    for name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"engine.cli.{name}")
        module.add_parser(sub)
        modules[name] = module
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    from engine.cli import CliError

    words = sys.argv[1:] if argv is None else argv
    first = next((w for w in words if not w.startswith("-")), None)
    parser, modules = build_parser(first if first in COMMANDS else
                                   "play" if first is None and not words else None)
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play"])
    try:
        return modules[args.command].run(args)
    except CliError as err:
        print(f"main.py {args.command}: error: {err}", file=sys.stderr)
        return err.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
