"""Research interfaces: the scenario as a PettingZoo environment and an OpenSpiel game.

``engine.envs.encoding`` (pure, numpy only) numbers every move of the
scenario and turns a faction's view into a flat vector; ``engine.envs.pz``
(PettingZoo) and ``engine.envs.spiel`` (OpenSpiel) wrap a
:class:`~engine.game.Game` with it.  The last two need the optional extra
``pip install -e ".[rl]"``; the game itself never imports them.

``python -m engine.envs`` prints the action table and the observation layout
of the installed rules.
"""
