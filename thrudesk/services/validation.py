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


# Invisible characters: controls (C0 and C1), formats (joiners, bidi overrides and isolates, tags),
# surrogates, private use and unassigned code points.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_JOINER = "\u200d"  # ZERO WIDTH JOINER: joins emoji into one (👨‍👩‍👧, 🧑‍💻)
_VARIATIONS = frozenset("\ufe0e\ufe0f")  # text and emoji presentation (❤︎, ❤️)
_TAG_FLAG = "\U0001f3f4"  # WAVING BLACK FLAG: tags after it name a subdivision (Scotland's flag)
_TAGS = range(0xE0020, 0xE007F)
_CANCEL_TAG = "\U000e007f"


def _is_emoji(ch: str) -> bool:
    """A pictograph (a symbol) or a skin-tone modifier: what joiners may join."""
    return unicodedata.category(ch) == "So" or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _joins_emoji(text: str, at: int) -> bool:
    """Whether the joiner at ``at`` sits between two emoji (the first maybe with its variation
    selector), as in a family or a profession emoji.
    """
    before = at - 1
    if before >= 0 and text[before] in _VARIATIONS:
        before -= 1
    return (
        before >= 0 and at + 1 < len(text) and _is_emoji(text[before]) and _is_emoji(text[at + 1])
    )


def _in_tag_sequence(text: str, at: int) -> bool:
    """Whether the tag at ``at`` belongs to a flag's tag sequence: the black flag, one or more
    tags, then the cancel tag.
    """
    start = at
    while start > 0 and ord(text[start - 1]) in _TAGS:
        start -= 1
    end = at if text[at] != _CANCEL_TAG else at - 1
    while end + 1 < len(text) and ord(text[end + 1]) in _TAGS:
        end += 1
    return (
        start > 0
        and text[start - 1] == _TAG_FLAG
        and end >= start
        and end + 1 < len(text)
        and text[end + 1] == _CANCEL_TAG
    )


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds an invisible character, other than the joiners and tags of emoji
    sequences (variation selectors are marks, not controls). Bidi overrides and isolates, C0 and
    C1 controls and a joiner outside emoji stay invisible controls.
    """
    for at, ch in enumerate(text):
        if unicodedata.category(ch) not in _INVISIBLE:
            continue
        if ch == _JOINER and _joins_emoji(text, at):
            continue
        if (ord(ch) in _TAGS or ch == _CANCEL_TAG) and _in_tag_sequence(text, at):
            continue
        return True
    return False


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
    if has_control_characters(check):
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
