"""The turn sequence, as a ``transitions`` state machine.

The machine decides *when* things happen; the scenario's rules decide *what*.
A turn runs::

    setup -> event -> actions (each faction, in initiative order)
          -> resolution -> upkeep -> victory -> event (next turn) | game_over

A sudden death during the event or the actions (open war, a completed
withdrawal) jumps straight to the victory check, so every game ends there.
A facilitator may move any running phase to ``paused`` and back.
``game_over`` is final: nothing leaves it.

The game state is immutable, but ``transitions`` drives a mutable model.  So
one machine with one small controller lives in this module; the phase is
copied into the frozen state after each step, and the controller is set
from a state's phase before the next.  Cloning a game therefore never
builds a machine.  Each ``(phase, trigger)`` answer is remembered, which
keeps the hot path to one dictionary lookup.
"""

from __future__ import annotations

from transitions import Machine, MachineError

SETUP, EVENT, ACTIONS, RESOLUTION, UPKEEP, VICTORY, GAME_OVER, PAUSED = (
    "setup", "event", "actions", "resolution", "upkeep", "victory", "game_over", "paused")
PHASES: tuple[str, ...] = (SETUP, EVENT, ACTIONS, RESOLUTION, UPKEEP, VICTORY, GAME_OVER, PAUSED)
RUNNING: tuple[str, ...] = (EVENT, ACTIONS, RESOLUTION, UPKEEP, VICTORY)

# (trigger, source(s), destination)
TRANSITIONS: tuple[tuple[str, object, str], ...] = (
    ("begin", SETUP, EVENT),
    ("open_actions", EVENT, ACTIONS),
    ("next_faction", ACTIONS, ACTIONS),
    ("close_actions", ACTIONS, RESOLUTION),
    ("resolve", RESOLUTION, UPKEEP),
    ("upkeep_done", UPKEEP, VICTORY),
    ("next_turn", VICTORY, EVENT),
    ("sudden_death", [EVENT, ACTIONS], VICTORY),
    ("end", VICTORY, GAME_OVER),
    ("pause", list(RUNNING), PAUSED),
)


class FlowError(ValueError):
    """A trigger that the turn sequence does not allow in this phase."""


class _Controller:
    """The machine's model; holds nothing but the phase being stepped."""

    resume_to: str = EVENT

    def resuming_to(self, phase: str) -> bool:
        return self.resume_to == phase


_controller = _Controller()
_machine = Machine(
    model=_controller,
    states=list(PHASES),
    initial=SETUP,
    auto_transitions=False,
    transitions=[{"trigger": t, "source": s, "dest": d} for t, s, d in TRANSITIONS]
    + [{"trigger": "resume", "source": PAUSED, "dest": p,
        "conditions": lambda p=p: _controller.resuming_to(p)} for p in RUNNING],
)
_memo: dict[tuple[str, str, str], str] = {}


def step(phase: str, trigger: str, resume_to: str = EVENT) -> str:
    """The phase that follows ``phase`` on ``trigger``.

    ``resume_to`` matters only for ``resume``: the phase that was paused.
    Raises :class:`FlowError` when the sequence does not allow the trigger.
    """
    key = (phase, trigger, resume_to if trigger == "resume" else "")
    dest = _memo.get(key)
    if dest is not None:
        return dest
    if phase not in PHASES:
        raise FlowError(f"unknown phase {phase!r}")
    _machine.set_state(phase, model=_controller)
    _controller.resume_to = resume_to
    try:
        moved = _controller.trigger(trigger)
    except (MachineError, AttributeError):
        moved = False
    if not moved:
        raise FlowError(f"cannot {trigger} during {phase}")
    dest = _controller.state
    _memo[key] = dest
    return dest


def allowed(phase: str) -> list[str]:
    """Triggers the machine accepts in ``phase``."""
    return sorted(_machine.get_triggers(phase))
