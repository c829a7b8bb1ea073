"""The coalition partners as pieces, and Israel under separation.

The brief names the key CJTF-OIR partners: Australia, Britain, Canada,
France and Italy.  Each is a piece of the coalition (``Board.partners``, one
bit each) that can leave:

* **Separation.**  When the US takes the separation path (by its own choice
  or at Iraq's order), every partner departs with it
  (:func:`rules.withdrawal.enter_separation` calls :func:`all_leave`).
* **A divided coalition.**  At upkeep, with coalition cohesion 2 or less,
  one partner goes home (Canada first, then Australia, Italy, France,
  Britain last).
* **Coming back.**  Outside separation, with security cooperation active and
  cohesion 6 or more, one absent partner returns at upkeep (Britain first).

What they do: capacity building (restoring purged commanders) needs at
least two partners, and gains +1 with all five; urging allies to designate
Kataib Hezbollah needs Britain.

**Israel.**  Separation opens the free-fire zone the brief foresees, for
Israel too: at each upkeep under separation, if militia cells stand on the
Iran\u2013Syria highway, Israeli aircraft strike a depot there on 1d6 \u2264 3
(a cell removed, militia arms \u22121, escalation +1).
"""

from __future__ import annotations

from rules.board import K_MIL, KINDS, SEPARATION, S, T
from rules.people import PARTNERS

ALL = (1 << len(PARTNERS)) - 1
BRITAIN = PARTNERS.index("Britain")
# Who leaves first when the coalition frays, and who comes back first.
LEAVING_ORDER = tuple(PARTNERS.index(n) for n in ("Canada", "Australia", "Italy", "France", "Britain"))


def present(b) -> list[str]:
    return [name for i, name in enumerate(PARTNERS) if b.partners >> i & 1]


def count(b) -> int:
    return bin(b.partners).count("1")


def has_britain(b) -> bool:
    return bool(b.partners >> BRITAIN & 1)


def all_leave(d) -> None:
    if d.partners:
        d.log(f"  The partners leave with the US: {', '.join(present(d))}.")
    d.partners = 0


def upkeep(d) -> None:
    t = d.tracks
    if t[T.COHESION] <= 2 and d.partners:
        i = next(i for i in LEAVING_ORDER if d.partners >> i & 1)
        d.partners &= ~(1 << i)
        d.log(f"{PARTNERS[i]} pulls its troops out of the coalition.")
    elif (t[T.POSTURE] != SEPARATION and t[T.COOPERATION] and t[T.COHESION] >= 6
          and d.partners != ALL):
        i = next(i for i in reversed(LEAVING_ORDER) if not d.partners >> i & 1)
        d.partners |= 1 << i
        d.log(f"{PARTNERS[i]} rejoins the coalition.")
    if t[T.POSTURE] == SEPARATION and d.pieces[S.HIGHWAY * KINDS + K_MIL] and d.d6() <= 3:
        d.log("Israeli aircraft strike a militia depot on the Iran\u2013Syria highway.")
        d.remove(K_MIL, S.HIGHWAY)
        d.add(T.ARMS, -1)
        d.add(T.ESCALATION, 1)
