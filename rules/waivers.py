"""The sanctions waiver for Iraq's purchases of Iranian gas and electricity.

Rulebook
--------
The waiver is *granted*, *conditional* or *withheld*.  Its weight falls at
upkeep (see :mod:`rules.upkeep`): a withheld waiver brings blackouts,
which cost the government 1 legitimacy, give protests 1 momentum and cost
the coalition 1 cohesion (partners balk at darkening an ally); a
conditional waiver costs 1 budget unless the government protected a
foreign facility this turn.

**Waiver** (US, no cost, no dice): grant, condition or withhold it.
Withholding hits at once as well: budget −1 and the Iran-aligned bloc +1.

**Request a waiver** (government, 1 budget spent lobbying Washington): roll
2d6 vs 8; +2 if the government protected a foreign facility this turn,
+1 if the US holds to continuity, −2 after a lethal attack on US persons
this turn or last, −1 under separation.  Success: granted; partial: one
step better; backfire: one step worse.
"""

from __future__ import annotations

from engine.checks import BACKFIRE, PARTIAL, SUCCESS, Check, Modifier
from rules.board import (CONTINUITY, F_LAST_LETHAL, F_LETHAL, F_PROTECTED, GOI, GRANTED, SEPARATION,
                         US, WAIVERS, WITHHELD, T)
from rules.kinds import declare


def _waiver_effect(d, args, tier) -> None:
    value = WAIVERS.index(args[0])
    d.set(T.WAIVER, value)
    if value == WITHHELD:
        d.add(T.BUDGET, -1)
        d.add(T.BLOC_IRAN, 1)


WAIVER = declare(
    US, "waiver", "Decide the energy waiver",
    [(w,) for w in WAIVERS],
    validate=lambda b, a: ([f"the waiver is already {a[0]}"]
                           if b.tracks[T.WAIVER] == WAIVERS.index(a[0]) else []),
    effect=_waiver_effect,
    summary=lambda b, a: f"Energy waiver: {a[0]}",
    notes=lambda b, a: {
        "withheld": ["Budget \u22121 now, then \u22122 budget, \u22121 legitimacy each upkeep."],
        "conditional": ["\u22121 budget each upkeep unless the government protects a facility."],
        "granted": ["Iraq keeps buying Iranian gas and power."]}[a[0]],
    usage="granted|conditional|withheld")


def _request_check(b, args) -> Check:
    mods = []
    if b.flags & F_PROTECTED:
        mods.append(Modifier(2, "the government protected a foreign facility"))
    if b.tracks[T.POSTURE] == CONTINUITY:
        mods.append(Modifier(1, "Washington holds to continuity"))
    elif b.tracks[T.POSTURE] == SEPARATION:
        mods.append(Modifier(-1, "Washington has chosen separation"))
    if b.flags & (F_LETHAL | F_LAST_LETHAL):
        mods.append(Modifier(-2, "US persons were killed"))
    return Check("Waiver request", 8, tuple(mods))


def _request_effect(d, args, tier) -> None:
    if tier == SUCCESS:
        d.set(T.WAIVER, GRANTED)
    elif tier == PARTIAL:
        d.add(T.WAIVER, 1)
    elif tier == BACKFIRE:
        d.log("  Washington reads the request as defiance.")
        d.add(T.WAIVER, -1)


REQUEST = declare(
    GOI, "request_waiver", "Request the energy waiver",
    [()],
    cost=((T.BUDGET, 1),),
    validate=lambda b, a: ["the waiver is already granted"] if b.tracks[T.WAIVER] == GRANTED else [],
    check=_request_check, effect=_request_effect,
    summary=lambda b, a: f"Ask Washington to renew the waiver (now {WAIVERS[b.tracks[T.WAIVER]]})")
