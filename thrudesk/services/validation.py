"""Checks of what admins type, shared by every service: one message per kind of mistake."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone

from thrudesk.services import area_codes
from thrudesk.services.errors import InvalidInput

# Every date and the clock lie between 1 January 2000 and 31 December 2099 (DOMAIN.md "Errors").
# A moment is read in the account's or the campaign's time zone, so the bounds are the first and
# the last minute that fall within those days in every time zone, from UTC−12 to UTC+14: 12:00
# UTC on 1 January 2000 and 09:59 UTC on 31 December 2099. The services refuse any moment outside
# them; the date editors and the clock's Jump dialog offer none.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
EARLIEST = datetime.combine(FIRST_DAY, time(0, 0), timezone(timedelta(hours=-12))).astimezone(UTC)
LATEST = datetime.combine(LAST_DAY, time(23, 59), timezone(timedelta(hours=14))).astimezone(UTC)
DATES_TEXT = "between 1 January 2000 and 31 December 2099"


def moment_in_range(moment: datetime, *, field: str, label: str) -> datetime:
    """An aware ``moment`` as UTC; refused when it lies outside :data:`EARLIEST`–:data:`LATEST`.

    Compared before it is converted: a moment near the end of year 9999 cannot be.
    """
    if not EARLIEST <= moment <= LATEST:
        raise InvalidInput(f"{label} must lie {DATES_TEXT}.", field=field)
    return moment.astimezone(UTC)


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)


def clean_text(
    raw: object,
    *,
    field: str,
    label: str,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """``raw`` trimmed; refused when not text, blank (if required), too long or with controls."""
    if not isinstance(raw, str):
        raise InvalidInput(f"{label} must be text.", field=field)
    text = raw.strip()
    if required and not text:
        raise InvalidInput(f"{label} cannot be blank.", field=field)
    check = text.replace("\n", "").replace("\r", "").replace("\t", "") if multiline else text
    if _has_control_characters(check):
        raise InvalidInput(
            f"{label} contains invisible control characters; retype it without them.",
            field=field,
        )
    if len(text) > max_length:
        raise InvalidInput(
            f"{label} is {len(text)} characters long; the most is {max_length}.", field=field
        )
    return text


NUMBER_NAME_MAX = 64


def number_name(raw: str | None) -> str | None:
    """N6: a dedicated number's name is 1 to 64 characters after trimming, or no name (None)."""
    if raw is None:
        return None
    if isinstance(raw, str) and not raw.strip():
        raise InvalidInput(
            "A name needs 1 to 64 characters other than spaces; choose No name to have none.",
            field="name",
        )
    return clean_text(raw, field="name", label="The name", max_length=NUMBER_NAME_MAX)


def area_code(raw: object, *, field: str = "area_codes") -> str:
    """A known US area code: three ASCII digits in the catalogue."""
    if not isinstance(raw, str):
        raise InvalidInput("An area code is three digits, such as 206.", field=field)
    code = raw.strip()
    if len(code) != 3 or not all(ch in "0123456789" for ch in code):
        raise InvalidInput(
            f"“{code[:12]}” is not an area code: enter three digits, such as 206.", field=field
        )
    if area_codes.lookup(code) is None:
        raise InvalidInput(f"There is no US area code {code}.", field=field)
    return code


def area_code_preferences(raw: object, *, field: str = "area_codes") -> tuple[str, ...]:
    """An ordered list of 1 to 3 distinct area codes (Region 1, 2, 3)."""
    items: list[object]
    if raw is None:
        items = []
    elif isinstance(raw, str):
        items = [raw]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        raise InvalidInput("Choose the area codes from the list, in order.", field=field)
    codes = [
        area_code(item, field=field)
        for item in items
        if not (isinstance(item, str) and not item.strip())
    ]
    if not codes:
        raise InvalidInput("Choose at least one area code.", field=field)
    if len(codes) > 3:
        raise InvalidInput("Choose at most three area codes, in order of preference.", field=field)
    if len(set(codes)) != len(codes):
        raise InvalidInput("Each area code can appear once in the preferences.", field=field)
    return tuple(codes)
