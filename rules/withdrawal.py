"""The road to separation: the withdrawal motion, US posture, forces and cooperation.

Rulebook
--------
**Withdrawal vote** (government): *table* a motion to expel US forces
(1 command and control; voted in the resolution phase, see
:mod:`rules.parliament`), or *shelve* a tabled motion (2 command and
control; the Iran-aligned bloc +1 in anger).

**Implement** (government, no cost): after a motion has passed, order US
forces out.  This is separation at Iraq's request: the US posture becomes
separation with all its consequences (the dollar and the coalition against
ISIS go with it: ISIS pressure +1 at once), and from the next upkeep two US
troops leave each turn.  When the last one leaves, the withdrawal is
complete and the game ends.

**Lobby** (militias, 1 arms): press the blocs for a motion.  Roll 2d6 vs 8:
+2 after a US strike this turn, +1 when escalation is 6 or more, −1 when
Najaf's backing of the protests is 7 or more.  Success: Iran-aligned and
Sadrist blocs +1 and a motion is pressed (it waits for Speaker Halbousi,
see :mod:`rules.parliament`); partial: Sadrist bloc +1;
backfire: bribes exposed, moderate bloc −1 and deniability −1.

**Posture** (US): move one step along continuity — tougher love —
separation.  Continuity to tougher love costs 1 political capital and
1 militia deniability (the warning is public); tougher love back to
continuity calms things (escalation −1, cohesion +1).  Entering
**separation** is free and severe: coalition partners leave (cohesion −4),
security cooperation against ISIS stops, dollar access and asset protection
end (economy −2, budget −2) and Iraq's standing falls (legitimacy −1); in
exchange strikes gain +2 and broad sanctions cost less and no cohesion.
Leaving separation costs 3 political capital and restores cooperation;
it is impossible once Iraq has ordered US forces out.

**Suspend cooperation** (US): *suspend* security cooperation (command and
control −1, ISIS pressure +1; ISIS grows each upkeep while suspended) or
*resume* it (1 political capital; not under separation).

**Forces** (US): *reinforce* a US site with one troop from the pool
(1 political capital; not once a withdrawal is ordered nor under
separation, when troops go home each upkeep — see :mod:`rules.upkeep`; in
Baghdad it angers the Iran-aligned bloc), or *withdraw* one troop to the pool.
"""

from __future__ import annotations

from engine.checks import BACKFIRE, PARTIAL, SUCCESS, Check, Modifier
from rules.board import (AWAITING_SPEAKER, CONTINUITY, F_STRIKE, GOI, K_US, KINDS, MIL, MOTION_PASSED, NO_MOTION,
                         ORDERED, POSTURES, SEPARATION, SPACE_IDS, SPACE_NAMES, TOUGHER_LOVE, US,
                         US_SITES, BAGHDAD, POOL, T)
from rules import partners
from rules.kinds import declare
from rules.parliament import inclinations, pass_chance

TABLE, SHELVE = "table", "shelve"
EVICTION_ISIS = 1


def _vote_validate(b, args) -> list[str]:
    if args[0] == TABLE:
        if b.tracks[T.MOTION]:
            return ["a withdrawal motion is already tabled"]
        if b.tracks[T.WITHDRAWAL] != NO_MOTION:
            return ["a withdrawal motion has already passed"]
        return []
    return [] if b.tracks[T.MOTION] else ["no withdrawal motion is tabled"]


def _vote_effect(d, args, tier) -> None:
    if args[0] == TABLE:
        d.set(T.MOTION, 1)
        d.log("  A motion to expel US forces is on parliament's agenda.")
    else:
        d.set(T.MOTION, 0)
        d.add(T.BLOC_IRAN, 1)


def _vote_notes(b, args) -> list[str]:
    chance = pass_chance(inclinations(b))
    return [f"If voted now, the motion passes with probability {round(chance * 100)}%."]


VOTE = declare(
    GOI, "vote", "Withdrawal motion",
    [(TABLE,), (SHELVE,)],
    cost=lambda b, a: ((T.C2, 1 if a[0] == TABLE else 2),),
    validate=_vote_validate, effect=_vote_effect, notes=_vote_notes,
    summary=lambda b, a: ("Table a parliamentary motion to expel US forces" if a[0] == TABLE
                          else "Shelve the tabled withdrawal motion"),
    usage="table|shelve")


