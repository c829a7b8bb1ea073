"""Positions inside the state: who holds the key posts, and the fight over them.

Each key post is held by a *professional*, an open *militia loyalist*, or a
*covert loyalist* who looks professional to everyone but the militias.  The
holders modify strikes, attacks, protests and crackdowns near them (see the
other rule modules) and score for the militias.

Rulebook
--------
**Appoint** (government): put a *professional* in a post held by a known
loyalist (1 command and control; roll 2d6 vs 8: +1 command and control 6+,
+1 Najaf's backing 7+, −1 militias hold 5+ posts, −1 militia arms 7+;
success or partial installs the professional, a partial also angers the
Iran-aligned bloc; a backfire costs 1 command and control; +2 when the
loyalist is under US sanctions), or hand a
seemingly professional post to a *loyalist* (no roll: budget +1 from the
deal, legitimacy −1).

**Diplomacy** (US, 1 political capital): with the embassies in Baghdad,
press to *replace* the loyalist security chief of a key site (roll vs 8:
+1 cohesion 7+, −1 cohesion 3 or less, +1 Kataib Hezbollah designated,
+1 after a lethal attack, −2 under separation; success or partial replaces
him, a partial costs the government 1 legitimacy for bowing to foreigners,
a backfire pushes the Sadrist and moderate blocs toward withdrawal), or
urge allies such as Britain to *designate* Kataib Hezbollah as terrorist
(roll vs 7: +1 two or more US persons harmed, +1 cohesion 6+; success:
designated, deniability −2, cohesion +1; partial: designated; backfire:
cohesion −1).

**Capacity building** (US, 1 political capital; needs security cooperation,
cohesion 3+ and two coalition partners, +1 with all five, see
:mod:`rules.partners`): with the coalition partners, review a command or post.  Roll vs 7
(+1 cohesion 7+, +1 ISIS pressure 6+, −1 command and control 2 or less).
Success restores a professional (and unmasks a covert loyalist), command and
control +1, ISIS −1: in the Counter Terrorism Service, Anbar and Baghdad
Operations commands, the purged commander named by the brief returns
(Abdul-Wahab al-Saadi, Mahmoud al-Falahi, Jalil al-Rubaie; see
:mod:`rules.people`); partial unmasks a covert loyalist and gives command and
control +1; backfire: cohesion −1.

**Take over** (militias, 1 arms): seize a key site held by professionals;
needs a cell there (the airspace needs the airport first).  Roll vs 7: +1
two or more cells there, +1 the militias hold 5+ posts, −2 US troops on
site, −1 command and control 6+.  Success or partial: an open loyalist holds
it (success costs no deniability, partial 1 legitimacy to the government);
backfire: a cell there is lost.

**Purge** (militias, 1 arms): replace a professional commander with a covert
loyalist.  Roll vs 7: +1 command and control 3 or less, −1 security
cooperation active, −1 accountability 5+.  Success: covert loyalist,
command and control −1; partial: covert loyalist, deniability −1; backfire:
exposed, accountability +1, deniability −1.

**Front companies** (militias, no cost, no dice): a post they hold at the
airport or the border (its holder not under US sanctions) awards contracts
to a front: fronts +1, arms +1,
budget −1; each upkeep fronts pay arms.
"""

from __future__ import annotations

from engine.checks import BACKFIRE, PARTIAL, SUCCESS, Check, Modifier
from rules.board import (COVERT, F_LAST_LETHAL, F_LETHAL, GOI, HOLDERS, K_COVERT, K_MIL,
                         K_US, KEY_SITES, KINDS, LOYALIST, MIL, POST_IDS, POST_NAMES, POST_SPACE,
                         POSTS, PROFESSIONAL, SEPARATION, US, P, T, holds, known_posts,
                         militia_posts)
from rules import partners
from rules.kinds import declare
from rules.people import COMMANDER_OF, PARTNERS, PEOPLE, holder_name
from rules.sanctions import weakened

PRO_HOLDER, LOYAL_HOLDER = "professional", "loyalist"


def _post(args) -> P:
    return POST_IDS[args[0]]


# -- appoint -------------------------------------------------------------------
def _appoint_validate(b, args) -> list[str]:
    post, who = _post(args), args[1]
    if who == PRO_HOLDER and b.posts[post] != LOYALIST:
        return [f"no known loyalist holds the post of {POST_NAMES[post]}"]
    if who == LOYAL_HOLDER and b.posts[post] == LOYALIST:
        return [f"a loyalist already holds the post of {POST_NAMES[post]}"]
    return []


