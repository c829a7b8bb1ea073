"""The scenario's incentives (issue 14): levers persuade, costs fall where the brief says.

Each class is one mechanism of docs/fidelity.md ("Incentives"): a rule, or a
doctrine's response to a lever, checked on a board built for it.  The
measured numbers come from ``benchmarks/levers.py``.
"""

from __future__ import annotations

import attrs
from hypothesis import given, settings, strategies as st

from engine.checks import BACKFIRE, PARTIAL, SUCCESS
from helpers import refusals, resolve, resolve_tier, start_board, with_pieces, with_tracks
from rules import upkeep, victory
from rules.board import (CARETAKER, CONDITIONAL, GRANTED, IN_FORCE, K_COVERT, K_MIL, K_US, LOYALIST, MOTION_PASSED,
                         NEW_GOVERNMENT, NO_SANCTIONS, PROFESSIONAL, SEPARATION, THREATENED, T,
                         F_ATTACK, F_LETHAL, SHIA_BLOCS, Attack, IraqDraft, S, P, at, on_map)
from rules.doctrine import (GOI_BALANCING, GOI_TEHRAN, MIL_ESCALATE, PRO_CONFRONT, US_SEPARATION, US_TOUGHER,
                            rules_legal)
from rules.strikes import imminent

B = start_board()


def tr(board, track):
    return board.tracks[track]


def run_upkeep(board):
    draft = IraqDraft(board, 0)
    draft.d6 = lambda: 6
    upkeep.upkeep(draft, board.turn)
    return draft.freeze()[0]


def decide(doctrine, board):
    move, step = doctrine.decide(board, rules_legal(board))
    return move, step.name


class TestACollapsedPartnerCostsTheUS:
    def test_a_collapse_lowers_the_us_score(self):
        b = with_tracks(B, legitimacy=0)
        assert victory.scores(b, victory.COLLAPSE)["us"].total < victory.scores(b, None)["us"].total

    @settings(max_examples=40, deadline=None)
    @given(st.integers(0, 10), st.integers(1, 10))
    def test_a_bankrupt_partner_lowers_the_us_score(self, legitimacy, budget):
        b = with_tracks(B, legitimacy=legitimacy, budget=budget)
        assert (victory.scores(with_tracks(b, budget=0), None)["us"].total
                < victory.scores(b, None)["us"].total)

    def test_a_budget_at_zero_costs_legitimacy(self):
        b = with_tracks(B, budget=0, economy=2, waiver=CONDITIONAL)   # income 0: nothing to pay salaries
        assert tr(run_upkeep(b), T.LEGITIMACY) <= tr(b, T.LEGITIMACY) - 1 + 1  # the quiet month's +1 at most
        assert any("cannot pay salaries" in line for line in _upkeep_log(b))

    def test_isis_at_its_height_costs_legitimacy(self):
        calm, raging = with_tracks(B, isis=5), with_tracks(B, isis=9)
        assert tr(run_upkeep(raging), T.LEGITIMACY) == tr(run_upkeep(calm), T.LEGITIMACY) - 1


def _upkeep_log(board) -> list[str]:
    draft = IraqDraft(board, 0)
    draft.d6 = lambda: 6
    upkeep.upkeep(draft, board.turn)
    return list(draft.events)


class TestAConditionalWaiverPersuades:
    def test_the_balancing_government_guards_us_sites_under_a_conditional_waiver(self):
        granted = with_tracks(B, waiver=GRANTED)
        conditional = with_tracks(B, waiver=CONDITIONAL)
        assert decide(GOI_BALANCING, granted)[0].kind != "protect"
        move, step = decide(GOI_BALANCING, conditional)
        assert (move.kind, step) == ("protect", "keep-waiver")

    def test_a_tehran_leaning_government_short_of_money_guards_them_too(self):
        rich = with_tracks(B, waiver=CONDITIONAL, budget=8, motion=1)
        poor = with_tracks(B, waiver=CONDITIONAL, budget=2, motion=1)
        assert decide(GOI_TEHRAN, rich)[0].kind != "protect"
        assert decide(GOI_TEHRAN, poor)[0].kind == "protect"


