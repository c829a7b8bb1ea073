"""US strikes and attribution.

Rulebook
--------
**Strike** (US, 1 political capital): hit a space where militia cells are
visible.  A *retaliatory* strike needs an attack on US persons this turn or
last.  A *preemptive* strike is legitimate only when all three of the
brief's conditions hold:

* an attack is **imminent** — the cells struck stand where US troops are
  (cells at another site do not make a strike here preemptive);
* **evidence** can be declassified — the airspace is under professional
  management, so surveillance flights saw it;
* **collateral risk** is low — the target is outside the cities.

A preemptive strike without them still flies, at a heavy price: the
government loses 1 legitimacy, the coalition 2 cohesion, and every Shia
bloc leans 1 further toward expelling US forces.  A retaliatory strike on an
attack nobody has attributed may hit the wrong group: if the attacker was
not the militias, the strike costs 1 legitimacy and 1 cohesion more, and
the true attacker becomes known.

Roll 2d6 vs 7: success removes two cells and 2 arms, partial one cell and
1 arms; anything but a fail enrages the Iran-aligned bloc; a backfire kills
civilians (legitimacy −1, cohesion −1, every Shia bloc +1, escalation +1).
Every strike raises escalation by 1.

**Attribute** (US, no cost): investigate an unattributed attack on a US
site.  Roll 2d6 vs 6 (+2 professional airspace, −1/−2 militia
deniability); partial or success reveals the attacker to everyone (and
costs the militias 1 deniability if it was theirs); a backfire blames the
wrong group in public (cohesion −1).
"""

from __future__ import annotations

from engine.checks import BACKFIRE, FAIL, PARTIAL, SUCCESS, Check, Modifier
from rules.board import (F_ATTACK, F_LAST_ATTACK, F_STRIKE, FACILITIES, K_MIL, K_US, KINDS,
                         MIL, MILITIA_SITES, SEPARATION, SHIA_BLOCS, SPACE_IDS,
                         SPACE_NAMES, URBAN, US, Attack, P, S, T, known_loyalist)
from rules.kinds import declare

RETALIATORY, PREEMPTIVE = "retaliatory", "preemptive"


def recent_attacks(b) -> list[Attack]:
    """Attacks on US persons this turn or last, oldest first."""
    return [a for a in b.attacks if a.turn >= b.turn - 1]


def imminent(b, space: int) -> bool:
    """An attack is imminent *from the target*: the cells to be struck stand
    within range of US troops, at the same site (cells elsewhere threaten
    nothing the strike would stop)."""
    pieces = b.pieces
    return bool(pieces[space * KINDS + K_MIL] and pieces[space * KINDS + K_US])


def preemptive_conditions(b, space: S) -> list[tuple[str, bool]]:
    return [
        ("an attack is imminent (the target's cells stand where US troops are)", imminent(b, space)),
        ("evidence can be declassified (professional airspace management)",
         not known_loyalist(b, P.AIRSPACE)),
        ("collateral risk is negligible (target outside the cities)", space not in URBAN),
    ]


def _strike_validate(b, args) -> list[str]:
    space = SPACE_IDS[args[0]]
    reasons = []
    if not b.pieces[space * KINDS + K_MIL]:
        reasons.append(f"no militia cells are visible at {SPACE_NAMES[space]}")
    if args[1] == RETALIATORY and not b.flags & (F_ATTACK | F_LAST_ATTACK):
        reasons.append("nothing to retaliate for: no attack on US persons this turn or last")
    return reasons


def _strike_check(b, args) -> Check:
    space = SPACE_IDS[args[0]]
    mods = []
    if not known_loyalist(b, P.AIRSPACE):
        mods.append(Modifier(1, "professional airspace management"))
    else:
        mods.append(Modifier(-1, "militia manages the airspace"))
    if b.tracks[T.POSTURE] == SEPARATION:
        mods.append(Modifier(2, "separation: Iraq is a free-fire zone"))
    if b.tracks[T.DENIABILITY] >= 7:
        mods.append(Modifier(-1, "militias hide behind deniability"))
    if any(a.attributed and a.by == MIL for a in recent_attacks(b)):
        mods.append(Modifier(1, "the attacker has been attributed"))
    if space in URBAN:
        mods.append(Modifier(-2, "target in a populated area"))
    return Check("US strike", 7, tuple(mods))


