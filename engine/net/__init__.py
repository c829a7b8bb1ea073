"""Multiplayer training exercises: an authoritative server and its clients.

Teams play from separate rooms, each seeing only what its faction would
know; a facilitator (the *white cell*) runs the clock, injects events and
reviews adjudications; spectators watch what the white cell shows them.

* :mod:`engine.net.protocol` — the JSON messages and their strict checks;
* :mod:`engine.net.fog` — the one function that builds what a connection sees;
* :mod:`engine.net.referee` — the exercise's rules of play, without I/O:
  who may act when, sealed orders, reviews, the schedule of injects;
* :mod:`engine.net.journal` — the autosave and the host's private token file;
* :mod:`engine.net.server` — the asyncio/websockets server;
* :mod:`engine.net.client` — the asyncio client used by bots, tests and the
  terminal (``join --headless``).

This package is a front end: it may do I/O and read the clock.  The game
itself is changed only through :class:`engine.game.Game` and the log
entries of :mod:`engine.whitecell`, so a recorded exercise replays exactly.
"""
