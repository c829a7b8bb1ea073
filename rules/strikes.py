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

**Leadership strike** (US, 2 political capital; the decision of 3 January
2020): a drone strike at Baghdad airport on Abu Mahdi al-Muhandis and the
Iranian general travelling with him, Qasem Soleimani.  Possible while
al-Muhandis lives and the militias hold the airport or have a cell there.
Roll 2d6 vs 6 (+1 the militias hold the airport: he moves openly there;
+1 professional airspace management).  Success or partial kills both
(success: militia arms −2, deniability −1; partial: arms −1); a fail misses
them; a backfire kills bystanders (legitimacy −1 more).  Whatever the
outcome, it provokes: escalation +2, every Shia bloc +1 (sovereignty
violated), legitimacy −1, coalition cohesion −1 (partners were not
consulted); and if the leaders are killed, Iran answers at once with
ballistic missiles on Al Asad (an attack by Iran, attributed, no one
killed: escalation +1, cohesion −1), and both sides step back
(escalation −1, or −2 from 8 up).  A US strike this turn forces the Speaker
to put a pressed withdrawal motion to the vote (:mod:`rules.parliament`).

A strike that costs the Iraqi state legitimacy (one without the brief's
conditions, on the wrong group, a backfire, or the leadership strike) is
an affront the government may condemn, this turn or the next
(:mod:`rules.government`).

**Attribute** (US, no cost): investigate an unattributed attack on a US
site.  Roll 2d6 vs 6 (+2 professional airspace, −1/−2 militia
deniability); partial or success reveals the attacker to everyone (and
costs the militias 1 deniability if it was theirs); a backfire blames the
wrong group in public (cohesion −1).
"""

from __future__ import annotations

from engine.checks import BACKFIRE, FAIL, PARTIAL, SUCCESS, Check, Modifier
from rules.board import (F_AFFRONT, F_ATTACK, F_LAST_ATTACK, F_STRIKE, FACILITIES, K_MIL, K_US, KINDS,
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


def shame(d) -> None:
    """A US strike costs the Iraqi state 1 legitimacy; if it cost anything,
    it is an affront the government may condemn (:mod:`rules.government`)."""
    if d.add(T.LEGITIMACY, -1):
        d.flags |= F_AFFRONT


def _strike_effect(d, args, tier) -> None:
    space, mode = SPACE_IDS[args[0]], args[1]
    # The brief's conditions are judged on the target as it stood, before the strike.
    unmet = ([text for text, ok in preemptive_conditions(d, space) if not ok]
             if mode == PREEMPTIVE else [])
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
        shame(d)
        d.add(T.COHESION, -1)
        d.add(T.ESCALATION, 1)
        for bloc in SHIA_BLOCS:
            d.add(bloc, 1)
    if tier != FAIL:
        d.add(T.BLOC_IRAN, 1)
    if mode == PREEMPTIVE:
        if unmet:
            d.log("  The preemptive strike lacks its conditions: " + "; ".join(unmet) + ".")
            shame(d)
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
            shame(d)
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


# -- the leadership strike of 3 January 2020 --------------------------------------------
MUHANDIS = "muhandis"


def _leadership_validate(b, args) -> list[str]:
    from rules.people import PERSON_IDS, bit
    reasons = []
    if b.ousted & bit(PERSON_IDS[MUHANDIS]):
        reasons.append("Abu Mahdi al-Muhandis is already dead")
    if not known_loyalist(b, P.AIRPORT) and not b.pieces[S.AIRPORT * KINDS + K_MIL]:
        reasons.append("the militias neither hold Baghdad airport nor have a cell there")
    return reasons


def _leadership_check(b, args) -> Check:
    mods = []
    if known_loyalist(b, P.AIRPORT):
        mods.append(Modifier(1, "the militias hold the airport: he moves openly there"))
    if not known_loyalist(b, P.AIRSPACE):
        mods.append(Modifier(1, "professional airspace management"))
    return Check("Leadership strike", 6, tuple(mods))


def _leadership_effect(d, args, tier) -> None:
    from rules.people import PERSON_IDS, bit
    d.flags |= F_STRIKE
    if tier in (SUCCESS, PARTIAL):
        d.ousted |= bit(PERSON_IDS[MUHANDIS])
        d.announce("  A US drone kills Abu Mahdi al-Muhandis and Qasem Soleimani as they leave "
                   "Baghdad airport.")
        d.add(T.ARMS, -2 if tier == SUCCESS else -1)
        if tier == SUCCESS:
            d.add(T.DENIABILITY, -1)
    elif tier == BACKFIRE:
        d.log("  The missiles miss their targets and kill bystanders.")
        shame(d)
    else:
        d.log("  The targets were not in the convoy.")
    d.add(T.ESCALATION, 2)
    for bloc in SHIA_BLOCS:
        d.add(bloc, 1)
    shame(d)
    d.add(T.COHESION, -1)
    if tier in (SUCCESS, PARTIAL):
        d.log("  Iran answers: ballistic missiles on Al Asad and Erbil.")
        d.mark_attack(S.ASAD, "iran", False, True)
        d.add(T.ESCALATION, 1)
        d.add(T.COHESION, -1)
        d.log("  No one is killed, and both sides step back from the brink.")
        d.add(T.ESCALATION, -2 if d.tracks[T.ESCALATION] >= 8 else -1)


LEADERSHIP = declare(
    US, "leadership_strike", "Strike militia leaders at Baghdad airport",
    [(MUHANDIS,)],
    cost=((T.CAPITAL, 2),),
    validate=_leadership_validate, check=_leadership_check, effect=_leadership_effect,
    summary=lambda b, a: "Drone strike on Abu Mahdi al-Muhandis and Qasem Soleimani at Baghdad airport",
    notes=lambda b, a: ["Provokes: escalation +2, every Shia bloc +1, legitimacy \u22121, "
                        "cohesion \u22121; if they die, Iran fires missiles at Al Asad."],
    usage="muhandis")
