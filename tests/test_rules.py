"""Each rule module: every move kind's legality and effect, upkeep, victory.

Boards are built from the scenario's setup, changed where a test needs it,
and moves are resolved with loaded dice so each outcome tier is pinned.
"""

from __future__ import annotations

import pytest

from engine.checks import BACKFIRE, FAIL, PARTIAL, SUCCESS
from helpers import (refusals, resolve, resolve_tier, start_board, with_pieces, with_post,
                     with_tracks)
from rules import parliament, upkeep, victory
from rules.board import (COVERT, F_ATTACK, F_LETHAL, F_PROTECTED, K_COVERT, K_GOI, K_MIL, K_PRO,
                         K_US, LOYALIST, PROFESSIONAL, Attack, IraqDraft, P, S, T, at, count)
from rules.kinds import REGISTRY

B = start_board()


def tr(board, track):
    return board.tracks[track]


def with_attack(board, space, by="mil", lethal=True, attributed=False, turn=0):
    import attrs
    return attrs.evolve(board, attacks=board.attacks + (Attack(space, by, lethal, attributed, turn),),
                        flags=board.flags | F_ATTACK | (F_LETHAL if lethal else 0))


class TestRegistry:
    def test_minimum_kinds_per_faction(self):
        counts = {f: len([k for k in REGISTRY.kinds(f) if k.name != "pass"]) for f in REGISTRY.factions}
        assert counts["us"] >= 9 and counts["goi"] >= 7 and counts["mil"] >= 7 and counts["pro"] >= 6

    def test_legal_moves_are_exactly_the_unrefused_domain(self):
        for faction in REGISTRY.factions:
            legal = set(REGISTRY.legal(B, faction))
            for kind in REGISTRY.kinds(faction):
                for args in kind.domain:
                    from engine.moves import Move
                    move = Move(faction, kind.name, args)
                    assert (move in legal) == (not REGISTRY.refusals(B, move)), move

    def test_unknown_arguments_refused_with_usage(self):
        reasons = refusals(B, "us:strike mars retaliatory")
        assert reasons and "usage" in reasons[0]


