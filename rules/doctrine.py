"""Doctrine bots: each faction's non-player flowchart, as a priority list.

Like the bots of the commercial counter-insurgency board games, a doctrine
reads the board top to bottom and takes the first step whose condition
holds and whose move is legal; the last step of every doctrine is *pass*,
which is always legal.  A step is a named condition plus a list of
candidate moves, best first.  The doctrine sees only its faction's view
(covert pieces hidden, unknown attackers shown as ``?``).

Seats: ``doctrine:NAME`` (or bare ``doctrine`` for the faction's first,
strongest doctrine).  ``python main.py play --seats us=human,goi=doctrine:balancing``.

Flowcharts
----------
United States — *continuity* (leave Iraqis on their own, answer only
serious attacks)::

    1 retaliate-lethal   a lethal attack on US persons this turn or last,
                         escalation 5 or less, cells visible outside the
                         cities                              -> retaliatory strike
    2 back-elections     electoral progress below 3          -> electoral commission
    3 embassies          a known loyalist at a key site      -> replace him
    4 restore-commands   a known loyalist commands, capital 2+ -> capacity building
    5 reinforce          capital 3+                          -> troops to a quiet base
    6 pass

United States — *tougher love* (the brief's recommendation)::

    1 warn               posture continuity                  -> tougher love
    2 make-good          broad sanctions threatened and a lethal attack this
                         turn or last                        -> impose them (free)
    3 condition-waiver   an attack on US persons with no protection, waiver
                         granted                              -> conditional waiver
    4 deter              no broad sanctions, capital 2+      -> threaten them
    5 attribute          an unattributed recent attack       -> attribute it
    6 retaliate          an attack attributed to the militias, escalation 6
                         or less, cells outside the cities   -> retaliatory strike
    7 preempt            escalation 6 or less, capital 2+, cells beside US
                         troops outside the cities, professional airspace
                         (all three of the brief's conditions) -> preemptive strike
    8 back-elections     electoral progress below 3          -> electoral commission
    9 designate          Kataib Hezbollah not designated, cohesion 6+ -> urge allies
   10 embassies          a known loyalist at a key site      -> replace him
   11 restore-commands   capital 3+                          -> capacity building
   12 sanction           a known loyalist, authority to act  -> targeted sanctions
   13 pass

United States — *separation* (suspend cooperation, free hand)::

    1 separate           escalation 6+ or a withdrawal motion passed -> one
                         step toward separation
    2 decapitate         separation, al-Muhandis at the airport -> leadership strike
                         (designated terrorists are exposed to kinetic targeting)
    3 strike             cells visible and separation or a recent attack
                         -> strike (retaliatory if it may, else preemptive
                            only where cells stand beside US troops: imminent)
    4 punish             separation                          -> impose broad sanctions
    5 sanction           a known loyalist, authority to act  -> targeted sanctions
    6 draw-down          separation, troops in Baghdad       -> withdraw them
    7 back-elections     electoral progress below 3, capital 2+ -> electoral commission
    8 pass

Iraqi government — *balancing* (survive, keep both patrons paying)::

    1 shelve             a tabled motion would pass with 30%+ -> shelve it
    2 keep-waiver        a conditional waiver or threatened sanctions, no
                         facility protected yet this turn     -> protect a US site
    3 ask-waiver         waiver not granted, budget 2+       -> request it
    4 condemn            a US strike shamed the state this turn or last,
                         legitimacy 8 or less                -> condemn it
    5 rescue             legitimacy 4 or less                -> protect crowds that
                                                                 cells face, or services
    6 name-nominee       a caretaker government, command and control 3+
                         or ISIS 5 or less (forces kept for ISIS), legitimacy
                         4+ (a nominee who withdraws costs 1)  -> nominate
                                                                 (better odds first)
    7 confirm-government a nominee awaits confirmation, the same -> nominate again
    8 guard              an attack on US persons this or last turn, c2 2+
                                                              -> protect a US site
    9 services           budget 4+                            -> deliver services
   10 professionals      a known loyalist, c2 3+             -> appoint a professional
   11 shield-crowds      legitimacy 8 or less, cells facing crowds -> protect them
   12 pass               (otherwise it stands aside while militias
                          suppress the squares)

Iraqi government — *Tehran-leaning* (the caretaker's line: a confirmed
new prime minister needs both patrons and stops pressing the withdrawal)::

    1 implement          a withdrawal motion passed, a caretaker or nominee,
                         budget 6+, legitimacy 7+ and ISIS 3 or less
                         (eviction costs the dollar and the coalition
                         against ISIS)                        -> order US forces out
    2 table              no motion, none passed, no new government, budget 4+
                         (a motion may end in separation: money first) -> table one
    3 keep-waiver        a lever on the waiver, budget 3 or less -> protect a US site
    4 condemn            a US strike shamed the state this turn or last -> condemn it
    5 survive            legitimacy 3 or less                -> services, or shield
                                                                 crowds that cells face
    6 services           legitimacy 5 or less, budget 2+      -> deliver services
    7 form-government    no new government yet, c2 2+        -> consensus nominee
    8 loyalists          legitimacy 4+, a post not yet loyal -> appoint a loyalist
    9 crack-down         legitimacy 5+, three crowds at a site -> crack down
   10 pass

Iraqi government — *steward* (not a seat: the line the ``hard`` search
follows for itself in the government's chair, :func:`search_policy`; the
balancing line with survival first)::

    1 condemn            a US strike shamed the state this turn or last,
                         at any legitimacy                    -> condemn it
    2 shelve             as balancing 1
    3 keep-waiver        as balancing 2
    4 ask-waiver         as balancing 3
    5 rescue             legitimacy 6 or less                -> protect crowds that
                                                                 cells face, or services
    6 reserve            command and control 3 or less       -> pass (at 4 a second
                                                                 action; at 2 or less
                                                                 ISIS gains ground)
    7 name-nominee       as balancing 6
    8 confirm-government as balancing 7
    9 guard              as balancing 8
   10 services           as balancing 9
   11 professionals      as balancing 10
   12 pass               (shielding at legitimacy 7 or 8 is left out: the
                          rescue has done it by then)

Militias — *entrench* (the shadow state; the strongest)::

    1 fronts             a front company can be opened        -> open it
    2 seize              a professional key site with two cells -> take it over
    3 purge              a professional post, arms 2+         -> covert purge
    4 lobby              no motion tabled or passed           -> lobby parliament
    5 crush              crowds beside a cell, arms 2+        -> suppress them
    6 recruit            arms 2+, a key site or square without cells
                                                              -> covert cells there
    7 pass

Militias — *escalate*::

    1 storm              two cells at the government centre, arms 3+, our man
                         in charge of its security, no Iraqi guard and no
                         attack this turn or last             -> storm it
    2 arm                a front company can be opened        -> open it
    3 seize              a professional key site with two cells -> take it over
    4 kill               US troops within reach, arms 3+, deniability 4+,
                         broad sanctions not threatened (the threat
                         deters)                              -> lethal rockets
    5 lobby              no motion passed, arms 2+, a US strike this turn
                         or escalation 6+                     -> lobby parliament
    6 recruit            arms 2+, no crew within range of US troops
                                                              -> open cells by US troops
    7 keep-posts         a professional post, arms 2+         -> covert purge
    8 harass             US troops within reach, deniability 4+, no threat
                                                              -> harassment rockets
    9 crush              deterred or exposed: crowds beside a cell, arms 2+
                                                              -> suppress them
   10 lie-low            arms 2+, a key site or square without cells
                                                              -> covert cells there
   11 pass

Protest movement — *peaceful*::

    1 fill-squares       fewer than five crowds on the map    -> mass protest
    2 dig-in             two crowds at Tahrir, no sit-in, momentum 2+ -> sit-in
    3 najaf              Najaf's backing below 6, momentum 3+ -> appeal to Najaf
    4 elections          the demand's modifiers net +1 or better, momentum 2+
                                                              -> demand elections
    5 document           momentum full (10)                   -> document abuses
    6 pass               (husband: +1 momentum)

Protest movement — *confrontational*::

    1 name-names         a known loyalist, accountability below 5, momentum
                         to spare (4+; 8+ while no new government: at 7+
                         the President refuses the parties' candidate)
                                                              -> document his abuses
    2 strike             public support 5+, momentum 8+ (9+ while no new
                         government)                          -> general strike
    3 march              two crowds at Tahrir, momentum 5+ (8+ while no new
                         government)                          -> march on parliament
    4 elections          momentum 2+, modifiers net 0 or better -> demand elections
    5 fill-squares       fewer than five crowds on the map    -> mass protest
    6 dig-in             momentum 3+, two crowds at a site    -> sit-in
    7 pass               (gather momentum for the next march)
"""