class TestAThreatenedSanctionDeters:
    def test_threatening_costs_capital_and_no_cohesion(self):
        new, events = resolve(B, "us:broad_sanctions threaten")
        assert tr(new, T.SANCTIONS) == THREATENED and tr(new, T.COHESION) == tr(B, T.COHESION)
        assert tr(new, T.CAPITAL) == tr(B, T.CAPITAL) - 1 and tr(new, T.ECONOMY) == tr(B, T.ECONOMY)
        assert refusals(new, "us:broad_sanctions threaten")

    def test_the_threat_is_made_good_for_nothing_after_a_lethal_attack(self):
        threatened = with_tracks(B, sanctions=THREATENED, capital=0)
        assert refusals(threatened, "us:broad_sanctions impose")  # no capital, no provocation
        provoked = attrs.evolve(threatened, flags=F_LETHAL)
        new, _ = resolve(provoked, "us:broad_sanctions impose")
        assert tr(new, T.SANCTIONS) == IN_FORCE and tr(new, T.COHESION) == tr(B, T.COHESION)

    def test_sanctions_in_force_squeeze_the_militias(self):
        assert (tr(run_upkeep(with_tracks(B, sanctions=IN_FORCE)), T.ARMS)
                == tr(run_upkeep(with_tracks(B, sanctions=NO_SANCTIONS)), T.ARMS) - 1)
        # A threat alone costs nobody anything at upkeep.
        assert run_upkeep(with_tracks(B, sanctions=THREATENED)).tracks[:T.SANCTIONS] == \
            run_upkeep(with_tracks(B, sanctions=NO_SANCTIONS)).tracks[:T.SANCTIONS]

    def test_the_escalating_militias_hold_back_lethal_fire(self):
        b = with_tracks(with_pieces(with_pieces(B, S.GZONE, K_COVERT, 0), S.ASAD, K_MIL, 1), arms=6, fronts=4)
        assert decide(MIL_ESCALATE, b)[0].args[-1] == "lethal"
        deterred, step = decide(MIL_ESCALATE, with_tracks(b, sanctions=THREATENED))
        assert "lethal" not in deterred.args and step != "kill"

    def test_the_government_guards_us_sites_under_the_threat(self):
        assert decide(GOI_BALANCING, with_tracks(B, sanctions=THREATENED))[0].kind == "protect"

    def test_tougher_love_threatens_then_makes_good(self):
        b = with_tracks(B, posture=1, capital=4)
        assert decide(US_TOUGHER, b)[1] == "deter"
        lethal = attrs.evolve(with_tracks(b, sanctions=THREATENED), flags=F_LETHAL)
        assert decide(US_TOUGHER, lethal)[1] == "make-good"


class TestEvictionHasItsCosts:
    def test_implementing_costs_the_coalition_against_isis(self):
        b = with_tracks(B, withdrawal=MOTION_PASSED)
        new, _ = resolve(b, "goi:implement")
        assert tr(new, T.ISIS) == tr(b, T.ISIS) + 1 and tr(new, T.POSTURE) == SEPARATION
        assert tr(new, T.BUDGET) < tr(b, T.BUDGET) and tr(new, T.COOPERATION) == 0

    def test_the_tehran_leaning_caretaker_evicts_only_when_it_can_afford_it(self):
        passed = with_tracks(B, withdrawal=MOTION_PASSED, budget=8, isis=2, legitimacy=8)
        assert decide(GOI_TEHRAN, passed)[0].kind == "implement"
        assert decide(GOI_TEHRAN, with_tracks(passed, budget=3))[0].kind != "implement"
        assert decide(GOI_TEHRAN, with_tracks(passed, isis=5))[0].kind != "implement"
        assert decide(GOI_TEHRAN, with_tracks(passed, legitimacy=5))[0].kind != "implement"

    def test_a_new_prime_minister_stops_pressing_the_withdrawal(self):
        passed = with_tracks(B, withdrawal=MOTION_PASSED, budget=8, isis=2, government=NEW_GOVERNMENT)
        assert decide(GOI_TEHRAN, passed)[0].kind != "implement"
        quiet = with_tracks(B, motion=0, government=NEW_GOVERNMENT)
        assert decide(GOI_TEHRAN, quiet)[0].args != ("table",)
        assert decide(GOI_TEHRAN, with_tracks(quiet, government=CARETAKER))[0].args == ("table",)


