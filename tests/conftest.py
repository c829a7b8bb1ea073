"""Shared test set-up: headless SDL, hypothesis profiles, board builders."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
# Games played by the tests (and their subprocesses) autosave here, not in saves/.
os.environ.setdefault("CROSSROADS_SAVES", tempfile.mkdtemp(prefix="crossroads-test-saves-"))

from hypothesis import HealthCheck, settings  # noqa: E402

# CI runs every property with at least 200 examples; HYPOTHESIS_PROFILE=dev is quicker.
settings.register_profile("ci", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