from __future__ import annotations

from typing import Callable, Iterable

import attrs

from engine.ai import Bot, BotError, Candidate, Choice, Decision
from engine.moves import Move
from engine.rng import Rng
from engine.seats import SeatError, register
from rules.board import (BAGHDAD, CARETAKER, CONDITIONAL, NO_SANCTIONS, NOMINEE, CONTINUITY, THREATENED, F_ATTACK, F_LAST_ATTACK,
                         F_LAST_LETHAL, F_LETHAL, F_PROTECTED, F_STRIKE, FACILITIES, FACTIONS, GOI,
                         GRANTED, K_COVERT, K_MIL, K_PRO, K_US, KEY_SITES, KINDS, LOYALIST, MIL,
                         MILITIA_SITES, MOTION_PASSED, NEW_GOVERNMENT, NO_MOTION, PRO,
                         PROFESSIONAL, PROTEST_SITES, SEPARATION, URBAN, US,
                         COMMANDS, POST_SPACE, P, S, T, militia_posts, on_map)
from rules.kinds import REGISTRY
from rules.parliament import inclinations, pass_chance


def recent_attacks(b) -> list:
    """Attacks on US persons this turn or last (as rules.strikes reads them).

    Kept here so that importing the doctrines never declares move kinds out
    of the scenario's order.
    """
    return [a for a in b.attacks if a.turn >= b.turn - 1]

Args = tuple[str, ...]
Legal = Callable[[Move], bool]


@attrs.frozen(slots=True)
class Step:
    """One box of a flowchart: if ``test(board)``, try ``moves(board)`` in order."""

    name: str
    test: Callable[[object], bool]
    moves: Callable[[object], Iterable[Args]]
    why: str


