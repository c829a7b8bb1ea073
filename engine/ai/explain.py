"""Why a bot chose its move, in the game's terms first and the numbers last.

``explain(scenario, board, faction, choice)`` turns a :class:`~engine.ai.Choice`
into an :class:`Explanation`: the move and the bot's own reason, the moves it
weighed (``Choice.candidates``; the chosen move alone when a bot gives none)
each with what it would most likely change — read from the rules through
:func:`engine.consequences.consequences` on the bot's own view, so it never
says more than the bot knew — and then the search's statistics.  A front end
shows ``lines()``; a bot that learns to say more fills more fields.
"""

from __future__ import annotations

import attrs

from engine.ai import Choice
from engine.consequences import consequences


@attrs.frozen(slots=True)
class Option:
    summary: str               # the move in words
    chosen: bool
    value: float | None        # the bot's value for it (search: share of simulations won), if any
    expects: str               # its most likely outcome and what that changes, in words
    detail: str = ""           # the bot's own line about it (statistics)


@attrs.frozen(slots=True)
class Explanation:
    faction: str
    headline: str              # the chosen move and the bot's reason in words
    options: tuple[Option, ...]
    numbers: str               # the bot's raw reason (search statistics, doctrine step)

    def lines(self) -> list[str]:
        out = [self.headline]
        if len(self.options) > 1:
            out.append("It weighed:")
        for o in self.options:
            mark = "\u2605 " if o.chosen else "\u2022 "
            if o.value is None:
                value = ""
            elif "simulation" in o.detail and 0 <= o.value <= 1:
                value = f" \u2014 won {o.value * 100:.0f}% of its simulations"
            else:
                value = f" \u2014 rated {o.value:g}"
            out.append(f"{mark}{o.summary}{value}")
            if o.expects:
                out.append(f"    expects: {o.expects}")
        out.append(f"The numbers: {self.numbers}")
        return out


def expected(scenario, board, faction: str, move) -> str:
    """The most likely outcome of ``move`` and what it changes (a certain move: what it does)."""
    found = consequences(scenario, board, move, faction)
    if len(found) == 1 and found[0].tier is None:
        return "; ".join(line.lstrip("\u2192 ") for line in found[0].lines) or "nothing visible"
    check = scenario.registry.kind(move.faction, move.kind).preview(board, move.args).check
    odds = check.odds()
    best = max(found, key=lambda c: odds[c.tier])
    what = "; ".join(line.lstrip("\u2192 ") for line in best.lines) or "nothing visible"
    return f"most likely {best.tier} ({odds[best.tier] * 100:.0f}%): {what}"


def explain(scenario, board, faction: str, choice: Choice) -> Explanation:
    """``choice`` of ``faction``'s bot on ``board`` (the bot's view when it chose)."""
    def summary(move) -> str:
        return scenario.registry.kind(move.faction, move.kind).preview(board, move.args).summary
    options = []
    candidates = choice.candidates or ()
    seen = set()
    for c in candidates:
        options.append(Option(summary(c.move), c.move == choice.move, c.value,
                              expected(scenario, board, faction, c.move), c.reason))
        seen.add(c.move)
    if choice.move not in seen:
        options.insert(0, Option(summary(choice.move), True, None,
                                 expected(scenario, board, faction, choice.move)))
    reason = choice.reason
    words = reason.split(": ", 2)[-1] if reason.startswith("doctrine ") else ""
    headline = f"{scenario.faction_names[faction]} chose: {summary(choice.move)}"
    if words:
        headline += f", because {words[0].lower() + words[1:]}" if words else ""
    elif len(options) > 1:
        headline += f", the best of the {len(options)} moves it looked at most closely"
    return Explanation(faction, headline, tuple(options), reason)
