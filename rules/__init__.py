"""The scenario *Iraq at the crossroads, January 2020*, as rule modules and data.

Importing :data:`SCENARIO` registers every move kind.  Each module's
docstring is its section of the rulebook.
"""