class TestStrikes:
    def test_retaliation_needs_an_attack(self):
        board = with_tracks(B, capital=3)
        assert any("retaliate" in r for r in refusals(board, "us:strike highway retaliatory"))
        board = with_attack(board, S.K1)
        assert not refusals(board, "us:strike highway retaliatory")

    def test_needs_visible_cells_and_capital(self):
        assert any("no militia cells" in r for r in refusals(B, "us:strike najaf preemptive"))
        assert any("political capital" in r
                   for r in refusals(with_tracks(B, capital=0), "us:strike highway preemptive"))

    def test_successful_strike_removes_cells_and_escalates(self):
        board, _ = resolve_tier(B, "us:strike highway preemptive", SUCCESS)
        assert count(board, S.HIGHWAY, K_MIL) == count(B, S.HIGHWAY, K_MIL) - 2
        assert tr(board, T.ARMS) == tr(B, T.ARMS) - 2
        assert tr(board, T.ESCALATION) == tr(B, T.ESCALATION) + 1
        assert tr(board, T.CAPITAL) == tr(B, T.CAPITAL) - 1

    def test_preemptive_without_conditions_costs_legitimacy_and_cohesion(self):
        # At the start the militias manage the airspace: no evidence, so the conditions fail.
        board, events = resolve_tier(B, "us:strike highway preemptive", FAIL)
        assert tr(board, T.LEGITIMACY) == tr(B, T.LEGITIMACY) - 1
        assert tr(board, T.COHESION) == tr(B, T.COHESION) - 2
        assert tr(board, T.BLOC_SADR) == tr(B, T.BLOC_SADR) + 1
        assert any("lacks its conditions" in e for e in events)

    def test_preemptive_with_all_conditions_is_legitimate(self):
        board = with_post(B, P.AIRSPACE, PROFESSIONAL)
        board = with_pieces(board, S.ASAD, K_MIL, 1)          # imminent: cells where US troops are
        new, events = resolve_tier(board, "us:strike asad preemptive", FAIL)
        assert tr(new, T.LEGITIMACY) == tr(board, T.LEGITIMACY)
        assert tr(new, T.COHESION) == tr(board, T.COHESION)
        assert not any("lacks" in e for e in events)

    def test_imminence_is_counted_at_the_target(self):
        # Cells beside the troops at Al Asad make no attack from the highway imminent:
        # a preemptive strike on the highway still lacks its conditions (issue 14).
        board = with_post(B, P.AIRSPACE, PROFESSIONAL)
        board = with_pieces(board, S.ASAD, K_MIL, 1)
        new, events = resolve_tier(board, "us:strike highway preemptive", FAIL)
        assert tr(new, T.COHESION) == tr(board, T.COHESION) - 2
        assert any("imminent" in e for e in events if "lacks" in e)

    def test_urban_target_is_harder_and_a_backfire_kills_civilians(self):
        check = REGISTRY.kind("us", "strike").preview(B, ("gzone", "retaliatory")).check
        assert any(m.value == -2 and "populated" in m.reason for m in check.modifiers)
        board = with_attack(B, S.GZONE)
        new, events = resolve(board, "us:strike gzone retaliatory", (1, 1))
        assert any("Civilians" in e for e in events)
        assert tr(new, T.LEGITIMACY) == tr(board, T.LEGITIMACY) - 1

    def test_retaliating_for_someone_elses_attack_hits_the_wrong_group(self):
        board = with_attack(B, S.ASAD, by="isis", lethal=False)
        new, events = resolve_tier(board, "us:strike highway retaliatory", FAIL)
        assert any("wrong group" in e for e in events)
        assert tr(new, T.COHESION) == tr(board, T.COHESION) - 1

    def test_attribution_reveals_the_attacker(self):
        board = with_attack(B, S.K1)
        assert any("no unattributed" in r for r in refusals(B, "us:attribute k1"))
        new, events = resolve_tier(board, "us:attribute k1", SUCCESS)
        assert new.attacks[-1].attributed and tr(new, T.DENIABILITY) == tr(board, T.DENIABILITY) - 1
        assert any("attributed to: mil" in e for e in events)
        same, _ = resolve_tier(board, "us:attribute k1", FAIL)
        assert not same.attacks[-1].attributed


class TestSanctions:
    def test_targeted_sanction_needs_a_person_in_post_and_grounds(self):
        board = with_post(with_tracks(B, accountability=2), P.NSA, PROFESSIONAL)
        assert any("holds no post" in r for r in refusals(board, "us:sanction fayyad magnitsky"))
        assert any("Magnitsky needs" in r for r in refusals(B, "us:sanction fayyad magnitsky"))
        assert any("counter-terrorism" in r for r in refusals(B, "us:sanction fayyad ct"))
        board = with_tracks(B, accountability=2)
        new, _ = resolve(board, "us:sanction fayyad magnitsky")
        assert tr(new, T.ARMS) == tr(board, T.ARMS) - 1
        assert tr(new, T.ACCOUNTABILITY) == 3 and tr(new, T.SUPPORT) == tr(board, T.SUPPORT) + 1

    def test_broad_sanctions_without_provocation_split_the_coalition(self):
        new, events = resolve(B, "us:broad_sanctions impose")
        assert tr(new, T.SANCTIONS) == 1 and tr(new, T.ECONOMY) == tr(B, T.ECONOMY) - 2
        assert tr(new, T.COHESION) == tr(B, T.COHESION) - 2
        assert refusals(new, "us:broad_sanctions impose")
        lifted, _ = resolve(new, "us:broad_sanctions lift")
        assert tr(lifted, T.SANCTIONS) == 0

    def test_broad_sanctions_after_a_lethal_attack_keep_the_coalition(self):
        board = with_attack(B, S.K1, lethal=True)
        new, _ = resolve(board, "us:broad_sanctions impose")
        assert tr(new, T.COHESION) == tr(board, T.COHESION)


