"""Governing: protecting facilities and protesters, reforms, a new prime
minister, and the road to early elections.

Rulebook
--------
**Protect a facility** (government, 1 command and control): Iraqi forces
guard a foreign facility for the rest of the turn (one force is placed
there if any is left): rockets and storming there suffer −2, and the
conditional waiver is kept.

**Condemn a US strike** (government, 1 command and control; once for each
strike): answer a US strike that cost the state legitimacy — one without the
brief's conditions, on the wrong group, a backfire, or the leadership
strike — this turn or an uncondemned one last turn.  Baghdad summons the
US ambassador and complains to the UN Security Council, as it did after
the strikes of 29 December and 3 January: legitimacy +1 (the state is
seen to defend its sovereignty), US political capital −2 (a strike its
host condemns costs Washington at home and among its partners) and every
Shia bloc −1 (the state, not the militias, speaks for the outrage).

**Crowds** (government, 1 command and control), at a protest site:
*crack down* — roll 2d6 vs 7 (+1 the militias hold the site's security, −1
Najaf's backing 7+, −1 the US is on tougher love or separation, watching
for abuses): success disperses two crowds (casualties +1, momentum −2,
legitimacy −1), partial one crowd (casualties +1, momentum −1, legitimacy
−1), fail costs 1 legitimacy and gives momentum +1, backfire is a massacre
(casualties +2, legitimacy −2, momentum +2, Najaf's backing +1,
accountability +1); or *protect* the protesters — Iraqi forces stand
between them and the militias (suppression there −2); legitimacy +1 only
where militia cells are seen at the site (shielding an empty square earns
nothing).  A government that does neither *stands aside*, as it did when
militias killed scores of protesters in 2019.

**Early elections held** (electoral progress reaches *elections held*,
by the movement's demand or an event): the state is relegitimised —
legitimacy +3, the Iran-aligned and Sadrist blocs −1, momentum −2 as the
street's demand is met, and the refreshed cabinet puts a professional in
the first post a known loyalist holds.

**Reforms** (government, 2 budget): *services* — electricity, water,
jobs: legitimacy +1, momentum −1 (no dice); *anti-corruption* — roll vs 8
(+1 Najaf's backing 6+, +1 accountability 4+, −1 two or more front
companies): success legitimacy +1, a front company closed, accountability
+1; partial legitimacy +1; backfire Iran-aligned bloc +1 and command and
control −1.

**Nominate a prime minister** (government, 1 command and control):
President Barham Salih names the candidate the government's parties put
forward, and parliament (its session set by Speaker al-Halbousi) confirms
him.  Salih refuses a party *consensus* candidate while the squares are
strong (protest momentum 7+ or Najaf's backing 7+), as he refused the
militias' candidate in December 2019.  A
*consensus* candidate of the parties (roll vs 8: +1 party deals, −1
momentum 7+, −1 Najaf 7+) or an *independent* (roll vs 8: +1 Najaf 6+,
+1 momentum 6+, −2 militias hold 5+ posts, −1 Iran-aligned bloc at 4);
either candidate −1 while militiamen openly guard the prime minister's
office (the brief: Kataib Hezbollah has taken it over).
Success moves the government one step (caretaker → nominee → new
government); a new government brings legitimacy +2, and the street's
verdict (independent: support +1, momentum −1; consensus: momentum +1).
Partial names a nominee if there is none; backfire: the nominee withdraws
(back to caretaker, legitimacy −1).

**Elections** (US, 1 political capital): with the UN, the EU and partners,
support an independent electoral commission (up to *date set*).  Roll vs 7
(+1 cohesion 6+, +1 Najaf 7+, −2 under separation): success electoral
progress +1 and protest support +1; partial progress +1 but the Iran-aligned
bloc cries interference (+1); backfire taints the protesters (support −1).
"""

from __future__ import annotations

from engine.checks import BACKFIRE, PARTIAL, SUCCESS, Check, Modifier
from rules.board import (CARETAKER, F_AFFRONT, F_CONDEMNED, F_KILLED, F_LAST_AFFRONT, F_PROTECTED, FACILITIES, GOI, K_GOI, K_MIL, K_PRO, KINDS,
                         LOYALIST, POSTS, POST_NAMES, PROFESSIONAL,
                         NEW_GOVERNMENT, NOMINEE, PROTEST_SITES, SEPARATION, SPACE_IDS, SPACE_NAMES,
                         SHIA_BLOCS, SPACE_POST, US, P, T, known_loyalist, known_posts)