def _appoint_check(b, args) -> Check | None:
    if args[1] != PRO_HOLDER:
        return None
    mods = []
    if b.tracks[T.C2] >= 6:
        mods.append(Modifier(1, "strong command and control"))
    if b.tracks[T.NAJAF] >= 7:
        mods.append(Modifier(1, "Najaf backs reform"))
    if known_posts(b) >= 5:
        mods.append(Modifier(-1, "the militias hold many posts"))
    if b.tracks[T.ARMS] >= 7:
        mods.append(Modifier(-1, "militia threats"))
    if weakened(b, _post(args)):
        mods.append(Modifier(2, f"{holder_name(b, _post(args))} is under US sanctions"))
    return Check("Appointment", 8, tuple(mods))


def _appoint_effect(d, args, tier) -> None:
    post = _post(args)
    if args[1] == LOYAL_HOLDER:
        d.appoint(post, LOYALIST)
        d.log(f"  {holder_name(d, post)[0].upper() + holder_name(d, post)[1:]} is appointed "
              f"to the post of {POST_NAMES[post]}.")
        d.add(T.BUDGET, 1)
        d.add(T.LEGITIMACY, -1)
        return
    if tier in (SUCCESS, PARTIAL):
        was = holder_name(d, post)
        d.appoint(post, PROFESSIONAL)
        d.log(f"  {was[0].upper() + was[1:]} is dismissed: {holder_name(d, post)} now holds "
              f"the post of {POST_NAMES[post]}.")
        if tier == PARTIAL:
            d.add(T.BLOC_IRAN, 1)
    elif tier == BACKFIRE:
        d.add(T.C2, -1)


def _appoint_options(b):
    can_pay = b.tracks[T.C2] >= 1
    for post in POSTS:
        if b.posts[post] == LOYALIST:
            if can_pay:
                yield (_POST_KEYS[post], PRO_HOLDER)
        else:
            yield (_POST_KEYS[post], LOYAL_HOLDER)


_POST_KEYS = {p: p.name.lower() for p in P}

APPOINT = declare(
    GOI, "appoint", "Appoint an official to a key post",
    [(p.name.lower(), who) for p in P for who in (PRO_HOLDER, LOYAL_HOLDER)],
    cost=lambda b, a: ((T.C2, 1),) if a[1] == PRO_HOLDER else (),
    validate=_appoint_validate, check=_appoint_check, effect=_appoint_effect,
    options=_appoint_options,
    summary=lambda b, a: (f"Appoint a {a[1]} as {POST_NAMES[_post(a)]}"
                          + (f", dismissing {holder_name(b, _post(a))}" if a[1] == PRO_HOLDER else "")),
    usage="POST professional|loyalist")


# -- diplomacy -----------------------------------------------------------------
REPLACE, DESIGNATE = "replace", "designate"


def _diplomacy_validate(b, args) -> list[str]:
    if args[0] == DESIGNATE:
        if b.tracks[T.DESIGNATION]:
            return ["Kataib Hezbollah is already designated"]
        return [] if partners.has_britain(b) else ["Britain has left the coalition"]
    post = POST_IDS[args[1]]
    return [] if b.posts[post] == LOYALIST else [f"no known loyalist holds the post of {POST_NAMES[post]}"]


def _diplomacy_check(b, args) -> Check:
    cohesion = b.tracks[T.COHESION]
    mods = []
    if args[0] == DESIGNATE:
        if b.tracks[T.US_CASUALTIES] >= 2:
            mods.append(Modifier(1, "Americans have been killed"))
        if cohesion >= 6:
            mods.append(Modifier(1, "a cohesive coalition"))
        return Check("Terrorist designation", 7, tuple(mods))
    if cohesion >= 7:
        mods.append(Modifier(1, "the embassies speak together"))
    elif cohesion <= 3:
        mods.append(Modifier(-1, "a divided coalition"))
    if b.tracks[T.DESIGNATION]:
        mods.append(Modifier(1, "Kataib Hezbollah is designated"))
    if b.flags & (F_LETHAL | F_LAST_LETHAL):
        mods.append(Modifier(1, "outrage at a lethal attack"))
    if b.tracks[T.POSTURE] == SEPARATION:
        mods.append(Modifier(-2, "separation leaves no leverage"))
    return Check("Diplomatic pressure", 8, tuple(mods))


