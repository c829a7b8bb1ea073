"""US sanctions: targeted (named people) and broad (the whole economy).

Rulebook
--------
**Targeted sanctions** (US, 1 political capital, no dice): name a person
(:mod:`rules.people`): a militia loyalist who holds a key post openly (the
brief's first name is Faleh al-Fayyad, the national security adviser), or a
militia politician of the brief's "far broader list" (Hadi al-Amiri, Abu
Fadak al-Muhammadawi; Qais al-Khazali was sanctioned in December 2019).
Under *counter-terrorism* authorities the US needs a recent attack
attributed to the militias or the allies' terrorist designation of Kataib
Hezbollah; under the *Global Magnitsky Act* it needs documented abuses
(accountability 2 or more).  A sanction takes effect **once per person**:
a person already sanctioned cannot be named again, so sanctions never stack.

Naming him: militia arms −1, deniability −1, accountability +1; a Magnitsky
designation also earns the protest movement 1 public support.  Then:

* a *post holder* is **forced out** when Baghdad can afford to drop him —
  government legitimacy 5+ and coalition cohesion 5+: a professional takes
  the post (command and control +1).  Otherwise he stays, **weakened**: no
  bank deals with him, so a post he holds at the airport or the border can
  no longer award front companies, and the government's appointment of a
  professional in his place gains +2;
* *Hadi al-Amiri*, who leads the Fatah bloc: the Iran-aligned bloc −1 (its
  members keep their distance);
* *Abu Fadak al-Muhammadawi*: militia arms −1 more (his networks' money).

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

from rules.board import (F_LAST_LETHAL, F_LETHAL, IN_FORCE, MIL, NO_SANCTIONS, PROFESSIONAL, SEPARATION,
                         THREATENED, US, T)
from rules.kinds import declare
from rules.people import (PEOPLE, PERSON_IDS, SANCTIONABLE, bit, in_office)
from rules.strikes import recent_attacks

CT, MAGNITSKY = "ct", "magnitsky"
AMIRI, ABU_FADAK = PERSON_IDS["amiri"], PERSON_IDS["abu_fadak"]


def _person(args) -> int:
    return PERSON_IDS[args[0]]


def _ct_authority(b) -> bool:
    return bool(b.tracks[T.DESIGNATION]) or any(a.attributed and a.by == MIL for a in recent_attacks(b))


def sanctioned(b, person: int) -> bool:
    return bool(b.sanctioned & bit(person))


def forced_out(b) -> bool:
    """Whether Baghdad can afford to drop a sanctioned official."""
    return b.tracks[T.LEGITIMACY] >= 5 and b.tracks[T.COHESION] >= 5


def weakened(b, post: int) -> bool:
    """Whether the open loyalist holding ``post`` is a sanctioned man."""
    from rules.people import LOYALIST_OF
    person = LOYALIST_OF.get(post)
    return person is not None and in_office(b, person) and sanctioned(b, person)


def _sanction_validate(b, args) -> list[str]:
    person = _person(args)
    who = PEOPLE[person]
    reasons = []
    if sanctioned(b, person):
        reasons.append(f"{who.name} is already sanctioned (sanctions do not stack)")
    elif who.side == "loyalist" and not in_office(b, person):
        reasons.append(f"{who.name} holds no post to sanction him for")
    if args[1] == MAGNITSKY and b.tracks[T.ACCOUNTABILITY] < 2:
        reasons.append("Global Magnitsky needs documented abuses (accountability 2+)")
    if args[1] == CT and not _ct_authority(b):
        reasons.append("counter-terrorism sanctions need an attack attributed to the militias "
                       "or the allies' designation of Kataib Hezbollah")
    return reasons


def _sanction_effect(d, args, tier) -> None:
    person = _person(args)
    who = PEOPLE[person]
    law = "counter-terrorism authorities" if args[1] == CT else "the Global Magnitsky Act"
    d.log(f"  The US Treasury sanctions {who.name} ({who.role}) under {law}.")
    d.sanctioned |= bit(person)
    d.add(T.ARMS, -1)
    d.add(T.DENIABILITY, -1)
    d.add(T.ACCOUNTABILITY, 1)
    if args[1] == MAGNITSKY:
        d.add(T.SUPPORT, 1)
    if who.side == "loyalist":
        if forced_out(d):
            d.appoint(who.post, PROFESSIONAL)
            d.add(T.C2, 1)
            d.log(f"  Baghdad drops him: a professional takes his post.")
        else:
            d.log(f"  He stays in post, but no bank will deal with him.")
    elif person == AMIRI:
        d.add(T.BLOC_IRAN, -1)
    elif person == ABU_FADAK:
        d.add(T.ARMS, -1)


def _sanction_notes(b, args) -> list[str]:
    who = PEOPLE[_person(args)]
    if who.side != "loyalist":
        return []
    if forced_out(b):
        return [f"Legitimacy 5+ and cohesion 5+: Baghdad drops {who.name}, a professional takes his post."]
    return [f"Baghdad cannot afford to drop {who.name} (needs legitimacy 5+ and cohesion 5+): "
            "he stays, weakened."]


def _sanction_options(b):
    auths = []
    if _ct_authority(b):
        auths.append(CT)
    if b.tracks[T.ACCOUNTABILITY] >= 2:
        auths.append(MAGNITSKY)
    if not auths:
        return
    for person in SANCTIONABLE:
        if sanctioned(b, person):
            continue
        if PEOPLE[person].side == "loyalist" and not in_office(b, person):
            continue
        for auth in auths:
            yield (PEOPLE[person].id, auth)


SANCTION = declare(
    US, "sanction", "Targeted sanctions on a named person",
    [(PEOPLE[p].id, auth) for p in SANCTIONABLE for auth in (CT, MAGNITSKY)],
    cost=((T.CAPITAL, 1),),
    validate=_sanction_validate, effect=_sanction_effect, options=_sanction_options,
    notes=_sanction_notes,
    summary=lambda b, a: (f"Sanction {PEOPLE[_person(a)].name} under "
                          f"{'counter-terrorism authorities' if a[1] == CT else 'the Global Magnitsky Act'}"),
    usage="PERSON ct|magnitsky")

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