@attrs.frozen(slots=True)
class Doctrine:
    name: str
    faction: str
    summary: str
    steps: tuple[Step, ...]

    def options(self, board, legal: Legal) -> Iterable[tuple[int, Move]]:
        """Every (step index, legal move) the flowchart would consider, in order."""
        for i, step in enumerate(self.steps):
            if not step.test(board):
                continue
            for args in step.moves(board):
                move = _move(self.faction, args)
                if legal(move):
                    yield i, move

    def decide(self, board, legal: Legal) -> tuple[Move, Step]:
        for i, move in self.options(board, legal):
            return move, self.steps[i]
        raise BotError(f"doctrine {self.name} found no legal move (not even pass)")


_MOVES: dict[tuple[str, Args], Move] = {}


def _move(faction: str, args: Args) -> Move:
    key = (faction, args)
    move = _MOVES.get(key)
    if move is None:
        move = _MOVES[key] = Move(faction, args[0], args[1:])
    return move


def rules_legal(board) -> Legal:
    """Legality on a full board (for rollouts): the rules' own refusals."""
    return lambda move: not REGISTRY.refusals(board, move)


# -- reading the board ------------------------------------------------------------
def _t(b, track: T) -> int:
    return b.tracks[track]


def _cells(b, s: int) -> int:
    return b.pieces[s * KINDS + K_MIL]


def _any_cells(b, s: int) -> int:
    return b.pieces[s * KINDS + K_MIL] + b.pieces[s * KINDS + K_COVERT]


def _crowds(b, s: int) -> int:
    return b.pieces[s * KINDS + K_PRO]


def _troops(b, s: int) -> int:
    return b.pieces[s * KINDS + K_US]


def _name(e) -> str:
    return e.name.lower()


def _always(b) -> bool:
    return True


PASS: tuple[Args, ...] = (("pass",),)


def _pass_step() -> Step:
    return Step("pass", _always, lambda b: PASS, "nothing better to do: husband resources")


def _loyal_key_sites(b) -> list[Args]:
    return [("diplomacy", "replace", _name(p)) for p in KEY_SITES if b.posts[p] == LOYALIST]


def _loyalists(b) -> list[P]:
    return [p for p in P if b.posts[p] == LOYALIST]


def _sanctions(b) -> list[Args]:
    # Faleh al-Fayyad first, as the brief advises; then the other loyalists in
    # post, then the militia politicians (the legal options are filtered later).
    from rules.people import PEOPLE, SANCTIONABLE
    order = sorted(SANCTIONABLE, key=lambda i: (PEOPLE[i].id != "fayyad", PEOPLE[i].side != "loyalist"))
    return [("sanction", PEOPLE[i].id, auth) for i in order for auth in ("ct", "magnitsky")]


def _strike_targets(b, mode: str, urban_ok: bool = False) -> list[Args]:
    sites = [s for s in MILITIA_SITES if _cells(b, s) and (urban_ok or s not in URBAN)]
    # Cells beside US troops first: there an attack is imminent (rules.strikes.imminent).
    sites.sort(key=lambda s: (s in URBAN, not _troops(b, s), -_cells(b, s)))
    return [("strike", _name(s), mode) for s in sites]


def _imminent_targets(b, all_conditions: bool = False) -> list[Args]:
    """Preemptive strikes where an attack is imminent (cells beside US troops,
    rules.strikes.imminent); with ``all_conditions`` only where the brief's
    other two also hold (professional airspace, outside the cities)."""
    sites = [s for s in MILITIA_SITES if _cells(b, s) and _troops(b, s)]
    if all_conditions:
        sites = [s for s in sites if s not in URBAN and b.posts[P.AIRSPACE] != LOYALIST]
    sites.sort(key=lambda s: (s in URBAN, -_cells(b, s)))
    return [("strike", _name(s), "preemptive") for s in sites]


def _attacked(b) -> bool:
    return bool(b.flags & (F_ATTACK | F_LAST_ATTACK))


def _lethal(b) -> bool:
    return bool(b.flags & (F_LETHAL | F_LAST_LETHAL))


# -- United States ------------------------------------------------------------------
US_CONTINUITY = Doctrine("continuity", US, "answer only serious attacks; leave Iraqis on their own", (
    Step("retaliate-lethal", lambda b: _lethal(b) and _t(b, T.ESCALATION) <= 5,
         lambda b: _strike_targets(b, "retaliatory"),
         "a lethal attack must be answered at a time and place of our choosing"),
    Step("back-elections", lambda b: _t(b, T.ELECTORAL) < 3,
         lambda b: (("elections",),), "an independent electoral commission is the cheapest reform"),
    Step("embassies", _always, _loyal_key_sites,
         "the embassies ask for a professional at a key site"),
    Step("restore-commands", lambda b: _t(b, T.CAPITAL) >= 2,
         lambda b: [("capacity", _name(p)) for p in COMMANDS if b.posts[p] == LOYALIST],
         "partners review a command held by a known loyalist"),
    Step("reinforce", lambda b: _t(b, T.CAPITAL) >= 3,
         lambda b: [("forces", _name(s), "reinforce") for s in sorted(
             (S.ASAD, S.ERBIL, S.K1, S.TAJI), key=lambda s: (_any_cells(b, s), _troops(b, s)))],
         "troops at the quiet bases outside Baghdad"),
    _pass_step(),
))

