"""Militia operations: rockets, storming a compound, crushing protests, recruiting.

Rulebook
--------
**Rockets** (militias; 1 arms for *harassment*, 2 for *lethal* fire): order
an attack on a US site where US troops are, from a cell there (open or
covert).  The order is a covert action: the other players read only that
the militias did something.  All attacks of the turn — the militias' and
ISIS's — land in the resolution phase, in a random order, each reported the
same way, so a victim cannot tell one attacker from another until the
attack is attributed.  Roll 2d6 vs 7 then: +1 the militias hold the site's
post, −2 the government protects the site this turn, −1 three or more US
troops (force protection).  Harassment: success
costs the US 1 political capital and 1 cohesion, partial 1 political capital.
Lethal: success kills (a US troop lost, US persons harmed +1, escalation +1,
political capital −1), partial wounds or kills a contractor (US persons
harmed +1, escalation +1); either way, at a site the government did not
protect this turn, the state looks powerless (legitimacy −1).  A backfire exposes the crew: a covert cell there
is unmasked (or an open one lost), deniability −1, and the attack is
attributed to them.  An order whose crew is gone by then (struck, say)
fires nothing.

**Storm a compound** (militias, 2 arms): two or more cells at the government
centre break into the embassy compound; no deniability (the attack is
attributed at once and covert cells there are unmasked).  Roll vs 8: +2 the
militias hold its security, −2 the government protects it this turn, −1 two
or more US troops.  Success: political capital −2, cohesion −1, legitimacy
−1, escalation +2; partial: political capital −1, escalation +1; fail:
escalation +1; backfire: two cells lost, deniability −2.

**Suppress protests** (militias, 1 arms): attack crowds at a site where the
militias have a cell.  Roll vs 7: +1 militias hold the site's security, −2
the government protects the protesters there, −1 Najaf's backing 7+.
Success: two crowds dispersed, protester casualties +1, momentum −1;
partial: one crowd, casualties +1; backfire: the killings are filmed —
casualties +1, accountability +1, Najaf's backing +1, momentum +1.

**Recruit** (militias, 1 arms): place two cells from the pool at a site,
*open* or *covert*.
"""

from __future__ import annotations

from engine.checks import BACKFIRE, PARTIAL, SUCCESS, Check, Modifier
from rules.board import (F_KILLED, FACILITIES, K_COVERT, K_MIL, K_PRO, K_US, KINDS, MIL,
                         MILITIA_SITES, POOL, PROTEST_SITES, SPACE_IDS, SPACE_NAMES, SPACE_POST,
                         S, T, holds)
from rules.kinds import declare

HARASSMENT, LETHAL = "harassment", "lethal"


def _cells(b, space: int) -> int:
    return b.pieces[space * KINDS + K_MIL] + b.pieces[space * KINDS + K_COVERT]


def _holds_site(b, space: int) -> bool:
    post = SPACE_POST.get(space)
    return post is not None and holds(b, post)


def _protected(b, space: int) -> bool:
    return bool(b.protected >> space & 1)


def _rockets_validate(b, args) -> list[str]:
    space = SPACE_IDS[args[0]]
    reasons = []
    if not b.pieces[space * KINDS + K_US]:
        reasons.append(f"no US troops at {SPACE_NAMES[space]}")
    if not _cells(b, space):
        reasons.append(f"no militia cell within range of {SPACE_NAMES[space]}")
    return reasons


def _rockets_check(b, args) -> Check:
    space = SPACE_IDS[args[0]]
    mods = []
    if _holds_site(b, space):
        mods.append(Modifier(1, "the militias hold the site's security"))
    if _protected(b, space):
        mods.append(Modifier(-2, "Iraqi forces protect the site"))
    if b.pieces[space * KINDS + K_US] >= 3:
        mods.append(Modifier(-1, "strong force protection"))
    return Check(f"Rocket attack ({args[1]})", 7, tuple(mods))


def unmask_or_lose(d, space: int) -> None:
    if d.pieces[space * KINDS + K_COVERT]:
        d.pieces[space * KINDS + K_COVERT] -= 1
        d.pieces[space * KINDS + K_MIL] += 1
        d.log(f"  A covert cell at {SPACE_NAMES[space]} is exposed.")
    else:
        d.remove(K_MIL, space)