def _diplomacy_effect(d, args, tier) -> None:
    if args[0] == DESIGNATE:
        if tier in (SUCCESS, PARTIAL):
            d.set(T.DESIGNATION, 1)
            d.log("  Allies designate Kataib Hezbollah a terrorist organisation.")
            if tier == SUCCESS:
                d.add(T.DENIABILITY, -2)
                d.add(T.COHESION, 1)
        elif tier == BACKFIRE:
            d.add(T.COHESION, -1)
        return
    post = POST_IDS[args[1]]
    if tier in (SUCCESS, PARTIAL):
        was = holder_name(d, post)
        d.appoint(post, PROFESSIONAL)
        d.log(f"  {was[0].upper() + was[1:]} ({POST_NAMES[post]}) is replaced by a professional officer.")
        if tier == PARTIAL:
            d.add(T.LEGITIMACY, -1)
    elif tier == BACKFIRE:
        d.log("  Iraqis resent foreign meddling.")
        d.add(T.BLOC_SADR, 1)
        d.add(T.BLOC_MODERATE, 1)


def _diplomacy_options(b):
    for post in KEY_SITES:
        if b.posts[post] == LOYALIST:
            yield (REPLACE, _POST_KEYS[post])
    if not b.tracks[T.DESIGNATION] and partners.has_britain(b):
        yield (DESIGNATE, "kh")


DIPLOMACY = declare(
    US, "diplomacy", "Diplomacy with allies and embassies",
    [(REPLACE, p.name.lower()) for p in KEY_SITES] + [(DESIGNATE, "kh")],
    cost=((T.CAPITAL, 1),),
    validate=_diplomacy_validate, check=_diplomacy_check, effect=_diplomacy_effect,
    options=_diplomacy_options,
    summary=lambda b, a: ("Urge allies to designate Kataib Hezbollah as terrorist" if a[0] == DESIGNATE
                          else f"Press for a professional to replace {holder_name(b, POST_IDS[a[1]])} "
                               f"as {POST_NAMES[POST_IDS[a[1]]]}"),
    usage="replace POST | designate kh")


# -- capacity building ------------------------------------------------------------
def _capacity_gate(b) -> str | None:
    if not b.tracks[T.COOPERATION]:
        return "security cooperation is suspended"
    if partners.count(b) < 2:
        return "fewer than two coalition partners remain"
    if b.tracks[T.COHESION] < 3:
        return "the coalition is too divided (cohesion below 3)"
    return None


def _capacity_check(b, args) -> Check:
    mods = []
    if b.tracks[T.COHESION] >= 7:
        mods.append(Modifier(1, "partners fully engaged"))
    if partners.count(b) == len(PARTNERS):
        mods.append(Modifier(1, "all five partners: " + ", ".join(PARTNERS)))
    if b.tracks[T.ISIS] >= 6:
        mods.append(Modifier(1, "the ISIS threat concentrates minds"))
    if b.tracks[T.C2] <= 2:
        mods.append(Modifier(-1, "command and control in disarray"))
    return Check("Capacity building", 7, tuple(mods))


def _capacity_effect(d, args, tier) -> None:
    post = _post(args)
    holder = d.posts[post]
    if tier == SUCCESS:
        if holder != PROFESSIONAL:
            was = holder_name(d, post)
            d.appoint(post, PROFESSIONAL)
            if post in COMMANDER_OF:
                d.log(f"  With {', '.join(PARTNERS[:-1])} and {PARTNERS[-1]}, the purged commander "
                      f"{PEOPLE[COMMANDER_OF[post]].name} is restored to the {POST_NAMES[post]} "
                      f"({was}, a {HOLDERS[holder]}, is removed).")
            else:
                d.log(f"  A professional replaces {was} as {POST_NAMES[post]}.")
        d.add(T.C2, 1)
        d.add(T.ISIS, -1)
    elif tier == PARTIAL:
        if holder == COVERT:
            d.log(f"  The review unmasks a covert loyalist as {POST_NAMES[post]}.")
            d.appoint(post, LOYALIST)
        d.add(T.C2, 1)
    elif tier == BACKFIRE:
        d.add(T.COHESION, -1)


CAPACITY = declare(
    US, "capacity", "Capacity building with coalition partners",
    [(p.name.lower(),) for p in P],
    cost=((T.CAPITAL, 1),),
    gate=_capacity_gate, check=_capacity_check, effect=_capacity_effect,
    summary=lambda b, a: (f"Review the {POST_NAMES[_post(a)]} ({holder_name(b, _post(a))}) "
                          "with CJTF-OIR partners"),
    usage="POST")


# -- militia takeover, purge, front companies -------------------------------------------
def _cells_at(b, space) -> int:
    return b.pieces[space * KINDS + K_MIL] + b.pieces[space * KINDS + K_COVERT]


def _takeover_validate(b, args) -> list[str]:
    post = _post(args)
    reasons = []
    if b.posts[post] != PROFESSIONAL:
        reasons.append(f"the militias already hold the post of {POST_NAMES[post]}")
    if post == P.AIRSPACE:
        if not holds(b, P.AIRPORT):
            reasons.append("the airspace can be taken only with the airport")
    elif not _cells_at(b, POST_SPACE[post]):
        reasons.append(f"no militia cell at the {POST_NAMES[post]}")
    return reasons


