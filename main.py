"""Crossroads — the one entry point.

``python main.py`` opens the game window; ``python main.py COMMAND --help``
describes each command.  Every user error ends with a one-line message and
a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Each command is a module of engine/cli with add_parser() and run(); its
# one-line help lives here, so that ``main.py --help`` imports no command.
COMMANDS: dict[str, str] = {
    "play": "play a game (window by default, --headless for the terminal)",
    "replay": "replay, verify or inspect a saved game",
    "smoke": "play many zero-player games and count what happened",
    "tournament": "play many headless games between bots and tabulate the results",
    "screenshot": "save PNG screenshots of every screen of the window",
    "host": "serve a multiplayer training exercise",
    "join": "join an exercise as a seat, the white cell or a spectator",
    "report": "turn a save into an after-action review (HTML + Markdown)",
    "note": "attach a note or bookmark to a move of a save",
    "study": "run a policy study (many games per combination of factors) and report it",
}


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + error
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict]:
    """The parser, with the full options of the command ``only`` (if any):
    a command does not pay for importing the others (the network library,
    the process pool...), and ``--help`` imports none."""
    parser = Parser(prog="main.py", description="Crossroads: a turn-based wargame engine. "
                    "Scenario: Iraq at the crossroads, January 2020. "
                    "Without a command, the game window opens.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    modules = {}
    for name, text in COMMANDS.items():
        if name == only:
            try:
                module = importlib.import_module(f"engine.cli.{name}")
            except ModuleNotFoundError as err:  # run before installing: say how to install
                parser.exit(1, f"main.py {name}: error: the package {err.name!r} is missing; "
                               f"install Crossroads first: pip install -e \".[test]\"\n")
            module.add_parser(_WithHelp(sub, text))
            modules[name] = module
        else:  # listed in --help and in "invalid choice" errors, not imported
            sub.add_parser(name, help=text, add_help=False)
    return parser, modules


class _WithHelp:
    """Hands a command module the subparsers, with the command's help filled in."""

    def __init__(self, sub, text: str) -> None:
        self._sub, self._text = sub, text

    def add_parser(self, name: str, **kwargs):
        kwargs.setdefault("help", self._text)
        return self._sub.add_parser(name, **kwargs)


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
