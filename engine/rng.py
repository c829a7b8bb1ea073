"""The only source of chance in the engine.

A game's randomness is a single 64-bit integer carried inside the immutable
game state.  Every draw returns the value *and* the next state, so rules stay
pure and a game is reproduced bit for bit from its seed and its moves on any
machine and Python version.  The generator is SplitMix64 (Steele, Lea and
Flood, 2014): tiny, fast in pure Python and statistically sound for dice.

Bots get their own :class:`Rng` (a mutable wrapper) so that their thinking
never disturbs the game's dice.
"""

from __future__ import annotations

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def seed_state(seed: int) -> int:
    """Turn any non-negative integer seed into a generator state.

    The seed is scrambled (twice through SplitMix64's mixer), so that
    neighbouring seeds — the game's dice and the bots in neighbouring chairs
    — start far apart in the generator's sequence instead of a few draws
    apart.
    """
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    return _mix(_mix((seed + 0x2545F4914F6CDD1D) & MASK64) ^ 0x632BE59BD9B4E019)


def next64(state: int) -> tuple[int, int]:
    """Return ``(value, new_state)`` where value is a uniform 64-bit integer."""
    state = (state + GOLDEN) & MASK64
    z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & MASK64  # _mix, inlined: the hot path
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31), state


def below(state: int, n: int) -> tuple[int, int]:
    """Return ``(k, new_state)`` with ``0 <= k < n`` (bias below 2**-58)."""
    value, state = next64(state)
    return value % n, state


class Rng:
    """A mutable, serialisable generator: for bots, shuffles and drafts.

    ``Rng(seed).state`` is a plain int; ``Rng.from_state(s)`` resumes it.
    """

    __slots__ = ("state",)

    def __init__(self, seed: int = 0) -> None:
        self.state = seed_state(seed)

    @classmethod
    def from_state(cls, state: int) -> "Rng":
        rng = cls.__new__(cls)
        rng.state = state & MASK64
        return rng

    def below(self, n: int) -> int:
        k, self.state = below(self.state, n)
        return k

    def d6(self) -> int:
        k, self.state = below(self.state, 6)
        return k + 1

    def random(self) -> float:
        value, self.state = next64(self.state)
        return (value >> 11) / float(1 << 53)

    def choice(self, seq):
        if not seq:
            raise IndexError("choice from an empty sequence")
        return seq[self.below(len(seq))]

    def shuffled(self, seq) -> list:
        items = list(seq)
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items

    def spawn(self) -> "Rng":
        """A child generator whose stream is independent of this one's."""
        value, self.state = next64(self.state)
        return Rng.from_state(value)
