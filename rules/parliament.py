"""Parliament and the withdrawal vote.

Parliament is five blocs.  Each has an *inclination* from 0 to 4 to vote
US forces out; events, strikes, militia lobbying and Najaf move it.

When a motion is on the agenda, it is voted in the resolution phase.  Each
bloc rolls one die and adds its inclination: 7 or more, it attends and votes
yes; 4 to 6, it boycotts; 3 or less, it attends and votes no.  The motion
needs a quorum (165 of 329 members present) and a majority of those present.
A passed motion is not yet law: the government must still order the
withdrawal.

**Speaker Mohammed al-Halbousi sets the agenda.**  A motion the government
tables goes on the agenda at once.  A motion the militias' allies press
(lobbying) waits for the Speaker: he puts it to the vote that turn only when
he cannot hold it back (a US strike this turn, or escalation 6 or more);
otherwise he defers it a month, and it is voted at the next resolution.

At January 2020's inclinations (Iran-aligned 3, Sadrist 3, moderate 2,
Kurdish 0, Sunni 1) a motion passes with probability 36%: expulsion votes
usually fail, as the three efforts of 2019 did.  After the strike at the
airport (every Shia bloc +1) the odds rise to 56%.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from rules.board import (AWAITING_SPEAKER, BLOCS, F_STRIKE, MOTION_PASSED, NO_MOTION, ON_AGENDA,
                         TRACKS, T)
from rules.people import SPEAKER

SEATS: dict[T, int] = {
    T.BLOC_IRAN: 95, T.BLOC_SADR: 54, T.BLOC_MODERATE: 61, T.BLOC_KURD: 58, T.BLOC_SUNNI: 61,
}
MEMBERS = sum(SEATS.values())
QUORUM = MEMBERS // 2 + 1


def bloc_stance(inclination: int, die: int) -> str:
    total = inclination + die
    if total >= 7:
        return "yes"
    if total >= 4:
        return "absent"
    return "no"


def count_votes(inclinations: tuple[int, ...], dice: tuple[int, ...]) -> tuple[int, int, bool]:
    """(yes, present, passed) for one roll of the blocs' dice."""
    yes = present = 0
    for bloc, incl, die in zip(BLOCS, inclinations, dice):
        stance = bloc_stance(incl, die)
        if stance != "absent":
            present += SEATS[bloc]
            if stance == "yes":
                yes += SEATS[bloc]
    return yes, present, present >= QUORUM and 2 * yes > present


@lru_cache(maxsize=1024)
def pass_chance(inclinations: tuple[int, ...]) -> float:
    """Exact probability that a motion passes, over all 6**5 rolls."""
    passed = sum(count_votes(inclinations, dice)[2] for dice in product(range(1, 7), repeat=5))
    return passed / 6 ** len(BLOCS)


def inclinations(b) -> tuple[int, ...]:
    tracks = b.tracks
    return tuple(tracks[t] for t in BLOCS)


def hold_vote(d) -> None:
    """Resolution phase: vote the tabled motion (draft in, draft changed)."""
    if not d.tracks[T.MOTION]:
        return
    if d.tracks[T.MOTION] == AWAITING_SPEAKER:
        if not (d.flags & F_STRIKE or d.tracks[T.ESCALATION] >= 6):
            d.log(f"{SPEAKER} defers the withdrawal motion to next month's session.")
            d.set(T.MOTION, ON_AGENDA)
            return
        d.log(f"{SPEAKER} cannot hold the motion back: it goes to the vote.")
    d.set(T.MOTION, 0)
    dice = tuple(d.d6() for _ in BLOCS)
    yes, present, passed = count_votes(inclinations(d), dice)
    stances = ", ".join(f"{TRACKS[t].label} {bloc_stance(d.tracks[t], die)}"
                        for t, die in zip(BLOCS, dice))
    d.log(f"Parliament votes on withdrawing US forces: {yes} yes of {present} present "
          f"(quorum {QUORUM}) \u2014 {'PASSED' if passed else 'failed'} ({stances})")
    if passed:
        if d.tracks[T.WITHDRAWAL] == NO_MOTION:
            d.set(T.WITHDRAWAL, MOTION_PASSED)
    else:
        d.add(T.MOTIONS_FAILED, 1)
