"""Resolution and upkeep: what happens at the end of every turn.

Resolution
    1. A tabled withdrawal motion is voted (:mod:`rules.parliament`).
    2. Attacks land: the militias' rocket orders and, with ISIS pressure 5+,
       an ISIS attack on a US site on 1d6 ≤ pressure − 4 (lethal on 1d6 ≤ 2)
       — in a random order and reported alike (see :mod:`rules.militia`).
    3. Leaks: each unattributed attack of this turn is attributed in public
       on 1d6 above half the militias' deniability.

Upkeep
    1. Income.  US: political capital +1, +1 more with cohesion 6+.
       Government: budget +1, +1 with economy 5+, +1 with economy 8+;
       if the waiver is withheld, blackouts: legitimacy −1, momentum +1,
       and coalition cohesion −1 as partners balk at darkening an ally's
       cities (the bill is political, not a budget line);
       −1 if it is conditional and no facility was protected;
       −1 under broad sanctions; −1 under separation (no dollars).  A budget
       that cannot pay salaries (0 or less after income) costs 1 legitimacy;
       one of 3+ after income pays them on time and earns 1.  Command and control +1,
       +1 more with two professional operational commands (a purged
       command held by a loyalist, open or covert, does not count).
       Militias: arms +1 from Iran, +1 with escalation 6+, +1 per two front
       companies, −1 if Kataib Hezbollah is designated, −1 under broad
       sanctions (the dollar trade dries up); deniability +1 in a
       month without any militia attack, attributed or not.
       Protests: momentum +1 if protesters were killed this turn or five
       crowds fill the streets; otherwise −1 as the movement tires, unless
       a sit-in holds or blackouts anger the street.  A month without
       killings (of protesters, or of US persons by rockets) or sit-ins,
       or a new government's mandate, earns the government 1 legitimacy.
    2. Drift.  Escalation −1 after a turn without lethal attacks or strikes
       (−2 from 8 up: back channels work hardest near the brink).  ISIS
       pressure +1 while cooperation is suspended, +1 with command and
       control 2 or less, −1 with cooperation and a professional CTS (not a
       loyalist, open or covert); with ISIS pressure 8+ the government
       loses 1 legitimacy.
       Broad sanctions: economy −1; without them (and without separation)
       an economy below 5 recovers by 1.
    3. Withdrawal: once ordered, two US troops leave; when none remain the
       withdrawal is complete.  Under a separation Washington chose, one US
       troop goes home each upkeep, with the coalition partners.
    4. Crowds: momentum 7+ brings a crowd to Tahrir; momentum 2 or less
       sends one crowd home from every site.  A sit-in without two crowds
       ends.
    5. Partners leave or return, and Israel strikes under separation
       (:mod:`rules.partners`).
    6. The turn's flags become last turn's (a strike that cost the state
       legitimacy and was not condemned stays open to condemnation for one
       more turn); older attack markers are cleared;
       one Iraqi force returns to barracks from every place it protected.
"""

from __future__ import annotations

from rules.board import (COMPLETED, CONDITIONAL, IN_FORCE, F_AFFRONT, F_ATTACK, F_KILLED,
                         F_LAST_AFFRONT, F_LAST_ATTACK, F_LAST_LETHAL, F_LETHAL, F_PROTECTED, F_STRIKE, K_GOI, K_PRO, K_US, KINDS,
                         MIL,
                         NEW_GOVERNMENT, ORDERED, SEPARATION, SPACE_NAMES, US_SITES, WITHHELD,
                         SPACES, Attack, IraqDraft, P, S, T, holds)
from rules import partners
from rules.militia import rocket_attack
from rules.parliament import hold_vote

ISIS_SHAKES = 8  # ISIS pressure at which the state visibly fails to protect its people


def _attacks(d: IraqDraft) -> None:
    """The turn's attacks land: the militias' orders and ISIS, in a random order."""
    t = d.tracks
    attacks = [(space, mode, MIL) for space, mode in d.orders]
    d.orders = ()
    if t[T.ISIS] >= 5 and d.d6() <= t[T.ISIS] - 4:
        sites = [s for s in US_SITES if d.pieces[s * KINDS + K_US]]
        if sites:
            mode = "lethal" if d.d6() <= 2 else "harassment"
            attacks.append((int(sites[d.below(len(sites))]), mode, "isis"))
    for i in range(len(attacks) - 1, 0, -1):
        j = d.below(i + 1)
        attacks[i], attacks[j] = attacks[j], attacks[i]
    for space, mode, by in attacks:
        before = tuple(d.tracks)
        rocket_attack(d, space, mode, by)
        d.log_changes(before)


def resolution(d: IraqDraft) -> None:
    hold_vote(d)
    _attacks(d)
    threshold = d.tracks[T.DENIABILITY] // 2
    for i, a in enumerate(d.attacks):
        if not a.attributed and a.turn == d.turn and d.d6() > threshold:
            d.attacks[i] = Attack(a.space, a.by, a.lethal, True, a.turn)
            d.log(f"Leaks attribute the attack at {SPACE_NAMES[S(a.space)]} to: {a.by}.")
            if a.by == MIL:
                d.add(T.DENIABILITY, -1)


