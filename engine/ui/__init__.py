"""The pygame window: the only package of the project that imports pygame.

Screens (menu, game, hand-over, end, replay) sit on a stack driven by
``engine.ui.app``; what they draw comes from ``Game.view(faction)`` through
the scenario's presentation (engine/display.py).
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
