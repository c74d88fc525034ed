"""How the window writes times, durations and counts: one place, so every tab reads alike."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

# Counts are written as the services write them in their reports.
from thrudesk.services.wording import count as count
from thrudesk.services.wording import plural as plural

EASTERN = "America/New_York"
# The window's words for days and months, written out rather than asked of strftime: the
# window speaks English whatever the system's locale, and strftime imports the time module at
# every call, which PySide6's import hook makes cost more than the formatting (a table cell
# with a date was drawn in twice the time; QUALITY.md P3).
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(zone(timezone))


def zone_abbreviation(moment: datetime, timezone: str) -> str:
    """``EST``/``EDT`` for US Eastern; the zone's own abbreviation elsewhere."""
    return local(moment, timezone).tzname() or timezone


def date_time(moment: datetime | None, timezone: str, *, year: bool = False) -> str:
    """``Mon 2 Mar, 09:14`` in ``timezone`` (with the year when asked); an em dash for none."""
    if moment is None:
        return "—"
    when = local(moment, timezone)
    text = f"{DAYS[when.weekday()]} {when.day} {MONTHS[when.month - 1]}"
    if year:
        text += f" {when.year}"
    return f"{text}, {when.hour:02d}:{when.minute:02d}"


def short_date_time(moment: datetime | None, timezone: str) -> str:
    """``2 Mar 09:14``: dense enough for a table cell."""
    if moment is None:
        return "—"
    when = local(moment, timezone)
    return f"{when.day} {MONTHS[when.month - 1]} {when.hour:02d}:{when.minute:02d}"


def clock_time(moment: datetime, timezone: str) -> str:
    when = local(moment, timezone)
    return f"{when.hour:02d}:{when.minute:02d}"


def duration(span: timedelta) -> str:
    """``45 s``, ``8 min``, ``1 h 20 min``, ``2 d 3 h``: rounded to what a person reads."""
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