class TestWaivers:
    def test_waiver_decisions(self):
        assert refusals(B, "us:waiver granted")
        new, _ = resolve(B, "us:waiver withheld")
        assert tr(new, T.WAIVER) == 0 and tr(new, T.BUDGET) == tr(B, T.BUDGET) - 1

    def test_request_waiver_helped_by_protection(self):
        board = with_tracks(B, waiver=0)
        import attrs
        protected = attrs.evolve(board, flags=board.flags | F_PROTECTED)
        check = REGISTRY.kind("goi", "request_waiver").preview(protected, ()).check
        assert any(m.value == 2 for m in check.modifiers)
        new, _ = resolve_tier(board, "goi:request_waiver", SUCCESS)
        assert tr(new, T.WAIVER) == 2
        worse, _ = resolve_tier(with_tracks(B, waiver=1), "goi:request_waiver", BACKFIRE)
        assert tr(worse, T.WAIVER) == 0
        assert refusals(B, "goi:request_waiver")  # already granted


class TestWithdrawal:
    def test_motion_table_vote_and_implementation(self):
        board, _ = resolve(B, "goi:vote table")
        assert tr(board, T.MOTION) == 1
        assert refusals(board, "goi:vote table")
        draft = IraqDraft(with_tracks(board, bloc_iran=4, bloc_sadr=4, bloc_moderate=4, bloc_kurd=4,
                                      bloc_sunni=4), 0)
        draft.d6 = lambda: 6
        parliament.hold_vote(draft)
        passed, _ = draft.freeze()
        assert tr(passed, T.WITHDRAWAL) == 1 and tr(passed, T.MOTION) == 0
        ordered, events = resolve(passed, "goi:implement")
        assert tr(ordered, T.WITHDRAWAL) == 2 and tr(ordered, T.POSTURE) == 2
        assert tr(ordered, T.COOPERATION) == 0

    def test_boycott_breaks_quorum(self):
        yes, present, passed = parliament.count_votes((4, 4, 0, 0, 0), (6, 6, 4, 4, 4))
        assert yes == 149 and present == 149 and not passed
        yes, present, passed = parliament.count_votes((4, 4, 0, 0, 0), (6, 6, 1, 4, 4))
        assert present == 210 and passed

    def test_pass_chance_grows_with_inclination(self):
        assert parliament.pass_chance((0, 0, 0, 0, 0)) < parliament.pass_chance((4, 4, 2, 0, 1)) \
            < parliament.pass_chance((4, 4, 4, 4, 4))

    def test_failed_vote_counts(self):
        draft = IraqDraft(with_tracks(B, motion=1, bloc_iran=0, bloc_sadr=0), 0)
        draft.d6 = lambda: 1
        parliament.hold_vote(draft)
        board, _ = draft.freeze()
        assert tr(board, T.MOTIONS_FAILED) == tr(B, T.MOTIONS_FAILED) + 1 and tr(board, T.WITHDRAWAL) == 0

    def test_lobbying_can_table_a_motion(self):
        new, events = resolve_tier(B, "mil:lobby", SUCCESS)
        assert tr(new, T.MOTION) == 2 and tr(new, T.BLOC_IRAN) == tr(B, T.BLOC_IRAN) + 1  # awaits the Speaker

    def test_separation_has_the_briefs_consequences(self):
        board, _ = resolve(B, "us:posture tougher_love")
        new, events = resolve(board, "us:posture separation")
        assert tr(new, T.POSTURE) == 2
        assert tr(new, T.COHESION) == tr(board, T.COHESION) - 4       # partners leave
        assert tr(new, T.COOPERATION) == 0                            # cooperation against ISIS ends
        assert tr(new, T.ECONOMY) == tr(board, T.ECONOMY) - 2         # dollar access ends
        assert tr(new, T.BUDGET) == tr(board, T.BUDGET) - 2
        # ...and military and sanctions options widen:
        check = REGISTRY.kind("us", "strike").preview(new, ("highway", "preemptive")).check
        assert any(m.value == 2 and "free-fire" in m.reason for m in check.modifiers)
        assert REGISTRY.kind("us", "broad_sanctions").preview(new, ("impose",)).cost.startswith("1 ")
        assert refusals(new, "us:capacity cts")                      # no capacity building
        assert refusals(new, "us:suspend resume")

    def test_posture_moves_one_step(self):
        assert any("one step" in r for r in refusals(B, "us:posture separation"))

    def test_forces(self):
        new, _ = resolve(B, "us:forces taji reinforce")
        assert count(new, S.TAJI, K_US) == 1 and new.pool[0] == B.pool[0] - 1
        assert refusals(new, "us:forces taji reinforce")  # pool empty now
        back, _ = resolve(new, "us:forces taji withdraw")
        assert back.pool == B.pool
        assert refusals(with_tracks(B, withdrawal=2), "us:forces taji reinforce")

    def test_suspend_cooperation(self):
        new, _ = resolve(B, "us:suspend security")
        assert tr(new, T.COOPERATION) == 0 and tr(new, T.ISIS) == tr(B, T.ISIS) + 1
        again, _ = resolve(new, "us:suspend resume")
        assert tr(again, T.COOPERATION) == 1


