"""US sanctions: targeted (named people) and broad (the whole economy).

Rulebook
--------
**Targeted sanctions** (US, 1 political capital, no dice): name the open
militia loyalist holding a key post (the brief's first name is Faleh
al-Fayyad, the national security adviser).  Under *counter-terrorism*
authorities the US needs a recent attack attributed to the militias or the
allies' terrorist designation of Kataib Hezbollah; under the *Global
Magnitsky Act* it needs documented abuses (accountability 2 or more).
Either way: militia arms −1, deniability −1, accountability +1; a Magnitsky
designation also earns the protest movement 1 public support.

**Broad economic sanctions** (US, 2 political capital, 1 under separation):
collective punishment, kept in reserve.  Imposing them: economy −2,
budget −2, arms −1, escalation +1, protest support −1, and
while in force economy and budget fall by 1 each upkeep.  Unless a lethal
attack on US persons came this turn or last (or the US has chosen
separation) the coalition balks: cohesion −2.  Lifting them costs 1
political capital and restores 1 cohesion.
"""

from __future__ import annotations

from rules.board import (F_LAST_LETHAL, F_LETHAL, LOYALIST, MIL, POST_IDS, POST_NAMES, POSTS,
                         SEPARATION, US, P, T)
from rules.kinds import declare
from rules.strikes import recent_attacks

CT, MAGNITSKY = "ct", "magnitsky"


def _sanction_validate(b, args) -> list[str]:
    post = POST_IDS[args[0]]
    reasons = []
    if b.posts[post] != LOYALIST:
        reasons.append(f"no known militia loyalist holds the post of {POST_NAMES[post]}")
    if args[1] == MAGNITSKY and b.tracks[T.ACCOUNTABILITY] < 2:
        reasons.append("Global Magnitsky needs documented abuses (accountability 2+)")
    if args[1] == CT and not b.tracks[T.DESIGNATION] and not any(
            a.attributed and a.by == MIL for a in recent_attacks(b)):
        reasons.append("counter-terrorism sanctions need an attack attributed to the militias "
                       "or the allies' designation of Kataib Hezbollah")
    return reasons


def _sanction_effect(d, args, tier) -> None:
    d.log(f"  The {POST_NAMES[POST_IDS[args[0]]]} is sanctioned by the US Treasury.")
    d.add(T.ARMS, -1)
    d.add(T.DENIABILITY, -1)
    d.add(T.ACCOUNTABILITY, 1)
    if args[1] == MAGNITSKY:
        d.add(T.SUPPORT, 1)


def _sanction_options(b):
    auths = []
    if b.tracks[T.DESIGNATION] or any(a.attributed and a.by == MIL for a in recent_attacks(b)):
        auths.append(CT)
    if b.tracks[T.ACCOUNTABILITY] >= 2:
        auths.append(MAGNITSKY)
    for post in POSTS:
        if b.posts[post] == LOYALIST:
            for auth in auths:
                yield (_POST_KEYS[post], auth)


_POST_KEYS = {p: p.name.lower() for p in P}

SANCTION = declare(
    US, "sanction", "Targeted sanctions on a named official",
    [(p.name.lower(), auth) for p in P for auth in (CT, MAGNITSKY)],
    cost=((T.CAPITAL, 1),),
    validate=_sanction_validate, effect=_sanction_effect, options=_sanction_options,
    summary=lambda b, a: (f"Sanction the {POST_NAMES[POST_IDS[a[0]]]} under "
                          f"{'counter-terrorism authorities' if a[1] == CT else 'the Global Magnitsky Act'}"),
    usage="POST ct|magnitsky")

IMPOSE, LIFT = "impose", "lift"


def _broad_cost(b, args):
    if args[0] == LIFT:
        return ((T.CAPITAL, 1),)
    return ((T.CAPITAL, 1 if b.tracks[T.POSTURE] == SEPARATION else 2),)


def _broad_validate(b, args) -> list[str]:
    if args[0] == IMPOSE and b.tracks[T.SANCTIONS]:
        return ["broad sanctions are already in force"]
    if args[0] == LIFT and not b.tracks[T.SANCTIONS]:
        return ["there are no broad sanctions to lift"]
    return []


def provoked(b) -> bool:
    """Whether broad sanctions answer a major attack (or restraint is gone)."""
    return bool(b.flags & (F_LETHAL | F_LAST_LETHAL)) or b.tracks[T.POSTURE] == SEPARATION


def _broad_effect(d, args, tier) -> None:
    if args[0] == LIFT:
        d.set(T.SANCTIONS, 0)
        d.add(T.COHESION, 1)
        return
    d.set(T.SANCTIONS, 1)
    for track, delta in ((T.ECONOMY, -2), (T.BUDGET, -2), (T.ARMS, -1),
                         (T.ESCALATION, 1), (T.SUPPORT, -1)):
        d.add(track, delta)
    if not provoked(d):
        d.log("  Allies call it collective punishment without a major attack to answer.")
        d.add(T.COHESION, -2)


BROAD = declare(
    US, "broad_sanctions", "Broad economic sanctions",
    [(IMPOSE,), (LIFT,)],
    cost=_broad_cost, validate=_broad_validate, effect=_broad_effect,
    summary=lambda b, a: ("Impose broad economic sanctions on Iraq" if a[0] == IMPOSE
                          else "Lift the broad economic sanctions"),
    notes=lambda b, a: ([] if a[0] == LIFT or provoked(b)
                        else ["No major attack to answer: coalition cohesion \u22122."]),
    usage="impose|lift")
