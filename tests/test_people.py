"""The brief's people on the board: named holders, open purges, sanctions per person."""

from __future__ import annotations

from engine.checks import SUCCESS
from helpers import refusals, resolve, resolve_tier, start_board, with_post, with_tracks
from rules import upkeep
from rules.board import COVERT, LOYALIST, PROFESSIONAL, IraqDraft, P, T
from rules.display import PRESENTATION
from rules.people import PEOPLE, PERSON_IDS, bit, holder_name, holder_text
from rules.text import status_lines

B = start_board()


def _upkeep(board):
    d = IraqDraft(board, 1)
    upkeep.upkeep(d, 1)
    return d.freeze()[0]


class TestNames:
    def test_the_brief_names_hold_their_posts_at_the_start(self):
        assert holder_name(B, P.NSA) == "Faleh al-Fayyad"
        assert holder_name(B, P.GZONE_SECURITY) == "Abu Muntadher al-Husseini"
        assert holder_name(B, P.AIRPORT) == "Ali Taqi"

    def test_the_names_show_on_the_board_and_in_the_status(self):
        shown = " ".join(holder for _, holder, _ in PRESENTATION.display(B, "us").posts)
        for name in ("Faleh al-Fayyad", "Ali Taqi", "Abu Muntadher al-Husseini"):
            assert name in shown and name in "\n".join(status_lines(B, "us"))

    def test_a_dismissed_loyalist_is_gone_for_good(self):
        board = with_tracks(B, capital=5)
        new, _ = resolve_tier(board, "us:diplomacy replace airport", SUCCESS)
        assert new.posts[P.AIRPORT] == PROFESSIONAL and new.ousted & bit(PERSON_IDS["taqi"])
        back = with_post(new, P.AIRPORT, LOYALIST)
        assert holder_name(back, P.AIRPORT) == "a loyalist successor"


class TestPurges:
    def test_the_purged_commands_start_purged_in_the_open(self):
        for post in (P.CTS, P.BAGHDAD_OPS, P.ANBAR_OPS):
            assert B.posts[post] == LOYALIST

    def test_a_purged_command_costs_command_and_control_and_the_fight_against_isis(self):
        restored = B
        for post in (P.CTS, P.BAGHDAD_OPS, P.ANBAR_OPS):
            restored = with_post(restored, post, PROFESSIONAL)
        purged, clean = _upkeep(B), _upkeep(restored)
        assert purged.tracks[T.C2] - B.tracks[T.C2] < clean.tracks[T.C2] - restored.tracks[T.C2]
        assert purged.tracks[T.ISIS] - B.tracks[T.ISIS] > clean.tracks[T.ISIS] - restored.tracks[T.ISIS]

    def test_a_covert_purge_is_not_inert(self):
        restored = with_post(B, P.CTS, PROFESSIONAL)
        covert = with_post(B, P.CTS, COVERT)
        assert _upkeep(covert).tracks[T.ISIS] > _upkeep(restored).tracks[T.ISIS]

    def test_capacity_building_restores_the_named_commander(self):
        board = with_tracks(B, capital=5)
        new, events = resolve_tier(board, "us:capacity cts", SUCCESS)
        assert new.posts[P.CTS] == PROFESSIONAL
        assert holder_name(new, P.CTS) == "Abdul-Wahab al-Saadi"
        assert "restored" in holder_text(new, P.CTS)
        assert any("Abdul-Wahab al-Saadi is restored" in e for e in events)


class TestSanctionsOnPeople:
    def test_a_person_is_sanctioned_once_and_effects_do_not_stack(self):
        board = with_tracks(B, accountability=2, capital=5, legitimacy=3)
        once, _ = resolve(board, "us:sanction fayyad magnitsky")
        assert once.sanctioned & bit(PERSON_IDS["fayyad"])
        assert any("already sanctioned" in r for r in refusals(once, "us:sanction fayyad magnitsky"))
        assert "sanctioned" in holder_text(once, P.NSA)

    def test_a_sanctioned_holder_is_forced_out_when_baghdad_can_afford_it(self):
        board = with_tracks(B, accountability=2, capital=5, legitimacy=6, cohesion=6)
        new, _ = resolve(board, "us:sanction taqi magnitsky")
        assert new.posts[P.AIRPORT] == PROFESSIONAL and new.tracks[T.C2] == board.tracks[T.C2] + 1

    def test_otherwise_he_stays_weakened(self):
        board = with_tracks(B, accountability=2, capital=5, legitimacy=3, cohesion=6, fronts=1)
        new, _ = resolve(board, "us:sanction taqi magnitsky")
        assert new.posts[P.AIRPORT] == LOYALIST
        assert any("no bank" in r for r in refusals(new, "mil:front airport"))
        assert not refusals(board, "mil:front airport")

    def test_politicians_of_the_broader_list_can_be_sanctioned(self):
        board = with_tracks(B, accountability=2, capital=5)
        new, _ = resolve(board, "us:sanction amiri magnitsky")
        assert new.tracks[T.BLOC_IRAN] == board.tracks[T.BLOC_IRAN] - 1
        # Qais al-Khazali was sanctioned in December 2019: not again.
        assert any("already sanctioned" in r for r in refusals(board, "us:sanction khazali magnitsky"))

    def test_every_sanctionable_person_has_a_name(self):
        assert all(p.name and p.role for p in PEOPLE)