US_TOUGHER = Doctrine("tougher_love", US, "punish and deter anti-American elements", (
    Step("warn", lambda b: _t(b, T.POSTURE) == CONTINUITY,
         lambda b: (("posture", "tougher_love"),), "a public warning costs the militias deniability"),
    Step("make-good", lambda b: _t(b, T.SANCTIONS) == THREATENED and _lethal(b),
         lambda b: (("broad_sanctions", "impose"),), "a lethal attack: the threat is made good"),
    Step("condition-waiver",
         lambda b: _attacked(b) and not b.flags & F_PROTECTED and _t(b, T.WAIVER) == GRANTED,
         lambda b: (("waiver", "conditional"),), "no waiver without protection of US persons"),
    Step("deter", lambda b: _t(b, T.SANCTIONS) == NO_SANCTIONS and _t(b, T.CAPITAL) >= 2,
         lambda b: (("broad_sanctions", "threaten"),),
         "broad sanctions are kept as a deterrent against major attacks"),
    Step("attribute", lambda b: any(not a.attributed for a in recent_attacks(b)),
         lambda b: [("attribute", _name(s)) for s in FACILITIES],
         "find out who fired before answering"),
    Step("retaliate",
         lambda b: _t(b, T.ESCALATION) <= 6 and any(a.attributed and a.by == MIL for a in recent_attacks(b)),
         lambda b: _strike_targets(b, "retaliatory"), "the militias' attack is attributed: strike back"),
    Step("preempt", lambda b: _t(b, T.ESCALATION) <= 6 and _t(b, T.CAPITAL) >= 2,
         lambda b: _imminent_targets(b, all_conditions=True),
         "an attack on a base is imminent, the evidence can be shown and no civilians are near: "
         "strike first"),
    Step("back-elections", lambda b: _t(b, T.ELECTORAL) < 3,
         lambda b: (("elections",),), "early elections are the way out of militia rule"),
    Step("designate", lambda b: not _t(b, T.DESIGNATION) and _t(b, T.COHESION) >= 6,
         lambda b: (("diplomacy", "designate", "kh"),), "allies should list Kataib Hezbollah"),
    Step("embassies", _always, _loyal_key_sites, "restore security at the international zone and airport"),
    Step("restore-commands", lambda b: _t(b, T.CAPITAL) >= 3,
         lambda b: [("capacity", _name(p)) for p in sorted(COMMANDS, key=lambda p: b.posts[p] != LOYALIST)],
         "with CJTF-OIR partners, restore purged commanders"),
    Step("sanction", _always, _sanctions, "punish bad actors with Treasury sanctions"),
    _pass_step(),
))

US_SEPARATION = Doctrine("separation", US, "suspend cooperation and use the free hand", (
    Step("separate", lambda b: _t(b, T.ESCALATION) >= 6 or _t(b, T.WITHDRAWAL) >= MOTION_PASSED,
         lambda b: (("posture", "tougher_love"), ("posture", "separation")),
         "if Iraq will not protect Americans, step back"),
    Step("decapitate", lambda b: _t(b, T.POSTURE) == SEPARATION,
         lambda b: (("leadership_strike", "muhandis"),),
         "designated terrorists in Iraqi politics are exposed to kinetic targeting"),
    Step("strike", lambda b: _t(b, T.POSTURE) == SEPARATION or _attacked(b),
         lambda b: _strike_targets(b, "retaliatory", True) + _imminent_targets(b),
         "strike militia cells while the hand is free (first only where an attack is imminent)"),
    Step("punish", lambda b: _t(b, T.POSTURE) == SEPARATION,
         lambda b: (("broad_sanctions", "impose"),), "sanctions with no reason for restraint"),
    Step("sanction", _always, _sanctions, "name the militias' men in the state"),
    Step("draw-down", lambda b: _t(b, T.POSTURE) == SEPARATION,
         lambda b: [("forces", _name(s), "withdraw") for s in FACILITIES if s in BAGHDAD and _troops(b, s)],
         "bring the embassy guards home"),
    Step("back-elections", lambda b: _t(b, T.ELECTORAL) < 3 and _t(b, T.CAPITAL) >= 2,
         lambda b: (("elections",),), "elections still matter"),
    _pass_step(),
))


# -- Iraqi government --------------------------------------------------------------------
def _motion_danger(b) -> bool:
    return bool(_t(b, T.MOTION)) and pass_chance(inclinations(b)) >= 0.3


def _nominee(b) -> list[Args]:
    """The candidate with the better odds first (see rules.government)."""
    tracks = b.tracks
    consensus = 1 - (tracks[T.MOMENTUM] >= 7) - (tracks[T.NAJAF] >= 7)
    independent = ((tracks[T.NAJAF] >= 6) + (tracks[T.MOMENTUM] >= 6)
                   - 2 * (militia_posts(b) >= 5) - (tracks[T.BLOC_IRAN] >= 4))
    first = "independent" if independent > consensus else "consensus"
    return [("nominate", first), ("nominate", "consensus" if first == "independent" else "independent")]


def _unprotected_sites(b) -> list[Args]:
    sites = [s for s in FACILITIES if _troops(b, s) and not b.protected >> s & 1]
    sites.sort(key=lambda s: (-_any_cells(b, s), -_troops(b, s)))
    return [("protect", _name(s)) for s in sites]


def _crowd_sites(b, least: int = 1) -> list[S]:
    sites = [s for s in PROTEST_SITES if _crowds(b, s) >= least]
    sites.sort(key=lambda s: -_crowds(b, s))
    return sites