class TestPosts:
    def test_appoint_professional_and_loyalist(self):
        new, _ = resolve_tier(B, "goi:appoint gzone_security professional", SUCCESS)
        assert new.posts[P.GZONE_SECURITY] == PROFESSIONAL
        restored = with_post(B, P.BAGHDAD_OPS, PROFESSIONAL)
        loyal, _ = resolve(restored, "goi:appoint baghdad_ops loyalist")
        assert loyal.posts[P.BAGHDAD_OPS] == LOYALIST and tr(loyal, T.BUDGET) == tr(B, T.BUDGET) + 1
        assert refusals(restored, "goi:appoint baghdad_ops professional")

    def test_covert_posts_cannot_be_targeted_by_others(self):
        # CTS held covertly: to the government it looks professional.
        assert refusals(with_post(B, P.CTS, COVERT), "goi:appoint cts professional")
        assert refusals(B, "us:diplomacy replace gzone_security") == []

    def test_diplomacy(self):
        new, _ = resolve_tier(B, "us:diplomacy replace airport", PARTIAL)
        assert new.posts[P.AIRPORT] == PROFESSIONAL and tr(new, T.LEGITIMACY) == tr(B, T.LEGITIMACY) - 1
        designated, _ = resolve_tier(B, "us:diplomacy designate kh", SUCCESS)
        assert tr(designated, T.DESIGNATION) == 1
        assert refusals(designated, "us:diplomacy designate kh")

    def test_capacity_building_restores_a_purged_commander(self):
        new, events = resolve_tier(B, "us:capacity cts", SUCCESS)
        assert new.posts[P.CTS] == PROFESSIONAL and any("restored" in e for e in events)
        unmasked, _ = resolve_tier(with_post(B, P.ANBAR_OPS, COVERT), "us:capacity anbar_ops", PARTIAL)
        assert unmasked.posts[P.ANBAR_OPS] == LOYALIST

    def test_takeover_purge_front(self):
        board = with_post(B, P.AIRPORT, PROFESSIONAL)
        new, _ = resolve_tier(board, "mil:takeover airport", SUCCESS)
        assert new.posts[P.AIRPORT] == LOYALIST
        assert refusals(B, "mil:takeover airport")  # already held
        purged, _ = resolve_tier(with_post(B, P.BAGHDAD_OPS, PROFESSIONAL), "mil:purge baghdad_ops", SUCCESS)
        assert purged.posts[P.BAGHDAD_OPS] == COVERT
        front, _ = resolve(B, "mil:front airport")
        assert tr(front, T.FRONTS) == tr(B, T.FRONTS) + 1
        assert refusals(with_post(B, P.BORDER, PROFESSIONAL), "mil:front border")


