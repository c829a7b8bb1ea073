"""JSON read strictly: a key given twice is an error, not "the last one wins".

Shared by the save loader and the network protocol, both of which read text
that may be hostile (an appended ``"log": []`` would otherwise empty a game).
"""

from __future__ import annotations

from typing import Any


class DuplicateKeyError(ValueError):
    """A JSON object named the same key twice (the key is the argument)."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for :func:`json.loads` that refuses duplicate keys."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKeyError(key)
        out[key] = value
    return out
