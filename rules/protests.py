"""The protest movement: crowds, sit-ins, marches, strikes, Najaf, elections, evidence.

Rulebook
--------
**Mass protest** (no cost): crowds gather at a protest site.  Roll 2d6 vs 7
(+1 public support 7+, +1 Najaf's backing 7+, −1 militias hold the site's
security): success places two crowds and momentum +1, partial two crowds,
fail one crowd, backfire — militia snipers: one crowd shot (protester
casualties +1).

**Sit-in** (1 momentum, no dice): two or more crowds at Tahrir, parliament,
the Prime Minister's office or the government centre dig in.  While two
crowds remain, momentum does not fade and the government earns no
legitimacy from a quiet month.

**March** (1 momentum) from Tahrir Square, where two or more crowds stand,
to parliament, the Prime Minister's office or the government centre.  Roll
vs 8 (+1 four or more crowds at Tahrir, −2 militias hold the destination's
security, −1 Iraqi forces guard it this turn): success two crowds march,
legitimacy −1, support +1; partial one crowd marches; backfire — fire on
the bridges: two crowds lost at Tahrir, casualties +1, momentum +1.

**General strike** (2 momentum, public support 5+, no dice): the country
stops: budget −2, economy −1.

**Appeal to Najaf** (1 momentum): roll vs 7 (+1 protester casualties 5+,
+1 support 7+, −1 two or fewer crowds on the map): success Najaf's backing
+2 and a sermon that costs the government 1 legitimacy; partial backing
+1; backfire — the marja'iyya urges calm: backing −1.

**Demand early elections** (1 momentum): roll vs 7 (+1 Najaf 6+, +1 six or
more crowds on the map, +1 a new government, −1 the militias hold six or
more posts): success electoral progress +1 and support +1; partial support
+1; backfire momentum −1.  Progress to *elections held* needs a new
government.

**Document abuses** (1 momentum) by the holder of a key post: roll vs 7
(+1 support 6+, +1 protester casualties 5+, −1 militia deniability 7+):
success accountability +1 and, if the holder is a covert loyalist, he is
unmasked; partial — the testimony spreads but proves nothing: support +1;
backfire — activists abducted: casualties +1, momentum −1.
"""

from __future__ import annotations

from engine.checks import BACKFIRE, PARTIAL, SUCCESS, Check, Modifier
from rules.board import (COVERT, F_KILLED, K_PRO, KINDS, LOYALIST, NEW_GOVERNMENT, POOL,
                         POST_IDS, POST_NAMES, PRO, PROTEST_SITES, SPACE_IDS, SPACE_NAMES, SPACE_POST,
                         S, P, T, known_loyalist, known_posts, on_map)
from rules.government import ELECTIONS_HELD, elections_held
from rules.kinds import declare
from rules.people import SISTANI, holder_name


def _crowds(b, space: int) -> int:
    return b.pieces[space * KINDS + K_PRO]


def _militia_site(b, space: int) -> bool:
    post = SPACE_POST.get(space)
    return post is not None and known_loyalist(b, post)


def _protest_check(b, args) -> Check:
    space = SPACE_IDS[args[0]]
    mods = []
    if b.tracks[T.SUPPORT] >= 7:
        mods.append(Modifier(1, "broad public support"))
    if b.tracks[T.NAJAF] >= 7:
        mods.append(Modifier(1, "Najaf's backing"))
    if _militia_site(b, space):
        mods.append(Modifier(-1, "militias hold the site's security"))
    return Check("Mass protest", 7, tuple(mods))


def _protest_effect(d, args, tier) -> None:
    space = SPACE_IDS[args[0]]
    if tier == BACKFIRE:
        d.log(f"  Snipers fire on the crowd at {SPACE_NAMES[space]}.")
        d.add(T.PRO_CASUALTIES, 1)
        d.flags |= F_KILLED
        d.remove(K_PRO, space)
        return
    d.place(K_PRO, space, 1 if tier == "fail" else 2)
    if tier == SUCCESS:
        d.add(T.MOMENTUM, 1)