class TestMilitia:
    def resolve_orders(self, board, dice):
        from helpers import LoadedDice
        draft = LoadedDice(board, dice)
        upkeep.resolution(draft)
        return draft.freeze()[0], draft.lines

    def test_rockets_are_an_order_that_lands_at_resolution(self):
        ordered, _ = resolve(B, "mil:rockets k1 lethal")
        assert ordered.orders == ((S.K1, "lethal"),)
        assert tr(ordered, T.ARMS) == tr(B, T.ARMS) - 2
        assert tr(ordered, T.US_CASUALTIES) == tr(B, T.US_CASUALTIES)  # nothing has happened yet
        new, lines = self.resolve_orders(ordered, [6, 6, 1])          # success; no leak (1)
        assert new.orders == ()
        assert tr(new, T.US_CASUALTIES) == tr(B, T.US_CASUALTIES) + 1
        assert count(new, S.K1, K_US) == count(B, S.K1, K_US) - 1
        attack = new.attacks[-1]
        assert attack.by == "mil" and not attack.attributed and attack.lethal
        public = [line.text for line in lines if line.audience is None]
        assert any("attacker is unknown" in t for t in public)
        assert not any("rolled" in t for t in public)  # the roll and its modifiers stay secret

    def test_the_others_read_only_a_covert_action(self):
        from helpers import game_at
        game = game_at(B, "mil")
        game.apply(game.parse("mil:rockets k1 lethal"))
        assert any("k1" in line for line in game.events_for("mil"))
        for faction in ("us", "goi", "pro"):
            text = "\n".join(game.events_for(faction))
            assert "covert action" in text and "k1" not in text and "rockets" not in text.lower()
        assert game.view("us").board.orders == ()
        assert game.view("mil").board.orders == ((S.K1, "lethal"),)

    def test_rockets_need_cells_and_targets(self):
        assert any("no US troops" in r for r in refusals(B, "mil:rockets taji harassment"))
        assert any("no militia cell" in r for r in refusals(B, "mil:rockets erbil harassment"))

    def test_protection_makes_rockets_harder(self):
        import attrs
        board = attrs.evolve(B, protected=1 << S.K1)
        check = REGISTRY.kind("mil", "rockets").preview(board, ("k1", "lethal")).check
        assert any(m.value == -2 for m in check.modifiers)

    def test_backfire_exposes_a_covert_cell(self):
        ordered, _ = resolve(B, "mil:rockets k1 harassment")
        new, _ = self.resolve_orders(ordered, [1, 1, 1])
        assert count(new, S.K1, K_COVERT) == 0 and count(new, S.K1, K_MIL) == 1
        assert tr(new, T.DENIABILITY) == tr(B, T.DENIABILITY) - 1

    def test_storm_the_embassy(self):
        new, events = resolve_tier(B, "mil:storm gzone", SUCCESS)
        assert new.attacks[-1].attributed
        assert count(new, S.GZONE, K_COVERT) == 0
        assert tr(new, T.ESCALATION) == tr(B, T.ESCALATION) + 2
        assert refusals(with_pieces(with_pieces(B, S.GZONE, K_MIL, 0), S.GZONE, K_COVERT, 0),
                        "mil:storm gzone")

    def test_suppress_and_recruit(self):
        board = with_pieces(B, S.TAHRIR, K_MIL, 1)
        new, _ = resolve_tier(board, "mil:suppress tahrir", SUCCESS)
        assert count(new, S.TAHRIR, K_PRO) == count(board, S.TAHRIR, K_PRO) - 2
        assert tr(new, T.PRO_CASUALTIES) == tr(board, T.PRO_CASUALTIES) + 1
        recruited, _ = resolve(B, "mil:recruit najaf covert")
        assert count(recruited, S.NAJAF, K_COVERT) == 2