def _suppress_crowds(b) -> list[Args]:
    """The militias turn on the squares where their cells stand."""
    return [("suppress", _name(s)) for s in _crowd_sites(b) if _any_cells(b, s)]


def _purges(b) -> list[Args]:
    """A covert purge of every post a professional holds, in the posts' order."""
    return [("purge", _name(p)) for p in P if b.posts[p] == PROFESSIONAL]


def _covert_cells(b) -> list[Args]:
    """Covert cells at the squares and the key sites that have none."""
    return [("recruit", _name(s), "covert") for s in (S.TAHRIR, S.GZONE, S.AIRPORT, S.PMO)
            if not _any_cells(b, s)]


def _shield(b) -> list[Args]:
    return [("crowds", _name(s), "protect") for s in _crowd_sites(b)]


def _lever(b) -> bool:
    """Washington has tied a lever to the protection of US persons: a
    conditional waiver, or broad sanctions threatened."""
    return _t(b, T.WAIVER) == CONDITIONAL or _t(b, T.SANCTIONS) == THREATENED


def _shield_facing_cells(b) -> list[Args]:
    """Shield only crowds that militia cells face (anywhere else it earns nothing)."""
    return [("crowds", _name(s), "protect") for s in _crowd_sites(b) if _cells(b, s)]


def _evicting_affordable(b) -> bool:
    """Ordering US forces out loses the dollar and the coalition against
    ISIS: only a government with money in hand and ISIS quiet risks it."""
    return (_t(b, T.BUDGET) >= EVICT_BUDGET and _t(b, T.ISIS) <= EVICT_ISIS
            and _t(b, T.LEGITIMACY) >= EVICT_LEGITIMACY)


def _c2_spare(b) -> bool:
    """Command and control to spare: at 2 or less ISIS gains ground (rules.upkeep),
    so with ISIS pressing the government keeps its forces for the fight."""
    return _t(b, T.C2) >= 3 or _t(b, T.ISIS) <= 5


def _caretaker_rule(b) -> bool:
    """The Tehran-leaning line is the caretaker's: a confirmed new prime
    minister needs both patrons, and stops pressing the withdrawal."""
    return _t(b, T.GOVERNMENT) != NEW_GOVERNMENT


EVICT_BUDGET, EVICT_ISIS, EVICT_LEGITIMACY = 6, 3, 7
TABLE_BUDGET = 4   # a motion that may end in separation is tabled only with money in hand
NOMINATE_FROM = 4  # below this legitimacy a nominee who withdraws could bring the government down
CONDEMN_BELOW = 8  # the balancing government condemns a US strike that shamed it at this legitimacy or less
SHIELD_BELOW = 8   # the balancing government shields crowds facing cells only at this legitimacy or less

GOI_BALANCING = Doctrine("balancing", GOI, "survive and keep both patrons paying", (
    Step("shelve", _motion_danger, lambda b: (("vote", "shelve"),),
         "a vote that would expel the coalition ends the US partnership"),
    Step("keep-waiver", lambda b: _lever(b) and not b.flags & F_PROTECTED, _unprotected_sites,
         "Washington ties the waiver and its sanctions to the safety of Americans"),
    Step("ask-waiver", lambda b: _t(b, T.WAIVER) != GRANTED and _t(b, T.BUDGET) >= 2,
         lambda b: (("request_waiver",),), "Iranian gas keeps the lights on"),
    Step("condemn", lambda b: _t(b, T.LEGITIMACY) <= CONDEMN_BELOW, lambda b: (("condemn",),),
         "a US strike has shamed the state: it must be seen to defend its sovereignty"),
    Step("rescue", lambda b: _t(b, T.LEGITIMACY) <= 4,
         lambda b: _shield_facing_cells(b) + [("reform", "services")],
         "legitimacy is low: the government must be seen to serve"),
    Step("name-nominee", lambda b: (_t(b, T.GOVERNMENT) == CARETAKER and _c2_spare(b)
                                    and _t(b, T.LEGITIMACY) >= NOMINATE_FROM), _nominee,
         "a prime minister-designate ends the caretaker months"),
    Step("confirm-government", lambda b: _t(b, T.GOVERNMENT) == NOMINEE and _c2_spare(b), _nominee,
         "a confirmed government is the surest legitimacy"),
    Step("guard", lambda b: _attacked(b) and _t(b, T.C2) >= 2, _unprotected_sites,
         "protect foreign facilities, or lose the waiver"),
    Step("services", lambda b: _t(b, T.BUDGET) >= 4, lambda b: (("reform", "services"),),
         "electricity, water and jobs calm the street"),
    Step("professionals", lambda b: _t(b, T.C2) >= 3,
         lambda b: [("appoint", _name(p), "professional") for p in _loyalists(b)],
         "take the state's posts back from the militias"),
    Step("shield-crowds", lambda b: _t(b, T.LEGITIMACY) <= SHIELD_BELOW, _shield_facing_cells,
         "stand between the crowds and the militias, when it is seen"),
    _pass_step(),
))

# The steward: the balancing line as the hard search plays its own future
# moves (not a seat; see the module's docstring).
STEWARD_RESCUE = 6   # legitimacy at which the steward turns to services and shields
STEWARD_RESERVE = 3  # command and control at which it passes before any later step
_BALANCING = {s.name: s for s in GOI_BALANCING.steps}