def _strike_effect(d, args, tier) -> None:
    space, mode = SPACE_IDS[args[0]], args[1]
    d.flags |= F_STRIKE
    d.add(T.ESCALATION, 1)
    if tier == SUCCESS:
        d.remove(K_MIL, space, 2)
        d.add(T.ARMS, -2)
    elif tier == PARTIAL:
        d.remove(K_MIL, space, 1)
        d.add(T.ARMS, -1)
    elif tier == BACKFIRE:
        d.log("  Civilians are killed in the strike.")
        d.add(T.LEGITIMACY, -1)
        d.add(T.COHESION, -1)
        d.add(T.ESCALATION, 1)
        for bloc in SHIA_BLOCS:
            d.add(bloc, 1)
    if tier != FAIL:
        d.add(T.BLOC_IRAN, 1)
    if mode == PREEMPTIVE:
        unmet = [text for text, ok in preemptive_conditions(d, space) if not ok]
        if unmet:
            d.log("  The preemptive strike lacks its conditions: " + "; ".join(unmet) + ".")
            d.add(T.LEGITIMACY, -1)
            d.add(T.COHESION, -2)
            for bloc in SHIA_BLOCS:
                d.add(bloc, 1)
    else:
        recent = recent_attacks(d)
        last = recent[-1] if recent else None
        if last is not None and not last.attributed and last.by != MIL:
            d.log(f"  The attack at {SPACE_NAMES[S(last.space)]} was not the militias' "
                  f"work ({last.by}): the strike hit the wrong group.")
            d.attacks[d.attacks.index(last)] = Attack(last.space, last.by, last.lethal, True, last.turn)
            d.add(T.LEGITIMACY, -1)
            d.add(T.COHESION, -1)


def _strike_notes(b, args) -> list[str]:
    if args[1] == PREEMPTIVE:
        conds = preemptive_conditions(b, SPACE_IDS[args[0]])
        lines = [("met: " if ok else "NOT met: ") + text for text, ok in conds]
        if not all(ok for _, ok in conds):
            lines.append("Without all three: legitimacy \u22121, coalition cohesion \u22122, Shia blocs +1.")
        return lines
    recent = recent_attacks(b)
    if recent and not recent[-1].attributed:
        return ["The last attack is unattributed: if it was not the militias, the strike "
                "hits the wrong group (legitimacy \u22121, cohesion \u22121)."]
    return []


def _strike_options(b):
    modes = (RETALIATORY, PREEMPTIVE) if b.flags & (F_ATTACK | F_LAST_ATTACK) else (PREEMPTIVE,)
    pieces = b.pieces
    for space in MILITIA_SITES:
        if pieces[space * KINDS + K_MIL]:
            name = _SPACE_KEYS[space]
            for mode in modes:
                yield (name, mode)


_SPACE_KEYS = {s: s.name.lower() for s in S}

STRIKE = declare(
    US, "strike", "Strike militia positions",
    [(s.name.lower(), mode) for s in MILITIA_SITES for mode in (RETALIATORY, PREEMPTIVE)],
    cost=((T.CAPITAL, 1),),
    validate=_strike_validate, check=_strike_check, effect=_strike_effect,
    summary=lambda b, a: f"{a[1].capitalize()} strike on militia cells at {SPACE_NAMES[SPACE_IDS[a[0]]]}",
    notes=_strike_notes, options=_strike_options, usage="SPACE retaliatory|preemptive")


def _unattributed_at(b, space: int) -> list[int]:
    return [i for i, a in enumerate(b.attacks)
            if a.space == space and not a.attributed and a.turn >= b.turn - 1]


def _attribute_check(b, args) -> Check:
    mods = []
    if not known_loyalist(b, P.AIRSPACE):
        mods.append(Modifier(2, "surveillance flights over a professional airspace"))
    deniability = b.tracks[T.DENIABILITY]
    if deniability >= 7:
        mods.append(Modifier(-2, "militias cover their tracks well"))
    elif deniability >= 4:
        mods.append(Modifier(-1, "militias cover their tracks"))
    return Check("Attribution", 6, tuple(mods))


def _attribute_effect(d, args, tier) -> None:
    space = SPACE_IDS[args[0]]
    if tier in (SUCCESS, PARTIAL):
        for i in _unattributed_at(d, space):
            attack = d.attacks[i]
            d.attacks[i] = Attack(attack.space, attack.by, attack.lethal, True, attack.turn)
            d.log(f"  The attack at {SPACE_NAMES[space]} is attributed to: {attack.by}.")
            if attack.by == MIL:
                d.add(T.DENIABILITY, -1)
    elif tier == BACKFIRE:
        d.log("  Washington blames the wrong group in public.")
        d.add(T.COHESION, -1)


def _attribute_options(b):
    turn = b.turn
    seen = {a.space for a in b.attacks if not a.attributed and a.turn >= turn - 1}
    return [(_SPACE_KEYS[s],) for s in FACILITIES if s in seen]


ATTRIBUTE = declare(
    US, "attribute", "Attribute an attack",
    [(s.name.lower(),) for s in FACILITIES],
    validate=lambda b, a: [] if _unattributed_at(b, SPACE_IDS[a[0]])
    else [f"no unattributed recent attack at {SPACE_NAMES[SPACE_IDS[a[0]]]}"],
    check=_attribute_check, effect=_attribute_effect, options=_attribute_options,
    summary=lambda b, a: f"Investigate who attacked {SPACE_NAMES[SPACE_IDS[a[0]]]}",
    usage="SPACE")
