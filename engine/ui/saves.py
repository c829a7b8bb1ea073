"""The window's door to save files (engine/record.py, the saves work).

Everything the window does with files goes through these few functions, so
the screens do not care how a save is written.  Until ``engine.record``
exists the window offers no saving, loading or replaying of files (a game's
own replay, from memory, still works).
"""

from __future__ import annotations

import importlib


def _record():
    try:
        return importlib.import_module("engine.record")
    except ImportError:
        return None


def available() -> bool:
    return _record() is not None


def unavailable_reason() -> str:
    return "Saving and loading need engine/record.py (the saves work), not installed yet."