class TestElectionsRelegitimise:
    def test_held_elections_raise_legitimacy_and_refresh_the_cabinet(self):
        b = with_tracks(B, electoral=4, government=NEW_GOVERNMENT, legitimacy=4)
        new, events = resolve_tier(b, "pro:elections", SUCCESS)
        assert tr(new, T.ELECTORAL) == 5 and tr(new, T.LEGITIMACY) == 7
        assert tr(new, T.BLOC_IRAN) == tr(b, T.BLOC_IRAN) - 1
        assert sum(h == LOYALIST for h in new.posts) == sum(h == LOYALIST for h in b.posts) - 1
        assert any("relegitimised" in e for e in events)

    def test_earlier_progress_does_not(self):
        b = with_tracks(B, electoral=2, legitimacy=4)
        new, _ = resolve_tier(b, "pro:elections", SUCCESS)
        assert tr(new, T.LEGITIMACY) == 4 and new.posts == b.posts


class TestSeparationSendsTroopsHome:
    def test_one_troop_a_month_leaves_under_separation(self):
        b = with_tracks(B, posture=SEPARATION)
        assert on_map(run_upkeep(b), K_US) == on_map(b, K_US) - 1
        assert on_map(run_upkeep(with_tracks(B, posture=1)), K_US) == on_map(B, K_US)

    def test_no_reinforcements_under_separation(self):
        assert refusals(with_tracks(B, posture=SEPARATION), "us:forces asad reinforce")
        assert not refusals(B, "us:forces asad reinforce")


class TestTheGovernmentStandsAside:
    def test_the_balancing_government_does_not_shield_an_empty_square(self):
        b = with_tracks(with_pieces(B, S.BASRA, K_MIL, 0), legitimacy=5, budget=0, c2=2, waiver=GRANTED,
                        government=NEW_GOVERNMENT)
        assert decide(GOI_BALANCING, b) == (decide(GOI_BALANCING, b)[0], "pass")   # stands aside
        faced = with_pieces(b, S.TAHRIR, K_MIL, 1)
        assert decide(GOI_BALANCING, faced)[0].args == ("tahrir", "protect")


class TestTheShadowStateCanWin:
    def test_deadlock_with_the_posts_held_is_worth_more_to_the_militias(self):
        held = attrs.evolve(B, posts=(LOYALIST,) * len(P))
        deadlock = with_tracks(held, government=CARETAKER)
        resolved = with_tracks(attrs.evolve(B, posts=(PROFESSIONAL,) * len(P)), government=NEW_GOVERNMENT)
        assert victory.scores(deadlock, None)["mil"].total > victory.scores(resolved, None)["mil"].total + 8


class TestAttacksOnGuestsShameTheState:
    def test_a_month_with_american_dead_is_no_quiet_month(self):
        caretaker = with_tracks(B, government=CARETAKER, budget=1, economy=2, waiver=GRANTED)
        quiet = run_upkeep(caretaker)
        bloody = run_upkeep(attrs.evolve(caretaker, flags=F_LETHAL))
        assert tr(bloody, T.LEGITIMACY) == tr(quiet, T.LEGITIMACY) - 1

    def test_a_lethal_attack_at_an_unguarded_site_costs_legitimacy(self):
        from rules.militia import rocket_attack
        from helpers import LoadedDice
        for protected, loss in ((0, 1), (1 << S.ASAD, 0)):
            b = attrs.evolve(with_pieces(B, S.ASAD, K_MIL, 1), protected=protected)
            d = LoadedDice(b, (6, 6))
            rocket_attack(d, S.ASAD, "lethal", "mil")
            new, _ = d.freeze()
            assert tr(new, T.US_CASUALTIES) == tr(b, T.US_CASUALTIES) + 1
            assert tr(new, T.LEGITIMACY) == tr(b, T.LEGITIMACY) - loss