class TestGovernment:
    def test_protect_facility(self):
        new, _ = resolve(B, "goi:protect k1")
        assert new.protected >> S.K1 & 1 and count(new, S.K1, K_GOI) == 1
        assert refusals(new, "goi:protect k1")

    def test_crackdown_massacre_and_protection(self):
        new, events = resolve_tier(B, "goi:crowds tahrir crackdown", BACKFIRE)
        assert tr(new, T.PRO_CASUALTIES) == tr(B, T.PRO_CASUALTIES) + 2
        assert tr(new, T.LEGITIMACY) == tr(B, T.LEGITIMACY) - 2
        # Shielding crowds that militia cells face earns legitimacy; an empty square earns nothing.
        faced = with_pieces(B, S.TAHRIR, K_MIL, 1)
        shield, _ = resolve(faced, "goi:crowds tahrir protect")
        assert shield.protected >> S.TAHRIR & 1 and tr(shield, T.LEGITIMACY) == tr(B, T.LEGITIMACY) + 1
        idle, _ = resolve(B, "goi:crowds tahrir protect")
        assert idle.protected >> S.TAHRIR & 1 and tr(idle, T.LEGITIMACY) == tr(B, T.LEGITIMACY)

    def test_reform_and_nomination(self):
        new, _ = resolve(B, "goi:reform services")
        assert tr(new, T.LEGITIMACY) == tr(B, T.LEGITIMACY) + 1 and tr(new, T.BUDGET) == tr(B, T.BUDGET) - 2
        nominee, _ = resolve_tier(B, "goi:nominate consensus", PARTIAL)
        assert tr(nominee, T.GOVERNMENT) == 1
        # (with militiamen guarding the PM's office and 5+ posts, no independent is confirmed)
        nominee = with_post(nominee, P.PMO_SECURITY, PROFESSIONAL)
        confirmed, events = resolve_tier(nominee, "goi:nominate independent", SUCCESS)
        assert tr(confirmed, T.GOVERNMENT) == 2 and any("confirms" in e for e in events)
        assert refusals(confirmed, "goi:nominate consensus")

    def test_us_electoral_support_has_a_ceiling(self):
        new, _ = resolve_tier(B, "us:elections", SUCCESS)
        assert tr(new, T.ELECTORAL) == tr(B, T.ELECTORAL) + 1
        assert refusals(with_tracks(B, electoral=3), "us:elections")


class TestProtests:
    def test_protest_sitin_march(self):
        new, _ = resolve_tier(B, "pro:protest parliament", SUCCESS)
        assert count(new, S.PARLIAMENT, K_PRO) == 2
        sat, _ = resolve(B, "pro:sitin tahrir")
        assert sat.sitins >> S.TAHRIR & 1
        assert refusals(sat, "pro:sitin tahrir")
        marched, _ = resolve_tier(B, "pro:march parliament", SUCCESS)
        assert count(marched, S.PARLIAMENT, K_PRO) == 2 and count(marched, S.TAHRIR, K_PRO) == 1

    def test_general_strike_najaf_elections(self):
        strike, _ = resolve(B, "pro:general_strike")
        assert tr(strike, T.BUDGET) == tr(B, T.BUDGET) - 2
        assert refusals(with_tracks(B, support=4), "pro:general_strike")
        najaf, _ = resolve_tier(B, "pro:najaf", SUCCESS)
        assert tr(najaf, T.NAJAF) == tr(B, T.NAJAF) + 2
        demanded, _ = resolve_tier(B, "pro:elections", SUCCESS)
        assert tr(demanded, T.ELECTORAL) == tr(B, T.ELECTORAL) + 1
        assert refusals(with_tracks(B, electoral=4), "pro:elections")  # needs a new government

    def test_documenting_unmasks_a_covert_loyalist(self):
        new, events = resolve_tier(B, "pro:document cts", SUCCESS)
        assert new.posts[P.CTS] == LOYALIST and tr(new, T.ACCOUNTABILITY) == tr(B, T.ACCOUNTABILITY) + 1