def _rockets_order(d, args, tier) -> None:
    d.orders = d.orders + ((int(SPACE_IDS[args[0]]), args[1]),)
    d.log(f"  Rockets will be fired at {SPACE_NAMES[SPACE_IDS[args[0]]]} in the resolution phase.")


def rocket_attack(d, space: int, mode: str, by: str) -> None:
    """Resolve one attack on ``space`` (resolution phase); its author stays hidden."""
    if by == MIL and not _cells(d, space):
        d.log(f"The rocket crew at {SPACE_NAMES[space]} is gone: no attack.", MIL)
        return
    if not d.pieces[space * KINDS + K_US]:
        d.log(f"Rockets fall on an empty compound at {SPACE_NAMES[space]}.")
        d.mark_attack(space, by, False)
        return
    d.secret_to = by if by == MIL else "isis"
    tier = d.check(_rockets_check(d, (SPACE_KEYS[space], mode)))
    d.secret_to = None
    _rockets_effect(d, space, mode, tier, by)


def _rockets_effect(d, space: int, mode: str, tier: str, by: str) -> None:
    harmed = False
    if mode == LETHAL and tier in (SUCCESS, PARTIAL):
        harmed = True
        d.add(T.US_CASUALTIES, 1)
        d.add(T.ESCALATION, 1)
        if tier == SUCCESS:
            d.remove(K_US, space)
            d.add(T.CAPITAL, -1)
        d.log(f"  Rockets kill at {SPACE_NAMES[space]}.")
        if not _protected(d, space):
            d.log("  Baghdad did not guard its guests: the state looks powerless.")
            d.add(T.LEGITIMACY, -1)
    elif mode == HARASSMENT and tier in (SUCCESS, PARTIAL):
        d.add(T.CAPITAL, -1)
        if tier == SUCCESS:
            d.add(T.COHESION, -1)
    exposed = tier == BACKFIRE and by == MIL
    if exposed:
        unmask_or_lose(d, space)
        d.add(T.DENIABILITY, -1)
    d.mark_attack(space, by, harmed, attributed=exposed)
    if exposed:
        d.log(f"  Rockets hit {SPACE_NAMES[space]}; the exposed crew shows they were the militias'.")
    else:
        d.log(f"  Rockets hit {SPACE_NAMES[space]}; the attacker is unknown.")


def _rockets_options(b):
    arms = b.tracks[T.ARMS]
    pieces = b.pieces
    for space in FACILITIES:
        i = space * KINDS
        if pieces[i + K_US] and (pieces[i + K_MIL] or pieces[i + K_COVERT]):
            name = _SPACE_KEYS[space]
            if arms >= 1:
                yield (name, HARASSMENT)
            if arms >= 2:
                yield (name, LETHAL)


_SPACE_KEYS = SPACE_KEYS = {s: s.name.lower() for s in S}

ROCKETS = declare(
    MIL, "rockets", "Rocket attack",
    [(s.name.lower(), m) for s in FACILITIES for m in (HARASSMENT, LETHAL)],
    cost=lambda b, a: ((T.ARMS, 2 if a[1] == LETHAL else 1),),
    validate=_rockets_validate, check=_rockets_check, effect=_rockets_order,
    options=_rockets_options, roll_now=False, covert=lambda a: True,
    notes=lambda b, a: ["Rolled in the resolution phase: protection placed before then counts."],
    summary=lambda b, a: f"Fire rockets at {SPACE_NAMES[SPACE_IDS[a[0]]]} ({a[1]})",
    usage="SPACE harassment|lethal")


def _storm_check(b, args) -> Check:
    mods = []
    if holds(b, SPACE_POST[S.GZONE]):
        mods.append(Modifier(2, "the security chief lets them through"))
    if _protected(b, S.GZONE):
        mods.append(Modifier(-2, "Iraqi forces protect the compound"))
    if b.pieces[S.GZONE * KINDS + K_US] >= 2:
        mods.append(Modifier(-1, "embassy guards"))
    return Check("Storming the embassy", 8, tuple(mods))