PROTEST = declare(
    PRO, "protest", "Mass protest",
    [(s.name.lower(),) for s in PROTEST_SITES],
    gate=lambda b: None if b.pool[POOL[PRO]] else "every crowd is already in the streets",
    check=_protest_check, effect=_protest_effect,
    summary=lambda b, a: f"Call a mass protest at {SPACE_NAMES[SPACE_IDS[a[0]]]}", usage="SPACE")

SITIN_SITES = (S.TAHRIR, S.PARLIAMENT, S.PMO, S.GZONE)


def _sitin_validate(b, args) -> list[str]:
    space = SPACE_IDS[args[0]]
    if b.sitins >> space & 1:
        return [f"a sit-in already holds {SPACE_NAMES[space]}"]
    if _crowds(b, space) < 2:
        return [f"a sit-in needs two crowds at {SPACE_NAMES[space]}"]
    return []


def _sitin_effect(d, args, tier) -> None:
    d.sitins |= 1 << SPACE_IDS[args[0]]


SITIN = declare(
    PRO, "sitin", "Sit-in",
    [(s.name.lower(),) for s in SITIN_SITES],
    cost=((T.MOMENTUM, 1),),
    validate=_sitin_validate, effect=_sitin_effect,
    summary=lambda b, a: f"Begin a sit-in at {SPACE_NAMES[SPACE_IDS[a[0]]]}",
    notes=lambda b, a: ["While two crowds hold it: momentum holds, no quiet-month legitimacy."],
    usage="SPACE")

MARCH_DESTINATIONS = (S.PARLIAMENT, S.PMO, S.GZONE)


def _march_check(b, args) -> Check:
    dest = SPACE_IDS[args[0]]
    mods = []
    if _crowds(b, S.TAHRIR) >= 4:
        mods.append(Modifier(1, "a huge crowd at Tahrir"))
    if _militia_site(b, dest):
        mods.append(Modifier(-2, "militias hold the destination's security"))
    if b.protected >> dest & 1:
        mods.append(Modifier(-1, "Iraqi forces guard the destination"))
    return Check("March", 8, tuple(mods))


def _march_effect(d, args, tier) -> None:
    dest = SPACE_IDS[args[0]]
    if tier == SUCCESS:
        d.move(K_PRO, S.TAHRIR, dest, 2)
        d.add(T.LEGITIMACY, -1)
        d.add(T.SUPPORT, 1)
    elif tier == PARTIAL:
        d.move(K_PRO, S.TAHRIR, dest, 1)
    elif tier == BACKFIRE:
        d.log("  Gunmen fire on the marchers at the bridges.")
        d.remove(K_PRO, S.TAHRIR, 2)
        d.add(T.PRO_CASUALTIES, 1)
        d.add(T.MOMENTUM, 1)
        d.flags |= F_KILLED


MARCH = declare(
    PRO, "march", "March from Tahrir Square",
    [(s.name.lower(),) for s in MARCH_DESTINATIONS],
    cost=((T.MOMENTUM, 1),),
    gate=lambda b: None if _crowds(b, S.TAHRIR) >= 2 else "a march needs two crowds at Tahrir",
    check=_march_check, effect=_march_effect,
    summary=lambda b, a: f"March from Tahrir Square on {SPACE_NAMES[SPACE_IDS[a[0]]]}",
    usage="SPACE")


def _strike_effect(d, args, tier) -> None:
    d.add(T.BUDGET, -2)
    d.add(T.ECONOMY, -1)


GENERAL_STRIKE = declare(
    PRO, "general_strike", "General strike",
    [()],
    cost=((T.MOMENTUM, 2),),
    validate=lambda b, a: [] if b.tracks[T.SUPPORT] >= 5 else ["a general strike needs public support 5+"],
    effect=_strike_effect,
    summary=lambda b, a: "Call a general strike")


def _najaf_check(b, args) -> Check:
    mods = []
    if b.tracks[T.PRO_CASUALTIES] >= 5:
        mods.append(Modifier(1, "the blood of the martyrs"))
    if b.tracks[T.SUPPORT] >= 7:
        mods.append(Modifier(1, "broad public support"))
    if on_map(b, K_PRO) <= 2:
        mods.append(Modifier(-1, "the movement looks weak"))
    return Check("Appeal to Najaf", 7, tuple(mods))