class TestUpkeep:
    def run(self, board, dice=6):
        draft = IraqDraft(board, 0)
        draft.d6 = lambda: dice
        upkeep.upkeep(draft, board.turn)
        return draft.freeze()[0]

    def test_withheld_waiver_brings_blackouts(self):
        board = with_tracks(B, waiver=0)
        new = self.run(board)
        normal = self.run(B)
        # Scenario version 5: the bill is political (legitimacy, the street,
        # the coalition), not a budget line that bankrupts the partner.
        assert tr(new, T.BUDGET) == tr(normal, T.BUDGET)
        assert tr(new, T.LEGITIMACY) == tr(normal, T.LEGITIMACY) - 1
        assert tr(new, T.MOMENTUM) > tr(normal, T.MOMENTUM)
        assert tr(new, T.COHESION) == tr(normal, T.COHESION) - 1

    def test_deniability_grows_only_in_a_month_without_militia_attacks(self):
        quiet = self.run(B)
        assert tr(quiet, T.DENIABILITY) == tr(B, T.DENIABILITY) + 1
        # An attack nobody pinned on them still stops deniability growing.
        hidden = with_attack(B, 0, lethal=False, turn=B.turn)
        assert tr(self.run(hidden), T.DENIABILITY) == tr(B, T.DENIABILITY)

    def test_ordered_withdrawal_completes(self):
        board = with_tracks(B, withdrawal=2)
        for _ in range(6):
            board = self.run(board)
        assert tr(board, T.WITHDRAWAL) == 3
        assert sum(board.pieces[at(s, K_US)] for s in S) == 0

    def test_isis_grows_without_cooperation(self):
        new = self.run(with_tracks(B, cooperation=0))
        assert tr(new, T.ISIS) == tr(B, T.ISIS) + 1

    def test_attack_markers_age_out(self):
        import attrs
        board = attrs.evolve(with_attack(B, S.K1, turn=1), turn=3)
        assert self.run(board).attacks == ()


class TestVictory:
    @pytest.mark.parametrize("tracks,end_of_turn,expected", [
        ({"escalation": 10}, False, "war"),
        ({"legitimacy": 0}, False, None),
        ({"legitimacy": 0}, True, "collapse"),
        ({"withdrawal": 3}, False, "withdrawal"),
        ({}, True, None),
    ])
    def test_sudden_death(self, tracks, end_of_turn, expected):
        assert victory.sudden_death(with_tracks(B, **tracks), end_of_turn) == expected

    def test_scores_are_explained(self):
        scores = victory.scores(B, None)
        for score in scores.values():
            assert score.total == sum(p for _, p in score.breakdown)
            assert all(label for label, _ in score.breakdown)
        war = victory.scores(B, "war")
        assert war["us"].total == scores["us"].total + victory.SUDDEN_DEATH["war"]["us"]

    def test_collapse_ends_the_game_at_the_victory_check(self):
        from helpers import game_at
        game = game_at(with_post(with_tracks(B, legitimacy=1), P.BAGHDAD_OPS, PROFESSIONAL), "goi",
                       actions=1)
        game.apply(game.parse("goi:appoint baghdad_ops loyalist"))  # legitimacy -> 0
        # The other factions still act; the game ends at this turn's victory check
        # unless upkeep restores legitimacy.
        assert not game.is_over()


class TestRulebook:
    def test_docs_rules_md_is_current(self):
        from pathlib import Path

        from rules.rulebook import render
        path = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
        assert path.read_text(encoding="utf-8") == render(), \
            "docs/rules.md is stale: run python -m rules.rulebook > docs/rules.md"
