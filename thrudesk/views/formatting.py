"""How the window writes times, durations and counts: one place, so every tab reads alike."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from thrudesk.services import wording

# Counts, spans and the words for days and months are written as the services write them.
from thrudesk.services.wording import MONTHS
from thrudesk.services.wording import count as count
from thrudesk.services.wording import duration as duration
from thrudesk.services.wording import plural as plural

EASTERN = "America/New_York"


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
    return wording.date_time(local(moment, timezone), year=year)


def short_date_time(moment: datetime | None, timezone: str) -> str:
    """``2 Mar 09:14``: dense enough for a table cell."""
    if moment is None:
        return "—"
    when = local(moment, timezone)
    return f"{when.day} {MONTHS[when.month - 1]} {when.hour:02d}:{when.minute:02d}"


def clock_time(moment: datetime, timezone: str) -> str:
    when = local(moment, timezone)
    return f"{when.hour:02d}:{when.minute:02d}"