def _najaf_effect(d, args, tier) -> None:
    if tier == SUCCESS:
        d.log("  The Friday sermon in Karbala sides with the protesters.")
        d.add(T.NAJAF, 2)
        d.add(T.LEGITIMACY, -1)
    elif tier == PARTIAL:
        d.add(T.NAJAF, 1)
    elif tier == BACKFIRE:
        d.log("  The marja'iyya urges calm and a return home.")
        d.add(T.NAJAF, -1)


NAJAF = declare(
    PRO, "najaf", "Appeal to Najaf",
    [()],
    cost=((T.MOMENTUM, 1),),
    check=_najaf_check, effect=_najaf_effect,
    summary=lambda b, a: f"Appeal to {SISTANI} in Najaf")


def _demand_validate(b, args) -> list[str]:
    progress = b.tracks[T.ELECTORAL]
    if progress >= 5:
        return ["the elections have been held"]
    if progress == 4 and b.tracks[T.GOVERNMENT] != NEW_GOVERNMENT:
        return ["elections can be held only under a new government"]
    return []


def _demand_check(b, args) -> Check:
    mods = []
    if b.tracks[T.NAJAF] >= 6:
        mods.append(Modifier(1, "Najaf calls for early elections"))
    if on_map(b, K_PRO) >= 6:
        mods.append(Modifier(1, "the squares are full"))
    if b.tracks[T.GOVERNMENT] == NEW_GOVERNMENT:
        mods.append(Modifier(1, "a new government has promised them"))
    if known_posts(b) >= 6:
        mods.append(Modifier(-1, "militias prefer deadlock"))
    return Check("Demand for early elections", 7, tuple(mods))


def _demand_effect(d, args, tier) -> None:
    if tier == SUCCESS:
        d.add(T.ELECTORAL, 1)
        d.add(T.SUPPORT, 1)
        if d.tracks[T.ELECTORAL] == ELECTIONS_HELD:
            elections_held(d)
    elif tier == PARTIAL:
        d.add(T.SUPPORT, 1)
    elif tier == BACKFIRE:
        d.add(T.MOMENTUM, -1)


DEMAND = declare(
    PRO, "elections", "Demand early elections",
    [()],
    cost=((T.MOMENTUM, 1),),
    validate=_demand_validate, check=_demand_check, effect=_demand_effect,
    summary=lambda b, a: "Demand early elections under an independent commission")


def _document_check(b, args) -> Check:
    mods = []
    if b.tracks[T.SUPPORT] >= 6:
        mods.append(Modifier(1, "witnesses come forward"))
    if b.tracks[T.PRO_CASUALTIES] >= 5:
        mods.append(Modifier(1, "many crimes to document"))
    if b.tracks[T.DENIABILITY] >= 7:
        mods.append(Modifier(-1, "militias cover their tracks"))
    return Check("Documenting abuses", 7, tuple(mods))


def _document_effect(d, args, tier) -> None:
    post = POST_IDS[args[0]]
    if tier == PARTIAL:
        d.add(T.SUPPORT, 1)
    elif tier == SUCCESS:
        d.add(T.ACCOUNTABILITY, 1)
        if d.posts[post] == COVERT:
            d.appoint(post, LOYALIST)
            d.log(f"  Evidence unmasks the {POST_NAMES[post]} as a militia loyalist.")
    elif tier == BACKFIRE:
        d.log("  Activists are abducted.")
        d.add(T.PRO_CASUALTIES, 1)
        d.add(T.MOMENTUM, -1)
        d.flags |= F_KILLED


DOCUMENT = declare(
    PRO, "document", "Document abuses",
    [(p.name.lower(),) for p in P],
    cost=((T.MOMENTUM, 1),), check=_document_check, effect=_document_effect,
    summary=lambda b, a: (f"Document abuses by {holder_name(b, POST_IDS[a[0]])}, "
                          f"{POST_NAMES[POST_IDS[a[0]]]}"), usage="POST")
