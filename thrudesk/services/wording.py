"""How counts are written in what the program tells an admin, by the services and the window
alike: ``12 480 contacts``.
"""

from __future__ import annotations


def count(value: int) -> str:
    """Thousands separated with a thin space: ``12 480``."""
    return f"{value:,}".replace(",", "\u202f")


def plural(value: int, word: str, words: str | None = None, *, or_more: bool = False) -> str:
    """``3 campaigns``; with ``or_more``, a count not yet complete: ``100+ campaigns``."""
    many = or_more or value != 1
    return f"{count(value)}{'+' if or_more else ''} {(words or word + 's') if many else word}"