from rules.kinds import declare
from rules.people import PRESIDENT, SPEAKER


def _protect_effect(d, args, tier) -> None:
    space = SPACE_IDS[args[0]]
    d.place(K_GOI, space)
    d.protected |= 1 << space
    d.flags |= F_PROTECTED


PROTECT = declare(
    GOI, "protect", "Protect a foreign facility",
    [(s.name.lower(),) for s in FACILITIES],
    cost=((T.C2, 1),),
    validate=lambda b, a: ([f"{SPACE_NAMES[SPACE_IDS[a[0]]]} is already protected this turn"]
                           if b.protected >> SPACE_IDS[a[0]] & 1 else []),
    effect=_protect_effect,
    summary=lambda b, a: f"Post Iraqi forces to protect {SPACE_NAMES[SPACE_IDS[a[0]]]}",
    usage="SPACE")



def _condemn_validate(b, args) -> list[str]:
    if not b.flags & (F_AFFRONT | F_LAST_AFFRONT):
        if b.flags & F_CONDEMNED:
            return ["the government has already condemned the strikes so far"]
        return ["no US strike this turn or last cost the state legitimacy"]
    return []


def _condemn_effect(d, args, tier) -> None:
    # Every affront so far is answered; a strike later this turn is a new one.
    d.flags = (d.flags | F_CONDEMNED) & ~(F_AFFRONT | F_LAST_AFFRONT)
    d.log("  Baghdad summons the US ambassador and complains to the UN Security Council.")
    d.add(T.LEGITIMACY, 1)
    d.add(T.CAPITAL, -2)
    for bloc in SHIA_BLOCS:
        d.add(bloc, -1)


CONDEMN = declare(
    GOI, "condemn", "Condemn a US strike",
    [()],
    cost=((T.C2, 1),),
    validate=_condemn_validate, effect=_condemn_effect,
    summary=lambda b, a: "Condemn the US strike: summon the ambassador, complain to the UN",
    notes=lambda b, a: ["Legitimacy +1; US political capital \u22122; every Shia bloc \u22121."])

CRACKDOWN, SHIELD = "crackdown", "protect"


def _crowds_validate(b, args) -> list[str]:
    space = SPACE_IDS[args[0]]
    if not b.pieces[space * KINDS + K_PRO]:
        return [f"no crowds at {SPACE_NAMES[space]}"]
    if args[1] == SHIELD and b.protected >> space & 1:
        return [f"the protesters at {SPACE_NAMES[space]} are already protected"]
    return []


def _crowds_check(b, args) -> Check | None:
    if args[1] != CRACKDOWN:
        return None
    space = SPACE_IDS[args[0]]
    mods = []
    post = SPACE_POST.get(space)
    if post is not None and known_loyalist(b, post):
        mods.append(Modifier(1, "militias hold the site's security"))
    if b.tracks[T.NAJAF] >= 7:
        mods.append(Modifier(-1, "Najaf condemns the violence"))
    if b.tracks[T.POSTURE] >= 1:
        mods.append(Modifier(-1, "Washington watches for abuses"))
    return Check("Crackdown", 7, tuple(mods))


def _crowds_effect(d, args, tier) -> None:
    space = SPACE_IDS[args[0]]
    if args[1] == SHIELD:
        d.place(K_GOI, space)
        d.protected |= 1 << space
        if d.pieces[space * KINDS + K_MIL]:  # seen standing between the crowds and the militias
            d.add(T.LEGITIMACY, 1)
        return
    effects = {
        SUCCESS: ((T.PRO_CASUALTIES, 1), (T.MOMENTUM, -2), (T.LEGITIMACY, -1)),
        PARTIAL: ((T.PRO_CASUALTIES, 1), (T.MOMENTUM, -1), (T.LEGITIMACY, -1)),
        "fail": ((T.LEGITIMACY, -1), (T.MOMENTUM, 1)),
        BACKFIRE: ((T.PRO_CASUALTIES, 2), (T.LEGITIMACY, -2), (T.MOMENTUM, 2), (T.NAJAF, 1),
                   (T.ACCOUNTABILITY, 1)),
    }[tier]
    for track, delta in effects:
        d.add(track, delta)
    if tier in (SUCCESS, PARTIAL):
        d.remove(K_PRO, space, 2 if tier == SUCCESS else 1)
    if tier != "fail":
        d.flags |= F_KILLED
    if tier == BACKFIRE:
        d.log(f"  A massacre at {SPACE_NAMES[space]}.")


