"""Contested actions: 2d6 plus named modifiers against a target number.

A check never hides its arithmetic.  Every modifier carries the reason a
player reads on screen (``+2 militia holds the airport``), and the odds of
each outcome tier are computed exactly from the 36 outcomes of two dice, so
the window, the AI and the rulebook all quote the same numbers.

Tiers, for a check with target ``T`` and total ``2d6 + modifiers``:

========== ===================
backfire   total <= T - 4
fail       T - 3 .. T - 1
partial    T .. T + 2
success    total >= T + 3
========== ===================

With no modifiers and ``T = 7`` that is 8% / 33% / 42% / 17%.
"""

from __future__ import annotations

from functools import lru_cache

import attrs

BACKFIRE, FAIL, PARTIAL, SUCCESS = "backfire", "fail", "partial", "success"
TIERS: tuple[str, ...] = (BACKFIRE, FAIL, PARTIAL, SUCCESS)

# Number of ways two six-sided dice make each sum.
_WAYS = {s: 6 - abs(s - 7) for s in range(2, 13)}


@attrs.frozen(slots=True)
class Modifier:
    """A signed number added to the dice, with the reason a player reads."""

    value: int
    reason: str

    def __str__(self) -> str:
        sign = "+" if self.value >= 0 else "\u2212"
        return f"{sign}{abs(self.value)} {self.reason}"


def tier_of(total: int, target: int) -> str:
    margin = total - target
    if margin >= 3:
        return SUCCESS
    if margin >= 0:
        return PARTIAL
    if margin >= -3:
        return FAIL
    return BACKFIRE


@lru_cache(maxsize=512)
def _odds(net: int, target: int) -> tuple[float, ...]:
    counts = dict.fromkeys(TIERS, 0)
    for s, ways in _WAYS.items():
        counts[tier_of(s + net, target)] += ways
    return tuple(counts[t] / 36 for t in TIERS)


@attrs.frozen(slots=True)
class Check:
    """A 2d6 test: ``name`` rolled against ``target`` with ``modifiers``."""

    name: str
    target: int
    modifiers: tuple[Modifier, ...] = ()

    @property
    def net(self) -> int:
        return sum(m.value for m in self.modifiers)

    def odds(self) -> dict[str, float]:
        """Exact probability of each tier, in :data:`TIERS` order."""
        return dict(zip(TIERS, _odds(self.net, self.target)))

    def resolve(self, die1: int, die2: int) -> str:
        return tier_of(die1 + die2 + self.net, self.target)

    def describe(self) -> str:
        """One line: the roll, its modifiers and the chance of each tier."""
        mods = ", ".join(str(m) for m in self.modifiers) or "no modifiers"
        odds = self.odds()
        chances = ", ".join(f"{t} {round(odds[t] * 100)}%" for t in reversed(TIERS))
        return f"{self.name}: 2d6 vs {self.target} ({mods}) \u2014 {chances}"

    def report(self, die1: int, die2: int) -> str:
        net = self.net
        sign = "+" if net >= 0 else "\u2212"
        tier = self.resolve(die1, die2)
        return (f"{self.name}: rolled {die1}+{die2} {sign}{abs(net)} = "
                f"{die1 + die2 + net} vs {self.target} \u2192 {tier}")
