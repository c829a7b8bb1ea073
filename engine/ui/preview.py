"""The preview's text: for each outcome, its chance, the dice that give it and
what it changes — every line read from the rules (engine/consequences.py),
none written here."""

from __future__ import annotations

from engine.checks import TIERS
from engine.ui import theme

TIER_NAMES = {"success": "Success", "partial": "Partial success", "fail": "Failure", "backfire": "Backfire"}


def dice_text(band) -> str:
    if band is None:
        return "impossible"
    lo, hi = band
    return f"dice {lo}" if lo == hi else f"dice {lo}\u2013{hi}"


def roll_line(check) -> str:
    """The check in one line: the thresholds on the dice, not only on the total."""
    from engine.consequences import dice_bands
    bands = dice_bands(check)
    partial = bands["partial"]
    need = f"need {partial[0]}+ on the dice" if partial else (
        "success whatever the dice" if bands["success"] == (2, 12) else "no roll succeeds")
    return (f"{check.name}: roll 2d6, {check.net:+d} in modifiers, against {check.target} "
            f"\u2014 {need} (total {check.target}+)")


def rows(preview, consequences) -> list[tuple[str, object, None]]:
    """Rows for a ScrollList: each tier's header (chance, dice) then its effects; the
    modifiers and the rules' notes after them."""
    out: list[tuple[str, object, None]] = []
    check = preview.check
    if check is None:
        out.append(("No dice: this is what happens.", "header", None))
        for c in consequences:
            for line in c.lines or ("nothing visible changes",):
                out.append(("  " + line, theme.TEXT, None))
    else:
        odds = check.odds()
        for c in consequences:
            head = f"{TIER_NAMES[c.tier]} \u2014 {round(odds[c.tier] * 100)}%, {dice_text(c.dice)}"
            if c.later:
                head += " (rolled at the end of the turn)"
            out.append((head, theme.TIER_COLOURS[c.tier], None))
            if c.dice is None:
                continue   # no roll gives this outcome: nothing to tell
            for line in c.lines or ("nothing visible changes",):
                out.append(("  " + line, theme.TEXT, None))
        out.append(("Modifiers:", "dim", None))
        mods = [(f"  {m}", theme.GREEN if m.value > 0 else theme.ORANGE, None) for m in check.modifiers]
        out += mods or [("  none", "dim", None)]
    for note in preview.notes:
        out.append((note, "dim", None))
    return out


def effect_lines(preview_rows) -> list[str]:
    """The effect lines of the rows (for tests): the indented ones."""
    return [text.strip() for text, _, _ in preview_rows if text.startswith("  ")]


assert set(TIER_NAMES) == set(TIERS)