def _crowds_options(b):
    for space in PROTEST_SITES:
        if b.pieces[space * KINDS + K_PRO]:
            name = _SPACE_KEYS[space]
            yield (name, CRACKDOWN)
            if not b.protected >> space & 1:
                yield (name, SHIELD)


_SPACE_KEYS = {s: s.name.lower() for s in PROTEST_SITES}

CROWDS = declare(
    GOI, "crowds", "Crack down on or protect protesters",
    [(s.name.lower(), m) for s in PROTEST_SITES for m in (CRACKDOWN, SHIELD)],
    cost=((T.C2, 1),),
    validate=_crowds_validate, check=_crowds_check, effect=_crowds_effect,
    options=_crowds_options,
    summary=lambda b, a: (f"Crack down on the protesters at {SPACE_NAMES[SPACE_IDS[a[0]]]}"
                          if a[1] == CRACKDOWN
                          else f"Protect the protesters at {SPACE_NAMES[SPACE_IDS[a[0]]]}"),
    usage="SPACE crackdown|protect")

SERVICES, ANTICORRUPTION = "services", "anticorruption"


def _reform_check(b, args) -> Check | None:
    if args[0] != ANTICORRUPTION:
        return None
    mods = []
    if b.tracks[T.NAJAF] >= 6:
        mods.append(Modifier(1, "Najaf demands it"))
    if b.tracks[T.ACCOUNTABILITY] >= 4:
        mods.append(Modifier(1, "the evidence is documented"))
    if b.tracks[T.FRONTS] >= 2:
        mods.append(Modifier(-1, "militia fronts are entrenched"))
    return Check("Anti-corruption drive", 8, tuple(mods))


def _reform_effect(d, args, tier) -> None:
    if args[0] == SERVICES:
        d.add(T.LEGITIMACY, 1)
        d.add(T.MOMENTUM, -1)
    elif tier == SUCCESS:
        d.add(T.LEGITIMACY, 1)
        d.add(T.FRONTS, -1)
        d.add(T.ACCOUNTABILITY, 1)
    elif tier == PARTIAL:
        d.add(T.LEGITIMACY, 1)
    elif tier == BACKFIRE:
        d.add(T.BLOC_IRAN, 1)
        d.add(T.C2, -1)


REFORM = declare(
    GOI, "reform", "Reforms and services",
    [(SERVICES,), (ANTICORRUPTION,)],
    cost=((T.BUDGET, 2),),
    check=_reform_check, effect=_reform_effect,
    summary=lambda b, a: ("Deliver services: electricity, water, jobs" if a[0] == SERVICES
                          else "Launch an anti-corruption drive"),
    usage="services|anticorruption")

CONSENSUS, INDEPENDENT = "consensus", "independent"


def _nominate_check(b, args) -> Check:
    tracks = b.tracks
    mods = []
    if args[0] == CONSENSUS:
        mods.append(Modifier(1, "party deals"))
        if tracks[T.MOMENTUM] >= 7:
            mods.append(Modifier(-1, "the street rejects party candidates"))
        if tracks[T.NAJAF] >= 7:
            mods.append(Modifier(-1, "Najaf wants a break with the past"))
    else:
        if tracks[T.NAJAF] >= 6:
            mods.append(Modifier(1, "Najaf's blessing"))
        if tracks[T.MOMENTUM] >= 6:
            mods.append(Modifier(1, "the street demands it"))
        if known_posts(b) >= 5:
            mods.append(Modifier(-2, "militias prefer deadlock"))
        if tracks[T.BLOC_IRAN] >= 4:
            mods.append(Modifier(-1, "the Iran-aligned bloc blocks him"))
    if known_loyalist(b, P.PMO_SECURITY):
        mods.append(Modifier(-1, "militiamen guard the prime minister's office"))
    return Check("Nomination", 8, tuple(mods))