GOI_STEWARD = Doctrine("steward", GOI, "the balancing line, survival first (the hard search's own)", (
    attrs.evolve(_BALANCING["condemn"], test=_always,
                 why="every US strike that shamed the state is answered at once"),
    _BALANCING["shelve"],
    _BALANCING["keep-waiver"],
    _BALANCING["ask-waiver"],
    attrs.evolve(_BALANCING["rescue"], test=lambda b: _t(b, T.LEGITIMACY) <= STEWARD_RESCUE,
                 why="legitimacy is slipping: serve and protect before it is low"),
    Step("reserve", lambda b: _t(b, T.C2) <= STEWARD_RESERVE, lambda b: PASS,
         "command and control below 4 buys no second action, and at 2 ISIS gains ground: rebuild it"),
    *(_BALANCING[name] for name in ("name-nominee", "confirm-government", "guard", "services",
                                    "professionals", "pass")),
))

GOI_TEHRAN = Doctrine("tehran", GOI, "lean on Tehran and its allies", (
    Step("implement", lambda b: (_t(b, T.WITHDRAWAL) == MOTION_PASSED and _caretaker_rule(b)
                                 and _evicting_affordable(b)),
         lambda b: (("implement",),), "parliament has spoken, and the treasury can bear it: the foreign forces go"),
    Step("table", lambda b: (not _t(b, T.MOTION) and _t(b, T.WITHDRAWAL) == NO_MOTION
                             and _caretaker_rule(b) and _t(b, T.BUDGET) >= TABLE_BUDGET),
         lambda b: (("vote", "table"),), "put the withdrawal to a vote"),
    Step("keep-waiver", lambda b: _lever(b) and _t(b, T.BUDGET) <= 3, _unprotected_sites,
         "the money is short: keep Washington's waiver"),
    Step("condemn", _always, lambda b: (("condemn",),), "denounce the Americans' strike on Iraqi soil"),
    Step("survive", lambda b: _t(b, T.LEGITIMACY) <= 3,
         lambda b: [("reform", "services")] + _shield_facing_cells(b),
         "the state is near collapse: be seen to serve and to protect"),
    Step("services", lambda b: _t(b, T.LEGITIMACY) <= 5 and _t(b, T.BUDGET) >= 2,
         lambda b: (("reform", "services"),), "buy calm with services"),
    Step("form-government", lambda b: _t(b, T.GOVERNMENT) != NEW_GOVERNMENT and _t(b, T.C2) >= 2,
         lambda b: (("nominate", "consensus"), ("nominate", "independent")),
         "a candidate the parties can live with"),
    Step("loyalists", lambda b: _t(b, T.LEGITIMACY) >= 4,
         lambda b: [("appoint", _name(p), "loyalist") for p in P if b.posts[p] != LOYALIST],
         "a loyal man in the post brings money from the factions"),
    Step("crack-down", lambda b: _t(b, T.LEGITIMACY) >= 5,
         lambda b: [("crowds", _name(s), "crackdown") for s in _crowd_sites(b, 3)],
         "clear the squares before they grow"),
    _pass_step(),
))


# -- Militias -----------------------------------------------------------------------------
def _rocket_targets(b, mode: str) -> list[Args]:
    sites = [s for s in FACILITIES if _troops(b, s) and _any_cells(b, s)]
    sites.sort(key=lambda s: (bool(b.protected >> s & 1), _troops(b, s) >= 3, -_troops(b, s)))
    return [("rockets", _name(s), mode) for s in sites]


def _fronts(b) -> list[Args]:
    return [("front", "airport"), ("front", "border")]


def _near_troops(b) -> list[Args]:
    sites = [s for s in FACILITIES if s in MILITIA_SITES and _troops(b, s)]
    sites.sort(key=lambda s: (_any_cells(b, s), -_troops(b, s)))
    return [("recruit", _name(s), "open") for s in sites]


def _cells_at_post(b, p: P) -> int:
    return _any_cells(b, POST_SPACE[p]) if p in POST_SPACE else 0


def _professional_key_sites(b, least: int) -> list[Args]:
    """Take-overs of key sites held by professionals with ``least`` cells there, most cells first."""
    posts = [p for p in KEY_SITES if b.posts[p] == PROFESSIONAL and _cells_at_post(b, p) >= least]
    posts.sort(key=lambda p: -_cells_at_post(b, p))
    return [("takeover", _name(p)) for p in posts]