class TestParliament:
    def _vote(self, board, dice=6):
        from rules import parliament
        d = IraqDraft(board, 0)
        d.d6 = lambda: dice
        parliament.hold_vote(d)
        return d.freeze()[0], [line.text for line in d.lines]

    def test_expulsion_usually_fails_at_january_2020s_inclinations(self):
        from rules.parliament import inclinations, pass_chance
        assert pass_chance(inclinations(B)) < 0.5

    def test_the_speaker_defers_a_pressed_motion_unless_his_hand_is_forced(self):
        from rules.board import F_STRIKE
        pressed = with_tracks(B, motion=2, escalation=4)
        deferred, lines = self._vote(pressed)
        assert deferred.tracks[T.MOTION] == 1 and deferred.tracks[T.WITHDRAWAL] == 0
        assert any("Halbousi defers" in t for t in lines)
        import attrs
        forced, lines = self._vote(attrs.evolve(pressed, flags=pressed.flags | F_STRIKE))
        assert forced.tracks[T.MOTION] == 0 and any("votes on withdrawing" in t for t in lines)

    def test_a_government_motion_is_voted_at_once(self):
        voted, _ = self._vote(with_tracks(B, motion=1))
        assert voted.tracks[T.MOTION] == 0


class TestDecisionsAreMoves:
    def test_the_airport_strike_is_a_us_move_with_its_costs(self):
        board = with_tracks(B, capital=5)
        new, events = resolve_tier(board, "us:leadership_strike muhandis", SUCCESS)
        assert new.ousted & bit(PERSON_IDS["muhandis"])
        assert new.tracks[T.BLOC_IRAN] == board.tracks[T.BLOC_IRAN] + 1
        assert new.tracks[T.COHESION] < board.tracks[T.COHESION]
        assert any(a.by == "iran" and a.attributed for a in new.attacks)  # Iran answers
        assert any("already dead" in r for r in refusals(new, "us:leadership_strike muhandis"))

    def test_after_the_strike_a_vote_is_likelier_to_pass_than_not(self):
        from rules.parliament import inclinations, pass_chance
        new, _ = resolve_tier(with_tracks(B, capital=5), "us:leadership_strike muhandis", SUCCESS)
        assert pass_chance(inclinations(new)) > 0.5 > pass_chance(inclinations(B))

    def test_president_salih_refuses_a_party_candidate_the_squares_reject(self):
        assert any("Salih refuses" in r for r in refusals(with_tracks(B, momentum=7), "goi:nominate consensus"))
        assert not refusals(with_tracks(B, momentum=3, najaf=5), "goi:nominate consensus")


class TestPartners:
    def test_the_five_partners_start_in_the_coalition(self):
        from rules import partners
        assert partners.present(B) == ["Australia", "Britain", "Canada", "France", "Italy"]

    def test_separation_takes_every_partner_out(self):
        board, _ = resolve(B, "us:posture tougher_love")
        new, events = resolve(board, "us:posture separation")
        assert new.partners == 0 and any("partners leave" in e for e in events)
        assert refusals(with_tracks(new, capital=5, cooperation=1), "us:capacity cts")

    def test_a_divided_coalition_loses_partners_one_by_one(self):
        from rules import partners
        low = _upkeep(with_tracks(B, cohesion=1))
        assert partners.count(low) == 4 and "Canada" not in partners.present(low)

    def test_britain_is_needed_to_designate(self):
        import attrs
        from rules import partners
        gone = attrs.evolve(B, partners=partners.ALL & ~(1 << partners.BRITAIN))
        assert any("Britain" in r for r in refusals(with_tracks(gone, capital=5), "us:diplomacy designate kh"))

    def test_israel_strikes_the_highway_under_separation(self):
        from helpers import LoadedDice
        board = with_tracks(B, posture=2, cooperation=0)
        d = LoadedDice(board, [1] * 20)
        upkeep.upkeep(d, 1)
        new = d.freeze()[0]
        assert any("Israeli aircraft" in line.text for line in d.lines)
        from rules.board import K_MIL, S, count
        assert count(new, S.HIGHWAY, K_MIL) == count(board, S.HIGHWAY, K_MIL) - 1