def _nominate_validate(b, args) -> list[str]:
    if b.tracks[T.GOVERNMENT] == NEW_GOVERNMENT:
        return ["a new government is already confirmed"]
    if args[0] == CONSENSUS and (b.tracks[T.MOMENTUM] >= 7 or b.tracks[T.NAJAF] >= 7):
        return [f"{PRESIDENT} refuses to name a party candidate the squares reject "
                "(momentum 7+ or Najaf's backing 7+)"]
    return []


def _nominate_effect(d, args, tier) -> None:
    if tier == SUCCESS or (tier == PARTIAL and d.tracks[T.GOVERNMENT] == CARETAKER):
        d.add(T.GOVERNMENT, 1)
        if d.tracks[T.GOVERNMENT] == NEW_GOVERNMENT:
            d.log(f"  In the session {SPEAKER} convenes, parliament confirms a new {args[0]} government.")
            d.add(T.LEGITIMACY, 2)
            if args[0] == INDEPENDENT:
                d.add(T.SUPPORT, 1)
                d.add(T.MOMENTUM, -1)
            else:
                d.add(T.MOMENTUM, 1)
        else:
            d.log(f"  {PRESIDENT} names a{'n' if args[0] == INDEPENDENT else ''} {args[0]} candidate "
                  "prime minister-designate.")
    elif tier == BACKFIRE and d.tracks[T.GOVERNMENT] == NOMINEE:
        d.log("  The prime minister-designate withdraws.")
        d.set(T.GOVERNMENT, CARETAKER)
        d.add(T.LEGITIMACY, -1)


NOMINATE = declare(
    GOI, "nominate", "Nominate a prime minister",
    [(CONSENSUS,), (INDEPENDENT,)],
    cost=((T.C2, 1),),
    validate=_nominate_validate,
    check=_nominate_check, effect=_nominate_effect,
    summary=lambda b, a: f"Nominate a{'n' if a[0] == INDEPENDENT else ''} {a[0]} prime minister",
    usage="consensus|independent")

US_ELECTORAL_LIMIT = 3


def _elections_check(b, args) -> Check:
    mods = []
    if b.tracks[T.COHESION] >= 6:
        mods.append(Modifier(1, "the UN, the EU and partners stand together"))
    if b.tracks[T.NAJAF] >= 7:
        mods.append(Modifier(1, "Najaf backs early elections"))
    if b.tracks[T.POSTURE] == SEPARATION:
        mods.append(Modifier(-2, "separation: the US has stepped back"))
    return Check("Electoral support", 7, tuple(mods))


def _elections_effect(d, args, tier) -> None:
    if tier in (SUCCESS, PARTIAL):
        d.add(T.ELECTORAL, 1)
        d.add(T.SUPPORT if tier == SUCCESS else T.BLOC_IRAN, 1)
    elif tier == BACKFIRE:
        d.log("  Rivals brand the protesters as American agents.")
        d.add(T.SUPPORT, -1)


ELECTIONS = declare(
    US, "elections", "Support an independent electoral commission",
    [()],
    cost=((T.CAPITAL, 1),),
    validate=lambda b, a: ([] if b.tracks[T.ELECTORAL] < US_ELECTORAL_LIMIT
                           else ["outside help can do no more: the rest is up to Iraqis"]),
    check=_elections_check, effect=_elections_effect,
    summary=lambda b, a: "Back an independent Higher Electoral Commission with the UN and EU")


ELECTIONS_HELD = 5


def elections_held(d) -> None:
    """Early elections under the new law relegitimise the state (called
    once, when electoral progress first reaches *elections held*)."""
    d.log("  Early elections are held under the new law: the state is relegitimised.")
    d.add(T.LEGITIMACY, 3)
    d.add(T.BLOC_IRAN, -1)
    d.add(T.BLOC_SADR, -1)
    d.add(T.MOMENTUM, -2)
    for post in POSTS:
        if d.posts[post] == LOYALIST:
            d.appoint(post, PROFESSIONAL)
            d.log(f"  The new cabinet names a professional to the post of {POST_NAMES[post]}.")
            break