MIL_ESCALATE = Doctrine("escalate", MIL, "drive the Americans out by force", (
    Step("storm", lambda b: (_any_cells(b, S.GZONE) >= 2 and _t(b, T.ARMS) >= 3
                             and b.posts[P.GZONE_SECURITY] != PROFESSIONAL
                             and not b.protected >> S.GZONE & 1 and not _attacked(b)),
         lambda b: (("storm", "gzone"),), "our man guards the gate and nobody else does: the embassy is open"),
    Step("arm", _always, _fronts, "front companies pay for the rockets"),
    Step("seize", _always, lambda b: _professional_key_sites(b, 2),
         "two cells stand at a key site held by professionals: take it"),
    Step("kill", lambda b: (_t(b, T.ARMS) >= 3 and _t(b, T.SANCTIONS) != THREATENED
                            and _t(b, T.DENIABILITY) >= 4),
         lambda b: _rocket_targets(b, "lethal"),
         "American dead bring the withdrawal closer (while deniability covers us, and no "
         "broad sanctions are threatened)"),
    Step("lobby", lambda b: (_t(b, T.WITHDRAWAL) == NO_MOTION and _t(b, T.ARMS) >= 2
                             and (b.flags & F_STRIKE or _t(b, T.ESCALATION) >= 6)),
         lambda b: (("lobby",),), "a US strike or the brink of war: allies in parliament table the motion"),
    Step("recruit", lambda b: _t(b, T.ARMS) >= 2 and not _rocket_targets(b, "harassment"), _near_troops,
         "no crew within range of a base: put one there"),
    Step("keep-posts", lambda b: _t(b, T.ARMS) >= 2,
         _purges,
         "the posts are the rear base of the campaign"),
    Step("harass", lambda b: _t(b, T.DENIABILITY) >= 4 and _t(b, T.SANCTIONS) != THREATENED,
         lambda b: _rocket_targets(b, "harassment"),
         "keep the bases under fire while deniability covers us"),
    Step("crush", lambda b: _t(b, T.ARMS) >= 2,
         _suppress_crowds,
         "deterred or exposed: turn on the squares instead"),
    Step("lie-low", lambda b: _t(b, T.ARMS) >= 2,
         _covert_cells,
         "rebuild cover: covert cells where the key sites and the squares are"),
    _pass_step(),
))

MIL_ENTRENCH = Doctrine("entrench", MIL, "run the shadow state and wait out the Americans", (
    Step("fronts", _always, _fronts, "contracts for our companies"),
    Step("seize", _always, lambda b: _professional_key_sites(b, 2),
         "two cells stand at a key site held by professionals: take it"),
    Step("purge", lambda b: _t(b, T.ARMS) >= 2,
         _purges,
         "replace a professional with one of ours, quietly"),
    Step("lobby", lambda b: _t(b, T.WITHDRAWAL) == NO_MOTION and not _t(b, T.MOTION),
         lambda b: (("lobby",),), "keep the withdrawal on parliament's agenda"),
    Step("crush", lambda b: _t(b, T.ARMS) >= 2,
         _suppress_crowds,
         "no quiet month for the government while the squares are full"),
    Step("recruit", lambda b: _t(b, T.ARMS) >= 2,
         _covert_cells,
         "cells where the key sites and the squares are"),
    _pass_step(),
))

# -- Protest movement --------------------------------------------------------------------------
def _protest_sites(b) -> list[Args]:
    sites = sorted(PROTEST_SITES, key=lambda s: (s != S.TAHRIR, _crowds(b, s)))
    return [("protest", _name(s)) for s in sites]


def _tahrir_sitin(b) -> bool:
    return _crowds(b, S.TAHRIR) >= 2 and not b.sitins >> S.TAHRIR & 1 and _t(b, T.MOMENTUM) >= 2


def _abusers(b) -> list[Args]:
    return [("document", _name(p)) for p in _loyalists(b)]


def _demand_odds(b) -> int:
    """The net modifier of a demand for early elections (see rules.protests)."""
    return ((_t(b, T.NAJAF) >= 6) + (on_map(b, K_PRO) >= 6) + (_t(b, T.GOVERNMENT) == NEW_GOVERNMENT)
            - 2 * (militia_posts(b) >= 6))


PRO_PEACEFUL = Doctrine("peaceful", PRO, "fill the squares, win Najaf, demand elections", (
    Step("fill-squares", lambda b: on_map(b, K_PRO) < 5, _protest_sites,
         "five crowds in the streets keep the movement alive"),
    Step("dig-in", _tahrir_sitin, lambda b: (("sitin", "tahrir"),), "a sit-in holds the momentum"),
    Step("najaf", lambda b: _t(b, T.NAJAF) < 6 and _t(b, T.MOMENTUM) >= 3,
         lambda b: (("najaf",),), "the marja'iyya's backing opens doors"),
    Step("elections", lambda b: _demand_odds(b) >= 1 and _t(b, T.MOMENTUM) >= 2,
         lambda b: (("elections",),), "early elections under an independent commission"),
    Step("document", lambda b: _t(b, T.MOMENTUM) >= 10,
         lambda b: _abusers(b) + [("document", _name(p)) for p in P],
         "momentum is full: evidence feeds accountability"),
    Step("pass", _always, lambda b: PASS, "a rested movement gathers momentum"),
))

NAMED = 5   # accountability at which the confrontational movement turns from naming names to marching


def _spare(b, least: int) -> int:
    """The momentum a confrontational movement must keep: while no new
    government is confirmed, 7 blocks the parties' candidate (rules.government:
    the President refuses him while the squares are strong), so it spends only above 7."""
    return max(least, 8) if _t(b, T.GOVERNMENT) != NEW_GOVERNMENT else least


