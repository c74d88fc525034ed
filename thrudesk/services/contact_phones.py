"""Contacts' phone numbers: checking and writing them as E.164, fast enough for a million rows.

10DLC numbers text US and Canadian numbers only, so a contact's number must be one: a valid
North American (NANP, +1) number whose region is the US or Canada, not one of the other countries
and territories that share +1 (Jamaica, the Bahamas, Puerto Rico…). Validity and region are
phonenumbers' own: the patterns come from its metadata for every NANP region, applied in the order
and the way ``phonenumbers.is_valid_number`` and ``region_code_for_number`` apply them. Parsing
each number with ``phonenumbers.parse`` costs about 30 µs; matching the precompiled patterns costs
a few, which is what lets an import of a million contacts stay close to a plain ``executemany``
(QUALITY.md P5). Unit tests hold this check equal to ``phonenumbers.is_valid_number`` and to
``phonenumbers.region_code_for_number``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# What people put between the digits of a phone number.
_SEPARATORS = str.maketrans("", "", " ()-./\u00a0")
_TYPE_DESCS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)
PHONE_MAX = 40
# The regions of the NANP whose numbers 10DLC texts.
TEXTED_REGIONS = frozenset({"US", "CA"})


class PhoneRefused(ValueError):
    """A cell that is not a textable North American number; ``str()`` says why."""


@dataclass(frozen=True)
class _Region:
    code: str
    leading_digits: re.Pattern[str] | None
    general: re.Pattern[str]
    types: re.Pattern[str] | None


def _desc_pattern(desc: object, length: int) -> str | None:
    if desc is None:
        return None
    pattern = getattr(desc, "national_number_pattern", None)
    lengths = tuple(getattr(desc, "possible_length", ()) or ())
    if not pattern or (lengths and length not in lengths):
        return None
    return str(pattern)


@cache
def _nanp_regions() -> tuple[_Region, ...]:
    """The NANP regions in phonenumbers' order, with their patterns for 10-digit numbers.

    phonenumbers is imported here, at the first number checked: its metadata is not needed
    for the window's first paint (QUALITY.md P1).
    """
    import phonenumbers
    from phonenumbers import PhoneMetadata

    regions: list[_Region] = []
    for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]:
        metadata = PhoneMetadata.metadata_for_region(code, None)
        if metadata is None:
            continue
        general = _desc_pattern(metadata.general_desc, 10)
        if general is None:
            continue
        types = [p for name in _TYPE_DESCS if (p := _desc_pattern(getattr(metadata, name), 10))]
        leading = metadata.leading_digits
        regions.append(
            _Region(
                code=code,
                leading_digits=re.compile(leading) if leading else None,
                general=re.compile(general),
                types=re.compile("|".join(f"(?:{p})" for p in types)) if types else None,
            )
        )
    return tuple(regions)


def _has_type(region: _Region, national: str) -> bool:
    return (
        region.general.fullmatch(national) is not None
        and region.types is not None
        and region.types.fullmatch(national) is not None
    )


def nanp_region(national: str) -> str | None:
    """The region (``US``, ``CA``, ``JM``…) of a valid 10-digit NANP number; None if invalid."""
    for region in _nanp_regions():
        if region.leading_digits is not None:
            if region.leading_digits.match(national):
                return region.code if _has_type(region, national) else None
        elif _has_type(region, national):
            return region.code
    return None


def is_valid_nanp(national: str) -> bool:
    """Whether a 10-digit national number is a valid NANP number (as phonenumbers judges it)."""
    return nanp_region(national) is not None


@cache
def _region_name(code: str) -> str:
    """``Jamaica`` for ``JM``: phonenumbers' English name of the region, else its code."""
    import phonenumbers
    from phonenumbers import geocoder

    example = phonenumbers.example_number(code)
    name = geocoder.country_name_for_number(example, "en") if example is not None else ""
    return name or code


def _non_ascii_reason(cell: str) -> str:
    if any(unicodedata.category(ch) == "Nd" for ch in cell if not ch.isascii()):
        return "uses digits other than 0–9; retype it with 0–9"
    return "contains characters that are not part of a phone number"


def normalise_phone(raw: str) -> str:
    """The number in ``raw`` as E.164 (``+12065550123``); raises :class:`PhoneRefused`.

    Accepts the usual ways of writing a US or Canadian number: ``(206) 555-0123``,
    ``206.555.0123``, ``1-206-555-0123``, ``+1 206 555 0123``.
    """
    cell = raw.strip()
    if not cell:
        raise PhoneRefused("has no phone number")
    if len(cell) > PHONE_MAX:
        raise PhoneRefused(f"has a phone cell of {len(cell)} characters; a number has at most 15")
    if not cell.isascii():
        raise PhoneRefused(_non_ascii_reason(cell))
    plus = cell.startswith("+")
    digits = (cell[1:] if plus else cell).translate(_SEPARATORS)
    if not digits.isdigit():
        lowered = digits.lower()
        if "x" in lowered or "ext" in lowered:
            raise PhoneRefused("has an extension; extensions cannot receive texts")
        raise PhoneRefused("contains characters that are not part of a phone number")
    if plus:
        if not digits.startswith("1"):
            raise PhoneRefused(
                "is not a North American number; 10DLC numbers text US and Canadian numbers only"
            )
        national = digits[1:]
    elif len(digits) == 11 and digits.startswith("1"):
        national = digits[1:]
    else:
        national = digits
    if len(national) != 10:
        raise PhoneRefused(
            f"has {len(digits)} digits; a US or Canadian number has 10 (or 11 starting with 1)"
        )
    region = nanp_region(national)
    if region is None:
        raise PhoneRefused(f"{cell} is not a valid US or Canadian phone number")
    if region not in TEXTED_REGIONS:
        raise PhoneRefused(
            f"{cell} is a number in {_region_name(region)}; 10DLC numbers text US and Canadian "
            "numbers only"
        )
    return f"+1{national}"