class TestPreemptionOnlyWhenImminent:
    """The brief: preemptive strikes "only ... when attacks on U.S. facilities are imminent"."""

    def test_separation_strikes_first_only_where_cells_stand_beside_us_troops(self):
        # Separation, no attack to answer: the highway's cells threaten no base, those
        # beside the embassy and the airport do.
        b = with_tracks(B, posture=SEPARATION, capital=5)
        b = attrs.evolve(b, ousted=b.ousted | _muhandis_bit())     # the leadership strike is spent
        move, step = decide(US_SEPARATION, b)
        assert move.kind == "strike" and move.args[1] == "preemptive" and move.args[0] in ("gzone", "airport")
        assert imminent(b, S.GZONE) and imminent(b, S.AIRPORT) and not imminent(b, S.HIGHWAY)
        quiet = with_pieces(with_pieces(b, S.AIRPORT, K_MIL, 0), S.GZONE, K_MIL, 0)
        assert decide(US_SEPARATION, quiet)[0].kind != "strike"   # the highway alone is no imminent threat

    def test_tougher_love_strikes_first_when_all_three_conditions_hold(self):
        b = with_tracks(B, posture=1, capital=4, sanctions=THREATENED, waiver=CONDITIONAL)
        b = with_pieces(b, S.ASAD, K_MIL, 2)
        assert decide(US_TOUGHER, b)[1] != "preempt"   # the militias manage the airspace: no evidence
        clear = attrs.evolve(b, posts=tuple(PROFESSIONAL if p == P.AIRSPACE else h
                                            for p, h in zip(P, b.posts)))
        move, step = decide(US_TOUGHER, clear)
        assert step == "preempt" and move.args == ("asad", "preemptive")


def _muhandis_bit():
    from rules.people import PERSON_IDS, bit
    return bit(PERSON_IDS["muhandis"])


class TestTheFreeHandUnderSeparation:
    def test_separation_targets_the_militia_leaders_at_the_airport(self):
        b = with_tracks(B, posture=SEPARATION, capital=5)
        move, step = decide(US_SEPARATION, b)
        assert (move.kind, step) == ("leadership_strike", "decapitate")
        assert decide(US_SEPARATION, with_tracks(B, capital=5))[0].kind != "leadership_strike"


class TestEvictionHasItsCostsForTheCaretaker:
    def test_a_caretaker_short_of_money_does_not_table_the_withdrawal(self):
        quiet = with_tracks(B, motion=0, government=CARETAKER, budget=6)
        assert decide(GOI_TEHRAN, quiet)[0].args == ("table",)
        assert decide(GOI_TEHRAN, with_tracks(quiet, budget=2))[0].args != ("table",)


class TestCompetentEscalation:
    def test_deterred_militias_neither_kill_nor_harass(self):
        b = with_tracks(with_pieces(with_pieces(B, S.GZONE, K_COVERT, 0), S.ASAD, K_MIL, 1),
                        arms=6, fronts=4, sanctions=THREATENED, deniability=8)
        move, step = decide(MIL_ESCALATE, b)
        assert move.kind != "rockets"

    def test_exposed_militias_hold_their_fire(self):
        b = with_tracks(with_pieces(B, S.ASAD, K_MIL, 1), arms=1, fronts=4, deniability=2)
        assert decide(MIL_ESCALATE, b)[0].kind != "rockets"
        assert decide(MIL_ESCALATE, with_tracks(b, deniability=6))[0].args[-1] == "harassment"


class TestTheConfrontationalMovementHusbandsMomentum:
    def test_it_marches_only_with_momentum_to_spare(self):
        # No loyalist left to name: the march is its next step.
        clean = attrs.evolve(B, posts=(PROFESSIONAL,) * len(P))
        b = with_tracks(clean, momentum=4, government=NEW_GOVERNMENT)
        assert decide(PRO_CONFRONT, b)[0].kind != "march"
        assert decide(PRO_CONFRONT, with_tracks(b, momentum=6))[0].kind == "march"

    def test_while_no_new_government_it_keeps_the_squares_strong(self):
        # At momentum 7+ the President refuses the parties' candidate: it spends only above 7.
        clean = attrs.evolve(B, posts=(PROFESSIONAL,) * len(P))
        b = with_tracks(clean, momentum=7, government=CARETAKER)
        assert decide(PRO_CONFRONT, b)[0].kind != "march"
        assert decide(PRO_CONFRONT, with_tracks(b, momentum=8))[0].kind == "march"

    def test_it_names_the_killers_before_it_marches(self):
        b = with_tracks(B, momentum=9)
        move, step = decide(PRO_CONFRONT, b)
        assert (move.kind, step) == ("document", "name-names")