PRO_CONFRONT = Doctrine("confrontational", PRO, "march, strike and force the issue", (
    Step("name-names", lambda b: _t(b, T.MOMENTUM) >= _spare(b, 4) and _t(b, T.ACCOUNTABILITY) < NAMED,
         _abusers, "name the men who ordered the shooting, until they answer for it"),
    Step("strike", lambda b: _t(b, T.SUPPORT) >= 5 and _t(b, T.MOMENTUM) >= _spare(b, 7) + 1,
         lambda b: (("general_strike",),), "stop the country until it listens"),
    Step("march", lambda b: _crowds(b, S.TAHRIR) >= 2 and _t(b, T.MOMENTUM) >= _spare(b, 5),
         lambda b: (("march", "parliament"), ("march", "pmo"), ("march", "gzone")),
         "take the demands to parliament's door"),
    Step("elections", lambda b: _t(b, T.MOMENTUM) >= 2 and _demand_odds(b) >= 0,
         lambda b: (("elections",),), "demand early elections"),
    Step("fill-squares", lambda b: on_map(b, K_PRO) < 5, _protest_sites,
         "five crowds in the streets keep the movement's momentum"),
    Step("dig-in", lambda b: _t(b, T.MOMENTUM) >= 3,
         lambda b: [("sitin", _name(s)) for s in (S.PARLIAMENT, S.PMO, S.GZONE, S.TAHRIR)],
         "occupy the square"),
    Step("pass", _always, lambda b: PASS, "gather momentum for the next march"),
))

DOCTRINES: dict[str, tuple[Doctrine, ...]] = {
    US: (US_CONTINUITY, US_TOUGHER, US_SEPARATION),
    GOI: (GOI_BALANCING, GOI_TEHRAN),
    MIL: (MIL_ENTRENCH, MIL_ESCALATE),
    PRO: (PRO_PEACEFUL, PRO_CONFRONT),
}
assert set(DOCTRINES) == set(FACTIONS)
# ``tougher love`` is also accepted with a dash; ``tehran-leaning`` for tehran.
ALIASES = {"tougher-love": "tougher_love", "tehran-leaning": "tehran", "tehran_leaning": "tehran"}


def doctrine(faction: str, name: str = "") -> Doctrine:
    """The doctrine ``name`` of ``faction`` (empty: its first, strongest one)."""
    table = DOCTRINES[faction]
    if not name:
        return table[0]
    name = ALIASES.get(name, name)
    for d in table:
        if d.name == name:
            return d
    raise SeatError(f"no doctrine {name!r} for {faction} (choose from: "
                    f"{', '.join(d.name for d in table)})")


# How a search plays its own future moves where not by its first doctrine.
# The balancing government rescues its legitimacy at 4, too late: the
# steward wins 52-53% against three default doctrines where balancing wins
# 30-34% (seeds 1-400 and 100001-100400), and the hard search built on it
# wins 76% in the chair (README, "Strength").
SEARCH_LINES: dict[str, Doctrine] = {GOI: GOI_STEWARD}


def rollout_move(board, faction: str) -> Move:
    """The faction's first doctrine, on a full board: the search's rollout policy."""
    return DOCTRINES[faction][0].decide(board, rules_legal(board))[0]


def seat_policy(faction: str, seat: str, view: Callable[[object, str], object]):
    """A seated doctrine bot as a search models it: its flowchart on the
    faction's own view of a full board, legality from the rules (the
    board's, or ``legal`` when given: a decision's own legal moves); None
    for any other seat."""
    kind, _, name = seat.partition(":")
    if kind != "doctrine":
        return None
    try:
        d = doctrine(faction, name)
    except SeatError:
        return None
    return _policy(d, view)


def search_policy(faction: str, view: Callable[[object, str], object]):
    """How a search in ``faction``'s chair plays its own future moves: its
    line in ``SEARCH_LINES``, else its first doctrine (as ``seat_policy``)."""
    return _policy(SEARCH_LINES.get(faction) or DOCTRINES[faction][0], view)


def _policy(d: Doctrine, view: Callable[[object, str], object]):
    faction = d.faction

    def play(board, rng, legal: Legal | None = None) -> Move:
        return d.decide(view(board, faction), legal or rules_legal(board))[0]
    return play


class DoctrineBot(Bot):
    """A bot that follows one doctrine's flowchart on its faction's view."""

    def __init__(self, doctrine: Doctrine) -> None:
        self.doctrine = doctrine
        self.name = f"doctrine:{doctrine.name}"
        self.usage: dict[str, int] = {}  # step name -> times it decided

    def choose(self, decision: Decision, rng: Rng) -> Choice:
        d = self.doctrine
        if decision.faction != d.faction:
            raise BotError(f"doctrine {d.name} plays {d.faction}, not {decision.faction}")
        legal = set(decision.legal)
        if not legal:
            raise BotError(f"{decision.faction} has no legal move")
        move, step = d.decide(decision.view.board, legal.__contains__)
        self.usage[step.name] = self.usage.get(step.name, 0) + 1
        candidates: tuple[Candidate, ...] = ()
        if decision.explain:
            seen: list[Candidate] = []
            for i, m in d.options(decision.view.board, legal.__contains__):
                if len(seen) == 3:
                    break
                s = d.steps[i]
                seen.append(Candidate(m, float(len(d.steps) - i),
                                      f"step {i + 1} {s.name}: {s.why}"))
            candidates = tuple(seen)
        return Choice(move, f"doctrine {d.name}, step {d.steps.index(step) + 1} {step.name}: {step.why}",
                      candidates)


def _factory(faction: str, arg: str) -> Bot:
    return DoctrineBot(doctrine(faction, arg))


register("doctrine", _factory,
         "doctrine[:NAME] (" + "; ".join(f"{f}: {'|'.join(d.name for d in ds)}"
                                        for f, ds in DOCTRINES.items()) + ")")
