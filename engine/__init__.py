"""Crossroads engine: generic, deterministic machinery for turn-based wargames.

Nothing in this package knows about a particular scenario; a scenario (see
``rules/``) plugs in through :class:`engine.game.Scenario`.
"""

ENGINE_VERSION = "0.1.0"
