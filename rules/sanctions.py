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
political capital and restores 1 cohesion.  While in force they also
squeeze the militias' dollar trade: arms −1 each upkeep.

**Threaten broad sanctions** (US, 1 political capital): the brief keeps
them "as a deterrent against major attacks".  A public threat costs no
cohesion; once made, the sanctions may be imposed *for nothing* (no
political capital) after a lethal attack on US persons, so the threat is
credible.  The government and the militias read it (see
:mod:`rules.doctrine`): the government guards US sites, the militias hold
back lethal fire.  Lifting a threat costs nothing.
"""

from __future__ import annotations

from rules.board import (F_LAST_LETHAL, F_LETHAL, IN_FORCE, LOYALIST, MIL, NO_SANCTIONS, POST_IDS,
                         POST_NAMES, POSTS, SEPARATION, THREATENED, US, P, T)
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

IMPOSE, LIFT, THREATEN = "impose", "lift", "threaten"


def threatened(b) -> bool:
    """Whether broad sanctions hang over Baghdad as a public threat."""
    return b.tracks[T.SANCTIONS] == THREATENED


def _broad_cost(b, args):
    if args[0] == LIFT:
        return () if threatened(b) else ((T.CAPITAL, 1),)
    if args[0] == THREATEN:
        return ((T.CAPITAL, 1),)
    if threatened(b) and b.flags & (F_LETHAL | F_LAST_LETHAL):
        return ()  # the threat is made good
    return ((T.CAPITAL, 1 if b.tracks[T.POSTURE] == SEPARATION else 2),)


def _broad_validate(b, args) -> list[str]:
    state = b.tracks[T.SANCTIONS]
    if args[0] == IMPOSE and state == IN_FORCE:
        return ["broad sanctions are already in force"]
    if args[0] == THREATEN and state != NO_SANCTIONS:
        return ["broad sanctions are already " + ("in force" if state == IN_FORCE else "threatened")]
    if args[0] == LIFT and state == NO_SANCTIONS:
        return ["there are no broad sanctions to lift"]
    return []


def provoked(b) -> bool:
    """Whether broad sanctions answer a major attack (or restraint is gone)."""
    return bool(b.flags & (F_LETHAL | F_LAST_LETHAL)) or b.tracks[T.POSTURE] == SEPARATION


def _broad_effect(d, args, tier) -> None:
    if args[0] == LIFT:
        if d.tracks[T.SANCTIONS] == IN_FORCE:
            d.add(T.COHESION, 1)
        d.set(T.SANCTIONS, NO_SANCTIONS)
        return
    if args[0] == THREATEN:
        d.set(T.SANCTIONS, THREATENED)
        d.log("  Washington warns Baghdad: a major attack will bring broad sanctions.")
        return
    d.set(T.SANCTIONS, IN_FORCE)
    for track, delta in ((T.ECONOMY, -2), (T.BUDGET, -2), (T.ARMS, -1),
                         (T.ESCALATION, 1), (T.SUPPORT, -1)):
        d.add(track, delta)
    if not provoked(d):
        d.log("  Allies call it collective punishment without a major attack to answer.")
        d.add(T.COHESION, -2)


def _broad_summary(b, args) -> str:
    return {IMPOSE: "Impose broad economic sanctions on Iraq",
            LIFT: "Lift the broad economic sanctions" if b.tracks[T.SANCTIONS] == IN_FORCE
            else "Withdraw the threat of broad sanctions",
            THREATEN: "Threaten broad sanctions if US persons are attacked"}[args[0]]


BROAD = declare(
    US, "broad_sanctions", "Broad economic sanctions",
    [(IMPOSE,), (LIFT,), (THREATEN,)],
    cost=_broad_cost, validate=_broad_validate, effect=_broad_effect,
    summary=_broad_summary,
    notes=lambda b, a: ([] if a[0] != IMPOSE or provoked(b)
                        else ["No major attack to answer: coalition cohesion \u22122."]),
    usage="impose|lift|threaten")
