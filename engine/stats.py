"""Small statistics shared by the tournament table and the policy studies."""

from __future__ import annotations

import math

Z = 1.96  # two-sided 95%


def wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    """95% Wilson score interval of ``k`` successes in ``n`` trials."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