def enter_separation(d) -> None:
    """The brief's consequences of separation, applied once on entering it."""
    d.log("  Separation: coalition partners leave, security cooperation stops, "
          "dollar access and asset protection end.")
    d.set(T.POSTURE, SEPARATION)
    partners.all_leave(d)
    d.add(T.COHESION, -4)
    d.set(T.COOPERATION, 0)
    d.add(T.ECONOMY, -2)
    d.add(T.BUDGET, -2)
    d.add(T.LEGITIMACY, -1)


def _implement_effect(d, args, tier) -> None:
    d.set(T.WITHDRAWAL, ORDERED)
    d.log("  The government orders US forces to leave Iraq.")
    d.add(T.ISIS, EVICTION_ISIS)  # the coalition's campaign against ISIS stops at once
    if d.tracks[T.POSTURE] != SEPARATION:
        enter_separation(d)


IMPLEMENT = declare(
    GOI, "implement", "Order US forces out",
    [()],
    validate=lambda b, a: ([] if b.tracks[T.WITHDRAWAL] == MOTION_PASSED
                           else ["no passed withdrawal motion awaits implementation"]),
    effect=_implement_effect,
    summary=lambda b, a: "Implement the passed motion: order US forces to leave",
    notes=lambda b, a: ["Separation at Iraq's request; two US troops leave each upkeep."])


def _lobby_check(b, args) -> Check:
    mods = []
    if b.flags & F_STRIKE:
        mods.append(Modifier(2, "a US strike this turn"))
    if b.tracks[T.ESCALATION] >= 6:
        mods.append(Modifier(1, "escalation is high"))
    if b.tracks[T.NAJAF] >= 7:
        mods.append(Modifier(-1, "Najaf counsels restraint"))
    return Check("Lobbying parliament", 8, tuple(mods))


def _lobby_effect(d, args, tier) -> None:
    if tier == SUCCESS:
        d.add(T.BLOC_IRAN, 1)
        d.add(T.BLOC_SADR, 1)
        if not d.tracks[T.MOTION] and d.tracks[T.WITHDRAWAL] == NO_MOTION:
            d.set(T.MOTION, AWAITING_SPEAKER)
            d.log("  Militia allies press a motion to expel US forces; the Speaker sets the agenda.")
    elif tier == PARTIAL:
        d.add(T.BLOC_SADR, 1)
    elif tier == BACKFIRE:
        d.log("  Bribes to members of parliament are exposed.")
        d.add(T.BLOC_MODERATE, -1)
        d.add(T.DENIABILITY, -1)


LOBBY = declare(
    MIL, "lobby", "Lobby parliament for a withdrawal motion",
    [()],
    cost=((T.ARMS, 1),),
    validate=lambda b, a: ([] if b.tracks[T.WITHDRAWAL] == NO_MOTION
                           else ["a withdrawal motion has already passed"]),
    check=_lobby_check, effect=_lobby_effect,
    summary=lambda b, a: "Press the blocs to vote US forces out")


def _posture_cost(b, args):
    cur, new = b.tracks[T.POSTURE], POSTURES.index(args[0])
    if cur == CONTINUITY and new == TOUGHER_LOVE:
        return ((T.CAPITAL, 1),)
    if cur == SEPARATION:
        return ((T.CAPITAL, 3),)
    return ()


def _posture_validate(b, args) -> list[str]:
    cur, new = b.tracks[T.POSTURE], POSTURES.index(args[0])
    if new == cur:
        return [f"the US posture is already {args[0].replace('_', ' ')}"]
    if abs(new - cur) != 1:
        return ["the posture moves one step at a time"]
    if cur == SEPARATION and b.tracks[T.WITHDRAWAL] >= ORDERED:
        return ["Iraq has ordered US forces out: separation cannot be undone"]
    return []


def _posture_effect(d, args, tier) -> None:
    cur, new = d.tracks[T.POSTURE], POSTURES.index(args[0])
    if new == SEPARATION:
        enter_separation(d)
        return
    d.set(T.POSTURE, new)
    if cur == SEPARATION:
        d.set(T.COOPERATION, 1)
        d.log("  The US restores security cooperation with Baghdad.")
    elif new == TOUGHER_LOVE:
        d.add(T.DENIABILITY, -1)
    else:
        d.add(T.ESCALATION, -1)
        d.add(T.COHESION, 1)


