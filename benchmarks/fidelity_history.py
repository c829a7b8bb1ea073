"""Fidelity to the brief's history (issue 13), measured over zero-player games.

Prints one table per seat configuration: how the deck, parliament, the
purges, the sanctions on people and the partners behave in real games.
Until the studies command lands (issue 12), docs/fidelity.md quotes these
numbers with the command that produced them::

    python benchmarks/fidelity_history.py --games 200 --first 1
    python benchmarks/fidelity_history.py --games 200 --first 1001   # a second seed range

Run from the repository root (the script puts the root first on sys.path).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.game import Game  # noqa: E402
from engine.match import Match  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from rules.board import P, T  # noqa: E402
from rules.data import CARDS, HISTORY, period_of  # noqa: E402
from rules.parliament import inclinations, pass_chance  # noqa: E402
from rules.people import PEOPLE  # noqa: E402
from rules.scenario import IRAQ_2020 as SC  # noqa: E402

CONFIGS = {
    "Tehran-leaning government (never shelves), doctrines":
        "us=doctrine,goi=doctrine:tehran,mil=doctrine,pro=doctrine",
    "continuity US, doctrines": "us=doctrine:continuity,goi=doctrine,mil=doctrine,pro=doctrine",
    "tougher-love US, doctrines": "us=doctrine:tougher_love,goi=doctrine,mil=doctrine,pro=doctrine",
    "separation US, doctrines": "us=doctrine:separation,goi=doctrine,mil=doctrine,pro=doctrine",
    "four random seats": "us=random,goi=random,mil=random,pro=random",
}
COMMANDS = {P.CTS: "CTS", P.ANBAR_OPS: "Anbar", P.BAGHDAD_OPS: "Baghdad Ops"}


def play(seed: int, seats: str) -> dict:
    game = Game.new(SC, seed)
    match = Match(game, parse_seats(seats, SC.factions), seed)
    m: Counter = Counter()
    lines: list[str] = []
    restored: set[int] = set()
    while not game.is_over():
        before = game.board.posts
        move = match.bot_choice().move
        lines += game.apply(move)
        m[f"move:{move.kind}"] += 1
        if move.kind == "sanction":
            m[f"sanction:{move.args[0]}"] += 1
        if move.kind == "vote":
            m[f"vote:{move.args[0]}"] += 1
        after = game.board.posts
        for post in COMMANDS:
            if before[post] != 0 and after[post] == 0:
                restored.add(post)
    board = game.board
    played = SC.events_played(board)
    history = {e["id"] for e in HISTORY}
    m["cards"] = len(played)
    m["cards repeating the start state"] = sum(c in history for c in played)
    m["cards outside their period"] = sum(CARDS[c]["period"] != period_of(t)
                                          for t, c in enumerate(played, 1) if period_of(t))
    text = "\n".join(lines)
    m["votes held"] = text.count("Parliament votes on withdrawing")
    m["votes passed"] = text.count("\u2014 PASSED")
    m["Speaker deferrals"] = text.count("defers the withdrawal motion")
    m["Israeli strikes"] = text.count("Israeli aircraft strike")
    m["partners left at the end"] = bin(board.partners).count("1")
    m["separation"] = int(board.tracks[T.POSTURE] == 2)
    for post, name in COMMANDS.items():
        m[f"restored {name}"] = int(post in restored)
        commander = next(p.name for p in PEOPLE if p.side == "professional" and p.post == post)
        m[f"partners restore {name}"] = int(f"commander {commander} is restored" in text)
    m["purged commands at the end"] = sum(board.posts[p] != 0 for p in COMMANDS)
    m["CTS professional at the end"] = int(board.posts[P.CTS] == 0)
    m["at most one command purged"] = int(m["purged commands at the end"] <= 1)
    m["C2 at the end"] = board.tracks[T.C2]
    m["ISIS at the end"] = board.tracks[T.ISIS]
    per_person = [m[f"sanction:{p.id}"] for p in PEOPLE]
    m["max sanctions on one person"] = max(per_person)
    m["people sanctioned"] = sum(1 for n in per_person if n)
    return m


def _split(games: list, flag: str, value: str) -> str:
    """Mean of ``value`` in games with ``flag`` set / not set (and how many)."""
    yes = [g[value] for g in games if g[flag]]
    no = [g[value] for g in games if not g[flag]]
    mean = lambda xs: f"{sum(xs) / len(xs):.2f}" if xs else "-"  # noqa: E731
    return f"{mean(yes)} ({len(yes)} games) / {mean(no)} ({len(no)} games)"


JANUARY_PASS = pass_chance(inclinations(Game.new(SC, 1).board))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--first", type=int, default=1, help="first seed")
    ap.add_argument("--config", choices=sorted(CONFIGS), action="append")
    args = ap.parse_args()
    seeds = range(args.first, args.first + args.games)
    print(f"seeds {seeds.start}-{seeds.stop - 1}")
    for name in args.config or CONFIGS:
        games = [play(seed, CONFIGS[name]) for seed in seeds]
        n = len(games)

        def total(key: str) -> int:
            return sum(g[key] for g in games)

        def share(key: str) -> str:
            k = sum(1 for g in games if g[key])
            return f"{k}/{n} ({100 * k / n:.0f}%)"

        held, passed = total("votes held"), total("votes passed")
        rows = [
            ("cards drawn", total("cards")),
            ("cards repeating an event of the start state", total("cards repeating the start state")),
            ("cards outside their period", total("cards outside their period")),
            ("games with the leadership strike", share("move:leadership_strike")),
            ("withdrawal votes held / passed / failed share",
             f"{held} / {passed} / {100 * (held - passed) / held:.0f}%" if held else "0"),
            ("motions tabled / shelved by the government",
             f"{total('vote:table')} / {total('vote:shelve')}"),
            ("Speaker's deferrals", total("Speaker deferrals")),
            ("January 2020: chance a withdrawal vote passes", f"{100 * JANUARY_PASS:.0f}%"),
            ("games where the US and partners restore al-Saadi (CTS)", share("partners restore CTS")),
            ("... al-Falahi (Anbar)", share("partners restore Anbar")),
            ("... al-Rubaie (Baghdad Ops)", share("partners restore Baghdad Ops")),
            ("games where a professional returns to the CTS by any move", share("restored CTS")),
            ("purged commands at the end (mean of 3)", f"{total('purged commands at the end') / n:.2f}"),
            ("command and control at the end (mean)", f"{total('C2 at the end') / n:.2f}"),
            ("ISIS pressure at the end (mean)", f"{total('ISIS at the end') / n:.2f}"),
            ("... where the CTS ends under a professional / still purged",
             _split(games, "CTS professional at the end", "ISIS at the end")),
            ("command and control at the end, 0-1 / 2-3 commands purged",
             _split(games, "at most one command purged", "C2 at the end")),
            ("targeted sanctions", total("move:sanction")),
            ("most sanctions on one person in a game", max(g["max sanctions on one person"] for g in games)),
            ("people sanctioned per game (mean)", f"{total('people sanctioned') / n:.2f}"),
            ("games in separation at the end", share("separation")),
            ("partners left at the end (mean of 5)", f"{total('partners left at the end') / n:.2f}"),
            ("Israeli strikes", total("Israeli strikes")),
        ]
        print(f"\n{name} ({n} games: {CONFIGS[name]})\n")
        print("| measure | value |\n|---|---|")
        for label, value in rows:
            print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
