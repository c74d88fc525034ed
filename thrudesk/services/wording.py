"""How the program words what it tells an admin, in the services and the window alike: counts
(``12 480 contacts``) and the refusal of a change only admins make.
"""

from __future__ import annotations


def count(value: int) -> str:
    """Thousands separated with a thin space: ``12 480``."""
    return f"{value:,}".replace(",", "\u202f")


def plural(value: int, word: str, words: str | None = None, *, or_more: bool = False) -> str:
    """``3 campaigns``; with ``or_more``, a count not yet complete: ``100+ campaigns``."""
    many = or_more or value != 1
    return f"{count(value)}{'+' if or_more else ''} {(words or word + 's') if many else word}"


def admins_only(account_name: str, change: str) -> str:
    """A1's refusal of a change only admins make: ``Only an admin of Cascade Civic Alliance can
    delete numbers.``
    """
    return f"Only an admin of {account_name} can {change}."