def _income(d: IraqDraft) -> None:
    t = d.tracks
    d.add(T.CAPITAL, 1 + (t[T.COHESION] >= 6))
    budget = 1 + (t[T.ECONOMY] >= 5) + (t[T.ECONOMY] >= 8)
    if t[T.WAIVER] == WITHHELD:
        d.log("Blackouts: without the waiver, Iranian gas and power stop.")
        d.add(T.LEGITIMACY, -1)
        d.add(T.MOMENTUM, 1)
        d.add(T.COHESION, -1)
    elif t[T.WAIVER] == CONDITIONAL and not d.flags & F_PROTECTED:
        budget -= 1
    budget -= t[T.SANCTIONS] == IN_FORCE
    budget -= t[T.POSTURE] == SEPARATION
    if t[T.BUDGET] + budget <= 0:
        d.log("The government cannot pay salaries.")
        d.add(T.LEGITIMACY, -1)
    elif t[T.BUDGET] + budget >= 3:
        d.add(T.LEGITIMACY, 1)
    d.add(T.BUDGET, budget)
    # A purged command costs command and control, seen or not: a covert loyalist
    # does not command either (rules/people.py names the purged commanders).
    commands = sum(not holds(d, p) for p in (P.CTS, P.BAGHDAD_OPS, P.ANBAR_OPS))
    d.add(T.C2, 1 + (commands >= 2))
    d.add(T.ARMS, 1 + (t[T.ESCALATION] >= 6) + t[T.FRONTS] // 2 - t[T.DESIGNATION]
          - (t[T.SANCTIONS] == IN_FORCE))
    # Deniability is rebuilt only in a month without any militia attack: an
    # attack no one can pin on the militias is still an attack people remember.
    quiet = not any(a.by == MIL and a.turn == d.turn for a in d.attacks)
    if quiet:
        d.add(T.DENIABILITY, 1)
    crowds = sum(d.pieces[K_PRO::KINDS])
    if d.flags & F_KILLED or crowds >= 5:
        d.add(T.MOMENTUM, 1)
    elif not d.sitins and t[T.WAIVER] != WITHHELD:
        d.add(T.MOMENTUM, -1)
    if t[T.GOVERNMENT] == NEW_GOVERNMENT or not (d.flags & (F_KILLED | F_LETHAL) or d.sitins):
        d.add(T.LEGITIMACY, 1)


def _drift(d: IraqDraft) -> None:
    t = d.tracks
    if not d.flags & (F_LETHAL | F_STRIKE):
        d.add(T.ESCALATION, -1)
        if t[T.ESCALATION] >= 7:
            d.log("Back channels through Baghdad cool tempers in Washington and Tehran.")
            d.add(T.ESCALATION, -1)
    isis = (not t[T.COOPERATION]) + (t[T.C2] <= 2)
    if t[T.COOPERATION] and not holds(d, P.CTS):
        isis -= 1  # the CTS, under its professional commander, fights ISIS with the coalition
    d.add(T.ISIS, isis)
    if t[T.ISIS] >= ISIS_SHAKES:
        d.log("ISIS strikes at will: a state that cannot protect its people loses their trust.")
        d.add(T.LEGITIMACY, -1)
    if t[T.SANCTIONS] == IN_FORCE:
        d.add(T.ECONOMY, -1)
    elif t[T.ECONOMY] < 5 and t[T.POSTURE] != SEPARATION:
        d.add(T.ECONOMY, 1)


def _withdrawal(d: IraqDraft) -> None:
    if d.tracks[T.WITHDRAWAL] != ORDERED:
        if d.tracks[T.POSTURE] == SEPARATION:
            _draw_down(d)
        return
    left = 2
    for space in sorted(US_SITES, key=lambda s: -d.pieces[s * KINDS + K_US]):
        left -= d.remove(K_US, space, left)
        if not left:
            break
    if not any(d.pieces[s * KINDS + K_US] for s in US_SITES):
        d.set(T.WITHDRAWAL, COMPLETED)
        d.log("The last US troops leave Iraq.")
    else:
        d.log("US troops pack up and leave.")


def _draw_down(d: IraqDraft) -> None:
    """Separation chosen by Washington: the coalition partners go home and
    US forces go with them, one troop a month (the brief: the non-US members
    of CJTF-OIR "would depart along with U.S. forces")."""
    sites = [s for s in US_SITES if d.pieces[s * KINDS + K_US]]
    if sites:
        d.remove(K_US, max(sites, key=lambda s: d.pieces[s * KINDS + K_US]))
        d.log("Separation: US troops and the coalition partners draw down.")


def _crowds(d: IraqDraft) -> None:
    momentum = d.tracks[T.MOMENTUM]
    if momentum >= 7:
        d.place(K_PRO, S.TAHRIR)
    elif momentum <= 2:
        for space in SPACES:
            d.remove(K_PRO, space)
    for space in SPACES:
        if d.sitins >> space & 1 and d.pieces[space * KINDS + K_PRO] < 2:
            d.sitins &= ~(1 << space)
            d.log(f"The sit-in at {SPACE_NAMES[space]} ends.")



def upkeep(d: IraqDraft, turn: int) -> None:
    before = tuple(d.tracks)
    _income(d)
    _drift(d)
    _withdrawal(d)
    _crowds(d)
    partners.upkeep(d)
    flags = d.flags
    d.flags = ((F_LAST_LETHAL if flags & F_LETHAL else 0) | (F_LAST_ATTACK if flags & F_ATTACK else 0)
               | (F_LAST_AFFRONT if flags & F_AFFRONT else 0))
    for space in SPACES:  # the forces that stood guard this turn go back to barracks
        if d.protected >> space & 1:
            d.remove(K_GOI, space)
    d.protected = 0
    d.attacks = [a for a in d.attacks if a.turn >= d.turn]
    d.log_changes(before, f"Upkeep, turn {turn}: ", "no change")