class TestTheShadowStateStallsTheNewGovernment:
    def test_militiamen_in_the_prime_ministers_office_hinder_a_nomination(self):
        from rules.government import _nominate_check
        from rules.board import PROFESSIONAL as PRO_HELD
        held = with_tracks(B, momentum=3, najaf=3)
        free = attrs.evolve(held, posts=tuple(PRO_HELD if p == P.PMO_SECURITY else h
                                              for p, h in zip(P, held.posts)))
        for candidate in ("consensus", "independent"):
            assert (_nominate_check(held, (candidate,)).net
                    == _nominate_check(free, (candidate,)).net - 1)


class TestTheGovernmentKeepsForcesForISIS:
    def test_the_balancing_caretaker_holds_its_last_command_when_isis_presses(self):
        b = with_tracks(B, government=CARETAKER, c2=2, isis=7, legitimacy=6, budget=1, waiver=GRANTED)
        assert decide(GOI_BALANCING, b)[0].kind != "nominate"
        assert decide(GOI_BALANCING, with_tracks(b, isis=3))[0].kind == "nominate"

    @settings(max_examples=30, deadline=None)
    @given(st.integers(0, 10))
    def test_the_balancing_caretaker_risks_no_nominee_on_the_brink(self, legitimacy):
        # A nominee who withdraws costs 1 legitimacy: below NOMINATE_FROM a
        # caretaker with nothing else to do (no money for services, no cells
        # facing crowds) does not stake its survival on a vote.
        from rules.board import PROTEST_SITES
        from rules.doctrine import NOMINATE_FROM
        b = with_tracks(B, government=CARETAKER, c2=4, isis=3, legitimacy=legitimacy, budget=1,
                        waiver=GRANTED, momentum=3, najaf=3)
        for s in PROTEST_SITES:
            b = with_pieces(b, s, K_MIL, 0)
        assert (decide(GOI_BALANCING, b)[0].kind == "nominate") == (legitimacy >= NOMINATE_FROM)