POSTURE = declare(
    US, "posture", "Change the US posture",
    [(p,) for p in POSTURES],
    cost=_posture_cost, validate=_posture_validate, effect=_posture_effect,
    summary=lambda b, a: f"Move US policy to {a[0].replace('_', ' ')}",
    notes=lambda b, a: (["Coalition cohesion \u22124, cooperation stops, economy \u22122, budget \u22122, "
                         "legitimacy \u22121; strikes +2, cheaper broad sanctions."]
                        if a[0] == "separation" else []),
    usage="continuity|tougher_love|separation")

SUSPEND_SECURITY, RESUME = "security", "resume"


def _suspend_validate(b, args) -> list[str]:
    active = b.tracks[T.COOPERATION]
    if args[0] == SUSPEND_SECURITY:
        return [] if active else ["security cooperation is already suspended"]
    if active:
        return ["security cooperation is active"]
    if b.tracks[T.POSTURE] == SEPARATION:
        return ["no cooperation under separation"]
    return []


def _suspend_effect(d, args, tier) -> None:
    if args[0] == SUSPEND_SECURITY:
        d.set(T.COOPERATION, 0)
        d.add(T.C2, -1)
        d.add(T.ISIS, 1)
    else:
        d.set(T.COOPERATION, 1)


SUSPEND = declare(
    US, "suspend", "Suspend or resume security cooperation",
    [(SUSPEND_SECURITY,), (RESUME,)],
    cost=lambda b, a: ((T.CAPITAL, 1),) if a[0] == RESUME else (),
    validate=_suspend_validate, effect=_suspend_effect,
    summary=lambda b, a: ("Suspend security cooperation with Baghdad" if a[0] == SUSPEND_SECURITY
                          else "Resume security cooperation with Baghdad"),
    usage="security|resume")

REINFORCE, WITHDRAW = "reinforce", "withdraw"


def _forces_validate(b, args) -> list[str]:
    space = SPACE_IDS[args[0]]
    if args[1] == REINFORCE:
        reasons = []
        if not b.pool[POOL[US]]:
            reasons.append("no US troops are left in reserve")
        if b.tracks[T.WITHDRAWAL] >= ORDERED:
            reasons.append("Iraq has ordered US forces out")
        elif b.tracks[T.POSTURE] == SEPARATION:
            reasons.append("under separation US forces go home, they do not reinforce")
        return reasons
    return [] if b.pieces[space * KINDS + K_US] else [f"no US troops at {SPACE_NAMES[space]}"]


def _forces_effect(d, args, tier) -> None:
    space = SPACE_IDS[args[0]]
    if args[1] == REINFORCE:
        d.place(K_US, space)
        if space in BAGHDAD:
            d.add(T.BLOC_IRAN, 1)
    else:
        d.remove(K_US, space)


def _forces_options(b):
    can_reinforce = (b.pool[POOL[US]] and b.tracks[T.WITHDRAWAL] < ORDERED
                     and b.tracks[T.POSTURE] != SEPARATION and b.tracks[T.CAPITAL] >= 1)
    for space in US_SITES:
        name = _SPACE_KEYS[space]
        if can_reinforce:
            yield (name, REINFORCE)
        if b.pieces[space * KINDS + K_US]:
            yield (name, WITHDRAW)


_SPACE_KEYS = {s: s.name.lower() for s in US_SITES}

FORCES = declare(
    US, "forces", "Move US forces",
    [(s.name.lower(), m) for s in US_SITES for m in (REINFORCE, WITHDRAW)],
    cost=lambda b, a: ((T.CAPITAL, 1),) if a[1] == REINFORCE else (),
    validate=_forces_validate, effect=_forces_effect, options=_forces_options,
    summary=lambda b, a: (f"{'Reinforce' if a[1] == REINFORCE else 'Draw down'} US troops at "
                          f"{SPACE_NAMES[SPACE_IDS[a[0]]]}"),
    usage="SPACE reinforce|withdraw")