def _takeover_check(b, args) -> Check:
    post = _post(args)
    mods = []
    space = POST_SPACE[post]
    if _cells_at(b, space) >= 2:
        mods.append(Modifier(1, "several cells on site"))
    if militia_posts(b) >= 5:
        mods.append(Modifier(1, "the militias already run much of the state"))
    if b.pieces[space * KINDS + K_US]:
        mods.append(Modifier(-2, "US troops on site"))
    if b.tracks[T.C2] >= 6:
        mods.append(Modifier(-1, "strong command and control"))
    return Check("Takeover", 7, tuple(mods))


def _takeover_effect(d, args, tier) -> None:
    post = _post(args)
    if tier in (SUCCESS, PARTIAL):
        d.appoint(post, LOYALIST)
        d.log(f"  Militia men take over the {POST_NAMES[post]}.")
        if tier == PARTIAL:
            d.add(T.LEGITIMACY, -1)
    elif tier == BACKFIRE:
        space = POST_SPACE[post]
        if not d.remove(K_MIL, space):
            d.remove(K_COVERT, space)


def _takeover_options(b):
    posts = b.posts
    for post in KEY_SITES:
        if posts[post] != PROFESSIONAL:
            continue
        if post == P.AIRSPACE:
            if posts[P.AIRPORT] != PROFESSIONAL:
                yield (_POST_KEYS[post],)
        elif _cells_at(b, POST_SPACE[post]):
            yield (_POST_KEYS[post],)


TAKEOVER = declare(
    MIL, "takeover", "Take over a key site",
    [(p.name.lower(),) for p in KEY_SITES],
    cost=((T.ARMS, 1),),
    validate=_takeover_validate, check=_takeover_check, effect=_takeover_effect,
    options=_takeover_options,
    summary=lambda b, a: f"Seize the {POST_NAMES[_post(a)]}", usage="POST")


def _purge_check(b, args) -> Check:
    mods = []
    if b.tracks[T.C2] <= 3:
        mods.append(Modifier(1, "weak command and control"))
    if b.tracks[T.COOPERATION]:
        mods.append(Modifier(-1, "coalition advisers are watching"))
    if b.tracks[T.ACCOUNTABILITY] >= 5:
        mods.append(Modifier(-1, "abuses are being documented"))
    return Check("Purge", 7, tuple(mods))


def _purge_effect(d, args, tier) -> None:
    post = _post(args)
    if tier in (SUCCESS, PARTIAL):
        d.log(f"  {holder_name(d, post)[0].upper() + holder_name(d, post)[1:]} is purged.")
        d.appoint(post, COVERT)
        d.add(T.C2 if tier == SUCCESS else T.DENIABILITY, -1)
    elif tier == BACKFIRE:
        d.announce(f"A militia attempt to purge the {POST_NAMES[post]} is exposed.")
        d.add(T.ACCOUNTABILITY, 1)
        d.add(T.DENIABILITY, -1)


PURGE = declare(
    MIL, "purge", "Purge professional officers",
    [(p.name.lower(),) for p in P],
    cost=((T.ARMS, 1),),
    validate=lambda b, a: ([] if b.posts[_post(a)] == PROFESSIONAL
                           else [f"the militias already hold the post of {POST_NAMES[_post(a)]}"]),
    check=_purge_check, effect=_purge_effect, covert=lambda a: True,
    options=lambda b: [(_POST_KEYS[p],) for p in POSTS if b.posts[p] == PROFESSIONAL],
    summary=lambda b, a: f"Purge the {POST_NAMES[_post(a)]} and slip in a covert loyalist",
    usage="POST")

FRONT_POSTS = (P.AIRPORT, P.BORDER)


def _front_validate(b, args) -> list[str]:
    reasons = []
    if not holds(b, _post(args)):
        reasons.append(f"the militias do not hold the {POST_NAMES[_post(args)]}")
    if b.tracks[T.FRONTS] >= 4:
        reasons.append("four front companies are already running")
    if weakened(b, _post(args)):
        reasons.append(f"{holder_name(b, _post(args))} is sanctioned: no bank will deal with his fronts")
    return reasons


def _front_effect(d, args, tier) -> None:
    d.add(T.FRONTS, 1)
    d.add(T.ARMS, 1)
    d.add(T.BUDGET, -1)


FRONT = declare(
    MIL, "front", "Front companies for contracts",
    [(p.name.lower(),) for p in FRONT_POSTS],
    validate=_front_validate, effect=_front_effect,
    summary=lambda b, a: f"Award {POST_NAMES[_post(a)]} contracts to a front company",
    usage="POST")