class TestTheStateAnswersAStrikeOnItsSoil:
    """A US strike that shames the state (no brief's conditions, the wrong group,
    a backfire, the leadership strike) may be condemned, this turn or the next:
    legitimacy +1, US political capital −2, every Shia bloc −1."""

    def _shamed(self):
        b = with_tracks(B, capital=4, c2=3, legitimacy=6)
        assert refusals(b, "goi:condemn")                     # nothing to condemn yet
        shamed, _ = resolve_tier(b, "us:strike gzone preemptive", PARTIAL)   # in the city: no conditions
        assert tr(shamed, T.LEGITIMACY) == 5
        return shamed

    def test_condemning_restores_legitimacy_and_costs_washington(self):
        shamed = self._shamed()
        assert not refusals(shamed, "goi:condemn")
        after, _ = resolve(shamed, "goi:condemn")
        assert tr(after, T.LEGITIMACY) == tr(shamed, T.LEGITIMACY) + 1
        assert tr(after, T.CAPITAL) == tr(shamed, T.CAPITAL) - 2
        assert tr(after, T.C2) == tr(shamed, T.C2) - 1
        assert all(tr(after, bloc) == max(0, tr(shamed, bloc) - 1) for bloc in SHIA_BLOCS)
        assert refusals(after, "goi:condemn")                 # once a turn

    def test_a_strike_within_the_rules_is_no_affront(self):
        attacked = attrs.evolve(with_tracks(B, capital=4), flags=F_ATTACK)
        attacked = attrs.evolve(attacked, attacks=(Attack(S.ASAD, "mil", False, True, attacked.turn),))
        hit, _ = resolve_tier(with_pieces(attacked, S.HIGHWAY, K_MIL, 2), "us:strike highway retaliatory", SUCCESS)
        assert tr(hit, T.LEGITIMACY) == tr(attacked, T.LEGITIMACY)
        assert refusals(hit, "goi:condemn")

    def test_the_leadership_strike_may_be_condemned(self):
        b = with_tracks(with_pieces(B, S.AIRPORT, K_MIL, 1), capital=4)
        struck, _ = resolve_tier(b, "us:leadership_strike muhandis", SUCCESS)
        assert not refusals(struck, "goi:condemn")

    def test_the_affront_stays_open_one_turn_unless_condemned(self):
        shamed = self._shamed()
        next_turn = attrs.evolve(run_upkeep(shamed), turn=shamed.turn + 1)
        assert not refusals(next_turn, "goi:condemn")
        later = attrs.evolve(run_upkeep(next_turn), turn=shamed.turn + 2)
        assert refusals(later, "goi:condemn")                # the moment has passed
        condemned, _ = resolve(shamed, "goi:condemn")
        assert refusals(attrs.evolve(run_upkeep(condemned), turn=shamed.turn + 1), "goi:condemn")

    def test_the_doctrines_condemn(self):
        shamed = with_tracks(self._shamed(), budget=0, waiver=GRANTED)
        assert decide(GOI_BALANCING, shamed)[1] == "condemn"
        assert decide(GOI_BALANCING, with_tracks(shamed, legitimacy=9))[1] != "condemn"   # secure: it lets it pass
        assert decide(GOI_TEHRAN, with_tracks(shamed, legitimacy=9))[1] == "condemn"

    def test_a_strike_after_the_condemnation_is_a_new_affront(self):
        condemned, _ = resolve(self._shamed(), "goi:condemn")
        condemned = with_pieces(with_tracks(condemned, capital=2), S.GZONE, K_MIL, 1)
        again, _ = resolve_tier(condemned, "us:strike gzone preemptive", PARTIAL)
        assert not refusals(again, "goi:condemn")            # this one is still unanswered
        carried = attrs.evolve(run_upkeep(again), turn=again.turn + 1)
        assert not refusals(carried, "goi:condemn")          # and stays open one more turn

    def test_backfires_and_the_wrong_group_are_affronts(self):
        attacked = attrs.evolve(with_tracks(B, capital=4), flags=F_ATTACK)
        attacked = attrs.evolve(attacked, attacks=(Attack(S.ASAD, "mil", False, True, attacked.turn),))
        attacked = with_pieces(attacked, S.HIGHWAY, K_MIL, 2)
        backfired, _ = resolve_tier(attacked, "us:strike highway retaliatory", BACKFIRE)
        assert not refusals(backfired, "goi:condemn")
        wrong = attrs.evolve(attacked, attacks=(Attack(S.ASAD, "iran", False, False, attacked.turn),))
        hit, _ = resolve_tier(wrong, "us:strike highway retaliatory", SUCCESS)
        assert tr(hit, T.LEGITIMACY) == tr(wrong, T.LEGITIMACY) - 1
        assert not refusals(hit, "goi:condemn")

    def test_a_lawful_preemptive_strike_is_judged_before_it_lands(self):
        # One cell beside US troops at Al Asad, professional airspace, outside the
        # cities: all three conditions hold, even though the strike kills the cell.
        b = with_pieces(with_tracks(B, capital=4), S.ASAD, K_MIL, 1)
        b = attrs.evolve(b, posts=tuple(PROFESSIONAL if p == P.AIRSPACE else h for p, h in zip(P, b.posts)))
        hit, _ = resolve_tier(b, "us:strike asad preemptive", SUCCESS)
        assert hit.pieces[at(S.ASAD, K_MIL)] == 0             # the strike killed the cell
        assert tr(hit, T.LEGITIMACY) == tr(b, T.LEGITIMACY)
        assert refusals(hit, "goi:condemn")

    def test_a_strike_that_costs_nothing_is_no_affront(self):
        b = with_tracks(B, capital=4, c2=3, legitimacy=0)
        hit, _ = resolve_tier(b, "us:strike gzone preemptive", PARTIAL)
        assert tr(hit, T.LEGITIMACY) == 0
        assert refusals(hit, "goi:condemn")                  # nothing to win back from a collapse