def _storm_effect(d, args, tier) -> None:
    covert = d.pieces[S.GZONE * KINDS + K_COVERT]
    d.pieces[S.GZONE * KINDS + K_COVERT] = 0
    d.pieces[S.GZONE * KINDS + K_MIL] += covert
    d.mark_attack(S.GZONE, MIL, False, attributed=True)
    d.log("  Militiamen storm the US embassy compound in the open.")
    effects = {
        SUCCESS: ((T.CAPITAL, -2), (T.COHESION, -1), (T.LEGITIMACY, -1), (T.ESCALATION, 2)),
        PARTIAL: ((T.CAPITAL, -1), (T.ESCALATION, 1)),
        "fail": ((T.ESCALATION, 1),),
        BACKFIRE: ((T.DENIABILITY, -2),),
    }[tier]
    for track, delta in effects:
        d.add(track, delta)
    if tier == BACKFIRE:
        d.remove(K_MIL, S.GZONE, 2)


STORM = declare(
    MIL, "storm", "Storm the embassy compound",
    [("gzone",)],
    cost=((T.ARMS, 2),),
    validate=lambda b, a: ([] if _cells(b, S.GZONE) >= 2
                           else ["storming the compound needs two cells at the government centre"]),
    check=_storm_check, effect=_storm_effect,
    summary=lambda b, a: "Storm the US embassy compound", usage="gzone")


def _suppress_validate(b, args) -> list[str]:
    space = SPACE_IDS[args[0]]
    reasons = []
    if not b.pieces[space * KINDS + K_PRO]:
        reasons.append(f"no crowds at {SPACE_NAMES[space]}")
    if not _cells(b, space):
        reasons.append(f"no militia cell at {SPACE_NAMES[space]}")
    return reasons


def _suppress_check(b, args) -> Check:
    space = SPACE_IDS[args[0]]
    mods = []
    if _holds_site(b, space):
        mods.append(Modifier(1, "the militias hold the site's security"))
    if _protected(b, space):
        mods.append(Modifier(-2, "Iraqi forces protect the protesters"))
    if b.tracks[T.NAJAF] >= 7:
        mods.append(Modifier(-1, "Najaf is watching"))
    return Check("Suppressing protests", 7, tuple(mods))


def _suppress_effect(d, args, tier) -> None:
    space = SPACE_IDS[args[0]]
    if tier == SUCCESS:
        d.remove(K_PRO, space, 2)
        d.add(T.MOMENTUM, -1)
    elif tier == PARTIAL:
        d.remove(K_PRO, space, 1)
    elif tier == BACKFIRE:
        d.log("  The killings are filmed and shared.")
        d.add(T.ACCOUNTABILITY, 1)
        d.add(T.NAJAF, 1)
        d.add(T.MOMENTUM, 1)
    if tier != "fail":
        d.add(T.PRO_CASUALTIES, 1)
        d.flags |= F_KILLED


SUPPRESS = declare(
    MIL, "suppress", "Suppress protests",
    [(s.name.lower(),) for s in PROTEST_SITES],
    cost=((T.ARMS, 1),),
    validate=_suppress_validate, check=_suppress_check, effect=_suppress_effect,
    options=lambda b: [(_SPACE_KEYS[s],) for s in PROTEST_SITES
                       if b.pieces[s * KINDS + K_PRO] and _cells(b, s)],
    summary=lambda b, a: f"Attack the protesters at {SPACE_NAMES[SPACE_IDS[a[0]]]}", usage="SPACE")

OPEN, COVERT_CELLS = "open", "covert"


def _recruit_effect(d, args, tier) -> None:
    d.place(K_MIL if args[1] == OPEN else K_COVERT, SPACE_IDS[args[0]], 2)


RECRUIT = declare(
    MIL, "recruit", "Recruit militia cells",
    [(s.name.lower(), m) for s in MILITIA_SITES for m in (OPEN, COVERT_CELLS)],
    cost=((T.ARMS, 1),),
    gate=lambda b: None if b.pool[POOL[MIL]] else "no militia cells left to recruit",
    effect=_recruit_effect, covert=lambda a: a[1] == COVERT_CELLS,
    summary=lambda b, a: f"Place two {a[1]} cells at {SPACE_NAMES[SPACE_IDS[a[0]]]}",
    usage="SPACE open|covert")
