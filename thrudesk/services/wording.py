"""How the program words what it tells an admin, in the services and the window alike: counts
(``12 480 contacts``), moments (``Mon 7 Dec 2026, 06:30``) and spans (``5 h 12 min``), the
refusal of a change only admins make, and the limits of N2, N3 and U1 (said the same when a
change is refused and when the window disables it beforehand).
"""

from __future__ import annotations

from datetime import datetime, timedelta

# Days and months written out rather than asked of strftime: the program speaks English
# whatever the system's locale, and strftime imports the time module at every call, which
# PySide6's import hook makes cost more than the formatting (a table cell with a date was
# drawn in twice the time; QUALITY.md P3).
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def count(value: int) -> str:
    """Thousands separated with a thin space: ``12 480``."""
    return f"{value:,}".replace(",", "\u202f")


def plural(value: int, word: str, words: str | None = None, *, or_more: bool = False) -> str:
    """``3 campaigns``; with ``or_more``, a count not yet complete: ``100+ campaigns``."""
    many = or_more or value != 1
    return f"{count(value)}{'+' if or_more else ''} {(words or word + 's') if many else word}"


def date_time(when: datetime, *, year: bool = True) -> str:
    """``Mon 7 Dec 2026, 06:30``: a moment as read where ``when`` is (convert it first), the
    day without a leading zero; the one way the program writes a date and a time.
    """
    text = f"{DAYS[when.weekday()]} {when.day} {MONTHS[when.month - 1]}"
    if year:
        text += f" {when.year}"
    return f"{text}, {when.hour:02d}:{when.minute:02d}"


def duration(span: timedelta) -> str:
    """``45 s``, ``8 min``, ``5 h 12 min``, ``2 d 3 h``: rounded to what a person reads."""
    seconds = max(0, int(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def admins_only(account_name: str, change: str) -> str:
    """A1's refusal of a change only admins make: ``Only an admin of Cascade Civic Alliance can
    delete numbers.``
    """
    return f"Only an admin of {account_name} can {change}."


FREE_USE_CASE_SLOTS = (
    "Free slots by archiving old single-use campaigns or deleting an unused dedicated number."
)


def dedicated_numbers_full(used: int, limit: int) -> str:
    """N2: the account holds all the dedicated numbers it may."""
    return (
        f"This account already has {used} of its {limit} dedicated numbers. To free a slot, "
        "delete a dedicated number that no unarchived campaign uses."
    )


def use_case_full(name: str, used: int, limit: int) -> str:
    """N3: the use case holds all the numbers it may."""
    return f"The use case “{name}” already has {used} of its {limit} numbers. {FREE_USE_CASE_SLOTS}"


def brand_not_registered(brand_name: str, brand_status: str) -> str:
    """U1: the use case's brand is not Registered."""
    return (
        f"Numbers can be attached only once the brand “{brand_name}” is Registered; it is "
        f"{brand_status}."
    )


def use_case_not_approved(name: str, status: str) -> str:
    """U1: the use case is not Approved."""
    return (
        f"The use case “{name}” is {status}; numbers can be attached only to an Approved use case."
    )
